/* config_garnet.c - pass 3 for garnet decks: the material file (its own three
 * passes), the lattice file, material keys merged file-then-deck, the
 * bicrystal, the run, and the checks that bound a run's cost. */
#include "config_impl.h"

static void set_src(lihop_cfg_src *s, pctx *c, const char *path)
{
    snprintf(s->file, sizeof s->file, "%s", c->name);
    s->line = cfg_line_of(c, path);
}

static int sub_index(const lihop_garnet_cfg *g, const char *name)
{
    for (int s = 0; s < g->nsub; s++)
        if (strcmp(g->subname[s], name) == 0)
            return s;
    return -1;
}

static lihop_status need_sub(pctx *c, const lihop_garnet_cfg *g, const char *path, const char *name,
                             int *out)
{
    *out = sub_index(g, name);
    if (*out >= 0)
        return LIHOP_OK;
    char list[200] = "";
    for (int s = 0; s < g->nsub; s++)
        cfg_join_append(list, sizeof list, g->subname[s]);
    return cfg_fail_at(c, path, "expected a sublattice of lattice '%s' (%s), got '%s'", g->lattice.name,
                       list, name);
}

/* E_kra_eV: one barrier per unordered sublattice pair, each pair once per file. */
static lihop_status apply_kra(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP], q[PATH_CAP];
    lihop_status st;
    int here[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES];
    memset(here, 0xff, sizeof here);     /* -1: not in this file */
    snprintf(p, sizeof p, "%sE_kra_eV", pre);
    set_src(&g->src_kra, c, p);
    for (unsigned k = 0; k < y->E_kra_eV_count; k++) {
        const y_kra *e = &y->E_kra_eV[k];
        int a, b;
        snprintf(p, sizeof p, "%sE_kra_eV[%u].pair[0]", pre, k);
        if ((st = need_sub(c, g, p, e->pair[0], &a)) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "%sE_kra_eV[%u].pair[1]", pre, k);
        if ((st = need_sub(c, g, p, e->pair[1], &b)) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "%sE_kra_eV[%u].pair", pre, k);
        if (here[a][b] >= 0)
            return cfg_fail_at(c, p, "expected each sublattice pair once, got [%s, %s] again (also %sE_kra_eV[%d])",
                               e->pair[0], e->pair[1], pre, here[a][b]);
        here[a][b] = here[b][a] = (int)k;
        snprintf(q, sizeof q, "%sE_kra_eV[%u].value", pre, k);
        if ((st = cfg_need_range(c, q, e->value, 0, 0.0, EA_MAX_EV, "a barrier", "eV")) != LIHOP_OK)
            return st;
        g->E_kra_eV[a][b] = g->E_kra_eV[b][a] = e->value;
        g->kra_given[a][b] = g->kra_given[b][a] = 1;
    }
    return LIHOP_OK;
}

/* site_energy_eV: one energy per sublattice, each sublattice once per file. */
static lihop_status apply_site_energies(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    lihop_status st;
    int here[LIHOP_MAX_SUBLATTICES];
    memset(here, 0xff, sizeof here);
    for (unsigned k = 0; k < y->site_energy_eV_count; k++) {
        int a;
        snprintf(p, sizeof p, "%ssite_energy_eV[%u].sublattice", pre, k);
        if ((st = need_sub(c, g, p, y->site_energy_eV[k].sublattice, &a)) != LIHOP_OK)
            return st;
        if (here[a] >= 0)
            return cfg_fail_at(c, p, "expected each sublattice once, got '%s' again (also %ssite_energy_eV[%d])",
                               y->site_energy_eV[k].sublattice, pre, here[a]);
        here[a] = (int)k;
        snprintf(p, sizeof p, "%ssite_energy_eV[%u].value", pre, k);
        if ((st = cfg_energy_range(c, p, y->site_energy_eV[k].value)) != LIHOP_OK)
            return st;
        g->site_energy_eV[a] = y->site_energy_eV[k].value;
    }
    return LIHOP_OK;
}

/* pair_shells_eV: distance windows [from_A, to_A) that must not overlap; a
 * deck's list replaces the material's. */
