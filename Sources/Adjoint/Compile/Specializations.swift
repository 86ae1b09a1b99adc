#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The kernels of one compiled function, one per argument shapes and branch set.
///
/// A call tries the kernels for its shapes, most recent first; a kernel whose guard fails (the
/// input took another branch) hands over to the next. When none fits, the function is traced again
/// for this input and one more kernel is compiled. Past `limit` kernels the function is no longer
/// compiled: each further new case is traced and evaluated by the interpreter (correct, slower),
/// and `fallbackReason` says so.
package final class Specializations: @unchecked Sendable {
    private let function: ([Tensor]) -> [Tensor]
    private let limit: Int
    private let state = Mutex(State())

    private struct State {
        var kernels: [Kernel] = []
        var fallbackReason: String?
    }

    package init(limit: Int, _ function: @escaping ([Tensor]) -> [Tensor]) {
        self.function = function
        self.limit = limit
    }

    package var kernels: [Kernel] { state.withLock { $0.kernels } }
    package var fallbackReason: String? { state.withLock { $0.fallbackReason } }

    /// The results for `args`.
    package func call(_ args: [Tensor]) -> [Tensor] {
        // Traced arguments: run the function itself so the enclosing transform sees its ops.
        // (Concrete arguments inside a trace give concrete results: the kernel is fine there.)
        if args.contains(where: \.isTraced) { return function(args) }
        let all = kernels
        for kernel in all where kernel.accepts(args) {
            if let results = kernel(args) {
                if kernel !== all.first { promote(kernel) }
                return results
            }
        }
        return specialize(args)
    }

    /// `call` for one argument and one result, with no intermediate arrays when the first kernel fits.
    package func call(_ x: Tensor) -> Tensor {
        if !x.isTraced, let first = state.withLock({ $0.kernels.first }), first.inputShapes.count == 1,
           first.inputShapes[0] == x.shape, first.outputShapes.count == 1, let result = first.call(x) {
            return result
        }
        return call([x])[0]
    }

    /// The kernel for these shapes (compiling one, tracing at zeros, if there is none yet).
    package func kernel(for shapes: [[Int]]) throws(JITError) -> Kernel {
        if let kernel = kernels.first(where: { $0.inputShapes == shapes }) { return kernel }
        let kernel = try Kernel(program: lower(shapes.map(Tensor.zeros)))
        state.withLock { $0.kernels.insert(kernel, at: 0) }
        return kernel
    }

    /// The C for these shapes: the existing kernel's, or what would be compiled (traced at zeros).
    package func source(for shapes: [[Int]]) -> String {
        if let kernel = kernels.first(where: { $0.inputShapes == shapes }) { return kernel.source }
        return Kernel.source(for: lower(shapes.map(Tensor.zeros)))
    }

    /// Traces at `args` and lowers the result.
    private func lower(_ args: [Tensor]) -> LoopProgram {
        let traced = Staging.trace(args, function)
        return LoopProgram(graph: traced.graph, outputs: traced.outputs, guards: traced.guards,
                           inputShapes: args.map(\.shape))
    }

    private func specialize(_ args: [Tensor]) -> [Tensor] {
        let traced = Staging.trace(args, function)
        let full = state.withLock { $0.kernels.count >= limit }
        if full {
            state.withLock { $0.fallbackReason = "more than \(limit) specializations: new cases are interpreted" }
            return Staging.bind(traced, to: args)
        }
        let program = LoopProgram(graph: traced.graph, outputs: traced.outputs, guards: traced.guards,
                                  inputShapes: args.map(\.shape))
        do {
            let kernel = try Kernel(program: program)
            state.withLock { $0.kernels.insert(kernel, at: 0) }
            if let results = kernel(args) { return results }
        } catch {
            state.withLock { $0.fallbackReason = error.description }
            CompileDiagnostics.report(error)
        }
        return Staging.bind(traced, to: args)
    }

    private func promote(_ kernel: Kernel) {
        state.withLock { s in
            guard s.kernels.first !== kernel, let i = s.kernels.firstIndex(where: { $0 === kernel }) else { return }
            s.kernels.remove(at: i)
            s.kernels.insert(kernel, at: 0)
        }
    }
}

/// A kernel that libtcc refused is a bug in Adjoint; the call still answers (interpreted), and the
/// reason goes to standard error once per distinct message.
enum CompileDiagnostics {
    private static let seen = Mutex<Set<String>>([])

    static func report(_ error: JITError) {
        let message = error.description
        guard seen.withLock({ $0.insert(message).inserted }) else { return }
        var stderr = StandardError()
        print("adjoint: falling back to the interpreter: \(message)", to: &stderr)
    }
}

/// Standard error, written with write(2) (libc's `stderr` is a global variable Swift 6 rejects).
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
}
