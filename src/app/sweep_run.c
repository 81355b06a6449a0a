/* sweep_run.c - the sweep engine behind `lihop run` (sweep_run.h). */
#include "sweep_run.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "garnet.h"
#include "garnet_setup.h"
#include "h5out.h"
#include "lihop_version.h"
#include "micro_h5.h"
#include "sweep.h"
#include "sweep_mpi.h"
#include "voxel.h"
#include "sweep_run_impl.h"


static int run_report(lihop_status st, const lihop_err *err)
{
    fprintf(stderr, "lihop: error: %s\n", err->msg);
    return lihop_exit_code(st);
}

/* ---- points ---------------------------------------------------------------------- */

/* The microstructure of r->view: rebuilt only when a microstructure key changed. */
static lihop_status voxel_micro(run_ctx *r)
{
    r->micro_rebuilt = 0;
    if (r->m && !lihop_sweep_micro_differs(r->mview, r->view))
        return LIHOP_OK;
    lihop_micro_destroy(r->m);
    r->m = NULL;
    lihop_status st = lihop_micro_load(&r->view->micro, r->view->nphases, r->o->cfg_dir, &r->m, &r->err);
    if (!st)
        st = lihop_voxel_check(r->view, r->m, &r->err);
    if (!st && !r->perc && !(r->perc = malloc(sizeof *r->perc)))
        st = lihop_fail(&r->err, LIHOP_ERR_NOMEM, "out of memory for the percolation analysis");
    if (!st)
        st = lihop_percolation_analyse(r->m, r->perc, &r->err);
    if (!st) {
        memcpy(r->mview, r->view, sizeof *r->view);
        r->micro_rebuilt = 1;
    }
    return st;
}

/* The point's microstructure numbers: phase fractions and which phases wrap. */
static void micro_stats(const run_ctx *r, lihop_point_result *res)
{
    lihop_micro_fractions(r->m, res->phase_fraction);
    lihop_micro_report rep;
    lihop_err e;
    int ok = lihop_micro_fraction_report(r->m, &r->view->micro, &rep, &e) == LIHOP_OK && rep.has_weight;
    for (int p = 0; p < LIHOP_MAX_PHASES; ++p) res->phase_weight_fraction[p] = ok ? rep.weight_fraction[p] : NAN;
    for (int p = 0; p < r->perc->nphases && p < LIHOP_MAX_PHASES; ++p)
        for (int ax = 0; ax < 3; ++ax) res->phase_spans[p][ax] = r->perc->phase[p].spans[ax];
}

/* The point being run becomes k: its config view and coordinates. */
static void select_point(run_ctx *r, int k)
{
    r->k = k;
    lihop_sweep_apply(r->cfg, r->sw, k, r->view);
    for (int c = 0; c < r->cfg->ncoords; c++)
        r->coords[c] = lihop_sweep_value(r->cfg, r->sw, k, c);
}

/* Run the selected point (any rank). */
static lihop_status compute_point(run_ctx *r, lihop_point_out *out)
{
    memset(&out->vox, 0, sizeof out->vox);
    lihop_status st;
    if (r->cfg->model == LIHOP_MODEL_GARNET) {
        run_progress_line(r, 0.0);
        st = lihop_garnet_point_run(r->view, 0, r->o->backend, r->o->threads, r->o->interrupt, &out->gar, &r->err);
    } else {
        st = voxel_micro(r);
        if (st)
            return st;
        lihop_voxel_options opt;
        memset(&opt, 0, sizeof opt);
        opt.backend = r->o->backend;
        opt.threads = r->o->threads;
        opt.interrupt = r->o->interrupt;
        opt.progress = run_progress_cb;
        opt.progress_ctx = r;
        st = lihop_voxel_run_point(r->view, r->m, lihop_h5_next_id(r->h5), r->view->temperature_K[0], &opt,
                                   &out->vox, &r->err);
        micro_stats(r, &out->vox);
    }
    run_clear_progress(r);
    return st;
}

