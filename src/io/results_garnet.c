/* results_garnet.c - model garnet: one point's group /points/<k> (main run,
 * drift and bulk subgroups) and its /summary row (h5out.h,
 * lihop_h5_write_garnet_point). */
#include <hdf5.h>

#include "results_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define A2_M2 1e-20                 /* angstrom^2 -> m^2 */

/* A scalar result: a float64 dataset of shape () with a `unit` attribute. */
typedef struct {
    const char *name;
    double v;
    const char *unit;
} scalar_def;

static int write_scalars(lihop_h5i_ctx *c, hid_t g, const char *gname, const scalar_def *v, int n)
{
    for (int i = 0; i < n; i++)
        if (lihop_h5i_dset_f64(c, g, gname, v[i].name, 0, NULL, &v[i].v, v[i].unit) < 0)
            return -1;
    return 0;
}

/* A scalar uint64 count as a dataset of shape (), unit "1". */
static int write_count(lihop_h5i_ctx *c, hid_t g, const char *gname, const char *name, uint64_t v)
{
    return lihop_h5i_dset_write(c, g, gname, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, NULL, &v, "1");
}

/* The run record's scalar results, as datasets of shape () like the voxel
 * model's results (the name keeps the unit suffix, the `unit` attribute says it). */
static int write_gresult_scalars(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_result *r)
{
    const scalar_def v[] = {
        {"volume_m3", r->volume_m3, "m^3"},
        {"n_li_m3", r->n_li_m3, "1/m^3"},
        {"D_tracer_m2_s", r->D_tracer_m2_s, "m^2/s"},
        {"D_tracer_err_m2_s", r->D_tracer_err, "m^2/s"},
        {"D_sigma_m2_s", r->D_sigma_m2_s, "m^2/s"},
        {"D_sigma_err_m2_s", r->D_sigma_err, "m^2/s"},
        {"D0_m2_s", r->D0_m2_s, "m^2/s"},
        {"D0_err_m2_s", r->D0_err, "m^2/s"},
        {"haven", r->haven, "1"},
        {"haven_err", r->haven_err, "1"},
        {"f_tracer", r->f_tracer, "1"},
        {"f_tracer_err", r->f_tracer_err, "1"},
        {"f_coll", r->f_coll, "1"},
        {"f_coll_err", r->f_coll_err, "1"},
        {"sigma_NE_S_m", r->sigma_NE_S_m, "S/m"},
        {"sigma_NE_err_S_m", r->sigma_NE_err, "S/m"},
        {"sigma_drift_S_m", r->sigma_drift_S_m, "S/m"},
        {"sigma_drift_err_S_m", r->sigma_drift_err, "S/m"},
        {"hop_rate_Hz", r->hop_rate_Hz, "Hz"},
        {"hop_rate_err_Hz", r->hop_rate_err, "Hz"},
        {"mean_hop_d2_m2", r->mean_hop_d2_A2 * A2_M2, "m^2"},
    };
    if (write_scalars(c, g, gname, v, LIHOP_NDEFS(v)) < 0 || write_count(c, g, gname, "events", r->events) < 0 ||
        write_count(c, g, gname, "equil_events", r->equil_events) < 0 ||
        write_count(c, g, gname, "hops", r->hops) < 0 ||
        write_count(c, g, gname, "check_failures", r->check_failures) < 0 ||
        lihop_h5i_dset_write(c, g, gname, "trapped_replicas", H5T_STD_I64LE, H5T_NATIVE_INT64, 0, NULL,
                             &r->trapped_replicas, "1") < 0)
        return -1;
    return 0;
}

/* The run's description (what was run, not what came out) as attributes. */
static int write_gresult_attrs(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_result *r)
{
    if (lihop_h5i_attr_f64(c, g, gname, "T_K", r->T_K) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "kT_eV", r->kT_eV) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "t_end_s", r->t_end_s) < 0 ||
        lihop_h5i_attr_i64(c, g, gname, "replicas", r->nreplicas) < 0 ||
        lihop_h5i_attr_i32(c, g, gname, "batches", r->nbatches) < 0 ||
        lihop_h5i_attr_i64(c, g, gname, "nli", r->nli) < 0 ||
        lihop_h5i_attr_i32(c, g, gname, "nsites", r->nsites) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "wall_s", r->wall_s) < 0 ||
        lihop_h5i_attr_i32(c, g, gname, "threads", r->threads) < 0 ||
        lihop_h5i_attr_str(c, g, gname, "backend", r->backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu") < 0)
        return -1;
    return write_gresult_scalars(c, g, gname, r);
}

