// adj_svd: the reduced singular value decomposition of a stack of m×n matrices, a = u · diag(s) · vt
// with k = min(m, n), u (m×k) and vtᵀ (n×k) with orthonormal columns and s (k) descending, by the
// one-sided Jacobi method (Hestenes 1958; the convergence test of Demmel & Veselić 1992).
//
// Why one-sided Jacobi: no bidiagonalization, shifts or deflation (Golub–Kahan's), a short loop;
// small singular values are accurate relative to their size. For m ≥ n the n columns of a copy of a
// (kept in u) are rotated in pairs until every two are orthogonal, the rotations accumulating in v
// (kept in vt, transposed at the end): then a·v = x with orthogonal columns, s_j = |x_j| and
// u_j = x_j / s_j. For m < n the same is done to the m rows (aᵀ's columns, kept in vt), the
// rotations accumulating in u. A pair is rotated when |x_p·x_q| > m·ε·|x_p||x_q|; sweeps end when
// a sweep rotates nothing, or after 100 sweeps.
//
// A zero singular value's vector (in u for m ≥ n, in vt for m < n) is completed to an orthonormal
// basis: the unit vector e_t least in the span of the others, orthogonalized against them twice.
//
// Sign: the component of largest magnitude of each column of u (the first of equal ones) is made
// positive (with the row of vt), so the factors are a function of a wherever the singular values
// are distinct and nonzero. Equal singular values have any orthonormal basis (the rotations' one).
//
// No malloc, no libc call besides libm's sqrt (declared here, not through <math.h>, so that
// `--standalone` output pastes this file and compiles with tcc -nostdlib); C99.
// Static names start with `svd_`: --standalone output pastes several Runtime files into one.
#include "adjoint_runtime.h"

double sqrt(double);

static double svd_magnitude(double x) { return x < 0 ? -x : x; }

/// k vectors of length len: element i of vector j at x[i·es + j·vs].
typedef struct { double *x; long len, k, es, vs; } SvdVectors;

static double svd_dot(const SvdVectors *v, long p, long q) {
    double s = 0;
    for (long i = 0; i < v->len; i++) s += v->x[i * v->es + p * v->vs] * v->x[i * v->es + q * v->vs];
    return s;
}

/// x_p, x_q = c·x_p − s·x_q, s·x_p + c·x_q.
static void svd_turn(const SvdVectors *v, long p, long q, double c, double s) {
    for (long i = 0; i < v->len; i++) {
        double *xp = v->x + i * v->es + p * v->vs, *xq = v->x + i * v->es + q * v->vs;
        double a = *xp, b = *xq;
        *xp = c * a - s * b;
        *xq = s * a + c * b;
    }
}

static void svd_swap(const SvdVectors *v, long p, long q) {
    for (long i = 0; i < v->len; i++) {
        double *xp = v->x + i * v->es + p * v->vs, *xq = v->x + i * v->es + q * v->vs;
        double t = *xp; *xp = *xq; *xq = t;
    }
}

static void svd_scale(const SvdVectors *v, long p, double f) {
    for (long i = 0; i < v->len; i++) v->x[i * v->es + p * v->vs] *= f;
}

/// Rotates the pairs of x until orthogonal, accumulating the rotations in j (k×k, columns).
static void svd_orthogonalize(const SvdVectors *x, const SvdVectors *j) {
    const double tol = 2.220446049250313e-16 * (double)(x->len > 1 ? x->len : 1);
    for (int sweep = 0; sweep < 100; sweep++) {
        int rotated = 0;
        for (long p = 0; p < x->k; p++) {
            for (long q = p + 1; q < x->k; q++) {
                double alpha = svd_dot(x, p, p), beta = svd_dot(x, q, q), gamma = svd_dot(x, p, q);
                if (alpha == 0 || beta == 0 || svd_magnitude(gamma) <= tol * sqrt(alpha) * sqrt(beta)) continue;
                double zeta = (beta - alpha) / (2 * gamma);
                double t = zeta > 1e150 || zeta < -1e150 ? 0.5 / zeta
                         : (zeta >= 0 ? 1 : -1) / (svd_magnitude(zeta) + sqrt(zeta * zeta + 1));
                double c = 1 / sqrt(t * t + 1);
                svd_turn(x, p, q, c, t * c);
                svd_turn(j, p, q, c, t * c);
                rotated = 1;
            }
        }
        if (!rotated) break;
    }
}

