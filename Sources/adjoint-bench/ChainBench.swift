import Adjoint

/// W5 (Rosenbrock gradient and Hessian-vector product, n = 1000) and W6 (a 10,000-step scalar
/// recurrence unrolled by tracing: where setup time and code size decide).
enum ChainBench {
    static func w5(_ report: inout Report, _ data: BenchData, _ peers: WorkloadPeers) {
        let (x, n) = (data.w5x, data.w5x.shape[0])
        let setup = Measure.once { consume(compile(grad(Workloads.w5))(x).scalars[0]) }
        let g = compile(grad(Workloads.w5))
        let compiled = Measure.perCall { consume(g(x).scalars[0]) }
        let interpreted = Measure.perCall { consume(grad(Workloads.w5)(x).scalars[0]) }
        var hg = [Double](repeating: 0, count: n)
        let hand = Measure.perCall { Workloads.w5Hand(x.scalars, &hg); consume(hg[0]) }
        let ours = g(x).scalars, jax = peers.jax("W5")
        report.section("W5 rosenbrock gradient, n = 1000", check: difference(ours, hg))
        report.row("setup (trace+grad+lower+tcc)", setup, baseline: peers.run.time("jax_setup", "W5"), versus: "JAX setup")
        report.row("per call, compiled (libtcc tier)", compiled, baseline: hand, jax: jax)
        report.row("per call, interpreter", interpreted, baseline: hand)
        report.row("per call, hand-written Swift", hand)
        let optimized = Bench.optimizedRows(&report, try! g.kernel(for: [[n]]), baseline: hand, jax: jax,
                                            target: "within 3× of hand") { consume(g(x).scalars[0]) }
        peers.rows(&report, "W5", ours: [ours])
        report.summarize("W5 rosenbrock gradient n = 1000", ours: optimized ?? compiled, hand: hand, jax: jax)
        hvp(&report, data, peers, gradient: compiled)
    }

    /// Hessian-vector product, forward-over-reverse: a small constant times the gradient.
    private static func hvp(_ report: inout Report, _ data: BenchData, _ peers: WorkloadPeers, gradient: Double) {
        let (x, v, n) = (data.w5x, data.w5v, data.w5x.shape[0])
        let setup = Measure.once { consume(compile(hessianVectorProduct(Workloads.w5))(x, v).scalars[0]) }
        let hvp = compile(hessianVectorProduct(Workloads.w5))
        let compiled = Measure.perCall { consume(hvp(x, v).scalars[0]) }
        let ours = hvp(x, v).scalars, jax = peers.jax("W5_hvp")
        report.section("W5 rosenbrock Hessian-vector product H·v, n = 1000",
                       check: difference(ours, hessianVectorProduct(Workloads.w5)(x, v).scalars), reference: "interpreter")
        report.row("setup (trace+grad+jvp+lower+tcc)", setup, baseline: peers.run.time("jax_setup", "W5_hvp"), versus: "JAX setup")
        report.row("per call, compiled HVP H·v", compiled, jax: jax)
        report.note("HVP / gradient per call (libtcc tier): \(format3(compiled / gradient))×")
        let optimized = Bench.optimizedRows(&report, try! hvp.kernel(for: [[n], [n]]), baseline: nil, jax: jax) {
            consume(hvp(x, v).scalars[0])
        }
        peers.rows(&report, "W5_hvp", ours: [ours])
        report.summarize("W5 rosenbrock HVP n = 1000", ours: optimized ?? compiled, hand: nil, jax: jax)
    }

    static func w6(_ report: inout Report, _ peers: WorkloadPeers) {
        let steps = 10000
        let f = Workloads.w6(steps: steps)
        let setup = Measure.once { consume(compile(grad(f))(0.3).scalar) }
        let g = compile(grad(f))
        let compiled = Measure.perCall { consume(g(0.3).scalar) }
        var tape = [Double](repeating: 0, count: steps)
        let hand = Measure.perCall { consume(Workloads.w6Hand(0.3, steps: steps, tape: &tape)) }
        // The gradient at K = 10,000 underflows (WORKLOADS.md): checked at K = 100, the value at both.
        let short = compile(valueAndGrad(Workloads.w6(steps: 100)))(0.3)
        var t100 = [Double](repeating: 0, count: 100)
        let check = Swift.abs(short.gradient.scalar - Workloads.w6Hand(0.3, steps: 100, tape: &t100)) / 1.4206e-16
        let jax = peers.jax("W6_fori")
        report.section("W6 chain10k (10,000 traced steps, rerolled into a loop)", check: check)
        let kernel = try! g.kernel(for: [[]])
        report.note("generated C: \(kernel.source.split(separator: "\n").count) lines, \(kernel.source.utf8.count / 1024) KiB")
        report.row("setup (trace+grad+lower+tcc)", setup, target: "≤ 100 ms")
        report.row("per call, compiled (libtcc tier)", compiled, baseline: hand, jax: jax, target: "within 1.5× of hand")
        report.row("per call, hand-written Swift", hand)
        let optimized = Bench.optimizedRows(&report, kernel, baseline: hand, jax: jax, target: "within 1.5× of hand") {
            consume(g(0.3).scalar)
        }
        report.note("JAX jit of the unrolled loop does not finish (> 120 s, ../shared/peers/RESULTS.md): JAX runs "
                    + "lax.fori_loop here (a loop, not unrolled), and \"× JAX\" is against it")
        let value = compile(f)(0.3).scalar
        peers.rows(&report, "W6", jaxWorkload: "W6_fori", jaxLabel: "JAX jit lax.fori_loop", ours: [[short.value.scalar], [short.gradient.scalar], [value]])
        report.summarize("W6 chain10k (JAX: lax.fori_loop)", ours: optimized ?? compiled, hand: hand, jax: jax)
        report.summarize("W6 setup (JAX: fori_loop's first jit call)", ours: setup, hand: nil,
                         jax: peers.run.time("jax_setup", "W6_fori"))
    }
}
