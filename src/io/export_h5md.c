/* export_h5md.c - a results file's point for the replay, and H5MD 1.1
 * trajectories (export_h5md.h). */
#include <hdf5.h>

#include "export_h5md.h"
#include "durable.h"
#include "h5util.h"
#include "results_impl.h"
#include "results_open.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- reading one finished point ------------------------------------------------ */

/* Dataset loc/name, at most maxn elements of memory type mtype; its element count, or -1. */
static long read_ds(hid_t loc, const char *name, hid_t mtype, void *buf, size_t maxn)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return -1;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    long got = -1;
    if (n >= 0 && (size_t)n <= maxn && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) got = (long)n;
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    return got;
}

/* A 1-D string dataset into n malloc'd strings (NULL when absent); the count, or -1. */
static int read_strs(hid_t loc, const char *name, char **out, int maxn)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return -1;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hid_t st = lihop_h5i_str_type();
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    char **v = n > 0 && n <= maxn ? calloc((size_t)n, sizeof *v) : NULL;
    int got = -1;
    if (v && H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
        got = (int)n;
        for (int i = 0; i < got; i++) out[i] = strdup(v[i] ? v[i] : "");
        H5Dvlen_reclaim(st, sp, H5P_DEFAULT, v);
    }
    free(v);
    H5Tclose(st);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    return got;
}

/* Every numeric scalar attribute of the point group (its coordinates among them). */
static herr_t collect_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    lihop_results_point *p = data;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID, sp = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID;
    H5T_class_t cls = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    int scalar = sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1;
    if (scalar && (cls == H5T_FLOAT || cls == H5T_INTEGER) && p->nattrs < LIHOP_POINT_MAX_ATTRS) {
        double v;
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0) {
            snprintf(p->attr_name[p->nattrs], sizeof p->attr_name[0], "%s", name);
            p->attr_value[p->nattrs++] = v;
        }
        if (!strcmp(name, "seed")) H5Aread(a, H5T_NATIVE_UINT64, &p->seed);
        if (!strcmp(name, "hops")) H5Aread(a, H5T_NATIVE_UINT64, &p->hops);   /* exact: compared bit for bit */
    }
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return 0;
}

int lihop_results_point_attr(const lihop_results_point *p, const char *name, double *value)
{
    for (int i = 0; i < p->nattrs; i++)
        if (!strcmp(p->attr_name[i], name)) {
            *value = p->attr_value[i];
            return 1;
        }
    return 0;
}

void lihop_results_point_free(lihop_results_point *p)
{
    if (!p) return;
    free(p->config_text);
    free(p->config_path);
    free(p->garnet_material_text);
    free(p->garnet_lattice_text);
    for (int i = 0; i < LIHOP_MAX_PHASES; i++) free(p->material_text[i]);
    memset(p, 0, sizeof *p);
}

/* "0, 1, 3" : the finished point ids of the file, for the message of a wrong --point. */
static void finished_ids(hid_t file, char *buf, size_t cap)
{
    buf[0] = '\0';
    hid_t g = H5Gopen2(file, "/points", H5P_DEFAULT);
    H5G_info_t gi;
    if (g < 0 || H5Gget_info(g, &gi) < 0) gi.nlinks = 0;
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char name[64];
        ssize_t len = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT);
        size_t used = strlen(buf);
        if (len > 0 && (size_t)len < sizeof name && used + 80 < cap)
            snprintf(buf + used, cap - used, "%s%d", used ? ", " : "", atoi(name));   /* "0000007" -> 7 */
    }
    if (g >= 0) H5Gclose(g);
    if (!buf[0]) snprintf(buf, cap, "none");
}

/* Voxel: species names and phase material texts; garnet: Li, material and lattice texts. */
static void read_model_meta(hid_t meta, lihop_results_point *p)
{
    if (!strcmp(p->model, "garnet")) {
        p->nspecies = 1;
        snprintf(p->species[0], sizeof p->species[0], "li");
        p->garnet_material_text = lihop_h5i_read_attr_str(meta, "material_text");
        p->garnet_lattice_text = lihop_h5i_read_attr_str(meta, "lattice_text");
        return;
    }
    char *names[LIHOP_MAX_SPECIES] = {NULL};
    p->nspecies = read_strs(meta, "species/name", names, LIHOP_MAX_SPECIES);
    for (int s = 0; s < p->nspecies; s++) {
        snprintf(p->species[s], sizeof p->species[s], "%s", names[s]);
        free(names[s]);
    }
    read_strs(meta, "phases/material_text", p->material_text, LIHOP_MAX_PHASES);  /* absent: NULLs */
}

