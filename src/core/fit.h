/* fit.h - weighted least-squares fits of the results (core layer): the
 * Arrhenius and VTF laws of sigma(T) (GSL least squares) and where sigma
 * peaks over Li content.  Status and message only: nothing is printed. */
#ifndef LIHOP_FIT_H
#define LIHOP_FIT_H

#include "status.h"

typedef struct {
    int n;                          /* points used */
    int weighted;                   /* 1: weights 1/var(ln sigma) from the errors; 0: unweighted */
    double Ea_eV, Ea_err_eV;
    double lnA, lnA_err;            /* ln of the prefactor in the prefactor's unit */
    double A, A_err;                /* prefactor: S/m (ln sigma) or S K/m (ln sigma T) */
    double cov_Ea_lnA;              /* covariance of Ea and ln A, eV */
    double cov_Ea_A;                /* covariance of Ea and A, eV times A's unit (linearised) */
    double chi2;                    /* weighted: sum of squared normalised residuals; unweighted: of residuals */
    double chi2_red;                /* weighted: chi^2 / (n - 2); unweighted: residual variance */
} lihop_arrhenius_fit;

/* Weighted linear least squares (GSL gsl_multifit_wlinear) of
 * ln(sigma T^times_T) = ln A - Ea / (kB T) over n points.
 * With all errors finite and > 0 the fit is weighted by 1/(err/sigma)^2 and
 * the standard errors and covariance are scaled by chi2_red when that exceeds
 * 1; otherwise unweighted with errors from the residuals (n >= 3).
 * LIHOP_ERR_INPUT with fewer than 2 points, sigma <= 0 or equal temperatures. */
lihop_status lihop_arrhenius(int n, const double *T_K, const double *sigma, const double *sigma_err,
                             int times_T, lihop_arrhenius_fit *out, lihop_err *err);

/* The Vogel-Tammann-Fulcher law sigma = A exp(-B / (T - T0)). */
typedef struct {
    int n, weighted;                /* as lihop_arrhenius_fit */
    int iterations;                 /* of the trust-region solver */
    double A, A_err;                /* S/m */
    double lnA, lnA_err;
    double B_K, B_err_K, T0_K, T0_err_K;
    double cov[3][3];               /* of (A, B, T0): units S/m, K, K */
    double chi2, chi2_red;          /* chi2_red = chi^2 / (n - 3) */
} lihop_vtf_fit;

/* Weighted nonlinear least squares of ln sigma = ln A - B / (T - T0)
 * (GSL gsl_multifit_nlinear, Levenberg-Marquardt trust region) started from
 * the best of a grid of T0 below the lowest temperature, each with its
 * weighted linear fit of ln sigma against 1/(T - T0).  Weights and error
 * scaling as lihop_arrhenius.  LIHOP_ERR_INPUT with fewer than 4 distinct
 * temperatures, sigma <= 0, or when the solver does not converge to a
 * T0 below every temperature. */
lihop_status lihop_vtf(int n, const double *T_K, const double *sigma, const double *sigma_err,
                       lihop_vtf_fit *out, lihop_err *err);

/* Where sigma peaks over Li content at one temperature. */
typedef struct {
    int n;                          /* Li contents used */
    double li_max;                  /* Li per f.u. of the largest sigma */
    double sigma_max, sigma_max_err;
    double li_vertex;               /* vertex of the parabola through the largest point and its two
                                     * neighbours in Li order; NaN when the largest is at an end */
    double ratio_low, ratio_high;   /* sigma_max / sigma at the lowest and at the highest Li content */
} lihop_li_peak;

/* The conductivity maximum over n >= 3 Li contents li[] (any order, distinct)
 * with conductivities sigma[] (> 0) and errors.  LIHOP_ERR_INPUT otherwise. */
lihop_status lihop_li_peak_find(int n, const double *li, const double *sigma, const double *sigma_err,
                                lihop_li_peak *out, lihop_err *err);

#endif