static lihop_status apply_pair_shells(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP], q[PATH_CAP];
    lihop_status st;
    snprintf(p, sizeof p, "%spair_shells_eV", pre);
    set_src(&g->src_shells, c, p);
    g->npair_shells = (int)y->pair_shells_eV_count;
    for (unsigned k = 0; k < y->pair_shells_eV_count; k++) {
        const y_shell *e = &y->pair_shells_eV[k];
        snprintf(p, sizeof p, "%spair_shells_eV[%u].from_A", pre, k);
        if ((st = cfg_need_range(c, p, e->from_A, 0, 0.0, SHELL_MAX_A, "a distance", "A")) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "%spair_shells_eV[%u].to_A", pre, k);
        if ((st = cfg_need_range(c, p, e->to_A, 1, e->from_A, SHELL_MAX_A, "a distance (from_A)", "A")) != LIHOP_OK)
            return st;
        snprintf(q, sizeof q, "%spair_shells_eV[%u].value", pre, k);
        if ((st = cfg_energy_range(c, q, e->value)) != LIHOP_OK)
            return st;
        for (unsigned o = 0; o < k; o++)
            if (e->from_A < y->pair_shells_eV[o].to_A && y->pair_shells_eV[o].from_A < e->to_A) {
                snprintf(p, sizeof p, "%spair_shells_eV[%u]", pre, k);
                return cfg_fail_at(c, p, "expected distance windows that do not overlap, got [%g, %g) A, which "
                               "overlaps %spair_shells_eV[%u] [%g, %g) A", e->from_A, e->to_A, pre, o,
                               y->pair_shells_eV[o].from_A, y->pair_shells_eV[o].to_A);
            }
        g->pair_shell_min_A[k] = e->from_A;
        g->pair_shell_max_A[k] = e->to_A;
        g->pair_shell_eV[k] = e->value;
    }
    return LIHOP_OK;
}

/* The keys a material file and a deck share; `pre` is "" (material) or "garnet.". */
static lihop_status apply_material_keys(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    lihop_status st;
    if (y->rate_law) {
        g->rate_law = (lihop_garnet_rate_kind)*y->rate_law;
        snprintf(p, sizeof p, "%srate_law", pre);
        set_src(&g->src_rate_law, c, p);
    }
    if (y->nu_Hz) {
        snprintf(p, sizeof p, "%snu_Hz", pre);
        if ((st = cfg_need_range(c, p, *y->nu_Hz, 0, NU_MIN_HZ, NU_MAX_HZ, "an attempt frequency", "Hz")) != LIHOP_OK)
            return st;
        g->nu_Hz = *y->nu_Hz;
    }
    if (y->E_kra_eV && (st = apply_kra(c, pre, y, g)) != LIHOP_OK)
        return st;
    if (y->site_energy_eV && (st = apply_site_energies(c, pre, y, g)) != LIHOP_OK)
        return st;
    if (y->E_nn_eV) {
        snprintf(p, sizeof p, "%sE_nn_eV", pre);
        if ((st = cfg_energy_range(c, p, *y->E_nn_eV)) != LIHOP_OK)
            return st;
        g->E_nn_eV = *y->E_nn_eV;
    }
    if (y->pair_shells_eV && (st = apply_pair_shells(c, pre, y, g)) != LIHOP_OK)
        return st;
    if (y->disorder_sigma_eV) {
        snprintf(p, sizeof p, "%sdisorder_sigma_eV", pre);
        if ((st = cfg_need_range(c, p, *y->disorder_sigma_eV, 0, 0.0, DISORDER_MAX_EV, "a standard deviation",
                                 "eV")) != LIHOP_OK)
            return st;
        g->disorder_sigma_eV = *y->disorder_sigma_eV;
    }
    return LIHOP_OK;
}

static lihop_status conv_space_charge(pctx *c, lihop_bicrystal_cfg *b, const y_sc *y)
{
    cfg_sc_target t = {&b->profile, &b->phi0_V, &b->length_A, &b->ntable, b->table_d_A, b->table_phi_V};
    return cfg_conv_sc_profile(c, "garnet.bicrystal.space_charge", "length_A", "A", y->profile, y->phi0_V,
                               y->length_A, &t);
}

