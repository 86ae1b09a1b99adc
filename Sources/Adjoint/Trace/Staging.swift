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
    /// among the arguments and the captures, or evaluated when there is none (all concrete).
    package static func bind(_ traced: Traced, to args: [Tensor]) -> [Tensor] {
        guard let target = Trace.innermost(args + traced.captures) else {
            let values = Interpreter.run(traced.graph, outputs: traced.outputs, inputs: args.map(\.value),
                                         captures: traced.captures.map(\.value))
            return values.map(Tensor.init)
        }
        return inline(traced, args: args, into: target)
    }

    /// Copies the graph into the innermost open trace (hash-consing and simplifying as it goes),
    /// binding placeholders to the arguments and captures to the captured tensors; the results'
    /// example values come from the interpreter, and this level's guards become guards there.
    private static func inline(_ traced: Traced, args: [Tensor], into target: Trace) -> [Tensor] {
        let graph = traced.graph
        let roots = traced.outputs + traced.guards.map(\.condition)
        let captures = traced.captures
        let values = DeferredValues { Interpreter.run(graph, outputs: traced.outputs, inputs: args.map(\.value),
                                                      captures: captures.map(\.value)) }
        func result(_ k: Int, _ node: NodeID) -> Tensor {
            Tensor(storage: .deferred(graph.shape(traced.outputs[k]), DeferredResult(values, k)), symbol: Symbol(trace: target, node: node))
        }
        if target.adopt(graph, placeholders: args) {
            // `compile(grad(f))` and friends: the enclosing trace holds nothing but the placeholders
            // these arguments are, so this graph can become its graph as it is.
            for g in traced.guards { target.recordGuard(g.condition, taken: g.expected) }
            return traced.outputs.enumerated().map { k, output in result(k, output) }
        }
        let live = graph.reachable(from: roots)
        var mapped = [NodeID](repeating: NodeID(-1), count: graph.count)
        for (index, node) in graph.nodes.enumerated() where live[index] {
            switch node.op.leaf {
            case .input(let i): mapped[index] = target.node(for: args[i])
            case .capture(let i): mapped[index] = target.node(for: traced.captures[i])
            case .constant(let value): mapped[index] = target.graph.constant(value, shape: node.shape)
            case .data(let d): mapped[index] = target.graph.constant(graph.data[d], shape: node.shape)
            case nil:
                var operands = node.operands
                for k in 0..<operands.count { operands[k] = mapped[operands[k].int] }
                // A tuple node's projections are found again (not copied twice) by hash-consing.
                mapped[index] = target.graph.make(node.op, operands, shape: node.shape)
            }
        }
        if let from = graph.provenance, let to = target.graph.provenance {
            for index in 0..<graph.count where live[index] { to.copy(index, of: from, to: mapped[index].int) { mapped[$0].int } }
        }
        for g in traced.guards { target.recordGuard(mapped[g.condition.int], taken: g.expected) }
        return traced.outputs.enumerated().map { k, output in result(k, mapped[output.int]) }
    }
}
