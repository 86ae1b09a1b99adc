// adj_convolution: a general dilated, strided, padded cross-correlation (XLA's/JAX's
// conv_general_dilated with NC… / OI… layouts) over up to three spatial axes.
//
// x is batch×cin×n0×n1×n2, w is cout×cin×k0×k1×k2, y is batch×cout×o0×o1×o2, all row-major.
// Along each spatial axis a, x is first dilated by dl (dl-1 zeros between its elements, extent
// (n-1)·dl+1), then padded by lo zeros before (a negative lo crops), and the kernel is dilated by
// dr; the window moves by s. With q = i·s + j·dr - lo the position in the dilated input,
//
//   y[b,o,i0,i1,i2] = Σc Σj0 Σj1 Σj2 w[o,c,j0,j1,j2] · x[b,c,q0/dl0,q1/dl1,q2/dl2]
//
// over the terms whose every q lies in the dilated input at a multiple of its dl (the others
// read padding or a dilation's zeros and are skipped, not added as zeros: a NaN in w times a zero
// that is not there stays out). The padding after the input only decides the o's, which the
// caller passes. Fewer spatial axes are unit axes (n = k = o = s = dl = dr = 1, lo = 0).
//
// Each output element is summed in the order c, j0, j1, j2 (y starts at zero), every product and
// sum a separate statement, so that no compiler can contract them into an FMA and both tiers, the
// interpreter and --standalone output give the same bits. The loops run over output positions
// innermost, at unit stride in y (and in x where s = dl = 1), for each weight in turn; when an
// output plane is smaller than the kernel (a kernel cotangent), output by output instead, in
// the same order of terms.
//
// No malloc, no libc call, no header besides the runtime's, nothing beyond C99.
#include "adjoint_runtime.h"

/// One spatial axis: extents of input, kernel and output, stride, dilations, padding before.
typedef struct {
    long n, k, o, s, dl, dr, lo;
} adj_conv_axis;

