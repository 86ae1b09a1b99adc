import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `adjoint plot`: a well-formed SVG with a curve and a legend entry per derivative.
@Suite struct PlotTests {
    @Test func tanhAndFourDerivatives() throws {
        let svg = try CLI.succeed(["plot", "tanh(x)", "--var", "x", "--range", "-7:7", "--derivatives", "4", "-o", "-"])
        #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<path ").count - 1 == 5)
        for label in ["f", "f\u{2032}", "f\u{2033}", "f\u{2034}", "f⁽⁴⁾"] { #expect(svg.contains(">\(label)</text>")) }
        #expect(svg.contains("f(x) = tanh(x) and its first 4 derivatives"))
        // Ticks at nice numbers.
        for tick in ["\u{2212}6", "\u{2212}4", "0", "2", "4", "6"] { #expect(svg.contains(">\(tick)</text>")) }
        // It parses as XML.
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    /// A pole leaves a gap: the curve of 1/x is two pieces.
    @Test func gapsAtNonFiniteValues() throws {
        let svg = try CLI.succeed(["plot", "1/x", "--var", "x", "--range", "-1:1", "--points", "5", "-o", "-"])
        let path = try #require(svg.split(separator: "\n").first { $0.hasPrefix("<path ") })
        #expect(path.components(separatedBy: "M").count - 1 == 2)
        #expect(!path.contains("nan") && !path.contains("inf"))
    }

    @Test func writesTheFile() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CLI.succeed(["plot", "x ** 3 - x", "--var", "x", "--range", "-2:2", "--derivatives", "3", "-o", "cubic.svg"], in: directory)
        let svg = try String(contentsOf: directory.appendingPathComponent("cubic.svg"), encoding: .utf8)
        #expect(svg.contains("f(x) = x ** 3 - x and its first 3 derivatives"))
    }

    /// The curves drawn are the exact derivatives: f = x² on [0, 1] at x = 0, ½, 1 gives
    /// f = 0, ¼, 1; f′ = 0, 1, 2; f″ = 2, 2, 2, read back through the y axis' tick labels.
    @Test func derivativesAreExact() throws {
        let svg = try CLI.succeed(["plot", "x ** 2", "--var", "x", "--range", "0:1", "--points", "3", "--derivatives", "2", "-o", "-"])
        let lines = svg.split(separator: "\n").map(String.init)
        // y-axis labels are right-aligned: their y (less the 4.5 baseline shift) is the value's.
        var ticks: [(value: Double, y: Double)] = []
        for line in lines where line.contains("text-anchor=\"end\"") {
            let attribute = line.split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
            let label = line.split(separator: ">").dropFirst().first?.split(separator: "<").first.map(String.init) ?? ""
            let y = try #require(Double(attribute))
            let tick = try #require(Double(label.replacingOccurrences(of: "\u{2212}", with: "-")))
            ticks.append((tick, y - 4.5))
        }
        try #require(ticks.count >= 2)
        let (a, b) = (ticks[0], ticks[ticks.count - 1])
        func value(_ y: Double) -> Double { a.value + (y - a.y) / (b.y - a.y) * (b.value - a.value) }
        let paths = lines.filter { $0.hasPrefix("<path ") }.map { line -> [Double] in
            let d = line.split(separator: "\"")[1]
            return d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { value(Double($0.split(separator: ",")[1])!) }
        }
        try #require(paths.count == 3)
        let expected: [[Double]] = [[0, 0.25, 1], [0, 1, 2], [2, 2, 2]]
        for (curve, values) in zip(paths, expected) {
            #expect(relativeError(curve, values) < 0.01, "\(curve) vs \(values)")
        }
    }
}
