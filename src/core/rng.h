/* rng.h - Philox4x32-10 streams, identical on host (Random123) and device (cuRAND).
 *
 * Layout (DESIGN.md section 3), the same as cuRAND's
 * curand_init(seed, subsequence, offset = 0):
 *   key     = (seed lo, seed hi)
 *   counter = (draw lo, draw hi, subsequence lo, subsequence hi)
 * Draw n of a stream is one 128-bit block (four 32-bit words).  On the device
 * the n-th curand4() after curand_init(seed, subsequence, 0) returns exactly
 * the host's lihop_philox(seed, subsequence, n).  The subsequence is built from
 * what a result belongs to (run stream, species, walker or replica id), never
 * from thread or block indices, so results do not depend on the launch.
 */
#ifndef LIHOP_RNG_H
#define LIHOP_RNG_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include "lihop_hd.h"

#if defined(__CUDACC__)
#include <curand_kernel.h>
#endif
#if !defined(__CUDACC__)
#include <Random123/philox.h>
#endif

typedef struct { uint32_t v[4]; } lihop_u32x4;

#if defined(__CUDACC__)
/* Random123 and cuRAND both define mulhilo32, so .cu files reach the host
 * reference through src/rng.c instead of including Random123. */
extern "C" lihop_u32x4 lihop_philox_host_ref(uint64_t seed, uint64_t subsequence, uint64_t draw);
static inline lihop_u32x4 lihop_philox_host(uint64_t seed, uint64_t subsequence, uint64_t draw)
{
    return lihop_philox_host_ref(seed, subsequence, draw);
}
#else
lihop_u32x4 lihop_philox_host_ref(uint64_t seed, uint64_t subsequence, uint64_t draw);

/* One block of the stream, by absolute position (host reference, Random123). */
static inline lihop_u32x4 lihop_philox_host(uint64_t seed, uint64_t subsequence, uint64_t draw)
{
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    philox4x32_ctr_t c = {{(uint32_t)draw, (uint32_t)(draw >> 32),
                           (uint32_t)subsequence, (uint32_t)(subsequence >> 32)}};
    philox4x32_ctr_t r = philox4x32(c, k);
    lihop_u32x4 out;
    out.v[0] = r.v[0]; out.v[1] = r.v[1]; out.v[2] = r.v[2]; out.v[3] = r.v[3];
    return out;
}
#endif

/* A sequential stream: host keeps (seed, subsequence, draw), device a cuRAND state. */
typedef struct {
#if defined(__CUDA_ARCH__)
    curandStatePhilox4_32_10_t st;
#else
    uint64_t seed, subsequence, draw;
#endif
} lihop_stream;

LIHOP_HD static inline void lihop_stream_init(lihop_stream *s, uint64_t seed, uint64_t subsequence)
{
#if defined(__CUDA_ARCH__)
    curand_init((unsigned long long)seed, (unsigned long long)subsequence, 0ull, &s->st);
#else
    s->seed = seed; s->subsequence = subsequence; s->draw = 0;
#endif
}

LIHOP_HD static inline lihop_u32x4 lihop_stream_next(lihop_stream *s)
{
#if defined(__CUDA_ARCH__)
    uint4 r = curand4(&s->st);
    lihop_u32x4 out;
    out.v[0] = r.x; out.v[1] = r.y; out.v[2] = r.z; out.v[3] = r.w;
    return out;
#else
    return lihop_philox_host(s->seed, s->subsequence, s->draw++);
#endif
}

/* ---- the one stream-id encoder --------------------------------------------
 * Every run of a sweep point draws from subsequences (stream << 32) | member,
 * member = walker or replica id.  The 32-bit stream is
 *     0xC0000000 | point_key << 2 | role
 * point_key: 28-bit hash of the point's coordinates (lihop_point_key: every
 * sweepable key's name and value except the seed, which is the Philox key),
 * so a point's numbers do not depend on its position in the sweep; role: the
 * voxel species index or the garnet run (main, drift E1, drift E2, bulk).
 * The top bits 11 keep run streams apart from the quenched-disorder
 * subsequences (high words 0x51ab..., 0x6d15...) and from the microstructure
 * generators (stream 0). */
#define LIHOP_STREAM_TAG 0xC0000000u
#define LIHOP_POINT_KEY_MASK 0x0fffffffu

LIHOP_HD static inline uint32_t lihop_stream_id(uint32_t point_key, unsigned role)
{
    return LIHOP_STREAM_TAG | ((point_key & LIHOP_POINT_KEY_MASK) << 2) | (role & 3u);
}

#if !defined(__CUDACC__)
/* 28-bit FNV-1a hash of n (name, value) pairs, taken in the order given
 * (callers pass them in a canonical order); -0.0 hashes as 0.0. */