/// floor(a / b) for b > 0 (C's division truncates toward zero); b = 1, the usual stride and
/// dilation, without a division.
static long floor_div(long a, long b) {
    if (b == 1) return a;
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// The greatest common divisor of a, b > 0.
static long gcd(long a, long b) {
    while (b != 0) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/// The output positions i (first ≤ i < end) whose q = i·s + j·dr - lo falls inside the dilated
/// input, 0 ≤ q ≤ (n-1)·dl, for kernel position j.
static void window(const adj_conv_axis *a, long j, long *first, long *end) {
    long c = j * a->dr - a->lo, top = (a->n - 1) * a->dl;
    long f = -floor_div(c, a->s);  // ceil(-c / s)
    long e = floor_div(top - c, a->s) + 1;
    if (f < 0) f = 0;
    if (e > a->o) e = a->o;
    *first = f;
    *end = e < f ? f : e;
}

/// y[i] += wv · x[i·s + c] for first ≤ i < end along the last axis (dl = 1), or at the positions
/// q = i·s + c that are multiples of dl, x[q / dl].
static void inner(const adj_conv_axis *a, long first, long end, long c, double wv, const double *restrict x,
                  double *restrict y) {
    if (a->dl == 1 && a->s == 1) {
        const double *restrict xs = x + c;
        for (long i = first; i < end; i++) {
            double p = wv * xs[i];
            y[i] += p;
        }
    } else if (a->dl == 1) {
        for (long i = first; i < end; i++) {
            double p = wv * x[i * a->s + c];
            y[i] += p;
        }
    } else {
        // q = i·s + c is a multiple of dl every dl / gcd(s, dl) outputs, where the input index
        // q / dl moves by that many strides over dl: find the first, then step.
        long step = a->dl / gcd(a->s, a->dl), i = first;
        while (i < end && (i * a->s + c) % a->dl != 0) i++;
        if (i >= end) return;
        const double *restrict xs = x + (i * a->s + c) / a->dl;
        long move = step * a->s / a->dl;
        for (; i < end; i += step, xs += move) {
            double p = wv * *xs;
            y[i] += p;
        }
    }
}

/// y[i0, i1, :] += wv · x[…] over the outputs that kernel position (j0, j1, j2) reaches; the
/// windows are worked out once per kernel position, not per row.
static void accumulate(const adj_conv_axis *ax, const long *j, double wv, const double *restrict x,
                       double *restrict y) {
    long f[3], e[3], c[3];
    for (int a = 0; a < 3; a++) {
        window(&ax[a], j[a], &f[a], &e[a]);
        if (f[a] >= e[a]) return;
        c[a] = j[a] * ax[a].dr - ax[a].lo;
    }
    long row0 = ax[1].n * ax[2].n, out0 = ax[1].o * ax[2].o;
    for (long i0 = f[0]; i0 < e[0]; i0++) {
        long q0 = i0 * ax[0].s + c[0];
        if (ax[0].dl != 1 && q0 % ax[0].dl != 0) continue;
        const double *restrict x0 = x + (q0 / ax[0].dl) * row0;
        double *restrict y0 = y + i0 * out0;
        for (long i1 = f[1]; i1 < e[1]; i1++) {
            long q1 = i1 * ax[1].s + c[1];
            if (ax[1].dl != 1 && q1 % ax[1].dl != 0) continue;
            inner(&ax[2], f[2], e[2], c[2], wv, x0 + (q1 / ax[1].dl) * ax[2].n, y0 + i1 * ax[2].o);
        }
    }
}

/// One (b, o) plane of y from every input channel of one batch element.
static void plane(const adj_conv_axis *ax, long cin, const double *restrict x, const double *restrict w,
                  double *restrict y) {
    long xn = ax[0].n * ax[1].n * ax[2].n, wk = ax[0].k * ax[1].k * ax[2].k;
    for (long c = 0; c < cin; c++) {
        const double *restrict wc = w + c * wk;
        long j[3];
        for (j[0] = 0; j[0] < ax[0].k; j[0]++)
            for (j[1] = 0; j[1] < ax[1].k; j[1]++)
                for (j[2] = 0; j[2] < ax[2].k; j[2]++)
                    accumulate(ax, j, wc[(j[0] * ax[1].k + j[1]) * ax[2].k + j[2]], x + c * xn, y);
    }
}

/// The kernel positions j (first ≤ j < end) at which output position i reads inside the dilated
/// input along one axis, 0 ≤ i·s + j·dr - lo ≤ (n-1)·dl (the multiples of dl among them are
/// the input's elements).
static void taps(const adj_conv_axis *a, long i, long *first, long *end) {
    long c = i * a->s - a->lo, top = (a->n - 1) * a->dl;
    long f = -floor_div(c, a->dr);  // ceil(-c / dr)
    long e = floor_div(top - c, a->dr) + 1;
    if (f < 0) f = 0;
    if (e > a->k) e = a->k;
    *first = f;
    *end = e < f ? f : e;
}

/// Σ over the kernel row wr (last axis) of wr[j] · x[q / dl], q = c + j·dr, for output i.
static double row_sum(const adj_conv_axis *a, long i, const double *restrict wr, const double *restrict xr,
                      double total) {
    long f, e, c = i * a->s - a->lo;
    taps(a, i, &f, &e);
    if (a->dl == 1) {
        const double *restrict xc = xr + c;
        for (long j = f; j < e; j++) {
            double p = wr[j] * xc[j * a->dr];
            total += p;
        }
        return total;
    }
    for (long j = f; j < e; j++) {
        long q = c + j * a->dr;
        if (q % a->dl != 0) continue;
        double p = wr[j] * xr[q / a->dl];
        total += p;
    }
    return total;
}

/// The input index that output i and kernel position j read along an outer axis, or -1 at a
/// dilation's zero (j comes from taps, so q is inside the dilated input).
static long source(const adj_conv_axis *a, long i, long j) {
    long q = i * a->s + j * a->dr - a->lo;
    if (a->dl == 1) return q;
    return q % a->dl != 0 ? -1 : q / a->dl;
}

/// The same plane output by output, each a sum over c, j0, j1, j2 in that order (the order the
/// kernel-major loops above add in, from the same zero, so the bits are the same): for planes
/// smaller than the kernel (a kernel cotangent, where the "kernel" is the layer's output), whose
/// kernel-major loops would be mostly bookkeeping.
static void gather(const adj_conv_axis *ax, long cin, const double *restrict x, const double *restrict w,
                   double *restrict y) {
    long xn = ax[0].n * ax[1].n * ax[2].n, wk = ax[0].k * ax[1].k * ax[2].k;
    for (long i0 = 0; i0 < ax[0].o; i0++) {
        long f0, e0;
        taps(&ax[0], i0, &f0, &e0);
        for (long i1 = 0; i1 < ax[1].o; i1++) {
            long f1, e1;
            taps(&ax[1], i1, &f1, &e1);
            for (long i2 = 0; i2 < ax[2].o; i2++) {
                double total = 0.0;
                for (long c = 0; c < cin; c++)
                    for (long j0 = f0; j0 < e0; j0++) {
                        long p0 = source(&ax[0], i0, j0);
                        if (p0 < 0) continue;
                        for (long j1 = f1; j1 < e1; j1++) {
                            long p1 = source(&ax[1], i1, j1);
                            if (p1 < 0) continue;
                            const double *restrict xr = x + c * xn + (p0 * ax[1].n + p1) * ax[2].n;
                            const double *restrict wr = w + c * wk + (j0 * ax[1].k + j1) * ax[2].k;
                            total = row_sum(&ax[2], i2, wr, xr, total);
                        }
                    }
                y[(i0 * ax[1].o + i1) * ax[2].o + i2] = total;
            }
        }
    }
}

void adj_convolution(const double *x, const double *w, double *y, long batch, long cin, long cout,
                     long n0, long k0, long o0, long s0, long dl0, long dr0, long lo0,
                     long n1, long k1, long o1, long s1, long dl1, long dr1, long lo1,
                     long n2, long k2, long o2, long s2, long dl2, long dr2, long lo2) {
    adj_conv_axis ax[3] = {{n0, k0, o0, s0, dl0, dr0, lo0}, {n1, k1, o1, s1, dl1, dr1, lo1},
                           {n2, k2, o2, s2, dl2, dr2, lo2}};
    long yn = o0 * o1 * o2, xn = n0 * n1 * n2, wk = k0 * k1 * k2;
    for (long t = 0; t < batch * cout * yn; t++) y[t] = 0.0;
    if (xn <= 0 || wk <= 0) return;
    for (long b = 0; b < batch; b++)
        for (long o = 0; o < cout; o++) {
            const double *xb = x + b * cin * xn, *wo = w + o * cin * wk;
            double *yp = y + (b * cout + o) * yn;
            if (yn < wk)
                gather(ax, cin, xb, wo, yp);
            else
                plane(ax, cin, xb, wo, yp);
        }
}
