#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rows of the elementwise functions of two operands beyond arithmetic: `atan2`, `hypot`
/// and the two remainders. Derivatives whose factors are infinite at a point where the
/// function is finite (`atan2` and `hypot` at the origin) are guarded (`Graph.guarded`).
enum BinaryFunctions {
    /// The angle of (x, y) (operands y, x, as C and NumPy): ∂y = x/(x² + y²), ∂x = -y/(x² + y²).
    static let atan2 = Rule.binary("atan2", spellings: ["atan2", "arctan2"], .libm(CFunction("atan2", arity: 2)),
                                   { y, x, _ in Glibc.atan2(y, x) },
                                   derivative: { g, k, d, node in
                                       let (y, x) = (g[node].operands[0], g[node].operands[1])
                                       let r2 = g.add(g.mul(x, x), g.mul(y, y))
                                       return g.guarded(d, k == 0 ? g.div(g.mul(d, x), r2) : g.neg(g.div(g.mul(d, y), r2)))
                                   })
    /// √(a² + b²) without overflow: ∂a = a/h, ∂b = b/h.
    static let hypot = Rule.binary("hypot", spellings: ["hypot"], .libm(CFunction("hypot", arity: 2)), commutative: true,
                                   { a, b, _ in Glibc.hypot(a, b) },
                                   derivative: { g, k, d, node in
                                       g.guarded(d, g.div(g.mul(d, g[node].operands[k]), node))
                                   })
    /// NumPy's `mod` (`remainder`, Python's `%`): the remainder of floor division, with the sign
    /// of b. C's `fmod` corrected by b where the signs differ, as NumPy computes it.
    static let mod = Rule.binary("mod", spellings: ["mod", "remainder"], .helper(name: "adj_mod", definition: modC),
                                 { a, b, _ in BinaryFunctions.mod(a, b) },
                                 derivative: { g, k, d, node in k == 0 ? d : g.neg(g.mul(d, g.quotient(node))) })
    /// C's `fmod` (NumPy's `fmod`): the remainder of truncated division, with the sign of a.
    static let fmod = Rule.binary("fmod", spellings: ["fmod"], .libm(CFunction("fmod", arity: 2)), { a, b, _ in Glibc.fmod(a, b) },
                                  derivative: { g, k, d, node in k == 0 ? d : g.neg(g.mul(d, g.quotient(node))) })

    static func mod(_ a: Double, _ b: Double) -> Double {
        var m = Glibc.fmod(a, b)
        if m != 0 { if (b < 0) != (m < 0) { m += b } } else { m = b < 0 ? -0.0 : 0.0 }
        return m
    }

    private static let modC: StaticString = """
        static double adj_mod(double a, double b) { double m = fmod(a, b); if (m != 0) { if ((b < 0) != (m < 0)) m += b; } else m = b < 0 ? -0.0 : 0.0; return m; }
        """
}

extension Graph {
    /// The integer q with `r = a - q·b` for remainder node `r` (`mod` or `fmod` of a, b): the
    /// derivative of r in b is -q, piecewise constant. Rounded, so that it is the exact integer.
    fileprivate mutating func quotient(_ remainder: NodeID) -> NodeID {
        let (a, b) = (self[remainder].operands[0], self[remainder].operands[1])
        return node(.unary(.round), div(sub(a, remainder), b))
    }
}
