extern const double adj_data0[];

int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double *x0 = in[0]; /* input 0, shape (2,) */
    const double *data0 = adj_data0; /* tensor constant, shape (2,) */
    double *a_equal10 = ws + 0; /* 4 elements */
    double *a_slice11 = ws + 4; /* 2 elements */
    double *a_slice13 = ws + 6; /* 2 elements */
    double *a_add16 = ws + 0; /* 2 elements */
    double *a_add20 = ws + 2; /* 2 elements */
    double *a_add25 = ws + 8; /* 4 elements */
    double *a_transpose26 = out[1]; /* output 1, shape (2, 2) */
    double slice1 = x0[0]; /* (1,) */
    double slice3 = x0[1]; /* (1,) */
    double mul6 = slice1 * (slice3 * slice3);
    for (long i0 = 0; i0 < 2; i0++)
    for (long i1 = 0; i1 < 2; i1++)
    {
        long k = i0 * 2 + i1;
        double equal10 = (data0[i0] == data0[i1] ? 1.0 : 0.0);
        a_equal10[k] = equal10;
    }
    for (long k = 0; k < 2; k++) {
        double slice11 = a_equal10[k * 2];
        a_slice11[k] = slice11;
        double slice13 = a_equal10[k * 2 + 1];
        a_slice13[k] = slice13;
    }
    for (long k = 0; k < 2; k++) {
        double mul15 = slice3 * a_slice13[k];
        double add16 = mul15 + mul15;
        a_add16[k] = add16;
        double add19 = slice3 * a_slice11[k] + slice1 * a_slice13[k];
        double add20 = add19 + add19;
        a_add20[k] = add20;
    }
    for (long i0 = 0; i0 < 2; i0++)
    for (long i1 = 0; i1 < 2; i1++)
    {
        long k = i0 * 2 + i1;
        double add25 = (i1 >= 1 ? a_add20[i0 + i1 - 1] : 0.0) + (i1 < 1 ? a_add16[i0 + i1] : 0.0);
        a_add25[k] = add25;
    }
    for (long i0 = 0; i0 < 2; i0++)
    for (long i1 = 0; i1 < 2; i1++)
    {
        long k = i0 * 2 + i1;
        double transpose26 = a_add25[i0 + i1 * 2];
        a_transpose26[k] = transpose26;
    }
    out[0][0] = mul6; /* output 0 */
    return 0;
}
