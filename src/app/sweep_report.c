/* sweep_report.c - what `lihop run` prints (app layer): the banner, one table
 * row per point (sigma in S/cm, D in cm^2/s), skipped points, the progress
 * line on a TTY, the garnet fits and the closing note. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "percolation.h"
#include "sweep_run_impl.h"

/* ---- screen ---------------------------------------------------------------------- */

/* Swept coordinates other than temperature and Li content: with --wide they
 * lead each row, else a group line names them when they change. */
static int lead_coord(const lihop_coord *x)
{
    return x->swept && x->n > 1 && x->kind != LIHOP_COORD_TEMPERATURE && x->kind != LIHOP_COORD_LI_PER_FU &&
           x->kind != LIHOP_COORD_LI_PER_CELL;
}

static int lead_width(const lihop_coord *x)
{
    return (int)(strlen(x->name) > 10 ? strlen(x->name) : 10);
}

/* The header and units lines of the lead columns (--wide only). */
static void lead_header(const lihop_config *cfg, int wide, int units)
{
    for (int c = 0; wide && c < cfg->ncoords; c++)
        if (lead_coord(&cfg->coords[c]))
            printf("%*s ", lead_width(&cfg->coords[c]), units ? "" : cfg->coords[c].name);
}

/* --wide: the lead columns; else a line "-- name = v, ..." before the first
 * row of each new combination, so that rows stay within 100 columns. */
static void lead_values(run_ctx *r)
{
    const lihop_config *cfg = r->cfg;
    int changed = !r->lead_shown;
    for (int c = 0; c < cfg->ncoords; c++)
        if (lead_coord(&cfg->coords[c])) {
            if (r->o->wide)
                printf("%*.6g ", lead_width(&cfg->coords[c]), r->coords[c]);
            changed |= r->lead_last[c] != r->coords[c];
        }
    if (r->o->wide || !changed)
        return;
    const char *sep = "  -- ";
    for (int c = 0; c < cfg->ncoords; c++)
        if (lead_coord(&cfg->coords[c])) {
            printf("%s%s = %.6g", sep, cfg->coords[c].name, r->coords[c]);
            sep = ", ";
            r->lead_last[c] = r->coords[c];
        }
    if (sep[0] == ',')
        printf("\n");
    r->lead_shown = 1;
}

/* The row's mark: "* " for a point read back from the file (legend above the
 * first one), "  " for a point run now. */
static void row_mark(run_ctx *r, int from_file)
{
    if (from_file && !r->file_legend) {
        printf("* finished in an earlier session: the values stored in %s\n", r->o->out_path);
        r->file_legend = 1;
    }
    printf("%s", from_file ? "* " : "  ");
}

void run_voxel_header(const run_ctx *r)
{
    const lihop_config *cfg = r->cfg;
    int wide = r->o->wide;
    for (int u = 0; u < 2; u++) {
        printf("  ");
        lead_header(cfg, wide, u);
        printf("%7s %9s %7s %9s %6s %5s", u ? "[K]" : "T", u ? "[S/cm]" : "sigma", u ? "[S/cm]" : "+-",
               u ? "[S/cm]" : "exact", u ? "" : "t+", u ? "" : "+-");
        for (int s = 0; s < cfg->nspecies; ++s) {
            char h[64];
            snprintf(h, sizeof h, "D_%.7s", cfg->species[s].name);
            printf(" %9s", u ? "[cm2/s]" : h);
            if (wide) {
                snprintf(h, sizeof h, "sigma_%.3s", cfg->species[s].name);
                printf(" %9s %9s", u ? "[S/cm]" : h, u ? "[S/cm]" : "exact");
            }
        }
        printf(" %4s %3s %7s\n", u ? "" : "conv", u ? "" : "x t", u ? "[s]" : "wall");
    }
}

/* The longest run time of the point's species, in units of the deck's. */
static int time_factor(const lihop_point_result *r)
{
    int ext = 0;
    for (int s = 0; s < r->nspecies; ++s) ext = r->sp[s].extensions > ext ? r->sp[s].extensions : ext;
    return 1 << ext;
}

