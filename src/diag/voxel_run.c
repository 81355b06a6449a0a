/* voxel_run.c - a voxel sweep point: walkers in chunks over a backend (CPU/OpenMP or
 * CUDA), reduced into per-batch integer sums so that the result is bit-identical
 * for any thread count, chunk size or backend. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend_cuda.h"
#include "voxel.h"

/* Walkers per chunk: bounded host/device memory for the walker records
 * (~1 KiB each); the GPU needs more walkers in flight to fill its SMs. */
#define CHUNK_WALKERS_CPU 65536u
#define CHUNK_WALKERS_GPU 262144u


/* Integer sums per (batch, sample, axis): exact, so the reduction order is free. */
typedef struct {
    int nb, ns, np;
    int64_t *sum_d;     /* [nb][ns][3] */
    int64_t *sum_d2;    /* [nb][ns][3] */
    double *res;        /* [nb][np], summed in walker order */
    uint64_t *hops;     /* [nb] */
    uint64_t *count;    /* [nb] */
    uint64_t truncated;
} accum;

static int accum_init(accum *a, int nb, int ns, int np)
{
    memset(a, 0, sizeof *a);
    a->nb = nb; a->ns = ns; a->np = np;
    a->sum_d = calloc((size_t)nb * ns * 3, sizeof *a->sum_d);
    a->sum_d2 = calloc((size_t)nb * ns * 3, sizeof *a->sum_d2);
    a->res = calloc((size_t)nb * np, sizeof *a->res);
    a->hops = calloc((size_t)nb, sizeof *a->hops);
    a->count = calloc((size_t)nb, sizeof *a->count);
    return a->sum_d && a->sum_d2 && a->res && a->hops && a->count;
}

static void accum_free(accum *a)
{
    free(a->sum_d); free(a->sum_d2); free(a->res); free(a->hops); free(a->count);
}

static void accum_add(accum *a, uint64_t walker, uint64_t nwalkers, const lihop_walker_out *w)
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
}

