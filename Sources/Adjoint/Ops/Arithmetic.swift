#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Binary arithmetic with NumPy broadcasting: `+ - * /` and `pow` (the other functions of two
/// operands are in `BinaryFunctions.swift` and `SpecialFunctions.swift`), with the algebraic
/// identities that differentiation produces in bulk (`x*1`, `x+0`, `x*0`, `--x`, `x + -y`).
///
/// `x * 0` folds to 0 even though IEEE says `inf * 0` is NaN: zeros here almost always come from
/// a derivative that does not depend on x, and keeping them would keep dead work alive. It is the
/// only identity that changes a result for non-finite inputs (`x - x` is not folded to 0: it is
/// NaN for an infinite or NaN x, and differentiation never builds it in bulk).
package enum BinaryFunction: Hashable, Sendable, CaseIterable {
    case add, sub, mul, div, pow
    case atan2, hypot, mod, fmod, polygamma

    package var rule: Rule {
        switch self {
        case .add: Arithmetic.add
        case .sub: Arithmetic.sub
        case .mul: Arithmetic.mul
        case .div: Arithmetic.div
        case .pow: Arithmetic.pow
        case .atan2: BinaryFunctions.atan2
        case .hypot: BinaryFunctions.hypot
        case .mod: BinaryFunctions.mod
        case .fmod: BinaryFunctions.fmod
        case .polygamma: SpecialFunctions.polygamma
        }
    }
}

/// The rows of `BinaryFunction`, and the identities `make` applies to them.
enum Arithmetic {
    static let add = Rule.binary("add", .infix(" + ", precedence: 1), commutative: true, { a, b, _ in a + b },
                                 derivative: { _, _, d, _ in d }, simplify: simplifyAdd)
    static let sub = Rule.binary("sub", .infix(" - ", precedence: 1), { a, b, _ in a - b },
                                 derivative: { g, k, d, _ in k == 0 ? d : g.neg(d) }, simplify: simplifySub)
    /// The factor of a product may be infinite where the product is masked out (`x · log x`
    /// in the unused branch of a `where` at x = 0), so a factor that can be infinite at finite
    /// operands (`Elementwise.isUnbounded`: log, division, exp, …) is guarded.
    static let mul = Rule.binary("mul", .infix(" * ", precedence: 2), commutative: true, { a, b, _ in a * b },
                                 derivative: { g, k, d, node in
                                     let other = g[node].operands[1 - k]
                                     let term = k == 0 ? g.mul(d, other) : g.mul(other, d)
                                     return g[other].rule.elementwise?.isUnbounded == true ? g.guarded(d, term) : term
                                 }, simplify: simplifyMul)
    static let div = Rule.binary("div", .infix(" / ", precedence: 2), unbounded: true, { a, b, _ in a / b },
                                 derivative: { g, k, d, node in
                                     let y = g[node].operands[1]
                                     if g.constantValue(y) != nil { return k == 0 ? g.div(d, y) : g.neg(g.div(g.mul(d, node), y)) }
                                     return g.guarded(d, k == 0 ? g.div(d, y) : g.neg(g.div(g.mul(d, node), y)))
                                 }, simplify: simplifyDiv)
    static let pow = Rule.binary("pow", spellings: ["pow", "power"], .libm(CFunction("pow", arity: 2)), unbounded: true,
                                 { a, b, _ in Glibc.pow(a, b) },
                                 derivative: { g, k, d, node in
                                     g.guarded(d, g.mul(d, k == 0 ? g.powBaseDerivative(node) : g.powExponentDerivative(node)))
                                 }, simplify: simplifyPow)

    private static func simplifyAdd(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        let (c0, c1) = (g.constantValue(x[0]), g.constantValue(x[1]))
        if c0 == 0 { return g.broadcast(x[1], to: shape) }
        if c1 == 0 { return g.broadcast(x[0], to: shape) }
        if case .unary(.neg) = g[x[1]].op { return g.make(.binary(.sub), Operands(x[0], g[x[1]].operands[0]), shape: shape) }
        if case .unary(.neg) = g[x[0]].op { return g.make(.binary(.sub), Operands(x[1], g[x[0]].operands[0]), shape: shape) }
        return nil
    }

