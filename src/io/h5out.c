/* h5out.c - the HDF5 results file; the layout is documented in h5out.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <hdf5.h>

#define LIHOP_H5_INTERNAL
#include "h5out.h"
#include "durable.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- shared helpers -------------------------------------------------------- */

static herr_t innermost_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    char *buf = data;
    if (n == 0 && e && e->desc) {
        /* File-driver failures read "unable to open file: name = '...', errno = 2,
         * error message = 'No such file or directory', flags = ..."; keep the reason. */
        const char *m = strstr(e->desc, "error message = '");
        const char *q = m ? strchr(m + 17, '\'') : NULL;
        if (m && q)
            snprintf(buf, 400, "%.*s", (int)(q - (m + 17)), m + 17);
        else
            snprintf(buf, 400, "%s", e->desc);
    }
    return 0;
}

int lihop_h5i_fail(lihop_h5i_ctx *c, lihop_status st, const char *fmt, ...)
{
    /* Read HDF5's error stack before any other HDF5 call clears it. */
    char reason[400] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_cb, reason);
    if (c->st != LIHOP_OK)
        return -1;                  /* keep the first failure */
    char what[LIHOP_MSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (reason[0])
        lihop_fail(c->err, st, "%s: %s (HDF5: %s)", c->file, what, reason);
    else
        lihop_fail(c->err, st, "%s: %s", c->file, what);
    c->st = st;
    return -1;
}

hid_t lihop_h5i_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Create (replacing) attribute `name`; n < 0: scalar, else 1-D of n. */
static int attr_write(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                      hid_t ftype, hid_t mtype, int n, const void *buf)
{
    hid_t sp = H5I_INVALID_HID, a = H5I_INVALID_HID;
    int rc = -1;
    htri_t ex = H5Aexists(obj, name);
    if (ex < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query attribute '%s' of '%s'", name, objname);
        goto done;
    }
    if (ex > 0 && H5Adelete(obj, name) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot replace attribute '%s' of '%s'", name, objname);
        goto done;
    }
    if (n < 0) {
        sp = H5Screate(H5S_SCALAR);
    } else {
        hsize_t d = (hsize_t)n;
        sp = H5Screate_simple(1, &d, NULL);
    }
    if (sp < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot create dataspace for attribute '%s' of '%s'",
                       name, objname);
        goto done;
    }
    a = H5Acreate2(obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || (n != 0 && H5Awrite(a, mtype, buf) < 0)) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write attribute '%s' of '%s'", name, objname);
        goto done;
    }
    rc = 0;
done:
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

int lihop_h5i_attr_strs(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                        int n, const char *const *values)
{
    const char **v = malloc(sizeof *v * (size_t)(n > 0 ? n : 1));
    hid_t t = lihop_h5i_str_type();
    int rc = -1;
    if (!v || t < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory writing attribute '%s' of '%s'", name,
                       objname);
        goto done;
    }
    for (int i = 0; i < n; i++)
        v[i] = (values && values[i]) ? values[i] : "";
    rc = attr_write(c, obj, objname, name, t, t, n, v);
done:
    if (t >= 0)
        H5Tclose(t);
    free(v);
    return rc;
}

int lihop_h5i_attr_str(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                       const char *value)
{
    const char *v = value ? value : "";
    hid_t t = lihop_h5i_str_type();
    if (t < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot create string type");
    int rc = attr_write(c, obj, objname, name, t, t, -1, &v);
    H5Tclose(t);
    return rc;
}

int lihop_h5i_attr_f64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, double v)
{
    return attr_write(c, obj, objname, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, -1, &v);
}

static int attr_i32(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int v)
{
    int32_t x = (int32_t)v;
    return attr_write(c, obj, objname, name, H5T_STD_I32LE, H5T_NATIVE_INT32, -1, &x);
}

static int attr_u64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, uint64_t v)
{
    return attr_write(c, obj, objname, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, -1, &v);
}

/* Contiguous dataset loc/name with a `unit` attribute. */
static int dset_write(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name,
                      hid_t ftype, hid_t mtype, int rank, const hsize_t *dims, const void *buf,
                      const char *unit)
{
    char obj[512];
    snprintf(obj, sizeof obj, "%s/%s", strcmp(locname, "/") ? locname : "", name);
    hid_t sp = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int rc = -1;
    hsize_t nel = 1;
    for (int i = 0; i < rank; i++)
        nel *= dims[i];
    sp = H5Screate_simple(rank, dims, NULL);
    if (sp < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot create dataspace for '%s'", obj);
        goto done;
    }
    d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || (nel > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write dataset '%s'", obj);
        goto done;
    }
    if (unit && lihop_h5i_attr_str(c, d, obj, "unit", unit) < 0)
        goto done;
    rc = 0;
done:
    if (d >= 0)
        H5Dclose(d);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

static int dset_f64(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name, int rank,
                    const hsize_t *dims, const double *buf, const char *unit)
{
    return dset_write(c, loc, locname, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, buf, unit);
}

int lihop_h5i_write_grid(lihop_h5i_ctx *c, hid_t loc, const char *dsname, const lihop_micro *m,
                         const char *const *phase_names)
{
    hsize_t dims[3] = {(hsize_t)m->n[2], (hsize_t)m->n[1], (hsize_t)m->n[0]};
    hsize_t chunk[3];
    for (int i = 0; i < 3; i++)
        chunk[i] = dims[i] < 64 ? (dims[i] > 0 ? dims[i] : 1) : 64;
    hid_t sp = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, lcpl = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int rc = -1;
    sp = H5Screate_simple(3, dims, NULL);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (sp < 0 || dcpl < 0 || lcpl < 0 || H5Pset_create_intermediate_group(lcpl, 1) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set up dataset '%s'", dsname);
        goto done;
    }
    if (dims[0] * dims[1] * dims[2] > 0) {
        if (H5Pset_chunk(dcpl, 3, chunk) < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set chunking of '%s'", dsname);
            goto done;
        }
        if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Pset_deflate(dcpl, 4) < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set gzip on '%s'", dsname);
            goto done;
        }
    }
    d = H5Dcreate2(loc, dsname, H5T_STD_U8LE, sp, lcpl, dcpl, H5P_DEFAULT);
    if (d < 0 || (dims[0] * dims[1] * dims[2] > 0 &&
                  H5Dwrite(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, m->phase) < 0)) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write dataset '%s'", dsname);
        goto done;
    }
    if (lihop_h5i_attr_str(c, d, dsname, "unit", "1") < 0 ||
        lihop_h5i_attr_f64(c, d, dsname, "voxel_size_m", m->voxel_m) < 0)
        goto done;
    if (phase_names && lihop_h5i_attr_strs(c, d, dsname, "phase_names", m->nphases, phase_names) < 0)
        goto done;
    rc = 0;
done:
    if (d >= 0)
        H5Dclose(d);
    if (lcpl >= 0)
        H5Pclose(lcpl);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

/* ---- the handle ---------------------------------------------------------------- */

/* voxel: 12 + 4 per species; garnet: 40 + 2 per sublattice (see build_garnet_cols) */
#define MAX_COLS (48 + 2 * LIHOP_MAX_SUBLATTICES + LIHOP_MAX_COORDS)

typedef enum { COL_I32, COL_F64, COL_U64 } col_kind;

typedef struct {
    char name[LIHOP_NAME_LEN + 24];
    col_kind kind;
    const char *unit;
    size_t off;
} col_spec;

struct lihop_h5 {
    char path[LIHOP_PATH_LEN];
    lihop_durable dur;              /* lock and copy-on-write commits (durable.h) */
    hid_t fapl;
    hid_t file, meta, points, summary, row_type;   /* open only during a change */
    size_t row_size;
    int ncols;
    col_spec cols[MAX_COLS];
    int nspecies, nphases;
    lihop_model_kind model;
    int nsub;                       /* garnet: sublattices (occupancy columns) */
    char prev_status[32];           /* resume: the status the file had before, for lihop_h5_abandon */
    int ncoords;                    /* the deck's sweep coordinates (config.h) */
    int coord_col[LIHOP_MAX_COORDS];    /* their /summary columns */
    int seed_coord;                 /* index of the seed coordinate, -1 without */
    int ndone, done_cap, next_id;   /* finished points: ids and coordinates */
    int *done_id;
    double *done_coord;             /* [ndone][ncoords] */
};

static int txn_begin(lihop_h5i_ctx *c, lihop_h5 *h);
static int txn_end(lihop_h5i_ctx *c, lihop_h5 *h);
static void close_file(lihop_h5 *h);

/* The unit strings of coordinate columns, as static strings (col_spec keeps pointers). */
static const char *static_unit(const char *u)
{
    static const char *const known[] = {"1", "K", "ohm m^2", "m", "V", "V/m"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(u, known[i]) == 0)
            return known[i];
    return "1";
}

static void add_col(lihop_h5 *h, const char *name, col_kind kind, const char *unit)
{
    col_spec *c = &h->cols[h->ncols++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->kind = kind;
    c->unit = unit;
    c->off = h->row_size;
    h->row_size += kind == COL_I32 ? 4 : 8;
}

static void build_cols(lihop_h5 *h, const lihop_config *cfg)
{
    char name[LIHOP_NAME_LEN + 24];
    add_col(h, "point", COL_I32, "1");
    add_col(h, "T_K", COL_F64, "K");
    add_col(h, "sigma_S_m", COL_F64, "S/m");
    add_col(h, "sigma_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_xx_S_m", COL_F64, "S/m");
    add_col(h, "sigma_yy_S_m", COL_F64, "S/m");
    add_col(h, "sigma_zz_S_m", COL_F64, "S/m");
    add_col(h, "t_plus", COL_F64, "1");
    add_col(h, "t_plus_err", COL_F64, "1");
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
    }
    add_col(h, "converged", COL_I32, "1");
    add_col(h, "hops", COL_U64, "1");
    add_col(h, "wall_s", COL_F64, "s");
}

/* The garnet /summary columns (documented in h5out.h). */
static void build_garnet_cols(lihop_h5 *h, const lihop_config *cfg)
{
    char name[LIHOP_NAME_LEN + 24];
    add_col(h, "point", COL_I32, "1");
    add_col(h, "T_K", COL_F64, "K");
    add_col(h, "li_per_fu", COL_F64, "1");
    add_col(h, "li_per_cell", COL_F64, "1");
    add_col(h, "nli", COL_I32, "1");
    add_col(h, "sigma_S_m", COL_F64, "S/m");
    add_col(h, "sigma_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_xx_S_m", COL_F64, "S/m");
    add_col(h, "sigma_xx_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_yy_S_m", COL_F64, "S/m");
    add_col(h, "sigma_yy_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_zz_S_m", COL_F64, "S/m");
    add_col(h, "sigma_zz_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_drift_S_m", COL_F64, "S/m");
    add_col(h, "sigma_drift_err_S_m", COL_F64, "S/m");
    add_col(h, "D_tracer_m2_s", COL_F64, "m^2/s");
    add_col(h, "D_tracer_err_m2_s", COL_F64, "m^2/s");
    add_col(h, "D_sigma_m2_s", COL_F64, "m^2/s");
    add_col(h, "D_sigma_err_m2_s", COL_F64, "m^2/s");
    add_col(h, "haven", COL_F64, "1");
    add_col(h, "haven_err", COL_F64, "1");
    add_col(h, "f_tracer", COL_F64, "1");
    add_col(h, "f_tracer_err", COL_F64, "1");
    add_col(h, "f_coll", COL_F64, "1");
    add_col(h, "f_coll_err", COL_F64, "1");
    for (int s = 0; s < h->nsub; s++) {
        snprintf(name, sizeof name, "occupancy_%s", cfg->garnet.subname[s]);
        add_col(h, name, COL_F64, "1");
        snprintf(name, sizeof name, "occupancy_%s_err", cfg->garnet.subname[s]);
        add_col(h, name, COL_F64, "1");
    }
    add_col(h, "sigma_drift_E1_S_m", COL_F64, "S/m");
    add_col(h, "sigma_drift_E1_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_drift_E2_S_m", COL_F64, "S/m");
    add_col(h, "sigma_drift_E2_err_S_m", COL_F64, "S/m");
    add_col(h, "drift_linearity", COL_F64, "1");
    add_col(h, "drift_linearity_err", COL_F64, "1");
    add_col(h, "sigma_across_S_m", COL_F64, "S/m");
    add_col(h, "sigma_across_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_along_S_m", COL_F64, "S/m");
    add_col(h, "sigma_along_err_S_m", COL_F64, "S/m");
    add_col(h, "sigma_bulk_S_m", COL_F64, "S/m");
    add_col(h, "sigma_bulk_err_S_m", COL_F64, "S/m");
    add_col(h, "ASR_ohm_m2", COL_F64, "ohm m^2");
    add_col(h, "ASR_err_ohm_m2", COL_F64, "ohm m^2");
    add_col(h, "hops", COL_U64, "1");
    add_col(h, "trapped_replicas", COL_I32, "1");
    add_col(h, "wall_s", COL_F64, "s");
}