/* Before a row whose microstructure percolates differently from the last
 * printed one: which phases wrap around the box along x, y and z. */
static void wrapping_line(run_ctx *r, const lihop_point_result *res)
{
    char now[sizeof r->last_wraps] = "";
    for (int p = 0; p < r->cfg->nphases; ++p)
        if (res->phase_spans[p][0] && res->phase_spans[p][1] && res->phase_spans[p][2]) {
            size_t len = strlen(now);
            snprintf(now + len, sizeof now - len, "%s%s", len ? " + " : "", r->cfg->phases[p].name);
        }
    if (r->ran > 0 && strcmp(now, r->last_wraps) != 0)
        printf("  -- now wrapping along x, y and z: %s\n", now[0] ? now : "no phase");
    snprintf(r->last_wraps, sizeof r->last_wraps, "%s", now);
}

static void voxel_warnings(run_ctx *r, const lihop_point_result *res)
{
    if (res->warning[0]) {
        fprintf(stderr, "lihop: warning: %s\n", res->warning);
        ++r->warnings;
    }
}

static void garnet_warnings(run_ctx *r, const lihop_garnet_point *pt)
{
    int64_t trapped = pt->main.trapped_replicas + (pt->has_bulk ? pt->bulk.trapped_replicas : 0);
    if (trapped > 0) {
        fprintf(stderr, "lihop: warning: point %d: %lld replica(s) had no allowed hop at some time (trapped)\n",
                pt->index, (long long)trapped);
        ++r->warnings;
    }
    if (pt->main.check_failures > 0) {
        fprintf(stderr, "lihop: warning: point %d: %llu rate-table check failures\n", pt->index,
                (unsigned long long)pt->main.check_failures);
        ++r->warnings;
    }
}

/* Write the selected point's result under the next free id, print its row (rank 0). */
static lihop_status record_point(run_ctx *r, lihop_point_out *out)
{
    lihop_status st;
    if (r->cfg->model == LIHOP_MODEL_GARNET) {
        lihop_garnet_point *pt = &out->gar;
        pt->index = lihop_h5_next_id(r->h5);
        st = lihop_h5_write_garnet_point(r->h5, r->view, r->coords, pt, &r->err);
        if (!st) {
            run_garnet_row(r, pt, 0);
            r->work += (double)(pt->main.events + (pt->has_bulk ? pt->bulk.events : 0));
            garnet_warnings(r, pt);
        }
    } else {
        lihop_point_result *res = &out->vox;
        res->index = lihop_h5_next_id(r->h5);
        st = lihop_h5_write_point(r->h5, r->view, r->coords, res, &r->err);
        if (!st) {
            wrapping_line(r, res);
            run_voxel_row(r, res, 0);
            for (int s = 0; s < res->nspecies; s++)
                r->work += (double)res->sp[s].hops;
            voxel_warnings(r, res);
        }
    }
    r->ran += !st;
    return st;
}

int lihop_sweep_npoints(const run_ctx *r) { return r->sw->npoints; }
int lihop_sweep_is_garnet(const run_ctx *r) { return r->cfg->model == LIHOP_MODEL_GARNET; }
lihop_err *lihop_sweep_err(run_ctx *r) { return &r->err; }
int lihop_sweep_interrupted(const run_ctx *r) { return r->o->interrupt && *r->o->interrupt; }

int lihop_sweep_pending(run_ctx *r, int k)
{
    select_point(r, k);
    int id = lihop_h5_find_point(r->h5, r->coords);
    if (id < 0)
        return 1;
    run_skipped_row(r, id);
    r->skipped++;
    return 0;
}

lihop_status lihop_sweep_compute(run_ctx *r, int k, lihop_point_out *out)
{
    select_point(r, k);
    if (lihop_sweep_interrupted(r)) {
        memset(&out->vox, 0, sizeof out->vox);
        return lihop_fail(&r->err, LIHOP_ERR_INTERRUPTED, "interrupted before point %d", k);
    }
    return compute_point(r, out);
}

