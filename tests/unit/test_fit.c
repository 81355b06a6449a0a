/* test_fit.c - the GSL Arrhenius and VTF fits (fit.h): exact data recovered,
 * known parameters recovered from noisy data within their stated errors
 * (coverage of the 2-sigma interval over 200 synthetic sets), too few points
 * refused, and the Arrhenius fit equal to the closed-form weighted line the
 * garnet /arrhenius table used before GSL. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "constants.h"
#include "fit.h"
#include "rng.h"

#define NSETS 200
#define NOISE 0.03          /* relative error of each synthetic sigma */

static const double ea_true = 0.42, a_true = 3.0e6;        /* eV; S K/m (sigma T) or S/m (sigma) */
static const double vA = 50.0, vB = 1300.0, vT0 = 166.0;   /* S/m, K, K: the quickstart's PEO-like law */

static double arrhenius_sigma(double T, int times_T)
{
    return a_true * exp(-ea_true / (LIHOP_KB_EV * T)) / (times_T ? T : 1.0);
}

static double vtf_sigma(double T)
{
    return vA * exp(-vB / (T - vT0));
}

static void temps(int n, double lo, double hi, double *T)
{
    for (int i = 0; i < n; i++)
        T[i] = lo + (hi - lo) * i / (n - 1);
}

/* Lognormal-ish noise: sigma (1 + NOISE g) with g from Philox (set, point). */
static void noisy(int n, const double *exact, uint64_t set, double *sg, double *se)
{
    for (int i = 0; i < n; i++) {
        double g = lihop_normal(20261204u, set * 64u + (uint64_t)i);
        sg[i] = exact[i] * (1.0 + NOISE * g);
        se[i] = NOISE * exact[i];
    }
}

START_TEST(arrhenius_exact)
{
    for (int times_T = 0; times_T <= 1; times_T++) {
        double T[7], sg[7], se[7];
        temps(7, 300.0, 600.0, T);
        for (int i = 0; i < 7; i++) {
            sg[i] = arrhenius_sigma(T[i], times_T);
            se[i] = 0.01 * sg[i] * (1 + i);     /* unequal weights: exact data still fit exactly */
        }
        lihop_arrhenius_fit f;
        lihop_err e = {{0}};
        ck_assert_int_eq(lihop_arrhenius(7, T, sg, se, times_T, &f, &e), LIHOP_OK);
        ck_assert_int_eq(f.weighted, 1);
        ck_assert_msg(fabs(f.Ea_eV - ea_true) < 1e-10 * ea_true, "Ea %.15g", f.Ea_eV);
        ck_assert_msg(fabs(f.A - a_true) < 1e-10 * a_true, "A %.15g", f.A);
        ck_assert(f.chi2 < 1e-18);
        ck_assert(f.Ea_err_eV > 0.0 && f.A_err > 0.0);
        /* a higher prefactor comes with a higher Ea: positive correlation */
        ck_assert(f.cov_Ea_lnA > 0.0 && f.cov_Ea_lnA <= f.Ea_err_eV * f.lnA_err * (1 + 1e-12));
    }
}
END_TEST

START_TEST(vtf_exact)
{
    double T[8], sg[8], se[8];
    temps(8, 250.0, 420.0, T);
    for (int i = 0; i < 8; i++) {
        sg[i] = vtf_sigma(T[i]);
        se[i] = 0.02 * sg[i];
    }
    lihop_vtf_fit f;
    lihop_err e = {{0}};
    ck_assert_msg(lihop_vtf(8, T, sg, se, &f, &e) == LIHOP_OK, "%s", e.msg);
    ck_assert_msg(fabs(f.A - vA) < 1e-10 * vA, "A %.15g", f.A);
    ck_assert_msg(fabs(f.B_K - vB) < 1e-10 * vB, "B %.15g", f.B_K);
    ck_assert_msg(fabs(f.T0_K - vT0) < 1e-10 * vT0, "T0 %.15g", f.T0_K);
    ck_assert(f.B_err_K > 0.0 && f.T0_err_K > 0.0 && f.A_err > 0.0);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            ck_assert(fabs(f.cov[a][b] - f.cov[b][a]) <= 1e-9 * sqrt(f.cov[a][a] * f.cov[b][b]));
    ck_assert(fabs(f.cov[0][0] - f.A_err * f.A_err) <= 1e-12 * f.cov[0][0]);
}
END_TEST

