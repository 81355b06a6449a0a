/* results_voxel_fits.c - after the sweep: /fits, the Arrhenius and VTF fits
 * of sigma(T) along every sweep line, for both models (h5out.h,
 * lihop_h5_voxel_finish; the garnet model through lihop_h5r_write_line_fits
 * from results_fits.c).  One fit implementation: src/core/fit.c (GSL). */
#include <hdf5.h>

#include "results_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* /fits columns after `line`, `species` and the line's coordinates. */
static const col_def fit_cols[] = {
    {"n_T", COL_I32, "1"},                     {"T_min_K", COL_F64, "K"},
    {"T_max_K", COL_F64, "K"},                 {"weighted", COL_I32, "1"},
    {"Ea_sigmaT_eV", COL_F64, "eV"},           {"Ea_sigmaT_err_eV", COL_F64, "eV"},
    {"A_sigmaT_S_K_m", COL_F64, "S K/m"},      {"A_sigmaT_err_S_K_m", COL_F64, "S K/m"},
    {"cov_Ea_A_sigmaT", COL_F64, "eV S K/m"},  {"chi2_red_sigmaT", COL_F64, "1"},
    {"Ea_sigma_eV", COL_F64, "eV"},            {"Ea_sigma_err_eV", COL_F64, "eV"},
    {"A_sigma_S_m", COL_F64, "S/m"},           {"A_sigma_err_S_m", COL_F64, "S/m"},
    {"cov_Ea_A_sigma", COL_F64, "eV S/m"},     {"chi2_red_sigma", COL_F64, "1"},
    {"vtf", COL_I32, "1"},                     {"vtf_A_S_m", COL_F64, "S/m"},
    {"vtf_A_err_S_m", COL_F64, "S/m"},         {"vtf_B_K", COL_F64, "K"},
    {"vtf_B_err_K", COL_F64, "K"},             {"vtf_T0_K", COL_F64, "K"},
    {"vtf_T0_err_K", COL_F64, "K"},            {"vtf_cov_A_B", COL_F64, "S K/m"},
    {"vtf_cov_A_T0", COL_F64, "S K/m"},        {"vtf_cov_B_T0", COL_F64, "K^2"},
    {"vtf_chi2_red", COL_F64, "1"},
};
#define NFIT_COLS LIHOP_NDEFS(fit_cols)

typedef struct {
    const lihop_h5 *h;
    const lihop_config *cfg;
    const unsigned char *rows;      /* seed-combined /summary rows */
    int n;
    int *line;                      /* [n]: the sweep line of each row */
    int nlines;
    int cT;                         /* column T_K */
} vfit_ctx;

/* 1 if coordinate c names the sweep line (neither temperature nor seed). */
static int line_coord(const lihop_config *cfg, int c)
{
    return cfg->coords[c].kind != LIHOP_COORD_TEMPERATURE && cfg->coords[c].kind != LIHOP_COORD_SEED;
}

static double row_coord(const vfit_ctx *f, int r, int c)
{
    return lihop_h5r_row_f64(f->h, f->rows + (size_t)r * f->h->row_size, f->h->coord_col[c]);
}

/* Rows with equal line coordinates share a line; lines numbered by first row. */
static void assign_lines(vfit_ctx *f)
{
    f->nlines = 0;
    for (int i = 0; i < f->n; i++) {
        f->line[i] = -1;
        for (int k = 0; k < i && f->line[i] < 0; k++) {
            int same = 1;
            for (int c = 0; c < f->cfg->ncoords && same; c++)
                same = !line_coord(f->cfg, c) || row_coord(f, i, c) == row_coord(f, k, c);
            if (same)
                f->line[i] = f->line[k];
        }
        if (f->line[i] < 0)
            f->line[i] = f->nlines++;
    }
}

/* The points of line ln: T, and the conductivity and error in columns cS, cE. */
static int gather_line(const vfit_ctx *f, int ln, int cS, int cE, double *T, double *sg, double *se)
{
    int m = 0;
    for (int i = 0; i < f->n && m < LIHOP_MAX_TEMPS; i++) {
        if (f->line[i] != ln)
            continue;
        const unsigned char *row = f->rows + (size_t)i * f->h->row_size;
        T[m] = lihop_h5r_row_f64(f->h, row, f->cT);
        sg[m] = lihop_h5r_row_f64(f->h, row, cS);
        se[m] = lihop_h5r_row_f64(f->h, row, cE);
        m++;
    }
    return m;
}

