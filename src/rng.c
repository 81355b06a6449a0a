/* rng.c - the host Philox reference as a linkable function (for .cu files,
 * which cannot include Random123 next to cuRAND). */
#include "rng.h"

lihop_u32x4 lihop_philox_host_ref(uint64_t seed, uint64_t subsequence, uint64_t draw)
{
    return lihop_philox_host(seed, subsequence, draw);
}
