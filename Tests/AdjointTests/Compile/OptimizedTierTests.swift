import Testing
import TestSupport

@testable import Adjoint

#if canImport(Glibc)
import Glibc
#endif

/// The optimized tier: the same C built by the system compiler, loaded beside libtcc's code.
/// These tests need a C compiler (scripts/setup makes sure there is one).
@Suite(.serialized) struct OptimizedTierTests {
    /// Runs `kernel` on `args` through the raw entry point: its status and its outputs.
    static func run(_ kernel: Kernel, _ args: [Tensor]) -> (status: Int32, outputs: [[Double]]) {
        func buffer(_ values: [Double]) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(values.count, 1))
            p.initialize(from: values, count: values.count)
            return p
        }
        let counts = kernel.outputShapes.map(Shape.count)
        let inputs = args.map { buffer($0.scalars) }
        let outputs = counts.map { buffer([Double](repeating: .nan, count: $0)) }
        let workspace = buffer([Double](repeating: .nan, count: kernel.workspaceCount))
        defer { for p in inputs + outputs + [workspace] { p.deallocate() } }
        let inputTable = inputs.map { UnsafePointer<Double>?($0) }
        let outputTable = outputs.map { UnsafeMutablePointer<Double>?($0) }
        let status = kernel.run(inputs: inputTable, outputs: outputTable, workspace: workspace)
        return (status, zip(outputs, counts).map { Array(UnsafeBufferPointer(start: $0, count: $1)) })
    }

    /// Both tiers of the kernel for `args` give bit-identical results (the flags forbid any
    /// change to the arithmetic), and agree with the interpreter.
    static func expectSameResults(_ compiled: Specializations, _ interpreted: ([Tensor]) -> [Tensor],
                                  _ args: [Tensor], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let kernel = try compiled.kernel(for: args.map(\.shape))
        let before = run(kernel, args)
        #expect(!kernel.isOptimized, sourceLocation: sourceLocation)
        try kernel.optimize()
        #expect(kernel.isOptimized, sourceLocation: sourceLocation)
        let after = run(kernel, args)
        #expect(before.status == 0 && after.status == 0, sourceLocation: sourceLocation)
        // NaNs compare by NaN-ness: libtcc computes `0.0 / 0.0` at run time (the x86 default NaN
        // has its sign bit set), clang folds it to the positive one.
        func bits(_ xs: [Double]) -> [UInt64] { xs.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern } }
        for (b, a) in zip(before.outputs, after.outputs) {
            let differing = zip(bits(b), bits(a)).filter { $0 != $1 }.count
            #expect(differing == 0, "tiers differ in \(differing) of \(b.count) elements", sourceLocation: sourceLocation)
        }
        for (a, i) in zip(after.outputs, interpreted(args)) {
            let bothNaN = zip(a, i.scalars).map { $0.isNaN && $1.isNaN }
            let ours = zip(a, bothNaN).map { $1 ? 0 : $0 }, reference = zip(i.scalars, bothNaN).map { $1 ? 0 : $0 }
            #expect(relativeError(Tensor(shape: i.shape, scalars: ours), Tensor(shape: i.shape, scalars: reference)) <= 1e-12,
                    sourceLocation: sourceLocation)
        }
    }

    @Test func rosenbrockGradientLoopsSlicesAndPadding() throws {
        let f: (Tensor) -> Tensor = { x in
            let n = x.shape[0]
            let head = x[0..<(n - 1)], tail = x[1..<n]
            return sum(100 * (tail - head * head) * (tail - head * head) + (1 - head) * (1 - head))
        }
        var rng = SplitMix64(seed: 41)
        try Self.expectSameResults(compile(valueAndGrad(f)).specializations, { [valueAndGrad(f)($0[0]).value, valueAndGrad(f)($0[0]).gradient] },
                                   [rng.tensor([1000])])
    }

    @Test func libmCallsStayCalls() throws {
        // As builtins, pow(x, -1.0) would be 1.0 / x (glibc's pow differs in ~0.1 % of cases),
        // pow(x, 0.5) and sin/cos pairs would change too; -fno-builtin keeps the calls.
        let f: (Tensor) -> Tensor = { x in
            sum(pow(x, -1) + pow(x, 0.5) * pow(x, 3) + sin(x) * cos(x) + exp(x) / sqrt(x)) + Tensor(Double.nan) * 0 }
        let g: (Tensor) -> Tensor = { x in pow(x, -1) + pow(x, 0.5) + sin(x) * cos(x) + pow(x, 2.5) }
        var rng = SplitMix64(seed: 44)
        let x = rng.tensor([20_000], in: 0.5...4)
        try Self.expectSameResults(compile(grad(f)).specializations, { [grad(f)($0[0])] }, [x])
        try Self.expectSameResults(compile(g).specializations, { [g($0[0])] }, [x])
        let nan: (Tensor) -> Tensor = { x in x * Tensor(Double.nan) + x }
        try Self.expectSameResults(compile(nan).specializations, { [nan($0[0])] }, [rng.tensor([4])])
    }

    @Test func networkWithMatmulAndTensorConstants() throws {
        var rng = SplitMix64(seed: 42)
        // x and y are captured: tensor constants of the kernel, bound into the shared object.
        let x = rng.tensor([16, 4]), y = rng.tensor([16, 2])
        let loss: ([Tensor]) -> Tensor = { p in
            let h = tanh(matmul(x, p[0]) + p[1])
            let out = matmul(h, p[2]) + p[3]
            return mean((out - y) * (out - y)) + 0.01 * sum(p[0] * p[0]) + sum(softplus(p[1]))
        }
        let params = [rng.tensor([4, 6]), rng.tensor([6]), rng.tensor([6, 2]), rng.tensor([2])]
        try Self.expectSameResults(compile(grad(loss)).specializations, { grad(loss)($0) }, params)
    }

    @Test func scalarKernelAndGuards() throws {
        let f: (Tensor) -> Tensor = { x in x >= 0 ? tanh(x) * exp(-x) : x * x * x }
        let compiled = compile(grad(f))
        try Self.expectSameResults(compiled.specializations, { [grad(f)($0[0])] }, [Tensor(0.7)])
        // The guard travels into the optimized code: a negative input fails it there too.
        let kernel = try compiled.kernel(for: [[]])
        #expect(kernel.isOptimized)
        #expect(Self.run(kernel, [Tensor(-0.5)]).status == 1)
        // The public call path retraces for the other branch, and both answers stay right.
        #expect(compiled(Tensor(-0.5)).scalar == 3 * 0.25)
        #expect(compiled(Tensor(0.7)) == grad(f)(Tensor(0.7)))
    }

    @Test func optimizedSourceIsTheSameKernelBehindAnotherPrelude() throws {
        let g = compile(grad({ (x: Tensor) in sum(tanh(x) * 2) }))
        let kernel = try g.kernel(for: [[3]])
        let function = kernel.source.split(separator: "int adj_kernel", maxSplits: 1)[1]
        #expect(kernel.optimizedSource.hasSuffix(String(function)))
        #expect(kernel.optimizedSource.contains("static void (*adj_matmul)"))
        #expect(!kernel.optimizedSource.contains("extern const double"))
    }

    @Test func callsSwitchTierByThemselvesWhenTheKernelIsHot() throws {
        let f: (Tensor) -> Tensor = { x in sum(exp(-x * x) * 3) }
        let g = compile(grad(f))
        var rng = SplitMix64(seed: 43)
        let x = rng.tensorOfOnes(count: 2000)
        let expected = g(x)
        let kernel = try g.kernel(for: [[2000]])
        try #require(kernel.optimizeOnCall < 100_000, "no automatic tier-up planned (is a C compiler installed?)")
        for _ in 0..<kernel.optimizeOnCall { _ = g(x) }
        var waited = 0
        while !kernel.isOptimized && waited < 600 {  // 60 s at most, for a loaded machine
            usleep(100_000)
            waited += 1
        }
        #expect(kernel.isOptimized)
        #expect(g(x) == expected)
    }

    /// Kernels dropped before or during their background builds are freed once the queue is
    /// done with them; a kept one is switched to its build.
    @Test func backgroundBuildsDoNotKeepKernelsAlive() throws {
        struct Weak { weak var kernel: Kernel? }
        var dropped: [Weak] = []
        for round in 1...12 {
            let g = compile(grad { x in sum(sin(x * Double(round))) })
            let kernel = try g.kernel(for: [[8]])
            kernel.optimizeInBackground()
            dropped.append(Weak(kernel: kernel))
            usleep(UInt32(round % 4) * 20_000)  // some dropped while queued, some while building
        }
        let g = compile(grad { x in sum(cos(x) * x) })
        let x = Tensor(linspace: -1, 1, count: 8)
        let expected = g(x)
        let kept = try g.kernel(for: [[8]])
        kept.optimizeInBackground()
        Kernel.optimizer.sync {}  // the queue is serial: every build above has finished
        #expect(dropped.allSatisfy { $0.kernel == nil })
        #expect(kept.isOptimized)
        #expect(g(x) == expected)
    }

    @Test func largeKernelsAreNotOptimizedAutomatically() {
        #expect(Kernel.automaticTierCall(operations: 10, sourceBytes: 2_000_000) == .max)
        #expect(Kernel.automaticTierCall(operations: 10_000, sourceBytes: 2_000) == 5_000)
        #expect(Kernel.automaticTierCall(operations: 100_000_000, sourceBytes: 2_000) == 1000)
    }

    @Test func aCompilerIsInstalled() {
        // scripts/setup installs one when the toolchain's clang is not on the PATH.
        if case .failure(let error) = SystemCompiler.usable { Issue.record("\(error)") }
    }

    @Test func compilerErrorsNameTheCommandAndTheLine() throws {
        let compiler = try SystemCompiler.usable.get()
        #expect(throws: TierError.self) { _ = try compiler.build(source: "int adj_kernel(void) { return undeclared; }\n") }
        do {
            _ = try compiler.build(source: "int adj_kernel(void) { return undeclared; }\n")
        } catch {
            #expect(error.reason == .compile)
            #expect(error.description.contains("bug in Adjoint"))
            #expect(error.description.contains("undeclared"))
            #expect(error.description.contains(compiler.path))
        }
        let missing = SystemCompiler(path: "/nonexistent/cc")
        do {
            _ = try missing.build(source: "int f(void) { return 0; }\n")
            Issue.record("a missing compiler built something")
        } catch {
            #expect(error.reason == .system)
        }
    }
}

extension SplitMix64 {
    /// `count` values in [0.5, 1.5).
    mutating func tensorOfOnes(count: Int) -> Tensor {
        Tensor(shape: [count], scalars: (0..<count).map { _ in 1 + Double.random(in: -0.5..<0.5, using: &self) })
    }
}
