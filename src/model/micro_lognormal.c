/* micro_lognormal.c - CIP filler of spheres with log-normal radii
 * (generator lognormal_spheres): overlapping spheres until the voxel fraction
 * reaches the target, or hard spheres whose volumes sum to it, placed by
 * random sequential addition or packed densely (micro_packing.c).  Also the
 * painting helpers the fibres share. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "micro_gen_b.h"
#include "rng.h"

#define MAX_REDRAWS 1000

double lihop_lognormal_radius(uint64_t seed, uint64_t i, double median, double sigma, double rmax)
{
    if (sigma == 0.0)
        return median;
    for (uint64_t k = 0; k < MAX_REDRAWS; k++) {
        double r = median * exp(sigma * lihop_normal(seed, ((MICRO_B_RADIUS_STREAM + k) << 32) | (i & 0xffffffffu)));
        if (r <= rmax)
            return r;
    }
    return -1.0;
}

static int64_t wrap(int64_t v, int n)
{
    v %= n;
    return v < 0 ? v + n : v;
}

static lihop_status stroke_push(lihop_stroke *s, int64_t i, uint8_t old, lihop_err *err)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4096;
        int64_t *idx = realloc(s->idx, cap * sizeof *idx);
        if (idx) s->idx = idx;
        uint8_t *o = idx ? realloc(s->old, cap) : NULL;
        if (!o) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory painting the microstructure");
        s->old = o;
        s->cap = cap;
    }
    s->idx[s->n] = i;
    s->old[s->n++] = old;
    return LIHOP_OK;
}

/* Mark every voxel of the shape that is not yet `phase` (only_phase >= 0:
 * only voxels of that phase), remembering what it was. */
lihop_status lihop_stroke_paint(lihop_micro *m, lihop_stroke *s, const double ctr[3], const double half[3],
                                lihop_inside_fn inside, const void *obj, int only_phase, lihop_err *err)
{
    int64_t lo[3], hi[3];
    for (int a = 0; a < 3; ++a) {
        lo[a] = (int64_t)floor(ctr[a] - half[a] - 0.5);
        hi[a] = (int64_t)ceil(ctr[a] + half[a] - 0.5);
    }
    for (int64_t z = lo[2]; z <= hi[2]; ++z)
        for (int64_t y = lo[1]; y <= hi[1]; ++y)
            for (int64_t x = lo[0]; x <= hi[0]; ++x) {
                /* voxel (x, y, z) spans [x, x+1): its centre is at x + 0.5 */
                double d[3] = {x + 0.5 - ctr[0], y + 0.5 - ctr[1], z + 0.5 - ctr[2]};
                if (!inside(obj, d)) continue;
                int64_t i = wrap(x, m->n[0]) + m->n[0] * (wrap(y, m->n[1]) + m->n[1] * wrap(z, m->n[2]));
                uint8_t p = m->phase[i];
                if (p == MICRO_B_MARK || (only_phase >= 0 && p != only_phase)) continue;
                lihop_status st = stroke_push(s, i, p, err);
                if (st) return st;
                m->phase[i] = MICRO_B_MARK;
            }
    return LIHOP_OK;
}

void lihop_stroke_commit(lihop_micro *m, lihop_stroke *s, int phase)
{
    for (size_t k = 0; k < s->n; ++k) m->phase[s->idx[k]] = (uint8_t)phase;
    s->n = 0;
}

void lihop_stroke_undo(lihop_micro *m, lihop_stroke *s)
{
    for (size_t k = 0; k < s->n; ++k) m->phase[s->idx[k]] = s->old[k];
    s->n = 0;
}

void lihop_stroke_free(lihop_stroke *s)
{
    free(s->idx);
    free(s->old);
    memset(s, 0, sizeof *s);
}

/* New voxels of `phase` the shape k at `scale` would add (left marked). */
static lihop_status try_shape(lihop_micro *m, lihop_stroke *s, int phase, lihop_shape_fn shape, const void *ctx,
                              lihop_inside_fn inside, void *obj, uint64_t k, double scale, lihop_err *err)
{
    double ctr[3], half[3];
    shape(ctx, k, scale, ctr, half, obj);
    lihop_status st = lihop_stroke_paint(m, s, ctr, half, inside, obj, -1, err);
    if (st) return st;
    /* voxels already of `phase` stay as they are: they are not new */
    size_t keep = 0;
    for (size_t j = 0; j < s->n; ++j) {
        if (s->old[j] == phase) { m->phase[s->idx[j]] = (uint8_t)phase; continue; }
        s->idx[keep] = s->idx[j];
        s->old[keep++] = s->old[j];
    }
    s->n = keep;
    return LIHOP_OK;
}