/* The fits of one conductivity of line ln into fr; 0 if fewer than 3
 * temperatures or no Arrhenius fit (e.g. a species with zero conductivity). */
static int fit_line(const vfit_ctx *f, int ln, int species, lihop_line_fit_row *fr)
{
    char s[LIHOP_NAME_LEN + 24], e[LIHOP_NAME_LEN + 24];
    if (species < 0) {
        snprintf(s, sizeof s, "sigma_S_m");
        snprintf(e, sizeof e, "sigma_err_S_m");
    } else {
        snprintf(s, sizeof s, "sigma_%s_S_m", f->cfg->species[species].name);
        snprintf(e, sizeof e, "sigma_%s_err_S_m", f->cfg->species[species].name);
    }
    double T[LIHOP_MAX_TEMPS], sg[LIHOP_MAX_TEMPS], se[LIHOP_MAX_TEMPS];
    int m = gather_line(f, ln, lihop_h5r_col_index(f->h, s), lihop_h5r_col_index(f->h, e), T, sg, se);
    memset(fr, 0, sizeof *fr);
    lihop_err e2 = {{0}};
    if (m < 3 || lihop_arrhenius(m, T, sg, se, 1, &fr->sigmaT, &e2) != LIHOP_OK ||
        lihop_arrhenius(m, T, sg, se, 0, &fr->sigma, &e2) != LIHOP_OK)
        return 0;
    fr->has_vtf = m >= 4 && lihop_vtf(m, T, sg, se, &fr->vtf, &e2) == LIHOP_OK;
    fr->line = ln;
    fr->species = species;
    fr->ntemps = m;
    fr->T_min_K = fr->T_max_K = T[0];
    for (int i = 1; i < m; i++) {
        fr->T_min_K = T[i] < fr->T_min_K ? T[i] : fr->T_min_K;
        fr->T_max_K = T[i] > fr->T_max_K ? T[i] : fr->T_max_K;
    }
    for (int i = 0; i < f->n; i++)
        if (f->line[i] == ln) {
            for (int c = 0; c < f->cfg->ncoords; c++)
                fr->coord[c] = line_coord(f->cfg, c) ? row_coord(f, i, c) : NAN;
            break;
        }
    return 1;
}

/* The table's columns: line, species, the line coordinates, then fit_cols. */
static void fit_table(const lihop_config *cfg, dtable *t)
{
    memset(t, 0, sizeof *t);
    lihop_h5r_col_push(t->cols, &t->ncols, &t->row_size, "line", COL_I32, "1");
    lihop_h5r_col_push(t->cols, &t->ncols, &t->row_size, "species", COL_I32, "1");
    for (int c = 0; c < cfg->ncoords; c++)
        if (line_coord(cfg, c))
            lihop_h5r_col_push(t->cols, &t->ncols, &t->row_size, cfg->coords[c].name, COL_F64,
                               cfg->coords[c].unit);
    for (int q = 0; q < NFIT_COLS; q++)
        lihop_h5r_col_push(t->cols, &t->ncols, &t->row_size, fit_cols[q].name, fit_cols[q].kind, fit_cols[q].unit);
}

static void put_row(const lihop_config *cfg, const dtable *t, const lihop_line_fit_row *r, unsigned char *o)
{
    int q = 0;
    lihop_h5r_dt_put(t, o, q++, r->line);
    lihop_h5r_dt_put(t, o, q++, r->species);
    for (int c = 0; c < cfg->ncoords; c++)
        if (line_coord(cfg, c))
            lihop_h5r_dt_put(t, o, q++, r->coord[c]);
    const lihop_arrhenius_fit *a = &r->sigmaT, *b = &r->sigma;
    const lihop_vtf_fit *v = &r->vtf;
    const int h = r->has_vtf;
    const double x[NFIT_COLS] = {
        r->ntemps, r->T_min_K, r->T_max_K, a->weighted, a->Ea_eV, a->Ea_err_eV, a->A, a->A_err, a->cov_Ea_A,
        a->chi2_red, b->Ea_eV, b->Ea_err_eV, b->A, b->A_err, b->cov_Ea_A, b->chi2_red, h,
        h ? v->A : NAN, h ? v->A_err : NAN, h ? v->B_K : NAN, h ? v->B_err_K : NAN, h ? v->T0_K : NAN,
        h ? v->T0_err_K : NAN, h ? v->cov[0][1] : NAN, h ? v->cov[0][2] : NAN, h ? v->cov[1][2] : NAN,
        h ? v->chi2_red : NAN};
    for (int k = 0; k < NFIT_COLS; k++)
        lihop_h5r_dt_put(t, o, q++, x[k]);
}

