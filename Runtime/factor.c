// Factorizations and the solves made from them, for each matrix of a stack (row-major, n×n):
//
//   adj_lu        P·A = L·U with partial pivoting (LAPACK's dgetrf, row-major)
//   adj_lu_solve  X = op(A)⁻¹·B from the factors
//   adj_lu_log_abs_det  Σ log|U[i,i]| (NumPy's slogdet sums the logs too)
//   adj_cholesky  A = L·Lᵀ from A's lower triangle (LAPACK's dpotrf, lower)
//
// Both factorizations are blocked (right-looking, NB = 32 columns a step) once n exceeds NB: the
// panel is factored unblocked, the block row of U (or the block column of L) is a triangular
// solve, and the trailing matrix is updated by adj_gemm_sub (Runtime/matmul.c), where nearly all
// of the n³ work is, at the matrix product's speed. Below NB they are the textbook loops.
// NB = 24–32 measured fastest at n = 200 (Intel Xeon 2.8 GHz, clang -O2); 64 and up were
// 1.5–3× slower, the unblocked panels being the slow part.
//
// No malloc, no libc call, nothing beyond C99; from libm only sqrt and log, declared here (there
// are no headers under tcc -nostdlib, and `--standalone` output links with -lm anyway): that
// output pastes this file, and tcc 0.9.27 compiles it with -nostdlib.
#include "adjoint_runtime.h"

double sqrt(double);
double log(double);

enum { NB = 32 };

static double absolute(double x) { return x < 0 ? -x : x; }

// ---- LU ----

/// Unblocked LU of the panel of columns c0 ..< c0+w, rows c0 ..< n, of the n×n row-major a,
/// swapping whole rows (so the pivots apply to the already factored columns on the left and the
/// trailing columns on the right at once). perm and the swap count are updated.
static void lu_panel(double *a, long n, long c0, long w, double *perm, long *swaps) {
    for (long j = c0; j < c0 + w; j++) {
        long p = j;
        double best = absolute(a[j * n + j]);
        for (long i = j + 1; i < n; i++) {
            double v = absolute(a[i * n + j]);
            if (v > best) { best = v; p = i; }
        }
        if (p != j) {
            double *rj = a + j * n, *rp = a + p * n;
            for (long k = 0; k < n; k++) { double t = rj[k]; rj[k] = rp[k]; rp[k] = t; }
            double t = perm[j]; perm[j] = perm[p]; perm[p] = t;
            *swaps += 1;
        }
        double d = a[j * n + j];
        if (d == 0) continue;  // singular: U gets its zero, the column below stays (LAPACK's info > 0)
        for (long i = j + 1; i < n; i++) {
            double *ri = a + i * n;
            double l = ri[j] / d;
            ri[j] = l;
            const double *rj = a + j * n;
            for (long k = j + 1; k < c0 + w; k++) {
                double t = l * rj[k];
                ri[k] -= t;
            }
        }
    }
}

static void lu_one(const double *a, double *lu, double *perm, double *parity, long n) {
    for (long i = 0; i < n * n; i++) lu[i] = a[i];
    for (long i = 0; i < n; i++) perm[i] = (double)i;
    long swaps = 0;
    for (long c0 = 0; c0 < n; c0 += NB) {
        long w = n - c0 < NB ? n - c0 : NB, rest = n - c0 - w;
        lu_panel(lu, n, c0, w, perm, &swaps);
        if (rest == 0) break;
        // U12 = L11⁻¹·A12 in place, row by row (L11 unit lower): row i -= Σp<i L[i,p]·row p.
        for (long i = c0 + 1; i < c0 + w; i++) {
            double *ri = lu + i * n + c0 + w;
            for (long p = c0; p < i; p++) {
                double l = lu[i * n + p];
                const double *rp = lu + p * n + c0 + w;
                for (long k = 0; k < rest; k++) {
                    double t = l * rp[k];
                    ri[k] -= t;
                }
            }
        }
        // A22 -= L21·U12.
        double *a22 = lu + (c0 + w) * n + c0 + w;
        adj_gemm_sub(lu + (c0 + w) * n + c0, n, lu + c0 * n + c0 + w, n, a22, n, rest, w, rest, 0);
    }
    *parity = swaps % 2 ? -1.0 : 1.0;
}

void adj_lu(const double *a, double *lu, double *perm, double *parity, long batch, long n) {
    for (long q = 0; q < batch; q++) lu_one(a + q * n * n, lu + q * n * n, perm + q * n, parity + q, n);
}

