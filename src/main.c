/* main.c - the lihop command line (DESIGN section 6).  The library never
 * prints or exits; this file turns statuses into messages and exit codes:
 * 0 ok, 2 bad input, 3 I/O, 4 GPU requested but unavailable, 130 interrupted. */
#include <math.h>
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
#include "lihop_quickstart.h"
#include "lihop_version.h"
#include "micro.h"
#include "validate.h"
#include "voxel.h"

static volatile sig_atomic_t g_interrupt = 0;
/* First Ctrl-C: finish cleanly between chunks; a second one kills at once. */
static void on_signal(int sig)
{
    g_interrupt = 1;
    signal(sig, SIG_DFL);
}

static int exit_code(lihop_status st)
{
    switch (st) {
    case LIHOP_OK: return 0;
    case LIHOP_ERR_INPUT: return 2;
    case LIHOP_ERR_IO: return 3;
    case LIHOP_ERR_NO_GPU: return 4;
    case LIHOP_ERR_INTERRUPTED: return 130;
    default: return 1;
    }
}

static int fail(lihop_status st, const lihop_err *err)
{
    fprintf(stderr, "lihop: error: %s\n", err->msg);
    return exit_code(st);
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

/* ---- progress on a TTY ------------------------------------------------------ */
typedef struct {
    int tty, point, npoints;
    double T;
} progress_ctx;

static void progress(void *vctx, double f)
{
    progress_ctx *c = vctx;
    if (!c->tty) return;
    int width = 30, fill = (int)(f * width);
    fprintf(stderr, "\r  point %d/%d  T = %.2f K  [", c->point + 1, c->npoints, c->T);
    for (int i = 0; i < width; ++i) fputc(i < fill ? '#' : ' ', stderr);
    fprintf(stderr, "] %3.0f%%", 100.0 * f);
    fflush(stderr);
}

static void config_dir(const char *path, char *dir, size_t len)
{
    snprintf(dir, len, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, len, ".");
}

static void print_header(const lihop_config *cfg)
{
    printf("%9s %12s %10s %8s %7s", "T [K]", "sigma[S/cm]", "+-", "t+", "+-");
    for (int s = 0; s < cfg->nspecies; ++s) {
        char h[64];
        snprintf(h, sizeof h, "D_%s[cm2/s]", cfg->species[s].name);
        printf(" %13s", h);
    }
    printf(" %5s %8s\n", "conv", "wall[s]");
}

static void print_row(const lihop_config *cfg, const lihop_point_result *r)
{
    printf("%9.2f %12.4e %10.2e %8.4f %7.4f", r->T_K, r->sigma_iso_S_m * 0.01, r->sigma_iso_err * 0.01, r->t_plus,
           r->t_plus_err);
    for (int s = 0; s < cfg->nspecies; ++s)
        printf(" %13.4e", 1e4 * (r->sp[s].D_m2_s[0] + r->sp[s].D_m2_s[1] + r->sp[s].D_m2_s[2]) / 3.0);
    printf(" %5s %8.2f\n", r->converged ? "yes" : "NO", r->wall_s);
    fflush(stdout);
}

/* ---- model garnet ------------------------------------------------------------------ */

static void garnet_header(const lihop_config *cfg)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    printf("%9s %6s %12s %9s %12s %9s %12s %9s %7s %6s %6s %6s %6s %6s", "T [K]", "Li/fu", "sigma[S/cm]", "+-",
           "D*[cm2/s]", "+-", "D_sig[cm2/s]", "+-", "H_R", "+-", "f", "+-", "f_I", "+-");
    if (g->field_V_m[0] != 0.0 || g->field_V_m[1] != 0.0 || g->field_V_m[2] != 0.0)
        printf(" %12s %10s", "s_drift", "+-");
    for (int s = 0; s < g->nsub; ++s) {
        char h[32];
        snprintf(h, sizeof h, "occ_%s", g->subname[s]);
        printf(" %6s", h);
    }
    printf(" %8s\n", "wall[s]");
}

