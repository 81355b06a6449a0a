// cuda_check.cuh - CUDA runtime errors as lihop statuses, shared by the .cu files.
#ifndef LIHOP_CUDA_CHECK_CUH
#define LIHOP_CUDA_CHECK_CUH

#include <cuda_runtime.h>
#include "status.h"

// No usable device (exit 4) versus a failure while using one (out of memory,
// a kernel fault: an internal error, exit 1).
static inline lihop_status lihop_cuda_status(cudaError_t e)
{
    switch (e) {
    case cudaErrorNoDevice:
    case cudaErrorInsufficientDriver:
    case cudaErrorNoKernelImageForDevice:
    case cudaErrorInvalidDeviceFunction:
    case cudaErrorDevicesUnavailable:
        return LIHOP_ERR_NO_GPU;
    default:
        return LIHOP_ERR_INTERNAL;
    }
}

// Run a CUDA call; on failure set `st` and `err` and jump to `done`.
#define CUDA_TRY(call, what)                                                                      \
    do {                                                                                          \
        cudaError_t e_ = (call);                                                                  \
        if (e_ != cudaSuccess) {                                                                  \
            st = lihop_fail(err, lihop_cuda_status(e_), "CUDA %s failed: %s", what,               \
                            cudaGetErrorString(e_));                                              \
            goto done;                                                                            \
        }                                                                                         \
    } while (0)

#endif
