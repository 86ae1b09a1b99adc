/// An SSA arena of nodes with static shapes. Nodes are hash-consed on construction: asking for a
/// node equal to an existing one returns the existing id, so common subexpressions share one node.
/// Construction also folds constants and applies algebraic identities (`Graph+Simplify.swift`).
package struct Graph: Sendable {
    /// The nodes in topological order (operands before users).
    package private(set) var nodes: [Node] = []
    /// Tensor constants referenced by `.data(i)` nodes.
    package internal(set) var data: [[Double]] = []
    /// The hash-consing table, open addressing over node ids. A slot holds a node's id + 1 in its
    /// low 32 bits and the low 32 bits of its hash in the high ones (0 is empty), so a probe reads
    /// one word (a graph of 100k nodes misses the cache on every probe) and growing the table
    /// never hashes a node again.
    private var slots = [UInt64](repeating: 0, count: 64)
    /// Where each node came from, while `Tensor.debuggingNaNs` watches (nil otherwise).
    package var provenance: Provenance?
    /// The node ranges that the derivative sweeps appended (reverse and forward mode), so that a
    /// picture of the graph (`GraphPicture`) can set the derivative apart from the function.
    package var derivativeRanges: [Range<Int>] = []

    package init() {}

    package subscript(id: NodeID) -> Node { nodes[id.int] }

    package var count: Int { nodes.count }

    /// Makes room for `count` nodes in all, in the arena and (unless the nodes will come from
    /// `appendDistinct`, which drops the table) in the hash-consing table, so that neither is
    /// copied while growing to that size.
    package mutating func reserveCapacity(_ count: Int, hashConsing: Bool = true) {
        nodes.reserveCapacity(count)
        if hashConsing && !slots.isEmpty { fitTable(to: count) }
    }

    /// Grows the table (if needed) to hold `count` nodes at most half full.
    private mutating func fitTable(to count: Int) {
        guard count * 2 > slots.count else { return }
        var size = slots.count
        while count * 2 > size { size *= 2 }
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        for slot in old where slot != 0 { place(slot) }
    }

    /// The shape of a node.
    @inlinable package func shape(_ id: NodeID) -> [Int] { nodes[id.int].shape }

    /// The splat value of a node, if it is a constant.
    package func constantValue(_ id: NodeID) -> Double? { nodes[id.int].op.constantValue }

    /// Adds `node` unless an equal node exists; no simplification (see `make`).
    package mutating func intern(_ node: Node) -> NodeID { intern(node, rule: node.rule) }

    /// ``intern(_:)`` with the node's row already at hand.
    package mutating func intern(_ node: Node, rule: Rule) -> NodeID {
        if slots.isEmpty { rebuildTable() }
        let tag = Graph.tag(node.fastHash(rule: rule))
        let mask = slots.count - 1
        var i = Int(tag >> 32) & mask
        while slots[i] != 0 {
            let slot = slots[i]
            if slot & Graph.tagBits == tag {
                let candidate = Int(truncatingIfNeeded: slot & ~Graph.tagBits) - 1
                if nodes[candidate] == node { return NodeID(candidate) }
            }
            i = (i + 1) & mask
        }
        let id = NodeID(nodes.count)
        nodes.append(node)
        slots[i] = tag | UInt64(nodes.count)
        if let provenance { provenance.made(id.int) }
        if nodes.count * 2 > slots.count { fitTable(to: slots.count) }
        return id
    }

    /// Appends a node known to be new (copying nodes of a hash-consed graph): no hashing now;
    /// the table is rebuilt if nodes are interned later.
    package mutating func appendDistinct(_ node: Node) -> NodeID {
        nodes.append(node)
        if !slots.isEmpty { slots = [] }
        return NodeID(nodes.count - 1)
    }

    private static let tagBits: UInt64 = 0xFFFF_FFFF_0000_0000

    private static func tag(_ hash: UInt64) -> UInt64 { hash << 32 }

    private mutating func rebuildTable() {
        var size = 64
        while size < nodes.count * 2 + 2 { size *= 2 }
        slots = [UInt64](repeating: 0, count: size)
        for (index, node) in nodes.enumerated() { place(Graph.tag(node.fastHash) | UInt64(index + 1)) }
    }


    /// Puts a filled slot in the first free place of its probe sequence.
    private mutating func place(_ slot: UInt64) {
        let mask = slots.count - 1
        var i = Int(slot >> 32) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    /// A leaf: the i-th argument of the traced function.
    package mutating func input(_ index: Int, shape: [Int]) -> NodeID {
        intern(Node(op: .input(index), shape: shape))
    }

    /// A leaf standing for a tensor of an enclosing trace.
    package mutating func capture(_ index: Int, shape: [Int]) -> NodeID {
        intern(Node(op: .capture(index), shape: shape))
    }

    /// A splat constant of the given shape.
    package mutating func constant(_ value: Double, shape: [Int] = []) -> NodeID {
        intern(Node(op: .constant(value), shape: shape))
    }

    /// A tensor constant; splats (all elements equal) become `.constant` nodes.
    package mutating func constant(_ scalars: [Double], shape: [Int]) -> NodeID {
        if let first = scalars.first, scalars.allSatisfy({ $0.bitPattern == first.bitPattern }) {
            return constant(first, shape: shape)
        }
        data.append(scalars)
        return intern(Node(op: .data(data.count - 1), shape: shape))
    }

    /// How many users each node has among the nodes (and the extra `roots`).
    package func useCounts(roots: [NodeID] = []) -> [Int] {
        var uses = [Int](repeating: 0, count: nodes.count)
        for node in nodes { for operand in node.operands { uses[operand.int] += 1 } }
        for root in roots { uses[root.int] += 1 }
        return uses
    }
}
