/// Minimizes a scalar loss of one tensor.
///
/// The loss and its gradient are compiled once, as `compile(valueAndGrad(loss))`, and that kernel
/// is reused for every evaluation.
///
/// ```swift
/// func loss(_ x: Tensor) -> Tensor { (x[0] + 5) * (x[0] + 5) + (x[1] + 3) * (x[1] + 3) }
/// let result = minimize(loss, from: [10, 4], using: Adam(learningRate: 0.1),
///                       maxIterations: 1000, tolerance: 1e-13)
/// result.x; result.value; result.iterations; result.converged; result.stopReason
/// ```
///
/// ## Convergence
/// At the start and after each iteration, the minimization stops as converged when
/// - the gradient's Euclidean norm ‖∇f(x)‖₂ (all elements as one vector) is at most `tolerance`
///   (``StopReason/gradientNorm``), or
/// - the last iteration changed the loss by at most `valueTolerance` relative to its size:
///   |fₖ₊₁ − fₖ| ≤ valueTolerance · max(1, |fₖ|, |fₖ₊₁|) (``StopReason/valueChange``).
///
/// Otherwise it stops after `maxIterations` iterations, when the loss or gradient is no longer
/// finite, or when a line search fails; ``MinimizationResult/stopReason`` says which. Methods that
/// do not decrease the loss every step (momentum, Adam) can also change it little while they swing
/// across a valley: set `valueTolerance` to 0 to rely on the gradient alone.
///
/// The two criteria measure different things. Near a minimum with curvature λ, a change Δf in
/// the loss is a distance of about √(2Δf/λ), so a value tolerance of 1e-13 leaves `x` accurate
/// to about 1e-6 (the loss itself to about 1e-13); for `x` to near full precision, pass
/// `valueTolerance: 0` and a gradient tolerance such as 1e-10. One `tolerance` for both is
/// SciPy's convention for `minimize(…, tol=)`.
///
/// - Parameters:
///   - loss: a function whose result has one element.
///   - x0: the starting point.
///   - optimizer: the method; it is reset first, and a copy is used (yours is not changed).
///   - maxIterations: the most optimizer steps to make.
///   - tolerance: the gradient-norm tolerance, and the value tolerance unless that is given.
///   - valueTolerance: the tolerance on the relative change in value; `tolerance` when nil.
///   - progressInterval: call `progress` at the start and every this many iterations, and once
///     at the end.
///   - progress: called with a snapshot of the run, on the caller's thread.
public func minimize<O: Optimizer>(
    _ loss: @escaping (Tensor) -> Tensor, from x0: Tensor, using optimizer: O,
    maxIterations: Int = 1000, tolerance: Double = 1e-8, valueTolerance: Double? = nil,
    progressInterval: Int = 1, progress: ((OptimizationProgress) -> Void)? = nil
) -> MinimizationResult<Tensor> {
    let valueAndGradient = compile(valueAndGrad(Minimizer.checked(loss)))
    let objective = Objective { xs in
        let r = valueAndGradient(xs[0])
        return (r.value, [r.gradient])
    }
    let run = Minimizer(maxIterations: maxIterations, tolerance: tolerance, valueTolerance: valueTolerance ?? tolerance,
                        progressInterval: progressInterval, progress: progress)
    let result = run.minimize(objective, from: [x0], using: optimizer)
    return MinimizationResult(x: result.x[0], value: result.value, gradient: result.gradient[0],
                              gradientNorm: result.gradientNorm, iterations: result.iterations,
                              evaluations: result.evaluations, stopReason: result.stopReason, elapsed: result.elapsed)
}

/// Minimizes a scalar loss of a parameter list (tensors of different shapes, such as a network's
/// weights and biases), compiling the loss and its gradient once as `compile(valueAndGrad(loss))`.
///
/// Convergence and the parameters are as for the single-tensor `minimize`; the gradient norm is
/// taken over all parameters together.
public func minimize<O: Optimizer>(
    _ loss: @escaping ([Tensor]) -> Tensor, from x0: [Tensor], using optimizer: O,
    maxIterations: Int = 1000, tolerance: Double = 1e-8, valueTolerance: Double? = nil,
    progressInterval: Int = 1, progress: ((OptimizationProgress) -> Void)? = nil
) -> MinimizationResult<[Tensor]> {
    let valueAndGradient = compile(valueAndGrad(Minimizer.checked(loss)))
    return minimize(Objective { valueAndGradient($0) }, from: x0, using: optimizer,
                    maxIterations: maxIterations, tolerance: tolerance, valueTolerance: valueTolerance,
                    progressInterval: progressInterval, progress: progress)
}

