import Foundation
import Testing
import TestSupport

@testable import Adjoint

/// The decompositions in exported C: a function of `eigh`, `qr` and `svd` and its gradient, as one
/// `Standalone.file` (the runtime's eigen.c, qr.c and svd.c pasted in), built by the system's
/// compilers with every warning an error, run by a small driver, and compared with the same
/// function's in-process kernel and the interpreter.
@Suite struct SpectralStandaloneTests {
    /// A stack of two 3×3 matrices with separated spectra.
    static let a = Spectral.matrix([2], 3, 3, seed: 71)

    /// Everything in one flat vector: the three factorizations' sign-fixed factors, pinv, and the
    /// gradient of a scalar of all of them.
    static func f(_ x: Tensor) -> Tensor {
        let (w, v) = eigh(x)
        let (q, r) = qr(x)
        let (u, s, vt) = svd(x)
        let scalar: (Tensor) -> Tensor = { y in
            let (w, v) = eigh(y), (q, r) = qr(y), (u, s, vt) = svd(y)
            return sum(w * w) + sum(sin(v)) + sum(q * r) + sum(u) + sum(s) + sum(cos(vt)) + norm(y[0], ord: .nuc)
        }
        let parts = [w, v, q, r, u, s, vt, pinv(x), grad(scalar)(x)]
        return concatenate(parts.map { $0.reshaped([$0.count]) }, axis: 0)
    }

    static func driver(count: Int) -> String {
        let values = a.scalars.map { "\($0)" }.joined(separator: ", ")
        return """
            #include <stdio.h>
            #include <stdlib.h>
            int adj_kernel(const double *const *in, double *const *out, double *ws);
            long adj_kernel_workspace(void);
            static const double a[\(a.count)] = {\(values)};
            static double r[\(count)];
            int main(void) {
                const double *in[1] = {a};
                double *out[1] = {r};
                double *ws = malloc(sizeof(double) * (size_t)(adj_kernel_workspace() + 1));
                int status = adj_kernel(in, out, ws);
                printf("%d", status);
                for (int k = 0; k < \(count); k++) printf(" %.17g", r[k]);
                printf("\\n");
                free(ws);
                return 0;
            }
            """
    }

    @Test(arguments: [("cc", ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O2"]), ("tcc", ["-Wall", "-Werror"])])
    func exportedCAgreesWithTheKernel(_ name: String, _ flags: [String]) throws {
        let compiler = try #require(ExternalProgram.installed(name), "\(name) is not on the PATH (scripts/setup installs it)")
        let expected = Self.f(Self.a)
        let compiled = compile(Self.f)(Self.a)
        #expect(relativeError(compiled, expected) < 1e-12, "in-process kernel against the interpreter")
        let program = LoopProgram(tracing: { [Self.f($0[0])] }, at: [Self.a])
        let source = Standalone.file(for: program, kernelName: "adj_kernel", summary: ["eigh, qr, svd and a gradient"],
                                     inputs: [Standalone.Label("a")], outputs: [Standalone.Label("f")])
        for file in ["eigen.c", "qr.c", "svd.c"] { #expect(source.contains("Runtime/\(file)"), "\(file) pasted") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spectral-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try source.write(to: directory.appendingPathComponent("f.c"), atomically: true, encoding: .utf8)
        try Self.driver(count: expected.count).write(to: directory.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
        let build = try ExternalProgram.run(compiler, flags + ["f.c", "driver.c", "-o", "driver", "-lm"], in: directory)
        try #require(build.status == 0 && build.output.isEmpty, "\(compiler): \(build.output)")
        let ran = try ExternalProgram.run(directory.appendingPathComponent("driver"), [], in: directory)
        let numbers = ran.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(numbers.count == expected.count + 1, "driver printed: \(ran.output.prefix(200))")
        #expect(numbers[0] == 0)
        let exported = Tensor(shape: [expected.count], scalars: Array(numbers.dropFirst()))
        #expect(relativeError(exported, compiled) < 1e-12, "\(compiler): exported C against the in-process kernel")
    }
}
