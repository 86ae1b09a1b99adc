import AdjointCheck
import Testing
import TestSupport

@testable import Adjoint

/// Rerolling (Lower/Reroll.swift): a traced loop over scalars, and its reverse pass, compile to a
/// C loop with the body once. The kernel must agree with the interpreter (1e-12) at every trip
/// count, both tiers bit for bit, and the C must stay small whatever the count.
@Suite(.serialized) struct RerollTests {
    static func chain(_ steps: Int) -> (Tensor) -> Tensor {
        { x0 in
            var x = x0
            for _ in 0..<steps { x = sin(x) * 0.9 + 0.1 * cos(x * 1.3) }
            return x
        }
    }

    static func program(_ shapes: [[Int]], _ f: @escaping ([Tensor]) -> [Tensor]) -> LoopProgram {
        LoopProgram(tracing: f, at: shapes.map(Tensor.zeros))
    }

    static func expectAgreement(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
        let compiled = compile(valueAndGrad(f))(x), interpreted = valueAndGrad(f)(x)
        #expect(relativeError(compiled.value, interpreted.value) <= 1e-12, sourceLocation: sourceLocation)
        #expect(relativeError(compiled.gradient, interpreted.gradient) <= 1e-12, sourceLocation: sourceLocation)
    }

    @Test func theLongChainIsTwoLoopsOfSmallC() throws {
        let f = Self.chain(10000)
        let p = Self.program([[]]) { x in [grad(f)(x[0])] }
        #expect(p.rerolls.count == 2, "the forward steps and the reverse steps")
        #expect(p.rerolls.allSatisfy { $0.count >= 9990 })
        let source = compile(grad(f)).cSource(for: [[]])
        #expect(source.utf8.count - Prelude.text.utf8.count < 20_000, "C of \(source.utf8.count) bytes")
        Self.expectAgreement(f, at: Tensor(0.3))
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 100, 1001])
    func everyTripCountAgrees(steps: Int) {
        Self.expectAgreement(Self.chain(steps), at: Tensor(0.3))
        Self.expectAgreement(Self.chain(steps), at: Tensor(-1.7))
    }

    @Test func bothTiersGiveTheSameBits() throws {
        let f = Self.chain(500)
        try OptimizedTierTests.expectSameResults(compile(valueAndGrad(f)).specializations, { x in
            let r = valueAndGrad(f)(x[0])
            return [r.value, r.gradient]
        }, [Tensor(0.4)])
    }

    /// A Swift loop over an array's numbers: each step's number is a different constant, read
    /// from a table (a tensor constant of the kernel) in the forward loop and, backwards, in the
    /// reverse one; the C stays small, the tiers agree bit for bit, and the standalone file
    /// carries the tables as static arrays.
    @Test func aLoopOverNumbersReadsThemFromATable() throws {
        let numbers = (0..<3000).map { 0.3 + Double($0 % 17) / 17 }  // never 1 (x · 1 would fold)
        let f: (Tensor) -> Tensor = { x0 in
            var x = x0
            for t in numbers { x = sin(x) * 0.9 + 0.1 * cos(x * t) }
            return x
        }
        let p = Self.program([[]]) { x in [grad(f)(x[0])] }
        #expect(p.rerolls.count == 2, "\(p.rerolls.map { ($0.period, $0.count, $0.tables.count) })")
        #expect(p.rerolls.allSatisfy { !$0.tables.isEmpty })
        let source = compile(grad(f)).cSource(for: [[]])
        #expect(source.utf8.count - Prelude.text.utf8.count < 20_000, "C of \(source.utf8.count) bytes")
        Self.expectAgreement(f, at: Tensor(0.3))
        try OptimizedTierTests.expectSameResults(compile(valueAndGrad(f)).specializations, { x in
            let r = valueAndGrad(f)(x[0])
            return [r.value, r.gradient]
        }, [Tensor(0.4)])
        let standalone = Standalone.file(for: p, kernelName: "k", summary: [], inputs: [], outputs: [])
        #expect(standalone.contains("static const double adj_data"))
    }

    @Test func twoCarriedValuesAndAnInvariant() {
        // A damped oscillator stepped by hand: two values carried, one computed before the loop.
        let f: (Tensor) -> Tensor = { k in
            let h = 0.01 * exp(-k * k)
            var (x, v) = (Tensor(1.0), Tensor(0.0))
            for _ in 0..<300 {
                let a = -k * x - 0.1 * v
                (x, v) = (x + h * v, v + h * a)
            }
            return x * x + v
        }
        let p = Self.program([[]]) { x in [grad(f)(x[0])] }
        #expect(!p.rerolls.isEmpty)
        Self.expectAgreement(f, at: Tensor(2.0))
    }

    @Test(arguments: [3, 5, 50, 400])
    func sineAndCosineOfOneValueInTheBody(steps: Int) {
        // sin x and cos x of one step are one sincos call; a run never cuts the pair in two,
        // whatever statement its iterations start at.
        let f: (Tensor) -> Tensor = { x0 in
            var (x, y) = (x0, x0 * 0.5)
            for _ in 0..<steps { (x, y) = (cos(x) * 0.5 + sin(x) * 0.3 + y * 0.1, sin(y) * 0.7 + cos(x) * 0.2) }
            return x + y
        }
        Self.expectAgreement(f, at: Tensor(0.8))
        let p = Self.program([[]]) { x in [grad(f)(x[0])] }
        #expect(steps < 50 || !p.rerolls.isEmpty, "long loops are rerolled")
    }

    @Test func aBranchInsideTheLoopAgrees() {
        // A guard per step whose branch changes along the way: the runs break where it does.
        let f: (Tensor) -> Tensor = { x0 in
            var x = x0
            for _ in 0..<60 {
                if x > 0.5 { x = x * 0.8 + 0.05 } else { x = sin(x) + 0.3 }
            }
            return x
        }
        Self.expectAgreement(f, at: Tensor(3.0))
        Self.expectAgreement(f, at: Tensor(0.1))
    }

    @Test func aLoopBesideVectorWorkAgrees() {
        // The scalar loop's result feeds a vector loop, and a vector reduction feeds the loop.
        let f: (Tensor) -> Tensor = { v in
            var s = sum(v * v)
            for _ in 0..<50 { s = tanh(s) * 1.1 + 0.01 * s }
            return sum(sin(v) * s)
        }
        var rng = SplitMix64(seed: 5)
        let v = rng.tensor([16])
        let compiled = compile(grad(f))(v), interpreted = grad(f)(v)
        #expect(relativeError(compiled, interpreted) <= 1e-12)
    }
}

