/* micro.c - voxel microstructure generators (DESIGN 2.2): uniform, laminate,
 * random spheres (overlapping or hard), random voxels (site percolation) and
 * HDF5 label import (micro_h5.c).  Randomness is Philox keyed by the
 * microstructure seed, so a seed gives the same grid on every machine. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "micro.h"
#include "micro_gen.h"
#include "micro_gen_b.h"
#include "rng.h"

/* Subsequences of the generator streams (the walkers use stream << 32 | walker
 * with stream < 2^31, so these high values never collide). */
#define MICRO_STREAM_SPHERES 0xF0000001ull
#define MICRO_STREAM_VOXELS 0xF0000002ull

lihop_status lihop_micro_create(const int n[3], double voxel_m, int nphases,
                                lihop_micro **out, lihop_err *err)
{
    *out = NULL;
    if (n[0] < 1 || n[1] < 1 || n[2] < 1)
        return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure box must be at least 1 voxel per axis");
    int64_t nvox = (int64_t)n[0] * n[1] * n[2];
    if (nvox > (int64_t)0x7fffffff)
        return lihop_fail(err, LIHOP_ERR_INPUT, "microstructure box of %lld voxels exceeds 2^31-1", (long long)nvox);
    lihop_micro *m = calloc(1, sizeof *m);
    if (!m) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the microstructure");
    m->phase = calloc((size_t)nvox, 1);
    if (!m->phase) {
        free(m);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %lld voxels", (long long)nvox);
    }
    memcpy(m->n, n, sizeof m->n);
    m->voxel_m = voxel_m;
    m->nphases = nphases;
    *out = m;
    return LIHOP_OK;
}

void lihop_micro_destroy(lihop_micro *m)
{
    if (!m) return;
    free(m->phase);
    free(m->grain);
    free(m);
}

void lihop_micro_fractions(const lihop_micro *m, double frac[LIHOP_MAX_PHASES])
{
    int64_t count[256] = {0};
    int64_t nvox = lihop_micro_nvox(m);
    for (int64_t i = 0; i < nvox; ++i) count[m->phase[i]]++;
    for (int p = 0; p < LIHOP_MAX_PHASES; ++p) frac[p] = (double)count[p] / (double)nvox;
}

static void fill(lihop_micro *m, int phase)
{
    memset(m->phase, phase, (size_t)lihop_micro_nvox(m));
}

static void laminate(lihop_micro *m, const lihop_micro_cfg *cfg)
{
    int ax = cfg->axis, n = m->n[ax];
    /* layer l covers [round(F_{l-1} n), round(F_l n)) along the axis */
    int *layer_of = malloc((size_t)n * sizeof *layer_of);
    double cum = 0.0;
    int start = 0;
    for (int l = 0; l < cfg->nlayers; ++l) {
        cum += cfg->layer_fraction[l];
        int end = (l == cfg->nlayers - 1) ? n : (int)lround(cum * n);
        for (int i = start; i < end && i < n; ++i) layer_of[i] = cfg->layer_phase[l];
        if (end > start) start = end;
    }
    for (int z = 0; z < m->n[2]; ++z)
        for (int y = 0; y < m->n[1]; ++y)
            for (int x = 0; x < m->n[0]; ++x) {
                int c[3] = {x, y, z};
                m->phase[x + (int64_t)m->n[0] * (y + (int64_t)m->n[1] * z)] = (uint8_t)layer_of[c[ax]];
            }
    free(layer_of);
}

static int64_t wrap(int64_t v, int n)
{
    v %= n;
    return v < 0 ? v + n : v;
}

/* Paint a sphere of `phase`; returns how many voxels changed to it. */
static int64_t paint_sphere(lihop_micro *m, const double ctr[3], double r, int phase)
{
    int64_t changed = 0;
    int64_t lo[3], hi[3];
    for (int a = 0; a < 3; ++a) {
        lo[a] = (int64_t)floor(ctr[a] - r - 0.5);
        hi[a] = (int64_t)ceil(ctr[a] + r - 0.5);
    }
    for (int64_t z = lo[2]; z <= hi[2]; ++z)
        for (int64_t y = lo[1]; y <= hi[1]; ++y)
            for (int64_t x = lo[0]; x <= hi[0]; ++x) {
                /* voxel (x,y,z) spans [x, x+1): its centre is at x + 0.5 */
                double dx = x + 0.5 - ctr[0], dy = y + 0.5 - ctr[1], dz = z + 0.5 - ctr[2];
                if (dx * dx + dy * dy + dz * dz > r * r) continue;
                int64_t i = wrap(x, m->n[0]) + m->n[0] * (wrap(y, m->n[1]) + m->n[1] * wrap(z, m->n[2]));
                if (m->phase[i] != phase) {
                    m->phase[i] = (uint8_t)phase;
                    ++changed;
                }
            }
    return changed;
}

static double min_image(double d, int n)
{
    return d - n * floor(d / n + 0.5);
}

