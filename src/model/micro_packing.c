/* micro_packing.c - hard spheres in the periodic box, in continuous
 * coordinates (voxel units): the radii, random sequential addition (stalls
 * near 0.38 for equal spheres), and a dense packing by force-biased collective
 * rearrangement (after Moscinski & Bargiel 1989 / Jodrey & Tory 1985): all
 * spheres start at random positions at their final size, slightly inflated,
 * and every sweep moves each sphere by the sum of the pushes of the spheres
 * it overlaps, until no two true spheres overlap.  Rearranging everything at
 * once, rather than inserting one sphere at a time, is what lets it pass 0.6. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "micro_gen_b.h"
#include "rng.h"

#define PI 3.14159265358979323846
#define RSA_ATTEMPTS_PER_SPHERE 20000
/* Relaxation radii are (1 + INFLATE) x the true radii, so overlaps of the
 * inflated spheres that shrink geometrically end as exact non-overlap. */
#define INFLATE 0.005
#define PUSH 0.9                    /* fraction of the summed push applied per sweep */
#define MAX_SWEEPS 50000            /* 0.62 takes ~8000 for equal spheres; 0.63 did not converge in 2e5 */

lihop_status lihop_sphere_set_init(lihop_sphere_set *s, const int n[3], int cap, lihop_err *err)
{
    memset(s, 0, sizeof *s);
    s->x = malloc((size_t)cap * 3 * sizeof *s->x);
    s->r = malloc((size_t)cap * sizeof *s->r);
    if (!s->x || !s->r) {
        lihop_sphere_set_free(s);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %d spheres", cap);
    }
    s->cap = cap;
    for (int a = 0; a < 3; ++a) s->L[a] = n[a];
    return LIHOP_OK;
}

void lihop_sphere_set_free(lihop_sphere_set *s)
{
    free(s->x);
    free(s->r);
    s->x = s->r = NULL;
    s->n = s->cap = 0;
}

static lihop_status push_radius(lihop_sphere_set *s, double r, lihop_err *err)
{
    if (s->n == s->cap) {
        int cap = 2 * s->cap;
        double *x = realloc(s->x, (size_t)cap * 3 * sizeof *x);
        if (x) s->x = x;
        double *rr = x ? realloc(s->r, (size_t)cap * sizeof *rr) : NULL;
        if (!rr) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %d spheres", cap);
        s->r = rr;
        s->cap = cap;
    }
    s->r[s->n++] = r;
    return LIHOP_OK;
}

static double sphere_vol(double r) { return 4.0 / 3.0 * PI * r * r * r; }

lihop_status lihop_hard_sphere_radii(const lihop_micro_cfg *cfg, lihop_sphere_set *s, lihop_err *err)
{
    double V = s->L[0] * s->L[1] * s->L[2], target = cfg->volume_fraction * V, sum = 0.0;
    double rmax = 0.5 * fmin(s->L[0], fmin(s->L[1], s->L[2]));
    s->n = 0;
    while (sum < target) {
        double r = lihop_lognormal_radius(cfg->seed, (uint64_t)s->n, cfg->radius_voxels, cfg->radius_sigma, rmax);
        if (r < 0.0)
            return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: 1000 log-normal radii in a row exceeded half "
                              "the box (%g voxels); lower radius_sigma or radius, or enlarge the box", rmax);
        lihop_status st = push_radius(s, r, err);
        if (st) return st;
        sum += sphere_vol(r);
    }
    if (s->n > 1 && fabs(sum - sphere_vol(s->r[s->n - 1]) - target) < fabs(sum - target))
        sum -= sphere_vol(s->r[--s->n]);
    /* one common factor (within a fraction of the last sphere's volume of 1) makes the volume exact */
    double scale = s->n ? cbrt(target / sum) : 1.0;
    for (int i = 0; i < s->n; ++i) {
        s->r[i] *= scale;
        if (s->r[i] > rmax)
            return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: %d hard sphere(s) of radius %g voxels cannot "
                              "fill %.4f of the box without touching their own periodic images; enlarge the box",
                              s->n, s->r[i], cfg->volume_fraction);
    }
    return LIHOP_OK;
}

static double min_image(double d, double L) { return d - L * floor(d / L + 0.5); }

static double dist2(const lihop_sphere_set *s, int i, const double *y, double d[3])
{
    double q = 0.0;
    for (int a = 0; a < 3; ++a) {
        d[a] = min_image(s->x[3 * i + a] - y[a], s->L[a]);
        q += d[a] * d[a];
    }
    return q;
}

