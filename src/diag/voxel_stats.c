/* voxel_stats.c - walker sums and the observables of a voxel point with
 * errors over walkers (voxel_stats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "voxel_stats.h"

void lihop_fit_window_init(const lihop_voxel_params *p, lihop_fit_window *w)
{
    w->t[0] = 0.0;
    for (int k = 0; k < p->nsamples; ++k) w->t[k + 1] = p->t_sample[k];
    int nt = p->nsamples + 1;
    w->iq = (int)lround(0.25 * (nt - 1));
    w->ih = (int)lround(0.5 * (nt - 1));
    w->ie = nt - 1;
    if (w->ih <= w->iq) w->iq = 0;
}

int lihop_voxel_accum_init(lihop_voxel_accum *a, int nb, const lihop_voxel_params *p, int np)
{
    memset(a, 0, sizeof *a);
    a->nb = nb; a->ns = p->nsamples; a->np = np;
    lihop_fit_window_init(p, &a->win);
    a->sum_d = calloc((size_t)nb * a->ns * 3, sizeof *a->sum_d);
    a->sum_d2 = calloc((size_t)nb * a->ns * 3, sizeof *a->sum_d2);
    a->res = calloc((size_t)nb * np, sizeof *a->res);
    a->hops = calloc((size_t)nb, sizeof *a->hops);
    a->count = calloc((size_t)nb, sizeof *a->count);
    return a->sum_d && a->sum_d2 && a->res && a->hops && a->count;
}

void lihop_voxel_accum_free(lihop_voxel_accum *a)
{
    free(a->sum_d); free(a->sum_d2); free(a->res); free(a->hops); free(a->count);
    memset(a, 0, sizeof *a);
}

/* Displacement of w along ax at grid index k (k = 0 is t = 0). */
static double disp_at(const lihop_walker_out *w, int k, int ax)
{
    return k == 0 ? 0.0 : (double)w->disp[k - 1][ax];
}

static void add_moments(lihop_voxel_accum *a, const lihop_walker_out *w)
{
    double xiso = 0.0;
    for (int ax = 0; ax < 3; ++ax) {
        double dq = disp_at(w, a->win.iq, ax), dh = disp_at(w, a->win.ih, ax), de = disp_at(w, a->win.ie, ax);
        double x = de * de - dq * dq, y = dh * dh - dq * dq, z = de * de - dh * dh, v = de - dq;
        a->sx[ax] += x; a->sxx[ax] += x * x;
        a->sy[ax] += y; a->syy[ax] += y * y;
        a->sz[ax] += z; a->szz[ax] += z * z; a->syz[ax] += y * z;
        a->sv[ax] += v; a->svv[ax] += v * v;
        xiso += x;
    }
    a->siso += xiso;
    a->sisoiso += xiso * xiso;
}

void lihop_voxel_accum_add(lihop_voxel_accum *a, uint64_t walker, uint64_t nwalkers, const lihop_walker_out *w)
{
    int b = (int)((walker * (uint64_t)a->nb) / nwalkers);    /* contiguous batches */
    for (int k = 0; k < a->ns; ++k)
        for (int ax = 0; ax < 3; ++ax) {
            int64_t d = w->disp[k][ax];
            a->sum_d[((size_t)b * a->ns + k) * 3 + ax] += d;
            a->sum_d2[((size_t)b * a->ns + k) * 3 + ax] += d * d;
        }
    for (int p = 0; p < a->np; ++p) a->res[(size_t)b * a->np + p] += w->residence[p];
    a->hops[b] += w->hops;
    a->count[b]++;
    a->truncated += (uint64_t)w->truncated;
    a->n++;
    add_moments(a, w);
}

/* Mean and its standard error from a sum and a sum of squares over n draws. */
static void moment(double s, double ss, double n, double *mean, double *se)
{
    *mean = s / n;
    double var = n > 1.0 ? (ss - s * s / n) / (n - 1.0) : 0.0;
    *se = var > 0.0 ? sqrt(var / n) : 0.0;
}

