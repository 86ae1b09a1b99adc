
int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double *x0 = in[0]; /* input 0, shape (3,) */
    double *a_add3 = out[1]; /* output 1, shape (3,) */
    (void)ws;
    double sum2 = 0.0;
    for (long k = 0; k < 3; k++) {
        double mul1 = x0[k] * x0[k];
        sum2 += mul1; /* sum2 */
        double add3 = x0[k] + x0[k];
        a_add3[k] = add3;
    }
    out[0][0] = sum2; /* output 0 */
    return 0;
}
