// garnet.cu - the CUDA backend of the garnet lattice gas: a thin launcher around
// the replica loop of src/model/garnet_replica.h, the same LIHOP_HD functions the CPU
// runs, so a replica's record is the same bits on either backend.
//
// Replica r draws from cuRAND Philox4_32_10 with curand_init(seed, (stream << 32) | r, 0)
// and one curand4() per block: the host's Random123 stream (src/core/rng.h).  Nothing
// depends on the block, the thread or the launch shape.
//
// Modes (lihop_cuda_garnet_mode):
//   SHARED: one block of one warp per replica.  The hot working memory (sum
//           tree over links, packed site state, ion <-> site maps, displacements;
//           34 KiB for 2x2x2 LLZO with 384 Li) lives in dynamic shared memory; lane 0 runs the
//           serial exact-BKL event loop; then the warp computes the snapshot
//           centres of mass and the MSD lags in parallel, each lane whole
//           snapshots and whole lags, so every sum runs in the CPU's order.
//           Snapshots and the placement permutation stay in global memory.
//   GLOBAL: one thread per replica, everything in global memory (replicas whose
//           hot part does not fit in shared memory).
// The model arrays (the list in src/model/garnet_arrays.h) are copied to the device
// once per call, in one allocation.
#include <cuda_runtime.h>
#include <stdio.h>
#include <string.h>
#include "backend_cuda.h"
#include "garnet_arrays.h"

#include "cuda_check.cuh"

#define GARNET_WARP 32
#define GARNET_GLOBAL_BLOCK 64

__global__ void garnet_shared_kernel(const __grid_constant__ lihop_garnet_job J, int64_t first, int64_t count,
                                     char *d_cold, size_t cold_stride, lihop_garnet_replica *out)
{
    extern __shared__ __align__(16) unsigned char garnet_smem[];   // 16-byte alignment for the carve
    __shared__ int placed_ok;
    const int64_t k = (int64_t)blockIdx.x;
    if (k >= count) return;                    // the whole block leaves together
    lihop_garnet_work w;
    lihop_garnet_work_carve(&J, garnet_smem, d_cold + (size_t)k * cold_stride, &w, NULL, NULL);
    lihop_garnet_replica *o = out + k;
    const int lane = (int)threadIdx.x, nlanes = (int)blockDim.x;
    if (lane == 0) placed_ok = lihop_garnet_replica_events(&J, &w, first + k, o) == 0;
    __syncthreads();                           // snapshots and record visible to the warp
    if (!placed_ok) return;
    lihop_garnet_replica_com(&J, &w, lane, nlanes);
    __syncthreads();
    lihop_garnet_replica_msd(&J, &w, o, lane, nlanes);
}

__global__ void garnet_global_kernel(const __grid_constant__ lihop_garnet_job J, int64_t first, int64_t count,
                                     char *d_work, size_t stride, size_t hot_bytes, lihop_garnet_replica *out)
{
    const int64_t k = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= count) return;
    char *base = d_work + (size_t)k * stride;
    lihop_garnet_work w;
    lihop_garnet_work_carve(&J, base, base + hot_bytes, &w, NULL, NULL);
    lihop_garnet_replica_run(&J, &w, first + k, out + k);
}

// ---- model upload -------------------------------------------------------------

namespace {

// One slot of the staging buffer per model array, in the order of the list
// (src/model/garnet_arrays.h).
enum garnet_slot {
#define GARNET_SLOT(type, field, count, present) SLOT_##field,
    LIHOP_GARNET_MODEL_ARRAYS(GARNET_SLOT, 0)
#undef GARNET_SLOT
    NSLOTS
};

struct upload {
    const void *src[NSLOTS];
    size_t off[NSLOTS], bytes[NSLOTS];
    int n;
    size_t total;
};

void add(upload *u, const void *src, size_t bytes)
{
    u->src[u->n] = src;
    u->off[u->n] = u->total;
    u->bytes[u->n] = bytes;
    u->total = lihop_garnet_align16(u->total + (bytes ? bytes : 1));
    ++u->n;
}

// The device copy of slot idx; NULL where the host array is NULL or absent.
template <typename T> const T *dev_ptr(char *d_buf, const upload *u, int idx)
{
    return u->src[idx] ? (const T *)(const void *)(d_buf + u->off[idx]) : (const T *)0;
}

size_t align_up(size_t x, size_t a) { return (x + a - 1) / a * a; }

}  // namespace

// Copy the model's arrays to one device allocation (*d_model) and point J's
// model at them: one staging buffer, one copy, a slot per array of
// garnet_arrays.h, empty where the array is absent or NULL on the host.
static lihop_status upload_model(const lihop_garnet_model *hm, lihop_garnet_job *J, char **d_model, lihop_err *err)
{
    lihop_status st = LIHOP_OK;
    upload u;
    memset(&u, 0, sizeof u);
#define GARNET_STAGE(type, field, count, present)                          \
    {                                                                      \
        const type *h_ = (present) ? hm->field : (const type *)0;          \
        add(&u, h_, h_ ? sizeof(type) * (count) : 0);                      \
    }
    LIHOP_GARNET_MODEL_ARRAYS(GARNET_STAGE, hm)
#undef GARNET_STAGE
    char *h_stage = (char *)calloc(1, u.total);
    if (!h_stage) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet (cuda): out of memory staging the model");
    for (int q = 0; q < u.n; ++q)
        if (u.src[q] && u.bytes[q]) memcpy(h_stage + u.off[q], u.src[q], u.bytes[q]);
    CUDA_TRY(cudaMalloc((void **)d_model, u.total), "cudaMalloc(garnet model)");
    CUDA_TRY(cudaMemcpy(*d_model, h_stage, u.total, cudaMemcpyHostToDevice), "copy of the garnet model");
    {
        lihop_garnet_model *dm = &J->m;
#define GARNET_POINT(type, field, count, present) dm->field = dev_ptr<type>(*d_model, &u, SLOT_##field);
        LIHOP_GARNET_MODEL_ARRAYS(GARNET_POINT, hm)
#undef GARNET_POINT
    }
done:
    free(h_stage);
    return st;
}