static lihop_status conv_bicrystal(pctx *c, lihop_garnet_cfg *g, const y_bicrystal *y)
{
    lihop_bicrystal_cfg *b = &g->bicrystal;
    g->has_bicrystal = 1;
    set_src(&b->src, c, "garnet.bicrystal");
    b->axis = y->axis ? *y->axis : 0;
    b->center_frac = 0.5;
    if (y->center_frac) {
        if (!(*y->center_frac >= 0.0 && *y->center_frac < 1.0))
            return cfg_fail_at(c, "garnet.bicrystal.center_frac", "expected a fraction in [0, 1), got %s",
                           cfg_got(c, "garnet.bicrystal.center_frac"));
        b->center_frac = *y->center_frac;
    }
    if (y->thickness_A) {
        if (!(*y->thickness_A >= 0.0))
            return cfg_fail_at(c, "garnet.bicrystal.thickness_A", "expected a thickness >= 0 A, got %s",
                               cfg_got(c, "garnet.bicrystal.thickness_A"));
        b->thickness_A = *y->thickness_A;
    }
    lihop_status st;
    if ((y->kra_shift_eV && (st = cfg_energy_range(c, "garnet.bicrystal.kra_shift_eV", *y->kra_shift_eV)) != LIHOP_OK) ||
        (y->site_shift_eV && (st = cfg_energy_range(c, "garnet.bicrystal.site_shift_eV", *y->site_shift_eV)) != LIHOP_OK))
        return st;
    b->kra_shift_eV = y->kra_shift_eV ? *y->kra_shift_eV : 0.0;
    if (b->kra_shift_eV != 0.0 && g->rate_law == LIHOP_GRATE_METROPOLIS)
        return cfg_fail_at(c, "garnet.bicrystal.kra_shift_eV",
                           "expected 0 with rate_law metropolis (it has no barriers; rate_law from %s:%d), got %s",
                           g->src_rate_law.file, g->src_rate_law.line, cfg_got(c, "garnet.bicrystal.kra_shift_eV"));
    b->site_shift_eV = y->site_shift_eV ? *y->site_shift_eV : 0.0;
    if (y->disorder_sigma_eV) {
        if ((st = cfg_need_range(c, "garnet.bicrystal.disorder_sigma_eV", *y->disorder_sigma_eV, 0, 0.0,
                                 DISORDER_MAX_EV, "a standard deviation", "eV")) != LIHOP_OK)
            return st;
        b->disorder_sigma_eV = *y->disorder_sigma_eV;
    }
    if (y->site_removal_fraction) {
        if (!(*y->site_removal_fraction >= 0.0 && *y->site_removal_fraction < 1.0))
            return cfg_fail_at(c, "garnet.bicrystal.site_removal_fraction", "expected a fraction in [0, 1), got %s",
                           cfg_got(c, "garnet.bicrystal.site_removal_fraction"));
        b->site_removal_fraction = *y->site_removal_fraction;
    }
    b->profile = LIHOP_SC_NONE;
    if (y->space_charge)
        return conv_space_charge(c, b, y->space_charge);
    return LIHOP_OK;
}

