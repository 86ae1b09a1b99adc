import Testing
import TestSupport
import Adjoint

/// In the style of JAX's autodidax: for scalar, vector and matrix functions (the seeds' among
/// them), the transforms agree with each other (grad, vjp with ones, jacobian rows by vjp,
/// jacobian columns by jvp, both jacobian modes), and each agrees compiled and interpreted.
/// Then the transforms composed with each other, to any order.
@Suite struct TransformCompositionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let x: Tensor
        let f: @Sendable (Tensor) -> Tensor
        var testDescription: String { name }
    }

    static let w = Tensor(shape: [3, 2], scalars: [0.3, -0.2, 0.5, 0.1, -0.4, 0.7])

    static let cases: [Case] = [
        Case(name: "tanh with exp (scalar)", x: 0.7, f: SeedTests.tanhExp),
        Case(name: "tanh with exp (vector)", x: Tensor(linspace: -2, 2, count: 5), f: SeedTests.tanhExp),
        Case(name: "logistic regression loss", x: [0.1, -0.3, 0.2], f: SeedTests.logisticLoss),
        Case(name: "rosenbrock", x: [0.5, -0.3, 1.2, 0.8], f: ForwardModeTests.rosenbrock),
        Case(name: "scalar to vector", x: 0.4, f: { t in stack([cos(t), sin(2 * t), t * t * t]) }),
        Case(name: "vector to vector", x: [0.2, -0.6, 1.1], f: { x in tanh(x) * sum(x * x) + x[0] * exp(x) }),
        Case(name: "vector to matrix", x: [0.2, -0.6, 1.1],
             f: { x in matmul(x.reshaped([3, 1]), sin(x).reshaped([1, 3])) + w.transposed()[0] }),
        Case(name: "matrix to matrix", x: w,
             f: { m in matmul(m.transposed(), tanh(m)) + max(m, axis: 0) * sum(exp(m), axis: 0).reshaped([2, 1]) }),
        Case(name: "matrix to scalar", x: w, f: { m in log(sum(exp(matmul(m, m.transposed())))) }),
    ]

    static func basis(_ shape: [Int], _ i: Int) -> Tensor {
        var scalars = [Double](repeating: 0, count: shape.reduce(1, *))
        scalars[i] = 1
        return Tensor(shape: shape, scalars: scalars)
    }

    static func expectClose(_ a: Tensor, _ b: Tensor, _ what: String, tolerance: Double = 1e-12,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.shape == b.shape && relativeError(a, b) <= tolerance, "\(what): \(a) vs \(b)", sourceLocation: sourceLocation)
    }

    @Test(arguments: cases)
    func transformsAgree(_ c: Case) {
        let (f, x) = (c.f, c.x)
        let y = f(x)
        let (m, n) = (y.count, x.count)
        let j = jacobian(f)(x)
        #expect(j.shape == y.shape + x.shape)
        Self.expectClose(jacobian(f, mode: .forward)(x), j, "forward-mode jacobian")
        Self.expectClose(jacobian(f, mode: .reverse)(x), j, "reverse-mode jacobian")
        // Rows by vjp with the output's basis, columns by jvp with the input's.
        for i in 0..<m {
            let row = vjp(f, at: x, cotangent: Self.basis(y.shape, i)).cotangent
            Self.expectClose(row, Tensor(shape: x.shape, scalars: Array(j.scalars[(i * n)..<((i + 1) * n)])), "row \(i)")
        }
        for k in 0..<n {
            let column = jvp(f, at: x, tangent: Self.basis(x.shape, k)).tangent
            Self.expectClose(column, Tensor(shape: y.shape, scalars: (0..<m).map { j.scalars[$0 * n + k] }), "column \(k)")
        }
        // vjp with ones is elementwiseGrad, the sum of the rows; for a loss, the gradient.
        let ones = vjp(f, at: x, cotangent: Tensor.ones(y.shape)).cotangent
        Self.expectClose(elementwiseGrad(f)(x), ones, "elementwiseGrad")
        Self.expectClose(ones, Tensor(shape: x.shape, scalars: (0..<n).map { k in (0..<m).reduce(0) { $0 + j.scalars[$1 * n + k] } }),
                         "sum of rows")
        if m == 1 { Self.expectClose(grad(f)(x), ones, "grad") }
        // deriv pushes the tangent of ones: the sum of the columns.
        Self.expectClose(deriv(f)(x), jvp(f, at: x, tangent: Tensor.ones(x.shape)).tangent, "deriv")
    }

    @Test(arguments: cases)
    func compiledAgreesWithInterpreted(_ c: Case) {
        let (f, x) = (c.f, c.x)
        let y = f(x)
        var rng = SplitMix64(seed: UInt64(c.name.count))
        let v = rng.tensor(x.shape), u = rng.tensor(y.shape)
        for mode in [JacobianMode.automatic, .forward, .reverse] {
            Self.expectClose(compile(jacobian(f, mode: mode))(x), jacobian(f, mode: mode)(x), "jacobian \(mode)")
        }
        let (value, tangent) = compile(jvp(f))(x, v)
        Self.expectClose(value, y, "jvp value")
        Self.expectClose(tangent, jvp(f, at: x, tangent: v).tangent, "jvp")
        Self.expectClose(compile(vjp(f))(x, u).cotangent, vjp(f, at: x, cotangent: u).cotangent, "vjp")
        Self.expectClose(compile(elementwiseGrad(f))(x), elementwiseGrad(f)(x), "elementwiseGrad")
        Self.expectClose(compile(deriv(f))(x), deriv(f)(x), "deriv")
        if y.count == 1 {
            Self.expectClose(compile(grad(f))(x), grad(f)(x), "grad")
            Self.expectClose(compile(hessian(f))(x), hessian(f)(x), "hessian", tolerance: 1e-9)
            Self.expectClose(compile(hessianVectorProduct(f))(x, v), hessianVectorProduct(f)(x, v), "hvp", tolerance: 1e-9)
        }
    }

    @Test(arguments: cases.filter { $0.f($0.x).count == 1 })
    func secondOrderAgrees(_ c: Case) {
        let (f, x) = (c.f, c.x)
        var rng = SplitMix64(seed: 99)
        let v = rng.tensor(x.shape)
        let h = hessian(f)(x)
        #expect(h.shape == x.shape + x.shape)
        // jacobian(grad(f)) in both modes, jvp of grad, vjp of grad, and grad of <grad f, v>.
        Self.expectClose(jacobian(grad(f), mode: .forward)(x), h, "jacobian(grad) forward", tolerance: 1e-12)
        Self.expectClose(jacobian(grad(f), mode: .reverse)(x), h, "jacobian(grad) reverse", tolerance: 1e-12)
        let hv = Tensor(shape: x.shape, scalars: (0..<x.count).map { i in
            (0..<x.count).reduce(0) { $0 + h.scalars[i * x.count + $1] * v.scalars[$1] } })
        Self.expectClose(jvp(grad(f), at: x, tangent: v).tangent, hv, "jvp of grad", tolerance: 1e-12)
        Self.expectClose(hessianVectorProduct(f)(x, v), hv, "hessianVectorProduct", tolerance: 1e-12)
        Self.expectClose(vjp(grad(f), at: x, cotangent: v).cotangent, hv, "vjp of grad (H symmetric)", tolerance: 1e-12)
        Self.expectClose(grad { sum(grad(f)($0) * v) }(x), hv, "grad of <grad f, v>", tolerance: 1e-12)
    }

    @Test func anyOrderMixingModes() {
        let f = SeedTests.tanhExp
        let x = Tensor(0.3), t = Foundation_tanh(0.3)
        let third = -2 * (1 - t * t) * (1 - 3 * t * t), fourth = ForwardModeTests.tanhDerivatives(t)[3]
        // Third order, every way round: reverse³, forward³, and mixes of jacobian, hessian, jvp, deriv.
        let thirds: [(String, (Tensor) -> Tensor)] = [
            ("grad³", grad(grad(grad(f)))),
            ("deriv³", deriv(deriv(deriv(f)))),
            ("jacobian(hessian)", jacobian(hessian(f))),
            ("deriv(grad(grad))", deriv(grad(grad(f)))),
            ("grad(jvp of grad)", grad { x in jvp(grad(f), at: x, tangent: 1).tangent }),
            ("vjp of jvp of grad", { x in vjp({ jvp(grad(f), at: $0, tangent: 1).tangent }, at: x, cotangent: 1).cotangent }),
            ("jacobian(jacobian(grad)) reverse", jacobian(jacobian(grad(f), mode: .reverse), mode: .reverse)),
        ]
        for (name, d3) in thirds {
            #expect(Swift.abs(d3(x).scalar - third) < 1e-13, "\(name)")
            #expect(Swift.abs(compile(d3)(x).scalar - d3(x).scalar) < 1e-12, "compiled \(name)")
        }
        let fourths: [(String, (Tensor) -> Tensor)] = [
            ("grad⁴", grad(grad(grad(grad(f))))),
            ("hessian(hessian)", hessian(hessian(f))),
            ("jacobian(jacobian(hessian))", jacobian(jacobian(hessian(f), mode: .forward), mode: .reverse)),
            ("elementwiseGrad(deriv(elementwiseGrad(deriv)))", elementwiseGrad(deriv(elementwiseGrad(deriv(f))))),
        ]
        for (name, d4) in fourths {
            #expect(Swift.abs(d4(x).scalar - fourth) < 1e-12, "\(name)")
            #expect(Swift.abs(compile(d4)(x).scalar - d4(x).scalar) < 1e-12, "compiled \(name)")
        }
    }

    @Test func higherOrderShapes() {
        let f: (Tensor) -> Tensor = { x in sin(x) * x[0] }
        let x: Tensor = [0.3, -0.5]
        // d²f: output shape + input shape + input shape, symmetric in the last two axes.
        let d2 = jacobian(jacobian(f))(x)
        #expect(d2.shape == [2, 2, 2])
        for i in 0..<2 { for j in 0..<2 { for k in 0..<2 { #expect(d2[i, j, k] == d2[i, k, j]) } } }
        let reverse = jacobian(jacobian(f, mode: .reverse), mode: .reverse)(x)
        #expect(relativeError(reverse, d2) < 1e-15)
        #expect(relativeError(compile(jacobian(jacobian(f)))(x), d2) < 1e-12)
        #expect(hessian(SeedTests.logisticLoss)([0.1, 0.2, 0.3]).shape == [3, 3])
        #expect(jacobian(hessian(ForwardModeTests.rosenbrock))([0.1, 0.2, 0.3]).shape == [3, 3, 3])
    }

    @Test func perturbationsOfNestedLevelsStayApart() {
        // d/dx [x · (d/dy (x + y))(1)] = 1, in every mix of modes; a confused implementation answers 2.
        #expect(deriv { x in x * deriv { y in x + y }(1) }(3).scalar == 1)
        #expect(grad { x in x * deriv { y in x + y }(1) }(3).scalar == 1)
        #expect(deriv { x in x * grad { y in x + y }(1) }(3).scalar == 1)
        #expect(jvp({ x in x * jvp({ y in x + y }, at: 1, tangent: 1).tangent }, at: 3, tangent: 1).tangent.scalar == 1)
        // d/dx [x · d/dy (x·y)] = 2x.
        #expect(deriv { x in x * deriv { y in x * y }(2) }(3).scalar == 6)
        #expect(jacobian { x in x * jacobian { y in x * y }(Tensor(2)) }(3).scalar == 6)
    }
}
