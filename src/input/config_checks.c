/* config_checks.c - range checks, phase / species look-ups and sweep
 * coordinates, shared by voxel and garnet decks (pass 3 of the config reader). */
#include "config_impl.h"

/* "expected WHAT from LO to HI UNIT, got ..." unless lo <= v <= hi (lo < v
 * with open_lo, "above LO and at most HI"). */
lihop_status cfg_need_range(pctx *c, const char *path, double v, int open_lo, double lo, double hi,
                               const char *what, const char *unit)
{
    if ((open_lo ? v > lo : v >= lo) && v <= hi)
        return LIHOP_OK;
    return cfg_fail_at(c, path, "expected %s %s %g %s %g%s%s, got %s", what, open_lo ? "above" : "from", lo,
                       open_lo ? "and at most" : "to", hi, unit[0] ? " " : "", unit, cfg_got(c, path));
}

/* Site, pair and shift energies: exp(+-E/kT) must stay finite down to T_MIN_K. */
lihop_status cfg_energy_range(pctx *c, const char *path, double v)
{
    return cfg_need_range(c, path, v, 0, -ENERGY_MAX_EV, ENERGY_MAX_EV, "an energy", "eV");
}

/* Index of `name` among n names stored `stride` bytes apart, or -1. */
static int find_name(const char *name, const char *first, size_t stride, int n)
{
    for (int i = 0; i < n; i++) {
        const char *s = first + (size_t)i * stride;
        if (strcmp(s, name) == 0)
            return i;
    }
    return -1;
}

int cfg_phase_index(const lihop_config *cfg, const char *name)
{
    return find_name(name, cfg->phases[0].name, sizeof cfg->phases[0], cfg->nphases);
}

int cfg_species_index(const lihop_config *cfg, const char *name)
{
    return find_name(name, cfg->species[0].name, sizeof cfg->species[0], cfg->nspecies);
}

lihop_status cfg_need_phase(pctx *c, const lihop_config *cfg, const char *path,
                               const char *name, int *out)
{
    *out = cfg_phase_index(cfg, name);
    if (*out >= 0)
        return LIHOP_OK;
    char list[400] = "";
    for (int i = 0; i < cfg->nphases; i++)
        cfg_join_append(list, sizeof list, cfg->phases[i].name);
    return cfg_fail_at(c, path, "expected a defined phase, got unknown phase '%s' (defined phases: %s)",
                       name, list);
}

lihop_status cfg_need_species(pctx *c, const lihop_config *cfg, const char *path,
                                 const char *name, int *out)
{
    *out = cfg_species_index(cfg, name);
    if (*out >= 0)
        return LIHOP_OK;
    char list[200] = "";
    for (int i = 0; i < cfg->nspecies; i++)
        cfg_join_append(list, sizeof list, cfg->species[i].name);
    return cfg_fail_at(c, path,
                       "expected a defined species, got unknown species '%s' (defined species: %s)",
                       name, list);
}

/* ---- sweep coordinates --------------------------------------------------- */

/* Record a sweepable key's values (already checked, SI) as a coordinate. */
lihop_status cfg_add_coord(pctx *c, lihop_config *cfg, lihop_coord_kind kind, int target, const char *name,
                              const char *unit, const char *path, const double *v, int n)
{
    if (cfg->ncoords >= LIHOP_MAX_COORDS)
        return cfg_fail_at(c, path, "expected at most %d sweepable keys in one deck, got more", LIHOP_MAX_COORDS);
    lihop_coord *x = &cfg->coords[cfg->ncoords++];
    x->kind = kind;
    x->target = target;
    snprintf(x->name, sizeof x->name, "%s", name);
    snprintf(x->unit, sizeof x->unit, "%s", unit);
    snprintf(x->key, sizeof x->key, "%s", path);
    x->swept = lihop_sweep_is_list(c->sw, c->nsw, path);
    x->line = cfg_line_of(c, path);
    x->n = n;
    for (int i = 0; i < n; i++) {
        x->value[i] = v[i];
        for (int j = 0; j < i; j++)
            if (v[j] == v[i]) {
                char p[PATH_CAP];
                snprintf(p, sizeof p, "%s[%d]", path, i);
                return cfg_fail_at(c, p, "expected each value of a sweep axis once, got %s again (also [%d])",
                                   cfg_got(c, p), j);
            }
    }
    return LIHOP_OK;
}

/* Coordinates by kind, seed first (slowest) and temperature last (fastest,
 * whatever kinds were added after it). */
static int kind_rank(lihop_coord_kind k)
{
    return k == LIHOP_COORD_TEMPERATURE ? 1000 : (int)k;
}

