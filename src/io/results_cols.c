/* results_cols.c - the /summary columns of both models, the rows' coordinate
 * columns and the finished points a handle remembers (results_impl.h). */
#include <hdf5.h>

#include "results_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The unit strings of coordinate columns, as static strings (col_spec keeps pointers). */
static const char *static_unit(const char *u)
{
    static const char *const known[] = {"1", "K", "ohm m^2", "m", "V", "V/m"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(u, known[i]) == 0)
            return known[i];
    return "1";
}

void lihop_h5r_col_push(col_spec *cols, int *ncols, size_t *row_size, const char *name, col_kind kind,
                        const char *unit)
{
    col_spec *c = &cols[(*ncols)++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->kind = kind;
    c->unit = unit;
    c->off = *row_size;
    *row_size += kind == COL_I32 ? 4 : 8;
}

static void add_col(lihop_h5 *h, const char *name, col_kind kind, const char *unit)
{
    lihop_h5r_col_push(h->cols, &h->ncols, &h->row_size, name, kind, unit);
}

void lihop_h5r_col_defs(col_spec *cols, int *ncols, size_t *row_size, const col_def *defs, int n)
{
    for (int i = 0; i < n; i++)
        lihop_h5r_col_push(cols, ncols, row_size, defs[i].name, defs[i].kind, defs[i].unit);
}

static void add_cols(lihop_h5 *h, const col_def *defs, int n)
{
    lihop_h5r_col_defs(h->cols, &h->ncols, &h->row_size, defs, n);
}

/* The voxel /summary columns before and after the per-species ones. */
static const col_def voxel_head[] = {
    {"point", COL_I32, "1"},
    {"T_K", COL_F64, "K"},
    {"sigma_S_m", COL_F64, "S/m"},
    {"sigma_err_S_m", COL_F64, "S/m"},
    {"sigma_xx_S_m", COL_F64, "S/m"},
    {"sigma_yy_S_m", COL_F64, "S/m"},
    {"sigma_zz_S_m", COL_F64, "S/m"},
    {"t_plus", COL_F64, "1"},
    {"t_plus_err", COL_F64, "1"},
    {"sigma_exact_S_m", COL_F64, "S/m"},
    {"t_plus_exact", COL_F64, "1"},
};
static const col_def voxel_tail[] = {
    {"converged", COL_I32, "1"},
    {"extensions", COL_I32, "1"},
    {"hops", COL_U64, "1"},
    {"wall_s", COL_F64, "s"},
};

void lihop_h5r_build_cols(lihop_h5 *h, const lihop_config *cfg)
{
    char name[LIHOP_NAME_LEN + 24];
    add_cols(h, voxel_head, LIHOP_NDEFS(voxel_head));
    for (int s = 0; s < cfg->nspecies && s < LIHOP_MAX_SPECIES; s++) {
        const char *sn = cfg->species[s].name;
        snprintf(name, sizeof name, "D_%s_m2_s", sn);
        add_col(h, name, COL_F64, "m^2/s");
        snprintf(name, sizeof name, "D_%s_err_m2_s", sn);
        add_col(h, name, COL_F64, "m^2/s");
        snprintf(name, sizeof name, "sigma_%s_S_m", sn);
        add_col(h, name, COL_F64, "S/m");
        snprintf(name, sizeof name, "sigma_%s_err_S_m", sn);
        add_col(h, name, COL_F64, "S/m");
        snprintf(name, sizeof name, "sigma_%s_exact_S_m", sn);
        add_col(h, name, COL_F64, "S/m");
    }
    for (int p = 0; p < cfg->nphases && p < LIHOP_MAX_PHASES; p++) {
        snprintf(name, sizeof name, "fraction_%s", cfg->phases[p].name);
        add_col(h, name, COL_F64, "1");
        snprintf(name, sizeof name, "wraps_%s", cfg->phases[p].name);   /* axes it wraps along, 0..3 */
        add_col(h, name, COL_I32, "1");
    }
    add_cols(h, voxel_tail, LIHOP_NDEFS(voxel_tail));
}

/* The garnet /summary columns (documented in h5out.h) before and after the
 * per-sublattice ones. */
static const col_def garnet_head[] = {
    {"point", COL_I32, "1"},
    {"T_K", COL_F64, "K"},
    {"li_per_fu", COL_F64, "1"},
    {"li_per_cell", COL_F64, "1"},
    {"nli", COL_I32, "1"},
    {"sigma_S_m", COL_F64, "S/m"},
    {"sigma_err_S_m", COL_F64, "S/m"},
    {"sigma_xx_S_m", COL_F64, "S/m"},
    {"sigma_xx_err_S_m", COL_F64, "S/m"},
    {"sigma_yy_S_m", COL_F64, "S/m"},
    {"sigma_yy_err_S_m", COL_F64, "S/m"},
    {"sigma_zz_S_m", COL_F64, "S/m"},
    {"sigma_zz_err_S_m", COL_F64, "S/m"},
    {"D_tracer_m2_s", COL_F64, "m^2/s"},
    {"D_tracer_err_m2_s", COL_F64, "m^2/s"},
    {"D_sigma_m2_s", COL_F64, "m^2/s"},
    {"D_sigma_err_m2_s", COL_F64, "m^2/s"},
    {"haven", COL_F64, "1"},
    {"haven_err", COL_F64, "1"},
    {"f_tracer", COL_F64, "1"},
    {"f_tracer_err", COL_F64, "1"},
    {"f_coll", COL_F64, "1"},
    {"f_coll_err", COL_F64, "1"},
};
/* Columns written only for the run kinds they apply to (no all-NaN columns):
 * the main run's drift conductivity when the deck applies a field
 * (field_V_m; NaN in a row whose field is zero), the two drift runs
 * (drift_fields_V_m), the bicrystal numbers (bicrystal). */
static const col_def garnet_field[] = {
    {"sigma_drift_S_m", COL_F64, "S/m"},
    {"sigma_drift_err_S_m", COL_F64, "S/m"},
};
static const col_def garnet_drift[] = {
    {"sigma_drift_E1_S_m", COL_F64, "S/m"},
    {"sigma_drift_E1_err_S_m", COL_F64, "S/m"},
    {"sigma_drift_E2_S_m", COL_F64, "S/m"},
    {"sigma_drift_E2_err_S_m", COL_F64, "S/m"},
    {"drift_linearity", COL_F64, "1"},
    {"drift_linearity_err", COL_F64, "1"},
};
static const col_def garnet_bicrystal[] = {
    {"sigma_across_S_m", COL_F64, "S/m"},
    {"sigma_across_err_S_m", COL_F64, "S/m"},
    {"sigma_along_S_m", COL_F64, "S/m"},
    {"sigma_along_err_S_m", COL_F64, "S/m"},
    {"sigma_bulk_S_m", COL_F64, "S/m"},
    {"sigma_bulk_err_S_m", COL_F64, "S/m"},
    {"ASR_ohm_m2", COL_F64, "ohm m^2"},
    {"ASR_err_ohm_m2", COL_F64, "ohm m^2"},
};
static const col_def garnet_tail[] = {
    {"hops", COL_U64, "1"},
    {"trapped_replicas", COL_I32, "1"},
    {"wall_s", COL_F64, "s"},
};

/* 1 if the deck gives garnet.field_V_m (the field coordinates exist). */
static int deck_has_field(const lihop_config *cfg)
{
    for (int c = 0; c < cfg->ncoords; c++)
        if (cfg->coords[c].group == 1)
            return 1;
    return 0;
}

void lihop_h5r_build_garnet_cols(lihop_h5 *h, const lihop_config *cfg)
{
    char name[LIHOP_NAME_LEN + 24];
    h->g_field = deck_has_field(cfg);
    h->g_drift = cfg->garnet.has_drift;
    h->g_bicrystal = cfg->garnet.has_bicrystal;
    add_cols(h, garnet_head, LIHOP_NDEFS(garnet_head));
    if (h->g_field)
        add_cols(h, garnet_field, LIHOP_NDEFS(garnet_field));
    for (int s = 0; s < h->nsub; s++) {
        snprintf(name, sizeof name, "occupancy_%s", cfg->garnet.subname[s]);
        add_col(h, name, COL_F64, "1");
        snprintf(name, sizeof name, "occupancy_%s_err", cfg->garnet.subname[s]);
        add_col(h, name, COL_F64, "1");
    }
    if (h->g_drift)
        add_cols(h, garnet_drift, LIHOP_NDEFS(garnet_drift));
    if (h->g_bicrystal)
        add_cols(h, garnet_bicrystal, LIHOP_NDEFS(garnet_bicrystal));
    add_cols(h, garnet_tail, LIHOP_NDEFS(garnet_tail));
}

int lihop_h5r_col_index(const lihop_h5 *h, const char *name)
{
    for (int i = 0; i < h->ncols; i++)
        if (strcmp(h->cols[i].name, name) == 0)
            return i;
    return -1;
}

/* One /summary column per sweep coordinate (T_K and the garnet Li content
 * already have theirs); the seed is a uint64 column. */
void lihop_h5r_add_coord_cols(lihop_h5 *h, const lihop_config *cfg)
{
    h->ncoords = cfg->ncoords;
    h->seed_coord = -1;
    for (int c = 0; c < cfg->ncoords; c++) {
        const lihop_coord *x = &cfg->coords[c];
        if (x->kind == LIHOP_COORD_SEED)
            h->seed_coord = c;
        int col = lihop_h5r_col_index(h, x->name);
        if (col < 0) {
            col = h->ncols;
            add_col(h, x->name, x->kind == LIHOP_COORD_SEED ? COL_U64 : COL_F64, static_unit(x->unit));
        }
        h->coord_col[c] = col;
    }
}

hid_t lihop_h5r_compound(const col_spec *cols, int ncols, size_t row_size)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, row_size);
    if (t < 0)
        return t;
    for (int i = 0; i < ncols; i++) {
        hid_t mt = cols[i].kind == COL_I32 ? H5T_NATIVE_INT32
                 : cols[i].kind == COL_U64 ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE;
        if (H5Tinsert(t, cols[i].name, cols[i].off, mt) < 0) {
            H5Tclose(t);
            return H5I_INVALID_HID;
        }
    }
    return t;
}

