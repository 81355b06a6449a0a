/* backend_cuda.h - the CUDA backend's host-callable entry points.
 * Implemented in cuda/ (.cu files) when built with CUDA, else by src/nocuda/backend_nocuda.c
 * (which reports LIHOP_ERR_NO_GPU).  Device buffers are owned by the handles. */
#ifndef LIHOP_BACKEND_CUDA_H
#define LIHOP_BACKEND_CUDA_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"
#include "voxel_walk.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of usable CUDA devices (0 when none or not built). */
int lihop_cuda_device_count(void);
/* Name of device 0, or a reason why there is none. */
void lihop_cuda_device_name(char *buf, size_t len);

/* Run walkers [first, first + nwalkers) of p on the GPU.  p's pointers are host arrays of
 * size nvox (phase) and nvox (phase_voxels); they are copied to the device.
 * out: host array of nwalkers records. */
lihop_status lihop_cuda_voxel_walk(const lihop_voxel_params *p, int64_t nvox, uint64_t first, uint64_t nwalkers,
                                   lihop_walker_out *out, lihop_err *err);

/* Known-answer / stream check: for each i, out[i] = curand4 draw `draw[i]` of
 * (seed[i], subsequence[i]) computed inside a kernel over many blocks. */
lihop_status lihop_cuda_philox_blocks(const uint64_t *seed, const uint64_t *subsequence,
                                      const uint64_t *draw, size_t n, lihop_u32x4 *out,
                                      lihop_err *err);

#ifdef __cplusplus
}
#endif

#endif
