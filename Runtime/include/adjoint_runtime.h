// Adjoint runtime: heavy kernels that generated C calls. Compiled by the package's C compiler at
// full optimization and registered into every libtcc state with tcc_add_symbol. This header is
// the single source of the routines' prototypes: the generated code's prelude, the optimized
// tier's pointers and --standalone output take them from here (Sources/Adjoint/Ops/Routine.swift).
#ifndef ADJOINT_RUNTIME_H
#define ADJOINT_RUNTIME_H

/// C[m×n] = op(A) · op(B), row-major, overwriting C.
/// op(A) is m×k: stored m×k when ta == 0, stored k×m (so op(A) = Aᵀ) when ta == 1.
/// op(B) is k×n: stored k×n when tb == 0, stored n×k when tb == 1.
void adj_matmul(const double *a, const double *b, double *c, long m, long k, long n, int ta, int tb);

/// C[i] = op(A[i mod abatch]) · op(B[i mod bbatch]) for i < batch: a stack of adj_matmul products.
/// A holds abatch matrices one after another (m×k each, stored as op(A) says), B holds bbatch
/// (k×n each), C batch m×n; a matrix repeated with period abatch (or bbatch) is NumPy's
/// broadcasting of leading batch axes (abatch == 1: one matrix for every product).
void adj_matmul_batched(const double *a, const double *b, double *c, long batch, long abatch, long bbatch,
                        long m, long k, long n, int ta, int tb);

/// X = op(A)⁻¹ · B for a triangular n×n op(A); B and X are n×m, row-major; X must not overlap A or B;
/// for each of `batch` matrices one after another (A, B and X each). op(A) is A (stored n×n,
/// row-major) when ta == 0, Aᵀ when ta == 1. lower != 0: op(A) is lower triangular, else upper;
/// only that triangle of op(A) (diagonal included) is read, as SciPy's solve_triangular does. A
/// zero on the diagonal gives IEEE infinities/NaN, not a trap.
void adj_solve_triangular(const double *a, const double *b, double *x, long batch, long n, long m, int lower,
                          int ta);

/// The substitution of adj_solve_triangular for one matrix read as op(A)[i,j] = a[i·si + j·sj],
/// with the diagonal taken as 1 (and not read) when unit != 0: the step of the factorizations' solves.
void adj_substitute(const double *a, long si, long sj, const double *b, double *x, long n, long m, int lower,
                    int unit);

/// z[i] = Σj x[i·d + j] · w[j] for i < rows: one block of X·w in a pass over X's rows (Runtime/rows.c).
void adj_rows_dot(const double *x, const double *w, double *z, long rows, long d);

/// g[j] += Σi v[i] · x[i·d + j] for j < d: one block of Xᵀ·v added in, in the same pass.
void adj_rows_accumulate(const double *x, const double *v, double *g, long rows, long d);

/// C[m×n] -= A[m×k] · op(B), row-major with leading dimensions lda, ldb, ldc; op(B) is B (k×n)
/// when tb == 0, Bᵀ for B stored n×k when tb == 1: the trailing update of the blocked factorizations.
void adj_gemm_sub(const double *a, long lda, const double *b, long ldb, double *c, long ldc, long m, long k,
                  long n, int tb);

/// For tests and benchmarks only: makes adj_matmul and adj_gemm_sub, on the calling thread, take
/// one instruction-set path: 1 the baseline (SSE2 on x86-64, plain C elsewhere), 2 AVX2 + FMA,
/// 3 AVX-512; 0 restores the default (the best path this CPU has). Returns 1 when that path exists
/// in this build and on this CPU (it is then taken), else 0 (and nothing changes).
int adj_matmul_force_isa(int isa);

/// P·A = L·U with partial pivoting for each of `batch` n×n matrices (Runtime/factor.c): lu gets L
/// below the diagonal (its unit diagonal implied) and U on and above it, perm the original row of
/// each row of P·A (as doubles), parity det(P) = ±1. A zero pivot is left in U (singular A).
void adj_lu(const double *a, double *lu, double *perm, double *parity, long batch, long n);

/// X = op(A)⁻¹ · B from adj_lu's factors of A, for each of `batch` systems; B and X are n×m; op(A) is
/// A when ta == 0, Aᵀ when ta == 1. ws: n·m doubles of scratch. X must not overlap B.
void adj_lu_solve(const double *lu, const double *perm, const double *b, double *x, long batch, long n, long m,
                  int ta, double *ws);

