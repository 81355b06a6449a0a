/* lihop_bench.c - voxel-walker throughput (hops/s), printed as JSON.
 *
 *   lihop_bench [--case a|b] [--backend cpu|cuda] [--threads N] [--walkers N] [--hops N]
 *
 * case a: 64^3 two-phase box (conducting spheres, phi = 0.3, R = 4, 10:1 in D)
 * case b: 256^3 random-spheres box (insulating LLZO-like filler phi = 0.2, R = 8),
 *         1e6 walkers by default.
 * Each run is the real engine (lihop_voxel_run_point), one species, timed
 * around the walk; microstructure generation is timed separately. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend_cuda.h"
#include "lihop_version.h"
#include "voxel.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    char which = 'a';
    lihop_backend_kind backend = LIHOP_BACKEND_CPU;
    int threads = 1;
    long long walkers = -1;
    double hops = -1;
    for (int i = 1; i < argc; ++i) {
        if (!strcmp(argv[i], "--case") && i + 1 < argc) which = argv[++i][0];
        else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
            ++i;
            backend = !strcmp(argv[i], "cuda") ? LIHOP_BACKEND_CUDA : LIHOP_BACKEND_CPU;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--walkers") && i + 1 < argc) walkers = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--hops") && i + 1 < argc) hops = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: lihop_bench [--case a|b] [--backend cpu|cuda] [--threads N] [--walkers N] [--hops N]\n");
            return 2;
        }
    }
    if (which != 'a' && which != 'b') {
        fprintf(stderr, "lihop_bench: --case expects a or b\n");
        return 2;
    }
    lihop_config *c = calloc(1, sizeof *c);
    c->seed = 12345;
    c->ntemps = 1;
    c->temperature_K[0] = 298.15;
    c->nspecies = 1;
    strcpy(c->species[0].name, "li");
    c->species[0].charge = 1;
    c->nphases = 2;
    const double conc[2] = {1e27, 1e27};
    const double D[2] = {1e-12, which == 'a' ? 1e-11 : 0.0};
    for (int p = 0; p < 2; ++p) {
        snprintf(c->phases[p].name, LIHOP_NAME_LEN, p ? "filler" : "matrix");
        if (D[p] <= 0) continue;
        c->phases[p].ncarriers = 1;
        c->phases[p].carriers[0].conc_m3 = conc[p];
        c->phases[p].carriers[0].kind = LIHOP_TRANSPORT_D;
        c->phases[p].carriers[0].law.law = LIHOP_LAW_CONSTANT;
        c->phases[p].carriers[0].law.prefactor = D[p];
    }
    int n = which == 'a' ? 64 : 256;
    c->micro.n[0] = c->micro.n[1] = c->micro.n[2] = n;
    c->micro.voxel_m = 1e-8;
    c->micro.generator = LIHOP_GEN_SPHERES;
    c->micro.matrix_phase = 0;
    c->micro.filler_phase = 1;
    c->micro.volume_fraction = which == 'a' ? 0.3 : 0.2;
    c->micro.radius_voxels = which == 'a' ? 4 : 8;
    c->micro.overlap = 1;
    c->micro.seed = 1;
    c->run.walkers = (uint64_t)(walkers > 0 ? walkers : (which == 'a' ? 20000 : 1000000));
    c->run.hops_per_walker = hops > 0 ? hops : (which == 'a' ? 5000 : (backend == LIHOP_BACKEND_CUDA ? 10000 : 100));
    c->run.samples = 20;
    c->run.batches = 10;

    lihop_err err;
    lihop_micro *m = NULL;
    double t0 = now_s();
    if (lihop_micro_build(&c->micro, c->nphases, &m, &err)) {
        fprintf(stderr, "lihop_bench: %s\n", err.msg);
        return 1;
    }
    double tgen = now_s() - t0;
    lihop_voxel_options opt;
    memset(&opt, 0, sizeof opt);
    opt.backend = backend;
    opt.threads = threads;
    lihop_point_result r;
    t0 = now_s();
    lihop_status st = lihop_voxel_run_point(c, m, 0, 298.15, &opt, &r, &err);
    double wall = now_s() - t0;
    if (st) {
        fprintf(stderr, "lihop_bench: %s\n", err.msg);
        return st == LIHOP_ERR_NO_GPU ? 77 : 1;
    }
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, frac);
    char device[256];
    if (backend == LIHOP_BACKEND_CUDA) lihop_cuda_device_name(device, sizeof device);
    else snprintf(device, sizeof device, "cpu");
    printf("{\"benchmark\": \"voxel_walk\", \"case\": \"%c\", \"backend\": \"%s\", \"device\": \"%s\", "
           "\"threads\": %d, \"box\": [%d, %d, %d], \"phases\": 2, \"filler_fraction\": %.4f, "
           "\"walkers\": %llu, \"hops\": %llu, \"wall_s\": %.4f, \"hops_per_s\": %.4e, "
           "\"events_per_s\": %.4e, \"microstructure_s\": %.3f, \"git_describe\": \"%s\"}\n",
           which, backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu", device,
           backend == LIHOP_BACKEND_CUDA ? 0 : threads, n, n, n, frac[1],
           (unsigned long long)c->run.walkers, (unsigned long long)r.sp[0].hops, wall,
           (double)r.sp[0].hops / wall, (double)r.sp[0].hops / wall, tgen, LIHOP_GIT_DESCRIBE);
    lihop_point_result_free(&r);
    lihop_micro_destroy(m);
    free(c);
    return 0;
}
