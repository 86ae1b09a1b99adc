/// How every transform runs: trace the user's function at fresh placeholders, turn the graph into
/// the graph of what the transform returns, then bind that graph to the actual arguments.
///
/// Binding inlines the result into the enclosing trace when there is one (so transforms nest and
/// `compile` sees one graph), and otherwise evaluates it with the reference interpreter. Because
/// each level differentiates with respect to placeholders of its own, and tensors of enclosing
/// levels appear as captures (constants at this level), derivatives never leak between levels.
package enum Staging {
    /// A function traced into a graph.
    package struct Traced {
        package var graph: Graph
        /// The placeholder of each argument.
        package var inputs: [NodeID]
        /// The function's results.
        package var outputs: [NodeID]
        /// Tensors of enclosing traces that the function referenced, by capture index.
        package var captures: [Tensor]
        /// The branches the trace took.
        package var guards: [Guard]
    }

    /// Traces `f` at placeholders whose example values are `args`, inside the current trace if any.
    package static func trace(_ args: [Tensor], _ f: ([Tensor]) -> [Tensor]) -> Traced {
        let trace = Trace(parent: Trace.current)
        var inputs: [NodeID] = []
        var placeholders: [Tensor] = []
        for (i, arg) in args.enumerated() {
            let id = trace.graph.input(i, shape: arg.shape)
            inputs.append(id)
            placeholders.append(Tensor(shape: arg.shape, scalars: arg.scalars, symbol: Symbol(trace: trace, node: id)))
        }
        let results = Trace.$current.withValue(trace) { f(placeholders) }
        let outputs = results.map { trace.node(for: $0) }
        trace.close()
        return Traced(graph: trace.graph, inputs: inputs, outputs: outputs, captures: trace.captures, guards: trace.guards)
    }

    /// Traces `f` at `args`, lets `build` append the transform's results to the graph, and binds them.
    package static func transform(_ args: [Tensor], _ f: ([Tensor]) -> [Tensor],
                                  build: (inout Graph, _ inputs: [NodeID], _ outputs: [NodeID]) -> [NodeID]) -> [Tensor] {
        var traced = trace(args, f)
        traced.outputs = build(&traced.graph, traced.inputs, traced.outputs)
        return bind(traced, to: args)
    }

    /// The traced function's outputs for the actual `args`: inlined into the innermost open trace
    /// among the arguments, the captures and the current trace, or evaluated when there is none.
    package static func bind(_ traced: Traced, to args: [Tensor]) -> [Tensor] {
        let needsTrace = Trace.current != nil || Trace.innermost(args + traced.captures) != nil
        guard needsTrace else {
            let values = Interpreter.run(traced.graph, outputs: traced.outputs, inputs: args.map(\.value),
                                         captures: traced.captures.map(\.value))
            return values.map(Tensor.init)
        }
        return inline(traced, args: args)
    }

    /// Replays the graph with tensor operations, so each node lands in the enclosing trace (with its
    /// example value) and the guards of this level become guards of the enclosing one.
    private static func inline(_ traced: Traced, args: [Tensor]) -> [Tensor] {
        let graph = traced.graph
        let live = graph.reachable(from: traced.outputs + traced.guards.map(\.condition))
        var mapped = [Tensor?](repeating: nil, count: graph.count)
        for (index, node) in graph.nodes.enumerated() where live[index] {
            switch node.op {
            case .input(let i): mapped[index] = args[i]
            case .capture(let i): mapped[index] = traced.captures[i]
            case .constant(let bits): mapped[index] = Tensor(repeating: Double(bitPattern: bits), shape: node.shape)
            case .data(let d): mapped[index] = Tensor(shape: node.shape, scalars: graph.data[d])
            default: mapped[index] = Tensor.apply(node.op, node.operands.map { mapped[$0.int]! }, target: node.shape)
            }
        }
        for g in traced.guards {
            if let symbol = mapped[g.condition.int]?.symbol { symbol.trace.recordGuard(symbol.node, taken: g.expected) }
        }
        return traced.outputs.map { mapped[$0.int]! }
    }
}