static lihop_status conv_grun(pctx *c, lihop_config *cfg, const y_grun *y)
{
    lihop_run_cfg *r = &cfg->run;
    r->replicas = LIHOP_GARNET_DEFAULT_REPLICAS;
    r->hops_per_li = LIHOP_GARNET_DEFAULT_HOPS_PER_LI;
    r->time_s = 0.0;
    r->equil_hops_per_li = LIHOP_GARNET_DEFAULT_EQUIL_HOPS_PER_LI;
    r->samples = LIHOP_GARNET_DEFAULT_SAMPLES;
    r->batches = LIHOP_GARNET_DEFAULT_BATCHES;
    r->fit_from = LIHOP_GARNET_DEFAULT_FIT_FROM;
    r->fit_to = LIHOP_GARNET_DEFAULT_FIT_TO;
    if (!y)
        return LIHOP_OK;
    if (y->hops_per_li && y->time_s)
        return cfg_fail_at(c, "run.time_s",
                           "expected exactly one of hops_per_li or time_s, got both (hops_per_li on line %d)",
                           cfg_line_of(c, "run.hops_per_li"));
    if (y->hops_per_li) {
        if (!(*y->hops_per_li > 0.0))
            return cfg_fail_at(c, "run.hops_per_li", "expected a number of hops per Li > 0, got %s",
                               cfg_got(c, "run.hops_per_li"));
        r->hops_per_li = *y->hops_per_li;
    }
    if (y->time_s) {
        if (!(*y->time_s > 0.0))
            return cfg_fail_at(c, "run.time_s", "expected a time > 0 s, got %s", cfg_got(c, "run.time_s"));
        r->time_s = *y->time_s;
        r->hops_per_li = 0.0;
    }
    if (y->equil_hops_per_li) {
        if (!(*y->equil_hops_per_li >= 0.0))
            return cfg_fail_at(c, "run.equil_hops_per_li", "expected a number of hops per Li >= 0, got %s",
                               cfg_got(c, "run.equil_hops_per_li"));
        r->equil_hops_per_li = *y->equil_hops_per_li;
    }
    if (y->samples) {
        if (*y->samples < 2 || *y->samples > LIHOP_MAX_SAMPLES)
            return cfg_fail_at(c, "run.samples", "expected from 2 to %d samples, got %s", LIHOP_MAX_SAMPLES,
                               cfg_got(c, "run.samples"));
        r->samples = (int)*y->samples;
    }
    if (y->batches) {
        if (*y->batches < 2 || *y->batches > 1000)
            return cfg_fail_at(c, "run.batches", "expected from 2 to 1000 batches, got %s", cfg_got(c, "run.batches"));
        r->batches = (int)*y->batches;
    }
    if (y->replicas) {
        if (*y->replicas > 100000000u)
            return cfg_fail_at(c, "run.replicas", "expected at most 100000000 replicas, got %s", cfg_got(c, "run.replicas"));
        r->replicas = (int64_t)*y->replicas;
    }
    if (r->replicas < r->batches)
        return cfg_fail_at(c, y->replicas ? "run.replicas" : "run.batches",
                           "expected at least as many replicas (%lld) as batches (%d), got %s",
                           (long long)r->replicas, r->batches, cfg_got(c, y->replicas ? "run.replicas" : "run.batches"));
    if (y->fit_window) {
        double a = y->fit_window[0], b = y->fit_window[1];
        if (!(a >= 0.0 && a < b && b <= 1.0))
            return cfg_fail_at(c, "run.fit_window",
                               "expected [from, to] with 0 <= from < to <= 1 (fractions of the run time), got [%g, %g]",
                               a, b);
        r->fit_from = a;
        r->fit_to = b;
    }
    return LIHOP_OK;
}

/* The deck's garnet block with its material file: lattice spec, merge, checks. */
/* garnet.material: read and check the material file into M / *YM (its own
 * name and lines in messages). */
static lihop_status load_material(pctx *c, pctx *m, const char *rel, lihop_garnet_cfg *g, y_garnet **ym)
{
    lihop_status st = cfg_load_side_file(c, "garnet.material", rel, "material file", m, g->material_path,
                                         sizeof g->material_path, &g->material_text, &cfg_material_schema,
                                         (void **)ym);
    if (st != LIHOP_OK)
        return st;
    if ((*ym)->name)
        snprintf(g->material_name, sizeof g->material_name, "%s", (*ym)->name);
    if ((*ym)->source)
        snprintf(g->material_source, sizeof g->material_source, "%s", (*ym)->source);
    return LIHOP_OK;
}

/* The lattice: the deck's, else the material's, each relative to its own file. */
static lihop_status load_lattice(pctx *c, pctx *m, const y_garnet *y, const y_garnet *ym, lihop_garnet_cfg *g)
{
    lihop_err e2 = {{0}};
    pctx *lc = y->lattice ? c : (ym && ym->lattice) ? m : NULL;
    const char *key = y->lattice ? "garnet.lattice" : "lattice";
    const char *rel = y->lattice ? y->lattice : (ym && ym->lattice) ? ym->lattice : NULL;
    if (!lc)
        return cfg_fail_line(c, cfg_line_of(c, "garnet"), "garnet.lattice",
                             "expected a lattice file (in the garnet block or its material file), got nothing");
    char ldir[LIHOP_PATH_LEN];
    cfg_dir_of(lc->name, ldir, sizeof ldir);
    if (cfg_join_path(ldir, rel, g->lattice_path, sizeof g->lattice_path) < 0)
        return cfg_fail_at(lc, key, "expected a path shorter than %d characters, got a longer one", LIHOP_PATH_LEN);
    set_src(&g->src_lattice, lc, key);
    if (lihop_lattice_spec_load(g->lattice_path, &g->lattice, &e2) != LIHOP_OK)
        return cfg_fail_at(lc, key, "expected a valid lattice file, got '%s' (%s)", rel, e2.msg);
    if (cfg_read_text(g->lattice_path, &g->lattice_text, &e2) != LIHOP_OK)
        return cfg_fail_at(lc, key, "expected a readable lattice file, got '%s' (%s)", rel, e2.msg);
    /* sublattices in order of first appearance, as lihop_lattice_build numbers them */
    for (int w = 0; w < g->lattice.nsites; w++)
        if (sub_index(g, g->lattice.sites[w].sublattice) < 0 && g->nsub < LIHOP_MAX_SUBLATTICES) {
            snprintf(g->subname[g->nsub], sizeof g->subname[0], "%s", g->lattice.sites[w].sublattice);
            g->nsub++;
        }
    return LIHOP_OK;
}

