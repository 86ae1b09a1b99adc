/// Dead-node pruning: keep only what the requested outputs need.
extension Graph {
    /// Which nodes the `roots` depend on (themselves included).
    package func reachable(from roots: [NodeID]) -> [Bool] {
        var live = [Bool](repeating: false, count: nodes.count)
        for root in roots { live[root.int] = true }
        for index in stride(from: nodes.count - 1, through: 0, by: -1) where live[index] {
            for operand in nodes[index].operands { live[operand.int] = true }
        }
        return live
    }

    /// A new graph holding only the nodes that `roots` depend on, in the same order, and the
    /// roots' ids in it. Unused tensor constants are dropped too. (Lowering does not copy: it
    /// gives the nodes that `reachable` leaves out the role `.dead`. This is for looking at what
    /// the outputs need.)
    package func pruned(roots: [NodeID]) -> (graph: Graph, roots: [NodeID]) {
        let live = reachable(from: roots)
        var result = Graph()
        result.reserveCapacity(live.lazy.filter { $0 }.count, hashConsing: false)
        var map = [NodeID](repeating: NodeID(-1), count: nodes.count)
        for (index, node) in nodes.enumerated() where live[index] {
            var copy = node
            if case .data(let d) = node.op {
                result.data.append(data[d])
                copy.op = .data(result.data.count - 1)
            }
            for k in 0..<copy.operands.count { copy.operands[k] = map[copy.operands[k].int] }
            map[index] = result.appendDistinct(copy)
        }
        return (result, roots.map { map[$0.int] })
    }
}
