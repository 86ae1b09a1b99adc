extern const double adj_data0[];

int adj_kernel(const double *const *in, double *const *out, double *ws) {
    const double *x0 = in[0]; /* input 0, shape (2,) */
    const double *data0 = adj_data0; /* tensor constant, shape (2,) */
    double *a_equal11 = ws + 0; /* 4 elements */
    double *a_slice12 = ws + 4; /* 2 elements */
    double *a_slice14 = ws + 6; /* 2 elements */
    double *a_add17 = ws + 0; /* 2 elements */
    double *a_add21 = ws + 2; /* 2 elements */
    double *a_add26 = ws + 8; /* 4 elements */
    double *a_transpose27 = out[1]; /* output 1, shape (2, 2) */
    double slice1 = x0[0]; /* (1,) */
    double slice3 = x0[1]; /* (1,) */
    double mul7 = slice1 * (slice3 * slice3);
    for (long i0 = 0; i0 < 2; i0++)
    for (long i1 = 0; i1 < 2; i1++)
    {
        long k = i0 * 2 + i1;
        double equal11 = (data0[i0] == data0[i1] ? 1.0 : 0.0);
        a_equal11[k] = equal11;
    }
    for (long k = 0; k < 2; k++) {
        double slice12 = a_equal11[k * 2];
        a_slice12[k] = slice12;
        double slice14 = a_equal11[k * 2 + 1];
        a_slice14[k] = slice14;
    }
    for (long k = 0; k < 2; k++) {
        double mul16 = slice3 * a_slice14[k];
        double add17 = mul16 + mul16;
        a_add17[k] = add17;
        double add20 = slice3 * a_slice12[k] + slice1 * a_slice14[k];
        double add21 = add20 + add20;
        a_add21[k] = add21;
    }
    for (long i0 = 0; i0 < 2; i0++)
    for (long i1 = 0; i1 < 2; i1++)
    {
        long k = i0 * 2 + i1;
        double add26 = (i1 >= 1 ? a_add21[i0 + i1 - 1] : 0.0) + (i1 < 1 ? a_add17[i0 + i1] : 0.0);
        a_add26[k] = add26;
    }
    for (long i0 = 0; i0 < 2; i0++)
    for (long i1 = 0; i1 < 2; i1++)
    {
        long k = i0 * 2 + i1;
        double transpose27 = a_add26[i0 + i1 * 2];
        a_transpose27[k] = transpose27;
    }
    out[0][0] = mul7; /* output 0 */
    return 0;
}