lihop_status lihop_sweep_record(run_ctx *r, int k, lihop_point_out *out)
{
    select_point(r, k);
    return record_point(r, out);
}

/* Every point in sweep order, on this process; finished ones (an earlier
 * session's) are skipped. */
static lihop_status run_points(run_ctx *r, lihop_status st)
{
    lihop_point_out *out = st ? NULL : malloc(sizeof *out);
    if (!st && !out)
        st = lihop_fail(&r->err, LIHOP_ERR_NOMEM, "out of memory");
    r->t_start = omp_get_wtime();
    for (int k = 0; k < r->sw->npoints && !st; k++) {
        if (!lihop_sweep_pending(r, k))
            continue;
        st = lihop_sweep_compute(r, k, out);
        if (!st)
            st = record_point(r, out);
        lihop_point_result_free(&out->vox);
    }
    free(out);
    return st;
}

/* ---- before and after the points --------------------------------------------------- */

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
            if (!st)
                st = lihop_garnet_params_fill(cfg, lat, reg, k, bulk ? LIHOP_GROLE_BULK : LIHOP_GROLE_MAIN, &p, err);
            if (!st)
                st = lihop_garnet_create(lat, &p, &g, err);
            if (!st && ix == 0 && !bulk) {
                *nsites = lat->nsites;
                *nli_first = (int)p.nli;
            }
            lihop_garnet_destroy(g);
            lihop_garnet_regions_destroy(reg);
            lihop_lattice_destroy(lat);
            if (st)
                return st;
        }
    return LIHOP_OK;
}

/* ---- the run ----------------------------------------------------------------------- */

static lihop_status open_results(run_ctx *r, int *nsites, int *nli0)
{
    const lihop_config *cfg = r->cfg;
    const lihop_run_opts *o = r->o;
    lihop_status st;
    lihop_sweep_apply(cfg, r->sw, 0, r->view);
    if (cfg->model == LIHOP_MODEL_GARNET)
        st = garnet_preflight(cfg, nsites, nli0, &r->err);
    else
        st = voxel_micro(r);    /* the first point's microstructure, checked before any file exists */
    if (st)
        return st;
    lihop_h5_meta meta = {LIHOP_VERSION, LIHOP_GIT_DESCRIBE, o->backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu",
                          o->device,
                          o->backend == LIHOP_BACKEND_CPU ? (o->threads > 0 ? o->threads : omp_get_max_threads()) : 0,
                          o->command_line};
    const char *phase_names[LIHOP_MAX_PHASES];
    for (int p = 0; p < cfg->nphases; ++p)
        phase_names[p] = cfg->phases[p].name;
    /* the microstructure goes to lihop_h5_open, which compares it with the
     * file's (on --resume) before writing anything */
    return lihop_h5_open(o->out_path, cfg, r->m, cfg->model == LIHOP_MODEL_GARNET ? NULL : phase_names, &meta,
                         o->resume, o->overwrite, &r->h5, &r->err);
}

