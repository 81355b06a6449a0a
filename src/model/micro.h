/* micro.h - voxel microstructures: a periodic grid of phase ids. */
#ifndef LIHOP_MICRO_H
#define LIHOP_MICRO_H

#include <stdint.h>
#include "config.h"

typedef struct {
    int n[3];               /* voxels along x, y, z */
    double voxel_m;         /* voxel edge, m */
    int nphases;
    uint8_t *phase;         /* phase id per voxel, index x + n[0]*(y + n[1]*z) */
    int32_t *grain;         /* grain id per voxel (polycrystal generators; -1: not in a grain),
                             * or NULL when the generator makes no grains */
    int32_t ngrains;
} lihop_micro;

/* Generate the microstructure described by cfg (generator, seed); every
 * generator but hdf5, which is a file read by lihop_micro_load (micro_h5.h). */
lihop_status lihop_micro_build(const lihop_micro_cfg *cfg, int nphases, lihop_micro **out, lihop_err *err);
/* Empty grid (all phase 0) of the given size. */
lihop_status lihop_micro_create(const int n[3], double voxel_m, int nphases,
                                lihop_micro **out, lihop_err *err);
void lihop_micro_destroy(lihop_micro *m);

static inline int64_t lihop_micro_nvox(const lihop_micro *m)
{
    return (int64_t)m->n[0] * m->n[1] * m->n[2];
}

/* Volume fraction of each phase (frac[p], p < nphases). */
void lihop_micro_fractions(const lihop_micro *m, double frac[LIHOP_MAX_PHASES]);

/* Achieved fractions of a built microstructure (micro_shells.c), for printing
 * and storing next to the results (README "Composite generators"). */
typedef struct {
    int nphases;
    double volume_fraction[LIHOP_MAX_PHASES];   /* voxel count / all voxels, per phase */
    double weight_fraction[LIHOP_MAX_PHASES];   /* phi_p rho_p / sum_q phi_q rho_q; NaN unless has_weight */
    int has_weight;                             /* 1: every phase present has density_g_cm3 */
    int filler_phase;                           /* -1: the generator has no filler target */
    int interphase_phase;                       /* -1: no interphase shell */
    double target_volume_fraction;              /* the filler's target (volume_fraction, or converted
                                                 * from weight_fraction); NaN without a filler */
    double target_weight_fraction;              /* the same by weight (filler and matrix only, before
                                                 * any shell); NaN without both densities */
} lihop_micro_report;
lihop_status lihop_micro_fraction_report(const lihop_micro *m, const lihop_micro_cfg *cfg, lihop_micro_report *out,
                                         lihop_err *err);

#endif
