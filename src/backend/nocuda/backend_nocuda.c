/* backend_nocuda.c - the CUDA entry points of a build without nvcc: every call
 * reports that this binary has no GPU backend (exit code 4 at the CLI). */
#include <stdio.h>
#include "backend_cuda.h"

int lihop_cuda_device_count(void) { return 0; }

void lihop_cuda_device_name(char *buf, size_t len)
{
    snprintf(buf, len, "none (built without CUDA)");
}

lihop_status lihop_cuda_select_device(int ordinal, lihop_err *err)
{
    return lihop_fail(err, LIHOP_ERR_NO_GPU, "cannot select CUDA device %d: this lihop was built without CUDA",
                      ordinal);
}

lihop_status lihop_cuda_grid_create(const uint8_t *phase, const uint32_t *phase_voxels, int64_t nvox,
                                    lihop_cuda_grid **out, lihop_err *err)
{
    (void)phase; (void)phase_voxels; (void)nvox;
    *out = NULL;
    return lihop_fail(err, LIHOP_ERR_NO_GPU, "this lihop was built without CUDA (configure with nvcc on PATH)");
}

void lihop_cuda_grid_destroy(lihop_cuda_grid *g) { (void)g; }

lihop_status lihop_cuda_grid_set_layers(lihop_cuda_grid *g, const double *vfac, const double *start_cum,
                                        lihop_err *err)
{
    (void)g; (void)vfac; (void)start_cum;
    return lihop_fail(err, LIHOP_ERR_NO_GPU, "this lihop was built without CUDA");
}

lihop_status lihop_cuda_voxel_walk(const lihop_voxel_params *p, const lihop_cuda_grid *g, uint64_t first,
                                   uint64_t nwalkers, lihop_walker_out *out, lihop_err *err)
{
    (void)p; (void)g; (void)first; (void)nwalkers; (void)out;
    return lihop_fail(err, LIHOP_ERR_NO_GPU, "this lihop was built without CUDA (configure with nvcc on PATH)");
}

lihop_status lihop_cuda_philox_blocks(const uint64_t *seed, const uint64_t *subsequence,
                                      const uint64_t *draw, size_t n, lihop_u32x4 *out,
                                      lihop_err *err)
{
    (void)seed; (void)subsequence; (void)draw; (void)n; (void)out;
    return lihop_fail(err, LIHOP_ERR_NO_GPU, "this lihop was built without CUDA (configure with nvcc on PATH)");
}

lihop_status lihop_cuda_garnet_run_replicas(const lihop_garnet_job *job, int64_t first, int64_t count,
                                            lihop_cuda_garnet_mode mode, lihop_garnet_replica *out,
                                            lihop_err *err)
{
    (void)job; (void)first; (void)count; (void)mode; (void)out;
    return lihop_fail(err, LIHOP_ERR_NO_GPU, "this lihop was built without CUDA (configure with nvcc on PATH)");
}