double lihop_sphere_set_min_gap(const lihop_sphere_set *s)
{
    double gap = INFINITY, d[3];
    for (int i = 0; i < s->n; ++i)
        for (int j = i + 1; j < s->n; ++j)
            gap = fmin(gap, sqrt(dist2(s, i, s->x + 3 * j, d)) - s->r[i] - s->r[j]);
    return gap;
}

/* ---- cell list: cells at least `size` wide; an axis with fewer than 3 cells
 * is searched whole, so no pair is seen twice ---------------------------------- */
typedef struct {
    int nc[3];
    int *head, *next;
} cells;

static lihop_status cells_init(cells *c, const lihop_sphere_set *s, double size, int cap, lihop_err *err)
{
    int64_t total = 1;
    for (int a = 0; a < 3; ++a) {
        c->nc[a] = (int)fmax(1.0, fmin(floor(s->L[a] / size), 256.0));
        total *= c->nc[a];
    }
    c->head = malloc((size_t)total * sizeof *c->head);
    c->next = malloc((size_t)cap * sizeof *c->next);
    if (!c->head || !c->next) {
        free(c->head);
        free(c->next);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the sphere cell list");
    }
    memset(c->head, 0xff, (size_t)total * sizeof *c->head);
    return LIHOP_OK;
}

static void cells_free(cells *c)
{
    free(c->head);
    free(c->next);
}

static void cell_of(const cells *c, const lihop_sphere_set *s, const double *x, int k[3])
{
    for (int a = 0; a < 3; ++a) {
        k[a] = (int)(x[a] / s->L[a] * c->nc[a]);
        k[a] = k[a] < 0 ? 0 : (k[a] >= c->nc[a] ? c->nc[a] - 1 : k[a]);
    }
}

static int cell_index(const cells *c, const int k[3]) { return k[0] + c->nc[0] * (k[1] + c->nc[1] * k[2]); }

static void cells_insert(cells *c, const lihop_sphere_set *s, int i)
{
    int k[3];
    cell_of(c, s, s->x + 3 * i, k);
    int ci = cell_index(c, k);
    c->next[i] = c->head[ci];
    c->head[ci] = i;
}

/* The cells to search around k along axis a: k-1..k+1, or all of them. */
static int cell_range(const cells *c, int a, int k, int out[3])
{
    if (c->nc[a] < 3) {
        for (int j = 0; j < c->nc[a]; ++j) out[j] = j;
        return c->nc[a];
    }
    for (int j = 0; j < 3; ++j) out[j] = (k + j - 1 + c->nc[a]) % c->nc[a];
    return 3;
}

/* 1 if a sphere of radius r at y overlaps one already in the cells. */
static int clashes(const cells *c, const lihop_sphere_set *s, const double *y, double r)
{
    int k[3], rx[3], ry[3], rz[3];
    cell_of(c, s, y, k);
    int nx = cell_range(c, 0, k[0], rx), ny = cell_range(c, 1, k[1], ry), nz = cell_range(c, 2, k[2], rz);
    double d[3];
    for (int a = 0; a < nz; ++a)
        for (int b = 0; b < ny; ++b)
            for (int e = 0; e < nx; ++e)
                for (int j = c->head[cell_index(c, (int[3]){rx[e], ry[b], rz[a]})]; j >= 0; j = c->next[j]) {
                    double q = dist2(s, j, y, d), sum = s->r[j] + r;
                    if (q < sum * sum) return 1;
                }
    return 0;
}

static double max_radius(const lihop_sphere_set *s)
{
    double r = 0.0;
    for (int i = 0; i < s->n; ++i) r = fmax(r, s->r[i]);
    return r;
}

static int larger_first(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Largest spheres first: drawn in random order, a large sphere arriving late
 * finds no hole long before the small ones jam (the usual order for
 * polydisperse RSA; for equal spheres it changes nothing). */
lihop_status lihop_pack_rsa(lihop_sphere_set *s, uint64_t seed, lihop_err *err)
{
    qsort(s->r, (size_t)s->n, sizeof *s->r, larger_first);
    cells c;
    lihop_status st = cells_init(&c, s, 2.0 * max_radius(s), s->n > 0 ? s->n : 1, err);
    if (st) return st;
    uint64_t attempt = 0;
    for (int i = 0; i < s->n; ++i) {
        uint64_t tries = 0;
        double *y = s->x + 3 * i;
        do {
            if (tries++ == RSA_ATTEMPTS_PER_SPHERE) {
                double placed = 0.0, V = s->L[0] * s->L[1] * s->L[2];
                for (int j = 0; j < i; ++j) placed += sphere_vol(s->r[j]);
                cells_free(&c);
                return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: random sequential addition stalled after "
                                  "%d of %d hard spheres (volume fraction %.4f; it jams near 0.38 for equal "
                                  "spheres); use packing: dense or a lower volume_fraction", i, s->n, placed / V);
            }
            lihop_u32x4 u = lihop_philox_host(seed, MICRO_B_STREAM_PLACE, attempt++);
            for (int a = 0; a < 3; ++a) y[a] = lihop_u01_32(u.v[a]) * s->L[a];
        } while (clashes(&c, s, y, s->r[i]));
        cells_insert(&c, s, i);
    }
    cells_free(&c);
    return LIHOP_OK;
}