uint32_t lihop_point_key(int n, const char *const *names, const double *values);
#endif

/* Uniform in (0, 1] with 53 random bits, from two words.  Never 0, so -log is finite. */
LIHOP_HD static inline double lihop_u01_open0(uint32_t a, uint32_t b)
{
    uint64_t k = ((uint64_t)(a >> 5) << 26) | (uint64_t)(b >> 6);
    return (double)(k + 1u) * (1.0 / 9007199254740992.0); /* 2^-53 */
}

/* Uniform in [0, 1) with 32 random bits. */
LIHOP_HD static inline double lihop_u01_32(uint32_t a)
{
    return (double)a * (1.0 / 4294967296.0);
}

/* 64-bit integer from two words, for index draws. */
LIHOP_HD static inline uint64_t lihop_u64(uint32_t hi, uint32_t lo)
{
    return ((uint64_t)hi << 32) | (uint64_t)lo;
}

/* Uniform in [0, 1) with 53 random bits, from two words. */
LIHOP_HD static inline double lihop_u53(uint32_t a, uint32_t b)
{
    uint64_t k = ((uint64_t)(a >> 5) << 26) | (uint64_t)(b >> 6);
    return (double)k * (1.0 / 9007199254740992.0);
}

/* Natural log for normal x in (0, 1], built only from IEEE-exact operations (+ - * /
 * and exponent scaling) evaluated in a fixed order, so host and device give the
 * same bits (libm and CUDA's log may differ in the last place).  Error below
 * 2 ulp: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s),
 * s = (m - 1)/(m + 1), |s| <= 0.1716, series to s^23.  Build with FMA
 * contraction off (-ffp-contract=off, nvcc --fmad=false). */
LIHOP_HD static inline double lihop_log_exact(double x)
{
    /* x = m 2^e with m in [1/2, 1) read off the bits (exact, branch-free) */
    uint64_t bits;
#if defined(__CUDA_ARCH__)
    bits = (uint64_t)__double_as_longlong(x);
#else
    memcpy(&bits, &x, sizeof bits);
#endif
    int e = (int)((bits >> 52) & 0x7ffu) - 1022;
    bits = (bits & 0x000fffffffffffffull) | 0x3fe0000000000000ull;
#if defined(__CUDA_ARCH__)
    x = __longlong_as_double((long long)bits);
#else
    memcpy(&x, &bits, sizeof x);
#endif
    int lo = x < 0.70710678118654752440;   /* move m into [sqrt(1/2), sqrt(2)) */
    x = lo ? x + x : x;
    e -= lo;
    double s = (x - 1.0) / (x + 1.0);
    double w = s * s, w2 = w * w, w4 = w2 * w2, w8 = w4 * w4;
    /* sum_k w^k / (2k+1), k = 0..11, by Estrin's scheme: short dependency chains */
    double q0 = 1.0 + w * (1.0 / 3.0), q1 = 1.0 / 5.0 + w * (1.0 / 7.0);
    double q2 = 1.0 / 9.0 + w * (1.0 / 11.0), q3 = 1.0 / 13.0 + w * (1.0 / 15.0);
    double q4 = 1.0 / 17.0 + w * (1.0 / 19.0), q5 = 1.0 / 21.0 + w * (1.0 / 23.0);
    double r0 = q0 + w2 * q1, r1 = q2 + w2 * q3, r2 = q4 + w2 * q5;
    double p = r0 + w4 * r1 + w8 * r2;
    /* ln2 split in a high part with trailing zeros and a low part */
    const double ln2_hi = 6.93147180369123816490e-01;
    const double ln2_lo = 1.90821492927058770002e-10;
    return ((double)e * ln2_lo + 2.0 * s * p) + (double)e * ln2_hi;
}

/* A standard normal from its own stream (seed, subsequence): Marsaglia's polar
 * method on 53-bit uniforms with the exact log, so it is the same number on
 * every backend.  The quenched disorder of the garnet model draws one per site. */
LIHOP_HD static inline double lihop_normal(uint64_t seed, uint64_t subsequence)
{
    lihop_stream s;
    lihop_stream_init(&s, seed, subsequence);
    for (;;) {
        lihop_u32x4 r = lihop_stream_next(&s);
        double u = 2.0 * lihop_u53(r.v[0], r.v[1]) - 1.0;
        double v = 2.0 * lihop_u53(r.v[2], r.v[3]) - 1.0;
        double q = u * u + v * v;
        if (q > 0.0 && q < 1.0)
            return u * sqrt(-2.0 * lihop_log_exact(q) / q);
    }
}

#endif
