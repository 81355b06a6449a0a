/* export_traj.c - `lihop export h5md` (export_traj.h): find the point's
 * sweep coordinates in the file's own deck, check that the deck's files (and
 * a voxel point's microstructure) are the run's, replay the voxel walkers
 * (diag/voxel_replay.h) or a garnet replica (diag/garnet_replay.h), check the
 * replay against what the file stores, and write H5MD (io/export_h5md.h). */
#include "export_traj.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "export_h5md.h"
#include "lihop_version.h"
#include "micro_h5.h"
#include "sweep.h"
#include "garnet_replay.h"
#include "voxel_replay.h"

#define DEFAULT_WALKERS 1000
#define DEFAULT_FRAMES 201
#define DEFAULT_FRAMES_GARNET (LIHOP_GARNET_MAX_SAMPLES + 1)
#define MAX_FRAMES 100000
#define MAX_VALUES 50000000ull       /* walkers x frames: 36 bytes each at the peak (positions, their float and image copies) */

enum { OPT_POINT = 2000, OPT_SPECIES, OPT_WALKERS, OPT_FRAMES, OPT_THREADS, OPT_AUTHOR, OPT_FORCE, OPT_REPLICA, OPT_VERIFY };

typedef struct {
    const char *in, *out, *species, *author;
    long point;
    long long walkers, replica;
    int frames, threads, force, replica_set, verify;   /* frames 0: the model's default */
} h5md_args;

/* A whole decimal number in [lo, hi], else the error naming the option (returns 2). */
static int parse_num(const char *opt, const char *v, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi)
        return lihop_cli_error("export", "%s expects an integer %lld..%lld, got '%s'", opt, lo, hi, v);
    *out = x;
    return 0;
}

static int take_option(int c, h5md_args *a)
{
    long long x = 0;
    int rc = 0;
    switch (c) {
    case 'o': a->out = optarg; break;
    case OPT_SPECIES: a->species = optarg; break;
    case OPT_AUTHOR: a->author = optarg; break;
    case OPT_FORCE: a->force = 1; break;
    case OPT_VERIFY: a->verify = 1; break;
    case OPT_POINT: rc = parse_num("--point", optarg, 0, 2147483647, &x); a->point = (long)x; break;
    case OPT_WALKERS: rc = parse_num("--walkers", optarg, 1, 2147483647, &x); a->walkers = x; break;
    case OPT_FRAMES: rc = parse_num("--frames", optarg, 2, MAX_FRAMES, &x); a->frames = (int)x; break;
    case OPT_THREADS: rc = lihop_cli_threads("export", optarg, &a->threads); break;
    case OPT_REPLICA: rc = parse_num("--replica", optarg, 0, 4294967293ll, &a->replica); a->replica_set = 1; break;
    default: break;
    }
    return rc;
}

static const struct option H5MD_OPTS[] = {
    {"output", required_argument, NULL, 'o'},        {"point", required_argument, NULL, OPT_POINT},
    {"species", required_argument, NULL, OPT_SPECIES}, {"walkers", required_argument, NULL, OPT_WALKERS},
    {"frames", required_argument, NULL, OPT_FRAMES},   {"threads", required_argument, NULL, OPT_THREADS},
    {"author", required_argument, NULL, OPT_AUTHOR},   {"force", no_argument, NULL, OPT_FORCE},
    {"replica", required_argument, NULL, OPT_REPLICA}, {"verify", no_argument, NULL, OPT_VERIFY},
    {NULL, 0, NULL, 0}};

/* 0 and *a filled, 2 after a wrong call, -1 after --help. */
static int parse_args(int argc, char **argv, h5md_args *a)
{
    memset(a, 0, sizeof *a);
    a->point = -1;
    lihop_cli_begin();
    for (int c; (c = lihop_cli_next("export", argc, argv, "o:", H5MD_OPTS)) != -1;) {
        if (c == LIHOP_CLI_BAD) return 2;
        if (c == 'h') return lihop_cli_cmd_usage(stdout, "export"), -1;
        if (take_option(c, a)) return 2;
    }
    int npos = 0;
    for (; optind < argc; ++optind, ++npos) {
        if (npos == 1) a->in = argv[optind];
        else if (npos > 1) return lihop_cli_error("export", "unexpected argument '%s'", argv[optind]);
    }
    if (!a->in) return lihop_cli_error("export", "missing RESULTS.h5 (a lihop run results file)");
    if (a->point < 0) return lihop_cli_error("export", "h5md: missing --point K (the point id in /points)");
    if (!a->out) return lihop_cli_error("export", "h5md: missing -o OUT.h5md (where to write the trajectory)");
    return 0;
}

