/* test_handoff.c - the garnet-to-voxel hand-off fits and deck keys
 * (config_handoff.h) on synthetic garnet tables, without HDF5 (input layer):
 * exact Arrhenius sigma(T) and ASR(T) recovered to 1e-10, faces_per_boundary
 * halving the ASR, the table law exact at the points and Arrhenius between
 * them, Li-content selection, bulk/bicrystal swaps and too few
 * temperatures refused, and a deck read through a registered reader getting
 * exactly those laws (a phase's carrier and an interface's ASR at each T). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "config_handoff.h"
#include "constants.h"

static const double A_TRUE = 2.5e3, EA_TRUE = 0.31;          /* S/m, eV */
static const double G_TRUE = 4.0e9, EB_TRUE = 0.45;          /* boundary conductance S/m^2, eV */
static const double N_LI = 2.35e28;                          /* 1/m^3 */

/* Li 6.4 at 300, 350, 400, 450 K (and Li 6.8 at 300 K when two_li). */
static void fill(lihop_garnet_table *t, int bicrystal, int two_li)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", bicrystal ? "gb.h5" : "bulk.h5");
    snprintf(t->git_describe, sizeof t->git_describe, "v0-test");
    snprintf(t->status, sizeof t->status, "complete");
    t->seed = 7;
    t->bicrystal = bicrystal;
    for (int i = 0; i < 4 + two_li; i++) {
        double T = i < 4 ? 300.0 + 50.0 * i : 300.0;
        t->T_K[i] = T;
        t->li_per_fu[i] = i < 4 ? 6.4 : 6.8;
        t->sigma_S_m[i] = A_TRUE * exp(-EA_TRUE / (LIHOP_KB_EV * T));
        t->sigma_err_S_m[i] = 0.05 * t->sigma_S_m[i];
        t->asr_ohm_m2[i] = bicrystal ? 1.0 / (G_TRUE * exp(-EB_TRUE / (LIHOP_KB_EV * T))) : NAN;
        t->asr_err_ohm_m2[i] = 0.1 * t->asr_ohm_m2[i];
        t->n_li_m3[i] = N_LI;
    }
    t->n = 4 + two_li;
}

