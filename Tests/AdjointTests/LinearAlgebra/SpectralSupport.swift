import Testing
import TestSupport

@testable import Adjoint

/// What the spectral tests share: random matrices, identities measured as largest errors, and the
/// derivative checks of a scalar function in both modes.
enum Spectral {
    /// The (m, n) pairs of the identity tests: every size 1–8 square, and tall and wide ones.
    static let sizes: [(Int, Int)] = (1...8).map { ($0, $0) } + [(2, 1), (5, 3), (8, 2), (1, 2), (3, 5), (2, 8), (7, 6)]

    /// A random m×n matrix (or stack `lead + [m, n]`) with a spread diagonal: well-conditioned,
    /// with distinct singular values (and eigenvalues of its symmetric part).
    static func matrix(_ lead: [Int], _ m: Int, _ n: Int, seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        let noise = rng.tensor(lead + [m, n], in: -0.5...0.5)
        let d: [Double] = (0..<(m * n)).map { (e: Int) -> Double in e / n == e % n ? 1.5 * Double(e / n + 1) : 0 }
        return noise + Tensor(shape: [m, n], scalars: d)
    }

    /// The largest absolute element of `t`.
    static func largest(_ t: Tensor) -> Double { t.scalars.map(\.magnitude).max() ?? 0 }

    /// The n×n identity.
    static func eye(_ n: Int) -> Tensor { Tensor(shape: [n, n], scalars: (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1 : 0 }) }

    /// `xᵀ x − I` for each matrix of a stack (columns orthonormal: all ≈ 0).
    static func orthonormality(_ x: Tensor) -> Double {
        largest(matmul(swapAxes(x, -1, -2), x) - eye(x.shape[x.rank - 1]))
    }

    /// Reverse and forward mode of `f` at `x` against central differences along a random
    /// direction, and (with `second`) the reverse-over-reverse and forward-over-reverse second
    /// derivatives too.
    static func checkDerivatives(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, second: Bool = true, seed: UInt64 = 3,
                                 tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
        var rng = SplitMix64(seed: seed)
        let (v, w) = (rng.tensor(x.shape), rng.tensor(x.shape))
        func close(_ ad: Double, _ fd: Double, _ what: String, _ tol: Double) {
            #expect(Swift.abs(ad - fd) <= tol * Swift.max(1, Swift.abs(fd)), "\(what): \(ad) vs \(fd)", sourceLocation: sourceLocation)
        }
        func difference(_ g: (Tensor) -> Tensor) -> Double {
            let h = 1e-5
            return (g(x + h * v).scalar - g(x - h * v).scalar) / (2 * h)
        }
        let fd = difference(f)
        close(innerProduct(grad(f)(x), v), fd, "reverse mode", tolerance)
        close(jvp(f, at: x, tangent: v).tangent.scalar, fd, "forward mode", tolerance)
        guard second else { return }
        let directional: (Tensor) -> Tensor = { y in sum(grad(f)(y) * w) }
        let fd2 = difference(directional)
        close(innerProduct(grad(directional)(x), v), fd2, "reverse over reverse", 10 * tolerance)
        close(jvp(directional, at: x, tangent: v).tangent.scalar, fd2, "forward over reverse", 10 * tolerance)
    }

    /// Whether any element of `t` is infinite or NaN.
    static func hasNonFinite(_ t: Tensor) -> Bool { t.scalars.contains { !$0.isFinite } }
}
