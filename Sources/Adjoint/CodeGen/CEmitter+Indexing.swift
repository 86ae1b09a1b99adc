/// The index reads of strided padding and gathers (`take`), beside the plain ones in
/// CEmitter+Loops.swift.
extension CEmitter {
    /// Operand `x` of extent n along `axis` placed `|step|` apart from `before` on (reversed for
    /// a negative step), zeros elsewhere: the adjoint of a strided slice.
    func stridedPad(_ x: NodeID, _ node: Node, axis: Int, before: Int, step: Int, at ctx: IndexContext) -> String {
        let s = Shape.strides(program.graph.shape(x))
        let n = program.graph.shape(x)[axis], a = Swift.abs(step)
        guard n > 0 else { return "0.0" }
        let others = node.shape.indices.map { ($0 == axis ? nil : ctx.axis($0), s[$0]) }
        guard let i = ctx.axis(axis) else {
            // The one position 0: an element only when `before` is 0.
            return before == 0 ? memory(x, linear(others, plus: (step > 0 ? 0 : n - 1) * s[axis])) : "0.0"
        }
        let offset = before == 0 ? i : "(\(i) - \(before))"
        let position = a == 1 ? offset : "\(offset) / \(a)"
        let element = step > 0 ? position : "(\(n - 1) - \(position))"
        let read = memory(x, linear(others + [(element, s[axis])]))
        // Only the conditions that can fail.
        var conditions: [String] = []
        if before > 0 { conditions.append("\(i) >= \(before)") }
        if before + (n - 1) * a < node.shape[axis] - 1 { conditions.append("\(i) <= \(before + (n - 1) * a)") }
        if a > 1 { conditions.append("\(offset) % \(a) == 0") }
        return conditions.isEmpty ? read : "(\(conditions.joined(separator: " && ")) ? \(read) : 0.0)"
    }

    /// Operand `x` along `axis` at the index that `indices` holds at the current element
    /// (broadcast to the result): negative indices count from the end, and an index outside
    /// the axis is clamped to it, so a kernel never reads outside its operand (`take` reports
    /// such indices before they get here).
    func gather(_ x: NodeID, _ indices: NodeID, _ node: Node, axis: Int, at ctx: IndexContext) -> String {
        let s = Shape.strides(program.graph.shape(x))
        let n = program.graph.shape(x)[axis]
        let others = node.shape.indices.map { ($0 == axis ? nil : ctx.axis($0), s[$0]) }
        let v = read(indices, at: ctx)
        let index = "(\(v) < 0.0 ? (\(v) < -\(n).0 ? 0 : (long)(\(v) + \(n).0)) : (\(v) < \(n).0 ? (long)(\(v)) : \(n - 1)))"
        return memory(x, linear(others + [(index, s[axis])]))
    }
}
