import Adjoint
#if canImport(Glibc)
import Glibc
#endif

/// Diagnostic modes of adjoint-bench, for finding where time goes (not part of the report):
/// `--profile-w1` times raw kernel calls against the public API in tight loops, `--w6-setup`
/// times W6's setup alone five times, `--profile` splits W6's setup into its phases,
/// `--profile-w3-small` runs W3 4×3's compiled gradient in a tight loop (a call with array
/// arguments through the general path), for a profiler.
enum Profiles {
    static func run(_ arguments: [String]) -> Bool {
        if arguments.contains("--profile-w1") { w1Calls(); return true }
        if arguments.contains("--w6-setup") { w6Setup(); return true }
        if arguments.contains("--profile-lstm") {
            let d = LSTM.data(layers: 2)
            phases([d.main, d.extra], repeats: 1) { LSTM.objective(d)($0) }
            return true
        }
        if arguments.contains("--profile") {
            let small = arguments.contains("--small"), f = Workloads.w6(steps: small ? 2000 : 10000)
            phases([Tensor(0.3)], repeats: small ? 1 : 9) { f($0[0]) }
            return true
        }
        if arguments.contains("--setups") { setups(); return true }
        if arguments.contains("--profile-w3-small") { w3SmallCalls(); return true }
        if arguments.contains("--profile-w4") { w4Calls(); return true }
        if arguments.contains("--source-w2") {
            if let file = fopen("/tmp/adjoint-w2.c", "w") {
                fputs(compile(Workloads.w2).cSource(for: [[200]]), file)
                fclose(file)
            }
            return true
        }
        return false
    }

    /// W4's value and gradient in a loop on each tier, for a profiler; its C goes to
    /// /tmp/adjoint-w4.c.
    private static func w4Calls() {
        let mlp = BenchData.make().mlp
        let g = compile(valueAndGrad(MLP.loss(mlp.X, mlp.Y)))
        let kernel = try! g.kernel(for: mlp.parameters.map(\.shape))
        if let file = fopen("/tmp/adjoint-w4.c", "w") { fputs(kernel.source, file); fclose(file) }
        for tier in ["libtcc", "optimized"] {
            if tier == "optimized" { try! kernel.optimize() }
            for _ in 0..<3 {
                let t = Measure.perCall { consume(g(mlp.parameters).gradient[0].scalars[0]) }
                print("W4 \(tier)", format(seconds: t))
            }
        }
    }

