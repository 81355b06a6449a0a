/* voxel_judge.c - has a voxel point reached the long-time limit? (voxel_stats.h)
 *
 * Two tests per species and axis:
 * - the transient: the MSD slope of a heterogeneous medium falls towards its
 *   long-time value.  A fall between the early half [t/4, t/2] and the late
 *   half [t/2, t] of the window of more than TRANSIENT_NSE standard errors, on
 *   one axis or on the mean of the three, is a visible transient when
 *   TRANSIENT_FACTOR x the fall exceeds TRANSIENT_TOL x D.  The factor bounds
 *   the window estimate's distance from D_inf: 4/3 of the fall if D(t) - D_inf
 *   decayed as 1/t, but 2-7x was measured near LLZO percolation
 *   (validate_exact.c, voxel_short_run_flagged), so any clearly visible fall
 *   counts.  A converged run is flagged by chance on ~2 % of axes and then
 *   merely extended.
 * - the exact network value, where it was solved: the KMC value must agree
 *   within EXACT_NSE standard errors plus EXACT_TOL (issue 12 acceptance).
 * The slope test alone cannot see a transient smaller than its noise; the
 * exact value can. */
#include <math.h>
#include <stdio.h>
#include "voxel_stats.h"

#define TRANSIENT_NSE 2.0
#define TRANSIENT_FACTOR 4.0
#define TRANSIENT_TOL 0.03
#define EXACT_NSE 3.0
#define EXACT_TOL 0.03

/* A fall of the slope (m^2/s) with standard error se, against a slope D: visible? */
static int visible_fall(double fall, double se, double D)
{
    return fall > TRANSIENT_NSE * se && TRANSIENT_FACTOR * fall > TRANSIENT_TOL * fabs(D);
}

/* The three axes together: the mean fall (walkers' axes treated as independent). */
static int visible_mean_fall(const lihop_species_result *r)
{
    double fall = 0.0, var = 0.0, D = 0.0;
    for (int ax = 0; ax < 3; ++ax) {
        fall += (r->D_early_axis_m2_s[ax] - r->D_late_axis_m2_s[ax]) / 3.0;
        var += r->slope_change_err[ax] * r->slope_change_err[ax] / 9.0;
        D += r->D_m2_s[ax] / 3.0;
    }
    return visible_fall(fall, sqrt(var), D);
}

static int off_exact(const lihop_species_result *r, int ax)
{
    double ex = r->sigma_exact_S_m[ax];
    if (isnan(ex)) return 0;
    return !(fabs(r->sigma_S_m[ax] - ex) <= EXACT_NSE * r->sigma_err[ax] + EXACT_TOL * fabs(ex));
}

int lihop_voxel_judge_species(lihop_species_result *r)
{
    int all = 1, mean_moving = visible_mean_fall(r);
    for (int ax = 0; ax < 3; ++ax) {
        double fall = r->D_early_axis_m2_s[ax] - r->D_late_axis_m2_s[ax];
        /* written so that NaN (a broken run) also fails */
        int steady = !mean_moving && !visible_fall(fall, r->slope_change_err[ax], r->D_m2_s[ax]) &&
                     isfinite(r->D_m2_s[ax]);
        r->converged_axis[ax] = steady && !off_exact(r, ax);
        all &= r->converged_axis[ax];
    }
    return all;
}

static void describe(const lihop_config *cfg, double T, int s, int ax, const lihop_species_result *r, char *buf,
                     size_t len)
{
    static const char axis[3] = {'x', 'y', 'z'};
    int n = snprintf(buf, len, "species %s, axis %c at %g K: not converged after %d extension(s) (%gx the time): ",
                     cfg->species[s].name, axis[ax], T, r->extensions, ldexp(1.0, r->extensions));
    double ex = r->sigma_exact_S_m[ax];
    if (off_exact(r, ax) && n > 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, "KMC sigma %.4g +- %.2g S/m, exact network %.4g S/m (%+.1f %%); ",
                      r->sigma_S_m[ax], r->sigma_err[ax], ex, 100.0 * (r->sigma_S_m[ax] / ex - 1.0));
    if (n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n,
                 "MSD slope %.4g over [t/4, t/2], %.4g over [t/2, t] m^2/s (+- %.2g); raise run.hops_per_walker "
                 "or run.max_extensions", r->D_early_axis_m2_s[ax], r->D_late_axis_m2_s[ax], r->slope_change_err[ax]);
}

void lihop_voxel_judge_point(const lihop_config *cfg, double T, uint64_t truncated, lihop_point_result *res)
{
    res->converged = 1;
    res->warning[0] = '\0';
    for (int s = 0; s < cfg->nspecies && res->converged; ++s)
        for (int ax = 0; ax < 3; ++ax)
            if (!res->sp[s].converged_axis[ax]) {
                res->converged = 0;
                describe(cfg, T, s, ax, &res->sp[s], res->warning, sizeof res->warning);
                break;
            }
    if (truncated) {
        res->converged = 0;
        snprintf(res->warning, sizeof res->warning,
                 "%llu walkers hit the hop cap (1000x the mean hop count) and were stopped early",
                 (unsigned long long)truncated);
    }
}
