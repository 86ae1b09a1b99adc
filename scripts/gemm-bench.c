// Driver of scripts/gemm-bench: times adj_matmul (Runtime/matmul*.c, compiled into this program) on
// each instruction-set path this CPU has, and a BLAS's dgemm (dgemv for matrix-vector shapes) when
// the script passes a library through GEMM_BENCH_BLAS, for the shapes named as m,k,n,ta,tb. The
// variants take turns in several rounds (each keeps its best), so that load from other processes on
// this machine hits them alike. Prints one line per shape and variant: "shape variant GFLOP/s".
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "adjoint_runtime.h"

typedef void Gemm(int, int, int, long, long, long, double, const double *, long, const double *, long,
                  double, double *, long);
typedef void Gemv(int, int, long, long, double, const double *, long, const double *, long, double,
                  double *, long);
static Gemm *blas_gemm;
static Gemv *blas_gemv;
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/// C = op(A)·op(B) by variant v: 1..3 adj_matmul's paths, 4 the BLAS.
static void product(int v, const double *a, const double *b, double *c, long m, long k, long n, int ta, int tb) {
    if (v < 4) {
        adj_matmul(a, b, c, m, k, n, ta, tb);
    } else if (n == 1) {
        blas_gemv(ROW_MAJOR, ta ? TRANS : NO_TRANS, ta ? k : m, ta ? m : k, 1.0, a, ta ? m : k, b, 1, 0.0, c, 1);
    } else {
        blas_gemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1.0, a, ta ? m : k, b,
                  tb ? k : n, 0.0, c, n);
    }
}

/// Best seconds per product over ~`window` seconds of timed batches.
static double best_seconds(int v, const double *a, const double *b, double *c, long m, long k, long n, int ta,
                           int tb, double window) {
    double flops = 2.0 * m * k * n, best = 1e30, start = now();
    long reps = (long)(2e6 / flops) + 1;
    product(v, a, b, c, m, k, n, ta, tb);
    do {
        double t0 = now();
        for (long r = 0; r < reps; r++) product(v, a, b, c, m, k, n, ta, tb);
        double t = (now() - t0) / reps;
        if (t < best) best = t;
    } while (now() - start < window);
    return best;
}

static void load_blas(void) {
    const char *path = getenv("GEMM_BENCH_BLAS");
    if (!path || !*path) return;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "gemm-bench: %s\n", dlerror());
        return;
    }
    const char *gemm[] = {"scipy_cblas_dgemm64_", "cblas_dgemm64_", "cblas_dgemm"};
    const char *gemv[] = {"scipy_cblas_dgemv64_", "cblas_dgemv64_", "cblas_dgemv"};
    for (int i = 0; i < 3 && !blas_gemm; i++) {  // the first two take 64-bit integers, as Gemm says
        blas_gemm = (Gemm *)dlsym(lib, gemm[i]);
        blas_gemv = (Gemv *)dlsym(lib, gemv[i]);
        if (i == 2 && blas_gemm) fprintf(stderr, "gemm-bench: warning: %s may take 32-bit integers\n", gemm[i]);
    }
}

int main(int argc, char **argv) {
    static const char *names[] = {"auto", "sse2", "avx2", "avx512", "blas"};
    int rounds = getenv("GEMM_BENCH_ROUNDS") ? atoi(getenv("GEMM_BENCH_ROUNDS")) : 5;
    load_blas();
    for (int s = 1; s < argc; s++) {
        long m, k, n;
        int ta, tb;
        if (sscanf(argv[s], "%ld,%ld,%ld,%d,%d", &m, &k, &n, &ta, &tb) != 5) {
            fprintf(stderr, "gemm-bench: shape %s is not m,k,n,ta,tb\n", argv[s]);
            return 2;
        }
        double *a = malloc(sizeof(double) * m * k), *b = malloc(sizeof(double) * k * n);
        double *c = malloc(sizeof(double) * m * n);
        for (long i = 0; i < m * k; i++) a[i] = (double)((i * 7919) % 1000) / 1000.0 - 0.5;
        for (long i = 0; i < k * n; i++) b[i] = (double)((i * 104729) % 1000) / 1000.0 - 0.5;
        double best[5] = {0, 0, 0, 0, 0};
        for (int r = 0; r < rounds; r++)
            for (int v = 1; v <= 4; v++) {
                if (v == 4 ? !blas_gemm : !adj_matmul_force_isa(v)) continue;
                double t = best_seconds(v, a, b, c, m, k, n, ta, tb, 0.05);
                double g = 2.0 * m * k * n / t * 1e-9;
                if (g > best[v]) best[v] = g;
            }
        adj_matmul_force_isa(0);
        for (int v = 1; v <= 4; v++)
            if (best[v] > 0) printf("%s %s %.2f\n", argv[s], names[v], best[v]);
        free(a);
        free(b);
        free(c);
    }
    return 0;
}
