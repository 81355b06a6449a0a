/* results_fits.c - model garnet, after the sweep: the derived tables /fits
 * (results_voxel_fits.c, shared with the voxel model), /arrhenius,
 * /li_content and /bicrystal (h5out.h, lihop_h5_garnet_finish). */
#include <hdf5.h>

#include "results_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const col_def arrhenius_cols[] = {
    {"li_per_fu", COL_F64, "1"},           {"n_T", COL_I32, "1"},
    {"T_min_K", COL_F64, "K"},             {"T_max_K", COL_F64, "K"},
    {"Ea_sigmaT_eV", COL_F64, "eV"},       {"Ea_sigmaT_err_eV", COL_F64, "eV"},
    {"A_sigmaT_S_K_m", COL_F64, "S K/m"},  {"A_sigmaT_err_S_K_m", COL_F64, "S K/m"},
    {"chi2_red_sigmaT", COL_F64, "1"},     {"Ea_sigma_eV", COL_F64, "eV"},
    {"Ea_sigma_err_eV", COL_F64, "eV"},    {"A_sigma_S_m", COL_F64, "S/m"},
    {"A_sigma_err_S_m", COL_F64, "S/m"},   {"chi2_red_sigma", COL_F64, "1"},
    {"weighted", COL_I32, "1"},
};

static const col_def li_content_cols[] = {
    {"T_K", COL_F64, "K"},                 {"n_li", COL_I32, "1"},
    {"li_max", COL_F64, "1"},              {"sigma_max_S_m", COL_F64, "S/m"},
    {"sigma_max_err_S_m", COL_F64, "S/m"}, {"li_vertex", COL_F64, "1"},
    {"ratio_low", COL_F64, "1"},           {"ratio_high", COL_F64, "1"},
};

/* /bicrystal: point, then the /summary columns in bicrystal_src, then the ASR in ohm cm^2. */
static const col_def bicrystal_cols[] = {
    {"point", COL_I32, "1"},                  {"T_K", COL_F64, "K"},
    {"li_per_fu", COL_F64, "1"},              {"sigma_across_S_m", COL_F64, "S/m"},
    {"sigma_across_err_S_m", COL_F64, "S/m"}, {"sigma_along_S_m", COL_F64, "S/m"},
    {"sigma_along_err_S_m", COL_F64, "S/m"},  {"sigma_bulk_S_m", COL_F64, "S/m"},
    {"sigma_bulk_err_S_m", COL_F64, "S/m"},   {"ASR_ohm_m2", COL_F64, "ohm m^2"},
    {"ASR_err_ohm_m2", COL_F64, "ohm m^2"},   {"ASR_ohm_cm2", COL_F64, "ohm cm^2"},
    {"ASR_err_ohm_cm2", COL_F64, "ohm cm^2"},
};
static const char *const bicrystal_src[] = {"T_K", "li_per_fu", "sigma_across_S_m", "sigma_across_err_S_m",
                                            "sigma_along_S_m", "sigma_along_err_S_m", "sigma_bulk_S_m",
                                            "sigma_bulk_err_S_m", "ASR_ohm_m2", "ASR_err_ohm_m2"};

void lihop_h5r_dt_init(dtable *t, const col_def *spec, int n)
{
    memset(t, 0, sizeof *t);
    lihop_h5r_col_defs(t->cols, &t->ncols, &t->row_size, spec, n);
}

void lihop_h5r_dt_put(const dtable *t, unsigned char *row, int col, double v)
{
    if (t->cols[col].kind == COL_I32) {
        int32_t x = (int32_t)v;
        memcpy(row + t->cols[col].off, &x, 4);
    } else {
        memcpy(row + t->cols[col].off, &v, 8);
    }
}

void lihop_h5r_dt_put_row(const dtable *t, unsigned char *row, const double *v)
{
    for (int q = 0; q < t->ncols; q++)
        lihop_h5r_dt_put(t, row, q, v[q]);
}

