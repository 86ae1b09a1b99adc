import Testing
import TestSupport
import Adjoint

/// `CompiledFunction.map`: one compiled function over a batch of argument sets on many threads,
/// with the results of calling it one set at a time, in order.
@Suite struct BatchTests {
    @Test(arguments: [1, 2, 7])
    func oneTensorAndABranch(threads: Int) {
        // A guard: inputs on both sides of 0 need two kernels, compiled by whichever thread meets them.
        let f: (Tensor) -> Tensor = { x in sum(x) > 0 ? sum(sin(x) * x) : sum(exp(x)) }
        let compiled = compile(grad(f))
        let batch = (0..<200).map { k in Tensor([Double(k % 7) - 3, 0.5, Double(k) / 100]) }
        let results = compiled.map(batch, threads: threads)
        #expect(results.count == batch.count)
        for (x, r) in zip(batch, results) { #expect(r.scalars == grad(f)(x).scalars) }
        #expect(compiled.kernels.count == 2)
    }

    @Test func pairsAndValueAndGradient() {
        let f: (Tensor, Tensor) -> Tensor = { w, x in sum(tanh(matmul(x, w))) }
        let compiled = compile(valueAndGrad(f))
        var rng = SplitMix64(seed: 3)
        let batch = (0..<64).map { _ in (rng.tensor([3]), rng.tensor([4, 3])) }
        let results = compiled.map(batch)
        for ((w, x), r) in zip(batch, results) {
            let expected = compiled(w, x)
            #expect(r.value.scalars == expected.value.scalars && r.gradient.scalars == expected.gradient.scalars)
        }
    }

    @Test func parameterLists() {
        let f: ([Tensor]) -> Tensor = { p in sum(p[0] * p[0]) + sum(p[1]) * p[0][0] }
        let compiled = compile(valueAndGrad(f))
        let batch: [[Tensor]] = (0..<50).map { k in [Tensor([Double(k), 1]), Tensor(shape: [1, 2], scalars: [2, Double(-k)])] }
        for (p, r) in zip(batch, compiled.map(batch, threads: 3)) {
            let expected = compiled(p)
            #expect(r.value.scalar == expected.value.scalar)
            #expect(r.gradient.map { $0.scalars } == expected.gradient.map { $0.scalars })
        }
    }

    @Test func pushforwardsAndEmptyBatches() {
        let compiled = compile(jvp { x in sin(x) * x })
        let batch = (0..<20).map { k in (Tensor([Double(k), 1]), Tensor([1, 0.5])) }
        for ((x, v), r) in zip(batch, compiled.map(batch)) {
            #expect(r.tangent.scalars == compiled(x, v).tangent.scalars)
        }
        #expect(compile { (x: Tensor) in x * 2 }.map([]).isEmpty)
    }
}
