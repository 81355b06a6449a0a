/* garnet_observe.c - garnet observables (diag layer): sums over replica
 * records, D*, D_sigma, H_R, f, f_I, sigma (Nernst-Einstein and drift),
 * occupancies, with delete-one-replica jackknife errors; and the whole run
 * (replicas on a backend, then these).
 *
 * Why one replica per jackknife block: replicas are independent, so a
 * replica is already an uncorrelated block, and the error of the error falls
 * with the number of blocks.  The former 8 contiguous batches gave a
 * variance with 7 degrees of freedom, i.e. Student-t scatter: over 800-1000
 * seeds the spread of D*, D_sigma, f, f_I, H_R between seeds was 1.3-1.6
 * times the quoted variance (mean z^2), although the quoted variance itself
 * was right on average (README "Garnet model", error bars; the check
 * garnet_error_calibration). */
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "constants.h"
#include "garnet_impl.h"
#include "garnet_observe.h"
#include "backend.h"

/* Sums over a set of replicas: every observable is a function of these. */
typedef struct {
    double n;
    double msd_tr[MAXS], msd_col[MAXS];
    double dcom[MAXS][3], dcom2[MAXS];
    double occ[MAXSUB];
    double hop_d2, hops;
    double msd_tr_ax[MAXS][3], msd_col_ax[MAXS][3], dcom2_ax[MAXS][3];
} gsum;

/* The estimates, all doubles so the jackknife can treat them as a vector. */
typedef struct {
    double msd_tr[MAXS], msd_col[MAXS];
    double D_tr, D_col, D0, haven, f, fI, sig_ne, sig_drift, v[3], gamma, d2;
    double li_frac[MAXSUB], site_occ[MAXSUB];
    double msd_tr_ax[MAXS][3], msd_col_ax[MAXS][3];
    double D_tr_ax[3], D_col_ax[3], sig_ne_ax[3];
} gest;
#define NEST (sizeof(gest) / sizeof(double))
_Static_assert(sizeof(gest) % sizeof(double) == 0, "gest must be a vector of doubles");

/* s += sg x replica r (sg = +1 or -1: -1 takes a replica out of a total; both
 * are exact in the factor, so +1 rounds as a plain sum). */
static void gsum_add_rep(gsum *s, const lihop_garnet_replica *r, int ns, double sg)
{
    s->n += sg;
    for (int k = 0; k < ns; ++k) {
        s->msd_tr[k] += sg * r->msd_tracer_A2[k];
        s->msd_col[k] += sg * r->msd_coll_A2[k];
        for (int a = 0; a < 3; ++a) s->dcom[k][a] += sg * r->dcom_A[k][a];
        s->dcom2[k] += sg * (r->dcom_A[k][0] * r->dcom_A[k][0] + r->dcom_A[k][1] * r->dcom_A[k][1] +
                             r->dcom_A[k][2] * r->dcom_A[k][2]);
        for (int a = 0; a < 3; ++a) {
            s->msd_tr_ax[k][a] += sg * r->msd_tracer_axis_A2[k][a];
            s->msd_col_ax[k][a] += sg * r->msd_coll_axis_A2[k][a];
            s->dcom2_ax[k][a] += sg * (r->dcom_A[k][a] * r->dcom_A[k][a]);
        }
    }
    for (int q = 0; q < MAXSUB; ++q) s->occ[q] += sg * r->occ_time_s[q];
    s->hop_d2 += sg * r->hop_d2_A2;
    s->hops += sg * (double)r->hops;
}

/* Least-squares slope of y(t) over the grid points with fit_from t_end <= t <=
 * fit_to t_end, plus the origin (0, 0) when fit_from is 0 or fewer than two
 * points qualify. */
