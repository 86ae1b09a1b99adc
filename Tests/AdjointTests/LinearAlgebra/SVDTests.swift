import Testing
import TestSupport

@testable import Adjoint

/// `svd` (reduced), `pinv` and the singular-value norms: `U · diag(s) · Vᵀ = A` with orthonormal
/// factors and s descending on sizes 1–8 (square, tall, wide) and a batch of 3; derivatives in
/// both modes; the pseudo-inverse's Penrose conditions, at full rank and below it; degenerate
/// singular values.
@Suite struct SVDTests {
    @Test func identitiesOnEverySize() {
        for (m, n) in Spectral.sizes {
            for lead in [[], [3]] {
                let a = Spectral.matrix(lead, m, n, seed: UInt64(7 * m + n))
                let (u, s, vt) = svd(a)
                let k = Swift.min(m, n)
                #expect(u.shape == lead + [m, k] && s.shape == lead + [k] && vt.shape == lead + [k, n])
                #expect(Spectral.largest(matmul(u * expandDims(s, axis: -2), vt) - a) < 1e-13, "\(m)×\(n) lead \(lead)")
                #expect(Spectral.orthonormality(u) < 1e-13 && Spectral.orthonormality(swapAxes(vt, -1, -2)) < 1e-13)
                let values = s.reshaped([Swift.max(lead.first ?? 1, 1), k]).scalars
                for b in 0..<(lead.first ?? 1) {
                    for i in 0..<k { #expect(values[b * k + i] >= 0) }
                    for i in 1..<Swift.max(k, 1) { #expect(values[b * k + i - 1] >= values[b * k + i]) }
                }
            }
        }
    }

    /// The singular values are the square roots of the eigenvalues of aᵀa (two routines agree).
    @Test func valuesAgreeWithEigh() {
        let a = Spectral.matrix([], 5, 3, seed: 31)
        let s = svd(a).s.scalars
        let w = eigh(matmul(a.transposed(), a)).values.scalars
        for i in 0..<3 { #expect(Swift.abs(s[i] - w[2 - i].squareRoot()) < 1e-12) }
    }

    @Test(arguments: [([Int](), 4, 3), ([], 3, 3), ([], 2, 4), ([3], 3, 2), ([3], 2, 3)])
    func derivatives(_ lead: [Int], _ m: Int, _ n: Int) {
        let a = Spectral.matrix(lead, m, n, seed: 41)
        var rng = SplitMix64(seed: 12)
        let k = Swift.min(m, n)
        let (cu, cs, cv, ca) = (rng.tensor([m, k]), rng.tensor([k]), rng.tensor([k, n]), rng.tensor([m, n]))
        // Gauge-invariant in the pair's signs: u_j v_jᵀ products, and s itself.
        Spectral.checkDerivatives({ x in
            let (u, s, vt) = svd(x)
            return sum(matmul(u * expandDims(cos(s), axis: -2), vt) * ca) + sum(s * s * cs)
        }, at: a)
        // The factors themselves (the sign rule makes them functions of a).
        Spectral.checkDerivatives({ x in let (u, _, vt) = svd(x); return sum(u * cu) + sum(vt * cv) }, at: a)
    }

    /// NumPy's pinv: the four Penrose conditions, and inv for a square matrix of full rank.
    @Test(arguments: [(4, 4), (5, 3), (2, 6)]) func pseudoInverse(_ m: Int, _ n: Int) {
        let a = Spectral.matrix([3], m, n, seed: 51)
        Self.expectPenrose(a, pinv(a))
        if m == n { #expect(Spectral.largest(matmul(pinv(a), a) - Spectral.eye(n)) < 1e-12) }
    }

    /// Below full rank (a rank-1 4×3 matrix): the dropped singular values give 0, not 1/0.
    @Test func pseudoInverseOfRankOne() {
        let a = Tensor(shape: [4, 3], scalars: [1, 2, 3, 2, 4, 6, 0, 0, 0, -1, -2, -3])
        let p = pinv(a)
        #expect(!Spectral.hasNonFinite(p))
        Self.expectPenrose(a, p)
        // The rank-1 pseudo-inverse: aᵀ / |a|²_F.
        #expect(Spectral.largest(p - a.transposed() / sum(a * a)) < 1e-13)
        // pinv's derivative is the fixed-rank one: finite with two zero singular values of a tall
        // matrix, and along a path that keeps the rank (a(t) = (u + t·du)(v + t·dv)ᵀ) it is the
        // central difference; the nuclear norm's (a subgradient with the completed vectors) is
        // finite with unit spectral norm.
        let pinvSum: (Tensor) -> Tensor = { x in sum(pinv(x)) }
        let tall = grad(pinvSum)(a)
        #expect(!Spectral.hasNonFinite(tall))
        let (u, v) = (Tensor([1, 2, 0, -1]).reshaped([4, 1]), Tensor([1, 2, 3]).reshaped([1, 3]))
        let (du, dv) = (Tensor([0.3, -0.2, 0.5, 0.1]).reshaped([4, 1]), Tensor([-0.4, 0.2, 0.1]).reshaped([1, 3]))
        let path: (Double) -> Tensor = { t in matmul(u + t * du, v + t * dv) }
        let h = 1e-6
        let difference = (pinvSum(path(h)).scalar - pinvSum(path(-h)).scalar) / (2 * h)
        let along = sum(tall * (matmul(du, v) + matmul(u, dv))).scalar
        #expect(Swift.abs(along - difference) < 1e-7 * Swift.max(1, Swift.abs(difference)), "\(along) vs \(difference)")
        #expect(relativeError(compile(grad(pinvSum))(a), tall) < 1e-12)
        let square = grad(pinvSum)(Tensor(shape: [3, 3], scalars: [1, 0, 0, 0, 2, 0, 0, 0, 0]))
        #expect(!Spectral.hasNonFinite(square))
        let nuclear: (Tensor) -> Tensor = { x in norm(x, ord: .nuc) }
        let g = grad(nuclear)(a)
        #expect(!Spectral.hasNonFinite(g) && Swift.abs(norm(g, ord: 2).scalar - 1) < 1e-12)
        #expect(Swift.abs(sum(g * a).scalar - norm(a, ord: .nuc).scalar) < 1e-12)
    }

    static func expectPenrose(_ a: Tensor, _ p: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
        let (ap, pa) = (matmul(a, p), matmul(p, a))
        #expect(Spectral.largest(matmul(ap, a) - a) < 1e-12, sourceLocation: sourceLocation)
        #expect(Spectral.largest(matmul(pa, p) - p) < 1e-12, sourceLocation: sourceLocation)
        #expect(Spectral.largest(ap - swapAxes(ap, -1, -2)) < 1e-12, sourceLocation: sourceLocation)
        #expect(Spectral.largest(pa - swapAxes(pa, -1, -2)) < 1e-12, sourceLocation: sourceLocation)
    }

    /// `.nuc`, 2 and -2 are the sum, largest and smallest singular value, over any pair of axes.
    @Test func singularValueNorms() {
        let a = Spectral.matrix([], 4, 3, seed: 61)
        let s = svd(a).s.scalars
        #expect(Swift.abs(norm(a, ord: .nuc).scalar - s.reduce(0, +)) < 1e-13)
        #expect(Swift.abs(norm(a, ord: 2).scalar - s[0]) < 1e-13)
        #expect(Swift.abs(norm(a, ord: -2).scalar - s[2]) < 1e-13)
        let stack = Spectral.matrix([2], 4, 3, seed: 62)  // [2, 4, 3]; axes [2, 1]: the transposes
        let n = norm(stack, ord: .nuc, axes: [2, 1])
        #expect(n.shape == [2])
        for b in 0..<2 {
            let slice = stack[b]
            #expect(Swift.abs(n.scalars[b] - svd(slice).s.scalars.reduce(0, +)) < 1e-13)
        }
        #expect(norm(stack, ord: 2, axes: [0, 2], keepDims: true).shape == [1, 4, 1])
        Spectral.checkDerivatives({ x in norm(x, ord: .nuc) + norm(x, ord: 2) - norm(x, ord: -2) }, at: a)
    }

    /// Equal singular values (a = 2I): the values' derivative is finite (sum(s) = trace here, its
    /// gradient I), the vectors' is not (the gap 0 divides), as documented.
    @Test func repeatedSingularValues() {
        let a = 2 * Spectral.eye(3)
        let g = grad { (x: Tensor) in sum(svd(x).s) }(a)
        #expect(Spectral.largest(g - Spectral.eye(3)) < 1e-14)
        let c = Tensor(shape: [3, 3], scalars: (0..<9).map(Double.init))
        #expect(Spectral.hasNonFinite(grad { (x: Tensor) in sum(svd(x).u * c) }(a)))
    }
}
