/* garnet_replay.h - one replica of a finished garnet point walked again (diag
 * layer, garnet_replay.c), for trajectories of its Li ions (`lihop export h5md`).
 *
 * Replica r of a point is a pure function of (deck, point coordinates, seed,
 * r): Philox subsequence (stream << 32 | r), block k < nsites the placement,
 * block nsites + n event n.  The replay builds the point's main run as
 * garnet_point.c does (lattice, regions, parameters, the pilot's run time) and
 * runs the same lihop_garnet_replica_events on the CPU with its own time grid
 * of nframes - 1 <= LIHOP_GARNET_MAX_SAMPLES intervals (the replica records
 * its displacements only on its grid, and the event loop is not touched). */
#ifndef LIHOP_GARNET_REPLAY_H
#define LIHOP_GARNET_REPLAY_H

#include "garnet_point.h"

typedef struct {
    int64_t nli, replica;
    int nframes;              /* frame k at time_s[k] = t_end k / (nframes - 1) */
    double t_end_s;           /* the main run's production time (from the pilot) */
    double box_A[3];          /* orthorhombic supercell edges */
    double *time_s;           /* [nframes] */
    double *pos_A;            /* [nframes][nli][3] unwrapped Cartesian positions, angstrom */
    uint64_t hops, equil_events;
} lihop_garnet_traj;

void lihop_garnet_traj_free(lihop_garnet_traj *t);   /* frees the arrays, not t */

/* Li ions of replica `replica` of the main run of the point `view` (a config
 * view of one garnet sweep point), on 2 <= nframes <= LIHOP_GARNET_MAX_SAMPLES + 1
 * frames from 0 to t_end.  LIHOP_ERR_INPUT: replica out of range, too many
 * frames, a supercell that is not orthorhombic, Li that cannot be placed. */
lihop_status lihop_garnet_replay(const lihop_config *view, int64_t replica, int nframes, lihop_garnet_traj *out,
                                 lihop_err *err);

/* Every replica of the main run replayed as the run ran them (threads: OpenMP,
 * 0 default): their production hops in *hops, to compare with the stored total. */
lihop_status lihop_garnet_replay_hops(const lihop_config *view, int threads, uint64_t *hops, lihop_err *err);

#endif
