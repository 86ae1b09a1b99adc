import Testing
import Adjoint

/// `minimize`: the seed problems, Rosenbrock, parameter lists, stop reasons and progress.
@Suite struct MinimizeTests {
    /// The seed problem: (x + 5)² + (y + 3)², minimum 0 at [−5, −3].
    static func seed(_ v: Tensor) -> Tensor { (v[0] + 5) * (v[0] + 5) + (v[1] + 3) * (v[1] + 3) }

    /// Σᵢ 100·(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², minimum 0 at (1, …, 1).
    static func rosenbrock(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        let next = x[1..<n], current = x[0..<(n - 1)]
        let valley = next - current * current
        return sum(100 * valley * valley + (1 - current) * (1 - current))
    }

    static func standardStart(_ n: Int) -> Tensor {
        Tensor(shape: [n], scalars: (0..<n).map { $0 % 2 == 0 ? -1.2 : 1 })
    }

    static func distance(_ x: Tensor, _ target: [Double]) -> Double {
        zip(x.scalars, target).map { Swift.abs($0 - $1) }.max() ?? .infinity
    }

    /// The call as API.md writes it: the value tolerance (1e-13, relative) stops these first.
    @Test(arguments: ["gradient descent", "adam", "l-bfgs"])
    func seedProblemAsDocumented(method: String) {
        let optimizer: any Optimizer = switch method {
        case "gradient descent": GradientDescent(learningRate: 0.1)
        case "adam": Adam(learningRate: 0.1)
        default: LBFGS()
        }
        let result = minimize(Self.seed, from: [10, 4], using: optimizer, maxIterations: 1000, tolerance: 1e-13)
        #expect(result.converged, "\(method): \(result.stopReason)")
        #expect(result.value < 1e-12)
        #expect(Self.distance(result.x, [-5, -3]) < 1e-5)
        if method == "l-bfgs" { #expect(result.iterations < 20) }
    }

    /// With the value criterion off, each method goes on until the gradient is below 1e-10.
    @Test func seedProblemToTheGradientTolerance() {
        let methods: [(String, any Optimizer, Int)] = [
            ("gradient descent", GradientDescent(learningRate: 0.1), 1000),
            ("adam", Adam(learningRate: 0.1), 5000),
            ("momentum", Momentum(learningRate: 0.05), 5000),
            ("nesterov", Momentum(learningRate: 0.05, nesterov: true), 5000),
            ("rmsprop", RMSProp(learningRate: 0.01), 5000),
            ("l-bfgs", LBFGS(), 20),
        ]
        for (name, optimizer, limit) in methods {
            let result = minimize(Self.seed, from: [10, 4], using: optimizer, maxIterations: limit,
                                  tolerance: 1e-10, valueTolerance: 0)
            #expect(result.stopReason == .gradientNorm, "\(name): \(result.stopReason) after \(result.iterations)")
            #expect(result.gradientNorm <= 1e-10)
            #expect(Self.distance(result.x, [-5, -3]) < 1e-10, "\(name): \(result.x)")
        }
    }

    @Test(arguments: [2, 100])
    func rosenbrockWithLBFGS(n: Int) {
        let result = minimize(Self.rosenbrock, from: Self.standardStart(n), using: LBFGS(),
                              maxIterations: 5000, tolerance: 1e-10, valueTolerance: 0)
        #expect(result.stopReason == .gradientNorm, "\(result.stopReason) after \(result.iterations)")
        #expect(Self.distance(result.x, Array(repeating: 1, count: n)) < 1e-8)
        #expect(result.value < 1e-16)
    }

    @Test func parameterList() {
        // Two tensors of different shapes: a vector and a 2×1 matrix, minimized together.
        func loss(_ p: [Tensor]) -> Tensor {
            let (c0, c1): (Tensor, Tensor) = ([1, 2, 3], [[-1], [4]])
            let a = p[0] - c0, b = p[1] - c1
            return sum(a * a) + 3 * sum(b * b)
        }
        let result = minimize(loss, from: [.zeros([3]), .zeros([2, 1])], using: LBFGS(), tolerance: 1e-12,
                              valueTolerance: 0)
        #expect(result.converged)
        #expect(result.x.map(\.shape) == [[3], [2, 1]])
        #expect(Self.distance(result.x[0], [1, 2, 3]) < 1e-10 && Self.distance(result.x[1], [-1, 4]) < 1e-10)
        #expect(result.gradient.map(\.shape) == [[3], [2, 1]])
    }

    @Test func theLossIsCompiledOnceAndReused() {
        let compiled = compile(valueAndGrad { (p: [Tensor]) in Self.rosenbrock(p[0]) })
        let result = minimize(Objective { compiled($0) }, from: [Self.standardStart(10)], using: LBFGS(),
                              maxIterations: 1000, tolerance: 1e-9)
        #expect(result.converged)
        #expect(compiled.kernels.count == 1)
        #expect(compiled.fallbackReason == nil)
        #expect(result.evaluations > result.iterations)  // line searches evaluate more than once at times
    }

    @Test func theSeedsLogisticRegression() {
        let result = minimize(SeedTests.logisticLoss, from: .zeros([3]), using: GradientDescent(learningRate: 0.01),
                              maxIterations: 100, tolerance: 0)
        #expect(result.stopReason == .maxIterations && !result.converged)
        #expect(result.iterations == 100 && result.evaluations == 101)
        #expect(Swift.abs(result.value - 1.0672706757870163) < 1e-12)
    }

    @Test func stopsWhenTheLossIsNoLongerFinite() {
        // A step of 1e200 overflows at once; the result keeps the last finite point.
        let result = minimize({ (x: Tensor) in sum(x * x) }, from: [1, 2], using: GradientDescent(learningRate: 1e200))
        #expect(result.stopReason == .nonFiniteValue && !result.converged)
        #expect(result.x.scalars == [1, 2] && result.value == 5 && result.iterations == 0)
    }

    @Test func stopsWhenTheLineSearchFails() {
        // A linear loss has no minimum: the search extends its step until it gives up.
        let result = minimize({ (x: Tensor) in -sum(x) }, from: [0, 0], using: LBFGS())
        guard case .lineSearchFailed = result.stopReason else {
            Issue.record("expected a line search failure, got \(result.stopReason)")
            return
        }
        #expect(!result.converged && result.iterations == 0)
    }

    @Test func reportsProgress() {
        var reports: [OptimizationProgress] = []
        let result = minimize(Self.seed, from: [10, 4], using: GradientDescent(learningRate: 0.01),
                              maxIterations: 25, tolerance: 0, progressInterval: 10) { reports.append($0) }
        #expect(reports.map(\.iteration) == [0, 10, 20, 25])
        #expect(reports.map(\.evaluations) == [1, 11, 21, 26])
        #expect(reports.first?.value == 274 && reports.last?.value == result.value)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.elapsed <= $1.elapsed && $0.value > $1.value })
        #expect(reports.last?.gradientNorm == result.gradientNorm)
    }

    @Test func minimizeResetsTheOptimizerItIsGiven() {
        var used = Adam(learningRate: 0.1)
        var w: Tensor = [1]
        for _ in 0..<10 { used.update(&w, along: [100]) }
        let fresh = minimize(Self.seed, from: [10, 4], using: Adam(learningRate: 0.1), maxIterations: 50, tolerance: 0)
        let reused = minimize(Self.seed, from: [10, 4], using: used, maxIterations: 50, tolerance: 0)
        #expect(fresh.x == reused.x)
        #expect(used.stepCount == 10)  // the caller's copy is untouched
    }
}
