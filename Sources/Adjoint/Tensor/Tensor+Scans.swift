/// Scans: running sums and products along an axis, NumPy's `cumsum` and `cumprod` (without an
/// axis: of the flattened tensor, a vector).

/// The running sums of the flattened tensor (row-major): a vector of `t.count` elements.
public func cumsum(_ t: Tensor) -> Tensor { cumsum(t.reshaped([t.count]), axis: 0) }

/// The running sums along `axis` (negative counts from the end); the shape is kept. One pass in
/// compiled code (the Runtime routine `adj_cumsum`), as is its derivative, the reverse scan.
public func cumsum(_ t: Tensor, axis: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    guard let a = t.reductionAxes([axis], "cumsum", location) else { return Tensor.zeros(t.shape) }
    return Tensor.apply(.cumsum(axis: a[0], reverse: false), [t], location: location)
}

/// The running products of the flattened tensor (row-major): a vector of `t.count` elements.
public func cumprod(_ t: Tensor) -> Tensor { cumprod(t.reshaped([t.count]), axis: 0) }

/// The running products along `axis` (negative counts from the end); the shape is kept.
///
/// Built from multiplications only (a log-step scan: ⌈log₂ n⌉ rounds of `y[i] *= y[i - 2ᵏ]`),
/// so its derivative is right where elements are zero, at every order, where the usual
/// `cumprod / x` (autograd's) divides by zero. It costs O(n log n) per lane rather than O(n),
/// in compiled code as in its derivatives.
public func cumprod(_ t: Tensor, axis: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let a = t.reductionAxes([axis], "cumprod", "\(file):\(line)") else { return Tensor.zeros(t.shape) }
    return t.runningProducts(a[0])
}

extension Tensor {
    /// The inclusive scan of products along normalized `axis` (Hillis and Steele's): after the
    /// round with shift s, element i holds the product of the 2s elements up to it.
    package func runningProducts(_ axis: Int) -> Tensor {
        let n = shape[axis]
        var y = self, shift = 1
        while shift < n {
            var padding = shape
            padding[axis] = shift
            let earlier = Tensor.apply(.slice(axis: axis, start: 0, end: n - shift), [y])
            y = y * Tensor.apply(.concat(axis: axis), [Tensor.ones(padding), earlier])
            shift *= 2
        }
        return y
    }
}
