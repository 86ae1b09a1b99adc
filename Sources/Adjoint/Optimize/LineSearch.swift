/// A line search for a step length satisfying the strong Wolfe conditions (Nocedal & Wright,
/// *Numerical Optimization*, 2nd ed., algorithms 3.5 and 3.6).
///
/// Along a descent direction `p` from `x`, let φ(α) = f(x + α·p), so φ′(α) = ∇f(x + α·p)·p and
/// φ′(0) < 0. An accepted step α satisfies
///
///     φ(α) ≤ φ(0) + c₁·α·φ′(0)        (sufficient decrease)
///     |φ′(α)| ≤ c₂·|φ′(0)|            (curvature)
///
/// with 0 < c₁ < c₂ < 1. The search tries the initial step, extrapolates (doubling) while the
/// function still decreases steeply, and once an interval is known to hold acceptable steps it
/// zooms in on one by safeguarded cubic interpolation, falling back to bisection where the cubic
/// is not usable (no real minimizer, a non-finite value, or a point too near an end).
public struct LineSearch: Sendable {
    /// The function along the line at one step: φ(α) and φ′(α).
    public struct Sample: Sendable, Equatable {
        /// The step length α.
        public var step: Double
        /// φ(α), the loss at the step.
        public var value: Double
        /// φ′(α), the directional derivative of the loss at the step.
        public var slope: Double

        /// φ and φ′ at step α.
        public init(step: Double, value: Double, slope: Double) {
            self.step = step
            self.value = value
            self.slope = slope
        }
    }

    /// c₁ of the sufficient-decrease (Armijo) condition.
    public var sufficientDecrease: Double
    /// c₂ of the curvature condition (0.9 suits quasi-Newton methods).
    public var curvature: Double
    /// The most evaluations of φ one search may make.
    public var maxEvaluations: Int
    /// The largest step the search may try.
    public var maxStep: Double

    /// A search with the given c₁ and c₂ (0 < c₁ < c₂ < 1), budget of evaluations and largest step.
    public init(sufficientDecrease: Double = 1e-4, curvature: Double = 0.9, maxEvaluations: Int = 40,
                maxStep: Double = 1e20) {
        let valid = 0 < sufficientDecrease && sufficientDecrease < curvature && curvature < 1
        if !valid {
            ShapeErrors.fail(ShapeError("LineSearch", [], "need 0 < sufficientDecrease < curvature < 1, got "
                                        + "sufficientDecrease = \(sufficientDecrease), curvature = \(curvature)", kind: .argument))
        }
        // After the error (inside `Tensor.checkingShapes`), the defaults keep the search well defined.
        self.sufficientDecrease = valid ? sufficientDecrease : 1e-4
        self.curvature = valid ? curvature : 0.9
        self.maxEvaluations = maxEvaluations
        self.maxStep = maxStep
    }

    /// Whether `sample` satisfies both strong Wolfe conditions relative to `origin` (φ at 0).
    public func accepts(_ sample: Sample, from origin: Sample) -> Bool {
        decreasesEnough(sample, from: origin) && abs(sample.slope) <= curvature * abs(origin.slope)
    }

    /// Finds a step satisfying the strong Wolfe conditions.
    /// - Parameters:
    ///   - origin: φ(0) and φ′(0), which must be negative.
    ///   - initialStep: the first step tried (1 for quasi-Newton directions).
    ///   - evaluate: φ and φ′ at a step, with whatever else the caller wants back for the step
    ///     accepted (an optimizer keeps the full evaluation, so it need not evaluate again).
    /// - Returns: the accepted sample and its payload.
    public func search<Payload>(from origin: Sample, initialStep: Double,
                                evaluate: (Double) -> (Sample, Payload)) throws(OptimizationError) -> (Sample, Payload) {
        guard origin.slope < 0, origin.value.isFinite else {
            throw .lineSearchFailed("not a descent direction (slope \(origin.slope) at step 0)")
        }
        var run = Run<Payload>(search: self, origin: origin)
        var previous: (Sample, Payload?) = (origin, nil)
        var step = min(initialStep, maxStep)
        while run.evaluations < maxEvaluations {
            let (current, payload) = run.evaluate(step, evaluate)
            if !decreasesEnough(current, from: origin) || (run.evaluations > 1 && current.value >= previous.0.value) {
                return try run.zoom(low: previous, high: current, evaluate)
            }
            if accepts(current, from: origin) { return (current, payload) }
            if current.slope >= 0 { return try run.zoom(low: (current, payload), high: previous.0, evaluate) }
            guard step < maxStep else { throw .lineSearchFailed("step reached \(maxStep): the loss may be unbounded below") }
            previous = (current, payload)
            step = min(2 * step, maxStep)
        }
        throw .lineSearchFailed("no acceptable step in \(maxEvaluations) evaluations")
    }