/* /metadata: model, status, deck and what the model's replay compares. */
static lihop_status read_meta(hid_t f, const char *path, lihop_results_point *p, lihop_err *err)
{
    hid_t meta = H5Lexists(f, "/metadata", H5P_DEFAULT) > 0 ? H5Gopen2(f, "/metadata", H5P_DEFAULT) : -1;
    char *model = meta >= 0 ? lihop_h5i_read_attr_str(meta, "model") : NULL;
    char *status = meta >= 0 ? lihop_h5i_read_attr_str(meta, "status") : NULL;
    p->config_text = meta >= 0 ? lihop_h5i_read_attr_str(meta, "config_text") : NULL;
    p->config_path = meta >= 0 ? lihop_h5i_read_attr_str(meta, "config_path") : NULL;
    snprintf(p->model, sizeof p->model, "%s", model ? model : "");
    snprintf(p->status, sizeof p->status, "%s", status ? status : "");
    free(model);
    free(status);
    if (meta >= 0 && (!strcmp(p->model, "voxel") || !strcmp(p->model, "garnet"))) read_model_meta(meta, p);
    if (meta >= 0) H5Gclose(meta);
    if (!p->config_text || (strcmp(p->model, "voxel") && strcmp(p->model, "garnet")))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s is not a lihop results file (no /metadata config_text and model "
                          "voxel or garnet)", path);
    if (p->nspecies < 1)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: cannot read /metadata/species/name", path);
    return LIHOP_OK;
}

/* A garnet point's main run record: attributes t_end_s, replicas, nli, the tracer D per axis. */
static int read_garnet_record(hid_t g, lihop_results_point *p)
{
    double v = 0.0;
    int ok = lihop_results_point_attr(p, "t_end_s", &p->t_end_s[0]) && lihop_results_point_attr(p, "replicas", &v);
    p->walkers[0] = (uint64_t)v;
    p->nli = lihop_results_point_attr(p, "nli", &v) ? (int64_t)v : 0;
    if (H5Lexists(g, "hops", H5P_DEFAULT) > 0)   /* a dataset since the garnet points' results are datasets */
        ok = ok && read_ds(g, "hops", H5T_NATIVE_UINT64, &p->hops, 1) == 1;
    ok = ok && p->nli > 0 && read_ds(g, "D_tracer_axis_m2_s", H5T_NATIVE_DOUBLE, p->D_m2_s[0], 3) == 3 &&
         read_ds(g, "D_tracer_axis_err_m2_s", H5T_NATIVE_DOUBLE, p->D_err_m2_s[0], 3) == 3;
    return ok;
}

