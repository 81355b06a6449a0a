/* main.c - the lihop command line (DESIGN section 6); options and usage in cli.c.  The library never
 * prints or exits; this file turns statuses into messages and exit codes:
 * 0 ok, 2 bad input, 3 I/O, 4 GPU requested but unavailable, 130 interrupted. */
#include <errno.h>
#include <math.h>
#include <hdf5.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "backend_cuda.h"
#include "cli.h"
#include "config.h"
#include "durable.h"
#include "export_bpx.h"
#include "export_csv.h"
#include "export_traj.h"
#include "sweep.h"
#include "garnet.h"
#include "garnet_setup.h"
#include "garnet_table.h"
#include "h5out.h"
#include "handoff.h"
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

static void config_dir(const char *path, char *dir, size_t len)
{
    snprintf(dir, len, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, len, ".");
}

enum { OPT_BACKEND = 1000, OPT_THREADS, OPT_RESUME, OPT_OVERWRITE, OPT_WIDE, OPT_CHECK, OPT_LIST, OPT_JSON, OPT_CELLS, OPT_TRAJECTORY };

typedef struct {
    const char *cfg_path, *out_path;
    const char *trajectory;     /* --trajectory K: the point to write as H5MD after the run (NULL: none) */
    int threads, resume, overwrite, wide, backend_set;
    lihop_backend_kind backend;
} run_args;

static int parse_backend(const char *b, lihop_backend_kind *out)
{
    if (!strcmp(b, "auto")) *out = LIHOP_BACKEND_AUTO;
    else if (!strcmp(b, "cpu")) *out = LIHOP_BACKEND_CPU;
    else if (!strcmp(b, "cuda")) *out = LIHOP_BACKEND_CUDA;
    else return lihop_cli_error("run", "--backend expects auto, cpu or cuda, got '%s'", b);
    return 0;
}

/* 0 and *a filled, 2 after a wrong call, -1 after --help (exit 0). */
static int parse_run(int argc, char **argv, run_args *a)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},        {"backend", required_argument, NULL, OPT_BACKEND},
        {"threads", required_argument, NULL, OPT_THREADS}, {"resume", no_argument, NULL, OPT_RESUME},
        {"overwrite", no_argument, NULL, OPT_OVERWRITE},  {"wide", no_argument, NULL, OPT_WIDE},
        {"trajectory", required_argument, NULL, OPT_TRAJECTORY}, {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->backend = LIHOP_BACKEND_AUTO;
    lihop_cli_begin();
    for (int c; (c = lihop_cli_next("run", argc, argv, "o:", longs)) != -1;) {
        if (c == LIHOP_CLI_BAD) return 2;
        if (c == 'h') return lihop_cli_cmd_usage(stdout, "run"), -1;
        if (c == 'o') a->out_path = optarg;
        else if (c == OPT_THREADS && lihop_cli_threads("run", optarg, &a->threads)) return 2;
        else if (c == OPT_BACKEND && (a->backend_set = 1) && parse_backend(optarg, &a->backend)) return 2;
        else if (c == OPT_RESUME) a->resume = 1;
        else if (c == OPT_OVERWRITE) a->overwrite = 1;
        else if (c == OPT_WIDE) a->wide = 1;
        else if (c == OPT_TRAJECTORY) {
            char *end;
            long k = strtol(optarg, &end, 10);
            if (end == optarg || *end || k < 0 || k >= LIHOP_MAX_POINTS)
                return lihop_cli_error("run", "--trajectory expects a point id >= 0, got '%s'", optarg);
            a->trajectory = optarg;
        }
    }
    if (optind < argc) a->cfg_path = argv[optind++];
    if (optind < argc) return lihop_cli_error("run", "one CONFIG only, got '%s' too", argv[optind]);
    return 0;
}

/* The command as typed, for /metadata (before getopt reorders argv). */
static void command_line(int argc, char **argv, char *buf, size_t len)
{
    snprintf(buf, len, "lihop");
    for (int i = 0; i < argc; ++i) {
        strncat(buf, " ", len - strlen(buf) - 1);
        strncat(buf, argv[i], len - strlen(buf) - 1);
    }
}

/* --trajectory K after a finished run: `lihop export h5md OUT --point K -o
 * OUT_STEM.pointK.h5md` with its defaults (the same replay; README "H5MD
 * trajectory export"; other choices: call lihop export h5md). */
