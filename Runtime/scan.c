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

void adj_cumsum(const double *x, double *y, long outer, long n, long inner, int reverse) {
    for (long o = 0; o < outer; o++) {
        const double *xo = x + o * n * inner;
        double *yo = y + o * n * inner;
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
