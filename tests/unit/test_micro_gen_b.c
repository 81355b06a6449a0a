/* test_micro_gen_b.c - composite generators, group B: log-normal spheres
 * (overlapping, RSA, dense packing), fibres, interphase shells, weight
 * fractions, and the deck errors of their keys. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "micro.h"
#include "micro_gen_b.h"

#define N128 128
#define REL_TOL 0.005       /* the acceptance: target fractions within 0.5 % */

/* A hand-made config on an n^3 box: phases 0 matrix, 1 filler, 2 interphase. */
static lihop_micro_cfg base_cfg(int n, lihop_generator_kind gen, double phi)
{
    lihop_micro_cfg c;
    memset(&c, 0, sizeof c);
    c.n[0] = c.n[1] = c.n[2] = n;
    c.voxel_m = 1e-8;
    c.generator = gen;
    c.matrix_phase = 0;
    c.filler_phase = 1;
    c.interphase_phase = -1;
    c.volume_fraction = phi;
    c.radius_voxels = 6.0;
    c.overlap = 1;
    c.seed = 20240611;
    return c;
}

static double phase_fraction(const lihop_micro *m, int p)
{
    double f[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, f);
    return f[p];
}

static lihop_micro *build_ok(const lihop_micro_cfg *c, int nphases)
{
    lihop_micro *m = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_micro_build(c, nphases, &m, &err);
    ck_assert_msg(st == LIHOP_OK, "build failed: %s", err.msg);
    return m;
}

static void assert_fraction(const lihop_micro *m, int p, double target)
{
    double f = phase_fraction(m, p);
    ck_assert_msg(fabs(f - target) <= REL_TOL * target, "phase %d fraction %.6f, target %.6f (tolerance %.1f %%)", p, f,
                  target, 100 * REL_TOL);
}

/* ---- weight fractions ----------------------------------------------------------- */

START_TEST(weight_to_volume_exact)
{
    /* Ta-LLZO 5.415 g/cm^3 in PEO-LiTFSI 1.3 g/cm^3; hand-reduced forms of the formula */
    ck_assert_double_eq_tol(lihop_weight_to_volume_fraction(0.5, 5.415, 1.3), 1.3 / 6.715, 1e-12);
    ck_assert_double_eq_tol(lihop_weight_to_volume_fraction(0.2, 5.415, 1.3), 0.26 / 4.592, 1e-12);
    ck_assert_double_eq_tol(lihop_weight_to_volume_fraction(0.0, 5.415, 1.3), 0.0, 1e-12);
    ck_assert_double_eq_tol(lihop_weight_to_volume_fraction(1.0, 5.415, 1.3), 1.0, 1e-12);
    for (double w = 0.05; w < 1.0; w += 0.1) {
        double phi = lihop_weight_to_volume_fraction(w, 5415.0, 1300.0);
        ck_assert_double_eq_tol(lihop_volume_to_weight_fraction(phi, 5415.0, 1300.0), w, 1e-12);
    }
}
END_TEST

/* ---- log-normal radii ---------------------------------------------------------- */

START_TEST(lognormal_radius_statistics)
{
    const int n = 20000;
    const double median = 5.0, sigma = 0.4;
    double s1 = 0.0, s2 = 0.0;
    for (int i = 0; i < n; ++i) {
        double l = log(lihop_lognormal_radius(7, (uint64_t)i, median, sigma, 1e9));
        s1 += l;
        s2 += l * l;
    }
    double mean = s1 / n, sd = sqrt((s2 - n * mean * mean) / (n - 1));
    /* standard errors of a normal sample's mean and sd: sigma/sqrt(n), sigma/sqrt(2(n-1)) */
    ck_assert_msg(fabs(mean - log(median)) < 4.0 * sigma / sqrt(n), "mean ln r %.5f, expected %.5f", mean, log(median));
    ck_assert_msg(fabs(sd - sigma) < 4.0 * sigma / sqrt(2.0 * (n - 1)), "sd ln r %.5f, expected %.5f", sd, sigma);
    /* truncation: nothing above rmax */
    for (int i = 0; i < 1000; ++i) ck_assert(lihop_lognormal_radius(7, (uint64_t)i, median, 1.0, 8.0) <= 8.0);
    ck_assert(lihop_lognormal_radius(7, 3, median, 0.0, 8.0) == median);
}
END_TEST

