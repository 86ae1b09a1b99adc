#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport

@testable import Adjoint

/// Programs a user porting autograd or ADBench code writes, as such code reads: each is
/// checked against a plain loop over Doubles, its gradient against central differences, and
/// its compiled gradient against the interpreted one.
@Suite struct ExamplesTests {
    /// ADBench's GMM log-likelihood (its data term): K Gaussians in D dimensions with mixture
    /// logits `alphas`, means, and inverse covariance factors Q = diag(exp(logDiag)) + the
    /// strict lower triangle of `lower`; N points x. A few lines with `logsumexp`, `tril` and
    /// batched `matmul`, where the ADBench port needed a hand-built triangle, a loop over
    /// components and a `max` whose gradient cancels only numerically.
    static func gmm(_ p: [Tensor], _ x: Tensor) -> Tensor {
        let (alphas, means, logDiag, lower) = (p[0], p[1], p[2], p[3])  // [K], [K,D], [K,D], [K,D,D]
        let q = tril(lower, k: -1) + expandDims(exp(logDiag), axis: -1) * diag(Tensor.ones([logDiag.shape[1]]))
        let z = matmul(q, expandDims(expandDims(x, axis: 1) - means, axis: -1))  // [N,K,D,1]
        let inner = alphas + sum(logDiag, axis: 1) - 0.5 * sum(z * z, axes: [2, 3])  // [N,K]
        return sum(logsumexp(inner, axis: 1)) - Double(x.shape[0]) * logsumexp(alphas)
    }

    /// The same, one point and one component at a time.
    static func gmmLoops(_ p: [Tensor], _ x: Tensor) -> Double {
        let (n, k, d) = (x.shape[0], p[0].count, x.shape[1])
        let (alphas, means, logDiag, lower, xs) = (p[0].scalars, p[1].scalars, p[2].scalars, p[3].scalars, x.scalars)
        func logSumExp(_ v: [Double]) -> Double {
            let m = v.max()!
            return m + Glibc.log(v.reduce(0) { $0 + Glibc.exp($1 - m) })
        }
        var total = 0.0
        for i in 0..<n {
            var terms: [Double] = []
            for c in 0..<k {
                var squares = 0.0
                for r in 0..<d {
                    var zr = Glibc.exp(logDiag[c * d + r]) * (xs[i * d + r] - means[c * d + r])
                    for col in 0..<r { zr += lower[(c * d + r) * d + col] * (xs[i * d + col] - means[c * d + col]) }
                    squares += zr * zr
                }
                terms.append(alphas[c] + (0..<d).reduce(0) { $0 + logDiag[c * d + $1] } - 0.5 * squares)
            }
            total += logSumExp(terms)
        }
        return total - Double(n) * logSumExp(alphas)
    }

    @Test func gmmLogLikelihood() {
        var rng = SplitMix64(seed: 5)
        let (n, k, d) = (7, 3, 4)
        let x = rng.tensor([n, d], in: -2...2)
        let p = [rng.tensor([k]), rng.tensor([k, d], in: -1...1), rng.tensor([k, d], in: -0.5...0.5), rng.tensor([k, d, d])]
        let f: ([Tensor]) -> Tensor = { Self.gmm($0, x) }
        #expect(Swift.abs(f(p).scalar - Self.gmmLoops(p, x)) <= 1e-12 * Swift.abs(Self.gmmLoops(p, x)))
        let (interpreted, compiled) = (grad(f)(p), compile(grad(f))(p))
        for (a, b) in zip(interpreted, compiled) { #expect(relativeError(a, b) <= 1e-12) }
        // Central differences along a random direction of every parameter.
        let v = p.map { rng.tensor($0.shape) }
        let h = 1e-5
        let fd = (Self.gmmLoops(zip(p, v).map { $0 + h * $1 }, x) - Self.gmmLoops(zip(p, v).map { $0 - h * $1 }, x)) / (2 * h)
        let ad = zip(interpreted, v).reduce(0) { $0 + innerProduct($1.0, $1.1) }
        #expect(Swift.abs(ad - fd) <= 1e-6 * Swift.max(1, Swift.abs(fd)), "\(ad) vs \(fd)")
        // The lower triangle's strict upper part has no effect, so no gradient.
        let upper = interpreted[3].scalars.enumerated().filter { ($0.offset % d) >= ($0.offset / d) % d }
        #expect(upper.allSatisfy { $0.element == 0 })
    }

    /// A time series smoothed by a moving average written with `cumsum` (a window's sum is a
    /// difference of running sums) and compared with its lag written with `roll`: the squared
    /// one-step residual, as a loss of the series.
    static func residual(_ y: Tensor, window w: Int) -> Tensor {
        let running = cumsum(y)
        let smooth = (running - roll(running, w))[w...] / Double(w)
        return sum(square(smooth - roll(y, 1)[w...]))
    }

    @Test func timeSeriesSmoothedWithCumsumAndRoll() {
        var rng = SplitMix64(seed: 9)
        let y = rng.tensor([40], in: -1...1)
        let w = 5
        let ys = y.scalars
        var loops = 0.0
        for t in w..<ys.count {
            let mean = (t - w + 1...t).reduce(0) { $0 + ys[$1] } / Double(w)
            loops += (mean - ys[t - 1]) * (mean - ys[t - 1])
        }
        let f: (Tensor) -> Tensor = { Self.residual($0, window: w) }
        #expect(Swift.abs(f(y).scalar - loops) <= 1e-12 * loops)
        #expect(relativeError(compile(grad(f))(y), grad(f)(y)) <= 1e-12)
        checkGradient(f, at: y, direction: rng.tensor([40]))
    }
}
