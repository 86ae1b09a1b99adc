// adj_svd: the reduced singular value decomposition of a stack of m×n matrices, a = u · diag(s) · vt
// with k = min(m, n), u (m×k) and vtᵀ (n×k) with orthonormal columns and s (k) descending, by the
// one-sided Jacobi method (Hestenes 1958; the convergence test of Demmel & Veselić 1992).
//
// Why one-sided Jacobi: no bidiagonalization, shifts or deflation (Golub–Kahan's), a short loop;
// small singular values are accurate relative to their size. The k vectors of the smaller side
// (a's columns for m ≥ n, its rows for m < n) are rotated in pairs until every two are orthogonal,
// the rotations accumulating in the k×k factor of the other side: for m ≥ n, a·v = x with
// orthogonal columns, s_j = |x_j| and u_j = x_j / s_j. Both sets are kept as contiguous rows (the
// columns in the kernel's workspace, transposed into u at the end; the rows in vt itself), so every
// inner loop runs at unit stride, and each vector's squared norm is carried through the rotations
// (recomputed at every sweep's start) so a pair costs one dot product, not three. A pair is
// rotated when |x_p·x_q| > len·ε·|x_p||x_q|; sweeps end when one rotates nothing, or after 100.
//
// A zero singular value's vector (in u for m ≥ n, in vt for m < n) is completed to an orthonormal
// basis: the unit vector e_t least in the span of the others, orthogonalized against them twice.
//
// Sign: the component of largest magnitude of each column of u (the first of equal ones) is made
// positive (with the row of vt), so the factors are a function of a wherever the singular values
// are distinct and nonzero. Equal singular values have any orthonormal basis (the rotations' one).
//
// Scratch: `work`, m·n doubles. No malloc, no libc call besides libm's sqrt (declared here, not
// through <math.h>, so that `--standalone` output pastes this file and compiles with tcc
// -nostdlib); C99.
// Static names start with `svd_`: --standalone output pastes several Runtime files into one.
#include "adjoint_runtime.h"

double sqrt(double);

static double svd_magnitude(double x) { return x < 0 ? -x : x; }

static double svd_dot(const double *x, const double *y, long len) {
    double s = 0;
    for (long i = 0; i < len; i++) s += x[i] * y[i];
    return s;
}

/// x, y = c·x − s·y, s·x + c·y.
static void svd_turn(double *x, double *y, long len, double c, double s) {
    for (long i = 0; i < len; i++) {
        double a = x[i], b = y[i];
        x[i] = c * a - s * b;
        y[i] = s * a + c * b;
    }
}

static void svd_swap(double *x, double *y, long len) {
    for (long i = 0; i < len; i++) {
        double t = x[i]; x[i] = y[i]; y[i] = t;
    }
}

/// Rotates the k rows of x (length len) in pairs until orthogonal, the same rotations applied to
/// the k rows of j (length k); norm2 holds the rows' squared norms.
static void svd_orthogonalize(double *x, long len, double *j, long k, double *norm2) {
    const double tol = 2.220446049250313e-16 * (double)(len > 1 ? len : 1);
    for (int sweep = 0; sweep < 100; sweep++) {
        int rotated = 0;
        for (long p = 0; p < k; p++) norm2[p] = svd_dot(x + p * len, x + p * len, len);
        for (long p = 0; p < k; p++) {
            for (long q = p + 1; q < k; q++) {
                double alpha = norm2[p], beta = norm2[q];
                if (alpha == 0 || beta == 0) continue;
                double gamma = svd_dot(x + p * len, x + q * len, len);
                if (svd_magnitude(gamma) <= tol * sqrt(alpha) * sqrt(beta)) continue;
                double zeta = (beta - alpha) / (2 * gamma);
                double t = zeta > 1e150 || zeta < -1e150 ? 0.5 / zeta
                         : (zeta >= 0 ? 1 : -1) / (svd_magnitude(zeta) + sqrt(zeta * zeta + 1));
                double c = 1 / sqrt(t * t + 1);
                svd_turn(x + p * len, x + q * len, len, c, t * c);
                svd_turn(j + p * k, j + q * k, k, c, t * c);
                norm2[p] = alpha - t * gamma;
                norm2[q] = beta + t * gamma;
                rotated = 1;
            }
        }
        if (!rotated) break;
    }
}

