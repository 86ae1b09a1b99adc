/// A traced graph as Graphviz `dot` text: the picture every AD tutorial starts with. Each node the
/// results need appears once, labelled with its op and shape; the nodes that the derivative
/// sweeps appended (`Graph.derivativeRanges`) are drawn apart, in a shaded cluster; inputs are
/// ellipses with their names, results are named after what they are, and a guard (a branch the
/// trace took) is a diamond on its condition. `dot -Tsvg` renders it.
package enum GraphPicture {
    /// The picture of `traced`, whose inputs and outputs are called `inputNames` and `outputNames`.
    package static func dot(_ traced: Staging.Traced, inputNames: [String], outputNames: [String]) -> String {
        let graph = traced.graph
        let live = graph.reachable(from: traced.outputs + traced.guards.map(\.condition))
        var derivative = [Bool](repeating: false, count: graph.count)
        for range in graph.derivativeRanges { for i in range where i < graph.count { derivative[i] = true } }
        let names = Dictionary(zip(traced.inputs.map(\.int), inputNames)) { first, _ in first }
        var function: [String] = [], adjoint: [String] = [], edges: [String] = []
        for index in 0..<graph.count where live[index] {
            let statement = "n\(index) " + attributes(label(graph, index, names), input: names[index] != nil,
                                                       derivative: derivative[index])
            if derivative[index] { adjoint.append(statement) } else { function.append(statement) }
            for operand in graph[NodeID(index)].operands { edges.append("n\(operand.int) -> n\(index);") }
        }
        var lines = ["digraph adjoint {", "  rankdir=TB;",
                     "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\", fontsize=10];",
                     "  edge [color=\"#555555\", arrowsize=0.6];"]
        lines += cluster("function", title: "the function", function, fill: "#ffffff")
        if !adjoint.isEmpty { lines += cluster("derivative", title: "its derivative (the sweeps' nodes)", adjoint, fill: "#eaf2fb") }
        lines += edges.map { "  " + $0 }
        for (k, output) in traced.outputs.enumerated() {
            let name = k < outputNames.count ? outputNames[k] : "output \(k)"
            lines.append("  out\(k) [shape=plaintext, label=\"\(escaped(name))\"];")
            lines.append("  n\(output.int) -> out\(k) [style=dashed];")
        }
        for (k, g) in traced.guards.enumerated() {
            lines.append("  guard\(k) [shape=diamond, label=\"guard: \(g.expected ? "true" : "false")\", fontsize=9];")
            lines.append("  n\(g.condition.int) -> guard\(k) [style=dotted];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A node's label: its op (an input's name, a constant's value) and its shape.
    private static func label(_ graph: Graph, _ index: Int, _ names: [Int: String]) -> String {
        let node = graph[NodeID(index)]
        let shape = Shape.describe(node.shape)
        if let name = names[index] { return "\(name)\n\(shape)" }
        switch node.op.leaf {
        case .constant(let value): return node.shape.isEmpty ? CLiteral.double(value) : "\(CLiteral.double(value))\n\(shape)"
        case .data: return "constant\n\(shape)"
        default: break
        }
        if node.rule.results > 1 { return "\(node.op.name)\n\(node.rule.results) results" }
        return "\(node.op.name)\n\(shape)"
    }

    private static func attributes(_ label: String, input: Bool, derivative: Bool) -> String {
        var parts = ["label=\"\(escaped(label))\""]
        if input { parts.append("shape=ellipse") }
        if derivative { parts.append("color=\"#2f6db5\"") }
        return "[" + parts.joined(separator: ", ") + "];"
    }

    private static func cluster(_ name: String, title: String, _ statements: [String], fill: String) -> [String] {
        ["  subgraph cluster_\(name) {", "    label=\"\(title)\"; fontname=\"Helvetica\"; fontsize=11;",
         "    style=\"filled,rounded\"; fillcolor=\"\(fill)\"; color=\"#bbbbbb\";"]
            + statements.map { "    " + $0 } + ["  }"]
    }

    /// `text` inside a dot string: quotes and backslashes escaped, line breaks as `\n`.
    static func escaped(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
