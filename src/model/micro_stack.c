/* micro_stack.c - layered and sandwich membranes: slabs along `axis`, each a
 * sub-microstructure built by its own generator in a sub-box of the slab's
 * thickness and copied in.  Slab l covers [round(F_{l-1} n), round(F_l n))
 * along the axis (F: cumulative fractions), as the laminate does.  Each slab is
 * periodic in its own sub-box: along the in-plane axes it is continuous with
 * the box, along the stack axis its content is cut flat at the slab faces. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "micro_gen.h"

/* The generator config of slab l: the stack's, with the slab's keys. */
static void slab_cfg(const lihop_micro_cfg *cfg, int l, int thick, lihop_micro_cfg *sub)
{
    const lihop_slab_cfg *s = &cfg->slab[l];
    *sub = *cfg;
    sub->n[cfg->axis] = thick;
    sub->generator = s->generator;
    sub->matrix_phase = s->matrix_phase;
    sub->filler_phase = s->filler_phase;
    sub->volume_fraction = s->volume_fraction;
    sub->radius_voxels = s->radius_voxels;
    sub->overlap = s->overlap;
    sub->poly = s->poly;
    /* a distinct stream per slab unless the deck names one */
    sub->seed = s->seed_given ? s->seed : cfg->seed + (uint64_t)l + 1u;
    sub->nslabs = 0;
    sub->cryst.on = 0;      /* crystallinity is applied once, to the whole stack */
}

/* Copy slab `s` into m at offset `off` along the axis; grain ids shifted by gbase. */
static void paste(lihop_micro *m, const lihop_micro *s, int axis, int off, int32_t gbase)
{
    for (int z = 0; z < s->n[2]; ++z)
        for (int y = 0; y < s->n[1]; ++y)
            for (int x = 0; x < s->n[0]; ++x) {
                int c[3] = {x, y, z};
                c[axis] += off;
                int64_t j = x + (int64_t)s->n[0] * (y + (int64_t)s->n[1] * z);
                int64_t i = c[0] + (int64_t)m->n[0] * (c[1] + (int64_t)m->n[1] * c[2]);
                m->phase[i] = s->phase[j];
                if (m->grain) m->grain[i] = (s->grain && s->grain[j] >= 0) ? s->grain[j] + gbase : -1;
            }
}

static lihop_status ensure_grain(lihop_micro *m, lihop_err *err)
{
    if (m->grain) return LIHOP_OK;
    int64_t nvox = lihop_micro_nvox(m);
    m->grain = malloc((size_t)nvox * sizeof *m->grain);
    if (!m->grain) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for grain ids");
    for (int64_t i = 0; i < nvox; ++i) m->grain[i] = -1;
    return LIHOP_OK;
}

lihop_status lihop_gen_stack(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    int ax = cfg->axis, n = m->n[ax], start = 0;
    double cum = 0.0;
    for (int l = 0; l < cfg->nslabs; ++l) {
        cum += cfg->slab[l].fraction;
        int end = (l == cfg->nslabs - 1) ? n : (int)lround(cum * n);
        if (end <= start)
            return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: slab %d (fraction %g) is thinner than one voxel "
                              "along %c (%d voxels); raise its fraction or the box", l, cfg->slab[l].fraction,
                              "xyz"[ax], n);
        lihop_micro_cfg sub;
        slab_cfg(cfg, l, end - start, &sub);
        lihop_micro *s = NULL;
        lihop_status st = lihop_micro_build(&sub, m->nphases, &s, err);
        if (!st && s->grain) st = ensure_grain(m, err);
        if (st) {
            size_t len = strlen(err->msg);
            if (len + 16 < sizeof err->msg) snprintf(err->msg + len, sizeof err->msg - len, " (slab %d)", l);
            lihop_micro_destroy(s);
            return st;
        }
        int32_t gbase = m->ngrains;
        paste(m, s, ax, start, gbase);
        if (s->grain) m->ngrains += s->ngrains;
        lihop_micro_destroy(s);
        start = end;
    }
    return LIHOP_OK;
}
