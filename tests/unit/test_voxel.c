/* test_voxel.c - the voxel engine's building blocks: detailed balance of the
 * rate table, microstructure generators, equilibrium start, and bit-identical
 * results for 1 and 2 OpenMP threads. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "voxel.h"

static void two_phase(lihop_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 99;
    c->ntemps = 1;
    c->temperature_K[0] = 300.0;
    c->nspecies = 1;
    strcpy(c->species[0].name, "li");
    c->species[0].charge = 1;
    c->nphases = 3;
    const double conc[3] = {1e27, 4e27, 0.0}, D[3] = {1e-12, 5e-14, 0.0};
    for (int p = 0; p < 3; ++p) {
        snprintf(c->phases[p].name, LIHOP_NAME_LEN, "p%d", p);
        if (conc[p] > 0) {
            c->phases[p].ncarriers = 1;
            c->phases[p].carriers[0].species = 0;
            c->phases[p].carriers[0].conc_m3 = conc[p];
            c->phases[p].carriers[0].kind = LIHOP_TRANSPORT_D;
            c->phases[p].carriers[0].law.law = LIHOP_LAW_CONSTANT;
            c->phases[p].carriers[0].law.prefactor = D[p];
        }
    }
    c->ninterfaces = 1;
    c->interfaces[0].phase_a = 0;
    c->interfaces[0].phase_b = 1;
    c->interfaces[0].asr_ohm_m2 = 1e-6;
    c->interfaces[0].species_mask = 1;
    c->micro.n[0] = 20; c->micro.n[1] = 16; c->micro.n[2] = 12;
    c->micro.voxel_m = 2e-9;
    c->micro.generator = LIHOP_GEN_SPHERES;
    c->micro.matrix_phase = 0;
    c->micro.filler_phase = 1;
    c->micro.volume_fraction = 0.3;
    c->micro.radius_voxels = 3;
    c->micro.overlap = 1;
    c->micro.seed = 5;
    c->run.walkers = 3000;
    c->run.hops_per_walker = 500;
    c->run.samples = 10;
    c->run.batches = 6;
}

START_TEST(rates_obey_detailed_balance)
{
    lihop_config c;
    two_phase(&c);
    c.field_V_m[0] = 1e6;
    lihop_phase_transport tr;
    static double rate[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES][LIHOP_NDIR];
    double T = 310.0, h = c.micro.voxel_m;
    lihop_voxel_phase_transport(&c, 0, T, &tr);
    lihop_voxel_rates(&c, 0, T, h, &tr, rate);
    double tilt = exp(LIHOP_E * c.field_V_m[0] * h / (LIHOP_KB * T));
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b) {
            /* +x from a to b and -x back from b to a: ratio set by the field only */
            double lhs = tr.rho_m3[a] * rate[a][b][0], rhs = tr.rho_m3[b] * rate[b][a][1] * tilt;
            ck_assert_msg(fabs(lhs - rhs) <= 1e-12 * fabs(lhs), "a=%d b=%d %g vs %g", a, b, lhs, rhs);
            /* no field along y: symmetric */
            ck_assert(fabs(tr.rho_m3[a] * rate[a][b][2] - tr.rho_m3[b] * rate[b][a][3]) <= 1e-12 * lhs);
        }
    /* the insulating phase is never entered nor left */
    for (int d = 0; d < LIHOP_NDIR; ++d) {
        ck_assert(rate[0][2][d] == 0.0);
        ck_assert(rate[2][0][d] == 0.0);
    }
    /* inside a phase without field: k = D / h^2 */
    c.field_V_m[0] = 0.0;
    lihop_voxel_rates(&c, 0, T, h, &tr, rate);
    ck_assert(fabs(rate[0][0][0] - 1e-12 / (h * h)) <= 1e-12 * rate[0][0][0]);
    ck_assert(fabs(rate[1][1][5] - 5e-14 / (h * h)) <= 1e-12 * rate[1][1][5]);
}
END_TEST

