import AdjointRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise functions of one operand. Each row: the name, the C form (a libm function is
/// declared and registered from its row), the scalar function, and `f'(x)·d` in graph ops,
/// from which both the pullback and the pushforward are built (`Derivatives.swift`).
///
/// The rows are in this file (exponentials, logarithms, roots, rounding), `Trigonometric.swift`
/// and `SpecialFunctions.swift`.
package enum UnaryFunction: Hashable, Sendable, CaseIterable {
    case neg, exp, exp2, log, log2, log10, log1p, expm1, softplus, sqrt, cbrt, abs, sign, floor, ceil, round
    case stopGradient
    case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh
    case erf, erfc, lgamma

    package var rule: Rule {
        switch self {
        case .neg: UnaryFunction.negRule
        case .exp: UnaryFunction.expRule
        case .exp2: UnaryFunction.exp2Rule
        case .log: UnaryFunction.logRule
        case .log2: UnaryFunction.log2Rule
        case .log10: UnaryFunction.log10Rule
        case .log1p: UnaryFunction.log1pRule
        case .expm1: UnaryFunction.expm1Rule
        case .softplus: UnaryFunction.softplusRule
        case .sqrt: UnaryFunction.sqrtRule
        case .cbrt: UnaryFunction.cbrtRule
        case .abs: UnaryFunction.absRule
        case .sign: UnaryFunction.signRule
        case .floor: UnaryFunction.floorRule
        case .ceil: UnaryFunction.ceilRule
        case .round: UnaryFunction.roundRule
        case .stopGradient: UnaryFunction.stopGradientRule
        case .sin: UnaryFunction.sinRule
        case .cos: UnaryFunction.cosRule
        case .tan: UnaryFunction.tanRule
        case .asin: UnaryFunction.asinRule
        case .acos: UnaryFunction.acosRule
        case .atan: UnaryFunction.atanRule
        case .sinh: UnaryFunction.sinhRule
        case .cosh: UnaryFunction.coshRule
        case .tanh: UnaryFunction.tanhRule
        case .asinh: UnaryFunction.asinhRule
        case .acosh: UnaryFunction.acoshRule
        case .atanh: UnaryFunction.atanhRule
        case .erf: UnaryFunction.erfRule
        case .erfc: UnaryFunction.erfcRule
        case .lgamma: UnaryFunction.lgammaRule
        }
    }

    private static let negRule = Rule.unary("neg", .prefix("-"), { x, _, _ in -x }, derivative: { g, d, _, _ in g.neg(d) },
                                            simplify: Arithmetic.simplifyNeg)
    /// Runtime/exp.c's, not libm's: the optimized tier vectorizes it, and every tier and the
    /// interpreter give its bits.
    private static let expRule = Rule.unary("exp", spellings: ["exp"], .runtime("adj_exp"), { x, _, _ in adj_exp(x) }, unbounded: true,
                                            derivative: { g, d, _, y in g.mul(d, y) })
    private static let exp2Rule = Rule.unary("exp2", spellings: ["exp2"], .libm(CFunction("exp2")), { x, _, _ in Glibc.exp2(x) }, unbounded: true,
                                             derivative: { g, d, _, y in g.mul(d, g.mul(y, M_LN2)) })
    private static let logRule = Rule.unary("log", spellings: ["log"], .libm(CFunction("log")), { x, _, _ in Glibc.log(x) },
                                            guarded: true, unbounded: true, derivative: { g, d, x, _ in g.div(d, x) },
                                            simplify: StableForms.simplifyLog)
    private static let log2Rule = Rule.unary("log2", spellings: ["log2"], .libm(CFunction("log2")), { x, _, _ in Glibc.log2(x) },
                                             guarded: true, unbounded: true, derivative: { g, d, x, _ in g.div(d, g.mul(x, M_LN2)) })
    private static let log10Rule = Rule.unary("log10", spellings: ["log10"], .libm(CFunction("log10")), { x, _, _ in Glibc.log10(x) },
                                              guarded: true, unbounded: true, derivative: { g, d, x, _ in g.div(d, g.mul(x, M_LN10)) })
    private static let log1pRule = Rule.unary("log1p", spellings: ["log1p"], .libm(CFunction("log1p")), { x, _, _ in Glibc.log1p(x) },
                                              guarded: true, unbounded: true, derivative: { g, d, x, _ in g.div(d, g.add(x, 1)) },
                                              simplify: StableForms.simplifyLog1p)
    private static let expm1Rule = Rule.unary("expm1", spellings: ["expm1"], .libm(CFunction("expm1")), { x, _, _ in Glibc.expm1(x) }, unbounded: true,
                                              derivative: { g, d, _, y in g.mul(d, g.add(y, 1)) })
    /// `log(1 + eˣ)` without overflow; the C helper is the same expression, with the `exp` of the
    /// `exp` row (Runtime/exp.c).
    private static let softplusRule = Rule.unary(
        "softplus", spellings: ["softplus"],
        .helper(name: "adj_softplus", definition: "static double adj_softplus(double x) { return x > 0 ? x + log1p(adj_exp(-x)) : log1p(adj_exp(x)); }"),
        { x, _, _ in x > 0 ? x + Glibc.log1p(adj_exp(-x)) : Glibc.log1p(adj_exp(x)) },
        derivative: { g, d, x, _ in g.mul(d, g.sigmoid(x)) })
    private static let sqrtRule = Rule.unary("sqrt", spellings: ["sqrt"], .libm(CFunction("sqrt")), { x, _, _ in Glibc.sqrt(x) },
                                             guarded: true, derivative: { g, d, _, y in g.div(g.mul(d, 0.5), y) })
    /// The real cube root (negative for negative x); its derivative `1 / (3 y²)` is infinite at 0.
    private static let cbrtRule = Rule.unary("cbrt", spellings: ["cbrt"], .libm(CFunction("cbrt")), { x, _, _ in Glibc.cbrt(x) },
                                             guarded: true, derivative: { g, d, _, y in g.div(d, g.mul(g.mul(y, y), 3)) })
    /// |x|; its derivative at 0 is taken as 0.
    private static let absRule = Rule.unary("abs", spellings: ["abs", "absolute"], .libm(CFunction("fabs")),
                                            { x, _, _ in Glibc.fabs(x) },
                                            derivative: { g, d, x, _ in g.mul(d, g.node(.unary(.sign), x)) })
    /// -1, 0 or 1 (NaN stays NaN); the same expression in C.
    private static let signRule = Rule.unary("sign", spellings: ["sign"],
                                             .helper(name: "adj_sign", definition: "static double adj_sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }"),
                                             { x, _, _ in x > 0 ? 1 : x < 0 ? -1 : x }, derivative: nil)
    /// The rounding functions, constant between integers: zero derivative (as autograd's).
    private static let floorRule = Rule.unary("floor", spellings: ["floor"], .libm(CFunction("floor")), { x, _, _ in Glibc.floor(x) },
                                              derivative: nil)
    private static let ceilRule = Rule.unary("ceil", spellings: ["ceil"], .libm(CFunction("ceil")), { x, _, _ in Glibc.ceil(x) },
                                             derivative: nil)
    /// To the nearest integer, halves to even (NumPy's `round`, C's `rint` in the default rounding mode).
    private static let roundRule = Rule.unary("round", spellings: ["round", "rint", "around"], .libm(CFunction("rint")),
                                              { x, _, _ in Glibc.rint(x) }, derivative: nil)
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

    /// The derivative term `term` (of the form `d·f′`) where the (co)tangent `d` is nonzero, and 0
    /// where it is zero, even where `f′` is infinite or NaN. A masked branch of `where` sends a
    /// zero cotangent into its unused side: `where(x > 0, sqrt(x), 0)` at x = 0 would otherwise
    /// get `0 · ∞ = NaN` from sqrt. Rows whose derivative can be non-finite at a finite point
    /// (log, sqrt, division, pow, asin, …) guard their terms; a constant `d` needs no guard.
    package mutating func guarded(_ d: NodeID, _ term: NodeID) -> NodeID {
        if constantValue(d) != nil { return term }
        return node(.select, node(.compare(.equal), d, constant(0)), constant(0), term)
    }
}

extension Routine {
    /// `exp` of one double (Runtime/exp.c), for the `exp` row.
    package static let exp = Routine(name: "adj_exp", file: "exp.c",
                                     address: unsafeBitCast(adj_exp as @convention(c) (Double) -> Double, to: UnsafeRawPointer.self),
                                     isElementwise: true)
}
