/* test_bkl.c - the BKL sum tree (src/core/bkl_tree.h) on bare propensity arrays. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bkl_tree.h"
#include "rng.h"

/* Uniform in [0,1) with 53 bits from one Philox block (fixed seed: deterministic). */
static double u53(uint64_t sub, uint64_t k)
{
    lihop_u32x4 r = lihop_philox_host(2024, sub, k);
    uint64_t m = ((uint64_t)(r.v[0] >> 5) << 26) | (uint64_t)(r.v[1] >> 6);
    return (double)m * (1.0 / 9007199254740992.0);
}

static double *new_tree(int64_t n, int64_t *P)
{
    *P = lihop_bkl_leaves(n);
    double *t = (double *)malloc(sizeof(double) * (size_t)lihop_bkl_tree_len(n));
    ck_assert_ptr_nonnull(t);
    return t;
}

START_TEST(test_leaves)
{
    ck_assert_int_eq(lihop_bkl_leaves(1), 1);
    ck_assert_int_eq(lihop_bkl_leaves(2), 2);
    ck_assert_int_eq(lihop_bkl_leaves(3), 4);
    ck_assert_int_eq(lihop_bkl_leaves(1000), 1024);
    ck_assert_int_eq(lihop_bkl_leaves(1024), 1024);
    ck_assert_int_eq(lihop_bkl_tree_len(13), 32);
}
END_TEST

/* Integer propensities are exact in double: the total must equal the integer sum. */
START_TEST(test_exact_sums)
{
    const int64_t sizes[] = {1, 2, 3, 13, 1000, 1024, 1025};
    for (size_t q = 0; q < sizeof sizes / sizeof sizes[0]; ++q) {
        int64_t n = sizes[q], P;
        double *rate = (double *)malloc(sizeof(double) * (size_t)n);
        double *t = new_tree(n, &P);
        long long want = 0;
        for (int64_t k = 0; k < n; ++k) { rate[k] = (double)((k * 7919) % 101); want += (k * 7919) % 101; }
        lihop_bkl_init(t, P, rate, n);
        ck_assert_msg(lihop_bkl_total(t) == (double)want, "n=%lld total %.17g want %lld", (long long)n,
                      lihop_bkl_total(t), want);
        for (int64_t k = 0; k < n; ++k) ck_assert(lihop_bkl_rate(t, P, k) == rate[k]);
        for (int64_t k = n; k < P; ++k) ck_assert(t[P + k] == 0.0);
        /* update one leaf: exact new total */
        lihop_bkl_set(t, P, n / 2, rate[n / 2] + 1000.0);
        ck_assert(lihop_bkl_total(t) == (double)(want + 1000));
        free(rate);
        free(t);
    }
}
END_TEST

/* After many updates with non-integer rates the tree is bit-identical to one
 * freshly built from the same leaves: no drift, history does not matter. */
START_TEST(test_update_no_drift)
{
    int64_t n = 777, P, P2;
    double *rate = (double *)malloc(sizeof(double) * (size_t)n);
    double *t = new_tree(n, &P), *t2 = new_tree(n, &P2);
    for (int64_t k = 0; k < n; ++k) rate[k] = u53(1, (uint64_t)k) * 1e13;
    lihop_bkl_init(t, P, rate, n);
    for (uint64_t s = 0; s < 200000; ++s) {
        int64_t leaf = (int64_t)(u53(2, s) * (double)n);
        double v = u53(3, s);
        rate[leaf] = v < 0.3 ? 0.0 : v * pow(10.0, 20.0 * u53(4, s) - 5.0);
        lihop_bkl_set(t, P, leaf, rate[leaf]);
    }
    lihop_bkl_init(t2, P2, rate, n);
    ck_assert(memcmp(t + 1, t2 + 1, sizeof(double) * (size_t)(2 * P - 1)) == 0);
    free(rate); free(t); free(t2);
}
END_TEST

/* Batch update (leaves written, then ancestors re-summed level by level) gives
 * the same bits as a fresh build, for random subsets with duplicates, for a
 * single leaf and for the one-leaf tree. */