static int col_index(const lihop_h5 *h, const char *name)
{
    for (int i = 0; i < h->ncols; i++)
        if (strcmp(h->cols[i].name, name) == 0)
            return i;
    return -1;
}

/* One /summary column per sweep coordinate (T_K and the garnet Li content
 * already have theirs); the seed is a uint64 column. */
static void add_coord_cols(lihop_h5 *h, const lihop_config *cfg)
{
    h->ncoords = cfg->ncoords;
    h->seed_coord = -1;
    for (int c = 0; c < cfg->ncoords; c++) {
        const lihop_coord *x = &cfg->coords[c];
        if (x->kind == LIHOP_COORD_SEED)
            h->seed_coord = c;
        int col = col_index(h, x->name);
        if (col < 0) {
            col = h->ncols;
            add_col(h, x->name, x->kind == LIHOP_COORD_SEED ? COL_U64 : COL_F64, static_unit(x->unit));
        }
        h->coord_col[c] = col;
    }
}

static hid_t make_row_type(const lihop_h5 *h)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, h->row_size);
    if (t < 0)
        return t;
    for (int i = 0; i < h->ncols; i++) {
        hid_t mt = h->cols[i].kind == COL_I32 ? H5T_NATIVE_INT32
                 : h->cols[i].kind == COL_U64 ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE;
        if (H5Tinsert(t, h->cols[i].name, h->cols[i].off, mt) < 0) {
            H5Tclose(t);
            return H5I_INVALID_HID;
        }
    }
    return t;
}

typedef struct {
    const lihop_h5 *h;
    unsigned char *row;
    int i;
} row_cursor;

static void put_f64(row_cursor *c, double v)
{
    memcpy(c->row + c->h->cols[c->i++].off, &v, 8);
}
static void put_i32(row_cursor *c, int v)
{
    int32_t x = (int32_t)v;
    memcpy(c->row + c->h->cols[c->i++].off, &x, 4);
}
static void put_u64(row_cursor *c, uint64_t v)
{
    memcpy(c->row + c->h->cols[c->i++].off, &v, 8);
}

/* The coordinate columns of a row (coords: cfg->coords order; NULL: none). */
static void put_coords(const lihop_h5 *h, unsigned char *row, const double *coords)
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

static void get_coords(const lihop_h5 *h, const unsigned char *row, double *coords)
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
static int add_done(lihop_h5 *h, int id, const double *coords)
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

static void iso_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(buf, 32, "unknown");
}

static int make_group(lihop_h5i_ctx *c, hid_t loc, const char *name, hid_t *out)
{
    *out = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (*out < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create group '%s'", name);
    return 0;
}

static int point_complete(hid_t points, const char *name)
{
    if (H5Lexists(points, name, H5P_DEFAULT) <= 0)
        return 0;
    if (H5Aexists_by_name(points, name, "complete", H5P_DEFAULT) <= 0)
        return 0;
    hid_t a = H5Aopen_by_name(points, name, "complete", H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return 0;
    int32_t v = 0;
    herr_t e = H5Aread(a, H5T_NATIVE_INT32, &v);
    H5Aclose(a);
    return e >= 0 && v == 1;
}

static int create_summary(lihop_h5i_ctx *c, lihop_h5 *h)
{
    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = 64;
    hid_t sp = H5Screate_simple(1, &dims, &maxdims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    int rc = -1;
    if (sp < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set up '/summary'");
        goto done;
    }
    h->summary = H5Dcreate2(h->file, "/summary", h->row_type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (h->summary < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create '/summary'");
        goto done;
    }
    const char *units[MAX_COLS];
    for (int i = 0; i < h->ncols; i++)
        units[i] = h->cols[i].unit;
    if (lihop_h5i_attr_strs(c, h->summary, "/summary", "units", h->ncols, units) < 0)
        goto done;
    rc = 0;
done:
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

static int write_session_attrs(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_h5_meta *meta)
{
    lihop_h5_meta none = {0};
    if (!meta)
        meta = &none;
    if (lihop_h5i_attr_str(c, h->meta, "/metadata", "lihop_version", meta->version) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "git_describe", meta->git_describe) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "command_line", meta->command_line) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "backend", meta->backend) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "device_name", meta->device_name) < 0 ||
        attr_i32(c, h->meta, "/metadata", "threads", meta->threads) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "status", "running") < 0)
        return -1;
    return 0;
}

static int attr_i32s(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int n,
                     const int *v)
{
    int32_t x[8];
    for (int i = 0; i < n && i < 8; i++)
        x[i] = (int32_t)v[i];
    return attr_write(c, obj, objname, name, H5T_STD_I32LE, H5T_NATIVE_INT32, n, x);
}

static const char *const profile_names[] = {"none", "gouy_chapman", "mott_schottky", "table"};

/* /metadata/garnet: what the deck's garnet block resolved to (material, lattice, bicrystal). */
static int write_garnet_meta(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg)
{
    const lihop_garnet_cfg *gc = &cfg->garnet;
    const char *subs[LIHOP_MAX_SUBLATTICES];
    for (int s = 0; s < gc->nsub; s++)
        subs[s] = gc->subname[s];
    hid_t g = H5I_INVALID_HID;
    int rc = -1;
    const char *o = "/metadata/garnet";
    if (lihop_h5i_attr_str(c, h->meta, "/metadata", "material_text", gc->material_text) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "lattice_text", gc->lattice_text) < 0 ||
        make_group(c, h->file, o, &g) < 0)
        goto done;
    if (lihop_h5i_attr_str(c, g, o, "material_path", gc->material_path) < 0 ||
        lihop_h5i_attr_str(c, g, o, "material_name", gc->material_name) < 0 ||
        lihop_h5i_attr_str(c, g, o, "material_source", gc->material_source) < 0 ||
        lihop_h5i_attr_str(c, g, o, "lattice_path", gc->lattice_path) < 0 ||
        lihop_h5i_attr_str(c, g, o, "lattice_name", gc->lattice.name) < 0 ||
        lihop_h5i_attr_strs(c, g, o, "sublattices", gc->nsub, subs) < 0 ||
        attr_i32s(c, g, o, "cells", 3, gc->cells) < 0 ||
        lihop_h5i_attr_str(c, g, o, "rate_law", gc->rate_law == LIHOP_GRATE_METROPOLIS ? "metropolis" : "kra") < 0 ||
        lihop_h5i_attr_f64(c, g, o, "nu_Hz", gc->nu_Hz) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "E_nn_eV", gc->E_nn_eV) < 0 ||
        attr_i32(c, g, o, "npair_shells", gc->npair_shells) < 0 ||
        (gc->npair_shells > 0 &&
         (attr_write(c, g, o, "pair_shells_from_A", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, gc->npair_shells,
                     gc->pair_shell_min_A) < 0 ||
          attr_write(c, g, o, "pair_shells_to_A", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, gc->npair_shells,
                     gc->pair_shell_max_A) < 0 ||
          attr_write(c, g, o, "pair_shells_eV", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, gc->npair_shells,
                     gc->pair_shell_eV) < 0)) ||
        lihop_h5i_attr_f64(c, g, o, "disorder_sigma_eV", gc->disorder_sigma_eV) < 0 ||
        attr_write(c, g, o, "field_V_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, gc->field_V_m) < 0 ||
        attr_i32(c, g, o, "replicas", (int)cfg->run.replicas) < 0)
        goto done;
    {
        int ns = gc->nsub;
        double kra[LIHOP_MAX_SUBLATTICES * LIHOP_MAX_SUBLATTICES];
        for (int a = 0; a < ns; a++)
            for (int b = 0; b < ns; b++)
                kra[a * ns + b] = gc->kra_given[a][b] ? gc->E_kra_eV[a][b] : NAN;
        hsize_t d2[2] = {(hsize_t)ns, (hsize_t)ns}, d1 = (hsize_t)ns;
        if (dset_f64(c, g, o, "E_kra_eV", 2, d2, kra, "eV") < 0 ||
            dset_f64(c, g, o, "site_energy_eV", 1, &d1, gc->site_energy_eV, "eV") < 0)
            goto done;
    }
    if (gc->has_drift &&
        attr_write(c, g, o, "drift_fields_V_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, gc->drift_fields_V_m) < 0)
        goto done;
    if (gc->has_bicrystal) {
        const lihop_bicrystal_cfg *b = &gc->bicrystal;
        char axis[2] = {"xyz"[b->axis], '\0'};
        if (lihop_h5i_attr_str(c, g, o, "bicrystal_axis", axis) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "bicrystal_center_frac", b->center_frac) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "bicrystal_thickness_A", b->thickness_A) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "bicrystal_kra_shift_eV", b->kra_shift_eV) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "bicrystal_site_shift_eV", b->site_shift_eV) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "bicrystal_disorder_sigma_eV", b->disorder_sigma_eV) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "bicrystal_site_removal_fraction", b->site_removal_fraction) < 0 ||
            lihop_h5i_attr_str(c, g, o, "space_charge_profile", profile_names[b->profile]) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "space_charge_phi0_V", b->phi0_V) < 0 ||
            lihop_h5i_attr_f64(c, g, o, "space_charge_length_A", b->length_A) < 0)
            goto done;
    }
    rc = 0;
done:
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

/* /sweep: one dataset per coordinate with the deck's values (the seed as
 * uint64; the temperature as temperature_K), attributes swept (int32) and key;
 * garnet files also get both Li-content forms.  Replaces an existing /sweep. */