/* /points/<id>: the complete flag, coordinates, per-species run record. */
static lihop_status read_point_group(hid_t f, const char *path, int id, lihop_results_point *p, lihop_err *err)
{
    char gname[64], name[32], ids[512];
    lihop_h5r_point_name(id, name);
    snprintf(gname, sizeof gname, "/points/%s", name);
    int32_t complete = 0;
    hid_t g = id >= 0 && H5Lexists(f, "/points", H5P_DEFAULT) > 0 && H5Lexists(f, gname, H5P_DEFAULT) > 0
                  ? H5Gopen2(f, gname, H5P_DEFAULT) : -1;
    if (g >= 0 && H5Aexists(g, "complete") > 0) {
        hid_t a = H5Aopen(g, "complete", H5P_DEFAULT);
        if (a < 0 || H5Aread(a, H5T_NATIVE_INT32, &complete) < 0) complete = 0;
        if (a >= 0) H5Aclose(a);
    }
    if (g < 0 || complete != 1) {
        if (g >= 0) H5Gclose(g);
        finished_ids(f, ids, sizeof ids);
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s has no finished point %d (finished points: %s)", path, id, ids);
    }
    H5Aiterate2(g, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_attr, p);
    char *tr = lihop_h5i_read_attr_str(g, "transference_species");
    snprintf(p->transference_species, sizeof p->transference_species, "%s", tr ? tr : "");
    free(tr);
    if (!strcmp(p->model, "garnet")) {
        int ok = read_garnet_record(g, p);
        H5Gclose(g);
        return ok ? LIHOP_OK : lihop_fail(err, LIHOP_ERR_INPUT, "%s: point %d lacks t_end_s, replicas, nli or "
                                          "D_tracer_axis_m2_s (written by an older lihop?)", path, id);
    }
    size_t ns = (size_t)p->nspecies;
    int ok = read_ds(g, "t_end_s", H5T_NATIVE_DOUBLE, p->t_end_s, ns) == (long)ns &&
             read_ds(g, "extensions", H5T_NATIVE_INT32, p->extensions, ns) == (long)ns &&
             read_ds(g, "walkers", H5T_NATIVE_UINT64, p->walkers, ns) == (long)ns &&
             read_ds(g, "D_m2_s", H5T_NATIVE_DOUBLE, p->D_m2_s, 3 * ns) == 3 * (long)ns &&
             read_ds(g, "D_err_m2_s", H5T_NATIVE_DOUBLE, p->D_err_m2_s, 3 * ns) == 3 * (long)ns;
    long np = read_ds(g, "phase_fraction", H5T_NATIVE_DOUBLE, p->phase_fraction, LIHOP_MAX_PHASES);
    p->nphases = np > 0 ? (int)np : 0;
    H5Gclose(g);
    if (!ok || np <= 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: point %d lacks t_end_s, extensions, walkers, D_m2_s, "
                          "D_err_m2_s or phase_fraction (written by an older lihop?)", path, id);
    return LIHOP_OK;
}

lihop_status lihop_results_point_read(const char *path, int id, lihop_results_point *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);   /* failures come back as messages, not HDF5 traces */
    hid_t f;
    lihop_results_id id_;
    lihop_status st = lihop_results_open_ro(path, &f, &id_, err);
    if (st) return st;
    st = read_meta(f, path, out, err);
    if (!st) st = read_point_group(f, path, id, out, err);
    H5Fclose(f);
    return st;
}

/* ---- frames from a replay ---------------------------------------------------------- */

void lihop_h5md_frames_free(lihop_h5md_frames *f)
{
    if (!f) return;
    free(f->time_s);
    free(f->pos_nm);
    free(f->image);
    f->time_s = NULL;
    f->pos_nm = NULL;
    f->image = NULL;
}

static lihop_status frames_alloc(lihop_h5md_frames *f, uint64_t natoms, int nframes, const double *time_s,
                                 lihop_err *err)
{
    memset(f, 0, sizeof *f);
    size_t n = (size_t)nframes * (size_t)natoms * 3;
    f->natoms = natoms;
    f->nframes = nframes;
    f->time_s = malloc((size_t)nframes * sizeof *f->time_s);
    f->pos_nm = malloc(n * sizeof *f->pos_nm);
    f->image = malloc(n * sizeof *f->image);
    if (!f->time_s || !f->pos_nm || !f->image) {
        lihop_h5md_frames_free(f);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %zu coordinates", n);
    }
    memcpy(f->time_s, time_s, (size_t)nframes * sizeof *f->time_s);
    return LIHOP_OK;
}

/* m -> nm as a decimal change of unit: 1e-8 m is 10 nm, not the
 * 10.000000000000002 of 1e-8 * 1e9 (15 significant digits survive). */
static double m_to_nm(double m)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", m * 1e9);
    return strtod(buf, NULL);
}

lihop_status lihop_h5md_frames_voxel(const lihop_voxel_traj *t, lihop_h5md_frames *f, lihop_err *err)
{
    lihop_status st = frames_alloc(f, t->nwalkers, t->nframes, t->time_s, err);
    if (st) return st;
    double h_nm = m_to_nm(t->voxel_m);
    for (int ax = 0; ax < 3; ++ax) {
        f->box_nm[ax] = t->n[ax] * h_nm;
        f->max_step_nm[ax] = t->max_step[ax] * h_nm;
    }
    size_t n = (size_t)t->nframes * (size_t)t->nwalkers * 3;
    for (size_t i = 0; i < n; i++) {
        int32_t L = t->n[i % 3], u = t->pos[i];
        int32_t im = u >= 0 ? u / L : -((-u + L - 1) / L);      /* floor(u / L) */
        f->image[i] = im;
        f->pos_nm[i] = (float)(((double)(u - im * L) + 0.5) * h_nm);
    }
    return LIHOP_OK;
}

