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
    /// The newest `Snapshot`, unretained: `state.snapshots` keeps every snapshot alive as long
    /// as this object, so calls read the kernels with one atomic load, no lock, no reference
    /// counting and no copy of the array (kernels are only ever added, at most `limit`).
    private let snapshot = Atomic<UInt>(0)
    /// The `KernelEntry` of the kernel that ran last (every kernel lives as long as this object): tried
    /// first, so a run of calls down one branch costs no failed guard and no search. Only a hint:
    /// a stale one just means one more try.
    private let lastKernel = Atomic<UInt>(0)

    private struct State {
        var kernels: [Kernel] = []
        var snapshots: [Snapshot] = []
        var fallbackReason: String?
    }

    /// The kernels at one moment, never changed once published.
    private final class Snapshot: Sendable {
        let kernels: [Kernel]
        init(_ kernels: [Kernel]) { self.kernels = kernels }
    }

    package init(limit: Int, _ function: @escaping ([Tensor]) -> [Tensor]) {
        self.function = function
        self.limit = limit
    }

    /// In the order they were made.
    package var kernels: [Kernel] { withKernels { $0 } }
    package var fallbackReason: String? { state.withLock { $0.fallbackReason } }

    /// `body` on the kernels made so far, read without a lock.
    @inline(__always)
    private func withKernels<R>(_ body: ([Kernel]) -> R) -> R {
        guard let address = UnsafeRawPointer(bitPattern: snapshot.load(ordering: .acquiring)) else { return body([]) }
        return Unmanaged<Snapshot>.fromOpaque(address)._withUnsafeGuaranteedRef { body($0.kernels) }
    }

    /// The first kernel, starting with the one that ran last, for which `attempt` gives a
    /// result (it takes these arguments and its guards pass); nil when none does.
    @inline(__always)
    private func first<R>(_ attempt: (Kernel) -> R?) -> R? {
        let tried = lastKernel.load(ordering: .relaxed)
        if let entry = UnsafeMutablePointer<KernelEntry>(bitPattern: tried), let kernel = entry.pointee.kernel,
           let result = attempt(kernel) {
            return result
        }
        return withKernels { all in
            for kernel in all {
                let address = UInt(bitPattern: kernel.entry)
                // Not the one just tried: its guard failed (or it takes other shapes), and a
                // second try would run the kernel up to its guard again.
                guard address != tried, let result = attempt(kernel) else { continue }
                lastKernel.store(address, ordering: .relaxed)
                return result
            }
            return nil
        }
    }

    /// The results for `args`.
    package func call(_ args: [Tensor]) -> [Tensor] {
        // Traced arguments: run the function itself so the enclosing transform sees its ops.
        // (Concrete arguments inside a trace give concrete results: the kernel is fine there.)
        // (Through a buffer pointer, which lends the tensors: `args.contains` copied each one.)
        if args.withUnsafeBufferPointer({ $0.contains(where: \.isTraced) }) { return function(args) }
        if let results = first({ $0.accepts(args) ? $0(args) : nil }) {
            if NaNDebug.current != nil { NaNDebug.checkCompiled(results) { _ = function(args) } }
            return results
        }
        return specialize(args)
    }

    /// The results of a call on rank-0 arguments, given as numbers: `inputCount` of them at
    /// `inputs`, `outputCount` rank-0 results written to `outputs`. No lock, no array, no tensor.
    /// False when no kernel takes these (not compiled yet, a guard failed, other shapes) or NaNs
    /// are being debugged; the caller then makes the call the general way, which compiles.
    @inline(__always)
    package func callScalars(_ inputs: UnsafePointer<Double>, _ inputCount: Int,
                             _ outputs: UnsafeMutablePointer<Double>, _ outputCount: Int) -> Bool {
        guard NaNDebug.current == nil else { return false }
        let tried = lastKernel.load(ordering: .relaxed)
        if let entry = UnsafeMutablePointer<KernelEntry>(bitPattern: tried),
           entry.pointee.runScalars(inputs, inputCount, outputs, outputCount) == 0 {
            return true
        }
        return withKernels { all in
            for kernel in all where UInt(bitPattern: kernel.entry) != tried {
                guard kernel.entry.pointee.runScalars(inputs, inputCount, outputs, outputCount) == 0 else { continue }
                lastKernel.store(UInt(bitPattern: kernel.entry), ordering: .relaxed)
                return true
            }
            return false
        }
    }

    /// `callScalars` for up to four rank-0 arguments and results, held in tuples on the stack
    /// (the first `inputCount` and `outputCount` elements count); nil as `callScalars` is false.
    @inline(__always)
    package func callScalars(_ inputs: (Double, Double, Double, Double), _ inputCount: Int,
                             results outputCount: Int) -> (Double, Double, Double, Double)? {
        var inputs = inputs, results = (0.0, 0.0, 0.0, 0.0)
        let done = withUnsafePointer(to: &inputs) { x in
            withUnsafeMutablePointer(to: &results) { r in
                callScalars(UnsafeRawPointer(x).assumingMemoryBound(to: Double.self), inputCount,
                            UnsafeMutableRawPointer(r).assumingMemoryBound(to: Double.self), outputCount)
            }
        }
        return done ? results : nil
    }

    /// `call` for one argument and one result, with no intermediate arrays when a kernel fits.
    package func call(_ x: Tensor) -> Tensor {
        guard !x.isTraced else { return function([x])[0] }
        if case .scalar(var v) = x.storage {
            var result = 0.0
            if callScalars(&v, 1, &result, 1) { return Tensor(result) }
        }
        // Kernels that `callScalars` passed over (a result of rank > 0) or that take an array.
        if let result = first({ $0.entry.pointee.scalarOutputs == 1 && x.rank == 0 ? nil : Specializations.call($0, x) }) {
            if NaNDebug.current != nil { NaNDebug.checkCompiled([result]) { _ = function([x]) } }
            return result
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
        let kept = state.withLock { s in
            if let same = s.kernels.first(where: { $0.inputShapes == kernel.inputShapes && $0.source == kernel.source }) {
                return same
            }
            s.kernels.append(kernel)
            let next = Snapshot(s.kernels)
            s.snapshots.append(next)
            snapshot.store(UInt(bitPattern: Unmanaged.passUnretained(next).toOpaque()), ordering: .releasing)
            return kernel
        }
        lastKernel.store(UInt(bitPattern: kept.entry), ordering: .relaxed)
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