START_TEST(lognormal_overlapping_fraction)
{
    lihop_micro_cfg c = base_cfg(N128, LIHOP_GEN_LOGNORMAL_SPHERES, 0.2);
    c.radius_sigma = 0.4;
    lihop_micro *m = build_ok(&c, 2);
    assert_fraction(m, 1, 0.2);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(lognormal_rsa_fraction)
{
    lihop_micro_cfg c = base_cfg(N128, LIHOP_GEN_LOGNORMAL_SPHERES, 0.25);
    c.radius_sigma = 0.3;
    c.overlap = 0;
    lihop_micro *m = build_ok(&c, 2);
    assert_fraction(m, 1, 0.25);
    lihop_micro_destroy(m);
    lihop_sphere_set s;
    lihop_err e0 = {{0}};
    ck_assert_int_eq(lihop_sphere_set_init(&s, c.n, 64, &e0), LIHOP_OK);
    ck_assert_int_eq(lihop_hard_sphere_radii(&c, &s, &e0), LIHOP_OK);
    ck_assert_int_eq(lihop_pack_rsa(&s, c.seed, &e0), LIHOP_OK);
    ck_assert(lihop_sphere_set_min_gap(&s) >= -1e-9);
    lihop_sphere_set_free(&s);
    /* equal spheres jam near 0.38 by RSA: 0.5 is refused with a pointer to packing: dense */
    c.radius_sigma = 0.0;
    c.volume_fraction = 0.5;
    c.n[0] = c.n[1] = c.n[2] = 48;
    c.radius_voxels = 4.0;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_build(&c, 2, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "packing: dense"), "%s", err.msg);
}
END_TEST

/* ---- dense packing -------------------------------------------------------------- */

/* Pack in continuous coordinates, check no overlap, then voxelise and check the fraction. */
static void dense_case(double phi, double median, double sigma)
{
    lihop_micro_cfg c = base_cfg(N128, LIHOP_GEN_LOGNORMAL_SPHERES, phi);
    c.radius_voxels = median;
    c.radius_sigma = sigma;
    c.overlap = 0;
    c.packing = LIHOP_PACKING_DENSE;
    lihop_sphere_set s;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_sphere_set_init(&s, c.n, 64, &err), LIHOP_OK);
    ck_assert_int_eq(lihop_hard_sphere_radii(&c, &s, &err), LIHOP_OK);
    double vol = 0.0;
    for (int i = 0; i < s.n; ++i) vol += 4.0 / 3.0 * 3.14159265358979323846 * pow(s.r[i], 3);
    ck_assert_double_eq_tol(vol / (N128 * N128 * N128), phi, 1e-12);
    int sweeps;
    lihop_status st = lihop_pack_dense(&s, c.seed, &sweeps, &err);
    ck_assert_msg(st == LIHOP_OK, "%s", err.msg);
    double gap = lihop_sphere_set_min_gap(&s);
    ck_assert_msg(gap >= -1e-9, "phi %.2f: spheres overlap by %g voxels", phi, -gap);
    fprintf(stderr, "dense packing phi %.2f median %g sigma %g: %d spheres, %d sweeps, min gap %.3g\n", phi, median,
            sigma, s.n, sweeps, gap);
    lihop_sphere_set_free(&s);
    lihop_micro *m = build_ok(&c, 2);
    assert_fraction(m, 1, phi);
    lihop_micro_destroy(m);
}

START_TEST(dense_packing_055) { dense_case(0.55, 6.0, 0.0); }
END_TEST
START_TEST(dense_packing_060) { dense_case(0.60, 6.0, 0.0); }
END_TEST
START_TEST(dense_packing_lognormal_055) { dense_case(0.55, 5.0, 0.25); }
END_TEST

/* ---- fibres ------------------------------------------------------------------------ */

