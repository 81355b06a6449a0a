/* config_handoff.c - the garnet-to-voxel hand-off (config_handoff.h): the fits
 * of garnet bulk sigma(T) and bicrystal ASR(T), and the deck keys that use
 * them (phases[].from_garnet, interfaces[].from_garnet, asr_law_ohm_cm2). */
#define _XOPEN_SOURCE 700   /* realpath */
#include <limits.h>
#include "config_handoff.h"
#include "config_impl.h"

static lihop_garnet_reader_fn g_reader;

void lihop_config_set_garnet_reader(lihop_garnet_reader_fn fn) { g_reader = fn; }
lihop_garnet_reader_fn lihop_config_garnet_reader(void) { return g_reader; }

double lihop_interface_asr_at(const lihop_interface_cfg *ic, double T_K)
{
    if (ic->asr_law == LIHOP_LAW_TABLE)
        return lihop_tlaw_eval(&ic->asr_table, T_K);
    if (ic->asr_law != LIHOP_LAW_ARRHENIUS)
        return ic->asr_ohm_m2;
    return ic->asr0_ohm_m2 * exp(ic->asr_ea_eV / (LIHOP_KB_EV * T_K));
}

/* The rows of one Li content (li NaN: the file must have only one) into idx;
 * their count, or -1 after a message. */
static int select_rows(const lihop_garnet_table *t, double li, int *idx, double *li_used, lihop_err *err)
{
    double seen[16];
    int nseen = 0;
    char list[200] = "";
    for (int r = 0; r < t->n; r++) {
        int k = 0;
        while (k < nseen && fabs(seen[k] - t->li_per_fu[r]) > 1e-9)
            k++;
        if (k == nseen && nseen < 16) {
            seen[nseen++] = t->li_per_fu[r];
            size_t o = strlen(list);
            snprintf(list + o, sizeof list - o, "%s%g", o ? ", " : "", t->li_per_fu[r]);
        }
    }
    if (isnan(li) && nseen > 1)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "expected from_garnet.li_per_fu to pick one Li content, got a file with several (%s in %s)",
                          list, t->path), -1;
    if (isnan(li))
        li = nseen ? seen[0] : 0.0;
    int n = 0;
    for (int r = 0; r < t->n; r++)
        if (fabs(t->li_per_fu[r] - li) <= 1e-9)
            idx[n++] = r;
    if (n == 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "expected a Li content of the file (%s), got li_per_fu %g (%s)",
                          nseen ? list : "none", li, t->path), -1;
    *li_used = li;
    return n;
}

/* Gather x(T) of the selected rows (one per temperature) and check there are
 * >= 3 distinct temperatures with x > 0. */
static lihop_status gather(const lihop_garnet_table *t, const int *idx, int n, const double *x, const double *xe,
                           const char *what, double *T, double *v, double *ve, double *tmin, double *tmax,
                           lihop_err *err)
{
    *tmin = INFINITY;
    *tmax = -INFINITY;
    for (int i = 0; i < n; i++) {
        int r = idx[i];
        for (int j = 0; j < i; j++)
            if (T[j] == t->T_K[r])
                return lihop_fail(err, LIHOP_ERR_INPUT,
                                  "expected one row per temperature, got %g K twice (a seed sweep? %s)", t->T_K[r],
                                  t->path);
        if (!(x[r] > 0.0) || !isfinite(x[r]))
            return lihop_fail(err, LIHOP_ERR_INPUT,
                              "expected a positive %s at every temperature, got %g at %g K (%s; more replicas or "
                              "hops resolve it)", what, x[r], t->T_K[r], t->path);
        T[i] = t->T_K[r];
        v[i] = x[r];
        ve[i] = xe[r];
        *tmin = fmin(*tmin, T[i]);
        *tmax = fmax(*tmax, T[i]);
    }
    if (n < 3)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "expected at least 3 temperatures for an Arrhenius fit, got %d (%s)", n, t->path);
    return LIHOP_OK;
}

/* The table law of x[i] * scale at T[i] (sorted by T); ntab 0 when too long. */
static void make_table(int n, const double *T, const double *x, double scale, lihop_tlaw *out)
{
    memset(out, 0, sizeof *out);
    out->law = LIHOP_LAW_TABLE;
    if (n > LIHOP_TLAW_TABLE_MAX)
        return;
    for (int i = 0; i < n; i++) {   /* insertion sort: a few temperatures */
        int j = i;
        while (j > 0 && out->tab_T_K[j - 1] > T[i]) {
            out->tab_T_K[j] = out->tab_T_K[j - 1];
            out->tab_ln_X[j] = out->tab_ln_X[j - 1];
            j--;
        }
        out->tab_T_K[j] = T[i];
        out->tab_ln_X[j] = log(x[i] * scale);
    }
    out->ntab = n;
}

