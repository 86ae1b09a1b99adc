/// The derivative rules of `qr`, in graph ops, for a = q·r with r's diagonal > 0.
///
/// Tall and square (m ≥ n, JAX's `qr_jvp_rule`): with C = qᵀ ȧ r⁻¹ and Ω = tril(C, −1) −
/// tril(C, −1)ᵀ, `q̇ = q (Ω − C) + ȧ r⁻¹` and `ṙ = (C − Ω) r`. The pullback (Liao et al. 2019,
/// PyTorch's `linalg_qr_backward`): with M = r r̄ᵀ − q̄ᵀ q and copyltu(M) = tril(M) + tril(M, −1)ᵀ,
/// `ā = (q̄ + q copyltu(M)) r⁻ᵀ`.
///
/// Wide (m < n, JAX's split): a = [x | y] with x square, q·u = x its QR and r = [u | qᵀy]; the
/// square rules give (q̇, u̇) from ẋ and ṙ = [u̇ | q̇ᵀy + qᵀẏ]; backwards, ȳ = q r̄_y and x̄ is the
/// square pullback of (q̄ + y r̄_yᵀ, r̄_u).
///
/// Right-hand triangular solves `x r⁻¹ = (r⁻ᵀ xᵀ)ᵀ` use the stacked triangular-solve primitive
/// (a lower solve with rᵀ, read in place).
extension Decompositions {
    static let qrPushforward: Derivative.TuplePushforward = { g, id, t, batch in
        guard let t0 = t[0] else { return [nil, nil] }
        let (a, r) = (g[id].operands[0], g.results(of: id))
        let (q, rr) = (r[0], r[1])
        let da = g.full(t0, batch: batch, like: a)
        let (_, m, n) = parts(g.shape(a))
        guard m < n else {
            let (dq, dr) = g.qrTangent(q, rr, da)
            return [dq, dr]
        }
        let (u, y) = (g.columns(rr, 0, m), g.columns(a, m, n))
        let (dq, du) = g.qrTangent(q, u, g.columns(da, 0, m))
        let dy = g.add(g.matrixProduct(g.swapLastAxes(dq), y), g.matrixProduct(g.swapLastAxes(q), g.columns(da, m, n)))
        return [dq, g.node(.concat(axis: g.shape(du).count - 1), du, dy)]
    }

    static let qrPullback: Derivative.TuplePullback = { g, id, cotangents, batch, _ in
        let (a, r) = (g[id].operands[0], g.results(of: id))
        let (q, rr) = (r[0], r[1])
        let (_, m, n) = parts(g.shape(a))
        guard m < n else { return [g.qrCotangent(q, rr, cotangents[0], cotangents[1])] }
        let (u, y) = (g.columns(rr, 0, m), g.columns(a, m, n))
        let gu = cotangents[1].map { g.columns($0, 0, m) }, gv = cotangents[1].map { g.columns($0, m, n) }
        let gq = g.sum(cotangents[0], gv.map { g.matrixProduct(y, g.swapLastAxes($0)) })
        guard let gx = g.qrCotangent(q, u, gq, gu) else { return [nil] }
        let gy = gv.map { g.matrixProduct(q, $0) } ?? g.broadcast(g.constant(0), to: batch + g.shape(y))
        return [g.node(.concat(axis: g.shape(gx).count - 1), gx, gy)]
    }
}

extension Graph {
    /// (q̇, ṙ) of the QR factorization q·r (m ≥ n) in direction `da`.
    mutating func qrTangent(_ q: NodeID, _ r: NodeID, _ da: NodeID) -> (NodeID, NodeID) {
        let n = shape(r)[shape(r).count - 1]
        let dar = rightSolve(da, r, transposed: false)
        let c = matrixProduct(swapLastAxes(q), dar)
        let low = mul(c, strictlyLower(n))
        let omega = sub(low, swapLastAxes(low))
        return (add(matrixProduct(q, sub(omega, c)), dar), matrixProduct(sub(c, omega), r))
    }

    /// ā of the QR factorization q·r (m ≥ n) from q̄ and r̄ (nil: zero).
    mutating func qrCotangent(_ q: NodeID, _ r: NodeID, _ gq: NodeID?, _ gr: NodeID?) -> NodeID? {
        let n = shape(r)[shape(r).count - 1]
        let fromR = gr.map { matrixProduct(r, swapLastAxes($0)) }
        let fromQ = gq.map { neg(matrixProduct(swapLastAxes($0), q)) }
        guard let m = sum(fromR, fromQ) else { return nil }
        let copied = add(mul(m, triangle(n, lower: true)), swapLastAxes(mul(m, strictlyLower(n))))
        let y = sum(gq, matrixProduct(q, copied))!
        return rightSolve(y, r, transposed: true)
    }

    /// Columns `start..<end` (the last axis) of `x`.
    mutating func columns(_ x: NodeID, _ start: Int, _ end: Int) -> NodeID {
        node(.slice(axis: shape(x).count - 1, start: start, end: end, step: 1), x)
    }

    /// `x r⁻¹` (or `x r⁻ᵀ` when `transposed`) for an upper triangular `r` of `lead + [n, n]` and
    /// `x` of `batch + lead + [p, n]`: `(r⁻ᵀ xᵀ)ᵀ` (or `(r⁻¹ xᵀ)ᵀ`), one stacked triangular solve
    /// (the transpose of r is read in place by the routine), the direction batch in its columns.
    mutating func rightSolve(_ x: NodeID, _ r: NodeID, transposed: Bool) -> NodeID {
        let (sr, sx) = (shape(r), shape(x))
        let a = transposed ? r : swapLastAxes(r), lower = !transposed
        let outer = Array(sx.dropLast(sr.count))
        let solved = solving(swapLastAxes(x), batch: outer, stack: sr.count - 2) { g, t in
            g.node(.solveTriangular(lower: lower), a, t)
        }
        return swapLastAxes(solved)
    }
}
