// adj_sincos: the sine and the cosine of every element, in one call. It is the small op with two
// results that tests how nodes with several results go through differentiation, lowering, the
// memory plan and both tiers; real ones (eigh, slogdet, qr) follow the same path.
//
// Calls libm's sin and cos, declared here rather than through <math.h>, so that the file pastes
// into `--standalone` output that compiles with tcc -nostdlib and is linked with -lm.
#include "adjoint_runtime.h"

double sin(double);
double cos(double);

void adj_sincos(const double *x, double *s, double *c, long n) {
    for (long i = 0; i < n; i++) {
        s[i] = sin(x[i]);
        c[i] = cos(x[i]);
    }
}
