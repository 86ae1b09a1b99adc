import Synchronization

/// One compiled specialization of a function: its C source, the libtcc module that holds the
/// machine code, and the function pointer. This is the one class that owns native resources;
/// they are freed when the last reference goes.
///
/// `run` is the allocation-free hot path for callers who manage their own buffers.
public final class Kernel: @unchecked Sendable {
    /// The argument shapes this kernel was specialized for.
    public let inputShapes: [[Int]]
    /// The shapes of the results, in order.
    public let outputShapes: [[Int]]
    /// Elements of workspace `run` needs (the caller provides them; the kernel allocates nothing).
    public let workspaceCount: Int
    /// The C that libtcc compiled.
    public let source: String
    /// How many guards (branches taken while tracing) the kernel checks.
    public let guardCount: Int
    /// Why this specialization exists: the branches the trace took, in words.
    public let guardDescriptions: [String]

    private let module: JITModule
    /// What a call reads and writes of the kernel (`KernelEntry`), at an address of its own.
    let entry: UnsafeMutablePointer<KernelEntry>
    /// libtcc's code, where calls go until the optimized tier replaces it.
    let baselineEntry: UInt
    /// The call on which the optimized tier starts building in the background (`Int.max`: never).
    var optimizeOnCall: Int { entry.pointee.optimizeOnCall }
    /// The optimized tier's state (see Kernel+Optimize.swift).
    let tier = Mutex(OptimizedTier.none)
    /// The parts `source` is made of, which the optimized tier assembles again with its prelude.
    let parts: KernelSource
    /// Copies of the tensor constants the code reads, at addresses given to libtcc.
    let data: [UnsafeMutableBufferPointer<Double>]
    let workspaces = WorkspacePool()

