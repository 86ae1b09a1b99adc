import AdjointRuntime

/// Scans: running sums along an axis. `cumsum` is a primitive because no composite of the other
/// rows is O(n): a log-step scan of shifted adds costs O(n log n) and a triangular mask O(n²),
/// while the Runtime routine `adj_cumsum` makes one pass, in NumPy's order of additions. Measured
/// compiled on the 2-core dev VM (release, per call of the value; the gradient costs the same):
/// n = 1000: 3.2 µs (libtcc) / 3.5 µs (cc -O2) against 115 / 6.6 µs for the log-step composite and
/// 580 / 700 µs for the triangular matrix product; n = 10⁴: 30 / 26 µs against 2400 / 130 µs.
/// `cumprod` is a composite (`Tensor+Scans.swift`): its derivative must be right at zeros, which
/// a scan of multiplications gives for free.
enum Scans {
    static let rows = [cumsum]

    /// Running sums along `axis`, from the end when `reverse`. Linear, and its transpose is the
    /// scan the other way: the pullback is the reverse scan of the cotangent, the pushforward
    /// the same scan of the tangent, so every order of derivative is a scan again.
    static let cumsum = Rule(
        name: "cumsum", arity: 1,
        payloadHash: { op, code in let (axis, reverse) = scan(op); return Node.mix(Node.mix(code, UInt64(bitPattern: Int64(axis))), reverse ? 1 : 0) },
        shape: { op, shapes, _ throws(ShapeError) in
            let (axis, _) = scan(op)
            guard (0..<shapes[0].count).contains(axis) else {
                throw ShapeError("cumsum", shapes, "axis \(axis) out of range for rank \(shapes[0].count)")
            }
            return shapes[0]
        },
        evaluate: { op, x, _ in
            let (axis, reverse) = scan(op)
            return runningSums(x[0].scalars, Layout.around(x[0].shape, axis: axis), reverse: reverse)
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let (axis, reverse) = scan(g[id].op)
                return [g.node(.cumsum(axis: axis + batch.count, reverse: !reverse), cotangent)]
            },
            pushforward: { g, id, t, batch in
                let (axis, reverse) = scan(g[id].op), rank = g.shape(id).count
                return t[0].map { g.node(.cumsum(axis: axis + batch.count, reverse: reverse), g.lift($0, batch: batch, rank: rank)) }
            }),
        lowering: .routine(RoutineCall(.cumsum) { op, shapes, _ in
            let (axis, reverse) = scan(op)
            let (outer, n, inner) = Layout.around(shapes[0], axis: axis)
            return [.operand(0), .result(0), .integer(outer), .integer(n), .integer(inner), .integer(reverse ? 1 : 0)]
        }),
        simplify: { g, op, x, shape in
            // One element along the axis (or none at all): the scan changes nothing.
            let (axis, _) = scan(op)
            return axis < shape.count && (shape[axis] == 1 || Shape.count(shape) == 0) ? x[0] : nil
        })

    /// The scan in Swift, in the routine's order (so both give the same bits).
    private static func runningSums(_ x: [Double], _ layout: (outer: Int, length: Int, inner: Int), reverse: Bool) -> [Double] {
        let (outer, n, inner) = layout
        var y = x
        for o in 0..<outer {
            for r in 1..<Swift.max(n, 1) {
                let i = reverse ? n - 1 - r : r, previous = reverse ? i + 1 : i - 1
                for k in 0..<inner { y[(o * n + i) * inner + k] = y[(o * n + previous) * inner + k] + x[(o * n + i) * inner + k] }
            }
        }
        return y
    }

    private static func scan(_ op: Op) -> (axis: Int, reverse: Bool) {
        if case .cumsum(let axis, let reverse) = op { return (axis, reverse) }
        preconditionFailure("not a scan: \(op)")
    }
}

extension Routine {
    private typealias Scan = @convention(c) (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int, Int32) -> Void

    /// `adj_cumsum`: running sums along the middle axis of an outer × n × inner array (Runtime/scan.c).
    package static let cumsum = Routine(name: "adj_cumsum", file: "scan.c",
                                        address: unsafeBitCast(adj_cumsum as Scan, to: UnsafeRawPointer.self))
}
