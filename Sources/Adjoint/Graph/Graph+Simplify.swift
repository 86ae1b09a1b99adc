/// Simplification on construction: constant folding and the algebraic identities that
/// differentiation produces in bulk (`x*1`, `x+0`, `x*0`, `--x`, `x + -y`). Every node is built through
/// `make`, so no pass afterwards has to find these again.
///
/// `x * 0` folds to 0 even though IEEE says `inf * 0` is NaN: zeros here almost always come from
/// a derivative that does not depend on x, and keeping them would keep dead work alive. It is the
/// only identity that changes a result for non-finite inputs (`x - x` is not folded to 0: it is
/// NaN for an infinite or NaN x, and differentiation never builds it in bulk).
extension Graph {
    /// The node for `op(operands)` with result `shape`, simplified and hash-consed.
    package mutating func make(_ op: Op, _ operands: Operands, shape: [Int]) -> NodeID {
        if let folded = fold(op, operands, shape: shape) { return folded }
        if let simpler = simplify(op, operands, shape: shape) { return simpler }
        var operands = operands
        if op.isCommutative && operands[1] < operands[0] { operands.swapAt(0, 1) }
        return intern(Node(op: op, operands: operands, shape: shape))
    }

    /// `x` as a node of `shape`: itself when the shapes agree, else broadcast.
    package mutating func broadcast(_ x: NodeID, to shape: [Int]) -> NodeID {
        self.shape(x) == shape ? x : make(.broadcast, Operands(x), shape: shape)
    }

    /// Evaluates ops whose operands are all splat constants.
    private mutating func fold(_ op: Op, _ operands: Operands, shape: [Int]) -> NodeID? {
        guard operands.count > 0 else { return nil }
        for operand in operands where !nodes[operand.int].op.isConstant { return nil }
        let values = operands.map { constantValue($0)! }
        if op.isElementwise {
            let result = op.scalar(values[0], values.count > 1 ? values[1] : 0, values.count > 2 ? values[2] : 0)
            return constant(result, shape: shape)
        }
        switch op {
        case .reshape, .broadcast, .transpose, .max:
            return constant(values[0], shape: shape)
        case .sum(let axes):
            let n = axes.reduce(1) { $0 * self.shape(operands[0])[$1] }
            return constant(values[0] * Double(n), shape: shape)
        case .slice where Shape.count(shape) > 0:
            return constant(values[0], shape: shape)
        case .pad where values[0] == 0, .concat where values[0] == 0 && values.count == 2 && values[1] == 0:
            return constant(0, shape: shape)
        default:
            return nil
        }
    }

    /// Algebraic identities; nil when none applies.
    private mutating func simplify(_ op: Op, _ operands: Operands, shape: [Int]) -> NodeID? {
        let x = operands.first
        let c0 = x.flatMap(constantValue), c1 = operands.count > 1 ? constantValue(operands[1]) : nil
        switch op {
        case .add:
            if c0 == 0 { return broadcast(operands[1], to: shape) }
            if c1 == 0 { return broadcast(operands[0], to: shape) }
            if case .neg = nodes[operands[1].int].op { return make(.sub, Operands(operands[0], nodes[operands[1].int].operands[0]), shape: shape) }
            if case .neg = nodes[operands[0].int].op { return make(.sub, Operands(operands[1], nodes[operands[0].int].operands[0]), shape: shape) }
        case .sub:
            if c1 == 0 { return broadcast(operands[0], to: shape) }
            if c0 == 0 { return make(.neg, Operands(broadcast(operands[1], to: shape)), shape: shape) }
            if case .neg = nodes[operands[1].int].op { return make(.add, Operands(operands[0], nodes[operands[1].int].operands[0]), shape: shape) }
        case .mul:
            if c0 == 0 || c1 == 0 { return constant(0, shape: shape) }
            if c0 == 1 { return broadcast(operands[1], to: shape) }
            if c1 == 1 { return broadcast(operands[0], to: shape) }
            if c0 == -1 { return make(.neg, Operands(broadcast(operands[1], to: shape)), shape: shape) }
            if c1 == -1 { return make(.neg, Operands(broadcast(operands[0], to: shape)), shape: shape) }
            if let c = c0 ?? c1, let scaled = scale(operands[c0 != nil ? 1 : 0], by: c, shape: shape) { return scaled }
        case .div:
            if c1 == 1 { return broadcast(operands[0], to: shape) }
        case .pow:
            if c1 == 1 { return broadcast(operands[0], to: shape) }
            if c1 == 0 { return constant(1, shape: shape) }
            // x² as x·x, as NumPy computes `x**2`: exact to the last bit, and a multiplication
            // instead of a call in compiled code.
            if c1 == 2 { let x = broadcast(operands[0], to: shape); return make(.mul, Operands(x, x), shape: shape) }
        case .neg:
            if case .neg = nodes[operands[0].int].op { return nodes[operands[0].int].operands[0] }
            if let scaled = scale(operands[0], by: -1, shape: shape) { return scaled }
        case .select:
            if let c = c0 { return broadcast(c != 0 ? operands[1] : operands[2], to: shape) }
            if operands[1] == operands[2] { return broadcast(operands[1], to: shape) }
        case .reshape, .broadcast:
            if self.shape(operands[0]) == shape { return operands[0] }
            if case .reshape = op, case .reshape = nodes[operands[0].int].op {
                return make(.reshape, Operands(nodes[operands[0].int].operands[0]), shape: shape)
            }
        case .transpose(let perm):
            if perm == Array(perm.indices) { return operands[0] }
            if case .transpose(let inner) = nodes[operands[0].int].op {
                return make(.transpose(perm.map { inner[$0] }), Operands(nodes[operands[0].int].operands[0]), shape: shape)
            }
        case .sum(let axes), .max(let axes):
            if axes.isEmpty { return operands[0] }
        case .slice(let axis, let start, let end):
            if start == 0 && end == self.shape(operands[0])[axis] { return operands[0] }
        case .pad(_, let before, let after):
            if before == 0 && after == 0 { return operands[0] }
        default:
            break
        }
        return nil
    }
}

extension Graph {
    /// `c · x` when x is itself `c₂ · y` or `-y` with a scalar constant c₂: one multiplication by
    /// c·c₂ instead of two (derivative graphs are full of such chains). Rounding may differ from
    /// the two-step product in the last bit; compiled and interpreted code evaluate the same graph.
    fileprivate mutating func scale(_ x: NodeID, by c: Double, shape: [Int]) -> NodeID? {
        let node = self[x]
        guard self.shape(x) == shape else { return nil }
        switch node.op {
        case .neg:
            return make(.mul, Operands(constant(-c), node.operands[0]), shape: shape)
        case .mul:
            let (a, b) = (node.operands[0], node.operands[1])
            if let ca = constantValue(a), self.shape(a).isEmpty { return make(.mul, Operands(constant(c * ca), b), shape: shape) }
            if let cb = constantValue(b), self.shape(b).isEmpty { return make(.mul, Operands(a, constant(c * cb)), shape: shape) }
            return nil
        default:
            return nil
        }
    }
}

extension Operands {
    mutating func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
