#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The kernels of one compiled function, one per argument shapes and branch set.
///
/// A call tries the kernels for its shapes, the one that ran last first; a kernel whose guard fails (the
/// input took another branch) hands over to the next. When none fits, the function is traced again
/// for this input and one more kernel is compiled. Past `limit` kernels the function is no longer
/// compiled: each further new case is traced and evaluated by the interpreter (correct, slower),
/// and `fallbackReason` says so.
package final class Specializations: @unchecked Sendable {
    private let function: ([Tensor]) -> [Tensor]
    private let limit: Int
    private let state = Mutex(State())
    /// The kernel that ran last: tried first, so a run of calls down one branch costs no failed
    /// guard. Only a hint (a stale index just means one more try).
    private let lastHit = Atomic<Int>(0)
    /// The address of the kernel that ran last through `call(_:)` for one tensor, unretained:
    /// `kernels` only grows, so every kernel in it lives as long as this object. Calls try it
    /// without the lock or a copy of `kernels` (W1, a 16 ns kernel, is called for ~90 ns).
    private let lastKernel = Atomic<UInt>(0)

    private struct State {
        var kernels: [Kernel] = []
        var fallbackReason: String?
    }

    package init(limit: Int, _ function: @escaping ([Tensor]) -> [Tensor]) {
        self.function = function
        self.limit = limit
    }

    /// In the order they were made.
    package var kernels: [Kernel] { state.withLock { $0.kernels } }
    package var fallbackReason: String? { state.withLock { $0.fallbackReason } }

    /// The results for `args`.
    package func call(_ args: [Tensor]) -> [Tensor] {
        // Traced arguments: run the function itself so the enclosing transform sees its ops.
        // (Concrete arguments inside a trace give concrete results: the kernel is fine there.)
        if args.contains(where: \.isTraced) { return function(args) }
        let all = kernels
        let start = lastHit.load(ordering: .relaxed)
        for offset in 0..<all.count {
            let k = (start + offset) % all.count
            guard all[k].accepts(args), let results = all[k](args) else { continue }
            if offset != 0 { lastHit.store(k, ordering: .relaxed) }
            if NaNDebug.current != nil { NaNDebug.checkCompiled(results) { _ = function(args) } }
            return results
        }
        return specialize(args)
    }

    /// `call` for one argument and one result, with no intermediate arrays when the first kernel fits.
    package func call(_ x: Tensor) -> Tensor {
        if !x.isTraced {
            let tried = lastKernel.load(ordering: .acquiring)
            if let address = UnsafeRawPointer(bitPattern: tried),
               let result = Unmanaged<Kernel>.fromOpaque(address)._withUnsafeGuaranteedRef({ Specializations.call($0, x) }) {
                if NaNDebug.current != nil { NaNDebug.checkCompiled([result]) { _ = function([x]) } }
                return result
            }
            let all = kernels
            let start = lastHit.load(ordering: .relaxed)
            for offset in 0..<all.count {
                let k = (start + offset) % all.count
                // Not the one just tried: its guard failed (or its shapes differ), and a second
                // try would run the kernel up to its guard again.
                guard UInt(bitPattern: Unmanaged.passUnretained(all[k]).toOpaque()) != tried,
                      let result = Specializations.call(all[k], x) else { continue }
                if offset != 0 { lastHit.store(k, ordering: .relaxed) }
                lastKernel.store(UInt(bitPattern: Unmanaged.passUnretained(all[k]).toOpaque()), ordering: .releasing)
                if NaNDebug.current != nil { NaNDebug.checkCompiled([result]) { _ = function([x]) } }
                return result
            }
        }
        return call([x])[0]
    }

    /// `kernel` on `x`, if it takes one tensor of x's shape, returns one, and its guards pass.
    private static func call(_ kernel: Kernel, _ x: Tensor) -> Tensor? {
        guard kernel.inputShapes.count == 1, kernel.outputShapes.count == 1, kernel.inputShapes[0] == x.shape else { return nil }
        return kernel.call(x)
    }

    /// The kernel for these shapes (compiling one, tracing at zeros, if there is none yet). A
    /// shape error while tracing is thrown, not trapped on: the caller asked for a throwing call.
    package func kernel(for shapes: [[Int]]) throws -> Kernel {
        if let kernel = kernels.first(where: { $0.inputShapes == shapes }) { return kernel }
        let program = try Tensor.checkingShapes { LoopProgram(tracing: function, at: shapes.map(Tensor.zeros)) }
        let kernel = try Kernel(program: program)
        remember(kernel)
        return kernel
    }

    /// The C for these shapes: the existing kernel's, or what would be compiled (traced at zeros).
    /// The traced graph for these shapes as Graphviz `dot` text (`GraphPicture`).
    package func picture(for shapes: [[Int]], inputNames: [String], outputNames: [String]) -> String {
        GraphPicture.dot(Staging.trace(shapes.map(Tensor.zeros), function), inputNames: inputNames, outputNames: outputNames)
    }

    package func source(for shapes: [[Int]]) -> String {
        if let kernel = kernels.first(where: { $0.inputShapes == shapes }) { return kernel.source }
        return Kernel.source(for: LoopProgram(tracing: function, at: shapes.map(Tensor.zeros))).text
    }

    private func specialize(_ args: [Tensor]) -> [Tensor] {
        let traced = Staging.trace(args, function)
        let full = state.withLock { $0.kernels.count >= limit }
        if full {
            state.withLock { $0.fallbackReason = "more than \(limit) specializations: new cases are interpreted" }
            return Staging.bind(traced, to: args)
        }
        let program = LoopProgram(lowering: traced)
        do {
            let kernel = try Kernel(program: program)
            remember(kernel)
            if let results = kernel(args) {
                if NaNDebug.current != nil { NaNDebug.checkCompiled(results) { _ = function(args) } }
                return results
            }
        } catch {
            state.withLock { $0.fallbackReason = error.description }
            CompileDiagnostics.report(error)
        }
        return Staging.bind(traced, to: args)
    }

    /// Keeps a new kernel, unless calls that raced to the same case already kept the same code
    /// (no lock is held while tracing, which may call compiled functions, even this one).
    private func remember(_ kernel: Kernel) {
        let index = state.withLock { s in
            if let same = s.kernels.firstIndex(where: { $0.inputShapes == kernel.inputShapes && $0.source == kernel.source }) {
                return same
            }
            s.kernels.append(kernel)
            return s.kernels.count - 1
        }
        lastHit.store(index, ordering: .relaxed)
    }
}