static double fit_slope(const double *t, const double *y, int ns, double fit_from, double fit_to)
{
    const double lo = fit_from * t[ns - 1] * (1.0 - 1e-12), hi = fit_to * t[ns - 1] * (1.0 + 1e-12);
    int npts = 0;
    for (int k = 0; k < ns; ++k) npts += t[k] >= lo && t[k] <= hi;
    int origin = fit_from == 0.0 || npts < 2;
    double n = origin ? 1.0 : 0.0, st = 0.0, sy = 0.0;
    for (int k = 0; k < ns; ++k)
        if (t[k] >= lo && t[k] <= hi) { n += 1.0; st += t[k]; sy += y[k]; }
    if (n < 2.0) { /* window between two grid points: the first lag alone, through the origin */
        return y[0] / t[0];
    }
    double tm = st / n, ym = sy / n, sxx = 0.0, sxy = 0.0;
    if (origin) { sxx += tm * tm; sxy += tm * ym; }
    for (int k = 0; k < ns; ++k)
        if (t[k] >= lo && t[k] <= hi) { sxx += (t[k] - tm) * (t[k] - tm); sxy += (t[k] - tm) * (y[k] - ym); }
    return sxy / sxx;
}

static void estimate(const lihop_garnet *g, const gsum *s, double t_end, const double *tgrid, gest *o)
{
    const lihop_garnet_params *p = &g->p;
    const int ns = p->nsamples;
    const double n = s->n, nli = (double)p->nli;
    const double *E = p->field_V_m;
    const double E2 = E[0] * E[0] + E[1] * E[1] + E[2] * E[2];
    for (int k = 0; k < ns; ++k) {
        /* Under a field the MSDs also grow with the drift (V tau)^2; subtract an
         * unbiased estimate of |E[dC]|^2 from distinct replica pairs. */
        double U = 0.0;
        if (E2 > 0.0 && n >= 2.0) {
            double sq = s->dcom[k][0] * s->dcom[k][0] + s->dcom[k][1] * s->dcom[k][1] + s->dcom[k][2] * s->dcom[k][2];
            U = (sq - s->dcom2[k]) / (n * (n - 1.0));
        }
        o->msd_tr[k] = s->msd_tr[k] / n - U / (nli * nli);
        o->msd_col[k] = s->msd_col[k] / n - U / nli;
        for (int a = 0; a < 3; ++a) {  /* the same per axis: U_a estimates E[dC_a]^2 */
            double Ua = 0.0;
            if (E2 > 0.0 && n >= 2.0) Ua = (s->dcom[k][a] * s->dcom[k][a] - s->dcom2_ax[k][a]) / (n * (n - 1.0));
            o->msd_tr_ax[k][a] = s->msd_tr_ax[k][a] / n - Ua / (nli * nli);
            o->msd_col_ax[k][a] = s->msd_col_ax[k][a] / n - Ua / nli;
        }
    }
    const double A2 = 1e-20;  /* angstrom^2 -> m^2 */
    o->D_tr = fit_slope(tgrid, o->msd_tr, ns, p->fit_from, p->fit_to) / 6.0 * A2;
    o->D_col = fit_slope(tgrid, o->msd_col, ns, p->fit_from, p->fit_to) / 6.0 * A2;
    o->D0 = s->hop_d2 / (6.0 * nli * t_end * n) * A2;
    o->haven = o->D_tr / o->D_col;
    o->f = o->D_tr / o->D0;
    o->fI = o->D_col / o->D0;
    o->gamma = s->hops / (n * nli * t_end);
    o->d2 = s->hop_d2 / s->hops;
    const double nden = nli / (g->volume_A3 * 1e-30);
    o->sig_ne = nden * LIHOP_E * LIHOP_E * o->D_col / (LIHOP_KB * p->T_K);
    for (int a = 0; a < 3; ++a) {
        double ytr[MAXS], ycol[MAXS];
        for (int k = 0; k < ns; ++k) { ytr[k] = o->msd_tr_ax[k][a]; ycol[k] = o->msd_col_ax[k][a]; }
        o->D_tr_ax[a] = fit_slope(tgrid, ytr, ns, p->fit_from, p->fit_to) / 2.0 * A2;
        o->D_col_ax[a] = fit_slope(tgrid, ycol, ns, p->fit_from, p->fit_to) / 2.0 * A2;
        o->sig_ne_ax[a] = nden * LIHOP_E * LIHOP_E * o->D_col_ax[a] / (LIHOP_KB * p->T_K);
    }
    for (int a = 0; a < 3; ++a) o->v[a] = s->dcom[ns - 1][a] / (n * nli * t_end) * 1e-10;
    o->sig_drift = E2 > 0.0 ? nden * LIHOP_E * (o->v[0] * E[0] + o->v[1] * E[1] + o->v[2] * E[2]) / E2 : NAN;
    for (int q = 0; q < MAXSUB; ++q) {
        o->li_frac[q] = q < g->nsub ? s->occ[q] / (n * nli * t_end) : 0.0;
        o->site_occ[q] = q < g->nsub && g->sites_per_sub[q] > 0
                             ? s->occ[q] / (n * (double)g->sites_per_sub[q] * t_end) : 0.0;
    }
}

