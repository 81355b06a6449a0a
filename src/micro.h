/* micro.h - voxel microstructures: a periodic grid of phase ids. */
#ifndef LIHOP_MICRO_H
#define LIHOP_MICRO_H

#include <stdint.h>
#include "config.h"

typedef struct {
    int n[3];               /* voxels along x, y, z */
    double voxel_m;         /* voxel edge, m */
    int nphases;
    uint8_t *phase;         /* phase id per voxel, index x + n[0]*(y + n[1]*z) */
} lihop_micro;

/* Build the microstructure described by cfg (generator, seed).  `config_dir` is
 * the folder relative paths (hdf5 generator) are resolved against. */
lihop_status lihop_micro_build(const lihop_micro_cfg *cfg, int nphases, const char *config_dir,
                               lihop_micro **out, lihop_err *err);
/* Empty grid (all phase 0) of the given size. */
lihop_status lihop_micro_create(const int n[3], double voxel_m, int nphases,
                                lihop_micro **out, lihop_err *err);
void lihop_micro_destroy(lihop_micro *m);

static inline int64_t lihop_micro_nvox(const lihop_micro *m)
{
    return (int64_t)m->n[0] * m->n[1] * m->n[2];
}

/* Volume fraction of each phase (frac[p], p < nphases). */
void lihop_micro_fractions(const lihop_micro *m, double frac[LIHOP_MAX_PHASES]);

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
/* Write the phase grid as an HDF5 dataset (z, y, x order, uint8) with an XDMF
 * sidecar `<path>.xdmf` so ParaView opens it (micro_h5.c). */
lihop_status lihop_micro_write_h5(const lihop_micro *m, const char *path, const char *dataset,
                                  const char *const *phase_names, lihop_err *err);

#endif
