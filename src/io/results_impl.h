/* results_impl.h - the results file's handle and its internals, shared by
 * h5out.c (open, close, commits) and results_*.c; not API.  Include <hdf5.h>
 * first.  The layout itself is documented in h5out.h. */
#ifndef LIHOP_RESULTS_IMPL_H
#define LIHOP_RESULTS_IMPL_H

#include "durable.h"
#include "h5out.h"
#include "h5util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* voxel: 15 + 5 per species + 2 per phase; garnet: at most 42 + 2 per sublattice (lihop_h5r_build_garnet_cols); + coordinates */
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
    int g_field, g_drift, g_bicrystal;  /* garnet: /summary has the field, drift-run, bicrystal columns */
    char prev_status[32];           /* resume: the status the file had before, for lihop_h5_abandon */
    int ncoords;                    /* the deck's sweep coordinates (config.h) */
    int coord_col[LIHOP_MAX_COORDS];    /* their /summary columns */
    int seed_coord;                 /* index of the seed coordinate, -1 without */
    int ndone, done_cap, next_id;   /* finished points: ids and coordinates */
    int *done_id;
    double *done_coord;             /* [ndone][ncoords] */
    unsigned char *done_rows;       /* resume: the /summary rows of the finished points, [ndone][row_size] */
};

/* ---- columns and rows (results_cols.c) ---- */

/* Append a column to cols[*ncols] at offset *row_size (also for the derived tables). */
void lihop_h5r_col_push(col_spec *cols, int *ncols, size_t *row_size, const char *name, col_kind kind,
                        const char *unit);
/* A column of a fixed list. */
typedef struct {
    const char *name;
    col_kind kind;
    const char *unit;
} col_def;
#define LIHOP_NDEFS(a) ((int)(sizeof a / sizeof a[0]))
void lihop_h5r_col_defs(col_spec *cols, int *ncols, size_t *row_size, const col_def *defs, int n);
void lihop_h5r_build_cols(lihop_h5 *h, const lihop_config *cfg);
void lihop_h5r_build_garnet_cols(lihop_h5 *h, const lihop_config *cfg);
void lihop_h5r_add_coord_cols(lihop_h5 *h, const lihop_config *cfg);
int lihop_h5r_col_index(const lihop_h5 *h, const char *name);
/* The compound type of cols (native members); caller closes. */
hid_t lihop_h5r_compound(const col_spec *cols, int ncols, size_t row_size);
/* Attribute `units` of d: each column's unit in column order. */
int lihop_h5r_write_units(lihop_h5i_ctx *c, hid_t d, const char *path, const col_spec *cols, int ncols);
void lihop_h5r_put_coords(const lihop_h5 *h, unsigned char *row, const double *coords);
void lihop_h5r_get_coords(const lihop_h5 *h, const unsigned char *row, double *coords);
double lihop_h5r_row_f64(const lihop_h5 *h, const unsigned char *row, int col);
int lihop_h5r_row_point(const lihop_h5 *h, const unsigned char *row);
int lihop_h5r_add_done(lihop_h5 *h, int id, const double *coords);
/* Every /summary row (malloc'd; *n rows); a table that is not 1-D fails with
 * status dims_st and message dims_msg. */
unsigned char *lihop_h5r_read_summary(lihop_h5i_ctx *c, lihop_h5 *h, int *n, lihop_status dims_st,
                                      const char *dims_msg);

/* Writes the columns of a /summary row in order. */
typedef struct {
    const lihop_h5 *h;
    unsigned char *row;
    int i;
} row_cursor;

static inline void put_f64(row_cursor *c, double v)
{
    memcpy(c->row + c->h->cols[c->i++].off, &v, 8);
}
static inline void put_i32(row_cursor *c, int v)
{
    int32_t x = (int32_t)v;
    memcpy(c->row + c->h->cols[c->i++].off, &x, 4);
}
static inline void put_u64(row_cursor *c, uint64_t v)
{
    memcpy(c->row + c->h->cols[c->i++].off, &v, 8);
}

/* ---- layout (results_layout.c) ---- */

void lihop_h5r_iso_now(char buf[32]);
int lihop_h5r_point_complete(hid_t points, const char *name);
int lihop_h5r_create_summary(lihop_h5i_ctx *c, lihop_h5 *h);
int lihop_h5r_write_session_attrs(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_h5_meta *meta);
int lihop_h5r_write_sweep(lihop_h5i_ctx *c, hid_t file, const lihop_config *cfg);
/* /metadata/history (h5out.h): a row for a new session (status "running"),
 * its end_time and status on close, and for a file written before the history
 * a first row from its /metadata attributes (no-op when the history exists). */
