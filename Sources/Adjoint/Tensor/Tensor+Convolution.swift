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
/// rank, at most 3 (the routine's spatial axes); rank 0 is the product. Empty operands are an
/// error (scipy returns an empty array of rank 1).
public func convolve(_ a: Tensor, _ b: Tensor, mode: ConvolutionMode = .full,
                     file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    let location = "\(file):\(line)"
    func failure(_ reason: String) -> Tensor {
        ShapeErrors.report(ShapeError("convolve", [a.shape, b.shape], reason, location: location), fallback: a.shape)
    }
    guard a.rank == b.rank else { return failure("the operands must have the same rank (scipy: the same dimensionality)") }
    guard a.rank <= ConvolutionGeometry.maxAxes else {
        return failure("at most \(ConvolutionGeometry.maxAxes) axes are supported")
    }
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