static int run_trajectory(const char *out_path, const char *point, int threads)
{
    char traj[LIHOP_DURABLE_PATH_LEN], nt[16];
    size_t stem = strlen(out_path);
    if (stem > 3 && !strcmp(out_path + stem - 3, ".h5")) stem -= 3;
    if (snprintf(traj, sizeof traj, "%.*s.point%s.h5md", (int)stem, out_path, point) >= (int)sizeof traj) {
        fprintf(stderr, "lihop: error: --trajectory: the name %.*s.point%s.h5md is too long\n", (int)stem, out_path, point);
        return 2;
    }
    snprintf(nt, sizeof nt, "%d", threads);
    char *args[] = {"export", "h5md", (char *)out_path, "--point", (char *)point, "-o", traj, "--threads", nt, NULL};
    fflush(stdout);
    return lihop_cmd_export_h5md(threads > 0 ? 9 : 7, args);
}

static int cmd_run(int argc, char **argv)
{
    char cmdline[2048];
    command_line(argc, argv, cmdline, sizeof cmdline);
    run_args a;
    int pc = parse_run(argc, argv, &a);
    if (pc) return pc < 0 ? 0 : pc;
    const char *cfg_path = a.cfg_path, *out_path = a.out_path;
    int threads = a.threads;
    lihop_err err = {{0}};
    lihop_config *cfg = NULL;
    lihop_status st = cfg_path ? lihop_config_load(cfg_path, &cfg, &err)
                               : lihop_config_parse(LIHOP_QUICKSTART_YAML, "configs/quickstart.yaml (built in)", &cfg, &err);
    if (st) return fail(st, &err);
    if (a.backend_set) cfg->backend = a.backend;
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
    else {
        int nt = threads > 0 ? threads : omp_get_max_threads();
        snprintf(device, sizeof device, "cpu (%d OpenMP thread%s)", nt, nt == 1 ? "" : "s");
    }
    char dir[LIHOP_PATH_LEN];
    config_dir(cfg_path ? cfg_path : LIHOP_SOURCE_DIR "/configs/quickstart.yaml", dir, sizeof dir);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    lihop_run_opts o = {cfg_path ? cfg_path : "configs/quickstart.yaml (built in)", cfg_path, dir, out_path, cmdline,
                        resolved, device, threads, a.resume, a.overwrite, a.wide, &g_interrupt};
    int code = lihop_run_sweep(cfg, &o);
    lihop_config_destroy(cfg);
    return code == 0 && a.trajectory && lihop_mpi_rank() == 0 ? run_trajectory(out_path, a.trajectory, threads) : code;
}