START_TEST(fibres_fraction)
{
    lihop_micro_cfg c = base_cfg(N128, LIHOP_GEN_FIBRES, 0.15);
    c.fibre_diameter_voxels = 5.0;
    c.fibre_length_voxels = 60.0;
    c.fibre_random = 1;
    lihop_micro *m = build_ok(&c, 2);
    assert_fraction(m, 1, 0.15);
    lihop_micro_destroy(m);
    c.fibre_random = 0;
    c.axis = 2;
    c.fibre_length_voxels = N128;     /* wires through the box */
    m = build_ok(&c, 2);
    assert_fraction(m, 1, 0.15);
    /* aligned along z through the box: every z-column is all filler or all matrix,
     * but those of the last, shortened wire (about pi 2.5^2 = 20 columns) */
    int mixed = 0;
    for (int y = 0; y < N128; ++y)
        for (int x = 0; x < N128; ++x) {
            int p0 = m->phase[x + N128 * y], same = 1;
            for (int z = 1; z < N128; ++z) same &= m->phase[x + N128 * (y + N128 * z)] == p0;
            mixed += !same;
        }
    ck_assert_msg(mixed <= 30, "%d mixed columns", mixed);
    lihop_micro_destroy(m);
}
END_TEST

/* ---- shells and the report --------------------------------------------------------- */

START_TEST(shell_layers_planar)
{
    /* filler slab x in [8, 16) of a 32^3 box: a shell of t = 2.5 is two layers on each side */
    lihop_micro *m = NULL;
    lihop_err err = {{0}};
    int n[3] = {32, 32, 32};
    ck_assert_int_eq(lihop_micro_create(n, 1e-8, 3, &m, &err), LIHOP_OK);
    for (int64_t i = 0; i < lihop_micro_nvox(m); ++i) m->phase[i] = (uint8_t)((i % 32 >= 8 && i % 32 < 16) ? 1 : 0);
    lihop_micro_cfg c = base_cfg(32, LIHOP_GEN_SPHERES, 0.25);
    c.interphase_phase = 2;
    c.interphase_voxels = 2.5;
    ck_assert_int_eq(lihop_micro_shells(m, &c, &err), LIHOP_OK);
    for (int x = 0; x < 32; ++x) {
        int want = (x >= 8 && x < 16) ? 1 : ((x == 6 || x == 7 || x == 16 || x == 17) ? 2 : 0);
        for (int k = 0; k < 32 * 32; ++k) ck_assert_int_eq(m->phase[x + 32 * k], want);
    }
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(shells_around_spheres_and_report)
{
    lihop_micro_cfg c = base_cfg(N128, LIHOP_GEN_LOGNORMAL_SPHERES, 0.2);
    c.radius_sigma = 0.3;
    c.interphase_phase = 2;
    c.interphase_voxels = 2.0;
    c.density_kg_m3[0] = 1300.0;
    c.density_kg_m3[1] = 5415.0;
    c.density_kg_m3[2] = 1300.0;
    lihop_micro *m = build_ok(&c, 3);
    assert_fraction(m, 1, 0.2);    /* the shell takes matrix voxels only */
    lihop_micro_report r;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_fraction_report(m, &c, &r, &err), LIHOP_OK);
    ck_assert(r.has_weight);
    ck_assert(r.volume_fraction[2] > 0.05);
    double sv = 0.0, sw = 0.0;
    for (int p = 0; p < 3; ++p) sv += r.volume_fraction[p], sw += r.weight_fraction[p];
    ck_assert_double_eq_tol(sv, 1.0, 1e-12);
    ck_assert_double_eq_tol(sw, 1.0, 1e-12);
    double mass = 1300.0 * (r.volume_fraction[0] + r.volume_fraction[2]) + 5415.0 * r.volume_fraction[1];
    ck_assert_double_eq_tol(r.weight_fraction[1], 5415.0 * r.volume_fraction[1] / mass, 1e-12);
    ck_assert_double_eq_tol(r.target_weight_fraction, lihop_volume_to_weight_fraction(0.2, 5415.0, 1300.0), 1e-15);
    /* every shell voxel lies within the thickness of a filler voxel: none is isolated from the filler */
    for (int64_t i = 0; i < lihop_micro_nvox(m); ++i) {
        if (m->phase[i] != 2) continue;
        int x = (int)(i % N128), y = (int)(i / N128 % N128), z = (int)(i / (N128 * N128)), near = 0;
        for (int dz = -2; dz <= 2 && !near; ++dz)
            for (int dy = -2; dy <= 2 && !near; ++dy)
                for (int dx = -2; dx <= 2 && !near; ++dx)
                    near = dx * dx + dy * dy + dz * dz <= 4 &&
                           m->phase[(x + dx + N128) % N128 + N128 * ((y + dy + N128) % N128 + N128 * ((z + dz + N128) % N128))] == 1;
        ck_assert_msg(near, "shell voxel %lld has no filler within 2 voxels", (long long)i);
    }
    c.density_kg_m3[2] = 0.0;
    ck_assert_int_eq(lihop_micro_fraction_report(m, &c, &r, &err), LIHOP_OK);
    ck_assert(!r.has_weight && isnan(r.weight_fraction[1]));
    lihop_micro_destroy(m);
}
END_TEST

