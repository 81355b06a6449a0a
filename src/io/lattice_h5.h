/* lattice_h5.h - the hop graph as HDF5 (io layer, lattice_h5.c). */
#ifndef LIHOP_LATTICE_H5_H
#define LIHOP_LATTICE_H5_H

#include "lattice.h"
#include "provenance.h"

/* The graph as HDF5 (/lattice/positions_m, sublattice, hop_start, hop_nbr, ...)
 * with /metadata (provenance.h; the defaults: this process's command line, no
 * lattice path or text). */
lihop_status lihop_lattice_write_h5(const lihop_lattice *lat, const char *path, lihop_err *err);
/* The same with the provenance given (prov->input_path: the lattice file; NULL prov: defaults). */
lihop_status lihop_lattice_write_h5_prov(const lihop_lattice *lat, const char *path, const lihop_provenance *prov,
                                         lihop_err *err);

#endif
