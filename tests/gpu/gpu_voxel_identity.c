/* gpu_voxel_identity.c - the same walkers on CPU and GPU: identical hop counts
 * and displacements, and identical observables, without and with a
 * space-charge layer (rates rebuilt per bond, start drawn from rho g).
 * Exit 77 without a GPU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend_cuda.h"
#include "voxel.h"

static const char *deck =
    "model: voxel\nseed: 2026\ntemperature_K: [330.0]\n"
    "species:\n  - {name: li, charge: 1}\n  - {name: tfsi, charge: -1}\n"
    "phases:\n"
    "  - name: peo\n    sigma_total_S_cm: {law: vtf, prefactor: 1.6, B_K: 1300, T0_K: 166}\n"
    "    carriers:\n      - {species: li, concentration_mol_L: 1.1, transference_number: 0.25}\n"
    "      - {species: tfsi, concentration_mol_L: 1.1, transference_number: 0.75}\n"
    "  - name: llzo\n    carriers:\n"
    "      - {species: li, concentration_mol_L: 39.0, D_cm2_s: {law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}}\n"
    "interfaces:\n  - {phases: [llzo, peo], asr_ohm_cm2: 1.0}\n"
    "microstructure:\n  box_voxels: [40, 32, 24]\n  voxel_size_m: 1.0e-8\n  generator: spheres\n"
    "  matrix: peo\n  filler: llzo\n  volume_fraction: 0.3\n  radius_voxels: 4\n"
    "field_V_m: [1.0e5, 0, 0]\n"
    "run:\n  walkers: 70000\n  hops_per_walker: 2000\n  samples: 16\n  batches: 7\n";

static const char *layer =
    "space_charge:\n  - {phases: [peo, llzo], profile: mott_schottky, phi0_V: 0.1, length_m: 3.0e-8}\n";

static int compare(const char *deck)
{
    lihop_err err;
    lihop_config *cfg = NULL;
    lihop_micro *m = NULL;
    if (lihop_config_parse(deck, "gpu_voxel_identity", &cfg, &err) ||
        lihop_micro_build(&cfg->micro, cfg->nphases, &m, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    size_t n = cfg->run.walkers;   /* more than one chunk of 65536 walkers */
    int32_t *dc[2], *dg[2];
    uint64_t *hc[2], *hg[2];
    lihop_voxel_options oc, og;
    memset(&oc, 0, sizeof oc);
    memset(&og, 0, sizeof og);
    oc.backend = LIHOP_BACKEND_CPU;
    og.backend = LIHOP_BACKEND_CUDA;
    for (int s = 0; s < 2; ++s) {
        oc.capture[s].final_disp = dc[s] = malloc(n * 3 * sizeof(int32_t));
        og.capture[s].final_disp = dg[s] = malloc(n * 3 * sizeof(int32_t));
        oc.capture[s].hops = hc[s] = malloc(n * sizeof(uint64_t));
        og.capture[s].hops = hg[s] = malloc(n * sizeof(uint64_t));
    }
    lihop_point_result rc, rg;
    if (lihop_voxel_run_point(cfg, m, 0, 330.0, &oc, &rc, &err) || lihop_voxel_run_point(cfg, m, 0, 330.0, &og, &rg, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    int bad = 0;
    for (int s = 0; s < 2; ++s) {
        size_t hop_diff = 0, disp_diff = 0;
        for (size_t i = 0; i < n; ++i) {
            hop_diff += hc[s][i] != hg[s][i];
            disp_diff += memcmp(&dc[s][3 * i], &dg[s][3 * i], 3 * sizeof(int32_t)) != 0;
        }
        printf("species %d: %zu walkers, %llu hops; walkers differing in hop count %zu, in displacement %zu\n", s, n,
               (unsigned long long)rc.sp[s].hops, hop_diff, disp_diff);
        bad |= hop_diff || disp_diff;
        bad |= memcmp(rc.sp[s].D_m2_s, rg.sp[s].D_m2_s, sizeof rc.sp[s].D_m2_s) != 0;
        bad |= memcmp(rc.sp[s].residence, rg.sp[s].residence, sizeof rc.sp[s].residence) != 0;
    }
    printf("sigma cpu %.17g gpu %.17g\n", rc.sigma_iso_S_m, rg.sigma_iso_S_m);
    bad |= rc.sigma_iso_S_m != rg.sigma_iso_S_m;
    printf("%s\n", bad ? "FAIL: CPU and GPU differ" : "CPU and GPU bit-identical");
    for (int s = 0; s < 2; ++s) {
        free(dc[s]); free(dg[s]); free(hc[s]); free(hg[s]);
    }
    lihop_point_result_free(&rc);
    lihop_point_result_free(&rg);
    lihop_micro_destroy(m);
    lihop_config_destroy(cfg);
    return bad;
}

int main(void)
{
    if (lihop_cuda_device_count() == 0) {
        printf("SKIP: no CUDA device\n");
        return 77;
    }
    char *with_layer = malloc(strlen(deck) + strlen(layer) + 1);
    if (!with_layer) return 1;
    strcpy(with_layer, deck);
    strcat(with_layer, layer);
    printf("-- without space charge\n");
    int bad = compare(deck);
    printf("-- with a 0.1 V Mott-Schottky layer in the PEO\n");
    bad |= compare(with_layer);
    free(with_layer);
    return bad;
}