/* Fraction of the 200 sets whose estimate lies within 2 stated errors of the truth. */
static double coverage_arrhenius(int times_T, double *mean_ea)
{
    int in = 0;
    *mean_ea = 0.0;
    for (int set = 0; set < NSETS; set++) {
        double T[8], ex[8], sg[8], se[8];
        temps(8, 280.0, 560.0, T);
        for (int i = 0; i < 8; i++)
            ex[i] = arrhenius_sigma(T[i], times_T);
        noisy(8, ex, (uint64_t)set + 1000u * (uint64_t)times_T, sg, se);
        lihop_arrhenius_fit f;
        lihop_err e = {{0}};
        ck_assert_int_eq(lihop_arrhenius(8, T, sg, se, times_T, &f, &e), LIHOP_OK);
        in += fabs(f.Ea_eV - ea_true) < 2.0 * f.Ea_err_eV && fabs(f.lnA - log(a_true)) < 2.0 * f.lnA_err;
        *mean_ea += f.Ea_eV / NSETS;
    }
    return (double)in / NSETS;
}

START_TEST(arrhenius_coverage)
{
    for (int times_T = 0; times_T <= 1; times_T++) {
        double mean_ea, c = coverage_arrhenius(times_T, &mean_ea);
        printf("test_fit: Arrhenius (%s) 2-sigma coverage of Ea and ln A: %.3f, mean Ea %.5f eV (true %.2f)\n",
               times_T ? "sigma T" : "sigma", c, mean_ea, ea_true);
        /* both inside: about 0.91 for independent, more for correlated errors */
        ck_assert_msg(c >= 0.88 && c <= 0.99, "coverage %.3f", c);
        ck_assert_msg(fabs(mean_ea - ea_true) < 0.005, "mean Ea %.5f", mean_ea);
    }
}
END_TEST

START_TEST(vtf_coverage)
{
    int inA = 0, inB = 0, inT0 = 0;
    for (int set = 0; set < NSETS; set++) {
        double T[8], ex[8], sg[8], se[8];
        temps(8, 250.0, 420.0, T);
        for (int i = 0; i < 8; i++)
            ex[i] = vtf_sigma(T[i]);
        noisy(8, ex, 5000u + (uint64_t)set, sg, se);
        lihop_vtf_fit f;
        lihop_err e = {{0}};
        ck_assert_msg(lihop_vtf(8, T, sg, se, &f, &e) == LIHOP_OK, "set %d: %s", set, e.msg);
        inA += fabs(f.lnA - log(vA)) < 2.0 * f.lnA_err;
        inB += fabs(f.B_K - vB) < 2.0 * f.B_err_K;
        inT0 += fabs(f.T0_K - vT0) < 2.0 * f.T0_err_K;
    }
    double cA = (double)inA / NSETS, cB = (double)inB / NSETS, cT0 = (double)inT0 / NSETS;
    printf("test_fit: VTF 2-sigma coverage over %d sets: ln A %.3f, B %.3f, T0 %.3f\n", NSETS, cA, cB, cT0);
    ck_assert_msg(cA >= 0.9 && cA <= 0.99, "ln A coverage %.3f", cA);
    ck_assert_msg(cB >= 0.9 && cB <= 0.99, "B coverage %.3f", cB);
    ck_assert_msg(cT0 >= 0.9 && cT0 <= 0.99, "T0 coverage %.3f", cT0);
}
END_TEST

