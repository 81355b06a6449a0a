/* test_micro_gen_a.c - Voronoi polycrystals, PIC membranes, stacks and polymer
 * crystallinity (src/model/micro_gen.h): target fractions within 0.5 % on a
 * 128^3 box, grain ids, determinism by seed, and the deck's error messages. */
#include <check.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "micro.h"
#include "micro_gen.h"

#define TOL 0.005       /* absolute volume fraction (issue 10) */

/* Phases of every deck here: 0 llzo, 1 gb, 2 peo, 3 peo_cryst. */
static const char *HEAD =
    "model: voxel\n"
    "seed: 7\n"
    "temperature_K: [298.15, 353.15]\n"
    "species:\n"
    "  - {name: li, charge: 1}\n"
    "phases:\n"
    "  - name: llzo\n"
    "    carriers: [{species: li, concentration_mol_L: 38.97, D_cm2_s: {law: constant, prefactor: 1e-8}}]\n"
    "  - name: gb\n"
    "    carriers: [{species: li, concentration_mol_L: 38.97, D_cm2_s: {law: constant, prefactor: 1e-10}}]\n"
    "  - name: peo\n"
    "    carriers: [{species: li, concentration_mol_L: 1.11, D_cm2_s: {law: constant, prefactor: 1e-8}}]\n"
    "  - name: peo_cryst\n"
    "run: {walkers: 100, hops_per_walker: 100}\n";

static char *deck(const char *micro)
{
    size_t n = strlen(HEAD) + strlen(micro) + 1;
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    snprintf(s, n, "%s%s", HEAD, micro);
    return s;
}

static lihop_config *parse_ok(const char *micro)
{
    char *text = deck(micro);
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_config_parse(text, "test.yaml", &cfg, &err);
    free(text);
    ck_assert_msg(st == LIHOP_OK, "unexpected error: %s", err.msg);
    return cfg;
}

static lihop_micro *build_ok(const lihop_micro_cfg *mc)
{
    lihop_micro *m = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_micro_build(mc, 4, &m, &err);
    ck_assert_msg(st == LIHOP_OK, "build failed: %s", err.msg);
    return m;
}

static lihop_micro *build_deck(const char *micro)
{
    lihop_config *cfg = parse_ok(micro);
    lihop_micro *m = build_ok(&cfg->micro);
    lihop_config_destroy(cfg);
    return m;
}

/* 1-based line of the first line of text containing needle. */
static int line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    ck_assert_msg(at != NULL, "test bug: '%s' not in the deck", needle);
    int line = 1;
    for (const char *p = text; p < at; ++p) line += *p == '\n';
    return line;
}

/* The deck fails with "test.yaml:LINE: key 'PATH': expected ..." where LINE is
 * that of `at_text`, and the message holds `also`. */
static void expect_error(const char *micro, const char *at_text, const char *path, const char *also)
{
    char *text = deck(micro);
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_config_parse(text, "test.yaml", &cfg, &err);
    char head[256];
    snprintf(head, sizeof head, "test.yaml:%d: key '%s': expected ", line_of(text, at_text), path);
    free(text);
    ck_assert_msg(st == LIHOP_ERR_INPUT, "status %d, message: %s", (int)st, err.msg);
    ck_assert_ptr_null(cfg);
    ck_assert_msg(strncmp(err.msg, head, strlen(head)) == 0, "wanted '%s...', got '%s'", head, err.msg);
    if (also) ck_assert_msg(strstr(err.msg, also) != NULL, "wanted '%s' in '%s'", also, err.msg);
}

static int64_t idx(const lihop_micro *m, int x, int y, int z)
{
    x = (x + m->n[0]) % m->n[0];
    y = (y + m->n[1]) % m->n[1];
    z = (z + m->n[2]) % m->n[2];
    return x + (int64_t)m->n[0] * (y + (int64_t)m->n[1] * z);
}

/* Voxels in the 6-connected (periodic) component of `start` among voxels with
 * keep(v) true; marks them in seen. */
static int64_t flood(const lihop_micro *m, int64_t start, const int32_t *label, int32_t want, uint8_t *seen,
                     int64_t *stack)
{
    int64_t top = 0, count = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top) {
        int64_t i = stack[--top];
        ++count;
        int x = (int)(i % m->n[0]), y = (int)((i / m->n[0]) % m->n[1]), z = (int)(i / ((int64_t)m->n[0] * m->n[1]));
        const int d[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int k = 0; k < 6; ++k) {
            int64_t j = idx(m, x + d[k][0], y + d[k][1], z + d[k][2]);
            if (!seen[j] && label[j] == want) {
                seen[j] = 1;
                stack[top++] = j;
            }
        }
    }
    return count;
}

