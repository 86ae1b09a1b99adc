import Testing
import TestSupport
import Adjoint

/// The interpreter is the truth for compiled kernels: every primitive and composed function, run
/// both ways on random inputs, agrees to 1e-12 relative (values and gradients).
@Suite struct CompiledParityTests {
    static func expectParity(_ compiled: Tensor, _ interpreted: Tensor, tolerance: Double = 1e-12,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(compiled.shape == interpreted.shape, sourceLocation: sourceLocation)
        #expect(relativeError(compiled, interpreted) <= tolerance,
                "compiled \(compiled) vs interpreted \(interpreted)", sourceLocation: sourceLocation)
    }

    @Test(arguments: PrimitiveGradientTests.unary, PrimitiveGradientTests.shapes)
    func unary(_ op: PrimitiveGradientTests.Unary, shape: [Int]) {
        var rng = SplitMix64(seed: UInt64(shape.count * 13 + op.name.count))
        let weights = rng.tensor(shape)
        let x = rng.tensor(shape, in: op.domain)
        Self.expectParity(compile(op.f)(x), op.f(x))
        let loss: (Tensor) -> Tensor = { sum(op.f($0) * weights) }
        Self.expectParity(compile(grad(loss))(x), grad(loss)(x))
        Self.expectParity(compile(grad { sum(grad(loss)($0) * weights) })(x), grad { sum(grad(loss)($0) * weights) }(x),
                          tolerance: 1e-9)
    }

    @Test(arguments: PrimitiveGradientTests.binary)
    func binary(_ op: PrimitiveGradientTests.Binary) {
        for (sa, sb) in PrimitiveGradientTests.shapePairs {
            var rng = SplitMix64(seed: UInt64(sa.count * 5 + sb.count))
            let a = rng.tensor(sa, in: op.domain), b = rng.tensor(sb, in: op.domain)
            Self.expectParity(compile(op.f)(a, b), op.f(a, b))
            let weights = rng.tensor(op.f(a, b).shape)
            let loss: (Tensor, Tensor) -> Tensor = { sum(op.f($0, $1) * weights) }
            let compiled = compile(grad(loss, wrt: [0, 1]))(a, b)
            let interpreted = grad(loss, wrt: [0, 1])(a, b)
            Self.expectParity(compiled[0], interpreted[0])
            Self.expectParity(compiled[1], interpreted[1])
        }
    }

    static let structural: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("sum", { sum($0 * $0) }),
        ("sum axis 0", { sin(sum($0, axis: 0)) }),
        ("sum axis 1", { exp(sum($0, axis: 1)) }),
        ("mean", { mean($0 * $0) + mean(sin($0), axis: 1)[0] }),
        ("max", { max($0 * $0) + sum(max(sin($0), axis: 1)) }),
        ("max axis 0", { max(cos($0), axis: 0) }),
        ("min", { min(cos($0)) + sum(min($0, axis: 0)) }),
        ("reshape", { sin($0.reshaped([2, 6])) * Tensor(linspace: 0, 1, count: 6) }),
        ("transpose", { exp($0.transposed()) * Tensor(linspace: 0, 1, count: 3) }),
        ("matmul", { x in sin(matmul(x, x.transposed())) }),
        ("matmul vector", { x in tanh(matmul(x, x[0])) }),
        ("matmul vector left", { x in tanh(matmul(x[..<3, ].transposed()[0], x)) }),
        ("dot", { x in x[0].dot(x[1] * x[2]) }),
        ("index", { x in x[1, 2] * x[0][3] + x[-1, -1] }),
        ("slice", { x in sin(x[1..<3]) + x[2...] * x[..<1] }),
        ("concatenate", { x in sin(concatenate([x, x * x], axis: 1)) }),
        ("concatenate 0", { x in cos(concatenate([x, x[0..<1]])) }),
        ("stack", { x in tanh(stack([x[0], x[1] * 2, x[2]], axis: 1)) }),
        ("broadcast", { x in x * x[0] + x.reshaped([3, 1, 4]) * x[1] }),
        ("where", { x in `where`(x .> 0, x * x, sin(x)) + relu(x) }),
        ("constant output", { _ in Tensor.ones([2]) * 3 }),
        ("identity", { x in x }),
    ]

    @Test func structuralOps() {
        var rng = SplitMix64(seed: 11)
        let x = rng.tensor([3, 4])
        for (name, f) in Self.structural {
            let value = f(x)
            Self.expectParity(compile(f)(x), value)
            let weights = rng.tensor(value.shape)
            let loss: (Tensor) -> Tensor = { sum(f($0) * weights) }
            let compiled = compile(grad(loss))(x)
            let interpreted = grad(loss)(x)
            #expect(relativeError(compiled, interpreted) <= 1e-12, "\(name)")
        }
    }

    static let rank3: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("sum axes", { sum($0, axis: 1) * sum($0, axis: 0)[0] }),
        ("permute", { $0.transposed([2, 0, 1]) * 2 + $0.transposed().reshaped([4, 2, 3]) }),
        ("rotate", { t in concatenate([t[1...], t[..<1]], axis: 0) * t }),
        ("broadcast", { t in t * sum(t, axis: 2).reshaped([2, 3, 1]) + t[0] }),
        ("max min", { t in max(t, axis: 1) + min(t, axis: 1).reshaped([2, 1, 4]).reshaped([2, 4])[0] }),
        ("stack", { t in stack([t, t * t], axis: 2) }),
        ("mean", { t in mean(t, axis: -1) - mean(t) }),
    ]

    @Test func structuralOpsOfRank3() {
        var rng = SplitMix64(seed: 1)
        let x = rng.tensor([2, 3, 4])
        for (name, f) in Self.rank3 {
            let value = f(x)
            #expect(relativeError(compile(f)(x), value) <= 1e-12, "\(name)")
            let weights = rng.tensor(value.shape)
            let loss: (Tensor) -> Tensor = { sum(f($0) * weights) }
            #expect(relativeError(compile(grad(loss))(x), grad(loss)(x)) <= 1e-12, "\(name)")
        }
    }

    @Test func smallNeuralNetwork() {
        var rng = SplitMix64(seed: 5)
        let x = rng.tensor([8, 4]), y = rng.tensor([8, 2])
        let params = [rng.tensor([4, 6]), rng.tensor([6]), rng.tensor([6, 2]), rng.tensor([2])]
        let loss: ([Tensor]) -> Tensor = { p in
            let h = tanh(matmul(x, p[0]) + p[1])
            let out = matmul(h, p[2]) + p[3]
            return mean((out - y) * (out - y)) + 0.01 * sum(p[0] * p[0])
        }
        let compiled = compile(valueAndGrad(loss))(params)
        let interpreted = valueAndGrad(loss)(params)
        Self.expectParity(compiled.value, interpreted.value)
        for (c, i) in zip(compiled.gradient, interpreted.gradient) { Self.expectParity(c, i) }
    }

    @Test func seedsCompiled() {
        let dtanh = compile(grad(SeedTests.tanhExp))
        #expect(dtanh(1.0).scalar == 0.419974341614026)
        // Compiled and interpreted gradients agree bit for bit at every step here; both land within
        // 3e-16 of autograd's 1.0672706757870163 (NumPy sums the dot products in another order).
        let g = compile(grad(SeedTests.logisticLoss))
        let interpreted = grad(SeedTests.logisticLoss)
        var w = Tensor.zeros([3])
        for _ in 0..<100 {
            let step = g(w)
            #expect(step == interpreted(w))
            w -= 0.01 * step
        }
        #expect(Swift.abs(SeedTests.logisticLoss(w).scalar - 1.0672706757870163) < 1e-15)
    }

    @Test func argumentsAtRunTime() {
        // X and t are inputs of the kernel, not constants baked into it.
        let loss: (Tensor, Tensor, Tensor) -> Tensor = { w, X, t in
            let p = sigmoid(matmul(X, w))
            return -sum(log(p * t + (1 - p) * (1 - t)))
        }
        let g = compile(grad(loss, wrt: 0))
        var rng = SplitMix64(seed: 3)
        for n in [4, 50] {
            let X = rng.tensor([n, 3]), t = Tensor(shape: [n], scalars: (0..<n).map { Double($0 % 2) }), w = rng.tensor([3])
            Self.expectParity(g(w, X, t), grad(loss, wrt: 0)(w, X, t))
        }
        #expect(g.kernels.count == 2)
    }
}