static void garnet_row(const lihop_config *cfg, const lihop_garnet_point *pt)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    const lihop_garnet_result *m = &pt->main;
    printf("%9.2f %6.3f %12.4e %9.2e %12.4e %9.2e %12.4e %9.2e %7.4f %6.4f %6.4f %6.4f %6.4f %6.4f", pt->T_K,
           pt->li_per_fu, m->sigma_NE_S_m * 0.01, m->sigma_NE_err * 0.01, m->D_tracer_m2_s * 1e4,
           m->D_tracer_err * 1e4, m->D_sigma_m2_s * 1e4, m->D_sigma_err * 1e4, m->haven, m->haven_err, m->f_tracer,
           m->f_tracer_err, m->f_coll, m->f_coll_err);
    if (g->field_V_m[0] != 0.0 || g->field_V_m[1] != 0.0 || g->field_V_m[2] != 0.0)
        printf(" %12.4e %10.2e", m->sigma_drift_S_m * 0.01, m->sigma_drift_err * 0.01);
    for (int s = 0; s < g->nsub; ++s) printf(" %6.4f", s < m->nsub ? m->site_occupancy[s] : NAN);
    printf(" %8.2f\n", pt->wall_s);
    if (pt->has_drift)
        printf("          drift along x: E1 = %.3g V/m  sigma %.4e +- %.2e S/cm;  E2 = %.3g V/m  sigma %.4e +- %.2e "
               "S/cm;  sigma(E2)/sigma(E1) = %.3f +- %.3f\n",
               pt->drift_field_V_m[0], pt->drift[0].sigma_drift_S_m * 0.01, pt->drift[0].sigma_drift_err * 0.01,
               pt->drift_field_V_m[1], pt->drift[1].sigma_drift_S_m * 0.01, pt->drift[1].sigma_drift_err * 0.01,
               pt->drift_linearity, pt->drift_linearity_err);
    if (pt->has_bulk) {
        const lihop_bicrystal_result *b = &pt->bc;
        printf("          boundary (normal %c): sigma across %.4e +- %.2e, along %.4e +- %.2e, bulk %.4e +- %.2e S/cm;"
               "  ASR %.4e +- %.2e ohm cm^2\n",
               "xyz"[b->axis], b->sigma_across_S_m * 0.01, b->sigma_across_err * 0.01, b->sigma_along_S_m * 0.01,
               b->sigma_along_err * 0.01, b->sigma_bulk_S_m * 0.01, b->sigma_bulk_err * 0.01, b->asr_ohm_m2 * 1e4,
               b->asr_err_ohm_m2 * 1e4);
    }
    fflush(stdout);
}

/* Every Li content's lattice, parameters and model once, before the output
 * file exists, so that input errors never leave a file behind. */
static lihop_status garnet_preflight(const lihop_config *cfg, int *nsites, int *nli_first, lihop_err *err)
{
    for (int ix = 0; ix < cfg->garnet.nli; ++ix)
        for (int bulk = 0; bulk <= cfg->garnet.has_bicrystal; ++bulk) {
            int k = ix * cfg->ntemps;
            lihop_lattice *lat = NULL;
            lihop_garnet_regions *reg = NULL;
            lihop_garnet *g = NULL;
            lihop_garnet_params p;
            lihop_status st = lihop_garnet_setup_lattice(cfg, !bulk, &lat, err);
            if (!st && !bulk && cfg->garnet.has_bicrystal)
                st = lihop_garnet_regions_build(cfg, lat, cfg->temperature_K[0], &reg, err);
            if (!st) st = lihop_garnet_params_fill(cfg, lat, reg, k, bulk ? LIHOP_GROLE_BULK : LIHOP_GROLE_MAIN, &p, err);
            if (!st) st = lihop_garnet_create(lat, &p, &g, err);
            if (!st && ix == 0 && !bulk) {
                *nsites = lat->nsites;
                *nli_first = (int)p.nli;
            }
            lihop_garnet_destroy(g);
            lihop_garnet_regions_destroy(reg);
            lihop_lattice_destroy(lat);
            if (st) return st;
        }
    return LIHOP_OK;
}

