import Testing
import Adjoint

/// L-BFGS: the two-loop recursion against the explicit BFGS inverse-Hessian formula, and whole
/// steps on a quadratic whose iterates can be worked out by hand.
@Suite struct LBFGSTests {
    static let target: Tensor = [-5, -3]

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-15) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance }
    }

    @Test func twoLoopRecursionWithOnePair() {
        // s = [1, 0], y = [2, 1]: ρ = 1/sᵀy = 1/2, γ = sᵀy/yᵀy = 2/5, V = I − ρ·y·sᵀ = [[0, 0], [−½, 1]],
        // H = Vᵀ(γI)V + ρ·s·sᵀ = 0.4·[[¼, −½], [−½, 1]] + [[½, 0], [0, 0]] = [[0.6, −0.2], [−0.2, 0.4]].
        // For g = [1, 1]: −H·g = [−0.4, −0.2]; and H·y = [1, 0] = s (the secant condition).
        var history = CurvatureHistory()
        history.record(s: [1, 0], y: [2, 1], limit: 10)
        #expect(Self.close(history.direction(for: [1, 1]), [-0.4, -0.2]))
        #expect(Self.close(history.direction(for: [2, 1]), [-1, 0]))
    }

    @Test func twoLoopRecursionWithTwoPairsAndTheMemoryLimit() {
        // Then s₂ = [0, 1], y₂ = [0, 2]: γ = 2/4 = ½ from the newest pair, so H₀ = ½I,
        // H₁ = V₁ᵀH₀V₁ + ρ₁s₁s₁ᵀ = [[0.625, −0.25], [−0.25, 0.5]],
        // V₂ = I − ½·y₂s₂ᵀ = [[1, 0], [0, 0]], H₂ = V₂ᵀH₁V₂ + ½·s₂s₂ᵀ = [[0.625, 0], [0, 0.5]].
        var history = CurvatureHistory()
        history.record(s: [1, 0], y: [2, 1], limit: 2)
        history.record(s: [0, 1], y: [0, 2], limit: 2)
        #expect(Self.close(history.direction(for: [1, 1]), [-0.625, -0.5]))
        // With memory 1 the first pair is dropped: H = Vᵀ(½I)V + ½·s₂s₂ᵀ = ½I.
        var short = CurvatureHistory()
        short.record(s: [1, 0], y: [2, 1], limit: 1)
        short.record(s: [0, 1], y: [0, 2], limit: 1)
        #expect(short.count == 1)
        #expect(Self.close(short.direction(for: [1, 1]), [-0.5, -0.5]))
    }

    @Test func pairsWithoutPositiveCurvatureAreSkipped() {
        var history = CurvatureHistory()
        history.record(s: [1, 0], y: [-1, 0], limit: 10)
        #expect(history.isEmpty)
        #expect(history.direction(for: [3, 4]) == [-3, -4])
    }

    @Test func stepsOnAQuadraticByHand() throws {
        // f = (x+5)² + (y+3)², g = 2(x − c), from [10, 4]: g₀ = [30, 14], ‖g₀‖ = √1096.
        // Step 1 goes along −g₀; φ′(α) = −‖g₀‖²(1 − 2α), so the curvature condition (c₂ = 0.9) needs
        // α ≥ 0.05. The first try α = 1/‖g₀‖ ≈ 0.030 fails it; doubling gives 2/‖g₀‖ ≈ 0.060: accepted.
        // Step 2: y = 2s, so γ = ½ and H = ½I: the Newton step, which lands on c at α = 1.
        let objective = Objective { xs in
            let d = xs[0] - Self.target
            return (sum(d * d), [2 * d])
        }
        var optimizer = LBFGS()
        let x0 = objective([[10, 4]])
        let x1 = try optimizer.step(from: x0, objective: objective)
        let norm = 1096.0.squareRoot()
        #expect(Self.close(x1.parameters[0].scalars, [10 - 60 / norm, 4 - 28 / norm], 1e-14))
        #expect(objective.evaluations == 3)  // the start and two trials
        #expect(optimizer.historyCount == 1)
        let x2 = try optimizer.step(from: x1, objective: objective)
        #expect(Self.close(x2.parameters[0].scalars, [-5, -3], 1e-14))
        #expect(objective.evaluations == 4)
    }

    @Test func stepByStepWithAClosure() throws {
        var optimizer = LBFGS(memory: 5)
        var parameters: [Tensor] = [[10, 4]]
        let valueAndGradient = compile(valueAndGrad { (xs: [Tensor]) in
            let d = xs[0] - Self.target
            return sum(d * d)
        })
        var value = Double.infinity
        for _ in 0..<3 where value > 1e-20 {
            value = try optimizer.step(&parameters) { valueAndGradient($0) }
        }
        #expect(value < 1e-20)
        #expect(Self.close(parameters[0].scalars, [-5, -3], 1e-10))
    }
}