static int coord_order(const void *a, const void *b)
{
    const lihop_coord *x = a, *y = b;
    if (x->kind != y->kind)
        return kind_rank(x->kind) - kind_rank(y->kind);
    return x->target - y->target;
}

/* Seeds (exact in a double when swept), temperatures; then sort the coordinates. */
lihop_status cfg_seed_and_temperature_coords(pctx *c, lihop_config *cfg, const uint64_t *seed, unsigned nseed)
{
    double v[LIHOP_MAX_AXIS_VALUES];
    lihop_status st;
    cfg->seed = nseed ? seed[0] : 1;
    for (unsigned i = 0; i < nseed; i++) {
        char p[PATH_CAP];
        snprintf(p, sizeof p, "seed[%u]", i);
        if (nseed > 1 && seed[i] > (UINT64_C(1) << 53))
            return cfg_fail_at(c, p, "expected a swept seed of at most 2^53 (exact in a float64 column), got %s",
                               cfg_got(c, p));
        v[i] = (double)seed[i];
    }
    if (nseed == 0)
        v[0] = 1.0;
    if ((st = cfg_add_coord(c, cfg, LIHOP_COORD_SEED, 0, "seed", "1", "seed", v, nseed ? (int)nseed : 1)) != LIHOP_OK)
        return st;
    if ((st = cfg_add_coord(c, cfg, LIHOP_COORD_TEMPERATURE, 0, "T_K", "K", "temperature_K", cfg->temperature_K,
                            cfg->ntemps)) != LIHOP_OK)
        return st;
    qsort(cfg->coords, (size_t)cfg->ncoords, sizeof cfg->coords[0], coord_order);
    return LIHOP_OK;
}