START_TEST(generators)
{
    lihop_config c;
    two_phase(&c);
    lihop_err err;
    lihop_micro *m = NULL, *m2 = NULL;
    double f[LIHOP_MAX_PHASES];
    /* spheres: target fraction reached (overshoot below one sphere), same seed same grid */
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_OK);
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m2, &err), LIHOP_OK);
    ck_assert(memcmp(m->phase, m2->phase, (size_t)lihop_micro_nvox(m)) == 0);
    lihop_micro_fractions(m, f);
    ck_assert(f[1] >= 0.3 && f[1] < 0.3 + 4.2 * 27.0 / (20 * 16 * 12) + 1e-12);
    lihop_micro_destroy(m);
    lihop_micro_destroy(m2);
    /* laminate 0.25 / 0.75 along y */
    c.micro.generator = LIHOP_GEN_LAMINATE;
    c.micro.axis = 1;
    c.micro.nlayers = 2;
    c.micro.layer_phase[0] = 1; c.micro.layer_fraction[0] = 0.25;
    c.micro.layer_phase[1] = 0; c.micro.layer_fraction[1] = 0.75;
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_OK);
    lihop_micro_fractions(m, f);
    ck_assert(f[1] == 0.25 && f[0] == 0.75);
    ck_assert_int_eq(m->phase[0 + 20 * (3 + 16 * 0)], 1);   /* y = 3 < 4 */
    ck_assert_int_eq(m->phase[0 + 20 * (4 + 16 * 0)], 0);
    lihop_micro_destroy(m);
    /* random voxels: fraction within 5 standard errors */
    c.micro.generator = LIHOP_GEN_RANDOM_VOXELS;
    c.micro.volume_fraction = 0.4;
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_OK);
    lihop_micro_fractions(m, f);
    ck_assert(fabs(f[1] - 0.4) < 5.0 * sqrt(0.24 / 3840.0));
    lihop_micro_destroy(m);
    /* hard spheres that cannot fit: a clear input error */
    c.micro.generator = LIHOP_GEN_SPHERES;
    c.micro.overlap = 0;
    c.micro.volume_fraction = 0.9;
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_ERR_INPUT);
    ck_assert(strstr(err.msg, "hard spheres") != NULL);
    ck_assert(m == NULL);
    /* a sphere wider than the box is refused, not silently painted everywhere */
    c.micro.overlap = 1;
    c.micro.volume_fraction = 0.1;
    c.micro.radius_voxels = 7;   /* diameter 14 > 12 (z edge) */
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_ERR_INPUT);
    ck_assert(strstr(err.msg, "exceeds the smallest box edge") != NULL);
}
END_TEST

START_TEST(strong_field_is_refused)
{
    /* beyond |z e E h / kT| = 1 the rates leave linear response (and overflow
     * further out): an input error naming the key, not a NaN result */
    lihop_config c;
    two_phase(&c);
    c.field_V_m[1] = 2.0 * LIHOP_KB * 300.0 / (LIHOP_E * c.micro.voxel_m);
    lihop_err err;
    lihop_micro *m = NULL;
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_OK);
    lihop_voxel_options opt;
    memset(&opt, 0, sizeof opt);
    opt.backend = LIHOP_BACKEND_CPU;
    lihop_point_result r;
    ck_assert_int_eq(lihop_voxel_run_point(&c, m, 0, 300.0, &opt, &r, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "field_V_m[1]") != NULL, "%s", err.msg);
    lihop_point_result_free(&r);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(start_is_equilibrium)
{
    /* the walkers' starting phases follow rho_p N_p (exact counts, 5 standard errors) */
    lihop_config c;
    two_phase(&c);
    lihop_err err;
    lihop_micro *m = NULL;
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_OK);
    int64_t nvox = lihop_micro_nvox(m);
    uint32_t *vox = malloc((size_t)nvox * sizeof *vox), off[LIHOP_MAX_PHASES + 1];
    lihop_voxel_group_phases(m, vox, off);
    lihop_voxel_params *p = malloc(sizeof *p);
    lihop_phase_transport tr;
    ck_assert_int_eq(lihop_voxel_params_setup(&c, m, vox, off, 0, 300.0, 3, NULL, p, &tr, &err), LIHOP_OK);
    double w0 = 1e27 * (off[1] - off[0]), w1 = 4e27 * (off[2] - off[1]);
    double expect1 = w1 / (w0 + w1);
    const int n = 100000;
    int in1 = 0;
    for (int i = 0; i < n; ++i) {
        uint32_t v = lihop_voxel_start(p, lihop_philox_host(c.seed, lihop_voxel_subsequence(3, (uint64_t)i), 0));
        ck_assert(m->phase[v] != 2);
        in1 += m->phase[v] == 1;
    }
    ck_assert(fabs((double)in1 / n - expect1) < 5.0 * sqrt(expect1 * (1 - expect1) / n));
    free(p);
    free(vox);
    lihop_micro_destroy(m);
}
END_TEST

