#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport
import Adjoint

// libm under names that `import Adjoint`'s Tensor overloads cannot shadow.
func Foundation_exp(_ x: Double) -> Double { exp(x) }
func Foundation_cos(_ x: Double) -> Double { cos(x) }

extension SplitMix64 {
    /// A tensor of `shape` with elements uniform in `range`.
    mutating func tensor(_ shape: [Int], in range: ClosedRange<Double> = -1...1) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { _ in Double.random(in: range, using: &self) })
    }
}

/// Largest relative difference between two tensors (scaled by the larger magnitude, at least 1).
func relativeError(_ a: Tensor, _ b: Tensor) -> Double {
    guard a.shape == b.shape else { return .infinity }
    let scale = max(1, a.scalars.map(\.magnitude).max() ?? 0, b.scalars.map(\.magnitude).max() ?? 0)
    return zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

func innerProduct(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).reduce(0) { $0 + $1.0 * $1.1 }
}

/// autograd's `check_grads` in one direction: the reverse-mode gradient of a scalar function `f`
/// projected on `v` equals the central difference of `f` along `v`.
func checkGradient(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, direction v: Tensor,
                   tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
    let g = grad(f)(x)
    #expect(g.shape == x.shape, sourceLocation: sourceLocation)
    let h = 1e-5
    let fd = (f(x + h * v).scalar - f(x - h * v).scalar) / (2 * h)
    let ad = innerProduct(g, v)
    #expect(Swift.abs(ad - fd) <= tolerance * max(1, Swift.abs(fd)),
            "reverse mode \(ad) vs central difference \(fd)", sourceLocation: sourceLocation)
}

/// First and second order: the gradient, then the gradient of `<grad f(x), v>`.
func checkGradients(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, rng: inout SplitMix64,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let v = rng.tensor(x.shape)
    checkGradient(f, at: x, direction: v, sourceLocation: sourceLocation)
    let w = rng.tensor(x.shape)
    let directional: (Tensor) -> Tensor = { y in sum(grad(f)(y) * w) }
    checkGradient(directional, at: x, direction: v, tolerance: 1e-5, sourceLocation: sourceLocation)
}
func Foundation_sin(_ x: Double) -> Double { sin(x) }
func Foundation_tanh(_ x: Double) -> Double { tanh(x) }
func Foundation_log(_ x: Double) -> Double { log(x) }

/// The first error `body` reports inside `Tensor.checkingShapes`, in words ("" if none).
func thrownMessage<T>(_ body: () throws -> T) -> String {
    do {
        _ = try Tensor.checkingShapes(body)
        return ""
    } catch {
        return "\(error)"
    }
}
