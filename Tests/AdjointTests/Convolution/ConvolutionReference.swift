@testable import Adjoint

/// Direct Swift transcriptions of the definitions the convolution functions follow, written
/// from the definitions (not from the routine): scipy.signal.convolve's sum and its modes, and a
/// network layer's windowed cross-correlation as nested loops.
enum ConvolutionReference {
    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { s[axis] = s[axis + 1] * shape[axis + 1] }
        return s
    }

    /// Every multi-index of `shape`, in row-major order.
    static func indices(_ shape: [Int]) -> [[Int]] {
        var result: [[Int]] = [[]]
        for n in shape { result = result.flatMap { prefix in (0..<n).map { prefix + [$0] } } }
        return result
    }

    /// scipy.signal.convolve(a, b, mode): full[i] = Σⱼ a[j] · b[i - j]; `same` is the full result
    /// sliced from (nb - 1) / 2 to a's shape (scipy's `_centered`); `valid` from nb - 1 (the
    /// operands swapped when b covers a).
    static func convolve(_ a: Tensor, _ b: Tensor, mode: ConvolutionMode) -> Tensor {
        var (a, b) = (a, b)
        if mode == .valid, !zip(a.shape, b.shape).allSatisfy({ $0 >= $1 }) { (a, b) = (b, a) }
        let full = zip(a.shape, b.shape).map { $0 + $1 - 1 }
        var values = [Double](repeating: 0, count: full.reduce(1, *))
        let (sa, sb, sf) = (strides(a.shape), strides(b.shape), strides(full))
        for i in indices(a.shape) {
            for j in indices(b.shape) {
                let f = zip(i, j).map { $0 + $1 }
                let at = zip(f, sf).map(*).reduce(0, +)
                values[at] += a.scalars[zip(i, sa).map(*).reduce(0, +)] * b.scalars[zip(j, sb).map(*).reduce(0, +)]
            }
        }
        let (start, shape): ([Int], [Int])
        switch mode {
        case .full: (start, shape) = (full.map { _ in 0 }, full)
        case .same: (start, shape) = (b.shape.map { ($0 - 1) / 2 }, a.shape)
        case .valid: (start, shape) = (b.shape.map { $0 - 1 }, zip(a.shape, b.shape).map { $0 - $1 + 1 })
        }
        let out = indices(shape).map { i in values[zip(zip(i, start).map(+), sf).map(*).reduce(0, +)] }
        return Tensor(shape: shape, scalars: out)
    }

    /// conv2d as PyTorch defines it: y[b,o,i,j] = Σc Σp Σq w[o,c,p,q] · xpad[b,c,i·s+p,j·s+q].
    static func conv2d(_ x: Tensor, _ w: Tensor, stride s: Int, padding p: Int) -> Tensor {
        let (B, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (O, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let (oh, ow) = ((H + 2 * p - kh) / s + 1, (W + 2 * p - kw) / s + 1)
        var y = [Double](repeating: 0, count: B * O * oh * ow)
        for b in 0..<B { for o in 0..<O { for i in 0..<oh { for j in 0..<ow {
            var total = 0.0
            for c in 0..<C { for u in 0..<kh { for v in 0..<kw {
                let (r, q) = (i * s + u - p, j * s + v - p)
                guard (0..<H).contains(r), (0..<W).contains(q) else { continue }
                total += w.scalars[((o * C + c) * kh + u) * kw + v] * x.scalars[((b * C + c) * H + r) * W + q]
            } } }
            y[((b * O + o) * oh + i) * ow + j] = total
        } } } }
        return Tensor(shape: [B, O, oh, ow], scalars: y)
    }
}