static void run_with_threads(const lihop_config *c, const lihop_micro *m, int threads, int32_t *disp, uint64_t *hops,
                             lihop_point_result *r)
{
    lihop_voxel_options opt;
    memset(&opt, 0, sizeof opt);
    opt.backend = LIHOP_BACKEND_CPU;
    opt.threads = threads;
    opt.capture[0].final_disp = disp;
    opt.capture[0].hops = hops;
    lihop_err err;
    ck_assert_int_eq(lihop_voxel_run_point(c, m, 0, 300.0, &opt, r, &err), LIHOP_OK);
}

START_TEST(bit_identical_for_any_thread_count)
{
    lihop_config c;
    two_phase(&c);
    lihop_err err;
    lihop_micro *m = NULL;
    ck_assert_int_eq(lihop_micro_build(&c.micro, 3, &m, &err), LIHOP_OK);
    size_t n = c.run.walkers;
    int32_t *d1 = malloc(n * 3 * sizeof *d1), *d2 = malloc(n * 3 * sizeof *d2);
    uint64_t *h1 = malloc(n * sizeof *h1), *h2 = malloc(n * sizeof *h2);
    lihop_point_result r1, r2;
    run_with_threads(&c, m, 1, d1, h1, &r1);
    run_with_threads(&c, m, 2, d2, h2, &r2);
    ck_assert(memcmp(d1, d2, n * 3 * sizeof *d1) == 0);
    ck_assert(memcmp(h1, h2, n * sizeof *h1) == 0);
    ck_assert(memcmp(r1.sp[0].D_m2_s, r2.sp[0].D_m2_s, sizeof r1.sp[0].D_m2_s) == 0);
    ck_assert(memcmp(r1.sp[0].residence, r2.sp[0].residence, sizeof r1.sp[0].residence) == 0);
    ck_assert(r1.sigma_iso_S_m == r2.sigma_iso_S_m);
    uint64_t total = 0;
    for (size_t i = 0; i < n; ++i) total += h1[i];
    ck_assert_uint_eq(total, r1.sp[0].hops);
    /* a different seed gives different walks */
    c.seed = 100;
    lihop_point_result r3;
    run_with_threads(&c, m, 2, d2, h2, &r3);
    ck_assert(memcmp(d1, d2, n * 3 * sizeof *d1) != 0);
    lihop_point_result_free(&r1);
    lihop_point_result_free(&r2);
    lihop_point_result_free(&r3);
    free(d1); free(d2); free(h1); free(h2);
    lihop_micro_destroy(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("voxel");
    TCase *tc = tcase_create("engine");
    /* ~5x the slowest test (0.23 s; 0.54 s with two CPU hogs), at least 10 s */
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, rates_obey_detailed_balance);
    tcase_add_test(tc, generators);
    tcase_add_test(tc, start_is_equilibrium);
    tcase_add_test(tc, strong_field_is_refused);
    tcase_add_test(tc, bit_identical_for_any_thread_count);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