static int write_sweep(lihop_h5i_ctx *c, hid_t file, const lihop_config *cfg)
{
    if (H5Lexists(file, "/sweep", H5P_DEFAULT) > 0 && H5Ldelete(file, "/sweep", H5P_DEFAULT) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot replace '/sweep'");
    hid_t g;
    if (make_group(c, file, "/sweep", &g) < 0)
        return -1;
    int rc = 0;
    for (int k = 0; k < cfg->ncoords && rc == 0; k++) {
        const lihop_coord *x = &cfg->coords[k];
        const char *name = x->kind == LIHOP_COORD_TEMPERATURE ? "temperature_K" : x->name;
        hsize_t n = (hsize_t)x->n;
        if (x->kind == LIHOP_COORD_SEED) {
            uint64_t u[LIHOP_MAX_AXIS_VALUES];
            for (int i = 0; i < x->n; i++)
                u[i] = x->n == 1 ? cfg->seed : (uint64_t)x->value[i];
            rc = dset_write(c, g, "/sweep", name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &n, u, "1");
        } else {
            rc = dset_f64(c, g, "/sweep", name, 1, &n, x->value, x->unit);
        }
        hid_t d = rc == 0 ? H5Dopen2(g, name, H5P_DEFAULT) : H5I_INVALID_HID;
        if (d >= 0) {
            rc = (attr_i32(c, d, name, "swept", x->swept) < 0 || lihop_h5i_attr_str(c, d, name, "key", x->key) < 0)
                     ? -1 : 0;
            H5Dclose(d);
        }
    }
    if (rc == 0 && cfg->model == LIHOP_MODEL_GARNET) {
        hsize_t nx = (hsize_t)cfg->garnet.nli;
        const char *other = cfg->garnet.li_is_per_cell ? "li_per_fu" : "li_per_cell";
        rc = dset_f64(c, g, "/sweep", other, 1, &nx,
                      cfg->garnet.li_is_per_cell ? cfg->garnet.li_per_fu : cfg->garnet.li_per_cell, "1");
    }
    H5Gclose(g);
    return rc;
}

static int create_layout(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg,
                         const lihop_h5_meta *meta)
{
    char now[32];
    iso_now(now);
    hid_t g = H5I_INVALID_HID;
    int rc = -1;
    const char *names[LIHOP_MAX_PHASES > LIHOP_MAX_SPECIES ? LIHOP_MAX_PHASES : LIHOP_MAX_SPECIES];
    int32_t charge[LIHOP_MAX_SPECIES];

    if (make_group(c, h->file, "/metadata", &h->meta) < 0)
        goto done;
    if (write_session_attrs(c, h, meta) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_text", cfg->text) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_fixed_text", cfg->fixed_text ? cfg->fixed_text : "") < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_path", cfg->path) < 0 ||
        attr_u64(c, h->meta, "/metadata", "seed", cfg->seed) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "model",
                           cfg->model == LIHOP_MODEL_GARNET ? "garnet" : "voxel") < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "start_time", now) < 0)
        goto done;
    if (cfg->model == LIHOP_MODEL_GARNET) {
        if (write_garnet_meta(c, h, cfg) < 0)
            goto done;
        goto sweep;
    }

    if (make_group(c, h->file, "/metadata/species", &g) < 0)
        goto done;
    for (int s = 0; s < h->nspecies; s++) {
        names[s] = cfg->species[s].name;
        charge[s] = cfg->species[s].charge;
    }
    {
        hsize_t n = (hsize_t)h->nspecies;
        hid_t st = lihop_h5i_str_type();
        int e = dset_write(c, g, "/metadata/species", "name", st, st, 1, &n, names, NULL);
        H5Tclose(st);
        if (e < 0 || dset_write(c, g, "/metadata/species", "charge_e", H5T_STD_I32LE,
                                H5T_NATIVE_INT32, 1, &n, charge, "e") < 0)
            goto done;
    }
    H5Gclose(g);
    g = H5I_INVALID_HID;

    if (make_group(c, h->file, "/metadata/phases", &g) < 0)
        goto done;
    for (int p = 0; p < h->nphases; p++)
        names[p] = cfg->phases[p].name;
    {
        hsize_t n = (hsize_t)h->nphases;
        hid_t st = lihop_h5i_str_type();
        int e = dset_write(c, g, "/metadata/phases", "name", st, st, 1, &n, names, NULL);
        H5Tclose(st);
        if (e < 0)
            goto done;
    }
    H5Gclose(g);
    g = H5I_INVALID_HID;

sweep:
    if (write_sweep(c, h->file, cfg) < 0)
        goto done;
    if (make_group(c, h->file, "/points", &h->points) < 0 || create_summary(c, h) < 0)
        goto done;
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush");
        goto done;
    }
    rc = 0;
done:
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

/* Read a scalar string attribute (variable or fixed length) into malloc'd memory. */
static char *read_attr_str(hid_t obj, const char *name)
{
    char *out = NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t ft = H5Aget_type(a);
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING) {
        if (H5Tis_variable_str(ft) > 0) {
            hid_t mt = lihop_h5i_str_type();
            char *v = NULL;
            if (mt >= 0 && H5Aread(a, mt, &v) >= 0) {
                out = strdup(v ? v : "");
                if (v)
                    H5free_memory(v);
            }
            if (mt >= 0)
                H5Tclose(mt);
        } else {
            size_t len = H5Tget_size(ft);
            hid_t mt = H5Tcopy(ft);
            char *v = calloc(len + 1, 1);
            if (v && mt >= 0 && H5Aread(a, mt, v) >= 0) {
                out = v;
                v = NULL;
            }
            free(v);
            if (mt >= 0)
                H5Tclose(mt);
        }
    }
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return out;
}

/* Drop /summary rows whose point is not complete (and duplicates: keep the last). */
static int prune_summary(lihop_h5i_ctx *c, lihop_h5 *h)
{
    hid_t sp = H5Dget_space(h->summary);
    hsize_t n = 0;
    int rc = -1;
    unsigned char *rows = NULL;
    if (sp < 0 || H5Sget_simple_extent_dims(sp, &n, NULL) != 1) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/summary' is not a 1-D table");
        goto done;
    }
    if (n == 0) {
        rc = 0;
        goto done;
    }
    rows = malloc((size_t)n * h->row_size);
    if (!rows) {
        lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading '/summary'");
        goto done;
    }
    if (H5Dread(h->summary, h->row_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot read '/summary'");
        goto done;
    }
    hsize_t kept = 0;
    for (hsize_t i = 0; i < n; i++) {
        int32_t k;
        memcpy(&k, rows + i * h->row_size, 4);
        char name[32];
        snprintf(name, sizeof name, "%d", (int)k);
        int keep = k >= 0 && point_complete(h->points, name);
        for (hsize_t j = i + 1; keep && j < n; j++) {
            int32_t k2;
            memcpy(&k2, rows + j * h->row_size, 4);
            if (k2 == k)
                keep = 0;
        }
        if (keep) {
            if (kept != i)
                memmove(rows + kept * h->row_size, rows + i * h->row_size, h->row_size);
            kept++;
        }
    }
    if (kept != n) {
        if (H5Dset_extent(h->summary, &kept) < 0 ||
            (kept > 0 &&
             H5Dwrite(h->summary, h->row_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)) {
            lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot rewrite '/summary'");
            goto done;
        }
    }
    rc = 0;
done:
    free(rows);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

static int compare_micro(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m);
static int write_micro_group(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m,
                             const char *const *phase_names);

/* Every comparison a resume makes, on a file opened read-only: nothing is
 * written here, so a refused resume leaves the file exactly as it was.  Checks
 * that the file is a lihop results file, that config_text (and for garnet
 * material_text, lattice_text) and seed equal the run's, that /points and
 * /summary have the layout this version writes and, with micro, that a stored
 * /microstructure equals the run's. */
static int resume_check(lihop_h5i_ctx *c, hid_t file, const lihop_h5 *h, const lihop_config *cfg,
                        const lihop_micro *micro)
{
    int rc = -1;
    hid_t meta = H5I_INVALID_HID, points = H5I_INVALID_HID, summary = H5I_INVALID_HID;
    hid_t ft = H5I_INVALID_HID, sp = H5I_INVALID_HID;

    meta = H5Gopen2(file, "/metadata", H5P_DEFAULT);
    if (meta < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT, "no '/metadata' group; not a lihop results file");
        goto done;
    }
    if (H5Aexists(meta, "config_text") <= 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                       "cannot read '/metadata' attribute 'config_text'; not a lihop results file");
        goto done;
    }
    /* Same deck apart from the sweep values: extending an axis resumes. */
    char *fixed = read_attr_str(meta, "config_fixed_text");
    if (!fixed) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot resume: the file was written by a lihop without sweep "
                       "coordinates (no '/metadata' config_fixed_text); use --overwrite or another output file");
        goto done;
    }
    int same = strcmp(fixed, cfg->fixed_text ? cfg->fixed_text : "") == 0;
    free(fixed);
    if (!same) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                       "cannot resume: the file was written with a different config (its /metadata "
                       "config_fixed_text, the deck with every sweep value masked, differs from '%s'; only "
                       "sweep values may change between sessions); use --overwrite or another output file",
                       cfg->path);
        goto done;
    }
    if (cfg->model == LIHOP_MODEL_GARNET) {
        static const char *const what[2] = {"material_text", "lattice_text"};
        const char *now[2] = {cfg->garnet.material_text, cfg->garnet.lattice_text};
        const char *path[2] = {cfg->garnet.material_path, cfg->garnet.lattice_path};
        for (int i = 0; i < 2; i++) {
            char *old = read_attr_str(meta, what[i]);
            int eq = old && strcmp(old, now[i] ? now[i] : "") == 0;
            free(old);
            if (!eq) {
                lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                               "cannot resume: %s changed since the file was written "
                               "(its /metadata %s differs); use --overwrite or another output file",
                               path[i][0] ? path[i] : "the material file", what[i]);
                goto done;
            }
        }
    }
    htri_t ex = H5Lexists(file, "/points", H5P_DEFAULT);
    if (ex < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query '/points'");
        goto done;
    }
    if (ex > 0) {
        points = H5Gopen2(file, "/points", H5P_DEFAULT);
        H5G_info_t gi;
        if (points < 0 || H5Gget_info(points, &gi) < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot list '/points'");
            goto done;
        }
        for (hsize_t i = 0; i < gi.nlinks; i++) {
            char name[64];
            ssize_t len = H5Lget_name_by_idx(points, ".", H5_INDEX_NAME, H5_ITER_INC, i, name,
                                             sizeof name, H5P_DEFAULT);
            if (len < 0 || (size_t)len >= sizeof name) {
                lihop_h5i_fail(c, LIHOP_ERR_INPUT, "unexpected entry %llu in '/points'",
                               (unsigned long long)i);
                goto done;
            }
        }
    }

    ex = H5Lexists(file, "/summary", H5P_DEFAULT);
    if (ex < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query '/summary'");
        goto done;
    }
    if (ex > 0) {
        summary = H5Dopen2(file, "/summary", H5P_DEFAULT);
        if (summary < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot open '/summary'");
            goto done;
        }
        ft = H5Dget_type(summary);
        htri_t eq = ft >= 0 ? H5Tequal(ft, h->row_type) : -1;
        if (eq <= 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/summary' has columns other than this version writes");
            goto done;
        }
        sp = H5Dget_space(summary);
        if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 1) {
            lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/summary' is not a 1-D table");
            goto done;
        }
    }

    if (micro) {
        ex = H5Lexists(file, "/microstructure", H5P_DEFAULT);
        if (ex < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query '/microstructure'");
            goto done;
        }
        if (ex > 0 && compare_micro(c, file, micro) < 0)
            goto done;
    }
    rc = 0;
done:
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (summary >= 0)
        H5Dclose(summary);
    if (points >= 0)
        H5Gclose(points);
    if (meta >= 0)
        H5Gclose(meta);
    return rc;
}

/* Continue a file that passed resume_check (now open read-write): delete
 * unfinished points and their /summary rows, write a missing /microstructure
 * and start the session (session attributes, resume_time, status "running"). */
/* After prune_summary: remember every finished point (id and coordinates
 * from its /summary row) and delete point groups that have no row (a point
 * counts only with both its complete flag and its row). */
