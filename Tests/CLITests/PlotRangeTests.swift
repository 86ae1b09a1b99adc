import Foundation
import Testing

/// `adjoint plot` over any range ends at once: with a plot whose ticks are few and distinct, or
/// with a message and status 2. `--range 1:1.0000000000000002` once stepped its ticks by less
/// than the spacing of doubles there and never ended (15 GB and growing).
@Suite struct PlotRangeTests {
    /// Killed after this long: each case takes a fraction of a second.
    static let timeout = 30.0

    @Test(arguments: [
        ("1:1.0000000000000002", "too narrow for double precision"),
        ("1e15:1.0000000000000001e15", "too narrow for double precision"),
        ("-1e10:-9999999999.999999", "too narrow for double precision"),
        ("1:1", "LO must be less than HI"),
        ("-1e308:1e308", "too wide"),
        ("nan:1", "the ends must be finite"),
        ("0:inf", "the ends must be finite"),
        ("0:1e-301", "too narrow"),
    ])
    func rangeThatCannotBePlottedIsAnError(_ range: String, _ message: String) throws {
        let run = try CLI.run(["plot", "tanh(x)", "--var", "x", "--range", range, "-o", "p.svg"], timeout: Self.timeout)
        #expect(run.exited, "adjoint plot --range \(range) did not end by itself")
        #expect(run.status == 2 && run.errors.hasPrefix("Error: --range"), "--range \(range): \(run.errors)")
        #expect(run.errors.contains(message), "--range \(range) said: \(run.errors)")
    }

    @Test(arguments: ["0:1e-299", "1:1.000000000001", "1e15:1.000000001e15", "-8e307:8e307", "1e300:1e308",
                      "-1e-5:1e-5", "123456789:123456790"])
    func extremeRangesPlotWithFewDistinctTicks(_ range: String) throws {
        let run = try CLI.run(["plot", "x", "--var", "x", "--range", range, "-o", "-"], timeout: Self.timeout)
        #expect(run.exited && run.status == 0, "adjoint plot --range \(range): \(run.errors)")
        // The x axis' tick labels: centered, 13 units high, below the frame.
        let labels = run.output.split(separator: "\n").filter { $0.contains("text-anchor=\"middle\" font-size=\"13\"") }
            .map { $0.split(separator: ">")[1].split(separator: "<").first.map(String.init) ?? "" }
        #expect((2...20).contains(labels.count), "--range \(range): ticks \(labels)")
        #expect(Set(labels).count == labels.count, "--range \(range): repeated ticks \(labels)")
    }
}
