import AdjointRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rows of the circular and hyperbolic functions and their inverses (NumPy's `arcsin`, …
/// are the command line's second spellings). Derivatives as autograd's.
extension UnaryFunction {
    static let sinRule = Rule.unary("sin", spellings: ["sin"], .libm(CFunction("sin")), { x, _, _ in Glibc.sin(x) },
                                    derivative: { g, d, x, _ in g.mul(d, g.node(.unary(.cos), x)) })
    static let cosRule = Rule.unary("cos", spellings: ["cos"], .libm(CFunction("cos")), { x, _, _ in Glibc.cos(x) },
                                    derivative: { g, d, x, _ in g.neg(g.mul(d, g.node(.unary(.sin), x))) })
    static let tanRule = Rule.unary("tan", spellings: ["tan"], .libm(CFunction("tan")), { x, _, _ in Glibc.tan(x) },
                                    derivative: { g, d, _, y in g.mul(d, g.add(g.mul(y, y), 1)) })
    /// `1 / √(1 - x²)`, infinite at ±1.
    static let asinRule = Rule.unary("asin", spellings: ["asin", "arcsin"], .libm(CFunction("asin")), { x, _, _ in Glibc.asin(x) },
                                     guarded: true, derivative: { g, d, x, _ in g.div(d, g.oneMinusSquareRoot(x)) })
    static let acosRule = Rule.unary("acos", spellings: ["acos", "arccos"], .libm(CFunction("acos")), { x, _, _ in Glibc.acos(x) },
                                     guarded: true, derivative: { g, d, x, _ in g.neg(g.div(d, g.oneMinusSquareRoot(x))) })
    /// `atan(x)`, with `1 / (1 + x²)` as its derivative (autograd's `g / (1 + x**2)`).
    static let atanRule = Rule.unary("atan", spellings: ["atan", "arctan"], .libm(CFunction("atan")), { x, _, _ in Glibc.atan(x) },
                                     derivative: { g, d, x, _ in g.div(d, g.add(g.mul(x, x), 1)) })
    static let sinhRule = Rule.unary("sinh", spellings: ["sinh"], .libm(CFunction("sinh")), { x, _, _ in Glibc.sinh(x) }, unbounded: true,
                                     derivative: { g, d, x, _ in g.mul(d, g.node(.unary(.cosh), x)) })
    static let coshRule = Rule.unary("cosh", spellings: ["cosh"], .libm(CFunction("cosh")), { x, _, _ in Glibc.cosh(x) }, unbounded: true,
                                     derivative: { g, d, x, _ in g.mul(d, g.node(.unary(.sinh), x)) })
    /// Runtime/tanh.c's, not libm's: the optimized tier vectorizes it, and every tier and the
    /// interpreter give its bits.
    static let tanhRule = Rule.unary("tanh", spellings: ["tanh"], .runtime("adj_tanh"), { x, _, _ in adj_tanh(x) },
                                     derivative: { g, d, _, y in g.mul(d, g.sub(1, g.mul(y, y))) })
    static let asinhRule = Rule.unary("asinh", spellings: ["asinh", "arcsinh"], .libm(CFunction("asinh")), { x, _, _ in Glibc.asinh(x) },
                                      derivative: { g, d, x, _ in g.div(d, g.node(.unary(.sqrt), g.add(g.mul(x, x), 1))) })
    /// `1 / √(x² - 1)`, infinite at 1.
    static let acoshRule = Rule.unary("acosh", spellings: ["acosh", "arccosh"], .libm(CFunction("acosh")), { x, _, _ in Glibc.acosh(x) },
                                      guarded: true,
                                      derivative: { g, d, x, _ in g.div(d, g.node(.unary(.sqrt), g.add(g.mul(x, x), -1))) })
    /// `1 / (1 - x²)`, infinite at ±1.
    static let atanhRule = Rule.unary("atanh", spellings: ["atanh", "arctanh"], .libm(CFunction("atanh")), { x, _, _ in Glibc.atanh(x) },
                                      guarded: true, unbounded: true, derivative: { g, d, x, _ in g.div(d, g.sub(1, g.mul(x, x))) })
}

extension Graph {
    /// `√(1 - x²)`.
    fileprivate mutating func oneMinusSquareRoot(_ x: NodeID) -> NodeID {
        node(.unary(.sqrt), sub(1, mul(x, x)))
    }
}

extension Routine {
    /// `tanh` of one double (Runtime/tanh.c), for the `tanh` row.
    package static let tanh = Routine(name: "adj_tanh", file: "tanh.c",
                                      address: unsafeBitCast(adj_tanh as @convention(c) (Double) -> Double, to: UnsafeRawPointer.self),
                                      isElementwise: true)
}