/* One relaxation sweep: disp gets each sphere's summed push from the
 * inflated spheres it overlaps (split so the smaller one moves more); returns
 * how many pairs of true spheres overlap. */
static int64_t relax_sweep(const lihop_sphere_set *s, const cells *c, double *disp)
{
    int64_t nover = 0;
    memset(disp, 0, (size_t)s->n * 3 * sizeof *disp);
    for (int i = 0; i < s->n; ++i) {
        int k[3], rx[3], ry[3], rz[3];
        cell_of(c, s, s->x + 3 * i, k);
        int nx = cell_range(c, 0, k[0], rx), ny = cell_range(c, 1, k[1], ry), nz = cell_range(c, 2, k[2], rz);
        for (int a = 0; a < nz; ++a)
            for (int b = 0; b < ny; ++b)
                for (int e = 0; e < nx; ++e)
                    for (int j = c->head[cell_index(c, (int[3]){rx[e], ry[b], rz[a]})]; j >= 0; j = c->next[j]) {
                        if (j <= i) continue;
                        double d[3], q = dist2(s, i, s->x + 3 * j, d), sum = s->r[i] + s->r[j];
                        double reach = sum * (1.0 + INFLATE);
                        if (q >= reach * reach) continue;
                        nover += q < sum * sum;
                        double dist = sqrt(q);
                        if (dist < 1e-12) {     /* coincident centres: push along x */
                            d[0] = 1.0; d[1] = d[2] = 0.0;
                            dist = 1.0, q = 0.0;
                        }
                        double push = (reach - sqrt(q)) / dist;
                        double ri3 = s->r[i] * s->r[i] * s->r[i], rj3 = s->r[j] * s->r[j] * s->r[j];
                        double wi = rj3 / (ri3 + rj3);
                        for (int t = 0; t < 3; ++t) {
                            disp[3 * i + t] += push * wi * d[t];
                            disp[3 * j + t] -= push * (1.0 - wi) * d[t];
                        }
                    }
    }
    return nover;
}

static void cells_fill(cells *c, const lihop_sphere_set *s)
{
    memset(c->head, 0xff, (size_t)c->nc[0] * c->nc[1] * c->nc[2] * sizeof *c->head);
    for (int i = 0; i < s->n; ++i) cells_insert(c, s, i);
}

lihop_status lihop_pack_dense(lihop_sphere_set *s, uint64_t seed, int *sweeps, lihop_err *err)
{
    if (sweeps) *sweeps = 0;
    for (int i = 0; i < s->n; ++i) {
        lihop_u32x4 u = lihop_philox_host(seed, MICRO_B_STREAM_PACK, (uint64_t)i);
        for (int a = 0; a < 3; ++a) s->x[3 * i + a] = lihop_u01_32(u.v[a]) * s->L[a];
    }
    cells c;
    lihop_status st = cells_init(&c, s, 2.0 * max_radius(s) * (1.0 + INFLATE), s->n > 0 ? s->n : 1, err);
    if (st) return st;
    double *disp = malloc((size_t)(s->n > 0 ? s->n : 1) * 3 * sizeof *disp);
    if (!disp) {
        cells_free(&c);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the dense packing");
    }
    int64_t nover = 1;
    int sweep;
    for (sweep = 0; sweep < MAX_SWEEPS; ++sweep) {
        cells_fill(&c, s);
        if ((nover = relax_sweep(s, &c, disp)) == 0) break;
        for (int i = 0; i < 3 * s->n; ++i) {
            double L = s->L[i % 3], x = s->x[i] + PUSH * disp[i];
            s->x[i] = x - L * floor(x / L);
        }
    }
    free(disp);
    cells_free(&c);
    if (sweeps) *sweeps = sweep;
    if (nover) {
        double V = s->L[0] * s->L[1] * s->L[2], vol = 0.0;
        for (int i = 0; i < s->n; ++i) vol += sphere_vol(s->r[i]);
        return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure: the dense packing of %d spheres at volume fraction "
                          "%.4f still had %lld overlapping pairs after %d sweeps (random packings of equal spheres "
                          "jam near 0.64); lower volume_fraction", s->n, vol / V, (long long)nover, MAX_SWEEPS);
    }
    return LIHOP_OK;
}