/* garnet.cells: the supercell, 2x2x2 unless given. */
static lihop_status conv_cells(pctx *c, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    g->cells[0] = g->cells[1] = g->cells[2] = 2;
    set_src(&g->src_cells, c, y->cells ? "garnet.cells" : "garnet");
    if (!y->cells)
        return LIHOP_OK;
    for (int a = 0; a < 3; a++) {
        snprintf(p, sizeof p, "garnet.cells[%d]", a);
        if (y->cells[a] < 1 || y->cells[a] > 64)
            return cfg_fail_at(c, p, "expected a number of unit cells from 1 to 64, got %s", cfg_got(c, p));
        g->cells[a] = (int)y->cells[a];
    }
    return LIHOP_OK;
}

/* li_per_fu or li_per_cell (a sweep list), else the lattice's li_per_fu_ref;
 * each must put at least one Li in the supercell. */
static lihop_status conv_li_content(pctx *c, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    double fu = g->lattice.formula_units_per_cell;
    double ncells = (double)g->cells[0] * g->cells[1] * g->cells[2];
    if (y->li_per_fu && y->li_per_cell)
        return cfg_fail_at(c, "garnet.li_per_cell",
                           "expected exactly one of li_per_fu or li_per_cell, got both (li_per_fu on line %d)",
                           cfg_line_of(c, "garnet.li_per_fu"));
    if (!y->li_per_fu && !y->li_per_cell) {
        set_src(&g->src_li, c, "garnet");
        g->nli = 1;
        g->li_per_fu[0] = g->lattice.li_per_fu_ref;
        g->li_per_cell[0] = g->lattice.li_per_fu_ref * fu;
        if (!(llround(g->li_per_fu[0] * fu * ncells) >= 1))
            return cfg_fail_line(c, cfg_line_of(c, "garnet"), "garnet.li_per_fu",
                                 "expected a Li content (lattice '%s' has no li_per_fu_ref to default to), got nothing",
                                 g->lattice.name);
        return LIHOP_OK;
    }
    const double *v = y->li_per_fu ? y->li_per_fu : y->li_per_cell;
    const char *key = y->li_per_fu ? "li_per_fu" : "li_per_cell";
    g->li_is_per_cell = y->li_per_cell != NULL;
    g->nli = (int)(y->li_per_fu ? y->li_per_fu_count : y->li_per_cell_count);
    snprintf(p, sizeof p, "garnet.%s", key);
    set_src(&g->src_li, c, p);
    for (int i = 0; i < g->nli; i++) {
        snprintf(p, sizeof p, "garnet.%s[%d]", key, i);
        double per_fu = g->li_is_per_cell ? v[i] / fu : v[i];
        if (!(v[i] > 0.0) || !(llround(per_fu * fu * ncells) >= 1))
            return cfg_fail_at(c, p, "expected a Li content > 0 that puts at least 1 Li in the %dx%dx%d supercell, got %s",
                               g->cells[0], g->cells[1], g->cells[2], cfg_got(c, p));
        g->li_per_fu[i] = per_fu;
        g->li_per_cell[i] = per_fu * fu;
    }
    return LIHOP_OK;
}

/* field_V_m and drift_fields_V_m (two different strengths for the drift fit). */
static lihop_status conv_fields(pctx *c, const y_garnet *y, lihop_garnet_cfg *g)
{
    if (!y->drift_fields_V_m)
        return LIHOP_OK;
    double e1 = y->drift_fields_V_m[0], e2 = y->drift_fields_V_m[1];
    if (!(e1 > 0.0 && e2 > 0.0 && e1 != e2))
        return cfg_fail_at(c, "garnet.drift_fields_V_m", "expected two different field strengths > 0 V/m, got [%g, %g]",
                           e1, e2);
    g->has_drift = 1;
    g->drift_fields_V_m[0] = e1;
    g->drift_fields_V_m[1] = e2;
    return LIHOP_OK;
}

/* Everything after the material file is loaded: lattice, defaults, material
 * keys (file first, then the deck's), deck-only keys. */