static int cmd_run_garnet(lihop_config *cfg, const char *cfg_path, const char *out_path, lihop_backend_kind resolved,
                          const char *device, int threads, int resume, int overwrite, const char *cmdline)
{
    lihop_err err = {{0}};
    const lihop_garnet_cfg *gc = &cfg->garnet;
    int nsites = 0, nli0 = 0;
    lihop_status st = garnet_preflight(cfg, &nsites, &nli0, &err);
    if (st) {
        lihop_config_destroy(cfg);
        return fail(st, &err);
    }
    lihop_h5_meta meta = {LIHOP_VERSION, LIHOP_GIT_DESCRIBE, resolved == LIHOP_BACKEND_CUDA ? "cuda" : "cpu", device,
                          resolved == LIHOP_BACKEND_CPU ? (threads > 0 ? threads : omp_get_max_threads()) : 0, cmdline};
    lihop_h5 *h5 = NULL;
    st = lihop_h5_open(out_path, cfg, NULL, NULL, &meta, resume, overwrite, &h5, &err);
    if (st) {
        lihop_config_destroy(cfg);
        return fail(st, &err);
    }
    printf("lihop %s (%s)  config %s  ->  %s\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE, cfg_path, out_path);
    printf("backend %s: %s\n", meta.backend, device);
    printf("garnet: material %s%s%s, lattice %s (%s), %dx%dx%d cells, %d sites, rate law %s, nu %.3g Hz\n",
           gc->material_name[0] ? gc->material_name : "(none)", gc->material_path[0] ? " from " : "",
           gc->material_path, gc->lattice.name, gc->lattice_path, gc->cells[0], gc->cells[1], gc->cells[2], nsites,
           gc->rate_law == LIHOP_GRATE_METROPOLIS ? "metropolis" : "kra", gc->nu_Hz);
    printf("        %d temperature%s x %d Li content%s (%g Li/fu = %d Li per supercell first), %lld replicas, "
           "%s %g per Li, %d batches\n",
           cfg->ntemps, cfg->ntemps == 1 ? "" : "s", gc->nli, gc->nli == 1 ? "" : "s", gc->li_per_fu[0], nli0,
           (long long)cfg->run.replicas, cfg->run.time_s > 0 ? "time_s" : "hops",
           cfg->run.time_s > 0 ? cfg->run.time_s : cfg->run.hops_per_li, cfg->run.batches);
    if (gc->has_bicrystal) {
        static const char *const prof[] = {"none", "gouy_chapman", "mott_schottky", "table"};
        const lihop_bicrystal_cfg *b = &gc->bicrystal;
        printf("        bicrystal: boundary normal %c at %.3g, slab %.3g A (barrier %+.3g eV, site %+.3g eV, disorder %.3g "
               "eV, %.3g removed), space charge %s",
               "xyz"[b->axis], b->center_frac, b->thickness_A, b->kra_shift_eV, b->site_shift_eV, b->disorder_sigma_eV,
               b->site_removal_fraction, prof[b->profile]);
        if (b->profile == LIHOP_SC_GOUY_CHAPMAN || b->profile == LIHOP_SC_MOTT_SCHOTTKY)
            printf(" (phi0 %.3g V, L %.3g A)", b->phi0_V, b->length_A);
        printf("; bulk reference without the boundary\n");
    }
    printf("\n");
    garnet_header(cfg);

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    int tty = isatty(fileno(stderr)), warnings = 0, npts = lihop_garnet_npoints(cfg);
    lihop_garnet_point *pt = malloc(sizeof *pt);
    if (!pt) st = lihop_fail(&err, LIHOP_ERR_NOMEM, "out of memory");
    for (int k = 0; k < npts && !st; ++k) {
        int it, ix;
        lihop_garnet_point_axes(cfg, k, &it, &ix);
        if (lihop_h5_point_done(h5, k)) {
            printf("%9.2f %6.3f   (already in %s, skipped)\n", cfg->temperature_K[it], gc->li_per_fu[ix], out_path);
            continue;
        }
        if (tty) fprintf(stderr, "  point %d/%d  T = %.2f K  Li %.3g/fu  running...", k + 1, npts,
                         cfg->temperature_K[it], gc->li_per_fu[ix]);
        st = lihop_garnet_point_run(cfg, k, resolved, threads, &g_interrupt, pt, &err);
        if (tty) fprintf(stderr, "\r%80s\r", "");
        if (!st) st = lihop_h5_write_garnet_point(h5, cfg, pt, &err);
        if (!st) {
            garnet_row(cfg, pt);
            int64_t trapped = pt->main.trapped_replicas + (pt->has_bulk ? pt->bulk.trapped_replicas : 0);
            uint64_t bad = pt->main.check_failures;
            if (trapped > 0) {
                fprintf(stderr, "lihop: warning: point %d: %lld replica(s) had no allowed hop at some time (trapped)\n",
                        k, (long long)trapped);
                ++warnings;
            }
            if (bad > 0) {
                fprintf(stderr, "lihop: warning: point %d: %llu rate-table check failures\n", k, (unsigned long long)bad);
                ++warnings;
            }
        }
    }
    free(pt);
    lihop_garnet_fits fits;
    memset(&fits, 0, sizeof fits);
    if (!st) st = lihop_h5_garnet_finish(h5, cfg, &fits, &err);
    const char *status = st == LIHOP_OK ? "complete" : st == LIHOP_ERR_INTERRUPTED ? "interrupted" : "failed";
    lihop_err cerr = {{0}};
    lihop_status cst = lihop_h5_close(h5, status, &cerr);
    int nbatches = cfg->run.batches;
    int bicrystal = gc->has_bicrystal;
    if (st == LIHOP_ERR_INTERRUPTED) {
        fprintf(stderr, "lihop: interrupted; finished points are kept in %s. Continue with: lihop run %s -o %s --resume\n",
                out_path, cfg_path, out_path);
        lihop_config_destroy(cfg);
        return 130;
    }
    lihop_config_destroy(cfg);
    if (st) return fail(st, &err);
    if (cst) return fail(cst, &cerr);
    if (fits.n > 0) {
        printf("\nArrhenius fits of sigma (weighted least squares in 1/kT; errors scaled by sqrt(chi2_red) when > 1):\n");
        printf("%6s %4s %15s %15s %9s %13s %15s %9s %13s\n", "Li/fu", "n_T", "T range [K]", "Ea(sigma T)[eV]", "+-",
               "A[S K/cm]", "Ea(sigma)[eV]", "+-", "A[S/cm]");
        for (int i = 0; i < fits.n; ++i) {
            const lihop_garnet_arrhenius_row *r = &fits.row[i];
            char range[32];
            snprintf(range, sizeof range, "%.1f-%.1f", r->T_min_K, r->T_max_K);
            printf("%6.3f %4d %15s %15.4f %9.4f %13.4e %15.4f %9.4f %13.4e\n", r->li_per_fu, r->ntemps, range,
                   r->sigmaT.Ea_eV, r->sigmaT.Ea_err_eV, r->sigmaT.A * 0.01, r->sigma.Ea_eV, r->sigma.Ea_err_eV,
                   r->sigma.A * 0.01);
        }
    }
    if (fits.npeaks > 0) {
        printf("\nConductivity maximum over Li content (largest point; vertex of the parabola through it and its "
               "neighbours):\n");
        printf("%9s %5s %8s %13s %9s %9s %16s %16s\n", "T [K]", "n_Li", "Li_max", "sigma[S/cm]", "+-", "vertex",
               "max/sigma(low)", "max/sigma(high)");
        for (int i = 0; i < fits.npeaks; ++i) {
            const lihop_li_peak *q = &fits.peak[i];
            char vtx[32];
            if (isnan(q->li_vertex)) snprintf(vtx, sizeof vtx, "at end");
            else snprintf(vtx, sizeof vtx, "%.3f", q->li_vertex);
            printf("%9.2f %5d %8.3f %13.4e %9.2e %9s %16.2f %16.2f\n", fits.peak_T_K[i], q->n, q->li_max,
                   q->sigma_max * 0.01, q->sigma_max_err * 0.01, vtx, q->ratio_low, q->ratio_high);
        }
    }
    printf("\nsigma: Nernst-Einstein conductivity n e^2 D_sigma / kT; D*: tracer and D_sig: collective (jump) diffusion "
           "coefficient;\nH_R = D*/D_sig (Haven ratio), f = D*/D0 and f_I = D_sig/D0 (correlation factors), occ_X: Li per site "
           "of sublattice X.\nErrors are one standard error (jackknife over %d replica batches)%s.\nresults: %s%s\n",
           nbatches,
           bicrystal ? "; ASR = L (1/sigma_across - 1/sigma_bulk), one boundary per supercell period L" : "", out_path,
           warnings ? " (with warnings above)" : "");
    return 0;
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
    if (cfg->model == LIHOP_MODEL_GARNET)
        return cmd_run_garnet(cfg, cfg_path ? cfg_path : "(built in)", out_path, resolved, device, threads, resume,
                              overwrite, cmdline);

    char dir[LIHOP_PATH_LEN];
    config_dir(cfg_path ? cfg_path : LIHOP_SOURCE_DIR "/configs/quickstart.yaml", dir, sizeof dir);
    lihop_micro *m = NULL;
    st = lihop_micro_build(&cfg->micro, cfg->nphases, dir, &m, &err);
    if (!st) st = lihop_voxel_check(cfg, m, &err);   /* before any output file exists */
    if (st) {
        lihop_micro_destroy(m);
        lihop_config_destroy(cfg);
        return fail(st, &err);
    }
    lihop_h5_meta meta = {LIHOP_VERSION, LIHOP_GIT_DESCRIBE, resolved == LIHOP_BACKEND_CUDA ? "cuda" : "cpu", device,
                          resolved == LIHOP_BACKEND_CPU ? (threads > 0 ? threads : omp_get_max_threads()) : 0, cmdline};
    lihop_h5 *h5 = NULL;
    const char *phase_names[LIHOP_MAX_PHASES];
    for (int p = 0; p < cfg->nphases; ++p) phase_names[p] = cfg->phases[p].name;
    /* The microstructure goes to lihop_h5_open, which compares it with the
     * file's (on --resume) before writing anything: a refused resume leaves
     * the file untouched. */
    st = lihop_h5_open(out_path, cfg, m, phase_names, &meta, resume, overwrite, &h5, &err);
    if (st) {
        lihop_micro_destroy(m);
        lihop_config_destroy(cfg);
        return fail(st, &err);
    }

    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, frac);
    printf("lihop %s (%s)  config %s  ->  %s\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE,
           cfg_path ? cfg_path : "configs/quickstart.yaml (built in)", out_path);
    printf("backend %s: %s\n", meta.backend, device);
    printf("microstructure %d x %d x %d voxels of %.3g m:", m->n[0], m->n[1], m->n[2], m->voxel_m);
    for (int p = 0; p < cfg->nphases; ++p) printf(" %s %.4f", cfg->phases[p].name, frac[p]);
    printf("  (volume fractions)\n\n");
    print_header(cfg);

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    progress_ctx pc = {isatty(fileno(stderr)), 0, cfg->ntemps, 0.0};
    lihop_voxel_options opt;
    memset(&opt, 0, sizeof opt);
    opt.backend = resolved;
    opt.threads = threads;
    opt.interrupt = &g_interrupt;
    opt.progress = progress;
    opt.progress_ctx = &pc;
    int warnings = 0;
    for (int k = 0; k < cfg->ntemps && !st; ++k) {
        if (lihop_h5_point_done(h5, k)) {
            printf("%9.2f   (already in %s, skipped)\n", cfg->temperature_K[k], out_path);
            continue;
        }
        pc.point = k;
        pc.T = cfg->temperature_K[k];
        lihop_point_result r;
        st = lihop_voxel_run_point(cfg, m, k, cfg->temperature_K[k], &opt, &r, &err);
        if (pc.tty) fprintf(stderr, "\r%80s\r", "");
        if (!st) st = lihop_h5_write_point(h5, cfg, &r, &err);
        if (!st) {
            print_row(cfg, &r);
            if (r.warning[0]) {
                fprintf(stderr, "lihop: warning: %s\n", r.warning);
                ++warnings;
            }
        }
        lihop_point_result_free(&r);
    }
    int nbatches = cfg->run.batches;
    const char *status = st == LIHOP_OK ? "complete" : st == LIHOP_ERR_INTERRUPTED ? "interrupted" : "failed";
    lihop_err cerr = {{0}};
    lihop_status cst = lihop_h5_close(h5, status, &cerr);
    lihop_micro_destroy(m);
    lihop_config_destroy(cfg);
    if (st == LIHOP_ERR_INTERRUPTED) {
        fprintf(stderr, "lihop: interrupted; finished points are kept in %s. Continue with: lihop run %s -o %s --resume\n",
                out_path, cfg_path ? cfg_path : "", out_path);
        return 130;
    }
    if (st) return fail(st, &err);
    if (cst) return fail(cst, &cerr);
    printf("\nsigma: total ionic conductivity (mean of the diagonal), t+: transference number; errors are one "
           "standard error over %d walker batches.\nresults: %s%s\n",
           nbatches, out_path,
           warnings ? " (with warnings above)" : "");
    return 0;
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
    st = lihop_micro_build(&cfg->micro, cfg->nphases, dir, &m, &err);
    const char *names[LIHOP_MAX_PHASES];
    for (int p = 0; p < cfg->nphases; ++p) names[p] = cfg->phases[p].name;
    if (!st) st = lihop_micro_write_h5(m, out_path, "/phase", names, &err);
    if (!st) {
        double frac[LIHOP_MAX_PHASES];
        lihop_micro_fractions(m, frac);
        printf("%d x %d x %d voxels of %.3g m written to %s (dataset /phase) and %s.xdmf\n", m->n[0], m->n[1], m->n[2],
               m->voxel_m, out_path, out_path);
        for (int p = 0; p < cfg->nphases; ++p) printf("  %-16s volume fraction %.4f\n", names[p], frac[p]);
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        char dev[256];
        lihop_cuda_device_name(dev, sizeof dev);
        printf("lihop %s (%s)\nCUDA device: %s\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE, dev);
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
