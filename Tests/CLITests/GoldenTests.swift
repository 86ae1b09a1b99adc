import Adjoint
import Foundation
import Testing
import TestSupport

/// `adjoint c` pinned on small expressions, so that a change in the C it prints is seen in review.
/// The files are Tests/Golden/cli-<name>.c, beside the library's kernels (`Golden`, in
/// TestSupport): what `c` prints after the prelude, which Tests/Golden/prelude.c pins once. The
/// `--standalone` output, which has a prelude of its own, is kept whole. Regenerate them all,
/// prelude.c included, with `ADJOINT_UPDATE_GOLDEN=1 swift test --filter Golden`.
@Suite struct GoldenTests {
    /// Each golden file, the arguments that print it, and whether the output starts with
    /// `Prelude.text` (the file then holds only the rest).
    static let cases: [(file: String, arguments: [String], sharesThePrelude: Bool)] = [
        ("cli-tanh.c", ["c", "tanh(x)", "--var", "x"], true),
        ("cli-tanh-grad.c", ["c", "tanh(x)", "--var", "x", "--grad", "x"], true),
        ("cli-sum-squares-grad.c", ["c", "sum(x ** 2)", "--var", "x:3", "--grad", "x"], true),
        ("cli-layer-grad.c", ["c", "sum(tanh(W @ x + b))", "--var", "W:2x3", "--var", "x:3", "--var", "b:2", "--grad", "W", "--grad", "b"], true),
        ("cli-product-hessian.c", ["c", "x[0] * x[1] ** 2", "--var", "x:2", "--hessian", "x"], true),
        ("cli-dot-standalone.c", ["c", "sum(softplus(x) * y)", "--var", "x:3", "--var", "y:3", "--grad", "x", "--standalone"], false),
    ]

    @Test(arguments: cases.map(\.file))
    func matchesGolden(_ file: String) throws {
        let entry = try #require(Self.cases.first { $0.file == file })
        let output = try CLI.succeed(entry.arguments)
        let command = "adjoint " + entry.arguments.joined(separator: " ")
        var text = output
        if entry.sharesThePrelude {
            text = try #require(Golden.kernel(of: output, after: Prelude.text),
                                "\(command) does not start with the prelude (Prelude.text)")
        }
        if Golden.updating {
            try Golden.write(text, to: file)
            return
        }
        let expected = try Golden.read(file)
        #expect(text == expected, "\(command) differs from Tests/Golden/\(file); if the change is intended, regenerate with ADJOINT_UPDATE_GOLDEN=1")
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
