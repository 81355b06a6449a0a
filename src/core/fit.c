/* fit.c - Arrhenius and VTF fits (GSL weighted linear and nonlinear least
 * squares) and the conductivity maximum over Li content (fit.h). */
#include "fit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multifit_nlinear.h>
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

/* ---- shared: points, weights, the straight line ------------------------------------ */

/* GSL's default handler aborts the process; the fits report failures by status instead. */
static void gsl_quiet(void)
{
    gsl_set_error_handler_off();
}

/* Checks T > 0 and sigma > 0; returns 1 when every error is finite and > 0
 * (weighted fit), else 0, or -1 (with err set) on a bad point. */
static int check_points(const char *what, int n, const double *T_K, const double *sigma, const double *sigma_err,
                        lihop_err *err)
{
    int weighted = sigma_err != NULL;
    for (int i = 0; i < n; i++) {
        if (!(sigma[i] > 0.0) || !isfinite(sigma[i]) || !(T_K[i] > 0.0) || !isfinite(T_K[i])) {
            lihop_fail(err, LIHOP_ERR_INPUT, "%s fit: point %d has T = %g K, sigma = %g (need both > 0)", what, i,
                       T_K[i], sigma[i]);
            return -1;
        }
        if (weighted && !(sigma_err[i] > 0.0 && isfinite(sigma_err[i])))
            weighted = 0;
    }
    return weighted;
}

static int distinct_temperatures(int n, const double *T_K)
{
    int d = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = T_K[k] == T_K[i];
        d += !seen;
    }
    return d;
}

/* The error of ln sigma: err/sigma, or 1 for an unweighted fit. */
static double ln_err(const double *sigma, const double *sigma_err, int weighted, int i)
{
    return weighted ? sigma_err[i] / sigma[i] : 1.0;
}

/* How much the unit-weight covariance is scaled: a weighted fit by chi2_red
 * when the points scatter more than their errors say, an unweighted one by
 * the residual variance (NaN without degrees of freedom). */
static double cov_scale(int weighted, int dof, double chi2)
{
    double red = dof > 0 ? chi2 / dof : NAN;
    if (weighted)
        return dof > 0 && red > 1.0 ? red : 1.0;
    return red;
}

/* y = c[0] + c[1] x by weighted linear least squares (weights 1/s^2):
 * c, the unscaled covariance (X^T W X)^-1 and chi^2.  -1 when GSL fails. */
static int line_fit(int n, const double *x, const double *y, const double *s, double c[2], double cov[2][2],
                    double *chi2)
{
    gsl_matrix *X = gsl_matrix_alloc((size_t)n, 2), *C = gsl_matrix_alloc(2, 2);
    gsl_vector *Y = gsl_vector_alloc((size_t)n), *W = gsl_vector_alloc((size_t)n), *P = gsl_vector_alloc(2);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc((size_t)n, 2);
    int rc = -1;
    if (X && C && Y && W && P && ws) {
        for (int i = 0; i < n; i++) {
            gsl_matrix_set(X, (size_t)i, 0, 1.0);
            gsl_matrix_set(X, (size_t)i, 1, x[i]);
            gsl_vector_set(Y, (size_t)i, y[i]);
            gsl_vector_set(W, (size_t)i, 1.0 / (s[i] * s[i]));
        }
        if (gsl_multifit_wlinear(X, W, Y, P, C, chi2, ws) == GSL_SUCCESS) {
            for (int a = 0; a < 2; a++) {
                c[a] = gsl_vector_get(P, (size_t)a);
                for (int b = 0; b < 2; b++)
                    cov[a][b] = gsl_matrix_get(C, (size_t)a, (size_t)b);
            }
            rc = 0;
        }
    }
    gsl_multifit_linear_free(ws);
    gsl_vector_free(P);
    gsl_vector_free(W);
    gsl_vector_free(Y);
    gsl_matrix_free(C);
    gsl_matrix_free(X);
    return rc;
}

/* ---- Arrhenius ------------------------------------------------------------------------ */

