import Adjoint
#if canImport(Glibc)
import Glibc
#endif

/// W7 (issue 15): value and gradient of f(A) = logdet(A) + sum(solve(A, b)) at n = 50 and 200,
/// and our factorizations alone at n = 200, beside NumPy's LAPACK (the forward part, Cholesky,
/// LU solve), JAX's jit(value_and_grad(f)) and autograd, all single thread, measured in this run
/// (`peers/linalg_peer.py` through PeerRun). The bar read off here: Cholesky and LU within 3× of NumPy at n = 200.
enum LinearAlgebraWorkload {
    typealias Data = (n: Int, a: [Double], b: [Double], bMatrix: [Double])

    /// A = M·Mᵀ/n + I with M normal (seed 701): symmetric positive definite, eigenvalues in
    /// about [1, 5], so `cholesky` applies and `solve` is well conditioned. b normal (seed 702),
    /// B [n, n] normal (seed 703).
    static func data(_ n: Int) -> Data {
        let m = PeerStream.normal(seed: 701, count: n * n)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0.0
                for k in 0..<n { s += m[i * n + k] * m[j * n + k] }
                a[i * n + j] = s / Double(n) + (i == j ? 1 : 0)
                a[j * n + i] = a[i * n + j]
            }
        }
        return (n, a, PeerStream.normal(seed: 702, count: n), PeerStream.normal(seed: 703, count: n * n))
    }

    static func f(_ b: Tensor) -> (Tensor) -> Tensor {
        { a in slogdet(a).logAbsDet + sum(solve(a, b)) }
    }

    static func run(_ report: inout Report, peers enabled: Bool) {
        let data = [50, 200].map(Self.data)
        let inputs = data.map { PeerArray(name: "w7_\($0.n)", shape: [$0.a.count + $0.b.count + $0.bMatrix.count],
                                          values: $0.a + $0.b + $0.bMatrix) }
        let peers = PeerRun.run("linalg_peer.py", inputs: inputs, arguments: data.map { String($0.n) }, enabled: enabled)
        report.versions(peers.versions)
        for item in data { valueAndGradient(&report, item, peers) }
        factorizations(&report, data.last!, peers)
        if !peers.versions.isEmpty {
            report.note("W7's peers were measured in this run, before our rows (\(PeerRun.venv)): "
                        + peers.versions.joined(separator: ", "))
        }
        for note in peers.notes { report.note(note) }
    }

    private static func valueAndGradient(_ report: inout Report, _ item: Data, _ peers: PeerRun) {
        let n = item.n
        let a = Tensor(shape: [n, n], scalars: item.a), f = Self.f(Tensor(item.b))
        let setup = Measure.once { consume(compile(valueAndGrad(f))(a).value.scalar) }
        let vg = compile(valueAndGrad(f)), forward = compile(f)
        let ours = vg(a)
        let reference = peers.gradient("numpy", n)
        let check = reference.map { difference(ours.gradient.scalars, $0) }
            ?? difference(ours.gradient.scalars, grad(f)(a).scalars)
        report.section("W7 logdet(A) + sum(solve(A, b)), n = \(n), A symmetric positive definite", check: check,
                       reference: reference == nil ? "interpreter (no peers)" : "NumPy's closed form A⁻ᵀ − A⁻ᵀ1xᵀ")
        if let value = peers.value("numpy_forward", n) {
            report.note("value \(ours.value.scalar), NumPy's \(value) (rel. diff \(Swift.abs(ours.value.scalar - value) / Swift.abs(value)))")
        }
        if let jax = peers.gradient("jax", n) { report.note("gradient vs JAX's: max rel. diff \(difference(ours.gradient.scalars, jax))") }
        let jaxVG = peers.time("jax_value_and_grad", n), numpyForward = peers.time("numpy_forward", n)
        report.note("value-and-gradient kernel calls: " + routineCalls(try! vg.kernel(for: [[n, n]]).source))
        report.row("setup (trace+grad+lower+tcc)", setup, peers: peers.time("jax_setup", n).map { "JAX jit first call \(format(seconds: $0))" })
        let vgTime = Measure.perCall { consume(vg(a).gradient.scalars[0]) }
        report.row("value and gradient (libtcc tier)", vgTime, baseline: jaxVG, versus: "JAX")
        let forwardTime = Measure.perCall { consume(forward(a).scalar) }
        report.row("forward only, compile(f) (libtcc tier)", forwardTime, baseline: numpyForward, versus: "NumPy")
        let optimized = Bench.optimizedRows(&report, try! vg.kernel(for: [[n, n]]), label: "value and gradient, optimized tier",
                                            baseline: jaxVG, versus: "JAX") { consume(vg(a).gradient.scalars[0]) }
        Bench.optimizedRows(&report, try! forward.kernel(for: [[n, n]]), label: "forward only, optimized tier",
                            baseline: numpyForward, versus: "NumPy") { consume(forward(a).scalar) }
        report.summarize("W7 logdet + sum(solve), n = \(n), value and gradient", ours: optimized ?? vgTime, hand: nil, jax: jaxVG)
        peerRows(&report, peers, n, [("NumPy slogdet + solve (LAPACK)", "numpy_forward"),
                                     ("JAX jit(value_and_grad(f))", "jax_value_and_grad"),
                                     ("JAX jit(f) (forward)", "jax_forward"),
                                     ("autograd value_and_grad(f)", "autograd_value_and_grad")])
    }

    /// Our Cholesky and LU solves alone, compiled, against NumPy's `cholesky` and `solve`.
    private static func factorizations(_ report: inout Report, _ item: Data, _ peers: PeerRun) {
        let n = item.n
        let a = Tensor(shape: [n, n], scalars: item.a), b = Tensor(item.b)
        let bMatrix = Tensor(shape: [n, n], scalars: item.bMatrix)
        let chol = compile { (a: Tensor) in cholesky(a) }
        let solveVector = compile { (a: Tensor, b: Tensor) in solve(a, b) }
        let solveMatrix = compile { (a: Tensor, b: Tensor) in solve(a, b) }
        let l = chol(a)
        let residual = difference(matmul(l, l.transposed()).scalars, item.a)
        let solveResidual = difference(matmul(a, solveMatrix(a, bMatrix)).scalars, item.bMatrix)
        report.section("W7 factorizations alone, n = \(n), compiled, against NumPy's LAPACK (single thread)", check: nil)
        report.note("residuals: |L·Lᵀ − A| / |A| = \(residual), |A·solve(A, B) − B| / |B| = \(solveResidual) (max norms)")
        let cases: [(String, String, () -> Void)] = [
            ("cholesky(A)", "numpy_cholesky", { consume(chol(a).scalars[0]) }),
            ("solve(A, b), b [n]", "numpy_solve_vector", { consume(solveVector(a, b).scalars[0]) }),
            ("solve(A, B), B [n, n]", "numpy_solve_matrix", { consume(solveMatrix(a, bMatrix).scalars[0]) }),
        ]
        let kernels = [try! chol.kernel(for: [[n, n]]), try! solveVector.kernel(for: [[n, n], [n]]),
                       try! solveMatrix.kernel(for: [[n, n], [n, n]])]
        var ours: [Double] = []
        for ((label, peer, call), kernel) in zip(cases, kernels) {
            let numpy = peers.time(peer, n)
            ours.append(Measure.perCall(call))
            report.row("\(label), libtcc tier", ours.last!, baseline: numpy, versus: "NumPy", target: "within 3× of NumPy")
            Bench.optimizedRows(&report, kernel, label: "\(label), optimized tier", baseline: numpy, versus: "NumPy",
                          target: "within 3× of NumPy", call)
            if let numpy { report.row("NumPy \(peer.dropFirst(6).replacing("_", with: " "))", numpy) }
        }
        peerRows(&report, peers, n, [("LAPACK dpotrf alone (SciPy)", "lapack_dpotrf"),
                                     ("LAPACK dgetrf alone (SciPy)", "lapack_dgetrf")])
        if let potrf = peers.time("lapack_dpotrf", n), let getrf = peers.time("lapack_dgetrf", n) {
            report.note("against LAPACK alone (libtcc tier): cholesky(A) \(format3(ours[0] / potrf))× dpotrf, "
                        + "solve(A, b) \(format3(ours[1] / getrf))× dgetrf (which does not solve)")
        }
    }

    /// The Runtime routines a kernel's C calls, with their counts: where its time goes.
    static func routineCalls(_ source: String) -> String {
        var counts: [String: Int] = [:]
        for line in source.split(separator: "\n") where !line.hasPrefix("void ") && !line.hasPrefix("double ") {
            var token = ""
            for c in line {
                if c.isLetter || c.isNumber || c == "_" { token.append(c); continue }
                if c == "(" && token.hasPrefix("adj_") { counts[token, default: 0] += 1 }
                token = ""
            }
        }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    private static func peerRows(_ report: inout Report, _ peers: PeerRun, _ n: Int, _ rows: [(String, String)]) {
        for (label, name) in rows {
            if let seconds = peers.time(name, n) { report.row(label, seconds) }
        }
    }
}

/// W7's figures are tagged by n; its script writes the gradients as `grad_<system>_<n>.bin`.
extension PeerRun {
    func time(_ measure: String, _ n: Int) -> Double? { time(measure, String(n)) }
    func value(_ measure: String, _ n: Int) -> Double? { value(measure, String(n)) }
    func gradient(_ system: String, _ n: Int) -> [Double]? { arrays["grad_\(system)_\(n)"] }
}