/* /fits: one row per sweep line with >= 3 temperatures and conductivity
 * (the total, then each species). */
static int write_fits(lihop_h5i_ctx *c, hid_t file, const vfit_ctx *f, lihop_line_fits *fits)
{
    dtable t;
    fit_table(f->cfg, &t);
    const int nq = 1 + f->cfg->nspecies;
    unsigned char *out = calloc((size_t)(f->nlines > 0 ? f->nlines : 1) * (size_t)nq, t.row_size);
    if (!out) {
        lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory writing '/fits'");
        return -1;
    }
    int nrows = 0;
    for (int ln = 0; ln < f->nlines; ln++)
        for (int s = -1; s < f->cfg->nspecies; s++) {
            lihop_line_fit_row fr;
            if (!fit_line(f, ln, s, &fr))
                continue;
            put_row(f->cfg, &t, &fr, out + (size_t)nrows * t.row_size);
            nrows++;
            if (fits && fits->n < LIHOP_LINE_FITS_PRINTED)
                fits->row[fits->n++] = fr;
        }
    if (fits)
        fits->nall = nrows;
    int rc = lihop_h5r_dt_replace(c, file, "/fits", &t, nrows, out);
    free(out);
    hid_t d = rc == 0 && nrows > 0 ? H5Dopen2(file, "/fits", H5P_DEFAULT) : H5I_INVALID_HID;
    if (d >= 0) {
        lihop_h5i_attr_str(c, d, "/fits", "species", f->cfg->model == LIHOP_MODEL_GARNET
                                                         ? "-1: the total sigma (the garnet model has no other)"
                                                         : "-1: the total sigma; s >= 0: /metadata/species/name[s]");
        lihop_h5i_attr_str(c, d, "/fits", "default", "sigmaT: ln(sigma T) = ln A - Ea/kT (Nernst-Einstein "
                                                     "prefactor of a hopping conductor)");
        lihop_h5i_attr_str(c, d, "/fits", "vtf_note", "vtf = 0: no VTF fit (fewer than 4 temperatures, or the "
                                                      "solver found no T0 below every temperature); its vtf_* "
                                                      "columns are then NaN, not numbers");
        H5Dclose(d);
    }
    return rc;
}

int lihop_h5r_write_line_fits(lihop_h5i_ctx *c, const lihop_h5 *h, const lihop_config *cfg,
                              const unsigned char *rows, int n, lihop_line_fits *fits)
{
    vfit_ctx f = {h, cfg, rows, n, malloc(sizeof(int) * (size_t)(n > 0 ? n : 1)), 0,
                  lihop_h5r_col_index(h, "T_K")};
    if (!f.line)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading '/summary'");
    assign_lines(&f);
    int rc = write_fits(c, h->file, &f, fits);
    free(f.line);
    return rc;
}

static lihop_status voxel_finish_in(lihop_h5 *h, const lihop_config *cfg, lihop_line_fits *fits, lihop_err *err)
{
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    int n = 0;
    unsigned char *rows = NULL;
    /* the fits use the seed-combined rows, as the garnet ones */
    if ((c.st = lihop_h5r_finish_in(h, &rows, &n, err)) != LIHOP_OK)
        return c.st;
    if (lihop_h5r_write_line_fits(&c, h, cfg, rows, n, fits) == 0 && H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot flush");
    free(rows);
    return c.st;
}

lihop_status lihop_h5_voxel_finish(lihop_h5 *h, const lihop_config *cfg, lihop_line_fits *fits,
                                   lihop_err *err)
{
    if (fits)
        memset(fits, 0, sizeof *fits);
    if (!h || !cfg)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_voxel_finish: NULL argument");
    if (h->model != LIHOP_MODEL_VOXEL || cfg->model != LIHOP_MODEL_VOXEL)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: not a voxel results file", h->path);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (lihop_h5r_txn_begin(&c, h) < 0)
        return c.st;
    c.st = voxel_finish_in(h, cfg, fits, err);
    lihop_h5r_txn_end(&c, h);
    return c.st;
}
