/* voxel_stats.h - the statistics of a voxel point (diag layer, voxel_stats.c):
 * walker records summed in walker order, the observables with their standard
 * errors, and the convergence judgement (voxel_judge.c).
 *
 * Error bars come from the spread over walkers, not over batches: the walkers
 * of a species are independent given the microstructure, so each one's
 * window estimate (d(t_end)^2 - d(t_end/4)^2 per axis) is an independent draw
 * and the standard error of their mean has walkers - 1 degrees of freedom.
 * With 10 batches the error of the error is 24 % and z = (x - mu)/err follows
 * Student's t with 9 degrees of freedom (mean z^2 = 1.29); over walkers it is
 * a normal deviate.  The batch sums stay for the stored per-batch D and the
 * residence fractions. */
#ifndef LIHOP_VOXEL_STATS_H
#define LIHOP_VOXEL_STATS_H

#include "voxel.h"

/* The fit window on the time grid t[0] = 0, t[k + 1] = t_sample[k]:
 * [t_end/4, t_end] (past the early transient; its MSD difference has 1.8x the
 * variance of MSD(t)/2t against 2.4x for [t_end/2, t_end]) and its midpoint,
 * which splits it into the early and late halves of the convergence check. */
typedef struct {
    double t[LIHOP_MAX_SAMPLES + 1];
    int iq, ih, ie;
} lihop_fit_window;

void lihop_fit_window_init(const lihop_voxel_params *p, lihop_fit_window *w);

/* Sums over the walkers of one species, in walker order (bit-identical for
 * any thread count, chunk size or backend). */
typedef struct {
    int nb, ns, np;
    lihop_fit_window win;
    int64_t *sum_d, *sum_d2;  /* per (batch, sample, axis): integer, exact */
    double *res;              /* [nb][np] residence time per phase */
    uint64_t *hops, *count;   /* [nb] */
    uint64_t truncated, n;
    /* per-walker window quantities, in voxels^2 (X, Y, Z) or voxels (V), per axis:
     * X = d(te)^2 - d(tq)^2, Y = d(th)^2 - d(tq)^2, Z = d(te)^2 - d(th)^2, V = d(te) - d(tq) */
    double sx[3], sxx[3], sy[3], syy[3], sz[3], szz[3], syz[3], sv[3], svv[3];
    double siso, sisoiso;     /* Xiso = X summed over the axes */
} lihop_voxel_accum;

int lihop_voxel_accum_init(lihop_voxel_accum *a, int nb, const lihop_voxel_params *p, int np);
void lihop_voxel_accum_free(lihop_voxel_accum *a);
void lihop_voxel_accum_add(lihop_voxel_accum *a, uint64_t walker, uint64_t nwalkers, const lihop_walker_out *w);

/* Observables of species s from its sums; batch_D (nb x 3) is filled. */
void lihop_voxel_observe(const lihop_config *cfg, const lihop_micro *m, int s, double T,
                         const lihop_voxel_params *p, const lihop_phase_transport *tr, const lihop_voxel_accum *a,
                         lihop_species_result *out);

/* Totals, t+ and the exact totals over the species (independent walkers, so
 * variances add; t+ by the delta method). */
void lihop_voxel_combine(const lihop_config *cfg, lihop_point_result *res);

/* Convergence of species s per axis (voxel_judge.c): no visible transient in the
 * MSD slope and, where the exact network value is known, agreement with it.
 * Returns 1 when every axis passes; fills out->converged_axis. */
int lihop_voxel_judge_species(lihop_species_result *out);

/* The point's verdict and warning from its species (after the last extension). */
void lihop_voxel_judge_point(const lihop_config *cfg, double T, uint64_t truncated, lihop_point_result *res);

#endif