// How the replicas use the device: shared or global working memory, bytes per
// replica, replicas per launch round.
struct work_plan {
    int use_shared;
    size_t hot, cold, stride;
    int64_t chunk;
};

static lihop_status plan_work(const lihop_garnet_job *J, lihop_cuda_garnet_mode mode, int64_t count, work_plan *w,
                              lihop_err *err)
{
    lihop_status st = LIHOP_OK;
    int dev = 0, smem_optin = 0, nsm = 0;
    size_t free_b = 0, total_b = 0;
    CUDA_TRY(cudaGetDevice(&dev), "cudaGetDevice");
    CUDA_TRY(cudaDeviceGetAttribute(&smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev), "device query");
    CUDA_TRY(cudaDeviceGetAttribute(&nsm, cudaDevAttrMultiProcessorCount, dev), "device query");
    // working memory: hot part in shared memory (SHARED) or everything global
    lihop_garnet_work_carve(J, NULL, NULL, NULL, &w->hot, &w->cold);
    w->use_shared = mode == LIHOP_CUDA_GARNET_SHARED ||
                    (mode == LIHOP_CUDA_GARNET_AUTO && w->hot + sizeof(int) <= (size_t)smem_optin);
    if (w->use_shared && w->hot + sizeof(int) > (size_t)smem_optin)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "garnet (cuda): shared mode needs %zu bytes of shared memory per block, the device has %d",
                          w->hot, smem_optin);
    w->stride = w->use_shared ? align_up(w->cold, 256) : align_up(w->hot + w->cold, 256);
    CUDA_TRY(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
    {
        int64_t cap = (int64_t)(free_b / 2 / (w->stride + sizeof(lihop_garnet_replica)));
        if (cap < 1)
            return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet (cuda): %zu bytes per replica, %zu bytes free on the device",
                              w->stride, free_b);
        int64_t most = w->use_shared ? (int64_t)nsm * 64 : (int64_t)1 << 16;   // many launches' worth
        w->chunk = count < cap ? count : cap;
        if (w->chunk > most) w->chunk = most;
    }
done:
    return st;
}

extern "C" lihop_status lihop_cuda_garnet_run_replicas(const lihop_garnet_job *job, int64_t first, int64_t count,
                                                       lihop_cuda_garnet_mode mode, lihop_garnet_replica *out,
                                                       lihop_err *err)
{
    lihop_status st = LIHOP_OK;
    char *d_model = NULL, *d_work = NULL;
    lihop_garnet_replica *d_out = NULL;
    lihop_garnet_job J = *job;
    work_plan w;
    memset(&w, 0, sizeof w);
    if (count <= 0) return LIHOP_OK;
    if (lihop_cuda_device_count() == 0) {
        char why[256];
        lihop_cuda_device_name(why, sizeof why);
        return lihop_fail(err, LIHOP_ERR_NO_GPU, "no CUDA device for the garnet backend: %s", why);
    }
    if ((st = upload_model(&job->m, &J, &d_model, err)) != LIHOP_OK || (st = plan_work(&J, mode, count, &w, err)) != LIHOP_OK)
        goto done;
    CUDA_TRY(cudaMalloc((void **)&d_work, w.stride * (size_t)w.chunk), "cudaMalloc(garnet replica scratch)");
    CUDA_TRY(cudaMalloc((void **)&d_out, sizeof(lihop_garnet_replica) * (size_t)w.chunk), "cudaMalloc(garnet records)");
    if (w.use_shared)
        CUDA_TRY(cudaFuncSetAttribute(garnet_shared_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)w.hot),
                 "shared-memory opt-in");
    for (int64_t done_n = 0; done_n < count; done_n += w.chunk) {
        int64_t n = count - done_n < w.chunk ? count - done_n : w.chunk;
        if (w.use_shared) {
            garnet_shared_kernel<<<(unsigned)n, GARNET_WARP, w.hot>>>(J, first + done_n, n, d_work, w.stride, d_out);
        } else {
            unsigned grid = (unsigned)((n + GARNET_GLOBAL_BLOCK - 1) / GARNET_GLOBAL_BLOCK);
            garnet_global_kernel<<<grid, GARNET_GLOBAL_BLOCK>>>(J, first + done_n, n, d_work, w.stride, w.hot, d_out);
        }
        CUDA_TRY(cudaGetLastError(), "launch of the garnet kernel");
        CUDA_TRY(cudaDeviceSynchronize(), "garnet kernel");
        CUDA_TRY(cudaMemcpy(out + done_n, d_out, sizeof(lihop_garnet_replica) * (size_t)n, cudaMemcpyDeviceToHost),
                 "copy of the garnet records");
    }
done:
    cudaFree(d_model);
    cudaFree(d_work);
    cudaFree(d_out);
    return st;
}
