// voxel.cu - the CUDA backend of the voxel walk: one thread per walker, each
// calling the same lihop_voxel_walk() as the CPU (src/model/voxel_walk.h).  The
// random stream of walker w is cuRAND Philox4_32_10 with
// curand_init(seed, stream << 32 | w, 0): the host's Random123 stream, block by block.
#include <cuda_runtime.h>
#include <stdio.h>
#include <string.h>
#include <curand_kernel.h>
#include "backend_cuda.h"

#include "cuda_check.cuh"

__global__ void voxel_walk_kernel(const lihop_voxel_params *p, uint64_t first, uint64_t count,
                                  lihop_walker_out *out);

// Devices this binary can run on: a GPU older than the compiled architectures
// (sm_80, sm_90 + PTX by default) has no kernel image, and `backend: auto`
// must then fall back to the CPU instead of failing.
extern "C" int lihop_cuda_device_count(void)
{
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess || n == 0) {
        cudaGetLastError();   // clear the sticky "no device" error
        return 0;
    }
    cudaFuncAttributes attr;
    if (cudaFuncGetAttributes(&attr, voxel_walk_kernel) != cudaSuccess) {
        cudaGetLastError();
        return 0;
    }
    return n;
}

extern "C" void lihop_cuda_device_name(char *buf, size_t len)
{
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess || n == 0) {
        /* Without a GPU the runtime says "CUDA driver version is insufficient"
         * (no driver at all reads as driver version 0): say what is meant. */
        int drv = 0, rt = 0;
        cudaDriverGetVersion(&drv);
        cudaRuntimeGetVersion(&rt);
        if (e == cudaSuccess || e == cudaErrorNoDevice || drv == 0)
            snprintf(buf, len, "none (CUDA: built, no device)");
        else if (e == cudaErrorInsufficientDriver)
            snprintf(buf, len, "none (CUDA: built for runtime %d.%d, driver supports %d.%d)", rt / 1000, rt % 1000 / 10,
                     drv / 1000, drv % 1000 / 10);
        else
            snprintf(buf, len, "none (CUDA: built, no usable device: %s)", cudaGetErrorString(e));
        cudaGetLastError();
        return;
    }
    cudaDeviceProp prop;
    if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) {
        snprintf(buf, len, "device 0 (properties unavailable)");
        return;
    }
    snprintf(buf, len, "%s (sm_%d%d, %.1f GiB)", prop.name, prop.major, prop.minor,
             (double)prop.totalGlobalMem / (1024.0 * 1024.0 * 1024.0));
}

extern "C" lihop_status lihop_cuda_select_device(int ordinal, lihop_err *err)
{
    cudaError_t e = cudaSetDevice(ordinal);
    if (e != cudaSuccess) {
        cudaGetLastError();
        return lihop_fail(err, LIHOP_ERR_NO_GPU, "cannot select CUDA device %d: %s", ordinal, cudaGetErrorString(e));
    }
    return LIHOP_OK;
}

__global__ void voxel_walk_kernel(const lihop_voxel_params *p, uint64_t first, uint64_t count,
                                  lihop_walker_out *out)
{
    uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= count) return;
    // The stream depends on the walker id (first + i), never on the thread or block.
    lihop_voxel_walk(p, first + i, &out[i]);
}

// The device copy of a point's grid, made once per point and freed with it.
struct lihop_cuda_grid {
    int64_t nvox;
    uint8_t *d_phase;
    uint32_t *d_voxels;
    double *d_vfac, *d_start_cum;   // space-charge layers of the current species, or NULL
};

extern "C" void lihop_cuda_grid_destroy(lihop_cuda_grid *g)
{
    if (!g) return;
    cudaFree(g->d_phase);
    cudaFree(g->d_voxels);
    cudaFree(g->d_vfac);
    cudaFree(g->d_start_cum);
    free(g);
}

extern "C" lihop_status lihop_cuda_grid_set_layers(lihop_cuda_grid *g, const double *vfac, const double *start_cum,
                                                   lihop_err *err)
{
    lihop_status st = LIHOP_OK;
    size_t bytes = (size_t)g->nvox * sizeof(double);
    if (!g->d_vfac) CUDA_TRY(cudaMalloc((void **)&g->d_vfac, bytes), "cudaMalloc(space-charge factors)");
    if (!g->d_start_cum) CUDA_TRY(cudaMalloc((void **)&g->d_start_cum, bytes), "cudaMalloc(start weights)");
    CUDA_TRY(cudaMemcpy(g->d_vfac, vfac, bytes, cudaMemcpyHostToDevice), "copy of the space-charge factors");
    CUDA_TRY(cudaMemcpy(g->d_start_cum, start_cum, bytes, cudaMemcpyHostToDevice), "copy of the start weights");
done:
    return st;
}

