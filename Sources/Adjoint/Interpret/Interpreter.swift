/// The reference evaluator: walks a graph in order and evaluates each node with the primitives'
/// evaluation rules. Every other path (compiled kernels above all) is tested against it.
package enum Interpreter {
    /// Values of `outputs`, given values for the graph's `.input(i)` and `.capture(i)` leaves.
    /// Only the nodes the outputs need are evaluated, and each value is dropped after its last use.
    package static func run(_ graph: Graph, outputs: [NodeID], inputs: [Value], captures: [Value] = []) -> [Value] {
        guard let last = outputs.map(\.int).max() else { return [] }
        let live = graph.reachable(from: outputs)
        var remaining = [Int](repeating: 0, count: last + 1)
        for index in 0...last where live[index] {
            for operand in graph.nodes[index].operands { remaining[operand.int] += 1 }
        }
        for output in outputs { remaining[output.int] += 1 }
        var values = [Value?](repeating: nil, count: last + 1)
        for index in 0...last where live[index] {
            let node = graph.nodes[index]
            values[index] = evaluate(node, graph: graph, inputs: inputs, captures: captures) { values[$0.int]! }
            for operand in node.operands {
                remaining[operand.int] -= 1
                if remaining[operand.int] == 0 { values[operand.int] = nil }
            }
        }
        return outputs.map { values[$0.int]! }
    }

    /// The value of one node whose operands' values `operand` gives.
    private static func evaluate(_ node: Node, graph: Graph, inputs: [Value], captures: [Value],
                                 operand: (NodeID) -> Value) -> Value {
        switch node.op {
        case .input(let i): return inputs[i]
        case .capture(let i): return captures[i]
        case .constant(let bits): return Value.splat(Double(bitPattern: bits), shape: node.shape)
        case .data(let d): return Value(shape: node.shape, scalars: graph.data[d])
        case let op where op.isElementwise && node.count == 1:
            // Scalar code: no intermediate arrays (operands of one element broadcast trivially).
            let a = operand(node.operands[0]).scalars[0]
            let b = node.operands.count > 1 ? operand(node.operands[1]).scalars[0] : 0
            let c = node.operands.count > 2 ? operand(node.operands[2]).scalars[0] : 0
            return Value(shape: node.shape, scalars: [op.scalar(a, b, c)])
        default:
            let operands = node.operands.map(operand)
            return Value(shape: node.shape, scalars: node.op.evaluate(operands, shape: node.shape))
        }
    }
}
