/// The cotangents of the reverse sweep, with preaccumulation of scalar chains: the product of the
/// local partials of a run of scalar ops is formed from primal values, and the cotangent flowing
/// in is multiplied by it once, where the chain fans out, instead of once per op.
///
/// A step of a scalar recurrence, `x' = sin(x)·0.9 + 0.1·cos(1.3x)`, pulled back op by op, takes
/// the cotangent through six products and a sum; preaccumulated, it is `ḡ' · J` with
/// `J = 0.9·cos x − 0.13·sin(1.3x)` built from forward values only (the code generator may compute
/// it in the forward loop), as a hand-written adjoint does. That matters most when the cotangent
/// is subnormal (W6's underflows), where every operation on it costs a hundred cycles. The value
/// is the same up to rounding (the products associate differently).
///
/// Node i's cotangent is kept as `root[i] · factor[i]`: a root (a cotangent node already built)
/// times a factor (a primal node; nil for 1). Through an eligible op the factor grows by that op's
/// partials; a node used by more than one active node (where the chain fans out) gets its
/// cotangent built, so the factors stay local to one step and the next chain starts from it.
struct Cotangents {
    private var root: [NodeID?]
    private var factor: [NodeID?]
    /// Active nodes that use each node below `end` (a node that uses it twice counts twice).
    private var users: [Int32]
    private let batched: Bool
    private var unit: NodeID?

    init(_ graph: Graph, active: [Bool], end: Int, batched: Bool) {
        root = [NodeID?](repeating: nil, count: end)
        factor = root
        self.batched = batched
        users = [Int32](repeating: 0, count: end)
        for index in 0..<end where active[index] {
            for operand in graph[NodeID(index)].operands where operand.int < end { users[operand.int] += 1 }
        }
    }

    func has(_ i: Int) -> Bool { root[i] != nil }

    mutating func set(_ i: Int, root r: NodeID?, factor f: NodeID?) { (root[i], factor[i]) = (r, f) }

    /// Node i's cotangent as one node (building `root · factor`), nil when it has none.
    func built(_ i: Int, _ graph: inout Graph) -> NodeID? {
        guard let r = root[i] else { return nil }
        return factor[i].map { graph.mul(r, $0) } ?? r
    }

    /// Before node i's op is pulled back: the cotangent to pull back (1 for a `local` op, whose
    /// pullback then gives its partials), with i's cotangent built first unless the chain goes
    /// on through a local op with a single use.
    mutating func prepare(_ i: Int, local: Bool, _ graph: inout Graph) -> NodeID? {
        if !local || users[i] > 1 { (root[i], factor[i]) = (built(i, &graph), nil) }
        guard local else { return root[i] }
        if let unit { return unit }
        unit = graph.constant(1)
        return unit
    }

    /// Adds `contribution` to the cotangent of `operand`: a cotangent, or (`from` a local op) that
    /// op's partial, to be multiplied by its root and factor.
    mutating func accumulate(_ operand: Int, _ contribution: NodeID, from user: Int?, _ graph: inout Graph) {
        var (r, f): (NodeID, NodeID?) = (contribution, nil)
        if let user {
            r = root[user]!
            f = graph.constantValue(contribution) == 1 ? factor[user] : factor[user].map { graph.mul($0, contribution) } ?? contribution
        }
        guard let existing = root[operand] else { return set(operand, root: r, factor: f) }
        if existing == r, graph.shape(r).isEmpty {
            // The same root: the factors add.
            factor[operand] = graph.add(factor[operand] ?? graph.constant(1), f ?? graph.constant(1))
        } else {
            let mine = f.map { graph.mul(r, $0) } ?? r
            set(operand, root: graph.add(built(operand, &graph)!, mine), factor: nil)
        }
    }

    /// Whether `id`'s contributions are taken as local partials: an unbatched sweep, a rank-0 op
    /// of rank-0 operands whose pullback is linear in the cotangent with no guard (a guard on a
    /// constant cotangent of 1 would be dropped: `Graph.guarded`). So: sums, differences,
    /// negation, sin, cos, tanh, and products whose factors cannot be infinite at finite operands.
    func preaccumulates(_ id: NodeID, in graph: Graph) -> Bool {
        guard !batched, graph.nodes[id.int].shape.isEmpty else { return false }
        let operands = graph.nodes[id.int].operands
        switch graph.nodes[id.int].op {
        case .binary(.add), .binary(.sub), .unary(.neg), .unary(.sin), .unary(.cos), .unary(.tanh):
            break
        case .binary(.mul):
            guard operands.allSatisfy({ o in graph.nodes[o.int].withRule { $0.elementwise?.isUnbounded != true } }) else { return false }
        default:
            return false
        }
        return operands.allSatisfy { graph.nodes[$0.int].shape.isEmpty }
    }
}
