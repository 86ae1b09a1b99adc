/// One level of tracing: the graph being recorded while a transform runs a user's function.
///
/// Transforms nest (`grad(grad(f))`, `compile(grad(f))`), so traces form a chain through the
/// task-local `current`. A tensor of an enclosing trace that shows up here becomes a `.capture`
/// leaf: constant as far as this level is concerned, which is what keeps derivatives of
/// different levels apart. The tracer knows nothing of differentiation: it records nodes, the
/// tensors it captured and the guards that control flow took.
package final class Trace: @unchecked Sendable {
    /// The innermost trace of the running task, if a transform is tracing.
    @TaskLocal package static var current: Trace?

    /// Depth of nesting: 1 for a trace started outside any other.
    package let level: Int
    package var graph = Graph()
    /// Tensors of enclosing traces referenced here; `.capture(i)` stands for `captures[i]`.
    package private(set) var captures: [Tensor] = []
    /// The branches taken: each guard is a 0/1 node and the value it had while tracing.
    package private(set) var guards: [Guard] = []
    /// False once the transform that owns the trace has returned: its tensors are plain values then.
    package private(set) var isOpen = true

    private var captured: [CaptureKey: NodeID] = [:]
    /// Concrete tensors seen so far, by the address of their storage, with that storage: holding
    /// it keeps the address from being reused by another tensor while the trace lives (a splat
    /// becomes a one-number node, so the graph itself does not keep its array).
    private var constants: [ConstantKey: (node: NodeID, storage: [Double])] = [:]

    package init(parent: Trace?) {
        level = (parent?.level ?? 0) + 1
        if NaNDebug.current != nil { graph.provenance = Provenance() }
    }

    /// Ends the trace; its tensors that escaped behave as their values from now on.
    package func close() { isOpen = false }

    /// Takes `inner` as this trace's graph when nothing has been recorded here but placeholders
    /// and `args` are exactly those placeholders in order, bound to `inner`'s inputs of the same
    /// index; so `inner`'s node ids stay valid here. Returns false (changing nothing) otherwise.
    package func adopt(_ inner: Graph, placeholders args: [Tensor]) -> Bool {
        guard captures.isEmpty, guards.isEmpty, graph.count == args.count, inner.count >= args.count else { return false }
        for (i, arg) in args.enumerated() {
            guard let symbol = arg.symbol, symbol.trace === self, symbol.node == NodeID(i),
                  graph[NodeID(i)] == inner[NodeID(i)], case .input(i) = inner[NodeID(i)].op else { return false }
        }
        if inner.nodes.contains(where: { if case .capture = $0.op { return true } else { return false } }) { return false }
        graph = inner
        return true
    }

    /// Records that control flow depended on the 0/1 `condition` having the value `taken`.
    package func recordGuard(_ condition: NodeID, taken: Bool) {
        guards.append(Guard(condition: condition, expected: taken))
    }

    /// The node that stands for `tensor` in this trace: its own node, a capture of an enclosing
    /// trace's tensor, or a constant.
    package func node(for tensor: Tensor) -> NodeID {
        if let symbol = tensor.symbol, symbol.trace.isOpen {
            if symbol.trace === self { return symbol.node }
            let key = CaptureKey(trace: ObjectIdentifier(symbol.trace), node: symbol.node)
            if let id = captured[key] { return id }
            captures.append(tensor)
            let id = graph.capture(captures.count - 1, shape: tensor.shape)
            captured[key] = id
            return id
        }
        return constant(tensor)
    }

    /// A constant node for a concrete tensor; the same array (by storage) is stored once.
    private func constant(_ tensor: Tensor) -> NodeID {
        if tensor.count == 1 { return graph.constant(tensor.scalar, shape: tensor.shape) }
        let scalars = tensor.scalars
        let key = scalars.withUnsafeBufferPointer {
            ConstantKey(address: UInt(bitPattern: $0.baseAddress), shape: tensor.shape)
        }
        if let seen = constants[key] { return seen.node }
        let id = graph.constant(scalars, shape: tensor.shape)
        constants[key] = (id, scalars)
        return id
    }

    /// The innermost open trace among the tensors' traces, or nil when all are concrete.
    package static func innermost(_ tensors: [Tensor]) -> Trace? {
        var best: Trace?
        for t in tensors {
            guard let trace = t.symbol?.trace, trace.isOpen else { continue }
            if best == nil || trace.level > best!.level { best = trace }
        }
        return best
    }

    private struct CaptureKey: Hashable {
        var trace: ObjectIdentifier
        var node: NodeID
    }

    private struct ConstantKey: Hashable {
        var address: UInt
        var shape: [Int]
    }
}

/// A branch recorded while tracing: the 0/1 node `condition` had the value `expected`.
package struct Guard: Sendable, Hashable {
    package var condition: NodeID
    package var expected: Bool
}

/// Where a traced tensor lives: a node of an open trace. (`@usableFromInline`: `Tensor(_:)`
/// inlines into callers' modules.)
@usableFromInline package struct Symbol: Sendable {
    package let trace: Trace
    package let node: NodeID
}
