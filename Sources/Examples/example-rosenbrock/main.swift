// The Rosenbrock function, the classic curved valley, minimized by L-BFGS from the standard
// start (-1.2, 1, -1.2, 1, …), in 2 and in 100 dimensions. The minimum is 0 at (1, 1, …, 1).
import Adjoint
import ExampleSupport

/// Σᵢ 100·(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²  (the chained form, as in SciPy's `rosen`).
func rosenbrock(_ x: Tensor) -> Tensor {
    let n = x.shape[0]
    let next = x[1..<n], current = x[0..<(n - 1)]
    let valley = next - current * current
    return sum(100 * valley * valley + (1 - current) * (1 - current))
}

for n in [2, 100] {
    let start = Tensor(shape: [n], scalars: (0..<n).map { $0 % 2 == 0 ? -1.2 : 1 })
    print("Rosenbrock, n = \(n): L-BFGS (memory 10, strong Wolfe line search) from (-1.2, 1, …), "
          + "gradient tolerance 1e-10")
    let result = minimize(rosenbrock, from: start, using: LBFGS(), maxIterations: 10_000,
                          tolerance: 1e-10, valueTolerance: 0, progressInterval: n == 2 ? 5 : 50,
                          progress: progressPrinter())
    let error = result.x.scalars.map { abs($0 - 1) }.max() ?? 0
    print("  minimum \(result.value) at distance \(error) (max norm) from (1, …, 1)")
    print("  \(result.iterations) iterations, \(result.evaluations) evaluations, stopped: \(result.stopReason); "
          + "took \(Format.milliseconds(result.elapsed.seconds)), "
          + "\(Format.milliseconds(result.elapsed.seconds / Double(max(result.iterations, 1))))/iteration\n")
}