lihop_status lihop_handoff_bulk_fit(const lihop_garnet_table *t, double li_per_fu, lihop_handoff_bulk *out,
                                    lihop_err *err)
{
    memset(out, 0, sizeof *out);
    if (t->bicrystal)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "expected garnet bulk results (a deck without bicrystal:), got a bicrystal's (%s)", t->path);
    int idx[LIHOP_GARNET_TABLE_ROWS];
    double T[LIHOP_GARNET_TABLE_ROWS], s[LIHOP_GARNET_TABLE_ROWS], se[LIHOP_GARNET_TABLE_ROWS];
    int n = select_rows(t, li_per_fu, idx, &out->li_per_fu, err);
    if (n < 0)
        return LIHOP_ERR_INPUT;
    lihop_status st = gather(t, idx, n, t->sigma_S_m, t->sigma_err_S_m, "conductivity sigma_S_m", T, s, se,
                             &out->T_min_K, &out->T_max_K, err);
    if (st != LIHOP_OK)
        return st;
    out->n = n;
    out->conc_m3 = t->n_li_m3[idx[0]];
    if (!(out->conc_m3 > 0.0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "expected a Li density n_li_m3 > 0 in /points, got %g (%s)",
                          out->conc_m3, t->path);
    make_table(n, T, s, 1.0, &out->table);
    /* the /arrhenius "sigma" fit: the voxel law is prefactor exp(-Ea/kT), no 1/T */
    return lihop_arrhenius(n, T, s, se, 0, &out->fit, err);
}

lihop_status lihop_handoff_asr_fit(const lihop_garnet_table *t, double li_per_fu, int faces,
                                   lihop_handoff_asr *out, lihop_err *err)
{
    memset(out, 0, sizeof *out);
    if (!t->bicrystal)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "expected garnet bicrystal results (a deck with bicrystal:, which reports ASR_ohm_m2), got "
                          "bulk results (%s)", t->path);
    int idx[LIHOP_GARNET_TABLE_ROWS];
    double T[LIHOP_GARNET_TABLE_ROWS], g[LIHOP_GARNET_TABLE_ROWS], ge[LIHOP_GARNET_TABLE_ROWS];
    int n = select_rows(t, li_per_fu, idx, &out->li_per_fu, err);
    if (n < 0)
        return LIHOP_ERR_INPUT;
    lihop_status st = gather(t, idx, n, t->asr_ohm_m2, t->asr_err_ohm_m2, "boundary resistance ASR_ohm_m2", T, g,
                             ge, &out->T_min_K, &out->T_max_K, err);
    if (st != LIHOP_OK)
        return st;
    make_table(n, T, g, 1.0 / faces, &out->table);
    /* fit the boundary conductance per area G = 1/ASR (an activated hop rate):
     * err(G) = err(ASR)/ASR^2, so ln G has the same relative error as ln ASR */
    for (int i = 0; i < n; i++) {
        ge[i] = ge[i] / (g[i] * g[i]);
        g[i] = 1.0 / g[i];
    }
    if ((st = lihop_arrhenius(n, T, g, ge, 0, &out->fit, err)) != LIHOP_OK)
        return st;
    out->n = n;
    out->faces = faces;
    out->asr0_ohm_m2 = 1.0 / (out->fit.A * faces);
    out->asr0_err_ohm_m2 = out->fit.A_err / (out->fit.A * out->fit.A * faces);
    out->Ea_eV = out->fit.Ea_eV;
    out->Ea_err_eV = out->fit.Ea_err_eV;
    return LIHOP_OK;
}

/* The table of the file `rel` named at key `key` (resolved against the deck). */
static lihop_status load_table(pctx *c, const char *key, const char *rel, lihop_garnet_table **t)
{
    char dir[LIHOP_PATH_LEN], path[LIHOP_PATH_LEN];
    if (!g_reader)
        return cfg_fail_at(c, key, "expected a program that reads garnet results (lihop run, micro, handoff), got "
                                   "none registered");
    cfg_dir_of(c->name, dir, sizeof dir);
    if (cfg_join_path(dir, rel, path, sizeof path) < 0)
        return cfg_fail_at(c, key, "expected a path shorter than %d characters, got a longer one", LIHOP_PATH_LEN);
    *t = malloc(sizeof **t);
    if (!*t)
        return lihop_fail(c->err, LIHOP_ERR_NOMEM, "out of memory reading %s", path);
    char abs[PATH_MAX];
    if (realpath(path, abs) && strlen(abs) < sizeof path)   /* provenance: the file, wherever the run is */
        snprintf(path, sizeof path, "%s", abs);
    lihop_err e2 = {{0}};
    if (g_reader(path, *t, &e2) != LIHOP_OK) {
        free(*t);
        *t = NULL;
        return cfg_fail_at(c, key, "expected a readable garnet results file, got '%s' (%s)", rel, e2.msg);
    }
    return LIHOP_OK;
}

