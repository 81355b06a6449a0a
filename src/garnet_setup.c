/* garnet_setup.c - garnet deck -> lattice, region arrays, engine parameters,
 * and the derived numbers (see garnet_setup.h). */
#include "garnet_setup.h"

#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "garnet_event.h"   /* lihop_garnet_u53 */
#include "rng.h"

#define KB_EV_PER_K 8.617333262e-5  /* Boltzmann constant, eV/K (CODATA 2018, exact); kT/e in V */
/* Subsequence high words of the quenched draws of a bicrystal (key = deck seed):
 * kept apart from replica streams (high word = run stream < 2^28) and from the
 * engine's own disorder subsequences (0x6d15a3d1). */
#define SLAB_DISORDER_SUBSEQ ((uint64_t)0x51ab0d15u << 32)
#define SLAB_REMOVAL_SUBSEQ ((uint64_t)0x51ab0de1u << 32)

int lihop_garnet_npoints(const lihop_config *cfg)
{
    return cfg->ntemps * cfg->garnet.nli;
}

void lihop_garnet_point_axes(const lihop_config *cfg, int k, int *it, int *ix)
{
    int nt = cfg->ntemps > 0 ? cfg->ntemps : 1;
    *it = k % nt;
    *ix = k / nt;
}

uint32_t lihop_garnet_stream(const lihop_config *cfg, int k, lihop_garnet_role role)
{
    int it, ix;
    lihop_garnet_point_axes(cfg, k, &it, &ix);
    return lihop_stream_id(lihop_config_point_key(cfg, cfg->temperature_K[it], ix), (unsigned)role);
}

/* ---- geometry -------------------------------------------------------------------- */

