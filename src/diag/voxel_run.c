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

/* The time grid and the fit window [t_end/4, t_end]: past the transient of a
 * heterogeneous medium, and the MSD difference over it has a small variance
 * (1.8x the plain MSD(t)/2t estimator of a homogeneous walk, against 2.4x for
 * [t_end/2, t_end]).  Its two halves give D_early / D_late for the linearity
 * (convergence) check. */
typedef struct {
    double t[LIHOP_MAX_SAMPLES + 1];
    int iq, ih, ie;
} fit_window;

static void fit_window_init(const lihop_voxel_params *p, fit_window *w)
{
    int nt = time_grid(p, w->t);
    w->iq = (int)lround(0.25 * (nt - 1));
    w->ih = (int)lround(0.5 * (nt - 1));
    w->ie = nt - 1;
    if (w->ih <= w->iq) w->iq = 0;
}

/* Per-batch slopes of batch b: D and drift velocity per axis, isotropic D over
 * the two halves of the window, and the isotropic Nernst-Einstein sigma. */
typedef struct {
    double *D, *v, *early, *late, *sigma_iso;
} batch_fits;

static void fit_batch(const accum *a, int b, const fit_window *w, double h, double ne, const batch_fits *f)
{
    int ns = a->ns;
    double h2 = h * h, cnt = (double)a->count[b];
    double msd[LIHOP_MAX_SAMPLES + 1], md[LIHOP_MAX_SAMPLES + 1];
    f->early[b] = f->late[b] = 0.0;
    f->sigma_iso[b] = 0.0;
    for (int ax = 0; ax < 3; ++ax) {
        msd[0] = md[0] = 0.0;
        for (int k = 0; k < ns; ++k) {
            msd[k + 1] = (double)a->sum_d2[((size_t)b * ns + k) * 3 + ax] / cnt * h2;
            md[k + 1] = (double)a->sum_d[((size_t)b * ns + k) * 3 + ax] / cnt * h;
        }
        f->D[b * 3 + ax] = 0.5 * rise(w->t, msd, w->iq, w->ie);
        f->v[b * 3 + ax] = rise(w->t, md, w->iq, w->ie);
        f->early[b] += 0.5 * rise(w->t, msd, w->iq, w->ih) / 3.0;
        f->late[b] += 0.5 * rise(w->t, msd, w->ih, w->ie) / 3.0;
        f->sigma_iso[b] += ne * f->D[b * 3 + ax] / 3.0;
    }
}

/* Mean and error over batches of column ax of a [nb][3] array. */
static void mean_err_axis(const double *v3, int nb, int ax, double *col, double *mean, double *err)
{
    for (int b = 0; b < nb; ++b) col[b] = v3[b * 3 + ax];
    mean_err(col, nb, mean, err);
}