/* "results: PATH (garnet ..., git_describe G, seed S, status X)". */
static void origin_head(char *buf, size_t cap, const lihop_garnet_table *t)
{
    snprintf(buf, cap, "results: %.900s (garnet %s, git_describe %.100s, seed %" PRIu64 ", status %.31s)", t->path,
             t->bicrystal ? "bicrystal" : "bulk", t->git_describe, t->seed, t->status);
}

/* from_garnet law: table: the garnet points themselves, so every deck
 * temperature must lie within them (no extrapolation of a table). */
static lihop_status check_table(pctx *c, const lihop_config *cfg, const char *base, const lihop_tlaw *tab,
                                double tmin, double tmax)
{
    char p[PATH_CAP + 8];
    snprintf(p, sizeof p, "%s.law", base);
    if (tab->ntab < 2)
        return cfg_fail_at(c, p, "expected at most %d garnet temperatures for law 'table', got more (use arrhenius)",
                           LIHOP_TLAW_TABLE_MAX);
    for (int t = 0; t < cfg->ntemps; t++) {
        double T = cfg->temperature_K[t];
        if (T < tmin * (1.0 - 1e-12) || T > tmax * (1.0 + 1e-12))
            return cfg_fail_at(c, p, "expected every temperature within the garnet's %g-%g K for law 'table' (it "
                                     "interpolates, never extrapolates), got temperature_K[%d] = %g K", tmin, tmax,
                               t, T);
    }
    return LIHOP_OK;
}

static int wants_table(const y_from_garnet *g) { return g->law && *g->law == LIHOP_LAW_TABLE; }

/* li_per_fu key of from_garnet, NaN when absent. */
static double want_li(const y_from_garnet *g) { return g->li_per_fu ? *g->li_per_fu : NAN; }

/* from_garnet excludes material and the phase's own transport: one source. */
static lihop_status phase_exclusive(pctx *c, int i)
{
    static const char *const keys[] = {"material", "sigma_total_S_cm", "carriers"};
    return cfg_phase_exclusive(c, i, "from_garnet", keys, sizeof keys / sizeof keys[0]);
}

/* The species the garnet's Li becomes: from_garnet.species, else li or Li. */
static lihop_status garnet_species(pctx *c, const lihop_config *cfg, int i, const y_from_garnet *g, int *s)
{
    char p[PATH_CAP];
    snprintf(p, sizeof p, "phases[%d].from_garnet.species", i);
    if (g->species)
        return cfg_need_species(c, cfg, p, g->species, s);
    *s = cfg_species_index(cfg, "li");
    if (*s < 0)
        *s = cfg_species_index(cfg, "Li");
    if (*s < 0 || cfg->species[*s].charge != 1)
        return cfg_fail_at(c, p, "expected the species of the garnet's Li+ (a species 'li' or 'Li' of charge 1, or "
                                 "this key), got neither");
    return LIHOP_OK;
}