/* An MSD series in angstrom^2 (axes: 1 for [ns], 3 for [ns][3]) as a dataset in m^2. */
static int write_msd(lihop_h5i_ctx *c, hid_t g, const char *gname, const char *dsname, const double *v_A2,
                     int ns, int axes)
{
    double buf[LIHOP_GARNET_MAX_SAMPLES * 3];
    hsize_t d[2] = {(hsize_t)ns, 3};
    for (int k = 0; k < ns * axes; k++)
        buf[k] = v_A2[k] * A2_M2;
    return lihop_h5i_dset_f64(c, g, gname, dsname, axes == 3 ? 2 : 1, d, buf, "m^2");
}

/* field_V_m, time_s, the MSD series and the per-axis [3] datasets. */
static int write_gresult_series(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_result *r,
                                const double field_V_m[3], int ns)
{
    hsize_t d1 = 3, dt = (hsize_t)ns;
    if (lihop_h5i_dset_f64(c, g, gname, "field_V_m", 1, &d1, field_V_m, "V/m") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "time_s", 1, &dt, r->time_s, "s") < 0 ||
        write_msd(c, g, gname, "msd_tracer_m2", r->msd_tracer_A2, ns, 1) < 0 ||
        write_msd(c, g, gname, "msd_tracer_err_m2", r->msd_tracer_err, ns, 1) < 0 ||
        write_msd(c, g, gname, "msd_coll_m2", r->msd_coll_A2, ns, 1) < 0 ||
        write_msd(c, g, gname, "msd_coll_err_m2", r->msd_coll_err, ns, 1) < 0 ||
        write_msd(c, g, gname, "msd_tracer_axis_m2", &r->msd_tracer_axis_A2[0][0], ns, 3) < 0 ||
        write_msd(c, g, gname, "msd_tracer_axis_err_m2", &r->msd_tracer_axis_err[0][0], ns, 3) < 0 ||
        write_msd(c, g, gname, "msd_coll_axis_m2", &r->msd_coll_axis_A2[0][0], ns, 3) < 0 ||
        write_msd(c, g, gname, "msd_coll_axis_err_m2", &r->msd_coll_axis_err[0][0], ns, 3) < 0)
        return -1;
    if (lihop_h5i_dset_f64(c, g, gname, "D_tracer_axis_m2_s", 1, &d1, r->D_tracer_axis_m2_s, "m^2/s") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "D_tracer_axis_err_m2_s", 1, &d1, r->D_tracer_axis_err, "m^2/s") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "D_sigma_axis_m2_s", 1, &d1, r->D_sigma_axis_m2_s, "m^2/s") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "D_sigma_axis_err_m2_s", 1, &d1, r->D_sigma_axis_err, "m^2/s") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "sigma_NE_axis_S_m", 1, &d1, r->sigma_NE_axis_S_m, "S/m") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "sigma_NE_axis_err_S_m", 1, &d1, r->sigma_NE_axis_err, "S/m") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "v_drift_m_s", 1, &d1, r->v_drift_m_s, "m/s") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "v_drift_err_m_s", 1, &d1, r->v_drift_err, "m/s") < 0)
        return -1;
    return 0;
}

/* The per-sublattice datasets: names, sites, Li fractions, occupancies, hops_by_type. */
static int write_gresult_subs(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_result *r,
                              int nsub)
{
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
    int e = st < 0 ? -1 : lihop_h5i_dset_write(c, g, gname, "sublattice", st, st, 1, &dn, names, NULL);
    if (st >= 0)
        H5Tclose(st);
    if (e < 0 ||
        lihop_h5i_dset_write(c, g, gname, "sites_per_sublattice", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &dn, sites, "1") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "li_fraction", 1, &dn, r->li_fraction, "1") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "li_fraction_err", 1, &dn, r->li_fraction_err, "1") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "site_occupancy", 1, &dn, r->site_occupancy, "1") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "site_occupancy_err", 1, &dn, r->site_occupancy_err, "1") < 0 ||
        lihop_h5i_dset_write(c, g, gname, "hops_by_type", H5T_STD_U64LE, H5T_NATIVE_UINT64, 2, dnn, hbt, "1") < 0)
        return -1;
    return 0;
}

