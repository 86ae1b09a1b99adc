/// Convolution: scipy.signal's `convolve` and a network layer's `conv2d`, both instances of one
/// primitive (a dilated, strided, padded cross-correlation, `Ops/Convolution.swift`) that a
/// Runtime routine computes, in compiled kernels and the interpreter alike. Differentiable in
/// both operands, in both modes, to any order (every derivative is a convolution again).

/// Which part of the full convolution `convolve` returns (scipy.signal's `mode`).
public enum ConvolutionMode: Sendable, Hashable {
    /// Every position where the operands overlap: extent `na + nb - 1` on each axis.
    case full
    /// The shape of `a`, centred on the full result as scipy's `_centered`: on each axis the
    /// slice of the full result starting at `(nb - 1) / 2` (rounded down).
    case same
    /// Only the positions where one operand covers the other: extent `|na - nb| + 1`. One operand
    /// must be at least as large as the other on every axis (scipy swaps them when `b` is the
    /// larger; convolution is commutative, so the result is the same).
    case valid
}

/// The N-d convolution of `a` and `b`, scipy.signal's `convolve`: `b` is flipped,
/// `(a ∗ b)[i] = Σⱼ a[j] · b[i - j]` over the indices where both exist. Both operands have one
/// rank; rank 0 is the product. Up to rank 3 it is one call of the routine; above, a sum over
/// `b`'s leading index of shifted convolutions of one rank less (the routine has three spatial
/// axes). Empty operands are an error (scipy returns an empty array of rank 1).
public func convolve(_ a: Tensor, _ b: Tensor, mode: ConvolutionMode = .full,
                     file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    func failure(_ reason: String) -> Tensor {
        ShapeErrors.report(ShapeError("convolve", [a.shape, b.shape], reason, location: location), fallback: a.shape)
    }
    guard a.rank == b.rank else { return failure("the operands must have the same rank (scipy: the same dimensionality)") }
    guard a.count > 0, b.count > 0 else { return failure("an operand is empty") }
    if a.rank == 0 { return a * b }
    var (x, k) = (a, b)
    if mode == .valid {
        let aCovers = zip(a.shape, b.shape).allSatisfy { $0 >= $1 }, bCovers = zip(a.shape, b.shape).allSatisfy { $0 <= $1 }
        guard aCovers || bCovers else {
            return failure("for mode valid, one operand must be at least as large as the other on every axis")
        }
        if !aCovers { (x, k) = (b, a) }
    }
    if a.rank > ConvolutionGeometry.maxAxes { return centred(fullConvolution(x.reshaped([1] + x.shape), k, location), x.shape, k.shape, mode) }
    var geometry = ConvolutionGeometry(axes: a.rank)
    for axis in 0..<a.rank {
        let nb = k.shape[axis]
        switch mode {
        case .full: (geometry.padLow[axis], geometry.padHigh[axis]) = (nb - 1, nb - 1)
        case .same: (geometry.padLow[axis], geometry.padHigh[axis]) = (nb - 1 - (nb - 1) / 2, (nb - 1) / 2)
        case .valid: break
        }
    }
    let input = x.reshaped([1, 1] + x.shape), kernel = flip(k).reshaped([1, 1] + k.shape)
    let y = Tensor.apply(.convolution(geometry), [input, kernel], location: location)
    return y.reshaped(Array(y.shape.dropFirst(2)))
}

/// The full convolution of each `x[i]` (`x`: [batch] + a shape of any rank) with `k`, as
/// [batch] + the full shape: along `k`'s first axis, Σⱼ (the convolutions of one rank less with
/// `k[j]`, `x`'s first spatial axis folded into the batch) shifted by j, so that each level
/// ends in routine calls of at most three spatial axes.
private func fullConvolution(_ x: Tensor, _ k: Tensor, _ location: String) -> Tensor {
    let spatial = Array(x.shape.dropFirst())
    if spatial.count <= ConvolutionGeometry.maxAxes {
        let padding = k.shape.map { $0 - 1 }
        let geometry = ConvolutionGeometry(stride: padding.map { _ in 1 }, padLow: padding, padHigh: padding,
                                           lhsDilation: padding.map { _ in 1 }, rhsDilation: padding.map { _ in 1 })
        let y = Tensor.apply(.convolution(geometry), [x.reshaped([x.shape[0], 1] + spatial), flip(k).reshaped([1, 1] + k.shape)],
                             location: location)
        return y.reshaped([x.shape[0]] + Array(y.shape.dropFirst(2)))
    }
    let (batch, n, k0) = (x.shape[0], spatial[0], k.shape[0])
    let folded = x.reshaped([batch * n] + spatial.dropFirst())
    var total: Tensor?
    for j in 0..<k0 {
        let part = fullConvolution(folded, k[j], location)
        let rest = Array(part.shape.dropFirst())
        let shifted = pad(part.reshaped([batch, n] + rest), [(0, 0), (j, k0 - 1 - j)] + rest.map { _ in (0, 0) })
        total = total.map { $0 + shifted } ?? shifted
    }
    return total!
}

/// The part of the full convolution `full` ([1] + shape) that `mode` keeps (scipy's slices).
private func centred(_ full: Tensor, _ a: [Int], _ b: [Int], _ mode: ConvolutionMode) -> Tensor {
    var y = full.reshaped(Array(full.shape.dropFirst()))
    guard mode != .full else { return y }
    for axis in 0..<a.count {
        let start = mode == .same ? (b[axis] - 1) / 2 : b[axis] - 1
        let count = mode == .same ? a[axis] : a[axis] - b[axis] + 1
        y = Tensor.apply(.slice(axis: axis, start: start, end: start + count), [y])
    }
    return y
}

/// A network layer's 2-d convolution: `input` is batch × channels × height × width, `kernel`
/// out × in × kh × kw; a cross-correlation (the kernel is not flipped, as PyTorch's `conv2d`),
/// with `padding` zeros on every side and windows `stride` apart. The result is
/// batch × out × ((h + 2p − kh)/s + 1) × ((w + 2p − kw)/s + 1), the divisions rounded down.
public func conv2d(_ input: Tensor, _ kernel: Tensor, stride: Int = 1, padding: Int = 0,
                   file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    func failure(_ reason: String) -> Tensor {
        ShapeErrors.report(ShapeError("conv2d", [input.shape, kernel.shape], reason, location: location), fallback: [])
    }
    guard input.rank == 4 else { return failure("the input must have rank 4 (batch, channels, height, width)") }
    guard kernel.rank == 4 else { return failure("the kernel must have rank 4 (out, in, height, width)") }
    guard input.shape[1] == kernel.shape[1] else {
        return failure("the input has \(input.shape[1]) channels, the kernel takes \(kernel.shape[1])")
    }
    guard stride >= 1 else { return failure("the stride must be at least 1, not \(stride)") }
    guard padding >= 0 else { return failure("the padding must not be negative (\(padding))") }
    for axis in 2..<4 where kernel.shape[axis] > input.shape[axis] + 2 * padding || kernel.shape[axis] < 1 {
        return failure("the kernel (\(kernel.shape[2])×\(kernel.shape[3])) is larger than the padded input "
                       + "(\(input.shape[2] + 2 * padding)×\(input.shape[3] + 2 * padding))")
    }
    let geometry = ConvolutionGeometry(stride: [stride, stride], padLow: [padding, padding], padHigh: [padding, padding],
                                       lhsDilation: [1, 1], rhsDilation: [1, 1])
    return Tensor.apply(.convolution(geometry), [input, kernel], location: location)
}
