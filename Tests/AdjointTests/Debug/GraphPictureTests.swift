import Foundation
import Testing
import TestSupport

@testable import Adjoint

/// The traced graph as Graphviz `dot` text (`CompiledFunction.graphDot(for:)`, `adjoint c
/// --graph`): it parses, it names every node the results need exactly once (and no other), the
/// derivative's nodes sit in their own cluster, and Graphviz draws it.
@Suite struct GraphPictureTests {
    /// What the text declares and connects, read back with a small parser of the subset of
    /// `dot` that `GraphPicture` writes.
    struct Parsed {
        var declared: [String: Int] = [:]
        var edges: [(String, String)] = []
        var clusters: [String: [String]] = [:]

        init(_ text: String) {
            var cluster: String?
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("subgraph cluster_") {
                    cluster = String(line.dropFirst("subgraph cluster_".count).prefix { $0 != " " })
                } else if line == "}" {
                    cluster = nil
                } else if let arrow = line.range(of: " -> ") {
                    let to = line[arrow.upperBound...].prefix { $0.isLetter || $0.isNumber }
                    edges.append((String(line[..<arrow.lowerBound]), String(to)))
                } else if let bracket = line.firstIndex(of: "["), !line.hasPrefix("node ["), !line.hasPrefix("edge [") {
                    let id = String(line[..<bracket]).trimmingCharacters(in: .whitespaces)
                    declared[id, default: 0] += 1
                    if let cluster { clusters[cluster, default: []].append(id) }
                }
            }
        }
    }

    /// Checks `text` against the traced graph of `function` at `args`.
    func check(_ text: String, _ function: @escaping ([Tensor]) -> [Tensor], at args: [Tensor], derivative: Bool,
               guards: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(text.hasPrefix("digraph adjoint {") && text.hasSuffix("}\n"), sourceLocation: sourceLocation)
        #expect(text.filter { $0 == "{" }.count == text.filter { $0 == "}" }.count, sourceLocation: sourceLocation)
        let parsed = Parsed(text)
        let traced = Staging.trace(args, function)
        let live = traced.graph.reachable(from: traced.outputs + traced.guards.map(\.condition))
        let nodes = Set((0..<traced.graph.count).filter { live[$0] }.map { "n\($0)" })
        let declaredNodes = Set(parsed.declared.keys.filter { $0.hasPrefix("n") })
        #expect(declaredNodes == nodes, "every node the results need, and no other", sourceLocation: sourceLocation)
        #expect(parsed.declared.values.allSatisfy { $0 == 1 }, "each node once", sourceLocation: sourceLocation)
        for (from, to) in parsed.edges {
            #expect(parsed.declared[from] != nil && parsed.declared[to] != nil, "\(from) -> \(to)", sourceLocation: sourceLocation)
        }
        #expect((parsed.clusters["derivative"] != nil) == derivative, sourceLocation: sourceLocation)
        #expect(parsed.declared.keys.filter { $0.hasPrefix("guard") }.count == guards, sourceLocation: sourceLocation)
        #expect(parsed.declared.keys.filter { $0.hasPrefix("out") }.count == traced.outputs.count, sourceLocation: sourceLocation)
        try render(text, sourceLocation: sourceLocation)
    }

    /// Graphviz draws it, where Graphviz is installed (scripts/setup installs it).
    func render(_ text: String, sourceLocation: SourceLocation) throws {
        guard let dot = ExternalProgram.installed("dot") else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try text.write(to: directory.appendingPathComponent("g.dot"), atomically: true, encoding: .utf8)
        let run = try ExternalProgram.run(dot, ["-Tsvg", "g.dot", "-o", "g.svg"], in: directory)
        #expect(run.status == 0 && run.output.isEmpty, "dot: \(run.output)", sourceLocation: sourceLocation)
        let svg = try String(contentsOf: directory.appendingPathComponent("g.svg"), encoding: .utf8)
        #expect(svg.contains("<svg"), sourceLocation: sourceLocation)
    }

    @Test func aScalarFunctionAndItsDerivative() throws {
        let f: @Sendable (Tensor) -> Tensor = { x in sin(x) * x }
        let text = compile(grad(f)).graphDot(for: [[]])
        try check(text, { [grad(f)($0[0])] }, at: [Tensor(0)], derivative: true)
        #expect(text.contains("label=\"sin\\n()\"") && text.contains("input 0") && text.contains("output 0"))
        // The function alone has no derivative cluster.
        try check(compile(f).graphDot(for: [[]]), { [f($0[0])] }, at: [Tensor(0)], derivative: false)
    }

    @Test func aVectorFunctionWithAMatrixProduct() throws {
        let f: @Sendable ([Tensor]) -> Tensor = { p in sum(tanh(matmul(p[0], p[1]))) }
        let shapes = [[2, 3], [3]]
        let text = compile(grad(f)).graphDot(for: shapes)
        try check(text, { grad(f)($0) }, at: shapes.map { Tensor.zeros($0) }, derivative: true)
        #expect(text.contains("matmul\\n(2, 1)"))
    }

    @Test func aFunctionWithAGuard() throws {
        let f: @Sendable (Tensor) -> Tensor = { x in sum(x) > 0 ? sum(sin(x)) : sum(cos(x)) }
        let text = compile(grad(f)).graphDot(for: [[3]])
        try check(text, { [grad(f)($0[0])] }, at: [Tensor.zeros([3])], derivative: true, guards: 1)
        #expect(text.contains("shape=diamond"))
    }
}
