import Dispatch
import Synchronization
import Testing
@testable import Adjoint

/// Calls on rank-0 arguments take the numbers path (`Specializations.callScalars`): the kernel
/// that ran last, then the others, without a lock. It must give what the interpreter gives,
/// still check every guard, tell shapes apart and count calls for the tier-up.
@Suite struct ScalarCallTests {
    static func branchy(_ x: Tensor) -> Tensor { x > 0 ? x * x * 3 : sin(x) - x }
    static func expected(_ x: Double) -> Double { x > 0 ? 6 * x : Adjoint.cos(Tensor(x)).scalar - 1 }

    @Test func guardsStillDecideWhichKernelRuns() {
        let g = compile(grad(Self.branchy))
        for i in 0..<40 {
            let x = i % 2 == 0 ? 0.5 + Double(i) : -0.25 - Double(i)
            #expect(g(Tensor(x)) == grad(Self.branchy)(Tensor(x)))
            #expect(Swift.abs(g(Tensor(x)).scalar - Self.expected(x)) < 1e-12)
        }
        #expect(g.kernels.count == 2)
        #expect(g.kernels.allSatisfy { $0.guardCount == 1 })
    }

    @Test func scalarAndArrayShapesAlternate() {
        let f: (Tensor) -> Tensor = { x in sum(x * x) }
        let g = compile(grad(f))
        for i in 0..<20 {
            let s = Tensor(Double(i))
            let v = Tensor([Double(i), 1, -2])
            let one = Tensor(shape: [1], scalars: [Double(i)])
            #expect(g(s) == Tensor(2 * Double(i)))
            #expect(g(v) == Tensor([2 * Double(i), 2, -4]))
            #expect(g(one) == Tensor(shape: [1], scalars: [2 * Double(i)]))
        }
        #expect(Set(g.kernels.map(\.inputShapes)) == [[[]], [[3]], [[1]]])
    }

    /// A scalar argument whose result is not rank 0 passes over the numbers path.
    @Test func scalarArgumentsWithArrayResults() {
        let g = compile { (x: Tensor) in stack([x, x * 2, x * x]) }
        #expect(g(Tensor(3)) == Tensor([3, 6, 9]))
        #expect(g(Tensor(-1)) == Tensor([-1, -2, 1]))
        let vg = compile(valueAndGrad { (x: Tensor) in x * x * x })
        let r = vg(Tensor(2))
        #expect(r.value == Tensor(8) && r.gradient == Tensor(12))
    }

    @Test func severalScalarArgumentsAndResults() {
        let f2 = compile { (a: Tensor, b: Tensor) in a * b + sin(a) }
        let f3 = compile { (a: Tensor, b: Tensor, c: Tensor) in a * b - c }
        let f4 = compile { (a: Tensor, b: Tensor, c: Tensor, d: Tensor) in a * b - c / d }
        let vg = compile(valueAndGrad({ (a: Tensor, b: Tensor) in a * a * b }, wrt: 0))
        let vg3 = compile(valueAndGrad({ (a: Tensor, b: Tensor, c: Tensor) in a * b * c }, wrt: 2))
        for i in 0..<10 {
            let a = Tensor(Double(i) * 0.5), b = Tensor(2 - Double(i))
            #expect(f2(a, b) == a * b + sin(a))
            #expect(f3(a, b, Tensor(1)) == a * b - 1)
            #expect(f4(a, b, Tensor(1), Tensor(4)) == a * b - 0.25)
            let r = vg(a, b)
            #expect(r.value == a * a * b && r.gradient == 2 * a * b)
            let r3 = vg3(a, b, Tensor(3))
            #expect(r3.value == a * b * 3 && r3.gradient == a * b)
        }
        // Mixed ranks go the general way; a vector among scalars is not read as a number.
        #expect(f2(Tensor([1, 2]), Tensor(3)) == Tensor([1, 2]) * 3 + sin(Tensor([1, 2])))
        #expect(f2.kernels.count == 2)
    }

    /// Inside a transform the arguments are traced: the function is recorded, not run.
    @Test func tracedScalarArgumentsAreRecorded() {
        let g = compile { (x: Tensor) in x * x * x }
        _ = g(Tensor(1))
        #expect(grad { x in g(x) }(Tensor(2)).scalar == 12)
        #expect(grad { x in compile { (a: Tensor, b: Tensor) in a * b }(x, x) }(Tensor(3)).scalar == 6)
    }

    @Test func theNumbersPathCountsCallsForTheTierUp() throws {
        let g = compile(grad(SeedTests.tanhExp))
        _ = g(Tensor(0.1))
        let kernel = try g.kernel(for: [[]])
        let before = kernel.entry.pointee.calls.load(ordering: .relaxed)
        for i in 0..<50 { _ = g(Tensor(Double(i) / 50)) }
        #expect(kernel.entry.pointee.calls.load(ordering: .relaxed) == Swift.min(before + 50, kernel.optimizeOnCall))
    }

    /// Many threads calling one compiled function at once, with scalar and vector arguments on
    /// both sides of its branch: every answer is the interpreter's, and one kernel per case.
    @Test func manyThreadsAlternateShapesAndBranches() {
        let g = compile(grad { (x: Tensor) in sum(x) > 0 ? sum(x * x * 3) : sum(sin(x) - x) })
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<400 {
                let x = (Double((i + t) % 7) - 3.2) * 0.3
                let argument = (i + t) % 3 == 0 ? Tensor([x, x]) : Tensor(x)
                let result = g(argument)
                let ok = result.shape == argument.shape
                    && result.scalars.allSatisfy { Swift.abs($0 - Self.expected(x)) < 1e-12 }
                if !ok { wrong.add(1, ordering: .relaxed) }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
        #expect(g.kernels.count == 4)
    }
}
