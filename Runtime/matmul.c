// adj_matmul: the matrix product that generated kernels call for every `matmul` node.
//
// Written so that clang/gcc -O3 vectorize it without -ffast-math: every inner loop is unit-stride,
// and reductions keep several independent partial sums so no reassociation is needed. Shapes fall
// into three paths, because the workload that matters most is logistic regression, whose gradient
// is two matrix-vector products (X·w and Xᵀ·g) rather than a square GEMM:
//
//   - dot form  y[i] = Σp R[i,p]·x[p]  (rows of R contiguous): n == 1 with ta == 0, m == 1 with tb == 1
//   - axpy form y[j] = Σp x[p]·R[p,j]  (rows of R contiguous): n == 1 with ta == 1, m == 1 with tb == 0
//   - blocked GEMM for everything else: op(B) is packed into a stack buffer in NR-wide panels,
//     op(A) into MR-tall panels, and an MR×NR register tile accumulates over a KC-deep slice.
//
// c must not overlap a or b. Small products (m·k·n ≤ 4096) use the interpreter's order and agree
// with it bit for bit on every path; larger ones sum in another order (and the AVX2 and AVX-512
// versions use FMA), so they agree to rounding, not bit for bit.
//
// No malloc and no libc call in the source: the only memory besides the operands is stack, ~70 KB
// here and ~134 KB in the AVX-512 GEMM (Runtime/matmul_avx512.c). (The compiler may still turn a
// zeroing or copying loop into memset/memcpy; both are registered for libtcc too.) Everything
// beyond C99 is behind __GNUC__ / __has_attribute, which tcc defines neither of, so `--standalone`
// output can paste this file into code for any compiler: tcc 0.9.27 compiles it with -nostdlib
// (checked).
#include "adjoint_runtime.h"

// On x86-64 with gcc or clang, every routine is compiled twice: a baseline version (SSE2, which
// every x86-64 CPU has) and one for AVX2 + FMA; the GEMM and the dot form have a third, for
// AVX-512, in matmul_avx512.c. The path is chosen at each call by __builtin_cpu_supports (a load of a flag
// that libgcc / compiler-rt fill in at startup), so a CPU never runs an instruction it lacks;
// adj_matmul_force_isa lets tests take each path the CPU has. The baseline and AVX2 versions
// differ in tile shape (4×8 vs 6×8) and in how many rows the axpy form combines per sweep (1 vs 4),
// because what is fastest differs (measured on an AMD EPYC): AVX2 has 16 registers of 4 doubles,
// SSE2 16 of 2. Define ADJ_NO_DISPATCH to build the baseline only. (target_clones would also work
// with this clang, but cannot vary the tile shape per clone.)
#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute) && !defined(ADJ_NO_DISPATCH)
#if __has_attribute(target)
#define ADJ_DISPATCH 1
#define ADJ_AVX2 __attribute__((target("avx2,fma")))
#endif
#endif

#if defined(__GNUC__)
#define ADJ_INLINE static inline __attribute__((always_inline))
#else
#define ADJ_INLINE static inline
#endif

// Cache blocking of the GEMM path: a packed block of op(B), KC×NC doubles (64 KB), stays in L2
// while every MR-row panel of op(A) streams past it; one KC×NR micro-panel (≤ 8 KB) stays in L1.
// NC must be a multiple of every NR used below, and MR_MAX/NR_MAX bound the register tiles.
enum { KC = 128, NC = 64, MR_MAX = 6, NR_MAX = 8 };

// Axpy-form blocking: the output y is updated k times, so it is processed in chunks that stay in L1.
enum { AXPY_CHUNK = 512 };

