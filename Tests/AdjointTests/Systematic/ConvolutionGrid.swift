import Testing

@testable import Adjoint

/// Convolution: `convolve` in its three modes on 1-, 2-, 3- and 4-d operands (4-d: a sum of 3-d routine calls) (odd and even kernels,
/// the larger operand first and second), and `conv2d` with strides 1 and 2, padding 0 and 1,
/// several batch elements and channels.
enum ConvolutionGrid {
    static func convolveCase(_ a: [Int], _ b: [Int], _ mode: ConvolutionMode) -> GridCase {
        GridCase("convolve", [a, b], [-2...2], note: "mode: .\(mode)") { convolve($0[0], $0[1], mode: mode) }
    }

    static let convolveCases: [GridCase] = [
        convolveCase([5], [3], .full), convolveCase([5], [2], .same), convolveCase([2], [4], .same),
        convolveCase([5], [3], .valid), convolveCase([3], [5], .valid),
        convolveCase([3, 4], [2, 3], .full), convolveCase([4, 4], [2, 2], .same), convolveCase([3, 4], [2, 2], .valid),
        convolveCase([2, 3], [3, 4], .valid),
        convolveCase([2, 3, 2], [2, 2, 2], .full), convolveCase([3, 2, 3], [2, 1, 2], .same),
        convolveCase([3, 3, 2], [2, 2, 2], .valid),
        convolveCase([2, 3, 2, 2], [2, 2, 1, 2], .same), convolveCase([3, 2, 2, 2], [2, 2, 2, 1], .valid),
    ]

    static func conv2dCase(_ x: [Int], _ w: [Int], stride: Int, padding: Int) -> GridCase {
        GridCase("conv2d", [x, w], [-2...2], note: "stride: \(stride), padding: \(padding)") {
            conv2d($0[0], $0[1], stride: stride, padding: padding)
        }
    }

    static let conv2dCases: [GridCase] = [
        conv2dCase([1, 1, 4, 4], [1, 1, 3, 3], stride: 1, padding: 0),
        conv2dCase([2, 2, 4, 3], [3, 2, 2, 2], stride: 1, padding: 1),
        conv2dCase([1, 2, 5, 5], [2, 2, 3, 3], stride: 2, padding: 0),
        conv2dCase([2, 1, 5, 4], [2, 1, 3, 2], stride: 2, padding: 1),
    ]
}

@Suite struct ConvolutionGridTests {
    @Test(arguments: ConvolutionGrid.convolveCases) func convolve(_ c: GridCase) { SystematicCheck.check(c) }
    @Test(arguments: ConvolutionGrid.conv2dCases) func conv2d(_ c: GridCase) { SystematicCheck.check(c) }
}