int lihop_h5r_write_units(lihop_h5i_ctx *c, hid_t d, const char *path, const col_spec *cols, int ncols)
{
    const char *units[MAX_COLS];
    for (int i = 0; i < ncols && i < MAX_COLS; i++)
        units[i] = cols[i].unit;
    return lihop_h5i_attr_strs(c, d, path, "units", ncols, units);
}

/* The coordinate columns of a row (coords: cfg->coords order; NULL: none). */
void lihop_h5r_put_coords(const lihop_h5 *h, unsigned char *row, const double *coords)
{
    for (int c = 0; coords && c < h->ncoords; c++) {
        const col_spec *col = &h->cols[h->coord_col[c]];
        if (col->kind == COL_U64) {
            uint64_t u = (uint64_t)coords[c];
            memcpy(row + col->off, &u, 8);
        } else {
            memcpy(row + col->off, &coords[c], 8);
        }
    }
}

void lihop_h5r_get_coords(const lihop_h5 *h, const unsigned char *row, double *coords)
{
    for (int c = 0; c < h->ncoords; c++) {
        const col_spec *col = &h->cols[h->coord_col[c]];
        if (col->kind == COL_U64) {
            uint64_t u;
            memcpy(&u, row + col->off, 8);
            coords[c] = (double)u;
        } else {
            memcpy(&coords[c], row + col->off, 8);
        }
    }
}

