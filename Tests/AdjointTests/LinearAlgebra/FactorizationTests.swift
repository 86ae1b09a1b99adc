import Testing
import TestSupport

@testable import Adjoint

/// LU and Cholesky and what is made of them, by identities (DESIGN.md: for linear algebra the
/// truths are `A·inv(A) = I`, `L·Lᵀ = A`, not a second implementation) on random well-conditioned
/// matrices of sizes 1–8, a batch of 3, and sizes past the blocking of `Runtime/factor.c` (32 columns);
/// what happens at singular and indefinite matrices; one factorization per matrix.
@Suite struct FactorizationTests {
    /// A random n×n matrix with a strong diagonal, rows reversed (so pivoting swaps rows).
    static func matrix(_ n: Int, batch: [Int] = [], seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        let x = rng.tensor(batch + [n, n]) + Double(n) * Tensor.identity(n)
        return flip(x, axis: -2)
    }

    /// A random symmetric positive-definite matrix `x·xᵀ + I`.
    static func spd(_ n: Int, batch: [Int] = [], seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        let x = rng.tensor(batch + [n, n])
        return matmul(x, swapAxes(x, -1, -2)) + Tensor.identity(n)
    }

    static func maxError(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    static let sizes = [1, 2, 3, 4, 5, 6, 7, 8, 33, 100]

    @Test(arguments: sizes) func inverseSolveAndDeterminant(n: Int) {
        for batch in [[], [3]] {
            let a = Self.matrix(n, batch: batch, seed: UInt64(n))
            let identity = broadcast(Tensor.identity(n), to: batch + [n, n])
            #expect(Self.maxError(matmul(a, inv(a)), identity) < 1e-12 * Double(n))
            var rng = SplitMix64(seed: 7)
            let b = rng.tensor(batch + [n, 2]), v = rng.tensor([n])
            let x = solve(a, b)
            #expect(Self.maxError(matmul(a, x), b) < 1e-12 * Double(n))
            #expect(Self.maxError(x, matmul(inv(a), b)) < 1e-12 * Double(n))
            #expect(Self.maxError(matmul(a, solve(a, v).reshaped(batch + [n, 1])), broadcast(v.reshaped([n, 1]), to: batch + [n, 1])) < 1e-12 * Double(n))
            // det against slogdet, and against the product rule det(A·B) = det A · det B.
            let (sign, logAbsDet) = slogdet(a)
            #expect(Self.maxError(det(a), sign * exp(logAbsDet)) <= 1e-12 * Swift.abs(det(a).scalars.map(\.magnitude).max()!))
            if n <= 8 {
                let c = Self.matrix(n, batch: batch, seed: 99)
                let product = det(matmul(a, c)), separate = det(a) * det(c)
                #expect(Self.maxError(product, separate) <= 1e-11 * separate.scalars.map(\.magnitude).max()!)
            }
        }
    }

    @Test func determinantsInClosedForm() {
        // As NumPy's, det is sign · exp(log|det|): 3.0000000000000004 for [[3]], NumPy's value too.
        #expect(Swift.abs(det(Tensor(shape: [1, 1], scalars: [3])).scalar - 3) <= 3 * Double.ulpOfOne)
        #expect(Self.maxError(det(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])), Tensor(-2)) < 1e-15)
        // A permutation matrix: the sign is the permutation's.
        let swap = Tensor(shape: [3, 3], scalars: [0, 1, 0, 1, 0, 0, 0, 0, 1])
        #expect(det(swap) == Tensor(-1))  // log 1 = 0: exact
        let s = slogdet(swap)
        #expect(s.sign == Tensor(-1) && s.logAbsDet == Tensor(0))
        // A stack: one determinant per matrix.
        let stack = Tensor(shape: [2, 2, 2], scalars: [2, 0, 0, 3, 0, 1, 1, 0])
        #expect(Self.maxError(det(stack), Tensor([6, -1])) <= 8 * Double.ulpOfOne)
        // Far past Double's range: slogdet stays exact where det overflows.
        let big = 1e200 * Tensor.identity(3)
        #expect(det(big).scalar == .infinity)
        #expect(Swift.abs(slogdet(big).logAbsDet.scalar - 3 * 200 * Foundation_log(10)) < 1e-12)
    }

    @Test(arguments: sizes) func choleskyFactorsItsMatrix(n: Int) {
        for batch in [[], [3]] {
            let a = Self.spd(n, batch: batch, seed: UInt64(100 + n))
            let l = cholesky(a)
            #expect(Self.maxError(matmul(l, swapAxes(l, -1, -2)), a) < 1e-12 * Double(n))
            let flat = l.reshaped([Shape.count(batch), n, n])
            for q in 0..<Shape.count(batch) {
                let m = flat[q]
                #expect(m == tril(m), "L is lower triangular")
                #expect(diagonal(m).scalars.allSatisfy { $0 > 0 }, "L's diagonal is positive")
            }
        }
    }

    @Test func choleskyReadsTheLowerTriangleOnly() {
        let a = Self.spd(4, seed: 5)
        let junk = tril(a) + triu(Tensor(shape: [4, 4], scalars: Array(repeating: .nan, count: 16)), k: 1)
        #expect(cholesky(junk) == cholesky(a))
        // ... so its derivative with respect to the upper triangle is exactly 0.
        let g = grad { x in sum(cholesky(x)) }(a)
        #expect(triu(g, k: 1) == Tensor.zeros([4, 4]))
    }

    @Test func indefiniteAndSingularMatricesGiveNonFiniteValuesNotTraps() {
        let indefinite = Tensor(shape: [2, 2], scalars: [1, 2, 2, 1])
        #expect(cholesky(indefinite).scalars.allSatisfy { $0.isNaN })
        // In a stack, only the indefinite matrix's factor is NaN.
        let stack = Tensor(shape: [2, 2, 2], scalars: [4, 2, 2, 3, 1, 2, 2, 1])
        let l = cholesky(stack).scalars
        #expect(l[0..<4].allSatisfy { $0.isFinite } && l[4..<8].allSatisfy { $0.isNaN })
        let singular = Tensor(shape: [2, 2], scalars: [1, 2, 2, 4])
        #expect(det(singular) == Tensor(0))
        let ls = slogdet(singular)
        #expect(ls.sign == Tensor(0) && ls.logAbsDet.scalar == -.infinity)
        #expect(solve(singular, Tensor([1, 1])).scalars.contains { !$0.isFinite })
        // The same in compiled code.
        let compiled = compile { (x: Tensor) in [cholesky(x), det(x)] }
        let r = compiled(indefinite)
        #expect(r[0].scalars.allSatisfy { $0.isNaN } && Self.maxError(r[1], Tensor(-3)) < 1e-14)
    }

    @Test func oneFactorizationServesSolveDeterminantAndTheirDerivatives() {
        let a = Self.matrix(4, seed: 3), b = Tensor([1, 2, 3, 4])
        let f: @Sendable (Tensor) -> Tensor = { x in slogdet(x).logAbsDet + sum(solve(x, b)) + sum(inv(x)) }
        let graph = LoopProgram(tracing: { [f($0[0]), grad(f)($0[0])] }, at: [a]).graph
        let ops = (0..<graph.count).map { graph[NodeID($0)].op }
        #expect(ops.filter { $0 == .lu }.count == 1)
        #expect(ops.contains(.luSolve(transposed: true)))
        // The compiled gradient agrees with the interpreted one, and with central differences.
        let g = grad(f)(a)
        #expect(relativeError(compile(grad(f))(a), g) < 1e-12)
        var rng = SplitMix64(seed: 11)
        checkGradients(f, at: a, rng: &rng)
    }

    /// Past the blocking (n > 32) the factorizations take the GEMM update path: compiled gradients
    /// there agree with the interpreter's, which calls the same routines.
    @Test func largeSystemsCompileAndAgree() {
        let a = Self.spd(60, seed: 8)
        var rng = SplitMix64(seed: 12)
        let b = rng.tensor([60])
        let f: @Sendable (Tensor) -> Tensor = { x in slogdet(x).logAbsDet + sum(solve(x, b)) + sum(cholesky(x)) }
        #expect(relativeError(compile(grad(f))(a), grad(f)(a)) < 1e-12)
        checkGradient(f, at: a, direction: rng.tensor([60, 60]))
    }

    /// The optimized tier binds the factorization routines like the matrix product: the same
    /// results as libtcc's code, bit for bit.
    @Test func theOptimizedTierCallsTheSameRoutines() throws {
        let a = Self.spd(40, seed: 21)
        let f: @Sendable (Tensor) -> Tensor = { x in slogdet(x).logAbsDet + sum(solve(x, x[0])) + sum(cholesky(x)) + sum(inv(x)) }
        try OptimizedTierTests.expectSameResults(compile(grad(f)).specializations, { [grad(f)($0[0])] }, [a])
    }

    @Test func shapeErrorsNameTheFunctionAndTheShapes() {
        let square = Tensor.zeros([3, 3])
        #expect(thrownMessage { solve(Tensor.zeros([3, 2]), Tensor.zeros([3])) }.contains("solve"))
        #expect(thrownMessage { solve(Tensor.zeros([3, 2]), Tensor.zeros([3])) }.contains("square"))
        #expect(thrownMessage { solve(square, Tensor.zeros([4])) }.contains("4 elements, the matrix 3 rows"))
        #expect(thrownMessage { solve(square, Tensor.zeros([2, 3])) }.contains("2 rows, the matrix 3"))
        #expect(thrownMessage { solve(Tensor.zeros([2, 3, 3]), Tensor.zeros([4, 3, 1])) }.contains("do not broadcast"))
        #expect(thrownMessage { inv(Tensor.zeros([3])) }.contains("rank 1"))
        #expect(thrownMessage { det(Tensor.zeros([2, 3])) }.contains("slogdet") || thrownMessage { det(Tensor.zeros([2, 3])) }.contains("det"))
        #expect(thrownMessage { cholesky(Tensor.zeros([2, 3])) }.contains("cholesky"))
        #expect(thrownMessage { solveTriangular(square, Tensor.zeros([2])) }.contains("solveTriangular"))
        #expect(thrownMessage { cholesky(Tensor.zeros([2, 3])) }.contains("(2, 3)"))
    }
}
