// adj_eigh: the eigenvalues (ascending) and eigenvectors (columns) of a stack of symmetric matrices,
// by Householder tridiagonalization and the implicit QL method: EISPACK's tred2 and tql2 (Martin,
// Reinsch & Wilkinson 1968; Bowdler et al. 1968), in the form of JAMA's public-domain translation.
//
// Why these and not cyclic Jacobi: Jacobi (the first version of this file) is shorter, but at
// n = 200 it took 201 ms against tred2/tql2's ~25 ms, single thread (NumPy's LAPACK dsyevd: 4.7 ms);
// both are backward stable, which is what the identities and the derivative rules need.
// Rotations of the QL sweeps act on rows of vᵀ (v is transposed in place around tql2), so the
// inner loops run at unit stride. A sweep count cap (30 per eigenvalue) ends the iteration on
// matrices holding NaN or infinities (their results are then NaN, not a hang).
//
// Results: w ascending; v's column j the eigenvector of w[j], so a = v · diag(w) · vᵀ. Sign: in each
// column the component of largest magnitude (the first of equal ones) is made positive, so the
// vectors are a function of the matrix wherever the eigenvalues are distinct. Equal eigenvalues have
// any orthonormal basis of their eigenspace (the one the reflections and rotations give).
//
// The matrix decomposed is (a + aᵀ)/2, which is a itself when a is symmetric (eigh passes
// tril(a) + tril(a, -1)ᵀ, NumPy's UPLO='L'); so the routine is a function of every a, which its
// derivative rules (written for the symmetric part) and their numerical checks rely on.
//
// Scratch: `work` (n doubles, from the kernel's workspace) holds the off-diagonal. No malloc, no
// libc call besides libm's sqrt, declared here (not through <math.h>) so that `--standalone` output
// pastes this file and compiles with tcc -nostdlib; C99.
// Static names start with `eigh_`: --standalone output pastes several Runtime files into one.
#include "adjoint_runtime.h"

double sqrt(double);

static double eigh_magnitude(double x) { return x < 0 ? -x : x; }

/// sqrt(a² + b²) without overflow or underflow of the squares.
static double eigh_hypot(double a, double b) {
    double x = eigh_magnitude(a), y = eigh_magnitude(b), h = x > y ? x : y;
    if (h == 0) return 0;
    x /= h;
    y /= h;
    return h * sqrt(x * x + y * y);
}

static void eigh_transpose(double *v, long n) {
    for (long i = 0; i < n; i++)
        for (long j = i + 1; j < n; j++) {
            double t = v[i * n + j]; v[i * n + j] = v[j * n + i]; v[j * n + i] = t;
        }
}