static double iso(const double v[3])
{
    return (v[0] + v[1] + v[2]) / 3.0;
}

void run_voxel_row(run_ctx *c, const lihop_point_result *r, int from_file)
{
    if (!c->o->wide)
        lead_values(c);
    row_mark(c, from_file);
    if (c->o->wide)
        lead_values(c);
    printf("%7.2f %9.3e %7.1e %9.3e %6.4f %5.3f", r->T_K, r->sigma_iso_S_m * 0.01, r->sigma_iso_err * 0.01,
           r->sigma_exact_iso_S_m * 0.01, r->t_plus, r->t_plus_err);
    for (int s = 0; s < c->cfg->nspecies; ++s) {
        printf(" %9.3e", 1e4 * iso(r->sp[s].D_m2_s));
        if (c->o->wide)
            printf(" %9.3e %9.3e", 0.01 * iso(r->sp[s].sigma_S_m), 0.01 * iso(r->sp[s].sigma_exact_S_m));
    }
    printf(" %4s %3d %7.2f\n", r->converged ? "yes" : "NO", time_factor(r), r->wall_s);
    fflush(stdout);
}

/* Some point runs under an applied field (the drift column is shown). */
static int has_field(const lihop_config *cfg)
{
    for (int c = 0; c < cfg->ncoords; c++)
        for (int i = 0; cfg->coords[c].group == 1 && i < cfg->coords[c].n; i++)
            if (cfg->coords[c].value[i] != 0.0)
                return 1;
    return 0;
}

/* --wide garnet columns after f_I: D_sigma, the drift sigma, the occupancies. */
static void garnet_wide_header(const lihop_config *cfg, int u)
{
    printf(" %12s %9s", u ? "[cm2/s]" : "D_sig", u ? "[cm2/s]" : "+-");
    if (has_field(cfg))
        printf(" %12s %10s", u ? "[S/cm]" : "s_drift", u ? "[S/cm]" : "+-");
    for (int s = 0; s < cfg->garnet.nsub; ++s) {
        char h[32];
        snprintf(h, sizeof h, "occ_%s", cfg->garnet.subname[s]);
        printf(" %6s", u ? "" : h);
    }
}

void run_garnet_header(const run_ctx *r)
{
    const lihop_config *cfg = r->cfg;
    for (int u = 0; u < 2; u++) {
        printf("  ");
        lead_header(cfg, r->o->wide, u);
        printf("%7s %6s %9s %7s %9s %7s %5s %5s %5s %5s %5s %5s", u ? "[K]" : "T", u ? "" : "Li/fu",
               u ? "[S/cm]" : "sigma", u ? "[S/cm]" : "+-", u ? "[cm2/s]" : "D*", u ? "[cm2/s]" : "+-",
               u ? "" : "H_R", u ? "" : "+-", u ? "" : "f", u ? "" : "+-", u ? "" : "f_I", u ? "" : "+-");
        if (r->o->wide)
            garnet_wide_header(cfg, u);
        printf(" %7s\n", u ? "[s]" : "wall");
    }
}

static void garnet_extra_lines(const lihop_garnet_point *pt)
{
    if (pt->has_drift) {
        printf("    drift along x: E1 = %.3g V/m: sigma %.4e +- %.2e S/cm\n", pt->drift_field_V_m[0],
               pt->drift[0].sigma_drift_S_m * 0.01, pt->drift[0].sigma_drift_err * 0.01);
        printf("                   E2 = %.3g V/m: sigma %.4e +- %.2e S/cm; E2/E1 = %.3f +- %.3f\n",
               pt->drift_field_V_m[1], pt->drift[1].sigma_drift_S_m * 0.01, pt->drift[1].sigma_drift_err * 0.01,
               pt->drift_linearity, pt->drift_linearity_err);
    }
    if (pt->has_bulk) {
        const lihop_bicrystal_result *b = &pt->bc;
        printf("    boundary (normal %c): sigma across %.4e +- %.2e, along %.4e +- %.2e S/cm\n", "xyz"[b->axis],
               b->sigma_across_S_m * 0.01, b->sigma_across_err * 0.01, b->sigma_along_S_m * 0.01,
               b->sigma_along_err * 0.01);
        printf("                        bulk %.4e +- %.2e S/cm; ASR %.4e +- %.2e ohm cm^2\n",
               b->sigma_bulk_S_m * 0.01, b->sigma_bulk_err * 0.01, b->asr_ohm_m2 * 1e4, b->asr_err_ohm_m2 * 1e4);
    }
}