static double frac_of(const lihop_micro *m, int phase)
{
    double f[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, f);
    return f[phase];
}

/* ---- Voronoi ---------------------------------------------------------------- */

/* Grain ids: -1 exactly on boundary voxels, else in [0, ngrains); each grain
 * one 6-connected piece; no face joins two different grains (boundaries of
 * at least one voxel seal them). */
static void check_grains(const lihop_micro *m, int boundary_phase)
{
    int64_t nvox = lihop_micro_nvox(m);
    ck_assert_ptr_nonnull(m->grain);
    ck_assert_int_gt(m->ngrains, 0);
    int64_t *first = malloc((size_t)m->ngrains * sizeof *first);
    for (int g = 0; g < m->ngrains; ++g) first[g] = -1;
    int64_t *size = calloc((size_t)m->ngrains, sizeof *size);
    for (int64_t i = 0; i < nvox; ++i) {
        int32_t g = m->grain[i];
        if (m->phase[i] == boundary_phase) {
            ck_assert_int_eq(g, -1);
            continue;
        }
        ck_assert_msg(g >= 0 && g < m->ngrains, "voxel %lld has grain %d of %d", (long long)i, g, m->ngrains);
        if (first[g] < 0) first[g] = i;
        size[g]++;
        int x = (int)(i % m->n[0]), y = (int)((i / m->n[0]) % m->n[1]), z = (int)(i / ((int64_t)m->n[0] * m->n[1]));
        int64_t nb[3] = {idx(m, x + 1, y, z), idx(m, x, y + 1, z), idx(m, x, y, z + 1)};
        for (int k = 0; k < 3 && boundary_phase >= 0; ++k)
            ck_assert_msg(m->grain[nb[k]] < 0 || m->grain[nb[k]] == g, "grains %d and %d share a face", g,
                          m->grain[nb[k]]);
    }
    uint8_t *seen = calloc((size_t)nvox, 1);
    int64_t *stack = malloc((size_t)nvox * sizeof *stack);
    int nonempty = 0;
    for (int g = 0; g < m->ngrains; ++g) {
        if (first[g] < 0) continue;
        ++nonempty;
        int64_t c = flood(m, first[g], m->grain, g, seen, stack);
        ck_assert_msg(c == size[g], "grain %d is in pieces: %lld of %lld voxels connected", g, (long long)c,
                      (long long)size[g]);
    }
    ck_assert_int_gt(nonempty, m->ngrains * 9 / 10);
    free(seen);
    free(stack);
    free(first);
    free(size);
}

