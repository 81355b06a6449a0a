/* gpu_garnet_identity.c - the same garnet replicas on CPU and GPU: identical
 * replica records (memcmp) in both GPU modes, and identical observables.
 * LLZO 2x2x2 (576 sites, 384 Li) with E_nn 0.1 eV, site disorder, a field and
 * the debug tree check; the same with O-O and T-T pair shells; then a dilute
 * 1x1x1 case with an exclusion-free single Li.  Exit 77 without a device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend_cuda.h"
#include "garnet.h"
#include "lattice.h"
#include "garnet_observe.h"

static int compare(const char *what, const lihop_garnet_replica *a, const lihop_garnet_replica *b, int64_t n)
{
    int64_t bad = 0;
    for (int64_t k = 0; k < n; ++k) bad += memcmp(&a[k], &b[k], sizeof a[k]) != 0;
    printf("%s: %lld replicas, %lld differ\n", what, (long long)n, (long long)bad);
    return bad != 0;
}

static int run_case(const char *name, int cells, int nli, double E_nn, double disorder, double field, int64_t nrep,
                    double hops, int shells)
{
    lihop_err err;
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    int nc[3] = {cells, cells, cells};
    if (lihop_lattice_spec_load(LIHOP_SOURCE_DIR "/lattices/llzo_cubic.yaml", &spec, &err) ||
        lihop_lattice_build(&spec, nc, &lat, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    lihop_garnet_params p;
    lihop_garnet_params_default(&p);
    p.nu_Hz = 1e13;
    p.T_K = 400.0;
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.3;
    p.site_energy_eV[O] = 0.02;
    p.E_nn_eV = E_nn;
    if (shells) {   /* O-O at 2.99 A, T-T at 3.97 A (llzo_cubic.yaml) */
        p.npair_shells = 2;
        p.pair_shell_min_A[0] = 2.9; p.pair_shell_max_A[0] = 3.1; p.pair_shell_eV[0] = 0.055;
        p.pair_shell_min_A[1] = 3.9; p.pair_shell_max_A[1] = 4.05; p.pair_shell_eV[1] = 0.08;
    }
    p.disorder_sigma_eV = disorder;
    p.disorder_seed = 11;
    p.field_V_m[0] = field;
    p.nli = nli;
    p.nreplicas = nrep;
    p.hops_per_li = hops;
    p.equil_hops_per_li = 5.0;
    p.nsamples = 24;
    p.nbatches = 8;
    p.check_every = 997;
    p.seed = 424242;
    p.stream = 3;
    lihop_garnet *g = NULL;
    if (lihop_garnet_create(lat, &p, &g, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    lihop_garnet_job job;
    lihop_garnet_replica *cpu = (lihop_garnet_replica *)malloc(sizeof *cpu * (size_t)nrep);
    lihop_garnet_replica *gpu = (lihop_garnet_replica *)malloc(sizeof *gpu * (size_t)nrep);
    memset(cpu, 0x5a, sizeof *cpu * (size_t)nrep);
    int bad = 0;
    if (lihop_garnet_job_get(g, &job, &err) || lihop_garnet_run_replicas(g, 0, nrep, 0, cpu, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    const lihop_cuda_garnet_mode modes[2] = {LIHOP_CUDA_GARNET_SHARED, LIHOP_CUDA_GARNET_GLOBAL};
    const char *mname[2] = {"shared", "global"};
    for (int q = 0; q < 2; ++q) {
        memset(gpu, 0xa5, sizeof *gpu * (size_t)nrep);   /* records must not depend on prior contents */
        lihop_status st = lihop_cuda_garnet_run_replicas(&job, 0, nrep, modes[q], gpu, &err);
        if (st == LIHOP_ERR_INPUT && modes[q] == LIHOP_CUDA_GARNET_SHARED) {
            printf("%s: shared mode does not fit (%s), skipped\n", name, err.msg);
            continue;
        }
        if (st != LIHOP_OK) {
            fprintf(stderr, "FAIL: %s (%s mode): %s\n", name, mname[q], err.msg);
            return 1;
        }
        char what[128];
        snprintf(what, sizeof what, "%s, %s mode", name, mname[q]);
        bad |= compare(what, cpu, gpu, nrep);
    }
    /* a sub-range starting mid-way gives the same records as the full run */
    int64_t first = nrep / 3, count = nrep - first;
    if (lihop_cuda_garnet_run_replicas(&job, first, count, LIHOP_CUDA_GARNET_AUTO, gpu, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    bad |= compare("sub-range, auto mode", cpu + first, gpu, count);
    /* and the observables through the backend switch */
    lihop_garnet_result rc, rg;
    if (lihop_garnet_run_backend(g, LIHOP_BACKEND_CPU, 0, &rc, &err) ||
        lihop_garnet_run_backend(g, LIHOP_BACKEND_CUDA, 0, &rg, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    uint64_t hops_total = 0, checks = 0;
    for (int64_t k = 0; k < nrep; ++k) { hops_total += cpu[k].hops; checks += cpu[k].check_failures; }
    printf("%s: %llu hops, %llu check failures; D* cpu %.17g gpu %.17g; sigma_NE cpu %.17g gpu %.17g\n", name,
           (unsigned long long)hops_total, (unsigned long long)checks, rc.D_tracer_m2_s, rg.D_tracer_m2_s,
           rc.sigma_NE_S_m, rg.sigma_NE_S_m);
    bad |= checks != 0;
    bad |= rg.backend != LIHOP_BACKEND_CUDA;
    rg.backend = rc.backend;
    rc.wall_s = rg.wall_s = 0.0;
    rc.threads = rg.threads = 0;
    bad |= memcmp(&rc, &rg, sizeof rc) != 0;
    free(cpu);
    free(gpu);
    lihop_garnet_destroy(g);
    lihop_lattice_destroy(lat);
    return bad;
}

int main(void)
{
    if (lihop_cuda_device_count() == 0) {
        printf("SKIP: no CUDA device\n");
        return 77;
    }
    char dev[256];
    lihop_cuda_device_name(dev, sizeof dev);
    printf("device: %s\n", dev);
    int bad = 0;
    bad |= run_case("LLZO 2x2x2 Li6 E_nn 0.1 eV", 2, 384, 0.1, 0.02, 2e7, 300, 20.0, 0);
    bad |= run_case("LLZO 2x2x2 Li6.4 E_nn 0.1 eV + O-O, T-T shells", 2, 410, 0.1, 0.02, 2e7, 200, 20.0, 1);
    bad |= run_case("LLZO 1x1x1 single Li", 1, 1, 0.0, 0.0, 0.0, 1000, 200.0, 0);
    printf("%s\n", bad ? "FAIL: CPU and GPU differ" : "CPU and GPU bit-identical");
    return bad;
}
