// adj_tanh: the hyperbolic tangent that every `tanh` node computes, in the interpreter, in
// libtcc's code and in the optimized tier's, so all three give the same bits.
//
// Why not libm's: glibc's tanh is a call per element that calls expm1 in turn (20–40 ns), and a
// call cannot be vectorized; it was 19% of W4's gradient. This is straight-line code with no
// branch, no call and no table, so the optimized tier pastes it into the kernel (as a static
// inline function, ADJ_ELEMENTWISE) and the compiler vectorizes the loops that call it; libtcc's
// code and the interpreter call this file's compiled copy (tcc's own code for it is 2× slower
// than libm's). The optimized tier is built with -ffp-contract=off, and this file forbids
// contraction itself, so every copy performs the same IEEE operations in the same order.
//
// The method: tanh|x| = m / (m + 2) with m = e^(2|x|) − 1, the sign put back by its bit. m is
// 2^k (1 + p) − 1, with k = round(2|x| / ln 2), r = 2|x| − k ln 2 (ln 2 in two parts, so k·ln2_hi
// is exact), |r| ≤ 0.347, and p = e^r − 1 by its Taylor series through r¹³ (truncation below
// 1.3e-17 relative). For small |x|, k = 0 and m = p keeps full relative accuracy, so there is no
// cancellation anywhere; |x| > 20 is taken as 20, where tanh rounds to 1. Error: at most 3.2 ulp
// against tanhl over 20 million arguments (glibc's: 2.2 by the same measure), 0 at ±0, ±1 at
// ±inf, NaN at NaN, exact for subnormals.
#include "adjoint_runtime.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#ifndef ADJ_ELEMENTWISE
#define ADJ_ELEMENTWISE
#endif

ADJ_ELEMENTWISE double adj_tanh(double x) {
    union { double d; unsigned long long u; } v, t, s;
    v.d = x;
    unsigned long long sign = v.u & 0x8000000000000000ULL;
    v.u ^= sign;
    // 2|x|, or 40 past |x| = 20 (NaN stays NaN: the comparison is false).
    double y = v.d > 20.0 ? 40.0 : v.d + v.d;
    // y / ln 2 rounded to an integer k by adding 1.5·2^52: k is then t's low bits.
    t.d = y * 1.4426950408889634 + 6755399441055744.0;
    double k = t.d - 6755399441055744.0;
    double r = (y - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
    double p = r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
             + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800
             + r * (1.0 / 39916800 + r * (1.0 / 479001600 + r * (1.0 / 6227020800.0)))))))))))));
    s.u = (t.u - 0x4338000000000000ULL + 1023) << 52;  // 2^k
    double m = s.d * p + (s.d - 1.0);
    v.d = m / (m + 2.0);
    v.u |= sign;
    return v.d;
}