/// y[i] = Σp r[i·ldr + p] · x[p] for i < rows: one dot product per row, four rows at a time so
/// every load of x serves four rows, each with four independent partial sums (vectorizable without
/// reassociation).
ADJ_INLINE void gemv_dot(const double *restrict r, long ldr, const double *restrict x,
                         double *restrict y, long rows, long k) {
    long i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *restrict r0 = r + i * ldr;
        const double *restrict r1 = r0 + ldr;
        const double *restrict r2 = r1 + ldr;
        const double *restrict r3 = r2 + ldr;
        double s0[4] = {0, 0, 0, 0}, s1[4] = {0, 0, 0, 0};
        double s2[4] = {0, 0, 0, 0}, s3[4] = {0, 0, 0, 0};
        long p = 0;
        for (; p + 4 <= k; p += 4) {
            for (int l = 0; l < 4; l++) {
                double xv = x[p + l];
                s0[l] += r0[p + l] * xv;
                s1[l] += r1[p + l] * xv;
                s2[l] += r2[p + l] * xv;
                s3[l] += r3[p + l] * xv;
            }
        }
        double t0 = (s0[0] + s0[1]) + (s0[2] + s0[3]);
        double t1 = (s1[0] + s1[1]) + (s1[2] + s1[3]);
        double t2 = (s2[0] + s2[1]) + (s2[2] + s2[3]);
        double t3 = (s3[0] + s3[1]) + (s3[2] + s3[3]);
        for (; p < k; p++) {
            double xv = x[p];
            t0 += r0[p] * xv;
            t1 += r1[p] * xv;
            t2 += r2[p] * xv;
            t3 += r3[p] * xv;
        }
        y[i] = t0;
        y[i + 1] = t1;
        y[i + 2] = t2;
        y[i + 3] = t3;
    }
    for (; i < rows; i++) {
        const double *restrict r0 = r + i * ldr;
        double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        long p = 0;
        for (; p + 8 <= k; p += 8)
            for (int l = 0; l < 8; l++) s[l] += r0[p + l] * x[p + l];
        double t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        for (; p < k; p++) t += r0[p] * x[p];
        y[i] = t;
    }
}

/// y[j] = Σp x[p] · r[p·ldr + j] for j < len: a sum of scaled rows, with a plain unit-stride inner
/// loop over j. With `four` set, four rows are combined per sweep, so y is loaded and stored once
/// per four rows: faster with AVX2, but slower than one row per sweep with SSE2 (measured).
ADJ_INLINE void gemv_axpy(const double *restrict r, long ldr, const double *restrict x,
                          double *restrict y, long len, long k, const int four) {
    for (long j0 = 0; j0 < len; j0 += AXPY_CHUNK) {
        long jn = len - j0 < AXPY_CHUNK ? len - j0 : AXPY_CHUNK;
        double *restrict yc = y + j0;
        for (long j = 0; j < jn; j++) yc[j] = 0.0;
        long p = 0;
        if (four) {
            for (; p + 4 <= k; p += 4) {
                const double *restrict r0 = r + p * ldr + j0;
                const double *restrict r1 = r0 + ldr;
                const double *restrict r2 = r1 + ldr;
                const double *restrict r3 = r2 + ldr;
                double x0 = x[p], x1 = x[p + 1], x2 = x[p + 2], x3 = x[p + 3];
                for (long j = 0; j < jn; j++)
                    yc[j] += (x0 * r0[j] + x1 * r1[j]) + (x2 * r2[j] + x3 * r3[j]);
            }
        }
        for (; p < k; p++) {
            const double *restrict r0 = r + p * ldr + j0;
            double x0 = x[p];
            for (long j = 0; j < jn; j++) yc[j] += x0 * r0[j];
        }
    }
}