START_TEST(bulk_exact)
{
    lihop_garnet_table t;
    fill(&t, 0, 0);
    lihop_handoff_bulk b;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_handoff_bulk_fit(&t, NAN, &b, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_double_eq_tol(b.fit.A / A_TRUE, 1.0, 1e-10);
    ck_assert_double_eq_tol(b.fit.Ea_eV, EA_TRUE, 1e-10);
    ck_assert_int_eq(b.n, 4);
    ck_assert_double_eq(b.conc_m3, N_LI);
    ck_assert_double_eq(b.T_min_K, 300.0);
    ck_assert_double_eq(b.T_max_K, 450.0);
}
END_TEST

START_TEST(asr_exact_and_faces)
{
    lihop_garnet_table t;
    fill(&t, 1, 0);
    lihop_handoff_asr a1, a2;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_handoff_asr_fit(&t, NAN, 1, &a1, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_msg(lihop_handoff_asr_fit(&t, NAN, 2, &a2, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_double_eq_tol(a1.asr0_ohm_m2 * G_TRUE, 1.0, 1e-10);
    ck_assert_double_eq_tol(a1.Ea_eV, EB_TRUE, 1e-10);
    ck_assert_double_eq_tol(a2.asr0_ohm_m2 / a1.asr0_ohm_m2, 0.5, 1e-14);
    /* the law at every garnet temperature is the garnet ASR */
    lihop_interface_cfg ic = {.asr_law = LIHOP_LAW_ARRHENIUS, .asr0_ohm_m2 = a1.asr0_ohm_m2, .asr_ea_eV = a1.Ea_eV};
    for (int i = 0; i < t.n; i++)
        ck_assert_double_eq_tol(lihop_interface_asr_at(&ic, t.T_K[i]) / t.asr_ohm_m2[i], 1.0, 1e-9);
    ic.asr_law = LIHOP_LAW_CONSTANT;
    ic.asr_ohm_m2 = 0.25;
    ck_assert_double_eq(lihop_interface_asr_at(&ic, 300.0), 0.25);
}
END_TEST

START_TEST(refusals)
{
    lihop_garnet_table t;
    lihop_handoff_bulk b;
    lihop_handoff_asr a;
    lihop_err err = {{0}};
    fill(&t, 1, 0);
    ck_assert_int_eq(lihop_handoff_bulk_fit(&t, NAN, &b, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected garnet bulk results"));
    fill(&t, 0, 0);
    ck_assert_int_eq(lihop_handoff_asr_fit(&t, NAN, 1, &a, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected garnet bicrystal results"));
    fill(&t, 0, 1);                 /* two Li contents: one must be named */
    ck_assert_int_eq(lihop_handoff_bulk_fit(&t, NAN, &b, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "several (6.4, 6.8 in bulk.h5)"));
    ck_assert_int_eq(lihop_handoff_bulk_fit(&t, 6.8, &b, &err), LIHOP_ERR_INPUT);   /* one temperature */
    ck_assert_ptr_nonnull(strstr(err.msg, "at least 3 temperatures"));
    ck_assert_int_eq(lihop_handoff_bulk_fit(&t, 6.4, &b, &err), LIHOP_OK);
    ck_assert_int_eq(lihop_handoff_bulk_fit(&t, 7.0, &b, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected a Li content of the file (6.4, 6.8), got li_per_fu 7"));
    fill(&t, 1, 0);
    t.asr_ohm_m2[2] = -1e-9;        /* an unresolved boundary */
    ck_assert_int_eq(lihop_handoff_asr_fit(&t, NAN, 1, &a, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected a positive boundary resistance"));
}
END_TEST

START_TEST(table_law)
{
    lihop_garnet_table t;
    fill(&t, 0, 0);
    t.T_K[0] = 450.0;               /* rows out of T order: the table is sorted */
    t.T_K[3] = 300.0;
    double s0 = t.sigma_S_m[0];
    t.sigma_S_m[0] = t.sigma_S_m[3];
    t.sigma_S_m[3] = s0;
    lihop_handoff_bulk b;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_handoff_bulk_fit(&t, NAN, &b, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(b.table.law, LIHOP_LAW_TABLE);
    ck_assert_int_eq(b.table.ntab, 4);
    for (int i = 0; i < 4; i++)     /* exact at the points */
        ck_assert_double_eq_tol(lihop_tlaw_eval(&b.table, t.T_K[i]) / t.sigma_S_m[i], 1.0, 1e-13);
    /* between and beyond the points: Arrhenius through the neighbours, here the true law */
    for (double T = 280.0; T <= 480.0; T += 7.0)
        ck_assert_double_eq_tol(lihop_tlaw_eval(&b.table, T) / (A_TRUE * exp(-EA_TRUE / (LIHOP_KB_EV * T))), 1.0,
                                1e-12);
}
END_TEST

/* The reader a deck gets: bulk.h5 and gb.h5 synthesised, anything else missing. */
static lihop_status fake_reader(const char *path, lihop_garnet_table *out, lihop_err *err)
{
    size_t n = strlen(path);
    int gb = n >= 5 && strcmp(path + n - 5, "gb.h5") == 0, bulk = n >= 7 && strcmp(path + n - 7, "bulk.h5") == 0;
    if (!gb && !bulk)
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot be read", path);
    fill(out, gb, 0);
    snprintf(out->path, sizeof out->path, "%s", path);
    return LIHOP_OK;
}

static const char *DECK =
    "model: voxel\nbackend: cpu\nseed: 1\ntemperature_K: [320, 380]\n"
    "species:\n  - {name: li, charge: 1}\n"
    "phases:\n  - name: a\n    from_garnet: {results: bulk.h5}\n"
    "  - name: b\n    from_garnet: {results: bulk.h5}\n"
    "interfaces:\n  - phases: [a, b]\n    from_garnet: {results: gb.h5, faces_per_boundary: 2}\n"
    "microstructure:\n  box_voxels: [4, 4, 4]\n  voxel_size_m: 1.0e-9\n  generator: laminate\n"
    "  layers:\n    - {phase: a, fraction: 0.5}\n    - {phase: b, fraction: 0.5}\n"
    "run:\n  walkers: 100\n  hops_per_walker: 100\n";

START_TEST(deck_gets_the_laws)
{
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    lihop_config_set_garnet_reader(NULL);
    ck_assert_int_eq(lihop_config_parse(DECK, "deck.yaml", &cfg, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "deck.yaml:9: key 'phases[0].from_garnet.results'"));
    lihop_config_set_garnet_reader(fake_reader);
    ck_assert_msg(lihop_config_parse(DECK, "deck.yaml", &cfg, &err) == LIHOP_OK, "%s", err.msg);
    const lihop_carrier_cfg *cc = &cfg->phases[1].carriers[0];
    ck_assert_int_eq(cfg->phases[1].ncarriers, 1);
    ck_assert_int_eq(cc->kind, LIHOP_TRANSPORT_SIGMA);
    ck_assert_double_eq(cc->conc_m3, N_LI);
    ck_assert_double_eq_tol(lihop_tlaw_eval(&cc->law, 380.0) / (A_TRUE * exp(-EA_TRUE / (LIHOP_KB_EV * 380.0))),
                            1.0, 1e-9);
    const lihop_interface_cfg *ic = &cfg->interfaces[0];
    double want = 0.5 / (G_TRUE * exp(-EB_TRUE / (LIHOP_KB_EV * 320.0)));
    ck_assert_double_eq_tol(lihop_interface_asr_at(ic, 320.0) / want, 1.0, 1e-9);
    ck_assert_ptr_nonnull(strstr(ic->garnet_origin, "(garnet bicrystal, git_describe v0-test, seed 7"));
    ck_assert_ptr_nonnull(strstr(cfg->phases[0].garnet_origin, "(garnet bulk, git_describe v0-test, seed 7"));
    for (int c = 0; c < cfg->ncoords; c++)      /* a law is not a sweep coordinate */
        ck_assert_int_ne(cfg->coords[c].kind, LIHOP_COORD_ASR);
    lihop_config_destroy(cfg);
    lihop_config_set_garnet_reader(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("handoff");
    TCase *tc = tcase_create("fits");
    tcase_add_test(tc, bulk_exact);
    tcase_add_test(tc, asr_exact_and_faces);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, table_law);
    tcase_add_test(tc, deck_gets_the_laws);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