/// Row p of x := the unit vector e_t least in the span of the other (orthonormal, or zero) rows,
/// orthogonalized against them twice and normalized.
static void svd_complete(double *x, long len, long k, long p) {
    long best = 0;
    double most = -1;
    for (long t = 0; t < len; t++) {
        double left = 1;
        for (long o = 0; o < k; o++) if (o != p) left -= x[o * len + t] * x[o * len + t];
        if (left > most) { most = left; best = t; }
    }
    double *y = x + p * len;
    for (long i = 0; i < len; i++) y[i] = i == best ? 1 : 0;
    for (int twice = 0; twice < 2; twice++)
        for (long o = 0; o < k; o++) {
            if (o == p) continue;
            double d = svd_dot(x + o * len, y, len);
            for (long i = 0; i < len; i++) y[i] -= d * x[o * len + i];
        }
    double f = 1 / sqrt(svd_dot(y, y, len));
    for (long i = 0; i < len; i++) y[i] *= f;
}

/// s_p = |x_p|, the rows of x normalized (zero ones completed), sorted descending with j's rows.
static void svd_finish(double *x, long len, double *j, long k, double *s) {
    for (long p = 0; p < k; p++) {
        s[p] = sqrt(svd_dot(x + p * len, x + p * len, len));
        if (s[p] > 0)
            for (long i = 0; i < len; i++) x[p * len + i] /= s[p];
    }
    for (long p = 0; p < k; p++) if (s[p] == 0) svd_complete(x, len, k, p);
    for (long p = 0; p < k; p++) {
        long best = p;
        for (long q = p + 1; q < k; q++) if (s[q] > s[best]) best = q;
        if (best == p) continue;
        double t = s[p]; s[p] = s[best]; s[best] = t;
        svd_swap(x + p * len, x + best * len, len);
        svd_swap(j + p * k, j + best * k, k);
    }
}

/// The sign rule: row p of `u` (u's column p) has its largest-magnitude component positive; row p
/// of `other` follows.
static void svd_fix_signs(double *u, long ulen, double *other, long olen, long k) {
    for (long p = 0; p < k; p++) {
        double *x = u + p * ulen;
        long big = 0;
        for (long i = 1; i < ulen; i++) if (svd_magnitude(x[i]) > svd_magnitude(x[big])) big = i;
        if (x[big] >= 0) continue;
        for (long i = 0; i < ulen; i++) x[i] = -x[i];
        for (long i = 0; i < olen; i++) other[p * olen + i] = -other[p * olen + i];
    }
}

/// m ≥ n: the columns of a (rows of work, length m) are rotated, v accumulates as vt's rows.
/// m < n: the rows of a (vt's rows, length n) are rotated, u accumulates as uᵀ's rows in work.
static void svd_one(const double *a, double *u, double *s, double *vt, double *work, long m, long n) {
    long k = m < n ? m : n, len = m >= n ? m : n;
    double *x = m >= n ? work : vt, *j = m >= n ? vt : work;
    for (long i = 0; i < m; i++)
        for (long c = 0; c < n; c++) {
            if (m >= n) x[c * m + i] = a[i * n + c];
            else x[i * n + c] = a[i * n + c];
        }
    for (long i = 0; i < k * k; i++) j[i] = i % (k + 1) == 0 ? 1 : 0;
    svd_orthogonalize(x, len, j, k, s);
    svd_finish(x, len, j, k, s);
    if (m >= n) svd_fix_signs(x, len, j, k, k); else svd_fix_signs(j, k, x, len, k);
    double *ut = m >= n ? x : j;  // uᵀ, k rows of length m
    for (long i = 0; i < m; i++)
        for (long c = 0; c < k; c++) u[i * k + c] = ut[c * m + i];
}

void adj_svd(const double *a, double *u, double *s, double *vt, double *work, long batch, long m, long n) {
    if (m <= 0 || n <= 0) return;
    long k = m < n ? m : n;
    for (long b = 0; b < batch; b++) svd_one(a + b * m * n, u + b * m * k, s + b * k, vt + b * k * n, work, m, n);
}