static int load_done(lihop_h5i_ctx *c, lihop_h5 *h)
{
    hid_t sp = H5Dget_space(h->summary);
    hsize_t n = 0;
    if (sp < 0 || H5Sget_simple_extent_dims(sp, &n, NULL) != 1) {
        if (sp >= 0)
            H5Sclose(sp);
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/summary' is not a 1-D table");
    }
    H5Sclose(sp);
    unsigned char *rows = malloc(((size_t)n + 1) * h->row_size);
    if (!rows)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading '/summary'");
    if (n > 0 && H5Dread(h->summary, h->row_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
        free(rows);
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot read '/summary'");
    }
    int rc = 0;
    double coords[LIHOP_MAX_COORDS];
    for (hsize_t i = 0; i < n && rc == 0; i++) {
        int32_t id;
        memcpy(&id, rows + i * h->row_size, 4);
        get_coords(h, rows + i * h->row_size, coords);
        if (add_done(h, id, coords) < 0)
            rc = lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory");
    }
    free(rows);
    H5G_info_t gi;
    if (rc == 0 && H5Gget_info(h->points, &gi) < 0)
        rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot list '/points'");
    for (hsize_t i = gi.nlinks; rc == 0 && i-- > 0;) {
        char name[64];
        if (H5Lget_name_by_idx(h->points, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0)
            rc = lihop_h5i_fail(c, LIHOP_ERR_INPUT, "unexpected entry %llu in '/points'", (unsigned long long)i);
        else if (!lihop_h5_point_done(h, atoi(name)) && H5Ldelete(h->points, name, H5P_DEFAULT) < 0)
            rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot delete point '/points/%s' (no /summary row)", name);
    }
    return rc;
}

static int resume_layout(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_h5_meta *meta,
                         const lihop_micro *micro, const char *const *phase_names)
{
    h->meta = H5Gopen2(h->file, "/metadata", H5P_DEFAULT);
    if (h->meta < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open '/metadata'");

    htri_t ex = H5Lexists(h->file, "/points", H5P_DEFAULT);
    if (ex > 0)
        h->points = H5Gopen2(h->file, "/points", H5P_DEFAULT);
    else if (ex == 0)
        h->points = H5Gcreate2(h->file, "/points", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (h->points < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open '/points'");

    /* Delete half-written points (no complete = 1). */
    H5G_info_t gi;
    if (H5Gget_info(h->points, &gi) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot list '/points'");
    for (hsize_t i = gi.nlinks; i-- > 0;) {
        char name[64];
        ssize_t len = H5Lget_name_by_idx(h->points, ".", H5_INDEX_NAME, H5_ITER_INC, i, name,
                                         sizeof name, H5P_DEFAULT);
        if (len < 0 || (size_t)len >= sizeof name)
            return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "unexpected entry %llu in '/points'",
                                  (unsigned long long)i);
        if (!point_complete(h->points, name) && H5Ldelete(h->points, name, H5P_DEFAULT) < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot delete unfinished point '/points/%s'",
                                  name);
    }

    ex = H5Lexists(h->file, "/summary", H5P_DEFAULT);
    if (ex == 0) {
        if (create_summary(c, h) < 0)
            return -1;
    } else {
        h->summary = H5Dopen2(h->file, "/summary", H5P_DEFAULT);
        if (h->summary < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot open '/summary'");
        if (prune_summary(c, h) < 0)
            return -1;
    }
    if (load_done(c, h) < 0 || write_sweep(c, h->file, cfg) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_text", cfg->text) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_path", cfg->path) < 0)
        return -1;

    if (micro) {
        ex = H5Lexists(h->file, "/microstructure", H5P_DEFAULT);
        if (ex < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query '/microstructure'");
        if (ex == 0 && write_micro_group(c, h->file, micro, phase_names) < 0)
            return -1;
    }

    char *prev = read_attr_str(h->meta, "status");
    snprintf(h->prev_status, sizeof h->prev_status, "%s", prev ? prev : "failed");
    free(prev);
    char now[32];
    iso_now(now);
    if (write_session_attrs(c, h, meta) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "resume_time", now) < 0)
        return -1;
    if (H5Aexists(h->meta, "end_time") > 0 && H5Adelete(h->meta, "end_time") < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot delete '/metadata' attribute 'end_time'");
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush");
    return 0;
}

static lihop_h5 *handle_new(const char *path, const lihop_config *cfg)
{
    lihop_h5 *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    snprintf(h->path, sizeof h->path, "%s", path);
    h->dur.lock_fd = -1;
    h->fapl = h->file = h->meta = h->points = h->summary = h->row_type = H5I_INVALID_HID;
    h->model = cfg->model;
    if (cfg->model == LIHOP_MODEL_GARNET) {
        h->nsub = cfg->garnet.nsub < LIHOP_MAX_SUBLATTICES ? cfg->garnet.nsub : LIHOP_MAX_SUBLATTICES;
        build_garnet_cols(h, cfg);
    } else {
        h->nspecies = cfg->nspecies;
        h->nphases = cfg->nphases;
        build_cols(h, cfg);
    }
    add_coord_cols(h, cfg);
    return h;
}

static void handle_free(lihop_h5 *h)
{
    close_file(h);
    if (h->row_type >= 0)
        H5Tclose(h->row_type);
    if (h->fapl >= 0)
        H5Pclose(h->fapl);
    lihop_durable_unlock(&h->dur);
    free(h->done_id);
    free(h->done_coord);
    free(h);
}

static int make_fapl(lihop_h5i_ctx *c, lihop_h5 *h)
{
    h->fapl = H5Pcreate(H5P_FILE_ACCESS);
    h->row_type = make_row_type(h);
    /* STRONG: closing the file closes every object in it, so a failed write
     * (disk full) leaves nothing for the library to flush at exit. */
    if (h->fapl < 0 || h->row_type < 0 || H5Pset_libver_bounds(h->fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
        H5Pset_fclose_degree(h->fapl, H5F_CLOSE_STRONG) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set up HDF5 property lists");
#if H5_VERSION_GE(1, 12, 1) || (H5_VERS_MAJOR == 1 && H5_VERS_MINOR == 10 && H5_VERS_RELEASE >= 7)
    /* Keep file locking, but do not fail on file systems that lack it (NFS, Lustre). */
    H5Pset_file_locking(h->fapl, 1, 1);
#endif
    return 0;
}

/* Resume: every compatibility check on a read-only handle of the committed
 * file first (a refused resume leaves it exactly as it was), then the resumed
 * layout on a copy, committed. */
static int open_resume(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_micro *micro,
                       const char *const *phase_names, const lihop_h5_meta *meta)
{
    hid_t ro = H5Fopen(h->path, H5F_ACC_RDONLY, h->fapl);
    if (ro < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open the file to resume it (not an HDF5 file?)");
    int ok = resume_check(c, ro, h, cfg, micro);
    if (H5Fclose(ro) < 0 && ok == 0)
        ok = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot close the file after checking it");
    if (ok < 0)
        return -1;
    lihop_status st = lihop_durable_begin(&h->dur, 1, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    h->file = H5Fopen(h->dur.tmp, H5F_ACC_RDWR, h->fapl);
    if (h->file < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open a copy of the file to resume it");
    else
        resume_layout(c, h, cfg, meta, micro, phase_names);
    return txn_end(c, h);
}

/* New file (or --overwrite): the whole layout on a fresh copy, committed; the
 * old file, if any, is replaced only then. */
static int open_create(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_micro *micro,
                       const char *const *phase_names, const lihop_h5_meta *meta)
{
    lihop_status st = lihop_durable_begin(&h->dur, 0, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    h->file = H5Fcreate(h->dur.tmp, H5F_ACC_TRUNC, H5P_DEFAULT, h->fapl);
    if (h->file < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create the file (%s)", h->dur.tmp);
    else if (create_layout(c, h, cfg, meta) == 0 && micro)
        write_micro_group(c, h->file, micro, phase_names);
    return txn_end(c, h);
}

lihop_status lihop_h5_open(const char *path, const lihop_config *cfg, const lihop_micro *micro,
                           const char *const *phase_names, const lihop_h5_meta *meta, int resume,
                           int overwrite, lihop_h5 **out, lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (out)
        *out = NULL;
    if (!path || !cfg || !out)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_open: NULL argument");
    if (strlen(path) >= LIHOP_PATH_LEN)
        return lihop_fail(err, LIHOP_ERR_INPUT, "output path too long (%zu characters)", strlen(path));
    if (resume && overwrite)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s: pass either --resume or --overwrite, not both", path);
    if (cfg->nspecies < 0 || cfg->nspecies > LIHOP_MAX_SPECIES || cfg->nphases < 0 ||
        cfg->nphases > LIHOP_MAX_PHASES || cfg->ntemps > LIHOP_MAX_TEMPS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: config has out-of-range species/phase/temperature counts",
                          path);
    if (micro && (micro->nphases < 0 || micro->nphases > LIHOP_MAX_PHASES))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: microstructure has %d phases", path, micro->nphases);

    struct stat stbuf;
    int exists = stat(path, &stbuf) == 0;
    if (!exists && errno != ENOENT)
        return lihop_fail(err, LIHOP_ERR_IO, "cannot access %s: %s", path, strerror(errno));
    if (exists && !resume && !overwrite)
        return lihop_fail(err, LIHOP_ERR_IO,
                          "%s exists; pass --resume to continue it or --overwrite to replace it", path);

    lihop_h5 *h = handle_new(path, cfg);
    if (!h)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory opening %s", path);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    /* The lock comes before anything touches the file: a second run on the
     * same output, --overwrite included, is refused while this one holds it. */
    lihop_status st = lihop_durable_lock(&h->dur, path, err);
    if (st != LIHOP_OK) {
        handle_free(h);
        return st;
    }
    if (make_fapl(&c, h) == 0)
        (exists && resume) ? open_resume(&c, h, cfg, micro, phase_names, meta)
                           : open_create(&c, h, cfg, micro, phase_names, meta);
    if (c.st != LIHOP_OK) {
        handle_free(h);
        return c.st;
    }
    *out = h;
    return LIHOP_OK;
}

int lihop_h5_point_done(const lihop_h5 *h, int k)
{
    for (int i = 0; h && k >= 0 && i < h->ndone; i++)
        if (h->done_id[i] == k)
            return 1;
    return 0;
}

/* ---- microstructure ------------------------------------------------------------- */

static int compare_micro(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m)
{
    hid_t d = H5Dopen2(file, "/microstructure/phase", H5P_DEFAULT);
    hid_t sp = H5I_INVALID_HID;
    uint8_t *buf = NULL;
    int rc = -1;
    if (d < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/microstructure' has no dataset 'phase'");
        goto done;
    }
    sp = H5Dget_space(d);
    hsize_t dims[3] = {0, 0, 0};
    if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 3 || H5Sget_simple_extent_dims(sp, dims, NULL) != 3) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/microstructure/phase' is not 3-D");
        goto done;
    }
    if (dims[0] != (hsize_t)m->n[2] || dims[1] != (hsize_t)m->n[1] || dims[2] != (hsize_t)m->n[0]) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                       "'/microstructure/phase' is %llux%llux%llu (x,y,z) but the run's "
                       "microstructure is %dx%dx%d",
                       (unsigned long long)dims[2], (unsigned long long)dims[1],
                       (unsigned long long)dims[0], m->n[0], m->n[1], m->n[2]);
        goto done;
    }
    size_t nvox = (size_t)lihop_micro_nvox(m);
    if (nvox > 0) {
        buf = malloc(nvox);
        if (!buf) {
            lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading '/microstructure/phase'");
            goto done;
        }
        if (H5Dread(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot read '/microstructure/phase'");
            goto done;
        }
        if (memcmp(buf, m->phase, nvox) != 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                           "'/microstructure/phase' differs from the microstructure this run "
                           "built; the results would not belong together");
            goto done;
        }
    }
    rc = 0;
done:
    free(buf);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* /microstructure (phase grid, phase fractions) into a file that has none, then a flush. */
static int write_micro_group(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m,
                             const char *const *phase_names)
{
    hid_t g = H5I_INVALID_HID;
    double frac[LIHOP_MAX_PHASES] = {0};
    int64_t nvox = lihop_micro_nvox(m);
    int rc = -1;
    if (nvox > 0) {
        int64_t count[256] = {0};
        for (int64_t i = 0; i < nvox; i++)
            count[m->phase[i]]++;
        for (int p = 0; p < m->nphases; p++)
            frac[p] = (double)count[p] / (double)nvox;
    }
    hsize_t np = (hsize_t)m->nphases;
    if (make_group(c, file, "/microstructure", &g) < 0 ||
        lihop_h5i_write_grid(c, g, "phase", m, phase_names) < 0 ||
        dset_f64(c, g, "/microstructure", "phase_fraction", 1, &np, frac, "1") < 0)
        goto done;
    if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush");
        goto done;
    }
    rc = 0;
done:
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

lihop_status lihop_h5_write_micro(lihop_h5 *h, const lihop_micro *m, const char *const *phase_names,
                                  lihop_err *err)
{
    if (!h || !m)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_write_micro: NULL argument");
    if (m->nphases < 0 || m->nphases > LIHOP_MAX_PHASES)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: microstructure has %d phases", h->path, m->nphases);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (txn_begin(&c, h) < 0)
        return c.st;
    htri_t ex = H5Lexists(h->file, "/microstructure", H5P_DEFAULT);
    if (ex < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot query '/microstructure'");
    else if (ex > 0)
        compare_micro(&c, h->file, m);
    else
        write_micro_group(&c, h->file, m, phase_names);
    txn_end(&c, h);
    return c.st;
}

/* ---- points ------------------------------------------------------------------------ */

static double iso3(const double v[3])
{
    return (v[0] + v[1] + v[2]) / 3.0;
}

static double iso3_err(const double e[3])
{
    return sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]) / 3.0;
}

/* One row at the end of the extendible /summary table. */
static int append_row(lihop_h5i_ctx *c, lihop_h5 *h, const unsigned char *row, int index)
{
    hid_t fsp = H5I_INVALID_HID, msp = H5I_INVALID_HID;
    int ret = -1;
    hsize_t n = 0, one = 1;
    fsp = H5Dget_space(h->summary);
    if (fsp < 0 || H5Sget_simple_extent_dims(fsp, &n, NULL) != 1)
        goto fail;
    H5Sclose(fsp);
    fsp = H5I_INVALID_HID;
    hsize_t n1 = n + 1;
    if (H5Dset_extent(h->summary, &n1) < 0)
        goto fail;
    fsp = H5Dget_space(h->summary);
    msp = H5Screate_simple(1, &one, NULL);
    if (fsp < 0 || msp < 0 || H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &n, NULL, &one, NULL) < 0 ||
        H5Dwrite(h->summary, h->row_type, msp, fsp, H5P_DEFAULT, row) < 0)
        goto fail;
    ret = 0;
    goto done;
fail:
    lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot append row for point %d to '/summary'", index);
done:
    if (msp >= 0)
        H5Sclose(msp);
    if (fsp >= 0)
        H5Sclose(fsp);
    return ret;
}

static int append_summary(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_point_result *r, const double *coords)
{
    unsigned char row[8 * MAX_COLS];
    row_cursor rc = {h, row, 0};
    memset(row, 0, sizeof row);
    put_i32(&rc, r->index);
    put_f64(&rc, r->T_K);
    put_f64(&rc, r->sigma_iso_S_m);
    put_f64(&rc, r->sigma_iso_err);
    put_f64(&rc, r->sigma_total_S_m[0]);
    put_f64(&rc, r->sigma_total_S_m[1]);
    put_f64(&rc, r->sigma_total_S_m[2]);
    put_f64(&rc, r->t_plus);
    put_f64(&rc, r->t_plus_err);
    uint64_t hops = 0;
    for (int s = 0; s < h->nspecies; s++) {
        const lihop_species_result *sp = &r->sp[s];
        put_f64(&rc, iso3(sp->D_m2_s));
        put_f64(&rc, iso3_err(sp->D_err));
        put_f64(&rc, iso3(sp->sigma_S_m));
        put_f64(&rc, iso3_err(sp->sigma_err));
        hops += sp->hops;
    }
    put_i32(&rc, r->converged);
    put_u64(&rc, hops);
    put_f64(&rc, r->wall_s);
    put_coords(h, row, coords);
    return append_row(c, h, row, r->index);
}

/* Every coordinate of the point as an attribute of its group (the seed as
 * uint64); attributes the group already has (T_K, li_per_fu) are kept. */
static int write_coord_attrs(lihop_h5i_ctx *c, const lihop_h5 *h, const lihop_config *cfg, hid_t g,
                             const char *gname, const double *coords)
{
    for (int k = 0; coords && k < h->ncoords && k < cfg->ncoords; k++) {
        const char *name = cfg->coords[k].name;
        htri_t ex = H5Aexists(g, name);
        if (ex < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query attribute '%s' of '%s'", name, gname);
        if (ex > 0)
            continue;
        int e = k == h->seed_coord ? attr_u64(c, g, gname, name, (uint64_t)coords[k])
                                   : lihop_h5i_attr_f64(c, g, gname, name, coords[k]);
        if (e < 0)
            return -1;
    }
    return 0;
}

/* ---- changes: each one on a copy of the file, committed by rename (durable.h) ---- */

static void close_file(lihop_h5 *h)
{
    if (h->summary >= 0)
        H5Dclose(h->summary);
    if (h->points >= 0)
        H5Gclose(h->points);
    if (h->meta >= 0)
        H5Gclose(h->meta);
    h->summary = h->points = h->meta = H5I_INVALID_HID;
    if (h->file >= 0)
        H5Fclose(h->file);
    h->file = H5I_INVALID_HID;
}

/* Copy the committed file and open the copy with /metadata, /points, /summary. */
static int txn_begin(lihop_h5i_ctx *c, lihop_h5 *h)
{
    lihop_status st = lihop_durable_begin(&h->dur, 1, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    h->file = H5Fopen(h->dur.tmp, H5F_ACC_RDWR, h->fapl);
    if (h->file >= 0) {
        h->meta = H5Gopen2(h->file, "/metadata", H5P_DEFAULT);
        h->points = H5Gopen2(h->file, "/points", H5P_DEFAULT);
        h->summary = H5Dopen2(h->file, "/summary", H5P_DEFAULT);
    }
    if (h->file < 0 || h->meta < 0 || h->points < 0 || h->summary < 0) {
        close_file(h);
        lihop_durable_abort(&h->dur);
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open a copy of the file (%s)", h->dur.tmp);
    }
    return 0;
}

/* Close the copy; commit it when the change succeeded (c->st == LIHOP_OK),
 * else drop it: the committed file stays as it was. */
static int txn_end(lihop_h5i_ctx *c, lihop_h5 *h)
{
    if (h->summary >= 0)
        H5Dclose(h->summary);
    if (h->points >= 0)
        H5Gclose(h->points);
    if (h->meta >= 0)
        H5Gclose(h->meta);
    h->summary = h->points = h->meta = H5I_INVALID_HID;
    herr_t e = h->file >= 0 ? H5Fclose(h->file) : 0;
    h->file = H5I_INVALID_HID;
    if (c->st == LIHOP_OK && e < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write the file (closing %s failed)", h->dur.tmp);
    if (c->st != LIHOP_OK) {
        lihop_durable_abort(&h->dur);
        return -1;
    }
    lihop_status st = lihop_durable_commit(&h->dur, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    return 0;
}

/* The last step of every point: the complete flag, then a flush, so a point
 * counts only once everything else of it is on disk. */
static void finish_point(lihop_h5i_ctx *c, lihop_h5 *h, hid_t g, const char *gname)
{
    if (attr_i32(c, g, gname, "complete", 1) < 0)
        return;
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush after writing '%s'", gname);
}

static lihop_status write_point_in(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                   const lihop_point_result *r, lihop_err *err)
{
    if (r->index < 0)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point index %d < 0", h->path, r->index);
    if (h->model != LIHOP_MODEL_VOXEL)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: a voxel point for a file opened for a garnet run", h->path);
    if (r->nspecies != h->nspecies || cfg->nspecies != h->nspecies || cfg->nphases != h->nphases)
        return lihop_fail(err, LIHOP_ERR_INTERNAL,
                          "%s: point %d has %d species (config %d species, %d phases), "
                          "the file was opened for %d species, %d phases",
                          h->path, r->index, r->nspecies, cfg->nspecies, cfg->nphases,
                          h->nspecies, h->nphases);
    if (r->nsamples < 0 || r->nsamples > LIHOP_MAX_SAMPLES || r->nbatches < 0)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point %d has %d samples, %d batches",
                          h->path, r->index, r->nsamples, r->nbatches);

    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    char name[32], gname[48];
    snprintf(name, sizeof name, "%d", r->index);
    snprintf(gname, sizeof gname, "/points/%d", r->index);
    if (point_complete(h->points, name))
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point '%s' is already complete", h->path,
                          gname);
    htri_t ex = H5Lexists(h->points, name, H5P_DEFAULT);
    if (ex > 0 && H5Ldelete(h->points, name, H5P_DEFAULT) < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot delete unfinished point '%s'", gname);
        return c.st;
    }

    const int ns = h->nspecies, nt = r->nsamples, nb = r->nbatches, np = h->nphases;
    size_t nbuf = (size_t)ns * 3 * (size_t)(nt > nb ? nt : nb);
    if (nbuf < (size_t)ns * (size_t)(np > 3 ? np : 3))
        nbuf = (size_t)ns * (size_t)(np > 3 ? np : 3);
    double *buf = malloc(sizeof *buf * (nbuf > 0 ? nbuf : 1));
    uint64_t u[LIHOP_MAX_SPECIES];
    hid_t g = H5I_INVALID_HID;
    if (!buf)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory writing %s", h->path, gname);
    g = H5Gcreate2(h->points, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot create group '%s'", gname);
        goto done;
    }
    const char *tsp = (cfg->transference_species >= 0 && cfg->transference_species < ns)
                    ? cfg->species[cfg->transference_species].name : "";
    if (lihop_h5i_attr_f64(&c, g, gname, "T_K", r->T_K) < 0 ||
        lihop_h5i_attr_f64(&c, g, gname, "sigma_iso_S_m", r->sigma_iso_S_m) < 0 ||
        lihop_h5i_attr_f64(&c, g, gname, "sigma_iso_err_S_m", r->sigma_iso_err) < 0 ||
        lihop_h5i_attr_f64(&c, g, gname, "t_plus", r->t_plus) < 0 ||
        lihop_h5i_attr_f64(&c, g, gname, "t_plus_err", r->t_plus_err) < 0 ||
        lihop_h5i_attr_str(&c, g, gname, "transference_species", tsp) < 0 ||
        attr_i32(&c, g, gname, "converged", r->converged) < 0 ||
        lihop_h5i_attr_str(&c, g, gname, "warning", r->warning) < 0 ||
        lihop_h5i_attr_f64(&c, g, gname, "wall_s", r->wall_s) < 0 ||
        lihop_h5i_attr_str(&c, g, gname, "backend", r->backend) < 0 ||
        attr_i32(&c, g, gname, "threads", r->threads) < 0)
        goto done;

    hsize_t d1[1], d2[2], d3[3];
    /* each species has its own time grid (hops_per_walker sets t_end per species) */
    d2[0] = (hsize_t)ns; d2[1] = (hsize_t)nt;
    for (int s = 0; s < ns; s++)
        for (int k = 0; k < nt; k++)
            buf[(size_t)s * nt + k] = r->sp[s].time_s[k];
    if (dset_f64(&c, g, gname, "time_s", 2, d2, buf, "s") < 0)
        goto done;
    d1[0] = (hsize_t)ns;
    for (int s = 0; s < ns; s++)
        buf[s] = r->sp[s].t_end_s;
    if (dset_f64(&c, g, gname, "t_end_s", 1, d1, buf, "s") < 0)
        goto done;

    d3[0] = (hsize_t)ns; d3[1] = (hsize_t)nt; d3[2] = 3;
    for (int s = 0; s < ns; s++)
        for (int k = 0; k < nt; k++)
            for (int a = 0; a < 3; a++)
                buf[((size_t)s * nt + k) * 3 + a] = r->sp[s].msd_m2[k][a];
    if (dset_f64(&c, g, gname, "msd_m2", 3, d3, buf, "m^2") < 0)
        goto done;

    /* [ns][3] per-axis quantities */
    d2[0] = (hsize_t)ns; d2[1] = 3;
#define AXES(field, dsname, unit)                                                   \
    do {                                                                            \
        for (int s = 0; s < ns; s++)                                                \
            for (int a = 0; a < 3; a++)                                             \
                buf[(size_t)s * 3 + a] = r->sp[s].field[a];                         \
        if (dset_f64(&c, g, gname, dsname, 2, d2, buf, unit) < 0)                   \
            goto done;                                                              \
    } while (0)
    AXES(D_m2_s, "D_m2_s", "m^2/s");
    AXES(D_err, "D_err_m2_s", "m^2/s");
    AXES(sigma_S_m, "sigma_S_m", "S/m");
    AXES(sigma_err, "sigma_err_S_m", "S/m");
    AXES(sigma_drift_S_m, "sigma_drift_S_m", "S/m");
    AXES(sigma_drift_err, "sigma_drift_err_S_m", "S/m");
#undef AXES

    d1[0] = 3;
    if (dset_f64(&c, g, gname, "sigma_total_S_m", 1, d1, r->sigma_total_S_m, "S/m") < 0 ||
        dset_f64(&c, g, gname, "sigma_total_err_S_m", 1, d1, r->sigma_total_err, "S/m") < 0)
        goto done;

    d2[0] = (hsize_t)ns; d2[1] = (hsize_t)np;
    for (int s = 0; s < ns; s++)
        for (int p = 0; p < np; p++)
            buf[(size_t)s * np + p] = r->sp[s].residence[p];
    if (dset_f64(&c, g, gname, "residence_fraction", 2, d2, buf, "1") < 0)
        goto done;
    for (int s = 0; s < ns; s++)
        for (int p = 0; p < np; p++)
            buf[(size_t)s * np + p] = r->sp[s].residence_err[p];
    if (dset_f64(&c, g, gname, "residence_fraction_err", 2, d2, buf, "1") < 0)
        goto done;

    d3[0] = (hsize_t)ns; d3[1] = (hsize_t)nb; d3[2] = 3;
    for (int s = 0; s < ns; s++)
        for (int b = 0; b < nb; b++)
            for (int a = 0; a < 3; a++)
                buf[((size_t)s * nb + b) * 3 + a] =
                    r->sp[s].batch_D_m2_s ? r->sp[s].batch_D_m2_s[(size_t)b * 3 + a] : NAN;
    if (dset_f64(&c, g, gname, "batch_D_m2_s", 3, d3, buf, "m^2/s") < 0)
        goto done;

    d1[0] = (hsize_t)ns;
    for (int s = 0; s < ns; s++)
        u[s] = r->sp[s].hops;
    if (dset_write(&c, g, gname, "hops", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, d1, u, "1") < 0)
        goto done;
    for (int s = 0; s < ns; s++)
        u[s] = r->sp[s].walkers;
    if (dset_write(&c, g, gname, "walkers", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, d1, u, "1") < 0)
        goto done;
    for (int s = 0; s < ns; s++)
        buf[s] = r->sp[s].n_avg_m3;
    if (dset_f64(&c, g, gname, "n_avg_m3", 1, d1, buf, "1/m^3") < 0)
        goto done;
    for (int s = 0; s < ns; s++)
        buf[s] = r->sp[s].D_early_m2_s;
    if (dset_f64(&c, g, gname, "D_early_m2_s", 1, d1, buf, "m^2/s") < 0)
        goto done;
    for (int s = 0; s < ns; s++)
        buf[s] = r->sp[s].D_late_m2_s;
    if (dset_f64(&c, g, gname, "D_late_m2_s", 1, d1, buf, "m^2/s") < 0)
        goto done;

    /* The /summary row goes in before the flag: a complete point always has its
     * row, and resume drops rows of points that never got the flag. */
    if (write_coord_attrs(&c, h, cfg, g, gname, coords) < 0 || append_summary(&c, h, r, coords) < 0)
        goto done;
    finish_point(&c, h, g, gname);
done:
    if (g >= 0)
        H5Gclose(g);
    free(buf);
    return c.st;
}

/* ---- garnet points ------------------------------------------------------------------- */

static int attr_i64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int64_t v)
{
    return attr_write(c, obj, objname, name, H5T_STD_I64LE, H5T_NATIVE_INT64, -1, &v);
}

/* One engine result into group g (named gname): scalars as attributes with the
 * unit in the name, arrays as datasets with a `unit` attribute. */
static int write_gresult(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_result *r,
                         const double field_V_m[3])
{
    const double A2 = 1e-20;        /* angstrom^2 -> m^2 */
    const int ns = r->nsamples < 0 ? 0 : r->nsamples > LIHOP_GARNET_MAX_SAMPLES ? LIHOP_GARNET_MAX_SAMPLES : r->nsamples;
    const int nsub = r->nsub < 0 ? 0 : r->nsub > LIHOP_MAX_SUBLATTICES ? LIHOP_MAX_SUBLATTICES : r->nsub;
    double buf[LIHOP_GARNET_MAX_SAMPLES * 3];
    if (lihop_h5i_attr_f64(c, g, gname, "T_K", r->T_K) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "kT_eV", r->kT_eV) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "t_end_s", r->t_end_s) < 0 ||
        attr_i64(c, g, gname, "replicas", r->nreplicas) < 0 ||
        attr_i32(c, g, gname, "batches", r->nbatches) < 0 ||
        attr_i64(c, g, gname, "nli", r->nli) < 0 ||
        attr_i32(c, g, gname, "nsites", r->nsites) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "volume_m3", r->volume_m3) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "n_li_m3", r->n_li_m3) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "D_tracer_m2_s", r->D_tracer_m2_s) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "D_tracer_err_m2_s", r->D_tracer_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "D_sigma_m2_s", r->D_sigma_m2_s) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "D_sigma_err_m2_s", r->D_sigma_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "D0_m2_s", r->D0_m2_s) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "D0_err_m2_s", r->D0_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "haven", r->haven) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "haven_err", r->haven_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "f_tracer", r->f_tracer) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "f_tracer_err", r->f_tracer_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "f_coll", r->f_coll) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "f_coll_err", r->f_coll_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "sigma_NE_S_m", r->sigma_NE_S_m) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "sigma_NE_err_S_m", r->sigma_NE_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "sigma_drift_S_m", r->sigma_drift_S_m) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "sigma_drift_err_S_m", r->sigma_drift_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "hop_rate_Hz", r->hop_rate_Hz) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "hop_rate_err_Hz", r->hop_rate_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "mean_hop_d2_m2", r->mean_hop_d2_A2 * A2) < 0 ||
        attr_u64(c, g, gname, "events", r->events) < 0 ||
        attr_u64(c, g, gname, "equil_events", r->equil_events) < 0 ||
        attr_u64(c, g, gname, "hops", r->hops) < 0 ||
        attr_u64(c, g, gname, "check_failures", r->check_failures) < 0 ||
        attr_i64(c, g, gname, "trapped_replicas", r->trapped_replicas) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "wall_s", r->wall_s) < 0 ||
        attr_i32(c, g, gname, "threads", r->threads) < 0 ||
        lihop_h5i_attr_str(c, g, gname, "backend", r->backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu") < 0)
        return -1;
    hsize_t d1 = 3, dt = (hsize_t)ns, dt3[2] = {(hsize_t)ns, 3};
    if (dset_f64(c, g, gname, "field_V_m", 1, &d1, field_V_m, "V/m") < 0 ||
        dset_f64(c, g, gname, "time_s", 1, &dt, r->time_s, "s") < 0)
        return -1;
#define SERIES(field, dsname)                                                    \
    do {                                                                         \
        for (int k = 0; k < ns; k++)                                             \
            buf[k] = r->field[k] * A2;                                           \
        if (dset_f64(c, g, gname, dsname, 1, &dt, buf, "m^2") < 0)               \
            return -1;                                                           \
    } while (0)
#define SERIES3(field, dsname)                                                   \
    do {                                                                         \
        for (int k = 0; k < ns; k++)                                             \
            for (int a = 0; a < 3; a++)                                          \
                buf[3 * k + a] = r->field[k][a] * A2;                            \
        if (dset_f64(c, g, gname, dsname, 2, dt3, buf, "m^2") < 0)               \
            return -1;                                                           \
    } while (0)
    SERIES(msd_tracer_A2, "msd_tracer_m2");
    SERIES(msd_tracer_err, "msd_tracer_err_m2");
    SERIES(msd_coll_A2, "msd_coll_m2");
    SERIES(msd_coll_err, "msd_coll_err_m2");
    SERIES3(msd_tracer_axis_A2, "msd_tracer_axis_m2");
    SERIES3(msd_tracer_axis_err, "msd_tracer_axis_err_m2");
    SERIES3(msd_coll_axis_A2, "msd_coll_axis_m2");
    SERIES3(msd_coll_axis_err, "msd_coll_axis_err_m2");
#undef SERIES
#undef SERIES3
    if (dset_f64(c, g, gname, "D_tracer_axis_m2_s", 1, &d1, r->D_tracer_axis_m2_s, "m^2/s") < 0 ||
        dset_f64(c, g, gname, "D_tracer_axis_err_m2_s", 1, &d1, r->D_tracer_axis_err, "m^2/s") < 0 ||
        dset_f64(c, g, gname, "D_sigma_axis_m2_s", 1, &d1, r->D_sigma_axis_m2_s, "m^2/s") < 0 ||
        dset_f64(c, g, gname, "D_sigma_axis_err_m2_s", 1, &d1, r->D_sigma_axis_err, "m^2/s") < 0 ||
        dset_f64(c, g, gname, "sigma_NE_axis_S_m", 1, &d1, r->sigma_NE_axis_S_m, "S/m") < 0 ||
        dset_f64(c, g, gname, "sigma_NE_axis_err_S_m", 1, &d1, r->sigma_NE_axis_err, "S/m") < 0 ||
        dset_f64(c, g, gname, "v_drift_m_s", 1, &d1, r->v_drift_m_s, "m/s") < 0 ||
        dset_f64(c, g, gname, "v_drift_err_m_s", 1, &d1, r->v_drift_err, "m/s") < 0)
        return -1;
    /* per sublattice */
    const char *names[LIHOP_MAX_SUBLATTICES];
    int32_t sites[LIHOP_MAX_SUBLATTICES];
    uint64_t hbt[LIHOP_MAX_SUBLATTICES * LIHOP_MAX_SUBLATTICES];
    for (int s = 0; s < nsub; s++) {
        names[s] = r->subname[s];
        sites[s] = r->sites_per_sub[s];
        for (int t = 0; t < nsub; t++)
            hbt[s * nsub + t] = r->hops_by_type[s][t];
    }
    hsize_t dn = (hsize_t)nsub, dnn[2] = {(hsize_t)nsub, (hsize_t)nsub};
    hid_t st = lihop_h5i_str_type();
    int e = st < 0 ? -1 : dset_write(c, g, gname, "sublattice", st, st, 1, &dn, names, NULL);
    if (st >= 0)
        H5Tclose(st);
    if (e < 0 ||
        dset_write(c, g, gname, "sites_per_sublattice", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &dn, sites, "1") < 0 ||
        dset_f64(c, g, gname, "li_fraction", 1, &dn, r->li_fraction, "1") < 0 ||
        dset_f64(c, g, gname, "li_fraction_err", 1, &dn, r->li_fraction_err, "1") < 0 ||
        dset_f64(c, g, gname, "site_occupancy", 1, &dn, r->site_occupancy, "1") < 0 ||
        dset_f64(c, g, gname, "site_occupancy_err", 1, &dn, r->site_occupancy_err, "1") < 0 ||
        dset_write(c, g, gname, "hops_by_type", H5T_STD_U64LE, H5T_NATIVE_UINT64, 2, dnn, hbt, "1") < 0)
        return -1;
    return 0;
}


