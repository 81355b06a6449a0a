/* rng.c - the host Philox reference as a linkable function (for .cu files,
 * which cannot include Random123 next to cuRAND). */
#include "rng.h"

lihop_u32x4 lihop_philox_host_ref(uint64_t seed, uint64_t subsequence, uint64_t draw)
{
    return lihop_philox_host(seed, subsequence, draw);
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint32_t lihop_point_key(int n, const char *const *names, const double *values)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < n; i++) {
        double v = values[i] == 0.0 ? 0.0 : values[i];
        h = fnv1a(h, names[i], strlen(names[i]) + 1);
        h = fnv1a(h, &v, sizeof v);
    }
    return (uint32_t)((h ^ (h >> 28) ^ (h >> 56)) & LIHOP_POINT_KEY_MASK);
}
