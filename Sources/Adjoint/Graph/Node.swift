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

extension Op {
    /// The op and its payload, mixed into 64 bits.
    package var fastHash: UInt64 {
        func code(_ kind: UInt64, _ payload: [Int] = []) -> UInt64 {
            payload.reduce(kind &* 0xD6E8_FEB8_6659_FD93) { Node.mix($0, UInt64(bitPattern: Int64($1))) }
        }
        switch self {
        case .input(let i): return code(1, [i])
        case .capture(let i): return code(2, [i])
        case .constant(let bits): return Node.mix(code(3), bits)
        case .data(let i): return code(4, [i])
        case .transpose(let perm): return code(5, perm)
        case .sum(let axes): return code(6, axes)
        case .max(let axes): return code(7, axes)
        case .slice(let axis, let start, let end): return code(8, [axis, start, end])
        case .pad(let axis, let before, let after): return code(9, [axis, before, after])
        case .concat(let axis): return code(10, [axis])
        default: return code(11 + ordinal)
        }
    }

    /// A distinct number for each payload-free op.
    private var ordinal: UInt64 {
        switch self {
        case .neg: 0
        case .exp: 1
        case .log: 2
        case .sin: 3
        case .cos: 4
        case .tan: 5
        case .tanh: 6
        case .sqrt: 7
        case .abs: 8
        case .sign: 9
        case .log1p: 10
        case .expm1: 11
        case .softplus: 12
        case .add: 13
        case .sub: 14
        case .mul: 15
        case .div: 16
        case .pow: 17
        case .less: 18
        case .lessEqual: 19
        case .greater: 20
        case .greaterEqual: 21
        case .equal: 22
        case .notEqual: 23
        case .select: 24
        case .reshape: 25
        case .broadcast: 26
        case .matmul: 27
        case .input, .capture, .constant, .data, .transpose, .sum, .max, .slice, .pad, .concat: 28
        }
    }
}
