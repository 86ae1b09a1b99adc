import Testing
import TestSupport

@testable import Adjoint

/// Rerolling inside a loop's body (Lower/Reroll.swift, `Reroll.loop`): a Swift loop over vector
/// steps (an LSTM's time steps, each elementwise on its hidden vector) fuses into one C loop
/// over the vector's elements whose body repeats per step; it becomes an inner loop over the
/// steps, the forward pass's values in tapes of steps × elements, the reverse pass a loop
/// backwards reading them, each step's data from a table. The kernel agrees with the
/// interpreter at every trip count, both tiers bit for bit, and the C does not grow with the steps.
@Suite(.serialized) struct LoopRerollTests {
    static let width = 6

    /// A recurrence of `steps` on a vector with gates, a sequence of data vectors (one constant a
    /// step), a per-step reduction (a log-sum-exp) and an accumulated loss: the LSTM's shape.
    static func recurrence(_ steps: Int) -> ([Tensor]) -> Tensor {
        let sequence = (0..<(steps + 1)).map { t in
            Tensor(shape: [width], scalars: (0..<width).map { Double(($0 * 7 + t * 3) % 5) / 4 })
        }
        return { p in
            let (w, h0) = (p[0], p[1])
            var (h, c, total) = (h0, h0 * 0.5, Tensor(0.0))
            for t in 0..<steps {
                let x = sequence[t] * w[0..<width]
                let gate = 1 / (1 + exp(-(x + h * w[width..<(2 * width)])))
                c = c * gate + (1 - gate) * tanh(x - h)
                h = tanh(c) * gate
                total = total + sum(sequence[t + 1] * (h - log(sum(exp(h)) + 1)))
            }
            return -total / Double(steps * width)
        }
    }

    static let parameters = [Tensor(shape: [2 * width], scalars: (0..<(2 * width)).map { 0.3 - 0.07 * Double($0) }),
                             Tensor(shape: [width], scalars: (0..<width).map { 0.1 * Double($0) - 0.2 })]

    static func program(_ f: @escaping ([Tensor]) -> Tensor) -> LoopProgram {
        LoopProgram(tracing: { x in grad(f)(x) }, at: parameters.map { Tensor.zeros($0.shape) })
    }

    static func expectAgreement(_ f: @escaping ([Tensor]) -> Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
        let compiled = compile(valueAndGrad(f))(parameters), interpreted = valueAndGrad(f)(parameters)
        #expect(relativeError(compiled.value, interpreted.value) <= 1e-12, sourceLocation: sourceLocation)
        for (c, i) in zip(compiled.gradient, interpreted.gradient) {
            #expect(relativeError(c, i) <= 1e-12, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 9, 100])
    func everyTripCountAgrees(steps: Int) {
        Self.expectAgreement(Self.recurrence(steps))
    }

    @Test func theForwardAndReverseStepsAreLoopsInsideTheElementLoop() throws {
        let p = Self.program(Self.recurrence(300))
        let inLoops = p.rerolls.filter { $0.loop != nil }
        #expect(inLoops.count >= 2, "\(p.rerolls.map { ($0.loop, $0.period, $0.count) })")
        #expect(inLoops.allSatisfy { $0.count >= 290 })
        // The per-step data is read from tables, the reverse run reads the forward run's tapes
        // backwards, and each step's sum is a tape of numbers.
        #expect(inLoops.contains { !$0.tables.isEmpty })
        #expect(inLoops.contains { $0.strides.values.contains(-1) })
        #expect(inLoops.contains { run in run.tapes.contains { p.graph[run.nodes[$0.position]].shape.isEmpty } })
        // The tables replaced the steps' constants: only a few tensor constants are left.
        #expect(p.dataArrays.count < 10, "\(p.dataArrays.count) data arrays")
    }

    @Test func theCDoesNotGrowWithTheSteps() throws {
        func size(_ steps: Int) throws -> Int {
            try compile(valueAndGrad(Self.recurrence(steps))).kernel(for: Self.parameters.map(\.shape)).source.utf8.count
        }
        let (short, long) = (try size(200), try size(800))
        #expect(long < 40_000, "C of \(long) bytes for 800 steps")
        #expect(Double(long) < 1.1 * Double(short), "\(short) bytes for 200 steps, \(long) for 800")
        let source = try compile(valueAndGrad(Self.recurrence(800))).kernel(for: Self.parameters.map(\.shape)).source
        #expect(source.contains("iterations of one body of"))
        #expect(source.contains("for (long i = 0; i < "))
    }

    @Test func bothTiersGiveTheSameBits() throws {
        let f = Self.recurrence(120)
        try OptimizedTierTests.expectSameResults(compile(valueAndGrad(f)).specializations, { x in
            let r = valueAndGrad(f)(x)
            return [r.value] + r.gradient
        }, Self.parameters)
    }

    /// Values of the run read after it by readers in the same loop (the last step's hidden state,
    /// and a middle step's), and reshapes of each step's state read by a loop of another shape:
    /// through the tapes, by the reshapes' roots, the same numbers.
    @Test func readsAfterTheRunAndThroughReshapesAgree() {
        let f: ([Tensor]) -> Tensor = { p in
            var (h, middle, total) = (p[1], p[1], Tensor(0.0))
            let weights = p[0][0..<Self.width].reshaped([2, Self.width / 2])
            for t in 0..<60 {
                h = tanh(h * p[0][0..<Self.width] + 0.1)
                total = total + sum(h.reshaped([2, Self.width / 2]) * weights)
                if t == 30 { middle = h }
            }
            return sum(h * middle + exp(h)) + total
        }
        Self.expectAgreement(f)
        let p = Self.program(f)
        #expect(p.rerolls.contains { $0.loop != nil }, "\(p.rerolls.map { ($0.loop, $0.period, $0.count) })")
    }
}
