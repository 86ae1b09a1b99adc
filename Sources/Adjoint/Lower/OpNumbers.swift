/// Numbers for the distinct ops of a program's statements (equal numbers, equal ops). An op
/// without payload is its row, found among the few rows seen; the rest by the hash the graph's
/// table uses (a dictionary keyed by `Op` would SipHash every statement's op).
struct OpNumbers {
    private var count: Int32 = 0
    private var rows: [(rule: ObjectIdentifier, number: Int32)] = []
    private var slots = [Int32](repeating: -1, count: 64)
    private var ops: [(hash: UInt64, op: Op, number: Int32)] = []

    mutating func number(of id: NodeID, in program: LoopProgram) -> Int32 {
        let key = program.rows[id.int]
        if let found = rows.first(where: { $0.rule == key }) { return found.number }
        let (payloadHash, code) = program.graph.nodes[id.int].withRule { ($0.payloadHash, $0.code) }
        guard let payloadHash else {
            rows.append((key, count))
            count += 1
            return count - 1
        }
        let op = program.graph.nodes[id.int].op
        let hash = Node.finalize(payloadHash(op, code))
        var i = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[i] >= 0 {
            let entry = ops[Int(slots[i])]
            if entry.hash == hash && entry.op == op { return entry.number }
            i = (i + 1) & (slots.count - 1)
        }
        ops.append((hash, op, count))
        count += 1
        if ops.count * 2 > slots.count { grow() } else { slots[i] = Int32(ops.count - 1) }
        return count - 1
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for (k, entry) in ops.enumerated() {
            var i = Int(truncatingIfNeeded: entry.hash) & (slots.count - 1)
            while slots[i] >= 0 { i = (i + 1) & (slots.count - 1) }
            slots[i] = Int32(k)
        }
    }
}
