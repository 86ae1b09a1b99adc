import Testing
import TestSupport

@testable import Adjoint

/// Jacobians and Hessians: many directions pushed or pulled at once, which the rules fold into
/// the convolution's batch or out-channel axis. Convolution is linear in each operand, so the
/// exact Jacobian's columns are the reference applied to basis tensors.
@Suite struct ConvolutionDerivativeTests {
    /// The Jacobian of the linear map `f` at shape `shape`, column by column from basis tensors:
    /// shape `outputShape + shape`.
    static func exactJacobian(_ shape: [Int], _ f: (Tensor) -> Tensor) -> Tensor {
        let n = shape.reduce(1, *)
        let columns = (0..<n).map { j -> [Double] in
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            return f(Tensor(shape: shape, scalars: e)).scalars
        }
        let m = columns.first?.count ?? 0
        let outputShape = f(Tensor.zeros(shape)).shape
        return Tensor(shape: outputShape + shape, scalars: (0..<m).flatMap { i in columns.map { $0[i] } })
    }

    @Test(arguments: [JacobianMode.forward, .reverse]) func conv2dJacobiansInBothOperands(_ mode: JacobianMode) {
        var rng = SplitMix64(seed: 21)
        let x = rng.tensor([2, 2, 5, 4]), w = rng.tensor([3, 2, 3, 2])
        let f: (Tensor, Tensor) -> Tensor = { conv2d($0, $1, stride: 2, padding: 1) }
        let jx = jacobian(f, wrt: 0, mode: mode)(x, w)
        let jw = jacobian(f, wrt: 1, mode: mode)(x, w)
        #expect(relativeError(jx, Self.exactJacobian(x.shape) { ConvolutionReference.conv2d($0, w, stride: 2, padding: 1) }) < 1e-13)
        #expect(relativeError(jw, Self.exactJacobian(w.shape) { ConvolutionReference.conv2d(x, $0, stride: 2, padding: 1) }) < 1e-13)
        let compiled = compile(jacobian(f, wrt: 1, mode: mode))
        #expect(relativeError(compiled(x, w), jw) < 1e-13)
    }

    @Test(arguments: [ConvolutionMode.full, .same, .valid]) func convolveJacobians(_ convolution: ConvolutionMode) {
        var rng = SplitMix64(seed: 22)
        let a = rng.tensor([4, 3]), b = rng.tensor([2, 3])
        let f: (Tensor, Tensor) -> Tensor = { convolve($0, $1, mode: convolution) }
        for mode in [JacobianMode.forward, .reverse] {
            let ja = jacobian(f, wrt: 0, mode: mode)(a, b), jb = jacobian(f, wrt: 1, mode: mode)(a, b)
            #expect(relativeError(ja, Self.exactJacobian(a.shape) { ConvolutionReference.convolve($0, b, mode: convolution) }) < 1e-13)
            #expect(relativeError(jb, Self.exactJacobian(b.shape) { ConvolutionReference.convolve(a, $0, mode: convolution) }) < 1e-13)
        }
    }

    /// The Hessian of a nonlinear function of a strided, padded layer, in the kernel and in the
    /// input, against central differences of the gradient; compiled against interpreted.
    @Test func hessianOfALayer() {
        var rng = SplitMix64(seed: 23)
        let x = rng.tensor([2, 2, 5, 5]), w = rng.tensor([2, 2, 3, 3])
        let f: (Tensor, Tensor) -> Tensor = { sum(tanh(conv2d($0, $1, stride: 2, padding: 1))) }
        for wrt in [0, 1] {
            let point = wrt == 0 ? x : w
            let g: (Tensor) -> Tensor = { p in grad(f, wrt: wrt)(wrt == 0 ? p : x, wrt == 0 ? w : p) }
            let h = hessian(f, wrt: wrt)(x, w)
            let n = point.count, h5 = 1e-5
            var columns: [[Double]] = []
            for j in 0..<n {
                var e = [Double](repeating: 0, count: n)
                e[j] = h5
                let v = Tensor(shape: point.shape, scalars: e)
                columns.append(((g(point + v) - g(point - v)) / (2 * h5)).scalars)
            }
            let fd = Tensor(shape: h.shape, scalars: (0..<n).flatMap { i in columns.map { $0[i] } })
            #expect(relativeError(h, fd) < 1e-7, "wrt \(wrt)")
            #expect(relativeError(compile(hessian(f, wrt: wrt))(x, w), h) < 1e-12, "compiled, wrt \(wrt)")
        }
    }
}
