import Adjoint

/// W3 (logistic regression, 4×3 and 10000×100) and W4 (MLP value and gradient): the dense
/// workloads, where matrix products and passes over the data decide.
enum DenseBench {
    static func w3(_ report: inout Report, _ data: BenchData, _ peers: WorkloadPeers) {
        for r in data.w3 { w3(&report, r, peers) }
    }

    private static func w3(_ report: inout Report, _ r: BenchData.Regression, _ peers: WorkloadPeers) {
        let (X, t, w) = (r.X, r.t, r.w)
        let (n, d) = (X.shape[0], X.shape[1])
        let setup = Measure.once { consume(compile(grad(Workloads.w3, wrt: 0))(w, X, t).scalars[0]) }
        let g = compile(grad(Workloads.w3, wrt: 0))
        let compiled = Measure.perCall { consume(g(w, X, t).scalars[0]) }
        let interpreted = Measure.perCall { consume(grad(Workloads.w3, wrt: 0)(w, X, t).scalars[0]) }
        var hg = [Double](repeating: 0, count: d), dz = [Double](repeating: 0, count: n)
        let hand = Measure.perCall { Workloads.w3Hand(w.scalars, X.scalars, t.scalars, &hg, &dz); consume(hg[0]) }
        let kernel = try! g.kernel(for: [[d], [n, d], [n]])
        let ours = g(w, X, t).scalars
        let workload = "W3_\(r.tag)", jax = peers.jax(workload)
        let target = n == 4 ? nil : "< 1.0× JAX"
        report.section("W3 logreg \(r.label)", check: difference(ours, hg))
        report.row("setup (trace+grad+lower+tcc)", setup, baseline: peers.run.time("jax_setup", workload), versus: "JAX setup")
        report.row("per call, compiled (libtcc tier)", compiled, baseline: hand, jax: jax, target: target)
        report.row("per call, interpreter", interpreted, baseline: hand)
        report.row("per call, hand-written Swift", hand)
        let optimized = Bench.optimizedRows(&report, kernel, baseline: hand, jax: jax, target: target) {
            consume(g(w, X, t).scalars[0])
        }
        report.note("workspace: \(kernel.workspaceCount) doubles = \(format3(Double(kernel.workspaceCount) / Double(n))) × N")
        peers.rows(&report, workload, ours: [ours])
        report.summarize("W3 logreg \(r.label)", ours: optimized ?? compiled, hand: hand, jax: jax)
    }

    static func w4(_ report: inout Report, _ data: BenchData, _ peers: WorkloadPeers) {
        let mlp = data.mlp
        let loss = MLP.loss(mlp.X, mlp.Y)
        let setup = Measure.once { consume(compile(valueAndGrad(loss))(mlp.parameters).value.scalar) }
        let g = compile(valueAndGrad(loss))
        let compiled = Measure.perCall { consume(g(mlp.parameters).gradient[0].scalars[0]) }
        var grads: [[Double]] = [[], [], [], []]
        let hand = Measure.perCall { consume(MLP.hand(mlp, &grads)) }
        let value = MLP.hand(mlp, &grads)
        let result = g(mlp.parameters)
        let ours = [[result.value.scalar]] + result.gradient.map(\.scalars)
        let kernel = try! g.kernel(for: mlp.parameters.map(\.shape))
        let jax = peers.jax("W4")
        report.section("W4 mlp 784-128-10, batch 256 (value and gradient)", check: difference(parts: ours, [value] + grads.joined()))
        report.row("setup (trace+grad+lower+tcc)", setup, baseline: peers.run.time("jax_setup", "W4"), versus: "JAX setup")
        report.row("per call, compiled (libtcc tier)", compiled, baseline: hand, jax: jax, target: "< 1.0× JAX")
        report.row("per call, hand-written Swift", hand)
        let optimized = Bench.optimizedRows(&report, kernel, baseline: hand, jax: jax, target: "< 1.0× JAX") {
            consume(g(mlp.parameters).gradient[0].scalars[0])
        }
        report.note("X and Y are captured (constants of the kernel); the peers take them as arguments")
        peers.rows(&report, "W4", ours: ours)
        report.summarize("W4 mlp 784-128-10 batch 256", ours: optimized ?? compiled, hand: hand, jax: jax)
    }
}
