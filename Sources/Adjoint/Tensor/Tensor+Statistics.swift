/// Reductions built on `sum` and `max`: `variance`, `std`, `logsumexp`, `softmax`, `logSoftmax`,
/// `argmax`, `argmin`. All are composites (so differentiable in both modes at every order and
/// compiled like anything else); each takes `axis:`, `axes:` or none, as the reductions do.

/// The variance of all elements, NumPy's `var`: the mean of the squared deviations from the
/// mean, divided by `count - ddof` instead of `count` (`ddof: 1` is the unbiased estimate).
/// `count - ddof ≤ 0` is a shape error (NumPy warns and answers NaN or infinity).
public func variance(_ t: Tensor) -> Tensor { variance(t, ddof: 0) }

/// The variance of all elements with `ddof` degrees of freedom taken away.
public func variance(_ t: Tensor, ddof: Int = 0, keepDims: Bool = false,
                     file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "variance", file, line) { $0.variance($1, ddof: ddof, "variance", "\(file):\(line)") }
}

/// The variance along `axis`, which is removed (kept with extent 1 with `keepDims`).
public func variance(_ t: Tensor, axis: Int, ddof: Int = 0, keepDims: Bool = false,
                     file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "variance", file, line) { $0.variance($1, ddof: ddof, "variance", "\(file):\(line)") }
}

/// The variance over `axes`.
public func variance(_ t: Tensor, axes: [Int], ddof: Int = 0, keepDims: Bool = false,
                     file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "variance", file, line) { $0.variance($1, ddof: ddof, "variance", "\(file):\(line)") }
}

/// The standard deviation `sqrt(variance(t, ddof:))`, NumPy's `std`. Where the variance is
/// exactly 0 (one element, or all equal) the derivative is taken as 0, not `∞ · 0 = NaN`: right
/// for a single element, whose deviation is always 0, and the smallest subgradient otherwise.
public func std(_ t: Tensor) -> Tensor { std(t, ddof: 0) }

/// The standard deviation of all elements with `ddof` degrees of freedom taken away.
public func std(_ t: Tensor, ddof: Int = 0, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "std", file, line) { zeroSafeSqrt($0.variance($1, ddof: ddof, "std", "\(file):\(line)")) }
}

/// The standard deviation along `axis`.
public func std(_ t: Tensor, axis: Int, ddof: Int = 0, keepDims: Bool = false,
                file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "std", file, line) { zeroSafeSqrt($0.variance($1, ddof: ddof, "std", "\(file):\(line)")) }
}

/// The standard deviation over `axes`.
public func std(_ t: Tensor, axes: [Int], ddof: Int = 0, keepDims: Bool = false,
                file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "std", file, line) { zeroSafeSqrt($0.variance($1, ddof: ddof, "std", "\(file):\(line)")) }
}

/// `log(sum(exp(t)))` without overflow, computed as `m + log(sum(exp(t - m)))` with `m` the
/// maximum held constant (`stopGradient`): its derivative is exactly `softmax(t)`, with no
/// cancellation, and `logsumexp([1000, 1000])` is `1000 + log 2`. An infinite or NaN maximum is
/// replaced by 0 (as SciPy does), so all `-∞` gives `-∞` and `+∞` or NaN propagate.
public func logsumexp(_ t: Tensor) -> Tensor { logsumexp(t, keepDims: false) }

/// `log(sum(exp(t)))` over all elements; with `keepDims`, shaped as `t` with every extent 1.
public func logsumexp(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(nil, keepDims, "logsumexp", file, line) { $0.logSumExp($1, "\(file):\(line)") }
}

/// `log(sum(exp(t), axis:))`, stably.
public func logsumexp(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "logsumexp", file, line) { $0.logSumExp($1, "\(file):\(line)") }
}

/// `log(sum(exp(t), axes:))`, stably.
public func logsumexp(_ t: Tensor, axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced(axes, keepDims, "logsumexp", file, line) { $0.logSumExp($1, "\(file):\(line)") }
}

/// `exp(t) / sum(exp(t), axis:)` along the last axis (JAX's and SciPy's default), shifted by the
/// maximum so that it never overflows.
public func softmax(_ t: Tensor) -> Tensor { softmax(t, axis: -1) }

/// `exp(t) / sum(exp(t), axis:)`, shifted by the maximum along `axis` (held constant: softmax
/// does not change under a shift, so the derivative is exact).
public func softmax(_ t: Tensor, axis: Int = -1, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let a = t.reductionAxes([axis], "softmax", "\(file):\(line)") else { return Tensor.zeros(t.shape) }
    let e = exp(t - t.stabilizer(a, "softmax", "\(file):\(line)"))
    return e / sum(e, axes: a, keepDims: true)
}

/// `log(softmax(t))` along the last axis.
public func logSoftmax(_ t: Tensor) -> Tensor { logSoftmax(t, axis: -1) }

