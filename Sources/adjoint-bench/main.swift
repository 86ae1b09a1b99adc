import Adjoint
#if canImport(Glibc)
import Glibc
#endif

// adjoint-bench: the peers' workloads (../shared/peers/WORKLOADS.md) through Adjoint's public API,
// beside a hand-written Swift gradient run in this process, and the peers' reference figures
// (../shared/peers/RESULTS.md, same 2-core VM). Run: swift run -c release adjoint-bench [--quick]
// (`--profile`, `--profile-w1`, `--w6-setup`: diagnostic modes, see Profiles.swift). W7's peers
// run in this process's run from the peers' venv (`--no-peers` leaves them out; `--w7` runs W7 alone).

if CommandLine.arguments.contains("--quick") {
    Measure.minBatch = 0.02
    Measure.batches = 3
}

if Profiles.run(CommandLine.arguments) { exit(0) }

// Kernels run libtcc's code until the bench asks for the optimized tier (Kernel.optimize()), so
// both tiers are measured, each on its own; in a program the switch happens by itself.
Kernel.optimizesAutomatically = false
var report = Report()

/// Builds `kernel`'s optimized tier (timed) and measures `call` again on it: two rows.
func optimizedRows(_ report: inout Report, _ kernel: Kernel, label: String = "per call, optimized tier", baseline: Double?,
                   versus: String = "hand", target: String? = nil, _ call: () -> Void) {
    let start = Measure.now()
    do {
        try kernel.optimize()
    } catch {
        report.note("optimized tier unavailable: \(error)")
        return
    }
    report.row("optimized tier: build (cc -O2)", Measure.now() - start)
    report.row(label, Measure.perCall(call), baseline: baseline, versus: versus, target: target)
}

if CommandLine.arguments.contains("--w7") {
    LinearAlgebraWorkload.run(&report, peers: !CommandLine.arguments.contains("--no-peers"))
    report.print()
    exit(0)
}

// MARK: W1 tanh-grad
do {
    let setup = Measure.once { consume(compile(grad(Workloads.w1))(0.5).scalar) }
    let dtanh = compile(grad(Workloads.w1))
    var i = 0
    let compiled = Measure.perCall { consume(dtanh(Tensor(-1.0 + 0.001 * Double(i % 2000))).scalar); i += 1 }
    let kernel = try! dtanh.kernel(for: [[]])
    // 1000 calls per measured closure, so the closure's own cost does not hide the kernel's.
    let cells = UnsafeMutablePointer<Double>.allocate(capacity: 2)
    let raw = Measure.perCall {
        var input: UnsafePointer<Double>? = UnsafePointer(cells)
        var output: UnsafeMutablePointer<Double>? = cells + 1
        for j in 0..<1000 {
            cells[0] = -1.0 + 0.001 * Double(j)
            _ = kernel.run(inputs: &input, outputs: &output, workspace: nil)
            consume(cells[1])
        }
    } / 1000
    cells.deallocate()
    let interpreted = Measure.perCall { consume(grad(Workloads.w1)(Tensor(0.5)).scalar) }
    let hand = Measure.perCall { consume(Workloads.w1Hand(-1.0 + 0.001 * Double(i % 2000))); i += 1 }
    let check = Swift.abs(dtanh(0.5).scalar - Workloads.w1Hand(0.5))
    report.section("W1 tanh-grad (scalar)", check: check)
    report.row("setup (trace+grad+lower+tcc)", setup, peers: "CasADi+tcc 13.1 ms, JAX 51 ms")
    report.row("per call, compile(grad(f))(x)", compiled, baseline: hand, target: "< 100 ns",
               peers: "CasADi tcc 0.14 µs, JAX 9.26 µs, autograd 61 µs")
    report.row("per call, Kernel.run on raw buffers", raw, baseline: hand)
    report.row("per call, interpreter grad(f)(x)", interpreted, baseline: hand)
    report.row("per call, hand-written Swift", hand)
    optimizedRows(&report, kernel, baseline: hand) { consume(dtanh(Tensor(-1.0 + 0.001 * Double(i % 2000))).scalar); i += 1 }
}

