import Foundation
import Testing
import TestSupport

@testable import Adjoint

/// A kernel with convolutions (values, gradients, a second derivative) exported as one
/// standalone C file (`Standalone.file`, what `adjoint c --standalone` writes), built by cc
/// and by tcc with a driver, run, and compared with the in-process kernel bit for bit.
@Suite struct ConvolutionStandaloneTests {
    /// conv2d with stride and padding, its gradient in both operands, convolve's `same` and its
    /// gradient's directional derivative (a second-order term through dilated convolutions).
    static func function(_ t: [Tensor]) -> [Tensor] {
        let (x, w, a, b) = (t[0], t[1], t[2], t[3])
        let loss: ([Tensor]) -> Tensor = { p in sum(square(conv2d(p[0], p[1], stride: 2, padding: 1))) }
        let g = grad(loss)([x, w])
        let second = grad { (u: Tensor) in sum(grad { (v: Tensor) in sum(convolve(v, b, mode: .same) * v) }(u) * a) }(a)
        return [conv2d(x, w, stride: 2, padding: 1), g[0], g[1], convolve(a, b, mode: .same), second]
    }

    /// A driver with the inputs as literals that prints every output element.
    static func driver(inputs: [Tensor], outputCounts: [Int]) -> String {
        var text = "#include <stdio.h>\n#include <stdlib.h>\n"
        text += "int adj_kernel(const double *const *in, double *const *out, double *ws);\nlong adj_kernel_workspace(void);\n"
        for (k, t) in inputs.enumerated() {
            text += "static const double in\(k)[\(t.count)] = {" + t.scalars.map { String(format: "%.17g", $0) }.joined(separator: ", ") + "};\n"
        }
        for (k, n) in outputCounts.enumerated() { text += "static double out\(k)[\(n)];\n" }
        text += "int main(void) {\n"
        text += "    const double *in[] = {" + inputs.indices.map { "in\($0)" }.joined(separator: ", ") + "};\n"
        text += "    double *out[] = {" + outputCounts.indices.map { "out\($0)" }.joined(separator: ", ") + "};\n"
        text += "    double *ws = malloc(sizeof(double) * (size_t)(adj_kernel_workspace() + 1));\n"
        text += "    printf(\"%d\\n\", adj_kernel(in, out, ws));\n"
        for (k, n) in outputCounts.enumerated() {
            text += "    for (int i = 0; i < \(n); i++) printf(\"%.17g\\n\", out\(k)[i]);\n"
        }
        text += "    free(ws);\n    return 0;\n}\n"
        return text
    }

    @Test(.enabled(if: ExternalProgram.installed("cc") != nil, "cc is not on the PATH"))
    func ccBuildMatchesTheInProcessKernel() throws {
        try check(compiler: "cc", flags: ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O2"])
    }

    @Test(.enabled(if: ExternalProgram.installed("tcc") != nil, "tcc is not on the PATH (scripts/setup installs it)"))
    func tccBuildMatchesTheInProcessKernel() throws {
        try check(compiler: "tcc", flags: ["-Wall", "-Werror"])
    }

    func check(compiler: String, flags: [String]) throws {
        var rng = SplitMix64(seed: 11)
        let inputs = [rng.tensor([2, 3, 6, 5]), rng.tensor([4, 3, 3, 2]), rng.tensor([5, 4]), rng.tensor([2, 3])]
        let expected = compile(Self.function)(inputs)
        let program = LoopProgram(tracing: Self.function, at: inputs)
        let source = Standalone.file(for: program, kernelName: "adj_kernel", summary: ["convolution test"],
                                     inputs: inputs.indices.map { Standalone.Label("x\($0)") },
                                     outputs: expected.indices.map { Standalone.Label("y\($0)") })
        #expect(source.contains("void adj_convolution(") && !source.contains("#include \"adjoint_runtime.h\""))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("adjoint-conv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try source.write(to: directory.appendingPathComponent("f.c"), atomically: true, encoding: .utf8)
        try Self.driver(inputs: inputs, outputCounts: expected.map(\.count))
            .write(to: directory.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
        let cc = try #require(ExternalProgram.installed(compiler))
        let (status, output) = try ExternalProgram.run(cc, flags + ["f.c", "driver.c", "-o", "driver", "-lm"], in: directory)
        try #require(status == 0, "\(compiler): \(output)")
        let (_, printed) = try ExternalProgram.run(directory.appendingPathComponent("driver"), [], in: directory)
        let numbers = printed.split(separator: "\n").compactMap { Double($0) }
        let flat = expected.flatMap(\.scalars)
        try #require(numbers.count == flat.count + 1, "driver printed \(printed.prefix(200))")
        #expect(numbers[0] == 0)
        #expect(Array(numbers.dropFirst()) == flat, "\(compiler): standalone and in-process bits differ")
    }
}