lihop_status cfg_phase_from_garnet(pctx *c, lihop_config *cfg, int i, const y_phase *y)
{
    lihop_phase_cfg *ph = &cfg->phases[i];
    char key[PATH_CAP];
    snprintf(key, sizeof key, "phases[%d].from_garnet.results", i);
    int s;
    lihop_status st;
    if ((st = phase_exclusive(c, i)) != LIHOP_OK || (st = garnet_species(c, cfg, i, y->from_garnet, &s)) != LIHOP_OK)
        return st;
    if (cfg->species[s].charge != 1)
        return cfg_fail_at(c, key, "expected a species of charge +1 for the garnet's Li+, got '%s' of charge %d",
                           cfg->species[s].name, cfg->species[s].charge);
    lihop_garnet_table *t = NULL;
    if ((st = load_table(c, key, y->from_garnet->results, &t)) != LIHOP_OK)
        return st;
    lihop_handoff_bulk b;
    lihop_err e2 = {{0}};
    st = lihop_handoff_bulk_fit(t, want_li(y->from_garnet), &b, &e2);
    char head[1200];
    origin_head(head, sizeof head, t);
    free(t);
    if (st != LIHOP_OK)
        return cfg_fail_at(c, key, "%s", e2.msg);
    if (!(b.fit.Ea_eV >= 0.0 && b.fit.Ea_eV <= EA_MAX_EV) || !(b.fit.A <= s_cm_to_si(SIGMA_PREF_MAX_S_CM)) ||
        !(b.conc_m3 <= mol_l_to_si(CONC_MAX_MOL_L)))
        return cfg_fail_at(c, key, "expected a fit with Ea in [0, %g] eV, a prefactor <= %g S/cm and <= %g mol/L of "
                                   "Li, got Ea %g eV, %g S/cm, %g mol/L", EA_MAX_EV, SIGMA_PREF_MAX_S_CM,
                           CONC_MAX_MOL_L, b.fit.Ea_eV, b.fit.A / 100.0, b.conc_m3 / mol_l_to_si(1.0));
    char base[PATH_CAP];
    snprintf(base, sizeof base, "phases[%d].from_garnet", i);
    int table = wants_table(y->from_garnet);
    if (table && (st = check_table(c, cfg, base, &b.table, b.T_min_K, b.T_max_K)) != LIHOP_OK)
        return st;
    ph->ncarriers = 1;
    ph->carriers[0] = (lihop_carrier_cfg){.species = s, .conc_m3 = b.conc_m3, .kind = LIHOP_TRANSPORT_SIGMA,
                                          .law = {LIHOP_LAW_ARRHENIUS, b.fit.A, b.fit.Ea_eV, 0.0, 0.0, 0, {0}, {0}}};
    if (table)
        ph->carriers[0].law = b.table;
    snprintf(ph->garnet_origin, sizeof ph->garnet_origin,
             "%s; li_per_fu %g, %d temperatures %g-%g K; sigma_S_cm: %s; arrhenius fit: prefactor %.6e +- %.2e S/cm, "
             "Ea_eV %.6f +- %.6f (%s, ln sigma); concentration_mol_L %.6g", head, b.li_per_fu, b.n, b.T_min_K,
             b.T_max_K, table ? "table (the garnet sigma, ln sigma linear in 1/T between them)" : "the arrhenius fit",
             b.fit.A / 100.0, b.fit.A_err / 100.0, b.fit.Ea_eV, b.fit.Ea_err_eV,
             b.fit.weighted ? "weighted" : "unweighted", b.conc_m3 / mol_l_to_si(1.0));
    return LIHOP_OK;
}

/* ASR of the law at every deck temperature within [0, ASR_MAX]. */
static lihop_status check_law_range(pctx *c, const lihop_config *cfg, const lihop_interface_cfg *ic,
                                    const char *key)
{
    for (int t = 0; t < cfg->ntemps; t++) {
        double a = lihop_interface_asr_at(ic, cfg->temperature_K[t]);
        if (!(a >= 0.0 && a <= ohm_cm2_to_si(ASR_MAX_OHM_CM2)))
            return cfg_fail_at(c, key, "expected an ASR within [0, %g] ohm cm^2 at every temperature, got %g ohm "
                                       "cm^2 at temperature_K[%d] = %g K", ASR_MAX_OHM_CM2, a * 1e4, t,
                               cfg->temperature_K[t]);
    }
    return LIHOP_OK;
}

static lihop_status iface_law(pctx *c, const lihop_config *cfg, int k, const y_asr_law *y, lihop_interface_cfg *ic)
{
    char p[PATH_CAP];
    lihop_status st;
    snprintf(p, sizeof p, "interfaces[%d].asr_law_ohm_cm2.Ea_eV", k);
    if (y->law == LIHOP_LAW_ARRHENIUS && !y->ea_eV)
        return cfg_fail_at(c, p, "expected a value (law 'arrhenius' needs law, prefactor, Ea_eV), got nothing");
    if (y->law == LIHOP_LAW_CONSTANT && y->ea_eV)
        return cfg_fail_at(c, p, "expected only the keys of law 'constant' (law, prefactor), got 'Ea_eV'");
    if (y->ea_eV && (st = cfg_need_range(c, p, *y->ea_eV, 0, -EA_MAX_EV, EA_MAX_EV, "an activation energy",
                                         "eV")) != LIHOP_OK)
        return st;
    snprintf(p, sizeof p, "interfaces[%d].asr_law_ohm_cm2.prefactor", k);
    if ((st = cfg_need_range(c, p, y->prefactor, 0, 0.0, ASR_MAX_OHM_CM2, "an area-specific resistance",
                             "ohm cm^2")) != LIHOP_OK)
        return st;
    ic->asr_law = (lihop_law_kind)y->law;
    ic->asr_ohm_m2 = ic->asr0_ohm_m2 = ohm_cm2_to_si(y->prefactor);
    ic->asr_ea_eV = y->ea_eV ? *y->ea_eV : 0.0;
    snprintf(p, sizeof p, "interfaces[%d].asr_law_ohm_cm2", k);
    return check_law_range(c, cfg, ic, p);
}