/* The sums over all replicas, in replica order (the order fixes the rounding:
 * the same numbers for any thread count); the event and hop counters go
 * straight to res. */
static void total_sums(const lihop_garnet_replica *rep, int64_t nrep, int ns, gsum *tot, lihop_garnet_result *res)
{
    for (int64_t r = 0; r < nrep; ++r) {
        gsum_add_rep(tot, &rep[r], ns, 1.0);
        res->events += rep[r].hops;
        res->equil_events += rep[r].equil_events;
        res->check_failures += rep[r].check_failures;
        res->trapped_replicas += rep[r].trapped;
        for (int a = 0; a < MAXSUB; ++a)
            for (int c = 0; c < MAXSUB; ++c) res->hops_by_type[a][c] += rep[r].hops_by_type[a][c];
    }
    res->hops = res->events;
}

/* The context of the jackknife: the model, the time grid, all-replica sums and estimate. */
typedef struct {
    const lihop_garnet *g;
    const lihop_garnet_replica *rep;
    const gsum *tot;
    const gest *full;
    int ns;
    double t_end;
    const double *tgrid;
} jk_ctx;

/* Replicas per jackknife chunk: chunks are summed in order, so the partial
 * sums do not depend on which thread ran a chunk. */
#define JK_CHUNK 256

/* For replicas [lo, hi): s1 += d, s2 += d^2, d = (estimate without that
 * replica) - (estimate from all), every component of gest. */
static void jk_chunk(const jk_ctx *c, int64_t lo, int64_t hi, double *s1, double *s2)
{
    const double *fv = (const double *)c->full;
    for (int64_t r = lo; r < hi; ++r) {
        gsum loo = *c->tot;
        gsum_add_rep(&loo, &c->rep[r], c->ns, -1.0);
        gest e;
        memset(&e, 0, sizeof e);
        estimate(c->g, &loo, c->t_end, c->tgrid, &e);
        const double *ev = (const double *)&e;
        for (size_t q = 0; q < NEST; ++q) {
            double d = ev[q] - fv[q];
            s1[q] += d;
            s2[q] += d * d;
        }
    }
}

/* Delete-one-replica jackknife: var = (n-1)/n sum_r (theta_r - mean theta_r)^2,
 * theta_r the estimate from the sums without replica r (ratios such as H_R and
 * f stay ratios of sums; the drift correction is re-estimated too).  Deviations
 * from the full estimate keep the sums small (no cancellation).  err_jk: the
 * standard error of every estimate, NaN with fewer than 2 replicas. */
