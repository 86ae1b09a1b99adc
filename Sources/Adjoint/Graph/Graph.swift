/// An SSA arena of nodes with static shapes. Nodes are hash-consed on construction: asking for a
/// node equal to an existing one returns the existing id, so common subexpressions share one node.
/// Construction also folds constants and applies algebraic identities (`Graph+Simplify.swift`).
package struct Graph: Sendable {
    /// The nodes in topological order (operands before users).
    package private(set) var nodes: [Node] = []
    /// Tensor constants referenced by `.data(i)` nodes.
    package internal(set) var data: [[Double]] = []
    /// The hash-consing table: open addressing over node ids, with each node's hash kept beside it
    /// so growing the table never hashes a node twice.
    private var slots = [Int32](repeating: -1, count: 64)
    private var hashes: [UInt64] = []

    package init() {}

    package subscript(id: NodeID) -> Node { nodes[id.int] }

    package var count: Int { nodes.count }

    /// The shape of a node.
    @inlinable package func shape(_ id: NodeID) -> [Int] { nodes[id.int].shape }

    /// The splat value of a node, if it is a constant.
    package func constantValue(_ id: NodeID) -> Double? { nodes[id.int].op.constantValue }

    /// Adds `node` unless an equal node exists; no simplification (see `make`).
    package mutating func intern(_ node: Node) -> NodeID {
        if slots.isEmpty { rebuildTable() }
        let hash = node.fastHash
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] >= 0 {
            let candidate = Int(slots[i])
            if hashes[candidate] == hash && nodes[candidate] == node { return NodeID(candidate) }
            i = (i + 1) & mask
        }
        let id = NodeID(nodes.count)
        nodes.append(node)
        hashes.append(hash)
        slots[i] = id.index
        if nodes.count * 2 > slots.count { grow() }
        return id
    }

    /// Appends a node known to be new (copying nodes of a hash-consed graph): no hashing now;
    /// the table is rebuilt if nodes are interned later.
    package mutating func appendDistinct(_ node: Node) -> NodeID {
        nodes.append(node)
        if !slots.isEmpty { slots = [] }
        return NodeID(nodes.count - 1)
    }

    private mutating func rebuildTable() {
        hashes = nodes.map(\.fastHash)
        var size = 64
        while size < nodes.count * 2 + 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size / 2)
        grow()
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
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
