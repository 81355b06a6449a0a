/* sweep.c - points of a sweep and their config views (sweep.h). */
#include "sweep.h"
#include "config_handoff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double lihop_sweep_value(const lihop_config *cfg, const lihop_sweep *sw, int k, int c)
{
    return cfg->coords[c].value[sw->at[(size_t)k * sw->ncoords + c]];
}

/* The axis of coordinate c: coordinates of one group (the field's
 * components) share the axis of the group's first coordinate. */
static int axis_of(const lihop_config *cfg, int c)
{
    for (int k = 0; k < c; k++)
        if (cfg->coords[c].group > 0 && cfg->coords[k].group == cfg->coords[c].group)
            return k;
    return c;
}

static lihop_status cartesian(const lihop_config *cfg, lihop_sweep *sw, lihop_err *err)
{
    int64_t n = 1;
    for (int c = 0; c < cfg->ncoords; c++) {
        if (axis_of(cfg, c) != c)
            continue;
        n *= cfg->coords[c].n;
        if (n > LIHOP_MAX_POINTS)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: expected at most %d sweep points, got more (the product of "
                              "the axis lengths)", cfg->path, LIHOP_MAX_POINTS);
    }
    sw->npoints = (int)n;
    sw->at = malloc((size_t)n * (size_t)(cfg->ncoords ? cfg->ncoords : 1) * sizeof *sw->at);
    if (!sw->at)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %lld sweep points", (long long)n);
    for (int64_t k = 0; k < n; k++) {
        int64_t rest = k;
        for (int c = cfg->ncoords - 1; c >= 0; c--) {   /* the last axis runs fastest */
            if (axis_of(cfg, c) != c)
                continue;
            sw->at[k * cfg->ncoords + c] = (int)(rest % cfg->coords[c].n);
            rest /= cfg->coords[c].n;
        }
        for (int c = 0; c < cfg->ncoords; c++)          /* a group moves with its first coordinate */
            sw->at[k * cfg->ncoords + c] = sw->at[k * cfg->ncoords + axis_of(cfg, c)];
    }
    return LIHOP_OK;
}

/* Index of value v in coordinate c (the points table stores values). */
static int value_index(const lihop_coord *x, double v)
{
    for (int i = 0; i < x->n; i++)
        if (x->value[i] == v)
            return i;
    return -1;
}

static lihop_status table(const lihop_config *cfg, lihop_sweep *sw, lihop_err *err)
{
    sw->npoints = cfg->npoints_table;
    sw->at = malloc((size_t)sw->npoints * (size_t)cfg->ncoords * sizeof *sw->at);
    if (!sw->at)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %d sweep points", sw->npoints);
    for (int k = 0; k < sw->npoints; k++)
        for (int c = 0; c < cfg->ncoords; c++) {
            int i = value_index(&cfg->coords[c], cfg->points_value[(size_t)k * cfg->ncoords + c]);
            if (i < 0)
                return lihop_fail(err, LIHOP_ERR_INTERNAL, "points table: value not among coordinate %s",
                                  cfg->coords[c].name);
            sw->at[(size_t)k * cfg->ncoords + c] = i;
        }
    return LIHOP_OK;
}

/* Same coordinates apart from the seed. */
static int same_but_seed(const lihop_config *cfg, const lihop_sweep *sw, int a, int b)
{
    for (int c = 0; c < cfg->ncoords; c++)
        if (cfg->coords[c].kind != LIHOP_COORD_SEED &&
            sw->at[(size_t)a * cfg->ncoords + c] != sw->at[(size_t)b * cfg->ncoords + c])
            return 0;
    return 1;
}

static const lihop_sweep *g_sort_sweep;   /* qsort context (build is not reentrant-critical) */
static int by_key(const void *a, const void *b)
{
    uint32_t x = g_sort_sweep->key[*(const int *)a], y = g_sort_sweep->key[*(const int *)b];
    return x < y ? -1 : x > y;
}

static lihop_status keys(const lihop_config *cfg, lihop_sweep *sw, lihop_err *err)
{
    sw->key = malloc((size_t)sw->npoints * sizeof *sw->key);
    int *ord = malloc((size_t)sw->npoints * sizeof *ord);
    if (!sw->key || !ord) {
        free(ord);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %d sweep points", sw->npoints);
    }
    lihop_config *view = malloc(sizeof *view);
    if (!view) {
        free(ord);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for a point config");
    }
    for (int k = 0; k < sw->npoints; k++) {
        lihop_sweep_apply(cfg, sw, k, view);
        sw->key[k] = view->point_key;
        ord[k] = k;
    }
    free(view);
    g_sort_sweep = sw;
    qsort(ord, (size_t)sw->npoints, sizeof *ord, by_key);
    lihop_status st = LIHOP_OK;
    for (int i = 1; i < sw->npoints && !st; i++) {
        int a = ord[i - 1], b = ord[i];
        if (sw->key[a] == sw->key[b] && !same_but_seed(cfg, sw, a, b)) {
            char la[256], lb[256];
            lihop_sweep_label(cfg, sw, a, la, sizeof la);
            lihop_sweep_label(cfg, sw, b, lb, sizeof lb);
            st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: points (%s) and (%s) would share a random stream (their "
                            "28-bit coordinate hashes collide); change one value slightly", cfg->path, la, lb);
        }
    }
    free(ord);
    return st;
}

