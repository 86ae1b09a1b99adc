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
    private let function: KernelFunction
    /// Copies of the tensor constants the code reads, at addresses given to libtcc.
    private let data: [UnsafeMutableBufferPointer<Double>]
    private let workspaces = WorkspacePool()

    package init(program: LoopProgram) throws(JITError) {
        source = Kernel.source(for: program)
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
        function = module.kernel(named: "adj_kernel")!
        inputShapes = program.inputShapes
        outputShapes = program.outputShapes
        workspaceCount = program.workspaceCount
        guardCount = program.guards.count
        guardDescriptions = program.guards.map { g in
            let node = program.graph[g.condition]
            return "\(node.op.name) \(g.condition) was \(g.expected)"
        }
    }

    deinit {
        for buffer in data { buffer.deallocate() }
    }

    /// The C that libtcc compiles for a program: prelude, tensor constants, the kernel.
    package static func source(for program: LoopProgram) -> String {
        let emitter = CEmitter(program)
        return Prelude.text + emitter.dataDeclarations() + "\n" + emitter.function(named: "adj_kernel")
    }

    /// Runs the kernel on raw buffers: `inputs[i]` holds argument i (row-major, `inputShapes[i]`),
    /// `outputs[j]` has room for result j, `workspace` for `workspaceCount` elements.
    /// Returns 0, or k > 0 when guard k-1 failed (then the outputs are untouched).
    /// Allocates nothing; safe to call from many threads at once with separate workspaces.
    @inline(__always)
    public func run(inputs: UnsafePointer<UnsafePointer<Double>?>, outputs: UnsafePointer<UnsafeMutablePointer<Double>?>,
                    workspace: UnsafeMutablePointer<Double>?) -> Int32 {
        function(inputs, outputs, workspace)
    }

    /// Runs on tensors: nil when a guard fails.
    package func callAsFunction(_ args: [Tensor]) -> [Tensor]? {
        let results = outputShapes.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(Shape.count($0), 1)) }
        defer { for r in results { r.deallocate() } }
        let code = withPointers(args.map(\.scalars)) { inputs in
            results.map { Optional($0.baseAddress!) }.withUnsafeBufferPointer { outputs in
                workspaces.with(count: workspaceCount) { run(inputs: inputs, outputs: outputs.baseAddress!, workspace: $0) }
            }
        }
        guard code == 0 else { return nil }
        return zip(outputShapes, results).map { shape, buffer in
            Tensor(shape: shape, scalars: Array(buffer.prefix(Shape.count(shape))), symbol: nil)
        }
    }

    /// The one-argument, one-result path without intermediate arrays (the cost of a call matters
    /// most for small functions).
    package func call(_ x: Tensor) -> Tensor? {
        let shape = outputShapes[0]
        var code: Int32 = 0
        let result = [Double](unsafeUninitializedCapacity: Shape.count(shape)) { buffer, count in
            x.scalars.withUnsafeBufferPointer { input in
                var inputPointer = input.baseAddress
                var outputPointer = buffer.baseAddress
                code = workspaces.with(count: workspaceCount) { ws in
                    run(inputs: &inputPointer, outputs: &outputPointer, workspace: ws)
                }
            }
            count = buffer.count
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

    func with<R>(count: Int, _ body: (UnsafeMutablePointer<Double>?) -> R) -> R {
        guard count > 0 else { return body(nil) }
        let buffer = lock.withLock { $0.popLast() } ?? Buffer(pointer: .allocate(capacity: count))
        defer { lock.withLock { $0.append(buffer) } }
        return body(buffer.pointer)
    }

    deinit {
        for buffer in lock.withLock({ $0 }) { buffer.pointer.deallocate() }
    }
}

/// Pointers to the storage of each array, valid inside `body`.
func withPointers<R>(_ arrays: [[Double]], _ body: (UnsafePointer<UnsafePointer<Double>?>) -> R) -> R {
    var pointers: [UnsafePointer<Double>?] = []
    pointers.reserveCapacity(arrays.count)
    func recurse(_ i: Int) -> R {
        if i == arrays.count { return pointers.withUnsafeBufferPointer { body($0.baseAddress!) } }
        return arrays[i].withUnsafeBufferPointer { p in
            pointers.append(p.baseAddress)
            return recurse(i + 1)
        }
    }
    return recurse(0)
}