// MARK: W3 logistic regression
for (n, d, seeds, label) in [(4, 3, (301, 302, 303) as (UInt64, UInt64, UInt64), "4×3"),
                             (10000, 100, (311, 312, 313), "10000×100")] {
    let X = Tensor(shape: [n, d], scalars: PeerStream.normal(seed: seeds.0, count: n * d))
    let t = Tensor(shape: [n], scalars: PeerStream.boolean(seed: seeds.1, count: n))
    let w = Tensor(shape: [d], scalars: PeerStream.normal(seed: seeds.2, count: d, scale: 0.1))
    let setup = Measure.once { consume(compile(grad(Workloads.w3, wrt: 0))(w, X, t).scalars[0]) }
    let g = compile(grad(Workloads.w3, wrt: 0))
    let compiled = Measure.perCall { consume(g(w, X, t).scalars[0]) }
    let interpreted = Measure.perCall { consume(grad(Workloads.w3, wrt: 0)(w, X, t).scalars[0]) }
    var hg = [Double](repeating: 0, count: d), dz = [Double](repeating: 0, count: n)
    let hand = Measure.perCall { Workloads.w3Hand(w.scalars, X.scalars, t.scalars, &hg, &dz); consume(hg[0]) }
    let kernel = try! g.kernel(for: [[d], [n, d], [n]])
    let ours = g(w, X, t).scalars
    let err = zip(ours, hg).map { Swift.abs($0 - $1) }.max()! / hg.map(\.magnitude).max()!
    report.section("W3 logreg \(label)", check: err)
    report.row("setup (trace+grad+lower+tcc)", setup, peers: label == "4×3" ? "CasADi+tcc 10.8 ms, JAX 72 ms" : "CasADi+tcc 64.8 ms, JAX 81.6 ms")
    report.row("per call, compiled (libtcc tier)", compiled, baseline: hand, target: label == "4×3" ? nil : "within 3× of hand",
               peers: label == "4×3" ? "CasADi tcc 0.24 µs, JAX 9.49 µs, hand C tcc 0.14 µs"
                                     : "JAX 292 µs, autograd 754 µs, hand C gcc 1392 µs, hand C tcc 5253 µs")
    report.row("per call, interpreter", interpreted, baseline: hand)
    report.row("per call, hand-written Swift", hand)
    optimizedRows(&report, kernel, baseline: hand, target: label == "4×3" ? nil : "within 3× of hand") { consume(g(w, X, t).scalars[0]) }
    report.note("workspace: \(kernel.workspaceCount) doubles = \(format3(Double(kernel.workspaceCount) / Double(n))) × N")
}

// MARK: W4 MLP
do {
    let data = MLP.data()
    let loss = MLP.loss(data.X, data.Y)
    let setup = Measure.once { consume(compile(valueAndGrad(loss))(data.parameters).value.scalar) }
    let g = compile(valueAndGrad(loss))
    let compiled = Measure.perCall { consume(g(data.parameters).gradient[0].scalars[0]) }
    var grads: [[Double]] = [[], [], [], []]
    let hand = Measure.perCall { consume(MLP.hand(data, &grads)) }
    let ours = g(data.parameters)
    let err = zip(ours.gradient, grads).map { a, b in
        zip(a.scalars, b).map { Swift.abs($0 - $1) }.max()! / b.map(\.magnitude).max()!
    }.max()!
    let kernel = try! g.kernel(for: data.parameters.map(\.shape))
    report.section("W4 mlp 784-128-10, batch 256 (value and gradient)", check: err)
    report.row("setup (trace+grad+lower+tcc)", setup, peers: "JAX 15.8 ms, CasADi 4,285 ms")
    report.row("per call, compiled (libtcc tier)", compiled, baseline: hand, peers: "JAX 1,524 µs, autograd 3,864 µs")
    report.row("per call, hand-written Swift", hand)
    optimizedRows(&report, kernel, baseline: hand) { consume(g(data.parameters).gradient[0].scalars[0]) }
}

// MARK: W5 Rosenbrock
do {
    let n = 1000
    let x = Tensor(shape: [n], scalars: PeerStream.uniform(seed: 501, count: n).map { 2 * $0 - 1 })
    let setup = Measure.once { consume(compile(grad(Workloads.w5))(x).scalars[0]) }
    let g = compile(grad(Workloads.w5))
    let compiled = Measure.perCall { consume(g(x).scalars[0]) }
    let interpreted = Measure.perCall { consume(grad(Workloads.w5)(x).scalars[0]) }
    var hg = [Double](repeating: 0, count: n)
    let hand = Measure.perCall { Workloads.w5Hand(x.scalars, &hg); consume(hg[0]) }
    let err = zip(g(x).scalars, hg).map { Swift.abs($0 - $1) }.max()! / hg.map(\.magnitude).max()!
    report.section("W5 rosenbrock gradient, n = 1000", check: err)
    report.row("setup (trace+grad+lower+tcc)", setup, peers: "CasADi+tcc 62 ms, JAX 51.9 ms")
    report.row("per call, compiled (libtcc tier)", compiled, baseline: hand,
               peers: "CasADi tcc 5.91 µs, JAX 8.35 µs, hand C gcc 0.71 µs, hand C tcc 4.89 µs")
    report.row("per call, interpreter", interpreted, baseline: hand)
    report.row("per call, hand-written Swift", hand)
    optimizedRows(&report, try! g.kernel(for: [[n]]), baseline: hand, target: "within 3× of hand") { consume(g(x).scalars[0]) }
    // Hessian-vector product, forward-over-reverse: a small constant times the gradient.
    let v = Tensor(shape: [n], scalars: PeerStream.uniform(seed: 502, count: n).map { 2 * $0 - 1 })
    let hvp = compile(hessianVectorProduct(Workloads.w5))
    let hvpCompiled = Measure.perCall { consume(hvp(x, v).scalars[0]) }
    report.row("per call, compiled HVP H·v", hvpCompiled, peers: "CasADi tcc 9.62 µs, JAX 18.6 µs, hand C tcc 5.18 µs")
    report.note("HVP / gradient per call (libtcc tier): \(format3(hvpCompiled / compiled))×")
    optimizedRows(&report, try! hvp.kernel(for: [[n], [n]]), baseline: hand) { consume(hvp(x, v).scalars[0]) }
}

