import Testing
import TestSupport

@testable import Adjoint

/// The linear algebra of LU and Cholesky: `solve`, `inv`, `det`, `slogdet`, `cholesky` and
/// `solveTriangular`, on single matrices and stacks (a batch of 3, leading axes that broadcast),
/// with vector and matrix right-hand sides, through `SystematicCheck` (both modes to second order
/// against central differences, compiled against interpreted).
enum LinearAlgebraGrid {
    /// A well-conditioned matrix: a strong diagonal (n + 1 against entries of at most 1)...
    @Sendable static func conditioned(_ x: Tensor) -> Tensor {
        let n = x.shape.last!
        return x + Double(n + 1) * Tensor.identity(n)
    }

    /// ...with its rows reversed, so that partial pivoting swaps rows (and a determinant's sign
    /// comes from the permutation).
    @Sendable static func pivoting(_ xs: [Tensor]) -> [Tensor] {
        [flip(conditioned(xs[0]), axis: -2)] + xs.dropFirst()
    }

    @Sendable static func dominant(_ xs: [Tensor]) -> [Tensor] { [conditioned(xs[0])] + xs.dropFirst() }

    static func square(_ function: String, _ shapes: [[Int]], pivot: Bool = true, _ f: @escaping @Sendable ([Tensor]) -> Tensor) -> GridCase {
        GridCase(function, shapes, [-1...1], note: pivot ? "pivoting" : "", prepare: pivot ? pivoting : dominant, f)
    }

    static let solve: [GridCase] = [
        ([[1, 1], [1]], true), ([[3, 3], [3]], true), ([[3, 3], [3, 2]], true), ([[3, 3], [3, 2]], false),
        ([[3, 2, 2], [3, 2, 1]], true), ([[2, 3, 3], [3]], true), ([[3, 3], [2, 3, 2]], true), ([[2, 1, 2, 2], [3, 2, 2]], true),
    ].map { square("solve", $0.0, pivot: $0.1) { Adjoint.solve($0[0], $0[1]) } }

    static let inverse: [GridCase] = [[[1, 1]], [[3, 3]], [[3, 2, 2]]].flatMap { shapes in
        [true, false].map { pivot in square("inv", shapes, pivot: pivot) { inv($0[0]) } }
    }

    static let determinants: [GridCase] = [[[1, 1]], [[3, 3]], [[4, 4]], [[3, 2, 2]]].flatMap { shapes in
        [square("det", shapes) { det($0[0]) }, square("slogdet", shapes) { slogdet($0[0]).logAbsDet },
         square("slogdet", shapes, pivot: false) { let s = slogdet($0[0]); return s.sign * s.logAbsDet }]
    }

    static let cholesky: [GridCase] = [[[1, 1]], [[3, 3]], [[4, 4]], [[3, 2, 2]]].map { shapes in
        GridCase("cholesky", shapes, [-1...1], prepare: dominant) { Adjoint.cholesky($0[0]) }
    }

    static let triangular: [GridCase] = [
        ([[3, 3], [3]], true), ([[3, 3], [3, 2]], false), ([[3, 3, 3], [3, 3, 2]], true), ([[2, 3, 3], [3]], false),
        ([[3, 3], [2, 3, 1]], true),
    ].map { shapes, lower in
        GridCase("solveTriangular", shapes, [-1...1], note: lower ? "lower" : "upper", prepare: dominant) {
            solveTriangular($0[0], $0[1], lower: lower)
        }
    }

    /// Every case, for the coverage table.
    static let all = solve + inverse + determinants + cholesky + triangular
}

@Suite struct LinearAlgebraGridTests {
    @Test(arguments: LinearAlgebraGrid.solve) func solve(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: LinearAlgebraGrid.inverse) func inverse(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: LinearAlgebraGrid.determinants) func determinants(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: LinearAlgebraGrid.cholesky) func cholesky(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: LinearAlgebraGrid.triangular) func triangular(_ c: GridCase) { SystematicCheck.check(c) }
}
