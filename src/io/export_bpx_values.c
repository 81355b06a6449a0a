/* export_bpx_values.c - the Electrolyte numbers of `lihop export bpx` from a
 * voxel results file's /fits and /summary (export_bpx.h). */
#include <hdf5.h>

#include "constants.h"
#include "export_bpx.h"
#include "fit.h"
#include "h5util.h"
#include "results_open.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define J_MOL_PER_EV (LIHOP_E * LIHOP_NA)   /* = F, C/mol: Ea [J/mol] = Ea [eV] F */

/* A compound table read with every column as a double (HDF5 converts). */
typedef struct {
    int nrows, ncols;
    char **name;                    /* H5free_memory */
    double *v;                      /* [nrows][ncols] */
} bpx_tbl;

static void tbl_free(bpx_tbl *t)
{
    for (int i = 0; t->name && i < t->ncols; i++)
        H5free_memory(t->name[i]);
    free(t->name);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static int tbl_col(const bpx_tbl *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (!strcmp(t->name[i], name))
            return i;
    return -1;
}

static double tbl_at(const bpx_tbl *t, int r, int c) { return t->v[(size_t)r * (size_t)t->ncols + (size_t)c]; }

static lihop_status tbl_read(hid_t f, const char *dset, const char *path, bpx_tbl *t, lihop_err *err)
{
    memset(t, 0, sizeof *t);
    hid_t d = H5Dopen2(f, dset, H5P_DEFAULT), ft = d >= 0 ? H5Dget_type(d) : -1, sp = d >= 0 ? H5Dget_space(d) : -1;
    lihop_status st = LIHOP_OK;
    if (d < 0)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s has no '%s' table", path, dset);
    else if (ft < 0 || sp < 0 || H5Tget_class(ft) != H5T_COMPOUND)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: '%s' is not a table (compound dataset)", path, dset);
    hid_t mt = H5I_INVALID_HID;
    if (!st) {
        t->ncols = H5Tget_nmembers(ft);
        t->nrows = (int)H5Sget_simple_extent_npoints(sp);
        t->name = calloc((size_t)t->ncols, sizeof *t->name);
        t->v = malloc(sizeof(double) * (size_t)t->ncols * (size_t)(t->nrows > 0 ? t->nrows : 1));
        mt = H5Tcreate(H5T_COMPOUND, sizeof(double) * (size_t)(t->ncols > 0 ? t->ncols : 1));
        if (!t->name || !t->v)
            st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory reading '%s' of %s", dset, path);
    }
    for (int i = 0; !st && i < t->ncols; i++) {
        t->name[i] = H5Tget_member_name(ft, (unsigned)i);
        H5T_class_t cl = H5Tget_member_class(ft, (unsigned)i);
        if (cl == H5T_FLOAT || cl == H5T_INTEGER)   /* other members (none today) are skipped */
            H5Tinsert(mt, t->name[i], sizeof(double) * (size_t)i, H5T_NATIVE_DOUBLE);
    }
    for (size_t i = 0; !st && i < (size_t)t->ncols * (size_t)t->nrows; i++)
        t->v[i] = NAN;                       /* columns that are not numbers read as NaN */
    if (!st && t->nrows > 0 && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, t->v) < 0)
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot read '%s'", path, dset);
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (d >= 0)
        H5Dclose(d);
    if (st)
        tbl_free(t);
    return st;
}

/* Open a finished voxel results file with a /fits table. */
static lihop_status open_results(const char *path, hid_t *f, lihop_bpx_values *v, lihop_err *err)
{
    lihop_results_id id;
    lihop_status st = lihop_results_open_ro(path, f, &id, err);
    if (st)
        return st;
    snprintf(v->status, sizeof v->status, "%s", id.status);
    if (strcmp(id.model, "voxel"))
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s is a %s results file; export bpx takes a voxel results file "
                        "(its /fits, t+ and the Li D of the membrane)", path, id.model[0] ? id.model : "(unknown model)");
    else if (strcmp(v->status, "complete"))
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s has status '%s', not 'complete': finish it with "
                        "`lihop run CONFIG -o %s --resume` first", path, v->status, path);
    else if (H5Lexists(*f, "/fits", H5P_DEFAULT) <= 0)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s has no /fits: the Arrhenius fit needs a sweep line with at "
                        "least 3 temperatures (sweep temperature_K)", path);
    if (st) {
        H5Fclose(*f);
        *f = H5I_INVALID_HID;
    }
    return st;
}

