import Adjoint

/// Beyond the peers' workloads: what a guarded kernel (`if` in the traced function) costs
/// against `where`, and that compiling and dropping kernels leaks nothing.
enum Extras {
    /// A guarded kernel against the same function written with `where`.
    static func controlFlow(_ report: inout Report) {
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

    /// Compiles and drops 10,000 kernels: resident memory before and after.
    static func leakCheck(_ report: inout Report) {
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
        churnOptimized(&report)
    }

    /// The optimized tier's shared objects are unloaded with their kernels too.
    private static func churnOptimized(_ report: inout Report) {
        func churn(_ count: Int) {
            for k in 0..<count {
                let c = Double(k % 7)
                let f = compile { x in sum(sin(x) * c + x) }
                try? f.kernel(for: [[100]]).optimize()
                consume(f(Tensor.zeros([100])).scalar)
            }
        }
        churn(20)
        let beforeOptimized = Measure.residentBytes()
        churn(200)
        let afterOptimized = Measure.residentBytes()
        report.note("with the optimized tier built for each, 200 kernels: \(beforeOptimized / 1024) KiB → \(afterOptimized / 1024) KiB (\((afterOptimized - beforeOptimized) / 1024) KiB)")
    }
}
