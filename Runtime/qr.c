// adj_qr: the reduced QR factorization of a stack of m×n matrices, a = q · r with k = min(m, n),
// q (m×k) with orthonormal columns and r (k×n) upper triangular with a diagonal ≥ 0, by Householder
// reflections (Golub & Van Loan, Algorithm 5.2.1, then Q accumulated backward as LAPACK's dorg2r).
//
// Sign: LAPACK leaves r's diagonal of either sign (the reflector that avoids cancellation decides);
// here each row j of r whose diagonal came out negative is negated, with column j of q, so r's
// diagonal is ≥ 0. That makes the factorization unique for a of full column rank, hence a
// differentiable function of a (what the derivative rules assume); NumPy's signs may differ by
// those flips.
//
// Storage (scratch: `work`, n doubles, for the sums of a reflection; otherwise the results): for m ≥ n the reflectors' work is done in q itself (an
// m×n copy of a); column j's reflector v (its head included, so its scale 2/vᵀv needs no array of
// its own) is kept in q's column j, rows j..m-1, while r's row j is copied out. For m < n the work
// is done in r (an m×n copy of a) and the reflectors are kept in q (m×m). q is then formed in place
// from the reflectors. A zero column below the diagonal needs no reflection (the identity is used).
//
// No malloc, no libc call besides libm's sqrt (declared here, not through <math.h>, so that
// `--standalone` output pastes this file and compiles with tcc -nostdlib); C99.
// Static names start with `qr_`: --standalone output pastes several Runtime files into one.
#include "adjoint_runtime.h"

double sqrt(double);

static double qr_magnitude(double x) { return x < 0 ? -x : x; }

/// x := (I − tau·v·vᵀ) x on columns first..<last of the rows·(columns) block x (row stride ldx),
/// v read with stride ldv: the sums vᵀx for all columns first (work[c]), then the update, both
/// row by row so the inner loops run along rows at unit stride.
static void qr_apply(double *x, long ldx, const double *v, long ldv, long rows, long first, long last, double tau,
                     double *work) {
    for (long c = first; c < last; c++) work[c] = 0;
    for (long i = 0; i < rows; i++) {
        double vi = v[i * ldv];
        const double *row = x + i * ldx;
        for (long c = first; c < last; c++) work[c] += vi * row[c];
    }
    for (long i = 0; i < rows; i++) {
        double f = tau * v[i * ldv];
        double *row = x + i * ldx;
        for (long c = first; c < last; c++) row[c] -= f * work[c];
    }
}

/// The reflector of column j of w (m×n, rows j..m-1), applied to w's columns j+1..n-1, stored in
/// q's column j (stride k); returns the diagonal element of r (what column j becomes).
static double qr_reflect(double *w, double *q, long m, long n, long k, long j, double *work) {
    double scale = 0;
    for (long i = j; i < m; i++) if (qr_magnitude(w[i * n + j]) > scale) scale = qr_magnitude(w[i * n + j]);
    if (scale == 0) {
        for (long i = j; i < m; i++) q[i * k + j] = 0;
        return 0;
    }
    double norm2 = 0;
    for (long i = j; i < m; i++) norm2 += (w[i * n + j] / scale) * (w[i * n + j] / scale);
    double x0 = w[j * n + j], norm = scale * sqrt(norm2);
    double alpha = x0 >= 0 ? -norm : norm;
    for (long i = j + 1; i < m; i++) q[i * k + j] = w[i * n + j];
    q[j * k + j] = x0 - alpha;
    double vv = 0;
    for (long i = j; i < m; i++) vv += q[i * k + j] * q[i * k + j];
    qr_apply(w + j * n, n, q + j * k + j, k, m - j, j + 1, n, 2 / vv, work);
    return alpha;
}

/// q = H₀ H₁ … H_{k-1} applied to the first k columns of the identity, in place over the
/// reflectors held in q's columns (rows j..m-1 of column j; whatever is above them is overwritten).
static void qr_form(double *q, long m, long k, double *work) {
    for (long j = k - 1; j >= 0; j--) {
        double vv = 0;
        for (long i = j; i < m; i++) vv += q[i * k + j] * q[i * k + j];
        double tau = vv == 0 ? 0 : 2 / vv;
        qr_apply(q + j * k, k, q + j * k + j, k, m - j, j + 1, k, tau, work);
        double head = q[j * k + j];
        for (long i = j + 1; i < m; i++) q[i * k + j] = -tau * q[i * k + j] * head;
        q[j * k + j] = 1 - tau * head * head;
        for (long i = 0; i < j; i++) q[i * k + j] = 0;
    }
}

static void qr_one(const double *a, double *q, double *r, double *work, long m, long n) {
    long k = m < n ? m : n;
    double *w = m >= n ? q : r;
    for (long i = 0; i < m * n; i++) w[i] = a[i];
    for (long j = 0; j < k; j++) {
        double d = qr_reflect(w, q, m, n, k, j, work);
        if (w == q) {
            for (long c = 0; c < n; c++) r[j * n + c] = c < j ? 0 : c == j ? d : w[j * n + c];
        } else {
            r[j * n + j] = d;
            for (long i = j + 1; i < m; i++) r[i * n + j] = 0;
        }
    }
    qr_form(q, m, k, work);
    for (long j = 0; j < k; j++) {
        if (r[j * n + j] >= 0) continue;
        for (long c = j; c < n; c++) r[j * n + c] = -r[j * n + c];
        for (long i = 0; i < m; i++) q[i * k + j] = -q[i * k + j];
    }
}

void adj_qr(const double *a, double *q, double *r, double *work, long batch, long m, long n) {
    if (m <= 0 || n <= 0) return;
    long k = m < n ? m : n;
    for (long b = 0; b < batch; b++) qr_one(a + b * m * n, q + b * m * k, r + b * k * n, work, m, n);
}
