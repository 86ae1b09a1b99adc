import Testing
import Adjoint

/// The seeds' examples, with the figures HIPS autograd gives.
@Suite struct SeedTests {
    /// tanh written with `exp`, as in the autograd README.
    static func tanhExp(_ x: Tensor) -> Tensor {
        let y = exp(-2.0 * x)
        return (1.0 - y) / (1.0 + y)
    }

    @Test func tanhGradient() {
        let g = grad(Self.tanhExp)(1.0)
        #expect(g.shape == [])
        #expect(abs(g.scalar - 0.419974341614026) < 1e-15)
        let h = 1e-6
        let central = (Self.tanhExp(Tensor(1 + h)).scalar - Self.tanhExp(Tensor(1 - h)).scalar) / (2 * h)
        #expect(abs(g.scalar - central) < 1e-9)
    }

    static let inputs: Tensor = [[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30], [0.74, -2.49, 1.39]]
    static let targets: Tensor = [1, 1, 0, 1]

    static func logisticLoss(_ w: Tensor) -> Tensor {
        let p = 0.5 * (tanh(matmul(inputs, w) / 2) + 1)
        let t = targets
        return -sum(log(p * t + (1 - p) * (1 - t)))
    }

    @Test func logisticRegression() {
        var w = Tensor.zeros([3])
        #expect(abs(Self.logisticLoss(w).scalar - 2.772588722239781) < 1e-14)
        let g = grad(Self.logisticLoss)
        for _ in 0..<100 { w -= 0.01 * g(w) }
        #expect(abs(Self.logisticLoss(w).scalar - 1.0672706757870163) < 1e-12)
    }

    @Test func typeCheckerHandlesTheSeedsExpressions() {
        func f(_ x: Tensor) -> Tensor { 2 * x[0] + 3 * x[1] + 5 * x[2] + 7 * x[3] + 11 * x[4] * x[4] }
        func g(_ x: Tensor) -> Tensor { sqrt(1 + x * x) + exp(x) + sin(2 * Double.pi * x) }
        #expect(grad(f)([1, 1, 1, 1, 2]).scalars == [2, 3, 5, 7, 44])
        let x = 0.3
        let expected = x / (1 + x * x).squareRoot() + Foundation_exp(x) + 2 * Double.pi * Foundation_cos(2 * Double.pi * x)
        #expect(abs(grad(g)(Tensor(x)).scalar - expected) < 1e-12)
        // Powers with literal exponents and the seed's quadratic bowl, as written.
        func bowl(_ p: Tensor) -> Tensor { pow(p[0] + 5, 2) + pow(p[1] + 3, 2) }
        #expect(grad(bowl)(Tensor([10, 4])) == [30, 14])
        #expect(grad { x in pow(x, 3) + pow(2, x) }(1).scalar == 3 + 2 * Foundation_log(2))
    }
}
