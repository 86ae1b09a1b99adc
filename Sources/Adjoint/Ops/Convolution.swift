import AdjointRuntime

/// Convolution: one general primitive, a dilated, strided, padded cross-correlation (XLA's and
/// JAX's `conv_general_dilated`), of which `convolve` (scipy.signal's, kernel flipped) and
/// `conv2d` (a network layer's) are instances, and so is every derivative: the pushforward is
/// bilinear (`conv(ȧ, b) + conv(a, ḃ)`), the input's cotangent is a transposed convolution (the
/// cotangent dilated by the stride, correlated with the flipped kernel, channels swapped) and
/// the kernel's the correlation of the input with the cotangent dilated by the stride. So
/// `grad(grad(f))` and `hessian` need no other code.
enum Convolution {
    static let rows = [convolution]

    /// `y[b, o, i…] = Σc Σj w[o, c, j…] · x̃[b, c, i·s + j·dr - lo…]`, for `x` of shape
    /// [batch, cin, n…] and `w` of [cout, cin, k…], `x̃` the input dilated by `dl` and padded.
    static let convolution = Rule(
        name: "convolution", arity: 2,
        payloadHash: { op, code in
            let g = geometry(op)
            return Structure.mix(code, g.stride + g.padLow + g.padHigh + g.lhsDilation + g.rhsDilation)
        },
        shape: { op, shapes, _ throws(ShapeError) in try geometry(op).resultShape(shapes[0], shapes[1]) },
        evaluate: { op, x, shape in
            var result = [Double](repeating: 0, count: Shape.count(shape))
            let a = arguments(geometry(op), x[0].shape, x[1].shape)
            x[0].scalars.withUnsafeBufferPointer { xs in
                x[1].scalars.withUnsafeBufferPointer { ws in
                    result.withUnsafeMutableBufferPointer { ys in
                        adj_convolution(xs.baseAddress, ws.baseAddress, ys.baseAddress, a[0], a[1], a[2],
                                        a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                                        a[10], a[11], a[12], a[13], a[14], a[15], a[16],
                                        a[17], a[18], a[19], a[20], a[21], a[22], a[23])
                    }
                }
            }
            return result
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, active in
                let (x, w) = (g[id].operands[0], g[id].operands[1])
                let geometry = geometry(g[id].op)
                return [active(0) ? g.convolutionInputCotangent(cotangent, x, w, geometry, batch: batch) : nil,
                        active(1) ? g.convolutionKernelCotangent(cotangent, x, w, geometry, batch: batch) : nil]
            },
            pushforward: { g, id, t, batch in
                let (x, w) = (g[id].operands[0], g[id].operands[1])
                let geometry = geometry(g[id].op)
                let dx = t[0].map { g.convolution(batchedInput: $0, w, geometry, batch: batch) }
                let dw = t[1].map { g.convolution(x, batchedKernel: $0, geometry, batch: batch) }
                return g.sum(dx, dw)
            }),
        lowering: .routine(RoutineCall(.convolution) { op, shapes, _ in
            [.operand(0), .operand(1), .result(0)] + arguments(geometry(op), shapes[0], shapes[1]).map { .integer($0) }
        }))

    /// The routine's 24 integers: batch, cin, cout, then (n, k, o, s, dl, dr, lo) for each of
    /// three spatial axes, unit axes before the geometry's own (the routine's innermost loops
    /// run along its last axis, which must be a real one).
    static func arguments(_ g: ConvolutionGeometry, _ x: [Int], _ w: [Int]) -> [Int] {
        let d = g.stride.count
        var result = [x[0], x[1], w[0]]
        for _ in d..<ConvolutionGeometry.maxAxes { result += [1, 1, 1, 1, 1, 1, 0] }
        for a in 0..<d {
            result += [x[2 + a], w[2 + a], g.outputExtent(a, x[2 + a], w[2 + a]), g.stride[a],
                       g.lhsDilation[a], g.rhsDilation[a], g.padLow[a]]
        }
        return result
    }

    static func geometry(_ op: Op) -> ConvolutionGeometry {
        if case .convolution(let g) = op { return g }
        preconditionFailure("not a convolution: \(op)")
    }
}

/// How a convolution's window moves over each spatial axis: the stride, the zeros padded
/// before and after the input (negative: cropped), the input's dilation (`dl - 1` zeros between
/// its elements: the transposed convolution of a strided one) and the kernel's (`dr - 1` between
/// its taps: the kernel cotangent of a strided one).
package struct ConvolutionGeometry: Hashable, Sendable {
    package var stride: [Int]
    package var padLow: [Int]
    package var padHigh: [Int]
    package var lhsDilation: [Int]
    package var rhsDilation: [Int]

    /// The routine's spatial axes (more would be more integers in its prototype).
    package static let maxAxes = 3

    /// `d` spatial axes with stride 1, no padding, no dilation.
    package init(axes d: Int) {
        stride = Array(repeating: 1, count: d)
        padLow = Array(repeating: 0, count: d)
        padHigh = padLow
        lhsDilation = stride
        rhsDilation = stride
    }

    package init(stride: [Int], padLow: [Int], padHigh: [Int], lhsDilation: [Int], rhsDilation: [Int]) {
        (self.stride, self.padLow, self.padHigh) = (stride, padLow, padHigh)
        (self.lhsDilation, self.rhsDilation) = (lhsDilation, rhsDilation)
    }

    /// The input's extent after dilation and padding, less the dilated kernel's (negative: the
    /// kernel does not fit).
    func room(_ a: Int, _ n: Int, _ k: Int) -> Int {
        (n - 1) * lhsDilation[a] + 1 + padLow[a] + padHigh[a] - ((k - 1) * rhsDilation[a] + 1)
    }

    func outputExtent(_ a: Int, _ n: Int, _ k: Int) -> Int { room(a, n, k) / stride[a] + 1 }

    func resultShape(_ x: [Int], _ w: [Int]) throws(ShapeError) -> [Int] {
        let d = stride.count
        func fail(_ reason: String) -> ShapeError { ShapeError("convolution", [x, w], reason) }
        guard d <= ConvolutionGeometry.maxAxes, [padLow.count, padHigh.count, lhsDilation.count, rhsDilation.count].allSatisfy({ $0 == d }) else {
            throw fail("the geometry must give each of at most \(ConvolutionGeometry.maxAxes) spatial axes one stride, padding and dilation")
        }
        guard x.count == d + 2, w.count == d + 2 else {
            throw fail("input and kernel must have rank \(d + 2) (batch or out, channels, \(d) spatial axes)")
        }
        guard x[1] == w[1] else { throw fail("the input has \(x[1]) channels, the kernel \(w[1])") }
        guard (stride + lhsDilation + rhsDilation).allSatisfy({ $0 >= 1 }) else {
            throw fail("strides and dilations must be at least 1")
        }
        var shape = [x[0], w[0]]
        for a in 0..<d {
            guard x[2 + a] >= 1, w[2 + a] >= 1, room(a, x[2 + a], w[2 + a]) >= 0 else {
                throw fail("on spatial axis \(a) the kernel (\(w[2 + a])) is larger than the padded input (\(x[2 + a]))")
            }
            shape.append(outputExtent(a, x[2 + a], w[2 + a]))
        }
        return shape
    }
}

extension Routine {
    private typealias Convolution = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int,
        Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int
    ) -> Void

    /// `adj_convolution`: a dilated, strided, padded cross-correlation (Runtime/convolution.c).
    package static let convolution = Routine(
        name: "adj_convolution", file: "convolution.c",
        address: unsafeBitCast(adj_convolution as Convolution, to: UnsafeRawPointer.self))
}
