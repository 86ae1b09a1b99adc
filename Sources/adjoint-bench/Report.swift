/// The bench's output: the machine and the peers' versions, one section per workload (rows of
/// figures with ratios to the hand-written baseline and to JAX), then a summary table.
struct Report {
    private var lines: [String] = []
    private var peerVersions: [String] = []
    private var summary: [[String]] = []

    /// A workload's heading; `check` is the largest relative difference from `reference`.
    mutating func section(_ title: String, check: Double?, reference: String = "hand-written") {
        lines.append("")
        lines.append("## \(title)" + (check.map { "   (max rel. diff vs \(reference): \(shortExp($0)))" } ?? ""))
    }

    /// A figure, with its ratio to `baseline` (named `versus`) and to JAX's figure measured in
    /// this run, when there are.
    mutating func row(_ label: String, _ seconds: Double, baseline: Double? = nil, versus: String = "hand",
                      jax: Double? = nil, target: String? = nil, peers: String? = nil) {
        var text = "  " + label.padding(46) + format(seconds: seconds).leftPadding(10)
        if let baseline { text += "   \(format3(seconds / baseline))× \(versus)" }
        if let jax { text += "   \(format3(seconds / jax))× JAX" }
        if let target { text += "   [target \(target)]" }
        if let peers { text += "   \(peers)" }
        lines.append(text)
    }

    mutating func note(_ text: String) { lines.append("  " + text) }

    /// Peers' versions, printed at the top once each ("jax 0.10.2" is left out after
    /// "jax 0.10.2 (jit, x64, CPU)").
    mutating func versions(_ versions: [String]) {
        for version in versions where !peerVersions.contains(where: { $0.hasPrefix(version) || version.hasPrefix($0) }) {
            peerVersions.append(version)
        }
    }

    /// A line of the summary: per-call seconds (or any text) of ours, hand-written and JAX.
    mutating func summarize(_ workload: String, ours: Double, hand: Double?, jax: Double?) {
        summary.append([workload, format(seconds: ours), hand.map { format(seconds: $0) } ?? "—",
                        jax.map { format(seconds: $0) } ?? "—",
                        jax.map { format3(ours / $0) + "×" } ?? "—", hand.map { format3(ours / $0) + "×" } ?? "—"])
    }

    /// A summary line whose cells are written by the caller (GEMM: GFLOP/s beside the BLAS).
    mutating func summarize(cells: [String]) { summary.append(cells) }

    func print(machine: [String], command: String) {
        Swift.print("adjoint-bench (\(command)): per-call figures are medians of calibrated batches; "
                    + (peerVersions.isEmpty ? "no peers in this run." : "the peers are measured in this run, single thread."))
        for line in machine { Swift.print(line) }
        if !peerVersions.isEmpty { Swift.print("peers: " + peerVersions.joined(separator: "; ")) }
        for line in lines { Swift.print(line) }
        printSummary()
    }

    /// The summary as a Markdown table, to paste into a README.
    private func printSummary() {
        guard !summary.isEmpty else { return }
        Swift.print("\n## Summary (per call; ours = the optimized tier where it is built, else the libtcc tier)\n")
        let header = ["workload", "ours", "hand-written", "JAX jit", "ours / JAX", "ours / hand"]
        Swift.print("| " + header.joined(separator: " | ") + " |")
        Swift.print("|" + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|")
        for cells in summary { Swift.print("| " + cells.joined(separator: " | ") + " |") }
        if summary.contains(where: { $0[0].hasPrefix("GEMM") }) {
            Swift.print("\nGEMM rows: the hand-written column is NumPy's BLAS, measured in this run.")
        }
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