extern "C" lihop_status lihop_cuda_grid_create(const uint8_t *phase, const uint32_t *phase_voxels, int64_t nvox,
                                               lihop_cuda_grid **out, lihop_err *err)
{
    lihop_status st = LIHOP_OK;
    lihop_cuda_grid *g = (lihop_cuda_grid *)calloc(1, sizeof *g);
    *out = NULL;
    if (!g) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    g->nvox = nvox;
    CUDA_TRY(cudaMalloc((void **)&g->d_phase, (size_t)nvox), "cudaMalloc(phase grid)");
    CUDA_TRY(cudaMalloc((void **)&g->d_voxels, (size_t)nvox * sizeof(uint32_t)), "cudaMalloc(phase voxel list)");
    CUDA_TRY(cudaMemcpy(g->d_phase, phase, (size_t)nvox, cudaMemcpyHostToDevice), "copy of the phase grid");
    CUDA_TRY(cudaMemcpy(g->d_voxels, phase_voxels, (size_t)nvox * sizeof(uint32_t), cudaMemcpyHostToDevice),
             "copy of the phase voxel list");
done:
    if (st) lihop_cuda_grid_destroy(g);
    else *out = g;
    return st;
}

extern "C" lihop_status lihop_cuda_voxel_walk(const lihop_voxel_params *p, const lihop_cuda_grid *g, uint64_t first,
                                              uint64_t nwalkers, lihop_walker_out *out, lihop_err *err)
{
    lihop_status st = LIHOP_OK;
    lihop_voxel_params *d_p = NULL;
    lihop_walker_out *d_out = NULL;
    lihop_voxel_params dev = *p;
    dev.phase = g->d_phase;
    dev.phase_voxels = g->d_voxels;
    dev.vfac = p->vfac ? g->d_vfac : NULL;
    dev.start_cum = p->start_cum ? g->d_start_cum : NULL;
    CUDA_TRY(cudaMalloc((void **)&d_p, sizeof dev), "cudaMalloc(params)");
    CUDA_TRY(cudaMemcpy(d_p, &dev, sizeof dev, cudaMemcpyHostToDevice), "copy of the params");
    CUDA_TRY(cudaMalloc((void **)&d_out, (size_t)nwalkers * sizeof(lihop_walker_out)), "cudaMalloc(walker records)");
    {
        const int block = 128;
        unsigned grid = (unsigned)((nwalkers + block - 1) / block);
        voxel_walk_kernel<<<grid, block>>>(d_p, first, nwalkers, d_out);
        CUDA_TRY(cudaGetLastError(), "launch of voxel_walk_kernel");
        CUDA_TRY(cudaDeviceSynchronize(), "voxel_walk_kernel");
    }
    CUDA_TRY(cudaMemcpy(out, d_out, (size_t)nwalkers * sizeof(lihop_walker_out), cudaMemcpyDeviceToHost),
             "copy of the walker records");
done:
    cudaFree(d_p);
    cudaFree(d_out);
    return st;
}

__global__ void philox_kernel(const uint64_t *seed, const uint64_t *sub, const uint64_t *draw, size_t n,
                              lihop_u32x4 *out)
{
    size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    curandStatePhilox4_32_10_t st;
    curand_init((unsigned long long)seed[i], (unsigned long long)sub[i], 4ull * draw[i], &st);
    uint4 r = curand4(&st);
    out[i].v[0] = r.x; out[i].v[1] = r.y; out[i].v[2] = r.z; out[i].v[3] = r.w;
}

extern "C" lihop_status lihop_cuda_philox_blocks(const uint64_t *seed, const uint64_t *subsequence,
                                                 const uint64_t *draw, size_t n, lihop_u32x4 *out,
                                                 lihop_err *err)
{
    lihop_status st = LIHOP_OK;
    uint64_t *d_in = NULL;
    lihop_u32x4 *d_out = NULL;
    CUDA_TRY(cudaMalloc((void **)&d_in, 3 * n * sizeof(uint64_t)), "cudaMalloc(philox inputs)");
    CUDA_TRY(cudaMalloc((void **)&d_out, n * sizeof(lihop_u32x4)), "cudaMalloc(philox outputs)");
    CUDA_TRY(cudaMemcpy(d_in, seed, n * sizeof(uint64_t), cudaMemcpyHostToDevice), "copy");
    CUDA_TRY(cudaMemcpy(d_in + n, subsequence, n * sizeof(uint64_t), cudaMemcpyHostToDevice), "copy");
    CUDA_TRY(cudaMemcpy(d_in + 2 * n, draw, n * sizeof(uint64_t), cudaMemcpyHostToDevice), "copy");
    {
        const int block = 64;   // small blocks: the check spans many blocks
        philox_kernel<<<(unsigned)((n + block - 1) / block), block>>>(d_in, d_in + n, d_in + 2 * n, n, d_out);
        CUDA_TRY(cudaGetLastError(), "launch of philox_kernel");
        CUDA_TRY(cudaDeviceSynchronize(), "philox_kernel");
    }
    CUDA_TRY(cudaMemcpy(out, d_out, n * sizeof(lihop_u32x4), cudaMemcpyDeviceToHost), "copy of philox outputs");
done:
    cudaFree(d_in);
    cudaFree(d_out);
    return st;
}
