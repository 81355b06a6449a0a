/* config_points.c - an explicit `points:` table (README "Sweeps"): the sweep is
 * the table's rows instead of the cartesian product.  Each key a row gives is
 * a coordinate the deck has as a single value; it becomes an axis of the
 * rows' distinct values (checked with the deck key's own range), and
 * cfg->points_value holds every row's coordinates. */
#include "config_impl.h"

typedef struct {
    const char *key;
    lihop_coord_kind kind;
} table_key;

static const table_key KEYS[] = {
    {"seed", LIHOP_COORD_SEED},
    {"temperature_K", LIHOP_COORD_TEMPERATURE},
    {"volume_fraction", LIHOP_COORD_VOLUME_FRACTION},
    {"radius_voxels", LIHOP_COORD_RADIUS},
    {"asr_ohm_cm2", LIHOP_COORD_ASR},
    {"li_per_fu", LIHOP_COORD_LI_PER_FU},
    {"li_per_cell", LIHOP_COORD_LI_PER_CELL},
};
#define NKEYS ((int)(sizeof KEYS / sizeof KEYS[0]))

/* Key q of a row in SI (asr ohm cm^2 -> ohm m^2); 0 when the row lacks it. */
static int row_value(const y_point *r, int q, double *v)
{
    const double *f[] = {NULL, r->temperature_K, r->volume_fraction, r->radius_voxels, r->asr_ohm_cm2,
                         r->li_per_fu, r->li_per_cell};
    if (q == 0) {
        if (r->seed)
            *v = (double)*r->seed;
        return r->seed != NULL;
    }
    if (!f[q])
        return 0;
    *v = KEYS[q].kind == LIHOP_COORD_ASR ? *f[q] * 1e-4 : *f[q];
    return 1;
}

/* The deck's coordinate of key q, which must be a single value. */
static lihop_status table_coord(pctx *c, const lihop_config *cfg, int q, int *out)
{
    char p[PATH_CAP];
    snprintf(p, sizeof p, "points[0].%s", KEYS[q].key);
    int found = -1, count = 0;
    for (int k = 0; k < cfg->ncoords; k++)
        if (cfg->coords[k].kind == KEYS[q].kind) {
            found = k;
            count++;
        }
    if (count != 1)
        return cfg_fail_at(c, p, "expected a key the deck has once (%s), got %s", KEYS[q].key,
                           count ? "one for each of several interfaces" : "a key the deck does not set");
    if (cfg->coords[found].n > 1)
        return cfg_fail_at(c, p, "expected %s as a single value in the deck when points: gives it, got a list of "
                           "%d on line %d", KEYS[q].key, cfg->coords[found].n, cfg->coords[found].line);
    *out = found;
    return LIHOP_OK;
}

/* Row i's value of key q, range-checked like the deck key. */
static lihop_status table_value(pctx *c, const lihop_config *cfg, const y_point *r, unsigned i, int q, double *v)
{
    char p[PATH_CAP];
    snprintf(p, sizeof p, "points[%u].%s", i, KEYS[q].key);
    if (!row_value(r, q, v))
        return cfg_fail_at(c, p, "expected the keys of points[0] in every row, got no %s", KEYS[q].key);
    const lihop_micro_cfg *m = &cfg->micro;
    int nmin = m->n[0] < m->n[1] ? m->n[0] : m->n[1];
    nmin = nmin < m->n[2] ? nmin : m->n[2];
    switch (KEYS[q].kind) {
    case LIHOP_COORD_SEED:
        return *v <= 9007199254740992.0 ? LIHOP_OK
               : cfg_fail_at(c, p, "expected a seed of at most 2^53, got %s", cfg_got(c, p));
    case LIHOP_COORD_TEMPERATURE: return cfg_need_range(c, p, *v, 0, T_MIN_K, T_MAX_K, "a temperature", "K");
    case LIHOP_COORD_VOLUME_FRACTION: return cfg_need_range(c, p, *v, 0, 0.0, 1.0, "a fraction", "");
    case LIHOP_COORD_RADIUS:
        return cfg_need_range(c, p, *v, 0, 0.5, 0.5 * nmin, "a radius (half the smallest box edge at most)", "voxels");
    case LIHOP_COORD_ASR:
        return cfg_need_range(c, p, *v * 1e4, 0, 0.0, ASR_MAX_OHM_CM2, "an area-specific resistance", "ohm cm^2");
    default:
        return cfg_need_range(c, p, *v, 1, 0.0, 1e6, "a Li content", "");
    }
}

/* A table key's distinct values become its coordinate's values, and the
 * config's own list (temperatures, Li contents) or scalar follows them. */
