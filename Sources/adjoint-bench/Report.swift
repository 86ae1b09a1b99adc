/// The bench's output: one section per workload, rows of figures with ratios to the baseline.
struct Report {
    private var lines: [String] = []

    /// A workload's heading; `check` is the largest relative difference from `reference`.
    mutating func section(_ title: String, check: Double?, reference: String = "hand-written") {
        lines.append("")
        lines.append("## \(title)" + (check.map { "   (max rel. diff vs \(reference): \(shortExp($0)))" } ?? ""))
    }

    /// A figure, with its ratio to `baseline` (named `versus`) when there is one.
    mutating func row(_ label: String, _ seconds: Double, baseline: Double? = nil, versus: String = "hand",
                      target: String? = nil, peers: String? = nil) {
        var text = "  " + label.padding(36) + format(seconds: seconds).leftPadding(10)
        if let baseline { text += "   \(format3(seconds / baseline))× \(versus)" }
        if let target { text += "   [target \(target)]" }
        if let peers { text += "   peers: \(peers)" }
        lines.append(text)
    }

    mutating func note(_ text: String) { lines.append("  " + text) }

    func print() {
        Swift.print("adjoint-bench: per-call figures are medians of calibrated batches; peers' figures are from")
        Swift.print("../shared/peers/RESULTS.md (same kind of 2-core VM, single thread).")
        for line in lines { Swift.print(line) }
    }

    private func shortExp(_ x: Double) -> String {
        if x == 0 { return "0" }
        var e = 0
        var m = x
        while m < 1 { m *= 10; e -= 1 }
        while m >= 10 { m /= 10; e += 1 }
        return "\(format3(m))e\(e)"
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
