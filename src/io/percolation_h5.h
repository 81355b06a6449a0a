/* percolation_h5.h - the percolation analysis of a microstructure as an HDF5
 * group (io layer, percolation_h5.c; not API).  Include <hdf5.h> first.
 * Written where the phase grid is: /microstructure/percolation in results
 * files, /percolation in `lihop micro` files. */
#ifndef LIHOP_PERCOLATION_H5_H
#define LIHOP_PERCOLATION_H5_H

#include "h5util.h"
#include "percolation.h"

/* Analyse m (percolation.h) and write group `name` under loc (locname: loc's
 * path, "/" for the file):
 *   phase_spans                         [nphases][3] int32: 1 when the phase wraps along x, y, z
 *   phase_nclusters                     [nphases] int64
 *   phase_largest_cluster_fraction      [nphases] float64: largest cluster / voxels of the phase
 *   interface_pairs                     [npairs][2] int32: phase ids a < b of each pair that touches
 *   interface_spans                     [npairs][3] int32 (the a|b interface voxel network)
 *   interface_nclusters                 [npairs] int64
 *   interface_largest_cluster_fraction  [npairs] float64
 * attributes `definition` (string) and `phase_names` (when given).
 * 0, or -1 with the failure in c. */
int lihop_h5i_write_percolation(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name,
                                const lihop_micro *m, const char *const *phase_names);

#endif