START_TEST(too_few_refused)
{
    double T[4] = {300, 350, 400, 400}, sg[4], se[4];
    for (int i = 0; i < 4; i++) {
        sg[i] = vtf_sigma(T[i]);
        se[i] = 0.01 * sg[i];
    }
    lihop_vtf_fit v;
    lihop_arrhenius_fit a;
    lihop_err e = {{0}};
    ck_assert_int_eq(lihop_vtf(3, T, sg, se, &v, &e), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(e.msg, "at least 4") != NULL, "%s", e.msg);
    ck_assert_int_eq(lihop_vtf(4, T, sg, se, &v, &e), LIHOP_ERR_INPUT);   /* 3 distinct temperatures */
    ck_assert_int_eq(lihop_arrhenius(1, T, sg, se, 1, &a, &e), LIHOP_ERR_INPUT);
    double same[3] = {300, 300, 300};
    ck_assert_int_eq(lihop_arrhenius(3, same, sg, se, 1, &a, &e), LIHOP_ERR_INPUT);
    sg[1] = 0.0;
    ck_assert_int_eq(lihop_arrhenius(3, T, sg, se, 1, &a, &e), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(e.msg, "point 1") != NULL, "%s", e.msg);
}
END_TEST

/* The closed-form weighted line of the hand-written fit GSL replaced:
 * slope and intercept with errors scaled by chi2_red when > 1. */
static void closed_form(int n, const double *T, const double *sg, const double *se, double r[4])
{
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, chi2 = 0;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (LIHOP_KB_EV * T[i]), w = pow(sg[i] / se[i], 2);
        sw += w, sx += w * x, sy += w * (log(sg[i]) + log(T[i]));
    }
    double xm = sx / sw, ym = sy / sw;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (LIHOP_KB_EV * T[i]), w = pow(sg[i] / se[i], 2);
        sxx += w * (x - xm) * (x - xm), sxy += w * (x - xm) * (log(sg[i]) + log(T[i]) - ym);
    }
    double b = sxy / sxx, a = ym - b * xm;
    for (int i = 0; i < n; i++) {
        double rr = (log(sg[i]) + log(T[i]) - a - b / (LIHOP_KB_EV * T[i])) * sg[i] / se[i];
        chi2 += rr * rr;
    }
    double red = chi2 / (n - 2), sc = red > 1 ? red : 1;
    r[0] = -b, r[1] = sqrt(sc / sxx), r[2] = a, r[3] = sqrt(sc * (1 / sw + xm * xm / sxx));
}

START_TEST(arrhenius_matches_closed_form)
{
    for (int set = 0; set < 20; set++) {
        double T[5] = {300, 350, 400, 450, 500}, ex[5], sg[5], se[5], r[4];
        for (int i = 0; i < 5; i++)
            ex[i] = arrhenius_sigma(T[i], 1);
        noisy(5, ex, 9000u + (uint64_t)set, sg, se);
        se[set % 5] *= 3.0;
        closed_form(5, T, sg, se, r);
        lihop_arrhenius_fit f;
        lihop_err e = {{0}};
        ck_assert_int_eq(lihop_arrhenius(5, T, sg, se, 1, &f, &e), LIHOP_OK);
        ck_assert(fabs(f.Ea_eV - r[0]) < 1e-11 && fabs(f.Ea_err_eV - r[1]) < 1e-11 * r[1] + 1e-14);
        ck_assert(fabs(f.lnA - r[2]) < 1e-9 && fabs(f.lnA_err - r[3]) < 1e-9 * r[3]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fit");
    TCase *tc = tcase_create("gsl");
    tcase_add_test(tc, arrhenius_exact);
    tcase_add_test(tc, vtf_exact);
    tcase_add_test(tc, arrhenius_coverage);
    tcase_add_test(tc, vtf_coverage);
    tcase_add_test(tc, too_few_refused);
    tcase_add_test(tc, arrhenius_matches_closed_form);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
