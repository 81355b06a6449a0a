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

typedef struct run_ctx run_ctx;
struct run_ctx {
    const lihop_config *cfg;
    const lihop_run_opts *o;
    lihop_sweep *sw;
    lihop_h5 *h5;
    lihop_config *view;             /* the point being run */
    lihop_config *mview;            /* the point the microstructure m was built for */
    lihop_micro *m;                 /* voxel: the current microstructure */
    double coords[LIHOP_MAX_COORDS];
    int k, tty, warnings, ran, skipped;
    double t_start, work;           /* wall clock at the first point run; hops or events so far */
    lihop_err err;
};

static int report(lihop_status st, const lihop_err *err)
{
    fprintf(stderr, "lihop: error: %s\n", err->msg);
    return lihop_exit_code(st);
}

/* ---- screen ---------------------------------------------------------------------- */

/* Swept coordinates other than temperature and Li content lead each row. */
static int lead_coord(const lihop_coord *x)
{
    return x->swept && x->n > 1 && x->kind != LIHOP_COORD_TEMPERATURE && x->kind != LIHOP_COORD_LI_PER_FU &&
           x->kind != LIHOP_COORD_LI_PER_CELL;
}

static void lead_header(const lihop_config *cfg)
{
    for (int c = 0; c < cfg->ncoords; c++)
        if (lead_coord(&cfg->coords[c]))
            printf("%*s ", (int)(strlen(cfg->coords[c].name) > 10 ? strlen(cfg->coords[c].name) : 10),
                   cfg->coords[c].name);
}

static void lead_values(const run_ctx *r)
{
    for (int c = 0; c < r->cfg->ncoords; c++)
        if (lead_coord(&r->cfg->coords[c]))
            printf("%*.6g ", (int)(strlen(r->cfg->coords[c].name) > 10 ? strlen(r->cfg->coords[c].name) : 10),
                   r->coords[c]);
}

static void voxel_header(const lihop_config *cfg)
{
    lead_header(cfg);
    printf("%9s %12s %10s %8s %7s", "T [K]", "sigma[S/cm]", "+-", "t+", "+-");
    for (int s = 0; s < cfg->nspecies; ++s) {
        char h[64];
        snprintf(h, sizeof h, "D_%s[cm2/s]", cfg->species[s].name);
        printf(" %13s", h);
    }
    printf(" %5s %8s\n", "conv", "wall[s]");
}

static void voxel_row(const run_ctx *c, const lihop_point_result *r)
{
    lead_values(c);
    printf("%9.2f %12.4e %10.2e %8.4f %7.4f", r->T_K, r->sigma_iso_S_m * 0.01, r->sigma_iso_err * 0.01, r->t_plus,
           r->t_plus_err);
    for (int s = 0; s < c->cfg->nspecies; ++s)
        printf(" %13.4e", 1e4 * (r->sp[s].D_m2_s[0] + r->sp[s].D_m2_s[1] + r->sp[s].D_m2_s[2]) / 3.0);
    printf(" %5s %8.2f\n", r->converged ? "yes" : "NO", r->wall_s);
    fflush(stdout);
}

static int has_field(const lihop_garnet_cfg *g)
{
    return g->field_V_m[0] != 0.0 || g->field_V_m[1] != 0.0 || g->field_V_m[2] != 0.0;
}

static void garnet_header(const lihop_config *cfg)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    lead_header(cfg);
    printf("%9s %6s %12s %9s %12s %9s %12s %9s %7s %6s %6s %6s %6s %6s", "T [K]", "Li/fu", "sigma[S/cm]", "+-",
           "D*[cm2/s]", "+-", "D_sig[cm2/s]", "+-", "H_R", "+-", "f", "+-", "f_I", "+-");
    if (has_field(g))
        printf(" %12s %10s", "s_drift", "+-");
    for (int s = 0; s < g->nsub; ++s) {
        char h[32];
        snprintf(h, sizeof h, "occ_%s", g->subname[s]);
        printf(" %6s", h);
    }
    printf(" %8s\n", "wall[s]");
}