/* need_range for each value of the sweepable list `path`. */
lihop_status cfg_check_list(pctx *c, const char *path, const double *v, unsigned n, int open_lo, double lo,
                               double hi, const char *what, const char *unit)
{
    for (unsigned i = 0; i < n; i++) {
        char p[PATH_CAP + 16];
        snprintf(p, sizeof p, "%.*s[%u]", PATH_CAP - 1, path, i);
        lihop_status st = cfg_need_range(c, p, v[i], open_lo, lo, hi, what, unit);
        if (st != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

/* The energy a carrier gains from the field over one hop of length d_m is at
 * most kT at the lowest temperature (|q| E d <= kT): beyond that the walk is
 * far from linear response and exp(q E d / 2kT) soon overflows. */
lihop_status cfg_check_field(pctx *c, const lihop_config *cfg, const char *path, double E, double d_m,
                                int z, const char *hop)
{
    double Tmin = cfg->temperature_K[0];
    for (int t = 1; t < cfg->ntemps; t++)
        Tmin = fmin(Tmin, cfg->temperature_K[t]);
    double Emax = LIHOP_KB * Tmin / (abs(z) * LIHOP_E * d_m);
    if (fabs(E) <= Emax)
        return LIHOP_OK;
    return cfg_fail_at(c, path,
                       "expected |E| <= kT/(|z| e d) = %.3g V/m (charge %+d, %s d = %g m, %g K: at most kT gained "
                       "per hop; 0.01-0.1 kT is linear response), got %s", Emax, z, hop, d_m, Tmin, cfg_got(c, path));
}

lihop_status cfg_conv_temperatures(pctx *c, lihop_config *cfg, const double *T, unsigned n)
{
    char p[PATH_CAP];
    cfg->ntemps = (int)n;
    for (int t = 0; t < cfg->ntemps; t++) {
        snprintf(p, sizeof p, "temperature_K[%d]", t);
        lihop_status st = cfg_need_range(c, p, T[t], 0, T_MIN_K, T_MAX_K, "a temperature", "K");
        if (st != LIHOP_OK)
            return st;
        cfg->temperature_K[t] = T[t];
    }
    return LIHOP_OK;
}

/* ---- the applied field: a vector or a list of vectors ------------------------ */

static lihop_status field_vector(pctx *c, yaml_node_t *vec, const char *vpath, double out[3])
{
    for (int a = 0; a < 3; a++) {
        char p[PATH_CAP + 8];
        snprintf(p, sizeof p, "%.200s[%d]", vpath, a);
        yaml_node_t *x = lihop_yaml_lookup(&c->doc, p, NULL);
        char *end = NULL;
        out[a] = x && x->type == YAML_SCALAR_NODE ? strtod((const char *)x->data.scalar.value, &end) : NAN;
        if (!isfinite(out[a]) || (end && *end))
            return cfg_fail_at(c, p, "expected a field component in V/m, got %s", cfg_got(c, p));
    }
    (void)vec;
    return LIHOP_OK;
}

lihop_status cfg_field_vectors(pctx *c, lihop_config *cfg, const char *path, double v[][3], int *n)
{
    *n = 0;
    yaml_node_t *node = lihop_yaml_lookup(&c->doc, path, NULL);
    if (!node || node->type != YAML_SEQUENCE_NODE)
        return LIHOP_OK;            /* absent (pass 2 named any other shape) */
    yaml_node_t *first = yaml_document_get_node(&c->doc, *node->data.sequence.items.start);
    int list = first && first->type == YAML_SEQUENCE_NODE;
    int count = list ? (int)(node->data.sequence.items.top - node->data.sequence.items.start) : 1;
    char p[PATH_CAP + 16];
    for (int i = 0; i < count; i++) {
        snprintf(p, sizeof p, list ? "%.200s[%d]" : "%.200s", path, i);
        lihop_status st = field_vector(c, node, p, v[i]);
        if (st != LIHOP_OK)
            return st;
        for (int j = 0; j < i; j++)
            if (memcmp(v[i], v[j], sizeof v[i]) == 0)
                return cfg_fail_at(c, p, "expected each field of the axis once, got [%g, %g, %g] again (also [%d])",
                                   v[i][0], v[i][1], v[i][2], j);
    }
    *n = count;
    static const char *const names[3] = {"field_x_V_m", "field_y_V_m", "field_z_V_m"};
    for (int a = 0; a < 3; a++) {
        if (cfg->ncoords >= LIHOP_MAX_COORDS)
            return cfg_fail_at(c, path, "expected at most %d sweepable keys in one deck, got more", LIHOP_MAX_COORDS);
        lihop_coord *x = &cfg->coords[cfg->ncoords++];
        memset(x, 0, sizeof *x);
        x->kind = (lihop_coord_kind)(LIHOP_COORD_FIELD_X + a);
        x->group = 1;
        snprintf(x->name, sizeof x->name, "%s", names[a]);
        snprintf(x->unit, sizeof x->unit, "V/m");
        snprintf(x->key, sizeof x->key, "%s", path);
        x->swept = list;
        x->line = cfg_line_of(c, path);
        x->n = count;
        for (int i = 0; i < count; i++)
            x->value[i] = v[i][a];
    }
    return LIHOP_OK;
}

/* Vector i of the field coordinates (group 1) into E; 0 when the deck has no field. */
int cfg_field_at(const lihop_config *cfg, int i, double E[3])
{
    int found = 0;
    for (int k = 0; k < cfg->ncoords; k++)
        if (cfg->coords[k].group == 1 && i < cfg->coords[k].n) {
            E[cfg->coords[k].kind - LIHOP_COORD_FIELD_X] = cfg->coords[k].value[i];
            found = 1;
        }
    return found;
}

/* 1 if the coordinate of this kind was written as a list (an axis). */
int cfg_coord_swept(const lihop_config *cfg, lihop_coord_kind kind)
{
    for (int k = 0; k < cfg->ncoords; k++)
        if (cfg->coords[k].kind == kind)
            return cfg->coords[k].swept;
    return 0;
}

/* ---- files a deck names ------------------------------------------------- */

/* Directory part of `path` ("." when it has none). */
void cfg_dir_of(const char *path, char *dir, size_t cap)
{
    snprintf(dir, cap, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, cap, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

/* `rel` relative to directory `dir` (absolute paths and dir "." unchanged); -1 if too long. */
int cfg_join_path(const char *dir, const char *rel, char *out, size_t cap)
{
    int n;
    if (rel[0] == '/' || strcmp(dir, ".") == 0)
        n = snprintf(out, cap, "%s", rel);
    else
        n = snprintf(out, cap, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", rel);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

lihop_status cfg_load_side_file(pctx *c, const char *key, const char *rel, const char *what, pctx *m,
                                char *path, size_t cap, char **text, const cyaml_schema_value_t *schema,
                                void **out)
{
    char dir[LIHOP_PATH_LEN];
    lihop_err e2 = {{0}};
    cfg_dir_of(c->name, dir, sizeof dir);
    if (cfg_join_path(dir, rel, path, cap) < 0)
        return cfg_fail_at(c, key, "expected a path shorter than %d characters, got a longer one", (int)cap);
    if (cfg_read_text(path, text, &e2) != LIHOP_OK)
        return cfg_fail_at(c, key, "expected a readable %s, got '%s' (%s)", what, rel, e2.msg);
    m->name = path;
    return cfg_check_load(m, *text, schema, out);
}
