import Foundation
import Testing
import TestSupport
import Adjoint

/// Golden files pin the emitted C of a few small functions, so that any change in the generated
/// code shows in review. They live in Tests/Golden beside the command line's (`Golden`, in
/// TestSupport): the prelude once, in prelude.c, and each kernel's file without it. Regenerate
/// them all, prelude.c included, with `ADJOINT_UPDATE_GOLDEN=1 swift test --filter Golden`.
@Suite struct GoldenTests {
    /// Checks that `source` starts with the current prelude exactly, then compares the rest with
    /// Tests/Golden/`name` (or writes it there, under ADJOINT_UPDATE_GOLDEN=1).
    static func check(_ name: String, _ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let kernel = Golden.kernel(of: source, after: Prelude.text) else {
            Issue.record("the C emitted for \(name) does not start with Prelude.text", sourceLocation: sourceLocation)
            return
        }
        if Golden.updating {
            try Golden.write(kernel, to: name)
            return
        }
        let golden = try Golden.read(name)
        #expect(kernel == golden, "emitted C differs from Tests/Golden/\(name)", sourceLocation: sourceLocation)
    }

    /// prelude.c is the prelude every kernel starts with: a change to it (a new op's helper, a
    /// routine's declaration) shows here once, not in every kernel's file.
    @Test func preludeIsPinned() throws {
        if Golden.updating {
            try Golden.write(Prelude.text, to: Golden.preludeFile)
            return
        }
        #expect(try Golden.read(Golden.preludeFile) == Prelude.text,
                "Prelude.text differs from Tests/Golden/prelude.c; if the change is intended, regenerate with ADJOINT_UPDATE_GOLDEN=1")
    }

    @Test func tanhKernel() throws {
        try Self.check("tanh.c", compile(SeedTests.tanhExp).cSource(for: [[]]))
    }

    @Test func tanhGradientKernel() throws {
        try Self.check("tanh-grad.c", compile(grad(SeedTests.tanhExp)).cSource(for: [[]]))
    }

    @Test func logisticRegressionGradientKernel() throws {
        let loss: (Tensor, Tensor, Tensor) -> Tensor = { w, X, t in
            let p = 0.5 * (tanh(matmul(X, w) / 2) + 1)
            return -sum(log(p * t + (1 - p) * (1 - t)))
        }
        try Self.check("logreg-grad.c", compile(grad(loss, wrt: 0)).cSource(for: [[3], [4, 3], [4]]))
    }

    /// The same gradient at a size where X·w, the row-wise work and Xᵀ·v become one pass over X's
    /// rows (Lower/RowPass.swift).
    @Test func logisticRegressionGradientInOnePass() throws {
        let loss: (Tensor, Tensor, Tensor) -> Tensor = { w, X, t in
            let p = 0.5 * (tanh(matmul(X, w) / 2) + 1)
            return -sum(log(p * t + (1 - p) * (1 - t)))
        }
        try Self.check("logreg-grad-row-pass.c", compile(grad(loss, wrt: 0)).cSource(for: [[100], [1000, 100], [1000]]))
    }

    /// Every gcc and clang on the PATH (each program once, however many names it has there).
    static func systemCompilers() -> [URL] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var seen: Set<String> = []
        return path.split(separator: ":").flatMap { directory in
            ["gcc", "clang"].map { URL(fileURLWithPath: String(directory)).appendingPathComponent($0) }
        }.filter { url in
            FileManager.default.isExecutableFile(atPath: url.path)
                && seen.insert(url.resolvingSymlinksInPath().path).inserted
        }
    }

    /// The generated C is plain C99: the system's compilers accept each golden kernel after
    /// prelude.c, joined as they were emitted.
    @Test(.enabled(if: !systemCompilers().isEmpty, "no gcc or clang on the PATH"),
          arguments: ["tanh.c", "tanh-grad.c", "logreg-grad.c"])
    func goldenFilesCompileWithTheSystemCompilers(_ name: String) throws {
        let compilers = Self.systemCompilers()
        try #require(!compilers.isEmpty, "gcc and clang are not on the PATH any more")
        let joined = try Golden.joinedWithPrelude(name)
        defer { try? FileManager.default.removeItem(at: joined) }
        for compiler in compilers {
            let process = Process()
            process.executableURL = compiler
            process.arguments = ["-std=c99", "-pedantic-errors", "-fsyntax-only", "-x", "c", joined.path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(compiler.path) rejected \(name)")
        }
    }
}
