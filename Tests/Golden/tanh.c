
int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double x0 = in[0][0]; /* input 0, shape () */
    (void)ws;
    double exp3 = adj_exp(x0 * (-2.0));
    double div7 = (1.0 - exp3) / (exp3 + 1.0);
    out[0][0] = div7; /* output 0 */
    return 0;
}
