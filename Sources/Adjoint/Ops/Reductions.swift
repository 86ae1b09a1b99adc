/// Reductions over axes: `sum`, `max` and `prod`. In compiled code each accumulates while its
/// operand's loop runs (the row's `ReductionStep`: initial value and step, in Swift and in C).
package enum Reducer: Hashable, Sendable, CaseIterable {
    case sum, max, prod

    package var rule: Rule {
        switch self {
        case .sum: Reductions.sum
        case .max: Reductions.max
        case .prod: Reductions.prod
        }
    }
}

extension Op {
    /// The axes a reduction removes (nil for other ops).
    package var reducedAxes: [Int]? {
        if case .reduce(_, let axes) = self { return axes }
        return nil
    }
}

/// The rows of `Reducer`.
enum Reductions {
    static let sum = reduction("sum", .add, fold: { v, n in v * Double(n) },
        pullback: { g, id, cotangent, batch in
            let x = g[id].operands[0]
            return g.expand(cotangent, reducedAxes: Graph.shifted(axes: axes(g, id), by: batch.count), to: batch + g.shape(x))
        },
        pushforward: { g, id, t, batch in g.node(.reduce(.sum, Graph.shifted(axes: axes(g, id), by: batch.count)), t) })

    /// The maximum; where several elements attain it, the derivative is shared equally among them.
    static let max = reduction("max", .maximum, fold: { v, _ in v },
        pullback: { g, id, cotangent, batch in
            let (x, axes) = (g[id].operands[0], axes(g, id))
            let mask = g.maxMask(of: id)
            let share = g.div(cotangent, g.node(.reduce(.sum, axes), mask))
            return g.mul(mask, g.expand(share, reducedAxes: Graph.shifted(axes: axes, by: batch.count), to: batch + g.shape(x)))
        },
        pushforward: { g, id, t, batch in
            let axes = axes(g, id)
            let mask = g.maxMask(of: id)
            let summed = g.node(.reduce(.sum, Graph.shifted(axes: axes, by: batch.count)), g.mul(t, mask))
            return g.div(summed, g.node(.reduce(.sum, axes), mask))
        })

    /// The product. Its derivative is the product of the other elements (`Graph.exclusiveProducts`),
    /// built from multiplications, not `prod / x`, so it is right where elements are zero, and
    /// right again at every higher order.
    static let prod = reduction("prod", .multiply, fold: { v, n in (0..<n).reduce(1) { p, _ in p * v } },
        pullback: { g, id, cotangent, batch in
            let (x, axes) = (g[id].operands[0], axes(g, id))
            let spread = g.expand(cotangent, reducedAxes: Graph.shifted(axes: axes, by: batch.count), to: batch + g.shape(x))
            return g.mul(spread, g.exclusiveProducts(x, axes: axes))
        },
        pushforward: { g, id, t, batch in
            let (x, axes) = (g[id].operands[0], axes(g, id))
            return g.node(.reduce(.sum, Graph.shifted(axes: axes, by: batch.count)), g.mul(t, g.exclusiveProducts(x, axes: axes)))
        })

    private static func axes(_ g: Graph, _ id: NodeID) -> [Int] { g[id].op.reducedAxes ?? [] }

    /// A row of the family: the shape rule, evaluation and folding its members share.
    private static func reduction(_ name: String, _ step: ReductionStep,
                                  fold: @escaping @Sendable (Double, Int) -> Double,
                                  pullback: @escaping @Sendable (inout Graph, NodeID, NodeID, [Int]) -> NodeID,
                                  pushforward: @escaping @Sendable (inout Graph, NodeID, NodeID, [Int]) -> NodeID) -> Rule {
        Rule(name: name, spellings: [name], arity: 1,
             payloadHash: { op, code in (op.reducedAxes ?? []).reduce(code) { Node.mix($0, UInt64(bitPattern: Int64($1))) } },
             shape: { op, shapes, _ throws(ShapeError) in
                 let (axes, shape) = (op.reducedAxes ?? [], shapes[0])
                 guard axes.allSatisfy({ (0..<shape.count).contains($0) }), Set(axes).count == axes.count else {
                     throw ShapeError(name, shapes, "axes \(axes) out of range for rank \(shape.count)")
                 }
                 if step == .maximum, axes.contains(where: { shape[$0] == 0 }) {
                     throw ShapeError(name, shapes, "maximum of an empty axis")
                 }
                 return shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
             },
             evaluate: { op, x, shape in reduce(x[0], axes: op.reducedAxes ?? [], shape: shape, step) },
             derivative: .linear(
                 pullback: { g, id, cotangent, batch, _ in [pullback(&g, id, cotangent, batch)] },
                 pushforward: { g, id, t, batch in t[0].map { pushforward(&g, id, $0, batch) } }),
             lowering: .reduction(step),
             foldSplats: { op, values, shapes, _ in
                 fold(values[0], (op.reducedAxes ?? []).reduce(1) { $0 * shapes[0][$1] })
             },
             simplify: { g, op, x, _ in op.reducedAxes?.isEmpty == true ? x[0] : nil })
    }

