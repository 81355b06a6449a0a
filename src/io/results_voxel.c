/* results_voxel.c - model voxel: one point's group /points/<k> and its
 * /summary row (h5out.h, lihop_h5_write_point). */
#include <hdf5.h>

#include "results_impl.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

static double iso3(const double v[3])
{
    return (v[0] + v[1] + v[2]) / 3.0;
}

static double iso3_err(const double e[3])
{
    return sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]) / 3.0;
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
    put_f64(&rc, r->sigma_exact_iso_S_m);
    put_f64(&rc, r->t_plus_exact);
    uint64_t hops = 0;
    int ext = 0;
    for (int s = 0; s < h->nspecies; s++) {
        const lihop_species_result *sp = &r->sp[s];
        put_f64(&rc, iso3(sp->D_m2_s));
        put_f64(&rc, iso3_err(sp->D_err));
        put_f64(&rc, sp->sigma_iso_S_m);
        put_f64(&rc, sp->sigma_iso_err);
        put_f64(&rc, iso3(sp->sigma_exact_S_m));
        hops += sp->hops;
        ext = sp->extensions > ext ? sp->extensions : ext;
    }
    for (int p = 0; p < h->nphases; p++) {
        put_f64(&rc, r->phase_fraction[p]);
        put_i32(&rc, r->phase_spans[p][0] + r->phase_spans[p][1] + r->phase_spans[p][2]);
    }
    put_i32(&rc, r->converged);
    put_i32(&rc, ext);
    put_u64(&rc, hops);
    put_f64(&rc, r->wall_s);
    lihop_h5r_put_coords(h, row, coords);
    return lihop_h5r_append_row(c, h, row, r->index);
}

/* The point fits the file it goes into (a voxel file of the same species and phases). */
static lihop_status check_point(const lihop_h5 *h, const lihop_config *cfg, const lihop_point_result *r,
                                lihop_err *err)
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
    return LIHOP_OK;
}

static int write_point_attrs(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_config *cfg,
                             const lihop_point_result *r, int ns)
{
    const char *tsp = (cfg->transference_species >= 0 && cfg->transference_species < ns)
                    ? cfg->species[cfg->transference_species].name : "";
    if (lihop_h5i_attr_f64(c, g, gname, "T_K", r->T_K) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "sigma_iso_S_m", r->sigma_iso_S_m) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "sigma_iso_err_S_m", r->sigma_iso_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "t_plus", r->t_plus) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "t_plus_err", r->t_plus_err) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "sigma_exact_iso_S_m", r->sigma_exact_iso_S_m) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "t_plus_exact", r->t_plus_exact) < 0 ||
        lihop_h5i_attr_str(c, g, gname, "transference_species", tsp) < 0 ||
        lihop_h5i_attr_i32(c, g, gname, "converged", r->converged) < 0 ||
        lihop_h5i_attr_str(c, g, gname, "warning", r->warning) < 0 ||
        lihop_h5i_attr_f64(c, g, gname, "wall_s", r->wall_s) < 0 ||
        lihop_h5i_attr_str(c, g, gname, "backend", r->backend) < 0 ||
        lihop_h5i_attr_i32(c, g, gname, "threads", r->threads) < 0)
        return -1;
    return 0;
}

/* time_s [ns][nt], t_end_s [ns] and msd_m2 [ns][nt][3]; each species has its
 * own time grid (hops_per_walker sets t_end per species). */
static int write_series(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_point_result *r, int ns,
                        double *buf)
{
    const int nt = r->nsamples;
    hsize_t d1 = (hsize_t)ns, d2[2] = {(hsize_t)ns, (hsize_t)nt}, d3[3] = {(hsize_t)ns, (hsize_t)nt, 3};
    for (int s = 0; s < ns; s++)
        for (int k = 0; k < nt; k++)
            buf[(size_t)s * nt + k] = r->sp[s].time_s[k];
    if (lihop_h5i_dset_f64(c, g, gname, "time_s", 2, d2, buf, "s") < 0)
        return -1;
    for (int s = 0; s < ns; s++)
        buf[s] = r->sp[s].t_end_s;
    if (lihop_h5i_dset_f64(c, g, gname, "t_end_s", 1, &d1, buf, "s") < 0)
        return -1;
    for (int s = 0; s < ns; s++)
        for (int k = 0; k < nt; k++)
            for (int a = 0; a < 3; a++)
                buf[((size_t)s * nt + k) * 3 + a] = r->sp[s].msd_m2[k][a];
    return lihop_h5i_dset_f64(c, g, gname, "msd_m2", 3, d3, buf, "m^2");
}