START_TEST(test_batch_update)
{
    int64_t n = 1500, P, P2;
    double *rate = (double *)malloc(sizeof(double) * (size_t)n);
    double *t = new_tree(n, &P), *t2 = new_tree(n, &P2);
    int32_t idx[64];
    for (int64_t k = 0; k < n; ++k) rate[k] = u53(13, (uint64_t)k);
    lihop_bkl_init(t, P, rate, n);
    for (uint64_t s = 0; s < 20000; ++s) {
        int32_t m = 1 + (int32_t)(u53(14, s) * 63.0);
        for (int32_t q = 0; q < m; ++q) {
            int32_t leaf = (int32_t)(u53(15, 64 * s + (uint64_t)q) * (double)n);
            if (q > 0 && u53(16, 64 * s + (uint64_t)q) < 0.1) leaf = idx[q - 1];   /* duplicates */
            rate[leaf] = u53(17, 64 * s + (uint64_t)q) < 0.4 ? 0.0 : u53(18, 64 * s + (uint64_t)q) * 1e12;
            t[P + leaf] = rate[leaf];
            idx[q] = leaf;
        }
        lihop_bkl_set_batch(t, P, idx, m);
    }
    lihop_bkl_init(t2, P2, rate, n);
    ck_assert(memcmp(t + 1, t2 + 1, sizeof(double) * (size_t)(2 * P - 1)) == 0);
    free(rate); free(t); free(t2);

    double r1 = 3.0;
    t = new_tree(1, &P);
    lihop_bkl_init(t, P, &r1, 1);
    t[P] = 5.0;
    idx[0] = 0;
    lihop_bkl_set_batch(t, P, idx, 1);
    ck_assert(lihop_bkl_total(t) == 5.0);
    lihop_bkl_set_batch(t, P, idx, 0);
    ck_assert(lihop_bkl_total(t) == 5.0);
    free(t);
}
END_TEST

/* Cumulative-sum semantics on exact values: rates {1, 0, 2, 3}, total 6. */
START_TEST(test_select_cumulative)
{
    double rate[4] = {1.0, 0.0, 2.0, 3.0};
    int64_t P;
    double *t = new_tree(4, &P);
    lihop_bkl_init(t, P, rate, 4);
    ck_assert_int_eq(lihop_bkl_select(t, P, 0.0), 0);
    ck_assert_int_eq(lihop_bkl_select(t, P, 0.999 / 6.0), 0);
    ck_assert_int_eq(lihop_bkl_select(t, P, 1.0 / 6.0), 2);   /* x = 1 exactly: start of leaf 2 */
    ck_assert_int_eq(lihop_bkl_select(t, P, 2.999 / 6.0), 2);
    ck_assert_int_eq(lihop_bkl_select(t, P, 0.5), 3);         /* x = 3 */
    ck_assert_int_eq(lihop_bkl_select(t, P, nextafter(1.0, 0.0)), 3);
    free(t);
}
END_TEST

START_TEST(test_n1_and_empty)
{
    double r1 = 2.5;
    int64_t P;
    double *t = new_tree(1, &P);
    ck_assert_int_eq(P, 1);
    lihop_bkl_init(t, P, &r1, 1);
    ck_assert(lihop_bkl_total(t) == 2.5);
    for (int k = 0; k < 100; ++k) ck_assert_int_eq(lihop_bkl_select(t, P, u53(5, (uint64_t)k)), 0);
    ck_assert_int_eq(lihop_bkl_select(t, P, nextafter(1.0, 0.0)), 0);
    lihop_bkl_set(t, P, 0, 0.0);
    ck_assert_int_eq(lihop_bkl_select(t, P, 0.5), -1);       /* nothing can happen */
    free(t);

    double z[5] = {0, 0, 0, 0, 0};
    t = new_tree(5, &P);
    lihop_bkl_init(t, P, z, 5);
    ck_assert(lihop_bkl_total(t) == 0.0);
    ck_assert_int_eq(lihop_bkl_select(t, P, 0.0), -1);
    free(t);
}
END_TEST

/* Zero leaves (first, last, runs, a trailing zero block) are never picked,
 * including at u = 0, u -> 1 and for rates spanning 30 decades where the
 * subtraction on the way down rounds. */