static const struct option OUT_ONLY[] = {{"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};

/* Options of a command that takes -o and positional words only: the words in
 * pos[0..*npos) (at most max).  0, 2 after a wrong call, -1 after --help. */
static int parse_out_only(const char *cmd, int argc, char **argv, const char **out, const char **pos, int max,
                          int *npos)
{
    lihop_cli_begin();
    for (int c; (c = lihop_cli_next(cmd, argc, argv, "o:", OUT_ONLY)) != -1;) {
        if (c == LIHOP_CLI_BAD) return 2;
        if (c == 'h') return lihop_cli_cmd_usage(stdout, cmd), -1;
        if (c == 'o') *out = optarg;
    }
    for (*npos = 0; optind < argc; ++optind) {
        if (*npos == max) return lihop_cli_error(cmd, "unexpected argument '%s'", argv[optind]);
        pos[(*npos)++] = argv[optind];
    }
    return 0;
}

/* Achieved volume (and, with densities, weight) fractions and the filler's target. */
static void print_fractions(const lihop_config *cfg, const lihop_micro *m, const char *const *names)
{
    lihop_micro_report rep;
    lihop_err e;
    if (lihop_micro_fraction_report(m, &cfg->micro, &rep, &e) != LIHOP_OK) {
        printf("  (fractions not available: %s)\n", e.msg);
        return;
    }
    for (int p = 0; p < cfg->nphases; ++p) {
        printf("  %-16s volume fraction %.4f", names[p], rep.volume_fraction[p]);
        if (rep.has_weight) printf("  weight fraction %.4f", rep.weight_fraction[p]);
        printf("\n");
    }
    if (rep.filler_phase >= 0 && !isnan(rep.target_volume_fraction))
        printf("  filler %s: target %.4f by volume%s, achieved %.4f\n", names[rep.filler_phase],
               rep.target_volume_fraction, cfg->micro.by_weight ? " (from the weight fraction)" : "",
               rep.volume_fraction[rep.filler_phase]);
}

static int cmd_micro(int argc, char **argv)
{
    const char *cfg_path = NULL, *out_path = NULL;
    char cmdline[2048];
    command_line(argc, argv, cmdline, sizeof cmdline);
    int n, pc = parse_out_only("micro", argc, argv, &out_path, &cfg_path, 1, &n);
    if (pc) return pc < 0 ? 0 : pc;
    if (!cfg_path) return lihop_cli_error("micro", "missing CONFIG (a voxel YAML deck)");
    if (!out_path) return lihop_cli_error("micro", "missing -o OUT.h5 (where to write the microstructure)");
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
    lihop_provenance prov = {cmdline, cfg_path, cfg->text, 1, cfg->micro.seed};
    if (!st) st = lihop_micro_write_h5_prov(m, out_path, "/phase", names, &prov, &err);
    if (!st) {
        printf("%d x %d x %d voxels of %.3g m written to %s (dataset /phase) and %s.xdmf\n", m->n[0], m->n[1], m->n[2],
               m->voxel_m, out_path, out_path);
        print_fractions(cfg, m, names);
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

/* --cells N1 N2 N3: optarg is N1, the next two words N2 and N3. */
static int parse_cells(int argc, char **argv, int cells[3])
{
    const char *w[3] = {optarg, optind < argc ? argv[optind] : NULL, optind + 1 < argc ? argv[optind + 1] : NULL};
    for (int a = 0; a < 3; ++a) {
        char *end;
        long v = w[a] ? strtol(w[a], &end, 10) : 0;
        if (!w[a] || end == w[a] || *end || v < 1 || v > 64)
            return lihop_cli_error("lattice", "--cells expects three integers 1..64, got '%s'", w[a] ? w[a] : "(nothing)");
        cells[a] = (int)v;
    }
    optind += 2;
    return 0;
}

static int cmd_lattice(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'}, {"cells", required_argument, NULL, OPT_CELLS}, {NULL, 0, NULL, 0}};
    const char *path = NULL, *out_path = NULL;
    int cells[3] = {1, 1, 1};
    char cmdline[2048];
    command_line(argc, argv, cmdline, sizeof cmdline);
    lihop_cli_begin();
    for (int c; (c = lihop_cli_next("lattice", argc, argv, "o:", longs)) != -1;) {
        if (c == LIHOP_CLI_BAD) return 2;
        if (c == 'h') return lihop_cli_cmd_usage(stdout, "lattice"), 0;
        if (c == 'o') out_path = optarg;
        else if (c == OPT_CELLS && parse_cells(argc, argv, cells)) return 2;
    }
    if (optind < argc) path = argv[optind++];
    if (optind < argc) return lihop_cli_error("lattice", "unexpected argument '%s'", argv[optind]);
    if (!path) return lihop_cli_error("lattice", "missing FILE (a lattice YAML file)");
    lihop_err err = {{0}};
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_lattice_spec_load(path, &spec, &err);
    if (!st) st = lihop_lattice_build(&spec, cells, &lat, &err);
    if (!st) {
        lihop_lattice_report(&spec, lat, stdout);
        if (out_path) {
            lihop_provenance prov = {cmdline, path, NULL, 0, 0};
            st = lihop_lattice_write_h5_prov(lat, out_path, &prov, &err);
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

typedef struct {
    const char *only;
    int json, list, threads;
} validate_args;

/* 0, 2 after a wrong call, -1 after --help. */
static int parse_validate(int argc, char **argv, validate_args *a)
{
    static const struct option longs[] = {
        {"check", required_argument, NULL, OPT_CHECK}, {"json", no_argument, NULL, OPT_JSON},
        {"list", no_argument, NULL, OPT_LIST},         {"threads", required_argument, NULL, OPT_THREADS},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    lihop_cli_begin();
    for (int c; (c = lihop_cli_next("validate", argc, argv, "", longs)) != -1;) {
        if (c == LIHOP_CLI_BAD) return 2;
        if (c == 'h') return lihop_cli_cmd_usage(stdout, "validate"), -1;
        if (c == OPT_CHECK) a->only = optarg;
        else if (c == OPT_JSON) a->json = 1;
        else if (c == OPT_LIST) a->list = 1;
        else if (c == OPT_THREADS && lihop_cli_threads("validate", optarg, &a->threads)) return 2;
    }
    if (optind < argc) return lihop_cli_error("validate", "unexpected argument '%s'", argv[optind]);
    return 0;
}

static int cmd_validate(int argc, char **argv)
{
    validate_args va;
    int pc = parse_validate(argc, argv, &va);
    if (pc) return pc < 0 ? 0 : pc;
    const char *only = va.only;
    int json = va.json, list = va.list, threads = va.threads;
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

/* Where the CSV goes: stdout, or out_path (removed again when the export fails). */
static int export_csv(const char *in_path, const char *out_path)
{
    lihop_err err = {{0}};
    lihop_durable d;
    FILE *out = stdout;
    lihop_status st = out_path ? lihop_durable_fopen(&d, out_path, &out, &err) : LIHOP_OK;
    if (st) return fail(st, &err);
    lihop_csv_info info;
    st = lihop_export_csv(in_path, out, out_path ? out_path : "stdout", &info, &err);
    if (out_path) {
        lihop_err cerr = {{0}};
        lihop_status cs = lihop_durable_fclose(&d, out, !st, &cerr);
        if (!st && cs) st = cs, err = cerr;
    }
    if (st) return fail(st, &err);
    if (strcmp(info.status, "complete"))
        fprintf(stderr, "lihop: warning: %s has status '%s', not 'complete': the CSV holds only the points "
                        "finished so far\n", in_path, info.status[0] ? info.status : "(none)");
    if (out_path)
        fprintf(stderr, "%lld rows of %d columns written to %s\n", info.nrows, info.ncols, out_path);
    return 0;
}

/* lihop export bpx RESULTS --base CELL.json -o OUT.json [--line N] (README "BPX export"). */
static int export_bpx(const char *in_path, const char *base, const char *out_path, int line)
{
    if (!base) return lihop_cli_error("export", "bpx needs --base CELL.json (the BPX cell the electrolyte goes into)");
    if (!out_path) return lihop_cli_error("export", "bpx needs -o OUT.json (where to write the BPX file)");
    lihop_err err = {{0}};
    lihop_bpx_values v;
    lihop_status st = lihop_export_bpx(in_path, base, out_path, line, &v, &err);
    if (st) return fail(st, &err);
    if (v.T_ref_K < v.T_min_K || v.T_ref_K > v.T_max_K)
        fprintf(stderr, "lihop: warning: the reference temperature %g K is outside the fitted %g-%g K: the "
                        "electrolyte values are extrapolated\n", v.T_ref_K, v.T_min_K, v.T_max_K);
    printf("%s: Electrolyte of %s line %d at %g K: sigma %.6g S/m (Ea %.6g J/mol), D_%s %.6g m2/s (Ea %.6g J/mol), "
           "t+ %.6g\n", out_path, in_path, v.line, v.T_ref_K, v.sigma_S_m, v.Ea_sigma_J_mol, v.li_species, v.D_m2_s,
           v.Ea_D_J_mol, v.t_plus);
    return 0;
}

/* --line N: a /fits line number >= 0. */
static int parse_line(const char *value, int *line)
{
    char *end;
    errno = 0;
    long l = strtol(value, &end, 10);
    if (end == value || *end || errno || l < 0 || l > INT_MAX)
        return lihop_cli_error("export", "--line expects a sweep line number >= 0 (see /fits), got '%s'", value);
    *line = (int)l;
    return 0;
}

static int cmd_export(int argc, char **argv)
{
    if (lihop_export_is_h5md(argc, argv)) return lihop_cmd_export_h5md(argc, argv);   /* export_traj.c */
    static const struct option longs[] = {{"output", required_argument, NULL, 'o'},
                                          {"base", required_argument, NULL, 'b'},
                                          {"line", required_argument, NULL, 'l'},
                                          {NULL, 0, NULL, 0}};
    const char *out_path = NULL, *base = NULL, *pos[2] = {NULL, NULL};
    int line = -1, n = 0;
    lihop_cli_begin();
    for (int c; (c = lihop_cli_next("export", argc, argv, "o:", longs)) != -1;) {
        if (c == LIHOP_CLI_BAD) return 2;
        if (c == 'h') return lihop_cli_cmd_usage(stdout, "export"), 0;
        if (c == 'o') out_path = optarg;
        if (c == 'b') base = optarg;
        if (c == 'l' && parse_line(optarg, &line)) return 2;
    }
    for (; optind < argc; ++optind) {
        if (n == 2) return lihop_cli_error("export", "unexpected argument '%s'", argv[optind]);
        pos[n++] = argv[optind];
    }
    if (n == 0) return lihop_cli_error("export", "missing the format (csv, bpx or h5md) and RESULTS.h5");
    int bpx = !strcmp(pos[0], "bpx");
    if (!bpx && strcmp(pos[0], "csv")) return lihop_cli_error("export", "unknown format '%s' (known: csv, bpx, h5md)", pos[0]);
    if (n == 1) return lihop_cli_error("export", "missing RESULTS.h5 (a lihop run results file)");
    if (bpx) return export_bpx(pos[1], base, out_path, line);
    if (base || line >= 0) return lihop_cli_error("export", "--base and --line are options of export bpx, not csv");
    return export_csv(pos[1], out_path);
}

/* lihop handoff BULK.h5 [BICRYSTAL.h5] [-o OUT.yaml] (handoff.c) */
static int cmd_handoff(int argc, char **argv)
{
    const char *out_path = NULL, *pos[2] = {NULL, NULL};
    int n, pc = parse_out_only("handoff", argc, argv, &out_path, pos, 2, &n);
    if (pc) return pc < 0 ? 0 : pc;
    if (n == 0) return lihop_cli_error("handoff", "missing BULK.h5 (garnet bulk results of lihop run)");
    lihop_err err = {{0}};
    lihop_durable d;
    FILE *out = stdout;
    lihop_status st = out_path ? lihop_durable_fopen(&d, out_path, &out, &err) : LIHOP_OK;
    if (st) return fail(st, &err);
    st = lihop_handoff_yaml(out, pos[0], pos[1], &err);
    if (out_path) {
        lihop_err cerr = {{0}};
        lihop_status cs = lihop_durable_fclose(&d, out, !st, &cerr);
        if (!st && cs) st = cs, err = cerr;
    }
    if (!st && out_path) fprintf(stderr, "phase%s block written to %s\n", pos[1] ? " and interface" : "", out_path);
    return st ? fail(st, &err) : 0;
}

static int print_version(void)
{
    char dev[256];
    lihop_cuda_device_name(dev, sizeof dev);
    char mpi[256];
    lihop_mpi_describe(mpi, sizeof mpi);
    printf("lihop %s (%s)\nCUDA device: %s\nMPI: %s\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE, dev, mpi);
    return 0;
}

/* lihop help [CMD] */
static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        lihop_cli_usage(stdout);
        return 0;
    }
    if (argc > 2) return lihop_cli_error("help", "unexpected argument '%s'", argv[2]);
    if (lihop_cli_cmd_usage(stdout, argv[1]) == 0) return 0;
    return lihop_cli_error(NULL, "help: unknown command '%s'", argv[1]);
}

static int dispatch(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"run", cmd_run},           {"micro", cmd_micro},   {"lattice", cmd_lattice},
                {"validate", cmd_validate}, {"export", cmd_export}, {"handoff", cmd_handoff},
                {"help", cmd_help}};
    if (argc < 2) return lihop_cli_error(NULL, "missing command");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) return print_version();
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) return cmd_help(argc - 1, argv + 1);
    /* each command parses argv from its own name on (getopt's argv[0]) */
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; ++i)
        if (!strcmp(cmd, cmds[i].name)) return cmds[i].fn(argc - 1, argv + 1);
    return lihop_cli_error(NULL, "unknown command '%s'", cmd);
}

/* Under mpirun every rank runs the same command; `lihop run` shares out its points (sweep_mpi.h). */
int main(int argc, char **argv)
{
    /* Every HDF5 object is closed explicitly.  HDF5 1.10 cannot close a file
     * after a write failed on a full disk (its cache is left inconsistent),
     * and its exit handler then crashes on that file: exit 3 must stay exit 3. */
    H5dont_atexit();
    lihop_config_set_garnet_reader(lihop_garnet_table_read);   /* phases[].from_garnet, interfaces[].from_garnet */
    lihop_mpi_init(&argc, &argv);
    int code = dispatch(argc, argv);
    lihop_mpi_finalize();
    return code;
}