static void cross3(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

double lihop_bicrystal_period_A(const lihop_bicrystal_cfg *b, const lihop_lattice *lat)
{
    const int a = b->axis, j = (a + 1) % 3, k = (a + 2) % 3;
    double n[3];
    cross3(lat->cell_A[j], lat->cell_A[k], n);
    double area = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    double vol = fabs(lat->cell_A[a][0] * n[0] + lat->cell_A[a][1] * n[1] + lat->cell_A[a][2] * n[2]);
    return area > 0.0 ? vol / area : 0.0;
}

double lihop_bicrystal_distance_A(const lihop_bicrystal_cfg *b, const lihop_lattice *lat, const double frac[3])
{
    double u = frac[b->axis] - b->center_frac;
    u -= floor(u + 0.5);            /* minimum image: u in [-1/2, 1/2) */
    return u * lihop_bicrystal_period_A(b, lat);
}

double lihop_space_charge_phi_V(const lihop_bicrystal_cfg *b, double d_A, double T_K)
{
    double d = fabs(d_A);
    switch (b->profile) {
    case LIHOP_SC_GOUY_CHAPMAN: {
        double kT_e = KB_EV_PER_K * T_K;                     /* V */
        double g = tanh(b->phi0_V / (4.0 * kT_e));
        double q = g * exp(-d / b->length_A);
        return 2.0 * kT_e * log((1.0 + q) / (1.0 - q));
    }
    case LIHOP_SC_MOTT_SCHOTTKY:
        if (d >= b->length_A)
            return 0.0;
        return b->phi0_V * (1.0 - d / b->length_A) * (1.0 - d / b->length_A);
    case LIHOP_SC_TABLE: {
        int n = b->ntable;
        if (n < 1 || d > b->table_d_A[n - 1])
            return 0.0;
        if (d <= b->table_d_A[0])
            return b->table_phi_V[0];
        int i = 1;
        while (i < n - 1 && b->table_d_A[i] < d)
            i++;
        double x0 = b->table_d_A[i - 1], x1 = b->table_d_A[i];
        double w = (d - x0) / (x1 - x0);
        return b->table_phi_V[i - 1] + w * (b->table_phi_V[i] - b->table_phi_V[i - 1]);
    }
    case LIHOP_SC_NONE:
    default:
        return 0.0;
    }
}

/* Standard normal of site i from its own Philox stream (Marsaglia polar, exact log). */
static double site_normal(uint64_t seed, uint64_t subseq_hi, int32_t i)
{
    lihop_stream s;
    lihop_stream_init(&s, seed, subseq_hi | (uint64_t)(uint32_t)i);
    for (;;) {
        lihop_u32x4 r = lihop_stream_next(&s);
        double u = 2.0 * lihop_garnet_u53(r.v[0], r.v[1]) - 1.0;
        double v = 2.0 * lihop_garnet_u53(r.v[2], r.v[3]) - 1.0;
        double q = u * u + v * v;
        if (q > 0.0 && q < 1.0)
            return u * sqrt(-2.0 * lihop_log_exact(q) / q);
    }
}

static double site_uniform(uint64_t seed, uint64_t subseq_hi, int32_t i)
{
    lihop_u32x4 r = lihop_philox_host(seed, subseq_hi | (uint64_t)(uint32_t)i, 0);
    return lihop_garnet_u53(r.v[0], r.v[1]);
}

static lihop_status at_src(lihop_err *err, const lihop_cfg_src *s, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static lihop_status at_src(lihop_err *err, const lihop_cfg_src *s, const char *key, const char *fmt, ...)
{
    char body[LIHOP_MSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    return lihop_fail(err, LIHOP_ERR_INPUT, "%s:%d: key '%s': %s", s->file, s->line, key, body);
}

lihop_status lihop_garnet_setup_lattice(const lihop_config *cfg, int with_bicrystal, lihop_lattice **out,
                                        lihop_err *err)
{
    *out = NULL;
    const lihop_garnet_cfg *g = &cfg->garnet;
    if (cfg->model != LIHOP_MODEL_GARNET)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: not a garnet deck", cfg->path);
    lihop_lattice *lat = NULL;
    lihop_err e2 = {{0}};
    if (lihop_lattice_build(&g->lattice, g->cells, &lat, &e2) != LIHOP_OK)
        return at_src(err, &g->src_cells, "garnet.cells", "expected a supercell of lattice '%s' that can be built, got %s",
                      g->lattice.name, e2.msg);
    /* every pair shell must catch some pairs of this lattice (a window that
     * catches none is a typo in a distance) */
    for (int k = 0; k < g->npair_shells; k++) {
        int32_t *ps = NULL, *pn = NULL;
        int64_t np = 0;
        lihop_status st = lihop_lattice_pairs(lat, g->pair_shell_min_A[k], g->pair_shell_max_A[k], &ps, &pn, &np, &e2);
        free(ps);
        free(pn);
        if (st != LIHOP_OK) {
            lihop_lattice_destroy(lat);
            return lihop_fail(err, st, "%s", e2.msg);
        }
        if (np == 0) {
            char key[64];
            snprintf(key, sizeof key, "%spair_shells_eV[%d]",
                     g->material_path[0] && strcmp(g->src_shells.file, g->material_path) == 0 ? "" : "garnet.", k);
            lihop_lattice_destroy(lat);
            return at_src(err, &g->src_shells, key,
                          "expected a distance window that contains pairs of sites of lattice '%s' (see lihop lattice "
                          "for its pair distances), got none in [%g, %g) A",
                          g->lattice.name, g->pair_shell_min_A[k], g->pair_shell_max_A[k]);
        }
    }
    if (with_bicrystal && g->has_bicrystal) {
        const lihop_bicrystal_cfg *b = &g->bicrystal;
        double L = lihop_bicrystal_period_A(b, lat);
        if (!(b->thickness_A < L)) {
            lihop_lattice_destroy(lat);
            return at_src(err, &b->src, "garnet.bicrystal.thickness_A",
                          "expected a slab thinner than the supercell period along %c (%.4g A), got %g A",
                          "xyz"[b->axis], L, b->thickness_A);
        }
        if (b->site_removal_fraction > 0.0) {
            uint8_t *rm = calloc((size_t)lat->nsites, 1);
            if (!rm) {
                lihop_lattice_destroy(lat);
                return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (site removal)");
            }
            for (int32_t i = 0; i < lat->nsites; i++) {
                double d = lihop_bicrystal_distance_A(b, lat, lat->frac + 3 * (size_t)i);
                rm[i] = fabs(d) <= 0.5 * b->thickness_A &&
                        site_uniform(cfg->seed, SLAB_REMOVAL_SUBSEQ, i) < b->site_removal_fraction;
            }
            lihop_status st = lihop_lattice_remove_sites(lat, rm, NULL, &e2);
            free(rm);
            if (st != LIHOP_OK) {
                lihop_lattice_destroy(lat);
                return at_src(err, &b->src, "garnet.bicrystal.site_removal_fraction", "expected sites left, got %s", e2.msg);
            }
        }
    }
    *out = lat;
    return LIHOP_OK;
}

void lihop_garnet_regions_destroy(lihop_garnet_regions *r)
{
    if (!r)
        return;
    free(r->d_A);
    free(r->in_slab);
    free(r->phi_V);
    free(r->site_shift_eV);
    free(r->kra_shift_eV);
    free(r);
}

lihop_status lihop_garnet_regions_build(const lihop_config *cfg, const lihop_lattice *lat, double T_K,
                                        lihop_garnet_regions **out, lihop_err *err)
{
    *out = NULL;
    const lihop_bicrystal_cfg *b = &cfg->garnet.bicrystal;
    if (!cfg->garnet.has_bicrystal)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: the deck has no bicrystal block", cfg->path);
    if (!(T_K > 0.0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet regions: T_K must be > 0, got %g", T_K);
    lihop_garnet_regions *r = calloc(1, sizeof *r);
    size_t n = (size_t)lat->nsites;
    if (r) {
        r->nsites = lat->nsites;
        r->d_A = malloc(n * sizeof *r->d_A);
        r->in_slab = malloc(n);
        r->phi_V = malloc(n * sizeof *r->phi_V);
        r->site_shift_eV = malloc(n * sizeof *r->site_shift_eV);
        r->kra_shift_eV = malloc(n * sizeof *r->kra_shift_eV);
    }
    if (!r || !r->d_A || !r->in_slab || !r->phi_V || !r->site_shift_eV || !r->kra_shift_eV) {
        lihop_garnet_regions_destroy(r);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (region arrays of %d sites)", lat->nsites);
    }
    r->L_A = lihop_bicrystal_period_A(b, lat);
    for (int32_t i = 0; i < lat->nsites; i++) {
        double d = lihop_bicrystal_distance_A(b, lat, lat->frac + 3 * (size_t)i);
        int in = fabs(d) <= 0.5 * b->thickness_A;
        r->d_A[i] = d;
        r->in_slab[i] = (uint8_t)in;
        r->nslab += in;
        r->phi_V[i] = lihop_space_charge_phi_V(b, d, T_K);
        r->site_shift_eV[i] = 0.0;
        r->kra_shift_eV[i] = 0.0;
        if (in) {
            r->site_shift_eV[i] = b->site_shift_eV;
            if (b->disorder_sigma_eV > 0.0)
                r->site_shift_eV[i] += b->disorder_sigma_eV * site_normal(cfg->seed, SLAB_DISORDER_SUBSEQ, i);
            r->kra_shift_eV[i] = b->kra_shift_eV;
        }
    }
    *out = r;
    return LIHOP_OK;
}

lihop_status lihop_garnet_params_fill(const lihop_config *cfg, const lihop_lattice *lat,
                                      const lihop_garnet_regions *reg, int k, lihop_garnet_role role,
                                      lihop_garnet_params *p, lihop_err *err)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    const int npts = lihop_garnet_npoints(cfg);
    if (k < 0 || k >= npts || k >= LIHOP_GARNET_MAX_POINTS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: point %d out of range (0..%d)", k, npts - 1);
    if (reg && reg->nsites != lat->nsites)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "garnet: region arrays for %d sites, lattice has %d",
                          (int)reg->nsites, lat->nsites);
    if (lat->nsub != g->nsub)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "garnet: lattice has %d sublattices, the deck %d", lat->nsub, g->nsub);
    int it, ix;
    lihop_garnet_point_axes(cfg, k, &it, &ix);
    lihop_garnet_params_default(p);
    p->T_K = cfg->temperature_K[it];
    p->nu_Hz = g->nu_Hz;
    p->rate_law = g->rate_law == LIHOP_GRATE_METROPOLIS ? LIHOP_RATE_METROPOLIS : LIHOP_RATE_KRA;

    /* every sublattice pair joined by a hop needs a barrier under kra */
    if (g->rate_law == LIHOP_GRATE_KRA) {
        for (int32_t i = 0; i < lat->nsites; i++)
            for (int32_t e = lat->hop_start[i]; e < lat->hop_start[i + 1]; e++) {
                int a = lat->sub[i], b = lat->sub[lat->hop_nbr[e]];
                if (!g->kra_given[a][b])
                    return at_src(err, &g->src_kra,
                                  g->material_path[0] && strcmp(g->src_kra.file, g->material_path) == 0
                                      ? "E_kra_eV" : "garnet.E_kra_eV",
                                  "expected a barrier for every sublattice pair joined by hops in lattice '%s' "
                                  "(rate_law kra), got none for pair [%s, %s]",
                                  g->lattice.name, g->subname[a], g->subname[b]);
            }
    }
    for (int a = 0; a < g->nsub; a++) {
        p->site_energy_eV[a] = g->site_energy_eV[a];
        for (int b = 0; b < g->nsub; b++)
            p->E_kra_eV[a][b] = g->E_kra_eV[a][b];
    }
    p->E_nn_eV = g->E_nn_eV;
    p->npair_shells = g->npair_shells;
    for (int k = 0; k < g->npair_shells; ++k) {
        p->pair_shell_min_A[k] = g->pair_shell_min_A[k];
        p->pair_shell_max_A[k] = g->pair_shell_max_A[k];
        p->pair_shell_eV[k] = g->pair_shell_eV[k];
    }
    p->disorder_sigma_eV = g->disorder_sigma_eV;
    p->disorder_seed = cfg->seed;
    if (reg) {
        p->phi_V = reg->phi_V;
        p->site_shift_eV = reg->site_shift_eV;
        p->kra_shift_eV = reg->kra_shift_eV;
    }
    for (int a = 0; a < 3; a++)
        p->field_V_m[a] = g->field_V_m[a];
    if (role == LIHOP_GROLE_DRIFT1 || role == LIHOP_GROLE_DRIFT2) {
        if (!g->has_drift)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: drift run requested without drift_fields_V_m", cfg->path);
        p->field_V_m[0] = g->drift_fields_V_m[role == LIHOP_GROLE_DRIFT1 ? 0 : 1];
        p->field_V_m[1] = p->field_V_m[2] = 0.0;
    }

    int nli = 0;
    lihop_err e2 = {{0}};
    char key[64];
    snprintf(key, sizeof key, "garnet.%s[%d]", g->li_is_per_cell ? "li_per_cell" : "li_per_fu", ix);
    if (lihop_lattice_li_count(&g->lattice, lat, g->li_per_fu[ix], &nli, &e2) != LIHOP_OK)
        return at_src(err, &g->src_li, key, "expected a Li content that fits the supercell, got %g (%s)",
                      g->li_is_per_cell ? g->li_per_cell[ix] : g->li_per_fu[ix], e2.msg);
    if (nli < 1)
        return at_src(err, &g->src_li, key, "expected at least 1 Li in the supercell, got %g",
                      g->li_is_per_cell ? g->li_per_cell[ix] : g->li_per_fu[ix]);
    p->nli = nli;

    const lihop_run_cfg *r = &cfg->run;
    p->nreplicas = r->replicas;
    p->seed = cfg->seed;
    p->stream = lihop_garnet_stream(cfg, k, role);
    p->time_s = r->time_s;
    p->hops_per_li = r->hops_per_li;
    p->equil_hops_per_li = r->equil_hops_per_li;
    p->nsamples = r->samples;
    p->fit_from = r->fit_from;
    p->fit_to = r->fit_to;
    p->nbatches = r->batches;
    return LIHOP_OK;
}

/* ---- derived numbers ------------------------------------------------------------- */

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

lihop_status lihop_li_peak_find(int n, const double *li, const double *sigma, const double *sigma_err,
                                lihop_li_peak *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    if (n < 3 || n > LIHOP_MAX_LI_VALUES)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Li-content maximum: need 3..%d Li contents, got %d",
                          LIHOP_MAX_LI_VALUES, n);
    int ord[LIHOP_MAX_LI_VALUES];
    for (int i = 0; i < n; i++) {
        if (!(sigma[i] > 0.0) || !isfinite(sigma[i]) || !isfinite(li[i]))
            return lihop_fail(err, LIHOP_ERR_INPUT, "Li-content maximum: sigma %g at Li %g", sigma[i], li[i]);
        ord[i] = i;
    }
    for (int i = 1; i < n; i++)      /* insertion sort by Li content */
        for (int k = i; k > 0 && li[ord[k]] < li[ord[k - 1]]; k--) {
            int t = ord[k]; ord[k] = ord[k - 1]; ord[k - 1] = t;
        }
    int best = 0;
    for (int k = 0; k < n; k++) {
        if (k > 0 && li[ord[k]] == li[ord[k - 1]])
            return lihop_fail(err, LIHOP_ERR_INPUT, "Li-content maximum: Li %g appears twice", li[ord[k]]);
        if (sigma[ord[k]] > sigma[ord[best]]) best = k;
    }
    out->n = n;
    out->li_max = li[ord[best]];
    out->sigma_max = sigma[ord[best]];
    out->sigma_max_err = sigma_err ? sigma_err[ord[best]] : NAN;
    out->ratio_low = out->sigma_max / sigma[ord[0]];
    out->ratio_high = out->sigma_max / sigma[ord[n - 1]];
    out->li_vertex = NAN;
    if (best > 0 && best < n - 1) {
        /* parabola through (x0, y0), (x1, y1), (x2, y2): vertex
         * x1 - [(x1-x0)^2 (y1-y2) - (x1-x2)^2 (y1-y0)] / (2 [(x1-x0)(y1-y2) - (x1-x2)(y1-y0)]) */
        double x0 = li[ord[best - 1]], x1 = li[ord[best]], x2 = li[ord[best + 1]];
        double y0 = sigma[ord[best - 1]], y1 = sigma[ord[best]], y2 = sigma[ord[best + 1]];
        double den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0);
        if (den != 0.0)
            out->li_vertex = x1 - 0.5 * ((x1 - x0) * (x1 - x0) * (y1 - y2) - (x1 - x2) * (x1 - x2) * (y1 - y0)) / den;
    }
    return LIHOP_OK;
}

lihop_status lihop_arrhenius(int n, const double *T_K, const double *sigma, const double *sigma_err,
                             int times_T, lihop_arrhenius_fit *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n < 2)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: need at least 2 points, got %d", n);
    int weighted = sigma_err != NULL;
    for (int i = 0; i < n; i++) {
        if (!(sigma[i] > 0.0) || !isfinite(sigma[i]) || !(T_K[i] > 0.0))
            return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: point %d has T = %g K, sigma = %g (need both > 0)",
                              i, T_K[i], sigma[i]);
        if (weighted && !(sigma_err[i] > 0.0 && isfinite(sigma_err[i])))
            weighted = 0;
    }
    /* y = ln A - Ea x with x = 1/(kB T) in 1/eV */
    double sw = 0.0, sx = 0.0, sy = 0.0;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (KB_EV_PER_K * T_K[i]);
        double y = log(sigma[i]) + (times_T ? log(T_K[i]) : 0.0);
        double s = weighted ? sigma_err[i] / sigma[i] : 1.0;
        double w = 1.0 / (s * s);
        sw += w;
        sx += w * x;
        sy += w * y;
    }
    double xm = sx / sw, ym = sy / sw, sxx = 0.0, sxy = 0.0;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (KB_EV_PER_K * T_K[i]);
        double y = log(sigma[i]) + (times_T ? log(T_K[i]) : 0.0);
        double s = weighted ? sigma_err[i] / sigma[i] : 1.0;
        double w = 1.0 / (s * s);
        sxx += w * (x - xm) * (x - xm);
        sxy += w * (x - xm) * (y - ym);
    }
    if (!(sxx > 0.0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: the %d temperatures are all equal", n);
    double slope = sxy / sxx, icpt = ym - slope * xm;
    double chi2 = 0.0;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (KB_EV_PER_K * T_K[i]);
        double y = log(sigma[i]) + (times_T ? log(T_K[i]) : 0.0);
        double s = weighted ? sigma_err[i] / sigma[i] : 1.0;
        double r = (y - icpt - slope * x) / s;
        chi2 += r * r;
    }
    double red = n > 2 ? chi2 / (n - 2) : NAN;
    /* variances of slope and intercept for unit-weight residual variance 1/w */
    double var_slope = 1.0 / sxx, var_icpt = 1.0 / sw + xm * xm / sxx;
    double scale;
    if (weighted)
        scale = n > 2 && red > 1.0 ? red : 1.0;
    else
        scale = red;                /* NaN for n = 2: no error estimate */
    out->weighted = weighted;
    out->chi2_red = red;
    out->Ea_eV = -slope;
    out->Ea_err_eV = sqrt(var_slope * scale);
    out->lnA = icpt;
    out->lnA_err = sqrt(var_icpt * scale);
    out->A = exp(icpt);
    out->A_err = out->A * out->lnA_err;
    return LIHOP_OK;
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
