/* results_resume.c - `lihop run --resume`: every check on a read-only handle
 * first, then unfinished points pruned and the session restarted (h5out.h). */
#include <hdf5.h>

#include "results_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Name of entry i of /points (point ids, zero-padded since LIHOP_POINT_DIGITS; longer names are refused). */
static int point_name(lihop_h5i_ctx *c, hid_t points, hsize_t i, char name[64])
{
    ssize_t len = H5Lget_name_by_idx(points, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, 64, H5P_DEFAULT);
    if (len < 0 || (size_t)len >= 64)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "unexpected entry %llu in '/points'", (unsigned long long)i);
    return 0;
}

static int check_text(lihop_h5i_ctx *c, hid_t meta, const lihop_config *cfg)
{
    if (H5Aexists(meta, "config_text") <= 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                              "cannot read '/metadata' attribute 'config_text'; not a lihop results file");
    /* Same deck apart from the sweep values: extending an axis resumes. */
    char *fixed = lihop_h5i_read_attr_str(meta, "config_fixed_text");
    if (!fixed)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot resume: the file was written by a lihop without sweep "
                              "coordinates (no '/metadata' config_fixed_text); use --overwrite or another output file");
    int same = strcmp(fixed, cfg->fixed_text ? cfg->fixed_text : "") == 0;
    free(fixed);
    if (!same)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                              "cannot resume: the file was written with a different config (its /metadata "
                              "config_fixed_text, the deck with every sweep value masked, differs from '%s'; only "
                              "sweep values may change between sessions); use --overwrite or another output file",
                              cfg->path);
    return 0;
}

/* Garnet: the material and lattice files must be the ones the file was written with. */
static int check_garnet_files(lihop_h5i_ctx *c, hid_t meta, const lihop_config *cfg)
{
    static const char *const what[2] = {"material_text", "lattice_text"};
    const char *now[2] = {cfg->garnet.material_text, cfg->garnet.lattice_text};
    const char *path[2] = {cfg->garnet.material_path, cfg->garnet.lattice_path};
    for (int i = 0; i < 2; i++) {
        char *old = lihop_h5i_read_attr_str(meta, what[i]);
        int eq = old && strcmp(old, now[i] ? now[i] : "") == 0;
        free(old);
        if (!eq)
            return lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                                  "cannot resume: %s changed since the file was written "
                                  "(its /metadata %s differs); use --overwrite or another output file",
                                  path[i][0] ? path[i] : "the material file", what[i]);
    }
    return 0;
}

/* The string dataset /metadata/<path> [n] as n strings (malloc'd, "" where
 * absent); NULL when the dataset is missing (files from before it existed). */
