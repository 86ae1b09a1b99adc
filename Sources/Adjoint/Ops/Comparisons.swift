/// Comparisons, giving a 0/1 mask with no derivative, and `select`, which chooses by a mask.
package enum Comparison: Hashable, Sendable, CaseIterable {
    case less, lessEqual, greater, greaterEqual, equal, notEqual

    package var rule: Rule {
        switch self {
        case .less: Comparisons.less
        case .lessEqual: Comparisons.lessEqual
        case .greater: Comparisons.greater
        case .greaterEqual: Comparisons.greaterEqual
        case .equal: Comparisons.equal
        case .notEqual: Comparisons.notEqual
        }
    }

    /// The operator between spaces, as C text (` <= `).
    var spaced: StaticString {
        switch self {
        case .less: " < "
        case .lessEqual: " <= "
        case .greater: " > "
        case .greaterEqual: " >= "
        case .equal: " == "
        case .notEqual: " != "
        }
    }

    /// The C and Swift operator (`<=`).
    package var symbol: String {
        switch self {
        case .less: "<"
        case .lessEqual: "<="
        case .greater: ">"
        case .greaterEqual: ">="
        case .equal: "=="
        case .notEqual: "!="
        }
    }
}

/// The rows of `Comparison`, and `select`.
enum Comparisons {
    static let less = comparison("less", .less) { a, b, _ in a < b ? 1 : 0 }
    static let lessEqual = comparison("less_equal", .lessEqual) { a, b, _ in a <= b ? 1 : 0 }
    static let greater = comparison("greater", .greater) { a, b, _ in a > b ? 1 : 0 }
    static let greaterEqual = comparison("greater_equal", .greaterEqual) { a, b, _ in a >= b ? 1 : 0 }
    static let equal = comparison("equal", .equal, commutative: true) { a, b, _ in a == b ? 1 : 0 }
    static let notEqual = comparison("not_equal", .notEqual, commutative: true) { a, b, _ in a != b ? 1 : 0 }

    private static func comparison(_ name: String, _ c: Comparison, commutative: Bool = false,
                                   _ f: @convention(c) (Double, Double, Double) -> Double) -> Rule {
        Rule.binary(name, .comparison(c.spaced), commutative: commutative, isComparison: true, f, derivative: nil)
    }

    /// `select(c, a, b)`: a where c ≠ 0, else b, all three broadcast. The derivative passes the
    /// (co)tangent through on the chosen side; the condition has none.
    static let select = Rule(
        name: "select", arity: 3,
        shape: { _, shapes, _ throws(ShapeError) in
            guard let ab = Shape.broadcast(shapes[1], shapes[2]), let all = Shape.broadcast(shapes[0], ab) else {
                throw ShapeError("where", shapes, "condition and branches do not broadcast")
            }
            return all
        },
        evaluate: { _, x, shape in
            let c = Elementwise.broadcast(x[0], to: shape), a = Elementwise.broadcast(x[1], to: shape)
            let b = Elementwise.broadcast(x[2], to: shape)
            return (0..<c.count).map { c[$0] != 0 ? a[$0] : b[$0] }
        },
        elementwise: Elementwise(scalar: { c, a, b in c != 0 ? a : b }, c: .select, isCommutative: false),
        derivative: .linear(
            pullback: { g, id, cotangent, batch, _ in
                let xs = g[id].operands
                let zero = g.constant(0, shape: g.shape(cotangent))
                return [nil,
                        g.unbroadcast(g.node(.select, xs[0], cotangent, zero), to: g.shape(xs[1]), batch: batch),
                        g.unbroadcast(g.node(.select, xs[0], zero, cotangent), to: g.shape(xs[2]), batch: batch)]
            },
            pushforward: { g, id, t, batch in
                guard t[1] != nil || t[2] != nil else { return nil }
                let xs = g[id].operands
                let zero = g.constant(0, shape: batch + g.shape(id))
                return g.node(.select, xs[0], t[1] ?? zero, t[2] ?? zero)
            }),
        lowering: .elementwise,
        simplify: { g, _, x, shape in
            if let c = g.constantValue(x[0]) { return g.broadcast(c != 0 ? x[1] : x[2], to: shape) }
            if x[1] == x[2] { return g.broadcast(x[1], to: shape) }
            return nil
        })
}
