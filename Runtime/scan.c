// adj_cumsum: running sums along one axis, in one pass: O(n) per lane.
//
// The array is seen as outer × n × inner (row-major): the scanned axis in the middle, the axes
// after it (inner) contiguous. For each of the n positions along the axis, the inner loop adds
// the whole row of `inner` lanes at unit stride, so it vectorizes without reassociating anything:
// every lane is the sequential sum y[i] = y[i-1] + x[i] in order, as NumPy's cumsum adds, and the
// first element is copied (a -0.0 stays -0.0). reverse != 0 scans from the end (y[i] = y[i+1] + x[i]),
// which is the transpose of the forward scan (the derivative of cumsum).
//
// No malloc, no libc call, no header besides the runtime's, nothing beyond C99: `--standalone`
// output pastes this file into code for any compiler, and tcc 0.9.27 compiles it with -nostdlib.
#include "adjoint_runtime.h"

/// One lane (inner == 1): the running sum stays in a register, instead of each step reading back
/// the element it stored a step before (a store-to-load round trip per element).
static void lane(const double *x, double *y, long n, long step) {
    double total = x[0];
    y[0] = total;
    for (long r = 1; r < n; r++) {
        total = total + x[r * step];
        y[r * step] = total;
    }
}

void adj_cumsum(const double *x, double *y, long outer, long n, long inner, int reverse) {
    if (n <= 0) return;
    for (long o = 0; o < outer; o++) {
        const double *xo = x + o * n * inner;
        double *yo = y + o * n * inner;
        if (inner == 1) {
            if (reverse) lane(xo + n - 1, yo + n - 1, n, -1);
            else lane(xo, yo, n, 1);
            continue;
        }
        for (long r = 0; r < n; r++) {
            long i = reverse ? n - 1 - r : r;
            const double *xi = xo + i * inner;
            double *yi = yo + i * inner;
            if (r == 0) {
                for (long k = 0; k < inner; k++) yi[k] = xi[k];
                continue;
            }
            const double *previous = reverse ? yi + inner : yi - inner;
            for (long k = 0; k < inner; k++) yi[k] = previous[k] + xi[k];
        }
    }
}
