// The AVX-512 GEMM behind adj_matmul and adj_gemm_sub, and the dot form of adj_matmul's
// matrix-vector products: Runtime/matmul.c calls adj_gemm_avx512 and adj_gemv_dot_avx512 for
// products too large for the interpreter's order when the CPU has AVX-512 F, DQ and VL (or when a
// test forces that path with adj_matmul_force_isa). The GEMM is the blocked GEMM of matmul.c with
// tiles suited to 32 registers of 8 doubles, written with intrinsics so that a tile stays in
// registers.
//
// Two register tiles, both 24 accumulators plus the registers of one row of B and a broadcast of A:
// 6×32 for most products and 12×16 when C is at most 16 wide (or at most 16 tall with op(B) stored
// n×k: then Cᵀ = op(B)ᵀ·op(A)ᵀ is tiled), as W4's 256×10 products, which a 32-wide tile would fill
// to a third. Blocking: a KC×NC
// block of op(B) (128 KB) is packed into NR-wide panels and stays in L2; the 6×32 tile packs each
// 6-row slice of op(A), which then stays in L1 while it meets every panel of the block, and the
// 12×16 tile (C one panel wide: each slice of op(A) is read once) reads op(A) where it is stored,
// packing only a last partial slice. Chosen by measuring, on an Intel Xeon (Ice Lake, 2.8 GHz),
// 6×32 against 8×24, 12×16, 14×16 and 4×32 tiles and KC×NC = 128×128 against 64×128 … 256×64
// (scripts/gemm-bench).
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

// Stack: the packed block of op(B), KC×NC doubles (128 KB), and one packed tile of op(A), at most
// 12×KC (12 KB). NC is a multiple of both tiles' widths.
enum { G512_KC = 128, G512_NC = 128, G512_MR_MAX = 12, G512_NV_MAX = 4 };

/// The mask of the first `left` of 8 lanes (none when left ≤ 0, all when left ≥ 8).
G512_INLINE __mmask8 g512_mask(long left) {
    return left >= 8 ? 0xff : left <= 0 ? 0 : (__mmask8)((1u << left) - 1);
}

/// Packs op(B)[p0 ..< p0+kc, j0 ..< j0+nc] into nr-wide panels (nr = 8·nv), each kc×nr row-major,
/// padding columns past nc with zeros. op(B)[p, j] = b[p·bsp + j·bsj].
G512_INLINE void g512_pack_b(const double *restrict b, long bsp, long bsj, long p0, long kc, long j0, long nc,
                             double *restrict out, const int nv) {
    const int nr = 8 * nv;
    for (long jp = 0; jp < nc; jp += nr) {
        double *restrict panel = out + jp * kc;
        long w = nc - jp < nr ? nc - jp : nr;
        if (bsj == 1) {
            for (long p = 0; p < kc; p++) {
                const double *src = b + (p0 + p) * bsp + j0 + jp;
                for (int v = 0; v < nv; v++)
                    _mm512_storeu_pd(panel + p * nr + 8 * v,
                                     _mm512_maskz_loadu_pd(g512_mask(w - 8 * v), src + 8 * v));
            }
        } else {
            for (long j = 0; j < w; j++) {
                const double *src = b + (j0 + jp + j) * bsj + p0;
                for (long p = 0; p < kc; p++) panel[p * nr + j] = src[p];
            }
            for (long j = w; j < nr; j++)
                for (long p = 0; p < kc; p++) panel[p * nr + j] = 0.0;
        }
    }
}

/// Packs op(A)[i0 ..< i0+rows, p0 ..< p0+kc] as kc groups of mr values, rows past `rows` zeroed.
/// op(A)[i, p] = a[i·asi + p·asp].
G512_INLINE void g512_pack_a(const double *restrict a, long asi, long asp, long i0, long rows, long p0, long kc,
                             double *restrict out, const int mr) {
    if (asi == 1) {  // stored k×m: the values for one p are adjacent
        for (long p = 0; p < kc; p++) {
            const double *src = a + (p0 + p) * asp + i0;
            for (long r = 0; r < rows; r++) out[p * mr + r] = src[r];
            for (long r = rows; r < mr; r++) out[p * mr + r] = 0.0;
        }
    } else {  // stored m×k: each row is contiguous in p
        for (long r = 0; r < rows; r++) {
            const double *src = a + (i0 + r) * asi + p0;
            for (long p = 0; p < kc; p++) out[p * mr + r] = src[p];
        }
        for (long r = rows; r < mr; r++)
            for (long p = 0; p < kc; p++) out[p * mr + r] = 0.0;
    }
}

