/// Gradient descent: `x ← x − η·g`.
///
/// The simplest method and the seeds' first: a fixed step `η` (the learning rate) against the
/// gradient. On a quadratic it converges when `η` is below 2 / (largest curvature).
public struct GradientDescent: GradientOptimizer {
    /// The step size η.
    public var learningRate: Double

    /// Gradient descent with step size η = `learningRate`.
    public init(learningRate: Double) {
        self.learningRate = learningRate
    }

    /// `x ← x − η·g` for every parameter.
    public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
        guard ParameterSlots.gradients(gradients, fit: parameters, "GradientDescent") else { return }
        let rate = learningRate
        parameters.updateScalars { k, x in
            let g = gradients[k].scalars
            for i in x.indices { x[i] -= rate * g[i] }
        }
    }

    /// Gradient descent keeps no state.
    public mutating func reset() {}
}

/// Gradient descent with momentum (heavy ball), or with Nesterov's accelerated gradient.
///
/// With velocity `v` (zero at first), momentum `μ` and learning rate `η`, each update is
///
///     v ← μ·v + g
///     x ← x − η·v                 (plain)
///     x ← x − η·(g + μ·v)         (Nesterov, with the new v)
///
/// The Nesterov form is the usual rewriting (Sutskever et al. 2013, PyTorch's `nesterov=True`)
/// that needs the gradient only at the current parameters rather than at a look-ahead point.
public struct Momentum: GradientOptimizer {
    /// The step size η.
    public var learningRate: Double
    /// The factor μ by which the velocity decays each step, in [0, 1).
    public var momentum: Double
    /// Whether to use Nesterov's accelerated gradient.
    public var nesterov: Bool
    private var velocity = ParameterSlots()

    /// Momentum with step size η = `learningRate` and momentum μ (0.9 by default), plain or Nesterov.
    public init(learningRate: Double, momentum: Double = 0.9, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
    }

    /// One momentum update of every parameter; the first call fixes the list's shapes.
    public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
        guard velocity.prepare(for: parameters, gradients: gradients, optimizer: "Momentum") else { return }
        let (rate, mu, nesterov) = (learningRate, momentum, self.nesterov)
        var velocities = velocity.values
        parameters.updateScalars { k, x in
            let g = gradients[k].scalars
            for i in x.indices {
                let v = mu * velocities[k][i] + g[i]
                velocities[k][i] = v
                x[i] -= rate * (nesterov ? g[i] + mu * v : v)
            }
        }
        velocity.values = velocities
    }

    /// Forgets the velocity.
    public mutating func reset() { velocity.reset() }
}
