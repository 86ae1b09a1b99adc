import Testing
import TestSupport
import Adjoint

/// Forward mode and the transforms built on it: jvp, deriv, jacobian's shape convention and
/// modes, the Hessian-vector product, and derivatives of any order against closed forms.
@Suite struct ForwardModeTests {
    @Test func jvpOfScalarFunctions() {
        let (y, dy) = jvp(sin, at: 0.5, tangent: 1)
        #expect(y.scalar == Foundation_sin(0.5) && dy.scalar == Foundation_cos(0.5))
        let (_, scaled) = jvp(SeedTests.tanhExp, at: 1, tangent: 3)
        #expect(Swift.abs(scaled.scalar - 3 * 0.419974341614026) < 1e-15)
        // A tangent is linear: jvp along 2v is twice jvp along v.
        let f: (Tensor) -> Tensor = { x in sin(x) * exp(x[0]) }
        let x: Tensor = [0.1, 0.2, 0.3], v: Tensor = [1, -2, 0.5]
        #expect(relativeError(jvp(f, at: x, tangent: 2 * v).tangent, 2 * jvp(f, at: x, tangent: v).tangent) < 1e-15)
    }

    @Test func jvpOfSeveralArguments() {
        let f: (Tensor, Tensor) -> Tensor = { x, y in x * x * y + sin(y) }
        let r = jvp(f, at: (Tensor(2), Tensor(0.5)), tangent: (Tensor(1), Tensor(0)))
        #expect(r.value.scalar == 2 + Foundation_sin(0.5) && r.tangent.scalar == 2)
        let g = jvp(f, at: (Tensor(2), Tensor(0.5)), tangent: (Tensor(0), Tensor(1))).tangent
        #expect(g.scalar == 4 + Foundation_cos(0.5))
        let list = jvp({ p in sum(p[0] * p[1]) }, at: [[1, 2], 3] as [Tensor], tangent: [[1, 0], 1] as [Tensor])
        #expect(list.value.scalar == 9 && list.tangent.scalar == 3 + 3)
        let (_, cotangents) = vjp({ a, b, c in a * b + c }, at: (Tensor(2), Tensor(3), Tensor(4)), cotangent: 2)
        #expect(cotangents.map(\.scalar) == [6, 4, 2])
    }

    @Test func derivOfScalarToAnything() {
        let circle = deriv { t in stack([cos(t), sin(t)]) }
        #expect(circle(0).scalars == [-0.0, 1] && circle(0).shape == [2])
        let d2 = deriv(deriv { t in t * t * t })
        #expect(d2(2).scalar == 12)
        // Several points: the tangent of ones, so an elementwise function's derivative at each.
        #expect(deriv { t in t * t }([1, 2, 3] as Tensor) == [2, 4, 6])
    }