static void garnet_extra_lines(const lihop_garnet_point *pt)
{
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
}

static void garnet_row(const run_ctx *c, const lihop_garnet_point *pt)
{
    const lihop_garnet_cfg *g = &c->cfg->garnet;
    const lihop_garnet_result *m = &pt->main;
    lead_values(c);
    printf("%9.2f %6.3f %12.4e %9.2e %12.4e %9.2e %12.4e %9.2e %7.4f %6.4f %6.4f %6.4f %6.4f %6.4f", pt->T_K,
           pt->li_per_fu, m->sigma_NE_S_m * 0.01, m->sigma_NE_err * 0.01, m->D_tracer_m2_s * 1e4,
           m->D_tracer_err * 1e4, m->D_sigma_m2_s * 1e4, m->D_sigma_err * 1e4, m->haven, m->haven_err, m->f_tracer,
           m->f_tracer_err, m->f_coll, m->f_coll_err);
    if (has_field(g))
        printf(" %12.4e %10.2e", m->sigma_drift_S_m * 0.01, m->sigma_drift_err * 0.01);
    for (int s = 0; s < g->nsub; ++s)
        printf(" %6.4f", s < m->nsub ? m->site_occupancy[s] : NAN);
    printf(" %8.2f\n", pt->wall_s);
    garnet_extra_lines(pt);
    fflush(stdout);
}

/* A finished point of an earlier session. */
static void skipped_row(const run_ctx *r, int id)
{
    char label[256];
    lihop_sweep_label(r->cfg, r->sw, r->k, label, sizeof label);
    printf("  (%s: already in %s as point %d, skipped)\n", label, r->o->out_path, id);
}

/* Progress on a TTY: points, throughput and the time left. */
static void progress_line(const run_ctx *r, double fraction_of_point)
{
    if (!r->tty)
        return;
    double el = omp_get_wtime() - r->t_start;
    double done = r->ran + fraction_of_point, todo = r->sw->npoints - r->skipped;
    double eta = done > 0.0 ? el * (todo - done) / done : NAN;
    fprintf(stderr, "\r  point %d/%d  %.3g %s/s  ETA %.0f s   ", r->ran + r->skipped + 1, r->sw->npoints,
            el > 0.0 ? r->work / el : 0.0, r->cfg->model == LIHOP_MODEL_GARNET ? "events" : "hops",
            isfinite(eta) ? eta : 0.0);
    fflush(stderr);
}

static void progress_cb(void *ctx, double f)
{
    progress_line(ctx, f);
}

static void clear_progress(const run_ctx *r)
{
    if (r->tty)
        fprintf(stderr, "\r%70s\r", "");
}

/* ---- points ---------------------------------------------------------------------- */

