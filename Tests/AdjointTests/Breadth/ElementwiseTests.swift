#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport

@testable import Adjoint

/// The elementwise functions' values (NumPy's and scipy's, quoted), their derivatives at the
/// points where autograd defines them specially, and the guard that keeps a masked branch's NaN
/// out of a gradient.
@Suite struct ElementwiseTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-14) -> Bool {
        a == b || Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
    }

    @Test func valuesAsNumPyAndSciPy() {
        let cases: [(String, Tensor, Double)] = [
            ("digamma(1)", digamma(1), -0.5772156649015329),
            ("digamma(0.5)", digamma(0.5), -1.9635100260214235),
            ("digamma(-0.5)", digamma(-0.5), 0.03648997397857652),
            ("digamma(10)", digamma(10), 2.251752589066721),
            ("polygamma(1, 1)", polygamma(1, 1), 1.6449340668482264),
            ("polygamma(2, 1)", polygamma(2, 1), -2.4041138063191885),
            ("polygamma(3, 0.5)", polygamma(3, 0.5), 97.40909103400242),
            ("polygamma(1, -1.5)", polygamma(1, -1.5), 9.37924664498912),
            ("lgamma(0.5)", lgamma(0.5), 0.5723649429247001),
            ("erf(0.5)", erf(0.5), 0.5204998778130465),
            ("erfc(3)", erfc(3), 2.209049699858544e-05),
            ("mod(-7, 3)", mod(-7, 3), 2), ("mod(7, -3)", mod(7, -3), -2), ("-7 % 3", Tensor(-7) % 3, 2),
            ("fmod(-7, 3)", fmod(-7, 3), -1),
            ("round(2.5)", round(2.5), 2), ("round(-1.5)", round(-1.5), -2), ("round(0.5)", round(0.5), 0),
            ("sinc(0)", sinc(0), 1), ("sinc(0.5)", sinc(0.5), 2 / Double.pi), ("sinc(1e-4)", sinc(1e-4), 0.9999999835506594),
            ("atan2(1, -1)", atan2(1, -1), 3 * Double.pi / 4), ("hypot(3e200, 4e200)", hypot(3e200, 4e200), 5e200),
            ("logaddexp(1000, 1000)", logaddexp(1000, 1000), 1000 + M_LN2),
            ("logaddexp(-inf, -inf)", logaddexp(Tensor(-Double.infinity), Tensor(-Double.infinity)), -.infinity),
            ("logaddexp(inf, inf)", logaddexp(Tensor(Double.infinity), Tensor(Double.infinity)), .infinity),
            ("logaddexp2(1, 1)", logaddexp2(1, 1), 2),
            ("fmax(nan, 1)", fmax(Tensor(.nan), 1), 1), ("fmin(2, nan)", fmin(2, Tensor(.nan)), 2),
            ("clip(5, 0, 1)", clip(Tensor(5), 0, 1), 1), ("cbrt(-8)", cbrt(-8), -2), ("exp2(10)", exp2(10), 1024),
            ("asinh(1)", asinh(1), 0.881373587019543), ("acosh(2)", acosh(2), 1.3169578969248166),
            ("atanh(0.5)", atanh(0.5), 0.5493061443340549),
        ]
        for (name, value, expected) in cases {
            #expect(Self.close(value.scalar, expected, 1e-13), "\(name) = \(value.scalar), NumPy/scipy give \(expected)")
        }
        #expect(maximum(Tensor(.nan), 1).scalar.isNaN && minimum(1, Tensor(.nan)).scalar.isNaN)
        #expect(polygamma(0, 0).scalar.isNaN && polygamma(1.5, 2).scalar.isNaN && polygamma(-1, 2).scalar.isNaN)
    }

    /// Interpreted, compiled, and both modes of the derivative, at one point.
    static func derivatives(_ f: @escaping (Tensor) -> Tensor, at x: Double) -> [Double] {
        let d = grad(f)
        return [d(Tensor(x)).scalar, compile(d)(Tensor(x)).scalar, jvp(f, at: Tensor(x), tangent: Tensor(1)).tangent.scalar]
    }

    @Test func derivativesAtTheAwkwardPoints() {
        let zero: [(String, (Tensor) -> Tensor, Double)] = [
            ("abs at 0", { abs($0) }, 0), ("sign", { sign($0) }, 0.3), ("floor", { floor($0) }, 1.5),
            ("ceil", { ceil($0) }, 1.5), ("round", { round($0) }, 1.2),
            ("where(x > 0, sqrt(x), 0) at 0", { `where`($0 .> 0, sqrt($0), 0) }, 0),
            ("where(x > 0, x log x, 0) at 0", { `where`($0 .> 0, $0 * log($0), 0) }, 0),
            ("where(x > 0, log(x), 0) at 0", { `where`($0 .> 0, log($0), 0) }, 0),
            ("where(x < 1, asin(x)... at 1", { `where`($0 .< 1, asin($0), 0) }, 1),
            ("where(x != 0, sin(x)/x, 1) at 0", { `where`($0 .!= 0, sin($0) / $0, 1) }, 0),
            ("where(x > 0, pow(x, 0.5), 0) at 0", { `where`($0 .> 0, pow($0, 0.5), 0) }, 0),
            ("sinc at 0", { sinc($0) }, 0),
        ]
        for (name, f, x) in zero {
            #expect(Self.derivatives(f, at: x) == [0, 0, 0], "\(name): \(Self.derivatives(f, at: x))")
        }
        // pow(0, y) in y, for y > 0: 0, not NaN; and one zero does not poison a sum.
        #expect(Self.derivatives({ pow(0, $0) }, at: 0.5) == [0, 0, 0])
        let x = Tensor([0, 1, 2])
        let g = grad { (y: Tensor) in sum(pow(x, y)) }(Tensor([0.5, 0.5, 0.5]))
        #expect(g.scalars[0] == 0 && g.scalars[1] == 0 && Self.close(g.scalars[2], Glibc.sqrt(2) * M_LN2))
        // Ties split evenly: maximum, minimum, fmax, fmin.
        for f in [maximum, minimum, fmax, fmin] as [(Tensor, Tensor) -> Tensor] {
            let (da, db) = (grad({ f($0, Tensor(2)) })(Tensor(2)).scalar, grad({ f(Tensor(2), $0) })(Tensor(2)).scalar)
            #expect(da == 0.5 && db == 0.5)
        }
        // sinc's second derivative at 0 is -π²/3, from the series.
        let second = grad(grad { sinc($0) })(Tensor(0)).scalar
        #expect(Self.close(second, -Double.pi * Double.pi / 3, 1e-9))
        // mod in b: -floor(a/b).
        #expect(grad({ mod(Tensor(7), $0) })(Tensor(3)).scalar == -2)
    }

    @Test func polygammaOrdersAreEachOthersDerivatives() {
        // d/dx lgamma = digamma, d/dx polygamma(n) = polygamma(n + 1), to the third order.
        let x = Tensor([0.7, 2.5, -1.5])
        #expect(relativeError(grad { sum(lgamma($0)) }(x), digamma(x)) < 1e-15)
        let third = grad { (x: Tensor) in sum(grad { sum(grad { sum(digamma($0)) }($0)) }(x)) }(x)
        #expect(relativeError(third, polygamma(3, x)) < 1e-12)
        #expect(relativeError(compile(grad { sum(polygamma(2, $0)) })(x), polygamma(3, x)) < 1e-14)
    }

    /// Each rewrite at an input where the plain formula overflows or cancels, traced (value and
    /// gradient), compiled, and against the naive eager value.
    @Test func plainFormulasAreRewrittenToStableOnes() {
        let cases: [(String, (Tensor) -> Tensor, Double, Double, Double)] = [
            // name, f, x, the stable value, its derivative
            ("log(1 + x)", { log(1 + $0) }, 1e-20, 1e-20, 1),
            ("exp(x) - 1", { exp($0) - 1 }, 1e-20, 1e-20, 1),
            ("log(1 + exp(x))", { log(1 + exp($0)) }, 1000, 1000, 1),
            ("log1p(exp(x))", { log1p(exp($0)) }, 1000, 1000, 1),
            ("log(sigmoid(x))", { log(sigmoid($0)) }, -1000, -1000, 1),
        ]
        for (name, f, x, value, derivative) in cases {
            let r = valueAndGrad(f)(Tensor(x))
            #expect(Self.close(r.value.scalar, value) && Self.close(r.gradient.scalar, derivative), "\(name): \(r)")
            let c = compile(valueAndGrad(f))(Tensor(x))
            #expect(Self.close(c.value.scalar, value) && Self.close(c.gradient.scalar, derivative), "\(name) compiled: \(c)")
        }
        // logsumexp over a vector of large values: 1000 + log 2, gradient exactly softmax.
        let f: (Tensor) -> Tensor = { log(sum(exp($0))) }
        #expect(f(Tensor([1000, 1000])).scalar == .infinity)  // eager: the formula as written
        let r = compile(valueAndGrad(f))(Tensor([1000, 1000]))
        #expect(Self.close(r.value.scalar, 1000 + M_LN2) && r.gradient.scalars == [0.5, 0.5])
        let rows = compile { (x: Tensor) in log(sum(exp(x), axis: 1)) }(Tensor(shape: [2, 2], scalars: [1000, 1000, -.infinity, -.infinity]))
        #expect(Self.close(rows.scalars[0], 1000 + M_LN2) && rows.scalars[1] == -.infinity)
    }
}
