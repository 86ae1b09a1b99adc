/// Rewrites of a user's plain formula into its numerically stable form, applied as nodes are
/// built (each is a row's `simplify`), so that `log(1 + exp(x))` in traced code does not
/// overflow at x = 1000:
///
/// | written | becomes |
/// |---|---|
/// | `log(1 + x)` | `log1p(x)` |
/// | `exp(x) - 1` | `expm1(x)` |
/// | `log(1 + exp(x))`, `log1p(exp(x))` | `softplus(x)` |
/// | `log(sigmoid(x))` | `-softplus(-x)` |
/// | `log(sum(exp(x)))` (over any axes) | `m + log(sum(exp(x - m)))`, m = the maximum, held constant |
///
/// Each is an identity of real numbers; only rounding and overflow differ.
enum StableForms {
    /// `log`'s rewrites.
    static func simplifyLog(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        let a = x[0]
        if let u = operand(g, a, of: .binary(.add), besides: 1) {
            if case .unary(.exp) = g[u].op { return g.broadcast(g.node(.unary(.softplus), g[u].operands[0]), to: shape) }
            return g.broadcast(g.node(.unary(.log1p), u), to: shape)
        }
        if let v = sigmoidOperand(g, a) {
            return g.broadcast(g.neg(g.node(.unary(.softplus), g.neg(v))), to: shape)
        }
        if case .reduce(.sum, let axes) = g[a].op, case .unary(.exp) = g[g[a].operands[0]].op {
            let v = g[g[a].operands[0]].operands[0]
            if !isShifted(g, v) { return logSumExp(&g, v, axes: axes) }
        }
        return nil
    }

    /// `log1p(exp(x))` is `softplus(x)`.
    static func simplifyLog1p(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        guard case .unary(.exp) = g[x[0]].op else { return nil }
        return g.node(.unary(.softplus), g[x[0]].operands[0])
    }

    /// `exp(x) - 1` is `expm1(x)`.
    static func simplifySub(_ g: inout Graph, _ x: Operands, _ shape: [Int]) -> NodeID? {
        guard g.constantValue(x[1]) == 1, case .unary(.exp) = g[x[0]].op else { return nil }
        return g.broadcast(g.node(.unary(.expm1), g[x[0]].operands[0]), to: shape)
    }

    /// `log(sum(exp(v)))` over `axes` as `m + log(sum(exp(v - m)))`, with m the maximum over the
    /// axes held constant (its derivative would cancel exactly) and replaced by 0 where it is
    /// infinite (all of a slice -∞ gives -∞, as NumPy's, not NaN).
    static func logSumExp(_ g: inout Graph, _ v: NodeID, axes: [Int]) -> NodeID {
        let m = g.node(.reduce(.max, axes), v)
        let infinite = g.node(.compare(.equal), g.node(.unary(.abs), m), g.constant(.infinity))
        let shift = g.node(.unary(.stopGradient), g.node(.select, infinite, g.constant(0), m))
        var kept = g.shape(v)
        for axis in axes { kept[axis] = 1 }
        let spread = g.broadcast(g.node(.reshape, shift, target: kept), to: g.shape(v))
        let sum = g.node(.reduce(.sum, axes), g.node(.unary(.exp), g.sub(v, spread)))
        return g.add(shift, g.node(.unary(.log), sum))
    }

    /// The other operand of `id` when it is `op` with a constant `c` as one operand.
    private static func operand(_ g: Graph, _ id: NodeID, of op: Op, besides c: Double) -> NodeID? {
        guard g[id].op == op else { return nil }
        let xs = g[id].operands
        if g.constantValue(xs[1]) == c { return xs[0] }
        if g.constantValue(xs[0]) == c { return xs[1] }
        return nil
    }

    /// v where `id` is σ(v) as `Graph.sigmoid` (and the public `sigmoid`) builds it: ½(tanh(v/2) + 1).
    private static func sigmoidOperand(_ g: Graph, _ id: NodeID) -> NodeID? {
        guard let sum = operand(g, id, of: .binary(.mul), besides: 0.5),
              let tanh = operand(g, sum, of: .binary(.add), besides: 1),
              case .unary(.tanh) = g[tanh].op else { return nil }
        return operand(g, g[tanh].operands[0], of: .binary(.mul), besides: 0.5)
    }

    /// True for `v - c` where c is (a reshape or broadcast of) a constant-held value: the inner
    /// sum of a rewritten log-sum-exp, which must not be rewritten again.
    private static func isShifted(_ g: Graph, _ v: NodeID) -> Bool {
        guard case .binary(.sub) = g[v].op else { return false }
        var c = g[v].operands[1]
        while true {
            switch g[c].op {
            case .reshape, .broadcast: c = g[c].operands[0]
            case .unary(.stopGradient): return true
            default: return false
            }
        }
    }
}