/* The transference species (Li+) by name and its index in /metadata/species. */
static lihop_status li_species(hid_t f, const char *path, lihop_bpx_values *v, int *li, lihop_err *err)
{
    char gname[64] = "";
    hid_t p = H5Gopen2(f, "/points", H5P_DEFAULT);
    if (p >= 0 && H5Lget_name_by_idx(p, ".", H5_INDEX_NAME, H5_ITER_INC, 0, gname, sizeof gname, H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(p, gname, H5P_DEFAULT);
        char *s = g >= 0 ? lihop_h5i_read_attr_str(g, "transference_species") : NULL;
        snprintf(v->li_species, sizeof v->li_species, "%s", s ? s : "");
        free(s);
        if (g >= 0)
            H5Gclose(g);
    }
    if (p >= 0)
        H5Gclose(p);
    if (!v->li_species[0])
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: no transference species (attribute transference_species of "
                          "/points/%s): the deck needs `transference_species: li`", path, gname[0] ? gname : "0");
    hid_t d = H5Dopen2(f, "/metadata/species/name", H5P_DEFAULT), sp = d >= 0 ? H5Dget_space(d) : -1;
    hid_t t = lihop_h5i_str_type();
    int n = sp >= 0 ? (int)H5Sget_simple_extent_npoints(sp) : -1;
    char **names = n > 0 ? calloc((size_t)n, sizeof *names) : NULL;
    *li = -1;
    if (names && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0) {
        for (int s = 0; s < n; s++)
            if (names[s] && !strcmp(names[s], v->li_species))
                *li = s;
        H5Dvlen_reclaim(t, sp, H5P_DEFAULT, names);
    }
    free(names);
    H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    if (*li < 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: transference species '%s' is not in /metadata/species/name",
                          path, v->li_species);
    return LIHOP_OK;
}

/* sigma(T) = A exp(-Ea/kT) of /fits row r's ln sigma Arrhenius fit. */
static double fit_sigma(const bpx_tbl *t, int r, double T_K)
{
    double A = tbl_at(t, r, tbl_col(t, "A_sigma_S_m")), Ea = tbl_at(t, r, tbl_col(t, "Ea_sigma_eV"));
    return A * exp(-Ea / (LIHOP_KB_EV * T_K));
}

/* printf to buf[*len...] (cap bytes in all); a long text is cut, never overrun. */
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

/* The total-sigma row of the wanted line (-1: the only one), or an error
 * that lists the lines with their coordinates. */
static lihop_status pick_line(const bpx_tbl *t, const char *path, int want, lihop_bpx_values *v, int *row,
                              lihop_err *err)
{
    static const char *const need[] = {"line", "species", "n_T", "T_min_K", "T_max_K",
                                       "A_sigma_S_m", "Ea_sigma_eV", "chi2_red_sigma"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (tbl_col(t, need[i]) < 0)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: /fits has no column '%s' (a file from an older lihop?)",
                              path, need[i]);
    int cl = tbl_col(t, "line"), cs = tbl_col(t, "species"), c0 = cs + 1, cn = tbl_col(t, "n_T");
    char list[768] = "";
    size_t len = 0;
    v->nlines = 0;
    *row = -1;
    for (int r = 0; r < t->nrows; r++) {
        if (tbl_at(t, r, cs) != -1.0)
            continue;
        int line = (int)tbl_at(t, r, cl);
        v->nlines++;
        if (line == want || want < 0)
            *row = r;
        append(list, sizeof list, &len, "%s%d", v->nlines > 1 ? "; " : "", line);
        for (int c = c0; c < cn; c++)
            append(list, sizeof list, &len, " %s=%g", t->name[c], tbl_at(t, r, c));
    }
    if (v->nlines == 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: /fits has no row of the total sigma (species -1)", path);
    if (want < 0 && v->nlines > 1)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s sweeps %d lines; choose one with --line N (lines: %s)", path,
                          v->nlines, list);
    if (*row < 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: no line %d in /fits (lines: %s)", path, want, list);
    v->line = (int)tbl_at(t, *row, cl);
    return LIHOP_OK;
}

/* Conductivity, its Ea, and t+ = sigma_li / sum_s sigma_s at T_ref, all from /fits. */
static lihop_status sigma_and_tplus(const bpx_tbl *t, const char *path, int row, int li, lihop_bpx_values *v,
                                    lihop_err *err)
{
    int cl = tbl_col(t, "line"), cs = tbl_col(t, "species");
    v->sigma_S_m = fit_sigma(t, row, v->T_ref_K);
    v->Ea_sigma_J_mol = tbl_at(t, row, tbl_col(t, "Ea_sigma_eV")) * J_MOL_PER_EV;
    v->n_T = (int)tbl_at(t, row, tbl_col(t, "n_T"));
    v->T_min_K = tbl_at(t, row, tbl_col(t, "T_min_K"));
    v->T_max_K = tbl_at(t, row, tbl_col(t, "T_max_K"));
    v->chi2_red_sigma = tbl_at(t, row, tbl_col(t, "chi2_red_sigma"));
    double sum = 0.0, s_li = NAN;
    for (int r = 0; r < t->nrows; r++) {
        if ((int)tbl_at(t, r, cl) != v->line || tbl_at(t, r, cs) < 0)
            continue;
        double s = fit_sigma(t, r, v->T_ref_K);
        sum += s;
        if ((int)tbl_at(t, r, cs) == li)
            s_li = s;
    }
    if (!(v->sigma_S_m > 0.0) || !isfinite(v->sigma_S_m))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: /fits line %d gives no positive conductivity at %g K", path,
                          v->line, v->T_ref_K);
    if (isnan(s_li) || !(sum > 0.0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: /fits line %d has no fit of species '%s' (needed for t+)",
                          path, v->line, v->li_species);
    v->t_plus = s_li / sum;
    return LIHOP_OK;
}

/* D of the Li species at T_ref: weighted Arrhenius fit of ln D (fit.h) over
 * the /summary rows on the line (every seed a row). */
static lihop_status li_diffusivity(hid_t f, const char *path, const bpx_tbl *fits, int row, lihop_bpx_values *v,
                                   lihop_err *err)
{
    bpx_tbl s;
    lihop_status st = tbl_read(f, "/summary", path, &s, err);
    if (st)
        return st;
    char cD[96], cE[96];
    snprintf(cD, sizeof cD, "D_%s_m2_s", v->li_species);
    snprintf(cE, sizeof cE, "D_%s_err_m2_s", v->li_species);
    int iD = tbl_col(&s, cD), iE = tbl_col(&s, cE), iT = tbl_col(&s, "T_K");
    double *T = malloc(sizeof(double) * (size_t)(s.nrows + 1) * 3), *D = T + s.nrows + 1, *E = D + s.nrows + 1;
    int n = 0;
    if (!T)
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory reading /summary of %s", path);
    else if (iD < 0 || iE < 0 || iT < 0)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: /summary has no columns T_K, %s, %s", path, cD, cE);
    for (int r = 0; !st && r < s.nrows; r++) {
        int on = 1;   /* the row's line coordinates (the /fits columns between species and n_T) match */
        for (int c = tbl_col(fits, "species") + 1; on && c < tbl_col(fits, "n_T"); c++) {
            int sc = tbl_col(&s, fits->name[c]);
            on = sc >= 0 && tbl_at(&s, r, sc) == tbl_at(fits, row, c);
        }
        if (on) {
            T[n] = tbl_at(&s, r, iT), D[n] = tbl_at(&s, r, iD), E[n] = tbl_at(&s, r, iE);
            n++;
        }
    }
    lihop_arrhenius_fit fit;
    lihop_err fe;
    if (!st && lihop_arrhenius(n, T, D, E, 0, &fit, &fe) != LIHOP_OK)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: Arrhenius fit of %s over the %d /summary rows of line %d: %.300s",
                        path, cD, n, v->line, fe.msg);
    if (!st) {
        v->D_m2_s = fit.A * exp(-fit.Ea_eV / (LIHOP_KB_EV * v->T_ref_K));
        v->Ea_D_J_mol = fit.Ea_eV * J_MOL_PER_EV;
    }
    free(T);
    tbl_free(&s);
    return st;
}

lihop_status lihop_bpx_values_read(const char *results_path, int line, double T_ref_K, lihop_bpx_values *v,
                                   lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);   /* failures come back as messages, not HDF5 traces */
    memset(v, 0, sizeof *v);
    v->T_ref_K = T_ref_K;
    hid_t f = H5I_INVALID_HID;
    lihop_status st = open_results(results_path, &f, v, err);
    if (st)
        return st;
    int li = -1, row = -1;
    bpx_tbl fits = {0, 0, NULL, NULL};
    st = li_species(f, results_path, v, &li, err);
    if (!st)
        st = tbl_read(f, "/fits", results_path, &fits, err);
    if (!st)
        st = pick_line(&fits, results_path, line, v, &row, err);
    if (!st)
        st = sigma_and_tplus(&fits, results_path, row, li, v, err);
    if (!st)
        st = li_diffusivity(f, results_path, &fits, row, v, err);
    tbl_free(&fits);
    H5Fclose(f);
    return st;
}
