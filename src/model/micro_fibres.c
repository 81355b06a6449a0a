/* micro_fibres.c - fibres / nanowires (generator fibres): flat-ended
 * cylinders of one diameter and length at uniform random centres in the
 * periodic box, along one axis or in isotropic directions (cos theta uniform
 * in [-1, 1], azimuth uniform), overlapping, until the filler's voxel fraction
 * reaches the target; the last fibre is shortened to meet it. */
#include <math.h>
#include <string.h>
#include "micro_gen_b.h"
#include "rng.h"

#define PI 3.14159265358979323846

typedef struct {
    double u[3];            /* unit axis */
    double half_len, rad;
} cylinder;

typedef struct {
    const lihop_micro_cfg *cfg;
    const int *n;
    uint64_t max_objects;
} fibre_ctx;

static int inside_cylinder(const void *obj, const double d[3])
{
    const cylinder *c = obj;
    double t = d[0] * c->u[0] + d[1] * c->u[1] + d[2] * c->u[2];
    if (fabs(t) > c->half_len) return 0;
    return d[0] * d[0] + d[1] * d[1] + d[2] * d[2] - t * t <= c->rad * c->rad;
}

/* Fibre k: blocks 2k (centre) and 2k+1 (direction) of the fibre stream; the
 * scale shortens it (the last fibre only). */
static int fibre_shape(const void *vctx, uint64_t k, double scale, double ctr[3], double half[3], void *obj)
{
    const fibre_ctx *f = vctx;
    if (k >= f->max_objects) return 0;
    cylinder *c = obj;
    lihop_u32x4 a = lihop_philox_host(f->cfg->seed, MICRO_B_STREAM_FIBRES, 2 * k);
    for (int i = 0; i < 3; ++i) ctr[i] = lihop_u01_32(a.v[i]) * f->n[i];
    if (f->cfg->fibre_random) {
        lihop_u32x4 b = lihop_philox_host(f->cfg->seed, MICRO_B_STREAM_FIBRES, 2 * k + 1);
        double ct = 2.0 * lihop_u53(b.v[0], b.v[1]) - 1.0, st = sqrt(fmax(0.0, 1.0 - ct * ct));
        double ph = 2.0 * PI * lihop_u53(b.v[2], b.v[3]);
        c->u[0] = st * cos(ph);
        c->u[1] = st * sin(ph);
        c->u[2] = ct;
    } else {
        c->u[0] = c->u[1] = c->u[2] = 0.0;
        c->u[f->cfg->axis] = 1.0;
    }
    c->half_len = 0.5 * scale * f->cfg->fibre_length_voxels;
    c->rad = 0.5 * f->cfg->fibre_diameter_voxels;
    for (int i = 0; i < 3; ++i)
        half[i] = c->half_len * fabs(c->u[i]) + c->rad * sqrt(fmax(0.0, 1.0 - c->u[i] * c->u[i]));
    return 1;
}

lihop_status lihop_micro_fibres(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    int64_t nvox = lihop_micro_nvox(m);
    memset(m->phase, cfg->matrix_phase, (size_t)nvox);
    fibre_ctx f = {cfg, m->n, 10000000ull + (uint64_t)nvox};
    cylinder c;
    return lihop_paint_until(m, cfg->filler_phase, llround(cfg->volume_fraction * (double)nvox), fibre_shape, &f,
                             inside_cylinder, &c, err);
}
