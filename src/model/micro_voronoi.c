/* micro_voronoi.c - periodic Voronoi polycrystals (DESIGN 2.2).
 *
 * Seeds are uniform in the box (Philox, microstructure seed); a voxel belongs
 * to the grain of its nearest seed (minimum-image distance).  Its margin is the
 * exact distance from its centre to the nearest facet plane of that grain's
 * cell: min over other seeds j of (|x-s_j|^2 - |x-s_1|^2) / (2 |s_j - s_1|).
 * The cell is convex, so that is the distance to the grain boundary.  Voxels
 * with margin <= t/2 form the boundary phase.  A cell list of about one seed
 * per cell and ring-by-ring search keep it O(voxels). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "micro_gen.h"
#include "rng.h"

#define PI 3.14159265358979323846

typedef struct {
    int n[3], nc[3];
    double cs[3], cs_min;
    int32_t nseed;
    double *pos;            /* 3 per seed, voxel units */
    int32_t *start, *list;  /* seeds of cell c: list[start[c] .. start[c+1]) */
} cells;

int32_t lihop_poly_grain_count(const lihop_poly_cfg *p, const int n[3], double voxel_m)
{
    if (p->ngrains > 0)
        return p->ngrains;
    double h = voxel_m, vol = (double)n[0] * n[1] * n[2] * h * h * h;
    double d = p->grain_size_m, g = vol / (PI / 6.0 * d * d * d);
    if (!(g < 2e9))
        return INT32_MAX;
    int32_t k = (int32_t)llround(g);
    return k < 1 ? 1 : k;
}

static double min_image(double d, int n)
{
    return d - n * floor(d / n + 0.5);
}

static lihop_status cells_build(cells *c, const int n[3], int32_t nseed, uint64_t seed, lihop_err *err)
{
    memset(c, 0, sizeof *c);
    memcpy(c->n, n, sizeof c->n);
    c->nseed = nseed;
    double spacing = cbrt((double)n[0] * n[1] * n[2] / nseed);
    int ncell = 1;
    c->cs_min = INFINITY;
    for (int a = 0; a < 3; ++a) {
        c->nc[a] = (int)(n[a] / spacing);
        c->nc[a] = c->nc[a] < 1 ? 1 : c->nc[a] > 1024 ? 1024 : c->nc[a];
        c->cs[a] = (double)n[a] / c->nc[a];
        c->cs_min = fmin(c->cs_min, c->cs[a]);
        ncell *= c->nc[a];
    }
    c->pos = malloc((size_t)nseed * 3 * sizeof *c->pos);
    c->start = calloc((size_t)ncell + 1, sizeof *c->start);
    c->list = malloc((size_t)nseed * sizeof *c->list);
    int32_t *cell_of = malloc((size_t)nseed * sizeof *cell_of);
    if (!c->pos || !c->start || !c->list || !cell_of) {
        free(cell_of);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %d Voronoi seeds", (int)nseed);
    }
    for (int32_t s = 0; s < nseed; ++s) {
        lihop_u32x4 u = lihop_philox_host(seed, MICRO_STREAM_VORONOI, (uint64_t)s);
        int ci[3];
        for (int a = 0; a < 3; ++a) {
            c->pos[3 * s + a] = lihop_u01_32(u.v[a]) * n[a];
            ci[a] = (int)(c->pos[3 * s + a] / c->cs[a]);
            ci[a] = ci[a] >= c->nc[a] ? c->nc[a] - 1 : ci[a];
        }
        cell_of[s] = ci[0] + c->nc[0] * (ci[1] + c->nc[1] * ci[2]);
        c->start[cell_of[s] + 1]++;
    }
    for (int k = 0; k < ncell; ++k) c->start[k + 1] += c->start[k];
    int32_t *fillp = malloc((size_t)ncell * sizeof *fillp);
    if (!fillp) {
        free(cell_of);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the Voronoi cell list");
    }
    memcpy(fillp, c->start, (size_t)ncell * sizeof *fillp);
    for (int32_t s = 0; s < nseed; ++s) c->list[fillp[cell_of[s]]++] = s;   /* seed order within a cell */
    free(fillp);
    free(cell_of);
    return LIHOP_OK;
}

static void cells_free(cells *c)
{
    free(c->pos);
    free(c->start);
    free(c->list);
}

/* Search state of one voxel: the ring visitor calls visit() on every seed. */
typedef struct {
    const cells *c;
    double p[3];
    int32_t best;       /* nearest seed */
    double d1sq;
    double v1[3];       /* p - s_best, minimum image */
    double m1, m2;      /* two smallest facet-plane distances */
    int phase;          /* 1: find the nearest, 2: margins */
} probe;

