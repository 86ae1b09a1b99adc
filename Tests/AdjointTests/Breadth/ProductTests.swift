import Testing
import TestSupport

@testable import Adjoint

/// The products against NumPy's results (small integer inputs, so the values are exact), einsum
/// as the very kernel of matmul, batched products as one node, error messages, and a bilinear
/// form written with einsum.
@Suite struct ProductTests {
    private func arange(_ shape: [Int], from start: Double = 0) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { start + Double($0) })
    }

    private func thrown<T>(_ body: () throws -> T) -> String { thrownMessage(body) }

    @Test func outerInnerTensordotAgainstNumPy() {
        let a = arange([2, 3])
        #expect(outer(a, Tensor([1, 2])) == [[0, 0], [1, 2], [2, 4], [3, 6], [4, 8], [5, 10]])
        #expect(inner(a, arange([4, 3])) == [[5, 14, 23, 32], [14, 50, 86, 122]])
        #expect(tensordot(arange([2, 3, 4]), arange([3, 4, 2])) == [[1012, 1078], [2596, 2806]])
        #expect(tensordot(arange([2, 3, 4]), arange([2, 3]), axes: ([0, 1], [0, 1])) == Tensor([220, 235, 250, 265]))
        #expect(tensordot(arange([2, 3, 4]), arange([2, 3]), axes: ([-3, -2], [0, -1])) == Tensor([220, 235, 250, 265]))
        #expect(tensordot(Tensor([1, 2]), Tensor([3, 4, 5]), axes: 0) == [[3, 4, 5], [6, 8, 10]])
    }

    @Test func kronAndCrossAgainstNumPy() {
        #expect(kron([[1, 2], [3, 4]], [[0, 5], [6, 7]]) == [[0, 5, 0, 10], [6, 7, 12, 14], [0, 15, 0, 20], [18, 21, 24, 28]])
        #expect(kron(Tensor([1, 2, 3]), [[1, -1]]) == [[1, -1, 2, -2, 3, -3]])
        #expect(cross(Tensor([1, 2, 3]), Tensor([4, 5, 6])) == Tensor([-3, 6, -3]))
        #expect(cross([[1, 2, 3], [0, 0, 1]], Tensor([4, 5, 6])) == [[-3, 6, -3], [-5, 4, 0]])
        #expect(cross(Tensor([1, 2]), Tensor([3, 4])) == Tensor(-2))
        #expect(cross(Tensor([1, 2]), Tensor([3, 4, 5])) == Tensor([10, -5, -2]))
    }

    @Test func batchedMatmulAndDotAgainstNumPy() {
        let c = matmul(arange([2, 1, 2, 3]), arange([3, 3, 2]))
        #expect(c.shape == [2, 3, 2, 2])
        #expect(c.scalars == [10, 13, 28, 40, 28, 31, 100, 112, 46, 49, 172, 184,
                              46, 67, 64, 94, 172, 193, 244, 274, 298, 319, 424, 454])
        #expect(matmul(arange([3]), arange([3, 3, 2])) == [[10, 13], [28, 31], [46, 49]])
        #expect(matmul(arange([3, 2, 3]), arange([3])) == [[5, 14], [23, 32], [41, 50]])
        #expect(dot(arange([2, 3, 4]), arange([4, 2])) == [[[28, 34], [76, 98], [124, 162]], [[172, 226], [220, 290], [268, 354]]])
        let d = dot(arange([2, 3, 2]), arange([3, 2, 2]))
        #expect(d.shape == [2, 3, 3, 2])
        #expect(d.scalars == [2, 3, 6, 7, 10, 11, 6, 11, 26, 31, 46, 51, 10, 19, 46, 55, 82, 91,
                              14, 27, 66, 79, 118, 131, 18, 35, 86, 103, 154, 171, 22, 43, 106, 127, 190, 211])
    }

    @Test func einsumAgainstNumPy() {
        let a = arange([2, 3]), b = arange([3, 4], from: -5), square = arange([3, 3])
        #expect(einsum("ii->", square) == Tensor(12))
        #expect(einsum("ii", square) == Tensor(12))
        #expect(einsum("ii->i", square) == Tensor([0, 4, 8]))
        #expect(einsum("ij,jk", a, b) == [[5, 8, 11, 14], [-4, 8, 20, 32]])
        #expect(einsum("ba", a) == [[0, 3], [1, 4], [2, 5]])
        #expect(einsum("aB", a) == [[0, 3], [1, 4], [2, 5]])  // NumPy: uppercase sorts first
        #expect(einsum("ijk,kl,lm->im", arange([2, 3, 4]), arange([4, 2]), arange([2, 3]))
            == [[882, 1404, 1926], [2610, 4140, 5670]])
        #expect(einsum("...ij,...jk->...ik", arange([2, 2, 3]), arange([3, 2])) == [[[10, 13], [28, 40]], [[46, 67], [64, 94]]])
        #expect(einsum("iij->ji", arange([2, 2, 3])) == [[0, 9], [1, 10], [2, 11]])
        #expect(einsum("i,i->i", Tensor([2]), Tensor([1, 2, 3])) == Tensor([2, 4, 6]))  // 1 broadcasts, as NumPy's
        #expect(einsum(" i j , j k -> i k ", a, b) == matmul(a, b))
        #expect(einsum("i,j", Tensor([1, 2]), Tensor([3, 4, 5])) == [[3, 4, 5], [6, 8, 10]])
        #expect(einsum("ii", [[1, 2], [3, 4]]) == Tensor(5))
        #expect(einsum("i,i->", operands: [Tensor([1, 2]), Tensor([3, 4])]) == Tensor(11))
    }

    /// `einsum("ij,jk->ik")` is the graph of `matmul`: the same C, so the same bits, at sizes where
    /// the blocked kernel (not the exact small-product path) runs.
    @Test func einsumIsMatmulInCompiledCode() {
        var rng = SplitMix64(seed: 14)
        let (a, b) = (rng.tensor([40, 30]), rng.tensor([30, 20]))
        let viaEinsum = compile { (a: Tensor, b: Tensor) in einsum("ij,jk->ik", a, b) }
        let viaMatmul = compile { (a: Tensor, b: Tensor) in matmul(a, b) }
        #expect(viaEinsum.cSource(for: [[40, 30], [30, 20]]) == viaMatmul.cSource(for: [[40, 30], [30, 20]]))
        #expect(viaEinsum(a, b).scalars == viaMatmul(a, b).scalars)
        let (x, y) = (rng.tensor([5, 12, 9]), rng.tensor([5, 9, 11]))
        let batched = compile { (a: Tensor, b: Tensor) in einsum("bij,bjk->bik", a, b) }
        let stacked = compile { (a: Tensor, b: Tensor) in matmul(a, b) }
        #expect(batched.cSource(for: [[5, 12, 9], [5, 9, 11]]) == stacked.cSource(for: [[5, 12, 9], [5, 9, 11]]))
        #expect(batched(x, y).scalars == stacked(x, y).scalars)
        #expect(relativeError(batched(x, y), matmul(x, y)) <= 1e-13)
        // The transposed product is read in place, as with matmul.
        let t = compile { (a: Tensor, b: Tensor) in einsum("ji,jk->ik", a, b) }
        let source = t.cSource(for: [[30, 40], [30, 20]])
        #expect(source.contains("adj_matmul(") && !source.contains("transpose"))
        #expect(t(a.transposed(), b).scalars == viaMatmul(a, b).scalars)
    }

    /// A stack of products is one node (one routine call), whatever the batch; its gradient
    /// is two more, reading the transposes of the last two axes in place.
    @Test func batchedMatmulIsOneCall() {
        let f = compile { (a: Tensor, b: Tensor) in matmul(a, b) }
        let source = f.cSource(for: [[100, 3, 4], [100, 4, 2]])
        #expect(source.ranges(of: "adj_matmul_batched(").count == 2)  // prototype, call
        let g = compile { (a: Tensor, b: Tensor) in grad({ (a: Tensor, b: Tensor) in sum(sin(matmul(a, b))) }, wrt: [0, 1])(a, b) }
        let gradient = g.cSource(for: [[100, 3, 4], [100, 4, 2]])
        #expect(gradient.ranges(of: "adj_matmul_batched(").count == 4)
        #expect(!gradient.contains("transpose"))
        var rng = SplitMix64(seed: 3)
        let (a, b) = (rng.tensor([100, 3, 4]), rng.tensor([100, 4, 2]))
        let interpreted = grad({ (a: Tensor, b: Tensor) in sum(sin(matmul(a, b))) }, wrt: [0, 1])(a, b)
        let compiled = g(a, b)
        #expect(relativeError(compiled[0], interpreted[0]) <= 1e-12 && relativeError(compiled[1], interpreted[1]) <= 1e-12)
    }

    /// Jacobians push (or pull) every basis direction through one batched rule: a batch of
    /// directions in front of broadcast batch axes.
    @Test func jacobiansThroughBatchedMatmul() {
        var rng = SplitMix64(seed: 5)
        let b = rng.tensor([2, 3, 2]), c = rng.tensor([2, 3, 2, 2])
        let cases: [(String, [Int], (Tensor) -> Tensor)] = [
            ("stack by stack", [2, 2, 3], { x in matmul(x, b) }),
            ("matrix by stack", [2, 3], { x in matmul(x, b) }),
            ("stack by a longer stack", [3, 2, 2], { x in matmul(x, c) }),
            ("longer stack by stack", [3, 2, 2], { x in matmul(c, sin(x)) }),
        ]
        for (name, shape, f) in cases {
            let x = rng.tensor(shape)
            let forward = jacobian(f, mode: .forward)(x), reverse = jacobian(f, mode: .reverse)(x)
            #expect(relativeError(forward, reverse) <= 1e-12, "\(name)")
            let v = rng.tensor(shape)
            let h = 1e-6
            let fd = (f(x + h * v) - f(x - h * v)) / (2 * h)
            let jv = tensordot(forward, v, axes: shape.count)
            #expect(relativeError(jv, fd) <= 1e-7, "\(name)")
            #expect(relativeError(compile(jacobian(f, mode: .forward))(x), forward) <= 1e-12, "\(name)")
        }
    }

    /// The bilinear form xᵀAy, as a user writes it with einsum: its gradient is (Ay, xyᵀ, Aᵀx),
    /// in the interpreter and compiled.
    @Test func bilinearFormWithEinsum() {
        var rng = SplitMix64(seed: 11)
        let (x, a, y) = (rng.tensor([3]), rng.tensor([3, 4]), rng.tensor([4]))
        let form = { (x: Tensor, a: Tensor, y: Tensor) in einsum("i,ij,j->", x, a, y) }
        #expect(Swift.abs(form(x, a, y).scalar - dot(x, matmul(a, y)).scalar) <= 1e-14)
        let gradient = grad(form, wrt: [0, 1, 2])
        let expected = [matmul(a, y), outer(x, y), matmul(a.transposed(), x)]
        let interpreted = gradient(x, a, y)
        for k in 0..<3 { #expect(relativeError(interpreted[k], expected[k]) <= 1e-14) }
        let compiled = compile { (x: Tensor, a: Tensor, y: Tensor) in gradient(x, a, y) }(x, a, y)
        for k in 0..<3 { #expect(relativeError(compiled[k], interpreted[k]) <= 1e-14) }
        // Second order: the Hessian in x of xᵀAy + (xᵀAx)² is exact against finite differences.
        let q = rng.tensor([3, 3])
        let quartic = { (x: Tensor) in form(x, a, y) + pow(einsum("i,ij,j", x, q, x), 2) }
        let v = rng.tensor([3])
        let hv = hessianVectorProduct(quartic)(x, v)
        let h = 1e-5
        let fd = (grad(quartic)(x + h * v) - grad(quartic)(x - h * v)) / (2 * h)
        #expect(relativeError(hv, fd) <= 1e-7)
    }

    @Test func einsumErrorsNameTheOpTheSubscriptsAndTheShapes() {
        let a = Tensor.zeros([2, 3]), b = Tensor.zeros([3, 4])
        #expect(thrown { einsum("ij,jk->il", a, b) }.hasPrefix(
            "shape error in einsum at AdjointTests/ProductTests.swift:"))
        #expect(thrown { einsum("ij,jk->il", a, b) }.hasSuffix(
            ": subscripts \"ij,jk->il\": output letter 'l' appears in no operand (operands (2, 3) and (3, 4))"))
        #expect(thrown { einsum("ij,jk->ik", a, b, b) }.hasSuffix(
            ": subscripts \"ij,jk->ik\": they name 2 operands, but 3 are given (operands (2, 3) and (3, 4) and (3, 4))"))
        #expect(thrown { einsum("ij,jk->ik", a, a) }.hasSuffix(
            ": subscripts \"ij,jk->ik\": letter 'j' has length 3 in operand 0 and 2 in operand 1 (operands (2, 3) and (2, 3))"))
        #expect(thrown { einsum("ijk,jk->ik", a, b) }.contains("operand 0 has rank 2, but its subscripts \"ijk\" name 3 axes"))
        #expect(thrown { einsum("ii->i", Tensor.zeros([1, 3])) }.contains("letter 'i' is repeated in operand 0 with lengths 1 and 3"))
        #expect(thrown { einsum("ij->ii", a) }.contains("letter 'i' appears twice in the output"))
        #expect(thrown { einsum("ij->i->j", a) }.contains("'->' appears more than once"))
        #expect(thrown { einsum("i1", a) }.contains("'1' is not a subscript"))
        #expect(thrown { einsum("i..j", a) }.contains("a '.' that is not part of '...'"))
        #expect(thrown { einsum("...j->j", a) }.contains("the output has no '...'"))
        #expect(thrown { einsum("...j,...j->...j", Tensor.zeros([2, 3]), Tensor.zeros([4, 3])) }.contains("do not broadcast"))
        #expect(thrown { einsum("") }.contains("einsum needs at least one operand"))
    }

    @Test func productErrorsNameTheOpAndTheShapes() {
        let a = Tensor.zeros([2, 3, 4]), b = Tensor.zeros([3, 4, 2])
        #expect(thrown { matmul(a, b) }.hasSuffix(": batch axes (2,) and (3,) do not broadcast (operands (2, 3, 4) and (3, 4, 2))"))
        #expect(thrown { matmul(a, Tensor.zeros([3, 2])) }.hasSuffix(": inner dimensions 4 and 3 differ (operands (2, 3, 4) and (3, 2))"))
        #expect(thrown { matmul(Tensor(2), a) }.contains("shape error in matmul"))
        #expect(thrown { dot(a, Tensor.zeros([2, 3])) }.hasSuffix(": inner dimensions 4 and 2 differ (operands (2, 3, 4) and (2, 3))"))
        #expect(thrown { inner(a, Tensor.zeros([3])) }.contains("shape error in inner"))
        #expect(thrown { tensordot(a, b, axes: 3) }.contains("tensordot"))
        #expect(thrown { tensordot(a, b, axes: ([0], [0])) }.hasSuffix(
            ": axis 0 of the first (2) and axis 0 of the second (3) differ (operands (2, 3, 4) and (3, 4, 2))"))
        #expect(thrown { tensordot(a, b, axes: ([0, 0], [1, 2])) }.contains("are not distinct axes"))
        #expect(thrown { tensordot(a, b, axes: ([0], [1, 2])) }.contains("lists of different lengths"))
        #expect(thrown { cross(Tensor.zeros([4]), Tensor.zeros([3])) }.contains("shape error in cross"))
        #expect(thrown { cross(Tensor.zeros([2, 3]), Tensor.zeros([4, 3])) }.contains("leading axes do not broadcast"))
    }
}
