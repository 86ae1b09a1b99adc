import Adjoint
#if canImport(Glibc)
import Glibc
#endif

/// The workloads of ../shared/peers/WORKLOADS.md written with Adjoint, and the same gradients
/// written by hand in plain Swift: the baseline run in the same process.
enum Workloads {
    // W1: tanh written with exp, as in the autograd README.
    static func w1(_ x: Tensor) -> Tensor {
        let y = exp(-2.0 * x)
        return (1.0 - y) / (1.0 + y)
    }

    @inline(never) static func w1Hand(_ x: Double) -> Double {
        let y = Glibc.exp(-2.0 * x)
        return 4 * y / ((1 + y) * (1 + y))
    }

    // W2: the fourth derivative of W1's tanh, elementwise (elementwiseGrad nested four times).
    static func w2(_ x: Tensor) -> Tensor {
        elementwiseGrad(elementwiseGrad(elementwiseGrad(elementwiseGrad(w1))))(x)
    }

    /// tanh'''' in closed form: with t = tanh x and s = 1 − t² (= tanh'), tanh'' = −2ts,
    /// tanh''' = −2s² + 4t²s, tanh'''' = 16ts² − 8t³s = 8ts(2 − 3t²).
    @inline(never) static func w2Hand(_ x: [Double], _ d4: inout [Double]) {
        x.withUnsafeBufferPointer { x in
            d4.withUnsafeMutableBufferPointer { d4 in
                for i in 0..<x.count {
                    let t = Glibc.tanh(x[i])
                    d4[i] = 8 * t * (1 - t * t) * (2 - 3 * t * t)
                }
            }
        }
    }

    // W3: logistic regression; X, t, w are run-time inputs.
    static func w3(_ w: Tensor, _ X: Tensor, _ t: Tensor) -> Tensor {
        let preds = 0.5 * (tanh(matmul(X, w) / 2) + 1)
        let p = preds * t + (1 - preds) * (1 - t)
        return -sum(log(p))
    }

    /// ∂loss/∂w by hand: dz_i = -(2tᵢ-1)/qᵢ · pᵢ(1-pᵢ), g = Xᵀ dz.
    @inline(never) static func w3Hand(_ w: [Double], _ X: [Double], _ t: [Double], _ g: inout [Double], _ dz: inout [Double]) {
        let d = w.count, n = t.count
        X.withUnsafeBufferPointer { X in
            w.withUnsafeBufferPointer { w in
                t.withUnsafeBufferPointer { t in
                    dz.withUnsafeMutableBufferPointer { dz in
                        for i in 0..<n {
                            var z = 0.0
                            let row = X.baseAddress! + i * d
                            for j in 0..<d { z += row[j] * w[j] }
                            let th = Glibc.tanh(z / 2)
                            let p = 0.5 * (th + 1)
                            let q = p * t[i] + (1 - p) * (1 - t[i])
                            dz[i] = -(2 * t[i] - 1) / q * (0.25 * (1 - th * th))
                        }
                    }
                }
            }
            g.withUnsafeMutableBufferPointer { g in
                for j in 0..<d { g[j] = 0 }
                dz.withUnsafeBufferPointer { dz in
                    for i in 0..<n {
                        let row = X.baseAddress! + i * d
                        let s = dz[i]
                        for j in 0..<d { g[j] += s * row[j] }
                    }
                }
            }
        }
    }

    // W5: Rosenbrock.
    static func w5(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        let head = x[0..<(n - 1)], tail = x[1..<n]
        return sum(100 * (tail - head * head) * (tail - head * head) + (1 - head) * (1 - head))
    }

    @inline(never) static func w5Hand(_ x: [Double], _ g: inout [Double]) {
        let n = x.count
        x.withUnsafeBufferPointer { x in
            g.withUnsafeMutableBufferPointer { g in
                for i in 0..<n { g[i] = 0 }
                for i in 0..<(n - 1) {
                    let a = x[i], b = x[i + 1]
                    let rbar = 200 * (b - a * a)
                    g[i] += -2 * a * rbar - 2 * (1 - a)
                    g[i + 1] += rbar
                }
            }
        }
    }

    // W6: a long scalar recurrence, unrolled by tracing.
    static func w6(steps: Int) -> (Tensor) -> Tensor {
        { x0 in
            var x = x0
            for _ in 0..<steps { x = sin(x) * 0.9 + 0.1 * cos(x * 1.3) }
            return x
        }
    }

    @inline(never) static func w6Hand(_ x0: Double, steps: Int, tape: inout [Double]) -> Double {
        var x = x0
        for k in 0..<steps {
            let u = x * 1.3
            tape[k] = 0.9 * Glibc.cos(x) - 0.1 * (Glibc.sin(u) * 1.3)
            x = Glibc.sin(x) * 0.9 + 0.1 * Glibc.cos(u)
        }
        var xbar = 1.0
        for k in stride(from: steps - 1, through: 0, by: -1) { xbar *= tape[k] }
        return xbar
    }
}