static void mean_err(const double *v, int n, double *mean, double *err)
{
    double s = 0, ss = 0;
    for (int i = 0; i < n; ++i) s += v[i];
    double m = s / n;
    for (int i = 0; i < n; ++i) ss += (v[i] - m) * (v[i] - m);
    *mean = m;
    *err = n > 1 ? sqrt(ss / (n - 1) / n) : 0.0;
}

/* D, Nernst-Einstein sigma, drift sigma and the early/late slopes of axis ax. */
static void observe_axis(const lihop_config *cfg, const lihop_voxel_accum *a, int ax, double h, double z, double ne,
                         lihop_species_result *out)
{
    const lihop_fit_window *w = &a->win;
    double n = (double)a->n, h2 = h * h, m, e;
    double kx = h2 / (2.0 * (w->t[w->ie] - w->t[w->iq]));
    double ky = h2 / (2.0 * (w->t[w->ih] - w->t[w->iq])), kz = h2 / (2.0 * (w->t[w->ie] - w->t[w->ih]));
    moment(a->sx[ax], a->sxx[ax], n, &m, &e);
    out->D_m2_s[ax] = kx * m;
    out->D_err[ax] = kx * e;
    out->sigma_S_m[ax] = ne * out->D_m2_s[ax];
    out->sigma_err[ax] = ne * out->D_err[ax];
    double E = cfg->field_V_m[ax];
    moment(a->sv[ax], a->svv[ax], n, &m, &e);
    double to_sigma = z * LIHOP_E * out->n_avg_m3 * h / ((w->t[w->ie] - w->t[w->iq]) * E);
    out->sigma_drift_S_m[ax] = E != 0.0 ? to_sigma * m : NAN;
    out->sigma_drift_err[ax] = E != 0.0 ? fabs(to_sigma) * e : NAN;
    /* early minus late slope per walker: var(ky Y - kz Z) with the Y-Z covariance */
    double my = a->sy[ax] / n, mz = a->sz[ax] / n;
    double vy = n > 1 ? (a->syy[ax] - n * my * my) / (n - 1) : 0.0;
    double vz = n > 1 ? (a->szz[ax] - n * mz * mz) / (n - 1) : 0.0;
    double cyz = n > 1 ? (a->syz[ax] - n * my * mz) / (n - 1) : 0.0;
    double vd = ky * ky * vy + kz * kz * vz - 2.0 * ky * kz * cyz;
    out->D_early_axis_m2_s[ax] = ky * my;
    out->D_late_axis_m2_s[ax] = kz * mz;
    out->slope_change_err[ax] = vd > 0.0 ? sqrt(vd / n) : 0.0;
}

/* Per-batch D (stored), pooled MSD series and residence fractions. */
static void observe_batches(const lihop_voxel_accum *a, const lihop_voxel_params *p, int nphases, double h,
                            lihop_species_result *out)
{
    const lihop_fit_window *w = &a->win;
    int ns = a->ns, nb = a->nb;
    double kx = h * h / (2.0 * (w->t[w->ie] - w->t[w->iq]));
    for (int b = 0; b < nb; ++b)
        for (int ax = 0; ax < 3; ++ax) {
            double de = (double)a->sum_d2[((size_t)b * ns + w->ie - 1) * 3 + ax];
            double dq = w->iq > 0 ? (double)a->sum_d2[((size_t)b * ns + w->iq - 1) * 3 + ax] : 0.0;
            out->batch_D_m2_s[b * 3 + ax] = kx * (de - dq) / (double)a->count[b];
        }
    for (int k = 0; k < ns; ++k)
        for (int ax = 0; ax < 3; ++ax) {
            double s2 = 0.0;
            for (int b = 0; b < nb; ++b) s2 += (double)a->sum_d2[((size_t)b * ns + k) * 3 + ax];
            out->msd_m2[k][ax] = s2 / (double)a->n * h * h;
        }
    double col[1000];   /* nb <= 1000 (config) */
    for (int ph = 0; ph < nphases; ++ph) {
        for (int b = 0; b < nb; ++b) col[b] = a->res[(size_t)b * a->np + ph] / ((double)a->count[b] * p->t_end);
        mean_err(col, nb, &out->residence[ph], &out->residence_err[ph]);
    }
    out->hops = 0;
    for (int b = 0; b < nb; ++b) out->hops += a->hops[b];
    out->walkers = a->n;
}

