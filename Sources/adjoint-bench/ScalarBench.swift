import Adjoint

/// W1 (scalar gradient: where call overhead decides) and W2 (four nested elementwise gradients).
enum ScalarBench {
    static let grid = (0..<2000).map { -1.0 + 0.001 * Double($0) }

    static func w1(_ report: inout Report, _ peers: WorkloadPeers) {
        let setup = Measure.once { consume(compile(grad(Workloads.w1))(0.5).scalar) }
        let dtanh = compile(grad(Workloads.w1))
        var i = 0
        let call = { consume(dtanh(Tensor(grid[i % 2000])).scalar); i += 1 }
        let compiled = Measure.perCall(call)
        let kernel = try! dtanh.kernel(for: [[]])
        let raw = rawCalls(kernel)
        let interpreted = Measure.perCall { consume(grad(Workloads.w1)(Tensor(0.5)).scalar) }
        let hand = Measure.perCall { consume(Workloads.w1Hand(grid[i % 2000])); i += 1 }
        let ours = grid.map { dtanh(Tensor($0)).scalar }
        report.section("W1 tanh-grad (scalar)", check: difference(ours, grid.map(Workloads.w1Hand)))
        let jax = peers.jax("W1")
        report.row("setup (trace+grad+lower+tcc)", setup, baseline: peers.run.time("jax_setup", "W1"), versus: "JAX setup")
        report.row("per call, compile(grad(f))(x)", compiled, baseline: hand, jax: jax, target: "≤ 50 ns")
        report.row("per call, Kernel.run on raw buffers", raw, baseline: hand, jax: jax)
        report.row("per call, interpreter grad(f)(x)", interpreted, baseline: hand)
        report.row("per call, hand-written Swift", hand)
        let optimized = Bench.optimizedRows(&report, kernel, baseline: hand, jax: jax, call)
        peers.rows(&report, "W1", ours: [ours])
        report.summarize("W1 tanh-grad, compile(grad(f))(x)", ours: optimized ?? compiled, hand: hand, jax: jax)
        report.summarize("W1 setup (JAX: first jit call)", ours: setup, hand: nil, jax: peers.run.time("jax_setup", "W1"))
    }

    /// Kernel.run on raw buffers, 1000 calls per measured closure so the closure's own cost
    /// does not hide the kernel's.
    private static func rawCalls(_ kernel: Kernel) -> Double {
        let cells = UnsafeMutablePointer<Double>.allocate(capacity: 2)
        defer { cells.deallocate() }
        return Measure.perCall {
            var input: UnsafePointer<Double>? = UnsafePointer(cells)
            var output: UnsafeMutablePointer<Double>? = cells + 1
            for j in 0..<1000 {
                cells[0] = grid[j]
                _ = kernel.run(inputs: &input, outputs: &output, workspace: nil)
                consume(cells[1])
            }
        } / 1000
    }

    static func w2(_ report: inout Report, _ data: BenchData, _ peers: WorkloadPeers) {
        let x = data.w2x
        let setup = Measure.once { consume(compile(Workloads.w2)(x).scalars[0]) }
        let d4 = compile(Workloads.w2)
        let compiled = Measure.perCall { consume(d4(x).scalars[0]) }
        let interpreted = Measure.perCall { consume(Workloads.w2(x).scalars[0]) }
        var reference = [Double](repeating: 0, count: 200)
        let hand = Measure.perCall { Workloads.w2Hand(x.scalars, &reference); consume(reference[0]) }
        let ours = d4(x).scalars
        report.section("W2 egrad⁴ of W1's tanh on linspace(-7, 7, 200)", check: difference(ours, reference),
                       reference: "closed-form tanh'''' (the exp form cancels near |x| = 7)")
        let jax = peers.jax("W2")
        report.row("setup (trace+grad⁴+lower+tcc)", setup, baseline: peers.run.time("jax_setup", "W2"), versus: "JAX setup")
        report.row("per call, compiled (libtcc tier)", compiled, baseline: hand, jax: jax)
        report.row("per call, interpreter", interpreted, baseline: hand)
        report.row("per call, hand-written Swift (closed form)", hand)
        let optimized = Bench.optimizedRows(&report, try! d4.kernel(for: [[200]]), baseline: hand, jax: jax) {
            consume(d4(x).scalars[0])
        }
        peers.rows(&report, "W2", ours: [ours])
        report.summarize("W2 egrad⁴ tanh, 200 points", ours: optimized ?? compiled, hand: hand, jax: jax)
    }
}