int lihop_export_is_h5md(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        if (w[0] != '-') return !strcmp(w, "h5md");
        if (!strcmp(w, "--")) return i + 1 < argc && !strcmp(argv[i + 1], "h5md");
        for (const struct option *o = H5MD_OPTS; o->name; o++)      /* skip an option's separate value */
            if (w[1] == '-' && !strcmp(w + 2, o->name) && o->has_arg == required_argument) i++;
        if (!strcmp(w, "-o")) i++;
    }
    return 0;
}

/* The point being exported and what is built for it. */
typedef struct {
    lihop_results_point pt;
    lihop_config *cfg, *view;
    lihop_sweep *sw;
    lihop_micro *m;
    int s, k;
    lihop_err err;
} export_ctx;

static void ctx_free(export_ctx *x)
{
    lihop_micro_destroy(x->m);
    lihop_sweep_destroy(x->sw);
    free(x->view);
    lihop_config_destroy(x->cfg);
    lihop_results_point_free(&x->pt);
}

/* Garnet: the material and lattice files must be the ones the run read. */
static lihop_status check_garnet_files(export_ctx *x)
{
    const char *now[2] = {x->cfg->garnet.material_text, x->cfg->garnet.lattice_text};
    const char *then[2] = {x->pt.garnet_material_text, x->pt.garnet_lattice_text};
    const char *what[2] = {"material", "lattice"};
    const char *path[2] = {x->cfg->garnet.material_path, x->cfg->garnet.lattice_path};
    for (int i = 0; i < 2; ++i)
        if (strcmp(now[i] ? now[i] : "", then[i] ? then[i] : ""))
            return lihop_fail(&x->err, LIHOP_ERR_INPUT, "the %s file %s changed since the run (its /metadata %s_text "
                              "differs): the Li ions cannot be replayed", what[i], path[i], what[i]);
    return LIHOP_OK;
}

/* The file's deck, parsed as it was run (relative paths from its directory);
 * its phase material files must still be the ones the run read. */
static lihop_status load_deck(export_ctx *x, char *dir, size_t cap)
{
    const char *path = x->pt.config_path ? x->pt.config_path : "";
    if (strstr(path, "(built in)")) path = LIHOP_SOURCE_DIR "/configs/quickstart.yaml";
    snprintf(dir, cap, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, cap, ".");
    lihop_status st = lihop_config_parse(x->pt.config_text, path, &x->cfg, &x->err);
    if (st) return st;
    if (x->cfg->model == LIHOP_MODEL_GARNET) return check_garnet_files(x);
    for (int p = 0; p < x->cfg->nphases; ++p) {
        const char *now = x->cfg->phases[p].material_text ? x->cfg->phases[p].material_text : "";
        const char *then = x->pt.material_text[p] ? x->pt.material_text[p] : "";
        if (strcmp(now, then))
            return lihop_fail(&x->err, LIHOP_ERR_INPUT, "the material file of phase '%s' (%s) changed since the run "
                              "(its /metadata/phases material_text differs): the walkers cannot be replayed",
                              x->cfg->phases[p].name, x->cfg->phases[p].material_path);
    }
    return LIHOP_OK;
}

/* The sweep point of the deck whose coordinates are the stored point's. */
static lihop_status find_point(export_ctx *x, int id)
{
    lihop_status st = lihop_sweep_build(x->cfg, &x->sw, &x->err);
    if (st) return st;
    for (int c = 0; c < x->cfg->ncoords; ++c) {
        double v;
        if (!lihop_results_point_attr(&x->pt, x->cfg->coords[c].name, &v))
            return lihop_fail(&x->err, LIHOP_ERR_INPUT, "point %d has no attribute '%s' (a coordinate of the "
                              "file's deck)", id, x->cfg->coords[c].name);
    }
    for (int k = 0; k < x->sw->npoints; ++k) {
        int same = 1;
        for (int c = 0; c < x->cfg->ncoords && same; ++c) {
            double v = 0.0;
            lihop_results_point_attr(&x->pt, x->cfg->coords[c].name, &v);
            same = v == lihop_sweep_value(x->cfg, x->sw, k, c);
        }
        if (same) {
            x->k = k;
            if (!(x->view = malloc(sizeof *x->view)))
                return lihop_fail(&x->err, LIHOP_ERR_NOMEM, "out of memory");
            lihop_sweep_apply(x->cfg, x->sw, k, x->view);
            return LIHOP_OK;
        }
    }
    return lihop_fail(&x->err, LIHOP_ERR_INPUT, "point %d's coordinates are not a point of the deck stored in the "
                      "file (/metadata config_text)", id);
}