static lihop_status spheres(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    int nmin = m->n[0] < m->n[1] ? (m->n[0] < m->n[2] ? m->n[0] : m->n[2]) : (m->n[1] < m->n[2] ? m->n[1] : m->n[2]);
    if (2.0 * cfg->radius_voxels > nmin)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "microstructure: sphere diameter %g voxels exceeds the smallest box edge (%d voxels); "
                          "a periodic box must hold at least one sphere", 2.0 * cfg->radius_voxels, nmin);
    fill(m, cfg->matrix_phase);
    int64_t nvox = lihop_micro_nvox(m), target = (int64_t)llround(cfg->volume_fraction * (double)nvox);
    int64_t filled = 0;
    double r = cfg->radius_voxels;
    size_t cap = 1024, ncentre = 0;
    double *centres = malloc(cap * 3 * sizeof *centres);
    if (!centres) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory placing spheres");
    /* Random sequential addition until the voxel fraction reaches the target. */
    const uint64_t max_attempts = 1000000 + (uint64_t)nvox;
    uint64_t attempt = 0;
    while (filled < target) {
        if (attempt >= max_attempts) {
            free(centres);
            return lihop_fail(err, LIHOP_ERR_INPUT,
                              "microstructure: could only place %zu hard spheres of radius %g voxels "
                              "(filler fraction %.4f of the requested %.4f); lower volume_fraction or allow overlap",
                              ncentre, r, (double)filled / (double)nvox, cfg->volume_fraction);
        }
        lihop_u32x4 u = lihop_philox_host(cfg->seed, MICRO_STREAM_SPHERES, attempt++);
        double c[3] = {lihop_u01_32(u.v[0]) * m->n[0], lihop_u01_32(u.v[1]) * m->n[1], lihop_u01_32(u.v[2]) * m->n[2]};
        if (!cfg->overlap) {
            int clash = 0;
            for (size_t s = 0; s < ncentre && !clash; ++s) {
                double d2 = 0.0;
                for (int a = 0; a < 3; ++a) {
                    double d = min_image(c[a] - centres[3 * s + a], m->n[a]);
                    d2 += d * d;
                }
                clash = d2 < 4.0 * r * r;
            }
            if (clash) continue;
        }
        if (ncentre == cap) {
            cap *= 2;
            double *grown = realloc(centres, cap * 3 * sizeof *centres);
            if (!grown) {
                free(centres);
                return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory placing spheres");
            }
            centres = grown;
        }
        memcpy(centres + 3 * ncentre++, c, sizeof c);
        filled += paint_sphere(m, c, r, cfg->filler_phase);
    }
    free(centres);
    return LIHOP_OK;
}

static void random_voxels(lihop_micro *m, const lihop_micro_cfg *cfg)
{
    int64_t nvox = lihop_micro_nvox(m);
    /* one Philox block serves four voxels */
    for (int64_t i = 0; i < nvox; i += 4) {
        lihop_u32x4 u = lihop_philox_host(cfg->seed, MICRO_STREAM_VOXELS, (uint64_t)i / 4);
        for (int j = 0; j < 4 && i + j < nvox; ++j)
            m->phase[i + j] = (uint8_t)(lihop_u01_32(u.v[j]) < cfg->volume_fraction ? cfg->filler_phase : cfg->matrix_phase);
    }
}

lihop_status lihop_micro_build(const lihop_micro_cfg *cfg, int nphases, lihop_micro **out, lihop_err *err)
{
    *out = NULL;
    if (cfg->generator == LIHOP_GEN_HDF5)     /* a file, not a generator: io layer */
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "lihop_micro_build: label files are read by lihop_micro_load");
    lihop_micro *m;
    lihop_status st = lihop_micro_create(cfg->n, cfg->voxel_m, nphases, &m, err);
    if (st) return st;
    switch (cfg->generator) {
    case LIHOP_GEN_UNIFORM: fill(m, cfg->matrix_phase); break;
    case LIHOP_GEN_LAMINATE: laminate(m, cfg); break;
    case LIHOP_GEN_SPHERES: st = spheres(m, cfg, err); break;
    case LIHOP_GEN_RANDOM_VOXELS: random_voxels(m, cfg); break;
    case LIHOP_GEN_VORONOI: st = lihop_gen_voronoi(m, cfg, err); break;
    case LIHOP_GEN_PIC: st = lihop_gen_pic(m, cfg, err); break;
    case LIHOP_GEN_STACK: st = lihop_gen_stack(m, cfg, err); break;
    case LIHOP_GEN_LOGNORMAL_SPHERES: st = lihop_micro_lognormal(m, cfg, err); break;
    case LIHOP_GEN_FIBRES: st = lihop_micro_fibres(m, cfg, err); break;
    default: st = lihop_fail(err, LIHOP_ERR_INTERNAL, "unknown generator %d", (int)cfg->generator);
    }
    if (!st) st = lihop_micro_shells(m, cfg, err);   /* interphase shells: none unless configured */
    /* crystallinity after the shells: a shell voxel is interphase, not polymer */
    if (!st && cfg->cryst.on) st = lihop_micro_crystallize(m, cfg, err);
    if (st) {
        lihop_micro_destroy(m);
        return st;
    }
    *out = m;
    return LIHOP_OK;
}
