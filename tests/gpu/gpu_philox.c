/* gpu_philox.c - cuRAND's device Philox against the host's Random123 stream:
 * known answers computed inside a kernel across many blocks, and agreement
 * for many (seed, subsequence, draw).  Exit 77 (skipped) without a GPU. */
#include <stdio.h>
#include <stdlib.h>
#include "backend_cuda.h"
#include "rng.h"

int main(void)
{
    if (lihop_cuda_device_count() == 0) {
        char why[256];
        lihop_cuda_device_name(why, sizeof why);
        printf("SKIP: no CUDA device: %s\n", why);
        return 77;
    }
    const size_t n = 100000;   /* 1563 blocks of 64 threads */
    uint64_t *seed = malloc(n * sizeof *seed), *sub = malloc(n * sizeof *sub), *draw = malloc(n * sizeof *draw);
    lihop_u32x4 *got = malloc(n * sizeof *got);
    for (size_t i = 0; i < n; ++i) {
        lihop_u32x4 r = lihop_philox_host(777, 1, i);   /* arbitrary but reproducible inputs */
        seed[i] = i < 3 ? 0 : lihop_u64(r.v[0], r.v[1]);
        sub[i] = i < 3 ? 0 : (i % 5 == 0 ? 0 : lihop_u64(r.v[2], r.v[1]) >> (i % 40));
        draw[i] = i < 3 ? 0 : (uint64_t)(r.v[3] >> (i % 32));
    }
    /* the known-answer case sits at several thread positions */
    seed[50000] = sub[50000] = draw[50000] = 0;
    seed[99999] = sub[99999] = draw[99999] = 0;
    lihop_err err;
    lihop_status st = lihop_cuda_philox_blocks(seed, sub, draw, n, got, &err);
    if (st) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    int bad = 0;
    const uint32_t kat[4] = {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u};
    size_t kat_at[] = {0, 1, 2, 50000, 99999};
    for (size_t k = 0; k < 5; ++k)
        for (int j = 0; j < 4; ++j)
            if (got[kat_at[k]].v[j] != kat[j]) {
                fprintf(stderr, "FAIL: known answer at thread %zu word %d: %08x\n", kat_at[k], j, got[kat_at[k]].v[j]);
                bad = 1;
            }
    size_t mismatches = 0;
    for (size_t i = 0; i < n; ++i) {
        lihop_u32x4 want = lihop_philox_host(seed[i], sub[i], draw[i]);
        for (int j = 0; j < 4; ++j)
            if (want.v[j] != got[i].v[j]) {
                if (mismatches < 5)
                    fprintf(stderr, "FAIL: seed %llu subsequence %llu draw %llu word %d: device %08x host %08x\n",
                            (unsigned long long)seed[i], (unsigned long long)sub[i], (unsigned long long)draw[i], j,
                            got[i].v[j], want.v[j]);
                ++mismatches;
            }
    }
    printf("%zu (seed, subsequence, draw) triples: %zu mismatching words\n", n, mismatches);
    free(seed); free(sub); free(draw); free(got);
    return bad || mismatches ? 1 : 0;
}
