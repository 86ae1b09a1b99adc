import Testing
import Adjoint
import ExampleSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gaussian process of `example-gp`: its likelihood against a plain loop over Doubles (a
/// hand-written Cholesky), its compiled gradient against central differences of that loop, and
/// the fit, which must find the hyperparameters that generated the data.
@Suite struct GaussianProcessTests {
    static let truth = GaussianProcess.Hyperparameters(lengthScale: 1.2, signalVariance: 2.0, noiseVariance: 0.05)
    static let start = GaussianProcess.Hyperparameters(lengthScale: 1, signalVariance: 1, noiseVariance: 1)
    static let data = GaussianProcess.sample(count: 60, on: -5...5, testPoints: [-1.7, 2.9], truth: truth, seed: 2026)

    /// −log p(y | x, θ) for θ = [log ℓ, log σf², log σn²], by the textbook loops.
    static func loops(_ theta: [Double], x: [Double], y: [Double]) -> Double {
        let n = x.count
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let d = x[i] - x[j]
                k[i * n + j] = exp(theta[1]) * exp(-d * d / (2 * exp(2 * theta[0]))) + (i == j ? exp(theta[2]) : 0)
            }
        }
        var l = [Double](repeating: 0, count: n * n)  // Cholesky–Banachiewicz
        for i in 0..<n {
            for j in 0...i {
                var s = k[i * n + j]
                for p in 0..<j { s -= l[i * n + p] * l[j * n + p] }
                l[i * n + j] = i == j ? s.squareRoot() : s / l[j * n + j]
            }
        }
        var alpha = [Double](repeating: 0, count: n), total = 0.0
        for i in 0..<n {
            var s = y[i]
            for p in 0..<i { s -= l[i * n + p] * alpha[p] }
            alpha[i] = s / l[i * n + i]
            total += 0.5 * alpha[i] * alpha[i] + log(l[i * n + i])
        }
        return total + 0.5 * Double(n) * log(2 * Double.pi)
    }

    @Test func likelihoodAndGradientAtTheStartMatchTheLoops() {
        let gp = Self.data.process
        let (x, y) = (gp.x.scalars, gp.y.scalars)
        let theta = Self.start.logs
        let reference = Self.loops(theta.scalars, x: x, y: y)
        let compiled = compile(valueAndGrad(gp.negativeLogMarginalLikelihood))(theta)
        #expect(Swift.abs(compiled.value.scalar - reference) <= 1e-12 * Swift.abs(reference))
        let interpreted = grad(gp.negativeLogMarginalLikelihood)(theta).scalars
        let h = 1e-5
        for i in 0..<3 {
            var plus = theta.scalars, minus = theta.scalars
            plus[i] += h
            minus[i] -= h
            let central = (Self.loops(plus, x: x, y: y) - Self.loops(minus, x: x, y: y)) / (2 * h)
            let g = compiled.gradient.scalars[i]
            #expect(Swift.abs(g - central) <= 1e-6 * Swift.max(1, Swift.abs(central)), "∂/∂θ\(i): \(g) vs \(central)")
            #expect(Swift.abs(g - interpreted[i]) <= 1e-12 * Swift.max(1, Swift.abs(g)))
        }
        // The start is far from the optimum: the check is not made near a stationary point.
        #expect(compiled.gradient.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot() > 10)
    }

    /// L-BFGS from ℓ = σf² = σn² = 1 reaches a stationary point whose hyperparameters are those
    /// that generated the 60 points, to the precision 60 points allow: the length-scale within
    /// 20%, the noise variance within a factor 1.4 (its relative standard error from 60 residuals
    /// is about √(2/60) ≈ 18%), the signal variance (the least determined: one sample's spread
    /// over some eight length-scales) within a factor 2.
    @Test func fitRecoversTheGeneratingHyperparameters() {
        let gp = Self.data.process
        let (fitted, result) = gp.fit(from: Self.start, maxIterations: 100)
        #expect(result.converged, "stopped: \(result.stopReason)")
        #expect(result.gradientNorm <= 1e-6)
        let before = gp.negativeLogMarginalLikelihood(Self.start.logs).scalar
        let atTruth = gp.negativeLogMarginalLikelihood(Self.truth.logs).scalar
        #expect(result.value < atTruth && atTruth < before, "\(result.value), \(atTruth), \(before)")
        #expect(Swift.abs(log(fitted.noiseVariance / Self.truth.noiseVariance)) <= log(1.4), "\(fitted)")
        #expect(Swift.abs(log(fitted.lengthScale / Self.truth.lengthScale)) <= log(1.2), "\(fitted)")
        #expect(Swift.abs(log(fitted.signalVariance / Self.truth.signalVariance)) <= log(2), "\(fitted)")
        // The fitted process predicts the drawn function at the two held-out points within 2σ.
        let prediction = gp.predict(at: Self.data.testPoints, with: fitted)
        for k in 0..<2 {
            let error = Swift.abs(prediction.mean[k] - Self.data.testValues[k])
            #expect(error <= 2 * prediction.variance[k].squareRoot(), "point \(k): off by \(error)")
        }
    }
}
