/* validate_space_charge.c - space-charge layers of the voxel model against
 * closed forms (issue 10 acceptance; README "Space-charge layers").
 *
 * A laminate normal to x, phase a (the layer side) next to phase b, the same
 * bulk in both.  A layer of width w depleted by phi(d) has the resistance of
 * the same width of bulk times  (1/w) int_0^w exp(e phi(d)/kT) dd; for
 * Mott-Schottky phi = Phi0 (1 - d/w)^2 that is int_0^1 exp(x u^2) du,
 * x = e Phi0 / kT: 7.63, 167.4, 5296 for 0.1, 0.2, 0.3 V at 298.15 K.  The
 * exact network gives the layer's resistance as the excess of the period's
 * series resistance over the bulk's; the walk is checked against that network
 * and its equilibrium occupation against exp(-e phi/kT). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "micro_h5.h"
#include "network.h"
#include "space_charge.h"
#include "validate_voxel_util.h"

#define T_SC 298.15

/* One species in two identical phases; a 1-D laminate of n voxels (na of phase a) of 1 nm. */
static void sc_config(lihop_config *c, int n, int na, lihop_sc_profile kind, double phi0, double length_vox)
{
    const double conc[2] = {1e27, 1e27}, D[2] = {1e-12, 1e-12};
    lihop_vcheck_base_config(c, 2, conc, D);
    c->temperature_K[0] = T_SC;
    c->micro.n[0] = n;
    c->micro.n[1] = c->micro.n[2] = 1;
    c->micro.generator = LIHOP_GEN_LAMINATE;
    c->micro.axis = 0;
    c->micro.nlayers = 2;
    c->micro.layer_phase[0] = 0;
    c->micro.layer_phase[1] = 1;
    c->micro.layer_fraction[0] = (double)na / n;
    c->micro.layer_fraction[1] = 1.0 - (double)na / n;
    c->nspace_charge = 1;
    c->space_charge[0].side_phase = 0;
    c->space_charge[0].other_phase = 1;
    c->space_charge[0].profile = kind;
    c->space_charge[0].phi0_V = phi0;
    c->space_charge[0].length_m = length_vox * c->micro.voxel_m;
}

/* Layer resistance / the same width of bulk, from the exact network (two layers per period). */
static lihop_status layer_ratio(const lihop_config *c, double width_vox, double *ratio, lihop_err *err)
{
    lihop_micro *m = NULL;
    lihop_status st = lihop_micro_load(&c->micro, c->nphases, NULL, &m, err);
    double *phi = st ? NULL : malloc((size_t)lihop_micro_nvox(m) * sizeof *phi);
    if (!st && !phi) st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    if (!st) st = lihop_sc_potential(c, m, T_SC, phi, NULL, err);
    lihop_network_result r;
    if (!st) st = lihop_network_sigma(c, m, 0, T_SC, phi, &r, err);
    if (!st) {
        double h = m->voxel_m, L = m->n[0] * h;
        double sigma = LIHOP_E * LIHOP_E * 1e27 * 1e-12 / (LIHOP_KB * T_SC);     /* bulk, S/m */
        double excess = (L / r.sigma_S_m[0][0] - L / sigma) / 2.0;             /* per layer, ohm m^2 */
        *ratio = 1.0 + excess / (width_vox * h / sigma);
    }
    free(phi);
    lihop_micro_destroy(m);
    return st;
}

/* int_0^1 exp(s x u^2) du by the midpoint rule on 2e5 cells (converged to 1e-9). */
static double ms_integral(double x, double s)
{
    const int n = 200000;
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
        double u = (i + 0.5) / n;
        sum += exp(s * x * u * u);
    }
    return sum / n;
}

static lihop_status check_mott_schottky(int threads, lihop_check_result *o, lihop_err *err)
{
    (void)threads;
    const double phi0[4] = {0.1, 0.2, 0.3, -0.1}, published[3] = {7.63, 167.4, 5296.0}, w = 200.0;
    double worst = 0.0, x = 0.0;
    char what[160] = "";
    lihop_config *c = calloc(1, sizeof *c);
    if (!c) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    for (int k = 0; k < 4; ++k) {
        sc_config(c, 800, 400, LIHOP_SC_MOTT_SCHOTTKY, phi0[k], w);
        double ratio;
        lihop_status st = layer_ratio(c, w, &ratio, err);
        if (st) { free(c); return st; }
        x = fabs(phi0[k]) * LIHOP_E / (LIHOP_KB * T_SC);
        double expect = ms_integral(x, phi0[k] > 0 ? 1.0 : -1.0);
        if (k < 3 && fabs(expect / published[k] - 1.0) > 1e-3) expect = NAN;   /* the closed form itself */
        double dev = fabs(ratio / expect - 1.0);
        if (!(dev <= worst)) worst = dev;
        size_t len = strlen(what);
        snprintf(what + len, sizeof what - len, "%s%.4g", k ? "/" : "", ratio);
    }
    free(c);
    char text[160];
    snprintf(text, sizeof text, "Mott-Schottky layer/bulk resistance at 0.1/0.2/0.3 V (7.63/167.4/5296) and "
             "-0.1 V (accumulation): %s, worst rel. dev.", what);
    lihop_check_set_row(o, text, 0.0, worst, 0.0, 0.05, "1");
    return LIHOP_OK;
}

