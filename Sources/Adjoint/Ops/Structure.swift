/// Structure: ops that move elements without arithmetic. In compiled code `reshape` is an alias
/// of its operand's memory and the rest are reads at computed offsets (an `IndexMap`): nothing is
/// copied to make shapes match. Their derivatives are the adjoint moves (slice ↔ pad, …).
enum Structure {
    /// Every row of the family (for the conformance suite and the op catalog).
    static let rows = [reshape, broadcast, transpose, slice, pad, concat]

    static let reshape = Rule(
        name: "reshape", arity: 1,
        shape: { _, shapes, target throws(ShapeError) in
            let target = target ?? []
            guard Shape.count(target) == Shape.count(shapes[0]), target.allSatisfy({ $0 >= 0 }) else {
                throw ShapeError("reshaped", [shapes[0], target], "element counts differ")
            }
            return target
        },
        evaluate: { _, x, _ in x[0].scalars },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in [g.reshape(cotangent, batch + g.shape(g[id].operands[0]))] },
            pushforward: { g, id, t, batch in t[0].map { g.reshape($0, batch + g.shape(id)) } }),
        lowering: .alias,
        foldSplats: { _, v, _, _ in v[0] },
        simplify: { g, _, x, shape in
            if g.shape(x[0]) == shape { return x[0] }
            if case .reshape = g[x[0]].op { return g.make(.reshape, Operands(g[x[0]].operands[0]), shape: shape) }
            return nil
        })

    static let broadcast = Rule(
        name: "broadcast", arity: 1,
        shape: { _, shapes, target throws(ShapeError) in
            let target = target ?? []
            guard Shape.broadcast(shapes[0], target) == target else {
                throw ShapeError("broadcast", [shapes[0], target], "cannot broadcast to the target shape")
            }
            return target
        },
        evaluate: { _, x, shape in Elementwise.broadcast(x[0], to: shape) },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in [g.unbroadcast(cotangent, to: g.shape(g[id].operands[0]), batch: batch)] },
            pushforward: { g, id, t, batch in
                t[0].map { g.broadcast(g.lift($0, batch: batch, rank: g.shape(id).count), to: batch + g.shape(id)) }
            }),
        lowering: .index { _, _ in .broadcast },
        foldSplats: { _, v, _, _ in v[0] },
        simplify: { g, _, x, shape in g.shape(x[0]) == shape ? x[0] : nil })

    static let transpose = Rule(
        name: "transpose", arity: 1,
        payloadHash: { op, code in permutation(op).reduce(code) { Node.mix($0, UInt64(bitPattern: Int64($1))) } },
        shape: { op, shapes, _ throws(ShapeError) in
            let perm = permutation(op)
            guard perm.count == shapes[0].count, perm.sorted() == Array(0..<perm.count) else {
                throw ShapeError("transposed", shapes, "permutation \(perm) does not fit")
            }
            return perm.map { shapes[0][$0] }
        },
        evaluate: { op, x, shape in
            let strides = Shape.strides(x[0].shape)
            return Layout.gatherOffsets(shape, strides: permutation(op).map { strides[$0] }).map { x[0].scalars[$0] }
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                [g.transpose(cotangent, Graph.shifted(Graph.inverse(permutation(g[id].op)), by: batch.count))]
            },
            pushforward: { g, id, t, batch in t[0].map { g.transpose($0, Graph.shifted(permutation(g[id].op), by: batch.count)) } }),
        lowering: .index { op, _ in .permute(permutation(op)) },
        foldSplats: { _, v, _, _ in v[0] },
        simplify: { g, op, x, shape in
            let perm = permutation(op)
            if perm == Array(perm.indices) { return x[0] }
            if case .transpose(let inner) = g[x[0]].op {
                return g.make(.transpose(perm.map { inner[$0] }), Operands(g[x[0]].operands[0]), shape: shape)
            }
            return nil
        })

    /// Elements `stride(from: start, to: end, by: step)` along `axis`; step 1 is a plain range,
    /// a negative step reverses (`flip` is step -1). A primitive, not n slices joined: one read
    /// at computed offsets in compiled code, and its adjoint is the strided `pad`.
    static let slice = Rule(
        name: "slice", arity: 1,
        payloadHash: { op, code in let (a, s, e, t) = sliceBounds(op); return mix(code, [a, s, e, t]) },
        shape: { op, shapes, _ throws(ShapeError) in
            let (axis, start, end, step) = sliceBounds(op), s = shapes[0]
            guard axis < s.count, step != 0 else {
                throw ShapeError("slice", shapes, "axis \(axis) or step \(step) does not fit")
            }
            let n = stepCount(start, end, step), last = start + (n - 1) * step
            let fits = step == 1 ? 0 <= start && start <= end && end <= s[axis]
                : n == 0 || ((0..<s[axis]).contains(start) && (0..<s[axis]).contains(last))
            guard fits else {
                throw ShapeError("slice", shapes, "range \(start)..<\(end)\(step == 1 ? "" : " by \(step)") out of bounds on axis \(axis)")
            }
            var r = s
            r[axis] = n
            return r
        },
        evaluate: { op, x, shape in
            let (axis, start, _, step) = sliceBounds(op)
            let (outer, length, inner) = Layout.around(x[0].shape, axis: axis)
            let n = shape[axis]
            var r = [Double]()
            r.reserveCapacity(Shape.count(shape))
            for o in 0..<outer {
                if step == 1 {
                    let base = (o * length + start) * inner
                    r.append(contentsOf: x[0].scalars[base..<(base + n * inner)])
                    continue
                }
                for i in 0..<n {
                    let base = (o * length + start + i * step) * inner
                    r.append(contentsOf: x[0].scalars[base..<(base + inner)])
                }
            }
            return r
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let (axis, start, _, step) = sliceBounds(g[id].op), n = g.shape(g[id].operands[0])[axis]
                let count = g.shape(id)[axis], last = start + (count - 1) * step
                let (low, high) = count == 0 ? (n, n - 1) : (Swift.min(start, last), Swift.max(start, last))
                return [g.node(.pad(axis: axis + batch.count, before: low, after: n - 1 - high, step: step), cotangent)]
            },
            pushforward: { g, id, t, batch in
                let (axis, start, end, step) = sliceBounds(g[id].op)
                return t[0].map { g.node(.slice(axis: axis + batch.count, start: start, end: end, step: step), $0) }
            }),
        lowering: .index { op, _ in
            let (axis, start, _, step) = sliceBounds(op)
            return .offset(axis: axis, start: start, step: step)
        },
        foldSplats: { _, v, _, shape in Shape.count(shape) > 0 ? v[0] : nil },
        simplify: { g, op, x, _ in
            let (axis, start, end, step) = sliceBounds(op)
            return step == 1 && start == 0 && end == g.shape(x[0])[axis] ? x[0] : nil
        })

    /// Zeros before and after along `axis`; with a step, the operand's elements `|step|` apart
    /// (reversed for a negative step) with zeros between them: the adjoint of a strided slice.
    static let pad = Rule(
        name: "pad", arity: 1,
        payloadHash: { op, code in let (a, b, e, t) = padding(op); return mix(code, [a, b, e, t]) },
        shape: { op, shapes, _ throws(ShapeError) in
            let (axis, before, after, step) = padding(op)
            guard axis < shapes[0].count, before >= 0, after >= 0, step != 0 else {
                throw ShapeError("pad", shapes, "bad padding on axis \(axis)")
            }
            var r = shapes[0]
            r[axis] = spread(r[axis], step) + before + after
            return r
        },
        evaluate: { op, x, shape in
            let (axis, before, _, step) = padding(op)
            let (outer, length, inner) = Layout.around(x[0].shape, axis: axis)
            let extent = shape[axis], a = Swift.abs(step)
            var r = [Double](repeating: 0, count: Shape.count(shape))
            for o in 0..<outer {
                for i in 0..<length {
                    let position = before + (step > 0 ? i : length - 1 - i) * a
                    let (from, to) = ((o * length + i) * inner, (o * extent + position) * inner)
                    for k in 0..<inner { r[to + k] = x[0].scalars[from + k] }
                }
            }
            return r
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let (axis, before, _, step) = padding(g[id].op), n = g.shape(g[id].operands[0])[axis]
                let start = step > 0 ? before : before + (n - 1) * -step
                return [g.node(.slice(axis: axis + batch.count, start: start, end: start + n * step, step: step), cotangent)]
            },
            pushforward: { g, id, t, batch in
                let (axis, before, after, step) = padding(g[id].op)
                return t[0].map { g.node(.pad(axis: axis + batch.count, before: before, after: after, step: step), $0) }
            }),
        lowering: .index { op, shapes in
            let (axis, before, _, step) = padding(op)
            return .pad(axis: axis, before: before, step: step)
        },
        foldSplats: { _, v, _, _ in v[0] == 0 ? 0 : nil },
        simplify: { g, op, x, _ in
            let (axis, before, after, step) = padding(op)
            return before == 0 && after == 0 && (step == 1 || g.shape(x[0])[axis] <= 1) ? x[0] : nil
        })

    /// How many elements `stride(from: start, to: end, by: step)` has.
    static func stepCount(_ start: Int, _ end: Int, _ step: Int) -> Int {
        step > 0 ? Swift.max(0, (end - start + step - 1) / step) : Swift.max(0, (start - end - step - 1) / -step)
    }

    /// The extent that `n` elements `|step|` apart take.
    static func spread(_ n: Int, _ step: Int) -> Int { n == 0 ? 0 : (n - 1) * Swift.abs(step) + 1 }

    static let concat = Rule(
        name: "concat", arity: 2,
        payloadHash: { op, code in mix(code, [concatAxis(op)]) },
        shape: { op, shapes, _ throws(ShapeError) in
            let axis = concatAxis(op), (a, b) = (shapes[0], shapes[1])
            guard a.count == b.count, axis < a.count, a.indices.allSatisfy({ $0 == axis || a[$0] == b[$0] }) else {
                throw ShapeError("concatenate", shapes, "shapes differ off axis \(axis)")
            }
            var r = a
            r[axis] += b[axis]
            return r
        },
        evaluate: { op, x, shape in
            let axis = concatAxis(op)
            let (outer, la, inner) = Layout.around(x[0].shape, axis: axis)
            let lb = x[1].shape[axis]
            var r = [Double]()
            r.reserveCapacity(Shape.count(shape))
            for o in 0..<outer {
                r.append(contentsOf: x[0].scalars[(o * la * inner)..<((o + 1) * la * inner)])
                r.append(contentsOf: x[1].scalars[(o * lb * inner)..<((o + 1) * lb * inner)])
            }
            return r
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let axis = concatAxis(g[id].op), xs = g[id].operands, k = batch.count
                let (na, nb) = (g.shape(xs[0])[axis], g.shape(xs[1])[axis])
                return [g.node(.slice(axis: axis + k, start: 0, end: na), cotangent),
                        g.node(.slice(axis: axis + k, start: na, end: na + nb), cotangent)]
            },
            pushforward: { g, id, t, batch in
                let axis = concatAxis(g[id].op), xs = g[id].operands
                return g.node(.concat(axis: axis + batch.count), t[0] ?? g.constant(0, shape: batch + g.shape(xs[0])),
                              t[1] ?? g.constant(0, shape: batch + g.shape(xs[1])))
            }),
        lowering: .index { op, _ in .concat(axis: concatAxis(op)) },
        foldSplats: { _, v, _, _ in v[0] == 0 && v[1] == 0 ? 0 : nil })

    // The payloads, read where the rows need them.
    private static func permutation(_ op: Op) -> [Int] {
        if case .transpose(let perm) = op { return perm }
        preconditionFailure("not a transpose: \(op)")
    }

    private static func sliceBounds(_ op: Op) -> (Int, Int, Int, Int) {
        if case .slice(let axis, let start, let end, let step) = op { return (axis, start, end, step) }
        preconditionFailure("not a slice: \(op)")
    }

    private static func padding(_ op: Op) -> (Int, Int, Int, Int) {
        if case .pad(let axis, let before, let after, let step) = op { return (axis, before, after, step) }
        preconditionFailure("not a pad: \(op)")
    }

    private static func concatAxis(_ op: Op) -> Int {
        if case .concat(let axis) = op { return axis }
        preconditionFailure("not a concat: \(op)")
    }

    static func mix(_ code: UInt64, _ values: [Int]) -> UInt64 {
        values.reduce(code) { Node.mix($0, UInt64(bitPattern: Int64($1))) }
    }
}

extension Graph {
    package static func inverse(_ perm: [Int]) -> [Int] {
        var inv = perm
        for (i, p) in perm.enumerated() { inv[p] = i }
        return inv
    }
}
