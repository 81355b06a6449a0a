/* micro_pic.c - polymer-in-ceramic membranes: a sintered Voronoi polycrystal
 * of the ceramic with polymer in open channels along the triple lines.
 *
 * Each voxel's key is the distance to the second-nearest facet plane of its
 * grain's cell (lihop_voronoi_compute margin2): it is small only where two
 * facets meet, i.e. along the edges where three grains meet.  Voxels turn to
 * polymer in order of increasing key until the ceramic fraction is the
 * target, so the polymer is close to the set {key < k*}: tubes around the connected
 * network of cell edges that thicken with porosity.  The pores grow as one
 * region from the lowest key, always taking the lowest-key voxel next to it,
 * so the network is connected even where a low key sits in a stray pocket.  The grain faces stay
 * ceramic and, with gb_thickness_m, carry the boundary phase (margin1 <= t/2)
 * between the channels, as in a sintered body whose pores sit at triple
 * junctions.  The count is exact: the ceramic fraction is the target within
 * one voxel. */
#include <math.h>
#include <stdlib.h>
#include "micro_gen.h"

typedef struct {
    float key;
    int32_t idx;
} keyed;

static int before(keyed a, keyed b)
{
    return a.key < b.key || (a.key == b.key && a.idx < b.idx);
}

static void heap_push(keyed *h, int64_t *n, keyed v)
{
    int64_t i = (*n)++;
    while (i > 0 && before(v, h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static keyed heap_pop(keyed *h, int64_t *n)
{
    keyed top = h[0], v = h[--(*n)];
    int64_t i = 0;
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= *n) break;
        if (c + 1 < *n && before(h[c + 1], h[c])) ++c;
        if (!before(h[c], v)) break;
        h[i] = h[c];
        i = c;
    }
    if (*n) h[i] = v;
    return top;
}

/* Grow the pore network from the voxel of lowest key, always adding the
 * lowest-key voxel that touches it (by a face), until npoly voxels: the
 * network is connected by construction and follows the triple lines. */
static lihop_status grow_pores(const int n[3], const float *key, int64_t npoly, uint8_t *pore, lihop_err *err)
{
    int64_t nvox = (int64_t)n[0] * n[1] * n[2], hn = 0, first = 0;
    keyed *heap = malloc((size_t)nvox * sizeof *heap);
    uint8_t *queued = calloc((size_t)nvox, 1);
    if (!heap || !queued) {
        free(heap);
        free(queued);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory growing the pore network");
    }
    for (int64_t i = 1; i < nvox; ++i)
        if (key[i] < key[first]) first = i;
    if (npoly > 0) {
        heap_push(heap, &hn, (keyed){key[first], (int32_t)first});
        queued[first] = 1;
    }
    for (int64_t done = 0; done < npoly && hn > 0; ++done) {
        keyed v = heap_pop(heap, &hn);
        int64_t nb[6];
        pore[v.idx] = 1;
        lihop_voxel_neighbours(n, v.idx, nb);
        for (int k = 0; k < 6; ++k)
            if (!queued[nb[k]]) {
                queued[nb[k]] = 1;
                heap_push(heap, &hn, (keyed){key[nb[k]], (int32_t)nb[k]});
            }
    }
    free(heap);
    free(queued);
    return LIHOP_OK;
}

lihop_status lihop_gen_pic(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    const lihop_poly_cfg *p = &cfg->poly;
    int64_t nvox = lihop_micro_nvox(m);
    int32_t ng = lihop_poly_grain_count(p, m->n, m->voxel_m);
    if (ng < 3)
        return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: a PIC membrane needs at least 3 grains for triple "
                          "lines, got %d (more grains or a smaller grain_size_m)", (int)ng);
    lihop_voronoi_field f;
    lihop_status st = lihop_voronoi_compute(m->n, ng, cfg->seed, 1, &f, err);
    if (st) return st;
    int64_t npoly = llround((1.0 - cfg->volume_fraction) * (double)nvox);
    uint8_t *pore = calloc((size_t)nvox, 1);
    if (!pore) st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %lld voxels", (long long)nvox);
    if (!st) st = grow_pores(m->n, f.margin2, npoly, pore, err);
    if (st) {
        free(pore);
        lihop_voronoi_free(&f);
        return st;
    }
    double half_t = 0.5 * p->gb_thickness_m / m->voxel_m;
    int gb = p->boundary_phase >= 0 && p->gb_thickness_m > 0.0;
    for (int64_t i = 0; i < nvox; ++i) {
        int gbv = gb && f.margin1[i] <= half_t;
        m->phase[i] = (uint8_t)(pore[i] ? p->polymer_phase : gbv ? p->boundary_phase : p->grain_phase);
        if (pore[i] || gbv) f.nearest[i] = -1;
    }
    free(pore);
    m->grain = f.nearest;
    m->ngrains = f.ngrains;
    f.nearest = NULL;
    lihop_voronoi_free(&f);
    return lihop_grain_tidy(m, gb ? p->boundary_phase : -1, err);
}
