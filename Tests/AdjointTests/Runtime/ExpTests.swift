import AdjointRuntime
import Testing
import TestSupport

@testable import Adjoint

#if canImport(Glibc)
import Glibc
#endif

/// Runtime/exp.c, the `exp` of every tier and of the interpreter: accurate against libm (within
/// one ulp everywhere, correctly rounded in nearly every case), exact where e^x is exact, and the
/// same bits in libtcc's code (which calls it), in the optimized tier's (which inlines and
/// vectorizes its text) and in the interpreter.
@Suite struct ExpTests {
    /// Arguments over every range the method treats alike: tiny (k = 0), moderate, large, both
    /// signs; near overflow and in the subnormal results; every table entry's neighbourhood.
    static let arguments: [Double] = {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53
        }
        var xs: [Double] = []
        for _ in 0..<40_000 {
            xs.append((uniform() * 2 - 1) * 0.02)
            xs.append((uniform() * 2 - 1) * 3)
            xs.append((uniform() * 2 - 1) * 700)
            xs.append(709 + uniform() * 0.78)
            xs.append(-708 - uniform() * 37)
        }
        return xs
    }()

    @Test func withinOneUlpOfLibmAndMostlyTheSame() {
        var worst = 0.0, worstAt = 0.0, differ = 0
        for x in Self.arguments {
            let (ours, libm) = (adj_exp(x), Glibc.exp(x))
            if ours != libm { differ += 1 }
            // Subnormal results: one ulp is the spacing of the smallest numbers.
            let e = ours == libm ? 0 : Swift.abs(ours - libm) / Swift.max(libm.magnitude.ulp, Double.leastNonzeroMagnitude)
            if e > worst { (worst, worstAt) = (e, x) }
        }
        #expect(worst <= 1, "worst \(worst) ulp at \(worstAt)")
        // Both round the same number to nearest in all but the few cases within ~0.05 ulp of a tie.
        #expect(differ * 100 <= Self.arguments.count, "\(differ) of \(Self.arguments.count) differ from libm")
    }

    @Test func exactWhereExpIsExact() {
        #expect(adj_exp(0) == 1)
        #expect(adj_exp(-0.0) == 1)
        #expect(adj_exp(.infinity) == .infinity)
        #expect(adj_exp(-.infinity).bitPattern == (0.0).bitPattern)
        #expect(adj_exp(.nan).isNaN)
        #expect(adj_exp(-.nan).isNaN)
        #expect(adj_exp(1) == M_E)
        #expect(adj_exp(Glibc.log(2.0)) == 2)
        // The edges: the largest finite result, overflow, the smallest subnormal, underflow.
        #expect(adj_exp(709.782712893384) == Glibc.exp(709.782712893384))
        #expect(adj_exp(709.79) == .infinity && adj_exp(1e300) == .infinity)
        #expect(adj_exp(-745.13) == .leastNonzeroMagnitude)
        #expect(adj_exp(-745.14) == 0 && adj_exp(-1e300) == 0)
        for x in [Double.leastNonzeroMagnitude, 1e-300, 1e-17, -1e-17] { #expect(adj_exp(x) == 1) }
        // Integers of ln 2 give powers of two, across the whole range.
        for k in stride(from: -1000, through: 1000, by: 125) {
            #expect(adj_exp(Double(k) * M_LN2) == Glibc.exp(Double(k) * M_LN2), "k = \(k)")
        }
    }

    /// Loops of exp on both tiers (the optimized one vectorizes them, the table read a gather) and
    /// in the interpreter: one set of bits, on lengths that leave every vector remainder.
    @Test(arguments: [1, 3, 8, 13, 1000])
    func everyTierGivesTheSameBits(count: Int) throws {
        let f: ([Tensor]) -> [Tensor] = { xs in [exp(xs[0] * 3 + xs[1]), grad { sum(exp(-exp($0 * 0.01))) }(xs[0])] }
        let x = Tensor(shape: [count], scalars: (0..<count).map { Self.arguments[5 * $0 + 2] / 3 })
        let b = Tensor(shape: [count], scalars: (0..<count).map { Self.arguments[5 * $0 + 1] })
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
