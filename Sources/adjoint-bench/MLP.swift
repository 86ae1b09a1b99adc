import Adjoint
#if canImport(Glibc)
import Glibc
#endif

/// W4 of ../shared/peers/WORKLOADS.md: a 784-128-10 tanh network on a batch of 256, loss and
/// gradient in the four parameters. X and Y are captured (tensor constants of the kernel): the
/// API's functions take at most four tensors, and the gradient in X would cost a fifth product.
enum MLP {
    static let (batch, inputs, hidden, outputs) = (256, 784, 128, 10)

    struct Data {
        var X: Tensor, Y: Tensor, parameters: [Tensor]
    }

    static func data() -> Data {
        let labels = PeerStream.uniform(seed: 402, count: batch).map { Int(Double(outputs) * $0) }
        var y = [Double](repeating: 0, count: batch * outputs)
        for (i, label) in labels.enumerated() { y[i * outputs + label] = 1 }
        return Data(
            X: Tensor(shape: [batch, inputs], scalars: PeerStream.normal(seed: 401, count: batch * inputs)),
            Y: Tensor(shape: [batch, outputs], scalars: y),
            parameters: [
                Tensor(shape: [inputs, hidden], scalars: PeerStream.normal(seed: 403, count: inputs * hidden, scale: 1 / Double(inputs).squareRoot())),
                Tensor(shape: [hidden], scalars: PeerStream.normal(seed: 404, count: hidden, scale: 0.1)),
                Tensor(shape: [hidden, outputs], scalars: PeerStream.normal(seed: 405, count: hidden * outputs, scale: 1 / Double(hidden).squareRoot())),
                Tensor(shape: [outputs], scalars: PeerStream.normal(seed: 406, count: outputs, scale: 0.1)),
            ])
    }

    static func loss(_ X: Tensor, _ Y: Tensor) -> ([Tensor]) -> Tensor {
        { p in
            let h = tanh(matmul(X, p[0]) + p[1])
            let logits = matmul(h, p[2]) + p[3]
            return mean(log(sum(exp(logits), axis: 1)) - sum(Y * logits, axis: 1))
        }
    }

    /// The loss and its gradient by hand, with the products as plain loops (i-k-j order, which
    /// the compiler vectorizes): the in-process baseline.
    @inline(never) static func hand(_ d: Data, _ grads: inout [[Double]]) -> Double {
        let (X, Y) = (d.X.scalars, d.Y.scalars)
        let (W1, b1, W2, b2) = (d.parameters[0].scalars, d.parameters[1].scalars, d.parameters[2].scalars, d.parameters[3].scalars)
        var h = product(X, W1, batch, inputs, hidden)
        for i in 0..<batch { for j in 0..<hidden { h[i * hidden + j] = Glibc.tanh(h[i * hidden + j] + b1[j]) } }
        var logits = product(h, W2, batch, hidden, outputs)
        var loss = 0.0
        for i in 0..<batch {
            var s = 0.0
            for j in 0..<outputs { logits[i * outputs + j] += b2[j]; s += Glibc.exp(logits[i * outputs + j]) }
            loss += Glibc.log(s)
            for j in 0..<outputs {
                loss -= Y[i * outputs + j] * logits[i * outputs + j]
                // d loss / d logits = (softmax - y) / batch, in place.
                logits[i * outputs + j] = (Glibc.exp(logits[i * outputs + j]) / s - Y[i * outputs + j]) / Double(batch)
            }
        }
        grads[2] = product(transposed(h, batch, hidden), logits, hidden, batch, outputs)
        grads[3] = columnSums(logits, batch, outputs)
        var dh = product(logits, transposed(W2, hidden, outputs), batch, outputs, hidden)
        for k in 0..<dh.count { dh[k] *= 1 - h[k] * h[k] }
        grads[0] = product(transposed(X, batch, inputs), dh, inputs, batch, hidden)
        grads[1] = columnSums(dh, batch, hidden)
        return loss / Double(batch)
    }

    static func product(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        for p in 0..<k {
                            let s = a[i * k + p]
                            for j in 0..<n { c[i * n + j] += s * b[p * n + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    static func transposed(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { t[j * m + i] = a[i * n + j] } }
        return t
    }

    static func columnSums(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
        var s = [Double](repeating: 0, count: n)
        for i in 0..<m { for j in 0..<n { s[j] += a[i * n + j] } }
        return s
    }
}