static lihop_status conv_garnet_keys(pctx *c, pctx *m, const y_garnet *y, const y_garnet *ym, lihop_garnet_cfg *g)
{
    lihop_status st;
    if ((st = load_lattice(c, m, y, ym, g)) != LIHOP_OK)
        return st;
    g->rate_law = LIHOP_GRATE_KRA;
    snprintf(g->src_rate_law.file, sizeof g->src_rate_law.file, "%s", "<default>");
    g->nu_Hz = 1e13;
    set_src(&g->src_kra, c, "garnet");
    if (ym && (st = apply_material_keys(m, "", ym, g)) != LIHOP_OK)
        return st;
    if ((st = apply_material_keys(c, "garnet.", y, g)) != LIHOP_OK)
        return st;
    if ((st = conv_cells(c, y, g)) != LIHOP_OK || (st = conv_li_content(c, y, g)) != LIHOP_OK ||
        (st = conv_fields(c, y, g)) != LIHOP_OK)
        return st;
    if (y->bicrystal)
        return conv_bicrystal(c, g, y->bicrystal);
    return LIHOP_OK;
}

static lihop_status conv_garnet(pctx *c, lihop_config *cfg, const y_garnet *y)
{
    lihop_garnet_cfg *g = &cfg->garnet;
    lihop_status st = LIHOP_OK;
    pctx m;
    memset(&m, 0, sizeof m);
    m.err = c->err;
    y_garnet *ym = NULL;
    if (y->material)
        st = load_material(c, &m, y->material, g, &ym);
    if (st == LIHOP_OK)
        st = conv_garnet_keys(c, &m, y, ym, g);
    cfg_free_loaded(&cfg_material_schema, ym);
    if (m.have_doc)
        yaml_document_delete(&m.doc);
    return st;
}

/* Fields of a garnet deck: the hop length is at most the lattice's hop cutoff. */
static lihop_status check_garnet_fields(pctx *c, const lihop_config *cfg)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    double d_m = g->lattice.hop_cutoff_A * 1e-10, v[3];
    lihop_status st = LIHOP_OK;
    char p[PATH_CAP];
    for (int i = 0; st == LIHOP_OK && cfg_field_at(cfg, i, v); i++) {    /* every field of the axis */
        if (cfg_coord_swept(cfg, LIHOP_COORD_FIELD_X))
            snprintf(p, sizeof p, "garnet.field_V_m[%d]", i);
        else
            snprintf(p, sizeof p, "garnet.field_V_m");
        st = cfg_check_field(c, cfg, p, sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), d_m, 1, "hop cutoff");
    }
    for (int i = 0; i < 2 && st == LIHOP_OK && g->has_drift; i++) {
        snprintf(p, sizeof p, "garnet.drift_fields_V_m[%d]", i);
        st = cfg_check_field(c, cfg, p, g->drift_fields_V_m[i], d_m, 1, "hop cutoff");
    }
    return st;
}

/* Hop rate of one Li to one neighbour without site energies or repulsion:
 * nu exp(-E_min/kT) under kra (E_min the lowest barrier given), nu under
 * metropolis.  An estimate of the mean hops per Li per second. */
static double garnet_bare_rate(const lihop_garnet_cfg *g, double T)
{
    if (g->rate_law == LIHOP_GRATE_METROPOLIS)
        return g->nu_Hz;
    double emin = INFINITY;
    for (int a = 0; a < g->nsub; a++)
        for (int b = 0; b < g->nsub; b++)
            if (g->kra_given[a][b])
                emin = fmin(emin, g->E_kra_eV[a][b]);
    return g->nu_Hz * exp(-(isfinite(emin) ? emin : 0.0) / (LIHOP_KB_EV * T));
}

/* Run length of a garnet deck: at least MIN_HOPS mean hops per Li, and at most
 * MAX_HOPS_PER_POINT events per sweep point: replicas x Li x (production +
 * equilibration hops per Li) x runs (1, +2 drift, +1 bicrystal bulk reference). */