/* The point's microstructure, rebuilt; its phase fractions must be the stored ones. */
static lihop_status build_micro(export_ctx *x, const char *dir, int id)
{
    lihop_status st = lihop_micro_load(&x->view->micro, x->view->nphases, dir, &x->m, &x->err);
    if (!st) st = lihop_voxel_check(x->view, x->m, &x->err);
    if (st) return st;
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(x->m, frac);
    for (int p = 0; p < x->view->nphases; ++p)
        if (p >= x->pt.nphases || frac[p] != x->pt.phase_fraction[p])
            return lihop_fail(&x->err, LIHOP_ERR_INPUT, "the rebuilt microstructure of point %d differs from the "
                              "run's (phase '%s': fraction %.17g, stored %.17g): was its input file changed?", id,
                              x->view->phases[p].name, frac[p], p < x->pt.nphases ? x->pt.phase_fraction[p] : NAN);
    return LIHOP_OK;
}

/* --species NAME, or the file's transference species, or the first. */
static lihop_status pick_species(export_ctx *x, const char *name)
{
    const char *want = name ? name : x->pt.transference_species[0] ? x->pt.transference_species : x->pt.species[0];
    char known[256] = "";
    for (int s = 0; s < x->pt.nspecies; ++s) {
        if (!strcmp(x->pt.species[s], want)) {
            x->s = s;
            return LIHOP_OK;
        }
        size_t n = strlen(known);
        snprintf(known + n, sizeof known - n, "%s%s", n ? ", " : "", x->pt.species[s]);
    }
    return lihop_fail(&x->err, LIHOP_ERR_INPUT, "unknown species '%s' (the file's species: %s)", want, known);
}

/* Walkers and frames within limits: every walker of the point at most. */
static lihop_status check_sizes(export_ctx *x, const h5md_args *a, uint64_t *nw)
{
    uint64_t have = x->pt.walkers[x->s];
    *nw = a->walkers > 0 ? (uint64_t)a->walkers : (have < DEFAULT_WALKERS ? have : DEFAULT_WALKERS);
    if (a->replica_set)
        return lihop_fail(&x->err, LIHOP_ERR_INPUT, "--replica is for garnet results files; %s is a voxel file "
                          "(choose walkers with --walkers)", a->in);
    if (*nw > have)
        return lihop_fail(&x->err, LIHOP_ERR_INPUT, "--walkers %llu: point %ld has only %llu walkers of '%s'",
                          (unsigned long long)*nw, a->point, (unsigned long long)have, x->pt.species[x->s]);
    if (*nw * (uint64_t)a->frames > MAX_VALUES)
        return lihop_fail(&x->err, LIHOP_ERR_INPUT, "--walkers x --frames = %llu is over %llu (positions are kept "
                          "in memory); export fewer walkers or frames", (unsigned long long)(*nw * (uint64_t)a->frames),
                          MAX_VALUES);
    return LIHOP_OK;
}

/* The replay must be the run (the same run time, bit for bit), and
 * minimum-image unwrapping (kinisi, MDAnalysis transformations) must recover
 * the paths from the frames; --force writes such a file anyway (its image
 * data stays exact) with a warning. */
static lihop_status check_replay(export_ctx *x, const h5md_args *a, double t_end_s, const lihop_h5md_frames *f)
{
    double want = x->pt.t_end_s[x->s];
    if (t_end_s != want)
        return lihop_fail(&x->err, LIHOP_ERR_INPUT, "the replay's run time %.17g s differs from the stored t_end_s "
                          "%.17g s of point %ld: the deck no longer describes the run", t_end_s, want, a->point);
    for (int ax = 0; ax < 3; ++ax) {
        if (2.0 * f->max_step_nm[ax] < f->box_nm[ax]) continue;
        lihop_fail(&x->err, LIHOP_ERR_INPUT, "frames too far apart: a particle moved %g nm along %c between two "
                   "frames, at least half the box (%g nm), so minimum-image unwrapping (kinisi, MDAnalysis) would "
                   "lose it; use more --frames (now %d), or --force to write it anyway", f->max_step_nm[ax],
                   "xyz"[ax], f->box_nm[ax], a->frames);
        if (!a->force) return LIHOP_ERR_INPUT;
        fprintf(stderr, "lihop: warning: %s (--force: written; unwrap with /particles/*/image)\n", x->err.msg);
        break;
    }
    return LIHOP_OK;
}

