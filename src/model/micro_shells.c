/* micro_shells.c - interphase shells around the filler, and the achieved
 * volume and weight fractions of every phase (lihop_micro_fraction_report).
 *
 * A shell voxel is a matrix voxel whose centre lies within the thickness t of
 * the centre of a filler voxel.  Next to a flat filler face that is floor(t)
 * voxel layers, so the shell's volume is t x area to within a voxel.  Only
 * filler voxels with a non-filler face neighbour need to be searched: the
 * filler voxel nearest a matrix voxel always has one (a step towards the
 * matrix voxel along an axis would otherwise reach a nearer filler voxel). */
#include <math.h>
#include <stdlib.h>
#include "micro_gen_b.h"

static int64_t wrap(int64_t v, int n)
{
    v %= n;
    return v < 0 ? v + n : v;
}

static int64_t at(const lihop_micro *m, int64_t x, int64_t y, int64_t z)
{
    return wrap(x, m->n[0]) + m->n[0] * (wrap(y, m->n[1]) + m->n[1] * wrap(z, m->n[2]));
}

static int on_surface(const lihop_micro *m, int64_t x, int64_t y, int64_t z, int filler)
{
    static const int nb[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    for (int k = 0; k < 6; ++k)
        if (m->phase[at(m, x + nb[k][0], y + nb[k][1], z + nb[k][2])] != filler) return 1;
    return 0;
}

lihop_status lihop_micro_shells(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    /* zero thickness (configs built in code leave it 0): no shell */
    if (cfg->interphase_phase < 0 || !(cfg->interphase_voxels > 0.0)) return LIHOP_OK;
    double t = cfg->interphase_voxels;
    int R = (int)floor(t + 1e-9), side = 2 * R + 1;
    int (*off)[3] = malloc((size_t)side * side * side * sizeof *off);
    if (!off) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the interphase stencil");
    int noff = 0;
    for (int dz = -R; dz <= R; ++dz)
        for (int dy = -R; dy <= R; ++dy)
            for (int dx = -R; dx <= R; ++dx)
                if (dx * dx + dy * dy + dz * dz <= t * t + 1e-9) {
                    off[noff][0] = dx, off[noff][1] = dy, off[noff][2] = dz;
                    ++noff;
                }
    int filler = cfg->filler_phase, matrix = cfg->matrix_phase;
    for (int64_t z = 0; z < m->n[2]; ++z)
        for (int64_t y = 0; y < m->n[1]; ++y)
            for (int64_t x = 0; x < m->n[0]; ++x) {
                if (m->phase[at(m, x, y, z)] != filler || !on_surface(m, x, y, z, filler)) continue;
                for (int k = 0; k < noff; ++k) {
                    int64_t j = at(m, x + off[k][0], y + off[k][1], z + off[k][2]);
                    if (m->phase[j] == matrix) m->phase[j] = (uint8_t)cfg->interphase_phase;
                }
            }
    free(off);
    return LIHOP_OK;
}

lihop_status lihop_micro_fraction_report(const lihop_micro *m, const lihop_micro_cfg *cfg, lihop_micro_report *out,
                                         lihop_err *err)
{
    if (m->nphases < 1 || m->nphases > LIHOP_MAX_PHASES)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "fraction report: %d phases", m->nphases);
    out->nphases = m->nphases;
    lihop_micro_fractions(m, out->volume_fraction);
    double mass = 0.0;
    out->has_weight = 1;
    for (int p = 0; p < m->nphases; ++p) {
        if (out->volume_fraction[p] > 0.0 && !(cfg->density_kg_m3[p] > 0.0)) out->has_weight = 0;
        mass += out->volume_fraction[p] * cfg->density_kg_m3[p];
    }
    for (int p = 0; p < m->nphases; ++p)
        out->weight_fraction[p] = out->has_weight ? out->volume_fraction[p] * cfg->density_kg_m3[p] / mass : NAN;
    out->filler_phase = cfg->filler_phase;
    out->interphase_phase = cfg->interphase_phase;
    out->target_volume_fraction = NAN;
    out->target_weight_fraction = NAN;
    int has_target = cfg->generator == LIHOP_GEN_SPHERES || cfg->generator == LIHOP_GEN_RANDOM_VOXELS ||
                     cfg->generator == LIHOP_GEN_LOGNORMAL_SPHERES || cfg->generator == LIHOP_GEN_FIBRES;
    if (has_target && cfg->filler_phase >= 0) {
        out->target_volume_fraction = cfg->volume_fraction;
        double rf = cfg->density_kg_m3[cfg->filler_phase], rm = cfg->density_kg_m3[cfg->matrix_phase];
        if (rf > 0.0 && rm > 0.0)
            out->target_weight_fraction = lihop_volume_to_weight_fraction(cfg->volume_fraction, rf, rm);
    } else {
        out->filler_phase = -1;
    }
    return LIHOP_OK;
}