/* x wrapped into [0, L) as float (a value that rounds up to L is 0 of the next image). */
static void wrap(double u, double L, float *x, int32_t *im)
{
    double k = floor(u / L), w = u - k * L;
    float xf = (float)w;
    if (xf >= (float)L) { xf = 0.0f; k += 1.0; }
    if (xf < 0.0f) { xf += (float)L; k -= 1.0; }
    *x = xf;
    *im = (int32_t)k;
}

lihop_status lihop_h5md_frames_garnet(const lihop_garnet_traj *t, lihop_h5md_frames *f, lihop_err *err)
{
    lihop_status st = frames_alloc(f, (uint64_t)t->nli, t->nframes, t->time_s, err);
    if (st) return st;
    for (int ax = 0; ax < 3; ++ax) f->box_nm[ax] = 0.1 * t->box_A[ax];
    size_t row = (size_t)t->nli * 3, n = (size_t)t->nframes * row;
    for (size_t i = 0; i < n; i++) {
        wrap(0.1 * t->pos_A[i], f->box_nm[i % 3], &f->pos_nm[i], &f->image[i]);
        double d = i >= row ? fabs(0.1 * (t->pos_A[i] - t->pos_A[i - row])) : 0.0;
        if (d > f->max_step_nm[i % 3]) f->max_step_nm[i % 3] = d;
    }
    return LIHOP_OK;
}

/* ---- writing H5MD ---------------------------------------------------------------- */

/* The file's step [nframes] int64 and time [nframes] float64 "s" under group g. */
static int write_step_time(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_h5md_frames *t)
{
    hsize_t dims[1] = {(hsize_t)t->nframes};
    int64_t *step = malloc((size_t)t->nframes * sizeof *step);
    if (!step) return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory for the frame steps");
    for (int k = 0; k < t->nframes; k++) step[k] = k;
    int rc = lihop_h5i_dset_write(c, g, gname, "step", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, dims, step, NULL);
    free(step);
    if (rc == 0) rc = lihop_h5i_dset_f64(c, g, gname, "time", 1, dims, t->time_s, "s");
    return rc;
}

