/* lihop_hd.h - the qualifier that lets one function serve the CPU and CUDA.
 *
 * Every per-hop formula lives in a header as `LIHOP_HD static inline`; gcc
 * reads it as plain C11, nvcc as a __host__ __device__ function.  Keep the code
 * in such headers inside the common subset of C11 and CUDA C++: no VLAs, no
 * designated initialisers, no _Generic, casts on void pointers.
 */
#ifndef LIHOP_HD_H
#define LIHOP_HD_H

#if defined(__CUDACC__)
#define LIHOP_HD __host__ __device__
#else
#define LIHOP_HD
#endif

#endif