static lihop_status iface_garnet(pctx *c, const lihop_config *cfg, int k, const y_from_garnet *g,
                                 lihop_interface_cfg *ic)
{
    char key[PATH_CAP], p[PATH_CAP];
    snprintf(key, sizeof key, "interfaces[%d].from_garnet.results", k);
    snprintf(p, sizeof p, "interfaces[%d].from_garnet.faces_per_boundary", k);
    int64_t faces = g->faces_per_boundary ? *g->faces_per_boundary : 1;
    if (faces < 1 || faces > 2)
        return cfg_fail_at(c, p, "expected 1 (a boundary between two phases) or 2 (a boundary phase between two "
                                 "grains), got %s", cfg_got(c, p));
    lihop_garnet_table *t = NULL;
    lihop_status st = load_table(c, key, g->results, &t);
    if (st != LIHOP_OK)
        return st;
    lihop_handoff_asr a;
    lihop_err e2 = {{0}};
    st = lihop_handoff_asr_fit(t, want_li(g), (int)faces, &a, &e2);
    char head[1200];
    origin_head(head, sizeof head, t);
    free(t);
    if (st != LIHOP_OK)
        return cfg_fail_at(c, key, "%s", e2.msg);
    char base[PATH_CAP];
    snprintf(base, sizeof base, "interfaces[%d].from_garnet", k);
    int table = wants_table(g);
    if (table && (st = check_table(c, cfg, base, &a.table, a.T_min_K, a.T_max_K)) != LIHOP_OK)
        return st;
    ic->asr_law = table ? LIHOP_LAW_TABLE : LIHOP_LAW_ARRHENIUS;
    ic->asr_ohm_m2 = ic->asr0_ohm_m2 = a.asr0_ohm_m2;
    ic->asr_ea_eV = a.Ea_eV;
    ic->asr_table = a.table;
    snprintf(ic->garnet_origin, sizeof ic->garnet_origin,
             "%s; li_per_fu %g, %d temperatures %g-%g K; ASR: %s; arrhenius fit: prefactor %.6e +- %.2e ohm cm^2, "
             "Ea_eV %.6f +- %.6f (%s, ln(1/ASR)); ASR per boundary / faces_per_boundary %d", head, a.li_per_fu, a.n,
             a.T_min_K, a.T_max_K, table ? "table (the garnet ASR, ln ASR linear in 1/T between them)" : "the "
             "arrhenius fit", a.asr0_ohm_m2 * 1e4, a.asr0_err_ohm_m2 * 1e4, a.Ea_eV, a.Ea_err_eV,
             a.fit.weighted ? "weighted" : "unweighted", a.faces);
    return check_law_range(c, cfg, ic, key);
}

lihop_status cfg_iface_asr(pctx *c, lihop_config *cfg, int k, const y_iface *y, int *constant)
{
    static const char *const keys[] = {"asr_ohm_cm2", "asr_law_ohm_cm2", "from_garnet"};
    const int has[] = {y->asr_ohm_cm2_count > 0, y->asr_law_ohm_cm2 != NULL, y->from_garnet != NULL};
    char p[PATH_CAP];
    int first = -1;
    for (int j = 0; j < 3; j++) {
        if (!has[j])
            continue;
        if (first >= 0) {
            snprintf(p, sizeof p, "interfaces[%d].%s", k, keys[j]);
            return cfg_fail_at(c, p, "expected exactly one of asr_ohm_cm2, asr_law_ohm_cm2, from_garnet, got both "
                                     "%s and %s", keys[first], keys[j]);
        }
        first = j;
    }
    lihop_interface_cfg *ic = &cfg->interfaces[k];
    ic->asr_law = LIHOP_LAW_CONSTANT;
    ic->garnet_origin[0] = '\0';
    *constant = first == 0;
    if (first < 0) {
        snprintf(p, sizeof p, "interfaces[%d]", k);
        return cfg_fail_at(c, p, "expected exactly one of asr_ohm_cm2, asr_law_ohm_cm2, from_garnet, got none");
    }
    return first == 1 ? iface_law(c, cfg, k, y->asr_law_ohm_cm2, ic)
           : first == 2 ? iface_garnet(c, cfg, k, y->from_garnet, ic) : LIHOP_OK;
}