static lihop_status set_axis(pctx *c, lihop_config *cfg, int k, const double *v, int n)
{
    lihop_coord *x = &cfg->coords[k];
    x->swept = 1;
    x->n = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < x->n && !seen; j++)
            seen = x->value[j] == v[i];
        if (seen)
            continue;
        if (x->n == LIHOP_MAX_AXIS_VALUES || (x->kind == LIHOP_COORD_TEMPERATURE && x->n == LIHOP_MAX_TEMPS) ||
            ((x->kind == LIHOP_COORD_LI_PER_FU || x->kind == LIHOP_COORD_LI_PER_CELL) && x->n == LIHOP_MAX_LI_VALUES))
            return cfg_fail_at(c, "points", "expected at most %d distinct values of %s, got more",
                               x->kind == LIHOP_COORD_TEMPERATURE ? LIHOP_MAX_TEMPS : LIHOP_MAX_LI_VALUES, x->name);
        x->value[x->n++] = v[i];
    }
    lihop_garnet_cfg *g = &cfg->garnet;
    double fu = g->lattice.formula_units_per_cell;
    for (int i = 0; i < x->n; i++)
        switch (x->kind) {
        case LIHOP_COORD_TEMPERATURE: cfg->temperature_K[i] = x->value[i]; cfg->ntemps = x->n; break;
        case LIHOP_COORD_LI_PER_FU: g->li_per_fu[i] = x->value[i]; g->li_per_cell[i] = x->value[i] * fu; g->nli = x->n; break;
        case LIHOP_COORD_LI_PER_CELL:
            g->li_per_fu[i] = x->value[i] / fu;
            g->li_per_cell[i] = g->li_per_fu[i] * fu;
            g->nli = x->n;
            break;
        default: break;
        }
    return LIHOP_OK;
}

/* The keys of points[0], as indices into KEYS; returns their count. */
static int table_keys(const y_point *r, int *q)
{
    int n = 0;
    double v;
    for (int k = 0; k < NKEYS; k++)
        if (row_value(r, k, &v))
            q[n++] = k;
    return n;
}

/* Every row's coordinates into cfg->points_value; a repeated row is an error. */
static lihop_status fill_rows(pctx *c, lihop_config *cfg, const double *vals, const int *col, int nq, unsigned n)
{
    cfg->points_value = malloc((size_t)n * (size_t)cfg->ncoords * sizeof *cfg->points_value);
    if (!cfg->points_value)
        return lihop_fail(c->err, LIHOP_ERR_NOMEM, "%s: out of memory for the points table", c->name);
    for (unsigned i = 0; i < n; i++) {
        double *row = cfg->points_value + (size_t)i * cfg->ncoords;
        for (int k = 0; k < cfg->ncoords; k++)
            row[k] = cfg->coords[k].value[0];
        for (int j = 0; j < nq; j++)
            row[col[j]] = vals[(size_t)j * n + i];
        for (unsigned e = 0; e < i; e++)
            if (memcmp(row, cfg->points_value + (size_t)e * cfg->ncoords, (size_t)cfg->ncoords * sizeof *row) == 0) {
                char p[PATH_CAP];
                snprintf(p, sizeof p, "points[%u]", i);
                return cfg_fail_at(c, p, "expected each point once, got the point of points[%u] again", e);
            }
    }
    cfg->points_table = 1;
    cfg->npoints_table = (int)n;
    return LIHOP_OK;
}

lihop_status cfg_points_apply(pctx *c, lihop_config *cfg, const y_point *rows, unsigned n)
{
    int q[NKEYS], col[NKEYS], nq = table_keys(&rows[0], q);
    double *vals = malloc((size_t)n * (size_t)(nq ? nq : 1) * sizeof *vals);
    if (!vals)
        return lihop_fail(c->err, LIHOP_ERR_NOMEM, "%s: out of memory for the points table", c->name);
    lihop_status st = nq ? LIHOP_OK : cfg_fail_at(c, "points[0]", "expected at least one sweepable key, got none");
    for (int j = 0; j < nq && !st; j++) {
        st = table_coord(c, cfg, q[j], &col[j]);
        for (unsigned i = 0; i < n && !st; i++)
            st = table_value(c, cfg, &rows[i], i, q[j], &vals[(size_t)j * n + i]);
    }
    for (unsigned i = 0; i < n && !st; i++) {      /* no key beyond those of points[0] */
        int q2[NKEYS];
        if (table_keys(&rows[i], q2) != nq) {
            char p[PATH_CAP];
            snprintf(p, sizeof p, "points[%u]", i);
            st = cfg_fail_at(c, p, "expected the keys of points[0] in every row, got others");
        }
    }
    for (int j = 0; j < nq && !st; j++)
        st = set_axis(c, cfg, col[j], &vals[(size_t)j * n], (int)n);
    if (!st)
        st = fill_rows(c, cfg, vals, col, nq, n);
    free(vals);
    return st;
}
