/* backend.h - backend choice and the CPU strategies (backend layer).  The
 * CUDA launchers are backend_cuda.h. */
#ifndef LIHOP_BACKEND_H
#define LIHOP_BACKEND_H

#include <stdint.h>
#include "config.h"
#include "status.h"
#include "voxel_walk.h"

/* Resolve AUTO; CUDA requested without a device is LIHOP_ERR_NO_GPU. */
lihop_status lihop_backend_resolve(lihop_backend_kind want, lihop_backend_kind *got, lihop_err *err);

/* Walk walkers [first, first+count) of p with the CPU backend (OpenMP). */
void lihop_voxel_walk_cpu(const lihop_voxel_params *p, uint64_t first, uint64_t count,
                          lihop_walker_out *out, int threads);

#endif
