/* lattice_h5.h - the hop graph as HDF5 (io layer, lattice_h5.c). */
#ifndef LIHOP_LATTICE_H5_H
#define LIHOP_LATTICE_H5_H

#include "lattice.h"

/* The graph as HDF5 (/lattice/positions_A, sublattice, hop_start, hop_nbr, ...). */
lihop_status lihop_lattice_write_h5(const lihop_lattice *lat, const char *path, lihop_err *err);

#endif
