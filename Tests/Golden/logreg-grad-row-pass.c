
int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double *x0 = in[0]; /* input 0, shape (100,) */
    const double *x1 = in[1]; /* input 1, shape (1000, 100) */
    const double *x2 = in[2]; /* input 2, shape (1000,) */
    double *a_matmul4 = ws + 0; /* 1000 elements */
    double *a_div33 = ws + 1000; /* 1000 elements */
    double *a_matmul36 = out[0]; /* output 0, shape (100, 1) */
    /* one pass over the rows of x1 (1000×100), 40 at a time: matmul4 = x1·x0, matmul36 = x1ᵀ·div33 */
    for (long k = 0; k < 100; k++) a_matmul36[k] = 0.0;
    for (long r = 0; r < 1000; r += 40) {
        long rn = 1000 - r < 40 ? 1000 - r : 40;
        adj_rows_dot(x1 + r * 100, x0, a_matmul4 + r, rn, 100);
        for (long k = r; k < r + rn; k++) {
            double tanh8 = adj_tanh(a_matmul4[k] / 2.0);
            double mul12 = (tanh8 + 1.0) * 0.5;
            double sub15 = 1.0 - x2[k];
            double div24 = (-1.0) / (x2[k] * mul12 + (1.0 - mul12) * sub15);
            double div33 = (x2[k] * div24 - sub15 * div24) * 0.5 * (1.0 - tanh8 * tanh8) / 2.0;
            a_div33[k] = div33;
        }
        adj_rows_accumulate(x1 + r * 100, a_div33 + r, a_matmul36, rn, 100);
    }
    return 0;
}