/* Axis ax: D and sigma (Nernst-Einstein), drift sigma under a field, pooled MSD. */
static void observe_axis(const lihop_config *cfg, const accum *a, int ax, double h, double z, double ne,
                         const batch_fits *f, double *col, lihop_species_result *out)
{
    int nb = a->nb, ns = a->ns;
    double h2 = h * h;
    mean_err_axis(f->D, nb, ax, col, &out->D_m2_s[ax], &out->D_err[ax]);
    out->sigma_S_m[ax] = ne * out->D_m2_s[ax];
    out->sigma_err[ax] = ne * out->D_err[ax];
    double E = cfg->field_V_m[ax];
    if (E != 0.0) {
        double vm, ve;
        mean_err_axis(f->v, nb, ax, col, &vm, &ve);
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

/* Observables of one species from its sums (DESIGN 2.2; README "Observables"). */
static void observe_species(const lihop_config *cfg, const lihop_micro *m, int s, double T,
                            const lihop_voxel_params *p, const lihop_phase_transport *tr, const accum *a,
                            lihop_species_result *out, double *batch_sigma_iso)
{
    int nb = a->nb;
    double h = m->voxel_m;
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, frac);
    out->n_avg_m3 = 0.0;
    for (int ph = 0; ph < cfg->nphases; ++ph) out->n_avg_m3 += tr->rho_m3[ph] * frac[ph];
    double z = cfg->species[s].charge;
    double ne = z * z * LIHOP_E * LIHOP_E * out->n_avg_m3 / (LIHOP_KB * T);   /* sigma = ne D */

    fit_window w;
    fit_window_init(p, &w);
    /* scratch of a few doubles per batch: nb <= 1000 (config), so a stack buffer will do */
    double bv[1000 * 3], bearly[1000], blate[1000], col[1000];
    batch_fits f = {out->batch_D_m2_s, bv, bearly, blate, batch_sigma_iso};
    for (int b = 0; b < nb; ++b) fit_batch(a, b, &w, h, ne, &f);
    for (int ax = 0; ax < 3; ++ax) observe_axis(cfg, a, ax, h, z, ne, &f, col, out);
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

/* Buffers and progress of one point, shared by its species. */
typedef struct {
    lihop_backend_kind backend;
    uint64_t nw, chunk;
    uint32_t *voxels;               /* voxel indices grouped by phase */
    uint32_t offset[LIHOP_MAX_PHASES + 1];
    lihop_walker_out *out;          /* one chunk of walker records */
    lihop_voxel_params *p;
    double *batch_sigma;            /* [species][batch] isotropic sigma */
    lihop_cuda_grid *dgrid;         /* the device copy of the grid, for this point only */
    uint64_t total_work, done, truncated;
} point_work;

static lihop_status check_run_size(const lihop_config *cfg, lihop_err *err)
{
    if (cfg->run.batches < 2 || cfg->run.batches > 1000 || cfg->run.walkers < (uint64_t)cfg->run.batches ||
        cfg->run.walkers > LIHOP_MAX_WALKERS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "run: need 2..1000 batches and batches <= walkers <= %llu "
                          "(got %d batches, %llu walkers)", (unsigned long long)LIHOP_MAX_WALKERS,
                          cfg->run.batches, (unsigned long long)cfg->run.walkers);
    return LIHOP_OK;
}

static void work_free(point_work *w)
{
    lihop_cuda_grid_destroy(w->dgrid);
    free(w->voxels); free(w->out); free(w->p); free(w->batch_sigma);
}

/* Allocate the point's buffers and group the voxels by phase. */
static lihop_status work_init(point_work *w, const lihop_config *cfg, const lihop_micro *m, lihop_err *err)
{
    int64_t nvox = lihop_micro_nvox(m);
    uint64_t chunk_max = w->backend == LIHOP_BACKEND_CUDA ? CHUNK_WALKERS_GPU : CHUNK_WALKERS_CPU;
    w->nw = cfg->run.walkers;
    w->chunk = w->nw < chunk_max ? w->nw : chunk_max;
    w->voxels = malloc((size_t)nvox * sizeof *w->voxels);
    w->out = malloc((size_t)w->chunk * sizeof *w->out);
    w->p = malloc(sizeof *w->p);
    w->batch_sigma = calloc((size_t)LIHOP_MAX_SPECIES * cfg->run.batches, sizeof *w->batch_sigma);
    if (!w->voxels || !w->out || !w->p || !w->batch_sigma)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %llu walkers", (unsigned long long)w->nw);
    lihop_voxel_group_phases(m, w->voxels, w->offset);
    w->total_work = w->nw * (uint64_t)cfg->nspecies;
    return LIHOP_OK;
}

/* All walkers of species s, chunk by chunk, into the batch sums A. */
static lihop_status walk_species(point_work *w, int s, double T, const lihop_voxel_options *opt, accum *a,
                                 lihop_err *err)
{
    const lihop_voxel_params *p = w->p;
    lihop_status st = LIHOP_OK;
    for (uint64_t first = 0; first < w->nw && !st; first += w->chunk) {
        uint64_t cnt = w->nw - first < w->chunk ? w->nw - first : w->chunk;
        if (w->backend == LIHOP_BACKEND_CUDA)
            st = lihop_cuda_voxel_walk(p, w->dgrid, first, cnt, w->out, err);
        else
            lihop_voxel_walk_cpu(p, first, cnt, w->out, opt->threads);
        if (st) break;
        for (uint64_t i = 0; i < cnt; ++i) {
            accum_add(a, first + i, w->nw, &w->out[i]);
            const lihop_walker_capture *cap = &opt->capture[s];
            if (cap->final_disp)
                memcpy(&cap->final_disp[(first + i) * 3], w->out[i].disp[p->nsamples - 1], 3 * sizeof(int32_t));
            if (cap->hops) cap->hops[first + i] = w->out[i].hops;
        }
        w->done += cnt;
        if (opt->progress) opt->progress(opt->progress_ctx, (double)w->done / (double)w->total_work);
        if (opt->interrupt && *opt->interrupt)
            st = lihop_fail(err, LIHOP_ERR_INTERRUPTED, "interrupted at %g K", T);
    }
    return st;
}

/* Species s: its parameters, its walk, its observables. */
static lihop_status run_species(point_work *w, const lihop_config *cfg, const lihop_micro *m, int s, double T,
                                const lihop_voxel_options *opt, lihop_point_result *res, lihop_err *err)
{
    lihop_voxel_params *p = w->p;
    lihop_phase_transport tr;
    /* one stream per (point coordinates, species): rng.h lihop_stream_id */
    uint32_t stream = lihop_stream_id(lihop_config_point_key(cfg, T, 0), (unsigned)s);
    lihop_status st = lihop_voxel_params_setup(cfg, m, w->voxels, w->offset, s, T, stream, p, &tr, err);
    if (st) return st;
    res->nsamples = p->nsamples;
    res->sp[s].t_end_s = p->t_end;
    for (int k = 0; k < p->nsamples; ++k) res->sp[s].time_s[k] = p->t_sample[k];
    accum a;
    if (!accum_init(&a, cfg->run.batches, p->nsamples, cfg->nphases)) {
        accum_free(&a);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for batch sums");
    }
    st = walk_species(w, s, T, opt, &a, err);
    if (!st) {
        res->sp[s].batch_D_m2_s = malloc((size_t)cfg->run.batches * 3 * sizeof(double));
        if (!res->sp[s].batch_D_m2_s)
            st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for batch results");
        else
            observe_species(cfg, m, s, T, p, &tr, &a, &res->sp[s], w->batch_sigma + (size_t)s * cfg->run.batches);
    }
    w->truncated += a.truncated;
    accum_free(&a);
    return st;
}

/* Totals and t+: combine species batch by batch (batch b of each species). */
static void combine_species(const lihop_config *cfg, const double *batch_sigma, lihop_point_result *res)
{
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
}

/* Convergence: the MSD slope must no longer change between the two halves of
 * the run, and no walker may have hit the hop cap. */
static void check_converged(const lihop_config *cfg, double T, uint64_t truncated, lihop_point_result *res)
{
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

lihop_status lihop_voxel_run_point(const lihop_config *cfg, const lihop_micro *m, int index, double T,
                                   const lihop_voxel_options *opt, lihop_point_result *res, lihop_err *err)
{
    double t0 = now_s();
    memset(res, 0, sizeof *res);
    res->index = index;
    res->T_K = T;
    res->nspecies = cfg->nspecies;
    res->nbatches = cfg->run.batches;
    lihop_status st = check_run_size(cfg, err);
    if (st) return st;
    point_work w;
    memset(&w, 0, sizeof w);
    st = lihop_backend_resolve(opt->backend, &w.backend, err);
    if (st) return st;
    snprintf(res->backend, sizeof res->backend, "%s", w.backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu");
    res->threads = w.backend == LIHOP_BACKEND_CPU ? (opt->threads > 0 ? opt->threads : omp_get_max_threads()) : 0;

    if ((st = work_init(&w, cfg, m, err)) != LIHOP_OK) {
        work_free(&w);
        return st;
    }
    if (w.backend == LIHOP_BACKEND_CUDA)
        st = lihop_cuda_grid_create(m->phase, w.voxels, lihop_micro_nvox(m), &w.dgrid, err);
    for (int s = 0; s < cfg->nspecies && !st; ++s)
        st = run_species(&w, cfg, m, s, T, opt, res, err);
    if (!st) {
        combine_species(cfg, w.batch_sigma, res);
        check_converged(cfg, T, w.truncated, res);
    }
    work_free(&w);
    res->wall_s = now_s() - t0;
    return st;
}
