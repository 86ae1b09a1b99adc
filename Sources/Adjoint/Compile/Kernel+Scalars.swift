import Synchronization

/// What a call reads and writes of its kernel, at a fixed address of its own (allocated with the
/// kernel, freed by its deinit). Calls through `CompiledFunction` reach it by a raw pointer, with
/// no reference counting: a retain and a release are two atomic operations per call, and
/// threads calling one kernel would contend for its reference count.
package struct KernelEntry: ~Copyable {
    /// The address of the code calls go to: libtcc's, until the optimized tier replaces it.
    let code: Atomic<UInt>
    /// Calls so far (approximate: concurrent calls may count once), for the automatic tier-up.
    let calls = Atomic<Int>(0)
    /// The call on which the optimized tier starts building in the background (`Int.max`: never).
    let optimizeOnCall: Int
    /// How many arguments the kernel takes when every one is rank 0, else -1; likewise for its
    /// results. `runScalars` compares these two integers, not the shape arrays.
    let scalarInputs: Int
    let scalarOutputs: Int
    let workspaceCount: Int
    /// The kernel this belongs to (which owns it), for the tier-up and large workspaces.
    unowned(unsafe) var kernel: Kernel?

    init(code: UInt, program: LoopProgram, optimizeOnCall: Int) {
        self.code = Atomic(code)
        self.optimizeOnCall = optimizeOnCall
        scalarInputs = program.inputShapes.allSatisfy(\.isEmpty) ? program.inputShapes.count : -1
        scalarOutputs = program.outputShapes.allSatisfy(\.isEmpty) ? program.outputShapes.count : -1
        workspaceCount = program.workspaceCount
    }

    /// `Kernel.run`.
    @inline(__always)
    func run(_ inputs: UnsafePointer<UnsafePointer<Double>?>, _ outputs: UnsafePointer<UnsafeMutablePointer<Double>?>,
             _ workspace: UnsafeMutablePointer<Double>?) -> Int32 {
        // A relaxed load and store, not an atomic increment: plain moves, no bus lock on the
        // hot path. A count lost to a concurrent call only delays the tier-up. Once the count
        // reaches the tier-up, calls only read it, so threads calling at once share the line.
        let counted = calls.load(ordering: .relaxed)
        if counted < optimizeOnCall {
            calls.store(counted &+ 1, ordering: .relaxed)
            if counted &+ 1 == optimizeOnCall { kernel?.optimizeInBackground() }
        }
        let function = unsafeBitCast(code.load(ordering: .acquiring), to: KernelFunction.self)
        return function(inputs, outputs, workspace)
    }

    /// Runs on `inputCount` rank-0 arguments at `inputs` (one `Double` each), writing
    /// `outputCount` rank-0 results to `outputs` (untouched when a guard fails). Returns `run`'s
    /// code (0, or the number of the failed guard), or nil when the kernel does not take that
    /// many scalars and return that many. Pointer tables and workspace live on the stack.
    @inline(__always)
    func runScalars(_ inputs: UnsafePointer<Double>, _ inputCount: Int,
                    _ outputs: UnsafeMutablePointer<Double>, _ outputCount: Int) -> Int32? {
        guard scalarInputs == inputCount, scalarOutputs == outputCount else { return nil }
        if inputCount == 1, outputCount == 1, workspaceCount == 0 {
            var input: UnsafePointer<Double>? = inputs
            var output: UnsafeMutablePointer<Double>? = outputs
            return run(&input, &output, nil)
        }
        return withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: inputCount) { ins in
            for k in 0..<inputCount { ins[k] = inputs + k }
            return withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>?.self, capacity: outputCount) { outs in
                for k in 0..<outputCount { outs[k] = outputs + k }
                return withWorkspace { run(UnsafePointer(ins.baseAddress!), UnsafePointer(outs.baseAddress!), $0) }
            }
        }
    }

    /// `body` with a workspace for one call: on the stack when it is small, else from the pool.
    @inline(__always)
    private func withWorkspace(_ body: (UnsafeMutablePointer<Double>?) -> Int32) -> Int32 {
        guard workspaceCount > 0 else { return body(nil) }
        if workspaceCount <= WorkspacePool.stackLimit {
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: workspaceCount) { body($0.baseAddress) }
        }
        return kernel!.workspaces.with(count: workspaceCount, body)
    }
}