/// A kernel that libtcc refused is a bug in Adjoint; the call still answers (interpreted), and the
/// reason goes to standard error once per distinct message.
enum CompileDiagnostics {
    private static let seen = Mutex<Set<String>>([])

    /// `Configuration.strictJIT` (`ADJOINT_STRICT_JIT=1`, set by scripts/test) turns a compile
    /// failure into a trap, so that a test cannot pass on the interpreter's answers while the
    /// code generator is broken.
    static var strict: Bool { Configuration.current.strictJIT }

    static func report(_ error: JITError) {
        let message = error.description
        if strict { fatalError("ADJOINT_STRICT_JIT: \(message)") }
        guard seen.withLock({ $0.insert(message).inserted }) else { return }
        var stderr = StandardError()
        print("adjoint: falling back to the interpreter: \(message)", to: &stderr)
    }

    /// A failed automatic tier-up: the kernel keeps libtcc's code, so this is only said once per
    /// message, unless the system compiler rejected our C, which under `ADJOINT_STRICT_JIT=1`
    /// is as fatal as libtcc rejecting it.
    static func report(_ error: TierError) {
        let message = error.description
        if strict, error.reason == .compile { fatalError("ADJOINT_STRICT_JIT: \(message)") }
        guard seen.withLock({ $0.insert(message).inserted }) else { return }
        var stderr = StandardError()
        print("adjoint: \(message)", to: &stderr)
    }
}

/// Standard error, written with write(2) (libc's `stderr` is a global variable Swift 6 rejects).
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
}
