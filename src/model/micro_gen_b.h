/* micro_gen_b.h - composite generators, group B (README "Composite
 * generators"): log-normal spheres (overlapping, random sequential addition or
 * a dense force-biased packing), fibres, interphase shells.  Private to the
 * model layer; micro.c calls the generators, tests call the pieces. */
#ifndef LIHOP_MICRO_GEN_B_H
#define LIHOP_MICRO_GEN_B_H

#include <stdint.h>
#include "micro.h"

/* Philox subsequences of the microstructure seed.  micro.c uses 0xF0000001-2;
 * these stay in 0xF0000Bxx, and the radii in their own high words, so none
 * collides with the walker streams (0xC... << 32) or the garnet disorder. */
#define MICRO_B_STREAM_PLACE 0xF0000B01ull   /* sphere centres, one block per sphere or attempt */
#define MICRO_B_STREAM_FIBRES 0xF0000B02ull  /* fibre centre and direction, two blocks per fibre */
#define MICRO_B_STREAM_PACK 0xF0000B03ull    /* dense packing: start positions, one block per sphere */
#define MICRO_B_RADIUS_STREAM 0xF0010000ull  /* radius i, redraw k: subsequence (this + k) << 32 | i */
#define MICRO_B_MARK 255                     /* phase id of voxels being painted (phases < 16) */

/* Radius i of the log-normal sequence: median exp(sigma Z), Z standard normal
 * (lihop_normal, bit-identical on every machine); a draw above rmax is redrawn
 * (a truncated log-normal).  sigma 0: the median.  -1 if 1000 redraws fail. */
double lihop_lognormal_radius(uint64_t seed, uint64_t i, double median, double sigma, double rmax);

/* A set of spheres in the periodic box [0, L_a), voxel units. */
typedef struct {
    int n, cap;
    double *x;          /* centres, 3 per sphere */
    double *r;          /* radii */
    double L[3];
} lihop_sphere_set;

lihop_status lihop_sphere_set_init(lihop_sphere_set *s, const int n[3], int cap, lihop_err *err);
void lihop_sphere_set_free(lihop_sphere_set *s);
/* Hard-sphere radii: log-normal draws until their volume is closest to
 * phi V, then all scaled by a common factor so that it is phi V exactly. */
lihop_status lihop_hard_sphere_radii(const lihop_micro_cfg *cfg, lihop_sphere_set *s, lihop_err *err);
/* Place the set's spheres without overlap: random sequential addition, or the
 * force-biased collective rearrangement (micro_packing.c; *sweeps: its
 * relaxation sweeps, may be NULL). */
lihop_status lihop_pack_rsa(lihop_sphere_set *s, uint64_t seed, lihop_err *err);
lihop_status lihop_pack_dense(lihop_sphere_set *s, uint64_t seed, int *sweeps, lihop_err *err);
/* min over pairs of |x_i - x_j| - r_i - r_j (minimum image), O(n^2): for tests. */
double lihop_sphere_set_min_gap(const lihop_sphere_set *s);

/* Painting with undo, so the last object can be trimmed to the target. */
typedef struct {
    int64_t *idx;
    uint8_t *old;
    size_t n, cap;
} lihop_stroke;
/* inside(obj, d) for d = voxel centre - object centre; half[a] bounds |d_a|. */
typedef int (*lihop_inside_fn)(const void *obj, const double d[3]);
lihop_status lihop_stroke_paint(lihop_micro *m, lihop_stroke *s, const double ctr[3], const double half[3],
                                lihop_inside_fn inside, const void *obj, int only_phase, lihop_err *err);
void lihop_stroke_commit(lihop_micro *m, lihop_stroke *s, int phase);
void lihop_stroke_undo(lihop_micro *m, lihop_stroke *s);
void lihop_stroke_free(lihop_stroke *s);
/* Paint shapes shape(k, scale) of `phase` until the phase holds `target`
 * voxels; the last is shrunk (scale in (0, 1], bisection) to the smallest
 * scale that reaches the target.  shape fills ctr, half, obj; returns 0 to
 * stop with an error (too many objects). */
typedef int (*lihop_shape_fn)(const void *ctx, uint64_t k, double scale, double ctr[3], double half[3], void *obj);
lihop_status lihop_paint_until(lihop_micro *m, int phase, int64_t target, lihop_shape_fn shape, const void *ctx,
                               lihop_inside_fn inside, void *obj, lihop_err *err);

/* The generators (lihop_micro_build). */
lihop_status lihop_micro_lognormal(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err);
lihop_status lihop_micro_fibres(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err);
/* Interphase shell: matrix voxels whose centre lies within interphase_voxels
 * of the centre of a filler voxel; nothing when interphase_phase < 0. */
lihop_status lihop_micro_shells(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err);

#endif
