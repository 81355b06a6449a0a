/* voxel.h - a voxel sweep point (diag layer, voxel_run.c): walkers in chunks
 * over a backend, reduced into per-batch sums, and the observables with batch
 * error bars.  The model is voxel_model.h, the backends backend.h. */
#ifndef LIHOP_VOXEL_H
#define LIHOP_VOXEL_H

#include <signal.h>
#include "backend.h"
#include "results.h"
#include "voxel_model.h"


/* Optional per-walker record of a species (for tests and reproducibility checks). */
typedef struct {
    int32_t *final_disp;                 /* [walkers][3] voxels at t_end, or NULL */
    uint64_t *hops;                      /* [walkers], or NULL */
} lihop_walker_capture;

typedef struct {
    lihop_backend_kind backend;          /* AUTO resolves to CUDA when a device exists */
    int threads;                         /* OpenMP threads for the CPU backend, 0: default */
    volatile sig_atomic_t *interrupt;    /* set non-zero to stop between chunks, or NULL */
    void (*progress)(void *ctx, double fraction);
    void *progress_ctx;
    lihop_walker_capture capture[LIHOP_MAX_SPECIES];
} lihop_voxel_options;

/* Run sweep point `index` at temperature T: every species, every walker. */
lihop_status lihop_voxel_run_point(const lihop_config *cfg, const lihop_micro *m, int index, double T,
                                   const lihop_voxel_options *opt, lihop_point_result *res, lihop_err *err);

#endif
