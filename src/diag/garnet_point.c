/* garnet_point.c - every run of a garnet sweep point and the numbers derived
 * from several runs (garnet_point.h). */
#include "garnet_point.h"
#include "garnet_observe.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

void lihop_bicrystal_analyse(int axis, double L_m, const lihop_garnet_result *bi,
                             const lihop_garnet_result *bulk, lihop_bicrystal_result *out)
{
    const int j = (axis + 1) % 3, k = (axis + 2) % 3;
    out->axis = axis;
    out->L_m = L_m;
    out->sigma_across_S_m = bi->sigma_NE_axis_S_m[axis];
    out->sigma_across_err = bi->sigma_NE_axis_err[axis];
    out->sigma_along_S_m = 0.5 * (bi->sigma_NE_axis_S_m[j] + bi->sigma_NE_axis_S_m[k]);
    out->sigma_along_err = 0.5 * hypot(bi->sigma_NE_axis_err[j], bi->sigma_NE_axis_err[k]);
    out->sigma_bulk_S_m = bulk->sigma_NE_S_m;
    out->sigma_bulk_err = bulk->sigma_NE_err;
    double sa = out->sigma_across_S_m, sb = out->sigma_bulk_S_m;
    out->asr_ohm_m2 = L_m * (1.0 / sa - 1.0 / sb);
    out->asr_err_ohm_m2 = L_m * hypot(out->sigma_across_err / (sa * sa), out->sigma_bulk_err / (sb * sb));
}

void lihop_drift_linearity(const lihop_garnet_result *d1, const lihop_garnet_result *d2, double *ratio,
                           double *err)
{
    double s1 = d1->sigma_drift_S_m, s2 = d2->sigma_drift_S_m;
    *ratio = s2 / s1;
    *err = fabs(*ratio) * hypot(d1->sigma_drift_err / s1, d2->sigma_drift_err / s2);
}

/* ---- one point --------------------------------------------------------------------- */

static lihop_status run_one(const lihop_config *cfg, int k, lihop_garnet_role role, int with_bicrystal,
                            lihop_backend_kind backend, int threads, volatile sig_atomic_t *interrupt,
                            lihop_garnet_result *res, double *L_m, lihop_err *err)
{
    lihop_lattice *lat = NULL;
    lihop_garnet_regions *reg = NULL;
    lihop_garnet *g = NULL;
    lihop_garnet_params p;
    int it, ix;
    lihop_garnet_point_axes(cfg, k, &it, &ix);
    lihop_status st = lihop_garnet_setup_lattice(cfg, with_bicrystal, &lat, err);
    if (st == LIHOP_OK && with_bicrystal && cfg->garnet.has_bicrystal)
        st = lihop_garnet_regions_build(cfg, lat, cfg->temperature_K[it], &reg, err);
    if (st == LIHOP_OK)
        st = lihop_garnet_params_fill(cfg, lat, reg, k, role, &p, err);
    p.interrupt = interrupt;   /* the engine reads it between replicas */
    if (st == LIHOP_OK)
        st = lihop_garnet_create(lat, &p, &g, err);
    if (st == LIHOP_OK && L_m)
        *L_m = reg ? reg->L_A * 1e-10 : NAN;
    lihop_garnet_regions_destroy(reg);
    lihop_lattice_destroy(lat);
    if (st == LIHOP_OK)
        st = lihop_garnet_run_backend(g, backend, threads, res, err);
    lihop_garnet_destroy(g);
    return st;
}

lihop_status lihop_garnet_point_run(const lihop_config *cfg, int k, lihop_backend_kind backend, int threads,
                                    volatile sig_atomic_t *interrupt, lihop_garnet_point *out, lihop_err *err)
{
    double w0 = omp_get_wtime();
    const lihop_garnet_cfg *g = &cfg->garnet;
    memset(out, 0, sizeof *out);
    if (cfg->model != LIHOP_MODEL_GARNET)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: not a garnet deck", cfg->path);
    if (k < 0 || k >= lihop_garnet_npoints(cfg))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: point %d out of range", k);
    out->index = k;
    lihop_garnet_point_axes(cfg, k, &out->it, &out->ix);
    out->T_K = cfg->temperature_K[out->it];
    out->li_per_fu = g->li_per_fu[out->ix];
    out->li_per_cell = g->li_per_cell[out->ix];
    out->drift_linearity = out->drift_linearity_err = NAN;
    double L_m = NAN;
#define STOP_IF_INTERRUPTED                                                              \
    do {                                                                                 \
        if (interrupt && *interrupt)                                                     \
            return lihop_fail(err, LIHOP_ERR_INTERRUPTED, "interrupted at point %d", k); \
    } while (0)
    STOP_IF_INTERRUPTED;
    lihop_status st = run_one(cfg, k, LIHOP_GROLE_MAIN, 1, backend, threads, interrupt, &out->main, &L_m, err);
    if (st != LIHOP_OK)
        return st;
    if (g->has_drift) {
        out->has_drift = 1;
        for (int i = 0; i < 2; i++) {
            STOP_IF_INTERRUPTED;
            out->drift_field_V_m[i] = g->drift_fields_V_m[i];
            st = run_one(cfg, k, i == 0 ? LIHOP_GROLE_DRIFT1 : LIHOP_GROLE_DRIFT2, 1, backend, threads,
                         interrupt, &out->drift[i], NULL, err);
            if (st != LIHOP_OK)
                return st;
        }
        lihop_drift_linearity(&out->drift[0], &out->drift[1], &out->drift_linearity, &out->drift_linearity_err);
    }
    if (g->has_bicrystal) {
        STOP_IF_INTERRUPTED;
        out->has_bulk = 1;
        st = run_one(cfg, k, LIHOP_GROLE_BULK, 0, backend, threads, interrupt, &out->bulk, NULL, err);
        if (st != LIHOP_OK)
            return st;
        lihop_bicrystal_analyse(g->bicrystal.axis, L_m, &out->main, &out->bulk, &out->bc);
    }
#undef STOP_IF_INTERRUPTED
    out->wall_s = omp_get_wtime() - w0;
    snprintf(out->backend, sizeof out->backend, "%s", out->main.backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu");
    out->threads = out->main.threads;
    return LIHOP_OK;
}
