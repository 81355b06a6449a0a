/* garnet_table.c - the garnet results the hand-off reads (garnet_table.h). */
#include <hdf5.h>

#include "garnet_table.h"
#include "h5util.h"
#include "results_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One /summary row as read: members converted by name. */
typedef struct {
    int32_t point;
    double T_K, li_per_fu, sigma, sigma_err, asr, asr_err;
} row_t;

static hid_t row_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(row_t));
    H5Tinsert(t, "point", HOFFSET(row_t, point), H5T_NATIVE_INT32);
    H5Tinsert(t, "T_K", HOFFSET(row_t, T_K), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "li_per_fu", HOFFSET(row_t, li_per_fu), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_S_m", HOFFSET(row_t, sigma), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_err_S_m", HOFFSET(row_t, sigma_err), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "ASR_ohm_m2", HOFFSET(row_t, asr), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "ASR_err_ohm_m2", HOFFSET(row_t, asr_err), H5T_NATIVE_DOUBLE);
    return t;
}

/* /metadata: model garnet, provenance, bicrystal or bulk. */
static lihop_status read_meta(hid_t f, const char *path, lihop_garnet_table *out, lihop_err *err)
{
    hid_t m = H5Oexists_by_name(f, "/metadata", H5P_DEFAULT) > 0 ? H5Gopen2(f, "/metadata", H5P_DEFAULT) : -1;
    char *model = m >= 0 ? lihop_h5i_read_attr_str(m, "model") : NULL;
    lihop_status st = LIHOP_OK;
    if (!model)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: not a lihop results file (no /metadata model)", path);
    else if (strcmp(model, "garnet") != 0)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: not garnet results (model '%s'; the hand-off reads lihop run "
                                              "output of a garnet deck)", path, model);
    if (!st) {
        char *gd = lihop_h5i_read_attr_str(m, "git_describe"), *status = lihop_h5i_read_attr_str(m, "status");
        snprintf(out->git_describe, sizeof out->git_describe, "%s", gd ? gd : "unknown");
        snprintf(out->status, sizeof out->status, "%s", status ? status : "unknown");
        free(gd);
        free(status);
        uint64_t seed = 0;
        hid_t a = H5Aexists(m, "seed") > 0 ? H5Aopen(m, "seed", H5P_DEFAULT) : -1;
        if (a >= 0 && H5Aread(a, H5T_NATIVE_UINT64, &seed) >= 0)
            out->seed = seed;
        if (a >= 0)
            H5Aclose(a);
        out->bicrystal = H5Aexists_by_name(f, "/metadata/garnet", "bicrystal_axis", H5P_DEFAULT) > 0;
    }
    free(model);
    if (m >= 0)
        H5Gclose(m);
    return st;
}

/* n_li_m3 of /points/<point>: a scalar dataset (attribute in files before
 * the garnet points' results became datasets). */
static double point_density(hid_t f, int point)
{
    char name[32], path[64];
    double v = NAN;
    lihop_h5r_point_name(point, name);
    snprintf(path, sizeof path, "/points/%s/n_li_m3", name);
    if (H5Lexists(f, "/points", H5P_DEFAULT) > 0 && H5Lexists(f, path, H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
        if (d >= 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
            v = NAN;
        if (d >= 0)
            H5Dclose(d);
        return v;
    }
    snprintf(path, sizeof path, "/points/%s", name);
    if (H5Aexists_by_name(f, path, "n_li_m3", H5P_DEFAULT) > 0) {
        hid_t a = H5Aopen_by_name(f, path, "n_li_m3", H5P_DEFAULT, H5P_DEFAULT);
        if (a >= 0 && H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0)
            v = NAN;
        if (a >= 0)
            H5Aclose(a);
    }
    return v;
}

static lihop_status read_summary(hid_t f, const char *path, lihop_garnet_table *out, lihop_err *err)
{
    hid_t d = H5Oexists_by_name(f, "/summary", H5P_DEFAULT) > 0 ? H5Dopen2(f, "/summary", H5P_DEFAULT) : -1;
    if (d < 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: no /summary table (no finished point)", path);
    hid_t sp = H5Dget_space(d), t = row_type();
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    lihop_status st = LIHOP_OK;
    row_t *rows = n > 0 ? malloc((size_t)n * sizeof *rows) : NULL;
    if (n <= 0 || n > LIHOP_GARNET_TABLE_ROWS)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: expected 1 to %d /summary rows, got %lld", path,
                        LIHOP_GARNET_TABLE_ROWS, (long long)n);
    else if (!rows)
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory reading %s", path);
    else if (H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: /summary lacks the garnet columns (T_K, li_per_fu, sigma_S_m, "
                                              "sigma_err_S_m, ASR_ohm_m2, ASR_err_ohm_m2)", path);
    for (hssize_t r = 0; !st && r < n; r++) {
        out->T_K[r] = rows[r].T_K;
        out->li_per_fu[r] = rows[r].li_per_fu;
        out->sigma_S_m[r] = rows[r].sigma;
        out->sigma_err_S_m[r] = rows[r].sigma_err;
        out->asr_ohm_m2[r] = rows[r].asr;
        out->asr_err_ohm_m2[r] = rows[r].asr_err;
        out->n_li_m3[r] = point_density(f, rows[r].point);
    }
    out->n = st ? 0 : (int)n;
    free(rows);
    H5Tclose(t);
    H5Sclose(sp);
    H5Dclose(d);
    return st;
}

lihop_status lihop_garnet_table_read(const char *path, lihop_garnet_table *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    if (access(path, R_OK) != 0)
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot be read", path);
    lihop_status st = LIHOP_OK;
    H5E_BEGIN_TRY
    {
        hid_t f = H5Fis_hdf5(path) > 0 ? H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
        if (f < 0)
            st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: not an HDF5 file", path);
        if (!st)
            st = read_meta(f, path, out, err);
        if (!st)
            st = read_summary(f, path, out, err);
        if (f >= 0)
            H5Fclose(f);
    }
    H5E_END_TRY;
    return st;
}
