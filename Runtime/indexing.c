// Indexing routines: the scatter-add that is the adjoint of a gather (`take`), and a stable
// sort along an axis that also gives the permutation. The interpreter calls the same code, so a
// sort agrees between interpreted and compiled code bit for bit.
#include "adjoint_runtime.h"

// The index an element of `idx` names on an axis of extent n: negative counts from the end,
// outside the axis is clamped to it (the gather in generated C reads the same way).
static long adj_axis_index(double v, long n) {
    if (v < 0.0) return v < -(double)n ? 0 : (long)(v + (double)n);
    return v < (double)n ? (long)v : n - 1;
}

void adj_scatter_add(const double *g, const double *idx, double *r, long outer, long count, long inner, long extent) {
    for (long k = 0; k < outer * extent * inner; k++) r[k] = 0.0;
    if (extent == 0) return;
    for (long o = 0; o < outer; o++)
        for (long j = 0; j < count; j++)
            for (long i = 0; i < inner; i++) {
                long from = (o * count + j) * inner + i;
                long to = (o * extent + adj_axis_index(idx[from], extent)) * inner + i;
                r[to] += g[from];
            }
}

// a before b: a smaller, or b NaN and a not (NaN sorts last, as NumPy's).
static int adj_before(double a, double b) { return a < b || (b != b && a == a); }

void adj_sort(const double *x, double *values, double *perm, double *run, long outer, long n, long inner) {
    // Each line is sorted by a bottom-up merge sort of positions (stable: on a tie the left
    // run's element goes first), kept in the line's slots of `perm` and `values` alternately.
    for (long o = 0; o < outer; o++)
        for (long i = 0; i < inner; i++) {
            long base = o * n * inner + i;
            const double *line = x + base;
            double *a = perm + base, *b = values + base;
            for (long k = 0; k < n; k++) a[k * inner] = (double)k;
            for (long width = 1; width < n; width *= 2) {
                for (long lo = 0; lo < n; lo += 2 * width) {
                    long mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
                    long p = lo, q = mid, k = lo;
                    while (p < mid && q < hi) {
                        double left = a[p * inner], right = a[q * inner];
                        if (adj_before(line[(long)right * inner], line[(long)left * inner])) { b[k * inner] = right; q++; }
                        else { b[k * inner] = left; p++; }
                        k++;
                    }
                    for (; p < mid; p++, k++) b[k * inner] = a[p * inner];
                    for (; q < hi; q++, k++) b[k * inner] = a[q * inner];
                }
                double *t = a; a = b; b = t;
            }
            for (long k = 0; k < n; k++) {
                double position = a[k * inner];
                perm[base + k * inner] = position;
                values[base + k * inner] = line[(long)position * inner];
            }
            // Each slot's run of equal values starts where the previous slot's does, or here.
            for (long k = 0; k < n; k++) {
                long at = base + k * inner;
                run[at] = k > 0 && values[at] == values[at - inner] ? run[at - inner] : (double)k;
            }
        }
}