/// Step i of the Householder reduction (row i of the matrix, its first i elements in d scaled by
/// `scale`): the reflector that zeroes them below the subdiagonal, applied to the leading i×i block.
static double eigh_reflect(double *v, double *d, double *e, long n, long i, double scale) {
    double h = 0;
    for (long k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
    }
    double f = d[i - 1], g = sqrt(h);
    if (f > 0) g = -g;
    e[i] = scale * g;
    h -= f * g;
    d[i - 1] = f - g;
    for (long j = 0; j < i; j++) e[j] = 0;
    for (long j = 0; j < i; j++) {
        f = d[j];
        v[j * n + i] = f;
        g = e[j] + v[j * n + j] * f;
        for (long k = j + 1; k <= i - 1; k++) {
            g += v[k * n + j] * d[k];
            e[k] += v[k * n + j] * f;
        }
        e[j] = g;
    }
    f = 0;
    for (long j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
    }
    double hh = f / (h + h);
    for (long j = 0; j < i; j++) e[j] -= hh * d[j];
    for (long j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (long k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
    }
    return h;
}

/// The product of the reflectors, formed in v from the vectors the reduction left in it.
static void eigh_accumulate(double *v, double *d, double *e, long n) {
    for (long i = 0; i < n - 1; i++) {
        v[(n - 1) * n + i] = v[i * n + i];
        v[i * n + i] = 1;
        double h = d[i + 1];
        if (h != 0) {
            for (long k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
            for (long j = 0; j <= i; j++) {
                double g = 0;
                for (long k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
                for (long k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
            }
        }
        for (long k = 0; k <= i; k++) v[k * n + i + 1] = 0;
    }
    for (long j = 0; j < n; j++) {
        d[j] = v[(n - 1) * n + j];
        v[(n - 1) * n + j] = 0;
    }
    v[(n - 1) * n + n - 1] = 1;
    e[0] = 0;
}

/// Householder reduction of v (symmetric, n×n) to tridiagonal form: d its diagonal, e its
/// subdiagonal (e[i] below d[i], e[0] = 0), v the orthogonal transformation (EISPACK's tred2).
static void eigh_tridiagonalize(double *v, double *d, double *e, long n) {
    for (long j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
    for (long i = n - 1; i > 0; i--) {
        double scale = 0;
        for (long k = 0; k < i; k++) scale += eigh_magnitude(d[k]);
        if (scale != 0) {
            d[i] = eigh_reflect(v, d, e, n, i, scale);
            continue;
        }
        e[i] = d[i - 1];
        for (long j = 0; j < i; j++) {
            d[j] = v[(i - 1) * n + j];
            v[i * n + j] = 0;
            v[j * n + i] = 0;
        }
        d[i] = 0;
    }
    eigh_accumulate(v, d, e, n);
}

/// Rows i and i+1 of vt (the columns of v) rotated: the QL step's accumulation.
static void eigh_rotate(double *vt, long n, long i, double c, double s) {
    double *x = vt + i * n, *y = vt + (i + 1) * n;
    for (long k = 0; k < n; k++) {
        double h = y[k];
        y[k] = s * x[k] + c * h;
        x[k] = c * x[k] - s * h;
    }
}

/// The implicit QL method on the tridiagonal (d, e), accumulating into vt = vᵀ (EISPACK's tql2).
static void eigh_ql(double *d, double *e, double *vt, long n) {
    const double eps = 2.220446049250313e-16;
    for (long i = 1; i < n; i++) e[i - 1] = e[i];
    e[n - 1] = 0;
    double f = 0, tst1 = 0;
    for (long l = 0; l < n; l++) {
        double t = eigh_magnitude(d[l]) + eigh_magnitude(e[l]);
        if (t > tst1) tst1 = t;
        long m = l;
        while (m < n - 1 && !(eigh_magnitude(e[m]) <= eps * tst1)) m++;
        for (int iter = 0; m > l && iter < 30; iter++) {
            double g = d[l], p = (d[l + 1] - g) / (2 * e[l]);
            double r = eigh_hypot(p, 1);
            if (p < 0) r = -r;
            d[l] = e[l] / (p + r);
            d[l + 1] = e[l] * (p + r);
            double dl1 = d[l + 1], h = g - d[l];
            for (long i = l + 2; i < n; i++) d[i] -= h;
            f += h;
            p = d[m];
            double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
            for (long i = m - 1; i >= l; i--) {
                c3 = c2;
                c2 = c;
                s2 = s;
                g = c * e[i];
                h = c * p;
                r = eigh_hypot(p, e[i]);
                e[i + 1] = s * r;
                s = e[i] / r;
                c = p / r;
                p = c * d[i] - s * g;
                d[i + 1] = h + s * (c * g + s * d[i]);
                eigh_rotate(vt, n, i, c, s);
            }
            p = -s * s2 * c3 * el1 * e[l] / dl1;
            e[l] = s * p;
            d[l] = c * p;
            if (!(eigh_magnitude(e[l]) > eps * tst1)) break;
        }
        d[l] += f;
        e[l] = 0;
    }
}

/// Sorts w ascending (selection sort: n swaps of vt's rows at most) and fixes the signs.
static void eigh_order(double *w, double *vt, long n) {
    for (long j = 0; j < n; j++) {
        long best = j;
        for (long i = j + 1; i < n; i++) if (w[i] < w[best]) best = i;
        if (best != j) {
            double t = w[j]; w[j] = w[best]; w[best] = t;
            for (long k = 0; k < n; k++) {
                double x = vt[j * n + k]; vt[j * n + k] = vt[best * n + k]; vt[best * n + k] = x;
            }
        }
        long big = 0;
        for (long k = 1; k < n; k++) if (eigh_magnitude(vt[j * n + k]) > eigh_magnitude(vt[j * n + big])) big = k;
        if (vt[j * n + big] < 0)
            for (long k = 0; k < n; k++) vt[j * n + k] = -vt[j * n + k];
    }
}

static void eigh_one(const double *a, double *w, double *v, double *work, long n) {
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) v[i * n + j] = i == j ? a[i * n + i] : (a[i * n + j] + a[j * n + i]) / 2;
    eigh_tridiagonalize(v, w, work, n);
    eigh_transpose(v, n);
    eigh_ql(w, work, v, n);
    eigh_order(w, v, n);
    eigh_transpose(v, n);
}

void adj_eigh(const double *a, double *w, double *v, double *work, long batch, long n) {
    if (n <= 0) return;
    for (long b = 0; b < batch; b++) eigh_one(a + b * n * n, w + b * n, v + b * n * n, work, n);
}