    private static func w3SmallCalls() {
        let X = Tensor(shape: [4, 3], scalars: PeerStream.normal(seed: 301, count: 12))
        let t = Tensor(shape: [4], scalars: PeerStream.boolean(seed: 302, count: 4))
        let w = Tensor(shape: [3], scalars: PeerStream.normal(seed: 303, count: 3, scale: 0.1))
        let g = compile(grad(Workloads.w3, wrt: 0))
        let kernel = try! g.kernel(for: [[3], [4, 3], [4]])
        let args = [w, X, t]
        let ws = UnsafeMutablePointer<Double>.allocate(capacity: kernel.workspaceCount + 1)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 3)
        let ins: [UnsafePointer<Double>?] = args.map { a in a.withUnsafeScalars { UnsafePointer($0.baseAddress!) } }
        var outs: [UnsafeMutablePointer<Double>?] = [out]
        func stage(_ name: String, _ body: () -> Void) {
            var best = Double.infinity
            for _ in 0..<15 {
                let t0 = Measure.now()
                for _ in 0..<50_000 { body() }
                best = Swift.min(best, (Measure.now() - t0) / 50_000)
            }
            print(name, format(seconds: best))
        }
        stage("Kernel.run") { _ = kernel.run(inputs: ins, outputs: &outs, workspace: ws); consume(out[0]) }
        stage("Kernel.accepts") { consume(kernel.accepts(args) ? 1.0 : 0.0) }
        stage("Kernel(args)") { consume(kernel(args)![0].scalars[0]) }
        stage("Specializations.call") { consume(g.specializations.call(args)[0].scalars[0]) }
        stage("public call") { consume(g(w, X, t).scalars[0]) }
        for _ in 0..<3 {
            let n = 2_000_000
            let t0 = Measure.now()
            for _ in 0..<n { consume(g(w, X, t).scalars[0]) }
            print("W3 4×3 call", format(seconds: (Measure.now() - t0) / Double(n)))
        }
    }

    /// The setup of W1, W3 4×3 and W5 (trace, differentiate, lower, compile), done afresh 30
    /// times each after a first one: the report's setup rows time the first, which also pays
    /// the process's one-time work; these are the steady costs.
    private static func setups() {
        let X = Tensor(shape: [4, 3], scalars: PeerStream.normal(seed: 301, count: 12))
        let t = Tensor(shape: [4], scalars: PeerStream.boolean(seed: 302, count: 4))
        let w = Tensor(shape: [3], scalars: PeerStream.normal(seed: 303, count: 3, scale: 0.1))
        let x = Tensor(shape: [1000], scalars: (0..<1000).map { Double($0 % 7) / 7 })
        let cases: [(String, () -> Void)] = [
            ("W1 setup", { consume(compile(grad(Workloads.w1))(0.5).scalar) }),
            ("W3 4×3 setup", { consume(compile(grad(Workloads.w3, wrt: 0))(w, X, t).scalars[0]) }),
            ("W5 setup", { consume(compile(grad(Workloads.w5))(x).scalars[0]) }),
        ]
        for (name, setup) in cases {
            let first = Measure.once(setup)
            var times = (0..<30).map { _ in Measure.once(setup) }
            times.sort()
            print(name, "first", format(seconds: first), "min", format(seconds: times[0]), "median", format(seconds: times[15]))
        }
    }

    /// W1's call split into stages, each timed as the report times it (median of batches, 1000
    /// calls per measured closure): every stage adds one layer on top of the one before.
    private static func w1Calls() {
        Kernel.optimizesAutomatically = false
        let dtanh = compile(grad(Workloads.w1))
        let kernel = try! dtanh.kernel(for: [[]])
        let specializations = dtanh.specializations
        print("W1 kernel: workspace \(kernel.workspaceCount) elements, \(kernel.guardCount) guards")
        func stage(_ name: String, _ body: (Double) -> Double) {
            let t = Measure.perCall {
                var acc = 0.0
                for j in 0..<1000 { acc += body(-1.0 + 0.001 * Double(j)) }
                consume(acc)
            } / 1000
            print(name + String(repeating: " ", count: Swift.max(1, 44 - name.count)) + format(seconds: t))
        }
        let cells = UnsafeMutablePointer<Double>.allocate(capacity: 2)
        defer { cells.deallocate() }
        for tier in ["libtcc", "optimized"] {
            if tier == "optimized" { try! kernel.optimize() }
            print("-- \(tier) tier")
            stage("hand-written Swift") { Workloads.w1Hand($0) }
            stage("Kernel.run on raw buffers") { v in
                var input: UnsafePointer<Double>? = UnsafePointer(cells)
                var output: UnsafeMutablePointer<Double>? = cells + 1
                cells[0] = v
                _ = kernel.run(inputs: &input, outputs: &output, workspace: nil)
                return cells[1]
            }
            stage("Tensor(x).scalar (make, read, destroy)") { Tensor($0).scalar }
            stage("Kernel.call(Tensor) (package)") { kernel.call(Tensor($0))!.scalar }
            stage("Specializations.call(Tensor) (package)") { specializations.call(Tensor($0)).scalar }
            stage("compile(grad(f))(x), public") { dtanh(Tensor($0)).scalar }
        }
    }

    private static func w6Setup() {
        if let file = fopen("/tmp/adjoint-w6.c", "w") {
            fputs(try! compile(grad(Workloads.w6(steps: 10000))).kernel(for: [[]]).source, file)
            fclose(file)
        }
        let f = Workloads.w6(steps: 10000)
        for _ in 0..<5 {
            let t = Measure.now()
            consume(compile(grad(f))(0.3).scalar)
            print("w6 setup", format(seconds: Measure.now() - t))
        }
    }

    /// Setup split into its phases, for W6 (`--profile`) or the LSTM with l = 2 (`--profile-lstm`):
    /// each repeat's figures, then the least and the median of each phase over the repeats.
    private static func phases(_ x: [Tensor], repeats: Int, _ f: @escaping ([Tensor]) -> Tensor) {
        var laps: [(name: String, seconds: [Double])] = []
        for _ in 0..<repeats {
            var t = Measure.now(), phase = 0
            func lap(_ s: String) {
                let n = Measure.now()
                print(s, format(seconds: n - t))
                if laps.count == phase { laps.append((s, [])) }
                laps[phase].seconds.append(n - t)
                (t, phase) = (n, phase + 1)
            }
            var inner = Staging.trace(x) { [f($0)] }
            lap("trace f only")
            let g = inner.graph.reverse(output: inner.outputs[0], seed: inner.graph.constant(1), wrt: inner.inputs)
            lap("reverse only")
            inner.outputs = [inner.outputs[0]] + g
            _ = Staging.bind(inner, to: x)
            lap("interpret")
            let traced = Staging.trace(x) { grad(f)($0) }
            lap("trace+grad+inline")
            let program = LoopProgram(lowering: traced)
            lap("lower")
            let emitter = CEmitter(program)
            lap("emitter init")
            let body = emitter.function(named: "adj_kernel")
            lap("emit function")
            let source = Kernel.source(for: program).text
            lap("emit (all)")
            _ = body
            _ = try! Kernel(program: program)
            lap("emit again + tcc (Kernel)")
            print(traced.graph.count, "nodes,", program.graph.count, "live,", source.utf8.count, "bytes,",
                  program.steps.count, "steps,", program.rerolls.count, "rerolled runs")
            if let file = fopen("/tmp/adjoint-profile.c", "w") { fputs(source, file); fclose(file) }
        }
        guard repeats > 1 else { return }
        print("\nover \(repeats) repeats: least, median")
        for (name, seconds) in laps {
            let sorted = seconds.sorted()
            print("  \(name): \(format(seconds: sorted[0])), \(format(seconds: sorted[sorted.count / 2]))")
        }
    }
}