/* Every walker replayed on the run's grid must give the stored D bit for bit. */
static lihop_status check_all_walkers(export_ctx *x, const h5md_args *a)
{
    lihop_species_result r;
    lihop_status st = lihop_voxel_replay_observe(x->view, x->m, x->s, x->pt.extensions[x->s], a->threads, &r,
                                                 &x->err);
    free(r.batch_D_m2_s);
    for (int ax = 0; !st && ax < 3; ++ax)
        if (r.D_m2_s[ax] != x->pt.D_m2_s[x->s][ax])
            st = lihop_fail(&x->err, LIHOP_ERR_INPUT, "the replay of all %llu walkers gives D_%c%c = %.17g m^2/s, "
                            "the file stores %.17g: the deck no longer describes the run",
                            (unsigned long long)x->pt.walkers[x->s], "xyz"[ax], "xyz"[ax], r.D_m2_s[ax],
                            x->pt.D_m2_s[x->s][ax]);
    return st;
}

/* The provenance common to both models. */
static lihop_h5md_info base_info(const export_ctx *x, const h5md_args *a, uint64_t hops, double t_end_s)
{
    const char *user = getenv("USER");
    lihop_h5md_info info = {.model = x->pt.model, .species = x->pt.species[x->s], .species_index = x->s,
                            .author = a->author ? a->author : (user && user[0] ? user : "unknown"),
                            .creator_version = LIHOP_VERSION " (" LIHOP_GIT_DESCRIBE ")", .results_path = a->in,
                            .point = (int)a->point, .seed = x->pt.seed, .hops = hops,
                            .T_K = x->view->temperature_K[0], .t_end_s = t_end_s, .replica = -1};
    for (int ax = 0; ax < 3; ++ax) {
        info.D_m2_s[ax] = x->pt.D_m2_s[x->s][ax];
        info.D_err_m2_s[ax] = x->pt.D_err_m2_s[x->s][ax];
    }
    return info;
}

static void report(const export_ctx *x, const h5md_args *a, const lihop_h5md_frames *f, const char *what)
{
    const double *D = x->pt.D_m2_s[x->s], *E = x->pt.D_err_m2_s[x->s];
    double d = (D[0] + D[1] + D[2]) / 3.0, e = sqrt(E[0] * E[0] + E[1] * E[1] + E[2] * E[2]) / 3.0;
    printf("point %ld (T = %g K, seed %llu), %s x %d frames over %.6g s\n", a->point, x->view->temperature_K[0],
           (unsigned long long)x->pt.seed, what, f->nframes, f->time_s[f->nframes - 1]);
    printf("  box %g x %g x %g nm; largest move between frames %.3g, %.3g, %.3g nm (x, y, z)\n", f->box_nm[0],
           f->box_nm[1], f->box_nm[2], f->max_step_nm[0], f->max_step_nm[1], f->max_step_nm[2]);
    printf("  lihop %s of the point: %.6g +- %.2g m^2/s\n", x->cfg->model == LIHOP_MODEL_GARNET ? "tracer D*" : "D", d,
           e);
}

/* Voxel: walkers 0..N-1 of the species. */
static lihop_status export_voxel(export_ctx *x, const h5md_args *a, const char *dir, lihop_h5md_frames *f)
{
    lihop_status st = build_micro(x, dir, (int)a->point);
    if (!st) st = pick_species(x, a->species);
    uint64_t nw = 0;
    if (!st) st = check_sizes(x, a, &nw);
    if (st) return st;
    lihop_voxel_traj t;
    st = lihop_voxel_replay(x->view, x->m, x->s, x->pt.extensions[x->s], nw, a->frames, a->threads, &t, &x->err);
    if (!st) st = lihop_h5md_frames_voxel(&t, f, &x->err);
    if (!st) st = check_replay(x, a, t.t_end_s, f);
    int all = !st && (a->verify || nw == x->pt.walkers[x->s]);
    if (all) st = check_all_walkers(x, a);
    lihop_h5md_info info = base_info(x, a, t.hops, t.t_end_s);
    info.point_walkers = x->pt.walkers[x->s];
    info.voxel_size_m = t.voxel_m;
    if (!st) st = lihop_h5md_write(a->out, &info, f, &x->err);
    if (!st) {
        char what[160];
        snprintf(what, sizeof what, "species %s: %llu of %llu walkers", x->pt.species[x->s],
                 (unsigned long long)nw, (unsigned long long)x->pt.walkers[x->s]);
        report(x, a, f, what);
        if (all) printf("  replay check: all walkers replayed give the stored D_xx, D_yy, D_zz bit for bit\n");
    }
    lihop_voxel_traj_free(&t);
    return st;
}