lihop_status lihop_arrhenius(int n, const double *T_K, const double *sigma, const double *sigma_err,
                             int times_T, lihop_arrhenius_fit *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    gsl_quiet();
    if (n < 2)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: need at least 2 points, got %d", n);
    int weighted = check_points("Arrhenius", n, T_K, sigma, sigma_err, err);
    if (weighted < 0)
        return LIHOP_ERR_INPUT;
    if (distinct_temperatures(n, T_K) < 2)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Arrhenius fit: the %d temperatures are all equal", n);
    double *x = malloc(sizeof *x * 3 * (size_t)n);
    if (!x)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "Arrhenius fit: out of memory");
    double *y = x + n, *s = y + n, c[2], cov[2][2], chi2 = NAN;
    for (int i = 0; i < n; i++) {
        x[i] = 1.0 / (LIHOP_KB_EV * T_K[i]);    /* 1/eV */
        y[i] = log(sigma[i]) + (times_T ? log(T_K[i]) : 0.0);
        s[i] = ln_err(sigma, sigma_err, weighted, i);
    }
    int rc = line_fit(n, x, y, s, c, cov, &chi2);
    free(x);
    if (rc < 0)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "Arrhenius fit: GSL weighted least squares failed");
    double scale = cov_scale(weighted, n - 2, chi2);
    out->weighted = weighted;
    out->chi2 = chi2;
    out->chi2_red = n > 2 ? chi2 / (n - 2) : NAN;
    out->Ea_eV = -c[1];
    out->Ea_err_eV = sqrt(cov[1][1] * scale);
    out->lnA = c[0];
    out->lnA_err = sqrt(cov[0][0] * scale);
    out->A = exp(c[0]);
    out->A_err = out->A * out->lnA_err;
    out->cov_Ea_lnA = -cov[0][1] * scale;
    out->cov_Ea_A = out->A * out->cov_Ea_lnA;
    return LIHOP_OK;
}

/* ---- VTF ------------------------------------------------------------------------------ */

typedef struct {
    int n;
    const double *T, *y, *s;        /* temperature, ln sigma, its error */
} vtf_data;

/* Residuals (model - ln sigma)/s at p = (ln A, B, T0).  A T0 at or above a
 * temperature is outside the model: huge residuals make the trust region
 * reject that step rather than stop. */
static int vtf_f(const gsl_vector *p, void *data, gsl_vector *f)
{
    const vtf_data *d = data;
    double lnA = gsl_vector_get(p, 0), B = gsl_vector_get(p, 1), T0 = gsl_vector_get(p, 2);
    for (int i = 0; i < d->n; i++) {
        double dT = d->T[i] - T0;
        gsl_vector_set(f, (size_t)i, dT > 0.0 ? (lnA - B / dT - d->y[i]) / d->s[i] : 1e150);
    }
    return GSL_SUCCESS;
}

static int vtf_df(const gsl_vector *p, void *data, gsl_matrix *J)
{
    const vtf_data *d = data;
    double B = gsl_vector_get(p, 1), T0 = gsl_vector_get(p, 2);
    for (int i = 0; i < d->n; i++) {
        double dT = d->T[i] - T0;
        if (!(dT > 0.0))
            dT = 1e-300;
        gsl_matrix_set(J, (size_t)i, 0, 1.0 / d->s[i]);
        gsl_matrix_set(J, (size_t)i, 1, -1.0 / (dT * d->s[i]));
        gsl_matrix_set(J, (size_t)i, 2, -B / (dT * dT * d->s[i]));
    }
    return GSL_SUCCESS;
}

/* The start: over T0 = Tmin - d with d geometric from Tmin/500 to Tmin
 * (T0 = 0), the T0 whose weighted line ln sigma = ln A - B/(T - T0) has the
 * smallest chi^2.  -1 when no line could be fitted. */
static int vtf_start(const vtf_data *d, double Tmin, double *x, double p[3])
{
    enum { NGRID = 120 };
    double best = INFINITY;
    for (int k = 0; k < NGRID; k++) {
        double T0 = Tmin - Tmin * pow(500.0, (double)k / (NGRID - 1) - 1.0), c[2], cov[2][2], chi2;
        for (int i = 0; i < d->n; i++)
            x[i] = 1.0 / (d->T[i] - T0);
        if (line_fit(d->n, x, d->y, d->s, c, cov, &chi2) == 0 && chi2 < best) {
            best = chi2;
            p[0] = c[0];
            p[1] = -c[1];
            p[2] = T0;
        }
    }
    return isfinite(best) ? 0 : -1;
}

/* Levenberg-Marquardt from p: p, the unscaled covariance of (ln A, B, T0),
 * chi^2 and the iteration count.  GSL's status (GSL_SUCCESS, or GSL_ENOPROG
 * when no step improves on p any more, e.g. exact data). */
