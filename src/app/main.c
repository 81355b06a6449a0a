/* main.c - the lihop command line (DESIGN section 6).  The library never
 * prints or exits; this file turns statuses into messages and exit codes:
 * 0 ok, 2 bad input, 3 I/O, 4 GPU requested but unavailable, 130 interrupted. */
#include <math.h>
#include <hdf5.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "backend_cuda.h"
#include "config.h"
#include "garnet.h"
#include "garnet_setup.h"
#include "h5out.h"
#include "lattice.h"
#include "lattice_h5.h"
#include "lihop_quickstart.h"
#include "lihop_version.h"
#include "micro_h5.h"
#include "micro_fields.h"
#include "percolation.h"
#include "sweep_mpi.h"
#include "sweep_run.h"
#include "validate.h"
#include "voxel.h"

static volatile sig_atomic_t g_interrupt = 0;
/* First Ctrl-C: finish cleanly between chunks; a second one kills at once. */
static void on_signal(int sig)
{
    g_interrupt = 1;
    signal(sig, SIG_DFL);
}

static int fail(lihop_status st, const lihop_err *err)
{
    fprintf(stderr, "lihop: error: %s\n", err->msg);
    return lihop_exit_code(st);
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage:\n"
            "  lihop run [CONFIG] [-o OUT.h5] [--backend auto|cpu|cuda] [--threads N] [--resume] [--overwrite]\n"
            "            (no CONFIG: the built-in quickstart job, configs/quickstart.yaml)\n"
            "  lihop micro CONFIG -o OUT.h5       build the microstructure, write it with an XDMF sidecar\n"
            "  lihop lattice FILE [--cells N1 N2 N3] [-o GRAPH.h5]\n"
            "  lihop validate [--check NAME] [--list] [--json] [--threads N]\n"
            "  lihop --version\n"
            "exit codes: 0 ok, 2 bad input, 3 I/O error, 4 GPU requested but unavailable, 130 interrupted\n");
}

static void config_dir(const char *path, char *dir, size_t len)
{
    snprintf(dir, len, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, len, ".");
}

static int cmd_run(int argc, char **argv)
{
    const char *cfg_path = NULL, *out_path = NULL;
    int threads = 0, resume = 0, overwrite = 0, backend_set = 0;
    lihop_backend_kind backend = LIHOP_BACKEND_AUTO;
    for (int i = 0; i < argc; ++i) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out_path = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end || t < 1 || t > 4096) {
                fprintf(stderr, "lihop: error: --threads expects an integer 1..4096, got '%s'\n", argv[i]);
                return 2;
            }
            threads = (int)t;
        } else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
            const char *b = argv[++i];
            backend_set = 1;
            if (!strcmp(b, "auto")) backend = LIHOP_BACKEND_AUTO;
            else if (!strcmp(b, "cpu")) backend = LIHOP_BACKEND_CPU;
            else if (!strcmp(b, "cuda")) backend = LIHOP_BACKEND_CUDA;
            else {
                fprintf(stderr, "lihop: error: --backend expects auto, cpu or cuda, got '%s'\n", b);
                return 2;
            }
        } else if (!strcmp(argv[i], "--resume")) resume = 1;
        else if (!strcmp(argv[i], "--overwrite")) overwrite = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "lihop: error: unknown option '%s' for run\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!cfg_path) cfg_path = argv[i];
        else {
            fprintf(stderr, "lihop: error: run takes one CONFIG, got '%s' too\n", argv[i]);
            return 2;
        }
    }
    lihop_err err = {{0}};
    lihop_config *cfg = NULL;
    lihop_status st = cfg_path ? lihop_config_load(cfg_path, &cfg, &err)
                               : lihop_config_parse(LIHOP_QUICKSTART_YAML, "configs/quickstart.yaml (built in)", &cfg, &err);
    if (st) return fail(st, &err);
    if (backend_set) cfg->backend = backend;
    char outbuf[LIHOP_PATH_LEN + 8];
    if (!out_path) {
        const char *base = cfg_path ? strrchr(cfg_path, '/') : NULL;
        base = base ? base + 1 : (cfg_path ? cfg_path : "quickstart.yaml");
        snprintf(outbuf, sizeof outbuf, "%.*s.h5", (int)(strcspn(base, ".")), base);
        out_path = outbuf;
    }
    lihop_backend_kind resolved;
    st = lihop_backend_resolve(cfg->backend, &resolved, &err);
    if (st) {
        lihop_config_destroy(cfg);
        return fail(st, &err);
    }
    char device[256];
    if (resolved == LIHOP_BACKEND_CUDA) lihop_cuda_device_name(device, sizeof device);
    else snprintf(device, sizeof device, "cpu (%d OpenMP threads)", threads > 0 ? threads : omp_get_max_threads());

    char cmdline[2048] = "lihop run";
    for (int i = 0; i < argc; ++i) {
        strncat(cmdline, " ", sizeof cmdline - strlen(cmdline) - 1);
        strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 1);
    }
    char dir[LIHOP_PATH_LEN];
    config_dir(cfg_path ? cfg_path : LIHOP_SOURCE_DIR "/configs/quickstart.yaml", dir, sizeof dir);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    lihop_run_opts o = {cfg_path ? cfg_path : "configs/quickstart.yaml (built in)", cfg_path, dir, out_path, cmdline,
                        resolved, device, threads, resume, overwrite, &g_interrupt};
    int code = lihop_run_sweep(cfg, &o);
    lihop_config_destroy(cfg);
    return code;
}

