/* network_bench.c - cost of the exact network reference (src/diag/network.h),
 * printed as JSON: the voxel model's Li network of overlapping LLZO spheres in
 * PEO with the quickstart's interface ASR (a 1e5 jump in bond conductance).
 *
 *   network_bench [--n N] [--fraction PHI] [--radius R] [--asr OHM_CM2]
 *
 * Timed: the whole lihop_network_sigma call (clusters, matrix, AMG set-up and
 * the three solves), which is what a sweep point pays per species. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lihop_version.h"
#include "network.h"

/* Li (+1) in PEO (D 1e-12 m^2/s) and LLZO (D 1e-11 m^2/s), 1e27 /m^3 each. */
static void config(lihop_config *c, int n, double phi, double radius, double asr_ohm_cm2)
{
    memset(c, 0, sizeof *c);
    c->nspecies = 1;
    strcpy(c->species[0].name, "li");
    c->species[0].charge = 1;
    c->nphases = 2;
    const double D[2] = {1e-12, 1e-11};
    for (int p = 0; p < 2; ++p) {
        snprintf(c->phases[p].name, LIHOP_NAME_LEN, p ? "llzo" : "peo");
        c->phases[p].ncarriers = 1;
        c->phases[p].carriers[0].conc_m3 = 1e27;
        c->phases[p].carriers[0].kind = LIHOP_TRANSPORT_D;
        c->phases[p].carriers[0].law.law = LIHOP_LAW_CONSTANT;
        c->phases[p].carriers[0].law.prefactor = D[p];
    }
    c->ninterfaces = 1;
    c->interfaces[0].phase_a = 0;
    c->interfaces[0].phase_b = 1;
    c->interfaces[0].asr_ohm_m2 = asr_ohm_cm2 * 1e-4;
    c->interfaces[0].species_mask = 1;
    c->micro.n[0] = c->micro.n[1] = c->micro.n[2] = n;
    c->micro.voxel_m = 1e-8;
    c->micro.generator = LIHOP_GEN_SPHERES;
    c->micro.matrix_phase = 0;
    c->micro.filler_phase = 1;
    c->micro.volume_fraction = phi;
    c->micro.radius_voxels = radius;
    c->micro.overlap = 1;
    c->micro.seed = 1;
}

int main(int argc, char **argv)
{
    int n = 64;
    double phi = 0.3, radius = 6, asr = 9000.0;
    for (int i = 1; i < argc; ++i) {
        if (!strcmp(argv[i], "--n") && i + 1 < argc) n = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--fraction") && i + 1 < argc) phi = atof(argv[++i]);
        else if (!strcmp(argv[i], "--radius") && i + 1 < argc) radius = atof(argv[++i]);
        else if (!strcmp(argv[i], "--asr") && i + 1 < argc) asr = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: network_bench [--n N] [--fraction PHI] [--radius R] [--asr OHM_CM2]\n");
            return 2;
        }
    }
    lihop_config *c = calloc(1, sizeof *c);
    lihop_err err;
    lihop_micro *m = NULL;
    config(c, n, phi, radius, asr);
    if (!c || lihop_micro_build(&c->micro, c->nphases, &m, &err)) {
        fprintf(stderr, "network_bench: %s\n", c ? err.msg : "out of memory");
        return 1;
    }
    lihop_network_result r;
    if (lihop_network_sigma(c, m, 0, 298.15, NULL, &r, &err)) {
        fprintf(stderr, "network_bench: %s\n", err.msg);
        return 1;
    }
    printf("{\"benchmark\": \"network_exact\", \"solver\": \"hypre PCG + BoomerAMG\", \"backend\": \"cpu\", "
           "\"device\": \"cpu\", \"threads\": 1, \"box\": [%d, %d, %d], \"filler_fraction\": %.3f, "
           "\"asr_ohm_cm2\": %g, \"iterations\": [%d, %d, %d], \"wall_s\": %.4f, \"voxels_per_s\": %.4e, "
           "\"sigma_S_m\": [%.6e, %.6e, %.6e], \"git_describe\": \"%s\"}\n",
           n, n, n, phi, asr, r.iterations[0], r.iterations[1], r.iterations[2], r.wall_s,
           (double)lihop_micro_nvox(m) / r.wall_s, r.sigma_S_m[0][0], r.sigma_S_m[1][1], r.sigma_S_m[2][2],
           LIHOP_GIT_DESCRIBE);
    lihop_micro_destroy(m);
    free(c);
    return 0;
}