START_TEST(voronoi_grains_128)
{
    lihop_micro *m = build_deck("microstructure:\n  box_voxels: [128, 128, 128]\n  voxel_size_m: 1e-8\n"
                                "  generator: voronoi\n  grains: 300\n  gb_thickness_m: 2e-8\n"
                                "  grain: llzo\n  boundary: gb\n");
    ck_assert_int_eq(m->ngrains, 300);
    check_grains(m, 1);
    /* boundary fraction ~ (area per volume) x t: 300 grains of d ~ 29 voxels, S/V ~ 2.9/d per grain face pair */
    double fgb = frac_of(m, 1);
    printf("voronoi 128^3, 300 grains, t = 2 voxels: boundary fraction %.4f\n", fgb);
    ck_assert_double_gt(fgb, 0.10);
    ck_assert_double_lt(fgb, 0.30);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(voronoi_grain_size)
{
    /* 64^3 of 10 nm: (0.64 um)^3 / (pi/6 (0.2 um)^3) = 62.6 -> 63 grains */
    lihop_micro *m = build_deck("microstructure:\n  box_voxels: [64, 64, 64]\n  voxel_size_m: 1e-8\n"
                                "  generator: voronoi\n  grain_size_m: 2e-7\n  grain: llzo\n");
    ck_assert_int_eq(m->ngrains, 63);
    ck_assert_double_eq(frac_of(m, 0), 1.0);    /* no boundary phase: all grain */
    check_grains(m, -1);
    lihop_micro_destroy(m);
}
END_TEST

/* ---- PIC ------------------------------------------------------------------- */

static lihop_micro *pic(double vf, const char *gb)
{
    char micro[512];
    snprintf(micro, sizeof micro, "microstructure:\n  box_voxels: [128, 128, 128]\n  voxel_size_m: 1e-8\n"
             "  generator: pic\n  volume_fraction: %g\n  grains: 200\n  grain: llzo\n  polymer: peo\n%s", vf, gb);
    return build_deck(micro);
}

START_TEST(pic_fraction_128)
{
    const double vf[] = {0.60, 0.80, 0.95};
    for (int k = 0; k < 3; ++k) {
        lihop_micro *m = pic(vf[k], "  gb_thickness_m: 1e-8\n  boundary: gb\n");
        double ceramic = frac_of(m, 0) + frac_of(m, 1), poly = frac_of(m, 2);
        printf("pic 128^3 target %.2f: ceramic %.6f (llzo %.4f, gb %.4f), polymer %.6f\n", vf[k], ceramic,
               frac_of(m, 0), frac_of(m, 1), poly);
        ck_assert_msg(fabs(ceramic - vf[k]) <= TOL, "ceramic %.5f for a target of %.2f", ceramic, vf[k]);
        ck_assert_double_gt(frac_of(m, 1), 0.0);   /* boundaries between the channels survive */
        /* the polymer is one connected (6-neighbour) network */
        int64_t nvox = lihop_micro_nvox(m), npoly = 0, best = 0;
        int32_t *lab = malloc((size_t)nvox * sizeof *lab);
        for (int64_t i = 0; i < nvox; ++i) {
            lab[i] = m->phase[i] == 2;
            npoly += lab[i];
        }
        uint8_t *seen = calloc((size_t)nvox, 1);
        int64_t *stack = malloc((size_t)nvox * sizeof *stack);
        for (int64_t i = 0; i < nvox; ++i)
            if (lab[i] && !seen[i]) {
                int64_t c = flood(m, i, lab, 1, seen, stack);
                best = c > best ? c : best;
            }
        printf("  largest polymer component: %.4f of the polymer\n", (double)best / (double)npoly);
        ck_assert_msg(best == npoly, "the polymer is in pieces: largest %lld of %lld", (long long)best,
                      (long long)npoly);
        for (int64_t i = 0; i < nvox; ++i)
            ck_assert(m->phase[i] == 0 ? (m->grain[i] >= 0 && m->grain[i] < 200) : m->grain[i] == -1);
        free(lab);
        free(seen);
        free(stack);
        lihop_micro_destroy(m);
    }
}
END_TEST

/* ---- crystallinity ---------------------------------------------------------- */

START_TEST(crystallinity_fraction_128)
{
    lihop_micro *m = build_deck("microstructure:\n  box_voxels: [128, 128, 128]\n  voxel_size_m: 1e-8\n"
                                "  generator: uniform\n  matrix: peo\n"
                                "  crystallinity: {polymer: peo, crystalline: peo_cryst, fraction: 0.3, "
                                "cluster_voxels: 4}\n");
    printf("crystallinity 128^3 target 0.30: crystalline %.6f\n", frac_of(m, 3));
    ck_assert_msg(fabs(frac_of(m, 3) - 0.3) <= TOL, "crystalline %.5f", frac_of(m, 3));
    /* clusters, not scattered voxels: most crystalline voxels have >= 4 crystalline face neighbours */
    int64_t nvox = lihop_micro_nvox(m), inner = 0, ncr = 0;
    for (int64_t i = 0; i < nvox; ++i) {
        if (m->phase[i] != 3) continue;
        ++ncr;
        int x = (int)(i % 128), y = (int)((i / 128) % 128), z = (int)(i / (128 * 128)), nb = 0;
        nb += m->phase[idx(m, x + 1, y, z)] == 3;
        nb += m->phase[idx(m, x - 1, y, z)] == 3;
        nb += m->phase[idx(m, x, y + 1, z)] == 3;
        nb += m->phase[idx(m, x, y - 1, z)] == 3;
        nb += m->phase[idx(m, x, y, z + 1)] == 3;
        nb += m->phase[idx(m, x, y, z - 1)] == 3;
        inner += nb >= 4;
    }
    ck_assert_double_gt((double)inner / (double)ncr, 0.8);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(crystallinity_in_pic_128)
{
    /* 30 % of the polymer of an 80 % PIC: 0.3 x 0.2 = 0.06 of the box */
    lihop_micro *m = build_deck("microstructure:\n  box_voxels: [128, 128, 128]\n  voxel_size_m: 1e-8\n"
                                "  generator: pic\n  volume_fraction: 0.8\n  grains: 200\n  grain: llzo\n"
                                "  polymer: peo\n"
                                "  crystallinity: {polymer: peo, crystalline: peo_cryst, fraction: 0.3, "
                                "cluster_voxels: 2}\n");
    double ceramic = frac_of(m, 0), cr = frac_of(m, 3), poly = frac_of(m, 2);
    printf("pic 0.8 + crystallinity 0.3: ceramic %.6f, crystalline %.6f (of polymer %.4f)\n", ceramic, cr,
           cr / (cr + poly));
    ck_assert(fabs(ceramic - 0.8) <= TOL);
    ck_assert(fabs(cr - 0.06) <= TOL);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(crystallinity_law)
{
    lihop_config *cfg = parse_ok("microstructure:\n  box_voxels: [16, 16, 16]\n  voxel_size_m: 1e-8\n"
                                 "  generator: uniform\n  matrix: peo\n"
                                 "  crystallinity:\n    polymer: peo\n    crystalline: peo_cryst\n"
                                 "    cluster_voxels: 1\n    melting_K: 333.15\n"
                                 "    fraction_vs_T: [{T_K: 273.15, fraction: 0.5}, {T_K: 323.15, fraction: 0.3}]\n"
                                 "    filler_factor: [{filler_fraction: 0, factor: 1}, {filler_fraction: 0.2, "
                                 "factor: 0.5}]\n");
    const lihop_cryst_cfg *c = &cfg->micro.cryst;
    ck_assert_int_eq(c->depends_on_T, 1);
    ck_assert_double_eq(c->T_K, 298.15);                             /* the deck's first temperature */
    ck_assert_double_eq_tol(lihop_cryst_fraction(c, 298.15, 0.0), 0.4, 1e-12);  /* halfway 273..323 */
    ck_assert_double_eq_tol(lihop_cryst_fraction(c, 200.0, 0.0), 0.5, 1e-12);   /* held below the table */
    ck_assert_double_eq_tol(lihop_cryst_fraction(c, 330.0, 0.0), 0.3, 1e-12);   /* held above, below Tm */
    ck_assert_double_eq(lihop_cryst_fraction(c, 333.15, 0.0), 0.0);             /* molten */
    ck_assert_double_eq_tol(lihop_cryst_fraction(c, 298.15, 0.1), 0.4 * 0.75, 1e-12);
    /* at the second temperature (above Tm) the build has no crystalline voxel */
    lihop_micro_cfg mc = cfg->micro;
    mc.cryst.T_K = 353.15;
    lihop_micro *m = build_ok(&mc);
    ck_assert_double_eq(frac_of(m, 3), 0.0);
    lihop_micro_destroy(m);
    m = build_ok(&cfg->micro);
    ck_assert(fabs(frac_of(m, 3) - 0.4) <= TOL);
    lihop_micro_destroy(m);
    lihop_config_destroy(cfg);
}
END_TEST

/* ---- stacks ----------------------------------------------------------------- */

START_TEST(stack_sandwich_128)
{
    lihop_micro *m = build_deck(
        "microstructure:\n  box_voxels: [128, 128, 128]\n  voxel_size_m: 1e-8\n  generator: stack\n  axis: z\n"
        "  slabs:\n"
        "    - {fraction: 0.25, generator: spheres, matrix: peo, filler: llzo, volume_fraction: 0.2, radius_voxels: 4}\n"
        "    - {fraction: 0.5, generator: pic, volume_fraction: 0.8, grains: 100, grain: llzo, polymer: peo,\n"
        "       gb_thickness_m: 1e-8, boundary: gb}\n"
        "    - {fraction: 0.25, generator: voronoi, grains: 40, grain: llzo}\n");
    /* slab z ranges: [0, 32), [32, 96), [96, 128) */
    const int z0[3] = {0, 32, 96}, z1[3] = {32, 96, 128};
    const double want[3] = {0.2, 0.8, 1.0};
    for (int s = 0; s < 3; ++s) {
        int64_t cer = 0, tot = 0;
        for (int z = z0[s]; z < z1[s]; ++z)
            for (int64_t i = idx(m, 0, 0, z); i < idx(m, 0, 0, z) + 128 * 128; ++i) {
                cer += m->phase[i] == 0 || m->phase[i] == 1;
                ++tot;
                int32_t g = m->grain[i];
                if (s == 0) ck_assert_int_eq(g, -1);
                if (s == 1) ck_assert(m->phase[i] == 0 ? g >= 0 && g < 100 : g == -1);
                if (s == 2) ck_assert(g >= 100 && g < 140);
            }
        printf("stack slab %d: ceramic %.5f (target %.2f)\n", s, (double)cer / tot, want[s]);
        ck_assert(fabs((double)cer / tot - want[s]) <= TOL);
    }
    ck_assert_int_eq(m->ngrains, 140);
    lihop_micro_destroy(m);
}
END_TEST

/* ---- determinism ------------------------------------------------------------ */

START_TEST(same_seed_same_grid)
{
    const char *micro = "microstructure:\n  box_voxels: [48, 40, 36]\n  voxel_size_m: 1e-8\n  generator: pic\n"
                        "  volume_fraction: 0.7\n  grains: 30\n  grain: llzo\n  polymer: peo\n"
                        "  gb_thickness_m: 1e-8\n  boundary: gb\n  seed: 99\n"
                        "  crystallinity: {polymer: peo, crystalline: peo_cryst, fraction: 0.4, cluster_voxels: 2}\n";
    lihop_config *cfg = parse_ok(micro);
    omp_set_num_threads(1);
    lihop_micro *a = build_ok(&cfg->micro);
    omp_set_num_threads(2);
    lihop_micro *b = build_ok(&cfg->micro);   /* another thread count: the same grid */
    int64_t nvox = lihop_micro_nvox(a);
    ck_assert(memcmp(a->phase, b->phase, (size_t)nvox) == 0);
    ck_assert(memcmp(a->grain, b->grain, (size_t)nvox * sizeof *a->grain) == 0);
    lihop_micro_cfg other = cfg->micro;
    other.seed = 100;
    lihop_micro *c = build_ok(&other);
    ck_assert(memcmp(a->phase, c->phase, (size_t)nvox) != 0);
    lihop_micro_destroy(a);
    lihop_micro_destroy(b);
    lihop_micro_destroy(c);
    lihop_config_destroy(cfg);
}
END_TEST

/* ---- deck errors ------------------------------------------------------------ */

#define BOX "microstructure:\n  box_voxels: [32, 32, 32]\n  voxel_size_m: 1e-8\n"

START_TEST(config_errors)
{
    expect_error(BOX "  generator: voronoi\n  grains: 10\n  grain_size_m: 1e-7\n  grain: llzo\n",
                 "grain_size_m", "microstructure.grain_size_m", "exactly one of grains or grain_size_m");
    expect_error(BOX "  generator: voronoi\n  grain: llzo\n", "generator", "microstructure.generator",
                 "grains (a count) or grain_size_m");
    expect_error(BOX "  generator: voronoi\n  grains: 5000\n  grain: llzo\n", "grains: 5000",
                 "microstructure.grains", "from 1 to 4096 grains");
    expect_error(BOX "  generator: voronoi\n  grain_size_m: 1e-9\n  grain: llzo\n", "grain_size_m",
                 "microstructure.grain_size_m", "grain diameter of at least");
    expect_error(BOX "  generator: voronoi\n  grains: 10\n  grain: llzo\n  gb_thickness_m: 5e-9\n  boundary: gb\n",
                 "gb_thickness_m", "microstructure.gb_thickness_m", "at least one voxel edge");
    expect_error(BOX "  generator: voronoi\n  grains: 10\n  grain: llzo\n  boundary: gb\n", "boundary: gb",
                 "microstructure.boundary", "together");
    expect_error(BOX "  generator: voronoi\n  grains: 10\n  grain: llzo\n  gb_thickness_m: 1e-8\n  boundary: llzo\n",
                 "boundary: llzo", "microstructure.boundary", "other than the grains'");
    expect_error(BOX "  generator: voronoi\n  grains: 10\n  grain: llzo\n  polymer: peo\n", "polymer: peo",
                 "microstructure.polymer", "belongs to generator pic");
    expect_error(BOX "  generator: pic\n  grains: 10\n  grain: llzo\n  polymer: peo\n  volume_fraction: [0.7, 0.5]\n",
                 "volume_fraction", "microstructure.volume_fraction[1]", "ceramic volume fraction (PIC)");
    expect_error(BOX "  generator: pic\n  grains: 10\n  grain: llzo\n  volume_fraction: 0.7\n", "generator: pic",
                 "microstructure.polymer", "generator 'pic' needs");
    expect_error(BOX "  generator: pic\n  grains: 10\n  grain: llzo\n  polymer: nylon\n  volume_fraction: 0.7\n",
                 "polymer: nylon", "microstructure.polymer", NULL);
    expect_error(BOX "  generator: stack\n  slabs:\n    - {fraction: 0.5, generator: uniform, matrix: peo}\n"
                 "    - {fraction: 0.4, generator: uniform, matrix: llzo}\n",
                 "slabs:", "microstructure.slabs", "summing to 1");
    expect_error(BOX "  generator: stack\n  slabs:\n    - {fraction: 0.5, generator: uniform, matrix: peo}\n"
                 "    - {fraction: 0.5, generator: laminate, matrix: llzo}\n",
                 "generator: laminate", "microstructure.slabs[1].generator", "a slab generator");
    expect_error(BOX "  generator: stack\n  slabs:\n    - {fraction: 0.5, generator: uniform, matrix: peo}\n"
                 "    - {fraction: 0.5, generator: uniform, matrix: llzo, grains: 4}\n",
                 "grains: 4", "microstructure.slabs[1].grains", "keys of generator 'uniform'");
    expect_error(BOX "  generator: stack\n  slabs:\n    - {fraction: 0.99, generator: uniform, matrix: peo}\n"
                 "    - {fraction: 0.01, generator: uniform, matrix: llzo}\n",
                 "fraction: 0.01", "microstructure.slabs[1].fraction", "one voxel thick");
    expect_error(BOX "  generator: stack\n  slabs:\n    - {fraction: 1, generator: spheres, matrix: peo, filler: llzo,\n"
                 "       volume_fraction: 0.1, radius_voxels: 20}\n",
                 "volume_fraction: 0.1", "microstructure.slabs[0].radius_voxels", "half the slab's smallest edge");
    expect_error(BOX "  generator: uniform\n  matrix: peo\n  crystallinity: {polymer: peo, crystalline: peo_cryst, "
                 "cluster_voxels: 2, fraction: 0.2, fraction_vs_T: [{T_K: 300, fraction: 0.2}]}\n",
                 "crystallinity", "microstructure.crystallinity.fraction_vs_T", "exactly one of fraction");
    expect_error(BOX "  generator: uniform\n  matrix: peo\n  crystallinity: {polymer: peo, crystalline: peo_cryst, "
                 "cluster_voxels: 2, fraction_vs_T: [{T_K: 300, fraction: 0.2}, {T_K: 290, fraction: 0.1}]}\n",
                 "crystallinity", "microstructure.crystallinity.fraction_vs_T[1].T_K", "increasing");
    expect_error(BOX "  generator: uniform\n  matrix: peo\n  crystallinity: {polymer: peo, crystalline: peo_cryst, "
                 "cluster_voxels: 2, fraction: 1.5}\n",
                 "crystallinity", "microstructure.crystallinity.fraction", "crystalline fraction");
    expect_error(BOX "  generator: uniform\n  matrix: peo\n  crystallinity: {polymer: peo, crystalline: peo, "
                 "cluster_voxels: 2, fraction: 0.5}\n",
                 "crystallinity", "microstructure.crystallinity.crystalline", "other than the polymer");
    expect_error(BOX "  generator: uniform\n  matrix: peo\n  crystallinity: {polymer: peo, crystalline: peo_cryst, "
                 "cluster_voxels: 2, fraction: 0.5, size: 3}\n",
                 "crystallinity", "microstructure.crystallinity.size", "unknown key");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("micro_gen_a");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, voronoi_grains_128);
    tcase_add_test(tc, voronoi_grain_size);
    tcase_add_test(tc, pic_fraction_128);
    tcase_add_test(tc, crystallinity_fraction_128);
    tcase_add_test(tc, crystallinity_in_pic_128);
    tcase_add_test(tc, crystallinity_law);
    tcase_add_test(tc, stack_sandwich_128);
    tcase_add_test(tc, same_seed_same_grid);
    tcase_add_test(tc, config_errors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