/* Gouy-Chapman: the network's excess resistance against the numerical integral of its own profile. */
static lihop_status check_gouy_chapman(int threads, lihop_check_result *o, lihop_err *err)
{
    (void)threads;
    const double lambda = 20.0, phi0 = 0.1;
    lihop_config *c = calloc(1, sizeof *c);
    if (!c) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    sc_config(c, 800, 400, LIHOP_SC_GOUY_CHAPMAN, phi0, lambda);
    double ratio;
    lihop_status st = layer_ratio(c, lambda, &ratio, err);
    free(c);
    if (st) return st;
    /* (1/lambda) int_0^{200} exp(e phi(d)/kT) dd over the half slab, midpoint rule */
    double kT_e = LIHOP_KB * T_SC / LIHOP_E, sum = 0.0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        double d = (i + 0.5) * 200.0 / n;
        sum += exp(lihop_sc_profile_phi_V(LIHOP_SC_GOUY_CHAPMAN, phi0, lambda, 0, NULL, NULL, d, T_SC) / kT_e);
    }
    double expect = sum * (200.0 / n) / lambda - (200.0 - lambda) / lambda;   /* the bulk beyond lambda removed */
    lihop_check_set_row(o, "Gouy-Chapman layer (0.1 V, Debye length 20 voxels): excess resistance / lambda of bulk "
                        "vs the integral of exp(e phi/kT) over its own profile, 5 %", expect, ratio, 0.0,
                        0.05 * expect, "1");
    return LIHOP_OK;
}

/* The walk with a layer: sigma_xx vs the exact network, and the time spent in
 * the all-layer phase a vs its equilibrium weight sum(exp(-e phi/kT)). */