/* ---- determinism ---------------------------------------------------------------------- */

static void same_and_different(lihop_micro_cfg c)
{
    lihop_micro *a = build_ok(&c, 3), *b = build_ok(&c, 3);
    int64_t n = lihop_micro_nvox(a);
    ck_assert(memcmp(a->phase, b->phase, (size_t)n) == 0);
    c.seed += 1;
    lihop_micro *d = build_ok(&c, 3);
    ck_assert(memcmp(a->phase, d->phase, (size_t)n) != 0);
    lihop_micro_destroy(a);
    lihop_micro_destroy(b);
    lihop_micro_destroy(d);
}

START_TEST(deterministic_by_seed)
{
    lihop_micro_cfg c = base_cfg(48, LIHOP_GEN_LOGNORMAL_SPHERES, 0.2);
    c.radius_voxels = 3.0;
    c.radius_sigma = 0.3;
    c.interphase_phase = 2;
    c.interphase_voxels = 1.0;
    same_and_different(c);
    c.overlap = 0;
    same_and_different(c);
    c.packing = LIHOP_PACKING_DENSE;
    c.volume_fraction = 0.5;
    same_and_different(c);
    lihop_micro_cfg f = base_cfg(48, LIHOP_GEN_FIBRES, 0.1);
    f.fibre_diameter_voxels = 3.0;
    f.fibre_length_voxels = 20.0;
    f.fibre_random = 1;
    same_and_different(f);
}
END_TEST

/* ---- decks ------------------------------------------------------------------------------ */

static const char DECK[] =
    "model: voxel\n"                                                          /*  1 */
    "temperature_K: 300\n"                                                    /*  2 */
    "species: [{name: li, charge: 1}]\n"                                      /*  3 */
    "phases:\n"                                                               /*  4 */
    "  - name: peo\n"                                                         /*  5 */
    "    density_g_cm3: 1.3\n"                                                /*  6 */
    "    carriers: [{species: li, concentration_mol_L: 1.11, D_cm2_s: {law: constant, prefactor: 1e-8}}]\n" /* 7 */
    "  - name: llzo\n"                                                        /*  8 */
    "    density_g_cm3: 5.415\n"                                              /*  9 */
    "    carriers: [{species: li, concentration_mol_L: 38.97, D_cm2_s: {law: constant, prefactor: 1e-8}}]\n" /* 10 */
    "  - name: shell\n"                                                       /* 11 */
    "    carriers: [{species: li, concentration_mol_L: 1.11, D_cm2_s: {law: constant, prefactor: 1e-7}}]\n" /* 12 */
    "microstructure:\n"                                                       /* 13 */
    "  box_voxels: [32, 32, 32]\n"                                            /* 14 */
    "  voxel_size_m: 1.0e-8\n"                                                /* 15 */
    "  generator: lognormal_spheres\n"                                        /* 16 */
    "  matrix: peo\n"                                                         /* 17 */
    "  filler: llzo\n"                                                        /* 18 */
    "  weight_fraction: 0.5\n"                                                /* 19 */
    "  radius_m: 3.0e-8\n"                                                    /* 20 */
    "  radius_sigma: 0.3\n"                                                   /* 21 */
    "  overlap: false\n"                                                      /* 22 */
    "  packing: dense\n"                                                      /* 23 */
    "  interphase: shell\n"                                                   /* 24 */
    "  interphase_thickness_m: 1.0e-8\n"                                      /* 25 */
    "run: {walkers: 100, hops_per_walker: 100}\n";                            /* 26 */

