import Adjoint
import Foundation
import Testing

/// `--standalone` output for a kernel with a row pass (Lower/RowPass.swift): the file carries
/// `Runtime/rows.c`, compiles with the system compilers without a warning (gcc and clang take its
/// vector code, tcc its plain C99), and its gradient is least squares' closed form Xᵀ(Xw − y),
/// computed by the driver itself.
@Suite struct StandaloneRowPassTests {
    static let expression = "0.5 * sum((X @ w - y) * (X @ w - y))"
    static let arguments = ["--var", "w:40", "--var", "X:1000x40", "--var", "y:1000", "--grad", "w"]

    static let driver = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        int adj_kernel(const double *const *in, double *const *out, double *ws);
        long adj_kernel_workspace(void);
        int main(void) {
            enum { N = 1000, D = 40 };
            static double X[N * D], w[D], y[N], r[N], expected[D], f, dw[D];
            for (int k = 0; k < N * D; k++) X[k] = sin(0.37 * k);
            for (int j = 0; j < D; j++) w[j] = 0.1 * cos(j);
            for (int i = 0; i < N; i++) y[i] = cos(0.11 * i);
            double value = 0;
            for (int i = 0; i < N; i++) {
                r[i] = -y[i];
                for (int j = 0; j < D; j++) r[i] += X[i * D + j] * w[j];
                value += 0.5 * r[i] * r[i];
                for (int j = 0; j < D; j++) expected[j] += r[i] * X[i * D + j];
            }
            const double *in[3] = {w, X, y};
            double *out[2] = {&f, dw};
            double *ws = malloc(sizeof(double) * (size_t)(adj_kernel_workspace() + 1));
            int status = adj_kernel(in, out, ws);
            double worst = fabs(f - value) / fabs(value), scale = 0;
            for (int j = 0; j < D; j++) scale = fmax(scale, fabs(expected[j]));
            for (int j = 0; j < D; j++) worst = fmax(worst, fabs(dw[j] - expected[j]) / scale);
            printf("%d %.3g\\n", status, worst);
            free(ws);
            return 0;
        }
        """

    func check(compiler: String, flags: [String]) throws {
        let (text, numbers) = try StandaloneTests.buildAndRun([Self.expression] + Self.arguments, driver: Self.driver,
                                                             compiler: compiler, flags: flags)
        #expect(text.contains("Runtime/rows.c") && text.contains("adj_rows_accumulate(x1"), "the kernel has a row pass")
        try #require(numbers.count == 2, "driver printed: \(numbers)")
        #expect(numbers[0] == 0)
        #expect(numbers[1] <= 1e-12, "largest relative difference from Xᵀ(Xw − y): \(numbers[1])")
    }

    @Test(.enabled(if: StandaloneTests.installed("cc") != nil, "cc is not on the PATH"))
    func ccBuildsAndRunsIt() throws {
        try check(compiler: "cc", flags: ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2"])
    }

    @Test(.enabled(if: StandaloneTests.installed("tcc") != nil, "tcc is not on the PATH (scripts/setup installs it)"))
    func tccBuildsAndRunsIt() throws {
        try check(compiler: "tcc", flags: ["-Wall", "-Werror"])
    }
}