static int append_garnet_summary(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_garnet_point *pt,
                                 const double *coords)
{
    unsigned char row[8 * MAX_COLS];
    row_cursor rc = {h, row, 0};
    const lihop_garnet_result *m = &pt->main;
    memset(row, 0, sizeof row);
    put_i32(&rc, pt->index);
    put_f64(&rc, pt->T_K);
    put_f64(&rc, pt->li_per_fu);
    put_f64(&rc, pt->li_per_cell);
    put_i32(&rc, (int)m->nli);
    put_f64(&rc, m->sigma_NE_S_m);
    put_f64(&rc, m->sigma_NE_err);
    for (int a = 0; a < 3; a++) {
        put_f64(&rc, m->sigma_NE_axis_S_m[a]);
        put_f64(&rc, m->sigma_NE_axis_err[a]);
    }
    put_f64(&rc, m->sigma_drift_S_m);
    put_f64(&rc, m->sigma_drift_err);
    put_f64(&rc, m->D_tracer_m2_s);
    put_f64(&rc, m->D_tracer_err);
    put_f64(&rc, m->D_sigma_m2_s);
    put_f64(&rc, m->D_sigma_err);
    put_f64(&rc, m->haven);
    put_f64(&rc, m->haven_err);
    put_f64(&rc, m->f_tracer);
    put_f64(&rc, m->f_tracer_err);
    put_f64(&rc, m->f_coll);
    put_f64(&rc, m->f_coll_err);
    for (int s = 0; s < h->nsub; s++) {
        put_f64(&rc, s < m->nsub ? m->site_occupancy[s] : NAN);
        put_f64(&rc, s < m->nsub ? m->site_occupancy_err[s] : NAN);
    }
    for (int i = 0; i < 2; i++) {
        put_f64(&rc, pt->has_drift ? pt->drift[i].sigma_drift_S_m : NAN);
        put_f64(&rc, pt->has_drift ? pt->drift[i].sigma_drift_err : NAN);
    }
    put_f64(&rc, pt->has_drift ? pt->drift_linearity : NAN);
    put_f64(&rc, pt->has_drift ? pt->drift_linearity_err : NAN);
    const lihop_bicrystal_result *b = &pt->bc;
    put_f64(&rc, pt->has_bulk ? b->sigma_across_S_m : NAN);
    put_f64(&rc, pt->has_bulk ? b->sigma_across_err : NAN);
    put_f64(&rc, pt->has_bulk ? b->sigma_along_S_m : NAN);
    put_f64(&rc, pt->has_bulk ? b->sigma_along_err : NAN);
    put_f64(&rc, pt->has_bulk ? b->sigma_bulk_S_m : NAN);
    put_f64(&rc, pt->has_bulk ? b->sigma_bulk_err : NAN);
    put_f64(&rc, pt->has_bulk ? b->asr_ohm_m2 : NAN);
    put_f64(&rc, pt->has_bulk ? b->asr_err_ohm_m2 : NAN);
    uint64_t hops = m->hops;
    int64_t trapped = m->trapped_replicas;
    for (int i = 0; i < 2 && pt->has_drift; i++) {
        hops += pt->drift[i].hops;
        trapped += pt->drift[i].trapped_replicas;
    }
    if (pt->has_bulk) {
        hops += pt->bulk.hops;
        trapped += pt->bulk.trapped_replicas;
    }
    put_u64(&rc, hops);
    put_i32(&rc, (int)(trapped > INT32_MAX ? INT32_MAX : trapped));
    put_f64(&rc, pt->wall_s);
    put_coords(h, row, coords);
    return append_row(c, h, row, pt->index);
}

