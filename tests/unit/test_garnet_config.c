/* test_garnet_config.c - garnet decks: parsing, material-file defaults and
 * overrides, errors that name file:line (deck and material), the setup from a
 * deck (lattice, bicrystal slab, site removal, space-charge profiles, region
 * arrays, engine parameters) and the derived numbers (ASR, drift linearity,
 * Arrhenius fits).  Floating-point checks state their tolerance; statistical
 * ones their number of standard errors. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "garnet_setup.h"
#include "lattice.h"
#include "fit.h"
#include "garnet_point.h"

#ifndef LIHOP_SOURCE_DIR
#error "LIHOP_SOURCE_DIR must be defined (CMake does it for lihop_core users)"
#endif

#define KB 8.617333262e-5   /* eV/K */
#define LLZO LIHOP_SOURCE_DIR "/lattices/llzo_cubic.yaml"

/* A material file; the line numbers are what the error tests expect.  LATTICE
 * is replaced by the absolute path of lattices/llzo_cubic.yaml. */
static const char MAT[] =
    "name: test LLZO\n"                                   /*  1 */
    "source: unit test\n"                                 /*  2 */
    "lattice: LATTICE\n"                                  /*  3 */
    "rate_law: kra\n"                                     /*  4 */
    "nu_Hz: 1.0e13\n"                                     /*  5 */
    "E_kra_eV:\n"                                         /*  6 */
    "  - {pair: [T, O], value: 0.30}\n"                   /*  7 */
    "site_energy_eV:\n"                                   /*  8 */
    "  - {sublattice: T, value: 0.0}\n"                   /*  9 */
    "  - {sublattice: O, value: 0.05}\n"                  /* 10 */
    "E_nn_eV: 0.1\n"                                      /* 11 */
    "disorder_sigma_eV: 0.01\n";                          /* 12 */

/* A deck; MATERIAL is replaced by the path of a material file. */
static const char DECK[] =
    "model: garnet\n"                                     /*  1 */
    "backend: cpu\n"                                      /*  2 */
    "seed: 7\n"                                           /*  3 */
    "temperature_K: [300, 350, 400]\n"                    /*  4 */
    "garnet:\n"                                           /*  5 */
    "  material: MATERIAL\n"                              /*  6 */
    "  cells: [2, 2, 2]\n"                                /*  7 */
    "  li_per_fu: [6.4, 6.0]\n"                           /*  8 */
    "  nu_Hz: 2.0e13\n"                                   /*  9 */
    "  E_kra_eV: [{pair: [O, T], value: 0.25}]\n"         /* 10 */
    "  site_energy_eV: [{sublattice: T, value: 0.02}]\n"  /* 11 */
    "  drift_fields_V_m: [2.0e6, 4.0e6]\n"                /* 12 */
    "  bicrystal:\n"                                      /* 13 */
    "    axis: x\n"                                       /* 14 */
    "    center_frac: 0.5\n"                              /* 15 */
    "    thickness_A: 6.0\n"                              /* 16 */
    "    kra_shift_eV: 0.1\n"                             /* 17 */
    "    site_shift_eV: 0.05\n"                           /* 18 */
    "    disorder_sigma_eV: 0.0\n"                        /* 19 */
    "    site_removal_fraction: 0.0\n"                    /* 20 */
    "    space_charge:\n"                                 /* 21 */
    "      profile: gouy_chapman\n"                       /* 22 */
    "      phi0_V: 0.1\n"                                 /* 23 */
    "      length_A: 10.0\n"                              /* 24 */
    "run:\n"                                              /* 25 */
    "  replicas: 32\n"                                    /* 26 */
    "  hops_per_li: 50\n"                                 /* 27 */
    "  samples: 16\n"                                     /* 28 */
    "  batches: 4\n";                                     /* 29 */

static char g_tmp[256];
static int g_nfiles;

/* `text` with the first `old` replaced by `new` (old must occur); malloc'd. */
static char *replaced(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    ck_assert_msg(at != NULL, "test bug: '%s' not in the text", old);
    size_t pre = (size_t)(at - text), lo = strlen(old), ln = strlen(new);
    char *s = malloc(strlen(text) + ln + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, text, pre);
    memcpy(s + pre, new, ln);
    strcpy(s + pre + ln, at + lo);
    return s;
}

