/* voxel_replay.c - walkers of a finished voxel point walked again (voxel_replay.h). */
#include "voxel_replay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "space_charge.h"
#include "voxel_stats.h"

#define REPLAY_CHUNK 16384u     /* walker records per call of the CPU backend (~1 KiB each) */

/* The point's setup for one species, as voxel_run.c walk_once builds it. */
typedef struct {
    uint32_t *voxels;
    uint32_t offset[LIHOP_MAX_PHASES + 1];
    double *phi, *vfac, *start_cum;
    lihop_voxel_params *p;
    lihop_phase_transport tr;
    lihop_walker_out *out;
    double T;
} replay_work;

void lihop_voxel_traj_free(lihop_voxel_traj *t)
{
    if (!t) return;
    free(t->time_s);
    free(t->pos);
    t->time_s = NULL;
    t->pos = NULL;
}

static void work_free(replay_work *w)
{
    free(w->voxels); free(w->phi); free(w->vfac); free(w->start_cum); free(w->p); free(w->out);
}

static lihop_status work_alloc(replay_work *w, const lihop_config *view, const lihop_micro *m, lihop_err *err)
{
    size_t nvox = (size_t)lihop_micro_nvox(m);
    w->voxels = malloc(nvox * sizeof *w->voxels);
    w->p = malloc(sizeof *w->p);
    w->out = malloc(REPLAY_CHUNK * sizeof *w->out);
    if (view->nspace_charge > 0) {
        w->phi = malloc(nvox * sizeof *w->phi);
        w->vfac = malloc(nvox * sizeof *w->vfac);
        w->start_cum = malloc(nvox * sizeof *w->start_cum);
        if (!w->phi || !w->vfac || !w->start_cum)
            return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the space-charge layers of the replay");
    }
    if (!w->voxels || !w->p || !w->out) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the replay");
    return LIHOP_OK;
}

/* Rates, start distribution, stream and time grid of species s: the run's,
 * with its run time doubled `extensions` times, as voxel_run.c does. */
static lihop_status work_setup(replay_work *w, const lihop_config *view, const lihop_micro *m, int s, int extensions,
                               lihop_err *err)
{
    memset(w, 0, sizeof *w);
    if (s < 0 || s >= view->nspecies)
        return lihop_fail(err, LIHOP_ERR_INPUT, "species index %d out of range 0..%d", s, view->nspecies - 1);
    if (!lihop_voxel_species_carried(view, m, s))
        return lihop_fail(err, LIHOP_ERR_INPUT, "species '%s' is carried by no phase of this point's "
                          "microstructure: its walkers never move (no trajectory)", view->species[s].name);
    if (extensions < 0 || extensions > LIHOP_VOXEL_MAX_EXTENSIONS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "extensions %d out of range 0..%d", extensions,
                          LIHOP_VOXEL_MAX_EXTENSIONS);
    lihop_status st = work_alloc(w, view, m, err);
    if (st) return st;
    w->T = view->temperature_K[0];
    lihop_voxel_group_phases(m, w->voxels, w->offset);
    if (w->phi && (st = lihop_sc_potential(view, m, w->T, w->phi, NULL, err)) != LIHOP_OK) return st;
    uint32_t stream = lihop_stream_id(lihop_config_point_key(view, w->T, 0), (unsigned)s);
    lihop_voxel_layers layers = {w->phi, w->vfac, w->start_cum};
    st = lihop_voxel_params_setup(view, m, w->voxels, w->offset, s, w->T, stream, &layers, w->p, &w->tr, err);
    if (st) return st;
    lihop_voxel_params_stretch(w->p, ldexp(1.0, extensions));   /* as the run did */
    return LIHOP_OK;
}

/* Frames f0 .. f0+cnt-1 of every walker: one walk up to the window's last frame. */
static void walk_window(replay_work *w, const lihop_voxel_traj *t, int f0, int cnt, double t_full,
                        lihop_voxel_traj *acc, int threads)
{
    lihop_voxel_params *p = w->p;
    p->nsamples = cnt;
    for (int j = 0; j < cnt; ++j) p->t_sample[j] = t->time_s[f0 + j];
    p->t_end = f0 + cnt == t->nframes ? t_full : t->time_s[f0 + cnt - 1];
    const int32_t *n = p->n;
    for (uint64_t first = 0; first < t->nwalkers; first += REPLAY_CHUNK) {
        uint64_t c = t->nwalkers - first < REPLAY_CHUNK ? t->nwalkers - first : REPLAY_CHUNK;
        lihop_voxel_walk_cpu(p, first, c, w->out, threads);
        for (uint64_t i = 0; i < c; ++i) {
            const lihop_walker_out *o = &w->out[i];
            uint32_t v = o->start_voxel;
            int32_t c0[3] = {(int32_t)(v % (uint32_t)n[0]), (int32_t)((v / (uint32_t)n[0]) % (uint32_t)n[1]),
                             (int32_t)(v / ((uint32_t)n[0] * (uint32_t)n[1]))};
            for (int j = 0; j < cnt; ++j)
                for (int ax = 0; ax < 3; ++ax)
                    t->pos[((size_t)(f0 + j) * t->nwalkers + first + i) * 3 + ax] = c0[ax] + o->disp[j][ax];
            if (f0 + cnt == t->nframes) {
                acc->hops += o->hops;
                acc->truncated += (uint64_t)o->truncated;
            }
        }
    }
}