/// Writes the rows×cols corner of the tile acc to c[r·csi + j·csj]: stored (mode 0), added (mode 1)
/// or subtracted (mode -1); rows of C contiguous (csj == 1) take masked vector stores.
G512_INLINE void g512_store(__m512d acc[G512_MR_MAX][G512_NV_MAX], double *restrict c, long csi, long csj,
                            long rows, long cols, int mode, const int mr, const int nv) {
    if (csj == 1) {
#pragma GCC unroll 12
        for (int r = 0; r < mr; r++) {
            if (r >= rows) break;
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                __mmask8 mask = g512_mask(cols - 8 * v);
                __m512d x = acc[r][v];
                if (mode != 0) {
                    __m512d old = _mm512_maskz_loadu_pd(mask, c + r * csi + 8 * v);
                    x = mode > 0 ? _mm512_add_pd(old, x) : _mm512_sub_pd(old, x);
                }
                _mm512_mask_storeu_pd(c + r * csi + 8 * v, mask, x);
            }
        }
        return;
    }
    double lanes[8];
    for (long r = 0; r < rows; r++)
        for (int v = 0; v < nv; v++) {
            _mm512_storeu_pd(lanes, acc[r][v]);
            for (long l = 0; l < 8 && 8 * v + l < cols; l++) {
                double *x = c + r * csi + (8 * v + l) * csj;
                *x = mode == 0 ? lanes[l] : mode > 0 ? *x + lanes[l] : *x - lanes[l];
            }
        }
}

/// One mr×(8·nv) tile of Σp A[r, p]·bp[p, j] with A[r, p] at ap[r·ars + p·aps] (a packed tile, or
/// op(A) where it is stored), written to c as g512_store says.
G512_INLINE void g512_tile(long kc, const double *restrict ap, long ars, long aps, const double *restrict bp,
                           double *restrict c, long csi, long csj, long rows, long cols, int mode, const int mr,
                           const int nv) {
    __m512d acc[G512_MR_MAX][G512_NV_MAX];
#pragma GCC unroll 12
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 4
        for (int v = 0; v < nv; v++) acc[r][v] = _mm512_setzero_pd();
    for (long p = 0; p < kc; p++) {
        __m512d bv[G512_NV_MAX];
#pragma GCC unroll 4
        for (int v = 0; v < nv; v++) bv[v] = _mm512_loadu_pd(bp + p * 8 * nv + 8 * v);
        const double *restrict column = ap + p * aps;
#pragma GCC unroll 12
        for (int r = 0; r < mr; r++) {
            __m512d av = _mm512_set1_pd(column[r * ars]);
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) acc[r][v] = _mm512_fmadd_pd(av, bv[v], acc[r][v]);
        }
    }
    g512_store(acc, c, csi, csj, rows, cols, mode, mr, nv);
}

/// The blocked product of adj_gemm_avx512 with c[i,j] at c[i·csi + j·csj], on mr×(8·nv) tiles.
/// With `pack`, each slice of op(A) is packed (contiguous and in L1 for every panel of op(B) that
/// it meets; reading rows a power of two apart in place thrashes L1), else read where it is (when
/// C is one panel wide, each slice of op(A) is read once, and packing it would only add a copy).
G512_INLINE void g512_gemm(const double *a, long asi, long asp, const double *b, long bsp, long bsj, double *c,
                           long csi, long csj, long m, long k, long n, int sub, const int mr, const int nv,
                           const int pack) {
    double bpack[G512_KC * G512_NC] __attribute__((aligned(64)));
    double apack[G512_MR_MAX * G512_KC] __attribute__((aligned(64)));
    const int nr = 8 * nv;
    for (long j0 = 0; j0 < n; j0 += G512_NC) {
        long nc = n - j0 < G512_NC ? n - j0 : G512_NC;
        for (long p0 = 0; p0 < k; p0 += G512_KC) {
            long kc = k - p0 < G512_KC ? k - p0 : G512_KC;
            int mode = sub ? -1 : p0 == 0 ? 0 : 1;
            g512_pack_b(b, bsp, bsj, p0, kc, j0, nc, bpack, nv);
            for (long i0 = 0; i0 < m; i0 += mr) {
                long rows = m - i0 < mr ? m - i0 : mr;
                const double *ap = a + i0 * asi + p0 * asp;
                long ars = asi, aps = asp;
                if (rows < mr || pack) {
                    g512_pack_a(a, asi, asp, i0, rows, p0, kc, apack, mr);
                    ap = apack, ars = 1, aps = mr;
                }
                for (long jp = 0; jp < nc; jp += nr) {
                    long cols = nc - jp < nr ? nc - jp : nr;
                    g512_tile(kc, ap, ars, aps, bpack + jp * kc, c + i0 * csi + (j0 + jp) * csj, csi, csj, rows,
                              cols, mode, mr, nv);
                }
            }
        }
    }
}