/* Hard links step and time of group g to those of position (H5MD allows shared ones). */
static int link_step_time(lihop_h5i_ctx *c, hid_t pg, const char *grp)
{
    char src[2][32] = {"position/step", "position/time"}, dst[64];
    for (int i = 0; i < 2; i++) {
        snprintf(dst, sizeof dst, "%s/%s", grp, i ? "time" : "step");
        if (H5Lcreate_hard(pg, src[i], pg, dst, H5P_DEFAULT, H5P_DEFAULT) < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot link %s", dst);
    }
    return 0;
}

/* A [nframes][N][3] dataset value under group g, chunked by frame, from buf. */
static int write_frames(lihop_h5i_ctx *c, hid_t g, const char *gname, hid_t ftype, hid_t mtype,
                        const lihop_h5md_frames *t, const void *buf, const char *unit)
{
    hsize_t dims[3] = {(hsize_t)t->nframes, (hsize_t)t->natoms, 3}, chunk[3] = {1, (hsize_t)t->natoms, 3};
    hid_t sp = H5Screate_simple(3, dims, NULL), pl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t d = sp >= 0 && pl >= 0 && H5Pset_chunk(pl, 3, chunk) >= 0
                  ? H5Dcreate2(g, "value", ftype, sp, H5P_DEFAULT, pl, H5P_DEFAULT) : -1;
    int rc = d >= 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0 ? 0
             : lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write %s/value", gname);
    if (rc == 0 && unit) rc = lihop_h5i_attr_str(c, d, gname, "unit", unit);
    if (d >= 0) H5Dclose(d);
    if (pl >= 0) H5Pclose(pl);
    if (sp >= 0) H5Sclose(sp);
    return rc;
}

/* position (wrapped, nm, with the step and time) and image. */
static int write_position_image(lihop_h5i_ctx *c, hid_t pg, const char *pname, const lihop_h5md_frames *t)
{
    char gname[256];
    hid_t g = -1;
    snprintf(gname, sizeof gname, "%s/position", pname);
    int rc = lihop_h5i_make_group(c, pg, "position", &g);
    if (rc == 0) {
        rc = write_step_time(c, g, gname, t);
        if (rc == 0) rc = write_frames(c, g, gname, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, t, t->pos_nm, "nm");
        H5Gclose(g);
    }
    snprintf(gname, sizeof gname, "%s/image", pname);
    if (rc == 0 && (rc = lihop_h5i_make_group(c, pg, "image", &g)) == 0) {
        rc = write_frames(c, g, gname, H5T_STD_I32LE, H5T_NATIVE_INT32, t, t->image, NULL);
        H5Gclose(g);
        if (rc == 0) rc = link_step_time(c, pg, "image");
    }
    return rc;
}

/* box: dimension, boundary and the edges (fixed, stored per frame for MDAnalysis). */
static int write_box(lihop_h5i_ctx *c, hid_t pg, const char *pname, const lihop_h5md_frames *t)
{
    char gname[256];
    snprintf(gname, sizeof gname, "%s/box", pname);
    hid_t box = -1, edges = -1;
    if (lihop_h5i_make_group(c, pg, "box", &box) < 0) return -1;
    int rc = lihop_h5i_attr_i32(c, box, gname, "dimension", 3);
    if (rc == 0) rc = lihop_h5i_attr_fixstr(c, box, gname, "boundary", 9, 3, "periodic\0periodic\0periodic");
    double *e = malloc((size_t)t->nframes * 3 * sizeof *e);
    if (rc == 0 && !e) rc = lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory for the box edges");
    for (int k = 0; rc == 0 && k < t->nframes * 3; k++) e[k] = t->box_nm[k % 3];
    if (rc == 0) rc = lihop_h5i_make_group(c, box, "edges", &edges);
    if (rc == 0) {
        hsize_t dims[2] = {(hsize_t)t->nframes, 3};
        strncat(gname, "/edges", sizeof gname - strlen(gname) - 1);
        rc = lihop_h5i_dset_f64(c, edges, gname, "value", 2, dims, e, "nm");
        H5Gclose(edges);
    }
    free(e);
    H5Gclose(box);
    return rc == 0 ? link_step_time(c, pg, "box/edges") : rc;
}

/* /h5md: version 1.1, author and creator. */
static int write_h5md_group(lihop_h5i_ctx *c, hid_t f, const lihop_h5md_info *info)
{
    hid_t g = -1, a = -1, cr = -1;
    static const int version[2] = {1, 1};
    if (lihop_h5i_make_group(c, f, "h5md", &g) < 0) return -1;
    int rc = lihop_h5i_attr_i32s(c, g, "/h5md", "version", 2, version);
    if (rc == 0 && (rc = lihop_h5i_make_group(c, g, "author", &a)) == 0) {
        rc = lihop_h5i_attr_str(c, a, "/h5md/author", "name", info->author);
        H5Gclose(a);
    }
    if (rc == 0 && (rc = lihop_h5i_make_group(c, g, "creator", &cr)) == 0) {
        rc = lihop_h5i_attr_str(c, cr, "/h5md/creator", "name", "lihop");
        if (rc == 0) rc = lihop_h5i_attr_str(c, cr, "/h5md/creator", "version", info->creator_version);
        H5Gclose(cr);
    }
    H5Gclose(g);
    return rc;
}

/* The model's own provenance: voxel walkers and h, or the garnet replica. */
static int write_model_provenance(lihop_h5i_ctx *c, hid_t g, const char *gn, const lihop_h5md_info *info)
{
    if (!strcmp(info->model, "garnet")) {
        int rc = lihop_h5i_attr_i64(c, g, gn, "replica", info->replica);
        return rc == 0 ? lihop_h5i_attr_i64(c, g, gn, "replicas", info->replicas) : rc;
    }
    int rc = lihop_h5i_attr_u64(c, g, gn, "point_walkers", info->point_walkers);
    return rc == 0 ? lihop_h5i_attr_f64(c, g, gn, "voxel_size_m", info->voxel_size_m) : rc;
}

/* /parameters/lihop: where the particles come from and what the run measured. */
static int write_provenance(lihop_h5i_ctx *c, hid_t f, const lihop_h5md_info *info, const lihop_h5md_frames *t)
{
    hid_t par = -1, g = -1;
    const char *gn = "/parameters/lihop";
    if (lihop_h5i_make_group(c, f, "parameters", &par) < 0) return -1;
    int rc = lihop_h5i_make_group(c, par, "lihop", &g);
    H5Gclose(par);
    if (rc < 0) return rc;
    hsize_t three[1] = {3};
    const lihop_h5i_f64 f64[] = {{"T_K", info->T_K}, {"t_end_s", info->t_end_s}};
    rc = lihop_h5i_attr_str(c, g, gn, "model", info->model);
    if (rc == 0) rc = lihop_h5i_attr_str(c, g, gn, "results_file", info->results_path);
    if (rc == 0) rc = lihop_h5i_attr_i32(c, g, gn, "point", info->point);
    if (rc == 0) rc = lihop_h5i_attr_str(c, g, gn, "species", info->species);
    if (rc == 0) rc = lihop_h5i_attr_u64(c, g, gn, "particles", t->natoms);
    if (rc == 0) rc = lihop_h5i_attr_u64(c, g, gn, "seed", info->seed);
    if (rc == 0) rc = lihop_h5i_attr_u64(c, g, gn, "hops", info->hops);
    if (rc == 0) rc = lihop_h5i_attr_f64s(c, g, gn, f64, 2);
    if (rc == 0) rc = write_model_provenance(c, g, gn, info);
    if (rc == 0) rc = lihop_h5i_dset_f64(c, g, gn, "max_step_nm", 1, three, t->max_step_nm, "nm");
    if (rc == 0) rc = lihop_h5i_dset_f64(c, g, gn, "D_m2_s", 1, three, info->D_m2_s, "m^2/s");
    if (rc == 0) rc = lihop_h5i_dset_f64(c, g, gn, "D_err_m2_s", 1, three, info->D_err_m2_s, "m^2/s");
    H5Gclose(g);
    return rc;
}

/* /particles/<species>: position (first: box and image link its step and time), image, box, species. */
static int write_particles(lihop_h5i_ctx *c, hid_t f, const lihop_h5md_info *info, const lihop_h5md_frames *t)
{
    hid_t parts = -1, pg = -1;
    char pname[128];
    snprintf(pname, sizeof pname, "/particles/%s", info->species);
    if (lihop_h5i_make_group(c, f, "particles", &parts) < 0) return -1;
    int rc = lihop_h5i_make_group(c, parts, info->species, &pg);
    H5Gclose(parts);
    if (rc < 0) return rc;
    rc = write_position_image(c, pg, pname, t);
    if (rc == 0) rc = write_box(c, pg, pname, t);
    int32_t *sp = rc == 0 ? malloc((size_t)t->natoms * sizeof *sp) : NULL;
    if (rc == 0 && !sp) rc = lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory for the species list");
    for (uint64_t i = 0; rc == 0 && i < t->natoms; i++) sp[i] = info->species_index;
    hsize_t dims[1] = {(hsize_t)t->natoms};
    if (rc == 0) rc = lihop_h5i_dset_write(c, pg, pname, "species", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims, sp, NULL);
    free(sp);
    H5Gclose(pg);
    return rc;
}

lihop_status lihop_h5md_write(const char *path, const lihop_h5md_info *info, const lihop_h5md_frames *t,
                              lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_durable d;
    lihop_status st = lihop_durable_lock(&d, path, err);
    if (st) return st;
    if ((st = lihop_durable_begin(&d, 0, err)) != LIHOP_OK) {
        lihop_durable_unlock(&d);
        return st;
    }
    lihop_h5i_ctx c = {path, err, LIHOP_OK};
    hid_t f = H5Fcreate(d.tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    int rc = f >= 0 ? 0 : lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot create %s", d.tmp);
    if (rc == 0) rc = write_h5md_group(&c, f, info);
    if (rc == 0) rc = write_particles(&c, f, info, t);
    if (rc == 0) rc = write_provenance(&c, f, info, t);
    if (f >= 0 && H5Fclose(f) < 0 && rc == 0) rc = lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot close %s", d.tmp);
    if (rc == 0) {
        st = lihop_durable_commit(&d, err);
    } else {
        st = c.st ? c.st : LIHOP_ERR_IO;
        lihop_durable_abort(&d);
    }
    lihop_durable_unlock(&d);
    return st;
}
