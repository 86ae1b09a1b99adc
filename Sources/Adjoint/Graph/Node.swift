import Synchronization

/// The index of a node in its graph's arena. Operands always have smaller indices than their users,
/// so the arena order is a topological order.
package struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var index: Int32

    @inlinable package init(_ index: Int) { self.index = Int32(truncatingIfNeeded: index) }

    @inlinable package var int: Int { Int(index) }

    package static func < (a: NodeID, b: NodeID) -> Bool { a.index < b.index }

    package var description: String { "%\(index)" }
}

/// A node's operands. Up to three are stored inline, and the value is trivially copyable:
/// building, copying or hashing a node allocates nothing and counts no reference for its
/// operands (graphs of 100k nodes are copied and hashed node by node). An op with more (a
/// concatenation of many, a routine of many inputs) keeps them all in a buffer interned for the
/// life of the process (`Spilled`): one per distinct list, so equal lists share a pointer and
/// equality stays a comparison of words.
package struct Operands: Hashable, @unchecked Sendable, RandomAccessCollection {
    private var a: Int32 = -1, b: Int32 = -1, c: Int32 = -1
    private var stored: Int32 = 0
    /// Every operand, when there are more than three.
    private var spilled: UnsafePointer<Int32>?

    /// How many operands (kept in 32 bits, so that the value is three words, as a node's
    /// operands were before they could be more than three).
    package var count: Int { Int(stored) }

    package init() {}

    package init(_ ids: [NodeID]) {
        if ids.count > 3 {
            spilled = Spilled.intern(ids.map(\.index))
            stored = Int32(ids.count)
        } else {
            for id in ids { append(id) }
        }
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
        stored += 1
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    package subscript(position: Int) -> NodeID {
        get {
            if let spilled { return NodeID(Int(spilled[position])) }
            return NodeID(Int(position == 0 ? a : position == 1 ? b : c))
        }
        set {
            if let spilled {
                var all = Array(UnsafeBufferPointer(start: spilled, count: count))
                all[position] = newValue.index
                self.spilled = Spilled.intern(all)
                return
            }
            switch position {
            case 0: a = newValue.index
            case 1: b = newValue.index
            default: c = newValue.index
            }
        }
    }
}

/// The interned operand lists of nodes with more than three operands. Buffers are never freed:
/// a node may be copied anywhere, and a list is as small as its node.
private enum Spilled {
    private struct Table: @unchecked Sendable {
        var buffers: [[Int32]: UnsafeMutablePointer<Int32>] = [:]
    }

    private static let table = Mutex(Table())

    static func intern(_ list: [Int32]) -> UnsafePointer<Int32> {
        table.withLock { table in
            if let found = table.buffers[list] { return UnsafePointer(found) }
            let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: list.count)
            buffer.initialize(from: list, count: list.count)
            table.buffers[list] = buffer
            return UnsafePointer(buffer)
        }
    }
}

/// One SSA value: an op applied to earlier nodes, with its static shape.
package struct Node: Hashable, Sendable {
    package var op: Op {
        didSet { ruleReference = Unmanaged.passUnretained(op.rule) }
    }
    package var operands: Operands
    package var shape: [Int]
    /// The op's row, read once when the node is made (`withRule` reads it in loops over every node).
    package var rule: Rule { ruleReference.takeUnretainedValue() }
    /// Rows live as long as the process (each is a `static let` of its family), so a node holds
    /// its row without counting a reference, and copying a node does not touch it.
    private var ruleReference: Unmanaged<Rule>

    /// `body` applied to the op's row, without counting a reference to it (the stages read rows
    /// in loops over every node, where retaining and releasing a shared object is much of the cost).
    @inline(__always)
    package func withRule<T>(_ body: (Rule) throws -> T) rethrows -> T {
        try ruleReference._withUnsafeGuaranteedRef(body)
    }

    package init(op: Op, operands: Operands = Operands(), shape: [Int]) {
        self.init(op: op, rule: op.rule, operands: operands, shape: shape)
    }

    /// A node whose op's row the caller has at hand.
    package init(op: Op, rule: Rule, operands: Operands = Operands(), shape: [Int]) {
        self.op = op
        self.ruleReference = Unmanaged.passUnretained(rule)
        self.operands = operands
        self.shape = shape
    }

    /// Equal op, operands and shape (the row follows from the op).
    package static func == (a: Node, b: Node) -> Bool {
        a.op == b.op && a.operands == b.operands && a.shape == b.shape
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(op)
        hasher.combine(operands)
        hasher.combine(shape)
    }

    /// Number of elements.
    package var count: Int { Shape.count(shape) }

    /// A cheap hash for hash-consing (a multiply–xorshift mix, not SipHash: nodes are hashed on
    /// every construction, and graphs of 100k nodes are common).
    package var fastHash: UInt64 { fastHash(rule: rule) }

    /// ``fastHash`` with the op's row already at hand (building a node has read it).
    @inline(__always)
    package func fastHash(rule: Rule) -> UInt64 {
        var h = rule.payloadHash?(op, rule.code) ?? rule.code
        h = Node.mix(h, UInt64(bitPattern: Int64(operands.count)))
        for operand in operands { h = Node.mix(h, UInt64(UInt32(bitPattern: operand.index))) }
        for extent in shape { h = Node.mix(h, UInt64(bitPattern: Int64(extent))) }
        return Node.finalize(h)
    }

    /// MurmurHash3's finalizer: a table indexes by the low bits, which must depend on all of h.
    @inline(__always)
    package static func finalize(_ h: UInt64) -> UInt64 {
        var h = h
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
