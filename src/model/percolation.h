/* percolation.h - connected components of the phases and interface networks of
 * a periodic voxel microstructure, and whether each wraps around the box
 * (model layer, percolation.c).
 *
 * Clusters are 6-connected on the periodic box.  A cluster "spans" axis a when
 * it connects to its own periodic image displaced along a: on a periodic box
 * this is what lets a current flow along a (every cluster touches the faces of
 * a small box, so touching both faces means nothing here).  Found by labelling
 * the open box, then joining the clusters across the periodic faces with a
 * union-find that keeps each cluster's image offset: a cycle whose net offset
 * has a non-zero a component wraps along a. */
#ifndef LIHOP_PERCOLATION_H
#define LIHOP_PERCOLATION_H

#include <stddef.h>
#include <stdint.h>
#include "micro.h"

/* One voxel set (a phase, or an interface network): its clusters. */
typedef struct {
    int spans[3];               /* 1: some cluster wraps around the box along x, y, z */
    int64_t nvoxels;            /* voxels in the set */
    int64_t nclusters;          /* 6-connected clusters on the periodic box */
    int64_t largest;            /* voxels of the largest cluster */
    double largest_fraction;    /* largest / nvoxels (0 for an empty set) */
} lihop_cluster_stats;

#define LIHOP_PERC_MAX_PAIRS (LIHOP_MAX_PHASES * (LIHOP_MAX_PHASES - 1) / 2)

/* Every phase, and the interface network of every pair of phases that share
 * at least one voxel face. */
typedef struct {
    int nphases;
    lihop_cluster_stats phase[LIHOP_MAX_PHASES];
    int npairs;
    int pair[LIHOP_PERC_MAX_PAIRS][2];          /* phase ids a < b */
    lihop_cluster_stats interface[LIHOP_PERC_MAX_PAIRS];
} lihop_percolation;

/* Clusters of the voxels with in[i] != 0 on a periodic n[0] x n[1] x n[2] box
 * (index x + n0*(y + n1*z)).  label, when not NULL, receives each voxel's
 * cluster id (0..nclusters-1, ordered by first voxel) or -1 outside the set. */
lihop_status lihop_percolation_label(const int n[3], const uint8_t *in, lihop_cluster_stats *out, int32_t *label,
                                     lihop_err *err);
/* Clusters of phase p. */
lihop_status lihop_percolation_phase(const lihop_micro *m, int p, lihop_cluster_stats *out, lihop_err *err);
/* Clusters of the interface network of phases a and b: the voxels of a with a
 * face neighbour of b, together with the voxels of b next to a. */
lihop_status lihop_percolation_interface(const lihop_micro *m, int a, int b, lihop_cluster_stats *out,
                                         lihop_err *err);
/* Every phase (0..m->nphases-1) and every touching pair. */
lihop_status lihop_percolation_analyse(const lihop_micro *m, lihop_percolation *out, lihop_err *err);

/* "peo xyz, llzo -, llzo|peo interface xyz": the axes each phase and interface
 * network wraps along ("-": none) into buf (truncated to len); names[p] names
 * phase p. */
void lihop_percolation_format(const lihop_percolation *pc, const char *const *names, char *buf, size_t len);

#endif