static int vtf_solve(vtf_data *d, double p[3], double cov[3][3], double *chi2, int *iters)
{
    gsl_multifit_nlinear_fdf fdf = {vtf_f, vtf_df, NULL, (size_t)d->n, 3, d, 0, 0, 0};
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    par.trs = gsl_multifit_nlinear_trs_lm;
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, (size_t)d->n, 3);
    gsl_matrix *C = gsl_matrix_alloc(3, 3);
    gsl_vector_view p0 = gsl_vector_view_array(p, 3);
    int info = 0, st = GSL_ENOMEM;
    if (w && C && (st = gsl_multifit_nlinear_init(&p0.vector, &fdf, w)) == GSL_SUCCESS) {
        st = gsl_multifit_nlinear_driver(500, 1e-13, 1e-13, 0.0, NULL, NULL, &info, w);
        if (st == GSL_SUCCESS || st == GSL_ENOPROG) {
            const gsl_vector *r = gsl_multifit_nlinear_residual(w), *x = gsl_multifit_nlinear_position(w);
            gsl_blas_ddot(r, r, chi2);
            gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, C);
            for (int a = 0; a < 3; a++) {
                p[a] = gsl_vector_get(x, (size_t)a);
                for (int b = 0; b < 3; b++)
                    cov[a][b] = gsl_matrix_get(C, (size_t)a, (size_t)b);
            }
            *iters = (int)gsl_multifit_nlinear_niter(w);
        }
    }
    gsl_matrix_free(C);
    if (w)
        gsl_multifit_nlinear_free(w);
    return st;
}

/* out's parameters, errors and (A, B, T0) covariance from the (ln A, B, T0) fit. */
static void vtf_store(lihop_vtf_fit *out, const double p[3], double cov[3][3], double chi2, double scale)
{
    out->chi2 = chi2;
    out->chi2_red = out->n > 3 ? chi2 / (out->n - 3) : NAN;
    out->lnA = p[0];
    out->A = exp(p[0]);
    out->B_K = p[1];
    out->T0_K = p[2];
    const double jac[3] = {out->A, 1.0, 1.0};      /* d(A, B, T0)/d(ln A, B, T0), diagonal */
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            out->cov[a][b] = jac[a] * jac[b] * cov[a][b] * scale;
    out->lnA_err = sqrt(cov[0][0] * scale);
    out->A_err = sqrt(out->cov[0][0]);
    out->B_err_K = sqrt(out->cov[1][1]);
    out->T0_err_K = sqrt(out->cov[2][2]);
}

lihop_status lihop_vtf(int n, const double *T_K, const double *sigma, const double *sigma_err,
                       lihop_vtf_fit *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    gsl_quiet();
    int weighted = check_points("VTF", n, T_K, sigma, sigma_err, err);
    if (weighted < 0)
        return LIHOP_ERR_INPUT;
    int nd = distinct_temperatures(n, T_K);
    if (nd < 4)
        return lihop_fail(err, LIHOP_ERR_INPUT, "VTF fit: need at least 4 distinct temperatures (3 parameters "
                                                "and one degree of freedom), got %d", nd);
    double *buf = malloc(sizeof *buf * 3 * (size_t)n), p[3], cov[3][3], chi2 = NAN, Tmin = T_K[0];
    if (!buf)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "VTF fit: out of memory");
    double *y = buf, *s = buf + n, *x = buf + 2 * n;
    for (int i = 0; i < n; i++) {
        y[i] = log(sigma[i]);
        s[i] = ln_err(sigma, sigma_err, weighted, i);
        Tmin = T_K[i] < Tmin ? T_K[i] : Tmin;
    }
    vtf_data d = {n, T_K, y, s};
    int st = vtf_start(&d, Tmin, x, p) < 0 ? GSL_EFAILED : vtf_solve(&d, p, cov, &chi2, &out->iterations);
    free(buf);
    if (st != GSL_SUCCESS && st != GSL_ENOPROG)
        return lihop_fail(err, LIHOP_ERR_INPUT, "VTF fit: the trust-region solver did not converge (%s)",
                          gsl_strerror(st));
    if (!(p[2] < Tmin) || !isfinite(chi2))
        return lihop_fail(err, LIHOP_ERR_INPUT, "VTF fit: T0 = %g K is not below the lowest temperature %g K",
                          p[2], Tmin);
    out->weighted = weighted;
    vtf_store(out, p, cov, chi2, cov_scale(weighted, n - 3, chi2));
    return LIHOP_OK;
}