// MARK: W6 chain10k
do {
    let steps = 10000
    let f = Workloads.w6(steps: steps)
    let setup = Measure.once { consume(compile(grad(f))(0.3).scalar) }
    let g = compile(grad(f))
    let compiled = Measure.perCall { consume(g(0.3).scalar) }
    var tape = [Double](repeating: 0, count: steps)
    let hand = Measure.perCall { consume(Workloads.w6Hand(0.3, steps: steps, tape: &tape)) }
    let short = compile(valueAndGrad(Workloads.w6(steps: 100)))(0.3)
    var t100 = [Double](repeating: 0, count: 100)
    let err = Swift.abs(short.gradient.scalar - Workloads.w6Hand(0.3, steps: 100, tape: &t100)) / 1.4206e-16
    report.section("W6 chain10k (10,000 unrolled steps)", check: err)
    let kernel = try! g.kernel(for: [[]])
    report.note("generated C: \(kernel.source.split(separator: "\n").count) lines, \(kernel.source.utf8.count / 1024) KiB")
    report.row("setup (trace+grad+lower+tcc)", setup, target: "< 150 ms", peers: "CasADi+tcc 1,159 ms, JAX jit > 120 s (timeout)")
    report.row("per call, compiled (libtcc tier)", compiled, baseline: hand,
               peers: "CasADi tcc 616 µs, hand C gcc 215 µs, hand C tcc 376 µs")
    report.row("per call, hand-written Swift", hand)
    report.note("no optimized tier: above 256 KiB of C a kernel is not optimized automatically (clang -O2 needs minutes on 2 MB)")
}

// MARK: W7 Cholesky/LU (LinearAlgebra.swift), beside NumPy, JAX and autograd run now
LinearAlgebraWorkload.run(&report, peers: !CommandLine.arguments.contains("--no-peers"))

// MARK: Control flow: a guarded kernel against the same function written with `where`
do {
    func piecewise(_ x: Tensor) -> Tensor { if x >= 0 { return x * x } else { return -x * x * x } }
    func branchFree(_ x: Tensor) -> Tensor { `where`(x .>= 0, x * x, -x * x * x) }
    let guarded = compile(grad(piecewise)), selecting = compile(grad(branchFree))
    var i = 0
    let same = Measure.perCall { consume(guarded(Tensor(1.0 + 0.001 * Double(i % 100))).scalar); i += 1 }
    let alternating = Measure.perCall { consume(guarded(Tensor(i % 2 == 0 ? 1.5 : -1.5)).scalar); i += 1 }
    let whereSame = Measure.perCall { consume(selecting(Tensor(1.0 + 0.001 * Double(i % 100))).scalar); i += 1 }
    let whereAlternating = Measure.perCall { consume(selecting(Tensor(i % 2 == 0 ? 1.5 : -1.5)).scalar); i += 1 }
    let retrace = Measure.perCall { consume(grad(piecewise)(Tensor(1.5)).scalar) }
    report.section("Control flow: `if` (guards, one kernel per branch) against `where` (one kernel)", check: nil)
    report.row("guarded, same branch each call", same, baseline: whereSame)
    report.row("guarded, branch alternating", alternating, baseline: whereAlternating)
    report.row("where, same branch", whereSame)
    report.row("where, alternating", whereAlternating)
    report.row("for scale: a trace (interpreted grad)", retrace)
    report.note("the \"× hand\" column here is the ratio to the `where` version")
}

// MARK: No leak: compile and drop kernels
do {
    func churn(_ count: Int) {
        for k in 0..<count {
            let c = Double(k % 7)
            let f = compile { x in sin(x) * c + x }
            consume(f(0.5).scalar)
        }
    }
    churn(1000)
    let before = Measure.residentBytes()
    let start = Measure.now()
    churn(10000)
    let seconds = Measure.now() - start
    let after = Measure.residentBytes()
    report.section("Leak check: compile and drop 10,000 kernels", check: nil)
    report.note("resident memory \(before / 1024) KiB → \(after / 1024) KiB (\((after - before) / 1024) KiB); \(format(seconds: seconds / 10000)) per compile")
    // The optimized tier's shared objects are unloaded with their kernels too.
    func churnOptimized(_ count: Int) {
        for k in 0..<count {
            let c = Double(k % 7)
            let f = compile { x in sum(sin(x) * c + x) }
            try? f.kernel(for: [[100]]).optimize()
            consume(f(Tensor.zeros([100])).scalar)
        }
    }
    churnOptimized(20)
    let beforeOptimized = Measure.residentBytes()
    churnOptimized(200)
    let afterOptimized = Measure.residentBytes()
    report.note("with the optimized tier built for each, 200 kernels: \(beforeOptimized / 1024) KiB → \(afterOptimized / 1024) KiB (\((afterOptimized - beforeOptimized) / 1024) KiB)")
}

report.print()