/* The microstructure of r->view: rebuilt only when a microstructure key changed. */
static lihop_status voxel_micro(run_ctx *r)
{
    if (r->m && !lihop_sweep_micro_differs(r->mview, r->view))
        return LIHOP_OK;
    lihop_micro_destroy(r->m);
    r->m = NULL;
    lihop_status st = lihop_micro_load(&r->view->micro, r->view->nphases, r->o->cfg_dir, &r->m, &r->err);
    if (!st)
        st = lihop_voxel_check(r->view, r->m, &r->err);
    if (!st)
        memcpy(r->mview, r->view, sizeof *r->view);
    return st;
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
        progress_line(r, 0.0);
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
        opt.progress = progress_cb;
        opt.progress_ctx = r;
        st = lihop_voxel_run_point(r->view, r->m, lihop_h5_next_id(r->h5), r->view->temperature_K[0], &opt,
                                   &out->vox, &r->err);
    }
    clear_progress(r);
    return st;
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
            garnet_row(r, pt);
            r->work += (double)(pt->main.events + (pt->has_bulk ? pt->bulk.events : 0));
            garnet_warnings(r, pt);
        }
    } else {
        lihop_point_result *res = &out->vox;
        res->index = lihop_h5_next_id(r->h5);
        st = lihop_h5_write_point(r->h5, r->view, r->coords, res, &r->err);
        if (!st) {
            voxel_row(r, res);
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
    skipped_row(r, id);
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

static void sweep_summary(const run_ctx *r)
{
    printf("sweep: %d point%s", r->sw->npoints, r->sw->npoints == 1 ? "" : "s");
    const char *sep = " over ";
    for (int c = 0; c < r->cfg->ncoords; c++)
        if (r->cfg->coords[c].n > 1) {
            printf("%s%s (%d)", sep, r->cfg->coords[c].name, r->cfg->coords[c].n);
            sep = " x ";
        }
    printf("%s\n", r->cfg->points_table ? " (points: table)" : "");
}

static void garnet_banner(const run_ctx *r, int nsites, int nli0)
{
    const lihop_config *cfg = r->cfg;
    const lihop_garnet_cfg *gc = &cfg->garnet;
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
}

static void voxel_banner(const run_ctx *r)
{
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(r->m, frac);
    printf("microstructure %d x %d x %d voxels of %.3g m:", r->m->n[0], r->m->n[1], r->m->n[2], r->m->voxel_m);
    for (int p = 0; p < r->cfg->nphases; ++p)
        printf(" %s %.4f", r->cfg->phases[p].name, frac[p]);
    int swept_micro = 0;
    for (int c = 0; c < r->cfg->ncoords; c++)
        swept_micro |= r->cfg->coords[c].n > 1 && (r->cfg->coords[c].kind == LIHOP_COORD_VOLUME_FRACTION ||
                                                   r->cfg->coords[c].kind == LIHOP_COORD_RADIUS ||
                                                   (r->cfg->coords[c].kind == LIHOP_COORD_SEED && !r->cfg->micro.seed_given));
    printf("  (volume fractions%s)\n", swept_micro ? " of the first point; the microstructure changes along the sweep" : "");
}

static void print_fits(const lihop_garnet_fits *fits)
{
    if (fits->n > 0) {
        printf("\nArrhenius fits of sigma (weighted least squares in 1/kT; errors scaled by sqrt(chi2_red) when > 1):\n");
        printf("%6s %4s %15s %15s %9s %13s %15s %9s %13s\n", "Li/fu", "n_T", "T range [K]", "Ea(sigma T)[eV]", "+-",
               "A[S K/cm]", "Ea(sigma)[eV]", "+-", "A[S/cm]");
        for (int i = 0; i < fits->n; ++i) {
            const lihop_garnet_arrhenius_row *q = &fits->row[i];
            char range[32];
            snprintf(range, sizeof range, "%.1f-%.1f", q->T_min_K, q->T_max_K);
            printf("%6.3f %4d %15s %15.4f %9.4f %13.4e %15.4f %9.4f %13.4e\n", q->li_per_fu, q->ntemps, range,
                   q->sigmaT.Ea_eV, q->sigmaT.Ea_err_eV, q->sigmaT.A * 0.01, q->sigma.Ea_eV, q->sigma.Ea_err_eV,
                   q->sigma.A * 0.01);
        }
    }
    if (fits->npeaks > 0) {
        printf("\nConductivity maximum over Li content (largest point; vertex of the parabola through it and its "
               "neighbours):\n");
        printf("%9s %5s %8s %13s %9s %9s %16s %16s\n", "T [K]", "n_Li", "Li_max", "sigma[S/cm]", "+-", "vertex",
               "max/sigma(low)", "max/sigma(high)");
        for (int i = 0; i < fits->npeaks; ++i) {
            const lihop_li_peak *q = &fits->peak[i];
            char vtx[32];
            if (isnan(q->li_vertex))
                snprintf(vtx, sizeof vtx, "at end");
            else
                snprintf(vtx, sizeof vtx, "%.3f", q->li_vertex);
            printf("%9.2f %5d %8.3f %13.4e %9.2e %9s %16.2f %16.2f\n", fits->peak_T_K[i], q->n, q->li_max,
                   q->sigma_max * 0.01, q->sigma_max_err * 0.01, vtx, q->ratio_low, q->ratio_high);
        }
    }
}

static void closing_note(const run_ctx *r)
{
    int seeds = 0;
    for (int c = 0; c < r->cfg->ncoords; c++)
        if (r->cfg->coords[c].kind == LIHOP_COORD_SEED)
            seeds = r->cfg->coords[c].n;
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        printf("\nsigma: Nernst-Einstein conductivity n e^2 D_sigma / kT; D*: tracer and D_sig: collective (jump) "
               "diffusion coefficient;\nH_R = D*/D_sig (Haven ratio), f = D*/D0 and f_I = D_sig/D0 (correlation "
               "factors), occ_X: Li per site of sublattice X.\nErrors are one standard error (jackknife over %d replica "
               "batches)%s.\n", r->cfg->run.batches,
               r->cfg->garnet.has_bicrystal ? "; ASR = L (1/sigma_across - 1/sigma_bulk), one boundary per supercell "
                                              "period L" : "");
    else
        printf("\nsigma: total ionic conductivity (mean of the diagonal), t+: transference number; errors are one "
               "standard error over %d walker batches.\n", r->cfg->run.batches);
    if (seeds > 1)
        printf("%d seeds per point: /combined in the file holds their inverse-variance weighted means.\n", seeds);
    printf("results: %s%s\n", r->o->out_path, r->warnings ? " (with warnings above)" : "");
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

static void print_banner(const run_ctx *r, int nsites, int nli0)
{
    printf("lihop %s (%s)  config %s  ->  %s\n", LIHOP_VERSION, LIHOP_GIT_DESCRIBE, r->o->cfg_label, r->o->out_path);
    printf("backend %s: %s\n", r->o->backend == LIHOP_BACKEND_CUDA ? "cuda" : "cpu", r->o->device);
    if (lihop_mpi_size() > 1)
        printf("mpi: %d ranks: rank 0 writes the file, %d worker rank%s run the points\n", lihop_mpi_size(),
               lihop_mpi_size() - 1, lihop_mpi_size() > 2 ? "s" : "");
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        garnet_banner(r, nsites, nli0);
    else
        voxel_banner(r);
    sweep_summary(r);
    printf("\n");
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        garnet_header(r->cfg);
    else
        voxel_header(r->cfg);
}

static lihop_status finish(run_ctx *r, lihop_garnet_fits *fits)
{
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        return lihop_h5_garnet_finish(r->h5, r->cfg, fits, &r->err);
    return lihop_h5_finish(r->h5, &r->err);
}

static void run_free(run_ctx *r)
{
    lihop_sweep_destroy(r->sw);
    lihop_micro_destroy(r->m);
    free(r->view);
    free(r->mview);
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
static lihop_status run_all(run_ctx *r, lihop_garnet_fits *fits)
{
    lihop_status st = fits ? LIHOP_OK : lihop_fail(&r->err, LIHOP_ERR_NOMEM, "out of memory");
    st = lihop_mpi_size() > 1 ? lihop_mpi_schedule(r, st) : run_points(r, st);
    if (!st)
        st = finish(r, fits);
    return st;
}

/* The exit code of the run, its closing lines printed. */
static int run_end(run_ctx *r, lihop_status st, const lihop_garnet_fits *fits)
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
        return report(st, &r->err);
    if (cst)
        return report(cst, &cerr);
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        print_fits(fits);
    closing_note(r);
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
        return lihop_mpi_share_code(report(st, &r.err));
    }
    lihop_mpi_share_code(0);
    print_banner(&r, nsites, nli0);
    lihop_garnet_fits *fits = calloc(1, sizeof *fits);
    st = run_all(&r, fits);
    int code = run_end(&r, st, fits);
    run_free(&r);
    free(fits);
    return lihop_mpi_share_code(code);
}
