/// Forward mode: the tangent graph, appended to the same graph as ordinary nodes.
extension Graph {
    /// Appends the tangent sweep that pushes `tangents[i]` (a node of `wrt[i]`'s shape) forward from
    /// `wrt[i]`, and returns the tangent of each of `outputs` (zeros where they do not depend on `wrt`).
    ///
    /// Batched: tangents of shape `batch + shape(wrt[i])` (one `batch` for all) push that many
    /// directions at once, and the results have shape `batch + shape(output)`.
    package mutating func forward(wrt: [NodeID], tangents: [NodeID], outputs: [NodeID]) -> [NodeID] {
        let start = count
        defer { derivativeRanges.append(start..<count) }
        let batch = wrt.isEmpty || tangents.isEmpty ? [] : self.batch(of: tangents[0], rank: shape(wrt[0]).count)
        guard let last = outputs.map(\.int).max() else { return [] }
        let end = last + 1
        let active = activity(from: wrt, upTo: end)
        var tangent = [NodeID?](repeating: nil, count: end)
        for (w, t) in zip(wrt, tangents) where w.int < end {
            tangent[w.int] = tangent[w.int].map { add($0, t) } ?? t
        }
        let seeded = Set(wrt.map(\.int))
        // The tangents of a tuple node's results, read by its projections.
        var resultTangents: [Int: [NodeID?]] = [:]
        for index in 0..<end where active[index] && !seeded.contains(index) {
            let id = NodeID(index)
            let operands = self[id].operands
            if case .result(let k) = self[id].op {
                tangent[index] = resultTangents[operands[0].int]?[k]
                continue
            }
            let tangents = operands.map { tangent[$0.int] }
            if self[id].rule.results > 1 {
                resultTangents[index] = provenance == nil
                    ? pushforward(tuple: id, tangents: tangents)
                    : provenance!.deriving(index, mode: "forward mode") { pushforward(tuple: id, tangents: tangents) }
                continue
            }
            tangent[index] = provenance == nil
                ? pushforward(id, tangents: tangents)
                : provenance!.deriving(index, mode: "forward mode") { pushforward(id, tangents: tangents) }
        }
        return outputs.map { tangent[$0.int] ?? constant(0, shape: batch + shape($0)) }
    }
}