/* One engine result into group g (named gname): the run's description as
 * attributes, its results (scalars and arrays) as datasets with a `unit`
 * attribute. */
static int write_gresult(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_result *r,
                         const double field_V_m[3])
{
    const int ns = r->nsamples < 0 ? 0 : r->nsamples > LIHOP_GARNET_MAX_SAMPLES ? LIHOP_GARNET_MAX_SAMPLES : r->nsamples;
    const int nsub = r->nsub < 0 ? 0 : r->nsub > LIHOP_MAX_SUBLATTICES ? LIHOP_MAX_SUBLATTICES : r->nsub;
    if (write_gresult_attrs(c, g, gname, r) < 0 || write_gresult_series(c, g, gname, r, field_V_m, ns) < 0 ||
        write_gresult_subs(c, g, gname, r, nsub) < 0)
        return -1;
    return 0;
}

/* The drift-run and bicrystal columns, when the file has them. */
static void put_garnet_extras(row_cursor *rc, const lihop_h5 *h, const lihop_garnet_point *pt)
{
    for (int i = 0; h->g_drift && i < 2; i++) {
        put_f64(rc, pt->has_drift ? pt->drift[i].sigma_drift_S_m : NAN);
        put_f64(rc, pt->has_drift ? pt->drift[i].sigma_drift_err : NAN);
    }
    if (h->g_drift) {
        put_f64(rc, pt->has_drift ? pt->drift_linearity : NAN);
        put_f64(rc, pt->has_drift ? pt->drift_linearity_err : NAN);
    }
    const lihop_bicrystal_result *b = &pt->bc;
    const double bc[8] = {b->sigma_across_S_m, b->sigma_across_err, b->sigma_along_S_m, b->sigma_along_err,
                          b->sigma_bulk_S_m, b->sigma_bulk_err, b->asr_ohm_m2, b->asr_err_ohm_m2};
    for (int i = 0; h->g_bicrystal && i < 8; i++)
        put_f64(rc, pt->has_bulk ? bc[i] : NAN);
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
    const double head[] = {m->sigma_NE_S_m, m->sigma_NE_err, m->sigma_NE_axis_S_m[0], m->sigma_NE_axis_err[0],
                           m->sigma_NE_axis_S_m[1], m->sigma_NE_axis_err[1], m->sigma_NE_axis_S_m[2],
                           m->sigma_NE_axis_err[2], m->D_tracer_m2_s, m->D_tracer_err, m->D_sigma_m2_s,
                           m->D_sigma_err, m->haven, m->haven_err, m->f_tracer, m->f_tracer_err, m->f_coll,
                           m->f_coll_err};
    for (int i = 0; i < LIHOP_NDEFS(head); i++)
        put_f64(&rc, head[i]);
    if (h->g_field) {
        put_f64(&rc, m->sigma_drift_S_m);
        put_f64(&rc, m->sigma_drift_err);
    }
    for (int s = 0; s < h->nsub; s++) {
        put_f64(&rc, s < m->nsub ? m->site_occupancy[s] : NAN);
        put_f64(&rc, s < m->nsub ? m->site_occupancy_err[s] : NAN);
    }
    put_garnet_extras(&rc, h, pt);
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
    lihop_h5r_put_coords(h, row, coords);
    return lihop_h5r_append_row(c, h, row, pt->index);
}

