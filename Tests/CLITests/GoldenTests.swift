import Adjoint
import Foundation
import Testing

/// `adjoint c` pinned on small expressions, so that a change in the C it prints is seen in review.
/// Regenerate with `ADJOINT_UPDATE_GOLDEN=1 swift test --filter CLITests.GoldenTests`.
@Suite struct GoldenTests {
    static let directory = CLI.packageRoot.appendingPathComponent("Tests/CLITests/Golden")

    static let cases: [(file: String, arguments: [String])] = [
        ("tanh.c", ["c", "tanh(x)", "--var", "x"]),
        ("tanh-grad.c", ["c", "tanh(x)", "--var", "x", "--grad", "x"]),
        ("sum-squares-grad.c", ["c", "sum(x ** 2)", "--var", "x:3", "--grad", "x"]),
        ("layer-grad.c", ["c", "sum(tanh(W @ x + b))", "--var", "W:2x3", "--var", "x:3", "--var", "b:2", "--grad", "W", "--grad", "b"]),
        ("product-hessian.c", ["c", "x[0] * x[1] ** 2", "--var", "x:2", "--hessian", "x"]),
        ("dot-standalone.c", ["c", "sum(softplus(x) * y)", "--var", "x:3", "--var", "y:3", "--grad", "x", "--standalone"]),
    ]

    @Test(arguments: cases.map(\.file))
    func matchesGolden(_ file: String) throws {
        let arguments = try #require(Self.cases.first { $0.file == file }).arguments
        let output = try CLI.succeed(arguments)
        let url = Self.directory.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["ADJOINT_UPDATE_GOLDEN"] == "1" {
            try output.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(output == expected, "adjoint \(arguments.joined(separator: " ")) differs from Golden/\(file); if the change is intended, regenerate with ADJOINT_UPDATE_GOLDEN=1")
    }

    /// Without --standalone, `c` prints exactly what the JIT compiles.
    @Test func printsTheJITText() throws {
        let output = try CLI.succeed(["c", "sum(tanh(W @ x + b))", "--var", "W:2x3", "--var", "x:3", "--var", "b:2", "--grad", "W"])
        let expression = try Adjoint.Expression(parsing: "sum(tanh(W @ x + b))")
        let f = compile { (xs: [Tensor]) -> [Tensor] in
            let loss = { (ys: [Tensor]) in expression.evaluate(["W": ys[0], "x": ys[1], "b": ys[2]]) }
            let r = Gradient.valueAndGradients(loss, at: xs, wrt: [0])
            return [r.value] + r.gradients
        }
        #expect(output == f.cSource(for: [[2, 3], [3], [2]]))
    }

    /// -o writes the same text to a file.
    @Test func writesTheFileNamedByO() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let printed = try CLI.succeed(["c", "tanh(x)", "--var", "x"])
        _ = try CLI.succeed(["c", "tanh(x)", "--var", "x", "-o", "k.c"], in: directory)
        #expect(try String(contentsOf: directory.appendingPathComponent("k.c"), encoding: .utf8) == printed)
    }
}