void lihop_voxel_observe(const lihop_config *cfg, const lihop_micro *m, int s, double T,
                         const lihop_voxel_params *p, const lihop_phase_transport *tr, const lihop_voxel_accum *a,
                         lihop_species_result *out)
{
    double h = m->voxel_m, frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, frac);
    out->n_avg_m3 = 0.0;
    for (int ph = 0; ph < cfg->nphases; ++ph) out->n_avg_m3 += tr->rho_m3[ph] * frac[ph];
    if (p->start_cum)     /* space-charge layers: the mean of rho g, the total start weight over the voxels */
        out->n_avg_m3 = p->start_cum[lihop_micro_nvox(m) - 1] / (double)lihop_micro_nvox(m);
    double z = cfg->species[s].charge;
    double ne = z * z * LIHOP_E * LIHOP_E * out->n_avg_m3 / (LIHOP_KB * T);   /* sigma = ne D */
    out->D_early_m2_s = out->D_late_m2_s = 0.0;
    for (int ax = 0; ax < 3; ++ax) {
        observe_axis(cfg, a, ax, h, z, ne, out);
        out->D_early_m2_s += out->D_early_axis_m2_s[ax] / 3.0;
        out->D_late_m2_s += out->D_late_axis_m2_s[ax] / 3.0;
    }
    double mi, ei, kx = h * h / (2.0 * (a->win.t[a->win.ie] - a->win.t[a->win.iq]));
    moment(a->siso, a->sisoiso, (double)a->n, &mi, &ei);
    out->sigma_iso_S_m = ne * kx * mi / 3.0;
    out->sigma_iso_err = ne * kx * ei / 3.0;
    observe_batches(a, p, cfg->nphases, h, out);
}

/* t+ = a / (a + b) of independent a and b: the delta method. */
static void ratio_err(double a, double ea, double b, double eb, double *t, double *et)
{
    double s = a + b;
    *t = s > 0.0 ? a / s : 0.0;
    *et = s > 0.0 ? sqrt(b * b * ea * ea + a * a * eb * eb) / (s * s) : 0.0;
}

void lihop_voxel_combine(const lihop_config *cfg, lihop_point_result *res)
{
    int ts = cfg->transference_species;
    double tot = 0.0, e2 = 0.0, other = 0.0, e2_other = 0.0, ex_iso = 0.0, ex_ts = 0.0;
    for (int s = 0; s < cfg->nspecies; ++s) {
        const lihop_species_result *sp = &res->sp[s];
        tot += sp->sigma_iso_S_m;
        e2 += sp->sigma_iso_err * sp->sigma_iso_err;
        if (s != ts) {
            other += sp->sigma_iso_S_m;
            e2_other += sp->sigma_iso_err * sp->sigma_iso_err;
        }
        double ex = (sp->sigma_exact_S_m[0] + sp->sigma_exact_S_m[1] + sp->sigma_exact_S_m[2]) / 3.0;
        ex_iso += ex;
        if (s == ts) ex_ts = ex;
    }
    res->sigma_iso_S_m = tot;
    res->sigma_iso_err = sqrt(e2);
    ratio_err(res->sp[ts].sigma_iso_S_m, res->sp[ts].sigma_iso_err, other, sqrt(e2_other), &res->t_plus,
              &res->t_plus_err);
    res->sigma_exact_iso_S_m = ex_iso;
    res->t_plus_exact = ex_iso > 0.0 ? ex_ts / ex_iso : (isnan(ex_iso) ? NAN : 0.0);
    for (int ax = 0; ax < 3; ++ax) {
        double v = 0, ev = 0, ex = 0;
        for (int s = 0; s < cfg->nspecies; ++s) {
            v += res->sp[s].sigma_S_m[ax];
            ev += res->sp[s].sigma_err[ax] * res->sp[s].sigma_err[ax];
            ex += res->sp[s].sigma_exact_S_m[ax];
        }
        res->sigma_total_S_m[ax] = v;
        res->sigma_total_err[ax] = sqrt(ev);
        res->sigma_exact_total_S_m[ax] = ex;
    }
}