static lihop_status check_walk(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_config *c = calloc(1, sizeof *c);
    lihop_point_result *r = calloc(1, sizeof *r);
    if (!c || !r) { free(c); free(r); return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory"); }
    sc_config(c, 30, 10, LIHOP_SC_MOTT_SCHOTTKY, 0.1, 5.0);
    c->micro.n[1] = c->micro.n[2] = 2;
    c->run.walkers = 4000;
    c->run.hops_per_walker = 40000;
    c->run.exact_reference = 1;
    c->run.max_extensions = 2;
    double frac[LIHOP_MAX_PHASES];
    lihop_status st = lihop_vcheck_run_one(c, T_SC, threads, r, frac, err);
    if (!st) {
        /* expected residence in a: sum over its 10 planes of g, against the 20 planes of b */
        double ga = 0.0, kT_e = LIHOP_KB * T_SC / LIHOP_E;
        for (int k = 0; k < 10; ++k) {
            double d = (k < 5 ? k + 0.5 : 9 - k + 0.5) * 1.0;      /* voxels from the nearer interface */
            ga += exp(-lihop_sc_profile_phi_V(LIHOP_SC_MOTT_SCHOTTKY, 0.1, 5.0, 0, NULL, NULL, d, T_SC) / kT_e);
        }
        double occ = ga / (ga + 20.0), dev_occ = fabs(r->sp[0].residence[0] / occ - 1.0);
        double ex = r->sp[0].sigma_exact_S_m[0], dev = fabs(r->sp[0].sigma_S_m[0] - ex);
        int ok = dev <= 3.0 * r->sp[0].sigma_err[0] + 0.03 * ex && dev_occ <= 0.01;
        char text[160];
        snprintf(text, sizeof text, "walk with a 0.1 V MS layer: sigma_xx vs exact within 3 SE + 3 %% (%+.1f %%), "
                 "time in the layer phase vs sum exp(-e phi/kT) within 1 %% (%.3f vs %.3f)",
                 100.0 * (r->sp[0].sigma_S_m[0] / ex - 1.0), r->sp[0].residence[0], occ);
        lihop_check_set_row(o, text, ex, r->sp[0].sigma_S_m[0], r->sp[0].sigma_err[0],
                            3.0 * r->sp[0].sigma_err[0] + 0.03 * ex, "S/m");
        o->pass = ok;
    }
    lihop_point_result_free(r);
    free(r);
    free(c);
    return st;
}

/* Detailed balance voxel by voxel: a slab of 8 one-voxel planes, each its own
 * (identical) phase with its own Mott-Schottky entry towards phase b, so the
 * time spent in each phase is the occupation of one plane of voxels: it must
 * be exp(-e phi_k/kT) / (sum_j exp(-e phi_j/kT) + 16) within 1 %. */
#define OCC_PLANES 8
static void occupation_config(lihop_config *c)
{
    double conc[OCC_PLANES + 1], D[OCC_PLANES + 1];
    for (int p = 0; p <= OCC_PLANES; ++p) { conc[p] = 1e27; D[p] = 1e-12; }
    lihop_vcheck_base_config(c, OCC_PLANES + 1, conc, D);
    c->temperature_K[0] = T_SC;
    c->micro.n[0] = 3 * OCC_PLANES;
    c->micro.n[1] = c->micro.n[2] = 2;
    c->micro.generator = LIHOP_GEN_LAMINATE;
    c->micro.nlayers = OCC_PLANES + 1;
    for (int p = 0; p <= OCC_PLANES; ++p) {
        c->micro.layer_phase[p] = p;
        c->micro.layer_fraction[p] = p < OCC_PLANES ? 1.0 / (3 * OCC_PLANES) : 2.0 / 3.0;
    }
    c->nspace_charge = OCC_PLANES;
    for (int k = 0; k < OCC_PLANES; ++k) {
        c->space_charge[k] = (lihop_space_charge_cfg){.side_phase = k, .other_phase = OCC_PLANES,
                                                      .profile = LIHOP_SC_MOTT_SCHOTTKY, .phi0_V = 0.1,
                                                      .length_m = 4.0 * c->micro.voxel_m};
    }
    c->run.walkers = 4000;
    c->run.hops_per_walker = 40000;
}

static lihop_status check_occupation(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_config *c = calloc(1, sizeof *c);
    lihop_point_result *r = calloc(1, sizeof *r);
    if (!c || !r) { free(c); free(r); return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory"); }
    occupation_config(c);
    lihop_status st = lihop_vcheck_run_one(c, T_SC, threads, r, NULL, err);
    if (!st) {
        double g[OCC_PLANES], sum = 2.0 * OCC_PLANES, kT_e = LIHOP_KB * T_SC / LIHOP_E, worst = 0.0, werr = 0.0;
        for (int k = 0; k < OCC_PLANES; ++k) {
            double d = fmin(k + 1, OCC_PLANES - k) - 0.5;             /* voxels to the nearer b plane */
            g[k] = exp(-lihop_sc_profile_phi_V(LIHOP_SC_MOTT_SCHOTTKY, 0.1, 4.0, 0, NULL, NULL, d, T_SC) / kT_e);
            sum += g[k];
        }
        for (int k = 0; k < OCC_PLANES; ++k) {
            double expect = g[k] / sum, dev = fabs(r->sp[0].residence[k] / expect - 1.0);
            if (dev > worst) { worst = dev; werr = r->sp[0].residence_err[k] / expect; }
        }
        char text[160];
        snprintf(text, sizeof text, "detailed balance: time in each of 8 one-voxel planes of a 0.1 V MS layer vs "
                 "exp(-e phi/kT) x density, worst relative deviation, 1 %%");
        lihop_check_set_row(o, text, 0.0, worst, werr, 0.01, "1");
    }
    lihop_point_result_free(r);
    free(r);
    free(c);
    return st;
}

static const lihop_check sc_checks[] = {
    {"space_charge_occupation", "per-plane Boltzmann occupation in a layer (detailed balance)", check_occupation},
    {"space_charge_mott_schottky", "Mott-Schottky layer resistance (exact network)", check_mott_schottky},
    {"space_charge_gouy_chapman", "Gouy-Chapman layer resistance (exact network)", check_gouy_chapman},
    {"space_charge_walk", "KMC with a layer vs the exact network and Boltzmann occupation", check_walk},
};

const lihop_check *lihop_validate_space_charge_checks(int *n)
{
    *n = (int)(sizeof sc_checks / sizeof sc_checks[0]);
    return sc_checks;
}