    private static func simplifySub(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        let (c0, c1) = (g.constantValue(x[0]), g.constantValue(x[1]))
        if c1 == 0 { return g.broadcast(x[0], to: shape) }
        if c0 == 0 { return g.make(.unary(.neg), Operands(g.broadcast(x[1], to: shape)), shape: shape) }
        if let stable = StableForms.simplifySub(&g, x, shape) { return stable }
        if case .unary(.neg) = g[x[1]].op { return g.make(.binary(.add), Operands(x[0], g[x[1]].operands[0]), shape: shape) }
        return nil
    }

    private static func simplifyMul(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        let (c0, c1) = (g.constantValue(x[0]), g.constantValue(x[1]))
        if c0 == 0 || c1 == 0 { return g.constant(0, shape: shape) }
        if c0 == 1 { return g.broadcast(x[1], to: shape) }
        if c1 == 1 { return g.broadcast(x[0], to: shape) }
        if c0 == -1 { return g.make(.unary(.neg), Operands(g.broadcast(x[1], to: shape)), shape: shape) }
        if c1 == -1 { return g.make(.unary(.neg), Operands(g.broadcast(x[0], to: shape)), shape: shape) }
        if let c = c0 ?? c1 { return g.scale(x[c0 != nil ? 1 : 0], by: c, shape: shape) }
        return nil
    }

    private static func simplifyDiv(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        g.constantValue(x[1]) == 1 ? g.broadcast(x[0], to: shape) : nil
    }

    private static func simplifyPow(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        let c1 = g.constantValue(x[1])
        if c1 == 1 { return g.broadcast(x[0], to: shape) }
        if c1 == 0 { return g.constant(1, shape: shape) }
        // x² as x·x, as NumPy computes `x**2`: exact to the last bit, and a multiplication
        // instead of a call in compiled code.
        if c1 == 2 { let b = g.broadcast(x[0], to: shape); return g.make(.binary(.mul), Operands(b, b), shape: shape) }
        return nil
    }

    /// `--x` is x; `-(c·y)` is `(-c)·y`.
    static func simplifyNeg(_ g: inout Graph, _ op: Op, _ x: Operands, _ shape: [Int]) -> NodeID? {
        if case .unary(.neg) = g[x[0]].op { return g[x[0]].operands[0] }
        return g.scale(x[0], by: -1, shape: shape)
    }
}

extension Graph {
    /// `c · x` when x is itself `c₂ · y` or `-y` with a scalar constant c₂: one multiplication by
    /// c·c₂ instead of two (derivative graphs are full of such chains). Rounding may differ from
    /// the two-step product in the last bit; compiled and interpreted code evaluate the same graph.
    fileprivate mutating func scale(_ x: NodeID, by c: Double, shape: [Int]) -> NodeID? {
        let node = self[x]
        guard self.shape(x) == shape else { return nil }
        if case .unary(.neg) = node.op {
            return make(.binary(.mul), Operands(constant(-c), node.operands[0]), shape: shape)
        }
        guard case .binary(.mul) = node.op else { return nil }
        let (a, b) = (node.operands[0], node.operands[1])
        if let ca = constantValue(a), self.shape(a).isEmpty { return make(.binary(.mul), Operands(constant(c * ca), b), shape: shape) }
        if let cb = constantValue(b), self.shape(b).isEmpty { return make(.binary(.mul), Operands(a, constant(c * cb)), shape: shape) }
        return nil
    }

    /// ∂(xʸ)/∂x = y·xʸ⁻¹ for `.pow` node `id`, with the exponent y - 1 replaced by 1 where y = 0
    /// (as autograd does), so that the derivative of x⁰ is 0 and not 0·0⁻¹ = NaN at x = 0.
    fileprivate mutating func powBaseDerivative(_ id: NodeID) -> NodeID {
        let (x, y) = (self[id].operands[0], self[id].operands[1])
        let exponent = node(.select, node(.compare(.equal), y, constant(0)), constant(1), add(y, -1))
        return mul(y, node(.binary(.pow), x, exponent))
    }

    /// ∂(xʸ)/∂y = xʸ·log x for `.pow` node `id`, with log x read as log 1 = 0 where x = 0: the
    /// limit for y > 0 (0ʸ is 0 for every y > 0), where the plain formula gives 0·(-∞) = NaN and
    /// one zero in x would poison a whole `sum(pow(x, y))`. The select keeps every order finite.
    fileprivate mutating func powExponentDerivative(_ id: NodeID) -> NodeID {
        let x = self[id].operands[0]
        let safe = node(.select, node(.compare(.equal), x, constant(0)), constant(1), x)
        return mul(id, node(.unary(.log), safe))
    }
}
