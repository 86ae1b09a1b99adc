import Testing
import TestSupport
import Adjoint

/// The strong Wolfe line search, checked on the step it accepts: both conditions recomputed here
/// from the function itself (Rosenbrock in plain `Double`s), not from the search's own samples.
@Suite struct LineSearchTests {
    /// 100·(y − x²)² + (1 − x)² and its gradient.
    static func rosenbrock(_ x: Double, _ y: Double) -> (value: Double, gradient: (Double, Double)) {
        let valley = y - x * x
        return (100 * valley * valley + (1 - x) * (1 - x), (-400 * x * valley - 2 * (1 - x), 200 * valley))
    }

    /// Runs the search from `point` along `direction` and checks the strong Wolfe conditions at the
    /// accepted step; returns the step and how many evaluations it took.
    @discardableResult
    static func searchAndCheck(from point: (Double, Double), along direction: (Double, Double),
                               initialStep: Double, search: LineSearch = LineSearch(),
                               sourceLocation: SourceLocation = #_sourceLocation) throws -> (step: Double, evaluations: Int) {
        func phi(_ alpha: Double) -> LineSearch.Sample {
            let r = rosenbrock(point.0 + alpha * direction.0, point.1 + alpha * direction.1)
            return LineSearch.Sample(step: alpha, value: r.value, slope: r.gradient.0 * direction.0 + r.gradient.1 * direction.1)
        }
        let origin = phi(0)
        var evaluations = 0
        let (accepted, payload) = try search.search(from: origin, initialStep: initialStep) { alpha in
            evaluations += 1
            return (phi(alpha), alpha)
        }
        #expect(accepted.step == payload, sourceLocation: sourceLocation)
        let a = accepted.step
        let at = rosenbrock(point.0 + a * direction.0, point.1 + a * direction.1)
        let slope = at.gradient.0 * direction.0 + at.gradient.1 * direction.1
        #expect(a > 0, sourceLocation: sourceLocation)
        #expect(at.value <= origin.value + search.sufficientDecrease * a * origin.slope,
                "sufficient decrease fails at \(a)", sourceLocation: sourceLocation)
        #expect(Swift.abs(slope) <= search.curvature * Swift.abs(origin.slope),
                "curvature fails at \(a): |\(slope)| > \(search.curvature)·|\(origin.slope)|", sourceLocation: sourceLocation)
        return (a, evaluations)
    }

    @Test func tooLongAFirstStepIsZoomedIn() throws {
        // At the standard start the gradient is [−215.6, −88]: a unit step along −g goes far up the valley wall.
        let g = Self.rosenbrock(-1.2, 1).gradient
        let r = try Self.searchAndCheck(from: (-1.2, 1), along: (-g.0, -g.1), initialStep: 1)
        #expect(r.step < 0.01 && r.evaluations > 1)
    }

    @Test func tooShortAFirstStepIsExtended() throws {
        let g = Self.rosenbrock(-1.2, 1).gradient
        let r = try Self.searchAndCheck(from: (-1.2, 1), along: (-g.0, -g.1), initialStep: 1e-7)
        #expect(r.step > 1e-7 && r.evaluations > 1)
    }

    @Test func aStrictCurvatureConditionIsMet() throws {
        let strict = LineSearch(sufficientDecrease: 1e-4, curvature: 0.1)
        for point in [(-1.2, 1.0), (0.0, 0.0), (2.0, 2.0), (-0.5, 1.5)] {
            let g = Self.rosenbrock(point.0, point.1).gradient
            for initialStep in [1e-4, 1e-3, 1.0] {
                try Self.searchAndCheck(from: point, along: (-g.0, -g.1), initialStep: initialStep, search: strict)
            }
        }
    }

    @Test func manyDescentDirections() throws {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<50 {
            let point = (Double.random(in: -2...2, using: &rng), Double.random(in: -1...3, using: &rng))
            let g = Self.rosenbrock(point.0, point.1).gradient
            var d = (Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng))
            if d.0 * g.0 + d.1 * g.1 >= 0 { d = (-d.0, -d.1) }
            guard d.0 * g.0 + d.1 * g.1 < -1e-8 else { continue }
            try Self.searchAndCheck(from: point, along: d, initialStep: 1)
        }
    }

    @Test func nonFiniteValuesCountAsTooFar() throws {
        // φ(α) = (α − 1)², undefined (NaN) beyond α = 1.5; a first step of 4 must back off to near 1.
        let search = LineSearch()
        let origin = LineSearch.Sample(step: 0, value: 1, slope: -2)
        let (accepted, _) = try search.search(from: origin, initialStep: 4) { alpha in
            let value = alpha > 1.5 ? Double.nan : (alpha - 1) * (alpha - 1)
            return (LineSearch.Sample(step: alpha, value: value, slope: alpha > 1.5 ? .nan : 2 * (alpha - 1)), ())
        }
        #expect(accepted.step <= 1.5 && search.accepts(accepted, from: origin))
        #expect(Swift.abs(accepted.slope) <= 0.9 * 2)
    }

    @Test func anAscentDirectionIsRefused() {
        let origin = LineSearch.Sample(step: 0, value: 1, slope: 0.5)
        #expect(throws: OptimizationError.self) {
            try LineSearch().search(from: origin, initialStep: 1) { alpha in
                (LineSearch.Sample(step: alpha, value: 1 + alpha, slope: 0.5), ())
            }
        }
    }

    @Test func aFunctionUnboundedBelowFails() {
        let origin = LineSearch.Sample(step: 0, value: 0, slope: -1)
        #expect(throws: OptimizationError.self) {
            try LineSearch().search(from: origin, initialStep: 1) { alpha in
                (LineSearch.Sample(step: alpha, value: -alpha, slope: -1), ())
            }
        }
    }

    @Test func cubicInterpolationFindsTheMinimizerOfACubic() {
        // φ(α) = α³ − 3α on [0, 2]: minimizer at α = 1; φ(0) = 0, φ′(0) = −3, φ(2) = 2, φ′(2) = 9.
        let a = LineSearch.Sample(step: 0, value: 0, slope: -3)
        let b = LineSearch.Sample(step: 2, value: 2, slope: 9)
        #expect(Swift.abs(LineSearch.interpolate(a, b) - 1) < 1e-15)
        #expect(Swift.abs(LineSearch.interpolate(b, a) - 1) < 1e-15)
    }
}