static int lihop_h5r_dt_write(lihop_h5i_ctx *c, hid_t file, const char *path, const dtable *t, int nrows,
                    const unsigned char *rows)
{
    hid_t ty = lihop_h5r_compound(t->cols, t->ncols, t->row_size), sp = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int rc = -1;
    if (ty < 0)
        goto fail;
    if (H5Lexists(file, path, H5P_DEFAULT) > 0 && H5Ldelete(file, path, H5P_DEFAULT) < 0)
        goto fail;
    hsize_t n = (hsize_t)nrows;
    sp = H5Screate_simple(1, &n, NULL);
    d = sp < 0 ? H5I_INVALID_HID : H5Dcreate2(file, path, ty, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || (nrows > 0 && H5Dwrite(d, ty, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0))
        goto fail;
    if (lihop_h5r_write_units(c, d, path, t->cols, t->ncols) < 0)
        goto done;
    rc = 0;
    goto done;
fail:
    lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write '%s'", path);
done:
    if (d >= 0)
        H5Dclose(d);
    if (sp >= 0)
        H5Sclose(sp);
    if (ty >= 0)
        H5Tclose(ty);
    return rc;
}

/* A derived table rewritten from scratch: the old one goes, and a new one is
 * written only when it has rows (no rows: no dataset). */
int lihop_h5r_dt_replace(lihop_h5i_ctx *c, hid_t file, const char *path, const dtable *t, int nrows,
                      const unsigned char *rows)
{
    if (H5Lexists(file, path, H5P_DEFAULT) > 0 && H5Ldelete(file, path, H5P_DEFAULT) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot replace '%s'", path);
        return -1;
    }
    return nrows > 0 ? lihop_h5r_dt_write(c, file, path, t, nrows, rows) : 0;
}

/* The seed-combined /summary rows the fits use, by sweep point. */
typedef struct {
    const lihop_h5 *h;
    const lihop_config *cfg;
    const unsigned char *rows;
    int nt, nx;
    int *byk;                   /* [ix * nt + it]: row of Li content ix, temperature it; -1: missing */
    int cT, cS, cE;             /* columns T_K, sigma_S_m, sigma_err_S_m */
    unsigned char *out;         /* room for the rows of any derived table */
} fit_ctx;

static void index_points(fit_ctx *f, int n)
{
    const lihop_h5 *h = f->h;
    const lihop_garnet_cfg *gc = &f->cfg->garnet;
    const int cLi = lihop_h5r_col_index(h, gc->li_is_per_cell ? "li_per_cell" : "li_per_fu");
    for (int k = 0; k < f->nt * f->nx; k++) {
        f->byk[k] = -1;
        const double li = gc->li_is_per_cell ? gc->li_per_cell[k / f->nt] : gc->li_per_fu[k / f->nt];
        for (int i = 0; i < n && f->byk[k] < 0; i++)
            if (lihop_h5r_row_f64(h, f->rows + (size_t)i * h->row_size, f->cT) == f->cfg->temperature_K[k % f->nt] &&
                lihop_h5r_row_f64(h, f->rows + (size_t)i * h->row_size, cLi) == li)
                f->byk[k] = i;
    }
}

/* The finished points of Li content `fixed` over temperature (over_T; x = T)
 * or of temperature `fixed` over Li content (x = Li per f.u.); returns how many. */
static int gather(const fit_ctx *f, int fixed, int over_T, double *x, double *sg, double *se)
{
    int m = 0, n = over_T ? f->nt : f->nx;
    for (int j = 0; j < n; j++) {
        int r = f->byk[over_T ? fixed * f->nt + j : j * f->nt + fixed];
        if (r < 0)
            continue;
        const unsigned char *row = f->rows + (size_t)r * f->h->row_size;
        x[m] = over_T ? lihop_h5r_row_f64(f->h, row, f->cT) : f->cfg->garnet.li_per_fu[j];
        sg[m] = lihop_h5r_row_f64(f->h, row, f->cS);
        se[m] = lihop_h5r_row_f64(f->h, row, f->cE);
        m++;
    }
    return m;
}

/* One /arrhenius row for Li content ix (0 if it has < 3 temperatures or no fit). */
static int arrhenius_row(const fit_ctx *f, const dtable *t, int ix, unsigned char *row,
                         lihop_garnet_arrhenius_row *fr)
{
    double T[LIHOP_MAX_TEMPS], sg[LIHOP_MAX_TEMPS], se[LIHOP_MAX_TEMPS];
    int m = gather(f, ix, 1, T, sg, se);
    if (m < 3)
        return 0;
    lihop_arrhenius_fit f1, f0;
    lihop_err e2 = {{0}};
    if (lihop_arrhenius(m, T, sg, se, 1, &f1, &e2) != LIHOP_OK ||
        lihop_arrhenius(m, T, sg, se, 0, &f0, &e2) != LIHOP_OK)
        return 0;                   /* e.g. a zero conductivity: no fit for this content */
    double tmin = T[0], tmax = T[0];
    for (int i = 1; i < m; i++) {
        tmin = T[i] < tmin ? T[i] : tmin;
        tmax = T[i] > tmax ? T[i] : tmax;
    }
    double v[] = {f->cfg->garnet.li_per_fu[ix], m, tmin, tmax, f1.Ea_eV, f1.Ea_err_eV, f1.A, f1.A_err,
                  f1.chi2_red, f0.Ea_eV, f0.Ea_err_eV, f0.A, f0.A_err, f0.chi2_red, f1.weighted};
    lihop_h5r_dt_put_row(t, row, v);
    *fr = (lihop_garnet_arrhenius_row){f->cfg->garnet.li_per_fu[ix], m, tmin, tmax, f1, f0};
    return 1;
}

/* /arrhenius: one row per Li content with >= 3 finished temperatures. */
static int write_arrhenius(lihop_h5i_ctx *c, hid_t file, const fit_ctx *f, lihop_garnet_fits *fits)
{
    dtable t;
    lihop_h5r_dt_init(&t, arrhenius_cols, LIHOP_NDEFS(arrhenius_cols));
    int nrows = 0;
    for (int ix = 0; ix < f->nx; ix++) {
        lihop_garnet_arrhenius_row fr;
        if (!arrhenius_row(f, &t, ix, f->out + (size_t)nrows * t.row_size, &fr))
            continue;
        if (fits && fits->n < LIHOP_MAX_LI_VALUES)
            fits->row[fits->n++] = fr;
        nrows++;
    }
    return lihop_h5r_dt_replace(c, file, "/arrhenius", &t, nrows, f->out);
}

/* /li_content: where sigma peaks over Li content, one row per temperature
 * with >= 3 finished Li contents. */
static int write_li_content(lihop_h5i_ctx *c, hid_t file, const fit_ctx *f, lihop_garnet_fits *fits)
{
    dtable t;
    lihop_h5r_dt_init(&t, li_content_cols, LIHOP_NDEFS(li_content_cols));
    int nrows = 0;
    double li[LIHOP_MAX_LI_VALUES], sg[LIHOP_MAX_LI_VALUES], se[LIHOP_MAX_LI_VALUES];
    for (int it = 0; it < f->nt; it++) {
        int m = gather(f, it, 0, li, sg, se);
        lihop_li_peak pk;
        lihop_err e2 = {{0}};
        if (m < 3 || lihop_li_peak_find(m, li, sg, se, &pk, &e2) != LIHOP_OK)
            continue;
        double v[] = {f->cfg->temperature_K[it], m, pk.li_max, pk.sigma_max, pk.sigma_max_err, pk.li_vertex,
                      pk.ratio_low, pk.ratio_high};
        lihop_h5r_dt_put_row(&t, f->out + (size_t)nrows * t.row_size, v);
        if (fits && fits->npeaks < LIHOP_MAX_TEMPS) {
            fits->peak_T_K[fits->npeaks] = f->cfg->temperature_K[it];
            fits->peak[fits->npeaks++] = pk;
        }
        nrows++;
    }
    return lihop_h5r_dt_replace(c, file, "/li_content", &t, nrows, f->out);
}

/* /bicrystal: the boundary columns of /summary in point order, ASR also in
 * ohm cm^2; attribute axis. */
static int write_bicrystal(lihop_h5i_ctx *c, hid_t file, const fit_ctx *f)
{
    const lihop_h5 *h = f->h;
    dtable t;
    lihop_h5r_dt_init(&t, bicrystal_cols, LIHOP_NDEFS(bicrystal_cols));
    int nrows = 0;
    for (int k = 0; k < f->nt * f->nx; k++) {
        if (f->byk[k] < 0)
            continue;
        const unsigned char *row = f->rows + (size_t)f->byk[k] * h->row_size;
        unsigned char *o = f->out + (size_t)nrows * t.row_size;
        lihop_h5r_dt_put(&t, o, 0, lihop_h5r_row_point(h, row));
        for (int q = 0; q < 10; q++)
            lihop_h5r_dt_put(&t, o, q + 1, lihop_h5r_row_f64(h, row, lihop_h5r_col_index(h, bicrystal_src[q])));
        lihop_h5r_dt_put(&t, o, 11, 1e4 * lihop_h5r_row_f64(h, row, lihop_h5r_col_index(h, "ASR_ohm_m2")));
        lihop_h5r_dt_put(&t, o, 12, 1e4 * lihop_h5r_row_f64(h, row, lihop_h5r_col_index(h, "ASR_err_ohm_m2")));
        nrows++;
    }
    if (lihop_h5r_dt_replace(c, file, "/bicrystal", &t, nrows, f->out) < 0)
        return -1;
    hid_t d = H5Dopen2(file, "/bicrystal", H5P_DEFAULT);
    if (d >= 0) {
        char axis[2] = {"xyz"[f->cfg->garnet.bicrystal.axis], '\0'};
        lihop_h5i_attr_str(c, d, "/bicrystal", "axis", axis);
        H5Dclose(d);
    }
    return 0;
}

static lihop_status garnet_finish_in(lihop_h5 *h, const lihop_config *cfg, lihop_garnet_fits *fits,
                                     lihop_err *err)
{
    if (fits)
        memset(fits, 0, sizeof *fits);
    if (!h || !cfg)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_garnet_finish: NULL argument");
    if (h->model != LIHOP_MODEL_GARNET || cfg->model != LIHOP_MODEL_GARNET)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: not a garnet results file", h->path);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    const int nt = cfg->ntemps, nx = cfg->garnet.nli, npts = nt * nx;
    int n = 0;
    unsigned char *rows = NULL;
    fit_ctx f = {h, cfg, NULL, nt, nx, NULL, lihop_h5r_col_index(h, "T_K"), lihop_h5r_col_index(h, "sigma_S_m"),
                 lihop_h5r_col_index(h, "sigma_err_S_m"), NULL};
    /* the fits use the seed-combined rows */
    if ((c.st = lihop_h5r_finish_in(h, &rows, &n, err)) != LIHOP_OK)
        goto done;
    f.rows = rows;
    f.byk = malloc(sizeof *f.byk * (size_t)(npts > 0 ? npts : 1));
    f.out = malloc(((size_t)(npts > nx ? npts : nx) + (size_t)n + 1) * 8 * 24);
    if (!f.byk || !f.out) {
        lihop_h5i_fail(&c, LIHOP_ERR_NOMEM, "out of memory reading '/summary'");
        goto done;
    }
    index_points(&f, n);
    if (fits)
        fits->cfg = cfg;
    if (lihop_h5r_write_line_fits(&c, h, cfg, rows, n, fits ? &fits->lines : NULL) < 0 ||
        write_arrhenius(&c, h->file, &f, fits) < 0 || write_li_content(&c, h->file, &f, fits) < 0 ||
        (cfg->garnet.has_bicrystal && write_bicrystal(&c, h->file, &f) < 0))
        goto done;
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot flush");
done:
    free(rows);
    free(f.byk);
    free(f.out);
    return c.st;
}

lihop_status lihop_h5_garnet_finish(lihop_h5 *h, const lihop_config *cfg, lihop_garnet_fits *fits,
                                    lihop_err *err)
{
    if (!h || !cfg)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_garnet_finish: NULL argument");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (lihop_h5r_txn_begin(&c, h) < 0)
        return c.st;
    c.st = garnet_finish_in(h, cfg, fits, err);
    lihop_h5r_txn_end(&c, h);
    return c.st;
}