/* Subgroup gname/leaf with one run record (field: the run's field). */
static int write_subrun(lihop_h5i_ctx *c, hid_t g, const char *gname, const char *leaf,
                        const lihop_garnet_result *r, const double field_V_m[3])
{
    char sub[80];
    snprintf(sub, sizeof sub, "%s/%s", gname, leaf);
    hid_t s = H5Gcreate2(g, leaf, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (s < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create group '%s'", sub);
    int rc = write_gresult(c, s, sub, r, field_V_m);
    H5Gclose(s);
    return rc;
}

/* drift_E1, drift_E2 and the linearity of the drift conductivity. */
static int write_drift(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_point *pt)
{
    for (int i = 0; i < 2; i++) {
        double f[3] = {pt->drift_field_V_m[i], 0.0, 0.0};
        char leaf[16];
        snprintf(leaf, sizeof leaf, "drift_E%d", i + 1);
        if (write_subrun(c, g, gname, leaf, &pt->drift[i], f) < 0)
            return -1;
    }
    const scalar_def v[] = {{"drift_linearity", pt->drift_linearity, "1"},
                            {"drift_linearity_err", pt->drift_linearity_err, "1"}};
    return write_scalars(c, g, gname, v, LIHOP_NDEFS(v));
}

/* The bulk reference run and the boundary numbers of a bicrystal point. */
static int write_bulk(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_garnet_point *pt,
                      const double field_V_m[3])
{
    const lihop_bicrystal_result *b = &pt->bc;
    if (write_subrun(c, g, gname, "bulk", &pt->bulk, field_V_m) < 0)
        return -1;
    const scalar_def v[] = {
        {"sigma_across_S_m", b->sigma_across_S_m, "S/m"},
        {"sigma_across_err_S_m", b->sigma_across_err, "S/m"},
        {"sigma_along_S_m", b->sigma_along_S_m, "S/m"},
        {"sigma_along_err_S_m", b->sigma_along_err, "S/m"},
        {"sigma_bulk_S_m", b->sigma_bulk_S_m, "S/m"},
        {"sigma_bulk_err_S_m", b->sigma_bulk_err, "S/m"},
        {"ASR_ohm_m2", b->asr_ohm_m2, "ohm m^2"},
        {"ASR_err_ohm_m2", b->asr_err_ohm_m2, "ohm m^2"},
    };
    if (write_scalars(c, g, gname, v, LIHOP_NDEFS(v)) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "boundary_period_m", b->L_m) < 0)
        return -1;
    return 0;
}

/* Everything of the point but the complete flag. */
static int write_garnet_group(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const double *coords,
                              const lihop_garnet_point *pt, hid_t g, const char *gname)
{
    const lihop_garnet_cfg *gc = &cfg->garnet;
    if (lihop_h5i_attr_f64(c, g, gname, "li_per_fu", pt->li_per_fu) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "li_per_cell", pt->li_per_cell) < 0 ||
        write_gresult(c, g, gname, &pt->main, gc->field_V_m) < 0 ||
        /* wall_s: the whole point (every run); main_wall_s: the main run alone */
        lihop_h5i_attr_f64(c, g, gname, "wall_s", pt->wall_s) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "main_wall_s", pt->main.wall_s) < 0)
        return -1;
    if ((pt->has_drift && write_drift(c, g, gname, pt) < 0) ||
        (pt->has_bulk && write_bulk(c, g, gname, pt, gc->field_V_m) < 0))
        return -1;
    if (lihop_h5r_write_coord_attrs(c, h, cfg, g, gname, coords) < 0 || append_garnet_summary(c, h, pt, coords) < 0)
        return -1;
    return 0;
}

static lihop_status write_garnet_point_in(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                          const lihop_garnet_point *pt, lihop_err *err)
{
    if (h->model != LIHOP_MODEL_GARNET || cfg->model != LIHOP_MODEL_GARNET)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: a garnet point for a file opened for a voxel run", h->path);
    if (pt->index < 0)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point index %d < 0", h->path, pt->index);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    char gname[48];
    hid_t g = lihop_h5r_point_group(&c, h, pt->index, gname);
    if (g < 0)
        return c.st;
    if (write_garnet_group(&c, h, cfg, coords, pt, g, gname) == 0)
        lihop_h5r_finish_point(&c, h, g, gname);
    H5Gclose(g);
    return c.st;
}

static lihop_status garnet_writer(lihop_h5 *h, const lihop_config *cfg, const double *coords, const void *r,
                                  lihop_err *err)
{
    return write_garnet_point_in(h, cfg, coords, r, err);
}

lihop_status lihop_h5_write_garnet_point(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                         const lihop_garnet_point *pt, lihop_err *err)
{
    if (!h || !cfg || !pt)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_write_garnet_point: NULL argument");
    return lihop_h5r_write_committed(h, cfg, coords, pt, pt->index, garnet_writer, err);
}