static void visit(probe *q, int32_t s)
{
    const cells *c = q->c;
    double v[3], d2 = 0.0;
    for (int a = 0; a < 3; ++a) {
        v[a] = min_image(q->p[a] - c->pos[3 * s + a], c->n[a]);
        d2 += v[a] * v[a];
    }
    if (q->phase == 1) {
        /* ties to the lower index, so the result does not depend on visiting order */
        if (d2 < q->d1sq || (d2 == q->d1sq && s < q->best)) {
            q->d1sq = d2;
            q->best = s;
            memcpy(q->v1, v, sizeof v);
        }
        return;
    }
    if (s == q->best) return;
    double w2 = 0.0;
    for (int a = 0; a < 3; ++a) w2 += (q->v1[a] - v[a]) * (q->v1[a] - v[a]);
    if (!(w2 > 0.0)) return;     /* a coincident seed: no facet between them */
    double m = (d2 - q->d1sq) / (2.0 * sqrt(w2));
    if (m < q->m1) {
        q->m2 = q->m1;
        q->m1 = m;
    } else if (m < q->m2) {
        q->m2 = m;
    }
}

/* Visit the cells of Chebyshev ring k around cell ci (offsets clamped so that
 * no wrapped cell comes twice); returns 0 once the rings cover every cell. */
static int ring(probe *q, const int ci[3], int k)
{
    const cells *c = q->c;
    int lo[3], hi[3], more = 0;
    for (int a = 0; a < 3; ++a) {
        lo[a] = -(k < (c->nc[a] - 1) / 2 ? k : (c->nc[a] - 1) / 2);
        hi[a] = k < c->nc[a] / 2 ? k : c->nc[a] / 2;
        more |= k < c->nc[a] / 2 || k < (c->nc[a] - 1) / 2;
    }
    for (int dz = lo[2]; dz <= hi[2]; ++dz)
        for (int dy = lo[1]; dy <= hi[1]; ++dy)
            for (int dx = lo[0]; dx <= hi[0]; ++dx) {
                if (abs(dx) != k && abs(dy) != k && abs(dz) != k) continue;
                int x = (ci[0] + dx + c->nc[0]) % c->nc[0], y = (ci[1] + dy + c->nc[1]) % c->nc[1];
                int z = (ci[2] + dz + c->nc[2]) % c->nc[2];
                int cell = x + c->nc[0] * (y + c->nc[1] * z);
                for (int32_t i = c->start[cell]; i < c->start[cell + 1]; ++i) visit(q, c->list[i]);
            }
    return more;
}

/* Nearest seed, then the facet margins, for the voxel centre q->p. */
static void probe_voxel(probe *q, int want2)
{
    const cells *c = q->c;
    int ci[3];
    for (int a = 0; a < 3; ++a) {
        ci[a] = (int)(q->p[a] / c->cs[a]);
        ci[a] = ci[a] >= c->nc[a] ? c->nc[a] - 1 : ci[a];
    }
    q->phase = 1;
    q->d1sq = INFINITY;
    q->best = -1;
    /* after ring k every unvisited seed is at least k * cs_min away */
    for (int k = 0;; ++k) {
        int more = ring(q, ci, k);
        if (!more || k * c->cs_min > sqrt(q->d1sq)) break;
    }
    q->phase = 2;
    q->m1 = q->m2 = INFINITY;
    double d1 = sqrt(q->d1sq);
    /* margin_j >= (d_j - d_1)/2, so seeds beyond d_1 + 2 m cannot lower m */
    for (int k = 0;; ++k) {
        int more = ring(q, ci, k);
        double m = want2 ? q->m2 : q->m1;
        if (!more || k * c->cs_min > d1 + 2.0 * m) break;
    }
}

void lihop_voronoi_free(lihop_voronoi_field *f)
{
    free(f->nearest);
    free(f->margin1);
    free(f->margin2);
    memset(f, 0, sizeof *f);
}

lihop_status lihop_voronoi_compute(const int n[3], int32_t ngrains, uint64_t seed, int want2,
                                   lihop_voronoi_field *f, lihop_err *err)
{
    memset(f, 0, sizeof *f);
    int64_t nvox = (int64_t)n[0] * n[1] * n[2];
    if (ngrains < 1 || ngrains > nvox)
        return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: %d grains in a box of %lld voxels (expected 1 to "
                          "the voxel count)", (int)ngrains, (long long)nvox);
    cells c;
    lihop_status st = cells_build(&c, n, ngrains, seed, err);
    f->ngrains = ngrains;
    f->nearest = malloc((size_t)nvox * sizeof *f->nearest);
    f->margin1 = malloc((size_t)nvox * sizeof *f->margin1);
    f->margin2 = want2 ? malloc((size_t)nvox * sizeof *f->margin2) : NULL;
    if (!st && (!f->nearest || !f->margin1 || (want2 && !f->margin2)))
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the Voronoi field of %lld voxels", (long long)nvox);
    if (st) {
        cells_free(&c);
        lihop_voronoi_free(f);
        return st;
    }
    /* every voxel is computed on its own: the result does not depend on the thread count */
#pragma omp parallel for schedule(dynamic, 1)
    for (int z = 0; z < n[2]; ++z) {
        probe q = {.c = &c};
        for (int y = 0; y < n[1]; ++y)
            for (int x = 0; x < n[0]; ++x) {
                int64_t i = x + (int64_t)n[0] * (y + (int64_t)n[1] * z);
                q.p[0] = x + 0.5; q.p[1] = y + 0.5; q.p[2] = z + 0.5;
                probe_voxel(&q, want2);
                f->nearest[i] = q.best;
                f->margin1[i] = (float)fmin(q.m1, 1e30);
                if (want2) f->margin2[i] = (float)fmin(q.m2, 1e30);
            }
    }
    cells_free(&c);
    return LIHOP_OK;
}

