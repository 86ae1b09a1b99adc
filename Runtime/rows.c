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

#if defined(__GNUC__)
/// Four doubles in a vector register (two SSE2 registers in the baseline version), loaded and
/// stored unaligned: the vectorizer left alone makes poor code of four rows' partial sums
/// (measured: 3× slower). The helpers taking and returning them are always inlined, so the
/// warning that passing them changes the ABI without AVX does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double rows_v4 __attribute__((vector_size(32)));

ROWS_INLINE void rows_store(double *p, const rows_v4 *v) { __builtin_memcpy(p, v, sizeof *v); }

ROWS_INLINE rows_v4 rows_load(const double *p) {
    rows_v4 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

/// The sum of a row's two vectors of partial sums (by pointer: gcc notes an ABI change for
/// vectors passed by value, inlined or not).
ROWS_INLINE double rows_total(const rows_v4 *a, const rows_v4 *b) {
    rows_v4 s = *a + *b;
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/// z[i] = x[i,:]·w, four rows at a time (each load of w serves four rows), each row with two
/// vectors of partial sums: eight independent chains keep both FMA units busy.
ROWS_INLINE void rows_dot(const double *restrict x, const double *restrict w, double *restrict z,
                          long rows, long d) {
    long i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *restrict r0 = x + i * d;
        const double *restrict r1 = r0 + d;
        const double *restrict r2 = r1 + d;
        const double *restrict r3 = r2 + d;
        rows_v4 a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        long j = 0;
        for (; j + 8 <= d; j += 8) {
            rows_v4 u = rows_load(w + j), v = rows_load(w + j + 4);
            a0 += rows_load(r0 + j) * u;
            b0 += rows_load(r0 + j + 4) * v;
            a1 += rows_load(r1 + j) * u;
            b1 += rows_load(r1 + j + 4) * v;
            a2 += rows_load(r2 + j) * u;
            b2 += rows_load(r2 + j + 4) * v;
            a3 += rows_load(r3 + j) * u;
            b3 += rows_load(r3 + j + 4) * v;
        }
        if (j + 4 <= d) {
            rows_v4 u = rows_load(w + j);
            a0 += rows_load(r0 + j) * u;
            a1 += rows_load(r1 + j) * u;
            a2 += rows_load(r2 + j) * u;
            a3 += rows_load(r3 + j) * u;
            j += 4;
        }
        double t0 = rows_total(&a0, &b0), t1 = rows_total(&a1, &b1), t2 = rows_total(&a2, &b2), t3 = rows_total(&a3, &b3);
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
        rows_v4 a = {0, 0, 0, 0}, b = a;
        long j = 0;
        for (; j + 8 <= d; j += 8) {
            a += rows_load(r0 + j) * rows_load(w + j);
            b += rows_load(r0 + j + 4) * rows_load(w + j + 4);
        }
        double t = rows_total(&a, &b);
        for (; j < d; j++) t += r0[j] * w[j];
        z[i] = t;
    }
}
#else
/// z[i] = x[i,:]·w (C99 without vector types: the standalone output's tcc build).
ROWS_INLINE void rows_dot(const double *restrict x, const double *restrict w, double *restrict z,
                          long rows, long d) {
    for (long i = 0; i < rows; i++) {
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
#endif

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
        long j = 0;
#if defined(__GNUC__)
        rows_v4 s0 = {v0, v0, v0, v0}, s1 = {v1, v1, v1, v1}, s2 = {v2, v2, v2, v2}, s3 = {v3, v3, v3, v3};
        for (; j + 4 <= d; j += 4) {
            rows_v4 sum = (s0 * rows_load(r0 + j) + s1 * rows_load(r1 + j)) + (s2 * rows_load(r2 + j) + s3 * rows_load(r3 + j));
            sum += rows_load(g + j);
            rows_store(g + j, &sum);
        }
#endif
        for (; j < d; j++) g[j] += (v0 * r0[j] + v1 * r1[j]) + (v2 * r2[j] + v3 * r3[j]);
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