lihop_status lihop_paint_until(lihop_micro *m, int phase, int64_t target, lihop_shape_fn shape, const void *ctx,
                               lihop_inside_fn inside, void *obj, lihop_err *err)
{
    int64_t filled = 0, nvox = lihop_micro_nvox(m);
    for (int64_t i = 0; i < nvox; ++i) filled += m->phase[i] == phase;
    lihop_stroke s = {0};
    lihop_status st = LIHOP_OK;
    for (uint64_t k = 0; filled < target && !st; ++k) {
        double ctr[3], half[3];
        if (!shape(ctx, k, 1.0, ctr, half, obj)) {
            st = lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: %llu objects placed and the filler fraction is "
                            "still %.4f of the requested %.4f", (unsigned long long)k, (double)filled / nvox,
                            (double)target / nvox);
            break;
        }
        if ((st = try_shape(m, &s, phase, shape, ctx, inside, obj, k, 1.0, err))) break;
        if (filled + (int64_t)s.n <= target) {
            filled += (int64_t)s.n;
            lihop_stroke_commit(m, &s, phase);
            continue;
        }
        /* the last object overshoots: the smallest scale that still reaches the target */
        lihop_stroke_undo(m, &s);
        double lo = 0.0, hi = 1.0;
        for (int it = 0; it < 40 && !st; ++it) {
            double mid = 0.5 * (lo + hi);
            if ((st = try_shape(m, &s, phase, shape, ctx, inside, obj, k, mid, err))) break;
            if (filled + (int64_t)s.n >= target) hi = mid; else lo = mid;
            lihop_stroke_undo(m, &s);
        }
        if (!st && !(st = try_shape(m, &s, phase, shape, ctx, inside, obj, k, hi, err))) {
            filled += (int64_t)s.n;
            lihop_stroke_commit(m, &s, phase);
        }
    }
    if (st) lihop_stroke_undo(m, &s);
    lihop_stroke_free(&s);
    return st;
}

/* ---- spheres ---------------------------------------------------------------- */

typedef struct {
    const lihop_micro_cfg *cfg;
    const int *n;
    double rmax;
    uint64_t max_objects;
} sphere_ctx;

static int inside_sphere(const void *obj, const double d[3])
{
    double r = *(const double *)obj;
    return d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= r * r;
}

static int overlapping_sphere(const void *vctx, uint64_t k, double scale, double ctr[3], double half[3], void *obj)
{
    const sphere_ctx *c = vctx;
    if (k >= c->max_objects) return 0;
    lihop_u32x4 u = lihop_philox_host(c->cfg->seed, MICRO_B_STREAM_PLACE, k);
    for (int a = 0; a < 3; ++a) ctr[a] = lihop_u01_32(u.v[a]) * c->n[a];
    double r = scale * lihop_lognormal_radius(c->cfg->seed, k, c->cfg->radius_voxels, c->cfg->radius_sigma, c->rmax);
    if (r < 0.0) return 0;
    *(double *)obj = r;
    half[0] = half[1] = half[2] = r;
    return 1;
}

static double half_box(const int n[3])
{
    int m = n[0] < n[1] ? n[0] : n[1];
    return 0.5 * (m < n[2] ? m : n[2]);
}

static lihop_status paint_set(lihop_micro *m, const lihop_sphere_set *s, int phase, lihop_err *err)
{
    lihop_stroke st = {0};
    lihop_status rc = LIHOP_OK;
    for (int i = 0; i < s->n && !rc; ++i) {
        double half[3] = {s->r[i], s->r[i], s->r[i]};
        if (!(rc = lihop_stroke_paint(m, &st, s->x + 3 * i, half, inside_sphere, &s->r[i], -1, err)))
            lihop_stroke_commit(m, &st, phase);
    }
    lihop_stroke_free(&st);
    return rc;
}

lihop_status lihop_micro_lognormal(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    memset(m->phase, cfg->matrix_phase, (size_t)lihop_micro_nvox(m));
    if (cfg->overlap) {
        int64_t nvox = lihop_micro_nvox(m);
        sphere_ctx c = {cfg, m->n, half_box(m->n), 10000000ull + (uint64_t)nvox};
        double r;
        return lihop_paint_until(m, cfg->filler_phase, llround(cfg->volume_fraction * (double)nvox),
                                 overlapping_sphere, &c, inside_sphere, &r, err);
    }
    lihop_sphere_set s;
    lihop_status st = lihop_sphere_set_init(&s, m->n, 1024, err);
    if (st) return st;
    if (!(st = lihop_hard_sphere_radii(cfg, &s, err))) {
        st = cfg->packing == LIHOP_PACKING_DENSE ? lihop_pack_dense(&s, cfg->seed, NULL, err)
                                                 : lihop_pack_rsa(&s, cfg->seed, err);
        if (!st) st = paint_set(m, &s, cfg->filler_phase, err);
    }
    lihop_sphere_set_free(&s);
    return st;
}
