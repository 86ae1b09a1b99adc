/// The derivative rules of every primitive: the pullback (reverse mode) and the pushforward
/// (forward mode) side by side, written in graph ops so that derivatives are graphs too and
/// differentiate again with no extra code.
///
/// Both rules also work batched (`Graph+Batch.swift`): a (co)tangent of shape `batch + shape`
/// carries many directions at once, and the rules shift their axes past the batch. With no
/// batch they build exactly the unbatched nodes.
extension Graph {
    /// Cotangent contributions for the operands of node `id`, whose cotangent is `g` (of shape
    /// `batch + shape(id)`; the contributions have shape `batch + shape(operand)`).
    /// An entry is nil where the contribution is zero or the operand has no derivative.
    /// `active(i)` tells whether operand i needs one at all (so `pow`'s exponent costs nothing
    /// when it is a constant).
    package mutating func pullback(_ id: NodeID, cotangent g: NodeID, active: (Int) -> Bool) -> Contributions {
        let this = self[id]
        let xs = this.operands
        let x = xs.first ?? id
        let batch = self.batch(of: g, rank: this.shape.count), k = batch.count
        func unbroadcast(_ a: NodeID, to target: [Int]) -> NodeID { self.unbroadcast(a, to: target, batch: batch) }
        switch this.op {
        case .input, .capture, .constant, .data, .sign,
             .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            return []
        case .neg: return [neg(g)]
        case .exp: return [mul(g, id)]
        case .log: return [div(g, x)]
        case .sin: return [mul(g, node(.cos, x))]
        case .cos: return [neg(mul(g, node(.sin, x)))]
        case .tan: return [mul(g, add(mul(id, id), 1))]
        case .tanh: return [mul(g, sub(1, mul(id, id)))]
        case .sqrt: return [div(mul(g, 0.5), id)]
        case .abs: return [mul(g, node(.sign, x))]
        case .log1p: return [div(g, add(x, 1))]
        case .expm1: return [mul(g, add(id, 1))]
        case .softplus: return [mul(g, sigmoid(x))]
        case .add: return [unbroadcast(g, to: shape(xs[0])), unbroadcast(g, to: shape(xs[1]))]
        case .sub: return [unbroadcast(g, to: shape(xs[0])), unbroadcast(neg(g), to: shape(xs[1]))]
        case .mul:
            // Only for operands that need one: `0.9 * sin(x)` builds no product for the constant.
            let ga = active(0) ? unbroadcast(mul(g, xs[1]), to: shape(xs[0])) : nil
            let gb = active(1) ? unbroadcast(mul(g, xs[0]), to: shape(xs[1])) : nil
            return [ga, gb]
        case .div:
            let ga = active(0) ? unbroadcast(div(g, xs[1]), to: shape(xs[0])) : nil
            let gb = active(1) ? unbroadcast(neg(div(mul(g, id), xs[1])), to: shape(xs[1])) : nil
            return [ga, gb]
        case .pow:
            let ga = active(0) ? unbroadcast(mul(g, powBaseDerivative(id)), to: shape(xs[0])) : nil
            let gb = active(1) ? unbroadcast(mul(g, powExponentDerivative(id)), to: shape(xs[1])) : nil
            return [ga, gb]
        case .select:
            let zero = constant(0, shape: shape(g))
            return [nil,
                    unbroadcast(node(.select, xs[0], g, zero), to: shape(xs[1])),
                    unbroadcast(node(.select, xs[0], zero, g), to: shape(xs[2]))]
        case .reshape: return [reshape(g, batch + shape(x))]
        case .broadcast: return [unbroadcast(g, to: shape(x))]
        case .transpose(let perm): return [transpose(g, Graph.shifted(Graph.inverse(perm), by: k))]
        case .sum(let axes): return [expand(g, reducedAxes: Graph.shifted(axes: axes, by: k), to: batch + shape(x))]
        case .max(let axes):
            let mask = maxMask(of: id, axes: axes)
            let share = div(g, node(.sum(axes), mask))
            return [mul(mask, expand(share, reducedAxes: Graph.shifted(axes: axes, by: k), to: batch + shape(x)))]
        case .matmul:
            return [active(0) ? matmul(batched: g, batch: batch, transpose(xs[1])) : nil,
                    active(1) ? matmul(transpose(xs[0]), batched: g, batch: batch) : nil]
        case .slice(let axis, let start, let end):
            return [node(.pad(axis: axis + k, before: start, after: shape(x)[axis] - end), g)]
        case .pad(let axis, let before, _):
            return [node(.slice(axis: axis + k, start: before, end: before + shape(x)[axis]), g)]
        case .concat(let axis):
            let (na, nb) = (shape(xs[0])[axis], shape(xs[1])[axis])
            return [node(.slice(axis: axis + k, start: 0, end: na), g), node(.slice(axis: axis + k, start: na, end: na + nb), g)]
        }
    }

