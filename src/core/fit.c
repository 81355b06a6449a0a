/* fit.c - Arrhenius fits and the conductivity maximum over Li content (fit.h). */
#include "fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "constants.h"
#include "lihop_limits.h"

lihop_status lihop_li_peak_find(int n, const double *li, const double *sigma, const double *sigma_err,
                                lihop_li_peak *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    if (n < 3 || n > LIHOP_MAX_LI_VALUES)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Li-content maximum: need 3..%d Li contents, got %d",
                          LIHOP_MAX_LI_VALUES, n);
    int ord[LIHOP_MAX_LI_VALUES];
    for (int i = 0; i < n; i++) {
        if (!(sigma[i] > 0.0) || !isfinite(sigma[i]) || !isfinite(li[i]))
            return lihop_fail(err, LIHOP_ERR_INPUT, "Li-content maximum: sigma %g at Li %g", sigma[i], li[i]);
        ord[i] = i;
    }
    for (int i = 1; i < n; i++)      /* insertion sort by Li content */
        for (int k = i; k > 0 && li[ord[k]] < li[ord[k - 1]]; k--) {
            int t = ord[k]; ord[k] = ord[k - 1]; ord[k - 1] = t;
        }
    int best = 0;
    for (int k = 0; k < n; k++) {
        if (k > 0 && li[ord[k]] == li[ord[k - 1]])
            return lihop_fail(err, LIHOP_ERR_INPUT, "Li-content maximum: Li %g appears twice", li[ord[k]]);
        if (sigma[ord[k]] > sigma[ord[best]]) best = k;
    }
    out->n = n;
    out->li_max = li[ord[best]];
    out->sigma_max = sigma[ord[best]];
    out->sigma_max_err = sigma_err ? sigma_err[ord[best]] : NAN;
    out->ratio_low = out->sigma_max / sigma[ord[0]];
    out->ratio_high = out->sigma_max / sigma[ord[n - 1]];
    out->li_vertex = NAN;
    if (best > 0 && best < n - 1) {
        /* parabola through (x0, y0), (x1, y1), (x2, y2): vertex
         * x1 - [(x1-x0)^2 (y1-y2) - (x1-x2)^2 (y1-y0)] / (2 [(x1-x0)(y1-y2) - (x1-x2)(y1-y0)]) */
        double x0 = li[ord[best - 1]], x1 = li[ord[best]], x2 = li[ord[best + 1]];
        double y0 = sigma[ord[best - 1]], y1 = sigma[ord[best]], y2 = sigma[ord[best + 1]];
        double den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0);
        if (den != 0.0)
            out->li_vertex = x1 - 0.5 * ((x1 - x0) * (x1 - x0) * (y1 - y2) - (x1 - x2) * (x1 - x2) * (y1 - y0)) / den;
    }
    return LIHOP_OK;
}

lihop_status lihop_arrhenius(int n, const double *T_K, const double *sigma, const double *sigma_err,
                             int times_T, lihop_arrhenius_fit *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n < 2)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: need at least 2 points, got %d", n);
    int weighted = sigma_err != NULL;
    for (int i = 0; i < n; i++) {
        if (!(sigma[i] > 0.0) || !isfinite(sigma[i]) || !(T_K[i] > 0.0))
            return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: point %d has T = %g K, sigma = %g (need both > 0)",
                              i, T_K[i], sigma[i]);
        if (weighted && !(sigma_err[i] > 0.0 && isfinite(sigma_err[i])))
            weighted = 0;
    }
    /* y = ln A - Ea x with x = 1/(kB T) in 1/eV */
    double sw = 0.0, sx = 0.0, sy = 0.0;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (LIHOP_KB_EV * T_K[i]);
        double y = log(sigma[i]) + (times_T ? log(T_K[i]) : 0.0);
        double s = weighted ? sigma_err[i] / sigma[i] : 1.0;
        double w = 1.0 / (s * s);
        sw += w;
        sx += w * x;
        sy += w * y;
    }
    double xm = sx / sw, ym = sy / sw, sxx = 0.0, sxy = 0.0;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (LIHOP_KB_EV * T_K[i]);
        double y = log(sigma[i]) + (times_T ? log(T_K[i]) : 0.0);
        double s = weighted ? sigma_err[i] / sigma[i] : 1.0;
        double w = 1.0 / (s * s);
        sxx += w * (x - xm) * (x - xm);
        sxy += w * (x - xm) * (y - ym);
    }
    if (!(sxx > 0.0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: the %d temperatures are all equal", n);
    double slope = sxy / sxx, icpt = ym - slope * xm;
    double chi2 = 0.0;
    for (int i = 0; i < n; i++) {
        double x = 1.0 / (LIHOP_KB_EV * T_K[i]);
        double y = log(sigma[i]) + (times_T ? log(T_K[i]) : 0.0);
        double s = weighted ? sigma_err[i] / sigma[i] : 1.0;
        double r = (y - icpt - slope * x) / s;
        chi2 += r * r;
    }
    double red = n > 2 ? chi2 / (n - 2) : NAN;
    /* variances of slope and intercept for unit-weight residual variance 1/w */
    double var_slope = 1.0 / sxx, var_icpt = 1.0 / sw + xm * xm / sxx;
    double scale;
    if (weighted)
        scale = n > 2 && red > 1.0 ? red : 1.0;
    else
        scale = red;                /* NaN for n = 2: no error estimate */
    out->weighted = weighted;
    out->chi2_red = red;
    out->Ea_eV = -slope;
    out->Ea_err_eV = sqrt(var_slope * scale);
    out->lnA = icpt;
    out->lnA_err = sqrt(var_icpt * scale);
    out->A = exp(icpt);
    out->A_err = out->A * out->lnA_err;
    return LIHOP_OK;
}