void run_garnet_row(run_ctx *c, const lihop_garnet_point *pt, int from_file)
{
    const lihop_garnet_cfg *g = &c->cfg->garnet;
    const lihop_garnet_result *m = &pt->main;
    if (!c->o->wide)
        lead_values(c);
    row_mark(c, from_file);
    if (c->o->wide)
        lead_values(c);
    printf("%7.2f %6.3f %9.3e %7.1e %9.3e %7.1e %5.3f %5.3f %5.3f %5.3f %5.3f %5.3f", pt->T_K, pt->li_per_fu,
           m->sigma_NE_S_m * 0.01, m->sigma_NE_err * 0.01, m->D_tracer_m2_s * 1e4, m->D_tracer_err * 1e4, m->haven,
           m->haven_err, m->f_tracer, m->f_tracer_err, m->f_coll, m->f_coll_err);
    if (c->o->wide) {
        printf(" %12.4e %9.2e", m->D_sigma_m2_s * 1e4, m->D_sigma_err * 1e4);
        if (has_field(c->cfg))
            printf(" %12.4e %10.2e", m->sigma_drift_S_m * 0.01, m->sigma_drift_err * 0.01);
        for (int s = 0; s < g->nsub; ++s)
            printf(" %6.4f", s < m->nsub ? m->site_occupancy[s] : NAN);
    }
    printf(" %7.2f\n", pt->wall_s);
    garnet_extra_lines(pt);
    fflush(stdout);
}

/* A finished point of an earlier session: its row with the values stored in
 * the file (marked "*"), or a line saying why they could not be read. */
void run_skipped_row(run_ctx *r, int id)
{
    lihop_point_out *out = malloc(sizeof *out);
    lihop_err err = {{0}};
    lihop_status st = LIHOP_ERR_NOMEM;
    if (out && r->cfg->model == LIHOP_MODEL_GARNET) {
        st = lihop_h5_read_garnet_point(r->h5, r->cfg, id, &out->gar, &err);
        if (!st)
            run_garnet_row(r, &out->gar, 1);
    } else if (out) {
        st = lihop_h5_read_point(r->h5, r->cfg, id, &out->vox, &err);
        if (!st)
            run_voxel_row(r, &out->vox, 1);
    }
    if (st) {
        char label[256];
        lihop_sweep_label(r->cfg, r->sw, r->k, label, sizeof label);
        printf("* %s: point %d of %s (values not read back: %s)\n", label, id, r->o->out_path,
               out ? err.msg : "out of memory");
    }
    free(out);
}

/* Progress on a TTY: points, throughput and the time left. */
void run_progress_line(const run_ctx *r, double fraction_of_point)
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

void run_progress_cb(void *ctx, double f)
{
    run_progress_line(ctx, f);
}

void run_clear_progress(const run_ctx *r)
{
    if (r->tty)
        fprintf(stderr, "\r%70s\r", "");
}

void run_sweep_summary(const run_ctx *r)
{
    printf("sweep: %d point%s", r->sw->npoints, r->sw->npoints == 1 ? "" : "s");
    const char *sep = " over ";
    for (int c = 0; c < r->cfg->ncoords; c++) {
        const lihop_coord *x = &r->cfg->coords[c];
        if (x->n < 2 || (x->group > 0 && x->kind != LIHOP_COORD_FIELD_X))
            continue;   /* the field's components are one axis, named by its key */
        printf("%s%s (%d)", sep, x->group > 0 ? x->key : x->name, x->n);
        sep = " x ";
    }
    printf("%s\n", r->cfg->points_table ? " (points: table)" : "");
}

