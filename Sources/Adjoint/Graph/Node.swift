/// The index of a node in its graph's arena. Operands always have smaller indices than their users,
/// so the arena order is a topological order.
package struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var index: Int32

    @inlinable package init(_ index: Int) { self.index = Int32(truncatingIfNeeded: index) }

    @inlinable package var int: Int { Int(index) }

    package static func < (a: NodeID, b: NodeID) -> Bool { a.index < b.index }

    package var description: String { "%\(index)" }
}

/// A node's operands: up to three stored inline, so building a node allocates nothing for its
/// operands; ops with more (a concatenation of many, a routine of many inputs) keep the rest in
/// an array.
package struct Operands: Hashable, Sendable, RandomAccessCollection {
    private var a: Int32 = -1, b: Int32 = -1, c: Int32 = -1
    private var more: [Int32] = []
    package private(set) var count: Int = 0

    package init() {}

    package init(_ ids: [NodeID]) {
        for id in ids { append(id) }
    }

    package init(_ x: NodeID) { append(x) }
    package init(_ x: NodeID, _ y: NodeID) { append(x); append(y) }
    package init(_ x: NodeID, _ y: NodeID, _ z: NodeID) { append(x); append(y); append(z) }

    private mutating func append(_ id: NodeID) {
        switch count {
        case 0: a = id.index
        case 1: b = id.index
        case 2: c = id.index
        default: more.append(id.index)
        }
        count += 1
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    package subscript(position: Int) -> NodeID {
        get {
            switch position {
            case 0: NodeID(Int(a))
            case 1: NodeID(Int(b))
            case 2: NodeID(Int(c))
            default: NodeID(Int(more[position - 3]))
            }
        }
        set {
            switch position {
            case 0: a = newValue.index
            case 1: b = newValue.index
            case 2: c = newValue.index
            default: more[position - 3] = newValue.index
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

    /// A cheap hash for hash-consing (a multiply–xorshift mix, not SipHash: nodes are hashed on
    /// every construction, and graphs of 100k nodes are common).
    package var fastHash: UInt64 {
        var h = op.fastHash
        h = Node.mix(h, UInt64(bitPattern: Int64(operands.count)))
        for operand in operands { h = Node.mix(h, UInt64(UInt32(bitPattern: operand.index))) }
        for extent in shape { h = Node.mix(h, UInt64(bitPattern: Int64(extent))) }
        // MurmurHash3's finalizer: the table indexes by the low bits, which must depend on all of h.
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }

    @inline(__always)
    package static func mix(_ h: UInt64, _ x: UInt64) -> UInt64 {
        var z = (h ^ x) &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 29
        return z
    }
}
