
int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double *x0 = in[0]; /* input 0, shape (3,) */
    const double *x1 = in[1]; /* input 1, shape (4, 3) */
    const double *x2 = in[2]; /* input 2, shape (4,) */
    double *a_matmul4 = ws + 0; /* 4 elements */
    double *a_div33 = ws + 4; /* 4 elements */
    double *a_matmul36 = out[0]; /* output 0, shape (3, 1) */
    adj_matmul(x1, x0, a_matmul4, 4, 3, 1, 0, 0); /* (4, 1) */
    for (long k = 0; k < 4; k++) {
        double tanh8 = adj_tanh(a_matmul4[k] / 2.0);
        double mul12 = (tanh8 + 1.0) * 0.5;
        double sub15 = 1.0 - x2[k];
        double div24 = (-1.0) / (x2[k] * mul12 + (1.0 - mul12) * sub15);
        double div33 = (x2[k] * div24 - sub15 * div24) * 0.5 * (1.0 - tanh8 * tanh8) / 2.0;
        a_div33[k] = div33;
    }
    adj_matmul(x1, a_div33, a_matmul36, 3, 4, 1, 1, 0); /* (3, 1) */
    return 0;
}
