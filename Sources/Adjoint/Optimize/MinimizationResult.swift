/// What `minimize` returns, why it stopped, and what it reports while it runs.

/// Why a minimization stopped.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// The gradient's Euclidean norm fell to the tolerance or below: converged.
    case gradientNorm
    /// The value changed by no more than the value tolerance (relative to the value, or absolute
    /// below 1) in the last iteration: converged.
    case valueChange
    /// `maxIterations` iterations were made without meeting either criterion.
    case maxIterations
    /// The loss or its gradient became infinite or NaN; the result holds the last finite point.
    case nonFiniteValue
    /// The optimizer's line search found no acceptable step (the reason in words); the result
    /// holds the last point reached. Near a minimum this means no further progress is possible in
    /// floating point, so check `gradientNorm`.
    case lineSearchFailed(String)

    /// Whether this reason means a convergence criterion was met.
    public var isConvergence: Bool { self == .gradientNorm || self == .valueChange }

    /// The reason in words.
    public var description: String {
        switch self {
        case .gradientNorm: "gradient norm below tolerance"
        case .valueChange: "change in value below tolerance"
        case .maxIterations: "maximum number of iterations reached"
        case .nonFiniteValue: "non-finite value or gradient"
        case .lineSearchFailed(let reason): "line search failed: \(reason)"
        }
    }
}

/// The outcome of `minimize`: where it stopped, the loss there, and how and why it got there.
///
/// `Parameters` is `Tensor` or `[Tensor]`, as passed to `minimize`.
public struct MinimizationResult<Parameters: Sendable>: Sendable {
    /// The parameters reached (the last finite point if the loss stopped being finite).
    public var x: Parameters
    /// The loss at `x`.
    public var value: Double
    /// The gradient of the loss at `x`.
    public var gradient: Parameters
    /// The Euclidean norm of `gradient`.
    public var gradientNorm: Double
    /// Iterations (optimizer steps) made.
    public var iterations: Int
    /// Evaluations of the loss and gradient, including the one at the start (L-BFGS's line
    /// search may make several per iteration).
    public var evaluations: Int
    /// Why the minimization stopped.
    public var stopReason: StopReason
    /// Wall-clock time, including tracing and compiling the loss on the first evaluation.
    public var elapsed: Duration

    /// Whether a convergence criterion (gradient norm or change in value) was met.
    public var converged: Bool { stopReason.isConvergence }
}

/// A snapshot of a running minimization, handed to the `progress` callback.
public struct OptimizationProgress: Sendable {
    /// Iterations made so far (0: the starting point).
    public var iteration: Int
    /// The loss at the current parameters.
    public var value: Double
    /// The Euclidean norm of the gradient at the current parameters.
    public var gradientNorm: Double
    /// Evaluations of the loss and gradient so far.
    public var evaluations: Int
    /// Wall-clock time since `minimize` started.
    public var elapsed: Duration
}