/// x_p := the unit vector e_t least in the span of the other (orthonormal, or zero) vectors,
/// orthogonalized against them twice and normalized.
static void svd_complete(const SvdVectors *x, long p) {
    long best = 0;
    double most = -1;
    for (long t = 0; t < x->len; t++) {
        double left = 1;
        for (long o = 0; o < x->k; o++) if (o != p) left -= x->x[t * x->es + o * x->vs] * x->x[t * x->es + o * x->vs];
        if (left > most) { most = left; best = t; }
    }
    for (long i = 0; i < x->len; i++) x->x[i * x->es + p * x->vs] = i == best ? 1 : 0;
    for (int twice = 0; twice < 2; twice++)
        for (long o = 0; o < x->k; o++) {
            if (o == p) continue;
            double d = svd_dot(x, o, p);
            for (long i = 0; i < x->len; i++) x->x[i * x->es + p * x->vs] -= d * x->x[i * x->es + o * x->vs];
        }
    svd_scale(x, p, 1 / sqrt(svd_dot(x, p, p)));
}

/// s_j = |x_j|, x_j normalized (zero ones completed), sorted descending with j's columns.
static void svd_finish(const SvdVectors *x, const SvdVectors *j, double *s) {
    for (long p = 0; p < x->k; p++) {
        s[p] = sqrt(svd_dot(x, p, p));
        if (s[p] > 0) svd_scale(x, p, 1 / s[p]);
    }
    for (long p = 0; p < x->k; p++) if (s[p] == 0) svd_complete(x, p);
    for (long p = 0; p < x->k; p++) {
        long best = p;
        for (long q = p + 1; q < x->k; q++) if (s[q] > s[best]) best = q;
        if (best == p) continue;
        double t = s[p]; s[p] = s[best]; s[best] = t;
        svd_swap(x, p, best);
        svd_swap(j, p, best);
    }
}

/// The sign rule: u's column p (in `u`) has its largest-magnitude component positive.
static void svd_fix_signs(const SvdVectors *u, const SvdVectors *other) {
    for (long p = 0; p < u->k; p++) {
        long big = 0;
        for (long i = 1; i < u->len; i++)
            if (svd_magnitude(u->x[i * u->es + p * u->vs]) > svd_magnitude(u->x[big * u->es + p * u->vs])) big = i;
        if (u->x[big * u->es + p * u->vs] >= 0) continue;
        svd_scale(u, p, -1);
        svd_scale(other, p, -1);
    }
}

static void svd_one(const double *a, double *u, double *s, double *vt, long m, long n) {
    long k = m < n ? m : n;
    double *x = m >= n ? u : vt, *acc = m >= n ? vt : u;
    for (long i = 0; i < m * n; i++) x[i] = a[i];
    for (long i = 0; i < k * k; i++) acc[i] = i % (k + 1) == 0 ? 1 : 0;
    SvdVectors xs, js;
    xs.x = x; xs.k = k; xs.len = m >= n ? m : n; xs.es = m >= n ? n : 1; xs.vs = m >= n ? 1 : n;
    js.x = acc; js.k = k; js.len = k; js.es = k; js.vs = 1;
    svd_orthogonalize(&xs, &js);
    svd_finish(&xs, &js, s);
    if (m >= n) svd_fix_signs(&xs, &js); else svd_fix_signs(&js, &xs);
    if (m >= n)
        for (long i = 0; i < k; i++)
            for (long c = i + 1; c < k; c++) {
                double t = vt[i * k + c]; vt[i * k + c] = vt[c * k + i]; vt[c * k + i] = t;
            }
}

void adj_svd(const double *a, double *u, double *s, double *vt, long batch, long m, long n) {
    if (m <= 0 || n <= 0) return;
    long k = m < n ? m : n;
    for (long b = 0; b < batch; b++) svd_one(a + b * m * n, u + b * m * k, s + b * k, vt + b * k * n, m, n);
}
