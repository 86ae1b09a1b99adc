/// The derivative rules of `eigh` and `svd`, in graph ops (so that they differentiate again).
///
/// A (co)tangent has the batch of directions in front of the primal's shape (`batch + lead +
/// [m, n]`); the primal factors (`lead + …`) broadcast against it in `matrixProduct` and in
/// elementwise ops, so no rule needs to know the batch beyond reading it.
///
/// `eigh` (of the symmetric part S = (A + Aᵀ)/2, Magnus 1985; autograd's `grad_eigh`, JAX's
/// `eigh_jvp_rule`), with M = Vᵀ Ṡ V and F_ij = 1/(w_j − w_i) off the diagonal, 0 on it:
///   ẇ = diag(M),  V̇ = V (F ∘ M);   Ā = sym(V (diag(w̄) + F ∘ (Vᵀ V̄)) Vᵀ).
/// `svd` (JAX's `svd_jvp_rule`, autograd's `grad_svd`), with F_ij = 1/(s_j² − s_i²) off the
/// diagonal, dS = Uᵀ Ȧ V:
///   ṡ = diag(dS), U̇ = U (F ∘ (dS·diag(s) + (dS·diag(s))ᵀ)) [+ (I − UUᵀ) Ȧ V diag(s)⁻¹ when m > n],
///   V̇ = V (F ∘ (diag(s)·dS + (diag(s)·dS)ᵀ)) [+ (I − VVᵀ) Ȧᵀ U diag(s)⁻¹ when n > m];
///   Ā = U (J diag(s) + diag(s̄) + diag(s) K) Vᵀ, J = F ∘ (UᵀŪ − ŪᵀU), K = F ∘ (VᵀV̄ − V̄ᵀV),
///   [+ (I − UUᵀ) Ū diag(s)⁻¹ Vᵀ when m > n] [+ U diag(s)⁻¹ V̄ᵀ (I − VVᵀ) when n > m].
/// F is built as (1 − I) / (gap + I), so its diagonal is exactly 0 with no division by 0 (and no
/// infinity for a second derivative to multiply by 0); a repeated eigenvalue or singular value
/// makes an off-diagonal gap 0 and F infinite there, as in autograd and JAX.
extension Decompositions {
    static let eighPushforward: Derivative.TuplePushforward = { g, id, t, batch in
        guard let t0 = t[0] else { return [nil, nil] }
        let (a, r) = (g[id].operands[0], g.results(of: id))
        let (w, v) = (r[0], r[1])
        let x = g.full(t0, batch: batch, like: a)
        let s = g.mul(g.add(x, g.swapLastAxes(x)), 0.5)
        let m = g.matrixProduct(g.matrixProduct(g.swapLastAxes(v), s), v)
        return [g.diagonalPart(m), g.matrixProduct(v, g.mul(g.gaps(w), m))]
    }

    static let eighPullback: Derivative.TuplePullback = { g, id, cotangents, _, _ in
        let r = g.results(of: id)
        let (w, v) = (r[0], r[1])
        let fromValues = cotangents[0].map { g.diagonalMatrix($0) }
        let fromVectors = cotangents[1].map { g.mul(g.gaps(w), g.matrixProduct(g.swapLastAxes(v), $0)) }
        guard let inner = g.sum(fromValues, fromVectors) else { return [nil] }
        let full = g.matrixProduct(g.matrixProduct(v, inner), g.swapLastAxes(v))
        return [g.mul(g.add(full, g.swapLastAxes(full)), 0.5)]
    }

    static let svdPushforward: Derivative.TuplePushforward = { g, id, t, batch in
        guard let t0 = t[0] else { return [nil, nil, nil] }
        let (a, r) = (g[id].operands[0], g.results(of: id))
        let (u, s, vt) = (r[0], r[1], r[2])
        let (m, n) = (g.shape(a)[g.shape(a).count - 2], g.shape(a)[g.shape(a).count - 1])
        let (da, v) = (g.full(t0, batch: batch, like: a), g.swapLastAxes(vt))
        let ds = g.matrixProduct(g.matrixProduct(g.swapLastAxes(u), da), v)
        let (row, column) = g.rowAndColumn(s)
        let f = g.gaps(g.mul(s, s))
        let dss = g.mul(ds, row), sds = g.mul(ds, column)
        var du = g.matrixProduct(u, g.mul(f, g.add(dss, g.swapLastAxes(dss))))
        var dv = g.matrixProduct(v, g.mul(f, g.add(sds, g.swapLastAxes(sds))))
        if m > n {
            let dav = g.matrixProduct(da, v)
            du = g.add(du, g.div(g.sub(dav, g.matrixProduct(u, g.matrixProduct(g.swapLastAxes(u), dav))), row))
        }
        if n > m {
            let dau = g.matrixProduct(g.swapLastAxes(da), u)
            dv = g.add(dv, g.div(g.sub(dau, g.matrixProduct(v, g.matrixProduct(vt, dau))), row))
        }
        return [du, g.diagonalPart(ds), g.swapLastAxes(dv)]
    }