lihop_status lihop_sweep_build(const lihop_config *cfg, lihop_sweep **out, lihop_err *err)
{
    *out = NULL;
    lihop_sweep *sw = calloc(1, sizeof *sw);
    if (!sw)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the sweep");
    sw->ncoords = cfg->ncoords;
    lihop_status st = cfg->points_table ? table(cfg, sw, err) : cartesian(cfg, sw, err);
    if (!st)
        st = keys(cfg, sw, err);
    if (st) {
        lihop_sweep_destroy(sw);
        return st;
    }
    *out = sw;
    return LIHOP_OK;
}

void lihop_sweep_destroy(lihop_sweep *sw)
{
    if (!sw)
        return;
    free(sw->at);
    free(sw->key);
    free(sw);
}

void lihop_sweep_apply(const lihop_config *base, const lihop_sweep *sw, int k, lihop_config *view)
{
    *view = *base;
    lihop_garnet_cfg *g = &view->garnet;
    for (int c = 0; c < base->ncoords; c++) {
        const lihop_coord *x = &base->coords[c];
        int i = sw->at[(size_t)k * sw->ncoords + c];
        double v = x->value[i];
        switch (x->kind) {
        case LIHOP_COORD_SEED:
            view->seed = (uint64_t)v;
            if (!view->micro.seed_given)
                view->micro.seed = view->seed;
            break;
        case LIHOP_COORD_VOLUME_FRACTION: view->micro.volume_fraction = v; break;
        case LIHOP_COORD_RADIUS: view->micro.radius_voxels = v; break;
        case LIHOP_COORD_ASR: view->interfaces[x->target].asr_ohm_m2 = v; break;
        case LIHOP_COORD_FIELD_X:
        case LIHOP_COORD_FIELD_Y:
        case LIHOP_COORD_FIELD_Z:
            (base->model == LIHOP_MODEL_GARNET ? g->field_V_m : view->field_V_m)[x->kind - LIHOP_COORD_FIELD_X] = v;
            break;
        case LIHOP_COORD_LI_PER_FU:
        case LIHOP_COORD_LI_PER_CELL:
            g->li_per_fu[0] = base->garnet.li_per_fu[i];
            g->li_per_cell[0] = base->garnet.li_per_cell[i];
            g->nli = 1;
            break;
        case LIHOP_COORD_TEMPERATURE:
            view->temperature_K[0] = v;
            view->ntemps = 1;
            break;
        case LIHOP_COORD_SC_PHI0: view->space_charge[x->target].phi0_V = v; break;
        case LIHOP_COORD_SC_LENGTH: view->space_charge[x->target].length_m = v; break;
        }
    }
    /* a scalar seed keeps its full 64 bits (the coordinate holds a double) */
    int seed_swept = 0;
    for (int c = 0; c < base->ncoords; c++)
        seed_swept |= base->coords[c].kind == LIHOP_COORD_SEED && base->coords[c].n > 1;
    if (!seed_swept) {
        view->seed = base->seed;
        view->micro.seed = base->micro.seed;
    }
    /* an interface ASR with a temperature law (asr_law_ohm_cm2, from_garnet) at
     * this point's T: the rates read asr_ohm_m2 only */
    for (int i = 0; i < view->ninterfaces; i++)
        view->interfaces[i].asr_ohm_m2 = lihop_interface_asr_at(&view->interfaces[i], view->temperature_K[0]);
    /* a crystallinity that depends on T makes one microstructure per temperature */
    if (view->micro.cryst.depends_on_T)
        view->micro.cryst.T_K = view->temperature_K[0];
    view->point_key = lihop_config_point_key(view, view->temperature_K[0], 0);
}

int lihop_sweep_micro_differs(const lihop_config *a, const lihop_config *b)
{
    return memcmp(&a->micro, &b->micro, sizeof a->micro) != 0;
}

void lihop_sweep_label(const lihop_config *cfg, const lihop_sweep *sw, int k, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int c = 0; c < cfg->ncoords && o < cap; c++) {
        const lihop_coord *x = &cfg->coords[c];
        if (!x->swept && x->kind != LIHOP_COORD_TEMPERATURE)
            continue;
        int w = snprintf(buf + o, cap - o, "%s%s = %.6g", o ? ", " : "", x->name, lihop_sweep_value(cfg, sw, k, c));
        if (w < 0)
            break;
        o += (size_t)w;
    }
}
