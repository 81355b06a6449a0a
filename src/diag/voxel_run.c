/* voxel_run.c - a voxel sweep point: walkers in chunks over a backend (CPU/OpenMP or
 * CUDA), reduced into per-batch integer sums so that the result is bit-identical
 * for any thread count, chunk size or backend. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend_cuda.h"
#include "network.h"
#include "space_charge.h"
#include "voxel_stats.h"

/* Walkers per chunk: bounded host/device memory for the walker records
 * (~1 KiB each); the GPU needs more walkers in flight to fill its SMs. */
#define CHUNK_WALKERS_CPU 65536u
#define CHUNK_WALKERS_GPU 262144u


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
    double *phi, *vfac, *start_cum; /* space-charge layers (NULL: none): potential, per-species buffers */
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
    free(w->voxels); free(w->out); free(w->p);
    free(w->phi); free(w->vfac); free(w->start_cum);
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
    if (!w->voxels || !w->out || !w->p)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %llu walkers", (unsigned long long)w->nw);
    lihop_voxel_group_phases(m, w->voxels, w->offset);
    if (cfg->nspace_charge > 0) {
        w->phi = malloc((size_t)nvox * sizeof *w->phi);
        w->vfac = malloc((size_t)nvox * sizeof *w->vfac);
        w->start_cum = malloc((size_t)nvox * sizeof *w->start_cum);
        if (!w->phi || !w->vfac || !w->start_cum)
            return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the space-charge layers");
    }
    w->total_work = w->nw * (uint64_t)cfg->nspecies;
    return LIHOP_OK;
}

/* All walkers of species s, chunk by chunk, into the batch sums A. */
static lihop_status walk_species(point_work *w, int s, double T, const lihop_voxel_options *opt, lihop_voxel_accum *a,
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
            lihop_voxel_accum_add(a, first + i, w->nw, &w->out[i]);
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

/* One walk of species s with the run time x 2^ext, and its observables. */
static lihop_status walk_once(point_work *w, const lihop_config *cfg, const lihop_micro *m, int s, double T, int ext,
                              const lihop_voxel_options *opt, lihop_species_result *out, lihop_err *err)
{
    lihop_voxel_params *p = w->p;
    lihop_phase_transport tr;
    /* one stream per (point coordinates, species): rng.h lihop_stream_id */
    uint32_t stream = lihop_stream_id(lihop_config_point_key(cfg, T, 0), (unsigned)s);
    lihop_voxel_layers layers = {w->phi, w->vfac, w->start_cum};
    lihop_status st = lihop_voxel_params_setup(cfg, m, w->voxels, w->offset, s, T, stream, &layers, p, &tr, err);
    if (!st && w->phi && w->backend == LIHOP_BACKEND_CUDA)
        st = lihop_cuda_grid_set_layers(w->dgrid, w->vfac, w->start_cum, err);
    if (st) return st;
    lihop_voxel_params_stretch(p, ldexp(1.0, ext));
    out->t_end_s = p->t_end;
    for (int k = 0; k < p->nsamples; ++k) out->time_s[k] = p->t_sample[k];
    lihop_voxel_accum a;
    if (!lihop_voxel_accum_init(&a, cfg->run.batches, p, cfg->nphases)) {
        lihop_voxel_accum_free(&a);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for batch sums");
    }
    st = walk_species(w, s, T, opt, &a, err);
    if (!st) lihop_voxel_observe(cfg, m, s, T, p, &tr, &a, out);
    out->extensions = ext;
    w->truncated += a.truncated;
    lihop_voxel_accum_free(&a);
    return st;
}

/* Species s: the exact reference, then walks until converged or out of extensions. */
static lihop_status run_species(point_work *w, const lihop_config *cfg, const lihop_micro *m, int s, double T,
                                const lihop_voxel_options *opt, lihop_point_result *res, lihop_err *err)
{
    lihop_species_result *out = &res->sp[s];
    if (!lihop_voxel_species_carried(cfg, m, s)) {   /* nothing to walk: sigma = D = 0, exactly */
        out->batch_D_m2_s = calloc((size_t)cfg->run.batches * 3, sizeof(double));
        for (int ax = 0; ax < 3; ++ax) out->converged_axis[ax] = 1;
        if (!out->batch_D_m2_s) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for batch results");
        return LIHOP_OK;
    }
    for (int ax = 0; ax < 3; ++ax) out->sigma_exact_S_m[ax] = NAN;
    if (cfg->run.exact_reference) {
        lihop_network_result net;
        lihop_status st = lihop_network_sigma(cfg, m, s, T, w->phi, &net, err);
        if (st) return st;
        for (int ax = 0; ax < 3; ++ax) out->sigma_exact_S_m[ax] = net.sigma_S_m[ax][ax];
        out->exact_wall_s = net.wall_s;
    }
    out->batch_D_m2_s = malloc((size_t)cfg->run.batches * 3 * sizeof(double));
    if (!out->batch_D_m2_s) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for batch results");
    for (int ext = 0;; ++ext) {
        uint64_t truncated_before = w->truncated;
        lihop_status st = walk_once(w, cfg, m, s, T, ext, opt, out, err);
        if (st) return st;
        res->nsamples = w->p->nsamples;
        if (lihop_voxel_judge_species(out) || ext >= cfg->run.max_extensions) break;
        w->truncated = truncated_before;    /* only the last walk counts */
        w->total_work += w->nw;
    }
    return LIHOP_OK;
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
    if (!st && w.phi) st = lihop_sc_potential(cfg, m, T, w.phi, NULL, err);
    for (int s = 0; s < cfg->nspecies && !st; ++s)
        st = run_species(&w, cfg, m, s, T, opt, res, err);
    if (!st) {
        lihop_voxel_combine(cfg, res);
        lihop_voxel_judge_point(cfg, T, w.truncated, res);
    }
    work_free(&w);
    res->wall_s = now_s() - t0;
    return st;
}
