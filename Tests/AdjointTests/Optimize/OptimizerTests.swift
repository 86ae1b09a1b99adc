import Testing
import Adjoint

/// Each optimizer's update rule, step by step, against numbers worked out from its formula.
///
/// The tiny problem: f(w) = Σ w², so g = 2w, from w = [1, −2]. The first steps are derived by hand
/// in the comments; later steps of RMSProp and Adam, whose square roots are not worked out by
/// hand, were computed with 40-digit decimal arithmetic outside this code base.
@Suite struct OptimizerTests {
    static let start: [Tensor] = [[1, -2]]

    /// Runs `steps` updates on f(w) = Σ w², returning the parameters after each.
    static func trajectory<O: GradientOptimizer>(_ optimizer: O, steps: Int) -> [[Double]] {
        var optimizer = optimizer
        var w = start
        return (0..<steps).map { _ in
            optimizer.update(&w, along: [2 * w[0]])
            return w[0].scalars
        }
    }

    static func expectClose(_ actual: [[Double]], _ expected: [[Double]], tolerance: Double = 1e-14,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (step, (a, e)) in zip(actual, expected).enumerated() {
            let error = zip(a, e).map { Swift.abs($0 - $1) }.max() ?? .infinity
            #expect(error <= tolerance, "step \(step + 1): \(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }

    @Test func gradientDescent() {
        // w ← w − 0.1·2w = 0.8·w
        Self.expectClose(Self.trajectory(GradientDescent(learningRate: 0.1), steps: 2), [[0.8, -1.6], [0.64, -1.28]])
    }

    @Test func momentum() {
        // v₁ = g₀ = [2, −4];               w₁ = w₀ − 0.1·v₁ = [0.8, −1.6]
        // v₂ = 0.9·v₁ + g₁ = [3.4, −6.8];  w₂ = w₁ − 0.1·v₂ = [0.46, −0.92]
        // v₃ = 0.9·v₂ + g₂ = [3.98, −7.96]; w₃ = w₂ − 0.1·v₃ = [0.062, −0.124]
        Self.expectClose(Self.trajectory(Momentum(learningRate: 0.1, momentum: 0.9), steps: 3),
                         [[0.8, -1.6], [0.46, -0.92], [0.062, -0.124]])
    }

    @Test func nesterovMomentum() {
        // v₁ = g₀ = [2, −4];                 w₁ = w₀ − 0.1·(g₀ + 0.9·v₁) = [1 − 0.38, −2 + 0.76] = [0.62, −1.24]
        // g₁ = [1.24, −2.48]; v₂ = 0.9·v₁ + g₁ = [3.04, −6.08]
        // w₂ = w₁ − 0.1·(g₁ + 0.9·v₂) = [0.62 − 0.3976, −1.24 + 0.7952] = [0.2224, −0.4448]
        Self.expectClose(Self.trajectory(Momentum(learningRate: 0.1, momentum: 0.9, nesterov: true), steps: 2),
                         [[0.62, -1.24], [0.2224, -0.4448]])
    }

    @Test func rmsProp() {
        // s₁ = 0.1·g₀² = [0.4, 1.6]; w₁ = w₀ − 0.01·g₀/(√s₁ + 1e-8) = [1 − 0.02/0.632455542…, −2 + 0.04/1.264911074…]
        Self.expectClose(Self.trajectory(RMSProp(learningRate: 0.01, decay: 0.9, epsilon: 1e-8), steps: 3), [
            [0.96837722389831620, -1.9683772236483162],
            [0.94578802548810125, -1.9456096370520824],
            [0.92705309872172551, -1.9266336823682228],
        ])
    }

    @Test func adam() {
        // m₁ = 0.1·g₀, v₁ = 0.001·g₀²; bias-corrected m̂ = g₀, v̂ = g₀²;
        // w₁ = w₀ − 0.1·g₀/(|g₀| + 1e-8) = [1 − 0.2/2.00000001, −2 + 0.4/4.00000001] = [0.9000000005, −1.90000000025]
        Self.expectClose(Self.trajectory(Adam(learningRate: 0.1), steps: 3), [
            [0.90000000050000000, -1.9000000002500000],
            [0.80041222869179215, -1.8001664861157004],
            [0.70158627294602955, -1.7006233920464645],
        ])
    }

    @Test func parameterListsOfDifferentShapes() {
        // A vector and a scalar updated together; Adam's first step moves each element by ≈ η.
        var optimizer = Adam(learningRate: 0.1)
        var parameters: [Tensor] = [[1, -2], 0.5]
        optimizer.update(&parameters, along: [[2, -4], 1])
        #expect(parameters.map(\.shape) == [[2], []])
        #expect(Swift.abs(parameters[1].scalar - (0.5 - 0.1 / (1 + 1e-8))) < 1e-16)
        #expect(optimizer.stepCount == 1)
    }

    @Test func stateIsKeptBetweenStepsAndCopiesAreIndependent() {
        var first = Momentum(learningRate: 0.1)
        var w: Tensor = [1, -2]
        first.update(&w, along: 2 * w)
        var copy = first  // carries velocity [2, −4]
        var (a, b) = (w, w)
        first.update(&a, along: 2 * a)
        copy.update(&b, along: 2 * b)
        Self.expectClose([a.scalars], [[0.46, -0.92]])
        #expect(b == a)
        copy.reset()  // no velocity: a plain gradient step, w − 0.1·2w
        var c: Tensor = [1, -2]
        copy.update(&c, along: 2 * c)
        Self.expectClose([c.scalars], [[0.8, -1.6]])
    }

    @Test func stepWithAClosureIsOneEvaluationAndOneUpdate() throws {
        // Any optimizer steps through a value-and-gradient closure: evaluated at w, then updated.
        var optimizer = GradientDescent(learningRate: 0.1)
        var parameters = Self.start
        var calls = 0
        let value = try optimizer.step(&parameters) { (w: [Tensor]) in
            calls += 1
            return (sum(w[0] * w[0]), [2 * w[0]])
        }
        Self.expectClose([parameters[0].scalars], [[0.8, -1.6]])
        #expect(Swift.abs(value - (0.64 + 2.56)) < 1e-15 && calls == 2)  // the start, then the new point
    }

    @Test func singleTensorUpdateMatchesTheSeedsLoop() {
        let gradient = compile(grad(SeedTests.logisticLoss))
        var w = Tensor.zeros([3])
        var optimizer = GradientDescent(learningRate: 0.01)
        for _ in 0..<100 { optimizer.update(&w, along: gradient(w)) }
        #expect(Swift.abs(SeedTests.logisticLoss(w).scalar - 1.0672706757870163) < 1e-12)
    }
}
