/// Reverse mode: the adjoint graph, appended to the same graph as ordinary nodes.
extension Graph {
    /// Appends the adjoint sweep of `output`, seeded with cotangent `seed` (a node of `output`'s
    /// shape), and returns the cotangent of each node in `wrt` (zeros where `output` does not depend on it).
    ///
    /// Batched: a seed of shape `batch + shape(output)` pulls back that many cotangents at once,
    /// and the results have shape `batch + shape(wrt[i])`.
    package mutating func reverse(output: NodeID, seed: NodeID, wrt: [NodeID]) -> [NodeID] {
        let start = count
        defer { derivativeRanges.append(start..<count) }
        let batch = self.batch(of: seed, rank: shape(output).count)
        let end = output.int + 1
        let active = activity(from: wrt, upTo: end)
        // About two new nodes per active one: grow the arena once, not by doublings that copy it.
        reserveCapacity(count + 2 * active.lazy.filter { $0 }.count)
        var cotangents = Cotangents(self, active: active, end: end, batched: !batch.isEmpty)
        // The cotangents of a tuple node's results, gathered from its projections (which come
        // after it) until the sweep reaches the tuple itself.
        var resultAdjoints: [Int: [NodeID?]] = [:]
        if active[output.int] { cotangents.set(output.int, root: seed, factor: nil) }
        for index in stride(from: output.int, through: 0, by: -1) {
            guard active[index] else { continue }
            let id = NodeID(index)
            let operands = nodes[index].operands
            if case .result(let k) = nodes[index].op {
                guard let g = cotangents.built(index, &self) else { continue }
                let tuple = operands[0]
                var gathered = resultAdjoints[tuple.int] ?? Array(repeating: nil, count: self[tuple].rule.results)
                gathered[k] = gathered[k].map { add($0, g) } ?? g
                resultAdjoints[tuple.int] = gathered
                continue
            }
            let tuple = resultAdjoints.removeValue(forKey: index)
            guard tuple != nil || cotangents.has(index) else { continue }
            // Through a scalar op the contributions are its local partials (its pullback of 1),
            // which `accumulate` multiplies into the factor; elsewhere they are pulled back from
            // the cotangent itself.
            let local = tuple == nil && cotangents.preaccumulates(id, in: self)
            // Every node this builds (the cotangent, the rule's terms, preaccumulation's products)
            // is the derivative of node `index`, for NaN debugging's provenance.
            func step(_ graph: inout Graph) {
                let g = cotangents.prepare(index, local: local, &graph)
                let pulled = tuple.map { graph.pullback(tuple: id, cotangents: $0) { active[operands[$0].int] } }
                    ?? graph.pullback(id, cotangent: g!) { active[operands[$0].int] }
                for (i, contribution) in pulled.enumerated() {
                    guard let contribution, active[operands[i].int] else { continue }
                    cotangents.accumulate(operands[i].int, contribution, from: local ? index : nil, &graph)
                }
            }
            if let provenance { provenance.deriving(index, mode: "reverse mode") { step(&self) } } else { step(&self) }
        }
        return wrt.map { w in
            (w.int < end ? cotangents.built(w.int, &self) : nil) ?? constant(0, shape: batch + shape(w))
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
