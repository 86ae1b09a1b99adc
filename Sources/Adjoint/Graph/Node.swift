/// The index of a node in its graph's arena. Operands always have smaller indices than their users,
/// so the arena order is a topological order.
package struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var index: Int32

    @inlinable package init(_ index: Int) { self.index = Int32(truncatingIfNeeded: index) }

    @inlinable package var int: Int { Int(index) }

    package static func < (a: NodeID, b: NodeID) -> Bool { a.index < b.index }

    package var description: String { "%\(index)" }
}

/// Up to three operands stored inline, so building a node allocates nothing for its operands.
package struct Operands: Hashable, Sendable, RandomAccessCollection {
    private var a: Int32 = -1, b: Int32 = -1, c: Int32 = -1
    package private(set) var count: Int = 0

    package init() {}

    package init(_ ids: [NodeID]) {
        precondition(ids.count <= 3, "at most three operands")
        for id in ids { append(id) }
    }

    package init(_ x: NodeID) { append(x) }
    package init(_ x: NodeID, _ y: NodeID) { append(x); append(y) }
    package init(_ x: NodeID, _ y: NodeID, _ z: NodeID) { append(x); append(y); append(z) }

    private mutating func append(_ id: NodeID) {
        switch count {
        case 0: a = id.index
        case 1: b = id.index
        default: c = id.index
        }
        count += 1
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    package subscript(position: Int) -> NodeID {
        get {
            let raw = position == 0 ? a : position == 1 ? b : c
            return NodeID(Int(raw))
        }
        set {
            switch position {
            case 0: a = newValue.index
            case 1: b = newValue.index
            default: c = newValue.index
            }
        }
    }
}

/// One SSA value: an op applied to earlier nodes, with its static shape.
package struct Node: Hashable, Sendable {
    package var op: Op
    package var operands: Operands
    package var shape: [Int]

    package init(op: Op, operands: Operands = Operands(), shape: [Int]) {
        self.op = op
        self.operands = operands
        self.shape = shape
    }

    /// Number of elements.
    package var count: Int { Shape.count(shape) }
}
