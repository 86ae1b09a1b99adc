import Adjoint
import Foundation
import Testing

/// `adjoint c --standalone`, the QBE way: compile the file with real compilers, link it into a
/// small C driver, run it, and check its numbers.
@Suite struct StandaloneTests {
    /// A driver that calls the kernel on fixed inputs and prints every output element.
    static let driver = """
        #include <stdio.h>
        #include <stdlib.h>
        int adj_kernel(const double *const *in, double *const *out, double *ws);
        long adj_kernel_workspace(void);
        int main(void) {
            static const double W[6] = {0.5, -1.0, 2.0, 0.25, 1.5, -0.75};
            static const double x[3] = {1.0, -2.0, 0.5};
            static const double b[2] = {0.1, -0.2};
            const double *in[3] = {W, x, b};
            double f, dW[6], dx[3], H[9];
            double *out[4] = {&f, dW, dx, H};
            double *ws = malloc(sizeof(double) * (size_t)(adj_kernel_workspace() + 1));
            int status = adj_kernel(in, out, ws);
            printf("%d %.17g", status, f);
            for (int k = 0; k < 6; k++) printf(" %.17g", dW[k]);
            for (int k = 0; k < 3; k++) printf(" %.17g", dx[k]);
            for (int k = 0; k < 9; k++) printf(" %.17g", H[k]);
            printf("\\n");
            free(ws);
            return 0;
        }
        """

