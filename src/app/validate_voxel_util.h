/* validate_voxel_util.h - what the voxel checks share (validate_voxel.c,
 * validate_exact.c): a code-built one-species config, one point run on the
 * CPU, and a result row with its tolerance. */
#ifndef LIHOP_VALIDATE_VOXEL_UTIL_H
#define LIHOP_VALIDATE_VOXEL_UTIL_H

#include "validate.h"
#include "voxel.h"

/* One species (li, +1), phases given by (concentration, D) pairs, constant
 * laws, a 32^3 grid of 1 nm voxels at 300 K; conc <= 0 leaves a phase empty. */
void lihop_vcheck_base_config(lihop_config *c, int nphases, const double *conc_m3, const double *D_m2_s);

/* Generate cfg's microstructure and run one point at T on the CPU; frac
 * (optional) receives the phase fractions. */
lihop_status lihop_vcheck_run_one(const lihop_config *cfg, double T, int threads, lihop_point_result *res,
                                  double frac[LIHOP_MAX_PHASES], lihop_err *err);

#endif
