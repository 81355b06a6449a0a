/* test_config_material.c - phase material files of voxel decks
 * (phases[].material): the same transport as the phase written inline, the
 * shipped files' numbers, and errors that name the material file, its line and
 * the key path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

/* A deck: PEO inline or from mat/peo.yaml (PHASES is replaced). */
static const char DECK[] =
    "model: voxel\n"                                                          /*  1 */
    "temperature_K: [300, 350]\n"                                             /*  2 */
    "species:\n"                                                              /*  3 */
    "  - {name: li, charge: 1}\n"                                             /*  4 */
    "  - {name: tfsi, charge: -1}\n"                                          /*  5 */
    "phases:\n"                                                               /*  6 */
    "PHASES"                                                                  /*  7.. */
    "LLZO"
    "microstructure:\n"
    "  box_voxels: [16, 16, 16]\n"
    "  voxel_size_m: 1.0e-8\n"
    "  generator: spheres\n"
    "  matrix: peo\n"
    "  filler: llzo\n"
    "  weight_fraction: 0.5\n"
    "  radius_voxels: 3\n"
    "run:\n"
    "  walkers: 100\n"
    "  hops_per_walker: 100\n";

static const char PEO_INLINE[] =
    "  - name: peo\n"
    "    density_g_cm3: 1.3\n"
    "    sigma_total_S_cm: {law: vtf, prefactor: 1.6, B_K: 1300, T0_K: 166}\n"
    "    carriers:\n"
    "      - {species: li, concentration_mol_L: 1.11, transference_number: 0.25}\n"
    "      - {species: tfsi, concentration_mol_L: 1.11, transference_number: 0.75}\n";

static const char PEO_FILE[] =
    "name: PEO-LiTFSI test\n"                                                  /* 1 */
    "source: the test\n"                                                       /* 2 */
    "density_g_cm3: 1.3\n"                                                     /* 3 */
    "sigma_total_S_cm: {law: vtf, prefactor: 1.6, B_K: 1300, T0_K: 166}\n"     /* 4 */
    "carriers:\n"                                                              /* 5 */
    "  - {species: li, concentration_mol_L: 1.11, transference_number: 0.25}\n"  /* 6 */
    "  - {species: tfsi, concentration_mol_L: 1.11, transference_number: 0.75}\n" /* 7 */
    "melting_K: 333.15\n";                                                     /* 8 */

static const char PEO_REF[] =
    "  - name: peo\n"                                                         /* 7 */
    "    material: mat/peo.yaml\n";                                           /* 8 */

static const char LLZO_INLINE[] =
    "  - name: llzo\n"
    "    density_g_cm3: 5.415\n"
    "    carriers:\n"
    "      - {species: li, concentration_mol_L: 38.97, D_cm2_s: {law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}}\n";

