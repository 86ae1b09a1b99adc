/// Simplification on construction: constant folding and each row's algebraic identities
/// (`Rule.simplify`: `x*1`, `x+0`, `--x`, a reshape of a reshape, …). Every node is built
/// through `make`, so no pass afterwards has to find these again.
extension Graph {
    /// The node for `op(operands)` with result `shape`, simplified and hash-consed.
    package mutating func make(_ op: Op, _ operands: Operands, shape: [Int]) -> NodeID {
        make(op, rule: op.rule, operands, shape: shape)
    }

    /// ``make(_:_:shape:)`` with the op's row already at hand (tracing has read it).
    package mutating func make(_ op: Op, rule: Rule, _ operands: Operands, shape: [Int]) -> NodeID {
        if let folded = fold(op, rule, operands, shape: shape) { return folded }
        if let simplify = rule.simplify, let simpler = simplify(&self, op, operands, shape) { return simpler }
        var operands = operands
        if rule.elementwise?.isCommutative == true && precedes(operands[1], operands[0]) { operands.swapAt(0, 1) }
        return intern(Node(op: op, rule: rule, operands: operands, shape: shape), rule: rule)
    }

    /// The order of a commutative op's operands: a constant last, otherwise the older node first.
    /// (Constants last whatever their age, so that the steps of a loop over numbers, some made
    /// anew and some met before, keep one operand order and reroll as one loop.)
    private func precedes(_ a: NodeID, _ b: NodeID) -> Bool {
        let (ca, cb) = (nodes[a.int].op.isConstant, nodes[b.int].op.isConstant)
        return ca == cb ? a < b : cb
    }

    /// `x` as a node of `shape`: itself when the shapes agree, else broadcast.
    package mutating func broadcast(_ x: NodeID, to shape: [Int]) -> NodeID {
        self.shape(x) == shape ? x : make(.broadcast, Operands(x), shape: shape)
    }

    /// Evaluates ops whose operands are all splat constants: elementwise ones by their scalar
    /// function, the rest by their row's `foldSplats`.
    private mutating func fold(_ op: Op, _ rule: Rule, _ operands: Operands, shape: [Int]) -> NodeID? {
        guard operands.count > 0, rule.results == 1 else { return nil }
        for operand in operands where !nodes[operand.int].op.isConstant { return nil }
        let values = operands.map { constantValue($0)! }
        if let elementwise = rule.elementwise {
            let result = elementwise.scalar(values[0], values.count > 1 ? values[1] : 0, values.count > 2 ? values[2] : 0)
            return constant(result, shape: shape)
        }
        guard let foldSplats = rule.foldSplats,
              let value = foldSplats(op, values, operands.map { self.shape($0) }, shape) else { return nil }
        return constant(value, shape: shape)
    }
}

extension Operands {
    mutating func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
