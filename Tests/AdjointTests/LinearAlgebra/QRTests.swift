import Testing
import TestSupport

@testable import Adjoint

/// `qr`, NumPy's reduced mode with r's diagonal ≥ 0: `Q · R = A` with Q's columns orthonormal and
/// R upper triangular, on square, tall and wide matrices of sizes 1–8 and a batch of 3;
/// derivatives in both modes (first and second order) for tall, square, wide and batched.
@Suite struct QRTests {
    @Test func identitiesOnEverySize() {
        for (m, n) in Spectral.sizes {
            for lead in [[], [3]] {
                let a = Spectral.matrix(lead, m, n, seed: UInt64(10 * m + n))
                let (q, r) = qr(a)
                let k = Swift.min(m, n)
                #expect(q.shape == lead + [m, k] && r.shape == lead + [k, n], "\(m)×\(n)")
                #expect(Spectral.largest(matmul(q, r) - a) < 1e-13, "\(m)×\(n) lead \(lead)")
                #expect(Spectral.orthonormality(q) < 1e-13, "\(m)×\(n)")
                #expect(tril(r, k: -1).scalars.allSatisfy { $0 == 0 }, "\(m)×\(n): r is not upper triangular")
                #expect(diagonal(moveAxis(moveAxis(r, -2, 0), -1, 1)).scalars.allSatisfy { $0 >= 0 }, "\(m)×\(n)")
            }
        }
    }

    /// The sign rule makes q and r functions of a, so any weighting of them is differentiable.
    @Test(arguments: [([Int](), 4, 3), ([], 3, 3), ([], 2, 4), ([3], 3, 2), ([3], 2, 3)])
    func derivatives(_ lead: [Int], _ m: Int, _ n: Int) {
        let a = Spectral.matrix(lead, m, n, seed: 23)
        var rng = SplitMix64(seed: 8)
        let k = Swift.min(m, n)
        let (cq, cr) = (rng.tensor([m, k]), rng.tensor([k, n]))
        Spectral.checkDerivatives({ x in let (q, r) = qr(x); return sum(q * cq) + sum(sin(r) * cr) }, at: a)
    }

    /// A square a: `q r = a` agrees with the solve `r⁻¹` that `det` implies: |det a| = Π diag(r).
    @Test func diagonalOfRIsTheDeterminantsMagnitude() {
        let a = Tensor(shape: [2, 2], scalars: [3, 1, 4, 2])  // det = 2
        let r = qr(a).r
        #expect(Swift.abs(r.scalars[0] * r.scalars[3] - 2) < 1e-14)
    }

    /// A rank-deficient column (here a zero one) gives a zero on r's diagonal, q still orthonormal.
    @Test func rankDeficient() {
        let a = Tensor(shape: [3, 2], scalars: [1, 0, 2, 0, 2, 0])
        let (q, r) = qr(a)
        #expect(Spectral.largest(matmul(q, r) - a) < 1e-14)
        #expect(Spectral.orthonormality(q) < 1e-14)
        #expect(r.scalars[3] == 0)
    }
}

/// Batched directions (a whole Jacobian in one sweep) go through the rules' batch handling: the
/// forward and reverse Jacobians agree with each other and with central differences, compiled too.
@Suite struct SpectralJacobianTests {
    static let functions: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("eigh", { x in let (w, v) = eigh(x); return concatenate([w.reshaped([-1]), v.reshaped([-1])], axis: 0) }),
        ("qr", { x in let (q, r) = qr(x); return concatenate([q.reshaped([-1]), r.reshaped([-1])], axis: 0) }),
        ("svd", { x in let (u, s, vt) = svd(x); return concatenate([u.reshaped([-1]), s.reshaped([-1]), vt.reshaped([-1])], axis: 0) }),
    ]

    @Test(arguments: [([2, 3, 3], 0), ([2, 4, 2], 1), ([2, 2, 4], 1), ([3, 2], 2), ([2, 3, 2], 2)])
    func forwardAndReverseJacobiansAgree(_ shape: [Int], _ which: Int) {
        let (name, f) = Self.functions[which]
        let a = Spectral.matrix(Array(shape.dropLast(2)), shape[shape.count - 2], shape[shape.count - 1], seed: 5)
        let forward = jacobian(f, mode: .forward)(a), reverse = jacobian(f, mode: .reverse)(a)
        #expect(relativeError(forward, reverse) < 1e-12, "\(name) \(shape)")
        #expect(relativeError(compile(jacobian(f, mode: .forward))(a), forward) < 1e-12, "\(name) compiled")
        var rng = SplitMix64(seed: 2)
        let v = rng.tensor(a.shape)
        let fd = (f(a + 1e-5 * v) - f(a - 1e-5 * v)) / 2e-5
        let jv = matmul(forward.reshaped([fd.count, a.count]), v.reshaped([a.count]))
        #expect(relativeError(jv, fd) < 1e-6, "\(name) \(shape) against central differences")
    }
}