/* The [ns][3] per-axis quantities and the [3] total conductivity. */
static int write_axes(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_point_result *r, int ns,
                      double *buf)
{
    static const struct {
        size_t off;
        const char *name, *unit;
    } q[] = {
        {offsetof(lihop_species_result, D_m2_s), "D_m2_s", "m^2/s"},
        {offsetof(lihop_species_result, D_err), "D_err_m2_s", "m^2/s"},
        {offsetof(lihop_species_result, sigma_S_m), "sigma_S_m", "S/m"},
        {offsetof(lihop_species_result, sigma_err), "sigma_err_S_m", "S/m"},
        {offsetof(lihop_species_result, sigma_drift_S_m), "sigma_drift_S_m", "S/m"},
        {offsetof(lihop_species_result, sigma_drift_err), "sigma_drift_err_S_m", "S/m"},
        {offsetof(lihop_species_result, sigma_exact_S_m), "sigma_exact_S_m", "S/m"},
        {offsetof(lihop_species_result, D_early_axis_m2_s), "D_early_m2_s", "m^2/s"},
        {offsetof(lihop_species_result, D_late_axis_m2_s), "D_late_m2_s", "m^2/s"},
        {offsetof(lihop_species_result, slope_change_err), "slope_change_err_m2_s", "m^2/s"},
    };
    hsize_t d2[2] = {(hsize_t)ns, 3}, d1 = 3;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        for (int s = 0; s < ns; s++)
            memcpy(buf + (size_t)s * 3, (const char *)&r->sp[s] + q[i].off, 3 * sizeof *buf);
        if (lihop_h5i_dset_f64(c, g, gname, q[i].name, 2, d2, buf, q[i].unit) < 0)
            return -1;
    }
    int32_t conv[LIHOP_MAX_SPECIES * 3];
    for (int s = 0; s < ns; s++)
        for (int a = 0; a < 3; a++)
            conv[s * 3 + a] = r->sp[s].converged_axis[a];
    if (lihop_h5i_dset_write(c, g, gname, "converged_axis", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2, conv, "1") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "sigma_exact_total_S_m", 1, &d1, r->sigma_exact_total_S_m, "S/m") < 0)
        return -1;
    if (lihop_h5i_dset_f64(c, g, gname, "sigma_total_S_m", 1, &d1, r->sigma_total_S_m, "S/m") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "sigma_total_err_S_m", 1, &d1, r->sigma_total_err, "S/m") < 0)
        return -1;
    return 0;
}

/* residence_fraction (+ _err) [ns][np] and batch_D_m2_s [ns][nb][3]. */
static int write_residence(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_point_result *r, int ns,
                           int np, double *buf)
{
    const int nb = r->nbatches;
    hsize_t d2[2] = {(hsize_t)ns, (hsize_t)np}, d3[3] = {(hsize_t)ns, (hsize_t)nb, 3};
    for (int s = 0; s < ns; s++)
        for (int p = 0; p < np; p++)
            buf[(size_t)s * np + p] = r->sp[s].residence[p];
    if (lihop_h5i_dset_f64(c, g, gname, "residence_fraction", 2, d2, buf, "1") < 0)
        return -1;
    hsize_t dp = (hsize_t)np, dps[2] = {(hsize_t)np, 3};
    if (lihop_h5i_dset_f64(c, g, gname, "phase_fraction", 1, &dp, r->phase_fraction, "1") < 0 ||
        lihop_h5i_dset_f64(c, g, gname, "phase_weight_fraction", 1, &dp, r->phase_weight_fraction, "1") < 0 ||
        lihop_h5i_dset_write(c, g, gname, "phase_spans", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, dps, r->phase_spans,
                             "1") < 0)
        return -1;
    for (int s = 0; s < ns; s++)
        for (int p = 0; p < np; p++)
            buf[(size_t)s * np + p] = r->sp[s].residence_err[p];
    if (lihop_h5i_dset_f64(c, g, gname, "residence_fraction_err", 2, d2, buf, "1") < 0)
        return -1;
    for (int s = 0; s < ns; s++)
        for (int b = 0; b < nb; b++)
            for (int a = 0; a < 3; a++)
                buf[((size_t)s * nb + b) * 3 + a] =
                    r->sp[s].batch_D_m2_s ? r->sp[s].batch_D_m2_s[(size_t)b * 3 + a] : NAN;
    return lihop_h5i_dset_f64(c, g, gname, "batch_D_m2_s", 3, d3, buf, "m^2/s");
}

