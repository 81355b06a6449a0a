/* garnet_bench.c - exact-BKL throughput of the garnet engine (events/s), one JSON line.
 *
 *   garnet_bench [--backend cpu|cuda] [--threads N] [--replicas N] [--hops-per-li X]
 *                [--cells N] [--li-per-fu X] [--equil-hops-per-li X] [--cuda-mode auto|shared|global]
 *                [--shells]
 *
 * Workload (the reference): cubic LLZO 48g lattice (lattices/llzo_cubic.yaml),
 * 2x2x2 cells = 576 sites, Li6 per formula unit = 384 Li (--li-per-fu 6.4 gives 410),
 * KRA barrier 0.3 eV for T<->O, T-O repulsion E_nn = 0.1 eV, nu = 1e13 Hz, 298.15 K,
 * 100 hops per Li after 10 per Li of equilibration.  --shells adds the pair shells
 * of configs/materials/llzo_ta.yaml (O-O 2.99 A 0.055 eV, T-T 3.97 A 0.08 eV).  The real engine: the pilot
 * (run length) is done first and not timed; the timed part is
 * lihop_garnet_run_replicas_backend over all replicas (placement, equilibration,
 * production, MSDs).  events counts equilibration and production events;
 * events_per_s_per_core = events_per_s / threads on the CPU (null on CUDA);
 * cpu_s is the process CPU time of the timed part (on a shared machine,
 * events / cpu_s is the per-core rate without the time spent descheduled).
 * Without a GPU, --backend cuda exits 77. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend_cuda.h"
#include "garnet.h"
#include "lattice.h"
#include "lihop_version.h"
#include "garnet_observe.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_s(void)   /* CPU time of the process (all threads) */
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void cpu_name(char *buf, size_t len)
{
    snprintf(buf, len, "cpu");
    FILE *fp = fopen("/proc/cpuinfo", "r");
    if (!fp) return;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        if (strncmp(line, "model name", 10) != 0) continue;
        char *v = strchr(line, ':');
        if (!v) break;
        v += 1 + (v[1] == ' ');
        v[strcspn(v, "\n")] = '\0';
        for (char *q = v; *q; ++q)
            if (*q == '"' || *q == '\\') *q = ' ';
        snprintf(buf, len, "%s", v);
        break;
    }
    fclose(fp);
}

static int usage(void)
{
    fprintf(stderr, "usage: garnet_bench [--backend cpu|cuda] [--threads N] [--replicas N] [--hops-per-li X]\n"
                    "                    [--cells N] [--li-per-fu X] [--equil-hops-per-li X]"
                    " [--cuda-mode auto|shared|global] [--shells]\n");
    return 2;
}