/// Packs op(B)[p0 ..< p0+kc, j0 ..< j0+nc] into nr-wide panels, each kc×nr row-major, padding
/// columns past nc with zeros so the micro-kernel never needs an edge case.
/// op(B)[p, j] = b[p·bsp + j·bsj].
ADJ_INLINE void pack_b(const double *restrict b, long bsp, long bsj, long p0, long kc, long j0,
                       long nc, double *restrict out, const int nr) {
    for (long jp = 0; jp < nc; jp += nr) {
        double *restrict panel = out + jp * kc;
        long w = nc - jp < nr ? nc - jp : nr;
        if (bsj == 1) {  // rows of op(B) contiguous: copy nr at a time
            for (long p = 0; p < kc; p++) {
                const double *src = b + (p0 + p) * bsp + j0 + jp;
                for (long j = 0; j < w; j++) panel[p * nr + j] = src[j];
                for (long j = w; j < nr; j++) panel[p * nr + j] = 0.0;
            }
        } else {  // columns of op(B) contiguous: read down each column
            for (long j = 0; j < w; j++) {
                const double *src = b + (j0 + jp + j) * bsj + p0;
                for (long p = 0; p < kc; p++) panel[p * nr + j] = src[p];
            }
            for (long j = w; j < nr; j++)
                for (long p = 0; p < kc; p++) panel[p * nr + j] = 0.0;
        }
    }
}

/// Packs op(A)[i0 ..< i0+rows, p0 ..< p0+kc] as kc groups of mr values (rows past `rows` zeroed).
/// op(A)[i, p] = a[i·asi + p·asp].
ADJ_INLINE void pack_a(const double *restrict a, long asi, long asp, long i0, long rows, long p0,
                       long kc, double *restrict out, const int mr) {
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

/// c[r, j] += Σp ap[p, r] · bp[p, j] over one mr×nr register tile (mr, nr compile-time constants
/// after inlining, so acc lives in registers); only the rows×cols corner is stored.
ADJ_INLINE void micro_kernel(long kc, const double *restrict ap, const double *restrict bp,
                             double *restrict c, long ldc, long rows, long cols, const int mr,
                             const int nr, const double sign) {
    double acc[MR_MAX * NR_MAX];
#pragma GCC unroll 64
    for (int t = 0; t < MR_MAX * NR_MAX; t++) acc[t] = 0.0;
    for (long p = 0; p < kc; p++) {
        const double *restrict bv = bp + p * nr;
        const double *restrict av = ap + p * mr;
#pragma GCC unroll 8
        for (int r = 0; r < mr; r++) {
#pragma GCC unroll 8
            for (int j = 0; j < nr; j++) acc[r * nr + j] += av[r] * bv[j];
        }
    }
    if (rows == mr && cols == nr) {
#pragma GCC unroll 8
        for (int r = 0; r < mr; r++)
#pragma GCC unroll 8
            for (int j = 0; j < nr; j++) c[r * ldc + j] += sign * acc[r * nr + j];
    } else {
        for (long r = 0; r < rows; r++)
            for (long j = 0; j < cols; j++) c[r * ldc + j] += sign * acc[r * nr + j];
    }
}

/// Blocked GEMM: c = op(A)·op(B) (sign 0: c zeroed first) or c -= op(A)·op(B) (sign -1), with
/// op(A)[i,p] = a[i·asi + p·asp], op(B)[p,j] = b[p·bsp + j·bsj] (one stride of each is 1) and
/// c[i,j] at c[i·ldc + j], using an mr×nr register tile. (Multiplying by ±1 is exact, and the
/// compiler folds it away.)
ADJ_INLINE void gemm(const double *restrict a, long asi, long asp, const double *restrict b,
                     long bsp, long bsj, double *restrict c, long ldc, long m, long k, long n,
                     const int mr, const int nr, const double sign) {
    double bpack[KC * NC];
    double apack[MR_MAX * KC];
    if (sign == 0.0)
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) c[i * ldc + j] = 0.0;
    for (long j0 = 0; j0 < n; j0 += NC) {
        long nc = n - j0 < NC ? n - j0 : NC;
        for (long p0 = 0; p0 < k; p0 += KC) {
            long kc = k - p0 < KC ? k - p0 : KC;
            pack_b(b, bsp, bsj, p0, kc, j0, nc, bpack, nr);
            for (long i0 = 0; i0 < m; i0 += mr) {
                long rows = m - i0 < mr ? m - i0 : mr;
                pack_a(a, asi, asp, i0, rows, p0, kc, apack, mr);
                for (long jp = 0; jp < nc; jp += nr) {
                    long cols = nc - jp < nr ? nc - jp : nr;
                    micro_kernel(kc, apack, bpack + jp * kc, c + i0 * ldc + j0 + jp, ldc, rows, cols,
                                 mr, nr, sign == 0.0 ? 1.0 : sign);
                }
            }
        }
    }
}

