import Adjoint
import Foundation
import Testing

/// `adjoint c EXPR --graph`: the traced graph as `dot` text named after the variables and results,
/// drawn as SVG by Graphviz with `-o FILE.svg`, and a clear error for what it cannot do.
@Suite struct GraphCommandTests {
    static let arguments = ["c", "sum(tanh(W @ x))", "--var", "W:2x3", "--var", "x:3", "--grad", "W", "--graph"]

    @Test func printsTheGraphNamedAfterTheVariables() throws {
        let text = try CLI.succeed(Self.arguments)
        #expect(text.hasPrefix("digraph adjoint {"))
        #expect(text.contains("label=\"W\\n(2, 3)\", shape=ellipse") && text.contains("label=\"x\\n(3,)\", shape=ellipse"))
        #expect(text.contains("label=\"f\"") && text.contains("label=\"df/dW\""))
        #expect(text.contains("subgraph cluster_derivative"))
    }

    @Test(.enabled(if: StandaloneTests.installed("dot") != nil, "Graphviz's dot is not on the PATH (scripts/setup installs it)"))
    func drawsSVGWithGraphviz() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CLI.succeed(Self.arguments + ["-o", "graph.svg"], in: directory)
        let svg = try String(contentsOf: directory.appendingPathComponent("graph.svg"), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("tanh"))
        _ = try CLI.succeed(Self.arguments + ["-o", "graph.dot"], in: directory)
        let dot = try String(contentsOf: directory.appendingPathComponent("graph.dot"), encoding: .utf8)
        #expect(dot.hasPrefix("digraph adjoint {"))
    }

    @Test func refusesTheGraphWithStandalone() throws {
        let run = try CLI.run(Self.arguments + ["--standalone"])
        #expect(run.status == 2 && run.errors.contains("--graph and --standalone"))
    }
}