static char *replaced(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    ck_assert_msg(at != NULL, "test bug: '%s' not in the deck", old);
    size_t pre = (size_t)(at - text), lo = strlen(old), ln = strlen(new);
    char *s = malloc(strlen(text) + ln + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, text, pre);
    memcpy(s + pre, new, ln);
    strcpy(s + pre + ln, at + lo);
    return s;
}

START_TEST(deck_reads)
{
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_config_parse(DECK, "deck.yaml", &cfg, &err) == LIHOP_OK, "%s", err.msg);
    const lihop_micro_cfg *m = &cfg->micro;
    ck_assert_int_eq(m->generator, LIHOP_GEN_LOGNORMAL_SPHERES);
    ck_assert_double_eq_tol(m->volume_fraction, 1.3 / 6.715, 1e-12);
    ck_assert(m->by_weight && m->weight_fraction == 0.5);
    ck_assert_double_eq_tol(m->radius_voxels, 3.0, 1e-12);
    ck_assert(m->radius_sigma == 0.3 && m->packing == LIHOP_PACKING_DENSE && !m->overlap);
    ck_assert_int_eq(m->interphase_phase, 2);
    ck_assert_double_eq_tol(m->interphase_voxels, 1.0, 1e-12);
    ck_assert_double_eq_tol(m->density_kg_m3[1], 5415.0, 1e-9);
    lihop_micro *g = build_ok(m, cfg->nphases);
    lihop_micro_report r;
    ck_assert_int_eq(lihop_micro_fraction_report(g, m, &r, &err), LIHOP_OK);
    ck_assert_double_eq_tol(r.target_weight_fraction, 0.5, 1e-12);
    ck_assert(!r.has_weight);   /* the shell phase has no density */
    lihop_micro_destroy(g);
    lihop_config_destroy(cfg);
    /* a swept weight fraction is the volume_fraction axis */
    char *t = replaced(DECK, "weight_fraction: 0.5", "weight_fraction: [0.2, 0.5]");
    ck_assert_msg(lihop_config_parse(t, "deck.yaml", &cfg, &err) == LIHOP_OK, "%s", err.msg);
    int found = 0;
    for (int k = 0; k < cfg->ncoords; ++k)
        if (cfg->coords[k].kind == LIHOP_COORD_VOLUME_FRACTION) {
            found = cfg->coords[k].n == 2 && cfg->coords[k].swept;
            ck_assert_double_eq_tol(cfg->coords[k].value[0], 0.26 / 4.592, 1e-12);
        }
    ck_assert(found);
    lihop_config_destroy(cfg);
    free(t);
}
END_TEST

/* The deck with `old` replaced by `new` fails naming deck.yaml:LINE and `key`. */
static void deck_error_in(const char *deck, const char *old, const char *new, int line, const char *key)
{
    char *t = replaced(deck, old, new);
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_config_parse(t, "deck.yaml", &cfg, &err), LIHOP_ERR_INPUT);
    char where[64];
    snprintf(where, sizeof where, "deck.yaml:%d:", line);
    ck_assert_msg(strstr(err.msg, where) && strstr(err.msg, key), "expected %s and '%s' in: %s", where, key, err.msg);
    free(t);
}

static void deck_error(const char *old, const char *new, int line, const char *key)
{
    deck_error_in(DECK, old, new, line, key);
}