/// The shape dispatch, instantiated once per instruction set with its tuning constants.
ADJ_INLINE void matmul(const double *a, const double *b, double *c, long m, long k, long n,
                       int ta, int tb, const int four, const int mr, const int nr) {
    // A k×1 or 1×k operand has the same memory layout either way, so for vectors the transpose
    // flag of the vector operand does not matter.
    if (n == 1) {
        if (ta == 0)
            gemv_dot(a, k, b, c, m, k);  // rows of A (m×k) dotted with b
        else
            gemv_axpy(a, m, b, c, m, k, four);  // A stored k×m: c = Σp b[p]·A[p,:]
    } else if (m == 1) {
        if (tb == 0)
            gemv_axpy(b, n, a, c, n, k, four);  // B stored k×n: c = Σp a[p]·B[p,:]
        else
            gemv_dot(b, k, a, c, n, k);  // B stored n×k: rows of B dotted with a
    } else {
        long asi = ta ? 1 : k, asp = ta ? m : 1;
        long bsp = tb ? 1 : n, bsj = tb ? k : 1;
        gemm(a, asi, asp, b, bsp, bsj, c, n, m, k, n, mr, nr, 0.0);
    }
}

static void matmul_baseline(const double *a, const double *b, double *c, long m, long k, long n,
                            int ta, int tb) {
    matmul(a, b, c, m, k, n, ta, tb, 0, 4, 8);
}

#ifdef ADJ_DISPATCH
ADJ_AVX2 static void matmul_avx2(const double *a, const double *b, double *c, long m, long k,
                                 long n, int ta, int tb) {
    matmul(a, b, c, m, k, n, ta, tb, 1, 6, 8);
}

/// The AVX-512 GEMM (Runtime/matmul_avx512.c).
void adj_gemm_avx512(const double *a, long asi, long asp, const double *b, long bsp, long bsj, double *c,
                     long ldc, long m, long k, long n, int sub);

/// The dot form of matrix-vector products on AVX-512 (Runtime/matmul_avx512.c).
void adj_gemv_dot_avx512(const double *r, long ldr, const double *x, double *y, long rows, long k);

/// The path adj_matmul_force_isa chose for this thread (0: none), thread-local so that a test
/// forcing a path does not change what other tests running at the same time compute.
static __thread int matmul_forced;

