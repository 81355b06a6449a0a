/* results.h - what one sweep point of a voxel run produces (all SI units). */
#ifndef LIHOP_RESULTS_H
#define LIHOP_RESULTS_H

#include <stdint.h>
#include "config.h"

typedef struct {
    double t_end_s;                         /* simulated time per walker of this species */
    double time_s[LIHOP_MAX_SAMPLES];       /* its sample times (hops_per_walker gives each species its own) */
    double n_avg_m3;                        /* volume-averaged equilibrium carrier density, 1/m^3 */
    double D_m2_s[3], D_err[3];             /* effective diffusion coefficient, diagonal xx yy zz */
    double sigma_S_m[3], sigma_err[3];      /* Nernst-Einstein conductivity, diagonal */
    double sigma_drift_S_m[3], sigma_drift_err[3]; /* from drift under the applied field (NaN if no field) */
    double residence[LIHOP_MAX_PHASES];     /* fraction of time spent in each phase */
    double residence_err[LIHOP_MAX_PHASES];
    uint64_t hops;                          /* total hops of this species' walkers */
    uint64_t walkers;
    double msd_m2[LIHOP_MAX_SAMPLES][3];    /* <dx^2>(t_k) per axis */
    double *batch_D_m2_s;                   /* [nbatches][3], owned by the point result */
    double D_early_m2_s;                    /* MSD slope / 2 over [t_end/4, t_end/2] (convergence check) */
    double D_late_m2_s;                     /* MSD slope / 2 over [t_end/2, t_end] */
    double sigma_iso_S_m, sigma_iso_err;    /* mean of the diagonal, error over walkers */
    /* convergence (voxel_judge.c) */
    double D_early_axis_m2_s[3], D_late_axis_m2_s[3]; /* per axis, over [t/4, t/2] and [t/2, t] */
    double slope_change_err[3];             /* standard error of D_early_axis - D_late_axis */
    double sigma_exact_S_m[3];              /* exact network value, S/m (NaN: not computed) */
    double exact_wall_s;                    /* its cost */
    int converged_axis[3];                  /* 1: no visible transient, agrees with the exact value */
    int extensions;                         /* times the run time was doubled */
} lihop_species_result;

typedef struct {
    int index;                              /* sweep point number k */
    double T_K;
    int nsamples;                           /* time-grid points (the same count for every species) */
    int nspecies;
    lihop_species_result sp[LIHOP_MAX_SPECIES];
    int nbatches;
    double sigma_total_S_m[3], sigma_total_err[3];
    double sigma_iso_S_m, sigma_iso_err;    /* mean of the diagonal */
    double t_plus, t_plus_err;              /* of cfg->transference_species */
    double sigma_exact_total_S_m[3];        /* exact network totals (NaN: not computed) */
    double sigma_exact_iso_S_m, t_plus_exact;
    /* the point's microstructure (set by whoever built it: sweep_run.c) */
    double phase_fraction[LIHOP_MAX_PHASES];
    double phase_weight_fraction[LIHOP_MAX_PHASES];   /* NaN unless every phase present has a density */
    int32_t phase_spans[LIHOP_MAX_PHASES][3];   /* 1: the phase wraps around the periodic box along x, y, z */
    int converged;                          /* 0: a species still in its transient or off the exact value */
    char warning[512];
    double wall_s;
    char backend[16];                       /* "cpu" or "cuda" */
    int threads;
} lihop_point_result;

void lihop_point_result_free(lihop_point_result *r);   /* frees batch arrays, not r */

#endif