static void max_steps(lihop_voxel_traj *t)
{
    for (int ax = 0; ax < 3; ++ax) t->max_step[ax] = 0;
    size_t row = (size_t)t->nwalkers * 3;
    for (int f = 1; f < t->nframes; ++f)
        for (size_t i = 0; i < row; ++i) {
            int32_t d = t->pos[(size_t)f * row + i] - t->pos[(size_t)(f - 1) * row + i];
            if (d < 0) d = -d;
            if (d > t->max_step[i % 3]) t->max_step[i % 3] = d;
        }
}

lihop_status lihop_voxel_replay(const lihop_config *view, const lihop_micro *m, int s, int extensions,
                                uint64_t nwalkers, int nframes, int threads, lihop_voxel_traj *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    if (nframes < 2 || nwalkers < 1 || nwalkers > view->run.walkers)
        return lihop_fail(err, LIHOP_ERR_INPUT, "replay: need >= 2 frames and 1..%llu walkers (got %d, %llu)",
                          (unsigned long long)view->run.walkers, nframes, (unsigned long long)nwalkers);
    replay_work w;
    lihop_status st = work_setup(&w, view, m, s, extensions, err);
    out->nwalkers = nwalkers;
    out->nframes = nframes;
    out->time_s = malloc((size_t)nframes * sizeof *out->time_s);
    out->pos = malloc((size_t)nframes * (size_t)nwalkers * 3 * sizeof *out->pos);
    if (!st && (!out->time_s || !out->pos))
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %d frames of %llu walkers", nframes,
                        (unsigned long long)nwalkers);
    if (!st) {
        double t_full = w.p->t_end;
        memcpy(out->n, w.p->n, sizeof out->n);
        out->voxel_m = m->voxel_m;
        out->t_end_s = t_full;
        for (int k = 0; k < nframes; ++k)
            out->time_s[k] = k == nframes - 1 ? t_full : t_full * (double)k / (double)(nframes - 1);
        for (int f0 = 0; f0 < nframes; f0 += LIHOP_MAX_SAMPLES) {
            int cnt = nframes - f0 < LIHOP_MAX_SAMPLES ? nframes - f0 : LIHOP_MAX_SAMPLES;
            walk_window(&w, out, f0, cnt, t_full, out, threads);
        }
        max_steps(out);
    }
    if (st) lihop_voxel_traj_free(out);
    work_free(&w);
    return st;
}

lihop_status lihop_voxel_replay_observe(const lihop_config *view, const lihop_micro *m, int s, int extensions,
                                        int threads, lihop_species_result *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    replay_work w;
    lihop_status st = work_setup(&w, view, m, s, extensions, err);
    lihop_voxel_accum a;
    memset(&a, 0, sizeof a);
    if (!st && !lihop_voxel_accum_init(&a, view->run.batches, w.p, view->nphases))
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the replay's batch sums");
    if (!st && !(out->batch_D_m2_s = malloc((size_t)view->run.batches * 3 * sizeof(double))))
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the replay's batch results");
    uint64_t nw = view->run.walkers;
    for (uint64_t first = 0; !st && first < nw; first += REPLAY_CHUNK) {
        uint64_t c = nw - first < REPLAY_CHUNK ? nw - first : REPLAY_CHUNK;
        lihop_voxel_walk_cpu(w.p, first, c, w.out, threads);
        for (uint64_t i = 0; i < c; ++i) lihop_voxel_accum_add(&a, first + i, nw, &w.out[i]);
    }
    if (!st) {
        out->t_end_s = w.p->t_end;
        for (int k = 0; k < w.p->nsamples; ++k) out->time_s[k] = w.p->t_sample[k];
        lihop_voxel_observe(view, m, s, w.T, w.p, &w.tr, &a, out);
        out->extensions = extensions;
    }
    lihop_voxel_accum_free(&a);
    work_free(&w);
    return st;
}
