import Testing
import Adjoint

/// Plain Swift control flow on tensor values: every function runs interpreted and compiled, and
/// the compiled one is called on inputs that take every path, in several orders.
@Suite struct ControlFlowTests {
    static func piecewise(_ x: Tensor) -> Tensor {
        if x >= 0 { return x * x } else { return -x * x * x }
    }

    /// exp by its power series, a fixed number of terms (a `for` loop).
    static func expSeries(_ x: Tensor) -> Tensor {
        var sum: Tensor = 1, term: Tensor = 1
        for k in 1..<20 { term = term * x / Double(k); sum = sum + term }
        return sum
    }

    /// The same series summed while the terms matter (a `while` loop on the value).
    static func expUntilSmall(_ x: Tensor) -> Tensor {
        var sum: Tensor = 1, term: Tensor = 1, k = 1.0
        while abs(term) > 1e-12 { term = term * x / k; sum = sum + term; k += 1 }
        return sum
    }

    static func halving(_ x: Tensor) -> Tensor { x > 1 ? halving(x / 2) + 1 : x * x }

    /// HIPS autograd's Taylor sine example.
    static func taylorSine(_ x: Tensor) -> Tensor {
        var ans = x, term = x, i = 0.0
        while abs(term) > 0.001 {
            term = -term * x * x / ((2 * i + 3) * (2 * i + 2))
            ans = ans + term
            i += 1
        }
        return ans
    }

    @Test func piecewiseTakesEveryBranchInEveryOrder() {
        let compiled = compile(grad(Self.piecewise))
        for order in [[2.0, -1.5, 0.0, 3.0, -0.5], [-1.5, 2.0, -0.5, 0.0, 3.0]] {
            for x in order {
                let expected = x >= 0 ? 2 * x : -3 * x * x
                #expect(grad(Self.piecewise)(Tensor(x)).scalar == expected)
                #expect(compiled(Tensor(x)).scalar == expected)
            }
        }
        #expect(compiled.kernels.count == 2)
        #expect(compiled.kernels.allSatisfy { $0.guardCount == 1 })
    }

    @Test func loopsWithFixedAndValueDependentTripCounts() {
        let fixed = compile(grad(Self.expSeries)), untilSmall = compile(grad(Self.expUntilSmall))
        for x in [0.5, -1.0, 2.0, 0.5, -1.0] {
            let exact = Foundation_exp(x)
            #expect(Swift.abs(fixed(Tensor(x)).scalar - exact) < 1e-9 * exact)
            #expect(Swift.abs(untilSmall(Tensor(x)).scalar - exact) < 1e-10 * exact)
            #expect(untilSmall(Tensor(x)) == grad(Self.expUntilSmall)(Tensor(x)))
        }
        #expect(fixed.kernels.count == 1)
        #expect(untilSmall.kernels.count == 3)
    }

    @Test func recursionOnTheValue() {
        let compiled = compile(grad(Self.halving))
        for (x, expected) in [(5.0, 0.15625), (0.5, 1.0), (3.0, 0.375), (5.0, 0.15625)] {
            #expect(grad(Self.halving)(Tensor(x)).scalar == expected)
            #expect(compiled(Tensor(x)).scalar == expected)
        }
    }

    @Test func taylorSineMatchesAutograd() {
        let compiled = compile(grad(Self.taylorSine))
        for (x, autograd) in [(Double.pi, -0.9998995297042174), (0.5, 0.8776041666666666), (2.0, -0.4161552028218699)] {
            #expect(Swift.abs(grad(Self.taylorSine)(Tensor(x)).scalar - autograd) < 1e-15)
            #expect(Swift.abs(compiled(Tensor(x)).scalar - autograd) < 1e-15)
        }
    }

    @Test func aStaleBranchIsNeverReused() {
        // Two branches with different gradients, alternated thousands of times.
        let compiled = compile(grad(Self.piecewise))
        var wrong = 0
        for i in 0..<4000 {
            let x = i % 2 == 0 ? 1.5 : -1.5
            let got = compiled(Tensor(x)).scalar
            if got != (x >= 0 ? 3.0 : -6.75) { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(compiled.kernels.count == 2)
    }

    @Test func specializationsAreBoundedAndFallBackToTheInterpreter() {
        let compiled = compile(grad(Self.expUntilSmall), maxSpecializations: 2)
        for x in [0.1, 1.0, 5.0, 20.0] {
            #expect(Swift.abs(compiled(Tensor(x)).scalar - Foundation_exp(x)) < 1e-9 * Foundation_exp(x))
        }
        #expect(compiled.kernels.count == 2)
        #expect(compiled.fallbackReason?.contains("interpreted") == true)
    }

    @Test func whereStaysBranchFree() {
        let f: (Tensor) -> Tensor = { x in sum(`where`(x .>= 0, x * x, -x * x * x)) }
        let compiled = compile(grad(f))
        let x: Tensor = [2, -1, 0.5, -3]
        #expect(compiled(x) == [4, -3, 1, -27])
        #expect(compiled(-x) == [-12, 2, -0.75, 6])
        #expect(compiled.kernels.count == 1 && compiled.kernels[0].guardCount == 0)
    }

    @Test func guardsOfNestedTransformsReachTheCompiledKernel() {
        // The branch is taken inside grad, which runs inside compile: the guard must travel up.
        let compiled = compile(grad(grad(Self.piecewise)))
        #expect(compiled(Tensor(2)).scalar == 2)
        #expect(compiled(Tensor(-1)).scalar == 6)
        #expect(compiled(Tensor(2)).scalar == 2)
    }
}
