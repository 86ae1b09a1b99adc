import Testing
import Adjoint

@Suite struct CompileTests {
    @Test func tanhGradientCompiled() {
        let dtanh = compile(grad(SeedTests.tanhExp))
        #expect(dtanh(1.0).scalar == 0.419974341614026)
        print(dtanh.cSource(for: [[]]))
    }

    @Test func logisticRegressionCompiled() {
        let g = compile(grad(SeedTests.logisticLoss))
        var w = Tensor.zeros([3])
        for _ in 0..<100 { w -= 0.01 * g(w) }
        #expect(Swift.abs(SeedTests.logisticLoss(w).scalar - 1.0672706757870163) < 1e-12)
        print(g.cSource(for: [[3]]))
    }

    /// W6's recurrence, a few steps of it: each constant is read at many places.
    static func recurrence(_ x0: Tensor) -> Tensor {
        var x = x0
        for _ in 0..<12 { x = sin(x) * 0.9 + 0.1 * cos(x * 1.3) }
        return x
    }

    @Test func oftenReadConstantsAreDeclaredOnce() {
        let g = compile(grad(Self.recurrence))
        let source = g.cSource(for: [[]])
        let kernel = source[source.firstRange(of: "int adj_kernel")!.lowerBound...]
        // Number tokens ("-1.3" of "(-1.3)" is another constant than "1.3").
        let numbers = kernel.split { !"0123456789.-".contains($0) }
        let lines = kernel.split(separator: "\n")
        for literal in ["0.9", "0.1", "1.3"] {
            #expect(numbers.filter { $0 == literal }.count == 1, "\(literal) should appear once")
            #expect(lines.contains { $0.hasPrefix("    const double constant") && $0.hasSuffix(" = \(literal);") })
        }
        for x in [-2.0, 0.3, 1.7] {
            #expect(g(Tensor(x)).scalar == grad(Self.recurrence)(Tensor(x)).scalar)
        }
    }

    @Test func rarelyReadConstantsStayInline() {
        let g = compile(grad { x in sin(x) * 0.9 + 0.1 * cos(x * 1.3) })
        let source = g.cSource(for: [[]])
        #expect(!source.contains("const double constant"))
        #expect(source.contains("0.9") && source.contains("1.3"))
    }

    @Test func aDeclaredConstantCanBeAMatmulOperand() {
        // The one-element splat [[2]] is read by a matmul and by eight elementwise products.
        let two = Tensor(shape: [1, 1], scalars: [2])
        let f: (Tensor) -> Tensor = { x in
            var y = matmul(two, x)
            for k in 1...8 { y = y + two * sin(x * Double(k)) }
            return sum(y)
        }
        let g = compile(f)
        let source = g.cSource(for: [[1, 1]])
        #expect(source.contains("    const double constant1 = 2.0;\n"))
        #expect(source.contains("adj_matmul(&constant1, &x0, "))  // the declared constant, no block-local copy
        #expect(!source.contains("{ const double"))
        for x in [-0.4, 0.8] {
            let input = Tensor(shape: [1, 1], scalars: [x])
            #expect(g(input).scalar == f(input).scalar)
        }
    }
}

@Suite struct ParallelEmissionTests {
    /// A kernel of straight-line code (not rerollable), loops, a reduction and a guard, long enough to split.
    static func program(steps: Int) -> LoopProgram {
        let function: ([Tensor]) -> [Tensor] = { args in
            var x = args[0]
            // Two kinds of step in the Thue–Morse order, which never repeats a block three times
            // running, so that the steps are no body repeated (which would be rerolled into a
            // loop): the kernel stays long straight-line code.
            for k in 0..<steps {
                let c = 0.9 + 1e-5 * Double(k)
                x = k.nonzeroBitCount % 2 == 0 ? sin(x) * c + 0.1 * cos(x * 1.3) : cos(x) * c + 0.1 * sin(x * 1.3)
            }
            let v = sum(exp(args[1] * x) * args[1])
            return [grad { x in x >= 0 ? x * v : -x }(x), v * args[1]]
        }
        return LoopProgram(tracing: function, at: [Tensor(0.3), Tensor(linspace: -1, 1, count: 5)])
    }

    @Test func partsWriteTheSameText() {
        let program = Self.program(steps: 3000)
        #expect(program.steps.count >= CEmitter.parallelSteps)
        let emitter = CEmitter(program)
        let one = emitter.function(named: "k", parts: 1)
        #expect(one.contains("for (long k = 0; k < 5; k++)") && one.contains("return 1;"))
        for parts in [2, 3, 7] { #expect(emitter.function(named: "k", parts: parts) == one) }
        #expect(emitter.function(named: "k") == one)
    }
}
