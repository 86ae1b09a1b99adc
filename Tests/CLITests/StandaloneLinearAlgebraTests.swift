import Adjoint
import Foundation
import Testing

/// `--standalone` output for kernels that call the factorizations: the file carries
/// `Runtime/factor.c` and the files it calls (the GEMM update, the substitution), compiles with
/// the system compilers without a warning, and its numbers are the in-process kernel's.
@Suite struct StandaloneLinearAlgebraTests {
    static let expression = "sum(solve(A, b)) + det(A) + sum(cholesky(A @ transpose(A) + 3)) + sum(linalg.inv(A) @ b)"
    static let arguments = ["--var", "A:3x3", "--var", "b:3", "--grad", "A", "--grad", "b", "--hessian", "b"]
    static let a = [4.0, 1, 0.5, -1, 3, 1, 0.25, 1, 2], b = [1.0, -2, 0.5]

    static let driver = """
        #include <stdio.h>
        #include <stdlib.h>
        int adj_kernel(const double *const *in, double *const *out, double *ws);
        long adj_kernel_workspace(void);
        int main(void) {
            static const double A[9] = {4.0, 1, 0.5, -1, 3, 1, 0.25, 1, 2};
            static const double b[3] = {1.0, -2, 0.5};
            const double *in[2] = {A, b};
            double f, dA[9], db[3], H[9];
            double *out[4] = {&f, dA, db, H};
            double *ws = malloc(sizeof(double) * (size_t)(adj_kernel_workspace() + 1));
            int status = adj_kernel(in, out, ws);
            printf("%d %.17g", status, f);
            for (int k = 0; k < 9; k++) printf(" %.17g", dA[k]);
            for (int k = 0; k < 3; k++) printf(" %.17g", db[k]);
            for (int k = 0; k < 9; k++) printf(" %.17g", H[k]);
            printf("\\n");
            free(ws);
            return 0;
        }
        """

    func check(compiler: String, flags: [String]) throws {
        let (text, numbers) = try StandaloneTests.buildAndRun([Self.expression] + Self.arguments, driver: Self.driver,
                                                             compiler: compiler, flags: flags)
        #expect(text.contains("Runtime/factor.c") && text.contains("Runtime/matmul.c") && text.contains("Runtime/triangular.c"))
        try #require(numbers.count == 23, "driver printed: \(numbers)")
        #expect(numbers[0] == 0)
        let at = ["--at", "A=" + Self.a.map { "\($0)" }.joined(separator: ","), "--at", "b=" + Self.b.map { "\($0)" }.joined(separator: ",")]
        let r = try CLI.evalJSON([Self.expression] + Self.arguments + at)
        #expect(relativeError([numbers[1]], r.value) < 1e-13)
        #expect(relativeError(Array(numbers[2..<11]), r.gradients["A"]!) < 1e-13)
        #expect(relativeError(Array(numbers[11..<14]), r.gradients["b"]!) < 1e-13)
        #expect(relativeError(Array(numbers[14..<23]), r.gradients["hessian b"]!) < 1e-12)
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