    package init(program: LoopProgram) throws(JITError) {
        parts = KernelSource(program)
        source = parts.text
        data = program.dataArrays.map { d in
            let values = program.graph.data[d]
            let copy = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(values.count, 1))
            _ = copy.initialize(from: values)
            return copy
        }
        let symbols = RuntimeSymbols.all + data.enumerated().map { k, buffer in
            (name: "adj_data\(k)", address: UnsafeRawPointer(buffer.baseAddress!))
        }
        do {
            module = try JITModule(source: source, symbols: symbols)
        } catch {
            for buffer in data { buffer.deallocate() }
            throw error
        }
        baselineEntry = UInt(bitPattern: module.address(of: "adj_kernel")!)
        inputShapes = program.inputShapes
        outputShapes = program.outputShapes
        workspaceCount = program.workspaceCount
        guardCount = program.guards.count
        guardDescriptions = program.guards.map { Kernel.describe($0, in: program.graph) }
        entry = .allocate(capacity: 1)
        entry.initialize(to: KernelEntry(code: baselineEntry, program: program,
                                         optimizeOnCall: Kernel.automaticTierCall(operations: program.estimatedOperations,
                                                                                  sourceBytes: source.utf8.count)))
        entry.pointee.kernel = self
    }

    deinit {
        for buffer in data { buffer.deallocate() }
        entry.deinitialize(count: 1)
        entry.deallocate()
    }

    /// A guard in words: `x0 >= 0.0 was true`, `less(%12, %3) was false`.
    static func describe(_ g: Guard, in graph: Graph) -> String {
        func operand(_ id: NodeID) -> String {
            switch graph[id].op.leaf {
            case .input(let i): "x\(i)"
            case .constant(let value): "\(value)"
            case .capture, .data, nil: "\(graph[id].op.name)\(id.index)"
            }
        }
        let node = graph[g.condition]
        var text = operand(g.condition)
        if case .compare(let comparison) = node.op {
            text = "\(operand(node.operands[0])) \(comparison.symbol) \(operand(node.operands[1]))"
        }
        return "\(text) was \(g.expected)"
    }

    /// The C that libtcc compiles for a program, by parts (prelude, tensor constants, the kernel).
    package static func source(for program: LoopProgram) -> KernelSource { KernelSource(program) }

    /// Runs the kernel on raw buffers: `inputs[i]` holds argument i (row-major, `inputShapes[i]`),
    /// `outputs[j]` has room for result j, `workspace` for `workspaceCount` elements.
    /// Returns 0, or k > 0 when guard k-1 failed (then the outputs are untouched).
    /// Allocates nothing; safe to call from many threads at once with separate workspaces.
    /// Calls run libtcc's code until the optimized tier is loaded (see Kernel+Optimize.swift):
    /// the call that makes the kernel hot queues its build, and later calls switch to it.
    @inline(__always)
    public func run(inputs: UnsafePointer<UnsafePointer<Double>?>, outputs: UnsafePointer<UnsafeMutablePointer<Double>?>,
                    workspace: UnsafeMutablePointer<Double>?) -> Int32 {
        entry.pointee.run(inputs, outputs, workspace)
    }

    /// Makes calls go to `function` from now on (the optimized tier, once it is loaded and bound).
    func redirect(to function: UnsafeMutableRawPointer) {
        entry.pointee.code.store(UInt(bitPattern: function), ordering: .releasing)
    }

    /// True when the arguments have the shapes this kernel was made for.
    package func accepts(_ args: [Tensor]) -> Bool {
        guard args.count == inputShapes.count else { return false }
        // Through buffer pointers, which lend the elements: an array subscript would copy each
        // tensor and shape (a retain and release apiece, most of a small call's cost).
        return args.withUnsafeBufferPointer { args in
            inputShapes.withUnsafeBufferPointer { shapes in
                for i in 0..<args.count where !args[i].hasShape(shapes[i]) { return false }
                return true
            }
        }
    }

    /// Runs on tensors: nil when a guard fails. Pointer tables live on the stack; the only
    /// allocations are the results' arrays.
    package func callAsFunction(_ args: [Tensor]) -> [Tensor]? {
        var code: Int32 = 0
        var results: [[Double]] = []
        results.reserveCapacity(outputShapes.count)
        let count = Swift.max(args.count, 1)
        withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: count) { inputs in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { cells in
                withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>?.self, capacity: Swift.max(outputShapes.count, 1)) { outputs in
                    var computed: [[Double]] = []
                    bindInputs(args, inputs, cells, &computed)
                    bindOutputs(0, outputs, &results) {
                        code = workspaces.with(count: workspaceCount) { ws in
                            run(inputs: UnsafePointer(inputs.baseAddress!), outputs: UnsafePointer(outputs.baseAddress!), workspace: ws)
                        }
                    }
                    withExtendedLifetime(computed) {}
                }
            }
        }
        guard code == 0 else { return nil }
        var tensors: [Tensor] = []
        tensors.reserveCapacity(results.count)
        for j in results.indices { tensors.append(Tensor(shape: outputShapes[j], scalars: results[j], symbol: nil)) }
        return tensors
    }

    /// Fills `table` with pointers to the arguments' elements, valid while `args` and `computed`
    /// live: a rank-0 argument's value is copied into `cells`, a deferred one's values are
    /// computed into `computed`. The elements are read in place through buffer pointers, which
    /// lend them (an array subscript, or a closure per argument, copied each tensor: a retain
    /// and release apiece, most of a small call's cost). A tensor's storage is a `let` whose
    /// array is never mutated, so its elements stay where they are while the array lives.
    private func bindInputs(_ args: [Tensor], _ table: UnsafeMutableBufferPointer<UnsafePointer<Double>?>,
                            _ cells: UnsafeMutableBufferPointer<Double>, _ computed: inout [[Double]]) {
        args.withUnsafeBufferPointer { args in
            for i in 0..<args.count {
                switch args[i].storage {
                case .scalar(let v):
                    cells[i] = v
                    table[i] = UnsafePointer(cells.baseAddress! + i)
                case .array(_, let values):
                    table[i] = values.withUnsafeBufferPointer { $0.baseAddress }
                case .deferred(_, let result):
                    computed.append(result.value.scalars)
                    table[i] = computed[computed.count - 1].withUnsafeBufferPointer { $0.baseAddress }
                }
            }
        }
    }

    /// Creates the result arrays, with `table` pointing at their storage while `body` runs.
    private func bindOutputs(_ j: Int, _ table: UnsafeMutableBufferPointer<UnsafeMutablePointer<Double>?>,
                             _ results: inout [[Double]], _ body: () -> Void) {
        guard j < outputShapes.count else { return body() }
        var rest: [[Double]] = []
        let array = [Double](unsafeUninitializedCapacity: Shape.count(outputShapes[j])) { buffer, initialized in
            buffer.initialize(repeating: 0)
            table[j] = buffer.baseAddress
            bindOutputs(j + 1, table, &rest, body)
            initialized = buffer.count
        }
        results.append(array)
        results.append(contentsOf: rest)
    }

    /// The one-argument, one-result path without intermediate arrays (the cost of a call matters
    /// most for small functions); a scalar result allocates nothing at all.
    package func call(_ x: Tensor) -> Tensor? {
        let shape = outputShapes[0]
        let count = Shape.count(shape)
        var code: Int32 = 0
        if count == 1 {
            var result = 0.0
            x.withUnsafeScalars { input in
                withUnsafeMutablePointer(to: &result) { output in
                    var inputPointer = input.baseAddress
                    var outputPointer: UnsafeMutablePointer<Double>? = output
                    code = workspaces.with(count: workspaceCount) { run(inputs: &inputPointer, outputs: &outputPointer, workspace: $0) }
                }
            }
            return code == 0 ? Tensor(shape: shape, scalar: result, symbol: nil) : nil
        }
        let result = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            x.withUnsafeScalars { input in
                var inputPointer = input.baseAddress
                var outputPointer = buffer.baseAddress
                code = workspaces.with(count: workspaceCount) { run(inputs: &inputPointer, outputs: &outputPointer, workspace: $0) }
            }
            initialized = buffer.count
        }
        return code == 0 ? Tensor(shape: shape, scalars: result, symbol: nil) : nil
    }
}

/// Workspaces reused across calls, so a kernel with a large workspace does not pay for an
/// allocation (and page faults) on every call; concurrent calls take separate ones.
final class WorkspacePool: @unchecked Sendable {
    /// A workspace handed between threads through the lock; only one call uses it at a time.
    private struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Double>
    }

    private let lock = Mutex<[Buffer]>([])

    /// Workspaces up to this many elements (1 KB) are taken on the caller's stack instead: no
    /// lock on the call path of small kernels. (Past 1 KB `withUnsafeTemporaryAllocation` asks
    /// the runtime whether the stack has room, which on the main thread reads /proc/self/maps.)
    static let stackLimit = 128

    @inline(__always)
    func with<R>(count: Int, _ body: (UnsafeMutablePointer<Double>?) -> R) -> R {
        guard count > 0 else { return body(nil) }
        if count <= WorkspacePool.stackLimit {
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { body($0.baseAddress) }
        }
        return pooled(count: count, body)
    }

    private func pooled<R>(count: Int, _ body: (UnsafeMutablePointer<Double>?) -> R) -> R {
        let buffer = lock.withLock { $0.popLast() } ?? Buffer(pointer: .allocate(capacity: count))
        defer { lock.withLock { $0.append(buffer) } }
        return body(buffer.pointer)
    }

    deinit {
        for buffer in lock.withLock({ $0 }) { buffer.pointer.deallocate() }
    }
}
