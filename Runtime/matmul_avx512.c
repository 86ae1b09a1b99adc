// The AVX-512 GEMM behind adj_matmul and adj_gemm_sub: Runtime/matmul.c calls adj_gemm_avx512 for
// products too large for the interpreter's order when the CPU has AVX-512 F, DQ and VL (or when a
// test forces that path with adj_matmul_force_isa). It is the blocked GEMM of matmul.c with a tile
// suited to 32 registers of 8 doubles, written with intrinsics so that the tile stays in registers.
//
// Everything here is behind the same guards as matmul.c's dispatch (gcc or clang on x86-64), so
// tcc and other compilers see an empty file, and --standalone output can paste it anywhere.
#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute) && !defined(ADJ_NO_DISPATCH)
#if __has_attribute(target)
#define G512_ENABLED 1
#endif
#endif

#ifdef G512_ENABLED
#include <immintrin.h>

#define G512_TARGET __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))
#define G512_INLINE static inline __attribute__((always_inline, target("avx512f,avx512dq,avx512vl,avx2,fma")))

#ifndef G512_MR
#define G512_MR 6
#define G512_NV 4
#define G512_KC 128
#define G512_NC 128
#endif

// The register tile is G512_MR rows × G512_NR columns (G512_NV vectors of 8): 6×32 uses 24
// accumulators, 4 registers of B and one broadcast of A, of the 32.
enum { G512_NR = 8 * G512_NV };

/// Packs op(B)[p0 ..< p0+kc, j0 ..< j0+nc] into NR-wide panels, each kc×NR row-major, padding
/// columns past nc with zeros. op(B)[p, j] = b[p·bsp + j·bsj].
G512_INLINE void g512_pack_b(const double *restrict b, long bsp, long bsj, long p0, long kc, long j0,
                             long nc, double *restrict out) {
    for (long jp = 0; jp < nc; jp += G512_NR) {
        double *restrict panel = out + jp * kc;
        long w = nc - jp < G512_NR ? nc - jp : G512_NR;
        if (bsj == 1) {
            for (long p = 0; p < kc; p++) {
                const double *src = b + (p0 + p) * bsp + j0 + jp;
                for (int v = 0; v < G512_NV; v++) {
                    long left = w - 8 * v;
                    __mmask8 mask = left >= 8 ? 0xff : left <= 0 ? 0 : (__mmask8)((1u << left) - 1);
                    _mm512_storeu_pd(panel + p * G512_NR + 8 * v, _mm512_maskz_loadu_pd(mask, src + 8 * v));
                }
            }
        } else {
            for (long j = 0; j < w; j++) {
                const double *src = b + (j0 + jp + j) * bsj + p0;
                for (long p = 0; p < kc; p++) panel[p * G512_NR + j] = src[p];
            }
            for (long j = w; j < G512_NR; j++)
                for (long p = 0; p < kc; p++) panel[p * G512_NR + j] = 0.0;
        }
    }
}

/// Packs op(A)[i0 ..< i0+rows, p0 ..< p0+kc] as kc groups of MR values (rows past `rows` zeroed).
/// op(A)[i, p] = a[i·asi + p·asp].
G512_INLINE void g512_pack_a(const double *restrict a, long asi, long asp, long i0, long rows, long p0,
                             long kc, double *restrict out) {
    if (asi == 1) {
        for (long p = 0; p < kc; p++) {
            const double *src = a + (p0 + p) * asp + i0;
            for (long r = 0; r < rows; r++) out[p * G512_MR + r] = src[r];
            for (long r = rows; r < G512_MR; r++) out[p * G512_MR + r] = 0.0;
        }
    } else {
        for (long r = 0; r < rows; r++) {
            const double *src = a + (i0 + r) * asi + p0;
            for (long p = 0; p < kc; p++) out[p * G512_MR + r] = src[p];
        }
        for (long r = rows; r < G512_MR; r++)
            for (long p = 0; p < kc; p++) out[p * G512_MR + r] = 0.0;
    }
}

/// Writes the rows×cols corner of the tile acc to rows of c (c[r·csi + j]): stored (mode 0), added
/// (mode 1) or subtracted (mode -1), with masks for a partial last vector.
G512_INLINE void g512_store(__m512d acc[G512_MR][G512_NV], double *restrict c, long csi, long rows, long cols,
                            int mode) {
    __mmask8 masks[G512_NV];
#pragma GCC unroll 4
    for (int v = 0; v < G512_NV; v++) {
        long left = cols - 8 * v;
        masks[v] = left >= 8 ? 0xff : left <= 0 ? 0 : (__mmask8)((1u << left) - 1);
    }
#pragma GCC unroll 16
    for (int r = 0; r < G512_MR; r++) {
        if (r >= rows) break;
        double *row = c + r * csi;
#pragma GCC unroll 4
        for (int v = 0; v < G512_NV; v++) {
            __m512d x = acc[r][v];
            if (mode != 0) {
                __m512d old = _mm512_maskz_loadu_pd(masks[v], row + 8 * v);
                x = mode > 0 ? _mm512_add_pd(old, x) : _mm512_sub_pd(old, x);
            }
            _mm512_mask_storeu_pd(row + 8 * v, masks[v], x);
        }
    }
}

