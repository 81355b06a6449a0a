/* fit.h - weighted least-squares fits of the results (core layer): the
 * Arrhenius law of sigma and where sigma peaks over Li content. */
#ifndef LIHOP_FIT_H
#define LIHOP_FIT_H

#include "status.h"

typedef struct {
    int n;                          /* points used */
    int weighted;                   /* 1: weights 1/var(ln sigma) from the errors; 0: unweighted */
    double Ea_eV, Ea_err_eV;
    double lnA, lnA_err;            /* ln of the prefactor in the prefactor's unit */
    double A, A_err;                /* prefactor: S/m (ln sigma) or S K/m (ln sigma T) */
    double chi2_red;                /* weighted: chi^2 / (n - 2); unweighted: residual variance */
} lihop_arrhenius_fit;

/* Least-squares line ln(sigma T^times_T) = ln A - Ea / (kB T) over n points.
 * With all errors finite and > 0 the fit is weighted by 1/(err/sigma)^2 and
 * the standard errors are scaled by sqrt(chi2_red) when that exceeds 1;
 * otherwise unweighted with errors from the residuals (n >= 3).
 * LIHOP_ERR_INPUT with fewer than 2 points, sigma <= 0 or equal temperatures. */
lihop_status lihop_arrhenius(int n, const double *T_K, const double *sigma, const double *sigma_err,
                             int times_T, lihop_arrhenius_fit *out, lihop_err *err);

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