    static let svdPullback: Derivative.TuplePullback = { g, id, cotangents, _, _ in
        let (a, r) = (g[id].operands[0], g.results(of: id))
        let (u, s, vt) = (r[0], r[1], r[2])
        let (m, n) = (g.shape(a)[g.shape(a).count - 2], g.shape(a)[g.shape(a).count - 1])
        let (row, column) = g.rowAndColumn(s)
        let f = g.gaps(g.mul(s, s))
        let fromU = cotangents[0].map { gu in g.mul(g.mul(f, g.skew(g.matrixProduct(g.swapLastAxes(u), gu))), row) }
        let fromS = cotangents[1].map { g.diagonalMatrix($0) }
        let fromV = cotangents[2].map { gvt in g.mul(column, g.mul(f, g.skew(g.matrixProduct(vt, g.swapLastAxes(gvt))))) }
        guard let inner = g.sum(g.sum(fromU, fromS), fromV) else { return [nil] }
        var result = g.matrixProduct(g.matrixProduct(u, inner), vt)
        if m > n, let gu = cotangents[0] {
            let away = g.sub(gu, g.matrixProduct(u, g.matrixProduct(g.swapLastAxes(u), gu)))
            result = g.add(result, g.matrixProduct(g.div(away, row), vt))
        }
        if n > m, let gvt = cotangents[2] {
            let away = g.sub(gvt, g.matrixProduct(g.matrixProduct(gvt, g.swapLastAxes(vt)), vt))
            result = g.add(result, g.matrixProduct(g.div(u, row), away))
        }
        return [result]
    }
}

extension Graph {
    /// Tangent `t` (of `batch +` a shape that broadcasts to `x`'s) as `batch + shape(x)`.
    mutating func full(_ t: NodeID, batch: [Int], like x: NodeID) -> NodeID {
        let target = batch + shape(x)
        let lifted = lift(t, batch: batch, rank: shape(x).count)
        return shape(lifted) == target ? lifted : broadcast(lifted, to: target)
    }

    /// The diagonal of each matrix of a stack: `X + [n, n]` to `X + [n]`.
    mutating func diagonalPart(_ m: NodeID) -> NodeID {
        let s = shape(m)
        return node(.reduce(.sum, [s.count - 1]), mul(m, identity(s[s.count - 1])))
    }

    /// Each vector of a stack on the diagonal of a matrix: `X + [n]` to `X + [n, n]`.
    mutating func diagonalMatrix(_ d: NodeID) -> NodeID {
        let s = shape(d), n = s[s.count - 1]
        return mul(reshape(d, Array(s.dropLast()) + [1, n]), identity(n))
    }

    /// `x` (`lead + [k]`) as a row (`lead + [1, k]`) and as a column (`lead + [k, 1]`).
    mutating func rowAndColumn(_ x: NodeID) -> (row: NodeID, column: NodeID) {
        let s = shape(x), lead = Array(s.dropLast()), k = s[s.count - 1]
        return (reshape(x, lead + [1, k]), reshape(x, lead + [k, 1]))
    }

    /// F_ij = 1/(x_j − x_i) off the diagonal and 0 on it, for `x` of `lead + [k]`: `lead + [k, k]`.
    mutating func gaps(_ x: NodeID) -> NodeID {
        let (row, column) = rowAndColumn(x)
        let k = shape(x)[shape(x).count - 1], eye = identity(k)
        return div(sub(constant(1), eye), add(sub(row, column), eye))
    }

    /// `x − xᵀ` for each matrix of a stack.
    mutating func skew(_ x: NodeID) -> NodeID { sub(x, swapLastAxes(x)) }
}
