/* garnet_setup.c - garnet deck -> lattice, region arrays, engine parameters,
 * and the derived numbers (see garnet_setup.h). */
#include "constants.h"
#include "garnet_setup.h"

#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "garnet_event.h"   /* lihop_garnet_u53 */
#include "space_charge.h"
#include "rng.h"

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
    return lihop_sc_profile_phi_V(b->profile, b->phi0_V, b->length_A, b->ntable, b->table_d_A, b->table_phi_V, d_A,
                                  T_K);
}

/* Standard normal of site i from its own Philox stream (Marsaglia polar, exact log). */
static double site_normal(uint64_t seed, uint64_t subseq_hi, int32_t i)
{
    return lihop_normal(seed, subseq_hi | (uint64_t)(uint32_t)i);
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

/* Under kra every sublattice pair joined by a hop needs a barrier. */
static lihop_status check_barriers_given(const lihop_garnet_cfg *g, const lihop_lattice *lat, lihop_err *err)
{
    if (g->rate_law != LIHOP_GRATE_KRA) return LIHOP_OK;
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
    return LIHOP_OK;
}

/* The energy model: site energies, barriers, E_nn, pair shells, disorder
 * and the region arrays (potential and shifts) when there are any. */
static void fill_energies(const lihop_config *cfg, const lihop_garnet_regions *reg, lihop_garnet_params *p)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
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
}

/* The applied field: the deck's, or for the drift runs the drift field along x. */
static lihop_status fill_field(const lihop_config *cfg, lihop_garnet_role role, lihop_garnet_params *p,
                               lihop_err *err)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    for (int a = 0; a < 3; a++)
        p->field_V_m[a] = g->field_V_m[a];
    if (role == LIHOP_GROLE_DRIFT1 || role == LIHOP_GROLE_DRIFT2) {
        if (!g->has_drift)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: drift run requested without drift_fields_V_m", cfg->path);
        p->field_V_m[0] = g->drift_fields_V_m[role == LIHOP_GROLE_DRIFT1 ? 0 : 1];
        p->field_V_m[1] = p->field_V_m[2] = 0.0;
    }
    return LIHOP_OK;
}

/* The Li count of Li content ix in this supercell (at least 1). */
static lihop_status fill_li(const lihop_garnet_cfg *g, const lihop_lattice *lat, int ix, lihop_garnet_params *p,
                            lihop_err *err)
{
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
    return LIHOP_OK;
}

/* The run block: replicas, seed and stream of point k, length, sampling. */
static void fill_run(const lihop_config *cfg, int k, lihop_garnet_role role, lihop_garnet_params *p)
{
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
    lihop_status st = check_barriers_given(g, lat, err);
    if (st != LIHOP_OK) return st;
    fill_energies(cfg, reg, p);
    st = fill_field(cfg, role, p, err);
    if (st == LIHOP_OK) st = fill_li(g, lat, ix, p, err);
    if (st != LIHOP_OK) return st;
    fill_run(cfg, k, role, p);
    return LIHOP_OK;
}