lihop_status lihop_gen_voronoi(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    const lihop_poly_cfg *p = &cfg->poly;
    lihop_voronoi_field f;
    int32_t ng = lihop_poly_grain_count(p, m->n, m->voxel_m);
    lihop_status st = lihop_voronoi_compute(m->n, ng, cfg->seed, 0, &f, err);
    if (st) return st;
    int64_t nvox = lihop_micro_nvox(m);
    double half_t = 0.5 * p->gb_thickness_m / m->voxel_m;   /* voxels */
    int gb = p->boundary_phase >= 0 && p->gb_thickness_m > 0.0;
    for (int64_t i = 0; i < nvox; ++i) {
        if (gb && f.margin1[i] <= half_t) {
            m->phase[i] = (uint8_t)p->boundary_phase;
            f.nearest[i] = -1;
        } else {
            m->phase[i] = (uint8_t)p->grain_phase;
        }
    }
    m->grain = f.nearest;       /* handed over: the ids are the grain ids */
    m->ngrains = f.ngrains;
    f.nearest = NULL;
    lihop_voronoi_free(&f);
    return lihop_grain_tidy(m, gb ? p->boundary_phase : -1, err);
}

/* Face neighbours of voxel i (periodic). */
void lihop_voxel_neighbours(const int n[3], int64_t i, int64_t nb[6])
{
    int64_t x = i % n[0], y = (i / n[0]) % n[1], z = i / ((int64_t)n[0] * n[1]);
    int64_t sx = n[0], sxy = (int64_t)n[0] * n[1];
    nb[0] = i - x + (x + 1) % n[0];
    nb[1] = i - x + (x + n[0] - 1) % n[0];
    nb[2] = i + ((y + 1) % n[1] - y) * sx;
    nb[3] = i + ((y + n[1] - 1) % n[1] - y) * sx;
    nb[4] = i + ((z + 1) % n[2] - z) * sxy;
    nb[5] = i + ((z + n[2] - 1) % n[2] - z) * sxy;
}

/* A voxelised convex cell can leave a voxel or two joined to its grain only
 * by an edge or a corner.  Keep each grain's largest 6-connected piece; the
 * rest become boundary (when there is a boundary phase) or join a grain they
 * touch, so every grain id is one connected grain. */
lihop_status lihop_grain_tidy(lihop_micro *m, int boundary_phase, lihop_err *err)
{
    int64_t nvox = lihop_micro_nvox(m);
    int32_t *comp = malloc((size_t)nvox * sizeof *comp);
    int64_t *stack = malloc((size_t)nvox * sizeof *stack), *csize = NULL, *best = NULL;
    csize = malloc((size_t)nvox * sizeof *csize);
    best = calloc((size_t)m->ngrains, sizeof *best);
    if (!comp || !stack || !csize || !best) {
        free(comp); free(stack); free(csize); free(best);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory labelling grains");
    }
    for (int64_t i = 0; i < nvox; ++i) comp[i] = -1;
    int32_t nc = 0;
    for (int64_t s = 0; s < nvox; ++s) {
        if (comp[s] >= 0 || m->grain[s] < 0) continue;
        int64_t top = 0, size = 0;
        stack[top++] = s;
        comp[s] = nc;
        while (top) {
            int64_t i = stack[--top], nb[6];
            ++size;
            lihop_voxel_neighbours(m->n, i, nb);
            for (int k = 0; k < 6; ++k)
                if (comp[nb[k]] < 0 && m->grain[nb[k]] == m->grain[s]) {
                    comp[nb[k]] = nc;
                    stack[top++] = nb[k];
                }
        }
        csize[nc] = size;
        int32_t g = m->grain[s];
        if (size > best[g]) best[g] = size;   /* ties: both kept, none is a sliver */
        ++nc;
    }
    for (int64_t i = 0; i < nvox; ++i) {
        int32_t g = m->grain[i];
        if (g < 0 || csize[comp[i]] >= best[g]) continue;
        if (boundary_phase >= 0) {
            m->phase[i] = (uint8_t)boundary_phase;
            m->grain[i] = -1;
            continue;
        }
        int64_t nb[6];
        lihop_voxel_neighbours(m->n, i, nb);
        for (int k = 0; k < 6; ++k)
            if (m->grain[nb[k]] >= 0 && m->grain[nb[k]] != g) {
                m->grain[i] = m->grain[nb[k]];
                break;
            }
    }
    free(comp); free(stack); free(csize); free(best);
    return LIHOP_OK;
}
