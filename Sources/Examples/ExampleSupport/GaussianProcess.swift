import Adjoint
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gaussian-process regression in one dimension with a squared-exponential kernel
/// k(a, b) = σf² · exp(−(a − b)² / 2ℓ²) and Gaussian noise of variance σn², whose three
/// hyperparameters are fitted by maximizing the log marginal likelihood (Rasmussen & Williams,
/// "Gaussian Processes for Machine Learning", algorithm 2.1 and eq. 5.8) with L-BFGS.
///
/// Everything the fit needs is four lines of tensor code — `cholesky`, `solveTriangular`,
/// `sum(log(diagonal(L)))` — traced once, differentiated in reverse mode and compiled to one
/// kernel; the derivative of the likelihood through the Cholesky factor is the library's.
public struct GaussianProcess: Sendable {
    /// The kernel's hyperparameters, in natural units.
    public struct Hyperparameters: Sendable, Equatable, CustomStringConvertible {
        /// ℓ, the distance over which the function changes appreciably.
        public var lengthScale: Double
        /// σf², the variance of the function about 0.
        public var signalVariance: Double
        /// σn², the variance of the noise on each observation.
        public var noiseVariance: Double

        public init(lengthScale: Double, signalVariance: Double, noiseVariance: Double) {
            (self.lengthScale, self.signalVariance, self.noiseVariance) = (lengthScale, signalVariance, noiseVariance)
        }

        /// From [log ℓ, log σf², log σn²]: the optimizer works on logs, so that every step
        /// keeps the three positive without constraints.
        public init(logs: Tensor) {
            let v = logs.scalars
            self.init(lengthScale: exp(v[0]), signalVariance: exp(v[1]), noiseVariance: exp(v[2]))
        }

        /// [log ℓ, log σf², log σn²].
        public var logs: Tensor { Tensor([log(lengthScale), log(signalVariance), log(noiseVariance)]) }

        public var description: String {
            "ℓ = \(Format.fixed(lengthScale, 4)), σf² = \(Format.fixed(signalVariance, 4)), "
                + "σn² = \(Format.fixed(noiseVariance, 5))"
        }
    }

    /// The inputs [n] and the observations [n].
    public let x: Tensor, y: Tensor

    public init(x: Tensor, y: Tensor) { (self.x, self.y) = (x, y) }

    /// The kernel matrix [n, m] between points `a` [n] and `b` [m] for `logs` = [log ℓ, log σf², …]:
    /// exp(log σf² − (a − b)² / 2ℓ²), one exponential per entry.
    public static func covariance(_ a: Tensor, _ b: Tensor, logs: Tensor) -> Tensor {
        let d = expandDims(a, axis: 1) - expandDims(b, axis: 0)
        return exp(logs[1] - 0.5 * d * d * exp(-2 * logs[0]))
    }

    /// −log p(y | x, θ) = ½ yᵀK⁻¹y + ½ log det K + (n/2) log 2π with K = k(x, x) + σn² I:
    /// with K = L·Lᵀ, ½ log det K is Σ log Lᵢᵢ and yᵀK⁻¹y is |L⁻¹y|².
    public func negativeLogMarginalLikelihood(_ logs: Tensor) -> Tensor {
        let n = x.shape[0]
        let k = Self.covariance(x, x, logs: logs) + exp(logs[2]) * diag(Tensor.ones([n]))
        let l = cholesky(k)
        let alpha = solveTriangular(l, y, lower: true)
        return 0.5 * sum(alpha * alpha) + sum(log(diagonal(l))) + 0.5 * Double(n) * log(2 * Double.pi)
    }

    /// Minimizes the negative log marginal likelihood over the logs of the hyperparameters with
    /// L-BFGS from `start` (the loss and its gradient compiled once, inside `minimize`). The
    /// default gradient tolerance, 1e-6, is near what rounding allows: much below it the line
    /// search's trial steps change the loss by amounts close to its rounding error, and it fails.
    public func fit(from start: Hyperparameters, maxIterations: Int = 200, tolerance: Double = 1e-6,
                    progressInterval: Int = 1, progress: ((OptimizationProgress) -> Void)? = nil)
        -> (hyperparameters: Hyperparameters, result: MinimizationResult<Tensor>) {
        let result = minimize(negativeLogMarginalLikelihood, from: start.logs, using: LBFGS(),
                              maxIterations: maxIterations, tolerance: tolerance, valueTolerance: 0,
                              progressInterval: progressInterval, progress: progress)
        return (Hyperparameters(logs: result.x), result)
    }

    /// The posterior of the noise-free function at `points` [m]: its mean K*ᵀK⁻¹y and its
    /// variance σf² − |L⁻¹K*|² at each point.
    public func predict(at points: Tensor, with h: Hyperparameters) -> (mean: [Double], variance: [Double]) {
        let logs = h.logs, n = x.shape[0]
        let l = cholesky(Self.covariance(x, x, logs: logs) + h.noiseVariance * diag(Tensor.ones([n])))
        let cross = Self.covariance(x, points, logs: logs)  // [n, m]
        let alpha = solveTriangular(l.transposed(), solveTriangular(l, y, lower: true))
        let v = solveTriangular(l, cross, lower: true)
        let mean = matmul(alpha, cross)
        return (mean.scalars, (h.signalVariance - sum(v * v, axis: 0)).scalars)
    }
}

extension GaussianProcess {
    /// Data drawn from the model itself (see `sample`).
    public struct Sample: Sendable {
        public var process: GaussianProcess
        public var testPoints: Tensor
        /// The noise-free function at `testPoints`.
        public var testValues: [Double]
    }

    /// `count` inputs uniform on `interval` (sorted), one draw f of the Gaussian process with
    /// `truth`'s kernel at those inputs and at `testPoints` jointly, and observations
    /// y = f(x) + noise of variance σn². All from `seed`.
    public static func sample(count: Int, on interval: ClosedRange<Double>, testPoints: [Double],
                              truth: Hyperparameters, seed: UInt64) -> Sample {
        var rng = SeededGenerator(seed: seed)
        let inputs = (0..<count).map { _ in Double.random(in: interval, using: &rng) }.sorted()
        let all = Tensor(inputs + testPoints)
        let m = all.count
        // A jitter of 1e-8 σf² keeps the factorization of nearly equal close inputs positive definite.
        let k = covariance(all, all, logs: truth.logs) + 1e-8 * truth.signalVariance * diag(Tensor.ones([m]))
        // The draws for the inputs, then the noise, then the test points: the observations do
        // not depend on which test points are asked for (L's leading rows are the inputs' alone).
        let z = normals(count, &rng)
        let noise = normals(count, &rng).map { $0 * truth.noiseVariance.squareRoot() }
        let f = matmul(cholesky(k), Tensor(z + normals(m - count, &rng))).scalars
        let y = zip(f.prefix(count), noise).map { $0 + $1 }
        return Sample(process: GaussianProcess(x: Tensor(inputs), y: Tensor(y)), testPoints: Tensor(testPoints),
                      testValues: Array(f.suffix(testPoints.count)))
    }

    /// `count` standard normal draws (Box–Muller).
    static func normals(_ count: Int, _ rng: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
    }
}
