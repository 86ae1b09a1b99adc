/// The spectral decompositions, NumPy's `linalg.eigh`, `qr`, `svd` and `pinv`, each batched over
/// leading axes. Their factorizations run in Runtime routines; their derivatives (both modes, every
/// order) follow the standard rules, which hold where the spectrum is distinct (see each function).

/// The eigenvalues (ascending) and eigenvectors (columns: `a = V · diag(w) · Vᵀ`) of each symmetric
/// matrix of `a` ([..., n, n]), NumPy's `eigh` with `UPLO='L'`: only the lower triangle is read.
///
/// It is the primitive applied to `tril(a) + tril(a, -1)ᵀ`, so the derivative with respect to the
/// upper triangle is exactly 0 and with respect to an element below the diagonal counts it twice
/// (it stands for two elements of the symmetric matrix), as central differences on `a` see it.
///
/// Signs: each eigenvector's component of largest magnitude (the first of equal ones) is positive,
/// so the vectors are a function of `a` where the eigenvalues are distinct. Degenerate spectra:
/// at a repeated eigenvalue the vectors of its eigenspace are any orthonormal basis (the one the
/// reflections and QL rotations reach); the values stay differentiable there, and functions
/// invariant under the choice of basis (`sum(w)`, `V diag(f(w)) Vᵀ` with equal f on the repeated values) get finite
/// derivatives from the values' rule, but the vectors' derivative divides by the gap `w_j − w_i`,
/// which is 0: it is ±infinity or NaN (as autograd's and JAX's).
public func eigh(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> (values: Tensor, vectors: Tensor) {
    let location = "\(file):\(line)"
    do {
        _ = try Decompositions.eigh.shape(.eigh, [a.shape], nil)
    } catch var error {
        error.location = location
        let (lead, _, n) = Decompositions.parts(a.shape)
        return (ShapeErrors.report(error, fallback: lead + [n]), ShapeErrors.report(error, fallback: lead + [n, n]))
    }
    let symmetric = tril(a) + swapAxes(tril(a, k: -1), -1, -2)
    let r = Tensor.applyResults(.eigh, [symmetric], location: location)
    return (r[0], r[1])
}

/// The reduced QR factorization of each matrix of `a` ([..., m, n]), NumPy's default mode:
/// `q` [..., m, k] with orthonormal columns and `r` [..., k, n] upper triangular, k = min(m, n).
///
/// Sign: `r`'s diagonal is ≥ 0 (LAPACK's, hence NumPy's, may be negative: the factors then differ
/// by the sign of a column of `q` and the row of `r`). For `a` of full rank that makes the
/// factorization unique and differentiable (both modes, any m and n: a wide `a` is split as
/// `[x | y]` with x square, as JAX does). A rank-deficient `a` (a zero on `r`'s diagonal) has
/// derivatives that divide by it: infinite or NaN.
public func qr(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> (q: Tensor, r: Tensor) {
    let r = Tensor.applyResults(.qr, [a], location: "\(file):\(line)")
    return (r[0], r[1])
}

/// The reduced singular value decomposition of each matrix of `a` ([..., m, n]), NumPy's
/// `svd(a, full_matrices=False)`: `u` [..., m, k], `s` [..., k] descending, `vt` [..., k, n],
/// k = min(m, n), `a = u · diag(s) · vt`.
///
/// Signs: each column of `u` has its component of largest magnitude positive (the row of `vt`
/// follows). Degenerate spectra: equal singular values have any orthonormal basis of their
/// singular subspaces, and a zero singular value's vector is completed to an orthonormal basis.
/// The values' derivative (`u_j v_jᵀ` for `s_j`) is finite everywhere, equal values included, so
/// `sum(s)` (the nuclear norm) is differentiable at distinct nonzero values and gets a subgradient
/// (`u vt` with the completed vectors) at zero ones. The vectors' derivative divides by
/// `s_j² − s_i²` (infinite or NaN at equal values) and, for m ≠ n, by `s` (infinite or NaN at a
/// zero singular value), as autograd's and JAX's.
public func svd(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> (u: Tensor, s: Tensor, vt: Tensor) {
    let r = Tensor.applyResults(.svd, [a], location: "\(file):\(line)")
    return (r[0], r[1], r[2])
}

/// The Moore–Penrose pseudo-inverse of each matrix of `a` ([..., m, n] to [..., n, m]), NumPy's
/// `pinv` with its default cutoff: singular values at most `rcond · max(s)`, rcond = 1e-15, count
/// as 0 (their reciprocal is replaced by 0). The value is `vtᵀ · diag(1/s) · uᵀ` of `svd`.
///
/// The derivative is the fixed-rank one (Golub and Pereyra, autograd's `grad_pinv`), not `svd`'s:
/// `dP = −P dA P + P Pᵀ dAᵀ (I − A P) + (I − P A) dAᵀ Pᵀ P`, written with `P` itself, so it is
/// right at every rank, repeated and zero singular values included (where `svd`'s vector rules
/// divide by 0), and every order works. At a rank change (a singular value crossing the cutoff)
/// the value jumps and no derivative describes that.
public func pinv(_ a: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let fixedRank = customDerivative(
        of: { x in pseudoInverseBySVD(x, file: file, line: line) },
        pullback: { x, p, g in
            // ā = (−P gᵀ P + P Pᵀ g (I − A P) + (I − P A) g Pᵀ P)ᵀ for the cotangent g of P.
            let (pt, (left, right)) = (swapAxes(p, -1, -2), PseudoInverse.complements(x, p))
            let sum = -matmul(matmul(p, swapAxes(g, -1, -2)), p) + matmul(matmul(matmul(p, pt), g), left)
                + matmul(matmul(matmul(right, g), pt), p)
            return swapAxes(sum, -1, -2)
        },
        pushforward: { x, p, t in
            let (pt, tt, (left, right)) = (swapAxes(p, -1, -2), swapAxes(t, -1, -2), PseudoInverse.complements(x, p))
            return -matmul(matmul(p, t), p) + matmul(matmul(matmul(p, pt), tt), left) + matmul(matmul(matmul(right, tt), pt), p)
        })
    return fixedRank(a)
}

/// The fixed-rank derivative's projectors onto the complements of A's range and row space:
/// `(I − A P, I − P A)`.
private enum PseudoInverse {
    static func complements(_ a: Tensor, _ p: Tensor) -> (Tensor, Tensor) {
        let (m, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        return (Tensor.identity(m) - matmul(a, p), Tensor.identity(n) - matmul(p, a))
    }
}

/// `pinv`'s value: `vtᵀ · diag(1/s) · uᵀ` with NumPy's cutoff.
private func pseudoInverseBySVD(_ a: Tensor, file: StaticString, line: UInt) -> Tensor {
    let (u, s, vt) = svd(a, file: file, line: line)
    guard s.rank >= 1, s.shape[s.rank - 1] > 0 else {
        return Tensor.zeros(Array(a.shape.dropLast(2)) + Array(a.shape.suffix(2).reversed()))
    }
    let kept = s .> 1e-15 * max(s, axis: -1, keepDims: true)
    let inverse = `where`(kept, 1 / `where`(kept, s, 1), 0)
    return matmul(swapAxes(vt, -1, -2) * expandDims(inverse, axis: -2), swapAxes(u, -1, -2))
}