static lihop_status check_garnet_length(pctx *c, const lihop_config *cfg)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    const lihop_run_cfg *r = &cfg->run;
    const char *key = r->time_s > 0.0 ? "run.time_s" : cfg_present(c, "run.hops_per_li") ? "run.hops_per_li" : "run";
    double nli = 0.0, hmin = r->hops_per_li, hmax = r->hops_per_li, Tlow = cfg->temperature_K[0];
    for (int i = 0; i < g->nli; i++)
        nli = fmax(nli, (double)llround(g->li_per_cell[i] * g->cells[0] * g->cells[1] * g->cells[2]));
    if (r->time_s > 0.0) {
        hmin = INFINITY;
        hmax = 0.0;
        for (int t = 0; t < cfg->ntemps; t++) {
            double h = r->time_s * garnet_bare_rate(g, cfg->temperature_K[t]);
            Tlow = h < hmin ? cfg->temperature_K[t] : Tlow;
            hmin = fmin(hmin, h);
            hmax = fmax(hmax, h);
        }
    }
    if (!(hmin >= MIN_HOPS) && r->time_s > 0.0)
        return cfg_fail_at(c, key,
                           "expected a time that gives at least %g hops per Li (at %g K a Li hops about %.3g times per "
                           "second, nu exp(-E_kra/kT), so time_s >= %.3g s), got %s", MIN_HOPS, Tlow,
                           garnet_bare_rate(g, Tlow), MIN_HOPS / garnet_bare_rate(g, Tlow), cfg_got(c, key));
    if (!(hmin >= MIN_HOPS))
        return cfg_fail_at(c, key, "expected at least %g hops per Li, got %s", MIN_HOPS, cfg_got(c, key));
    if (r->equil_hops_per_li > hmax && cfg_present(c, "run.equil_hops_per_li"))
        key = "run.equil_hops_per_li";
    double runs = 1.0 + 2.0 * g->has_drift + g->has_bicrystal;
    double total = (double)r->replicas * nli * (hmax + r->equil_hops_per_li) * runs;
    if (!(total <= MAX_HOPS_PER_POINT))
        return cfg_fail_at(c, key,
                           "expected at most %g hops per point (%lld replicas x %.0f Li x %.3g hops per Li, with "
                           "equilibration, x %.0f runs = %.3g), got %s", MAX_HOPS_PER_POINT, (long long)r->replicas,
                           nli, hmax + r->equil_hops_per_li, runs, total, cfg_got(c, key));
    return LIHOP_OK;
}

lihop_status cfg_convert_garnet(pctx *c, const y_gtop *y, lihop_config *cfg)
{
    lihop_status st;
    cfg->model = LIHOP_MODEL_GARNET;
    cfg->backend = y->backend ? (lihop_backend_kind)*y->backend : LIHOP_BACKEND_AUTO;
    cfg->seed = y->seed ? y->seed[0] : 1;
    if ((st = cfg_conv_temperatures(c, cfg, y->temperature_K, y->temperature_K_count)) != LIHOP_OK)
        return st;
    double fv[LIHOP_MAX_AXIS_VALUES][3];
    int nf;
    if ((st = conv_garnet(c, cfg, y->garnet)) != LIHOP_OK ||
        (st = cfg_field_vectors(c, cfg, "garnet.field_V_m", fv, &nf)) != LIHOP_OK)
        return st;
    if (nf)
        memcpy(cfg->garnet.field_V_m, fv[0], sizeof cfg->garnet.field_V_m);
    if ((st = check_garnet_fields(c, cfg)) != LIHOP_OK ||
        (st = conv_grun(c, cfg, y->run)) != LIHOP_OK)
        return st;
    if ((st = check_garnet_length(c, cfg)) != LIHOP_OK)
        return st;
    const lihop_garnet_cfg *g = &cfg->garnet;
    const char *li = g->li_is_per_cell ? "li_per_cell" : "li_per_fu";
    char lipath[32];
    snprintf(lipath, sizeof lipath, "garnet.%s", li);
    if ((st = cfg_add_coord(c, cfg, g->li_is_per_cell ? LIHOP_COORD_LI_PER_CELL : LIHOP_COORD_LI_PER_FU, 0, li, "1",
                            lipath, g->li_is_per_cell ? g->li_per_cell : g->li_per_fu, g->nli)) != LIHOP_OK)
        return st;
    if ((st = cfg_seed_and_temperature_coords(c, cfg, y->seed, y->seed_count)) != LIHOP_OK || !y->points)
        return st;
    /* a points: table brings its own temperatures and Li contents: the checks that use them again */
    if ((st = cfg_points_apply(c, cfg, y->points, y->points_count)) != LIHOP_OK ||
        (st = check_garnet_fields(c, cfg)) != LIHOP_OK)
        return st;
    return check_garnet_length(c, cfg);
}
