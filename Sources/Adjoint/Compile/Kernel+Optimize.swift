import Dispatch
import Synchronization

/// The optimized tier of one kernel: nothing yet, the loaded shared object, or why it failed.
enum OptimizedTier {
    case none
    case loaded(SharedObject)
    case failed(TierError)
}

/// `void adj_bind(routines, data)` of the optimized tier's C (see `Prelude.optimizedTier(dataCount:)`):
/// the routines' addresses in the order of `Routine.all`, and the tensor constants'.
private typealias BindFunction = @convention(c) (
    UnsafePointer<UnsafeRawPointer?>?, UnsafePointer<UnsafePointer<Double>?>?
) -> Void

/// Two tiers, as in the JITs of JavaScript and Java. libtcc compiles a kernel in milliseconds,
/// but its code keeps no value in a register from one statement to the next and never
/// vectorizes, so arithmetic loops run several times slower than at -O2. A kernel that is called
/// often enough to make that matter is compiled again, in the background, by the system's C
/// compiler (`SystemCompiler`), from the same C, and calls switch to that code once it is
/// loaded. Both tiers evaluate the same C expressions under IEEE rules (no contraction, no
/// reassociation), so switching changes the speed, not the numbers.
extension Kernel {
    /// Whether kernels build their optimized tier by themselves once they have run enough code
    /// (default: true; it needs a C compiler, see `SystemCompiler`; ``optimize()`` works either way).
    public static var optimizesAutomatically: Bool {
        get { Configuration.current.optimizesAutomatically }
        set { Configuration.update { $0.optimizesAutomatically = newValue } }
    }

    /// Operations of libtcc code (``LoopProgram/estimatedOperations`` times calls) after which a
    /// kernel builds its optimized tier: about 0.05–0.2 s of running libtcc's code, the same order
    /// as the build itself, so the tier-up pays for itself when the kernel keeps being called.
    static let automaticBudget = 50_000_000
    /// Larger kernels are never optimized automatically: optimizing compilers are superlinear
    /// on long straight-line code (clang -O2 takes ~2.5 s on 400 KB of C and minutes on 2 MB).
    static let automaticSourceLimit = 256 * 1024

    /// The call on which a kernel with this much work per call starts its optimized tier.
    static func automaticTierCall(operations: Int, sourceBytes: Int) -> Int {
        guard sourceBytes <= automaticSourceLimit, case .success = SystemCompiler.found else { return .max }
        return Swift.max(1000, automaticBudget / Swift.max(operations, 1))
    }

    /// True once calls run the optimized tier.
    public var isOptimized: Bool {
        entry.pointee.code.load(ordering: .acquiring) != baselineEntry
    }

    /// Builds the optimized tier now, if it is not built yet, and switches calls to it; returns
    /// when calls run it. Blocks for the compiler's run (tens of milliseconds for small kernels,
    /// seconds for kernels of hundreds of kilobytes of C). Throws if no C compiler is available or
    /// the build fails; the kernel then keeps running libtcc's code, and a second call reports
    /// the same error without trying again.
    public func optimize() throws(TierError) {
        try tier.withLock { state throws(TierError) in
            switch state {
            case .loaded: return
            case .failed(let error): throw error
            case .none:
                do throws(TierError) {
                    let object = try Kernel.buildOptimizedTier(source: optimizedSource)
                    try load(object)
                    state = .loaded(object)
                } catch {
                    state = .failed(error)
                    throw error
                }
            }
        }
    }

    /// The C the system compiler builds for the optimized tier: the kernel function as libtcc
    /// compiled it, after `Prelude.optimizedTier(dataCount:)`.
    public var optimizedSource: String {
        parts.optimizedTier(dataCount: data.count)
    }

    private static func buildOptimizedTier(source: String) throws(TierError) -> SharedObject {
        try SystemCompiler.usable.get().build(source: source)
    }

    /// Binds a build to this kernel's runtime functions and constants and sends calls to it.
    private func load(_ object: SharedObject) throws(TierError) {
        let bind = unsafeBitCast(try object.address(of: "adj_bind"), to: BindFunction.self)
        let kernel = try object.address(of: "adj_kernel")
        let pointers: [UnsafePointer<Double>?] = data.map { UnsafePointer($0.baseAddress) }
        let routines: [UnsafeRawPointer?] = Routine.all.map(\.address)
        routines.withUnsafeBufferPointer { table in
            pointers.withUnsafeBufferPointer { bind(table.baseAddress, $0.baseAddress) }
        }
        redirect(to: kernel)
    }

    /// One build at a time, beside the program's work, on a thread that may block.
    static let optimizer = DispatchQueue(label: "Adjoint.optimizedTier", qos: .utility)

    /// Starts the optimized tier's build (called by `run` on the call `optimizeOnCall`).
    @inline(never) func optimizeInBackground() {
        guard Kernel.optimizesAutomatically else { return }
        let request = QueuedBuild(self)
        Kernel.optimizer.async {
            guard var kernel = request.take() else { return }
            // Dropped while its build waited: the queue held the last reference. Nothing to build.
            guard !isKnownUniquelyReferenced(&kernel) else { return }
            do throws(TierError) {
                try kernel.optimize()
            } catch {
                CompileDiagnostics.report(error)
            }
        }
    }
}

/// A kernel handed to the build queue: a strong reference, which the build moves out and checks
/// for uniqueness. Not `weak`: a weak reference gives the kernel a side table, and every retain
/// and release after that (one per call through the public API) takes Swift's slow path, which
/// costs hot kernels, the ones that tier up, about 10 ns a call.
private final class QueuedBuild: @unchecked Sendable {
    private var kernel: Kernel?

    init(_ kernel: Kernel) { self.kernel = kernel }

    /// The kernel, leaving none here; called once, on the build queue.
    func take() -> Kernel? {
        defer { kernel = nil }
        return kernel
    }
}
