import AdjointRuntime

/// Indexing by values: gathering along an axis at the indices a tensor holds (`take`), its
/// adjoint the scatter-add, and the sort that gives a permutation. Each is a primitive because
/// its composite would cost O(n²) (a one-hot matrix product, a comparison network). Index
/// operands hold integral values as doubles and have no derivative; an index counts from the end
/// when negative and is clamped to the axis (`take` reports bad ones before they get here, so
/// the clamp only keeps compiled code inside its operands).
enum Indexing {
    static let rows = [take, scatterAdd, sort]

    /// `x` gathered along `axis` at `indices` (NumPy's `take_along_axis`): the indices have
    /// `x`'s rank, and off `axis` the extent of the result or 1 (broadcast).
    static let take = Rule(
        name: "take", arity: 2,
        payloadHash: { op, code in Structure.mix(code, [axis(op)]) },
        shape: { op, shapes, _ throws(ShapeError) in
            let (a, x, ix) = (axis(op), shapes[0], shapes[1])
            guard a < x.count, ix.count == x.count,
                  x.indices.allSatisfy({ d in d == a || ix[d] == x[d] || ix[d] == 1 }) else {
                throw ShapeError("take", shapes, "the indices do not fit axis \(a)")
            }
            var r = x
            r[a] = ix[a]
            guard x[a] > 0 || Shape.count(r) == 0 else { throw ShapeError("take", shapes, "axis \(a) is empty") }
            return r
        },
        evaluate: { op, x, shape in
            let a = axis(op), n = x[0].shape[a]
            var strides = Shape.strides(x[0].shape)
            let step = strides[a]
            strides[a] = 0
            let base = Layout.gatherOffsets(shape, strides: strides)
            let at = x[1].shape == shape ? Array(0..<base.count) : Layout.broadcastOffsets(x[1].shape, to: shape)
            return base.indices.map { k in x[0].scalars[base[k] + axisIndex(x[1].scalars[at[k]], n) * step] }
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let (a, xs) = (axis(g[id].op), g[id].operands)
                let extent = g.shape(xs[0])[a]
                return [g.scatterAdd(cotangent, g.lift(xs[1], rank: batch.count), axis: a + batch.count, extent: extent), nil]
            },
            pushforward: { g, id, t, batch in
                let (a, xs) = (axis(g[id].op), g[id].operands)
                return t[0].map { g.node(.take(axis: a + batch.count), $0, g.lift(xs[1], rank: batch.count)) }
            }),
        lowering: .index { op, _ in .gather(axis: axis(op)) })

    /// Zeros of `extent` along `axis`, with operand 0 added in at the indices of operand 1 (of
    /// operand 0's shape): the adjoint of `take`; repeated indices accumulate.
    static let scatterAdd = Rule(
        name: "scatter_add", arity: 2,
        payloadHash: { op, code in let (a, e) = scatter(op); return Structure.mix(code, [a, e]) },
        shape: { op, shapes, _ throws(ShapeError) in
            let (axis, extent) = scatter(op)
            guard axis < shapes[0].count, shapes[1] == shapes[0], extent >= 0 else {
                throw ShapeError("scatter_add", shapes, "the indices do not fit axis \(axis)")
            }
            var r = shapes[0]
            r[axis] = extent
            return r
        },
        evaluate: { op, x, shape in
            let (axis, extent) = scatter(op)
            let (outer, count, inner) = Layout.around(x[0].shape, axis: axis)
            var r = [Double](repeating: 0, count: Shape.count(shape))
            x[0].scalars.withUnsafeBufferPointer { g in
                x[1].scalars.withUnsafeBufferPointer { idx in
                    r.withUnsafeMutableBufferPointer { out in
                        adj_scatter_add(g.baseAddress, idx.baseAddress, out.baseAddress, outer, count, inner, extent)
                    }
                }
            }
            return r
        },
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let (a, xs) = (scatter(g[id].op).axis, g[id].operands)
                return [g.node(.take(axis: a + batch.count), cotangent, g.lift(xs[1], rank: batch.count)), nil]
            },
            pushforward: { g, id, t, batch in
                let ((a, extent), xs) = (scatter(g[id].op), g[id].operands)
                return t[0].map { g.scatterAdd($0, g.lift(xs[1], rank: batch.count), axis: a + batch.count, extent: extent) }
            }),
        lowering: .routine(RoutineCall(.scatterAdd) { op, shapes, _ in
            let (axis, extent) = scatter(op)
            let (outer, count, inner) = Layout.around(shapes[0], axis: axis)
            return [.operand(0), .operand(1), .result(0), .integer(outer), .integer(count), .integer(inner), .integer(extent)]
        }),
        foldSplats: { _, v, _, _ in v[0] == 0 ? 0 : nil })

    /// A stable sort along `axis`, NaN last (NumPy's order), in `adj_sort` on both sides, so the
    /// interpreter and compiled code agree bit for bit. Results: the values, the permutation
    /// (positions in the operand, as doubles) and, for each slot, where its run of equal values
    /// starts. The values' derivative routes through the permutation (autograd's `grad_sort`)
    /// and is shared evenly within a run of ties (as `max`'s): a tangent is gathered by the
    /// permutation and averaged over runs, a cotangent averaged over runs and scattered back.
    static let sort = Rule(
        name: "sort", arity: 1, results: 3,
        payloadHash: { op, code in Structure.mix(code, [axis(op)]) },
        shape: { op, shapes, _ throws(ShapeError) in
            guard axis(op) < shapes[0].count else { throw ShapeError("sort", shapes, "axis \(axis(op)) out of range") }
            return [0]
        },
        resultShapes: { _, shapes in [shapes[0], shapes[0], shapes[0]] },
        evaluate: { _, _, _ in [] },
        evaluateResults: { op, x in
            let (outer, n, inner) = Layout.around(x[0].shape, axis: axis(op))
            var values = [Double](repeating: 0, count: x[0].scalars.count), perm = values, run = values
            x[0].scalars.withUnsafeBufferPointer { input in
                values.withUnsafeMutableBufferPointer { v in
                    perm.withUnsafeMutableBufferPointer { p in
                        run.withUnsafeMutableBufferPointer { r in
                            adj_sort(input.baseAddress, v.baseAddress, p.baseAddress, r.baseAddress, outer, n, inner)
                        }
                    }
                }
            }
            return [values, perm, run].map { Value(shape: x[0].shape, scalars: $0) }
        },
        derivative: .tuple(
            pullback: { g, id, cotangents, batch, _ in
                guard let c = cotangents[0] else { return [nil] }
                let (a, r) = (axis(g[id].op) + batch.count, g.results(of: id))
                let (perm, run) = (g.lift(r[1], rank: batch.count), g.lift(r[2], rank: batch.count))
                return [g.scatterAdd(g.runMean(c, run, axis: a), perm, axis: a, extent: g.shape(r[1])[a - batch.count])]
            },
            pushforward: { g, id, t, batch in
                guard let t = t[0] else { return [nil, nil, nil] }
                let (a, r) = (axis(g[id].op) + batch.count, g.results(of: id))
                let (perm, run) = (g.lift(r[1], rank: batch.count), g.lift(r[2], rank: batch.count))
                return [g.runMean(g.node(.take(axis: a), t, perm), run, axis: a), nil, nil]
            }),
        lowering: .routine(RoutineCall(.sort) { op, shapes, _ in
            let (outer, n, inner) = Layout.around(shapes[0], axis: axis(op))
            return [.operand(0), .result(0), .result(1), .result(2), .integer(outer), .integer(n), .integer(inner)]
        }))

    /// The position an index names on an axis of extent `n`, as `adj_axis_index` and the
    /// generated gather compute it: negative counts from the end; outside, clamped.
    static func axisIndex(_ v: Double, _ n: Int) -> Int {
        if v < 0 { return v < -Double(n) ? 0 : Int(v + Double(n)) }
        return v < Double(n) ? Int(v) : n - 1
    }

    private static func axis(_ op: Op) -> Int {
        switch op {
        case .take(let axis), .sort(let axis): return axis
        default: preconditionFailure("not a take or sort: \(op)")
        }
    }

    private static func scatter(_ op: Op) -> (axis: Int, extent: Int) {
        if case .scatterAdd(let axis, let extent) = op { return (axis, extent) }
        preconditionFailure("not a scatter_add: \(op)")
    }
}