/// result[q] = Σi log|U[i,i]| of each factored matrix: log|det A| (−∞ when singular).
void adj_lu_log_abs_det(const double *lu, double *result, long batch, long n);

/// A = L·Lᵀ for each of `batch` n×n matrices, reading only A's lower triangle (as NumPy's cholesky):
/// l gets L, zeros above the diagonal. A matrix that is not positive definite gives L all NaN.
void adj_cholesky(const double *a, double *l, long batch, long n);

/// s[i] = sin(x[i]), c[i] = cos(x[i]) for i < n: the op with two results that tests such nodes
/// through every stage. s and c must not overlap each other or x.
void adj_sincos(const double *x, double *s, double *c, long n);

/// tanh(x), the same bits in every tier and in the interpreter (Runtime/tanh.c says how, and how
/// accurate: within 3.2 ulp). Straight-line code that the optimized tier inlines and vectorizes.
double adj_tanh(double);

/// e^x, the same bits in every tier and in the interpreter (Runtime/exp.c says how, and how
/// accurate: within 0.51 ulp for normal results). Straight-line code that the optimized tier
/// inlines and vectorizes.
double adj_exp(double);

/// Running sums along the middle axis of an outer×n×inner row-major array (Runtime/scan.c):
/// y[o,i,k] = x[o,0,k] + … + x[o,i,k] in that order, or x[o,n-1,k] + … + x[o,i,k] when reverse != 0.
/// y may be x (in place); no other overlap.
void adj_cumsum(const double *x, double *y, long outer, long n, long inner, int reverse);

/// r = zeros of outer×extent×inner, then r[o, idx[o, j, i], i] += g[o, j, i] for g and idx of
/// outer×count×inner: the adjoint of a gather. An index counts from the end when negative and is
/// clamped to 0..<extent. r must not overlap g or idx.
void adj_scatter_add(const double *g, const double *idx, double *r, long outer, long count, long inner, long extent);

/// Sorts x (outer×n×inner) along its middle axis, stably, NaN last (as NumPy): values gets the
/// sorted elements, perm their positions in x, run the slot where each slot's run of equal
/// values starts (all as doubles). None may overlap x or each other.
void adj_sort(const double *x, double *values, double *perm, double *run, long outer, long n, long inner);

/// y = the cross-correlation of x (batch×cin×n0×n1×n2) with w (cout×cin×k0×k1×k2), row-major, as
/// conv_general_dilated (Runtime/convolution.c): along spatial axis a, x dilated by dla (dla-1
/// zeros between elements), padded by loa zeros before (negative: cropped), the kernel dilated by
/// dra, windows sa apart; y is batch×cout×o0×o1×o2 (the padding after x is implied by the oa).
/// Unused spatial axes are unit axes (n = k = o = s = dl = dr = 1, lo = 0). y must not overlap x or w.
void adj_convolution(const double *x, const double *w, double *y, long batch, long cin, long cout,
                     long n0, long k0, long o0, long s0, long dl0, long dr0, long lo0,
                     long n1, long k1, long o1, long s1, long dl1, long dr1, long lo1,
                     long n2, long k2, long o2, long s2, long dl2, long dr2, long lo2);

/// The eigenvalues w (ascending) and eigenvectors v (columns: a = v · diag(w) · vᵀ) of each of the
/// batch n×n matrices (a + aᵀ)/2 of a, a itself when symmetric (Runtime/eigen.c: Householder
/// tridiagonalization and implicit QL). Each column of v has its largest-magnitude component
/// positive. work: n doubles of scratch. w (batch×n), v (batch×n×n) and work must not overlap a or
/// each other.
void adj_eigh(const double *a, double *w, double *v, double *work, long batch, long n);

/// The reduced QR factorization of each of the batch m×n matrices of a (Runtime/qr.c, Householder):
/// q (m×k, orthonormal columns) and r (k×n, upper triangular, diagonal ≥ 0), k = min(m, n), with
/// a = q · r. work: n doubles of scratch. No overlap between a, q, r and work.
void adj_qr(const double *a, double *q, double *r, double *work, long batch, long m, long n);

/// The reduced singular value decomposition of each of the batch m×n matrices of a (Runtime/svd.c,
/// one-sided Jacobi): u (m×k), s (k, descending, ≥ 0), vt (k×n), k = min(m, n), a = u · diag(s) · vt,
/// each column of u with its largest-magnitude component positive. work: m·n doubles of scratch.
/// No overlap between a, u, s, vt and work.
void adj_svd(const double *a, double *u, double *s, double *vt, double *work, long batch, long m, long n);

#endif