static void print_banner(run_ctx *r, int nsites, int nli0)
{
    printf("lihop %s (%s)  config %s  ->  %s\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE, r->o->cfg_label, r->o->out_path);
    printf("backend: %s%s\n", r->o->backend == LIHOP_BACKEND_CUDA ? "cuda on " : "", r->o->device);
    if (lihop_mpi_size() > 1)
        printf("mpi: %d ranks: rank 0 writes the file, %d worker rank%s run the points\n", lihop_mpi_size(),
               lihop_mpi_size() - 1, lihop_mpi_size() > 2 ? "s" : "");
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        run_garnet_banner(r, nsites, nli0);
    else
        run_voxel_banner(r);
    run_sweep_summary(r);
    printf("\n");
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        run_garnet_header(r);
    else
        run_voxel_header(r);
}

/* The fits made at the end of a sweep, for the screen. */
typedef struct {
    lihop_garnet_fits garnet;
    lihop_voxel_fits voxel;
} run_fits;

static lihop_status finish(run_ctx *r, run_fits *fits)
{
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        return lihop_h5_garnet_finish(r->h5, r->cfg, &fits->garnet, &r->err);
    return lihop_h5_voxel_finish(r->h5, r->cfg, &fits->voxel, &r->err);
}

static void run_free(run_ctx *r)
{
    lihop_sweep_destroy(r->sw);
    lihop_micro_destroy(r->m);
    free(r->view);
    free(r->mview);
    free(r->perc);
}

static lihop_status run_init(run_ctx *r, const lihop_config *cfg, const lihop_run_opts *o, int tty)
{
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->o = o;
    r->tty = tty;
    r->view = malloc(sizeof *r->view);
    r->mview = malloc(sizeof *r->mview);
    return r->view && r->mview ? lihop_sweep_build(cfg, &r->sw, &r->err)
                               : lihop_fail(&r->err, LIHOP_ERR_NOMEM, "out of memory");
}

/* Ranks 1..N-1 of an MPI run: points from rank 0, results back; rank 0 prints. */
static int run_worker(const lihop_config *cfg, const lihop_run_opts *o)
{
    int code = lihop_mpi_share_code(0);     /* rank 0 opened the file (or failed: it told why) */
    if (code)
        return code;
    run_ctx r;
    lihop_status st = run_init(&r, cfg, o, 0);
    if (!st && o->backend == LIHOP_BACKEND_CUDA)
        st = lihop_mpi_select_gpu(&r.err);
    lihop_mpi_work(&r, st);
    run_free(&r);
    return lihop_mpi_share_code(0);
}

/* The points: on this process, or handed out to the other ranks. */
static lihop_status run_all(run_ctx *r, run_fits *fits)
{
    lihop_status st = fits ? LIHOP_OK : lihop_fail(&r->err, LIHOP_ERR_NOMEM, "out of memory");
    st = lihop_mpi_size() > 1 ? lihop_mpi_schedule(r, st) : run_points(r, st);
    if (!st)
        st = finish(r, fits);
    return st;
}

/* The exit code of the run, its closing lines printed. */
static int run_end(run_ctx *r, lihop_status st, const run_fits *fits)
{
    const lihop_run_opts *o = r->o;
    lihop_err cerr = {{0}};
    const char *status = st == LIHOP_OK ? "complete" : st == LIHOP_ERR_INTERRUPTED ? "interrupted" : "failed";
    lihop_status cst = lihop_h5_close(r->h5, status, &cerr);
    if (st == LIHOP_ERR_INTERRUPTED) {
        fprintf(stderr, "lihop: interrupted; finished points are kept in %s. Continue with: lihop run %s -o %s "
                        "--resume\n", o->out_path, o->cfg_path ? o->cfg_path : "", o->out_path);
        return 130;
    }
    if (st)
        return run_report(st, &r->err);
    if (cst)
        return run_report(cst, &cerr);
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        run_print_fits(&fits->garnet);
    else
        run_print_voxel_fits(r, &fits->voxel);
    run_closing_note(r);
    return 0;
}

int lihop_run_sweep(const lihop_config *cfg, const lihop_run_opts *o)
{
    lihop_mpi_catch_signals(o->interrupt);
    if (lihop_mpi_rank() > 0)
        return run_worker(cfg, o);
    run_ctx r;
    lihop_status st = run_init(&r, cfg, o, isatty(fileno(stderr)) && lihop_mpi_size() == 1);
    int nsites = 0, nli0 = 0;
    if (!st)
        st = open_results(&r, &nsites, &nli0);
    if (st) {
        run_free(&r);
        return lihop_mpi_share_code(run_report(st, &r.err));
    }
    lihop_mpi_share_code(0);
    print_banner(&r, nsites, nli0);
    run_fits *fits = calloc(1, sizeof *fits);
    st = run_all(&r, fits);
    int code = run_end(&r, st, fits);
    run_free(&r);
    free(fits);
    return lihop_mpi_share_code(code);
}