int main(int argc, char **argv)
{
    int cuda = 0, threads = 1, cells = 2, shells = 0;
    long long replicas = -1;
    double hops = 100.0, equil = 10.0, li_per_fu = 6.0;
    lihop_cuda_garnet_mode mode = LIHOP_CUDA_GARNET_AUTO;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (!strcmp(a, "--shells")) { shells = 1; continue; }
        if (i + 1 >= argc) return usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--backend")) {
            if (!strcmp(v, "cuda")) cuda = 1;
            else if (!strcmp(v, "cpu")) cuda = 0;
            else return usage();
        } else if (!strcmp(a, "--threads")) threads = atoi(v);
        else if (!strcmp(a, "--replicas")) replicas = atoll(v);
        else if (!strcmp(a, "--hops-per-li")) hops = atof(v);
        else if (!strcmp(a, "--equil-hops-per-li")) equil = atof(v);
        else if (!strcmp(a, "--cells")) cells = atoi(v);
        else if (!strcmp(a, "--li-per-fu")) li_per_fu = atof(v);
        else if (!strcmp(a, "--cuda-mode")) {
            if (!strcmp(v, "auto")) mode = LIHOP_CUDA_GARNET_AUTO;
            else if (!strcmp(v, "shared")) mode = LIHOP_CUDA_GARNET_SHARED;
            else if (!strcmp(v, "global")) mode = LIHOP_CUDA_GARNET_GLOBAL;
            else return usage();
        } else return usage();
    }
    if (threads < 1 || cells < 1 || !(hops > 0.0) || !(equil >= 0.0)) return usage();
    if (cuda && lihop_cuda_device_count() == 0) {
        char why[256];
        lihop_cuda_device_name(why, sizeof why);
        fprintf(stderr, "garnet_bench: --backend cuda but no CUDA device: %s\n", why);
        return 77;
    }
    if (replicas < 0) replicas = cuda ? 4096 : 8LL * threads;
    if (replicas < 1) return usage();

    lihop_err err;
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    int nc[3] = {cells, cells, cells};
    if (lihop_lattice_spec_load(LIHOP_SOURCE_DIR "/lattices/llzo_cubic.yaml", &spec, &err) ||
        lihop_lattice_build(&spec, nc, &lat, &err)) {
        fprintf(stderr, "garnet_bench: %s\n", err.msg);
        return 1;
    }
    int nli = 0;
    if (lihop_lattice_li_count(&spec, lat, li_per_fu, &nli, &err)) {
        fprintf(stderr, "garnet_bench: %s\n", err.msg);
        return 1;
    }
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    lihop_garnet_params p;
    lihop_garnet_params_default(&p);
    p.nu_Hz = 1e13;
    p.T_K = 298.15;
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.3;
    p.E_nn_eV = 0.1;
    if (shells) {
        p.npair_shells = 2;
        p.pair_shell_min_A[0] = 2.9; p.pair_shell_max_A[0] = 3.1; p.pair_shell_eV[0] = 0.055;
        p.pair_shell_min_A[1] = 3.9; p.pair_shell_max_A[1] = 4.05; p.pair_shell_eV[1] = 0.08;
    }
    p.nli = nli;
    p.nreplicas = replicas;
    p.hops_per_li = hops;
    p.equil_hops_per_li = equil;
    p.nbatches = replicas < 8 ? (int)replicas : 8;
    p.seed = 2026;
    lihop_garnet *g = NULL;
    lihop_garnet_replica *rep = (lihop_garnet_replica *)calloc((size_t)replicas, sizeof *rep);
    double t_end = 0.0;
    if (!rep || lihop_garnet_create(lat, &p, &g, &err) || lihop_garnet_t_end(g, &t_end, &err)) {
        fprintf(stderr, "garnet_bench: %s\n", rep ? err.msg : "out of memory");
        return 1;
    }

    lihop_status st;
    double c0 = cpu_s(), t0 = now_s();
    if (cuda) {
        lihop_garnet_job job;
        st = lihop_garnet_job_get(g, &job, &err);
        if (st == LIHOP_OK) st = lihop_cuda_garnet_run_replicas(&job, 0, replicas, mode, rep, &err);
    } else {
        st = lihop_garnet_run_replicas_backend(g, LIHOP_BACKEND_CPU, 0, replicas, threads, rep, &err);
    }
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    if (st != LIHOP_OK) {
        fprintf(stderr, "garnet_bench: %s\n", err.msg);
        return st == LIHOP_ERR_NO_GPU ? 77 : 1;
    }
    unsigned long long events = 0;
    for (long long k = 0; k < replicas; ++k) {
        if (rep[k].status != 0) {
            fprintf(stderr, "garnet_bench: replica %lld could not place its Li\n", k);
            return 1;
        }
        events += rep[k].hops + rep[k].equil_events;
    }
    char device[256];
    if (cuda) lihop_cuda_device_name(device, sizeof device);
    else cpu_name(device, sizeof device);
    double eps = (double)events / wall;
    char per_core[64];
    if (cuda) snprintf(per_core, sizeof per_core, "null");
    else snprintf(per_core, sizeof per_core, "%.4e", eps / threads);
    printf("{\"benchmark\": \"garnet_bkl\", \"backend\": \"%s\", \"device\": \"%s\", \"threads\": %d, "
           "\"cells\": [%d, %d, %d], \"sites\": %d, \"li\": %d, \"replicas\": %lld, \"events\": %llu, "
           "\"wall_s\": %.4f, \"events_per_s\": %.4e, \"events_per_s_per_core\": %s, \"E_nn_eV\": %.3f, "
           "\"E_kra_eV\": %.3f, \"pair_shells\": %d, \"T_K\": %.2f, \"hops_per_li\": %g, \"cpu_s\": %.4f, \"git_describe\": \"%s\"}\n",
           cuda ? "cuda" : "cpu", device, cuda ? 0 : threads, cells, cells, cells, lat->nsites, nli, replicas,
           events, wall, eps, per_core, p.E_nn_eV, p.E_kra_eV[T][O], p.npair_shells, p.T_K, hops, cpu, LIHOP_GIT_DESCRIBE);
    free(rep);
    lihop_garnet_destroy(g);
    lihop_lattice_destroy(lat);
    return 0;
}
