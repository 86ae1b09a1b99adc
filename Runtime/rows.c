// The two halves of a pass over a matrix's rows (Lower/RowPass.swift): a kernel whose graph
// computes z = X·w, row-wise work on z giving v, and g = Xᵀ·v (logistic regression's gradient,
// a linear model's) reads each block of X's rows twice while it is in L1: once for its part of z,
// once for its part of g. Computed as two matrix products, X streams from memory twice.
//
//   adj_rows_dot:        z[i]  = Σj x[i·d + j] · w[j]          for i < rows
//   adj_rows_accumulate: g[j] += Σi v[i] · x[i·d + j]          for j < d
//
// Written to vectorize without -ffast-math (several independent partial sums, unit-stride inner
// loops), and compiled twice on x86-64 with gcc or clang as matmul.c is: a baseline version and
// one for AVX2 + FMA chosen at each call by __builtin_cpu_supports. The kernel calls the same
// routine in both tiers, so both give the same bits. No malloc, no libc call: tcc compiles this
// file with -nostdlib for `--standalone` output.
#include "adjoint_runtime.h"

#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute) && !defined(ADJ_NO_DISPATCH)
#if __has_attribute(target)
#define ROWS_DISPATCH 1
#define ROWS_AVX2 __attribute__((target("avx2,fma")))
#endif
#endif

#if defined(__GNUC__)
#define ROWS_INLINE static inline __attribute__((always_inline))
#else
#define ROWS_INLINE static inline
#endif

/// z[i] = x[i,:]·w, four rows at a time (each load of w serves four rows), each row with four
/// independent partial sums.
ROWS_INLINE void rows_dot(const double *restrict x, const double *restrict w, double *restrict z,
                          long rows, long d) {
    long i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *restrict r0 = x + i * d;
        const double *restrict r1 = r0 + d;
        const double *restrict r2 = r1 + d;
        const double *restrict r3 = r2 + d;
        double s0[4] = {0, 0, 0, 0}, s1[4] = {0, 0, 0, 0};
        double s2[4] = {0, 0, 0, 0}, s3[4] = {0, 0, 0, 0};
        long j = 0;
        for (; j + 4 <= d; j += 4) {
            for (int l = 0; l < 4; l++) {
                double wv = w[j + l];
                s0[l] += r0[j + l] * wv;
                s1[l] += r1[j + l] * wv;
                s2[l] += r2[j + l] * wv;
                s3[l] += r3[j + l] * wv;
            }
        }
        double t0 = (s0[0] + s0[1]) + (s0[2] + s0[3]);
        double t1 = (s1[0] + s1[1]) + (s1[2] + s1[3]);
        double t2 = (s2[0] + s2[1]) + (s2[2] + s2[3]);
        double t3 = (s3[0] + s3[1]) + (s3[2] + s3[3]);
        for (; j < d; j++) {
            t0 += r0[j] * w[j];
            t1 += r1[j] * w[j];
            t2 += r2[j] * w[j];
            t3 += r3[j] * w[j];
        }
        z[i] = t0;
        z[i + 1] = t1;
        z[i + 2] = t2;
        z[i + 3] = t3;
    }
    for (; i < rows; i++) {
        const double *restrict r0 = x + i * d;
        double s[4] = {0, 0, 0, 0};
        long j = 0;
        for (; j + 4 <= d; j += 4)
            for (int l = 0; l < 4; l++) s[l] += r0[j + l] * w[j + l];
        double t = (s[0] + s[1]) + (s[2] + s[3]);
        for (; j < d; j++) t += r0[j] * w[j];
        z[i] = t;
    }
}

/// g += Σi v[i]·x[i,:], four rows per sweep over g, so g is loaded and stored once per four rows.
ROWS_INLINE void rows_accumulate(const double *restrict x, const double *restrict v, double *restrict g,
                                 long rows, long d) {
    long i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *restrict r0 = x + i * d;
        const double *restrict r1 = r0 + d;
        const double *restrict r2 = r1 + d;
        const double *restrict r3 = r2 + d;
        double v0 = v[i], v1 = v[i + 1], v2 = v[i + 2], v3 = v[i + 3];
        for (long j = 0; j < d; j++) g[j] += (v0 * r0[j] + v1 * r1[j]) + (v2 * r2[j] + v3 * r3[j]);
    }
    for (; i < rows; i++) {
        const double *restrict r0 = x + i * d;
        double v0 = v[i];
        for (long j = 0; j < d; j++) g[j] += v0 * r0[j];
    }
}

#ifdef ROWS_DISPATCH
ROWS_AVX2 static void rows_dot_avx2(const double *x, const double *w, double *z, long rows, long d) {
    rows_dot(x, w, z, rows, d);
}

ROWS_AVX2 static void rows_accumulate_avx2(const double *x, const double *v, double *g, long rows, long d) {
    rows_accumulate(x, v, g, rows, d);
}
#endif

void adj_rows_dot(const double *x, const double *w, double *z, long rows, long d) {
#ifdef ROWS_DISPATCH
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        rows_dot_avx2(x, w, z, rows, d);
        return;
    }
#endif
    rows_dot(x, w, z, rows, d);
}

void adj_rows_accumulate(const double *x, const double *v, double *g, long rows, long d) {
#ifdef ROWS_DISPATCH
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        rows_accumulate_avx2(x, v, g, rows, d);
        return;
    }
#endif
    rows_accumulate(x, v, g, rows, d);
}