    /// The tangent of node `id` given its operands' tangents (nil = zero); nil if it is zero.
    /// Tangents have shape `batch + shape(operand)`, and so has the result (`batch + shape(id)`).
    package mutating func pushforward(_ id: NodeID, tangents: [NodeID?]) -> NodeID? {
        let this = self[id]
        let xs = this.operands
        let shape = this.shape
        guard let i = tangents.firstIndex(where: { $0 != nil }) else { return nil }
        let batch = self.batch(of: tangents[i]!, rank: self.shape(xs[i]).count), k = batch.count
        // Elementwise operands may have a lower rank than the result: their tangents get ones
        // after the batch, so that they broadcast like their primals.
        let t = this.op.isElementwise ? tangents.map { $0.map { lift($0, batch: batch, rank: shape.count) } } : tangents
        func scaled(_ f: (inout Graph, NodeID) -> NodeID) -> NodeID? { t[0].map { f(&self, $0) } }
        switch this.op {
        case .input, .capture, .constant, .data, .sign,
             .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            return nil
        case .neg: return scaled { g, t in g.neg(t) }
        case .exp: return scaled { g, t in g.mul(t, id) }
        case .log: return scaled { g, t in g.div(t, xs[0]) }
        case .sin: return scaled { g, t in g.mul(t, g.node(.cos, xs[0])) }
        case .cos: return scaled { g, t in g.neg(g.mul(t, g.node(.sin, xs[0]))) }
        case .tan: return scaled { g, t in g.mul(t, g.add(g.mul(id, id), 1)) }
        case .tanh: return scaled { g, t in g.mul(t, g.sub(1, g.mul(id, id))) }
        case .sqrt: return scaled { g, t in g.div(g.mul(t, 0.5), id) }
        case .abs: return scaled { g, t in g.mul(t, g.node(.sign, xs[0])) }
        case .log1p: return scaled { g, t in g.div(t, g.add(xs[0], 1)) }
        case .expm1: return scaled { g, t in g.mul(t, g.add(id, 1)) }
        case .softplus: return scaled { g, t in g.mul(t, g.sigmoid(xs[0])) }
        case .add: return sum(t[0].map { broadcast($0, to: batch + shape) }, t[1].map { broadcast($0, to: batch + shape) })
        case .sub: return sum(t[0].map { broadcast($0, to: batch + shape) }, t[1].map { neg(broadcast($0, to: batch + shape)) })
        case .mul: return sum(t[0].map { mul($0, xs[1]) }, t[1].map { mul(xs[0], $0) })
        case .div: return sum(t[0].map { div($0, xs[1]) }, t[1].map { neg(div(mul($0, id), xs[1])) })
        case .pow:
            return sum(t[0].map { mul($0, powBaseDerivative(id)) }, t[1].map { mul($0, powExponentDerivative(id)) })
        case .select:
            guard t[1] != nil || t[2] != nil else { return nil }
            let zero = constant(0, shape: batch + shape)
            return node(.select, xs[0], t[1] ?? zero, t[2] ?? zero)
        case .reshape: return scaled { g, t in g.reshape(t, batch + shape) }
        case .broadcast: return scaled { g, t in g.broadcast(g.lift(t, batch: batch, rank: shape.count), to: batch + shape) }
        case .transpose(let perm): return scaled { g, t in g.transpose(t, Graph.shifted(perm, by: k)) }
        case .sum(let axes): return scaled { g, t in g.node(.sum(Graph.shifted(axes: axes, by: k)), t) }
        case .max(let axes):
            let mask = maxMask(of: id, axes: axes)
            let shiftedAxes = Graph.shifted(axes: axes, by: k)
            return scaled { g, t in g.div(g.node(.sum(shiftedAxes), g.mul(t, mask)), g.node(.sum(axes), mask)) }
        case .matmul:
            return sum(t[0].map { matmul(batched: $0, batch: batch, xs[1]) }, t[1].map { matmul(xs[0], batched: $0, batch: batch) })
        case .slice(let axis, let start, let end):
            return scaled { g, t in g.node(.slice(axis: axis + k, start: start, end: end), t) }
        case .pad(let axis, let before, let after):
            return scaled { g, t in g.node(.pad(axis: axis + k, before: before, after: after), t) }
        case .concat(let axis):
            return node(.concat(axis: axis + k), t[0] ?? constant(0, shape: batch + self.shape(xs[0])),
                        t[1] ?? constant(0, shape: batch + self.shape(xs[1])))
        }
    }

