// adj_eigh: the eigenvalues (ascending) and eigenvectors (columns) of a stack of symmetric matrices,
// by the cyclic Jacobi method.
//
// Why Jacobi and not Householder tridiagonalization + implicit QL (EISPACK's tred2/tql2): it is
// short, has no shift strategy or deflation logic to get wrong, and it is the more accurate of the
// two (its eigenvalues are accurate relative to each one's size, not only to the largest, Demmel &
// Veselić 1992), which the derivative rules — divided differences of eigenvalues — reward. It is
// slower by a constant (about 3 to 5 times tql2's flops for the sizes that matter here), which is
// the price for the spectral routines of small and moderate matrices this library differentiates.
//
// Each sweep visits every pair p < q once, in row order, and rotates the pair away when a[p][q] is
// not already 0 (Rutishauser's formulas, as Numerical Recipes' `jacobi`); sweeps end when the sum of
// squares of the off-diagonal elements is at most DBL_EPSILON² times that of all elements (Jacobi
// converges quadratically, so this costs one more sweep than a looser test), or after 100 sweeps.
//
// Results: w ascending; v's column j the eigenvector of w[j], so a = v · diag(w) · vᵀ. Sign: in each
// column the component of largest magnitude (the first of equal ones) is made positive, so the
// vectors are a function of the matrix wherever the eigenvalues are distinct. Equal eigenvalues have
// any orthonormal basis of their eigenspace (the one the rotations give).
//
// The matrix decomposed is (a + aᵀ)/2, which is a itself when a is symmetric (eigh passes
// tril(a) + tril(a, -1)ᵀ, NumPy's UPLO='L'); so the routine is a function of every a, which its
// derivative rules (written for the symmetric part) and their numerical checks rely on.
//
// Scratch: `work` (n×n, from the kernel's workspace) holds the matrix being rotated. No malloc, no
// libc call besides libm's sqrt, declared here (not through <math.h>) so that `--standalone` output
// pastes this file and compiles with tcc -nostdlib; C99.
// Static names start with `eigh_`: --standalone output pastes several Runtime files into one.
#include "adjoint_runtime.h"

double sqrt(double);

static double eigh_magnitude(double x) { return x < 0 ? -x : x; }

/// a' = Pᵀ a P and v' = v P for the rotation P of the plane (p, q) with cosine c and sine s.
static void eigh_rotate(double *a, double *v, long n, long p, long q, double c, double s) {
    for (long k = 0; k < n; k++) {
        double kp = a[k * n + p], kq = a[k * n + q];
        a[k * n + p] = c * kp - s * kq;
        a[k * n + q] = s * kp + c * kq;
    }
    for (long k = 0; k < n; k++) {
        double pk = a[p * n + k], qk = a[q * n + k];
        a[p * n + k] = c * pk - s * qk;
        a[q * n + k] = s * pk + c * qk;
    }
    for (long k = 0; k < n; k++) {
        double kp = v[k * n + p], kq = v[k * n + q];
        v[k * n + p] = c * kp - s * kq;
        v[k * n + q] = s * kp + c * kq;
    }
    a[p * n + q] = 0;
    a[q * n + p] = 0;
}

/// One sweep over every pair p < q; returns the off-diagonal sum of squares before it.
static double eigh_sweep(double *a, double *v, long n) {
    double off = 0;
    for (long p = 0; p < n; p++)
        for (long q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off == 0) return 0;
    for (long p = 0; p < n; p++) {
        for (long q = p + 1; q < n; q++) {
            double apq = a[p * n + q];
            if (apq == 0) continue;
            double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
            double t = theta > 1e150 || theta < -1e150 ? 0.5 / theta
                     : (theta >= 0 ? 1 : -1) / (eigh_magnitude(theta) + sqrt(theta * theta + 1));
            double c = 1 / sqrt(t * t + 1);
            eigh_rotate(a, v, n, p, q, c, t * c);
        }
    }
    return off;
}

/// Sorts w ascending (selection sort: n swaps of v's columns at most) and fixes the signs.
static void eigh_order(double *w, double *v, long n) {
    for (long j = 0; j < n; j++) {
        long best = j;
        for (long i = j + 1; i < n; i++) if (w[i] < w[best]) best = i;
        if (best != j) {
            double t = w[j]; w[j] = w[best]; w[best] = t;
            for (long k = 0; k < n; k++) {
                double x = v[k * n + j]; v[k * n + j] = v[k * n + best]; v[k * n + best] = x;
            }
        }
        long big = 0;
        for (long k = 1; k < n; k++) if (eigh_magnitude(v[k * n + j]) > eigh_magnitude(v[big * n + j])) big = k;
        if (v[big * n + j] < 0)
            for (long k = 0; k < n; k++) v[k * n + j] = -v[k * n + j];
    }
}

static void eigh_one(const double *a, double *w, double *v, double *work, long n) {
    double total = 0;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            double x = i == j ? a[i * n + i] : (a[i * n + j] + a[j * n + i]) / 2;
            work[i * n + j] = x;
            total += x * x;
            v[i * n + j] = 0;
        }
    for (long i = 0; i < n; i++) v[i * n + i] = 1;
    const double eps = 2.220446049250313e-16;
    for (int s = 0; s < 100; s++) {
        double off = eigh_sweep(work, v, n);
        if (off <= eps * eps * total) break;
    }
    for (long i = 0; i < n; i++) w[i] = work[i * n + i];
    eigh_order(w, v, n);
}

void adj_eigh(const double *a, double *w, double *v, double *work, long batch, long n) {
    if (n <= 0) return;
    for (long b = 0; b < batch; b++) eigh_one(a + b * n * n, w + b * n, v + b * n * n, work, n);
}
