#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise functions of one operand. Each row: the name, the C form (a libm function is
/// declared and registered from its row), the scalar function, and `f'(x)·d` in graph ops,
/// from which both the pullback and the pushforward are built (`Derivatives.swift`).
package enum UnaryFunction: Hashable, Sendable, CaseIterable {
    case neg, exp, log, sin, cos, tan, tanh, sqrt, abs, sign, log1p, expm1, softplus, atan, stopGradient

    package var rule: Rule {
        switch self {
        case .neg: UnaryFunction.negRule
        case .exp: UnaryFunction.expRule
        case .log: UnaryFunction.logRule
        case .sin: UnaryFunction.sinRule
        case .cos: UnaryFunction.cosRule
        case .tan: UnaryFunction.tanRule
        case .tanh: UnaryFunction.tanhRule
        case .sqrt: UnaryFunction.sqrtRule
        case .abs: UnaryFunction.absRule
        case .sign: UnaryFunction.signRule
        case .log1p: UnaryFunction.log1pRule
        case .expm1: UnaryFunction.expm1Rule
        case .softplus: UnaryFunction.softplusRule
        case .atan: UnaryFunction.atanRule
        case .stopGradient: UnaryFunction.stopGradientRule
        }
    }

    private static let negRule = Rule.unary("neg", .prefix("-"), { x, _, _ in -x }, derivative: { g, d, _, _ in g.neg(d) },
                                            simplify: Arithmetic.simplifyNeg)
    private static let expRule = Rule.unary("exp", spellings: ["exp"], .libm(CFunction("exp")), { x, _, _ in Glibc.exp(x) },
                                            derivative: { g, d, _, y in g.mul(d, y) })
    private static let logRule = Rule.unary("log", spellings: ["log"], .libm(CFunction("log")), { x, _, _ in Glibc.log(x) },
                                            derivative: { g, d, x, _ in g.div(d, x) })
    private static let sinRule = Rule.unary("sin", spellings: ["sin"], .libm(CFunction("sin")), { x, _, _ in Glibc.sin(x) },
                                            derivative: { g, d, x, _ in g.mul(d, g.node(.unary(.cos), x)) })
    private static let cosRule = Rule.unary("cos", spellings: ["cos"], .libm(CFunction("cos")), { x, _, _ in Glibc.cos(x) },
                                            derivative: { g, d, x, _ in g.neg(g.mul(d, g.node(.unary(.sin), x))) })
    private static let tanRule = Rule.unary("tan", spellings: ["tan"], .libm(CFunction("tan")), { x, _, _ in Glibc.tan(x) },
                                            derivative: { g, d, _, y in g.mul(d, g.add(g.mul(y, y), 1)) })
    private static let tanhRule = Rule.unary("tanh", spellings: ["tanh"], .libm(CFunction("tanh")), { x, _, _ in Glibc.tanh(x) },
                                             derivative: { g, d, _, y in g.mul(d, g.sub(1, g.mul(y, y))) })
    private static let sqrtRule = Rule.unary("sqrt", spellings: ["sqrt"], .libm(CFunction("sqrt")), { x, _, _ in Glibc.sqrt(x) },
                                             derivative: { g, d, _, y in g.div(g.mul(d, 0.5), y) })
    /// |x|; its derivative at 0 is taken as 0.
    private static let absRule = Rule.unary("abs", spellings: ["abs", "absolute"], .libm(CFunction("fabs")),
                                            { x, _, _ in Glibc.fabs(x) },
                                            derivative: { g, d, x, _ in g.mul(d, g.node(.unary(.sign), x)) })
    /// -1, 0 or 1 (NaN stays NaN); the same expression in C.
    private static let signRule = Rule.unary("sign", spellings: ["sign"],
                                             .helper(name: "adj_sign", definition: "static double adj_sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }"),
                                             { x, _, _ in x > 0 ? 1 : x < 0 ? -1 : x }, derivative: nil)
    private static let log1pRule = Rule.unary("log1p", spellings: ["log1p"], .libm(CFunction("log1p")), { x, _, _ in Glibc.log1p(x) },
                                              derivative: { g, d, x, _ in g.div(d, g.add(x, 1)) })
    private static let expm1Rule = Rule.unary("expm1", spellings: ["expm1"], .libm(CFunction("expm1")), { x, _, _ in Glibc.expm1(x) },
                                              derivative: { g, d, _, y in g.mul(d, g.add(y, 1)) })
    /// `log(1 + eˣ)` without overflow; the C helper is the same expression.
    private static let softplusRule = Rule.unary(
        "softplus", spellings: ["softplus"],
        .helper(name: "adj_softplus", definition: "static double adj_softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }"),
        { x, _, _ in x > 0 ? x + Glibc.log1p(Glibc.exp(-x)) : Glibc.log1p(Glibc.exp(x)) },
        derivative: { g, d, x, _ in g.mul(d, g.sigmoid(x)) })
    /// `atan(x)`, with `1 / (1 + x²)` as its derivative (autograd's `g / (1 + x**2)`).
    private static let atanRule = Rule.unary("atan", spellings: ["atan", "arctan"], .libm(CFunction("atan")), { x, _, _ in Glibc.atan(x) },
                                             derivative: { g, d, x, _ in g.div(d, g.add(g.mul(x, x), 1)) })
    /// The value unchanged, with a zero derivative in both modes and at every order (JAX's
    /// `stop_gradient`); in C it is `+x`. A constant operand folds to itself.
    private static let stopGradientRule = Rule.unary(
        "stop_gradient", spellings: ["stop_gradient", "stopGradient"], .prefix("+"), { x, _, _ in x }, derivative: nil,
        simplify: { g, _, x, _ in g[x[0]].op.isConstant ? x[0] : nil })
}

extension Graph {
    /// `σ(x) = ½(tanh(x/2) + 1)`: the stable form, also used by the `sigmoid` composite.
    package mutating func sigmoid(_ x: NodeID) -> NodeID {
        mul(add(node(.unary(.tanh), mul(x, 0.5)), 1), 0.5)
    }
}
