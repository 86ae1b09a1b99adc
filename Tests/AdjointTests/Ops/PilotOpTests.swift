#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

@testable import Adjoint

/// The ops that came in through the op table (issue 13), beyond what the conformance suite checks
/// of every row: exact values, the derivatives at the points that matter, shape errors.
@Suite struct PilotOpTests {
    // MARK: atan

    @Test func atanIsLibmsAndItsDerivativeIsTheTextbooks() {
        let x = Tensor(linspace: -5, 5, count: 11)
        #expect(atan(x).scalars == x.scalars.map { Glibc.atan($0) })
        let g = grad { sum(atan($0)) }(x)
        #expect(relativeError(g, Tensor(shape: [11], scalars: x.scalars.map { 1 / (1 + $0 * $0) })) <= 1e-15)
        #expect(compile(grad { sum(atan($0)) })(x).scalars == g.scalars)
    }

    // MARK: prod

    @Test func prodAndItsGradientAtZeros() {
        let x: Tensor = [2, 0, 3]
        #expect(prod(x).scalar == 0)
        #expect(grad(prod)(x).scalars == [0, 6, 0])
        let two: Tensor = [0, 0, 3]
        #expect(grad(prod)(two).scalars == [0, 0, 0])
        // The Hessian at two zeros: only the pair of zeros has a nonzero mixed derivative (3).
        #expect(hessian(prod)(two).scalars == [0, 3, 0, 3, 0, 0, 0, 0, 0])
        #expect(hessian(prod)(x).scalars == [0, 3, 0, 3, 0, 2, 0, 2, 0])
        #expect(compile(hessian(prod))(two).scalars == hessian(prod)(two).scalars)
        #expect(compile(grad(prod))(x).scalars == [0, 6, 0])
    }

    @Test func prodAlongAnAxisAndOfNothing() {
        let m: Tensor = [[1, 2, 3], [4, 5, 6]]
        #expect(prod(m, axis: 1).scalars == [6, 120])
        #expect(prod(m, axis: -2).scalars == [4, 10, 18])
        #expect(prod(Tensor.zeros([0])).scalar == 1)
        let g = grad { sum(prod($0, axis: 0)) }(m)
        #expect(g.scalars == [4, 5, 6, 1, 2, 3])
        #expect(compile(grad { sum(prod($0, axis: 0)) })(m).scalars == g.scalars)
    }

    /// A long product: the tree of pairwise products keeps the graph small (log n levels) and
    /// its derivative right.
    @Test func longProductsStaySmall() throws {
        let n = 1000
        let x = Tensor(shape: [n], scalars: (0..<n).map { 1 + Double($0 % 7) / 1000 })
        let program = LoopProgram(tracing: { [grad(prod)($0[0])] }, at: [x])
        #expect(program.graph.count < 200, "\(program.graph.count) nodes")
        let g = compile(grad(prod))(x)
        let p = prod(x).scalar
        #expect(relativeError(g, Tensor(shape: [n], scalars: x.scalars.map { p / $0 })) <= 1e-12)
    }

    // MARK: solveTriangular

    static func lowerMatrix(_ n: Int, seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        return Tensor(shape: [n, n], scalars: (0..<(n * n)).map { k in
            let (i, j) = (k / n, k % n)
            return i == j ? 2 + Double.random(in: 0...1, using: &rng) : i > j ? Double.random(in: -1...1, using: &rng) : 0
        })
    }

    @Test func solveTriangularSolves() {
        let a = Self.lowerMatrix(5, seed: 1)
        var rng = SplitMix64(seed: 2)
        let b = rng.tensor([5, 3])
        let x = solveTriangular(a, b, lower: true)
        #expect(relativeError(matmul(a, x), b) <= 1e-14)
        let upper = solveTriangular(a.transposed(), b, lower: false)
        #expect(relativeError(matmul(a.transposed(), upper), b) <= 1e-14)
        let v = solveTriangular(a, b.transposed()[0], lower: true)
        #expect(relativeError(matmul(a, v), b.transposed()[0]) <= 1e-14)
        #expect(compile { (a: Tensor, b: Tensor) in solveTriangular(a, b, lower: true) }(a, b).scalars == x.scalars)
    }

