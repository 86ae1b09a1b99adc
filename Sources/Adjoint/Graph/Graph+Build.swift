/// Building nodes with shape checking. `apply` is the checked entry point (tracing uses it);
/// the short helpers are for derivative rules, whose shapes fit by construction.
extension Graph {
    /// `op(operands)`, shape-checked, simplified and hash-consed.
    package mutating func apply(_ op: Op, _ operands: Operands, target: [Int]? = nil) throws(ShapeError) -> NodeID {
        let rule = op.rule
        if rule.elementwise != nil, let shape = elementwiseShape(operands) { return make(op, rule: rule, operands, shape: shape) }
        let shape: [Int]
        switch operands.count {
        case 0: shape = try rule.shape(op, [], target)
        case 1: shape = try rule.shape(op, [self.shape(operands[0])], target)
        default: shape = try rule.shape(op, operands.map { self.shape($0) }, target)
        }
        return make(op, rule: rule, operands, shape: shape)
    }

    /// The broadcast shape of elementwise operands, or nil when they do not fit.
    @inline(__always)
    private func elementwiseShape(_ operands: Operands) -> [Int]? {
        var shape = self.shape(operands[0])
        for k in 1..<operands.count {
            let other = self.shape(operands[k])
            if other != shape {
                guard let b = Shape.broadcast(shape, other) else { return nil }
                shape = b
            }
        }
        return shape
    }

    /// `op(operands)` for operands known to fit; a failure is a bug in a rule.
    package mutating func node(_ op: Op, _ a: NodeID, target: [Int]? = nil) -> NodeID {
        checked(op, Operands(a), target: target)
    }

    package mutating func node(_ op: Op, _ a: NodeID, _ b: NodeID) -> NodeID { checked(op, Operands(a, b), target: nil) }

    package mutating func node(_ op: Op, _ a: NodeID, _ b: NodeID, _ c: NodeID) -> NodeID {
        checked(op, Operands(a, b, c), target: nil)
    }

    /// `op(operands)` for any number of operands known to fit.
    package mutating func node(_ op: Op, _ operands: Operands) -> NodeID { checked(op, operands, target: nil) }

    private mutating func checked(_ op: Op, _ operands: Operands, target: [Int]?) -> NodeID {
        do {
            return try apply(op, operands, target: target)
        } catch {
            preconditionFailure("internal error: a derivative rule built a bad node: \(error)")
        }
    }

    package mutating func add(_ a: NodeID, _ b: NodeID) -> NodeID { node(.binary(.add), a, b) }
    package mutating func sub(_ a: NodeID, _ b: NodeID) -> NodeID { node(.binary(.sub), a, b) }
    package mutating func mul(_ a: NodeID, _ b: NodeID) -> NodeID { node(.binary(.mul), a, b) }
    package mutating func div(_ a: NodeID, _ b: NodeID) -> NodeID { node(.binary(.div), a, b) }
    package mutating func neg(_ a: NodeID) -> NodeID { node(.unary(.neg), a) }
    package mutating func mul(_ a: NodeID, _ c: Double) -> NodeID { node(.binary(.mul), a, constant(c)) }
    package mutating func add(_ a: NodeID, _ c: Double) -> NodeID { node(.binary(.add), a, constant(c)) }
    /// `c - a`.
    package mutating func sub(_ c: Double, _ a: NodeID) -> NodeID { node(.binary(.sub), constant(c), a) }

    package mutating func reshape(_ a: NodeID, _ shape: [Int]) -> NodeID { node(.reshape, a, target: shape) }

    package mutating func transpose(_ a: NodeID, _ perm: [Int]) -> NodeID { node(.transpose(perm), a) }

    /// Swaps the two axes of a matrix.
    package mutating func transpose(_ a: NodeID) -> NodeID { transpose(a, [1, 0]) }

    /// Sums `a` down to `shape` (the adjoint of broadcasting `shape` up to `a`'s shape).
    package mutating func unbroadcast(_ a: NodeID, to target: [Int]) -> NodeID {
        let shape = self.shape(a)
        if shape == target { return a }
        let lead = shape.count - target.count
        var axes = Array(0..<lead)
        for axis in lead..<shape.count where target[axis - lead] == 1 && shape[axis] != 1 { axes.append(axis) }
        return reshape(node(.reduce(.sum, axes), a), target)
    }

    /// `a`, whose axes `axes` of `full` were reduced away, brought back to `full` by broadcasting.
    package mutating func expand(_ a: NodeID, reducedAxes axes: [Int], to full: [Int]) -> NodeID {
        var kept = full
        for axis in axes { kept[axis] = 1 }
        return broadcast(reshape(a, kept), to: full)
    }
}