/// op(A)⁻¹·B for one matrix: A = Pᵀ·L·U, so A⁻¹·B = U⁻¹·L⁻¹·(P·B) and A⁻ᵀ·B = Pᵀ·L⁻ᵀ·U⁻ᵀ·B.
/// ws holds n×m.
static void lu_solve_one(const double *lu, const double *perm, const double *b, double *x, long n,
                         long m, int ta, double *ws) {
    if (!ta) {
        for (long i = 0; i < n; i++) {
            const double *src = b + (long)perm[i] * m;
            for (long k = 0; k < m; k++) x[i * m + k] = src[k];
        }
        adj_substitute(lu, n, 1, x, ws, n, m, 1, 1);  // L⁻¹ (unit lower)
        adj_substitute(lu, n, 1, ws, x, n, m, 0, 0);  // U⁻¹
    } else {
        adj_substitute(lu, 1, n, b, x, n, m, 1, 0);   // U⁻ᵀ (Uᵀ is lower)
        adj_substitute(lu, 1, n, x, ws, n, m, 0, 1);  // L⁻ᵀ (Lᵀ is unit upper)
        for (long i = 0; i < n; i++) {
            double *dst = x + (long)perm[i] * m;
            for (long k = 0; k < m; k++) dst[k] = ws[i * m + k];
        }
    }
}

void adj_lu_solve(const double *lu, const double *perm, const double *b, double *x, long batch, long n,
                  long m, int ta, double *ws) {
    if (n <= 0 || m <= 0) return;
    for (long q = 0; q < batch; q++)
        lu_solve_one(lu + q * n * n, perm + q * n, b + q * n * m, x + q * n * m, n, m, ta, ws);
}

void adj_lu_log_abs_det(const double *lu, double *result, long batch, long n) {
    for (long q = 0; q < batch; q++) {
        const double *u = lu + q * n * n;
        double total = 0.0;
        for (long i = 0; i < n; i++) total += log(absolute(u[i * n + i]));
        result[q] = total;
    }
}

// ---- Cholesky ----

/// Unblocked Cholesky of the diagonal block at (c0, c0), w wide, of l (n×n row-major, lower),
/// and of the rows below it in the same columns (L21 = A21·L11⁻ᵀ): the dot-product form, every
/// inner loop along a contiguous row. Returns 0 if a pivot is not positive (or NaN).
static int cholesky_panel(double *l, long n, long c0, long w) {
    for (long j = c0; j < c0 + w; j++) {
        double *rj = l + j * n;
        double d = rj[j];
        for (long p = c0; p < j; p++) {
            double t = rj[p] * rj[p];
            d -= t;
        }
        if (!(d > 0)) return 0;
        double s = sqrt(d);
        rj[j] = s;
        for (long i = j + 1; i < n; i++) {
            double *ri = l + i * n;
            double v = ri[j];
            for (long p = c0; p < j; p++) {
                double t = ri[p] * rj[p];
                v -= t;
            }
            ri[j] = v / s;
        }
    }
    return 1;
}

static void cholesky_one(const double *a, double *l, long n) {
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) l[i * n + j] = j <= i ? a[i * n + j] : 0.0;
    for (long c0 = 0; c0 < n; c0 += NB) {
        long w = n - c0 < NB ? n - c0 : NB, rest = n - c0 - w;
        if (!cholesky_panel(l, n, c0, w)) {
            double nan = 0.0;
            nan = nan / nan;
            for (long i = 0; i < n * n; i++) l[i] = nan;
            return;
        }
        // A22 -= L21·L21ᵀ on the lower triangle, one block row at a time (each row block's
        // columns up to its diagonal block).
        const double *l21 = l + (c0 + w) * n + c0;
        for (long r0 = 0; r0 < rest; r0 += NB) {
            long rows = rest - r0 < NB ? rest - r0 : NB;
            adj_gemm_sub(l21 + r0 * n, n, l21, n, l + (c0 + w + r0) * n + c0 + w, n, rows, w, r0 + rows, 1);
        }
    }
    // The updates of diagonal blocks also wrote above the diagonal (never read): clear it.
    for (long i = 0; i < n; i++)
        for (long j = i + 1; j < n; j++) l[i * n + j] = 0.0;
}

void adj_cholesky(const double *a, double *l, long batch, long n) {
    for (long q = 0; q < batch; q++) cholesky_one(a + q * n * n, l + q * n * n, n);
}
