/// The optimizers' common ground: a point where the loss has been evaluated, the loss itself as
/// something an optimizer can call, and the two protocols (every optimizer; first-order ones).

/// A point where the objective has been evaluated: the parameters, the loss there and its gradient.
public struct Evaluation: Sendable {
    /// The parameters (one tensor, or a parameter list of tensors of different shapes).
    public var parameters: [Tensor]
    /// The loss at `parameters`.
    public var value: Double
    /// The gradient of the loss, one tensor per parameter, of the same shapes.
    public var gradient: [Tensor]

    /// A point, the loss there and its gradient.
    public init(parameters: [Tensor], value: Double, gradient: [Tensor]) {
        self.parameters = parameters
        self.value = value
        self.gradient = gradient
    }

    /// The Euclidean norm of the whole gradient, all its tensors taken as one vector.
    public var gradientNorm: Double { ParameterVector.norm(gradient) }

    /// Whether the value and every element of the gradient are finite.
    public var isFinite: Bool {
        value.isFinite && gradient.allSatisfy { $0.scalars.allSatisfy(\.isFinite) }
    }
}

/// The function being minimized, as the optimizers see it: parameters in, value and gradient
/// out. It counts its evaluations.
///
/// Build one from any value-and-gradient function, typically a compiled one:
/// ```swift
/// let f = compile(valueAndGrad(loss))
/// let objective = Objective { f($0) }
/// ```
public struct Objective {
    private let function: ([Tensor]) -> (value: Tensor, gradient: [Tensor])
    private let counter = Counter()

    /// An objective from a function giving the loss and its gradient together.
    ///
    /// - Parameter valueAndGradient: the loss (one element) and its gradient with respect to each
    ///   parameter, as `valueAndGrad` returns them.
    public init(_ valueAndGradient: @escaping ([Tensor]) -> (value: Tensor, gradient: [Tensor])) {
        function = valueAndGradient
    }

    /// Evaluates the loss and its gradient at `parameters`.
    public func callAsFunction(_ parameters: [Tensor]) -> Evaluation {
        counter.count += 1
        let result = function(parameters)
        if let error = Objective.check(result, parameters) {
            // Inside `Tensor.checkingShapes`: a NaN loss stops `minimize` at once, and the error is thrown.
            ShapeErrors.fail(error)
            return Evaluation(parameters: parameters, value: .nan, gradient: parameters.map { Tensor.zeros($0.shape) })
        }
        return Evaluation(parameters: parameters, value: result.value.scalars[0], gradient: result.gradient)
    }

    /// What is wrong with a value-and-gradient function's result, if anything.
    private static func check(_ result: (value: Tensor, gradient: [Tensor]), _ parameters: [Tensor]) -> ShapeError? {
        if result.value.count != 1 {
            return ShapeError("Objective", [result.value.shape], "the loss must have one element")
        }
        let shapes = parameters.map(\.shape), gradientShapes = result.gradient.map(\.shape)
        guard gradientShapes == shapes else {
            return ShapeError("Objective", gradientShapes + shapes,
                              "the gradient shapes \(gradientShapes) differ from the parameter shapes \(shapes)")
        }
        return nil
    }

    /// How many times the objective has been evaluated.
    public var evaluations: Int { counter.count }

    private final class Counter {
        var count = 0
    }
}

/// Why an optimizer could not take a step.
public enum OptimizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line search found no step satisfying its conditions (the reason in words). Near a
    /// minimum this usually means the loss cannot decrease further in floating point.
    case lineSearchFailed(String)

    /// The error in words.
    public var description: String {
        switch self {
        case .lineSearchFailed(let reason): "line search failed: \(reason)"
        }
    }
}

/// An optimization method, for `minimize` and for training loops step by step.
///
/// Optimizers are value types that keep their state (moments, curvature history) between steps:
/// a copy is an independent optimizer with the same state. `minimize` resets the optimizer it is
/// given before it starts.
public protocol Optimizer: Sendable {
    /// Moves from `point`, where the objective has been evaluated, to the next point, evaluating
    /// `objective` as often as the method needs (once for first-order methods, a few times for a
    /// line search), and returns the new point with its value and gradient.
    mutating func step(from point: Evaluation, objective: Objective) throws(OptimizationError) -> Evaluation

    /// Forgets all state, as if newly made.
    mutating func reset()
}

extension Optimizer {
    /// One step of a training loop driven by the loss itself, for every optimizer (L-BFGS needs
    /// it: its line search evaluates the loss several times).
    ///
    /// It evaluates `valueAndGradient` at `parameters`, then steps; first-order optimizers are
    /// cheaper through `update(_:along:)` with a gradient you
    /// already have.
    /// - Returns: the loss at the new parameters.
    @discardableResult
    public mutating func step(_ parameters: inout [Tensor],
                              valueAndGradient: @escaping ([Tensor]) -> (value: Tensor, gradient: [Tensor]))
        throws(OptimizationError) -> Double {
        let objective = Objective(valueAndGradient)
        let next = try step(from: objective(parameters), objective: objective)
        parameters = next.parameters
        return next.value
    }
}

/// A first-order optimizer: each update moves the parameters along a gradient you supply, so it
/// runs in a training loop over a parameter list with no access to the loss.
///
/// ```swift
/// var optimizer = Adam(learningRate: 0.01)
/// let lossAndGradient = compile(valueAndGrad(loss))
/// for _ in 0..<1000 {
///     let (loss, gradients) = lossAndGradient(parameters)
///     optimizer.update(&parameters, along: gradients)
/// }
/// ```
/// The state (velocities, moments, step count) belongs to the position of each tensor in the
/// list: update the same list, in the same order, every time, or call ``Optimizer/reset()``.
public protocol GradientOptimizer: Optimizer {
    /// Moves each parameter along its gradient by the method's rule and advances the state.
    mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor])
}

extension GradientOptimizer {
    /// The update for a single tensor of parameters.
    public mutating func update(_ parameter: inout Tensor, along gradient: Tensor) {
        var list = [parameter]
        update(&list, along: [gradient])
        parameter = list[0]
    }

    /// One update along the gradient at `point`, then one evaluation at the new parameters.
    public mutating func step(from point: Evaluation, objective: Objective) -> Evaluation {
        var parameters = point.parameters
        update(&parameters, along: point.gradient)
        return objective(parameters)
    }
}
