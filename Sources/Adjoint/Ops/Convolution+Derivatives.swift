/// The derivatives of `convolution`, each another convolution. A (co)tangent carries leading
/// `batch` axes (`batch + shape`): they fold into the convolution's own batch axis (for the
/// input's tangent and cotangent) or its out-channel axis (for the kernel's), so each stays one
/// routine call however many directions are pushed or pulled at once.
extension Graph {
    /// `convolution(x, w)` with `geometry`.
    package mutating func convolution(_ x: NodeID, _ w: NodeID, _ geometry: ConvolutionGeometry) -> NodeID {
        node(.convolution(geometry), x, w)
    }

    /// `conv(ẋ, w)` for a tangent `ẋ` of shape `batch + shape(x)`: the batch folds into x's batch axis.
    mutating func convolution(batchedInput t: NodeID, _ w: NodeID, _ geometry: ConvolutionGeometry,
                              batch: [Int]) -> NodeID {
        let s = shape(t), lead = Shape.count(batch), core = Array(s[batch.count...])
        let y = convolution(reshape(t, [lead * core[0]] + core.dropFirst()), w, geometry)
        return reshape(y, batch + [core[0]] + shape(y).dropFirst())
    }

    /// `conv(x, ẇ)` for a tangent `ẇ` of shape `batch + shape(w)`: the batch folds into the
    /// out-channels, then moves back in front.
    mutating func convolution(_ x: NodeID, batchedKernel t: NodeID, _ geometry: ConvolutionGeometry,
                              batch: [Int]) -> NodeID {
        let s = shape(t), lead = Shape.count(batch), core = Array(s[batch.count...])
        let y = convolution(x, reshape(t, [lead * core[0]] + core.dropFirst()), geometry)
        let sy = shape(y), spatial = Array(sy.dropFirst(2))
        let split = reshape(y, [sy[0], lead, core[0]] + spatial)
        let moved = transpose(split, [1, 0] + Array(2..<(3 + spatial.count)))
        return reshape(moved, batch + [sy[0], core[0]] + spatial)
    }

    /// `w` reversed along its spatial axes and with in/out channels swapped: the kernel of the
    /// transposed convolution.
    mutating func transposedKernel(_ w: NodeID) -> NodeID {
        let s = shape(w)
        var flipped = w
        for axis in 2..<s.count where s[axis] > 1 {
            flipped = node(.slice(axis: axis, start: s[axis] - 1, end: -1, step: -1), flipped)
        }
        return transpose(flipped, [1, 0] + Array(2..<s.count))
    }

    /// x̄ for the cotangent `c` (`batch + shape(y)`): `c` dilated by the stride, padded by
    /// `(k-1)·dr - lo` before and whatever makes the extent `n` after, correlated with the flipped
    /// kernel (channels swapped) at the kernel's dilation, with the input's dilation as stride.
    mutating func convolutionInputCotangent(_ c: NodeID, _ x: NodeID, _ w: NodeID,
                                            _ g: ConvolutionGeometry, batch: [Int]) -> NodeID {
        let (sx, sw, sy) = (shape(x), shape(w), Array(shape(c).suffix(shape(x).count)))
        var t = ConvolutionGeometry(axes: g.stride.count)
        for a in 0..<g.stride.count {
            let (n, k, o) = (sx[2 + a], sw[2 + a], sy[2 + a])
            let kernel = (k - 1) * g.rhsDilation[a] + 1, dilated = (o - 1) * g.stride[a] + 1
            t.stride[a] = g.lhsDilation[a]
            t.lhsDilation[a] = g.stride[a]
            t.rhsDilation[a] = g.rhsDilation[a]
            t.padLow[a] = kernel - 1 - g.padLow[a]
            t.padHigh[a] = (n - 1) * g.lhsDilation[a] + kernel - dilated - t.padLow[a]
        }
        return convolution(batchedInput: c, transposedKernel(w), t, batch: batch)
    }

    /// w̄ for the cotangent `c`: the input (batch and channel axes swapped) correlated with `c`
    /// (likewise) at the stride as the kernel's dilation, the kernel's dilation as stride, and the
    /// padding after cut to what the forward windows reached.
    mutating func convolutionKernelCotangent(_ c: NodeID, _ x: NodeID, _ w: NodeID,
                                             _ g: ConvolutionGeometry, batch: [Int]) -> NodeID {
        let (sx, sw) = (shape(x), shape(w)), d = g.stride.count
        let sc = shape(c), lead = Shape.count(batch), sy = Array(sc.suffix(d + 2))
        var t = ConvolutionGeometry(axes: d)
        for a in 0..<d {
            let (n, k, o) = (sx[2 + a], sw[2 + a], sy[2 + a])
            let dilatedInput = (n - 1) * g.lhsDilation[a] + 1, dilated = (o - 1) * g.stride[a] + 1
            t.stride[a] = g.rhsDilation[a]
            t.lhsDilation[a] = g.lhsDilation[a]
            t.rhsDilation[a] = g.stride[a]
            t.padLow[a] = g.padLow[a]
            t.padHigh[a] = (k - 1) * g.rhsDilation[a] + dilated - dilatedInput - g.padLow[a]
        }
        let spatial = Array(2..<(d + 2))
        let input = transpose(x, [1, 0] + spatial)  // [cin, batch, n…]
        // c: lead × [B, O, o…] → [lead·O, B, o…]
        let split = reshape(c, [lead] + sy)
        let cot = reshape(transpose(split, [0, 2, 1] + spatial.map { $0 + 1 }), [lead * sy[1], sy[0]] + sy.dropFirst(2))
        let r = convolution(input, cot, t)  // [cin, lead·O, k…]
        let kernel = Array(sw.dropFirst(2))
        let parts = reshape(r, [sw[1], lead, sw[0]] + kernel)
        let moved = transpose(parts, [1, 2, 0] + Array(3..<(3 + d)))  // [lead, O, cin, k…]
        return reshape(moved, batch + sw)
    }
}