/// Minimizes an objective given as a value-and-gradient function: one you compiled yourself (so
/// you can inspect its kernels afterwards), or one computed by other means.
///
/// Convergence and the parameters are as for the single-tensor `minimize`.
public func minimize<O: Optimizer>(
    _ objective: Objective, from x0: [Tensor], using optimizer: O,
    maxIterations: Int = 1000, tolerance: Double = 1e-8, valueTolerance: Double? = nil,
    progressInterval: Int = 1, progress: ((OptimizationProgress) -> Void)? = nil
) -> MinimizationResult<[Tensor]> {
    let run = Minimizer(maxIterations: maxIterations, tolerance: tolerance, valueTolerance: valueTolerance ?? tolerance,
                        progressInterval: progressInterval, progress: progress)
    return run.minimize(objective, from: x0, using: optimizer)
}

/// The iteration loop shared by every form of `minimize`.
struct Minimizer {
    let maxIterations: Int
    let tolerance: Double
    let valueTolerance: Double
    let progressInterval: Int
    let progress: ((OptimizationProgress) -> Void)?
    private let clock = ContinuousClock()

    init(maxIterations: Int, tolerance: Double, valueTolerance: Double, progressInterval: Int,
         progress: ((OptimizationProgress) -> Void)?) {
        func invalid(_ reason: String) { ShapeErrors.fail(ShapeError("minimize", [], reason, kind: .argument)) }
        if maxIterations < 0 { invalid("maxIterations must not be negative, got \(maxIterations)") }
        if !(tolerance >= 0) { invalid("tolerance must not be negative, got \(tolerance)") }
        if !(valueTolerance >= 0) { invalid("valueTolerance must not be negative, got \(valueTolerance)") }
        if progressInterval < 1 { invalid("progressInterval must be at least 1, got \(progressInterval)") }
        // After an error (inside `Tensor.checkingShapes`), the nearest valid values: the run still ends.
        self.maxIterations = max(maxIterations, 0)
        self.tolerance = tolerance >= 0 ? tolerance : 0
        self.valueTolerance = valueTolerance >= 0 ? valueTolerance : 0
        self.progressInterval = max(progressInterval, 1)
        self.progress = progress
    }

    /// `loss`, checked to give one element: otherwise the error names `minimize` and the loss's
    /// shape (rather than the `valueAndGrad` inside), and the loss is NaN, which stops the run.
    static func checked<Arguments>(_ loss: @escaping (Arguments) -> Tensor) -> (Arguments) -> Tensor {
        { x in
            let value = loss(x)
            guard value.count != 1 else { return value }
            ShapeErrors.fail(ShapeError("minimize", [value.shape], "the loss must have one element"))
            return Tensor(.nan)
        }
    }

    /// The state of one run: where it is and how far it has come.
    private struct Run {
        var point: Evaluation
        var iterations = 0
        var lastReported = -1
    }

    func minimize<O: Optimizer>(_ objective: Objective, from x0: [Tensor], using optimizer: O) -> MinimizationResult<[Tensor]> {
        let start = clock.now
        var optimizer = optimizer
        optimizer.reset()
        var run = Run(point: objective(x0))
        report(&run, objective, start)
        let reason = iterate(&run, &optimizer, objective, start)
        if run.lastReported != run.iterations { report(&run, objective, start) }
        return MinimizationResult(x: run.point.parameters, value: run.point.value, gradient: run.point.gradient,
                                  gradientNorm: run.point.gradientNorm, iterations: run.iterations,
                                  evaluations: objective.evaluations, stopReason: reason, elapsed: clock.now - start)
    }

    private func iterate<O: Optimizer>(_ run: inout Run, _ optimizer: inout O, _ objective: Objective,
                                       _ start: ContinuousClock.Instant) -> StopReason {
        guard run.point.isFinite else { return .nonFiniteValue }
        if run.point.gradientNorm <= tolerance { return .gradientNorm }
        while run.iterations < maxIterations {
            let next: Evaluation
            do {
                next = try optimizer.step(from: run.point, objective: objective)
            } catch {
                switch error {
                case .lineSearchFailed(let reason): return .lineSearchFailed(reason)
                }
            }
            guard next.isFinite else { return .nonFiniteValue }
            let change = abs(next.value - run.point.value)
            let scale = max(1, abs(next.value), abs(run.point.value))
            run.point = next
            run.iterations += 1
            if run.iterations % progressInterval == 0 { report(&run, objective, start) }
            if next.gradientNorm <= tolerance { return .gradientNorm }
            if change <= valueTolerance * scale { return .valueChange }
        }
        return .maxIterations
    }

    private func report(_ run: inout Run, _ objective: Objective, _ start: ContinuousClock.Instant) {
        guard let progress else { return }
        run.lastReported = run.iterations
        progress(OptimizationProgress(iteration: run.iterations, value: run.point.value,
                                      gradientNorm: run.point.gradientNorm, evaluations: objective.evaluations,
                                      elapsed: clock.now - start))
    }
}
