import Adjoint
#if canImport(Glibc)
import Glibc
#endif

// adjoint-demo: the main job in one screen. A plain Swift function over Tensor, its gradient
// compiled to native code through C and libtcc, checked against the interpreter, and used.

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// tanh written with exp, as in the HIPS autograd README.
func tanhExp(_ x: Tensor) -> Tensor {
    let y = exp(-2.0 * x)
    return (1.0 - y) / (1.0 + y)
}

print("1. compile(grad(f)) for f(x) = (1 - e^(-2x)) / (1 + e^(-2x))")
var start = seconds()
let dtanh = compile(grad(tanhExp))
let d1 = dtanh(1.0)
print("   f'(1) = \(d1.scalar)   (traced, differentiated, lowered to C and compiled in \(Int((seconds() - start) * 1e6)) µs)")
print("   interpreter says \(grad(tanhExp)(1.0).scalar); 1 - tanh(1)^2 = \(1 - tanh(1.0) * tanh(1.0))")
start = seconds()
var acc = 0.0
for i in 0..<1_000_000 { acc += dtanh(Tensor(-1 + 0.000002 * Double(i))).scalar }
print("   1,000,000 calls of the compiled gradient: \(Int((seconds() - start) * 1e9 / 1e6)) ns per call")
print("   the C it runs:")
for line in dtanh.cSource(for: [[]]).split(separator: "\n") where !line.hasPrefix("double ") || line.contains("=") {
    if line.hasPrefix("int ") || line.hasPrefix("    ") || line == "}" { print("     \(line)") }
}

print("\n2. Higher derivatives by nesting: d⁴/dx⁴ f at 0.3, compiled")
let d4 = compile(grad(grad(grad(grad(tanhExp)))))
let t = tanh(0.3)
print("   \(d4(0.3).scalar)   closed form 8t(1-t²)(2-3t²) = \(8 * t * (1 - t * t) * (2 - 3 * t * t))")

print("\n3. Logistic regression trained with the compiled gradient (the autograd README's example)")
let inputs: Tensor = [[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30], [0.74, -2.49, 1.39]]
let targets: Tensor = [1, 1, 0, 1]
func loss(_ w: Tensor) -> Tensor {
    let p = 0.5 * (tanh(matmul(inputs, w) / 2) + 1)
    return -sum(log(p * targets + (1 - p) * (1 - targets)))
}
let gradient = compile(grad(loss))
var w = Tensor.zeros([3])
print("   initial loss \(loss(w).scalar)")
for _ in 0..<100 { w -= 0.01 * gradient(w) }
print("   after 100 steps of w -= 0.01·∇loss: \(loss(w).scalar)   (autograd: 1.0672706757870163)")
print("   weights \(w)")

print("\n4. A hot kernel moves to the optimized tier: the Rosenbrock gradient, n = 1000")
func rosenbrock(_ x: Tensor) -> Tensor {
    let n = x.shape[0], head = x[0..<(n - 1)], tail = x[1..<n]
    return sum(100 * (tail - head * head) * (tail - head * head) + (1 - head) * (1 - head))
}
let x0 = Tensor(shape: [1000], scalars: (0..<1000).map { sin(Double($0)) })
let rosenbrockGradient = compile(grad(rosenbrock))
let first = rosenbrockGradient(x0)
let kernel = try! rosenbrockGradient.kernel(for: [[1000]])
func timePerCall(_ calls: Int) -> Double {
    let start = seconds()
    for _ in 0..<calls { _ = rosenbrockGradient(x0) }
    return (seconds() - start) / Double(calls) * 1e6
}
let before = timePerCall(2000)
start = seconds()
while !kernel.isOptimized && seconds() - start < 30 { _ = rosenbrockGradient(x0) }
if kernel.isOptimized {
    let after = timePerCall(20000)
    print("   libtcc's code: \(String(format3: before)) µs per call; after about 5,000 calls the same C, built by the")
    print("   system compiler in the background, took over: \(String(format3: after)) µs per call")
    print("   same gradient to the bit: \(rosenbrockGradient(x0) == first)")
} else {
    print("   libtcc's code: \(String(format3: before)) µs per call; no optimized tier here (no C compiler?)")
}

extension String {
    /// Three significant digits, without Foundation.
    init(format3 x: Double) {
        let digits = x >= 100 ? 0 : x >= 10 ? 1 : 2
        let scale = [1, 10, 100][digits]
        let units = Int((x * Double(scale)).rounded())
        let fraction = String(units % scale)
        self = digits == 0 ? "\(units)"
            : "\(units / scale)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