START_TEST(test_zero_never_picked)
{
    int64_t n = 37, P;
    double rate[37];
    double *t = new_tree(n, &P);
    for (int64_t k = 0; k < n; ++k) {
        int zero = k == 0 || k == n - 1 || (k >= 10 && k < 14) || k % 7 == 3;
        rate[k] = zero ? 0.0 : pow(10.0, 30.0 * u53(6, (uint64_t)k) - 15.0);
    }
    lihop_bkl_init(t, P, rate, n);
    double us[3] = {0.0, nextafter(1.0, 0.0), 0.5};
    for (int q = 0; q < 3; ++q) {
        int64_t k = lihop_bkl_select(t, P, us[q]);
        ck_assert(k >= 0 && k < n && rate[k] > 0.0);
    }
    for (uint64_t s = 0; s < 200000; ++s) {
        int64_t k = lihop_bkl_select(t, P, u53(7, s));
        ck_assert_msg(k >= 0 && k < n && rate[k] > 0.0, "picked leaf %lld with rate %g", (long long)k,
                      k >= 0 && k < n ? rate[k] : -1.0);
    }
    /* a single positive leaf among zeros: every u picks it */
    for (int64_t k = 0; k < n; ++k) rate[k] = 0.0;
    rate[22] = 1e-300;
    lihop_bkl_init(t, P, rate, n);
    for (uint64_t s = 0; s < 1000; ++s) ck_assert_int_eq(lihop_bkl_select(t, P, u53(8, s)), 22);
    ck_assert_int_eq(lihop_bkl_select(t, P, nextafter(1.0, 0.0)), 22);
    free(t);
}
END_TEST

/* Selection frequencies match the propensities: chi-square over the nonzero
 * leaves of a 37-leaf tree (n not a power of two) after random updates, with
 * M = 2e6 draws.  Threshold: chi2 < df + 6 sqrt(2 df) (about 6 standard
 * deviations of the chi-square distribution; p < 1e-6 for a correct sampler).
 * Also a sensitivity check: the same draws against slightly wrong
 * propensities (one leaf off by 5 %) must fail the same test. */
START_TEST(test_select_chi2)
{
    int64_t n = 37, P;
    double rate[37];
    double *t = new_tree(n, &P);
    for (int64_t k = 0; k < n; ++k) rate[k] = (k % 5 == 2) ? 0.0 : 0.1 + u53(9, (uint64_t)k);
    lihop_bkl_init(t, P, rate, n);
    for (uint64_t s = 0; s < 100; ++s) { /* exercise updates before sampling */
        int64_t leaf = (int64_t)(u53(10, s) * (double)n);
        if (leaf % 5 == 2) continue;
        rate[leaf] = 0.1 + u53(11, s);
        lihop_bkl_set(t, P, leaf, rate[leaf]);
    }
    const uint64_t M = 2000000;
    long long cnt[37];
    memset(cnt, 0, sizeof cnt);
    for (uint64_t s = 0; s < M; ++s) cnt[lihop_bkl_select(t, P, u53(12, s))]++;
    double R = 0.0;
    for (int64_t k = 0; k < n; ++k) R += rate[k];
    double chi2 = 0.0, chi2_wrong = 0.0;
    int df = -1;
    for (int64_t k = 0; k < n; ++k) {
        if (rate[k] == 0.0) { ck_assert_int_eq(cnt[k], 0); continue; }
        double e = (double)M * rate[k] / R;
        double ew = (double)M * (k == 4 ? rate[k] * 1.05 : rate[k]) / R;
        chi2 += ((double)cnt[k] - e) * ((double)cnt[k] - e) / e;
        chi2_wrong += ((double)cnt[k] - ew) * ((double)cnt[k] - ew) / ew;
        ++df;
    }
    double thr = df + 6.0 * sqrt(2.0 * df);
    printf("bkl chi2: %.2f over %d dof (threshold %.2f); with one leaf 5%% off: %.2f\n", chi2, df, thr, chi2_wrong);
    ck_assert_msg(chi2 < thr, "chi2 = %.2f over %d dof exceeds %.2f", chi2, df, thr);
    ck_assert_msg(chi2_wrong > thr, "test too weak: 5%% error gives chi2 %.2f < %.2f", chi2_wrong, thr);
    free(t);
}
END_TEST

static Suite *bkl_suite(void)
{
    Suite *s = suite_create("bkl_tree");
    TCase *tc = tcase_create("core");
    /* ~5x the slowest test (0.22 s; 0.57 s with two CPU hogs), at least 10 s */
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_leaves);
    tcase_add_test(tc, test_exact_sums);
    tcase_add_test(tc, test_update_no_drift);
    tcase_add_test(tc, test_batch_update);
    tcase_add_test(tc, test_select_cumulative);
    tcase_add_test(tc, test_n1_and_empty);
    tcase_add_test(tc, test_zero_never_picked);
    tcase_add_test(tc, test_select_chi2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    SRunner *sr = srunner_create(bkl_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
