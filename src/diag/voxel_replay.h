/* voxel_replay.h - walkers of a finished voxel point walked again (diag layer,
 * voxel_replay.c), for trajectories (`lihop export h5md`).
 *
 * Results files do not store positions, but walker w of species s at a point
 * is a pure function of (deck, point coordinates, seed, s, w): its draws come
 * from Philox subsequence (stream << 32 | w), draw n is hop n.  So the replay
 * sets the point up exactly as voxel_run.c does (same rates, stream, time
 * x 2^extensions) and calls the same lihop_voxel_walk on the CPU, with its own
 * time grid: the walkers it records are the run's walkers, hop for hop.  The
 * normal run's loop is not touched (nothing to pay there): the walk records at
 * most LIHOP_MAX_SAMPLES times, so a grid of more frames is walked in windows
 * of that many frames, each window a fresh walk up to its last frame (the same
 * hops again: draw n is hop n whatever t_end is). */
#ifndef LIHOP_VOXEL_REPLAY_H
#define LIHOP_VOXEL_REPLAY_H

#include "voxel.h"

/* The replayed trajectories of walkers 0 .. nwalkers-1 of one species. */
typedef struct {
    uint64_t nwalkers;
    int nframes;              /* frame k at time_s[k] = k t_end / (nframes - 1) */
    int32_t n[3];             /* grid, voxels */
    double voxel_m;           /* voxel edge h, m */
    double t_end_s;           /* the point's run time of this species (extensions included) */
    double *time_s;           /* [nframes] */
    int32_t *pos;             /* [nframes][nwalkers][3] unwrapped voxel coordinates: start voxel + displacement */
    int32_t max_step[3];      /* largest |move| of a walker between consecutive frames, per axis, voxels */
    uint64_t hops, truncated; /* of the replayed walkers up to t_end */
} lihop_voxel_traj;

void lihop_voxel_traj_free(lihop_voxel_traj *t);   /* frees the arrays, not t; NULL is fine */

/* Walkers 0 .. nwalkers-1 of species s at the point `view` (a config view of
 * one sweep point, sweep.h) on microstructure m, run time x 2^extensions,
 * sampled at nframes >= 2 evenly spaced times from 0 to t_end.  threads: OpenMP
 * threads (0: default); results do not depend on it.  LIHOP_ERR_INPUT when the
 * species moves nowhere in m, LIHOP_ERR_NOMEM when the arrays do not fit. */
lihop_status lihop_voxel_replay(const lihop_config *view, const lihop_micro *m, int s, int extensions,
                                uint64_t nwalkers, int nframes, int threads, lihop_voxel_traj *out, lihop_err *err);

/* Every walker of species s replayed on the run's own time grid and reduced by
 * the run's statistics (voxel_stats.h): out gets what the run stored for s
 * (D, its errors, MSD, hops), bit for bit when the replay reproduces the run.
 * out->batch_D_m2_s is allocated here (free it). */
lihop_status lihop_voxel_replay_observe(const lihop_config *view, const lihop_micro *m, int s, int extensions,
                                        int threads, lihop_species_result *out, lihop_err *err);

#endif
