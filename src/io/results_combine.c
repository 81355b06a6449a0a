/* results_combine.c - /combined: the seed replicates of each point combined
 * into one row (h5out.h, lihop_h5_finish). */
#include <hdf5.h>

#include "results_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Column of X for an error column X_err... ("sigma_err_S_m" -> "sigma_S_m"), or -1. */
static int err_base(const lihop_h5 *h, int col)
{
    const char *n = h->cols[col].name, *e = strstr(n, "_err");
    if (!e || h->cols[col].kind != COL_F64)
        return -1;
    char base[sizeof h->cols[0].name];
    snprintf(base, sizeof base, "%.*s%s", (int)(e - n), n, e + 4);
    int b = lihop_h5r_col_index(h, base);
    return b >= 0 && h->cols[b].kind == COL_F64 ? b : -1;
}

/* Combine value column b (error column e, or -1) over rows idx[0..n):
 * inverse-variance weighted mean with error sqrt(1/sum w), scaled by
 * sqrt(chi2/(n-1)) when that exceeds 1 (the seeds scatter more than their
 * errors say); without usable errors the plain mean and its standard error. */
static void combine_col(const lihop_h5 *h, const unsigned char *rows, const int *idx, int n, int b, int e,
                        double *val, double *err)
{
    double sw = 0.0, swx = 0.0, sx = 0.0, sxx = 0.0;
    int weighted = e >= 0;
    for (int i = 0; i < n; i++) {
        double x = lihop_h5r_row_f64(h, rows + (size_t)idx[i] * h->row_size, b);
        double s = e >= 0 ? lihop_h5r_row_f64(h, rows + (size_t)idx[i] * h->row_size, e) : NAN;
        weighted &= s > 0.0 && isfinite(s);
        sx += x;
        sxx += x * x;
        if (weighted) {
            sw += 1.0 / (s * s);
            swx += x / (s * s);
        }
    }
    double mean = sx / n, var = n > 1 ? (sxx - n * mean * mean) / (n - 1) : NAN;
    if (!weighted) {
        *val = mean;
        *err = n > 1 && var > 0.0 ? sqrt(var / n) : (n > 1 ? 0.0 : NAN);
        return;
    }
    double wm = swx / sw, chi2 = 0.0;
    for (int i = 0; i < n; i++) {
        double x = lihop_h5r_row_f64(h, rows + (size_t)idx[i] * h->row_size, b);
        double s = lihop_h5r_row_f64(h, rows + (size_t)idx[i] * h->row_size, e);
        chi2 += (x - wm) * (x - wm) / (s * s);
    }
    double scale = n > 1 && chi2 / (n - 1) > 1.0 ? sqrt(chi2 / (n - 1)) : 1.0;
    *val = wm;
    *err = sqrt(1.0 / sw) * scale;
}

/* One combined row from rows idx[0..n) (same coordinates but the seed). */
static void combine_rows(const lihop_h5 *h, const unsigned char *rows, const int *idx, int n, unsigned char *out)
{
    memcpy(out, rows + (size_t)idx[0] * h->row_size, h->row_size);
    for (int col = 0; col < h->ncols; col++) {
        const col_spec *cs = &h->cols[col];
        if (cs->kind == COL_U64) {
            uint64_t sum = 0, u;
            for (int i = 0; i < n; i++) {
                memcpy(&u, rows + (size_t)idx[i] * h->row_size + cs->off, 8);
                sum += u;
            }
            memcpy(out + cs->off, &sum, 8);
        } else if (cs->kind == COL_F64 && err_base(h, col) < 0) {
            int e = -1;
            for (int k = 0; k < h->ncols && e < 0; k++)
                if (err_base(h, k) == col)
                    e = k;
            double v, ve;
            combine_col(h, rows, idx, n, col, e, &v, &ve);
            memcpy(out + cs->off, &v, 8);
            if (e >= 0)
                memcpy(out + h->cols[e].off, &ve, 8);
        }
    }
    for (int c = 0; c < h->ncoords; c++) {      /* coordinates stay; the seed column holds 0 */
        const col_spec *cs = &h->cols[h->coord_col[c]];
        if (c == h->seed_coord)
            memset(out + cs->off, 0, 8);
    }
}

