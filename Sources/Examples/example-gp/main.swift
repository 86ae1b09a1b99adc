// Gaussian-process regression: 60 noisy observations of a function drawn from a GP with a
// squared-exponential kernel, and the kernel's three hyperparameters (length-scale, signal
// variance, noise variance) recovered by maximizing the log marginal likelihood with L-BFGS.
// The likelihood is written with `cholesky`, `solveTriangular` and `sum(log(diagonal(L)))`;
// its gradient is the library's, compiled once.
import Adjoint
import ExampleSupport

let truth = GaussianProcess.Hyperparameters(lengthScale: 1.2, signalVariance: 2.0, noiseVariance: 0.05)
let start = GaussianProcess.Hyperparameters(lengthScale: 1, signalVariance: 1, noiseVariance: 1)
let testPoints = [-4.3, -1.7, 0.25, 2.9, 4.6, 6.5]
let data = GaussianProcess.sample(count: 60, on: -5...5, testPoints: testPoints, truth: truth, seed: 2026)
let gp = data.process

print("Gaussian process, squared-exponential kernel: 60 points on [-5, 5], seed 2026")
print("  generated with  \(truth)")
print("  starting from   \(start)")
let before = gp.negativeLogMarginalLikelihood(start.logs).scalar
let atTruth = gp.negativeLogMarginalLikelihood(truth.logs).scalar
print("L-BFGS on [log ℓ, log σf², log σn²], gradient tolerance 1e-6")
let (fitted, result) = gp.fit(from: start, progressInterval: 5, progress: progressPrinter())
print("  \(result.iterations) iterations, \(result.evaluations) evaluations, stopped: \(result.stopReason); "
      + "took \(Format.milliseconds(result.elapsed.seconds))")

print("\nHyperparameters        fitted     generating")
for (name, a, b) in [("length-scale ℓ", fitted.lengthScale, truth.lengthScale),
                     ("signal variance σf²", fitted.signalVariance, truth.signalVariance),
                     ("noise variance σn²", fitted.noiseVariance, truth.noiseVariance)] {
    print("  " + name + String(repeating: " ", count: 20 - name.count)
          + Format.padded(Format.fixed(a, 4), 9) + Format.padded(Format.fixed(b, 4), 13))
}
print("\nLog marginal likelihood log p(y | x, θ)")
print("  at the start          \(Format.fixed(-before, 4))")
print("  at the fit            \(Format.fixed(-result.value, 4))")
print("  at the generating θ   \(Format.fixed(-atTruth, 4))   (the fit is the maximum for this sample, so higher)")

print("\nPredictions of the noise-free function (posterior mean ± 2 standard deviations)")
print("       x     predicted              drawn")
let prediction = gp.predict(at: data.testPoints, with: fitted)
for (k, x) in testPoints.enumerated() {
    let sd = max(prediction.variance[k], 0).squareRoot()
    let inside = abs(prediction.mean[k] - data.testValues[k]) <= 2 * sd
    print("  " + Format.padded(Format.fixed(x, 2), 6) + Format.padded(Format.fixed(prediction.mean[k], 3), 10)
          + " ± " + Format.fixed(2 * sd, 3) + Format.padded(Format.fixed(data.testValues[k], 3), 12)
          + (inside ? "" : "   (outside ±2σ)") + (x > 5 ? "   (beyond the data)" : ""))
}