    /// `σ(x) = ½(tanh(x/2) + 1)`: the stable form, also used by the `sigmoid` composite.
    package mutating func sigmoid(_ x: NodeID) -> NodeID {
        mul(add(node(.tanh, mul(x, 0.5)), 1), 0.5)
    }

    /// ∂(xʸ)/∂x = y·xʸ⁻¹ for `.pow` node `id`, with the exponent y - 1 replaced by 1 where y = 0
    /// (as autograd does), so that the derivative of x⁰ is 0 and not 0·0⁻¹ = NaN at x = 0.
    private mutating func powBaseDerivative(_ id: NodeID) -> NodeID {
        let (x, y) = (self[id].operands[0], self[id].operands[1])
        let exponent = node(.select, node(.equal, y, constant(0)), constant(1), add(y, -1))
        return mul(y, node(.pow, x, exponent))
    }

    /// ∂(xʸ)/∂y = xʸ·log x for `.pow` node `id`, with log x read as log 1 = 0 where x = 0: the
    /// limit for y > 0 (0ʸ is 0 for every y > 0), where the plain formula gives 0·(-∞) = NaN and
    /// one zero in x would poison a whole `sum(pow(x, y))`. The select keeps every order finite.
    private mutating func powExponentDerivative(_ id: NodeID) -> NodeID {
        let x = self[id].operands[0]
        let safe = node(.select, node(.equal, x, constant(0)), constant(1), x)
        return mul(id, node(.log, safe))
    }

    /// 1 where an element of the operand of `.max` node `id` attains the maximum, else 0.
    private mutating func maxMask(of id: NodeID, axes: [Int]) -> NodeID {
        let x = self[id].operands[0]
        return node(.equal, x, expand(id, reducedAxes: axes, to: shape(x)))
    }

    /// The sum of two optional tangents.
    private mutating func sum(_ a: NodeID?, _ b: NodeID?) -> NodeID? {
        switch (a, b) {
        case let (a?, b?): add(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
    }

    package static func inverse(_ perm: [Int]) -> [Int] {
        var inv = perm
        for (i, p) in perm.enumerated() { inv[p] = i }
        return inv
    }
}

/// A pullback's result: one cotangent contribution (or nil) per operand, at most three, kept
/// inline (the reverse pass makes one per node of long graphs).
package struct Contributions: ExpressibleByArrayLiteral, RandomAccessCollection {
    private var slots: (NodeID?, NodeID?, NodeID?) = (nil, nil, nil)
    package private(set) var count = 0

    @inline(__always)
    package init(arrayLiteral elements: NodeID?...) {
        precondition(elements.count <= 3, "at most three operands")
        for element in elements {
            switch count {
            case 0: slots.0 = element
            case 1: slots.1 = element
            default: slots.2 = element
            }
            count += 1
        }
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    package subscript(position: Int) -> NodeID? {
        position == 0 ? slots.0 : position == 1 ? slots.1 : slots.2
    }
}