START_TEST(deck_errors)
{
    deck_error("  radius_sigma: 0.3\n", "", 16, "microstructure.radius_sigma");
    deck_error("radius_sigma: 0.3", "radius_sigma: -0.1", 21, "microstructure.radius_sigma");
    deck_error("overlap: false", "overlap: true", 23, "microstructure.packing");
    deck_error("packing: dense", "packing: tight", 23, "packing");
    deck_error("    density_g_cm3: 5.415\n", "", 18, "microstructure.weight_fraction");
    deck_error("density_g_cm3: 5.415", "density_g_cm3: -1", 9, "phases[1].density_g_cm3");
    deck_error("weight_fraction: 0.5", "weight_fraction: 1.5", 19, "microstructure.weight_fraction");
    deck_error("  weight_fraction: 0.5\n", "  weight_fraction: 0.5\n  volume_fraction: 0.2\n", 19,
               "microstructure.weight_fraction");
    deck_error("  weight_fraction: 0.5\n", "", 16, "microstructure.volume_fraction");
    deck_error("radius_m: 3.0e-8", "radius_m: 3.0e-6", 20, "microstructure.radius_m");
    deck_error("  radius_m: 3.0e-8\n", "  radius_m: 3.0e-8\n  radius_voxels: 3\n", 20, "microstructure.radius_m");
    deck_error("  interphase_thickness_m: 1.0e-8\n", "", 24, "microstructure.interphase");
    deck_error("interphase_thickness_m: 1.0e-8", "interphase_thickness_m: 2.0e-9", 25,
               "microstructure.interphase_thickness_m");
    deck_error("interphase: shell", "interphase: llzo", 24, "microstructure.interphase");
    char *sph = replaced(DECK, "radius_m: 3.0e-8", "radius_voxels: 3");
    char *sph2 = replaced(sph, "generator: lognormal_spheres", "generator: spheres");
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_config_parse(sph2, "deck.yaml", &cfg, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "deck.yaml:21:") && strstr(err.msg, "radius_sigma") &&
                  strstr(err.msg, "lognormal_spheres"), "%s", err.msg);
    free(sph);
    free(sph2);
}
END_TEST

START_TEST(deck_errors_fibres)
{
    const char *fib = "  radius_m: 3.0e-8\n  radius_sigma: 0.3\n  overlap: false\n  packing: dense\n";
    char *t = replaced(DECK, fib, "  diameter_m: 3.0e-8\n  length_m: 1.0e-7\n  orientation: random\n  # fibres\n");
    char *base = replaced(t, "generator: lognormal_spheres", "generator: fibres");
    deck_error_in(base, "  diameter_m: 3.0e-8\n", "  diameter_m: 3.0e-8\n  diameter_voxels: 3\n", 20,
                  "microstructure.diameter_m");
    deck_error_in(base, "  length_m: 1.0e-7\n", "", 16, "microstructure.length_m");
    deck_error_in(base, "  # fibres\n", "  axis: z\n", 23, "microstructure.axis");
    deck_error_in(base, "length_m: 1.0e-7", "length_m: 1.0e-5", 21, "microstructure.length_m");
    deck_error_in(base, "diameter_m: 3.0e-8", "diameter_m: 3.0e-9", 20, "microstructure.diameter_m");
    deck_error_in(base, "orientation: random", "orientation: parallel", 22, "orientation");
    free(t);
    free(base);
}
END_TEST

START_TEST(deck_fibres_reads)
{
    const char *fib = "  radius_m: 3.0e-8\n  radius_sigma: 0.3\n  overlap: false\n  packing: dense\n";
    char *t = replaced(DECK, fib, "  diameter_voxels: 3\n  length_m: 2.0e-7\n  orientation: aligned\n  axis: y\n");
    char *u = replaced(t, "generator: lognormal_spheres", "generator: fibres");
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_config_parse(u, "deck.yaml", &cfg, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(cfg->micro.generator, LIHOP_GEN_FIBRES);
    ck_assert(cfg->micro.fibre_random == 0 && cfg->micro.axis == 1);
    ck_assert_double_eq_tol(cfg->micro.fibre_diameter_voxels, 3.0, 1e-12);
    ck_assert_double_eq_tol(cfg->micro.fibre_length_voxels, 20.0, 1e-9);
    lihop_config_destroy(cfg);
    free(t);
    free(u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("micro_gen_b");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, weight_to_volume_exact);
    tcase_add_test(tc, lognormal_radius_statistics);
    tcase_add_test(tc, lognormal_overlapping_fraction);
    tcase_add_test(tc, lognormal_rsa_fraction);
    tcase_add_test(tc, dense_packing_055);
    tcase_add_test(tc, dense_packing_060);
    tcase_add_test(tc, dense_packing_lognormal_055);
    tcase_add_test(tc, fibres_fraction);
    tcase_add_test(tc, shell_layers_planar);
    tcase_add_test(tc, shells_around_spheres_and_report);
    tcase_add_test(tc, deterministic_by_seed);
    tcase_add_test(tc, deck_reads);
    tcase_add_test(tc, deck_errors);
    tcase_add_test(tc, deck_errors_fibres);
    tcase_add_test(tc, deck_fibres_reads);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