static int cmd_micro(int argc, char **argv)
{
    const char *cfg_path = NULL, *out_path = NULL;
    for (int i = 0; i < argc; ++i) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out_path = argv[++i];
        else if (argv[i][0] != '-' && !cfg_path) cfg_path = argv[i];
        else {
            fprintf(stderr, "lihop: error: unexpected argument '%s' for micro\n", argv[i]);
            return 2;
        }
    }
    if (!cfg_path || !out_path) {
        usage(stderr);
        return 2;
    }
    lihop_err err = {{0}};
    lihop_config *cfg = NULL;
    lihop_status st = lihop_config_load(cfg_path, &cfg, &err);
    if (st) return fail(st, &err);
    if (cfg->model != LIHOP_MODEL_VOXEL) {
        lihop_config_destroy(cfg);
        fprintf(stderr, "lihop: error: %s: micro builds the microstructure of a voxel deck; this is a garnet deck "
                        "(inspect its lattice with: lihop lattice FILE)\n", cfg_path);
        return 2;
    }
    char dir[LIHOP_PATH_LEN];
    config_dir(cfg_path, dir, sizeof dir);
    lihop_micro *m = NULL;
    st = lihop_micro_load(&cfg->micro, cfg->nphases, dir, &m, &err);
    const char *names[LIHOP_MAX_PHASES];
    for (int p = 0; p < cfg->nphases; ++p) names[p] = cfg->phases[p].name;
    if (!st) st = lihop_micro_write_h5(m, out_path, "/phase", names, &err);
    if (!st) {
        double frac[LIHOP_MAX_PHASES];
        lihop_micro_fractions(m, frac);
        printf("%d x %d x %d voxels of %.3g m written to %s (dataset /phase) and %s.xdmf\n", m->n[0], m->n[1], m->n[2],
               m->voxel_m, out_path, out_path);
        for (int p = 0; p < cfg->nphases; ++p) printf("  %-16s volume fraction %.4f\n", names[p], frac[p]);
        if (m->grain) printf("  %d grains (dataset /grain)\n", (int)m->ngrains);
        lihop_percolation pc;
        st = lihop_percolation_analyse(m, &pc, &err);
        if (!st) {
            char line[4096];
            lihop_percolation_format(&pc, names, line, sizeof line);
            printf("percolates: %s  (group /percolation)\n", line);
        }
        if (!st && cfg->nspace_charge > 0) {
            st = lihop_micro_write_sc_fields(cfg, m, out_path, &err);
            if (!st)
                printf("space charge at %g K: potential_V, space_charge_distance_m and concentration_<species>_m3\n",
                       cfg->temperature_K[0]);
        }
    }
    lihop_micro_destroy(m);
    lihop_config_destroy(cfg);
    return st ? fail(st, &err) : 0;
}