static lihop_status write_garnet_point_in(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                          const lihop_garnet_point *pt, lihop_err *err)
{
    if (h->model != LIHOP_MODEL_GARNET || cfg->model != LIHOP_MODEL_GARNET)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: a garnet point for a file opened for a voxel run", h->path);
    if (pt->index < 0)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point index %d < 0", h->path, pt->index);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    char name[32], gname[48], sub[80];
    snprintf(name, sizeof name, "%d", pt->index);
    snprintf(gname, sizeof gname, "/points/%d", pt->index);
    if (point_complete(h->points, name))
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point '%s' is already complete", h->path, gname);
    if (H5Lexists(h->points, name, H5P_DEFAULT) > 0 && H5Ldelete(h->points, name, H5P_DEFAULT) < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot delete unfinished point '%s'", gname);
        return c.st;
    }
    hid_t g = H5Gcreate2(h->points, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), s = H5I_INVALID_HID;
    if (g < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot create group '%s'", gname);
        return c.st;
    }
    const lihop_garnet_cfg *gc = &cfg->garnet;
    if (lihop_h5i_attr_f64(&c, g, gname, "li_per_fu", pt->li_per_fu) < 0 ||
        lihop_h5i_attr_f64(&c, g, gname, "li_per_cell", pt->li_per_cell) < 0 ||
        write_gresult(&c, g, gname, &pt->main, gc->field_V_m) < 0 ||
        /* wall_s: the whole point (every run); main_wall_s: the main run alone */
        lihop_h5i_attr_f64(&c, g, gname, "wall_s", pt->wall_s) < 0 ||
        lihop_h5i_attr_f64(&c, g, gname, "main_wall_s", pt->main.wall_s) < 0)
        goto done;
    if (pt->has_drift) {
        for (int i = 0; i < 2; i++) {
            double f[3] = {pt->drift_field_V_m[i], 0.0, 0.0};
            snprintf(sub, sizeof sub, "%s/drift_E%d", gname, i + 1);
            s = H5Gcreate2(g, sub + strlen(gname) + 1, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            if (s < 0) {
                lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot create group '%s'", sub);
                goto done;
            }
            if (write_gresult(&c, s, sub, &pt->drift[i], f) < 0)
                goto done;
            H5Gclose(s);
            s = H5I_INVALID_HID;
        }
        if (lihop_h5i_attr_f64(&c, g, gname, "drift_linearity", pt->drift_linearity) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "drift_linearity_err", pt->drift_linearity_err) < 0)
            goto done;
    }
    if (pt->has_bulk) {
        const lihop_bicrystal_result *b = &pt->bc;
        snprintf(sub, sizeof sub, "%s/bulk", gname);
        s = H5Gcreate2(g, "bulk", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (s < 0) {
            lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot create group '%s'", sub);
            goto done;
        }
        if (write_gresult(&c, s, sub, &pt->bulk, gc->field_V_m) < 0)
            goto done;
        H5Gclose(s);
        s = H5I_INVALID_HID;
        if (lihop_h5i_attr_f64(&c, g, gname, "sigma_across_S_m", b->sigma_across_S_m) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "sigma_across_err_S_m", b->sigma_across_err) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "sigma_along_S_m", b->sigma_along_S_m) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "sigma_along_err_S_m", b->sigma_along_err) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "sigma_bulk_S_m", b->sigma_bulk_S_m) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "sigma_bulk_err_S_m", b->sigma_bulk_err) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "ASR_ohm_m2", b->asr_ohm_m2) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "ASR_err_ohm_m2", b->asr_err_ohm_m2) < 0 ||
            lihop_h5i_attr_f64(&c, g, gname, "boundary_period_m", b->L_m) < 0)
            goto done;
    }
    if (write_coord_attrs(&c, h, cfg, g, gname, coords) < 0 || append_garnet_summary(&c, h, pt, coords) < 0)
        goto done;
    finish_point(&c, h, g, gname);
