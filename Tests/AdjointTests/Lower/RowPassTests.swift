import Testing
import TestSupport

@testable import Adjoint

/// Row passes (Lower/RowPass.swift): X·w, row-wise work and Xᵀ·v in one pass over X's rows.
/// Where the pass applies, the kernel must agree with the interpreter (1e-12) and both tiers bit
/// for bit; where it must not (a row-wise op reading another row, a matrix read once, a small
/// matrix), lowering must leave the products as they are.
@Suite(.serialized) struct RowPassTests {
    static func logistic(_ w: Tensor, _ X: Tensor, _ t: Tensor) -> Tensor {
        let p = 0.5 * (tanh(matmul(X, w) / 2) + 1)
        return -sum(log(p * t + (1 - p) * (1 - t)))
    }

    static func leastSquares(_ w: Tensor, _ X: Tensor, _ y: Tensor) -> Tensor {
        let r = matmul(X, w) - y
        return 0.5 * sum(r * r)
    }

    /// The lowered program of `f`'s gradient with respect to its first argument.
    static func gradientProgram(_ shapes: [[Int]], _ f: @escaping (Tensor, Tensor, Tensor) -> Tensor) -> LoopProgram {
        LoopProgram(tracing: { x in [grad(f, wrt: 0)(x[0], x[1], x[2])] }, at: shapes.map(Tensor.zeros))
    }

    static func data(_ n: Int, _ d: Int, seed: UInt64) -> [Tensor] {
        var rng = SplitMix64(seed: seed)
        let t = Tensor(shape: [n], scalars: rng.tensor([n], in: 0...1).scalars.map { $0 < 0.5 ? 0 : 1 })
        return [rng.tensor([d], in: -0.3...0.3), rng.tensor([n, d]), t]
    }

    static func expectAgreement(_ f: @escaping (Tensor, Tensor, Tensor) -> Tensor, _ args: [Tensor],
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let compiled = compile(valueAndGrad(f, wrt: 0))
        try OptimizedTierTests.expectSameResults(compiled.specializations, { x in
            let r = valueAndGrad(f, wrt: 0)(x[0], x[1], x[2])
            return [r.value, r.gradient]
        }, args, sourceLocation: sourceLocation)
    }

    @Test(arguments: [(1003, 37), (10000, 100), (64, 256), (4097, 5)])
    func logisticRegressionFusesAndAgrees(n: Int, d: Int) throws {
        let p = Self.gradientProgram([[d], [n, d], [n]], Self.logistic)
        #expect(p.rowPasses.count == 1)
        #expect(p.rowPasses.first.map { [$0.products.count, $0.accumulations.count, $0.rows, $0.columns] } == [1, 1, n, d])
        #expect(!p.steps.contains { if case .call = $0 { true } else { false } }, "both products run inside the pass")
        LoweringTests.expectNoOverlap(p)
        try Self.expectAgreement(Self.logistic, Self.data(n, d, seed: UInt64(n * 31 + d)))
    }

    @Test func leastSquaresFusesAndAgrees() throws {
        let p = Self.gradientProgram([[40], [2000, 40], [2000]], Self.leastSquares)
        #expect(p.rowPasses.count == 1)
        try Self.expectAgreement(Self.leastSquares, Self.data(2000, 40, seed: 7))
    }

    @Test func theGradientMatchesTheClosedForm() {
        // Least squares: ∇ = Xᵀ(Xw − y), computed here without the library.
        let (n, d) = (1500, 20)
        let args = Self.data(n, d, seed: 11)
        let (w, X, y) = (args[0].scalars, args[1].scalars, args[2].scalars)
        var expected = [Double](repeating: 0, count: d)
        for i in 0..<n {
            var r = -y[i]
            for j in 0..<d { r += X[i * d + j] * w[j] }
            for j in 0..<d { expected[j] += r * X[i * d + j] }
        }
        let ours = compile(grad(Self.leastSquares, wrt: 0))(args[0], args[1], args[2])
        #expect(relativeError(ours, Tensor(shape: [d], scalars: expected)) <= 1e-12)
    }

    @Test func aRowWiseOpReadingAnotherRowDoesNotFuse() throws {
        // Each row's weight depends on the next row's product: the products must be complete first.
        let shifted: (Tensor, Tensor, Tensor) -> Tensor = { w, X, t in
            let z = matmul(X, w)
            return sum(t * tanh(roll(z, 1)) + cumsum(z) * 0.001)
        }
        let p = Self.gradientProgram([[50], [1000, 50], [1000]], shifted)
        #expect(p.rowPasses.isEmpty)
        try Self.expectAgreement(shifted, Self.data(1000, 50, seed: 13))
    }

    @Test func aMatrixReadOnceDoesNotFuse() throws {
        let value: (Tensor, Tensor) -> Tensor = { w, X in sum(tanh(matmul(X, w))) }
        let p = LoopProgram(tracing: { x in [value(x[0], x[1])] }, at: [[50], [1000, 50]].map(Tensor.zeros))
        #expect(p.rowPasses.isEmpty)
        // The gradient with respect to X is an outer product, not Xᵀ·v: nothing to fuse either.
        let q = LoopProgram(tracing: { x in [grad(value, wrt: 1)(x[0], x[1])] }, at: [[50], [1000, 50]].map(Tensor.zeros))
        #expect(q.rowPasses.isEmpty)
    }

    @Test func aSmallMatrixStaysTwoProducts() {
        let p = Self.gradientProgram([[3], [4, 3], [4]], Self.logistic)
        #expect(p.rowPasses.isEmpty)
    }

    @Test func theHessianVectorProductAgrees() throws {
        // Forward over reverse: more products over X, with and without passes.
        let (n, d) = (800, 30)
        let args = Self.data(n, d, seed: 17)
        let loss: (Tensor) -> Tensor = { w in Self.logistic(w, args[1], args[2]) }
        var rng = SplitMix64(seed: 19)
        let v = rng.tensor([d])
        let hvp = compile(hessianVectorProduct(loss))
        #expect(relativeError(hvp(args[0], v), hessianVectorProduct(loss)(args[0], v)) <= 1e-12)
    }
}