/// c = op(A)·op(B) (sub == 0) or c -= op(A)·op(B) (sub != 0), with op(A)[i,p] = a[i·asi + p·asp],
/// op(B)[p,j] = b[p·bsp + j·bsj] (one stride of each is 1) and c[i,j] at c[i·ldc + j]; k > 0.
G512_TARGET void adj_gemm_avx512(const double *a, long asi, long asp, const double *b, long bsp, long bsj,
                                 double *c, long ldc, long m, long k, long n, int sub) {
    if (m > 16 && n > 16)
        g512_gemm(a, asi, asp, b, bsp, bsj, c, ldc, 1, m, k, n, sub, 6, 4, 1);
    else if (n <= m)  // C tall and narrow (op(A) read in place, either way it is stored: faster, measured)
        g512_gemm(a, asi, asp, b, bsp, bsj, c, ldc, 1, m, k, n, sub, 12, 2, 0);
    else if (bsp == 1)  // C short and wide, op(B) stored n×k: tile Cᵀ = op(B)ᵀ·op(A)ᵀ instead,
        // reading the rows of op(B)ᵀ in place, with C written through its transposed strides
        g512_gemm(b, bsj, bsp, a, asp, asi, c, 1, ldc, n, k, m, sub, 12, 2, 0);
    else  // (read in place, op(B)ᵀ stored k×n would take one cache line per row of a tile: slower)
        g512_gemm(a, asi, asp, b, bsp, bsj, c, ldc, 1, m, k, n, sub, 6, 4, 1);
}

/// The dot form of matrix-vector products, y[i] = Σp r[i·ldr + p]·x[p] for i < rows: eight rows at
/// a time, so that eight independent chains of FMAs hide their latency and each load of x serves
/// eight rows; the last k mod 8 columns through masked loads.
G512_TARGET void adj_gemv_dot_avx512(const double *r, long ldr, const double *x, double *y, long rows, long k) {
    __mmask8 tail = g512_mask(k % 8);
    long full = k - k % 8, i = 0;
    for (; i + 8 <= rows; i += 8) {
        __m512d acc[8];
        for (int q = 0; q < 8; q++) acc[q] = _mm512_setzero_pd();
        for (long p = 0; p < full; p += 8) {
            __m512d xv = _mm512_loadu_pd(x + p);
            for (int q = 0; q < 8; q++)
                acc[q] = _mm512_fmadd_pd(_mm512_loadu_pd(r + (i + q) * ldr + p), xv, acc[q]);
        }
        if (tail) {
            __m512d xv = _mm512_maskz_loadu_pd(tail, x + full);
            for (int q = 0; q < 8; q++)
                acc[q] = _mm512_fmadd_pd(_mm512_maskz_loadu_pd(tail, r + (i + q) * ldr + full), xv, acc[q]);
        }
        for (int q = 0; q < 8; q++) y[i + q] = _mm512_reduce_add_pd(acc[q]);
    }
    for (; i < rows; i++) {
        const double *row = r + i * ldr;
        __m512d acc = _mm512_setzero_pd();
        for (long p = 0; p < full; p += 8)
            acc = _mm512_fmadd_pd(_mm512_loadu_pd(row + p), _mm512_loadu_pd(x + p), acc);
        if (tail) {
            __m512d xv = _mm512_maskz_loadu_pd(tail, x + full);
            acc = _mm512_fmadd_pd(_mm512_maskz_loadu_pd(tail, row + full), xv, acc);
        }
        y[i] = _mm512_reduce_add_pd(acc);
    }
}
#endif
