#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The error functions, `lgamma` and the polygamma family, whose derivatives are each other:
/// `lgamma′ = ψ = polygamma(0, ·)` and `polygamma(n, ·)′ = polygamma(n + 1, ·)`, so every order
/// of every one of them is differentiable.
extension UnaryFunction {
    /// `2/√π · e^(-x²)`.
    static let erfRule = Rule.unary("erf", spellings: ["erf"], .libm(CFunction("erf")), { x, _, _ in Glibc.erf(x) },
                                    derivative: { g, d, x, _ in g.mul(d, g.gaussian(x)) })
    static let erfcRule = Rule.unary("erfc", spellings: ["erfc"], .libm(CFunction("erfc")), { x, _, _ in Glibc.erfc(x) },
                                     derivative: { g, d, x, _ in g.neg(g.mul(d, g.gaussian(x))) })
    /// log |Γ(x)| (scipy's `gammaln`), infinite at the poles 0, -1, -2, …
    static let lgammaRule = Rule.unary("lgamma", spellings: ["lgamma", "gammaln"], .libm(CFunction("lgamma")),
                                       { x, _, _ in Glibc.lgamma(x) }, guarded: true, unbounded: true,
                                       derivative: { g, d, x, _ in g.mul(d, g.node(.binary(.polygamma), g.constant(0), x)) })
}

/// The row of `BinaryFunction.polygamma`: ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function,
/// for an integer n ≥ 0 (NaN otherwise, as scipy), with no derivative in n.
enum SpecialFunctions {
    static let polygamma = Rule.binary(
        "polygamma", spellings: ["polygamma"], .helper(name: "adj_polygamma", definition: polygammaC), unbounded: true,
        { n, x, _ in SpecialFunctions.polygamma(n, x) },
        derivative: { g, k, d, node in
            guard k == 1 else { return nil }
            let (n, x) = (g[node].operands[0], g[node].operands[1])
            return g.guarded(d, g.mul(d, g.node(.binary(.polygamma), g.add(n, 1), x)))
        })

    /// ψ⁽ⁿ⁾(x): shifted up by the recurrence ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) + (-1)ⁿ⁺¹ n!/xⁿ⁺¹ until x ≥ 20 + n,
    /// then the asymptotic series in Bernoulli numbers; ψ of a negative x by reflection,
    /// ψ(x) = ψ(1 - x) - π/tan(πx). NaN at the poles (x = 0, -1, -2, …), and for n ≥ 1 below
    /// x = -10⁶, where the recurrence would take too many steps. `polygammaC` is the same
    /// algorithm, operation for operation, so compiled code agrees with the interpreter.
    static func polygamma(_ n: Double, _ x: Double) -> Double {
        if !(n >= 0) || n != Glibc.floor(n) || n > 170 || x.isNaN { return .nan }
        if x <= 0 && x == Glibc.floor(x) || (n >= 1 && x < -1e6) { return .nan }
        let k = Int(n)
        if k == 0 && x < 0 { return polygamma(0, 1 - x) - Double.pi / Glibc.tan(Double.pi * x) }
        let sign: Double = k % 2 == 0 ? -1 : 1
        var factorial = 1.0
        if k >= 2 { for i in 2...k { factorial *= Double(i) } }
        var x = x, shifted = 0.0
        while x < 20 + n {
            var power = x
            if k >= 1 { for _ in 1...k { power *= x } }
            shifted += sign * factorial / power
            x += 1
        }
        let inverse = 1 / x, inverseSquare = inverse * inverse
        var power = inverse  // 1/xⁿ⁺¹
        if k >= 1 { for _ in 1...k { power *= inverse } }
        var coefficient = factorial * (n + 1) / 2  // (2j + n - 1)!/(2j)! at j = 1
        var term = power * inverse  // 1/x²ʲ⁺ⁿ at j = 1
        var series = 0.0
        for j in 0..<10 {
            series += bernoulli[j] * coefficient * term
            let m = Double(2 * j + 2)
            coefficient *= (m + n) * (m + n + 1) / ((m + 1) * (m + 2))
            term *= inverseSquare
        }
        let tail = factorial * power / 2 + series
        let lead = k == 0 ? Glibc.log(x) : sign * factorial / n * power * x
        return shifted + lead + sign * tail
    }

    /// B₂, B₄, …, B₂₀.
    private static let bernoulli: [Double] = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6,
                                              -3617.0 / 510, 43867.0 / 798, -174611.0 / 330]

    static let polygammaC: StaticString = """
        static double adj_polygamma(double n, double x) {
            static const double b[10] = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6,
                                         -3617.0 / 510, 43867.0 / 798, -174611.0 / 330};
            if (!(n >= 0) || n != floor(n) || n > 170 || x != x) return 0.0 / 0.0;
            if ((x <= 0 && x == floor(x)) || (n >= 1 && x < -1e6)) return 0.0 / 0.0;
            int k = (int)n;
            if (k == 0 && x < 0) return adj_polygamma(0, 1 - x) - 3.141592653589793 / tan(3.141592653589793 * x);
            double sign = k % 2 == 0 ? -1.0 : 1.0, factorial = 1.0, shifted = 0.0;
            for (int i = 2; i <= k; i++) factorial *= (double)i;
            while (x < 20 + n) {
                double power = x;
                for (int i = 1; i <= k; i++) power *= x;
                shifted += sign * factorial / power;
                x += 1;
            }
            double inverse = 1 / x, inverseSquare = inverse * inverse, power = inverse;
            for (int i = 1; i <= k; i++) power *= inverse;
            double coefficient = factorial * (n + 1) / 2, term = power * inverse, series = 0.0;
            for (int j = 0; j < 10; j++) {
                series += b[j] * coefficient * term;
                double m = (double)(2 * j + 2);
                coefficient *= (m + n) * (m + n + 1) / ((m + 1) * (m + 2));
                term *= inverseSquare;
            }
            double tail = factorial * power / 2 + series;
            double lead = k == 0 ? log(x) : sign * factorial / n * power * x;
            return shifted + lead + sign * tail;
        }
        """
}

extension Graph {
    /// `2/√π · e^(-x²)`, erf's derivative.
    fileprivate mutating func gaussian(_ x: NodeID) -> NodeID {
        mul(node(.unary(.exp), neg(mul(x, x))), 2 / Double.pi.squareRoot())
    }
}
