import Adjoint

/// What every workload's section shares: which sections run (`--only`), and the optimized
/// tier's two rows.
enum Bench {
    /// `--only W1,W3,GEMM` runs those sections alone (by the prefix of their names), and only
    /// their peers.
    nonisolated(unsafe) static var only: [String]? = nil

    static func wants(_ section: String) -> Bool {
        only.map { $0.contains { section.hasPrefix($0) } } ?? true
    }

    /// Builds `kernel`'s optimized tier (timed) and measures `call` again on it: two rows.
    /// Returns that per-call time, or nil when the tier cannot be built here.
    @discardableResult
    static func optimizedRows(_ report: inout Report, _ kernel: Kernel, label: String = "per call, optimized tier",
                              baseline: Double?, versus: String = "hand", jax: Double? = nil, target: String? = nil,
                              _ call: () -> Void) -> Double? {
        let start = Measure.now()
        do {
            try kernel.optimize()
        } catch {
            report.note("optimized tier unavailable: \(error)")
            return nil
        }
        report.row("optimized tier: build (cc -O2)", Measure.now() - start)
        let seconds = Measure.perCall(call)
        report.row(label, seconds, baseline: baseline, versus: versus, jax: jax, target: target)
        return seconds
    }
}