static int same_point_but_seed(const lihop_h5 *h, const unsigned char *a, const unsigned char *b)
{
    double ca[LIHOP_MAX_COORDS], cb[LIHOP_MAX_COORDS];
    lihop_h5r_get_coords(h, a, ca);
    lihop_h5r_get_coords(h, b, cb);
    for (int c = 0; c < h->ncoords; c++)
        if (c != h->seed_coord && ca[c] != cb[c])
            return 0;
    return 1;
}

/* rows[0..n) grouped by coordinates but the seed into out (malloc'd, *nout
 * rows) with the group sizes in nseeds (malloc'd). */
static int combine_seeds(const lihop_h5 *h, const unsigned char *rows, int n, unsigned char **out, int **nseeds,
                         int *nout)
{
    *out = malloc(((size_t)n + 1) * h->row_size);
    *nseeds = malloc(((size_t)n + 1) * sizeof **nseeds);
    int *idx = malloc(((size_t)n + 1) * sizeof *idx), *used = calloc((size_t)n + 1, sizeof *used);
    if (!*out || !*nseeds || !idx || !used) {
        free(idx);
        free(used);
        return -1;
    }
    *nout = 0;
    for (int i = 0; i < n; i++) {
        if (used[i])
            continue;
        int m = 0;
        for (int j = i; j < n; j++)
            if (!used[j] && same_point_but_seed(h, rows + (size_t)i * h->row_size, rows + (size_t)j * h->row_size)) {
                used[j] = 1;
                idx[m++] = j;
            }
        combine_rows(h, rows, idx, m, *out + (size_t)*nout * h->row_size);
        (*nseeds)[(*nout)++] = m;
    }
    free(idx);
    free(used);
    return 0;
}

/* /combined (same columns as /summary, seed 0, point = the group's first id)
 * and /combined_n_seeds, when some point has more than one seed. */
static int write_combined(lihop_h5i_ctx *c, lihop_h5 *h, const unsigned char *crows, const int *nseeds, int n)
{
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= nseeds[i] > 1;
    static const char *const names[] = {"/combined", "/combined_n_seeds"};
    for (int i = 0; i < 2; i++)
        if (H5Lexists(h->file, names[i], H5P_DEFAULT) > 0 && H5Ldelete(h->file, names[i], H5P_DEFAULT) < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot replace '%s'", names[i]);
    if (!any)
        return 0;
    hsize_t dims = (hsize_t)n;
    if (lihop_h5i_dset_write(c, h->file, "/", "combined", h->row_type, h->row_type, 1, &dims, crows, NULL) < 0 ||
        lihop_h5i_dset_write(c, h->file, "/", "combined_n_seeds", H5T_STD_I32LE, H5T_NATIVE_INT, 1, &dims, nseeds, "1") < 0)
        return -1;
    hid_t d = H5Dopen2(h->file, "/combined", H5P_DEFAULT);
    int rc = d >= 0 ? lihop_h5r_write_units(c, d, "/combined", h->cols, h->ncols) : -1;
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

lihop_status lihop_h5r_finish_in(lihop_h5 *h, unsigned char **crows_out, int *ncomb, lihop_err *err)
{
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    int n = 0, nc = 0, *nseeds = NULL;
    unsigned char *rows = lihop_h5r_read_summary(&c, h, &n, LIHOP_ERR_IO, "cannot read the size of '/summary'"),
                  *crows = NULL;
    if (rows && combine_seeds(h, rows, n, &crows, &nseeds, &nc) < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_NOMEM, "out of memory combining seeds");
    if (c.st == LIHOP_OK)
        write_combined(&c, h, crows, nseeds, nc);
    free(rows);
    free(nseeds);
    if (crows_out && c.st == LIHOP_OK) {
        *crows_out = crows;
        *ncomb = nc;
    } else {
        free(crows);
    }
    return c.st;
}

lihop_status lihop_h5_finish(lihop_h5 *h, lihop_err *err)
{
    if (!h)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_finish: NULL argument");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (lihop_h5r_txn_begin(&c, h) < 0)
        return c.st;
    c.st = lihop_h5r_finish_in(h, NULL, NULL, err);
    lihop_h5r_txn_end(&c, h);
    return c.st;
}

