// adj_solve_triangular: X = op(A)⁻¹ · B for a triangular op(A), by substitution, for each matrix
// of a stack; adj_substitute: the same for one matrix read through strides, the step that the
// factorizations' solves (Runtime/factor.c) are made of.
//
// Row-oriented, so that the only inner loop runs over the m columns of B and X at unit stride
// (vectorizable without -ffast-math, as nothing in it is reassociated): each row of X is made
// from the row of B and the rows of X already solved, with op(A)[i,j] read once per row pair.
// For lower (forward substitution) the rows are solved for i = 0, 1, …, n-1 and, for each,
//
//   t = b[i,:];  t -= op(A)[i,j] · x[j,:] for j = 0, 1, …, i-1;  x[i,:] = t / op(A)[i,i]
//
// and for upper (back substitution) for i = n-1, …, 0 with j = n-1, n-2, …, i+1: in both, the
// rows nearest the diagonal last. Every step is a separate multiply, subtract and true division
// (not a multiplication by a reciprocal), so each element is the correctly rounded textbook
// algorithm in that order. The multiply and the subtract are two statements so that a compiler
// that fuses only within an expression (clang's default -ffp-contract=on) cannot make them an FMA.
//
// Only the triangle of op(A) that is solved with (diagonal included) is read, as SciPy's
// solve_triangular does: the other may hold anything, NaN included. A zero on the diagonal is
// divided by like any other value and gives IEEE infinities/NaN, not a trap. n <= 0 or m <= 0
// does nothing. x must not overlap a or b (x is written row by row while b is still read).
//
// No malloc, no libc call, no header besides the runtime's, nothing beyond C99 (restrict is C99):
// `--standalone` output pastes this file into code for any compiler, and tcc 0.9.27 compiles it
// with -nostdlib (checked).
#include "adjoint_runtime.h"

/// solve for one right-hand side: the same operations in the same order, with the running value
/// in a register instead of a loop of one element per (i, j) (8× faster at n = 200).
static void solve_vector(const double *restrict a, long si, long sj, const double *restrict b,
                         double *restrict x, long n, int lower, int unit) {
    for (long r = 0; r < n; r++) {
        long i = lower ? r : n - 1 - r;
        double t = b[i];
        for (long q = 0; q < r; q++) {
            long j = lower ? q : n - 1 - q;
            double p = a[i * si + j * sj] * x[j];
            t -= p;
        }
        x[i] = unit ? t : t / a[i * si + i * sj];
    }
}

/// x[i,:] = (b[i,:] - Σj op(A)[i,j]·x[j,:]) / op(A)[i,i] in the order described above, with
/// op(A)[i,j] = a[i·si + j·sj]. The first term is subtracted from b[i,:] as it is read, rather
/// than b[i,:] copied into x[i,:] first (a loop the compiler would make a call to memcpy).
/// With `unit`, the diagonal is taken to be 1 and not read (the L of an LU factorization).
static void solve(const double *restrict a, long si, long sj, const double *restrict b,
                  double *restrict x, long n, long m, int lower, int unit) {
    if (m == 1) {
        solve_vector(a, si, sj, b, x, n, lower, unit);
        return;
    }
    for (long r = 0; r < n; r++) {
        long i = lower ? r : n - 1 - r;
        const double *restrict bi = b + i * m;
        double *restrict xi = x + i * m;
        double d = unit ? 1.0 : a[i * si + i * sj];
        if (r == 0) {
            for (long k = 0; k < m; k++) xi[k] = unit ? bi[k] : bi[k] / d;
            continue;
        }
        for (long q = 0; q < r; q++) {
            long j = lower ? q : n - 1 - q;
            double aij = a[i * si + j * sj];
            const double *restrict xj = x + j * m;
            if (q == 0) {
                for (long k = 0; k < m; k++) {
                    double p = aij * xj[k];
                    xi[k] = bi[k] - p;
                }
            } else {
                for (long k = 0; k < m; k++) {
                    double p = aij * xj[k];
                    xi[k] -= p;
                }
            }
        }
        if (!unit)
            for (long k = 0; k < m; k++) xi[k] = xi[k] / d;
    }
}

void adj_substitute(const double *a, long si, long sj, const double *b, double *x, long n, long m,
                    int lower, int unit) {
    if (n <= 0 || m <= 0) return;
    solve(a, si, sj, b, x, n, m, lower, unit);
}

void adj_solve_triangular(const double *a, const double *b, double *x, long batch, long n, long m,
                          int lower, int ta) {
    if (n <= 0 || m <= 0) return;
    for (long q = 0; q < batch; q++) {
        const double *aq = a + q * n * n;
        if (ta)
            solve(aq, 1, n, b + q * n * m, x + q * n * m, n, m, lower, 0);
        else
            solve(aq, n, 1, b + q * n * m, x + q * n * m, n, m, lower, 0);
    }
}
