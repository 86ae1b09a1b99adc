import Adjoint

/// Matrix products alone: W4's two big ones (X·W1, 256×784 · 784×128, and Xᵀ·D, 784×256 ·
/// 256×128, as its backward pass has) and a square 512, through Adjoint's `matmul` against NumPy's
/// BLAS (one thread) measured in this run: GFLOP/s of both and their ratio.
enum GEMMBench {
    struct Case {
        let tag: String, label: String, a: Tensor, b: Tensor, transposed: Bool
        var m: Int { transposed ? a.shape[1] : a.shape[0] }
        var k: Int { transposed ? a.shape[0] : a.shape[1] }
        var flops: Double { 2 * Double(m) * Double(k) * Double(b.shape[1]) }
    }

    static func cases(_ data: BenchData) -> [Case] {
        [Case(tag: "x_w1", label: "X·W1 256×784 · 784×128", a: data.mlp.X, b: data.mlp.parameters[0], transposed: false),
         Case(tag: "xt_d", label: "Xᵀ·D 784×256 · 256×128", a: data.mlp.X, b: data.gemmD, transposed: true),
         Case(tag: "sq512", label: "512×512 · 512×512", a: data.gemmA, b: data.gemmB, transposed: false)]
    }

    static func run(_ report: inout Report, _ data: BenchData, _ peers: WorkloadPeers) {
        report.section("GEMM: matmul alone, beside NumPy's BLAS (one thread)", check: nil)
        if let blas = peers.run.versions.first(where: { $0.hasPrefix("BLAS") }) { report.note(blas) }
        for note in peers.run.notes where note.contains("OPENBLAS_CORETYPE") { report.note(note) }
        for c in cases(data) { run(&report, c, peers) }
    }

    private static func run(_ report: inout Report, _ c: Case, _ peers: WorkloadPeers) {
        let f = c.transposed ? compile { a, b in matmul(a.transposed(), b) } : compile { a, b in matmul(a, b) }
        let kernel = try! f.kernel(for: [c.a.shape, c.b.shape])
        let ours = f(c.a, c.b).scalars
        let api = Measure.perCall { consume(f(c.a, c.b).scalars[0]) }
        let raw = rawCall(kernel, c, count: ours.count)
        let blas = peers.run.time("numpy_gemm", c.tag)
        let check = peers.run.arrays["numpy_gemm_\(c.tag)"].map { shortExp(difference(ours, $0)) } ?? "no BLAS result"
        let rate = { (seconds: Double) in "\(format3(c.flops / seconds * 1e-9)) GFLOP/s" }
        report.note("\(c.label) (max rel. diff vs BLAS: \(check)):")
        report.row("  Kernel.run on raw buffers", raw, baseline: blas, versus: "BLAS", peers: rate(raw))
        let call = c.transposed ? "compile { a, b in matmul(a.transposed(), b) }" : "compile { a, b in matmul(a, b) }"
        report.row("  \(call)(a, b)", api, baseline: blas, versus: "BLAS", peers: rate(api))
        if let blas { report.row("  NumPy matmul(a, b, out=c) (BLAS)", blas, peers: rate(blas)) }
        report.summarize(cells: ["GEMM \(c.label)", "\(format(seconds: raw)) (\(rate(raw)))",
                                 blas.map { "BLAS \(format(seconds: $0)) (\(rate($0)))" } ?? "—", "—", "—",
                                 blas.map { format3(raw / $0) + "× BLAS" } ?? "—"])
    }

    /// The kernel alone: buffers and workspace allocated once, as a caller that keeps them would.
    private static func rawCall(_ kernel: Kernel, _ c: Case, count: Int) -> Double {
        let output = UnsafeMutablePointer<Double>.allocate(capacity: count)
        let workspace = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, kernel.workspaceCount))
        defer { output.deallocate(); workspace.deallocate() }
        return c.a.scalars.withUnsafeBufferPointer { a in
            c.b.scalars.withUnsafeBufferPointer { b in
                var inputs: [UnsafePointer<Double>?] = [a.baseAddress, b.baseAddress]
                var outputs: [UnsafeMutablePointer<Double>?] = [output]
                return Measure.perCall {
                    _ = kernel.run(inputs: &inputs, outputs: &outputs, workspace: workspace)
                    consume(output[0])
                }
            }
        }
    }
}
