/// The derivative of a node in either mode, from its row's `Derivative`: an elementwise row's
/// linear map serves both the pullback and the pushforward; other rows give both rules.
///
/// Both modes also work batched (`Graph+Batch.swift`): a (co)tangent of shape `batch + shape`
/// carries many directions at once, and the rules shift their axes past the batch. With no
/// batch they build exactly the unbatched nodes.
extension Graph {
    /// Cotangent contributions for the operands of node `id`, whose cotangent is `g` (of shape
    /// `batch + shape(id)`; the contributions have shape `batch + shape(operand)`).
    /// An entry is nil where the contribution is zero or the operand has no derivative.
    /// `active(i)` tells whether operand i needs one at all (so `pow`'s exponent costs nothing
    /// when it is a constant).
    package mutating func pullback(_ id: NodeID, cotangent g: NodeID, active: (Int) -> Bool) -> Contributions {
        let node = self[id]
        let batch = self.batch(of: g, rank: node.shape.count)
        switch node.rule.derivative {
        case .zero, .projection:
            return []
        case .elementwise(let map):
            var result = Contributions(count: node.operands.count)
            for k in 0..<node.operands.count where active(k) {
                result[k] = map(&self, k, g, id).map { unbroadcast($0, to: shape(node.operands[k]), batch: batch) }
            }
            return result
        case .linear(let pullback, _):
            return pullback(&self, id, g, batch, active)
        case .tuple(let pullback, _):
            return pullback(&self, id, [g], batch, active)
        }
    }

    /// Contributions for the operands of tuple node `id` from one cotangent (or nil) per result.
    package mutating func pullback(tuple id: NodeID, cotangents: [NodeID?], active: (Int) -> Bool) -> Contributions {
        guard case .tuple(let pullback, _) = self[id].rule.derivative,
              let (k, g) = cotangents.enumerated().first(where: { $0.element != nil }).map({ ($0.offset, $0.element!) })
        else { return [] }
        let rank = results(of: id).map { shape($0).count }[k]
        return pullback(&self, id, cotangents, self.batch(of: g, rank: rank), active)
    }

    /// The tangent of node `id` given its operands' tangents (nil = zero); nil if it is zero.
    /// Tangents have shape `batch + shape(operand)`, and so has the result (`batch + shape(id)`).
    package mutating func pushforward(_ id: NodeID, tangents: [NodeID?]) -> NodeID? {
        let node = self[id]
        guard let i = tangents.firstIndex(where: { $0 != nil }) else { return nil }
        let batch = self.batch(of: tangents[i]!, rank: shape(node.operands[i]).count)
        let rule = node.rule
        // Elementwise operands may have a lower rank than the result: their tangents get ones
        // after the batch, so that they broadcast like their primals.
        let t = rule.elementwise != nil ? tangents.map { $0.map { lift($0, batch: batch, rank: node.shape.count) } } : tangents
        switch rule.derivative {
        case .zero, .projection, .tuple:
            return nil
        case .elementwise(let map):
            var total: NodeID?
            for k in 0..<t.count {
                guard let tk = t[k], let term = map(&self, k, tk, id) else { continue }
                total = sum(total, term)
            }
            return total.map { broadcast($0, to: batch + node.shape) }
        case .linear(_, let pushforward):
            return pushforward(&self, id, t, batch)
        }
    }

    /// The tangents of tuple node `id`'s results (nil = zero) given its operands' tangents.
    package mutating func pushforward(tuple id: NodeID, tangents: [NodeID?]) -> [NodeID?] {
        let count = self[id].rule.results
        guard case .tuple(_, let pushforward) = self[id].rule.derivative,
              let i = tangents.firstIndex(where: { $0 != nil }) else { return Array(repeating: nil, count: count) }
        let batch = self.batch(of: tangents[i]!, rank: shape(self[id].operands[i]).count)
        return pushforward(&self, id, tangents, batch)
    }
}

/// A pullback's result: one cotangent contribution (or nil) per operand. Up to three are kept
/// inline (the reverse pass makes one per node of long graphs); more go to an array.
package struct Contributions: ExpressibleByArrayLiteral, RandomAccessCollection {
    private var slots: (NodeID?, NodeID?, NodeID?) = (nil, nil, nil)
    private var more: [NodeID?] = []
    package private(set) var count = 0

    @inline(__always)
    package init(arrayLiteral elements: NodeID?...) {
        for element in elements { append(element) }
    }

    /// `count` nil entries.
    package init(count: Int) {
        for _ in 0..<count { append(nil) }
    }

    private mutating func append(_ element: NodeID?) {
        switch count {
        case 0: slots.0 = element
        case 1: slots.1 = element
        case 2: slots.2 = element
        default: more.append(element)
        }
        count += 1
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    package subscript(position: Int) -> NodeID? {
        get {
            switch position {
            case 0: slots.0
            case 1: slots.1
            case 2: slots.2
            default: more[position - 3]
            }
        }
        set {
            switch position {
            case 0: slots.0 = newValue
            case 1: slots.1 = newValue
            case 2: slots.2 = newValue
            default: more[position - 3] = newValue
            }
        }
    }
}