    /// Only the triangle named is read, as SciPy's: the other may hold anything.
    @Test func theOtherTriangleIsNotRead() {
        let a = Self.lowerMatrix(4, seed: 3)
        let junk = Tensor(shape: [4, 4], scalars: a.scalars.enumerated().map { k, v in k % 4 > k / 4 ? .nan : v })
        let b: Tensor = [1, 2, 3, 4]
        #expect(solveTriangular(junk, b, lower: true).scalars == solveTriangular(a, b, lower: true).scalars)
        let f: (Tensor) -> Tensor = { m in sum(solveTriangular(m, b, lower: true)) }
        let g = grad(f)(junk)
        #expect(g.scalars.allSatisfy { $0.isFinite })
        #expect(compile(grad(f))(junk).scalars == g.scalars)
    }

    /// The derivatives in closed form: b̄ = a⁻ᵀ ḡ, ā = -tril(b̄ xᵀ); the Jacobian in b is a⁻¹.
    @Test func derivativesInClosedForm() {
        let a = Self.lowerMatrix(4, seed: 5)
        let b: Tensor = [1, -2, 0.5, 3]
        let w: Tensor = [0.3, -1, 2, 0.7]
        let f: (Tensor, Tensor) -> Tensor = { a, b in sum(solveTriangular(a, b, lower: true) * w) }
        let (ga, gb) = { let g = grad(f, wrt: [0, 1])(a, b); return (g[0], g[1]) }()
        let x = solveTriangular(a, b, lower: true)
        let expectedB = solveTriangular(a.transposed(), w, lower: false)
        #expect(relativeError(gb, expectedB) <= 1e-14)
        let outer = matmul(expectedB.reshaped([4, 1]), x.reshaped([1, 4]))
        let mask = Tensor(shape: [4, 4], scalars: (0..<16).map { $0 % 4 <= $0 / 4 ? 1 : 0 })
        #expect(relativeError(ga, -(outer * mask)) <= 1e-14)
        for mode in [JacobianMode.forward, .reverse] {
            let j = jacobian({ solveTriangular(a, $0, lower: true) }, mode: mode)(b)
            #expect(relativeError(matmul(a, j), Tensor(shape: [4, 4], scalars: (0..<16).map { $0 % 5 == 0 ? 1 : 0 })) <= 1e-14)
        }
    }

    @Test func shapeErrorsNameTheOpAndShapes() {
        #expect(throws: ShapeError.self) { try Tensor.checkingShapes { _ = solveTriangular(Tensor.zeros([2, 3]), Tensor.zeros([2]), lower: true) } }
        do {
            try Tensor.checkingShapes { _ = solveTriangular(Tensor.zeros([3, 3]), Tensor.zeros([2]), lower: true) }
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("solveTriangular"))
            #expect("\(error)".contains("(3, 3)") && "\(error)".contains("(2,)"))
        }
    }

    // MARK: sincos, the op with two results

    @Test func sincosGivesBothResultsOnceAndCompiles() {
        let x = Tensor(linspace: -3, 3, count: 7)
        let (s, c) = sincos(x)
        #expect(s.scalars == x.scalars.map { Glibc.sin($0) })
        #expect(c.scalars == x.scalars.map { Glibc.cos($0) })
        let f: (Tensor) -> Tensor = { x in let r = sincos(x); return sum(r.sin * r.sin - r.cos) }
        #expect(relativeError(grad(f)(x), 2 * sin(x) * cos(x) + sin(x)) <= 1e-15)
        // One tuple node, whose two projections share it: one routine call in the kernel.
        let source = compile(f).cSource(for: [[7]])
        #expect(source.components(separatedBy: "adj_sincos(").count == 3)  // the prototype and one call
        #expect(compile(f)(x).scalar == f(x).scalar)
    }
}
