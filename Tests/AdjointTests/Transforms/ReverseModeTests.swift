import Testing
import Adjoint

@Suite struct ReverseModeTests {
    @Test func fourthDerivativeByNesting() {
        // d⁴/dx⁴ sin x = sin x; and of x⁵: 120x.
        let d4 = grad(grad(grad(grad { sin($0) })))
        for x in [-1.3, 0.0, 0.4, 2.0] {
            #expect(Swift.abs(d4(Tensor(x)).scalar - Foundation_sin(x)) < 1e-13)
        }
        let p4 = grad(grad(grad(grad { x in x * x * x * x * x })))
        #expect(Swift.abs(p4(1.5).scalar - 180) < 1e-10)
        // tanh: the closed form of the fourth derivative.
        let t4 = grad(grad(grad(grad(SeedTests.tanhExp))))
        let x = 0.3, t = Foundation_tanh(x)
        #expect(Swift.abs(t4(Tensor(x)).scalar - 8 * t * (1 - t * t) * (2 - 3 * t * t)) < 1e-12)
    }

    @Test func perturbationsOfNestedLevelsStayApart() {
        // d/dx [x · (d/dy (x + y))(1)] = 1; a confused implementation answers 2.
        let f: (Tensor) -> Tensor = { x in x * grad { y in x + y }(1) }
        #expect(grad(f)(3).scalar == 1)
        // d/dx [x · d/dy (x·y)] = d/dx x² = 2x.
        let g: (Tensor) -> Tensor = { x in x * grad { y in x * y }(2) }
        #expect(grad(g)(3).scalar == 6)
    }

    @Test func severalArguments() {
        let f: (Tensor, Tensor) -> Tensor = { x, y in sum(x * x * y) + sum(sin(y)) }
        let x: Tensor = [1, 2], y: Tensor = [0.5, -1]
        #expect(grad(f)(x, y).scalars == [1, -4])
        #expect(grad(f, wrt: 1)(x, y).scalars == [1 + Foundation_cos(0.5), 4 + Foundation_cos(-1)])
        let both = grad(f, wrt: [1, 0])(x, y)
        #expect(both.count == 2 && both[1].scalars == [1, -4])
        let h: (Tensor, Tensor, Tensor, Tensor) -> Tensor = { a, b, c, d in a * b + c * d * d }
        #expect(grad(h, wrt: [0, 1, 2, 3])(1, 2, 3, 4).map(\.scalar) == [2, 1, 16, 24])
        let k: (Tensor, Tensor, Tensor) -> Tensor = { a, b, c in a * b * c }
        #expect(grad(k, wrt: 2)(2, 3, 4).scalar == 6)
        let (value, gradient) = valueAndGrad(f, wrt: 0)(x, y)
        #expect(value.scalar == 0.5 - 4 + Foundation_sin(0.5) + Foundation_sin(-1) && gradient.scalars == [1, -4])
    }

    @Test func parameterLists() {
        // Parameters of different shapes; the gradient has the same shapes.
        let loss: ([Tensor]) -> Tensor = { p in sum(matmul(p[0], p[1]) + p[2]) }
        let params: [Tensor] = [Tensor.ones([2, 3]), Tensor(shape: [3], scalars: [1, 2, 3]), Tensor(0.5)]
        let g = grad(loss)(params)
        #expect(g.map(\.shape) == [[2, 3], [3], []])
        #expect(g[0].scalars == [1, 2, 3, 1, 2, 3])
        #expect(g[1].scalars == [2, 2, 2])
        #expect(g[2].scalar == 2)
        let (v, g2) = valueAndGrad(loss)(params)
        #expect(v.scalar == 13 && g2[1] == g[1])
    }

    @Test func functionsThatIgnoreTheirArgumentHaveZeroGradient() {
        #expect(grad { _ in Tensor(3) }(1).scalar == 0)
        #expect(grad { x in sum(x) }([1, 2] as Tensor) == [1, 1])
        #expect(grad { (x: Tensor) in sum(Tensor.ones([2]) * 4) }([1, 2]) == [0, 0])
    }

    @Test func loopsAndClosuresTraceAsWritten() {
        func power(_ x: Tensor, _ n: Int) -> Tensor { n == 0 ? 1 : x * power(x, n - 1) }
        #expect(grad { power($0, 6) }(2).scalar == 6 * 32)
        var acc: (Tensor) -> Tensor = { $0 }
        for _ in 0..<3 { let inner = acc; acc = { sin(inner($0)) } }
        let x = 0.7
        let expected = Foundation_cos(Foundation_sin(Foundation_sin(x))) * Foundation_cos(Foundation_sin(x)) * Foundation_cos(x)
        #expect(Swift.abs(grad(acc)(Tensor(x)).scalar - expected) < 1e-15)
    }

    @Test func shapeErrorsNameTheOpAndShapes() throws {
        let error = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { Tensor.ones([2, 3]) + Tensor.ones([4]) }
        }
        #expect(error?.description == "shape error in add: shapes do not broadcast (operands (2, 3) and (4,))")
        let mm = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { matmul(Tensor.ones([2, 3]), Tensor.ones([2, 3])) }
        }
        #expect(mm?.op == "matmul" && mm?.shapes == [[2, 3], [2, 3]])
        #expect(mm?.location?.hasPrefix("AdjointTests/ReverseModeTests.swift:") == true)
        // Inside a transform: the error surfaces and nothing is left half built.
        let inGrad = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { grad { x in sum(x + Tensor.ones([3])) }(Tensor.ones([2])) }
        }
        #expect(inGrad?.shapes == [[2], [3]])
        let nonScalar = #expect(throws: ShapeError.self) {
            try Tensor.checkingShapes { grad { x in x * 2 }(Tensor.ones([2])) }
        }
        #expect(nonScalar?.op == "grad")
        // And afterwards everything works as before.
        #expect(grad { x in sum(x * x) }([1, 2] as Tensor) == [2, 4])
    }
}