done:
    if (s >= 0)
        H5Gclose(s);
    H5Gclose(g);
    return c.st;
}

/* Run one point writer on a copy of the file and commit it; remember the point. */
typedef lihop_status (*point_writer)(lihop_h5 *h, const lihop_config *cfg, const double *coords, const void *r,
                                     lihop_err *err);

static lihop_status write_committed(lihop_h5 *h, const lihop_config *cfg, const double *coords, const void *r,
                                    int id, point_writer fn, lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (coords == NULL && h->ncoords > 0)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point %d written without its coordinates", h->path, id);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (txn_begin(&c, h) < 0)
        return c.st;
    c.st = fn(h, cfg, coords, r, err);
    if (txn_end(&c, h) < 0)
        return c.st;
    if (add_done(h, id, coords) < 0)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    return LIHOP_OK;
}

static lihop_status voxel_writer(lihop_h5 *h, const lihop_config *cfg, const double *coords, const void *r,
                                 lihop_err *err)
{
    return write_point_in(h, cfg, coords, r, err);
}

static lihop_status garnet_writer(lihop_h5 *h, const lihop_config *cfg, const double *coords, const void *r,
                                  lihop_err *err)
{
    return write_garnet_point_in(h, cfg, coords, r, err);
}

lihop_status lihop_h5_write_point(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                  const lihop_point_result *r, lihop_err *err)
{
    if (!h || !cfg || !r)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_write_point: NULL argument");
    return write_committed(h, cfg, coords, r, r->index, voxel_writer, err);
}

lihop_status lihop_h5_write_garnet_point(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                         const lihop_garnet_point *pt, lihop_err *err)
{
    if (!h || !cfg || !pt)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_write_garnet_point: NULL argument");
    return write_committed(h, cfg, coords, pt, pt->index, garnet_writer, err);
}

int lihop_h5_next_id(const lihop_h5 *h)
{
    return h ? h->next_id : 0;
}

int lihop_h5_find_point(const lihop_h5 *h, const double *coords)
{
    for (int i = 0; h && i < h->ndone; i++) {
        const double *d = h->done_coord + (size_t)i * h->ncoords;
        int same = 1;
        for (int c = 0; c < h->ncoords && same; c++)
            same = d[c] == coords[c];
        if (same)
            return h->done_id[i];
    }
    return -1;
}

/* ---- garnet: derived tables (/arrhenius, /bicrystal) --------------------------------- */

/* A small compound table written at once (not extendible): column specs as /summary's. */
typedef struct {
    int ncols;
    size_t row_size;
    col_spec cols[24];
} dtable;

