/// The adaptive-rate methods: Adam and RMSProp scale each element's step by the gradient's recent size.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma & Ba 2015): gradient descent scaled per element by running estimates of the
/// gradient's first and second moments, with their start-up bias corrected.
///
/// With moments `m`, `v` (zero at first) and the step count `t` (1 at the first update):
///
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
///     x ← x − η·m̂ / (√v̂ + ε)
///
/// The first step therefore moves every element by about η, whatever the gradient's scale.
public struct Adam: GradientOptimizer {
    /// The step size η.
    public var learningRate: Double
    /// Decay β₁ of the first-moment (mean) estimate.
    public var beta1: Double
    /// Decay β₂ of the second-moment (uncentered variance) estimate.
    public var beta2: Double
    /// ε, added to √v̂ so that a zero gradient does not divide by zero.
    public var epsilon: Double
    /// How many updates have been made since the start or the last `reset()`.
    public private(set) var stepCount = 0
    private var firstMoment = ParameterSlots()
    private var secondMoment = ParameterSlots()

    /// Adam with step size η = `learningRate` and the paper's defaults β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸.
    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// One Adam update of every parameter; the first call fixes the list's shapes.
    public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
        guard firstMoment.prepare(for: parameters, gradients: gradients, optimizer: "Adam"),
              secondMoment.prepare(for: parameters, gradients: gradients, optimizer: "Adam") else { return }
        stepCount += 1
        let (b1, b2, eps, rate) = (beta1, beta2, epsilon, learningRate)
        let correction1 = 1 - pow(b1, Double(stepCount))
        let correction2 = 1 - pow(b2, Double(stepCount))
        var (m, v) = (firstMoment.values, secondMoment.values)
        parameters.updateScalars { k, x in
            let g = gradients[k].scalars
            for i in x.indices {
                m[k][i] = b1 * m[k][i] + (1 - b1) * g[i]
                v[k][i] = b2 * v[k][i] + (1 - b2) * g[i] * g[i]
                let mHat = m[k][i] / correction1
                let vHat = v[k][i] / correction2
                x[i] -= rate * mHat / (vHat.squareRoot() + eps)
            }
        }
        (firstMoment.values, secondMoment.values) = (m, v)
    }

    /// Forgets the moments and the step count.
    public mutating func reset() {
        stepCount = 0
        firstMoment.reset()
        secondMoment.reset()
    }
}

/// RMSProp (Hinton, 2012): gradient descent divided per element by a running root mean square of
/// the gradient.
///
/// With the mean square `s` (zero at first):
///
///     s ← ρ·s + (1 − ρ)·g²
///     x ← x − η·g / (√s + ε)
public struct RMSProp: GradientOptimizer {
    /// The step size η.
    public var learningRate: Double
    /// Decay ρ of the running mean square.
    public var decay: Double
    /// ε, added to √s so that a zero gradient does not divide by zero.
    public var epsilon: Double
    private var meanSquare = ParameterSlots()

    /// RMSProp with step size η = `learningRate`, decay ρ = 0.9 and ε = 10⁻⁸ by default.
    public init(learningRate: Double, decay: Double = 0.9, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
    }

    /// One RMSProp update of every parameter; the first call fixes the list's shapes.
    public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
        guard meanSquare.prepare(for: parameters, gradients: gradients, optimizer: "RMSProp") else { return }
        let (rho, eps, rate) = (decay, epsilon, learningRate)
        var s = meanSquare.values
        parameters.updateScalars { k, x in
            let g = gradients[k].scalars
            for i in x.indices {
                s[k][i] = rho * s[k][i] + (1 - rho) * g[i] * g[i]
                x[i] -= rate * g[i] / (s[k][i].squareRoot() + eps)
            }
        }
        meanSquare.values = s
    }

    /// Forgets the running mean square.
    public mutating func reset() { meanSquare.reset() }
}
