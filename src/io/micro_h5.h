/* micro_h5.h - microstructures in HDF5 files (io layer, micro_h5.c): label
 * datasets in, phase grids out (with an XDMF sidecar), and the loader that
 * serves every generator, the hdf5 one included. */
#ifndef LIHOP_MICRO_H5_H
#define LIHOP_MICRO_H5_H

#include "micro.h"
#include "provenance.h"

/* The microstructure of cfg: lihop_micro_build for the generators, the label
 * file (path relative to config_dir unless absolute) for hdf5. */
lihop_status lihop_micro_load(const lihop_micro_cfg *cfg, int nphases, const char *config_dir, lihop_micro **out,
                              lihop_err *err);

/* Integer label dataset in an HDF5 file -> phases via a label map (micro_h5.c). */
lihop_status lihop_micro_read_h5(const char *path, const char *dataset, int nlabels,
                                 const int *label_value, const int *label_phase, int nphases,
                                 double voxel_m, lihop_micro **out, lihop_err *err);
/* As lihop_micro_read_h5; when expect_n is not NULL the dataset must be
 * expect_n[0] x [1] x [2] voxels (x y z), checked from its shape before any
 * data is read. */
lihop_status lihop_micro_read_h5_box(const char *path, const char *dataset, const int expect_n[3],
                                     int nlabels, const int *label_value, const int *label_phase,
                                     int nphases, double voxel_m, lihop_micro **out, lihop_err *err);
/* Write the phase grid as an HDF5 dataset (z, y, x order, uint8; attributes
 * voxel_size_m and phase_names), the grain ids as /grain ([z][y][x] int32,
 * -1 outside grains, attribute ngrains) when m->grain is not NULL, and the
 * percolation analysis as group /percolation (percolation_h5.h), with an XDMF
 * sidecar `<path>.xdmf` so ParaView opens it: a 3DCoRectMesh in metres, one
 * Information element per phase ("phase 0" = its name) and one cell Attribute
 * per grid-shaped dataset at the root, and the group /metadata (provenance.h).
 * Both files appear only once complete.  The names grain, percolation and
 * metadata are reserved (micro_h5.c). */
lihop_status lihop_micro_write_h5(const lihop_micro *m, const char *path, const char *dataset,
                                  const char *const *phase_names, lihop_err *err);
/* The same with /metadata from prov (provenance.h: the deck's path and text,
 * the seed); lihop_micro_write_h5 writes /metadata with the defaults (this
 * process's command line, no deck or seed). */
lihop_status lihop_micro_write_h5_prov(const lihop_micro *m, const char *path, const char *dataset,
                                       const char *const *phase_names, const lihop_provenance *prov,
                                       lihop_err *err);
/* Add (or replace) a float64 cell field /<name> ([z][y][x], values indexed
 * like m->phase: x + n0*(y + n1*z)) with attribute unit to a file written by
 * lihop_micro_write_h5 for m, and rewrite its XDMF sidecar so that it lists
 * the new field (phase_dataset: the dataset name given to lihop_micro_write_h5,
 * whose phase_names the sidecar repeats).  For the fields of the voxel model,
 * e.g. the space-charge potential ("potential_V", unit "V") and per-species
 * carrier densities ("concentration_<species>_m3", unit "1/m^3").  The HDF5
 * file is changed in place (not crash-atomic like the first write); the
 * sidecar is replaced atomically. */
lihop_status lihop_micro_write_field(const char *path, const char *phase_dataset, const lihop_micro *m,
                                     const char *name, const double *values, const char *unit, lihop_err *err);

#endif
