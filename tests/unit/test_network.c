/* test_network.c - the exact network reference (diag/network.h) against closed
 * forms: laminate series and parallel laws with interface ASR (1e-9), a blocked
 * phase, and the Maxwell-Garnett limit of dilute insulating spheres (2 %). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "network.h"

/* Species li (+1) in phase 0 and phase 1 with conductivities s0, s1 (S/m);
 * s <= 0 means the phase does not carry li. */
static void two_phases(lihop_config *c, double s0, double s1, double asr_ohm_m2)
{
    memset(c, 0, sizeof *c);
    c->nspecies = 1;
    strcpy(c->species[0].name, "li");
    c->species[0].charge = 1;
    c->nphases = 2;
    const double sig[2] = {s0, s1};
    for (int p = 0; p < 2; ++p) {
        snprintf(c->phases[p].name, LIHOP_NAME_LEN, "p%d", p);
        if (sig[p] <= 0.0) continue;
        c->phases[p].ncarriers = 1;
        c->phases[p].carriers[0].species = 0;
        c->phases[p].carriers[0].conc_m3 = 1e27;
        c->phases[p].carriers[0].kind = LIHOP_TRANSPORT_SIGMA;
        c->phases[p].carriers[0].law.law = LIHOP_LAW_CONSTANT;
        c->phases[p].carriers[0].law.prefactor = sig[p];
    }
    c->ninterfaces = 1;
    c->interfaces[0].phase_a = 0;
    c->interfaces[0].phase_b = 1;
    c->interfaces[0].asr_ohm_m2 = asr_ohm_m2;
    c->interfaces[0].species_mask = 1;
}

/* Layers normal to x: the first n0 voxels of each period are phase 0. */
static lihop_micro *laminate(int n, int n0, double h)
{
    lihop_micro *m = NULL;
    lihop_err err;
    int dims[3] = {n, 3, 4};
    ck_assert_int_eq(lihop_micro_create(dims, h, 2, &m, &err), LIHOP_OK);
    for (int64_t i = 0; i < lihop_micro_nvox(m); ++i) m->phase[i] = (i % n) < n0 ? 0 : 1;
    return m;
}

