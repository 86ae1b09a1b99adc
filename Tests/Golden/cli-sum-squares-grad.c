
int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double *x0 = in[0]; /* input 0, shape (3,) */
    double *a_add7 = out[1]; /* output 1, shape (3,) */
    (void)ws;
    double sum3 = 0.0;
    for (long k = 0; k < 3; k++) {
        double mul2 = x0[k] * x0[k];
        sum3 += mul2; /* sum3 */
        double add7 = x0[k] + x0[k];
        a_add7[k] = add7;
    }
    out[0][0] = sum3; /* output 0 */
    return 0;
}