static char dir[64];

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

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/lihop_test_material_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char sub[128];
    snprintf(sub, sizeof sub, "%s/mat", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    write_file("mat/peo.yaml", PEO_FILE);
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Load DECK with `phases` in place of PHASES and `llzo` of LLZO, written to
 * DIR/deck.yaml. */
static lihop_status load_deck2(const char *phases, const char *llzo, lihop_config **c, lihop_err *err)
{
    char *t1 = replaced(DECK, "PHASES", phases);
    char *text = replaced(t1, "LLZO", llzo);
    free(t1);
    write_file("deck.yaml", text);
    free(text);
    char path[128];
    snprintf(path, sizeof path, "%s/deck.yaml", dir);
    return lihop_config_load(path, c, err);
}

static lihop_status load_deck(const char *phases, lihop_config **c, lihop_err *err)
{
    return load_deck2(phases, LLZO_INLINE, c, err);
}

/* Every transport number of two phases, exactly. */
static void same_transport(const lihop_config *a, int pa, const lihop_config *b, int pb)
{
    const lihop_phase_cfg *x = &a->phases[pa], *y = &b->phases[pb];
    ck_assert_int_eq(x->ncarriers, y->ncarriers);
    ck_assert_int_eq(x->has_sigma_total, y->has_sigma_total);
    ck_assert(memcmp(&x->sigma_total, &y->sigma_total, sizeof x->sigma_total) == 0);
    for (int j = 0; j < x->ncarriers; j++) {
        const lihop_carrier_cfg *u = &x->carriers[j], *v = &y->carriers[j];
        ck_assert_str_eq(a->species[u->species].name, b->species[v->species].name);
        ck_assert(u->conc_m3 == v->conc_m3 && u->kind == v->kind && u->transference == v->transference);
        ck_assert(memcmp(&u->law, &v->law, sizeof u->law) == 0);
    }
}

START_TEST(material_equals_inline)
{
    lihop_config *a = NULL, *b = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(load_deck(PEO_INLINE, &a, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_msg(load_deck(PEO_REF, &b, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_str_eq(b->phases[0].name, "peo");     /* the deck names the phase */
    same_transport(a, 0, b, 0);
    same_transport(a, 1, b, 1);
    ck_assert(b->phases[0].sigma_total.prefactor == 160.0 && b->phases[0].carriers[0].transference == 0.25);
    /* the density came from the file: the weight fraction converts the same */
    ck_assert(a->micro.density_kg_m3[0] == 1300.0 && b->micro.density_kg_m3[0] == 1300.0);
    ck_assert(a->micro.volume_fraction == b->micro.volume_fraction);
    /* provenance: the file's path, name, source and whole text; none inline */
    char want[128];
    snprintf(want, sizeof want, "%s/mat/peo.yaml", dir);
    ck_assert_str_eq(b->phases[0].material_path, want);
    ck_assert_str_eq(b->phases[0].material_name, "PEO-LiTFSI test");
    ck_assert_str_eq(b->phases[0].material_source, "the test");
    ck_assert_str_eq(b->phases[0].material_text, PEO_FILE);
    ck_assert_str_eq(a->phases[0].material_path, "");
    ck_assert_ptr_null(a->phases[0].material_text);
    ck_assert_ptr_null(b->phases[1].material_text);
    lihop_config_destroy(a);
    lihop_config_destroy(b);
}
END_TEST

/* The shipped material files hold the quickstart's inline numbers exactly. */
START_TEST(shipped_files_match_quickstart)
{
    char qs[1200], phases[3000];
    snprintf(qs, sizeof qs, "%s/configs/quickstart.yaml", LIHOP_SOURCE_DIR);
    snprintf(phases, sizeof phases,
             "  - {name: peo, material: %s/configs/materials/peo_litfsi.yaml}\n"
             "  - {name: cryst, material: %s/configs/materials/peo_litfsi_crystalline.yaml}\n",
             LIHOP_SOURCE_DIR, LIHOP_SOURCE_DIR);
    lihop_config *q = NULL, *m = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_config_load(qs, &q, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_msg(load_deck(phases, &m, &err) == LIHOP_OK, "%s", err.msg);
    same_transport(q, 0, m, 0);                     /* PEO-LiTFSI */
    ck_assert(m->micro.density_kg_m3[0] == 1300.0);
    /* the crystalline phase: the same carriers, a constant 1e-7 S/cm */
    ck_assert_int_eq(m->phases[1].sigma_total.law, LIHOP_LAW_CONSTANT);
    ck_assert(m->phases[1].sigma_total.prefactor == 1.0e-7 * 100.0);    /* S/cm -> S/m */
    ck_assert(m->phases[1].carriers[0].conc_m3 == q->phases[0].carriers[0].conc_m3);
    lihop_config_destroy(m);

    snprintf(phases, sizeof phases, "  - {name: peo, material: %s/configs/materials/peo_litfsi.yaml}\n",
             LIHOP_SOURCE_DIR);
    char llzo[1200];
    snprintf(llzo, sizeof llzo, "  - {name: llzo, material: %s/configs/materials/llzo_ta_voxel.yaml}\n",
             LIHOP_SOURCE_DIR);
    ck_assert_msg(load_deck2(phases, llzo, &m, &err) == LIHOP_OK, "%s", err.msg);
    same_transport(q, 1, m, 1);                     /* Ta-LLZO: Li only */
    ck_assert_int_eq(m->phases[1].ncarriers, 1);
    ck_assert(m->micro.density_kg_m3[1] == 5415.0);
    lihop_config_destroy(m);
    lihop_config_destroy(q);
}
END_TEST

/* The load fails and the message starts with `head` and contains `part`. */
static void fails(const char *phases, const char *head, const char *part)
{
    lihop_config *c = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(load_deck(phases, &c, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(c);
    char want[256];
    snprintf(want, sizeof want, "%s/%s", dir, head);
    ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "want '%s...', got '%s'", want, err.msg);
    ck_assert_msg(strstr(err.msg, part) != NULL, "want '%s' in '%s'", part, err.msg);
}

START_TEST(err_missing_file)
{
    fails("  - name: peo\n    material: mat/none.yaml\n", "deck.yaml:8: key 'phases[0].material': ",
          "expected a readable phase material file, got 'mat/none.yaml'");
}
END_TEST

START_TEST(err_bad_key_in_file)
{
    /* a value out of range: the file, its line and the key path inside it */
    char *bad = replaced(PEO_FILE, "  - {species: tfsi, concentration_mol_L: 1.11",
                         "  - {species: tfsi, concentration_mol_L: -1");
    write_file("mat/peo.yaml", bad);
    free(bad);
    fails(PEO_REF, "mat/peo.yaml:7: key 'carriers[1].concentration_mol_L': ",
          "(the material of phases[0] 'peo', ");
    /* an unknown key (pass 2) */
    bad = replaced(PEO_FILE, "melting_K: 333.15\n", "colour_nm: 500\n");
    write_file("mat/peo.yaml", bad);
    free(bad);
    fails(PEO_REF, "mat/peo.yaml:8: key 'colour_nm': ", "deck.yaml:8)");
    /* a species the deck does not define */
    bad = replaced(PEO_FILE, "{species: li,", "{species: Li,");
    write_file("mat/peo.yaml", bad);
    free(bad);
    fails(PEO_REF, "mat/peo.yaml:6: key 'carriers[0].species': ", "unknown species 'Li'");
    /* a documentation key out of range */
    bad = replaced(PEO_FILE, "melting_K: 333.15", "melting_K: 5");
    write_file("mat/peo.yaml", bad);
    free(bad);
    fails(PEO_REF, "mat/peo.yaml:8: key 'melting_K': ", "expected a melting point");
    /* a VTF law whose T0 is above a deck temperature */
    bad = replaced(PEO_FILE, "T0_K: 166", "T0_K: 320");
    write_file("mat/peo.yaml", bad);
    free(bad);
    fails(PEO_REF, "mat/peo.yaml:4: key 'sigma_total_S_cm.T0_K': ", "expected T0_K below every temperature");
}
END_TEST

START_TEST(err_material_and_inline)
{
    fails("  - name: peo\n    material: mat/peo.yaml\n    carriers: []\n", "deck.yaml:9: key 'phases[0].carriers': ",
          "expected either material or carriers, got both (material on line 8)");
    fails("  - name: peo\n    material: mat/peo.yaml\n    density_g_cm3: 1.3\n",
          "deck.yaml:9: key 'phases[0].density_g_cm3': ", "expected either material or density_g_cm3, got both (material on line 8)");
}
END_TEST

START_TEST(err_no_source)
{
    char *bad = replaced(PEO_FILE, "source: the test\n", "");
    write_file("mat/peo.yaml", bad);
    free(bad);
    fails(PEO_REF, "mat/peo.yaml:", "source");
    /* and a deck key is not a material key */
    bad = replaced(PEO_FILE, "source: the test\n", "source: the test\nmaterial: other.yaml\n");
    write_file("mat/peo.yaml", bad);
    free(bad);
    fails(PEO_REF, "mat/peo.yaml:3: key 'material': ", "");
}
END_TEST

static Suite *material_suite(void)
{
    Suite *s = suite_create("config_material");
    TCase *t = tcase_create("material");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, material_equals_inline);
    tcase_add_test(t, shipped_files_match_quickstart);
    tcase_add_test(t, err_missing_file);
    tcase_add_test(t, err_bad_key_in_file);
    tcase_add_test(t, err_material_and_inline);
    tcase_add_test(t, err_no_source);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(material_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