/* The [ns] per-species numbers: hops, walkers (uint64), n_avg_m3, D_early, D_late. */
static int write_counts(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_point_result *r, int ns,
                        double *buf)
{
    hsize_t d1 = (hsize_t)ns;
    uint64_t u[LIHOP_MAX_SPECIES];
    for (int s = 0; s < ns; s++)
        u[s] = r->sp[s].hops;
    if (lihop_h5i_dset_write(c, g, gname, "hops", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &d1, u, "1") < 0)
        return -1;
    for (int s = 0; s < ns; s++)
        u[s] = r->sp[s].walkers;
    if (lihop_h5i_dset_write(c, g, gname, "walkers", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &d1, u, "1") < 0)
        return -1;
    int32_t ext[LIHOP_MAX_SPECIES];
    for (int s = 0; s < ns; s++)
        ext[s] = r->sp[s].extensions;
    if (lihop_h5i_dset_write(c, g, gname, "extensions", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &d1, ext, "1") < 0)
        return -1;
    static const struct {
        size_t off;
        const char *name, *unit;
    } q[] = {
        {offsetof(lihop_species_result, n_avg_m3), "n_avg_m3", "1/m^3"},
        {offsetof(lihop_species_result, exact_wall_s), "exact_wall_s", "s"},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        for (int s = 0; s < ns; s++)
            memcpy(&buf[s], (const char *)&r->sp[s] + q[i].off, sizeof *buf);
        if (lihop_h5i_dset_f64(c, g, gname, q[i].name, 1, &d1, buf, q[i].unit) < 0)
            return -1;
    }
    return 0;
}

static lihop_status write_point_in(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                   const lihop_point_result *r, lihop_err *err)
{
    lihop_status st = check_point(h, cfg, r, err);
    if (st != LIHOP_OK)
        return st;
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    char gname[48];
    hid_t g = lihop_h5r_point_group(&c, h, r->index, gname);
    if (g < 0)
        return c.st;
    const int ns = h->nspecies, nt = r->nsamples, nb = r->nbatches, np = h->nphases;
    size_t nbuf = (size_t)ns * 3 * (size_t)(nt > nb ? nt : nb);
    if (nbuf < (size_t)ns * (size_t)(np > 3 ? np : 3))
        nbuf = (size_t)ns * (size_t)(np > 3 ? np : 3);
    double *buf = malloc(sizeof *buf * (nbuf > 0 ? nbuf : 1));
    if (!buf) {
        H5Gclose(g);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory writing %s", h->path, gname);
    }
    /* The /summary row goes in before the flag: a complete point always has its
     * row, and resume drops rows of points that never got the flag. */
    if (write_point_attrs(&c, g, gname, cfg, r, ns) == 0 && write_series(&c, g, gname, r, ns, buf) == 0 &&
        write_axes(&c, g, gname, r, ns, buf) == 0 && write_residence(&c, g, gname, r, ns, np, buf) == 0 &&
        write_counts(&c, g, gname, r, ns, buf) == 0 &&
        lihop_h5r_write_coord_attrs(&c, h, cfg, g, gname, coords) == 0 && append_summary(&c, h, r, coords) == 0)
        lihop_h5r_finish_point(&c, h, g, gname);
    H5Gclose(g);
    free(buf);
    return c.st;
}

static lihop_status voxel_writer(lihop_h5 *h, const lihop_config *cfg, const double *coords, const void *r,
                                 lihop_err *err)
{
    return write_point_in(h, cfg, coords, r, err);
}

lihop_status lihop_h5_write_point(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                  const lihop_point_result *r, lihop_err *err)
{
    if (!h || !cfg || !r)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_write_point: NULL argument");
    return lihop_h5r_write_committed(h, cfg, coords, r, r->index, voxel_writer, err);
}

