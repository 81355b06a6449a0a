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
#include "garnet_replica.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of usable CUDA devices (0 when none or not built). */
int lihop_cuda_device_count(void);
/* Name of device 0, or a reason why there is none. */
void lihop_cuda_device_name(char *buf, size_t len);
/* Make device `ordinal` (0 .. lihop_cuda_device_count() - 1) this process's
 * device for every later CUDA call (one GPU per MPI rank).  LIHOP_ERR_NO_GPU
 * when it cannot be selected or the binary has no CUDA. */
lihop_status lihop_cuda_select_device(int ordinal, lihop_err *err);

/* The device copy of a sweep point's phase grid (phase: nvox bytes,
 * phase_voxels: nvox voxel ids grouped by phase), made once per point and
 * shared by its species and walker chunks; destroy accepts NULL. */
typedef struct lihop_cuda_grid lihop_cuda_grid;
lihop_status lihop_cuda_grid_create(const uint8_t *phase, const uint32_t *phase_voxels, int64_t nvox,
                                    lihop_cuda_grid **out, lihop_err *err);
void lihop_cuda_grid_destroy(lihop_cuda_grid *g);
/* Space-charge layers of one species (voxel_walk.h vfac, start_cum: nvox
 * doubles each) copied to the grid; the walk uses them when p->vfac is set. */
lihop_status lihop_cuda_grid_set_layers(lihop_cuda_grid *g, const double *vfac, const double *start_cum,
                                        lihop_err *err);

/* Run walkers [first, first + nwalkers) of p on the GPU over grid g (p's own
 * phase pointers are ignored); out: host array of nwalkers records. */
lihop_status lihop_cuda_voxel_walk(const lihop_voxel_params *p, const lihop_cuda_grid *g, uint64_t first,
                                   uint64_t nwalkers, lihop_walker_out *out, lihop_err *err);

/* Known-answer / stream check: for each i, out[i] = curand4 draw `draw[i]` of
 * (seed[i], subsequence[i]) computed inside a kernel over many blocks. */
lihop_status lihop_cuda_philox_blocks(const uint64_t *seed, const uint64_t *subsequence,
                                      const uint64_t *draw, size_t n, lihop_u32x4 *out,
                                      lihop_err *err);

/* How the garnet kernel maps replicas onto the GPU.
 *   SHARED: one warp per replica; lane 0 runs the event loop with the hot state
 *           (sum tree, occupancies, displacements) in shared memory, the warp
 *           splits the post-processing by lags.  Needs the hot part to fit.
 *   GLOBAL: one thread per replica, all working memory in global memory.
 *   AUTO:   SHARED when the hot part fits in a block's shared memory, else GLOBAL.
 * Every mode runs garnet_replica.h and writes the same bits as the CPU. */
typedef enum {
    LIHOP_CUDA_GARNET_AUTO = 0,
    LIHOP_CUDA_GARNET_SHARED = 1,
    LIHOP_CUDA_GARNET_GLOBAL = 2
} lihop_cuda_garnet_mode;

/* Run replicas [first, first + count) of job on the GPU (device 0); out: host
 * array of count records, out[k] is replica first + k.  job's model arrays are
 * host arrays (lihop_garnet_job_get); they are copied to the device for the
 * call.  A replica whose Li could not be placed has out[k].status == -1. */
lihop_status lihop_cuda_garnet_run_replicas(const lihop_garnet_job *job, int64_t first, int64_t count,
                                            lihop_cuda_garnet_mode mode, lihop_garnet_replica *out,
                                            lihop_err *err);

#ifdef __cplusplus
}
#endif

#endif