static char **read_meta_strings(hid_t meta, const char *path, int n)
{
    char parent[64];
    snprintf(parent, sizeof parent, "%.*s", (int)strcspn(path, "/"), path);   /* H5Lexists needs it to exist */
    if (H5Lexists(meta, parent, H5P_DEFAULT) <= 0 || H5Lexists(meta, path, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t d = H5Dopen2(meta, path, H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hid_t st = lihop_h5i_str_type();
    char **v = calloc((size_t)n + 1, sizeof *v), **out = NULL;
    if (v && sp >= 0 && H5Sget_simple_extent_npoints(sp) == n && H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
        out = calloc((size_t)n + 1, sizeof *out);
        for (int i = 0; out && i < n; i++)
            out[i] = strdup(v[i] ? v[i] : "");
        H5Dvlen_reclaim(st, sp, H5P_DEFAULT, v);
    }
    free(v);
    H5Tclose(st);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    return out;
}

/* Voxel: every phase's material file must be the one the file was written
 * with (a changed file changes the numbers the deck text does not show). */
static int check_phase_materials(lihop_h5i_ctx *c, hid_t meta, const lihop_config *cfg)
{
    int n = cfg->nphases, rc = 0;
    char **old = read_meta_strings(meta, "phases/material_text", n);
    for (int p = 0; p < n && rc == 0; p++) {
        const char *now = cfg->phases[p].material_text ? cfg->phases[p].material_text : "";
        if (strcmp(old ? old[p] : "", now) != 0)
            rc = lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                                "cannot resume: the material file of phase '%s' (%s) changed since the file was "
                                "written (its /metadata/phases material_text differs); use --overwrite or another "
                                "output file", cfg->phases[p].name,
                                cfg->phases[p].material_path[0] ? cfg->phases[p].material_path : "none now");
    }
    for (int p = 0; old && p < n; p++)
        free(old[p]);
    free(old);
    return rc;
}

/* The first of n stored strings (path in /metadata) that differs from now(i); -1 if none. */
static int first_changed(hid_t meta, const char *path, int n, const char *(*now)(const lihop_config *, int),
                         const lihop_config *cfg)
{
    if (n == 0)
        return -1;
    char **old = read_meta_strings(meta, path, n);
    int bad = -1;
    for (int i = 0; i < n && bad < 0; i++)
        if (strcmp(old ? old[i] : "", now(cfg, i)) != 0)
            bad = i;
    for (int i = 0; old && i < n; i++)
        free(old[i]);
    free(old);
    return bad;
}

static const char *phase_origin(const lihop_config *cfg, int i) { return cfg->phases[i].garnet_origin; }
static const char *iface_origin(const lihop_config *cfg, int i) { return cfg->interfaces[i].garnet_origin; }

/* Voxel: a from_garnet phase or interface must get the numbers it got when the
 * file was written (a garnet results file rerun or replaced changes them). */
static int check_handoff(lihop_h5i_ctx *c, hid_t meta, const lihop_config *cfg)
{
    int p = first_changed(meta, "phases/from_garnet", cfg->nphases, phase_origin, cfg);
    if (p >= 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot resume: phase '%s' takes its transport from_garnet and "
                              "the garnet results behind it changed since the file was written (its "
                              "/metadata/phases/from_garnet differs); use --overwrite or another output file",
                              cfg->phases[p].name);
    int k = first_changed(meta, "interfaces/from_garnet", cfg->ninterfaces, iface_origin, cfg);
    if (k >= 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot resume: interface %s|%s takes its ASR from_garnet and the "
                              "garnet results behind it changed since the file was written (its "
                              "/metadata/interfaces/from_garnet differs); use --overwrite or another output file",
                              cfg->phases[cfg->interfaces[k].phase_a].name,
                              cfg->phases[cfg->interfaces[k].phase_b].name);
    return 0;
}

static int check_meta(lihop_h5i_ctx *c, hid_t file, const lihop_config *cfg)
{
    hid_t meta = H5Gopen2(file, "/metadata", H5P_DEFAULT);
    if (meta < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "no '/metadata' group; not a lihop results file");
    int rc = check_text(c, meta, cfg);
    if (rc == 0 && cfg->model == LIHOP_MODEL_GARNET)
        rc = check_garnet_files(c, meta, cfg);
    if (rc == 0 && cfg->model == LIHOP_MODEL_VOXEL)
        rc = check_phase_materials(c, meta, cfg);
    if (rc == 0 && cfg->model == LIHOP_MODEL_VOXEL)
        rc = check_handoff(c, meta, cfg);
    H5Gclose(meta);
    return rc;
}

/* 1 if the link exists, 0 if not, -1 (failure recorded) when it cannot be queried. */
static int has_link(lihop_h5i_ctx *c, hid_t file, const char *path)
{
    htri_t ex = H5Lexists(file, path, H5P_DEFAULT);
    if (ex < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query '%s'", path);
    return ex > 0;
}

static int check_points(lihop_h5i_ctx *c, hid_t file)
{
    int ex = has_link(c, file, "/points");
    if (ex <= 0)
        return ex;
    hid_t points = H5Gopen2(file, "/points", H5P_DEFAULT);
    H5G_info_t gi;
    gi.nlinks = 0;
    int rc = 0;
    if (points < 0 || H5Gget_info(points, &gi) < 0)
        rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot list '/points'");
    char name[64];
    for (hsize_t i = 0; rc == 0 && i < gi.nlinks; i++)
        rc = point_name(c, points, i, name);
    if (points >= 0)
        H5Gclose(points);
    return rc;
}

static int check_summary(lihop_h5i_ctx *c, hid_t file, const lihop_h5 *h)
{
    int ex = has_link(c, file, "/summary");
    if (ex <= 0)
        return ex;
    hid_t summary = H5Dopen2(file, "/summary", H5P_DEFAULT);
    if (summary < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot open '/summary'");
    hid_t ft = H5Dget_type(summary), sp = H5I_INVALID_HID;
    htri_t eq = ft >= 0 ? H5Tequal(ft, h->row_type) : -1;
    int rc = 0;
    if (eq <= 0) {
        rc = lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/summary' has columns other than this version writes");
    } else {
        sp = H5Dget_space(summary);
        if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 1)
            rc = lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/summary' is not a 1-D table");
    }
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    H5Dclose(summary);
    return rc;
}

/* Every comparison a resume makes, on a file opened read-only: nothing is
 * written here, so a refused resume leaves the file exactly as it was.  Checks
 * that the file is a lihop results file, that config_text (and for garnet
 * material_text, lattice_text) and seed equal the run's, that /points and
 * /summary have the layout this version writes and, with micro, that a stored
 * /microstructure equals the run's. */
int lihop_h5r_resume_check(lihop_h5i_ctx *c, hid_t file, const lihop_h5 *h, const lihop_config *cfg,
                           const lihop_micro *micro)
{
    if (check_meta(c, file, cfg) < 0 || check_points(c, file) < 0 || check_summary(c, file, h) < 0)
        return -1;
    if (micro) {
        int ex = has_link(c, file, "/microstructure");
        if (ex < 0 || (ex > 0 && lihop_h5r_compare_micro(c, file, micro) < 0))
            return -1;
    }
    return 0;
}

/* Keep /summary row i: its point is complete and no later row repeats it. */
static int keep_row(const lihop_h5 *h, const unsigned char *rows, int n, int i)
{
    int32_t k;
    memcpy(&k, rows + (size_t)i * h->row_size, 4);
    char name[32];
    lihop_h5r_point_name((int)k, name);
    int keep = k >= 0 && lihop_h5r_point_complete(h->points, name);
    for (int j = i + 1; keep && j < n; j++) {
        int32_t k2;
        memcpy(&k2, rows + (size_t)j * h->row_size, 4);
        if (k2 == k)
            keep = 0;
    }
    return keep;
}

/* Drop /summary rows whose point is not complete (and duplicates: keep the last). */
static int prune_summary(lihop_h5i_ctx *c, lihop_h5 *h)
{
    int n = 0;
    unsigned char *rows = lihop_h5r_read_summary(c, h, &n, LIHOP_ERR_INPUT, "'/summary' is not a 1-D table");
    if (!rows)
        return -1;
    hsize_t kept = 0;
    for (int i = 0; i < n; i++) {
        if (!keep_row(h, rows, n, i))
            continue;
        if (kept != (hsize_t)i)
            memmove(rows + kept * h->row_size, rows + (size_t)i * h->row_size, h->row_size);
        kept++;
    }
    int rc = 0;
    if (kept != (hsize_t)n &&
        (H5Dset_extent(h->summary, &kept) < 0 ||
         (kept > 0 && H5Dwrite(h->summary, h->row_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)))
        rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot rewrite '/summary'");
    free(rows);
    return rc;
}

/* After prune_summary: remember every finished point (id and coordinates
 * from its /summary row) and delete point groups that have no row (a point
 * counts only with both its complete flag and its row). */
static int load_done(lihop_h5i_ctx *c, lihop_h5 *h)
{
    int n = 0;
    unsigned char *rows = lihop_h5r_read_summary(c, h, &n, LIHOP_ERR_INPUT, "'/summary' is not a 1-D table");
    if (!rows)
        return -1;
    int rc = 0;
    double coords[LIHOP_MAX_COORDS];
    for (int i = 0; i < n && rc == 0; i++) {
        int32_t id;
        memcpy(&id, rows + (size_t)i * h->row_size, 4);
        lihop_h5r_get_coords(h, rows + (size_t)i * h->row_size, coords);
        if (lihop_h5r_add_done(h, id, coords) < 0)
            rc = lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory");
    }
    /* kept (row i is done point i) so that finished points print their values */
    free(h->done_rows);
    h->done_rows = rows;
    H5G_info_t gi;
    gi.nlinks = 0;
    if (rc == 0 && H5Gget_info(h->points, &gi) < 0)
        rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot list '/points'");
    for (hsize_t i = gi.nlinks; rc == 0 && i-- > 0;) {
        char name[64];
        if (point_name(c, h->points, i, name) < 0)
            rc = -1;
        else if (!lihop_h5_point_done(h, (int)strtol(name, NULL, 10)) && H5Ldelete(h->points, name, H5P_DEFAULT) < 0)
            rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot delete point '/points/%s' (no /summary row)", name);
    }
    return rc;
}

/* A file written before point names were zero-padded: rename its groups
 * ("7" -> "0000007") so that the file has one naming scheme.  The names are
 * read first: a rename reorders the name index. */
static int pad_point_names(lihop_h5i_ctx *c, hid_t points, hsize_t n)
{
    char (*names)[64] = malloc(sizeof *names * (size_t)(n > 0 ? n : 1));
    if (!names)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory listing '/points'");
    int rc = 0;
    for (hsize_t i = 0; rc == 0 && i < n; i++)
        rc = point_name(c, points, i, names[i]);
    for (hsize_t i = 0; rc == 0 && i < n; i++) {
        char padded[32], *end;
        long id = strtol(names[i], &end, 10);
        if (*end != '\0' || end == names[i] || id < 0 || id > INT32_MAX) {
            rc = lihop_h5i_fail(c, LIHOP_ERR_INPUT, "unexpected entry '/points/%s' (not a point id)", names[i]);
            break;
        }
        lihop_h5r_point_name((int)id, padded);
        if (strcmp(names[i], padded) != 0 && H5Lmove(points, names[i], points, padded, H5P_DEFAULT, H5P_DEFAULT) < 0)
            rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot rename '/points/%s' to '/points/%s'", names[i], padded);
    }
    free(names);
    return rc;
}

/* Open (or create) /points, pad old names and delete half-written points (no complete = 1). */
static int prune_points(lihop_h5i_ctx *c, lihop_h5 *h)
{
    htri_t ex = H5Lexists(h->file, "/points", H5P_DEFAULT);
    if (ex > 0)
        h->points = H5Gopen2(h->file, "/points", H5P_DEFAULT);
    else if (ex == 0)
        h->points = H5Gcreate2(h->file, "/points", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (h->points < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open '/points'");
    H5G_info_t gi;
    if (H5Gget_info(h->points, &gi) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot list '/points'");
    if (pad_point_names(c, h->points, gi.nlinks) < 0)
        return -1;
    for (hsize_t i = gi.nlinks; i-- > 0;) {
        char name[64];
        if (point_name(c, h->points, i, name) < 0)
            return -1;
        if (!lihop_h5r_point_complete(h->points, name) && H5Ldelete(h->points, name, H5P_DEFAULT) < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot delete unfinished point '/points/%s'", name);
    }
    return 0;
}

/* Open /summary (or create a missing one) and drop rows of unfinished points. */
static int open_summary(lihop_h5i_ctx *c, lihop_h5 *h)
{
    htri_t ex = H5Lexists(h->file, "/summary", H5P_DEFAULT);
    if (ex == 0)
        return lihop_h5r_create_summary(c, h);
    h->summary = H5Dopen2(h->file, "/summary", H5P_DEFAULT);
    if (h->summary < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "cannot open '/summary'");
    return prune_summary(c, h);
}

/* The session attributes, resume_time and status "running"; the old status is
 * kept for lihop_h5_abandon, the old end_time goes. */
static int restart_session(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_h5_meta *meta)
{
    if (lihop_h5r_history_legacy(c, h) < 0)
        return -1;
    char *prev = lihop_h5i_read_attr_str(h->meta, "status");
    snprintf(h->prev_status, sizeof h->prev_status, "%s", prev ? prev : "failed");
    free(prev);
    char now[32];
    lihop_h5r_iso_now(now);
    if (lihop_h5r_write_session_attrs(c, h, meta) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "resume_time", now) < 0 ||
        lihop_h5r_history_begin(c, h, meta, now) < 0)
        return -1;
    if (H5Aexists(h->meta, "end_time") > 0 && H5Adelete(h->meta, "end_time") < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot delete '/metadata' attribute 'end_time'");
    return 0;
}

/* Continue a file that passed lihop_h5r_resume_check (now open read-write):
 * delete unfinished points and their /summary rows, write a missing
 * /microstructure and start the session (session attributes, resume_time,
 * status "running"). */
int lihop_h5r_resume_layout(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_h5_meta *meta,
                            const lihop_micro *micro, const char *const *phase_names)
{
    h->meta = H5Gopen2(h->file, "/metadata", H5P_DEFAULT);
    if (h->meta < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open '/metadata'");
    if (prune_points(c, h) < 0 || open_summary(c, h) < 0)
        return -1;
    if (load_done(c, h) < 0 || lihop_h5r_write_sweep(c, h->file, cfg) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_text", cfg->text) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_path", cfg->path) < 0)
        return -1;
    if (micro) {
        htri_t ex = H5Lexists(h->file, "/microstructure", H5P_DEFAULT);
        if (ex < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query '/microstructure'");
        if (ex == 0 && lihop_h5r_write_micro_group(c, h->file, micro, phase_names) < 0)
            return -1;
    }
    if (restart_session(c, h, meta) < 0)
        return -1;
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush");
    return 0;
}

/* ---- finished points read back (for the screen) ------------------------------------ */

/* The stored /summary row of finished point id, or NULL (status in err). */
static const unsigned char *done_row(const lihop_h5 *h, int id, lihop_err *err)
{
    for (int i = 0; h && h->done_rows && i < h->ndone; i++)
        if (h->done_id[i] == id)
            return h->done_rows + (size_t)i * h->row_size;
    lihop_fail(err, LIHOP_ERR_INPUT, "%s: point %d is not a finished point of the file", h ? h->path : "?", id);
    return NULL;
}

static double col_f64(const lihop_h5 *h, const unsigned char *row, const char *fmt, const char *name)
{
    char col[LIHOP_NAME_LEN + 32];
    snprintf(col, sizeof col, fmt, name);
    return lihop_h5r_row_f64(h, row, lihop_h5r_col_index(h, col));
}

static int col_i32(const lihop_h5 *h, const unsigned char *row, const char *name)
{
    int i = lihop_h5r_col_index(h, name);
    int32_t v = 0;
    if (i >= 0 && h->cols[i].kind == COL_I32)
        memcpy(&v, row + h->cols[i].off, 4);
    return (int)v;
}

lihop_status lihop_h5_read_point(const lihop_h5 *h, const lihop_config *cfg, int id, lihop_point_result *r,
                                 lihop_err *err)
{
    const unsigned char *row = done_row(h, id, err);
    if (!row)
        return LIHOP_ERR_INPUT;
    memset(r, 0, sizeof *r);
    r->index = id;
    r->T_K = col_f64(h, row, "%s", "T_K");
    r->sigma_iso_S_m = col_f64(h, row, "%s", "sigma_S_m");
    r->sigma_iso_err = col_f64(h, row, "%s", "sigma_err_S_m");
    r->sigma_exact_iso_S_m = col_f64(h, row, "%s", "sigma_exact_S_m");
    r->t_plus = col_f64(h, row, "%s", "t_plus");
    r->t_plus_err = col_f64(h, row, "%s", "t_plus_err");
    r->t_plus_exact = col_f64(h, row, "%s", "t_plus_exact");
    r->nspecies = h->nspecies;
    int ext = col_i32(h, row, "extensions");
    for (int s = 0; s < h->nspecies; s++) {
        const char *sn = cfg->species[s].name;
        lihop_species_result *sp = &r->sp[s];
        double D = col_f64(h, row, "D_%s_m2_s", sn), sig = col_f64(h, row, "sigma_%s_S_m", sn);
        double ex = col_f64(h, row, "sigma_%s_exact_S_m", sn);
        for (int ax = 0; ax < 3; ax++) {    /* the file keeps the mean of the diagonal */
            sp->D_m2_s[ax] = D;
            sp->sigma_S_m[ax] = sig;
            sp->sigma_exact_S_m[ax] = ex;
        }
        sp->sigma_iso_S_m = sig;
        sp->sigma_iso_err = col_f64(h, row, "sigma_%s_err_S_m", sn);
        sp->extensions = ext;
    }
    r->converged = col_i32(h, row, "converged");
    r->wall_s = col_f64(h, row, "%s", "wall_s");
    return LIHOP_OK;
}

/* The drift and bicrystal parts of a garnet row (NaN columns: none). */
static void read_garnet_extras(const lihop_h5 *h, const lihop_config *cfg, const unsigned char *row,
                               lihop_garnet_point *pt)
{
    pt->drift_linearity = col_f64(h, row, "%s", "drift_linearity");
    pt->drift_linearity_err = col_f64(h, row, "%s", "drift_linearity_err");
    pt->has_drift = cfg->garnet.has_drift && !isnan(col_f64(h, row, "%s", "sigma_drift_E1_S_m"));
    for (int i = 0; pt->has_drift && i < 2; i++) {
        pt->drift_field_V_m[i] = cfg->garnet.drift_fields_V_m[i];
        pt->drift[i].sigma_drift_S_m = col_f64(h, row, "sigma_drift_E%s_S_m", i ? "2" : "1");
        pt->drift[i].sigma_drift_err = col_f64(h, row, "sigma_drift_E%s_err_S_m", i ? "2" : "1");
    }
    lihop_bicrystal_result *b = &pt->bc;
    pt->has_bulk = cfg->garnet.has_bicrystal;
    b->axis = cfg->garnet.bicrystal.axis;
    b->sigma_across_S_m = col_f64(h, row, "%s", "sigma_across_S_m");
    b->sigma_across_err = col_f64(h, row, "%s", "sigma_across_err_S_m");
    b->sigma_along_S_m = col_f64(h, row, "%s", "sigma_along_S_m");
    b->sigma_along_err = col_f64(h, row, "%s", "sigma_along_err_S_m");
    b->sigma_bulk_S_m = col_f64(h, row, "%s", "sigma_bulk_S_m");
    b->sigma_bulk_err = col_f64(h, row, "%s", "sigma_bulk_err_S_m");
    b->asr_ohm_m2 = col_f64(h, row, "%s", "ASR_ohm_m2");
    b->asr_err_ohm_m2 = col_f64(h, row, "%s", "ASR_err_ohm_m2");
}

lihop_status lihop_h5_read_garnet_point(const lihop_h5 *h, const lihop_config *cfg, int id, lihop_garnet_point *pt,
                                        lihop_err *err)
{
    const unsigned char *row = done_row(h, id, err);
    if (!row)
        return LIHOP_ERR_INPUT;
    memset(pt, 0, sizeof *pt);
    lihop_garnet_result *m = &pt->main;
    pt->index = id;
    pt->T_K = m->T_K = col_f64(h, row, "%s", "T_K");
    pt->li_per_fu = col_f64(h, row, "%s", "li_per_fu");
    pt->li_per_cell = col_f64(h, row, "%s", "li_per_cell");
    m->sigma_NE_S_m = col_f64(h, row, "%s", "sigma_S_m");
    m->sigma_NE_err = col_f64(h, row, "%s", "sigma_err_S_m");
    m->sigma_drift_S_m = col_f64(h, row, "%s", "sigma_drift_S_m");
    m->sigma_drift_err = col_f64(h, row, "%s", "sigma_drift_err_S_m");
    m->D_tracer_m2_s = col_f64(h, row, "%s", "D_tracer_m2_s");
    m->D_tracer_err = col_f64(h, row, "%s", "D_tracer_err_m2_s");
    m->D_sigma_m2_s = col_f64(h, row, "%s", "D_sigma_m2_s");
    m->D_sigma_err = col_f64(h, row, "%s", "D_sigma_err_m2_s");
    m->haven = col_f64(h, row, "%s", "haven");
    m->haven_err = col_f64(h, row, "%s", "haven_err");
    m->f_tracer = col_f64(h, row, "%s", "f_tracer");
    m->f_tracer_err = col_f64(h, row, "%s", "f_tracer_err");
    m->f_coll = col_f64(h, row, "%s", "f_coll");
    m->f_coll_err = col_f64(h, row, "%s", "f_coll_err");
    m->nsub = h->nsub;
    for (int s = 0; s < h->nsub; s++)
        m->site_occupancy[s] = col_f64(h, row, "occupancy_%s", cfg->garnet.subname[s]);
    read_garnet_extras(h, cfg, row, pt);
    pt->wall_s = col_f64(h, row, "%s", "wall_s");
    return LIHOP_OK;
}
