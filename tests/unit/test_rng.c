/* test_rng.c - Philox known answers (Random123 KAT vectors), the stream
 * layout shared with cuRAND, the 53-bit uniforms and the bit-portable log. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include "rng.h"

static void expect4(lihop_u32x4 r, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    ck_assert_uint_eq(r.v[0], a);
    ck_assert_uint_eq(r.v[1], b);
    ck_assert_uint_eq(r.v[2], c);
    ck_assert_uint_eq(r.v[3], d);
}

/* Random123 kat_vectors, philox4x32 10 rounds: counter (4 words), key (2 words). */
START_TEST(philox_known_answers)
{
    /* key 0, counter 0 (DESIGN.md section 3) */
    expect4(lihop_philox_host(0, 0, 0), 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u);
    /* all ones: seed = key words, subsequence = counter words 2-3, draw = words 0-1 */
    expect4(lihop_philox_host(0xffffffffffffffffull, 0xffffffffffffffffull, 0xffffffffffffffffull),
            0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu);
    /* pi digits: counter 243f6a88 85a308d3 13198a2e 03707344, key a4093822 299f31d0 */
    expect4(lihop_philox_host(0x299f31d0a4093822ull, 0x0370734413198a2eull, 0x85a308d3243f6a88ull),
            0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u);
}
END_TEST

START_TEST(stream_matches_absolute_position)
{
    lihop_stream s;
    lihop_stream_init(&s, 42u, (7ull << 32) | 123u);
    for (uint64_t n = 0; n < 1000; ++n) {
        lihop_u32x4 a = lihop_stream_next(&s);
        lihop_u32x4 b = lihop_philox_host(42u, (7ull << 32) | 123u, n);
        for (int i = 0; i < 4; ++i) ck_assert_uint_eq(a.v[i], b.v[i]);
    }
}
END_TEST

START_TEST(uniform_ranges)
{
    ck_assert(lihop_u01_open0(0, 0) > 0.0);
    ck_assert(lihop_u01_open0(0xffffffffu, 0xffffffffu) == 1.0);
    ck_assert(lihop_u01_32(0xffffffffu) < 1.0);
    ck_assert(lihop_u01_32(0) == 0.0);
    /* mean of many draws: 0.5 within 5 standard errors */
    double s = 0.0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        lihop_u32x4 r = lihop_philox_host(1, 2, (uint64_t)i);
        s += lihop_u01_open0(r.v[0], r.v[1]);
    }
    ck_assert(fabs(s / n - 0.5) < 5.0 * sqrt(1.0 / 12.0 / n));
}
END_TEST

START_TEST(log_is_accurate)
{
    ck_assert(lihop_log_exact(1.0) == 0.0);
    double worst = 0.0;
    for (int i = 0; i < 1000000; ++i) {
        lihop_u32x4 r = lihop_philox_host(9, 9, (uint64_t)i);
        double x = lihop_u01_open0(r.v[0], r.v[1]);
        if (i % 7 == 0) x = ldexp(x, -(int)(r.v[2] % 50));   /* tiny arguments too */
        double ref = log(x), got = lihop_log_exact(x);
        double rel = ref != 0.0 ? fabs(got - ref) / fabs(ref) : fabs(got);
        if (rel > worst) worst = rel;
    }
    /* a few ulp: far below anything the statistics can see */
    ck_assert_msg(worst < 1e-15, "worst relative error %g", worst);
    double tiny = ldexp(1.0, -53);
    ck_assert(fabs(lihop_log_exact(tiny) - log(tiny)) < 1e-13);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("philox");
    tcase_add_test(tc, philox_known_answers);
    tcase_add_test(tc, stream_matches_absolute_position);
    tcase_add_test(tc, uniform_ranges);
    tcase_add_test(tc, log_is_accurate);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
