/// A graph's hash-consing table: open addressing over node ids, with each node placed near its
/// newest operand.
///
/// A slot holds a node's id + 1 in its low 32 bits and the low 32 bits of its hash in the high
/// ones (0 is empty), so a probe reads one word and growing the table never hashes a node again.
/// A node is placed in a window of slots starting near twice its newest operand's id: the nodes
/// being made read the nodes just made, so the probes of a trace walk the table from start to end
/// instead of missing the cache at random (a graph of 100k nodes has a table of megabytes, and
/// that miss was most of the cost of making a node). A leaf, or a node whose window is full (the
/// users of a node of many users), is placed by its hash alone; its operand is marked so that
/// lookups of its users search there too.
struct NodeTable: Sendable {
    private var slots = [UInt64](repeating: 0, count: 64)
    /// Per node id: some user of it was placed by its hash because its window was full.
    private var spilled: [Bool] = []

    /// How many slots a node's window has.
    private static let window = 32
    private static let tagBits: UInt64 = 0xFFFF_FFFF_0000_0000

    /// True when dropped (the graph's nodes were appended without hashing).
    var isEmpty: Bool { slots.isEmpty }

    mutating func drop() { (slots, spilled) = ([], []) }

    /// The newest operand of `node`, or -1 for a leaf.
    @inline(__always)
    private static func anchor(_ node: Node) -> Int {
        var m = -1
        for operand in node.operands where operand.int > m { m = operand.int }
        return m
    }

    /// Where `node` (of hash `hash`) is, if an equal node is in `nodes`; else where it goes
    /// (`free`), and whether that is by its hash because its window is full.
    @inline(__always)
    func lookup(_ node: Node, hash: UInt64, in nodes: [Node]) -> (found: Int?, free: Int, spills: Bool) {
        let tag = hash << 32
        let mask = slots.count - 1
        let anchor = NodeTable.anchor(node)
        if anchor >= 0 {
            var i = (2 * anchor + Int(hash & 7)) & mask
            for _ in 0..<NodeTable.window {
                let slot = slots[i]
                if slot == 0 { return (nil, i, false) }
                if slot & NodeTable.tagBits == tag {
                    let candidate = Int(truncatingIfNeeded: slot & ~NodeTable.tagBits) - 1
                    if nodes[candidate] == node { return (candidate, i, false) }
                }
                i = (i + 1) & mask
            }
            // The window is full: the node is by its hash, if anywhere.
            if anchor >= spilled.count || !spilled[anchor] { return (nil, hashed(tag, nodes, node).free, true) }
        }
        return hashed(tag, nodes, node)
    }

    /// The probe sequence by hash alone.
    @inline(__always)
    private func hashed(_ tag: UInt64, _ nodes: [Node], _ node: Node) -> (found: Int?, free: Int, spills: Bool) {
        let mask = slots.count - 1
        var i = Int(tag >> 32) & mask
        while slots[i] != 0 {
            let slot = slots[i]
            if slot & NodeTable.tagBits == tag {
                let candidate = Int(truncatingIfNeeded: slot & ~NodeTable.tagBits) - 1
                if nodes[candidate] == node { return (candidate, i, true) }
            }
            i = (i + 1) & mask
        }
        return (nil, i, true)
    }

    /// Puts node `id` (of hash `hash`) at `free`, which `lookup` gave; grows the table when it
    /// is half full.
    mutating func insert(_ id: Int, hash: UInt64, at free: Int, spills: Bool, in nodes: [Node]) {
        slots[free] = hash << 32 | UInt64(id + 1)
        if spills { markSpilled(nodes[id]) }
        if (id + 1) * 2 > slots.count { fit(to: slots.count, nodes: nodes) }
    }

    private mutating func markSpilled(_ node: Node) {
        let anchor = NodeTable.anchor(node)
        guard anchor >= 0 else { return }
        if anchor >= spilled.count { spilled += [Bool](repeating: false, count: Swift.max(anchor + 1 - spilled.count, spilled.count)) }
        spilled[anchor] = true
    }

    /// Grows the table (if needed) to hold `count` nodes at most half full.
    mutating func fit(to count: Int, nodes: [Node]) {
        guard count * 2 > slots.count else { return }
        var size = slots.count
        while count * 2 > size { size *= 2 }
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        spilled = []
        for slot in old where slot != 0 {
            let id = Int(truncatingIfNeeded: slot & ~NodeTable.tagBits) - 1
            place(id, hash: slot >> 32, nodes: nodes)
        }
    }

    /// Fills the table with every node of `nodes` (after it was dropped).
    mutating func rebuild(_ nodes: [Node]) {
        var size = 64
        while size < nodes.count * 2 + 2 { size *= 2 }
        slots = [UInt64](repeating: 0, count: size)
        spilled = []
        for (id, node) in nodes.enumerated() { place(id, hash: node.fastHash, nodes: nodes) }
    }

    /// Puts node `id`, known to be absent, where `lookup` would find it.
    private mutating func place(_ id: Int, hash: UInt64, nodes: [Node]) {
        let mask = slots.count - 1
        let anchor = NodeTable.anchor(nodes[id])
        if anchor >= 0 {
            var i = (2 * anchor + Int(hash & 7)) & mask
            for _ in 0..<NodeTable.window {
                if slots[i] == 0 { slots[i] = hash << 32 | UInt64(id + 1); return }
                i = (i + 1) & mask
            }
            markSpilled(nodes[id])
        }
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = hash << 32 | UInt64(id + 1)
    }
}