/// One MR×NR tile of Σp ap[p, r]·bp[p, j], written to the rows×cols corner of c: stored (mode 0),
/// added (mode 1) or subtracted (mode -1).
G512_INLINE void g512_tile(long kc, const double *restrict ap, const double *restrict bp, double *restrict c,
                           long csi, long csj, long rows, long cols, int mode) {
    __m512d acc[G512_MR][G512_NV];
#pragma GCC unroll 16
    for (int r = 0; r < G512_MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < G512_NV; v++) acc[r][v] = _mm512_setzero_pd();
    for (long p = 0; p < kc; p++) {
        __m512d bv[G512_NV];
#pragma GCC unroll 4
        for (int v = 0; v < G512_NV; v++) bv[v] = _mm512_loadu_pd(bp + p * G512_NR + 8 * v);
#pragma GCC unroll 16
        for (int r = 0; r < G512_MR; r++) {
            __m512d av = _mm512_set1_pd(ap[p * G512_MR + r]);
#pragma GCC unroll 4
            for (int v = 0; v < G512_NV; v++) acc[r][v] = _mm512_fmadd_pd(av, bv[v], acc[r][v]);
        }
    }
    if (csj == 1) {
        g512_store(acc, c, csi, rows, cols, mode);
        return;
    }
    double lanes[8];
    for (long r = 0; r < rows; r++)
        for (int v = 0; v < G512_NV; v++) {
            _mm512_storeu_pd(lanes, acc[r][v]);
            for (long l = 0; l < 8 && 8 * v + l < cols; l++) {
                double *x = c + r * csi + (8 * v + l) * csj;
                *x = mode == 0 ? lanes[l] : mode > 0 ? *x + lanes[l] : *x - lanes[l];
            }
        }
}

/// The blocked product of adj_gemm_avx512 with c[i,j] at c[i·csi + j·csj].
G512_INLINE void g512_gemm(const double *a, long asi, long asp, const double *b, long bsp, long bsj, double *c,
                           long csi, long csj, long m, long k, long n, int sub) {
    double bpack[G512_KC * G512_NC] __attribute__((aligned(64)));
    double apack[G512_MR * G512_KC] __attribute__((aligned(64)));
    for (long j0 = 0; j0 < n; j0 += G512_NC) {
        long nc = n - j0 < G512_NC ? n - j0 : G512_NC;
        for (long p0 = 0; p0 < k; p0 += G512_KC) {
            long kc = k - p0 < G512_KC ? k - p0 : G512_KC;
            int mode = sub ? -1 : p0 == 0 ? 0 : 1;
            g512_pack_b(b, bsp, bsj, p0, kc, j0, nc, bpack);
            for (long i0 = 0; i0 < m; i0 += G512_MR) {
                long rows = m - i0 < G512_MR ? m - i0 : G512_MR;
                g512_pack_a(a, asi, asp, i0, rows, p0, kc, apack);
                for (long jp = 0; jp < nc; jp += G512_NR) {
                    long cols = nc - jp < G512_NR ? nc - jp : G512_NR;
                    g512_tile(kc, apack, bpack + jp * kc, c + i0 * csi + (j0 + jp) * csj, csi, csj, rows, cols,
                              mode);
                }
            }
        }
    }
}

/// `count` rounded up to a multiple of `step`: the rows or columns that tiles of that size cover.
static long g512_padded(long count, long step) { return (count + step - 1) / step * step; }

/// c = op(A)·op(B) (sub == 0) or c -= op(A)·op(B) (sub != 0), with op(A)[i,p] = a[i·asi + p·asp],
/// op(B)[p,j] = b[p·bsp + j·bsj] (one stride of each is 1) and c[i,j] at c[i·ldc + j]; k > 0.
/// When tiles would cover fewer wasted entries of Cᵀ = op(B)ᵀ·op(A)ᵀ (a narrow C, as W4's n = 10),
/// that product is computed instead, with C written through its transposed strides.
G512_TARGET void adj_gemm_avx512(const double *a, long asi, long asp, const double *b, long bsp, long bsj,
                                 double *c, long ldc, long m, long k, long n, int sub) {
    if (g512_padded(n, G512_MR) * g512_padded(m, G512_NR) < g512_padded(m, G512_MR) * g512_padded(n, G512_NR))
        g512_gemm(b, bsj, bsp, a, asp, asi, c, 1, ldc, n, k, m, sub);
    else
        g512_gemm(a, asi, asp, b, bsp, bsj, c, ldc, 1, m, k, n, sub);
}
#endif