    /// Folds the elements of `a` over `axes` in row-major order (the order the C lowering uses too).
    static func reduce(_ a: Value, axes: [Int], shape: [Int], _ step: ReductionStep) -> [Double] {
        // Offsets into the result for each operand element: kept axes carry the result's strides.
        let resultStrides = Shape.strides(shape)
        var strides = [Int](repeating: 0, count: a.shape.count)
        var k = 0
        for axis in a.shape.indices where !axes.contains(axis) {
            strides[axis] = resultStrides[k]
            k += 1
        }
        let targets = Layout.gatherOffsets(a.shape, strides: strides)
        var result = [Double](repeating: step.initial, count: Shape.count(shape))
        for (i, t) in targets.enumerated() { result[t] = step.combine(result[t], a.scalars[i]) }
        return result
    }
}

extension Graph {
    /// 1 where an element of the operand of `.reduce(.max, …)` node `id` attains the maximum, else 0.
    fileprivate mutating func maxMask(of id: NodeID) -> NodeID {
        let x = self[id].operands[0]
        return node(.compare(.equal), x, expand(id, reducedAxes: self[id].op.reducedAxes ?? [], to: shape(x)))
    }

    /// For each element of `x`, the product of the other elements of its group along `axes`:
    /// the derivative of `prod`. Built as JAX builds it, from a tree of pairwise products (the
    /// axis padded with ones to a power of two): going up, each level multiplies neighbours;
    /// coming down, each element's "others" is its parent's others times its sibling. That is
    /// O(log n) nodes and O(n) work, and, being multiplications, slices and joins only, it is
    /// differentiable again with the right values at zeros.
    fileprivate mutating func exclusiveProducts(_ x: NodeID, axes: [Int]) -> NodeID {
        let dims = shape(x)
        let kept = dims.indices.filter { !axes.contains($0) }
        let n = axes.reduce(1) { $0 * dims[$1] }, groups = Shape.count(dims) / Swift.max(n, 1)
        guard n > 1 else { return constant(1, shape: dims) }
        // Groups as rows: [groups, n].
        let perm = kept + axes
        let rows = reshape(transpose(x, perm), [groups, n])
        var width = 1
        while width < n { width *= 2 }
        var level = width > n ? node(.concat(axis: 1), rows, constant(1, shape: [groups, width - n])) : rows
        var pairs: [(left: NodeID, right: NodeID)] = []
        while width > 1 {
            let split = reshape(level, [groups, width / 2, 2])
            let left = node(.slice(axis: 2, start: 0, end: 1), split), right = node(.slice(axis: 2, start: 1, end: 2), split)
            pairs.append((left, right))
            width /= 2
            level = reshape(mul(left, right), [groups, width])
        }
        var others = constant(1, shape: [groups, 1])
        for (left, right) in pairs.reversed() {
            let parent = reshape(others, shape(left))
            let joined = node(.concat(axis: 2), mul(parent, right), mul(parent, left))
            others = reshape(joined, [groups, 2 * shape(left)[1]])
        }
        let trimmed = shape(others)[1] > n ? node(.slice(axis: 1, start: 0, end: n), others) : others
        let moved = reshape(trimmed, perm.map { dims[$0] })
        return transpose(moved, Graph.inverse(perm))
    }
}
