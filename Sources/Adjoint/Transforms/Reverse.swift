/// Reverse mode: the adjoint graph, appended to the same graph as ordinary nodes.
extension Graph {
    /// Appends the adjoint sweep of `output`, seeded with cotangent `seed` (a node of `output`'s
    /// shape), and returns the cotangent of each node in `wrt` (zeros where `output` does not depend on it).
    ///
    /// Batched: a seed of shape `batch + shape(output)` pulls back that many cotangents at once,
    /// and the results have shape `batch + shape(wrt[i])`.
    package mutating func reverse(output: NodeID, seed: NodeID, wrt: [NodeID]) -> [NodeID] {
        let batch = self.batch(of: seed, rank: shape(output).count)
        let end = output.int + 1
        let active = activity(from: wrt, upTo: end)
        // About two new nodes per active one: grow the arena once, not by doublings that copy it.
        reserveCapacity(count + 2 * active.lazy.filter { $0 }.count)
        var adjoint = [NodeID?](repeating: nil, count: end)
        if active[output.int] { adjoint[output.int] = seed }
        for index in stride(from: output.int, through: 0, by: -1) {
            guard active[index], let g = adjoint[index] else { continue }
            let id = NodeID(index)
            let operands = self[id].operands
            let contributions = provenance == nil
                ? pullback(id, cotangent: g) { active[operands[$0].int] }
                : provenance!.deriving(index, mode: "reverse mode") { pullback(id, cotangent: g) { active[operands[$0].int] } }
            for (i, contribution) in contributions.enumerated() {
                guard let contribution else { continue }
                let operand = operands[i].int
                guard active[operand] else { continue }
                adjoint[operand] = adjoint[operand].map { add($0, contribution) } ?? contribution
            }
        }
        return wrt.map { w in
            (w.int < end ? adjoint[w.int] : nil) ?? constant(0, shape: batch + shape(w))
        }
    }

    /// For each node below `end`: does it depend on any of `sources`?
    package func activity(from sources: [NodeID], upTo end: Int) -> [Bool] {
        var active = [Bool](repeating: false, count: end)
        for s in sources where s.int < end { active[s.int] = true }
        guard let first = sources.map(\.int).min(), first < end else { return active }
        for index in first..<end where !active[index] {
            active[index] = nodes[index].operands.contains { active[$0.int] }
        }
        return active
    }
}