/// Whether this CPU can run path `isa` (1 baseline, 2 AVX2 + FMA, 3 AVX-512 F/DQ/VL).
static int matmul_has(int isa) {
    if (isa == 3)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && matmul_has(2);
    if (isa == 2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return isa == 1;
}

/// The path to take: the forced one, else the best this CPU has.
static int matmul_isa(void) {
    if (matmul_forced) return matmul_forced;
    return matmul_has(3) ? 3 : matmul_has(2) ? 2 : 1;
}

int adj_matmul_force_isa(int isa) {
    if (isa != 0 && !matmul_has(isa)) return 0;
    matmul_forced = isa;
    return 1;
}

/// The AVX-512 path: the GEMM and the dot form from matmul_avx512.c, and AVX2's axpy form (an
/// AVX-512 build of it was no faster: memory bandwidth bounds it).
static void matmul_avx512(const double *a, const double *b, double *c, long m, long k, long n, int ta,
                          int tb) {
    if (n == 1 && ta == 0)
        adj_gemv_dot_avx512(a, k, b, c, m, k);
    else if (m == 1 && tb == 1)
        adj_gemv_dot_avx512(b, k, a, c, n, k);
    else if (m == 1 || n == 1)
        matmul_avx2(a, b, c, m, k, n, ta, tb);
    else
        adj_gemm_avx512(a, ta ? 1 : k, ta ? m : 1, b, tb ? 1 : n, tb ? k : 1, c, n, m, k, n, 0);
}
#else
int adj_matmul_force_isa(int isa) { return isa == 0 || isa == 1; }
#endif

/// Small products in the interpreter's order: each c[i,j] starts at 0 and adds op(A)[i,p]·op(B)[p,j]
/// for p = 0, 1, … with a separate multiply and add. In the baseline instruction set (no FMA, so
/// nothing can be contracted), this gives the interpreter's result bit for bit where speed does
/// not matter.
static void matmul_exact(const double *a, const double *b, double *c, long m, long k, long n, int ta, int tb) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) {
            double s = 0.0;
            for (long p = 0; p < k; p++)
                s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
            c[i * n + j] = s;
        }
}

enum { EXACT_MAX_WORK = 4096 };

void adj_matmul(const double *a, const double *b, double *c, long m, long k, long n, int ta,
                int tb) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        for (long i = 0; i < m * n; i++) c[i] = 0.0;
        return;
    }
    if (m * k * n <= EXACT_MAX_WORK) {
        matmul_exact(a, b, c, m, k, n, ta, tb);
        return;
    }
#ifdef ADJ_DISPATCH
    int isa = matmul_isa();
    if (isa == 3) {
        matmul_avx512(a, b, c, m, k, n, ta, tb);
        return;
    }
    if (isa == 2) {
        matmul_avx2(a, b, c, m, k, n, ta, tb);
        return;
    }
#endif
    matmul_baseline(a, b, c, m, k, n, ta, tb);
}

static void gemm_sub_baseline(const double *a, long lda, const double *b, long ldb, double *c,
                              long ldc, long m, long k, long n, int tb) {
    gemm(a, lda, 1, b, tb ? 1 : ldb, tb ? ldb : 1, c, ldc, m, k, n, 4, 8, -1.0);
}

#ifdef ADJ_DISPATCH
ADJ_AVX2 static void gemm_sub_avx2(const double *a, long lda, const double *b, long ldb, double *c,
                                   long ldc, long m, long k, long n, int tb) {
    gemm(a, lda, 1, b, tb ? 1 : ldb, tb ? ldb : 1, c, ldc, m, k, n, 6, 8, -1.0);
}
#endif

void adj_gemm_sub(const double *a, long lda, const double *b, long ldb, double *c, long ldc, long m,
                  long k, long n, int tb) {
    if (m <= 0 || n <= 0 || k <= 0) return;
#ifdef ADJ_DISPATCH
    int isa = matmul_isa();
    if (isa == 3) {
        adj_gemm_avx512(a, lda, 1, b, tb ? 1 : ldb, tb ? ldb : 1, c, ldc, m, k, n, 1);
        return;
    }
    if (isa == 2) {
        gemm_sub_avx2(a, lda, b, ldb, c, ldc, m, k, n, tb);
        return;
    }
#endif
    gemm_sub_baseline(a, lda, b, ldb, c, ldc, m, k, n, tb);
}

void adj_matmul_batched(const double *a, const double *b, double *c, long batch, long abatch, long bbatch,
                        long m, long k, long n, int ta, int tb) {
    if (abatch <= 0 || bbatch <= 0) return;
    for (long i = 0; i < batch; i++)
        adj_matmul(a + (i % abatch) * m * k, b + (i % bbatch) * k * n, c + i * m * n, m, k, n, ta, tb);
}