/// Empty tensors and non-finite values, compiled and interpreted.
@Suite struct CompiledEdgeCaseTests {
    @Test func emptyTensors() {
        let empty = Tensor.zeros([0])
        #expect(compile { x in sum(x) }(empty).scalar == 0)
        #expect(compile { x in x * 2 }(empty).shape == [0])
        #expect(compile(grad { x in sum(x * x) })(empty).shape == [0])
        #expect(compile { x in sum(matmul(x, Tensor.ones([3, 2]))) }(Tensor.zeros([0, 3])).scalar == 0)
        #expect(compile { x in concatenate([x, Tensor([1, 2])]) * 3 }(empty) == Tensor([3, 6]))
    }

    @Test func nonFiniteValuesAgree() {
        let x = Tensor([-1, 0, .infinity, .nan, 2])
        for f in [{ (t: Tensor) in log(t) }, { sqrt($0) }, { 1 / $0 }, { exp($0) - $0 }] {
            let compiled = compile(f)(x), interpreted = f(x)
            #expect(zip(compiled.scalars, interpreted.scalars).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
        #expect(compile(grad { t in sum(sqrt(t)) })(Tensor([0, 1, 4])) == Tensor([.infinity, 0.5, 0.25]))
        #expect(compile(grad { t in max(t) })(Tensor([1, 3, 3])) == Tensor([0, 0.5, 0.5]))
    }
}