static void make_tmp(void)
{
    if (g_tmp[0])
        return;
    snprintf(g_tmp, sizeof g_tmp, "%s/lihop_gcfg.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(g_tmp));
}

/* Write `text` to a new file in the temporary directory; returns its path (static slots). */
static const char *write_file(const char *text)
{
    static char paths[256][320];
    make_tmp();
    ck_assert_int_lt(g_nfiles, 256);
    char *p = paths[g_nfiles];
    snprintf(p, 320, "%s/file%03d.yaml", g_tmp, g_nfiles);
    g_nfiles++;
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return p;
}

/* The material text with one edit (old == NULL: none), written to a file. */
static const char *material(const char *old, const char *new)
{
    char *m = replaced(MAT, "LATTICE", LLZO);
    if (old) {
        char *e = replaced(m, old, new);
        free(m);
        m = e;
    }
    const char *p = write_file(m);
    free(m);
    return p;
}

/* The deck with material path `mat` and one edit (old == NULL: none); malloc'd. */
static char *deck(const char *mat, const char *old, const char *new)
{
    char *d = replaced(DECK, "MATERIAL", mat);
    if (old) {
        char *e = replaced(d, old, new);
        free(d);
        d = e;
    }
    return d;
}

static lihop_config *parse_ok(const char *text)
{
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_config_parse(text, "deck.yaml", &cfg, &err);
    ck_assert_msg(st == LIHOP_OK, "unexpected error: %s", err.msg);
    ck_assert_ptr_nonnull(cfg);
    return cfg;
}

/* Parse `text`; expect LIHOP_ERR_INPUT and a message starting "FILE:LINE: key 'KEY': expected "
 * and containing `also` (when not NULL). */
static void expect_error_text(const char *text, const char *file, int line, const char *key, const char *also)
{
    lihop_config *cfg = (lihop_config *)1;
    lihop_err err = {{0}};
    lihop_status st = lihop_config_parse(text, "deck.yaml", &cfg, &err);
    ck_assert_msg(st == LIHOP_ERR_INPUT, "status %d, message: %s", (int)st, err.msg);
    ck_assert_ptr_null(cfg);
    char head[512];
    snprintf(head, sizeof head, "%s:%d: key '%s': expected ", file, line, key);
    ck_assert_msg(strncmp(err.msg, head, strlen(head)) == 0, "wanted '%s...', got '%s'", head, err.msg);
    ck_assert_msg(strstr(err.msg, ", got ") != NULL, "no 'got' part: %s", err.msg);
    if (also)
        ck_assert_msg(strstr(err.msg, also) != NULL, "wanted '%s' in '%s'", also, err.msg);
}

static void expect_deck_error(const char *old, const char *new, int line, const char *key, const char *also)
{
    char *t = deck(material(NULL, NULL), old, new);
    expect_error_text(t, "deck.yaml", line, key, also);
    free(t);
}

static void expect_material_error(const char *old, const char *new, int line, const char *key, const char *also)
{
    const char *m = material(old, new);
    char *t = deck(m, NULL, NULL);
    expect_error_text(t, m, line, key, also);
    free(t);
}

/* ---- parsing ------------------------------------------------------------------------ */

START_TEST(deck_values)
{
    const char *m = material(NULL, NULL);
    char *t = deck(m, NULL, NULL);
    lihop_config *c = parse_ok(t);
    free(t);
    const lihop_garnet_cfg *g = &c->garnet;
    ck_assert_int_eq(c->model, LIHOP_MODEL_GARNET);
    ck_assert_int_eq(c->backend, LIHOP_BACKEND_CPU);
    ck_assert(c->seed == 7);
    ck_assert_int_eq(c->ntemps, 3);
    ck_assert(c->temperature_K[2] == 400.0);
    ck_assert_str_eq(g->material_path, m);
    ck_assert_str_eq(g->material_name, "test LLZO");
    ck_assert_str_eq(g->material_source, "unit test");
    ck_assert_ptr_nonnull(g->material_text);
    ck_assert_ptr_nonnull(g->lattice_text);
    ck_assert_str_eq(g->lattice_path, LLZO);
    ck_assert_str_eq(g->lattice.name, "LLZO-cubic-48g");
    ck_assert_int_eq(g->nsub, 2);
    ck_assert_str_eq(g->subname[0], "T");
    ck_assert_str_eq(g->subname[1], "O");
    ck_assert(g->cells[0] == 2 && g->cells[1] == 2 && g->cells[2] == 2);
    ck_assert_int_eq(g->nli, 2);
    ck_assert_int_eq(g->li_is_per_cell, 0);
    ck_assert(g->li_per_fu[0] == 6.4 && g->li_per_fu[1] == 6.0);
    ck_assert(fabs(g->li_per_cell[0] - 51.2) < 1e-12);
    ck_assert_int_eq(g->rate_law, LIHOP_GRATE_KRA);
    ck_assert(g->nu_Hz == 2.0e13);                            /* deck overrides the material */
    ck_assert(g->E_kra_eV[0][1] == 0.25 && g->E_kra_eV[1][0] == 0.25); /* [O, T] = [T, O], symmetric */
    ck_assert(g->kra_given[0][1] && g->kra_given[1][0] && !g->kra_given[0][0] && !g->kra_given[1][1]);
    ck_assert(g->site_energy_eV[0] == 0.02);                  /* T from the deck */
    ck_assert(g->site_energy_eV[1] == 0.05);                  /* O kept from the material */
    ck_assert(g->E_nn_eV == 0.1 && g->disorder_sigma_eV == 0.01);
    ck_assert(g->field_V_m[0] == 0.0 && g->field_V_m[1] == 0.0 && g->field_V_m[2] == 0.0);
    ck_assert_int_eq(g->has_drift, 1);
    ck_assert(g->drift_fields_V_m[0] == 2.0e6 && g->drift_fields_V_m[1] == 4.0e6);
    ck_assert_int_eq(g->has_bicrystal, 1);
    const lihop_bicrystal_cfg *b = &g->bicrystal;
    ck_assert_int_eq(b->axis, 0);
    ck_assert(b->center_frac == 0.5 && b->thickness_A == 6.0 && b->kra_shift_eV == 0.1);
    ck_assert(b->site_shift_eV == 0.05 && b->disorder_sigma_eV == 0.0 && b->site_removal_fraction == 0.0);
    ck_assert_int_eq(b->profile, LIHOP_SC_GOUY_CHAPMAN);
    ck_assert(b->phi0_V == 0.1 && b->length_A == 10.0);
    ck_assert_int_eq(b->src.line, 13);
    ck_assert_int_eq(c->run.replicas, 32);
    ck_assert(c->run.hops_per_li == 50.0 && c->run.time_s == 0.0);
    ck_assert(c->run.equil_hops_per_li == 20.0);              /* default */
    ck_assert_int_eq(c->run.samples, 16);
    ck_assert_int_eq(c->run.batches, 4);
    ck_assert(c->run.fit_from == 0.1 && c->run.fit_to == 0.5); /* default */
    /* where values came from */
    ck_assert_str_eq(g->src_kra.file, "deck.yaml");
    ck_assert_int_eq(g->src_kra.line, 10);
    ck_assert_str_eq(g->src_lattice.file, m);
    ck_assert_int_eq(g->src_lattice.line, 3);
    ck_assert_int_eq(g->src_li.line, 8);
    lihop_config_destroy(c);
}
END_TEST

START_TEST(material_defaults_and_overrides)
{
    /* without the deck's overrides every material value comes through */
    const char *m = material(NULL, NULL);
    char *t = deck(m, "  nu_Hz: 2.0e13\n  E_kra_eV: [{pair: [O, T], value: 0.25}]\n"
                      "  site_energy_eV: [{sublattice: T, value: 0.02}]\n", "");
    lihop_config *c = parse_ok(t);
    free(t);
    ck_assert(c->garnet.nu_Hz == 1.0e13);
    ck_assert(c->garnet.E_kra_eV[0][1] == 0.30);
    ck_assert(c->garnet.site_energy_eV[0] == 0.0 && c->garnet.site_energy_eV[1] == 0.05);
    ck_assert_str_eq(c->garnet.src_kra.file, m);
    ck_assert_int_eq(c->garnet.src_kra.line, 6);
    lihop_config_destroy(c);

    /* deck-level rate law, E_nn, disorder and lattice override the material */
    t = deck(m, "  cells: [2, 2, 2]\n",
             "  cells: [2, 2, 2]\n  rate_law: metropolis\n  E_nn_eV: -0.05\n  disorder_sigma_eV: 0\n"
             "  lattice: " LIHOP_SOURCE_DIR "/lattices/llzo_cubic_96h.yaml\n");
    char *u = replaced(t, "    kra_shift_eV: 0.1\n", "");
    free(t);
    c = parse_ok(u);
    free(u);
    ck_assert_int_eq(c->garnet.rate_law, LIHOP_GRATE_METROPOLIS);
    ck_assert(c->garnet.E_nn_eV == -0.05 && c->garnet.disorder_sigma_eV == 0.0);
    ck_assert_str_eq(c->garnet.lattice_path, LIHOP_SOURCE_DIR "/lattices/llzo_cubic_96h.yaml");
    ck_assert(c->garnet.bicrystal.kra_shift_eV == 0.0);
    lihop_config_destroy(c);

    /* minimal deck: defaults (cells 2x2x2, Li content of the lattice's reference, run defaults) */
    static const char MIN[] =
        "model: garnet\n"
        "temperature_K: [298.15]\n"
        "garnet:\n"
        "  lattice: " LLZO "\n"
        "  E_kra_eV: [{pair: [T, O], value: 0.3}]\n";
    c = parse_ok(MIN);
    const lihop_garnet_cfg *g = &c->garnet;
    ck_assert_int_eq(c->backend, LIHOP_BACKEND_AUTO);
    ck_assert(c->seed == 1);
    ck_assert_str_eq(g->material_path, "");
    ck_assert_ptr_null(g->material_text);
    ck_assert(g->cells[0] == 2 && g->cells[1] == 2 && g->cells[2] == 2);
    ck_assert_int_eq(g->nli, 1);
    ck_assert(g->li_per_fu[0] == 7.0 && g->li_per_cell[0] == 56.0);
    ck_assert_int_eq(g->rate_law, LIHOP_GRATE_KRA);
    ck_assert(g->nu_Hz == 1e13 && g->E_nn_eV == 0.0 && g->disorder_sigma_eV == 0.0);
    ck_assert(g->site_energy_eV[0] == 0.0 && g->site_energy_eV[1] == 0.0);
    ck_assert_int_eq(g->has_drift, 0);
    ck_assert_int_eq(g->has_bicrystal, 0);
    ck_assert_int_eq(c->run.replicas, 64);
    ck_assert(c->run.hops_per_li == 100.0 && c->run.time_s == 0.0 && c->run.equil_hops_per_li == 20.0);
    ck_assert_int_eq(c->run.samples, 32);
    ck_assert_int_eq(c->run.batches, 8);
    lihop_config_destroy(c);

    /* li_per_cell, time_s, fit_window, field, table profile, axis z */
    char *v = replaced(MIN, "  E_kra_eV", "  li_per_cell: [48, 52.0]\n  field_V_m: [0, 1.0e5, 0]\n"
                                        "  bicrystal:\n    axis: z\n    space_charge:\n      profile: table\n"
                                        "      table: [[0, 0.2], [2.5, 0.1], [5, -0.01]]\n  E_kra_eV");
    char *w = replaced(v, "E_kra_eV: [{pair: [T, O], value: 0.3}]\n",
                       "E_kra_eV: [{pair: [T, O], value: 0.3}]\nrun: {time_s: 1.0e-6, fit_window: [0, 0.25]}\n");
    free(v);
    c = parse_ok(w);
    free(w);
    g = &c->garnet;
    ck_assert_int_eq(g->li_is_per_cell, 1);
    ck_assert(g->li_per_cell[0] == 48.0 && g->li_per_fu[0] == 6.0 && g->li_per_fu[1] == 6.5);
    ck_assert(g->field_V_m[1] == 1.0e5);
    ck_assert_int_eq(g->bicrystal.axis, 2);
    ck_assert(g->bicrystal.center_frac == 0.5 && g->bicrystal.thickness_A == 0.0);
    ck_assert_int_eq(g->bicrystal.profile, LIHOP_SC_TABLE);
    ck_assert_int_eq(g->bicrystal.ntable, 3);
    ck_assert(g->bicrystal.table_d_A[1] == 2.5 && g->bicrystal.table_phi_V[1] == 0.1);
    ck_assert(g->bicrystal.table_d_A[2] == 5.0 && g->bicrystal.table_phi_V[2] == -0.01);
    ck_assert(c->run.time_s == 1.0e-6 && c->run.hops_per_li == 0.0);
    ck_assert(c->run.fit_from == 0.0 && c->run.fit_to == 0.25);
    lihop_config_destroy(c);
}
END_TEST

START_TEST(relative_paths)
{
    /* the material's lattice is relative to the material (tests/data -> ../../lattices) */
    char *t = deck(LIHOP_SOURCE_DIR "/tests/data/garnet_material.yaml", NULL, NULL);
    lihop_config *c = parse_ok(t);
    free(t);
    ck_assert_str_eq(c->garnet.lattice_path, LIHOP_SOURCE_DIR "/tests/data/../../lattices/llzo_cubic.yaml");
    ck_assert_str_eq(c->garnet.lattice.name, "LLZO-cubic-48g");
    lihop_config_destroy(c);

    /* the deck's paths are relative to the deck's directory */
    static const char SC[] =
        "model: garnet\n"
        "temperature_K: [300]\n"
        "garnet:\n"
        "  lattice: ../lattices/simple_cubic.yaml\n"
        "  cells: [4, 4, 4]\n"
        "  li_per_fu: [0.5]\n"
        "  E_kra_eV: [{pair: [A, A], value: 0.1}]\n";
    lihop_err err = {{0}};
    c = NULL;
    lihop_status st = lihop_config_parse(SC, LIHOP_SOURCE_DIR "/configs/not_a_file.yaml", &c, &err);
    ck_assert_msg(st == LIHOP_OK, "%s", err.msg);
    ck_assert_str_eq(c->garnet.lattice_path, LIHOP_SOURCE_DIR "/configs/../lattices/simple_cubic.yaml");
    ck_assert_int_eq(c->garnet.nsub, 1);
    ck_assert(c->garnet.E_kra_eV[0][0] == 0.1);
    lihop_config_destroy(c);
}
END_TEST

/* ---- errors: deck ------------------------------------------------------------------- */

START_TEST(deck_errors)
{
    expect_deck_error("  nu_Hz: 2.0e13\n", "  nu_Hz: -1\n", 9, "garnet.nu_Hz", "got -1");
    expect_deck_error("[{pair: [O, T], value: 0.25}]", "[{pair: [O, X], value: 0.25}]", 10,
                      "garnet.E_kra_eV[0].pair[1]", "got 'X'");
    expect_deck_error("[{pair: [O, T], value: 0.25}]", "[{pair: [O, T], value: -0.2}]", 10,
                      "garnet.E_kra_eV[0].value", "barrier from 0 to 5 eV");
    expect_deck_error("[{pair: [O, T], value: 0.25}]", "\n    - {pair: [O, T], value: 0.25}\n    - {pair: [T, O], value: 0.2}",
                      12, "garnet.E_kra_eV[1].pair", "also garnet.E_kra_eV[0]");
    expect_deck_error("[{sublattice: T, value: 0.02}]", "[{sublattice: Q, value: 0.02}]", 11,
                      "garnet.site_energy_eV[0].sublattice", "sublattice of lattice 'LLZO-cubic-48g' (T, O)");
    expect_deck_error("  cells: [2, 2, 2]\n", "  cells: [2, 0, 2]\n", 7, "garnet.cells[1]", "got 0");
    expect_deck_error("  cells: [2, 2, 2]\n", "  cells: [2, 2]\n", 7, "garnet.cells", "exactly 3");
    expect_deck_error("  li_per_fu: [6.4, 6.0]\n", "  li_per_fu: [6.4, 6.0]\n  li_per_cell: [50]\n", 9,
                      "garnet.li_per_cell", "li_per_fu on line 8");
    expect_deck_error("  li_per_fu: [6.4, 6.0]\n", "  li_per_fu: [6.4, 0]\n", 8, "garnet.li_per_fu[1]", "got 0");
    expect_deck_error("  li_per_fu: [6.4, 6.0]\n", "  li_per_fu: [6.4, abc]\n", 8, "garnet.li_per_fu[1]", "'abc'");
    expect_deck_error("  cells: [2, 2, 2]\n", "  cells: [2, 2, 2]\n  colour: red\n", 8, "garnet.colour",
                      "unknown key 'colour'");
    expect_deck_error("  material: ", "  material: /no/such/dir/", 6, "garnet.material", "cannot open");
    expect_deck_error("  cells: [2, 2, 2]\n", "  cells: [2, 2, 2]\n  lattice: /no/such/lattice.yaml\n", 8,
                      "garnet.lattice", "valid lattice file");
    expect_deck_error("  drift_fields_V_m: [2.0e6, 4.0e6]\n", "  drift_fields_V_m: [2.0e6, 2.0e6]\n", 12,
                      "garnet.drift_fields_V_m", "two different");
    expect_deck_error("  drift_fields_V_m: [2.0e6, 4.0e6]\n", "  drift_fields_V_m: [2.0e6]\n", 12,
                      "garnet.drift_fields_V_m", "exactly 2");
    expect_deck_error("    center_frac: 0.5\n", "    center_frac: 1.0\n", 15, "garnet.bicrystal.center_frac",
                      "[0, 1)");
    expect_deck_error("    thickness_A: 6.0\n", "    thickness_A: -6.0\n", 16, "garnet.bicrystal.thickness_A", "got -6.0");
    expect_deck_error("    site_removal_fraction: 0.0\n", "    site_removal_fraction: 1\n", 20,
                      "garnet.bicrystal.site_removal_fraction", "[0, 1)");
    expect_deck_error("    axis: x\n", "    axis: w\n", 14, "garnet.bicrystal.axis", "one of: x, y, z");
    expect_deck_error("      profile: gouy_chapman\n", "      profile: debye\n", 22,
                      "garnet.bicrystal.space_charge.profile", "gouy_chapman, mott_schottky, table");
    expect_deck_error("      length_A: 10.0\n", "", 22, "garnet.bicrystal.space_charge.length_A",
                      "profile 'gouy_chapman' needs");
    expect_deck_error("      length_A: 10.0\n", "      length_A: 0\n", 24, "garnet.bicrystal.space_charge.length_A",
                      "length > 0");
    expect_deck_error("      length_A: 10.0\n", "      length_A: 10.0\n      table: [[0, 1]]\n", 25,
                      "garnet.bicrystal.space_charge.table", "only the keys of profile 'gouy_chapman'");
    expect_deck_error("      profile: gouy_chapman\n      phi0_V: 0.1\n      length_A: 10.0\n",
                      "      profile: table\n      table:\n        - [0, 0.1]\n        - [3, 0.05]\n        - [2, 0]\n",
                      26, "garnet.bicrystal.space_charge.table[2][0]", "increasing order");
    expect_deck_error("      profile: gouy_chapman\n      phi0_V: 0.1\n      length_A: 10.0\n",
                      "      profile: table\n      table: [[0, 0.1], [3, 0.05, 1]]\n", 23,
                      "garnet.bicrystal.space_charge.table[1]", "exactly 2");
    expect_deck_error("      profile: gouy_chapman\n      phi0_V: 0.1\n      length_A: 10.0\n",
                      "      profile: none\n      phi0_V: 0.1\n", 23, "garnet.bicrystal.space_charge.phi0_V",
                      "only the keys of profile 'none'");
    expect_deck_error("  cells: [2, 2, 2]\n", "  cells: [2, 2, 2]\n  rate_law: metropolis\n", 18,
                      "garnet.bicrystal.kra_shift_eV", "metropolis");
    expect_deck_error("  replicas: 32\n", "  replicas: 2\n", 26, "run.replicas", "as batches (4)");
    expect_deck_error("  hops_per_li: 50\n", "  hops_per_li: 50\n  time_s: 1e-9\n", 28, "run.time_s",
                      "hops_per_li on line 27");
    expect_deck_error("  samples: 16\n", "  samples: 1\n", 28, "run.samples", "from 2 to");
    expect_deck_error("  samples: 16\n", "  samples: 16\n  walkers: 100\n", 29, "run.walkers", "unknown key 'walkers'");
    expect_deck_error("  batches: 4\n", "  batches: 4\n  fit_window: [0.5, 0.2]\n", 30, "run.fit_window",
                      "0 <= from < to <= 1");
    expect_deck_error("seed: 7\n", "seed: 7\nspecies: [{name: li, charge: 1}]\n", 4, "species",
                      "belongs to model 'voxel'");
    expect_deck_error("seed: 7\n", "seed: 7\nfield_V_m: [1, 0, 0]\n", 4, "field_V_m", "inside garnet:");
    expect_deck_error("model: garnet\n", "model: granite\n", 1, "model", "one of: voxel, garnet");
    expect_deck_error("temperature_K: [300, 350, 400]\n", "temperature_K: [300, -350, 400]\n", 4,
                      "temperature_K[1]", "got -350");

    /* required keys */
    char *t = deck(material(NULL, NULL), NULL, NULL);
    char *u = replaced(t, "temperature_K: [300, 350, 400]\n", "");
    expect_error_text(u, "deck.yaml", 1, "temperature_K", "(required)");
    free(u);
    static const char NOLAT[] = "model: garnet\ntemperature_K: [300]\ngarnet:\n  li_per_fu: [6]\n";
    expect_error_text(NOLAT, "deck.yaml", 3, "garnet.lattice", "got nothing");
    expect_error_text("model: garnet\ntemperature_K: [300]\n", "deck.yaml", 1, "garnet", "(required)");
    free(t);
    /* a voxel deck with a garnet block */
    expect_error_text("model: voxel\ngarnet: {}\n", "deck.yaml", 2, "garnet", "belongs to model 'garnet'");
}
END_TEST

/* ---- errors: material file ---------------------------------------------------------- */

START_TEST(material_errors)
{
    expect_material_error("nu_Hz: 1.0e13\n", "nu_Hz: 0\n", 5, "nu_Hz", "got 0");
    expect_material_error("nu_Hz: 1.0e13\n", "nu_Hz: fast\n", 5, "nu_Hz", "'fast'");
    expect_material_error("  - {sublattice: O, value: 0.05}\n", "  - {sublattice: Oh, value: 0.05}\n", 10,
                          "site_energy_eV[1].sublattice", "got 'Oh'");
    expect_material_error("  - {sublattice: O, value: 0.05}\n", "  - {sublattice: T, value: 0.05}\n", 10,
                          "site_energy_eV[1].sublattice", "also site_energy_eV[0]");
    expect_material_error("  - {pair: [T, O], value: 0.30}\n", "  - {pair: [T, P], value: 0.30}\n", 7,
                          "E_kra_eV[0].pair[1]", "(T, O)");
    expect_material_error("disorder_sigma_eV: 0.01\n", "disorder_sigma_eV: -0.01\n", 12, "disorder_sigma_eV",
                          "from 0 to 1 eV");
    expect_material_error("rate_law: kra\n", "rate_law: arrhenius\n", 4, "rate_law", "one of: kra, metropolis");
    expect_material_error("E_nn_eV: 0.1\n", "E_nn_eV: 0.1\ncells: [2, 2, 2]\n", 12, "cells", "unknown key 'cells'");
    expect_material_error("E_nn_eV: 0.1\n", "E_nn_eV: 0.1\nE_nn_eV: 0.2\n", 12, "E_nn_eV", "first on line 11");
    expect_material_error("name: test LLZO\n", "name: [a, b]\n", 1, "name", "got a list");
    /* the lattice named by the material: the error is on the material's line */
    {
        const char *m = write_file("name: x\nlattice: no_such_lattice.yaml\n");
        char *t = deck(m, NULL, NULL);
        expect_error_text(t, m, 2, "lattice", "no_such_lattice.yaml");
        free(t);
    }
    /* a material that is not YAML */
    {
        const char *m = write_file("name: x\nnu_Hz: [1\n");
        char *t = deck(m, NULL, NULL);
        lihop_config *c = (lihop_config *)1;
        lihop_err err = {{0}};
        ck_assert_int_eq(lihop_config_parse(t, "deck.yaml", &c, &err), LIHOP_ERR_INPUT);
        ck_assert_ptr_null(c);
        char head[400];
        snprintf(head, sizeof head, "%s:", m);
        ck_assert_msg(strncmp(err.msg, head, strlen(head)) == 0 && strstr(err.msg, "YAML"), "%s", err.msg);
        free(t);
    }
}
END_TEST

/* ---- errors found when the deck meets the built lattice ------------------------------ */

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static lihop_status setup_point(const lihop_config *c, int k, lihop_garnet_role role, lihop_garnet_params *p,
                                lihop_err *err)
{
    lihop_lattice *lat = NULL;
    lihop_garnet_regions *reg = NULL;
    int with_bc = role != LIHOP_GROLE_BULK;
    int it, ix;
    lihop_garnet_point_axes(c, k, &it, &ix);
    lihop_status st = lihop_garnet_setup_lattice(c, with_bc, &lat, err);
    if (!st && with_bc && c->garnet.has_bicrystal)
        st = lihop_garnet_regions_build(c, lat, c->temperature_K[it], &reg, err);
    if (!st)
        st = lihop_garnet_params_fill(c, lat, reg, k, role, p, err);
    p->phi_V = p->site_shift_eV = p->kra_shift_eV = NULL;   /* freed below */
    lihop_garnet_regions_destroy(reg);
    lihop_lattice_destroy(lat);
    return st;
}

START_TEST(setup_errors)
{
    lihop_garnet_params p;
    lihop_err err = {{0}};
    /* no barrier for the T-O hops anywhere: named at the garnet block */
    const char *m = material("E_kra_eV:\n  - {pair: [T, O], value: 0.30}\n", "");
    char *t = deck(m, "  E_kra_eV: [{pair: [O, T], value: 0.25}]\n", "");
    lihop_config *c = parse_ok(t);
    free(t);
    ck_assert_int_eq(setup_point(c, 0, LIHOP_GROLE_MAIN, &p, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(starts(err.msg, "deck.yaml:5: key 'garnet.E_kra_eV': expected a barrier"), "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "[T, O]") != NULL, "%s", err.msg);
    lihop_config_destroy(c);
    /* ... but metropolis needs none */
    t = deck(m, "  E_kra_eV: [{pair: [O, T], value: 0.25}]\n", "  rate_law: metropolis\n");
    char *u = replaced(t, "    kra_shift_eV: 0.1\n", "");
    free(t);
    c = parse_ok(u);
    free(u);
    ck_assert_msg(setup_point(c, 0, LIHOP_GROLE_MAIN, &p, &err) == LIHOP_OK, "%s", err.msg);
    lihop_config_destroy(c);

    /* more Li than sites: 9.5 Li/fu = 76 per cell > 72 sites; named at li_per_fu[1] */
    t = deck(material(NULL, NULL), "  li_per_fu: [6.4, 6.0]\n", "  li_per_fu: [6.4, 9.5]\n");
    c = parse_ok(t);
    free(t);
    ck_assert_int_eq(setup_point(c, 0, LIHOP_GROLE_MAIN, &p, &err), LIHOP_OK);
    ck_assert_int_eq(setup_point(c, 3, LIHOP_GROLE_MAIN, &p, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(starts(err.msg, "deck.yaml:8: key 'garnet.li_per_fu[1]': expected a Li content"), "%s", err.msg);
    lihop_config_destroy(c);

    /* a slab as thick as the supercell (2 cells of 12.97 A along x) */
    t = deck(material(NULL, NULL), "    thickness_A: 6.0\n", "    thickness_A: 26.0\n");
    c = parse_ok(t);
    free(t);
    ck_assert_int_eq(setup_point(c, 0, LIHOP_GROLE_MAIN, &p, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(starts(err.msg, "deck.yaml:13: key 'garnet.bicrystal.thickness_A': expected a slab thinner"), "%s",
                  err.msg);
    /* the bulk reference has no slab and builds */
    ck_assert_int_eq(setup_point(c, 0, LIHOP_GROLE_BULK, &p, &err), LIHOP_OK);
    lihop_config_destroy(c);
}
END_TEST

/* ---- space-charge profiles against the formulas ------------------------------------- */

static double gc_formula(double phi0, double L, double d, double T)
{
    double kT = KB * T, g = tanh(phi0 / (4.0 * kT)), q = g * exp(-fabs(d) / L);
    return 2.0 * kT * log((1.0 + q) / (1.0 - q));
}

START_TEST(space_charge_profiles)
{
    lihop_bicrystal_cfg b;
    memset(&b, 0, sizeof b);
    const double tol = 1e-12;   /* relative, plus 1e-15 V absolute */
#define CLOSE(x, y) (fabs((x) - (y)) <= tol * fabs(y) + 1e-15)
    /* Gouy-Chapman: phi(0) = phi0 for either sign; the formula at every d; Debye-Hueckel limit */
    b.profile = LIHOP_SC_GOUY_CHAPMAN;
    b.length_A = 10.0;
    for (int s = -1; s <= 1; s += 2) {
        b.phi0_V = 0.3 * s;
        ck_assert(CLOSE(lihop_space_charge_phi_V(&b, 0.0, 298.15), 0.3 * s));
        for (double d = 0.0; d <= 60.0; d += 1.7) {
            double want = gc_formula(b.phi0_V, 10.0, d, 350.0);
            ck_assert_msg(CLOSE(lihop_space_charge_phi_V(&b, d, 350.0), want), "GC d=%g: %.17g vs %.17g", d,
                          lihop_space_charge_phi_V(&b, d, 350.0), want);
            ck_assert(CLOSE(lihop_space_charge_phi_V(&b, -d, 350.0), want));   /* |d| */
        }
    }
    b.phi0_V = 1e-4;   /* e phi0 << kT: phi = phi0 exp(-d/L) to O(phi0^3) */
    for (double d = 0.0; d < 40.0; d += 5.0)
        ck_assert(fabs(lihop_space_charge_phi_V(&b, d, 300.0) - 1e-4 * exp(-d / 10.0)) < 1e-10);
    /* Mott-Schottky: phi0 (1 - d/L)^2 inside, 0 outside */
    b.profile = LIHOP_SC_MOTT_SCHOTTKY;
    b.phi0_V = 0.2;
    b.length_A = 8.0;
    for (double d = 0.0; d <= 12.0; d += 0.5) {
        double want = d < 8.0 ? 0.2 * (1.0 - d / 8.0) * (1.0 - d / 8.0) : 0.0;
        ck_assert(CLOSE(lihop_space_charge_phi_V(&b, d, 300.0), want));
        ck_assert(CLOSE(lihop_space_charge_phi_V(&b, -d, 300.0), want));
    }
    /* table: linear interpolation, first value before the first row, 0 beyond the last */
    b.profile = LIHOP_SC_TABLE;
    b.ntable = 3;
    b.table_d_A[0] = 1.0;  b.table_phi_V[0] = 0.2;
    b.table_d_A[1] = 3.0;  b.table_phi_V[1] = 0.1;
    b.table_d_A[2] = 7.0;  b.table_phi_V[2] = -0.02;
    ck_assert(CLOSE(lihop_space_charge_phi_V(&b, 0.0, 300.0), 0.2));
    ck_assert(CLOSE(lihop_space_charge_phi_V(&b, 1.0, 300.0), 0.2));
    ck_assert(CLOSE(lihop_space_charge_phi_V(&b, 2.0, 300.0), 0.15));
    ck_assert(CLOSE(lihop_space_charge_phi_V(&b, -2.5, 300.0), 0.125));
    ck_assert(CLOSE(lihop_space_charge_phi_V(&b, 3.0, 300.0), 0.1));
    ck_assert(CLOSE(lihop_space_charge_phi_V(&b, 6.0, 300.0), 0.1 + 0.75 * (-0.12)));
    ck_assert(CLOSE(lihop_space_charge_phi_V(&b, 7.0, 300.0), -0.02));
    ck_assert(lihop_space_charge_phi_V(&b, 7.0001, 300.0) == 0.0);
    b.profile = LIHOP_SC_NONE;
    ck_assert(lihop_space_charge_phi_V(&b, 0.0, 300.0) == 0.0);
#undef CLOSE
}
END_TEST

/* ---- region arrays on the LLZO supercell ------------------------------------------ */

/* Minimum-image distance along x of Cartesian x from the plane at c L (cubic cell). */
static double dist_x(double x, double c, double L)
{
    double u = x / L - c;
    u -= floor(u + 0.5);
    return u * L;
}

START_TEST(region_arrays)
{
    /* a 4x1x1 LLZO bicrystal, slab 6 A at 0.3, Mott-Schottky layer, no disorder */
    char *t = deck(material(NULL, NULL), "  cells: [2, 2, 2]\n", "  cells: [4, 1, 1]\n");
    char *u = replaced(t, "    center_frac: 0.5\n", "    center_frac: 0.3\n");
    free(t);
    t = replaced(u, "      profile: gouy_chapman\n", "      profile: mott_schottky\n");
    free(u);
    lihop_config *c = parse_ok(t);
    free(t);
    lihop_lattice *lat = NULL;
    lihop_garnet_regions *reg = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_garnet_setup_lattice(c, 1, &lat, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lat->nsites, 4 * 72);
    ck_assert_msg(lihop_garnet_regions_build(c, lat, 350.0, &reg, &err) == LIHOP_OK, "%s", err.msg);
    const double L = 4 * 12.97;
    ck_assert(fabs(reg->L_A - L) < 1e-9);
    ck_assert(fabs(lihop_bicrystal_period_A(&c->garnet.bicrystal, lat) - L) < 1e-9);
    int nslab = 0;
    for (int i = 0; i < lat->nsites; i++) {
        double d = dist_x(lat->pos_A[3 * i], 0.3, L);
        ck_assert_msg(fabs(reg->d_A[i] - d) < 1e-9, "site %d: d %g vs %g", i, reg->d_A[i], d);
        int in = fabs(d) <= 3.0;
        nslab += in;
        ck_assert_int_eq(reg->in_slab[i], in);
        double want_phi = fabs(d) < 10.0 ? 0.1 * (1 - fabs(d) / 10.0) * (1 - fabs(d) / 10.0) : 0.0;
        ck_assert_msg(fabs(reg->phi_V[i] - want_phi) < 1e-12, "site %d: phi %g vs %g", i, reg->phi_V[i], want_phi);
        ck_assert(reg->site_shift_eV[i] == (in ? 0.05 : 0.0));
        ck_assert(reg->kra_shift_eV[i] == (in ? 0.1 : 0.0));
    }
    ck_assert_int_eq(reg->nslab, nslab);
    /* 6 A of 51.9 A, 288 sites: about 33 slab sites; the exact count depends on the positions */
    ck_assert_msg(nslab > 15 && nslab < 60, "nslab %d", nslab);
    printf("region_arrays: %d of %d sites in a 6 A slab (%.1f expected for a uniform density)\n", nslab,
           lat->nsites, lat->nsites * 6.0 / L);
    lihop_garnet_regions_destroy(reg);

    /* Gouy-Chapman on the sites at 300 K: the formula at each |d| */
    c->garnet.bicrystal.profile = LIHOP_SC_GOUY_CHAPMAN;
    ck_assert(lihop_garnet_regions_build(c, lat, 300.0, &reg, &err) == LIHOP_OK);
    for (int i = 0; i < lat->nsites; i++)
        ck_assert(fabs(reg->phi_V[i] - gc_formula(0.1, 10.0, reg->d_A[i], 300.0)) < 1e-12);
    lihop_garnet_regions_destroy(reg);
    lihop_lattice_destroy(lat);

    /* axis y on a 1x3x1 cell: the slab follows y */
    c->garnet.bicrystal.axis = 1;
    c->garnet.cells[0] = 1;
    c->garnet.cells[1] = 3;
    ck_assert(lihop_garnet_setup_lattice(c, 1, &lat, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_regions_build(c, lat, 300.0, &reg, &err) == LIHOP_OK);
    ck_assert(fabs(reg->L_A - 3 * 12.97) < 1e-9);
    for (int i = 0; i < lat->nsites; i++)
        ck_assert(fabs(reg->d_A[i] - dist_x(lat->pos_A[3 * i + 1], 0.3, 3 * 12.97)) < 1e-9);
    lihop_garnet_regions_destroy(reg);
    lihop_lattice_destroy(lat);
    lihop_config_destroy(c);
}
END_TEST

START_TEST(slab_disorder)
{
    /* Gaussian slab disorder: mean = site_shift, sd = sigma within 4 standard errors; quenched (same each build) */
    char *t = deck(material(NULL, NULL), "  cells: [2, 2, 2]\n", "  cells: [6, 3, 3]\n");
    char *u = replaced(t, "    disorder_sigma_eV: 0.0\n", "    disorder_sigma_eV: 0.04\n");
    free(t);
    t = replaced(u, "    thickness_A: 6.0\n", "    thickness_A: 20.0\n");
    free(u);
    lihop_config *c = parse_ok(t);
    free(t);
    lihop_lattice *lat = NULL;
    lihop_garnet_regions *r1 = NULL, *r2 = NULL;
    lihop_err err = {{0}};
    ck_assert(lihop_garnet_setup_lattice(c, 1, &lat, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_regions_build(c, lat, 300.0, &r1, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_regions_build(c, lat, 400.0, &r2, &err) == LIHOP_OK);
    double s1 = 0.0, s2 = 0.0;
    int n = 0;
    for (int i = 0; i < lat->nsites; i++) {
        ck_assert(r1->site_shift_eV[i] == r2->site_shift_eV[i]);   /* independent of T and point */
        if (!r1->in_slab[i]) {
            ck_assert(r1->site_shift_eV[i] == 0.0);
            continue;
        }
        double x = r1->site_shift_eV[i] - 0.05;
        s1 += x;
        s2 += x * x;
        n++;
    }
    double mean = s1 / n, sd = sqrt(s2 / n - mean * mean);
    double se_mean = 0.04 / sqrt(n), se_sd = 0.04 / sqrt(2.0 * n);
    printf("slab_disorder: %d slab sites, mean offset %.5f eV (se %.5f), sd %.5f eV (want 0.04, se %.5f)\n", n, mean,
           se_mean, sd, se_sd);
    ck_assert_int_gt(n, 500);
    ck_assert(fabs(mean) < 4.0 * se_mean);
    ck_assert(fabs(sd - 0.04) < 4.0 * se_sd);
    lihop_garnet_regions_destroy(r1);
    lihop_garnet_regions_destroy(r2);
    lihop_lattice_destroy(lat);
    lihop_config_destroy(c);
}
END_TEST

/* ---- site removal ---------------------------------------------------------------------- */

static int count_outside(const lihop_config *c, const lihop_lattice *lat)
{
    int n = 0;
    for (int i = 0; i < lat->nsites; i++)
        n += fabs(lihop_bicrystal_distance_A(&c->garnet.bicrystal, lat, lat->frac + 3 * i)) >
             0.5 * c->garnet.bicrystal.thickness_A;
    return n;
}

START_TEST(site_removal)
{
    char *t = deck(material(NULL, NULL), "  cells: [2, 2, 2]\n", "  cells: [6, 2, 2]\n");
    char *u = replaced(t, "    thickness_A: 6.0\n", "    thickness_A: 30.0\n");
    free(t);
    const double fracs[2] = {0.3, 0.5};
    for (int q = 0; q < 2; q++) {
        char line[64];
        snprintf(line, sizeof line, "    site_removal_fraction: %.1f\n", fracs[q]);
        t = replaced(u, "    site_removal_fraction: 0.0\n", line);
        lihop_config *c = parse_ok(t);
        free(t);
        c->seed = 11 + (uint64_t)q;
        lihop_lattice *full = NULL, *lat = NULL, *again = NULL;
        lihop_err err = {{0}};
        ck_assert(lihop_garnet_setup_lattice(c, 0, &full, &err) == LIHOP_OK);
        ck_assert(lihop_garnet_setup_lattice(c, 1, &lat, &err) == LIHOP_OK);
        ck_assert(lihop_garnet_setup_lattice(c, 1, &again, &err) == LIHOP_OK);
        int outside = count_outside(c, full), nslab = full->nsites - outside;
        int removed = full->nsites - lat->nsites;
        double want = fracs[q] * nslab, sd = sqrt(nslab * fracs[q] * (1.0 - fracs[q]));
        printf("site_removal: f = %.1f: %d of %d slab sites removed (expected %.1f +- %.1f)\n", fracs[q], removed,
               nslab, want, sd);
        ck_assert(fabs(removed - want) < 4.0 * sd);
        ck_assert_int_eq(count_outside(c, lat), outside);        /* only slab sites go */
        ck_assert_int_eq(lat->ncells, full->ncells);
        /* deterministic in the seed */
        ck_assert_int_eq(again->nsites, lat->nsites);
        ck_assert(memcmp(again->pos_A, lat->pos_A, sizeof(double) * 3 * (size_t)lat->nsites) == 0);
        ck_assert(memcmp(again->hop_nbr, lat->hop_nbr, sizeof(int32_t) * (size_t)lat->nhops) == 0);
        /* the Li count still follows the full crystal's composition */
        lihop_garnet_params p;
        ck_assert(lihop_garnet_params_fill(c, lat, NULL, 0, LIHOP_GROLE_MAIN, &p, &err) == LIHOP_OK);
        ck_assert_int_eq(p.nli, (int)llround(6.4 * 8 * 24));
        lihop_lattice_destroy(full);
        lihop_lattice_destroy(lat);
        lihop_lattice_destroy(again);
        lihop_config_destroy(c);
    }
    free(u);
}
END_TEST

START_TEST(remove_sites_graph)
{
    /* lihop_lattice_remove_sites on a simple-cubic 4x4x4 lattice: drop the plane x = 1 */
    lihop_lattice_spec spec;
    lihop_lattice *full = NULL, *lat = NULL;
    lihop_err err = {{0}};
    int cells[3] = {4, 4, 4};
    ck_assert(lihop_lattice_spec_load(LIHOP_SOURCE_DIR "/lattices/simple_cubic.yaml", &spec, &err) == LIHOP_OK);
    ck_assert(lihop_lattice_build(&spec, cells, &full, &err) == LIHOP_OK);
    ck_assert(lihop_lattice_build(&spec, cells, &lat, &err) == LIHOP_OK);
    uint8_t rm[64];
    int32_t map[64];
    for (int i = 0; i < 64; i++)
        rm[i] = fabs(full->pos_A[3 * i] - 1.0) < 1e-9;
    ck_assert(lihop_lattice_remove_sites(lat, rm, map, &err) == LIHOP_OK);
    ck_assert_int_eq(lat->nsites, 48);
    ck_assert_int_eq(lat->max_occupancy, 48);
    int64_t kept_edges = 0;
    for (int i = 0; i < 64; i++) {
        ck_assert_int_eq(map[i] < 0, rm[i]);
        if (rm[i])
            continue;
        int j = map[i];
        for (int a = 0; a < 3; a++)
            ck_assert(lat->pos_A[3 * j + a] == full->pos_A[3 * i + a]);
        ck_assert_int_eq(lat->sub[j], full->sub[i]);
        for (int32_t e = full->hop_start[i]; e < full->hop_start[i + 1]; e++)
            kept_edges += !rm[full->hop_nbr[e]];
    }
    ck_assert_int_eq(lat->nhops, kept_edges);
    ck_assert_int_eq(lat->nhops, 48 * 6 - 2 * 16);       /* the two planes beside x = 1 lose one hop each */
    /* every edge goes to a kept site with the same vector, and has its reverse */
    for (int j = 0; j < lat->nsites; j++)
        for (int32_t e = lat->hop_start[j]; e < lat->hop_start[j + 1]; e++) {
            int k = lat->hop_nbr[e];
            ck_assert(k >= 0 && k < lat->nsites && k != j);
            int back = 0;
            for (int32_t f = lat->hop_start[k]; f < lat->hop_start[k + 1]; f++)
                back |= lat->hop_nbr[f] == j && fabs(lat->hop_vec_A[3 * f] + lat->hop_vec_A[3 * e]) < 1e-12;
            ck_assert(back);
        }
    /* removing nothing changes nothing; removing everything is refused */
    uint8_t none[48] = {0}, all[48];
    memset(all, 1, sizeof all);
    int64_t nh = lat->nhops;
    ck_assert(lihop_lattice_remove_sites(lat, none, NULL, &err) == LIHOP_OK);
    ck_assert_int_eq(lat->nsites, 48);
    ck_assert_int_eq(lat->nhops, nh);
    ck_assert_int_eq(lihop_lattice_remove_sites(lat, all, NULL, &err), LIHOP_ERR_INPUT);
    lihop_lattice_destroy(full);
    lihop_lattice_destroy(lat);
}
END_TEST

/* ---- engine parameters ---------------------------------------------------------------- */

START_TEST(params_of_points)
{
    char *t = deck(material(NULL, NULL), "  cells: [2, 2, 2]\n", "  cells: [2, 2, 2]\n  field_V_m: [0, 0, 1.0e5]\n");
    lihop_config *c = parse_ok(t);
    free(t);
    ck_assert_int_eq(lihop_garnet_npoints(c), 6);
    lihop_lattice *lat = NULL, *bulk = NULL;
    lihop_garnet_regions *reg = NULL;
    lihop_err err = {{0}};
    ck_assert(lihop_garnet_setup_lattice(c, 1, &lat, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_setup_lattice(c, 0, &bulk, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_regions_build(c, lat, 350.0, &reg, &err) == LIHOP_OK);
    /* point k: temperature k % 3 (fast), Li content k / 3 (slow) */
    const double T[3] = {300, 350, 400}, li[2] = {6.4, 6.0};
    for (int k = 0; k < 6; k++) {
        int it, ix;
        lihop_garnet_point_axes(c, k, &it, &ix);
        ck_assert(it == k % 3 && ix == k / 3);
        for (int role = 0; role < 4; role++) {
            lihop_garnet_params p;
            const lihop_lattice *L = role == LIHOP_GROLE_BULK ? bulk : lat;
            ck_assert_msg(lihop_garnet_params_fill(c, L, role == LIHOP_GROLE_BULK ? NULL : reg, k,
                                                   (lihop_garnet_role)role, &p, &err) == LIHOP_OK, "%s", err.msg);
            ck_assert(p.T_K == T[it]);
            ck_assert_int_eq(p.nli, (int)llround(li[ix] * 64));
            ck_assert_uint_eq(p.stream, lihop_stream_id(lihop_config_point_key(c, T[it], ix), (unsigned)role));
            ck_assert_uint_eq(p.stream >> 30, 3u);   /* run streams carry the tag bits 11 */
            ck_assert(p.seed == 7 && p.disorder_seed == 7);
            ck_assert(p.nu_Hz == 2.0e13 && p.E_kra_eV[0][1] == 0.25 && p.E_kra_eV[1][0] == 0.25);
            ck_assert(p.site_energy_eV[0] == 0.02 && p.site_energy_eV[1] == 0.05);
            ck_assert(p.E_nn_eV == 0.1 && p.disorder_sigma_eV == 0.01);
            ck_assert_int_eq(p.nreplicas, 32);
            ck_assert(p.hops_per_li == 50.0 && p.equil_hops_per_li == 20.0);
            ck_assert_int_eq(p.nsamples, 16);
            ck_assert_int_eq(p.nbatches, 4);
            if (role == LIHOP_GROLE_DRIFT1 || role == LIHOP_GROLE_DRIFT2) {
                ck_assert(p.field_V_m[0] == (role == LIHOP_GROLE_DRIFT1 ? 2.0e6 : 4.0e6));
                ck_assert(p.field_V_m[1] == 0.0 && p.field_V_m[2] == 0.0);
            } else {
                ck_assert(p.field_V_m[0] == 0.0 && p.field_V_m[1] == 0.0 && p.field_V_m[2] == 1.0e5);
            }
            if (role == LIHOP_GROLE_BULK)
                ck_assert(p.phi_V == NULL && p.site_shift_eV == NULL && p.kra_shift_eV == NULL);
            else
                ck_assert(p.phi_V == reg->phi_V && p.kra_shift_eV == reg->kra_shift_eV);
        }
    }
    /* every run of every point has its own stream */
    uint32_t seen[24];
    for (int k = 0; k < 6; k++)
        for (int role = 0; role < 4; role++) {
            seen[k * 4 + role] = lihop_garnet_stream(c, k, (lihop_garnet_role)role);
            for (int j = 0; j < k * 4 + role; j++)
                ck_assert_uint_ne(seen[j], seen[k * 4 + role]);
        }
    lihop_garnet_regions_destroy(reg);
    lihop_lattice_destroy(lat);
    lihop_lattice_destroy(bulk);
    lihop_config_destroy(c);
}
END_TEST

/* Pair shells: parsed from the deck (replacing the material's), copied into
 * the engine parameters; bad windows named at file, line and key. */
START_TEST(pair_shells)
{
    const char *cells = "  cells: [2, 2, 2]\n";
    char *t = deck(material(NULL, NULL), cells,
                   "  cells: [2, 2, 2]\n  pair_shells_eV: [{from_A: 2.9, to_A: 3.1, value: 0.02}, "
                   "{from_A: 3.9, to_A: 4.05, value: -0.01}]\n");
    lihop_config *c = parse_ok(t);
    free(t);
    const lihop_garnet_cfg *g = &c->garnet;
    ck_assert_int_eq(g->npair_shells, 2);
    ck_assert(g->pair_shell_min_A[0] == 2.9 && g->pair_shell_max_A[0] == 3.1 && g->pair_shell_eV[0] == 0.02);
    ck_assert(g->pair_shell_min_A[1] == 3.9 && g->pair_shell_max_A[1] == 4.05 && g->pair_shell_eV[1] == -0.01);
    lihop_garnet_params p;
    lihop_err err = {{0}};
    ck_assert_msg(setup_point(c, 0, LIHOP_GROLE_MAIN, &p, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(p.npair_shells, 2);
    ck_assert(p.pair_shell_min_A[1] == 3.9 && p.pair_shell_max_A[1] == 4.05 && p.pair_shell_eV[1] == -0.01);
    lihop_config_destroy(c);

    /* a window without pairs (the 48g lattice has none between 2.0 and 2.9 A) */
    t = deck(material(NULL, NULL), cells, "  cells: [2, 2, 2]\n  pair_shells_eV: [{from_A: 2.2, to_A: 2.8, value: 0.02}]\n");
    c = parse_ok(t);
    free(t);
    ck_assert_int_eq(setup_point(c, 0, LIHOP_GROLE_MAIN, &p, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(starts(err.msg, "deck.yaml:8: key 'garnet.pair_shells_eV[0]': expected a distance window that "
                                  "contains pairs"), "%s", err.msg);
    lihop_config_destroy(c);

    expect_deck_error(cells, "  cells: [2, 2, 2]\n  pair_shells_eV: [{from_A: 3.1, to_A: 2.9, value: 0.02}]\n", 8,
                      "garnet.pair_shells_eV[0].to_A", "distance (from_A) above 3.1");
    expect_deck_error(cells, "  cells: [2, 2, 2]\n  pair_shells_eV: [{from_A: -1, to_A: 2.9, value: 0.02}]\n", 8,
                      "garnet.pair_shells_eV[0].from_A", "distance from 0 to 50 A");
    expect_deck_error(cells, "  cells: [2, 2, 2]\n  pair_shells_eV:\n    - {from_A: 2.9, to_A: 3.1, value: 0.02}\n"
                      "    - {from_A: 3.0, to_A: 3.8, value: 0.01}\n", 10, "garnet.pair_shells_eV[1]", "overlaps");
    expect_deck_error(cells, "  cells: [2, 2, 2]\n  pair_shells_eV: [{from_A: 2.9, to_A: 3.1, value: strong}]\n", 8,
                      "garnet.pair_shells_eV[0].value", "'strong'");
    expect_deck_error(cells, "  cells: [2, 2, 2]\n  pair_shells_eV: [{from_A: 2.9, to_A: 3.1, V: 0.02}]\n", 8,
                      "garnet.pair_shells_eV[0].V", "unknown key");
}
END_TEST

/* ---- derived numbers ------------------------------------------------------------------ */

/* The Li-content maximum: on an exact parabola (points given out of order)
 * the vertex is exact; the ratios use the lowest and highest Li; a maximum
 * at an end has no vertex; bad input is refused. */
START_TEST(li_peak)
{
    const double li[6] = {6.8, 6.0, 6.4, 6.2, 7.0, 6.6};
    double s[6], e[6];
    for (int i = 0; i < 6; i++) {
        s[i] = 1e-1 * (1.0 - 2.0 * (li[i] - 6.53) * (li[i] - 6.53));
        e[i] = 1e-3;
    }
    lihop_li_peak p;
    lihop_err err = {{0}};
    ck_assert(lihop_li_peak_find(6, li, s, e, &p, &err) == LIHOP_OK);
    ck_assert_int_eq(p.n, 6);
    ck_assert(p.li_max == 6.6 && p.sigma_max == s[5] && p.sigma_max_err == 1e-3);
    ck_assert_msg(fabs(p.li_vertex - 6.53) < 1e-12, "vertex %.15g", p.li_vertex);
    ck_assert(fabs(p.ratio_low - s[5] / s[1]) < 1e-15 && fabs(p.ratio_high - s[5] / s[4]) < 1e-15);
    const double up[3] = {1.0, 2.0, 3.0};
    const double x3[3] = {6.0, 6.5, 7.0};
    ck_assert(lihop_li_peak_find(3, x3, up, NULL, &p, &err) == LIHOP_OK);
    ck_assert(p.li_max == 7.0 && isnan(p.li_vertex) && p.ratio_high == 1.0 && p.ratio_low == 3.0);
    const double zero[3] = {1.0, 0.0, 2.0}, dup[3] = {6.0, 6.0, 7.0};
    ck_assert(lihop_li_peak_find(3, x3, zero, NULL, &p, &err) == LIHOP_ERR_INPUT);
    ck_assert(lihop_li_peak_find(3, dup, up, NULL, &p, &err) == LIHOP_ERR_INPUT);
    ck_assert(lihop_li_peak_find(2, x3, up, NULL, &p, &err) == LIHOP_ERR_INPUT);
}
END_TEST

START_TEST(arrhenius_fit)
{
    /* exact data: sigma T = A exp(-Ea/kT) gives Ea and A to 1e-10 relative */
    const double Ea = 0.35, A = 2.5e6;   /* S K / m */
    double T[6], s[6], e[6];
    for (int i = 0; i < 6; i++) {
        T[i] = 250.0 + 30.0 * i;
        s[i] = A * exp(-Ea / (KB * T[i])) / T[i];
        e[i] = 0.05 * s[i];
    }
    lihop_arrhenius_fit f;
    lihop_err err = {{0}};
    ck_assert(lihop_arrhenius(6, T, s, e, 1, &f, &err) == LIHOP_OK);
    ck_assert_int_eq(f.weighted, 1);
    ck_assert(fabs(f.Ea_eV - Ea) < 1e-10 && fabs(f.A / A - 1.0) < 1e-8);
    ck_assert(f.chi2_red < 1e-12);
    /* weighted, chi2_red < 1: the error is that of 5 % points, sd(Ea) = 0.05 / sqrt(Sxx) */
    double xm = 0.0, sxx = 0.0;
    for (int i = 0; i < 6; i++) xm += 1.0 / (KB * T[i]) / 6.0;
    for (int i = 0; i < 6; i++) sxx += pow(1.0 / (KB * T[i]) - xm, 2);
    ck_assert(fabs(f.Ea_err_eV - 0.05 / sqrt(sxx)) < 1e-12);
    /* ln sigma of the same data: d ln T / d(1/kT) = -kT, so Ea(sigma) ~ Ea - k<T> (k<T> = 0.028 eV here) */
    ck_assert(lihop_arrhenius(6, T, s, e, 0, &f, &err) == LIHOP_OK);
    ck_assert_msg(f.Ea_eV > Ea - 0.035 && f.Ea_eV < Ea - 0.02, "Ea(sigma) %g", f.Ea_eV);
    /* unweighted (an error missing) on exact data: zero residual error */
    e[2] = NAN;
    ck_assert(lihop_arrhenius(6, T, s, e, 1, &f, &err) == LIHOP_OK);
    ck_assert_int_eq(f.weighted, 0);
    ck_assert(fabs(f.Ea_eV - Ea) < 1e-10 && f.Ea_err_eV < 1e-9);
    /* scatter: the error grows with chi2 */
    for (int i = 0; i < 6; i++) {
        s[i] *= (i % 2 ? 1.1 : 0.9);
        e[i] = 0.01 * s[i];
    }
    ck_assert(lihop_arrhenius(6, T, s, e, 1, &f, &err) == LIHOP_OK);
    ck_assert(f.chi2_red > 1.0 && f.Ea_err_eV > 0.01 / sqrt(sxx));
    /* refusals */
    ck_assert_int_eq(lihop_arrhenius(1, T, s, e, 1, &f, &err), LIHOP_ERR_INPUT);
    s[1] = 0.0;
    ck_assert_int_eq(lihop_arrhenius(6, T, s, e, 1, &f, &err), LIHOP_ERR_INPUT);
    double same[3] = {300, 300, 300}, sg[3] = {1, 2, 3};
    ck_assert_int_eq(lihop_arrhenius(3, same, sg, NULL, 0, &f, &err), LIHOP_ERR_INPUT);
}
END_TEST

START_TEST(asr_and_linearity)
{
    static lihop_garnet_result bi, bulk, d1, d2;
    memset(&bi, 0, sizeof bi);
    memset(&bulk, 0, sizeof bulk);
    bi.sigma_NE_axis_S_m[0] = 0.02;  bi.sigma_NE_axis_err[0] = 0.002;
    bi.sigma_NE_axis_S_m[1] = 0.09;  bi.sigma_NE_axis_err[1] = 0.003;
    bi.sigma_NE_axis_S_m[2] = 0.11;  bi.sigma_NE_axis_err[2] = 0.004;
    bulk.sigma_NE_S_m = 0.1;         bulk.sigma_NE_err = 0.005;
    lihop_bicrystal_result r;
    const double L = 2.594e-9;
    lihop_bicrystal_analyse(0, L, &bi, &bulk, &r);
    ck_assert(r.sigma_across_S_m == 0.02 && r.sigma_across_err == 0.002);
    ck_assert(fabs(r.sigma_along_S_m - 0.1) < 1e-15 && fabs(r.sigma_along_err - 0.0025) < 1e-15);
    ck_assert(r.sigma_bulk_S_m == 0.1);
    ck_assert(fabs(r.asr_ohm_m2 - L * (50.0 - 10.0)) < 1e-20);
    ck_assert(fabs(r.asr_err_ohm_m2 - L * hypot(0.002 / 4e-4, 0.005 / 0.01)) < 1e-20);
    lihop_bicrystal_analyse(2, L, &bi, &bulk, &r);    /* across z, along mean of x and y */
    ck_assert(r.sigma_across_S_m == 0.11 && fabs(r.sigma_along_S_m - 0.055) < 1e-15);

    memset(&d1, 0, sizeof d1);
    memset(&d2, 0, sizeof d2);
    d1.sigma_drift_S_m = 0.1;  d1.sigma_drift_err = 0.01;
    d2.sigma_drift_S_m = 0.12; d2.sigma_drift_err = 0.006;
    double ratio, err;
    lihop_drift_linearity(&d1, &d2, &ratio, &err);
    ck_assert(fabs(ratio - 1.2) < 1e-12 && fabs(err - 1.2 * hypot(0.1, 0.05)) < 1e-12);
}
END_TEST

static void cleanup(void)
{
    if (!g_tmp[0])
        return;
    char p[400];
    for (int i = 0; i < g_nfiles; i++) {
        snprintf(p, sizeof p, "%s/file%03d.yaml", g_tmp, i);
        unlink(p);
    }
    rmdir(g_tmp);
}

/* Garnet values that used to fail or misbehave only at run time (issue 8 item 5). */
START_TEST(deck_runtime_ranges)
{
    expect_deck_error("temperature_K: [300, 350, 400]\n", "temperature_K: [300, 1, 400]\n", 4,
                      "temperature_K[1]", "from 50 to 3000 K, got 1");
    expect_deck_error("  hops_per_li: 50\n", "  hops_per_li: 1e300\n", 27, "run.hops_per_li",
                      "1e+13 hops per point");
    expect_deck_error("  hops_per_li: 50\n", "  hops_per_li: 3\n", 27, "run.hops_per_li", "at least 10");
    expect_deck_error("  hops_per_li: 50\n", "  time_s: 1e-15\n", 27, "run.time_s", "at least 10 hops per Li");
    expect_deck_error("  hops_per_li: 50\n", "  time_s: 1e300\n", 27, "run.time_s", "hops per point");
    expect_deck_error("  hops_per_li: 50\n", "  hops_per_li: 50\n  equil_hops_per_li: 1e300\n", 28,
                      "run.equil_hops_per_li", "hops per point");
    expect_deck_error("  drift_fields_V_m: [2.0e6, 4.0e6]\n", "  drift_fields_V_m: [2.0e6, 1e30]\n", 12,
                      "garnet.drift_fields_V_m[1]", "kT/(|z| e d)");
    expect_deck_error("  cells: [2, 2, 2]\n", "  cells: [2, 2, 2]\n  field_V_m: [0, 1e30, 0]\n", 8,
                      "garnet.field_V_m", "got a list");
    expect_deck_error("  nu_Hz: 2.0e13\n", "  nu_Hz: 1e300\n", 9, "garnet.nu_Hz", "from 1e+10 to 1e+15 Hz");
    expect_deck_error("value: 0.25}]", "value: 1e300}]", 10, "garnet.E_kra_eV[0].value", "from 0 to 5 eV");
    expect_deck_error("{sublattice: T, value: 0.02}", "{sublattice: T, value: -1e300}", 11,
                      "garnet.site_energy_eV[0].value", "from -5 to 5 eV");
    expect_deck_error("    kra_shift_eV: 0.1\n", "    kra_shift_eV: 1e300\n", 17, "garnet.bicrystal.kra_shift_eV",
                      "from -5 to 5 eV");
    expect_deck_error("      phi0_V: 0.1\n", "      phi0_V: 1e300\n", 23, "garnet.bicrystal.space_charge.phi0_V",
                      "from -5 to 5 V");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("garnet_config");
    TCase *parse = tcase_create("parse");
    tcase_add_test(parse, deck_values);
    tcase_add_test(parse, material_defaults_and_overrides);
    tcase_add_test(parse, relative_paths);
    suite_add_tcase(s, parse);
    TCase *bad = tcase_create("bad");
    tcase_add_test(bad, deck_errors);
    tcase_add_test(bad, deck_runtime_ranges);
    tcase_add_test(bad, material_errors);
    tcase_add_test(bad, setup_errors);
    tcase_add_test(bad, pair_shells);
    suite_add_tcase(s, bad);
    TCase *setup = tcase_create("setup");
    tcase_add_test(setup, space_charge_profiles);
    tcase_add_test(setup, region_arrays);
    tcase_add_test(setup, slab_disorder);
    tcase_add_test(setup, site_removal);
    tcase_add_test(setup, remove_sites_graph);
    tcase_add_test(setup, params_of_points);
    suite_add_tcase(s, setup);
    TCase *derived = tcase_create("derived");
    tcase_add_test(derived, arrhenius_fit);
    tcase_add_test(derived, li_peak);
    tcase_add_test(derived, asr_and_linearity);
    suite_add_tcase(s, derived);
    SRunner *sr = srunner_create(s);
    /* No fork (the tests share one temporary directory that main removes), so
     * Check cannot time a test out; the ctest TIMEOUT (tests.cmake) bounds the
     * whole suite (every test < 0.02 s). */
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
