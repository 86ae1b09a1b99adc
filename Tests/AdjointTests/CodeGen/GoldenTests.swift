import Foundation
import Testing
import Adjoint

/// Golden files pin the emitted C of a few small functions, so that any change in the generated
/// code shows in review. Regenerate with `ADJOINT_UPDATE_GOLDEN=1 swift test --filter Golden`.
@Suite struct GoldenTests {
    /// Tests/Golden (this file is Tests/AdjointTests/CodeGen/GoldenTests.swift).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ name: String, _ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ADJOINT_UPDATE_GOLDEN"] == "1" {
            try source.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(source == golden, "emitted C differs from Tests/Golden/\(name)", sourceLocation: sourceLocation)
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

    /// The generated C is plain C99: the system's compilers accept the golden files as they are.
    @Test(.enabled(if: !systemCompilers().isEmpty, "no gcc or clang on the PATH"),
          arguments: ["tanh.c", "tanh-grad.c", "logreg-grad.c"])
    func goldenFilesCompileWithTheSystemCompilers(_ name: String) throws {
        let compilers = Self.systemCompilers()
        try #require(!compilers.isEmpty, "gcc and clang are not on the PATH any more")
        for compiler in compilers {
            let process = Process()
            process.executableURL = compiler
            process.arguments = ["-std=c99", "-pedantic-errors", "-fsyntax-only", "-x", "c",
                                 Self.directory.appendingPathComponent(name).path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(compiler.path) rejected \(name)")
        }
    }
}
