import Testing
import TestSupport

@testable import Adjoint

/// `eigh`: NumPy's semantics (the lower triangle read, values ascending, vectors as columns), the
/// identity `V · diag(w) · Vᵀ = A` on sizes 1–8 and a batch of 3, derivatives of gauge-invariant
/// functions in both modes, and what it does at a repeated eigenvalue.
@Suite struct EighTests {
    /// `tril(a) + tril(a, -1)ᵀ`: the symmetric matrix whose lower triangle is a's.
    static func lowerSymmetric(_ a: Tensor) -> Tensor { tril(a) + swapAxes(tril(a, k: -1), -1, -2) }

    @Test(arguments: 1...8) func reconstructsOrthonormalAscending(_ n: Int) {
        for lead in [[], [3]] {
            let a = Spectral.matrix(lead, n, n, seed: UInt64(n))
            let (w, v) = eigh(a)
            #expect(w.shape == lead + [n] && v.shape == lead + [n, n])
            let rebuilt = matmul(v * expandDims(w, axis: -2), swapAxes(v, -1, -2))
            #expect(Spectral.largest(rebuilt - Self.lowerSymmetric(a)) < 1e-13, "n = \(n), lead \(lead)")
            #expect(Spectral.orthonormality(v) < 1e-13)
            let values = w.reshaped([Swift.max(lead.first ?? 1, 1), n]).scalars
            for b in 0..<(lead.first ?? 1) {
                for i in 1..<n { #expect(values[b * n + i - 1] <= values[b * n + i]) }
            }
        }
    }

    /// Each vector's component of largest magnitude is positive (the documented sign rule).
    @Test func signRule() {
        let (_, v) = eigh(Spectral.matrix([3], 5, 5, seed: 9))
        for b in 0..<3 {
            for j in 0..<5 {
                let column = (0..<5).map { v.scalars[b * 25 + $0 * 5 + j] }
                let big = column.max { $0.magnitude < $1.magnitude }!
                #expect(big > 0)
            }
        }
    }

    /// Only the lower triangle is read: the upper one changes nothing, and its derivative is 0.
    @Test func readsTheLowerTriangleOnly() {
        let a = Spectral.matrix([], 4, 4, seed: 2)
        let junk = a + triu(Spectral.matrix([], 4, 4, seed: 5) * 100, k: 1)
        #expect(eigh(a).values.scalars == eigh(junk).values.scalars)
        #expect(eigh(a).vectors.scalars == eigh(junk).vectors.scalars)
        let g = grad { (x: Tensor) in sum(eigh(x).values * Tensor([1, -2, 3, 0.5])) }(a)
        #expect(triu(g, k: 1).scalars.allSatisfy { $0 == 0 })
    }

    /// Functions that do not depend on the vectors' signs: the values, `V diag(f(w)) Vᵀ`, and the
    /// squares of the vectors' components; first and second order, both modes, single and batched.
    @Test(arguments: [[Int](), [3]]) func derivativesOfInvariantFunctions(_ lead: [Int]) {
        let a = Spectral.matrix(lead, 4, 4, seed: 17)
        var rng = SplitMix64(seed: 4)
        let c = rng.tensor([4, 4])
        Spectral.checkDerivatives({ x in sum(eigh(x).values * Tensor([1, -2, 3, 0.5])) }, at: a)
        Spectral.checkDerivatives({ x in
            let (w, v) = eigh(x)
            return sum(matmul(v * expandDims(sin(w), axis: -2), swapAxes(v, -1, -2)) * c)
        }, at: a)
        Spectral.checkDerivatives({ x in sum(eigh(x).vectors * eigh(x).vectors * c) }, at: a)
    }

    /// A repeated eigenvalue (a = I): the values' derivative is finite (sum(w) = trace, whose
    /// gradient is I), the vectors' is not (the gap 0 divides), as documented.
    @Test func repeatedEigenvalue() {
        let a = Spectral.eye(3)
        let g = grad { (x: Tensor) in sum(eigh(x).values) }(a)
        #expect(Spectral.largest(g - Spectral.eye(3)) < 1e-14)
        let gv = grad { (x: Tensor) in sum(eigh(x).vectors * Tensor(shape: [3, 3], scalars: (0..<9).map(Double.init))) }(a)
        #expect(Spectral.hasNonFinite(gv))
        var rng = SplitMix64(seed: 1)
        let t = jvp({ (x: Tensor) in eigh(x).vectors }, at: a, tangent: rng.tensor([3, 3])).tangent
        #expect(Spectral.hasNonFinite(t))
    }

    @Test func shapeErrorsNameTheOpAndShapes() {
        let wide = thrownMessage { eigh(Tensor.zeros([2, 3])) }
        #expect(wide.contains("eigh") && wide.contains("2") && wide.contains("3") && wide.contains("square"), "\(wide)")
        let vector = thrownMessage { eigh(Tensor.zeros([3])) }
        #expect(vector.contains("eigh") && vector.contains("rank 1"), "\(vector)")
        let q = thrownMessage { qr(Tensor.zeros([3])) }
        #expect(q.contains("qr") && q.contains("rank 1"), "\(q)")
        let s = thrownMessage { svd(Tensor(2)) }
        #expect(s.contains("svd") && s.contains("rank 0"), "\(s)")
    }
}

/// Whole second derivatives and empty matrices.
@Suite struct SpectralEdgeTests {
    /// The hessian of the largest eigenvalue (of a 3×3 matrix given by its 6 lower elements, so the
    /// hessian is of a function of ℝ⁶) is symmetric and matches central differences of the
    /// gradient, compiled as interpreted.
    @Test func hessianOfTheLargestEigenvalue() {
        let f: (Tensor) -> Tensor = { p in
            let rows = [p[0..<1], p[1..<3], p[3..<6]]
            let a = stack([concatenate([rows[0], Tensor([0, 0])]), concatenate([rows[1], Tensor([0])]), rows[2]])
            let w = eigh(a + Spectral.eye(3) * Tensor(shape: [3, 3], scalars: [0, 0, 0, 0, 3, 0, 0, 0, 6])).values
            return w[2] + sum(sin(w))
        }
        let p = Tensor([0.3, -0.2, 0.1, 0.4, 0.25, -0.35])
        let h = hessian(f)(p)
        #expect(Spectral.largest(h - h.transposed()) < 1e-10)
        let g = grad(f)
        for i in 0..<6 {
            var e = [Double](repeating: 0, count: 6)
            e[i] = 1e-5
            let column = (g(p + Tensor(e)) - g(p - Tensor(e))) / 2e-5
            #expect(Spectral.largest(column - h[i]) < 1e-6, "row \(i)")
        }
        #expect(relativeError(compile(hessian(f))(p), h) < 1e-10)
    }

    /// Empty matrices give empty factors (NumPy's shapes), not a crash.
    @Test func emptyMatrices() {
        #expect(eigh(Tensor.zeros([0, 0])).values.shape == [0])
        #expect(eigh(Tensor.zeros([2, 0, 0])).vectors.shape == [2, 0, 0])
        let (q, r) = qr(Tensor.zeros([3, 0]))
        #expect(q.shape == [3, 0] && r.shape == [0, 0])
        let (u, s, vt) = svd(Tensor.zeros([0, 4]))
        #expect(u.shape == [0, 0] && s.shape == [0] && vt.shape == [0, 4])
        #expect(pinv(Tensor.zeros([2, 0])).shape == [0, 2])
    }
}