extension Routine {
    private typealias ScatterAdd = @convention(c) (
        UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int, Int, Int, Int) -> Void
    private typealias Sort = @convention(c) (
        UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        Int, Int, Int) -> Void

    /// `adj_scatter_add` (Runtime/indexing.c).
    package static let scatterAdd = Routine(name: "adj_scatter_add", file: "indexing.c",
                                            address: unsafeBitCast(adj_scatter_add as ScatterAdd, to: UnsafeRawPointer.self))
    /// `adj_sort` (Runtime/indexing.c).
    package static let sort = Routine(name: "adj_sort", file: "indexing.c",
                                      address: unsafeBitCast(adj_sort as Sort, to: UnsafeRawPointer.self))
}

extension Graph {
    /// Index tensor `indices` with `k` axes of extent 1 in front, to broadcast over a batch.
    mutating func lift(_ indices: NodeID, rank k: Int) -> NodeID {
        k == 0 ? indices : reshape(indices, [Int](repeating: 1, count: k) + shape(indices))
    }

    /// `scatter_add` of `g` at `indices` (broadcast to `g`'s shape first: the routine reads
    /// them element for element).
    mutating func scatterAdd(_ g: NodeID, _ indices: NodeID, axis: Int, extent: Int) -> NodeID {
        node(.scatterAdd(axis: axis, extent: extent), g, broadcast(indices, to: shape(g)))
    }

    /// Each element of `t` replaced by the mean of its run along `axis` (`run` holds, for each
    /// slot, where its run starts): the runs' sums scattered to their starts, gathered back, and
    /// divided by the runs' lengths. Linear in `t`, so its derivatives are itself again.
    mutating func runMean(_ t: NodeID, _ run: NodeID, axis: Int) -> NodeID {
        let n = shape(t)[axis]
        let sums = node(.take(axis: axis), scatterAdd(t, run, axis: axis, extent: n), run)
        let ones = constant(1, shape: shape(run))
        let lengths = node(.take(axis: axis), node(.scatterAdd(axis: axis, extent: n), ones, run), run)
        return div(sums, lengths)
    }
}
