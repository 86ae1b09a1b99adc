/// The reference evaluator: walks a graph in order and evaluates each node with the primitives'
/// evaluation rules. Every other path (compiled kernels above all) is tested against it.
package enum Interpreter {
    /// Values of `outputs`, given values for the graph's `.input(i)` and `.capture(i)` leaves.
    /// Only the nodes the outputs need are evaluated, and each array is dropped after its last use.
    package static func run(_ graph: Graph, outputs: [NodeID], inputs: [Value], captures: [Value] = []) -> [Value] {
        guard let last = outputs.map(\.int).max() else { return [] }
        var state = State(graph: graph, count: last + 1, outputs: outputs)
        if let sink = NaNDebug.current {
            var watch = NaNDebug.Watch(graph: graph, sink: sink)
            for index in 0...last where state.live[index] {
                state.evaluate(NodeID(index), inputs: inputs, captures: captures)
                watch.evaluated(NodeID(index), state.value(NodeID(index)).scalars)
            }
        } else {
            for index in 0...last where state.live[index] {
                state.evaluate(NodeID(index), inputs: inputs, captures: captures)
            }
        }
        return outputs.map { state.value($0) }
    }

    /// Values so far: one-element results of elementwise ops are kept as plain doubles (long
    /// scalar graphs would otherwise allocate an array per node), the rest as arrays.
    private struct State {
        let graph: Graph
        let live: [Bool]
        var remaining: [Int]
        var arrays: [Value?]
        var scalars: [Double]
        var isScalar: [Bool]
        /// The results of tuple nodes, read by their projections.
        var results: [Int: [Value]] = [:]

        init(graph: Graph, count: Int, outputs: [NodeID]) {
            self.graph = graph
            live = graph.reachable(from: outputs)
            remaining = [Int](repeating: 0, count: count)
            for index in 0..<count where live[index] {
                for operand in graph.nodes[index].operands { remaining[operand.int] += 1 }
            }
            for output in outputs { remaining[output.int] += 1 }
            arrays = [Value?](repeating: nil, count: count)
            scalars = [Double](repeating: 0, count: count)
            isScalar = [Bool](repeating: false, count: count)
        }

        func value(_ id: NodeID) -> Value {
            isScalar[id.int] ? Value(shape: graph.shape(id), scalars: [scalars[id.int]]) : arrays[id.int]!
        }

        private func element(_ id: NodeID) -> Double {
            isScalar[id.int] ? scalars[id.int] : arrays[id.int]!.scalars[0]
        }

        mutating func evaluate(_ id: NodeID, inputs: [Value], captures: [Value]) {
            let node = graph.nodes[id.int]
            let rule = node.rule
            if let leaf = node.op.leaf {
                switch leaf {
                case .input(let i): arrays[id.int] = inputs[i]
                case .capture(let i): arrays[id.int] = captures[i]
                case .constant(let value): arrays[id.int] = Value.splat(value, shape: node.shape)
                case .data(let d): arrays[id.int] = Value(shape: node.shape, scalars: graph.data[d])
                }
            } else if let elementwise = rule.elementwise, node.count == 1 {
                let xs = node.operands
                let a = element(xs[0]), b = xs.count > 1 ? element(xs[1]) : 0, c = xs.count > 2 ? element(xs[2]) : 0
                scalars[id.int] = elementwise.scalar(a, b, c)
                isScalar[id.int] = true
            } else if case .result(let k) = node.op {
                arrays[id.int] = results[node.operands[0].int]![k]
            } else if let evaluateResults = rule.evaluateResults {
                results[id.int] = evaluateResults(node.op, node.operands.map { value($0) })
                arrays[id.int] = Value(shape: node.shape, scalars: [])
            } else {
                let operands = node.operands.map { value($0) }
                arrays[id.int] = Value(shape: node.shape, scalars: rule.evaluate(node.op, operands, node.shape))
            }
            for operand in node.operands {
                remaining[operand.int] -= 1
                if remaining[operand.int] == 0 {
                    arrays[operand.int] = nil
                    if !results.isEmpty { results[operand.int] = nil }
                }
            }
        }
    }
}