/// `t - logsumexp(t, axis:, keepDims: true)`: `log(softmax(t, axis:))` without its rounding
/// (and without `log 0 = -∞` where softmax underflows).
public func logSoftmax(_ t: Tensor, axis: Int = -1, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let a = t.reductionAxes([axis], "logSoftmax", "\(file):\(line)") else { return Tensor.zeros(t.shape) }
    let shifted = t - t.stabilizer(a, "logSoftmax", "\(file):\(line)")
    return shifted - log(sum(exp(shifted), axes: a, keepDims: true))
}

/// The flat (row-major) index of the largest element, as NumPy's `argmax`: the first one where
/// several tie, the first NaN if there is one. A `Tensor` of whole numbers, with a zero derivative.
public func argmax(_ t: Tensor) -> Tensor { argmax(t, keepDims: false) }

/// The flat index of the largest element; with `keepDims`, shaped as `t` with every extent 1.
public func argmax(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let index = t.reshaped([t.count]).firstIndexOfMax(0, "argmax", "\(file):\(line)")
    return keepDims ? index.reshaped(t.shape.map { _ in 1 }) : index
}

/// The index along `axis` of the largest element of each lane (the first of ties).
public func argmax(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "argmax", file, line) { $0.firstIndexOfMax($1[0], "argmax", "\(file):\(line)") }
}

/// The flat index of the smallest element (the first of ties, the first NaN if there is one).
public func argmin(_ t: Tensor) -> Tensor { argmin(t, keepDims: false) }

/// The flat index of the smallest element; with `keepDims`, shaped as `t` with every extent 1.
public func argmin(_ t: Tensor, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let index = (-t).reshaped([t.count]).firstIndexOfMax(0, "argmin", "\(file):\(line)")
    return keepDims ? index.reshaped(t.shape.map { _ in 1 }) : index
}

/// The index along `axis` of the smallest element of each lane (the first of ties).
public func argmin(_ t: Tensor, axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    t.reduced([axis], keepDims, "argmin", file, line) { (-$0).firstIndexOfMax($1[0], "argmin", "\(file):\(line)") }
}

/// `sqrt(x)` whose derivative where `x` is exactly 0 is 0 instead of `∞ · 0 = NaN` (the square
/// root is taken of 1 there and the result replaced by 0, so nothing infinite is ever formed);
/// NaN stays NaN.
package func zeroSafeSqrt(_ x: Tensor) -> Tensor {
    let zero = x .== 0
    return `where`(zero, 0, sqrt(`where`(zero, 1, x)))
}

extension Tensor {
    /// The variance over normalized `axes` (removed), two-pass as NumPy's.
    package func variance(_ axes: [Int], ddof: Int, _ op: String, _ location: String) -> Tensor {
        let n = extent(axes)
        guard n - ddof > 0 else {
            let reason = "ddof \(ddof) leaves no degrees of freedom for \(n) element\(n == 1 ? "" : "s") per result"
            return ShapeErrors.report(ShapeError(op, [shape], reason, location: location),
                                      fallback: reducedShape(axes, keepDims: false))
        }
        let centered = self - reducing(.sum, axes).reshaped(reducedShape(axes, keepDims: true)) / Double(n)
        return (centered * centered).reducing(.sum, axes) / Double(n - ddof)
    }

    /// `logsumexp` over normalized `axes` (removed).
    package func logSumExp(_ axes: [Int], _ location: String) -> Tensor {
        let m = stabilizer(axes, "logsumexp", location)
        return m.reshaped(reducedShape(axes, keepDims: false)) + log(exp(self - m).reducing(.sum, axes))
    }

    /// The maximum over `axes`, kept with extent 1, as a constant (`stopGradient`), with an
    /// infinite or NaN maximum replaced by 0: the shift that keeps `exp` from overflowing.
    package func stabilizer(_ axes: [Int], _ op: String, _ location: String) -> Tensor {
        guard extent(axes) > 0 else {
            return ShapeErrors.report(ShapeError(op, [shape], "no elements along axes \(axes)", location: location),
                                      fallback: reducedShape(axes, keepDims: true))
        }
        // The stopGradient outermost: `log(sum(exp(x - m)))` is then seen as already shifted
        // (Ops/StableForms.swift) and not rewritten again.
        let m = self.reducing(.max, axes).reshaped(reducedShape(axes, keepDims: true))
        return stopGradient(`where`(abs(m) .< Double.infinity, m, 0))
    }

    /// The first index along normalized `axis` where each lane attains its maximum, or its first
    /// NaN (NumPy's `argmax`); the axis is removed. No derivative reaches `self`.
    package func firstIndexOfMax(_ axis: Int, _ op: String, _ location: String) -> Tensor {
        let n = shape[axis]
        guard n > 0 else {
            return ShapeErrors.report(ShapeError(op, [shape], "axis \(axis) is empty: no element to pick", location: location),
                                      fallback: reducedShape([axis], keepDims: false))
        }
        let x = stopGradient(self)
        let m = x.reducing(.max, [axis]).reshaped(reducedShape([axis], keepDims: true))
        let hit = `where`(x .!= x, 1, x .== m)
        let iota = Tensor(shape: [n] + [Int](repeating: 1, count: rank - axis - 1), scalars: (0..<n).map(Double.init))
        let candidates = `where`(hit, iota, Tensor(Double(n)))
        return -(-candidates).reducing(.max, [axis])
    }
}
