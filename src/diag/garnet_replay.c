/* garnet_replay.c - one replica of a finished garnet point walked again (garnet_replay.h). */
#include "garnet_replay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "garnet_impl.h"
#include "garnet_replica.h"
#include "garnet_run.h"

void lihop_garnet_traj_free(lihop_garnet_traj *t)
{
    if (!t) return;
    free(t->time_s);
    free(t->pos_A);
    t->time_s = NULL;
    t->pos_A = NULL;
}

/* The main run of the point as garnet_point.c run_one builds it. */
static lihop_status build_main(const lihop_config *view, lihop_lattice **lat, lihop_garnet **g, lihop_err *err)
{
    lihop_garnet_regions *reg = NULL;
    lihop_garnet_params p;
    int it, ix;
    lihop_garnet_point_axes(view, 0, &it, &ix);
    lihop_status st = lihop_garnet_setup_lattice(view, 1, lat, err);
    if (!st && view->garnet.has_bicrystal) st = lihop_garnet_regions_build(view, *lat, view->temperature_K[it], &reg, err);
    if (!st) st = lihop_garnet_params_fill(view, *lat, reg, 0, LIHOP_GROLE_MAIN, &p, err);
    if (!st) st = lihop_garnet_create(*lat, &p, g, err);
    lihop_garnet_regions_destroy(reg);
    return st;
}

/* Orthorhombic supercell edges, or an error (H5MD edges as a vector need one). */
static lihop_status box_edges(const lihop_lattice *lat, double box[3], lihop_err *err)
{
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            if (i != j && lat->cell_A[i][j] != 0.0)
                return lihop_fail(err, LIHOP_ERR_INPUT, "the supercell is not orthorhombic (cell vector %d has a "
                                  "component %g A along axis %d): no H5MD box edges", i, lat->cell_A[i][j], j);
    for (int i = 0; i < 3; ++i) box[i] = lat->cell_A[i][i];
    return LIHOP_OK;
}

/* Frame k of ion i: its site at the start of production plus its displacement. */
static void fill_positions(const lihop_lattice *lat, const lihop_garnet_work *w, lihop_garnet_traj *t)
{
    size_t nli = (size_t)t->nli;
    for (size_t i = 0; i < nli; ++i) {
        const double *end = lat->pos_A + 3 * (size_t)w->site_of[i];
        for (int ax = 0; ax < 3; ++ax) {
            double start = end[ax] - w->dr[3 * i + ax];          /* dr: unwrapped, exact sums of hop vectors */
            for (int k = 0; k < t->nframes; ++k)
                t->pos_A[((size_t)k * nli + i) * 3 + ax] = start + w->snap[((size_t)k * nli + i) * 3 + ax];
        }
    }
}

static lihop_status replay_replica(const lihop_lattice *lat, lihop_garnet *g, lihop_garnet_traj *t, lihop_err *err)
{
    lihop_garnet_job J;
    lihop_status st = lihop_garnet_job_get(g, &J, err);
    if (st) return st;
    if (t->replica < 0 || t->replica >= lihop_garnet_params_get(g)->nreplicas)
        return lihop_fail(err, LIHOP_ERR_INPUT, "replica %lld out of range 0..%lld", (long long)t->replica,
                          (long long)lihop_garnet_params_get(g)->nreplicas - 1);
    J.nsamples = t->nframes - 1;
    t->nli = J.nli;
    t->t_end_s = J.t_end;
    t->time_s = malloc((size_t)t->nframes * sizeof *t->time_s);
    t->pos_A = malloc((size_t)t->nframes * (size_t)J.nli * 3 * sizeof *t->pos_A);
    lihop_garnet_work w;
    void *buf = t->time_s && t->pos_A ? lihop_garnet_work_alloc(&J, &w) : NULL;
    if (!buf) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the replay of replica %lld",
                                (long long)t->replica);
    lihop_garnet_replica rec;
    if (lihop_garnet_replica_events(&J, &w, t->replica, &rec) != 0)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "replica %lld: cannot place %lld Li under the exclusion rules",
                        (long long)t->replica, (long long)J.nli);
    if (!st) {
        for (int k = 0; k < t->nframes; ++k)   /* the replica's grid (garnet_replica.h tsamp) */
            t->time_s[k] = k == t->nframes - 1 ? J.t_end : J.t_end * ((double)k / (double)J.nsamples);
        fill_positions(lat, &w, t);
        t->hops = rec.hops;
        t->equil_events = rec.equil_events;
    }
    free(buf);
    return st;
}

lihop_status lihop_garnet_replay(const lihop_config *view, int64_t replica, int nframes, lihop_garnet_traj *out,
                                 lihop_err *err)
{
    memset(out, 0, sizeof *out);
    out->replica = replica;
    out->nframes = nframes;
    if (nframes < 2 || nframes > LIHOP_GARNET_MAX_SAMPLES + 1)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: --frames must be 2..%d (the replica records at most %d "
                          "times), got %d", LIHOP_GARNET_MAX_SAMPLES + 1, LIHOP_GARNET_MAX_SAMPLES, nframes);
    lihop_lattice *lat = NULL;
    lihop_garnet *g = NULL;
    lihop_status st = build_main(view, &lat, &g, err);
    if (!st) st = box_edges(lat, out->box_A, err);
    if (!st) st = replay_replica(lat, g, out, err);
    if (st) lihop_garnet_traj_free(out);
    lihop_garnet_destroy(g);
    lihop_lattice_destroy(lat);
    return st;
}

lihop_status lihop_garnet_replay_hops(const lihop_config *view, int threads, uint64_t *hops, lihop_err *err)
{
    *hops = 0;
    lihop_lattice *lat = NULL;
    lihop_garnet *g = NULL;
    lihop_garnet_replica *rec = NULL;
    lihop_status st = build_main(view, &lat, &g, err);
    int64_t n = st ? 0 : lihop_garnet_params_get(g)->nreplicas;
    if (!st && !(rec = malloc((size_t)n * sizeof *rec)))
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %lld replica records", (long long)n);
    if (!st) st = lihop_garnet_run_replicas(g, 0, n, threads, rec, err);
    for (int64_t r = 0; !st && r < n; ++r) *hops += rec[r].hops;
    free(rec);
    lihop_garnet_destroy(g);
    lihop_lattice_destroy(lat);
    return st;
}