START_TEST(laminate_series_and_parallel_with_asr)
{
    const double s0 = 2.0e-2, s1 = 3.0e-4, asr = 5e-8, h = 1e-8;   /* S/m, ohm m^2, m */
    const int n = 40, n0 = 13;
    lihop_config c;
    two_phases(&c, s0, s1, asr);
    lihop_micro *m = laminate(n, n0, h);
    lihop_network_result r;
    lihop_err err;
    ck_assert_msg(lihop_network_sigma(&c, m, 0, 300.0, NULL, &r, &err) == LIHOP_OK, "%s", err.msg);
    double f0 = (double)n0 / n, f1 = 1.0 - f0, L = n * h;
    double series = 1.0 / (f0 / s0 + f1 / s1 + 2.0 * asr / L);   /* two interfaces per period */
    double parallel = f0 * s0 + f1 * s1;
    ck_assert_msg(fabs(r.sigma_S_m[0][0] / series - 1.0) < 1e-9, "series %.12g vs %.12g", r.sigma_S_m[0][0], series);
    for (int ax = 1; ax < 3; ++ax)
        ck_assert_msg(fabs(r.sigma_S_m[ax][ax] / parallel - 1.0) < 1e-9, "parallel[%d] %.12g vs %.12g", ax,
                      r.sigma_S_m[ax][ax], parallel);
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
            if (a != b) ck_assert_msg(fabs(r.sigma_S_m[a][b]) < 1e-9 * parallel, "off-diagonal %d%d", a, b);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(blocked_phase_cuts_series_path)
{
    const double s0 = 1.0e-2, h = 1e-8;
    lihop_config c;
    two_phases(&c, s0, 0.0, 0.0);          /* phase 1 does not carry li at all */
    lihop_micro *m = laminate(30, 10, h);
    lihop_network_result r;
    lihop_err err;
    ck_assert_msg(lihop_network_sigma(&c, m, 0, 300.0, NULL, &r, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_msg(fabs(r.sigma_S_m[0][0]) < 1e-10 * s0, "blocked series %.3g", r.sigma_S_m[0][0]);
    ck_assert_msg(fabs(r.sigma_S_m[1][1] / (s0 / 3.0) - 1.0) < 1e-9, "parallel %.12g", r.sigma_S_m[1][1]);
    lihop_micro_destroy(m);
}
END_TEST

/* A conducting cube enclosed by a blocking matrix is a floating cluster: it
 * has a potential of its own (pinned) and carries no net current. */
START_TEST(floating_cluster_carries_no_current)
{
    lihop_config c;
    two_phases(&c, 0.0, 5e-3, 0.0);        /* phase 0 blocks, phase 1 conducts */
    lihop_micro *m = NULL;
    lihop_err err;
    int dims[3] = {12, 10, 9};
    ck_assert_int_eq(lihop_micro_create(dims, 1e-8, 2, &m, &err), LIHOP_OK);
    for (int z = 2; z < 6; ++z)
        for (int y = 3; y < 8; ++y)
            for (int x = 1; x < 9; ++x) m->phase[x + 12 * (y + 10 * z)] = 1;
    lihop_network_result r;
    ck_assert_msg(lihop_network_sigma(&c, m, 0, 300.0, NULL, &r, &err) == LIHOP_OK, "%s", err.msg);
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
            ck_assert_msg(fabs(r.sigma_S_m[a][b]) < 1e-12 * 5e-3, "sigma[%d][%d] = %.3g", a, b, r.sigma_S_m[a][b]);
    lihop_micro_destroy(m);
}
END_TEST

/* One insulating sphere per periodic cube (simple cubic array): Rayleigh's
 * series differs from Maxwell-Garnett by ~0.5 phi^(10/3), 2e-4 here, so the
 * 2 % tolerance covers the staircase surface of the voxel sphere. */
START_TEST(dilute_spheres_match_maxwell_garnett)
{
    const int n = 36;
    const double r2 = 9.5 * 9.5, s0 = 1e-2;
    lihop_config c;
    two_phases(&c, s0, 0.0, 0.0);
    lihop_micro *m = NULL;
    lihop_err err;
    int dims[3] = {n, n, n};
    ck_assert_int_eq(lihop_micro_create(dims, 1e-8, 2, &m, &err), LIHOP_OK);
    int64_t inside = 0;
    for (int z = 0; z < n; ++z)
        for (int y = 0; y < n; ++y)
            for (int x = 0; x < n; ++x) {
                double dx = x - 17.5, dy = y - 17.5, dz = z - 17.5;
                int in = dx * dx + dy * dy + dz * dz <= r2;
                m->phase[x + n * (y + n * z)] = (uint8_t)in;
                inside += in;
            }
    double phi = (double)inside / lihop_micro_nvox(m);
    double mg = (1.0 - phi) / (1.0 + 0.5 * phi);
    lihop_network_result r;
    ck_assert_msg(lihop_network_sigma(&c, m, 0, 300.0, NULL, &r, &err) == LIHOP_OK, "%s", err.msg);
    for (int ax = 0; ax < 3; ++ax)
        ck_assert_msg(fabs(r.sigma_S_m[ax][ax] / s0 / mg - 1.0) < 0.02, "phi %.4f: sigma/sigma_m %.5f vs MG %.5f",
                      phi, r.sigma_S_m[ax][ax] / s0, mg);
    lihop_micro_destroy(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("network");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, laminate_series_and_parallel_with_asr);
    tcase_add_test(tc, blocked_phase_cuts_series_path);
    tcase_add_test(tc, floating_cluster_carries_no_current);
    tcase_add_test(tc, dilute_spheres_match_maxwell_garnett);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
