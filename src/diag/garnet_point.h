/* garnet_point.h - one garnet sweep point (diag layer): its runs (main, two
 * drift fields, the bicrystal's bulk reference; see garnet_setup.h for their
 * streams) and the numbers derived from several runs (bicrystal ASR, drift
 * linearity). */
#ifndef LIHOP_GARNET_POINT_H
#define LIHOP_GARNET_POINT_H

#include <signal.h>
#include "garnet.h"
#include "garnet_setup.h"

/* ---- derived numbers -------------------------------------------------------- */

typedef struct {
    int axis;
    double L_m;                             /* boundary period */
    double sigma_across_S_m, sigma_across_err;   /* NE sigma along the axis (across the boundary) */
    double sigma_along_S_m, sigma_along_err;     /* mean of the other two axes */
    double sigma_bulk_S_m, sigma_bulk_err;       /* bulk reference, isotropic NE sigma */
    double asr_ohm_m2, asr_err_ohm_m2;           /* L (1/sigma_across - 1/sigma_bulk) */
} lihop_bicrystal_result;

/* Errors are propagated with the runs taken as independent (axes too). */
void lihop_bicrystal_analyse(int axis, double L_m, const lihop_garnet_result *bi,
                             const lihop_garnet_result *bulk, lihop_bicrystal_result *out);

/* ratio = sigma_drift(E2) / sigma_drift(E1) with propagated error. */
void lihop_drift_linearity(const lihop_garnet_result *d1, const lihop_garnet_result *d2, double *ratio,
                           double *err);

/* ---- one sweep point, every run ------------------------------------------- */

typedef struct {
    int index;                      /* k */
    int it, ix;                     /* temperature and Li-content indices */
    double T_K, li_per_fu, li_per_cell;
    lihop_garnet_result main;
    int has_drift;
    double drift_field_V_m[2];
    lihop_garnet_result drift[2];
    double drift_linearity, drift_linearity_err;   /* NaN without drift runs */
    int has_bulk;
    lihop_garnet_result bulk;
    lihop_bicrystal_result bc;
    double wall_s;                  /* all runs of the point */
    char backend[16];               /* "cpu" or "cuda" */
    int threads;
} lihop_garnet_point;

/* Run every run of point k (backend CPU or CUDA, resolved by the caller);
 * *interrupt != 0 (interrupt may be NULL) stops with LIHOP_ERR_INTERRUPTED
 * between runs and inside a run between replicas (lihop_garnet_params.interrupt). */
lihop_status lihop_garnet_point_run(const lihop_config *cfg, int k, lihop_backend_kind backend, int threads,
                                    volatile sig_atomic_t *interrupt, lihop_garnet_point *out, lihop_err *err);

#endif
