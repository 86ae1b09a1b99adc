import AdjointRuntime
import Testing
import TestSupport

@testable import Adjoint

#if canImport(Glibc)
import Glibc
#endif

/// Runtime/tanh.c, the `tanh` of every tier and of the interpreter: accurate against libm, exact
/// where tanh is exact, and the same bits in libtcc's code (which calls it), in the optimized
/// tier's (which inlines and vectorizes its text) and in the interpreter.
@Suite struct TanhTests {
    /// Distance in units in the last place of `expected`.
    static func ulps(_ value: Double, _ expected: Double) -> Double {
        if value == expected { return 0 }
        return Swift.abs(value - expected) / expected.magnitude.ulp
    }

    /// Arguments over every range the method treats alike: small (k = 0), moderate, near and past
    /// the cutoff at 20, tiny and subnormal, both signs.
    static let arguments: [Double] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53
        }
        var xs: [Double] = []
        for _ in 0..<50_000 {
            xs.append((uniform() * 2 - 1) * 0.2)
            xs.append((uniform() * 2 - 1) * 3)
            xs.append((uniform() * 2 - 1) * 25)
            xs.append(Glibc.ldexp(uniform() + 0.5, -Int32(uniform() * 1070)) * (uniform() < 0.5 ? -1 : 1))
        }
        return xs
    }()

    @Test func withinFourUlpsOfLibm() {
        var worst = 0.0, worstAt = 0.0
        for x in Self.arguments {
            let e = Self.ulps(adj_tanh(x), Glibc.tanh(x))
            if e > worst { (worst, worstAt) = (e, x) }
        }
        #expect(worst <= 4, "worst \(worst) ulp at \(worstAt)")
    }

    @Test func exactWhereTanhIsExact() {
        #expect(adj_tanh(0).bitPattern == (0.0).bitPattern)
        #expect(adj_tanh(-0.0).bitPattern == (-0.0).bitPattern)
        #expect(adj_tanh(.infinity) == 1)
        #expect(adj_tanh(-.infinity) == -1)
        #expect(adj_tanh(.nan).isNaN)
        #expect(adj_tanh(-.nan).isNaN)
        for x in [20.0, 20.5, 40, 710, 1e300, .greatestFiniteMagnitude] {
            #expect(adj_tanh(x) == 1)
            #expect(adj_tanh(-x) == -1)
        }
        for x in [Double.leastNonzeroMagnitude, 0x1p-1030, 1e-200, 1e-20] {
            #expect(adj_tanh(x) == x)
            #expect(adj_tanh(-x) == -x)
        }
        // Odd: the sign is a bit, the magnitude does not depend on it.
        for x in Self.arguments.prefix(2000) { #expect(adj_tanh(-x).bitPattern == (-adj_tanh(x)).bitPattern) }
    }

    /// Loops of tanh on both tiers (the optimized one vectorizes them) and in the interpreter: one
    /// set of bits, on lengths that leave every vector remainder.
    @Test(arguments: [1, 3, 8, 13, 1000])
    func everyTierGivesTheSameBits(count: Int) throws {
        let f: ([Tensor]) -> [Tensor] = { xs in [tanh(xs[0] * 3 + xs[1]), grad { sum(tanh(tanh($0))) }(xs[0])] }
        let x = Tensor(shape: [count], scalars: (0..<count).map { Self.arguments[4 * $0 + 1] })
        let b = Tensor(shape: [count], scalars: (0..<count).map { Self.arguments[4 * $0 + 2] })
        let compiled = Specializations(limit: 4, f)
        let kernel = try compiled.kernel(for: [[count], [count]])
        let baseline = OptimizedTierTests.run(kernel, [x, b])
        try kernel.optimize()
        let optimized = OptimizedTierTests.run(kernel, [x, b])
        let interpreted = f([x, b]).map(\.scalars)
        #expect(baseline.status == 0 && optimized.status == 0)
        #expect(baseline.outputs.map { $0.map(\.bitPattern) } == optimized.outputs.map { $0.map(\.bitPattern) })
        #expect(baseline.outputs.map { $0.map(\.bitPattern) } == interpreted.map { $0.map(\.bitPattern) })
    }
}