/// Random programs (AdjointCheck) ending in a loop of 100 steps around a body drawn from the
/// generator's elementwise opcodes: the four-way check passes on both tiers, and the scalar
/// loops among them are rerolled.
@Suite struct RerollRandomProgramTests {
    @Test(arguments: 0..<4)
    func loopsInRandomProgramsAgree(slice: Int) {
        var rerolled = 0
        for seed in UInt64(slice * 12)..<UInt64(slice * 12 + 12) {
            var rng = SplitMix64(seed: seed)
            var program = RandomProgram.random(length: 3, using: &rng)
            // Even seeds: 100 steps on r0, the input's scalar (5 registers back from the newest), a
            // loop of statements. Odd seeds: any registers (vector loops) and any trip count.
            let scalar = seed % 2 == 0
            let loop = RandomProgram.Instruction(opcode: .loop, a: scalar ? 5 : Int.random(in: 0..<4, using: &rng),
                                                 b: scalar ? 5 : Int.random(in: 0..<6, using: &rng),
                                                 parameter: scalar ? 3 + 4 * Int(seed / 2 % 2) : Int.random(in: 0..<6, using: &rng))
            program.instructions.append(loop)
            program.instructions.append(RandomProgram.Instruction(opcode: .sin, a: 0, b: 0, parameter: 0))
            let failures = ProgramCheck(program: program, seed: seed, optimizedTier: seed % 4 == 0).run()
            #expect(failures.isEmpty, "\(program)\n\(failures)")
            let p = LoopProgram(tracing: { x in [grad { sum(program($0)) }(x[0])] }, at: [Tensor.zeros([RandomProgram.inputCount])])
            if !p.rerolls.isEmpty { rerolled += 1 }
        }
        #expect(rerolled >= 6, "\(rerolled) of 12 programs had a rerolled run (6 have a loop of 100 scalar steps)")
    }

    /// Random programs ending in a loop of 100 steps over a register that may be a vector (the
    /// body elementwise on it): the four-way check passes, and the vector loops among them are
    /// rerolled inside their loop over the elements.
    @Test(arguments: 0..<2)
    func vectorLoopsInRandomProgramsAgree(slice: Int) {
        var inLoops = 0
        for seed in UInt64(100 + slice * 12)..<UInt64(100 + slice * 12 + 8) {
            var rng = SplitMix64(seed: seed)
            var program = RandomProgram.random(length: 3, using: &rng)
            let loop = RandomProgram.Instruction(opcode: .loop, a: Int.random(in: 0..<4, using: &rng), b: Int.random(in: 0..<6, using: &rng),
                                                 parameter: 3 + 4 * Int.random(in: 0..<3, using: &rng))
            program.instructions.append(loop)
            program.instructions.append(RandomProgram.Instruction(opcode: .sin, a: 0, b: 0, parameter: 0))
            let failures = ProgramCheck(program: program, seed: seed, optimizedTier: seed % 4 == 0).run()
            #expect(failures.isEmpty, "\(program)\n\(failures)")
            let p = LoopProgram(tracing: { x in [grad { sum(program($0)) }(x[0])] }, at: [Tensor.zeros([RandomProgram.inputCount])])
            if p.rerolls.contains(where: { $0.loop != nil }) { inLoops += 1 }
        }
        #expect(inLoops >= 4, "\(inLoops) of 8 programs had a run inside a loop's body")
    }
}