/* Remember a finished point (id, coordinates). */
int lihop_h5r_add_done(lihop_h5 *h, int id, const double *coords)
{
    if (h->ndone == h->done_cap) {
        int cap = h->done_cap ? 2 * h->done_cap : 64;
        int *ids = realloc(h->done_id, (size_t)cap * sizeof *ids);
        if (!ids)
            return -1;
        h->done_id = ids;
        double *co = realloc(h->done_coord, (size_t)cap * (size_t)(h->ncoords ? h->ncoords : 1) * sizeof *co);
        if (!co)
            return -1;
        h->done_coord = co;
        h->done_cap = cap;
    }
    h->done_id[h->ndone] = id;
    for (int c = 0; c < h->ncoords; c++)
        h->done_coord[(size_t)h->ndone * h->ncoords + c] = coords ? coords[c] : NAN;
    h->ndone++;
    if (id >= h->next_id)
        h->next_id = id + 1;
    return 0;
}

double lihop_h5r_row_f64(const lihop_h5 *h, const unsigned char *row, int col)
{
    double v = NAN;
    if (col >= 0 && h->cols[col].kind == COL_F64)
        memcpy(&v, row + h->cols[col].off, 8);
    return v;
}

int lihop_h5r_row_point(const lihop_h5 *h, const unsigned char *row)
{
    int32_t k;
    memcpy(&k, row + h->cols[0].off, 4);
    return (int)k;
}



unsigned char *lihop_h5r_read_summary(lihop_h5i_ctx *c, lihop_h5 *h, int *n, lihop_status dims_st,
                                      const char *dims_msg)
{
    hsize_t dims = 0;
    hid_t sp = H5Dget_space(h->summary);
    if (sp < 0 || H5Sget_simple_extent_dims(sp, &dims, NULL) != 1) {
        if (sp >= 0)
            H5Sclose(sp);
        lihop_h5i_fail(c, dims_st, "%s", dims_msg);
        return NULL;
    }
    H5Sclose(sp);
    unsigned char *rows = malloc(((size_t)dims + 1) * h->row_size);
    if (!rows) {
        lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading '/summary'");
        return NULL;
    }
    if (dims > 0 && H5Dread(h->summary, h->row_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
        free(rows);
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot read '/summary'");
        return NULL;
    }
    *n = (int)dims;
    return rows;
}