/* Slope of y(t) between grid points i and j. */
static double rise(const double *t, const double *y, int i, int j)
{
    return (y[j] - y[i]) / (t[j] - t[i]);
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

/* The time grid starts at t=0 (all displacements 0), then the samples. */
static int time_grid(const lihop_voxel_params *p, double *t)
{
    t[0] = 0.0;
    for (int k = 0; k < p->nsamples; ++k) t[k + 1] = p->t_sample[k];
    return p->nsamples + 1;
}

/* Observables of one species from its sums (DESIGN 2.2; README "Observables"). */
static void observe_species(const lihop_config *cfg, const lihop_micro *m, int s, double T,
                            const lihop_voxel_params *p, const lihop_phase_transport *tr, const accum *a,
                            lihop_species_result *out, double *batch_sigma_iso)
{
    int nb = a->nb, ns = a->ns;
    double h = m->voxel_m, h2 = h * h;
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, frac);
    out->n_avg_m3 = 0.0;
    for (int ph = 0; ph < cfg->nphases; ++ph) out->n_avg_m3 += tr->rho_m3[ph] * frac[ph];
    double z = cfg->species[s].charge;
    double ne = z * z * LIHOP_E * LIHOP_E * out->n_avg_m3 / (LIHOP_KB * T);   /* sigma = ne D */

    double t[LIHOP_MAX_SAMPLES + 1], msd[LIHOP_MAX_SAMPLES + 1], md[LIHOP_MAX_SAMPLES + 1];
    int nt = time_grid(p, t);
    /* Fit window [t_end/4, t_end]: past the transient of a heterogeneous medium,
     * and the MSD difference over it has a small variance (1.8x the plain
     * MSD(t)/2t estimator of a homogeneous walk, against 2.4x for [t_end/2, t_end]).
     * Its two halves give D_early / D_late for the linearity (convergence) check. */
    int iq = (int)lround(0.25 * (nt - 1)), ih = (int)lround(0.5 * (nt - 1)), ie = nt - 1;
    if (ih <= iq) iq = 0;
    double *bD = out->batch_D_m2_s;
    /* scratch of a few doubles per batch: nb <= 1000 (config), so a stack buffer will do */
    double bv[1000 * 3], bearly[1000], blate[1000], col[1000];
    for (int b = 0; b < nb; ++b) {
        double cnt = (double)a->count[b];
        bearly[b] = blate[b] = 0.0;
        batch_sigma_iso[b] = 0.0;
        for (int ax = 0; ax < 3; ++ax) {
            msd[0] = md[0] = 0.0;
            for (int k = 0; k < ns; ++k) {
                msd[k + 1] = (double)a->sum_d2[((size_t)b * ns + k) * 3 + ax] / cnt * h2;
                md[k + 1] = (double)a->sum_d[((size_t)b * ns + k) * 3 + ax] / cnt * h;
            }
            bD[b * 3 + ax] = 0.5 * rise(t, msd, iq, ie);
            bv[b * 3 + ax] = rise(t, md, iq, ie);
            bearly[b] += 0.5 * rise(t, msd, iq, ih) / 3.0;
            blate[b] += 0.5 * rise(t, msd, ih, ie) / 3.0;
            batch_sigma_iso[b] += ne * bD[b * 3 + ax] / 3.0;
        }
    }
    for (int ax = 0; ax < 3; ++ax) {
        double *v = col;
        for (int b = 0; b < nb; ++b) v[b] = bD[b * 3 + ax];
        mean_err(v, nb, &out->D_m2_s[ax], &out->D_err[ax]);
        out->sigma_S_m[ax] = ne * out->D_m2_s[ax];
        out->sigma_err[ax] = ne * out->D_err[ax];
        double E = cfg->field_V_m[ax];
        if (E != 0.0) {
            for (int b = 0; b < nb; ++b) v[b] = bv[b * 3 + ax];
            double vm, ve;
            mean_err(v, nb, &vm, &ve);
            double q = z * LIHOP_E;
            out->sigma_drift_S_m[ax] = q * out->n_avg_m3 * vm / E;
            out->sigma_drift_err[ax] = fabs(q * out->n_avg_m3 * ve / E);
        } else {
            out->sigma_drift_S_m[ax] = NAN;
            out->sigma_drift_err[ax] = NAN;
        }
        /* pooled MSD over all batches for the time series */
        for (int k = 0; k < ns; ++k) {
            double s2 = 0, c = 0;
            for (int b = 0; b < nb; ++b) {
                s2 += (double)a->sum_d2[((size_t)b * ns + k) * 3 + ax];
                c += (double)a->count[b];
            }
            out->msd_m2[k][ax] = s2 / c * h2;
        }
    }
    mean_err(bearly, nb, &out->D_early_m2_s, &out->D_early_err);
    mean_err(blate, nb, &out->D_late_m2_s, &out->D_late_err);
    for (int ph = 0; ph < cfg->nphases; ++ph) {
        for (int b = 0; b < nb; ++b) col[b] = a->res[(size_t)b * a->np + ph] / ((double)a->count[b] * p->t_end);
        mean_err(col, nb, &out->residence[ph], &out->residence_err[ph]);
    }
    out->hops = 0;
    out->walkers = 0;
    for (int b = 0; b < nb; ++b) {
        out->hops += a->hops[b];
        out->walkers += a->count[b];
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void lihop_point_result_free(lihop_point_result *r)
{
    if (!r) return;
    for (int s = 0; s < LIHOP_MAX_SPECIES; ++s) {
        free(r->sp[s].batch_D_m2_s);
        r->sp[s].batch_D_m2_s = NULL;
    }
}

lihop_status lihop_voxel_run_point(const lihop_config *cfg, const lihop_micro *m, int index, double T,
                                   const lihop_voxel_options *opt, lihop_point_result *res, lihop_err *err)
{
    double t0 = now_s();
    memset(res, 0, sizeof *res);
    res->index = index;
    res->T_K = T;
    res->nspecies = cfg->nspecies;
    res->nbatches = cfg->run.batches;
    if (cfg->run.batches < 2 || cfg->run.batches > 1000 || cfg->run.walkers < (uint64_t)cfg->run.batches ||
        cfg->run.walkers > LIHOP_MAX_WALKERS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "run: need 2..1000 batches and batches <= walkers <= %llu "
                          "(got %d batches, %llu walkers)", (unsigned long long)LIHOP_MAX_WALKERS,
                          cfg->run.batches, (unsigned long long)cfg->run.walkers);
    lihop_backend_kind backend;
    lihop_status st = lihop_backend_resolve(opt->backend, &backend, err);
    if (st) return st;
    snprintf(res->backend, sizeof res->backend, "%s", backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu");
    res->threads = backend == LIHOP_BACKEND_CPU ? (opt->threads > 0 ? opt->threads : omp_get_max_threads()) : 0;

    int64_t nvox = lihop_micro_nvox(m);
    uint64_t nw = cfg->run.walkers;
    uint64_t chunk_max = backend == LIHOP_BACKEND_CUDA ? CHUNK_WALKERS_GPU : CHUNK_WALKERS_CPU;
    uint64_t chunk = nw < chunk_max ? nw : chunk_max;
    uint32_t *voxels = malloc((size_t)nvox * sizeof *voxels);
    lihop_walker_out *out = malloc((size_t)chunk * sizeof *out);
    lihop_voxel_params *p = malloc(sizeof *p);
    double *batch_sigma = calloc((size_t)LIHOP_MAX_SPECIES * cfg->run.batches, sizeof *batch_sigma);
    if (!voxels || !out || !p || !batch_sigma) {
        free(voxels); free(out); free(p); free(batch_sigma);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %llu walkers", (unsigned long long)nw);
    }
    uint32_t offset[LIHOP_MAX_PHASES + 1];
    lihop_voxel_group_phases(m, voxels, offset);
    lihop_cuda_grid *dgrid = NULL;      /* the device copy of the grid, for this point only */
    if (backend == LIHOP_BACKEND_CUDA)
        st = lihop_cuda_grid_create(m->phase, voxels, nvox, &dgrid, err);

    uint64_t total_work = nw * (uint64_t)cfg->nspecies, done = 0, truncated = 0;
    for (int s = 0; s < cfg->nspecies && !st; ++s) {
        lihop_phase_transport tr;
        /* one stream per (point coordinates, species): rng.h lihop_stream_id */
        uint32_t stream = lihop_stream_id(lihop_config_point_key(cfg, T, 0), (unsigned)s);
        st = lihop_voxel_params_setup(cfg, m, voxels, offset, s, T, stream, p, &tr, err);
        if (st) break;
        res->nsamples = p->nsamples;
        res->sp[s].t_end_s = p->t_end;
        for (int k = 0; k < p->nsamples; ++k) res->sp[s].time_s[k] = p->t_sample[k];
        accum a;
        if (!accum_init(&a, cfg->run.batches, p->nsamples, cfg->nphases)) {
            accum_free(&a);
            st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for batch sums");
            break;
        }
        for (uint64_t first = 0; first < nw && !st; first += chunk) {
            uint64_t cnt = nw - first < chunk ? nw - first : chunk;
            if (backend == LIHOP_BACKEND_CUDA)
                st = lihop_cuda_voxel_walk(p, dgrid, first, cnt, out, err);
            else
                lihop_voxel_walk_cpu(p, first, cnt, out, opt->threads);
            if (st) break;
            for (uint64_t i = 0; i < cnt; ++i) {
                accum_add(&a, first + i, nw, &out[i]);
                const lihop_walker_capture *cap = &opt->capture[s];
                if (cap->final_disp)
                    memcpy(&cap->final_disp[(first + i) * 3], out[i].disp[p->nsamples - 1], 3 * sizeof(int32_t));
                if (cap->hops) cap->hops[first + i] = out[i].hops;
            }
            done += cnt;
            if (opt->progress) opt->progress(opt->progress_ctx, (double)done / (double)total_work);
            if (opt->interrupt && *opt->interrupt)
                st = lihop_fail(err, LIHOP_ERR_INTERRUPTED, "interrupted at %g K", T);
        }
        if (!st) {
            res->sp[s].batch_D_m2_s = malloc((size_t)cfg->run.batches * 3 * sizeof(double));
            if (!res->sp[s].batch_D_m2_s)
                st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for batch results");
            else
                observe_species(cfg, m, s, T, p, &tr, &a, &res->sp[s], batch_sigma + (size_t)s * cfg->run.batches);
        }
        truncated += a.truncated;
        accum_free(&a);
    }
    if (!st) {
        /* totals and t+: combine species batch by batch (batch b of each species) */
        int nb = cfg->run.batches, ts = cfg->transference_species;
        double tot[1000], tp[1000];   /* nb <= 1000 (config) */
        for (int b = 0; b < nb; ++b) {
            tot[b] = 0.0;
            for (int s = 0; s < cfg->nspecies; ++s) tot[b] += batch_sigma[(size_t)s * nb + b];
            tp[b] = tot[b] > 0 ? batch_sigma[(size_t)ts * nb + b] / tot[b] : 0.0;
        }
        mean_err(tot, nb, &res->sigma_iso_S_m, &res->sigma_iso_err);
        mean_err(tp, nb, &res->t_plus, &res->t_plus_err);
        for (int ax = 0; ax < 3; ++ax) {
            double v = 0, e2 = 0;
            for (int s = 0; s < cfg->nspecies; ++s) {
                v += res->sp[s].sigma_S_m[ax];
                e2 += res->sp[s].sigma_err[ax] * res->sp[s].sigma_err[ax];
            }
            res->sigma_total_S_m[ax] = v;
            res->sigma_total_err[ax] = sqrt(e2);
        }
        /* convergence: the MSD slope must no longer change between the two halves of the run */
        res->converged = 1;
        for (int s = 0; s < cfg->nspecies; ++s) {
            const lihop_species_result *r = &res->sp[s];
            double err2 = sqrt(r->D_early_err * r->D_early_err + r->D_late_err * r->D_late_err);
            double diff = fabs(r->D_early_m2_s - r->D_late_m2_s);
            /* written so that NaN (a broken run) also counts as not converged */
            if (!(diff <= 0.10 * fabs(r->D_late_m2_s) + 3.0 * err2)) {
                res->converged = 0;
                snprintf(res->warning, sizeof res->warning,
                         "species %s at %g K: MSD/6t not yet linear (D over [t/4, t/2] %.3g, over [t/2, t] %.3g m^2/s); "
                         "run longer (more hops_per_walker or time_s)",
                         cfg->species[s].name, T, r->D_early_m2_s, r->D_late_m2_s);
                break;
            }
        }
        if (truncated) {
            res->converged = 0;
            snprintf(res->warning, sizeof res->warning,
                     "%llu walkers hit the hop cap (1000x the mean hop count) and were stopped early",
                     (unsigned long long)truncated);
        }
    }
    lihop_cuda_grid_destroy(dgrid);
    free(voxels); free(out); free(p); free(batch_sigma);
    res->wall_s = now_s() - t0;
    return st;
}