static lihop_status jackknife(const jk_ctx *c, int64_t nrep, gest *err_jk, lihop_err *err)
{
    double *ev = (double *)err_jk;
    for (size_t q = 0; q < NEST; ++q) ev[q] = NAN;
    if (nrep < 2) return LIHOP_OK;
    const int64_t nch = (nrep + JK_CHUNK - 1) / JK_CHUNK;
    double *part = (double *)calloc((size_t)nch * 2 * NEST, sizeof(double));
    if (!part) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (jackknife)");
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < nch; ++k) {
        int64_t hi = (k + 1) * JK_CHUNK < nrep ? (k + 1) * JK_CHUNK : nrep;
        jk_chunk(c, k * JK_CHUNK, hi, part + (size_t)k * 2 * NEST, part + (size_t)k * 2 * NEST + NEST);
    }
    const double n = (double)nrep;
    for (size_t q = 0; q < NEST; ++q) {
        double s1 = 0.0, s2 = 0.0;
        for (int64_t k = 0; k < nch; ++k) {
            s1 += part[(size_t)k * 2 * NEST + q];
            s2 += part[(size_t)k * 2 * NEST + NEST + q];
        }
        double ss = s2 - s1 * s1 / n;   /* sum of squared deviations from their mean */
        if (ss < 0.0) ss = 0.0;         /* rounding; NaN stays NaN */
        ev[q] = sqrt(ss * (n - 1.0) / n);
    }
    free(part);
    return LIHOP_OK;
}

/* The MSD curves (total and per axis) on the time grid, with errors. */
static void result_msd(const gest *full, const gest *err_jk, const double *tgrid, int ns, lihop_garnet_result *res)
{
    for (int k = 0; k < ns; ++k) {
        res->time_s[k] = tgrid[k];
        res->msd_tracer_A2[k] = full->msd_tr[k]; res->msd_tracer_err[k] = err_jk->msd_tr[k];
        res->msd_coll_A2[k] = full->msd_col[k]; res->msd_coll_err[k] = err_jk->msd_col[k];
        for (int a = 0; a < 3; ++a) {
            res->msd_tracer_axis_A2[k][a] = full->msd_tr_ax[k][a]; res->msd_tracer_axis_err[k][a] = err_jk->msd_tr_ax[k][a];
            res->msd_coll_axis_A2[k][a] = full->msd_col_ax[k][a]; res->msd_coll_axis_err[k][a] = err_jk->msd_col_ax[k][a];
        }
    }
}

/* The transport coefficients, with errors. */
static void result_transport(const gest *full, const gest *err_jk, lihop_garnet_result *res)
{
    res->D_tracer_m2_s = full->D_tr; res->D_tracer_err = err_jk->D_tr;
    res->D_sigma_m2_s = full->D_col; res->D_sigma_err = err_jk->D_col;
    for (int a = 0; a < 3; ++a) {
        res->D_tracer_axis_m2_s[a] = full->D_tr_ax[a]; res->D_tracer_axis_err[a] = err_jk->D_tr_ax[a];
        res->D_sigma_axis_m2_s[a] = full->D_col_ax[a]; res->D_sigma_axis_err[a] = err_jk->D_col_ax[a];
        res->sigma_NE_axis_S_m[a] = full->sig_ne_ax[a]; res->sigma_NE_axis_err[a] = err_jk->sig_ne_ax[a];
    }
    res->D0_m2_s = full->D0; res->D0_err = err_jk->D0;
    res->haven = full->haven; res->haven_err = err_jk->haven;
    res->f_tracer = full->f; res->f_tracer_err = err_jk->f;
    res->f_coll = full->fI; res->f_coll_err = err_jk->fI;
    res->sigma_NE_S_m = full->sig_ne; res->sigma_NE_err = err_jk->sig_ne;
    res->sigma_drift_S_m = full->sig_drift; res->sigma_drift_err = err_jk->sig_drift;
    for (int a = 0; a < 3; ++a) { res->v_drift_m_s[a] = full->v[a]; res->v_drift_err[a] = err_jk->v[a]; }
    res->hop_rate_Hz = full->gamma; res->hop_rate_err = err_jk->gamma;
    res->mean_hop_d2_A2 = full->d2;
}