static int cmd_lattice(int argc, char **argv)
{
    const char *path = NULL, *out_path = NULL;
    int cells[3] = {1, 1, 1};
    for (int i = 0; i < argc; ++i) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out_path = argv[++i];
        else if (!strcmp(argv[i], "--cells") && i + 3 < argc) {
            for (int a = 0; a < 3; ++a) {
                char *end;
                long v = strtol(argv[++i], &end, 10);
                if (*end || v < 1 || v > 64) {
                    fprintf(stderr, "lihop: error: --cells expects three integers 1..64, got '%s'\n", argv[i]);
                    return 2;
                }
                cells[a] = (int)v;
            }
        } else if (argv[i][0] != '-' && !path) path = argv[i];
        else {
            fprintf(stderr, "lihop: error: unexpected argument '%s' for lattice\n", argv[i]);
            return 2;
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    lihop_err err = {{0}};
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_lattice_spec_load(path, &spec, &err);
    if (!st) st = lihop_lattice_build(&spec, cells, &lat, &err);
    if (!st) {
        lihop_lattice_report(&spec, lat, stdout);
        if (out_path) {
            st = lihop_lattice_write_h5(lat, out_path, &err);
            if (!st) printf("hop graph written to %s\n", out_path);
        }
    }
    lihop_lattice_destroy(lat);
    return st ? fail(st, &err) : 0;
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; ++s) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

static void json_num(double v)
{
    if (isfinite(v)) printf("%.10g", v);
    else printf("null");
}

static int cmd_validate(int argc, char **argv)
{
    const char *only = NULL;
    int json = 0, list = 0, threads = 0;
    for (int i = 0; i < argc; ++i) {
        if (!strcmp(argv[i], "--check") && i + 1 < argc) only = argv[++i];
        else if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--list")) list = 1;
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else {
            fprintf(stderr, "lihop: error: unexpected argument '%s' for validate\n", argv[i]);
            return 2;
        }
    }
    int n;
    const lihop_check *checks = lihop_validate_checks(&n);
    if (list) {
        for (int i = 0; i < n; ++i) printf("%-28s %s\n", checks[i].name, checks[i].summary);
        return 0;
    }
    int found = 0, failed = 0, first = 1;
    if (json) printf("{\"lihop_version\": \"%s\", \"git_describe\": \"%s\", \"checks\": [\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE);
    else printf("%-28s %-5s %13s %13s %11s %11s  %s\n", "check", "pass", "expected", "measured", "std.err", "tolerance", "claim [unit]");
    for (int i = 0; i < n; ++i) {
        if (only && strcmp(only, checks[i].name)) continue;
        ++found;
        lihop_check_result r;
        memset(&r, 0, sizeof r);
        snprintf(r.name, sizeof r.name, "%s", checks[i].name);
        lihop_err err = {{0}};
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        lihop_status st = checks[i].run(threads, &r, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        r.wall_s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        if (st) {
            r.pass = 0;
            snprintf(r.what, sizeof r.what, "could not run: %.140s", err.msg);
        }
        failed += !r.pass;
        if (json) {
            printf("%s  {\"name\": ", first ? "" : ",\n");
            json_str(r.name);
            printf(", \"claim\": ");
            json_str(r.what);
            printf(", \"expected\": "); json_num(r.expected);
            printf(", \"measured\": "); json_num(r.measured);
            printf(", \"std_error\": "); json_num(r.error);
            printf(", \"tolerance\": "); json_num(r.tolerance);
            printf(", \"unit\": "); json_str(r.unit);
            printf(", \"pass\": %s, \"wall_s\": %.2f}", r.pass ? "true" : "false", r.wall_s);
            first = 0;
        } else {
            printf("%-28s %-5s %13.5g %13.5g %11.3g %11.3g  %s [%s] (%.1f s)\n", r.name, r.pass ? "PASS" : "FAIL",
                   r.expected, r.measured, r.error, r.tolerance, r.what, r.unit, r.wall_s);
        }
        fflush(stdout);
    }
    if (json) printf("\n], \"failed\": %d}\n", failed);
    if (!found) {
        fprintf(stderr, "lihop: error: no check named '%s' (see lihop validate --list)\n", only ? only : "");
        return 2;
    }
    if (!json) printf("%d checks, %d passed, %d failed\n", found, found - failed, failed);
    return failed ? 1 : 0;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        char dev[256];
        lihop_cuda_device_name(dev, sizeof dev);
        char mpi[256];
        lihop_mpi_describe(mpi, sizeof mpi);
        printf("lihop %s (%s)\nCUDA device: %s\nMPI: %s\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE, dev, mpi);
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "micro")) return cmd_micro(argc - 2, argv + 2);
    if (!strcmp(cmd, "lattice")) return cmd_lattice(argc - 2, argv + 2);
    if (!strcmp(cmd, "validate")) return cmd_validate(argc - 2, argv + 2);
    fprintf(stderr, "lihop: error: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}

/* Under mpirun every rank runs the same command; `lihop run` shares out its points (sweep_mpi.h). */
int main(int argc, char **argv)
{
    /* Every HDF5 object is closed explicitly.  HDF5 1.10 cannot close a file
     * after a write failed on a full disk (its cache is left inconsistent),
     * and its exit handler then crashes on that file: exit 3 must stay exit 3. */
    H5dont_atexit();
    lihop_mpi_init(&argc, &argv);
    int code = dispatch(argc, argv);
    lihop_mpi_finalize();
    return code;
}
