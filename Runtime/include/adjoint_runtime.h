// Adjoint runtime: heavy kernels that generated C calls. Compiled by the package's C compiler at
// full optimization and registered into every libtcc state with tcc_add_symbol. This header is
// also the prelude of declarations for generated code (which is compiled with -nostdlib).
#ifndef ADJOINT_RUNTIME_H
#define ADJOINT_RUNTIME_H

/// C[m×n] = op(A) · op(B), row-major, overwriting C.
/// op(A) is m×k: stored m×k when ta == 0, stored k×m (so op(A) = Aᵀ) when ta == 1.
/// op(B) is k×n: stored k×n when tb == 0, stored n×k when tb == 1.
void adj_matmul(const double *a, const double *b, double *c, long m, long k, long n, int ta, int tb);

#endif
