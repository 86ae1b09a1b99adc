import Testing
import TestSupport

@testable import Adjoint

/// `convolve` against scipy.signal's definition and `conv2d` against a layer's loops: values,
/// compiled against interpreted, and the shape errors.
@Suite struct ConvolutionTests {
    static let convolveShapes: [([Int], [Int])] = [
        ([7], [3]), ([7], [4]), ([3], [6]), ([5], [5]), ([1], [1]), ([6], [1]),
        ([4, 5], [2, 3]), ([5, 4], [3, 2]), ([3, 3], [4, 5]), ([2, 6], [2, 2]),
        ([3, 4, 5], [2, 3, 2]), ([4, 3, 3], [2, 2, 3]), ([2, 2, 2], [3, 3, 3]),
        ([3, 2, 3, 2], [2, 2, 1, 2]), ([2, 3, 2, 2], [3, 1, 2, 3]), ([2, 2, 1, 2, 3], [2, 1, 2, 2, 2]),
    ]

    @Test(arguments: convolveShapes) func convolveMatchesScipysDefinition(_ shapes: ([Int], [Int])) {
        var rng = SplitMix64(seed: UInt64(shapes.0.reduce(7, *) + 31 * shapes.1.reduce(1, *)))
        let a = rng.tensor(shapes.0), b = rng.tensor(shapes.1)
        for mode in [ConvolutionMode.full, .same, .valid] {
            let validFits = zip(a.shape, b.shape).allSatisfy { $0 >= $1 } || zip(a.shape, b.shape).allSatisfy { $0 <= $1 }
            if mode == .valid && !validFits { continue }
            let expected = ConvolutionReference.convolve(a, b, mode: mode)
            let y = convolve(a, b, mode: mode)
            #expect(y.shape == expected.shape, "\(mode) \(shapes)")
            #expect(relativeError(y, expected) < 1e-13, "\(mode) \(shapes)")
            let compiled = compile { (x: Tensor, k: Tensor) in convolve(x, k, mode: mode) }
            #expect(compiled(a, b).scalars == y.scalars, "compiled \(mode) \(shapes)")
        }
    }

    /// scipy's own numbers (scipy 1.17.1, `scipy.signal.convolve`), for the centring of `same`
    /// with an even kernel and `valid` with the larger operand second.
    @Test func convolveMatchesScipysNumbers() {
        let a = Tensor([1, 2, 3, 4, 5, 6, 7]), b = Tensor([1, 2, 3, 4])
        #expect(convolve(a, b).scalars == [1, 4, 10, 20, 30, 40, 50, 52, 45, 28])
        #expect(convolve(a, b, mode: .same).scalars == [4, 10, 20, 30, 40, 50, 52])
        #expect(convolve(b, a, mode: .same).scalars == [20, 30, 40, 50])
        #expect(convolve(b, a, mode: .valid).scalars == [20, 30, 40, 50])
        let A = Tensor(shape: [3, 4], scalars: (0..<12).map(Double.init)), B = Tensor(shape: [2, 2], scalars: [1, 2, 3, 5])
        #expect(convolve(A, B, mode: .same).scalars == [0, 1, 4, 7, 4, 16, 27, 38, 20, 60, 71, 82])
    }

    static let conv2dCases: [(x: [Int], w: [Int], stride: Int, padding: Int)] = [
        ([1, 1, 5, 5], [1, 1, 3, 3], 1, 0), ([2, 3, 6, 5], [4, 3, 3, 2], 1, 1), ([2, 2, 7, 6], [3, 2, 3, 3], 2, 0),
        ([1, 3, 8, 8], [2, 3, 3, 3], 2, 1), ([3, 1, 4, 4], [2, 1, 1, 1], 1, 0), ([1, 2, 5, 4], [1, 2, 2, 2], 3, 1),
    ]

    @Test(arguments: conv2dCases) func conv2dMatchesTheLoops(_ c: (x: [Int], w: [Int], stride: Int, padding: Int)) {
        var rng = SplitMix64(seed: UInt64(c.x.reduce(3, *) + c.stride * 101 + c.padding))
        let x = rng.tensor(c.x), w = rng.tensor(c.w)
        let expected = ConvolutionReference.conv2d(x, w, stride: c.stride, padding: c.padding)
        let y = conv2d(x, w, stride: c.stride, padding: c.padding)
        #expect(y.shape == expected.shape)
        #expect(relativeError(y, expected) < 1e-13)
        let compiled = compile { (x: Tensor, w: Tensor) in conv2d(x, w, stride: c.stride, padding: c.padding) }
        #expect(compiled(x, w).scalars == y.scalars)
    }

    @Test func shapeErrorsNameTheOpAndShapes() {
        let message = thrownMessage { conv2d(Tensor.zeros([1, 2, 5, 5]), Tensor.zeros([3, 1, 3, 3])) }
        #expect(message.contains("conv2d") && message.contains("(1, 2, 5, 5)") && message.contains("channels"), "\(message)")
        let large = thrownMessage { conv2d(Tensor.zeros([1, 1, 3, 3]), Tensor.zeros([1, 1, 4, 4]), padding: 0) }
        #expect(large.contains("larger than the padded input"), "\(large)")
        #expect(thrownMessage { conv2d(Tensor.zeros([1, 1, 3, 3]), Tensor.zeros([1, 1, 4, 4]), padding: 1) }.isEmpty)
        #expect(thrownMessage { conv2d(Tensor.zeros([1, 3, 3]), Tensor.zeros([1, 1, 1, 1])) }.contains("rank 4"))
        #expect(thrownMessage { conv2d(Tensor.zeros([1, 1, 3, 3]), Tensor.zeros([1, 1, 1])) }.contains("rank 4"))
        #expect(thrownMessage { conv2d(Tensor.zeros([1, 1, 3, 3]), Tensor.zeros([1, 1, 1, 1]), stride: 0) }.contains("stride"))
        #expect(thrownMessage { conv2d(Tensor.zeros([1, 1, 3, 3]), Tensor.zeros([1, 1, 1, 1]), padding: -1) }.contains("padding"))
        let rank = thrownMessage { convolve(Tensor.zeros([3]), Tensor.zeros([2, 2])) }
        #expect(rank.contains("convolve") && rank.contains("same rank"), "\(rank)")
        let valid = thrownMessage { convolve(Tensor.zeros([3, 2]), Tensor.zeros([2, 3]), mode: .valid) }
        #expect(valid.contains("at least as large as the other on every axis"), "\(valid)")
        #expect(thrownMessage { convolve(Tensor.zeros([3, 2]), Tensor.zeros([2, 3]), mode: .same) }.isEmpty)
        #expect(thrownMessage { convolve(Tensor.zeros([0]), Tensor.zeros([2])) }.contains("empty"))
    }

    @Test func rankZeroIsTheProduct() {
        #expect(convolve(Tensor(3), Tensor(-2)).scalar == -6)
        #expect(convolve(Tensor(3), Tensor(-2), mode: .valid).scalar == -6)
    }
}