/* --verify, garnet: every replica replayed must give the stored production hops. */
static lihop_status check_all_replicas(export_ctx *x, const h5md_args *a)
{
    uint64_t hops = 0;
    lihop_status st = lihop_garnet_replay_hops(x->view, a->threads, &hops, &x->err);
    if (!st && hops != x->pt.hops)
        st = lihop_fail(&x->err, LIHOP_ERR_INPUT, "the replay of all %llu replicas makes %llu hops, the file stores "
                        "%llu: the deck no longer describes the run", (unsigned long long)x->pt.walkers[0],
                        (unsigned long long)hops, (unsigned long long)x->pt.hops);
    return st;
}

/* Garnet: the Li ions of one replica of the main run. */
static lihop_status export_garnet(export_ctx *x, const h5md_args *a, lihop_h5md_frames *f)
{
    if (a->walkers > 0)
        return lihop_fail(&x->err, LIHOP_ERR_INPUT, "--walkers is for voxel results files; a garnet export writes "
                          "every Li ion of one replica (choose it with --replica)");
    if (a->species && strcmp(a->species, "li"))
        return lihop_fail(&x->err, LIHOP_ERR_INPUT, "unknown species '%s' (the file's species: li)", a->species);
    if ((uint64_t)a->replica >= x->pt.walkers[0])
        return lihop_fail(&x->err, LIHOP_ERR_INPUT, "--replica %lld: point %ld has replicas 0..%llu", a->replica,
                          a->point, (unsigned long long)x->pt.walkers[0] - 1);
    lihop_garnet_traj t;
    lihop_status st = lihop_garnet_replay(x->view, a->replica, a->frames, &t, &x->err);
    if (!st && a->verify) st = check_all_replicas(x, a);
    if (!st) st = lihop_h5md_frames_garnet(&t, f, &x->err);
    if (!st) st = check_replay(x, a, t.t_end_s, f);
    lihop_h5md_info info = base_info(x, a, t.hops, t.t_end_s);
    info.replica = a->replica;
    info.replicas = (int64_t)x->pt.walkers[0];
    if (!st) st = lihop_h5md_write(a->out, &info, f, &x->err);
    if (!st) {
        char what[160];
        snprintf(what, sizeof what, "replica %lld of %llu: %lld Li", a->replica,
                 (unsigned long long)x->pt.walkers[0], (long long)t.nli);
        report(x, a, f, what);
        if (a->verify)
            printf("  replay check: all %llu replicas replayed make the stored %llu hops, bit for bit\n",
                   (unsigned long long)x->pt.walkers[0], (unsigned long long)x->pt.hops);
    }
    lihop_garnet_traj_free(&t);
    return st;
}

static lihop_status export_point(export_ctx *x, h5md_args *a)
{
    char dir[LIHOP_PATH_LEN];
    lihop_status st = lihop_results_point_read(a->in, (int)a->point, &x->pt, &x->err);
    if (!st) st = load_deck(x, dir, sizeof dir);
    if (!st) st = find_point(x, (int)a->point);
    if (st) return st;
    int garnet = x->cfg->model == LIHOP_MODEL_GARNET;
    if (!a->frames) a->frames = garnet ? DEFAULT_FRAMES_GARNET : DEFAULT_FRAMES;
    lihop_h5md_frames f;
    memset(&f, 0, sizeof f);
    st = garnet ? export_garnet(x, a, &f) : export_voxel(x, a, dir, &f);
    if (!st) printf("  written to %s (H5MD 1.1, /particles/%s)\n", a->out, x->pt.species[x->s]);
    lihop_h5md_frames_free(&f);
    return st;
}

int lihop_cmd_export_h5md(int argc, char **argv)
{
    h5md_args a;
    int pc = parse_args(argc, argv, &a);
    if (pc) return pc < 0 ? 0 : pc;
    export_ctx x;
    memset(&x, 0, sizeof x);
    lihop_status st = export_point(&x, &a);
    if (!st && strcmp(x.pt.status, "complete"))
        fprintf(stderr, "lihop: warning: %s has status '%s', not 'complete' (point %ld itself is finished)\n", a.in,
                x.pt.status[0] ? x.pt.status : "(none)", a.point);
    if (st) fprintf(stderr, "lihop: error: %s\n", x.err.msg);
    ctx_free(&x);
    return st ? lihop_exit_code(st) : 0;
}