    /// Sufficient decrease, with finite value and slope (a non-finite point is a step too far).
    func decreasesEnough(_ sample: Sample, from origin: Sample) -> Bool {
        sample.value.isFinite && sample.slope.isFinite
            && sample.value <= origin.value + sufficientDecrease * sample.step * origin.slope
    }
}

extension LineSearch {
    /// One search in progress: the evaluations so far and the zoom phase (algorithm 3.6).
    private struct Run<Payload> {
        let search: LineSearch
        let origin: Sample
        var evaluations = 0

        mutating func evaluate(_ step: Double, _ f: (Double) -> (Sample, Payload)) -> (Sample, Payload) {
            evaluations += 1
            return f(step)
        }

        /// Narrows [low, high] (unordered) to an acceptable step. `low` satisfies sufficient
        /// decrease and has the least value seen; its slope points towards `high`.
        mutating func zoom(low: (Sample, Payload?), high: Sample,
                           _ f: (Double) -> (Sample, Payload)) throws(OptimizationError) -> (Sample, Payload) {
            var (low, high) = (low, high)
            while evaluations < search.maxEvaluations {
                let width = abs(high.step - low.0.step)
                guard width > Double.ulpOfOne * max(low.0.step, high.step) else {
                    throw .lineSearchFailed("interval of acceptable steps shrank to nothing near \(low.0.step)")
                }
                let (trial, payload) = evaluate(LineSearch.interpolate(low.0, high), f)
                if !search.decreasesEnough(trial, from: origin) || trial.value >= low.0.value {
                    high = trial
                    continue
                }
                if search.accepts(trial, from: origin) { return (trial, payload) }
                if trial.slope * (high.step - low.0.step) >= 0 { high = low.0 }
                low = (trial, payload)
            }
            throw .lineSearchFailed("no acceptable step in \(search.maxEvaluations) evaluations")
        }
    }

    /// The minimizer of the cubic through two samples (values and slopes), kept at least a tenth
    /// of the interval away from its ends; the midpoint when the cubic has no usable minimizer.
    package static func interpolate(_ a: Sample, _ b: Sample) -> Double {
        let low = min(a.step, b.step), high = max(a.step, b.step)
        let margin = 0.1 * (high - low)
        guard let t = cubicMinimizer(a, b), t.isFinite else { return (low + high) / 2 }
        return min(max(t, low + margin), high - margin)
    }

    /// Nocedal & Wright (3.59): the minimizer of the cubic interpolating φ and φ′ at two steps.
    static func cubicMinimizer(_ a: Sample, _ b: Sample) -> Double? {
        guard a.value.isFinite, b.value.isFinite, a.slope.isFinite, b.slope.isFinite, a.step != b.step else {
            return nil
        }
        let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
        let discriminant = d1 * d1 - a.slope * b.slope
        guard discriminant >= 0 else { return nil }
        let d2 = (b.step > a.step ? 1.0 : -1.0) * discriminant.squareRoot()
        let denominator = b.slope - a.slope + 2 * d2
        guard denominator != 0 else { return nil }
        return b.step - (b.step - a.step) * (b.slope + d2 - d1) / denominator
    }
}
