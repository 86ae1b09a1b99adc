/// An SSA arena of nodes with static shapes. Nodes are hash-consed on construction: asking for a
/// node equal to an existing one returns the existing id, so common subexpressions share one node.
/// Construction also folds constants and applies algebraic identities (`Graph+Simplify.swift`).
package struct Graph: Sendable {
    /// The nodes in topological order (operands before users).
    package private(set) var nodes: [Node] = []
    /// Tensor constants referenced by `.data(i)` nodes.
    package internal(set) var data: [[Double]] = []
    /// The hash-consing table (NodeTable.swift).
    private var table = NodeTable()
    /// Where each node came from, while `Tensor.debuggingNaNs` watches (nil otherwise).
    package var provenance: Provenance?
    /// The node ranges that the derivative sweeps appended (reverse and forward mode), so that a
    /// picture of the graph (`GraphPicture`) can set the derivative apart from the function.
    package var derivativeRanges: [Range<Int>] = []

    package init() {}

    /// Node `id`, lent rather than copied: `graph[id].operands` reads one field of the arena's
    /// node (a copy would retain its shape and copy its op, in loops over every node).
    package subscript(id: NodeID) -> Node {
        _read { yield nodes[id.int] }
    }

    package var count: Int { nodes.count }

    /// Makes room for `count` nodes in all, in the arena and (unless the nodes will come from
    /// `appendDistinct`, which drops the table) in the hash-consing table, so that neither is
    /// copied while growing to that size.
    package mutating func reserveCapacity(_ count: Int, hashConsing: Bool = true) {
        nodes.reserveCapacity(count)
        if hashConsing && !table.isEmpty { table.fit(to: count, nodes: nodes) }
    }

    /// The shape of a node.
    @inlinable package func shape(_ id: NodeID) -> [Int] { nodes[id.int].shape }

    /// The splat value of a node, if it is a constant.
    package func constantValue(_ id: NodeID) -> Double? { nodes[id.int].op.constantValue }

    /// Adds `node` unless an equal node exists; no simplification (see `make`).
    package mutating func intern(_ node: Node) -> NodeID { intern(node, rule: node.rule) }

    /// ``intern(_:)`` with the node's row already at hand.
    package mutating func intern(_ node: Node, rule: Rule) -> NodeID {
        if table.isEmpty { table.rebuild(nodes) }
        let hash = node.fastHash(rule: rule)
        let (found, free, spills) = table.lookup(node, hash: hash, in: nodes)
        if let found { return NodeID(found) }
        let id = NodeID(nodes.count)
        nodes.append(node)
        table.insert(id.int, hash: hash, at: free, spills: spills, in: nodes)
        if let provenance { provenance.made(id.int) }
        return id
    }

    /// Appends a node known to be new (copying nodes of a hash-consed graph): no hashing now;
    /// the table is rebuilt if nodes are interned later.
    package mutating func appendDistinct(_ node: Node) -> NodeID {
        nodes.append(node)
        if !table.isEmpty { table.drop() }
        return NodeID(nodes.count - 1)
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
