/* micro_gen.h - the polycrystal, PIC, stack and crystallinity generators
 * (issue 10, group A), called from lihop_micro_build (micro.c). */
#ifndef LIHOP_MICRO_GEN_H
#define LIHOP_MICRO_GEN_H

#include "micro.h"

/* Generator streams (micro.c uses 0xF0000001/2): subsequence per purpose. */
#define MICRO_STREAM_VORONOI 0xF0000010ull
#define MICRO_STREAM_CRYSTAL 0xF0000011ull

/* Per-voxel geometry of a periodic Voronoi tessellation of the box. */
typedef struct {
    int32_t ngrains;
    int32_t *nearest;   /* seed (grain) nearest to each voxel centre, minimum image */
    float *margin1;     /* distance to the nearest facet plane of that grain's cell, voxels */
    float *margin2;     /* distance to the second-nearest facet plane (NULL unless asked) */
} lihop_voronoi_field;

/* Grain count of a polycrystal on an n box of edge voxel_m: `grains`, or box
 * volume / (pi/6 d^3) rounded, at least 1. */
int32_t lihop_poly_grain_count(const lihop_poly_cfg *p, const int n[3], double voxel_m);
/* Seeds from (seed, MICRO_STREAM_VORONOI) and the per-voxel field; margin2 when want2. */
lihop_status lihop_voronoi_compute(const int n[3], int32_t ngrains, uint64_t seed, int want2,
                                   lihop_voronoi_field *f, lihop_err *err);
void lihop_voronoi_free(lihop_voronoi_field *f);

/* The 6 face neighbours of voxel i of an n box (periodic). */
void lihop_voxel_neighbours(const int n[3], int64_t i, int64_t nb[6]);
/* Keep each grain's largest 6-connected piece; stray pieces become
 * boundary_phase (>= 0) or join a grain they touch. */
lihop_status lihop_grain_tidy(lihop_micro *m, int boundary_phase, lihop_err *err);

lihop_status lihop_gen_voronoi(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err);
lihop_status lihop_gen_pic(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err);
lihop_status lihop_gen_stack(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err);

/* The crystalline fraction of the polymer at temperature T and filler fraction phi. */
double lihop_cryst_fraction(const lihop_cryst_cfg *c, double T_K, double phi);
/* Turn polymer voxels of m into the crystalline phase as balls (cfg->cryst). */
lihop_status lihop_micro_crystallize(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err);

#endif