    @Test func jacobianShapeConvention() {
        // f: (2, 3) → (4,); J has shape (4, 2, 3) in every mode.
        let w = Tensor(shape: [4, 6], scalars: (0..<24).map { Double($0) / 10 })
        let f: (Tensor) -> Tensor = { x in tanh(matmul(w, x.reshaped([6]))) }
        var rng = SplitMix64(seed: 41)
        let x = rng.tensor([2, 3])
        let modes: [JacobianMode] = [.automatic, .forward, .reverse]
        let js = modes.map { jacobian(f, mode: $0)(x) }
        for j in js { #expect(j.shape == [4, 2, 3]) }
        #expect(relativeError(js[1], js[2]) < 1e-15)
        // Row i is the gradient of f_i.
        for i in 0..<4 {
            let row = grad { x in f(x)[i] }(x)
            #expect(relativeError(js[0][i], row) < 1e-15)
        }
        // Scalar in, scalar out: shape []; vector in, scalar out: the gradient's shape.
        #expect(jacobian(sin)(0.3).shape == [])
        #expect(jacobian { x in sum(x * x) }([1, 2] as Tensor) == [2, 4])
        #expect(jacobian { x in x * x }([1, 2, 3] as Tensor) == [[2, 0, 0], [0, 4, 0], [0, 0, 6]])
    }

    @Test func jacobianOfSeveralArguments() {
        let f: (Tensor, Tensor) -> Tensor = { a, b in matmul(a, b) }
        let a: Tensor = [[1, 2], [3, 4]], b: Tensor = [5, 6]
        #expect(jacobian(f, wrt: 1)(a, b) == a)
        let ja = jacobian(f, wrt: 0, mode: .reverse)(a, b)
        #expect(ja.shape == [2, 2, 2] && ja == [[[5, 6], [0, 0]], [[0, 0], [5, 6]]])
        let list = jacobian({ p in p[0] * p[1] }, mode: .forward)([[1, 2], 3] as [Tensor])
        #expect(list[0] == [[3, 0], [0, 3]] && list[1] == [1, 2])
    }

    @Test func shapeErrorsNameTheTransform() {
        let tangent = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { jvp(sin, at: [1, 2] as Tensor, tangent: 1) }
        }
        #expect(tangent?.op == "jvp" && tangent?.shapes == [[2], []])
        let cotangent = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { vjp(sin, at: [1, 2] as Tensor, cotangent: [1, 2, 3]) }
        }
        #expect(cotangent?.op == "vjp" && cotangent?.shapes == [[2], [3]])
        let index = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { jacobian({ a, b in a * b }, wrt: 2)(1, 2) }
        }
        #expect(index?.op == "jacobian")
        // And afterwards everything works as before.
        #expect(jvp(sin, at: 0, tangent: 2).tangent.scalar == 2)
    }

    static func rosenbrock(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        let head = x[0..<(n - 1)], tail = x[1..<n]
        return sum(100 * (tail - head * head) * (tail - head * head) + (1 - head) * (1 - head))
    }

    /// The Rosenbrock Hessian by its formula.
    static func rosenbrockHessian(_ x: [Double]) -> [Double] {
        let n = x.count
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<(n - 1) {
            h[i * n + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
            h[(i + 1) * n + i + 1] += 200
            h[i * n + i + 1] = -400 * x[i]
            h[(i + 1) * n + i] = -400 * x[i]
        }
        return h
    }

    @Test func rosenbrockHessianMatchesItsFormula() {
        var rng = SplitMix64(seed: 7)
        for n in [2, 5, 12] {
            let x = rng.tensor([n], in: -1.5...1.5)
            let expected = Tensor(shape: [n, n], scalars: Self.rosenbrockHessian(x.scalars))
            let h = hessian(Self.rosenbrock)(x)
            #expect(h.shape == [n, n])
            #expect(relativeError(h, expected) < 1e-14)
            #expect(relativeError(compile(hessian(Self.rosenbrock))(x), expected) < 1e-14)
        }
    }

    @Test func hessianVectorProductNeverFormsTheHessian() {
        var rng = SplitMix64(seed: 8)
        let n = 30
        let x = rng.tensor([n]), v = rng.tensor([n])
        let h = Tensor(shape: [n, n], scalars: Self.rosenbrockHessian(x.scalars))
        let hv = hessianVectorProduct(Self.rosenbrock)(x, v)
        #expect(relativeError(hv, matmul(h, v)) < 1e-13)
        #expect(relativeError(compile(hessianVectorProduct(Self.rosenbrock))(x, v), hv) < 1e-12)
        // Its graph has no n×n node: every node holds at most n elements.
        let traced = Staging.trace([x, v]) { [hessianVectorProduct(Self.rosenbrock)($0[0], $0[1])] }
        #expect(traced.graph.nodes.allSatisfy { $0.count <= n })
        // Parameter lists: the blocks of H applied to the whole direction.
        let loss: ([Tensor]) -> Tensor = { p in sum(p[0] * p[0] * p[1]) + sum(sin(p[1])) }
        let p: [Tensor] = [[1, 2], [0.5, -1]], d: [Tensor] = [[1, 0], [0, 1]]
        let hvp = hessianVectorProduct(loss)(p, d)
        // H = [[2·diag(p1), 2·diag(p0)], [2·diag(p0), -diag(sin p1)]]
        #expect(relativeError(hvp[0], [1, 4]) < 1e-15 && relativeError(hvp[1], Tensor(shape: [2], scalars: [2, -Foundation_sin(-1)])) < 1e-15)
        let compiled = compile(hessianVectorProduct(loss))(p, d)
        #expect(relativeError(compiled[0], hvp[0]) < 1e-15 && relativeError(compiled[1], hvp[1]) < 1e-15)
    }

    /// The closed forms of tanh's first four derivatives, in t = tanh x.
    static func tanhDerivatives(_ t: Double) -> [Double] {
        [1 - t * t, -2 * t * (1 - t * t), (1 - t * t) * (6 * t * t - 2), 8 * t * (1 - t * t) * (2 - 3 * t * t)]
    }

    @Test func fourDerivativesOfTanhOnLinspace() {
        let x = Tensor(linspace: -7, 7, count: 200)
        let d1 = elementwiseGrad(tanh), d2 = elementwiseGrad(d1), d3 = elementwiseGrad(d2), d4 = elementwiseGrad(d3)
        let expected = (0..<4).map { k in Tensor(shape: [200], scalars: x.scalars.map { Self.tanhDerivatives(Foundation_tanh($0))[k] }) }
        for (k, d) in [d1, d2, d3, d4].enumerated() {
            #expect(relativeError(d(x), expected[k]) < 1e-14, "derivative \(k + 1)")
            #expect(relativeError(compile(d)(x), d(x)) < 1e-12, "compiled derivative \(k + 1)")
        }
        // The same in forward mode, in reverse mode by grad⁴ at one point, and mixed.
        let f4 = deriv(deriv(deriv(deriv(tanh))))
        #expect(relativeError(f4(x), expected[3]) < 1e-14)
        let mixed = elementwiseGrad(deriv(elementwiseGrad(deriv(tanh))))
        #expect(relativeError(mixed(x), expected[3]) < 1e-14)
        let g4 = grad(grad(grad(grad(tanh))))
        #expect(Swift.abs(g4(Tensor(0.3)).scalar - Self.tanhDerivatives(Foundation_tanh(0.3))[3]) < 1e-14)
        // tanh written with exp (the autograd README's): at |x| ≈ 7 the form itself loses ~1e-13 to
        // cancellation, so it is held to autograd's tolerance.
        let e4 = elementwiseGrad(elementwiseGrad(elementwiseGrad(elementwiseGrad(SeedTests.tanhExp))))
        #expect(relativeError(e4(x), expected[3]) < 1e-10)
    }

    @Test func jacobianGraphGrowsLinearlyWithDirections() {
        // One graph for all directions: as many nodes for 2n directions as for n, and C text of
        // (at most linearly) the same size; only the arrays grow, linearly in the directions.
        let f: (Tensor) -> Tensor = { x in sin(x) * sum(x * x) + Self.rosenbrock(x) * x[0] }
        let cases: [(Tensor) -> Tensor] = [jacobian(f, mode: .forward), jacobian(f, mode: .reverse),
                                           hessian(Self.rosenbrock), hessian { x in sum(f(x)) }]
        func size(_ n: Int, _ transformed: @escaping (Tensor) -> Tensor) -> (nodes: Int, lines: Int) {
            let x = Tensor(linspace: -1, 1, count: n)
            let nodes = Staging.trace([x]) { [transformed($0[0])] }.graph.count
            let lines = compile(transformed).cSource(for: [[n]]).split(separator: "\n").count
            return (nodes, lines)
        }
        for transformed in cases {
            let small = size(8, transformed), large = size(16, transformed)
            #expect(large.nodes == small.nodes)
            #expect(large.lines <= 2 * small.lines)
        }
    }
}
