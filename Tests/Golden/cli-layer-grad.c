
int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double *x0 = in[0]; /* input 0, shape (2, 3) */
    const double *x1 = in[1]; /* input 1, shape (3,) */
    const double *x2 = in[2]; /* input 2, shape (2,) */
    double *a_matmul4 = ws + 0; /* 2 elements */
    double *a_sub13 = out[2]; /* output 2, shape (2,) */
    double *a_matmul16 = out[1]; /* output 1, shape (2, 3) */
    adj_matmul(x0, x1, a_matmul4, 2, 3, 1, 0, 0); /* (2, 1) */
    double sum8 = 0.0;
    for (long k = 0; k < 2; k++) {
        double tanh7 = adj_tanh(x2[k] + a_matmul4[k]);
        sum8 += tanh7; /* sum8 */
        double sub13 = 1.0 - tanh7 * tanh7;
        a_sub13[k] = sub13;
    }
    adj_matmul(a_sub13, x1, a_matmul16, 2, 1, 3, 0, 1); /* (2, 3) */
    out[0][0] = sum8; /* output 0 */
    return 0;
}