/* Li fraction and site occupancy per sublattice, with errors. */
static void result_sublattices(const lihop_garnet *g, const gest *full, const gest *err_jk, lihop_garnet_result *res)
{
    res->nsub = g->nsub;
    for (int q = 0; q < g->nsub; ++q) {
        memcpy(res->subname[q], g->subname[q], sizeof res->subname[q]);
        res->sites_per_sub[q] = g->sites_per_sub[q];
        res->li_fraction[q] = full->li_frac[q]; res->li_fraction_err[q] = err_jk->li_frac[q];
        res->site_occupancy[q] = full->site_occ[q]; res->site_occupancy_err[q] = err_jk->site_occ[q];
    }
}

lihop_status lihop_garnet_reduce(const lihop_garnet *g, const lihop_garnet_replica *rep, int64_t nrep,
                                 lihop_garnet_result *res, lihop_err *err)
{
    if (!g->have_t_end) return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: reduce before the run length is known");
    if (nrep < 1) return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: no replicas to reduce");
    const lihop_garnet_params *p = &g->p;
    const int ns = p->nsamples;
    const double t_end = g->t_end;

    memset(res, 0, sizeof *res);
    gsum tot;
    memset(&tot, 0, sizeof tot);
    total_sums(rep, nrep, ns, &tot, res);

    double tgrid[MAXS];
    for (int k = 0; k < ns; ++k) tgrid[k] = t_end * ((double)(k + 1) / (double)ns);
    tgrid[ns - 1] = t_end;

    gest full, err_jk;
    memset(&full, 0, sizeof full);
    estimate(g, &tot, t_end, tgrid, &full);
    const jk_ctx c = {g, rep, &tot, &full, ns, t_end, tgrid};
    lihop_status st = jackknife(&c, nrep, &err_jk, err);
    if (st != LIHOP_OK) return st;

    res->T_K = p->T_K;
    res->kT_eV = g->model.kT_eV;
    res->t_end_s = t_end;
    res->nreplicas = nrep;
    res->nbatches = nrep < INT_MAX ? (int)nrep : INT_MAX;   /* jackknife blocks: one per replica */
    res->nli = p->nli;
    res->nsites = g->nsites;
    res->volume_m3 = g->volume_A3 * 1e-30;
    res->n_li_m3 = (double)p->nli / res->volume_m3;
    res->nsamples = ns;
    result_msd(&full, &err_jk, tgrid, ns, res);
    result_transport(&full, &err_jk, res);
    result_sublattices(g, &full, &err_jk, res);
    return LIHOP_OK;
}

lihop_status lihop_garnet_run_backend(lihop_garnet *g, lihop_backend_kind backend, int nthreads,
                                      lihop_garnet_result *res, lihop_err *err)
{
    double w0 = omp_get_wtime();
    lihop_backend_kind got;
    lihop_status st = lihop_backend_resolve(backend, &got, err);
    if (st != LIHOP_OK) return st;
    double t_end;
    st = lihop_garnet_t_end(g, &t_end, err);
    if (st != LIHOP_OK) return st;
    int64_t nrep = g->p.nreplicas;
    lihop_garnet_replica *rep = (lihop_garnet_replica *)calloc((size_t)nrep, sizeof *rep);
    if (!rep) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (%lld replica records)", (long long)nrep);
    st = lihop_garnet_run_replicas_backend(g, got, 0, nrep, nthreads, rep, err);
    if (st == LIHOP_OK) st = lihop_garnet_reduce(g, rep, nrep, res, err);
    free(rep);
    if (st != LIHOP_OK) return st;
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();
    res->threads = got == LIHOP_BACKEND_CUDA ? 0 : (int64_t)nt > nrep ? (int)nrep : nt;
    res->backend = got;
    res->wall_s = omp_get_wtime() - w0;
    return LIHOP_OK;
}

lihop_status lihop_garnet_run(lihop_garnet *g, int nthreads, lihop_garnet_result *res, lihop_err *err)
{
    return lihop_garnet_run_backend(g, LIHOP_BACKEND_CPU, nthreads, res, err);
}