void run_garnet_banner(const run_ctx *r, int nsites, int nli0)
{
    const lihop_config *cfg = r->cfg;
    const lihop_garnet_cfg *gc = &cfg->garnet;
    printf("garnet: material %s%s%s, lattice %s (%s), %dx%dx%d cells, %d sites, rate law %s, nu %.3g Hz\n",
           gc->material_name[0] ? gc->material_name : "(none)", gc->material_path[0] ? " from " : "",
           gc->material_path, gc->lattice.name, gc->lattice_path, gc->cells[0], gc->cells[1], gc->cells[2], nsites,
           gc->rate_law == LIHOP_GRATE_METROPOLIS ? "metropolis" : "kra", gc->nu_Hz);
    printf("        %d temperature%s x %d Li content%s (%g Li/fu = %d Li per supercell first), %lld replicas, "
           "%s %g per Li\n",
           cfg->ntemps, cfg->ntemps == 1 ? "" : "s", gc->nli, gc->nli == 1 ? "" : "s", gc->li_per_fu[0], nli0,
           (long long)cfg->run.replicas, cfg->run.time_s > 0 ? "time_s" : "hops",
           cfg->run.time_s > 0 ? cfg->run.time_s : cfg->run.hops_per_li);
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

/* Which phases and interface networks wrap around the box (percolation.h):
 * "percolates: peo xyz, llzo -, peo|llzo interface xyz". */
static void run_percolation_line(const run_ctx *r)
{
    lihop_percolation *pc = malloc(sizeof *pc);
    lihop_err err = {{0}};
    if (!pc || lihop_percolation_analyse(r->m, pc, &err) != LIHOP_OK) {
        printf("percolates: (not analysed: %s)\n", pc ? err.msg : "out of memory");
        free(pc);
        return;
    }
    const char *names[LIHOP_MAX_PHASES];
    for (int p = 0; p < r->cfg->nphases && p < LIHOP_MAX_PHASES; ++p) names[p] = r->cfg->phases[p].name;
    char line[4096];
    lihop_percolation_format(pc, names, line, sizeof line);
    printf("percolates: %s  (wrap axes)\n", line);
    free(pc);
}

/* One line per phase or interface whose numbers came from_garnet: the garnet
 * file, its kind, git describe, seed and status (the whole record, with the
 * fit, is in /metadata/phases/from_garnet and /metadata/interfaces). */
static void run_handoff_lines(const lihop_config *cfg)
{
    for (int p = 0; p < cfg->nphases; ++p)
        if (cfg->phases[p].garnet_origin[0])
            printf("from_garnet: phase %s <- %.*s\n", cfg->phases[p].name,
                   (int)strcspn(cfg->phases[p].garnet_origin, ";"), cfg->phases[p].garnet_origin);
    for (int k = 0; k < cfg->ninterfaces; ++k) {
        const lihop_interface_cfg *ic = &cfg->interfaces[k];
        if (ic->garnet_origin[0])
            printf("from_garnet: interface %s|%s ASR <- %.*s\n", cfg->phases[ic->phase_a].name,
                   cfg->phases[ic->phase_b].name, (int)strcspn(ic->garnet_origin, ";"), ic->garnet_origin);
    }
}

void run_voxel_banner(const run_ctx *r)
{
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(r->m, frac);
    int swept_micro = 0;
    for (int c = 0; c < r->cfg->ncoords; c++)
        swept_micro |= r->cfg->coords[c].n > 1 && (r->cfg->coords[c].kind == LIHOP_COORD_VOLUME_FRACTION ||
                                                   r->cfg->coords[c].kind == LIHOP_COORD_RADIUS ||
                                                   (r->cfg->coords[c].kind == LIHOP_COORD_SEED && !r->cfg->micro.seed_given));
    printf("microstructure %d x %d x %d voxels of %.3g m; volume fractions%s:", r->m->n[0], r->m->n[1], r->m->n[2],
           r->m->voxel_m, swept_micro ? " (first point)" : "");
    for (int p = 0; p < r->cfg->nphases; ++p)
        printf(" %s %.4f", r->cfg->phases[p].name, frac[p]);
    printf("\n");
    run_percolation_line(r);
    run_handoff_lines(r->cfg);
}

/* A coordinate that names a fit line on the screen: swept, not temperature
 * (the fit's variable) and not the seed (replicates are combined). */
static int fit_coord(const lihop_coord *x)
{
    return x->swept && x->n > 1 && x->kind != LIHOP_COORD_TEMPERATURE && x->kind != LIHOP_COORD_SEED;
}

/* A /fits row: the line's swept coordinates (--wide; else a line naming them
 * before the line's first row), then the fits; "-" without VTF. */
static void line_fit_row(const lihop_config *cfg, const lihop_line_fit_row *q, int wide, int *last_line)
{
    const char *sep = "     line %d: ";
    for (int c = 0; !wide && q->line != *last_line && c < cfg->ncoords; c++)
        if (fit_coord(&cfg->coords[c])) {
            printf(sep, q->line);
            printf("%s = %.6g", cfg->coords[c].name, q->coord[c]);
            sep = ", ";
        }
    if (sep[0] == ',')
        printf("\n");
    *last_line = q->line;
    printf("%4d %-8s", q->line, q->species < 0 ? "total" : cfg->species[q->species].name);
    for (int c = 0; wide && c < cfg->ncoords; c++)
        if (fit_coord(&cfg->coords[c]))
            printf(" %*.4g", lead_width(&cfg->coords[c]), q->coord[c]);
    char range[32];
    snprintf(range, sizeof range, "%.0f-%.0f", q->T_min_K, q->T_max_K);
    printf(" %3d %9s %7.4f %6.4f %9.3e", q->ntemps, range, q->sigmaT.Ea_eV, q->sigmaT.Ea_err_eV, q->sigmaT.A * 0.01);
    if (q->has_vtf)
        printf(" %7.1f %6.1f %6.1f %5.1f %9.3e\n", q->vtf.B_K, q->vtf.B_err_K, q->vtf.T0_K, q->vtf.T0_err_K,
               q->vtf.A * 0.01);
    else
        printf(" %7s %6s %6s %5s %9s\n", "-", "", "-", "", "-");
}

/* Why a row has no VTF ("-"): too few temperatures, or no converged fit. */
static void vtf_note(const lihop_line_fits *fits)
{
    int few = 0, failed = 0;
    for (int i = 0; i < fits->n; ++i) {
        few += !fits->row[i].has_vtf && fits->row[i].ntemps < 4;
        failed += !fits->row[i].has_vtf && fits->row[i].ntemps >= 4;
    }
    if (few)
        printf("VTF not fitted on %d row%s with fewer than 4 temperatures (3 parameters and one degree of\n"
               "freedom): nothing stored for it (vtf = 0, the vtf_* columns NaN in /fits).\n", few,
               few == 1 ? "" : "s");
    if (failed)
        printf("VTF did not converge to a T0 below every temperature on %d row%s: nothing stored (vtf = 0).\n",
               failed, failed == 1 ? "" : "s");
}

/* The /fits table of either model (wide: the line coordinates as columns). */
static void print_line_fits(const lihop_config *cfg, const lihop_line_fits *fits, int wide)
{
    if (fits->nall == 0)
        return;
    printf("\nFits of sigma(T) per sweep line (seeds combined; in the file: /fits). Arrhenius sigma T =\n"
           "A exp(-Ea/kT), the default (ln sigma: also in /fits); VTF sigma = A exp(-B/(T - T0)) with >= 4\n"
           "temperatures; weighted least squares, errors one standard error, scaled by sqrt(chi2_red) when > 1:\n");
    for (int u = 0; u < 2; u++) {
        printf("%4s %-8s", u ? "" : "line", u ? "" : "sigma");
        for (int c = 0; wide && c < cfg->ncoords; c++)
            if (fit_coord(&cfg->coords[c]))
                printf(" %*s", lead_width(&cfg->coords[c]), u ? "" : cfg->coords[c].name);
        printf(" %3s %9s %7s %6s %9s %7s %6s %6s %5s %9s\n", u ? "" : "n_T", u ? "[K]" : "T", u ? "[eV]" : "Ea",
               u ? "[eV]" : "+-", u ? "[S K/cm]" : "A", u ? "[K]" : "B", u ? "[K]" : "+-", u ? "[K]" : "T0",
               u ? "[K]" : "+-", u ? "[S/cm]" : "A");
    }
    int last_line = -1;
    for (int i = 0; i < fits->n; ++i)
        line_fit_row(cfg, &fits->row[i], wide, &last_line);
    if (fits->nall > fits->n)
        printf("(%d more rows in /fits)\n", fits->nall - fits->n);
    vtf_note(fits);
}

/* The garnet fits: /fits per sweep line, then the Li-content maximum. */
void run_print_fits(const lihop_garnet_fits *fits)
{
    if (fits->cfg)
        print_line_fits(fits->cfg, &fits->lines, 0);
    if (fits->npeaks > 0) {
        printf("\nConductivity maximum over Li content (largest point; vertex of the parabola through it and its "
               "\nneighbours):\n");
        printf("%9s %5s %8s %13s %9s %9s %16s %16s\n", "T", "n_Li", "Li_max", "sigma", "+-", "vertex",
               "max/sigma(low)", "max/sigma(high)");
        printf("%9s %5s %8s %13s %9s %9s %16s %16s\n", "[K]", "", "[Li/fu]", "[S/cm]", "[S/cm]", "[Li/fu]", "", "");
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

void run_print_voxel_fits(const run_ctx *r, const lihop_voxel_fits *fits)
{
    print_line_fits(r->cfg, fits, r->o->wide);
}

void run_closing_note(const run_ctx *r)
{
    int seeds = 0;
    for (int c = 0; c < r->cfg->ncoords; c++)
        if (r->cfg->coords[c].kind == LIHOP_COORD_SEED)
            seeds = r->cfg->coords[c].n;
    if (r->cfg->model == LIHOP_MODEL_GARNET)
        printf("\nsigma: Nernst-Einstein conductivity n e^2 D_sigma / kT [S/cm]; D*: tracer diffusion coefficient\n"
               "[cm^2/s]; H_R = D*/D_sig (Haven ratio), f = D*/D0 and f_I = D_sig/D0 (correlation factors);\n"
               "with --wide also D_sig (collective, jump diffusion) and occ_X: Li per site of sublattice X.\n"
               "Errors (+-) are one standard error (jackknife over the %lld replicas, one at a time)%s.\n",
               (long long)r->cfg->run.replicas,
               r->cfg->garnet.has_bicrystal ? ";\nASR = L (1/sigma_across - 1/sigma_bulk), one boundary per "
                                              "supercell period L" : "");
    else
        printf("\nsigma: total ionic conductivity [S/cm] (mean of the diagonal), exact: the same network solved\n"
               "exactly (long-time limit), t+: transference number, D_X: diffusion coefficient [cm^2/s] (with\n"
               "--wide also each species' sigma and exact value); errors (+-) are one standard error over the\n"
               "walkers; x t: run time / deck time (extensions); wall: seconds.\n");
    if (seeds > 1)
        printf("%d seeds per point: /combined in the file holds their inverse-variance weighted means.\n", seeds);
    printf("results: %s%s\n", r->o->out_path, r->warnings ? " (with warnings above)" : "");
}