    /// Where `program` is on the PATH, or nil: the tests that need a compiler are enabled only
    /// when it is there (a missing one shows as a skip), and fail if it is gone when they run.
    static func installed(_ program: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").lazy
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(program) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `program` (found on the PATH) with `arguments` in `directory`; its standard output
    /// and error together in `output`. Fails the test if the program is not on the PATH.
    static func tool(_ program: String, _ arguments: [String], in directory: URL,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Run {
        let url = try #require(installed(program), "\(program) is not on the PATH any more",
                               sourceLocation: sourceLocation)
        return try execute(url, arguments, in: directory)
    }

    static let expression = "sum(tanh(W @ x + b) ** 2) + dot(x, x) * 0.5"
    static let arguments = ["--var", "W:2x3", "--var", "x:3", "--var", "b:2", "--grad", "W", "--grad", "x", "--hessian", "x"]

    /// Compiles the exported file and the driver with `compiler`, runs it, and checks the
    /// numbers against `adjoint eval` and the exact gradient.
    func check(compiler: String, flags: [String]) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CLI.succeed(["c", Self.expression] + Self.arguments + ["--standalone", "-o", "f.c"], in: directory)
        try Self.driver.write(to: directory.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
        let build = try Self.tool(compiler, flags + ["f.c", "driver.c", "-o", "driver", "-lm"], in: directory)
        try #require(build.status == 0, "\(compiler) \(flags): \(build.output)")
        #expect(build.output.isEmpty, "\(compiler) \(flags): \(build.output)")
        let ran = try Self.execute(directory.appendingPathComponent("driver"), [], in: directory)
        let numbers = ran.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(numbers.count == 20, "driver printed: \(ran.output)")
        #expect(numbers[0] == 0)

        let r = try CLI.evalJSON([Self.expression] + Self.arguments + ["--at", "W=0.5,-1,2,0.25,1.5,-0.75", "--at", "x=1,-2,0.5", "--at", "b=0.1,-0.2"])
        #expect(relativeError([numbers[1]], r.value) < 1e-13)
        #expect(relativeError(Array(numbers[2..<8]), r.gradients["W"]!) < 1e-13)
        #expect(relativeError(Array(numbers[8..<11]), r.gradients["x"]!) < 1e-13)
        #expect(relativeError(Array(numbers[11..<20]), r.gradients["hessian x"]!) < 1e-12)

        // Exact: with z = W x + b, df/dW[i][j] = 2 tanh(z_i)(1 - tanh²(z_i)) x_j.
        let W = [[0.5, -1.0, 2.0], [0.25, 1.5, -0.75]], x = [1.0, -2.0, 0.5], b = [0.1, -0.2]
        var exact: [Double] = []
        for i in 0..<2 {
            var z = b[i]
            for j in 0..<3 { z += W[i][j] * x[j] }
            let t: Double = tanh(z)
            for j in 0..<3 { exact.append(2 * t * (1 - t * t) * x[j]) }
        }
        #expect(relativeError(Array(numbers[2..<8]), exact) < 1e-13)
    }

    /// Runs `executable` in `directory`, its standard output and error captured (through a file,
    /// which cannot fill and block as a pipe could) into `output`.
    /// Writes `adjoint c EXPR ARGS --standalone` and `driver` into a fresh directory, builds both
    /// with `compiler` and `flags` (which must print nothing) and runs the result: the C file's
    /// text and the numbers the driver printed.
    static func buildAndRun(_ cArguments: [String], driver: String, compiler: String, flags: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> (source: String, numbers: [Double]) {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CLI.succeed(["c"] + cArguments + ["--standalone", "-o", "f.c"], in: directory)
        let text = try String(contentsOf: directory.appendingPathComponent("f.c"), encoding: .utf8)
        try driver.write(to: directory.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
        let build = try tool(compiler, flags + ["f.c", "driver.c", "-o", "driver", "-lm"], in: directory,
                             sourceLocation: sourceLocation)
        try #require(build.status == 0, "\(compiler) \(flags): \(build.output)", sourceLocation: sourceLocation)
        #expect(build.output.isEmpty, "\(compiler) \(flags): \(build.output)", sourceLocation: sourceLocation)
        let ran = try execute(directory.appendingPathComponent("driver"), [], in: directory)
        let numbers = ran.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (text, numbers)
    }

    static func execute(_ executable: URL, _ arguments: [String], in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = directory.appendingPathComponent(".\(executable.lastPathComponent)-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return Run(status: process.terminationStatus, exited: process.terminationReason == .exit,
                   output: String(decoding: try Data(contentsOf: out), as: UTF8.self), errors: "")
    }

    @Test(.enabled(if: installed("cc") != nil, "cc is not on the PATH"))
    func ccBuildsAndRunsIt() throws {
        try check(compiler: "cc", flags: ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O2"])
    }

    @Test(.enabled(if: installed("tcc") != nil, "tcc is not on the PATH (scripts/setup installs it)"))
    func tccBuildsAndRunsIt() throws {
        try check(compiler: "tcc", flags: ["-Wall", "-Werror"])
    }

    /// Every expression of a varied set compiles with `cc -std=c99 -Wall -pedantic -c` without a
    /// single warning (unused helpers, variables or declarations would be one).
    @Test(.enabled(if: installed("cc") != nil, "cc is not on the PATH"))
    func ccCompilesWithoutWarnings() throws {
        try compilesWithoutWarnings(compiler: "cc", flags: ["-std=c99", "-Wall", "-Werror", "-pedantic", "-c"])
    }

    /// The same expressions compile with `tcc -Wall -c` without a single warning.
    @Test(.enabled(if: installed("tcc") != nil, "tcc is not on the PATH (scripts/setup installs it)"))
    func tccCompilesWithoutWarnings() throws {
        try compilesWithoutWarnings(compiler: "tcc", flags: ["-Wall", "-Werror", "-c"])
    }

    func compilesWithoutWarnings(compiler: String, flags: [String]) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [[String]] = [
            ["1 + 2"],
            ["pi * x", "--var", "x", "--var", "unused:3"],
            ["softplus(x) + abs(y) + relu(x)", "--var", "x", "--var", "y", "--grad", "x", "--grad", "y"],
            ["sum(A @ B)", "--var", "A:70x80", "--var", "B:80x90", "--grad", "A", "--grad", "B"],
            ["mean(A, axis=1) @ x", "--var", "A:4x5", "--var", "x:4", "--grad", "A"],
            ["where(x > 0, x, 0.1 * x)[1:3]", "--var", "x:5"],
            ["max(A, 0) + min(A, axis=1)[0] + mean(A)", "--var", "A:3x4"],
            ["sum(log1p(exp(x)) + expm1(x) + sqrt(x*x+1) + pow(x, 3) + sin(x)*cos(x)*tan(x))", "--var", "x:7", "--grad", "x", "--hessian", "x"],
            ["sum(x @ transpose(x))", "--var", "x:3x3", "--grad", "x", "--hessian", "x"],
        ]
        for (k, arguments) in cases.enumerated() {
            _ = try CLI.succeed(["c"] + arguments + ["--standalone", "--name", "kernel_\(k)", "-o", "f\(k).c"], in: directory)
            let run = try Self.tool(compiler, flags + ["f\(k).c", "-o", "f\(k).o"], in: directory)
            #expect(run.status == 0 && run.output.isEmpty, "\(compiler) on adjoint c \(arguments): \(run.output)")
        }
    }

    /// The runtime's C pasted into standalone files is Runtime/include/adjoint_runtime.h and every
    /// Runtime/*.c byte for byte, with no entry for a file that is gone (run scripts/embed-runtime
    /// after editing, adding or removing one).
    @Test func embeddedRuntimeMatchesTheFiles() throws {
        let stale = "Sources/Adjoint/CodeGen/RuntimeSource.swift is stale: run scripts/embed-runtime"
        let runtime = CLI.packageRoot.appendingPathComponent("Runtime")
        let header = try String(contentsOf: runtime.appendingPathComponent("include/adjoint_runtime.h"), encoding: .utf8)
        #expect(RuntimeSource.header == header, "adjoint_runtime.h: \(stale)")
        let names = try FileManager.default.contentsOfDirectory(atPath: runtime.path).filter { $0.hasSuffix(".c") }.sorted()
        #expect(names.contains("matmul.c") && names.contains("triangular.c"), "Runtime/ holds \(names)")
        for name in names {
            let file = try String(contentsOf: runtime.appendingPathComponent(name), encoding: .utf8)
            #expect(RuntimeSource.files[name] == file, "\(name): \(stale)")
        }
        #expect(RuntimeSource.files.keys.sorted() == names, "entries without a Runtime/*.c: \(stale)")
        #expect(RuntimeSource.matmul == RuntimeSource.files["matmul.c"])
    }

    /// Only what the kernel uses goes into the file.
    @Test func includesOnlyWhatIsUsed() throws {
        let plain = try CLI.succeed(["c", "sum(x * 2)", "--var", "x:3", "--standalone"])
        #expect(!plain.contains("adj_matmul") && !plain.contains("adj_softplus") && !plain.contains("double exp("))
        #expect(plain.contains("long adj_kernel_workspace(void) { return 0; }"))
        let matmul = try CLI.succeed(["c", "A @ x", "--var", "A:2x2", "--var", "x:2", "--standalone"])
        #expect(matmul.contains("void adj_matmul(const double *a") && !matmul.contains("#include \"adjoint_runtime.h\""))
        let softplus = try CLI.succeed(["c", "softplus(x)", "--var", "x", "--standalone"])
        #expect(softplus.contains("static double adj_softplus") && softplus.contains("double log1p(double);"))
        #expect(!softplus.contains("adj_sign"))
    }
}

/// The standalone file through libtcc in-process (the library's JITModule), so that "it compiles
/// with tcc" is checked even where the tcc program is not installed.
@Suite struct StandaloneLibTCCTests {
    @Test func libtccCompilesAndRunsIt() throws {
        let source = try CLI.succeed(["c", StandaloneTests.expression] + StandaloneTests.arguments + ["--standalone"])
        // The file defines the routines of the Runtime files it pastes (matmul.c's, tanh.c's)
        // itself; libm comes from the process.
        let pasted = Set(Routine.all.filter { source.contains("---- Runtime/\($0.file) ") }.map(\.name))
        let symbols = RuntimeSymbols.all.filter { !pasted.contains($0.name) }
        let module = try JITModule(source: source, symbols: symbols)
        #expect(module.diagnostics.isEmpty, "\(module.diagnostics)")
        let kernel = try #require(module.kernel(named: "adj_kernel"))
        typealias Count = @convention(c) () -> Int
        let workspaceCount = unsafeBitCast(try #require(module.address(of: "adj_kernel_workspace")), to: Count.self)()

        let W = [0.5, -1.0, 2.0, 0.25, 1.5, -0.75], x = [1.0, -2.0, 0.5], b = [0.1, -0.2]
        var f = [0.0], dW = [Double](repeating: 0, count: 6), dx = [Double](repeating: 0, count: 3)
        var H = [Double](repeating: 0, count: 9), ws = [Double](repeating: 0, count: workspaceCount + 1)
        let status = W.withUnsafeBufferPointer { w in x.withUnsafeBufferPointer { xp in b.withUnsafeBufferPointer { bp in
            f.withUnsafeMutableBufferPointer { fp in dW.withUnsafeMutableBufferPointer { dwp in
                dx.withUnsafeMutableBufferPointer { dxp in H.withUnsafeMutableBufferPointer { hp in
                    ws.withUnsafeMutableBufferPointer { wsp in
                        let inputs: [UnsafePointer<Double>?] = [w.baseAddress, xp.baseAddress, bp.baseAddress]
                        let outputs: [UnsafeMutablePointer<Double>?] = [fp.baseAddress, dwp.baseAddress, dxp.baseAddress, hp.baseAddress]
                        return inputs.withUnsafeBufferPointer { i in outputs.withUnsafeBufferPointer { o in
                            kernel(i.baseAddress, o.baseAddress, wsp.baseAddress)
                        } }
                    }
                } }
            } }
        } } }
        #expect(status == 0)
        let r = try CLI.evalJSON([StandaloneTests.expression] + StandaloneTests.arguments
                                 + ["--at", "W=0.5,-1,2,0.25,1.5,-0.75", "--at", "x=1,-2,0.5", "--at", "b=0.1,-0.2"])
        #expect(relativeError(f, r.value) < 1e-13)
        #expect(relativeError(dW, r.gradients["W"]!) < 1e-13)
        #expect(relativeError(dx, r.gradients["x"]!) < 1e-13)
        #expect(relativeError(H, r.gradients["hessian x"]!) < 1e-12)
    }
}
