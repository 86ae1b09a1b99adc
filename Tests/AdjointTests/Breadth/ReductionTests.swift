import Testing
import TestSupport

@testable import Adjoint

/// Reductions and scans: values against NumPy's (and SciPy's) documented results, the awkward
/// points (ties, zeros, large inputs, a zero norm) and the messages for bad axes.
@Suite struct ReductionTests {
    let x: Tensor = [[1, 2, 3], [4, 0, -1]]

    func close(_ a: Tensor, _ b: [Double], _ tolerance: Double = 1e-14, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.scalars.count == b.count && zip(a.scalars, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) },
                "\(a.scalars) vs \(b)", sourceLocation: sourceLocation)
    }

    func message(_ body: () -> Tensor) -> String {
        let text = thrownMessage(body)
        return text.isEmpty ? "no error" : text
    }

    @Test func reductionsAgreeWithNumPy() {
        #expect(sum(x, axes: [0, 1]).scalars == [9])
        #expect(sum(x, axis: -1, keepDims: true).shape == [2, 1])
        #expect(sum(x, axis: -1, keepDims: true).scalars == [6, 3])
        #expect(sum(x, keepDims: true).shape == [1, 1])
        #expect(sum(x, axes: []).scalars == x.scalars)
        #expect(mean(x, axis: 0).scalars == [2.5, 1, 1])
        #expect(mean(x, axes: [-1, 0], keepDims: true).scalars == [1.5])
        #expect(prod(x, axis: 1).scalars == [6, -0.0])
        #expect(max(x, axis: 0, keepDims: true).shape == [1, 3])
        #expect(max(x, axis: 0, keepDims: true).scalars == [4, 2, 3])
        #expect(min(x, axis: -1).scalars == [1, -1])
        #expect(min(x, axes: [0, 1], keepDims: true).shape == [1, 1])
    }

    @Test func statisticsAgreeWithNumPy() {
        close(variance(x), [2.9166666666666665])
        close(variance(x, axis: 1, ddof: 1), [1, 7])
        close(std(x, axis: 0), [1.5, 1, 2])
        close(std(x, ddof: 1), [1.8708286933869707])
        #expect(std(x, axis: 1, ddof: 1, keepDims: true).shape == [2, 1])
        close(logsumexp(x, axis: 1), [3.40760596444438, 4.024744890138822])
        close(logsumexp(x), [4.456193316018123])
        close(softmax(x), [0.09003057317038046, 0.24472847105479764, 0.6652409557748218,
                           0.9755587549443865, 0.0178679818703045, 0.006573263185309083])
        close(logSoftmax(x, axis: 0), [-3.048587351573742, -0.1269280110429726, -0.01814992791780978,
                                       -0.04858735157374196, -2.1269280110429727, -4.0181499279178094])
    }

    @Test func logsumexpIsStableAndItsGradientIsSoftmax() {
        let big: Tensor = [1000, 1000]
        close(logsumexp(big), [1000 + Foundation_log(2)])
        #expect(grad { logsumexp($0) }(big).scalars == [0.5, 0.5])
        #expect(compile { logsumexp($0) }(big).scalars == logsumexp(big).scalars)
        #expect(logsumexp(Tensor([-Double.infinity, -Double.infinity])).scalar == -.infinity)
        #expect(logsumexp(Tensor([1, Double.infinity])).scalar == .infinity)
        #expect(logsumexp(Tensor([1, Double.nan])).scalar.isNaN)
        let y: Tensor = [[0.5, -2, 3], [700, 701, -700]]
        close(grad { sum(logsumexp($0, axis: 1) * Tensor([1, 2])) }(y),
              (softmax(y) * Tensor(shape: [2, 1], scalars: [1, 2])).scalars, 1e-15)
        close(jvp({ logsumexp($0, axis: -1) }, at: y, tangent: Tensor.ones([2, 3])).tangent, [1, 1], 1e-15)
        #expect(logSoftmax([1000, 0] as Tensor).scalars == [0, -1000])
    }

    @Test func argmaxGivesNumPysIndices() {
        #expect(argmax(x).scalars == [3])
        #expect(argmax(x).shape == [])
        #expect(argmax(x, keepDims: true).shape == [1, 1])
        #expect(argmax(x, axis: 0).scalars == [1, 0, 0])
        #expect(argmin(x, axis: 1).scalars == [0, 2])
        #expect(argmin(x, axis: -1, keepDims: true).shape == [2, 1])
        #expect(argmax([1, 3, 3, 2] as Tensor).scalars == [1], "the first of ties")
        #expect(argmin([[2, 1], [1, 1]] as Tensor).scalars == [1], "the first of ties, flat")
        #expect(argmax(Tensor([1, .nan, 3, .nan])).scalars == [1], "the first NaN")
        #expect(grad { argmax($0) * $0[0] }(x.reshaped([6])).scalars == [3, 0, 0, 0, 0, 0], "argmax itself has no derivative")
        #expect(compile { argmax($0, axis: 0) }(x).scalars == [1, 0, 0])
        #expect(compile { argmin($0) }(x).scalars == [5])
    }

    @Test func tiedMaximaShareTheDerivativeEvenly() {
        let t: Tensor = [1, 3, 3, 2]
        #expect(grad { max($0) }(t).scalars == [0, 0.5, 0.5, 0])
        #expect(grad { min($0) }([2, 1, 5, 1] as Tensor).scalars == [0, 0.5, 0, 0.5])
        #expect(jvp({ max($0) }, at: t, tangent: [0, 1, 0, 0] as Tensor).tangent.scalar == 0.5)
        #expect(jvp({ max($0) }, at: t, tangent: [1, 1, 1, 1] as Tensor).tangent.scalar == 1)
        #expect(compile(grad { max($0) })(t).scalars == [0, 0.5, 0.5, 0])
        let m: Tensor = [[1, 1, 1], [2, 0, 2]]
        let third: Double = 1.0 / 3.0, shares: [Double] = [third, third, third, 0.5, 0, 0.5]
        #expect(grad { sum(max($0, axis: 1)) }(m).scalars == shares)
        #expect(jacobian({ max($0, axis: -1) }, mode: .forward)(m).scalars
                == jacobian({ max($0, axis: -1) }, mode: .reverse)(m).scalars)
    }

    @Test func cumsumAndCumprodAgreeWithNumPy() {
        #expect(cumsum(x).scalars == [1, 3, 6, 10, 10, 9])
        #expect(cumsum(x, axis: 0).scalars == [1, 2, 3, 5, 2, 2])
        #expect(cumsum(x, axis: -1).shape == [2, 3])
        #expect(cumprod(x, axis: 1).scalars == [1, 2, 6, 4, 0, -0.0])
        #expect(cumprod([2, 0, 3, 4] as Tensor).scalars == [2, 0, 0, 0])
        #expect(cumsum(Tensor(5)).shape == [1])
        let long = Tensor(shape: [3, 37], scalars: (0..<111).map { Double($0 % 7) - 2.5 })
        #expect(compile { cumsum($0, axis: 1) }(long).scalars == cumsum(long, axis: 1).scalars)
        #expect(compile { cumprod($0, axis: 0) }(long).scalars == cumprod(long, axis: 0).scalars)
        // The derivative of cumsum is the reverse scan: d/dx_j Σ_i w_i y_i = Σ_{i ≥ j} w_i.
        #expect(grad { sum(cumsum($0) * Tensor([1, 2, 3, 4])) }(Tensor.zeros([4])).scalars == [10, 9, 7, 4])
    }

    /// The routine call reads every kind of operand: an input, a splat (the cotangent of `sum`),
    /// a broadcast scalar, a transpose, another scan; and its result is an output or a scalar's operand.
    @Test func cumsumCompilesInEveryPosition() {
        let m: Tensor = [[1, -2, 3.5], [0.25, 4, -1]]
        let cases: [@Sendable (Tensor) -> Tensor] = [
            { cumsum($0, axis: 1) },
            { sum(cumsum($0, axis: 0)) },
            { cumsum(Tensor.ones([2, 3]) * $0[0, 1], axis: -1) },
            { cumsum($0.transposed(), axis: 1) },
            { cumsum(cumsum($0, axis: 0), axis: 1) * 2 },
            { grad { sum(cumsum($0)) }($0) },
            { hessian { sum(cumsum($0 * $0, axis: -1) * $0) }($0.reshaped([6])) },
        ]
        for (k, f) in cases.enumerated() {
            #expect(compile(f)(m).scalars == f(m).scalars, "case \(k)")
        }
        #expect(grad { sum(cumsum($0)) }(m).scalars == [6, 5, 4, 3, 2, 1])
    }

    @Test func cumprodIsRightAtZeros() {
        let t: Tensor = [2, 0, 3, 0.5, 4]
        let w: Tensor = [1, -1, 2, 0.5, 3]
        // d/dx_j Σ_i w_i Π_{k≤i} x_k = Σ_{i≥j} w_i Π_{k≤i, k≠j} x_k, by brute force.
        let v = t.scalars, ws = w.scalars
        let expected = v.indices.map { j in
            (j..<v.count).reduce(0.0) { total, i in total + ws[i] * (0...i).filter { $0 != j }.reduce(1.0) { $0 * v[$1] } }
        }
        let f: @Sendable (Tensor) -> Tensor = { sum(cumprod($0) * w) }
        #expect(grad(f)(t).scalars == expected)
        #expect(jacobian(f, mode: .forward)(t).scalars == expected)
        #expect(compile(grad(f))(t).scalars == expected)
        #expect(!hessian(f)(t).scalars.contains { !$0.isFinite })
        let two: Tensor = [0, 1.5, 0, 2]
        #expect(grad { sum(cumprod($0)) }(two).scalars == [1 + 1.5, 0, 0, 0])
    }

    @Test func normsAgreeWithNumPy() {
        let v: Tensor = [3, -4, 0, 1]
        close(norm(v), [5.0990195135927845])
        close(norm(v, ord: 1), [8])
        close(norm(v, ord: .infinity), [4])
        close(norm(v, ord: -.infinity), [0])
        close(norm(v, ord: 3), [4.514357435474001])
        close(norm(v, ord: 0), [3])
        close(norm(v, ord: 0.5), [22.392304845413257])
        close(norm(x, ord: .fro), [5.5677643628300215])
        close(norm(x, ord: "fro"), [5.5677643628300215])
        close(norm(x, ord: 1), [5])
        close(norm(x, ord: .infinity), [6])
        close(norm(x, ord: -1), [2])
        close(norm(x, ord: -.infinity), [5])
        close(norm(x, axis: 1), [3.7416573867739413, 4.123105625617661])
        close(norm(x, ord: 1, axes: [1, 0]), [6])
        #expect(norm(x, axes: [0, 1], keepDims: true).shape == [1, 1])
    }

    @Test func zeroNormAndZeroDeviationHaveZeroDerivative() {
        let zero = Tensor.zeros([3])
        #expect(grad { norm($0) }(zero).scalars == [0, 0, 0])
        #expect(grad { norm($0, ord: 3) }(zero).scalars == [0, 0, 0])
        #expect(jacobian({ norm($0) }, mode: .forward)(zero).scalars == [0, 0, 0])
        #expect(compile(grad { norm($0) })(zero).scalars == [0, 0, 0])
        #expect(grad { std($0) }(Tensor([2])).scalars == [0])
        #expect(grad { sum(std($0, axis: 1)) }([[1, 2], [3, 3]] as Tensor).scalars == [-0.5, 0.5, 0, 0])
        #expect(norm(Tensor([.nan, 1])).scalar.isNaN)
    }

    /// A user's softmax classifier: its loss written with `logSoftmax`, whose gradient in the
    /// weights is `Xᵀ (softmax(XW + b) - onehot) / N`, compiled and interpreted.
    @Test func softmaxClassifier() {
        var rng = SplitMix64(seed: 3)
        let (inputs, weights, bias) = (rng.tensor([6, 4]), rng.tensor([4, 3]), rng.tensor([3]))
        let labels = [0, 2, 1, 1, 0, 2]
        let onehot = Tensor(shape: [6, 3], scalars: labels.flatMap { label in (0..<3).map { $0 == label ? 1.0 : 0.0 } })
        let loss: @Sendable (Tensor) -> Tensor = { w in -mean(sum(onehot * logSoftmax(matmul(inputs, w) + bias, axis: 1), axis: 1)) }
        let expected = matmul(inputs.transposed(), softmax(matmul(inputs, weights) + bias, axis: 1) - onehot) / 6
        #expect(relativeError(grad(loss)(weights), expected) <= 1e-14)
        #expect(relativeError(compile(grad(loss))(weights), grad(loss)(weights)) <= 1e-14)
        #expect(relativeError(compile(loss)(weights), loss(weights)) <= 1e-14)
        checkGradients(loss, at: weights, rng: &rng)
    }

    /// A time series smoothed by a moving average written with `cumsum` (NumPy's idiom: the
    /// differences of the running sums k apart), against the windows summed directly.
    @Test func movingAverageWithCumsum() {
        let n = 20, k = 4
        let series = Tensor((0..<n).map { Foundation_sin(Double($0) / 3) + 0.1 * Double($0) })
        let smooth: @Sendable (Tensor) -> Tensor = { x in
            let c = cumsum(concatenate([Tensor([0]), x]))
            return (c[k...] - c[..<(n + 1 - k)]) / Double(k)
        }
        let windows = (0...(n - k)).map { i in series.scalars[i..<(i + k)].reduce(0, +) / Double(k) }
        close(smooth(series), windows, 1e-13)
        #expect(compile(smooth)(series).scalars == smooth(series).scalars)
        let w = Tensor((0...(n - k)).map { Double($0 % 3) })
        let weighted: @Sendable (Tensor) -> Tensor = { sum(smooth($0) * w) }
        #expect(compile(grad(weighted))(series).scalars == grad(weighted)(series).scalars)
        var rng = SplitMix64(seed: 5)
        checkGradients(weighted, at: series, rng: &rng)
    }

    @Test func badAxesNameTheOpAndShape() {
        let duplicate = message { sum(x, axes: [1, -1]) }
        #expect(duplicate.contains("sum") && duplicate.contains("twice") && duplicate.contains("2"), "\(duplicate)")
        let outside = message { max(x, axis: 2) }
        #expect(outside.contains("max") && outside.contains("out of range"), "\(outside)")
        #expect(message { logsumexp(x, axis: -3) }.contains("logsumexp"))
        #expect(message { cumsum(x, axis: 5) }.contains("cumsum"))
        #expect(message { cumprod(Tensor(1), axis: 0) }.contains("cumprod"))
        #expect(message { softmax(Tensor(1)) }.contains("softmax"))
        #expect(message { argmax(Tensor.zeros([0])) }.contains("argmax"))
        #expect(message { variance(Tensor([1, 2]), axis: 0, ddof: 2) }.contains("ddof"))
        #expect(message { mean(Tensor.zeros([2, 0]), axis: 1) }.contains("empty"))
        #expect(message { norm(x, ord: 3) }.contains("not a matrix norm"))
        #expect(message { norm(x, ord: "frob") }.contains("not a matrix norm"))
        #expect(message { norm(Tensor([1]), ord: .fro, axis: 0) }.contains("not a vector norm"))
        #expect(message { norm(Tensor.zeros([2, 2, 2]), ord: 1) }.contains("norm"))
    }
}
