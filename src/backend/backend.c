/* backend.c - backend choice and the voxel walkers on the CPU (backend.h). */
#include <omp.h>
#include "backend.h"
#include "backend_cuda.h"

lihop_status lihop_backend_resolve(lihop_backend_kind want, lihop_backend_kind *got, lihop_err *err)
{
    if (want == LIHOP_BACKEND_CPU) {
        *got = LIHOP_BACKEND_CPU;
        return LIHOP_OK;
    }
    int ndev = lihop_cuda_device_count();
    if (ndev > 0) {
        *got = LIHOP_BACKEND_CUDA;
        return LIHOP_OK;
    }
    if (want == LIHOP_BACKEND_CUDA) {
        char why[256];
        lihop_cuda_device_name(why, sizeof why);
        return lihop_fail(err, LIHOP_ERR_NO_GPU, "backend cuda requested but no CUDA device is usable: %s", why);
    }
    *got = LIHOP_BACKEND_CPU;
    return LIHOP_OK;
}

void lihop_voxel_walk_cpu(const lihop_voxel_params *p, uint64_t first, uint64_t count,
                          lihop_walker_out *out, int threads)
{
    int nt = threads > 0 ? threads : omp_get_max_threads();
    /* dynamic schedule: walkers in fast phases take more hops than others */
#pragma omp parallel for schedule(dynamic, 64) num_threads(nt)
    for (int64_t i = 0; i < (int64_t)count; ++i) lihop_voxel_walk(p, first + (uint64_t)i, &out[i]);
}