static void dt_col(dtable *t, const char *name, col_kind kind, const char *unit)
{
    col_spec *c = &t->cols[t->ncols++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->kind = kind;
    c->unit = unit;
    c->off = t->row_size;
    t->row_size += kind == COL_I32 ? 4 : 8;
}

static void dt_put(const dtable *t, unsigned char *row, int col, double v)
{
    if (t->cols[col].kind == COL_I32) {
        int32_t x = (int32_t)v;
        memcpy(row + t->cols[col].off, &x, 4);
    } else {
        memcpy(row + t->cols[col].off, &v, 8);
    }
}

static int dt_write(lihop_h5i_ctx *c, hid_t file, const char *path, const dtable *t, int nrows,
                    const unsigned char *rows)
{
    hid_t ty = H5Tcreate(H5T_COMPOUND, t->row_size), sp = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int rc = -1;
    if (ty < 0)
        goto fail;
    for (int i = 0; i < t->ncols; i++)
        if (H5Tinsert(ty, t->cols[i].name, t->cols[i].off,
                      t->cols[i].kind == COL_I32 ? H5T_NATIVE_INT32 : H5T_NATIVE_DOUBLE) < 0)
            goto fail;
    if (H5Lexists(file, path, H5P_DEFAULT) > 0 && H5Ldelete(file, path, H5P_DEFAULT) < 0)
        goto fail;
    hsize_t n = (hsize_t)nrows;
    sp = H5Screate_simple(1, &n, NULL);
    d = sp < 0 ? H5I_INVALID_HID : H5Dcreate2(file, path, ty, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || (nrows > 0 && H5Dwrite(d, ty, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0))
        goto fail;
    const char *units[24];
    for (int i = 0; i < t->ncols; i++)
        units[i] = t->cols[i].unit;
    if (lihop_h5i_attr_strs(c, d, path, "units", t->ncols, units) < 0)
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
static int dt_replace(lihop_h5i_ctx *c, hid_t file, const char *path, const dtable *t, int nrows,
                      const unsigned char *rows)
{
    if (H5Lexists(file, path, H5P_DEFAULT) > 0 && H5Ldelete(file, path, H5P_DEFAULT) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot replace '%s'", path);
        return -1;
    }
    return nrows > 0 ? dt_write(c, file, path, t, nrows, rows) : 0;
}

static double row_f64(const lihop_h5 *h, const unsigned char *row, int col)
{
    double v = NAN;
    if (col >= 0 && h->cols[col].kind == COL_F64)
        memcpy(&v, row + h->cols[col].off, 8);
    return v;
}

static int row_point(const lihop_h5 *h, const unsigned char *row)
{
    int32_t k;
    memcpy(&k, row + h->cols[0].off, 4);
    return (int)k;
}


/* ---- seed replicates (/combined) ------------------------------------------------- */

/* Column of X for an error column X_err... ("sigma_err_S_m" -> "sigma_S_m"), or -1. */
static int err_base(const lihop_h5 *h, int col)
{
    const char *n = h->cols[col].name, *e = strstr(n, "_err");
    if (!e || h->cols[col].kind != COL_F64)
        return -1;
    char base[sizeof h->cols[0].name];
    snprintf(base, sizeof base, "%.*s%s", (int)(e - n), n, e + 4);
    int b = col_index(h, base);
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
        double x = row_f64(h, rows + (size_t)idx[i] * h->row_size, b);
        double s = e >= 0 ? row_f64(h, rows + (size_t)idx[i] * h->row_size, e) : NAN;
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
        double x = row_f64(h, rows + (size_t)idx[i] * h->row_size, b);
        double s = row_f64(h, rows + (size_t)idx[i] * h->row_size, e);
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
    get_coords(h, a, ca);
    get_coords(h, b, cb);
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

/* Every /summary row (malloc'd; *n rows). */
static unsigned char *read_summary(lihop_h5i_ctx *c, lihop_h5 *h, int *n)
{
    hsize_t dims = 0;
    hid_t sp = H5Dget_space(h->summary);
    if (sp < 0 || H5Sget_simple_extent_dims(sp, &dims, NULL) != 1) {
        if (sp >= 0)
            H5Sclose(sp);
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot read the size of '/summary'");
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
    if (dset_write(c, h->file, "/", "combined", h->row_type, h->row_type, 1, &dims, crows, NULL) < 0 ||
        dset_write(c, h->file, "/", "combined_n_seeds", H5T_STD_I32LE, H5T_NATIVE_INT, 1, &dims, nseeds, "1") < 0)
        return -1;
    hid_t d = H5Dopen2(h->file, "/combined", H5P_DEFAULT);
    const char *units[MAX_COLS];
    for (int i = 0; i < h->ncols; i++)
        units[i] = h->cols[i].unit;
    int rc = d >= 0 ? lihop_h5i_attr_strs(c, d, "/combined", "units", h->ncols, units) : -1;
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

static lihop_status finish_in(lihop_h5 *h, unsigned char **crows_out, int *ncomb, lihop_err *err)
{
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    int n = 0, nc = 0, *nseeds = NULL;
    unsigned char *rows = read_summary(&c, h, &n), *crows = NULL;
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
    if (txn_begin(&c, h) < 0)
        return c.st;
    c.st = finish_in(h, NULL, NULL, err);
    txn_end(&c, h);
    return c.st;
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
    unsigned char *rows = NULL, *out = NULL;
    int *byk = NULL;
    hid_t sp = H5I_INVALID_HID;
    /* the fits use the seed-combined rows; byk[ix * nt + it]: the row of Li
     * content ix and temperature it, -1 while that point is missing */
    if ((c.st = finish_in(h, &rows, &n, err)) != LIHOP_OK)
        goto done;
    byk = malloc(sizeof *byk * (size_t)(npts > 0 ? npts : 1));
    out = malloc(((size_t)(npts > nx ? npts : nx) + (size_t)n + 1) * 8 * 24);
    if (!byk || !out) {
        lihop_h5i_fail(&c, LIHOP_ERR_NOMEM, "out of memory reading '/summary'");
        goto done;
    }
    const int cLi = col_index(h, cfg->garnet.li_is_per_cell ? "li_per_cell" : "li_per_fu");
    for (int k = 0; k < npts; k++) {
        byk[k] = -1;
        const double li = cfg->garnet.li_is_per_cell ? cfg->garnet.li_per_cell[k / nt] : cfg->garnet.li_per_fu[k / nt];
        for (int i = 0; i < n && byk[k] < 0; i++)
            if (row_f64(h, rows + (size_t)i * h->row_size, col_index(h, "T_K")) == cfg->temperature_K[k % nt] &&
                row_f64(h, rows + (size_t)i * h->row_size, cLi) == li)
                byk[k] = i;
    }
    const int cT = col_index(h, "T_K"), cS = col_index(h, "sigma_S_m"), cE = col_index(h, "sigma_err_S_m");

    /* /arrhenius: one row per Li content with >= 3 finished temperatures */
    {
        dtable t = {0};
        dt_col(&t, "li_per_fu", COL_F64, "1");
        dt_col(&t, "n_T", COL_I32, "1");
        dt_col(&t, "T_min_K", COL_F64, "K");
        dt_col(&t, "T_max_K", COL_F64, "K");
        dt_col(&t, "Ea_sigmaT_eV", COL_F64, "eV");
        dt_col(&t, "Ea_sigmaT_err_eV", COL_F64, "eV");
        dt_col(&t, "A_sigmaT_S_K_m", COL_F64, "S K/m");
        dt_col(&t, "A_sigmaT_err_S_K_m", COL_F64, "S K/m");
        dt_col(&t, "chi2_red_sigmaT", COL_F64, "1");
        dt_col(&t, "Ea_sigma_eV", COL_F64, "eV");
        dt_col(&t, "Ea_sigma_err_eV", COL_F64, "eV");
        dt_col(&t, "A_sigma_S_m", COL_F64, "S/m");
        dt_col(&t, "A_sigma_err_S_m", COL_F64, "S/m");
        dt_col(&t, "chi2_red_sigma", COL_F64, "1");
        dt_col(&t, "weighted", COL_I32, "1");
        int nrows = 0;
        double T[LIHOP_MAX_TEMPS], sg[LIHOP_MAX_TEMPS], se[LIHOP_MAX_TEMPS];
        for (int ix = 0; ix < nx; ix++) {
            int m = 0;
            for (int it = 0; it < nt; it++) {
                int r = byk[ix * nt + it];
                if (r < 0)
                    continue;
                const unsigned char *row = rows + (size_t)r * h->row_size;
                T[m] = row_f64(h, row, cT);
                sg[m] = row_f64(h, row, cS);
                se[m] = row_f64(h, row, cE);
                m++;
            }
            if (m < 3)
                continue;
            lihop_arrhenius_fit f1, f0;
            lihop_err e2 = {{0}};
            if (lihop_arrhenius(m, T, sg, se, 1, &f1, &e2) != LIHOP_OK ||
                lihop_arrhenius(m, T, sg, se, 0, &f0, &e2) != LIHOP_OK)
                continue;           /* e.g. a zero conductivity: no fit for this content */
            double tmin = T[0], tmax = T[0];
            for (int i = 1; i < m; i++) {
                tmin = T[i] < tmin ? T[i] : tmin;
                tmax = T[i] > tmax ? T[i] : tmax;
            }
            unsigned char *row = out + (size_t)nrows * t.row_size;
            double v[] = {cfg->garnet.li_per_fu[ix], m, tmin, tmax, f1.Ea_eV, f1.Ea_err_eV, f1.A, f1.A_err,
                          f1.chi2_red, f0.Ea_eV, f0.Ea_err_eV, f0.A, f0.A_err, f0.chi2_red, f1.weighted};
            for (int q = 0; q < t.ncols; q++)
                dt_put(&t, row, q, v[q]);
            if (fits && fits->n < LIHOP_MAX_LI_VALUES) {
                lihop_garnet_arrhenius_row *fr = &fits->row[fits->n++];
                fr->li_per_fu = cfg->garnet.li_per_fu[ix];
                fr->ntemps = m;
                fr->T_min_K = tmin;
                fr->T_max_K = tmax;
                fr->sigmaT = f1;
                fr->sigma = f0;
            }
            nrows++;
        }
        if (dt_replace(&c, h->file, "/arrhenius", &t, nrows, out) < 0)
            goto done;
    }

    /* /li_content: where sigma peaks over Li content, one row per temperature
     * with >= 3 finished Li contents */
    {
        dtable t = {0};
        dt_col(&t, "T_K", COL_F64, "K");
        dt_col(&t, "n_li", COL_I32, "1");
        dt_col(&t, "li_max", COL_F64, "1");
        dt_col(&t, "sigma_max_S_m", COL_F64, "S/m");
        dt_col(&t, "sigma_max_err_S_m", COL_F64, "S/m");
        dt_col(&t, "li_vertex", COL_F64, "1");
        dt_col(&t, "ratio_low", COL_F64, "1");
        dt_col(&t, "ratio_high", COL_F64, "1");
        int nrows = 0;
        double li[LIHOP_MAX_LI_VALUES], sg[LIHOP_MAX_LI_VALUES], se[LIHOP_MAX_LI_VALUES];
        for (int it = 0; it < nt; it++) {
            int m = 0;
            for (int ix = 0; ix < nx; ix++) {
                int r = byk[ix * nt + it];
                if (r < 0)
                    continue;
                const unsigned char *row = rows + (size_t)r * h->row_size;
                li[m] = cfg->garnet.li_per_fu[ix];
                sg[m] = row_f64(h, row, cS);
                se[m] = row_f64(h, row, cE);
                m++;
            }
            lihop_li_peak pk;
            lihop_err e2 = {{0}};
            if (m < 3 || lihop_li_peak_find(m, li, sg, se, &pk, &e2) != LIHOP_OK)
                continue;
            unsigned char *row = out + (size_t)nrows * t.row_size;
            double v[] = {cfg->temperature_K[it], m, pk.li_max, pk.sigma_max, pk.sigma_max_err, pk.li_vertex,
                          pk.ratio_low, pk.ratio_high};
            for (int q = 0; q < t.ncols; q++)
                dt_put(&t, row, q, v[q]);
            if (fits && fits->npeaks < LIHOP_MAX_TEMPS) {
                fits->peak_T_K[fits->npeaks] = cfg->temperature_K[it];
                fits->peak[fits->npeaks++] = pk;
            }
            nrows++;
        }
        if (dt_replace(&c, h->file, "/li_content", &t, nrows, out) < 0)
            goto done;
    }

    /* /bicrystal: the boundary columns of /summary in point order, ASR also in ohm cm^2 */
    if (cfg->garnet.has_bicrystal) {
        dtable t = {0};
        dt_col(&t, "point", COL_I32, "1");
        dt_col(&t, "T_K", COL_F64, "K");
        dt_col(&t, "li_per_fu", COL_F64, "1");
        dt_col(&t, "sigma_across_S_m", COL_F64, "S/m");
        dt_col(&t, "sigma_across_err_S_m", COL_F64, "S/m");
        dt_col(&t, "sigma_along_S_m", COL_F64, "S/m");
        dt_col(&t, "sigma_along_err_S_m", COL_F64, "S/m");
        dt_col(&t, "sigma_bulk_S_m", COL_F64, "S/m");
        dt_col(&t, "sigma_bulk_err_S_m", COL_F64, "S/m");
        dt_col(&t, "ASR_ohm_m2", COL_F64, "ohm m^2");
        dt_col(&t, "ASR_err_ohm_m2", COL_F64, "ohm m^2");
        dt_col(&t, "ASR_ohm_cm2", COL_F64, "ohm cm^2");
        dt_col(&t, "ASR_err_ohm_cm2", COL_F64, "ohm cm^2");
        static const char *const src[] = {"T_K", "li_per_fu", "sigma_across_S_m", "sigma_across_err_S_m",
                                          "sigma_along_S_m", "sigma_along_err_S_m", "sigma_bulk_S_m",
                                          "sigma_bulk_err_S_m", "ASR_ohm_m2", "ASR_err_ohm_m2"};
        int nrows = 0;
        for (int k = 0; k < npts; k++) {
            if (byk[k] < 0)
                continue;
            const unsigned char *row = rows + (size_t)byk[k] * h->row_size;
            unsigned char *o = out + (size_t)nrows * t.row_size;
            dt_put(&t, o, 0, row_point(h, row));
            for (int q = 0; q < 10; q++)
                dt_put(&t, o, q + 1, row_f64(h, row, col_index(h, src[q])));
            dt_put(&t, o, 11, 1e4 * row_f64(h, row, col_index(h, "ASR_ohm_m2")));
            dt_put(&t, o, 12, 1e4 * row_f64(h, row, col_index(h, "ASR_err_ohm_m2")));
            nrows++;
        }
        if (dt_replace(&c, h->file, "/bicrystal", &t, nrows, out) < 0)
            goto done;
        hid_t d = H5Dopen2(h->file, "/bicrystal", H5P_DEFAULT);
        if (d >= 0) {
            char axis[2] = {"xyz"[cfg->garnet.bicrystal.axis], '\0'};
            lihop_h5i_attr_str(&c, d, "/bicrystal", "axis", axis);
            H5Dclose(d);
        }
    }
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot flush");
done:
    if (sp >= 0)
        H5Sclose(sp);
    free(rows);
    free(byk);
    free(out);
    return c.st;
}

lihop_status lihop_h5_garnet_finish(lihop_h5 *h, const lihop_config *cfg, lihop_garnet_fits *fits,
                                    lihop_err *err)
{
    if (!h || !cfg)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_garnet_finish: NULL argument");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (txn_begin(&c, h) < 0)
        return c.st;
    c.st = garnet_finish_in(h, cfg, fits, err);
    txn_end(&c, h);
    return c.st;
}

lihop_status lihop_h5_abandon(lihop_h5 *h, lihop_err *err)
{
    if (!h)
        return LIHOP_OK;
    return lihop_h5_close(h, h->prev_status[0] ? h->prev_status : "failed", err);
}

lihop_status lihop_h5_close(lihop_h5 *h, const char *status, lihop_err *err)
{
    if (!h)
        return LIHOP_OK;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    char now[32];
    iso_now(now);
    if (txn_begin(&c, h) == 0) {
        if (lihop_h5i_attr_str(&c, h->meta, "/metadata", "end_time", now) == 0)
            lihop_h5i_attr_str(&c, h->meta, "/metadata", "status", status ? status : "complete");
        txn_end(&c, h);
    }
    handle_free(h);
    return c.st;
}