#define LIHOP_H5R_NHIST 8
int lihop_h5r_history_begin(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_h5_meta *meta, const char *start);
int lihop_h5r_history_end(lihop_h5i_ctx *c, lihop_h5 *h, const char *end, const char *status);
int lihop_h5r_history_legacy(lihop_h5i_ctx *c, lihop_h5 *h);
int lihop_h5r_create_layout(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_h5_meta *meta);
int lihop_h5r_compare_micro(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m);
int lihop_h5r_write_micro_group(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m,
                                const char *const *phase_names);

/* ---- resume (results_resume.c) ---- */

int lihop_h5r_resume_check(lihop_h5i_ctx *c, hid_t file, const lihop_h5 *h, const lihop_config *cfg,
                           const lihop_micro *micro);
int lihop_h5r_resume_layout(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_h5_meta *meta,
                            const lihop_micro *micro, const char *const *phase_names);

/* ---- commits (h5out.c) ---- */

int lihop_h5r_txn_begin(lihop_h5i_ctx *c, lihop_h5 *h);
int lihop_h5r_txn_end(lihop_h5i_ctx *c, lihop_h5 *h);

/* ---- points (results_point.c) ---- */

/* The name of point id's group in /points: the id zero-padded to
 * LIHOP_POINT_DIGITS digits ("0000007"), so that h5ls, h5dump and h5py, which
 * list a group's members by name, list the points in id order (as long as ids
 * stay below 10^7, the most points a sweep may have, LIHOP_MAX_POINTS). */
#define LIHOP_POINT_DIGITS 7
static inline void lihop_h5r_point_name(int id, char name[32])
{
    snprintf(name, 32, "%0*d", LIHOP_POINT_DIGITS, id);
}

/* A new group /points/<index> (gname: its path); a complete point is
 * LIHOP_ERR_INTERNAL, an unfinished one is replaced.  Returns the group or a
 * negative id with the status in c->st. */
hid_t lihop_h5r_point_group(lihop_h5i_ctx *c, lihop_h5 *h, int index, char gname[48]);
int lihop_h5r_append_row(lihop_h5i_ctx *c, lihop_h5 *h, const unsigned char *row, int index);
int lihop_h5r_write_coord_attrs(lihop_h5i_ctx *c, const lihop_h5 *h, const lihop_config *cfg, hid_t g,
                                const char *gname, const double *coords);
void lihop_h5r_finish_point(lihop_h5i_ctx *c, lihop_h5 *h, hid_t g, const char *gname);
typedef lihop_status (*lihop_h5r_point_writer)(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                               const void *r, lihop_err *err);
/* Run one point writer on a copy of the file and commit it; remember the point. */
lihop_status lihop_h5r_write_committed(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                       const void *r, int id, lihop_h5r_point_writer fn, lihop_err *err);

/* ---- derived tables (results_fits.c): small compound tables written at once ---- */

typedef struct {
    int ncols;
    size_t row_size;
    col_spec cols[64];
} dtable;

void lihop_h5r_dt_init(dtable *t, const col_def *spec, int n);
/* Column col of row: v (an int32 column takes (int32_t)v). */
void lihop_h5r_dt_put(const dtable *t, unsigned char *row, int col, double v);
void lihop_h5r_dt_put_row(const dtable *t, unsigned char *row, const double *v);
/* Replace the table at path: the old one goes, a new one is written when nrows > 0. */
int lihop_h5r_dt_replace(lihop_h5i_ctx *c, hid_t file, const char *path, const dtable *t, int nrows,
                         const unsigned char *rows);

/* ---- /fits (results_voxel_fits.c), both models ---- */

/* /fits from the seed-combined /summary rows (n of them): per sweep line with
 * >= 3 temperatures the Arrhenius (sigma T, sigma) and, with >= 4, VTF fits of
 * the total sigma and (voxel) each species' sigma; fits (may be NULL) gets the
 * first rows for printing. */
int lihop_h5r_write_line_fits(lihop_h5i_ctx *c, const lihop_h5 *h, const lihop_config *cfg,
                              const unsigned char *rows, int n, lihop_line_fits *fits);

/* ---- /combined (results_combine.c) ---- */

/* /combined from /summary; the combined rows (malloc'd) to crows_out when not NULL. */
lihop_status lihop_h5r_finish_in(lihop_h5 *h, unsigned char **crows_out, int *ncomb, lihop_err *err);

#endif
