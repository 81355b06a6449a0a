/* validate_garnet_util.h - helpers shared by the garnet physics checks
 * (validate_garnet.c, validate_calib_garnet.c; defined in validate_garnet.c). */
#ifndef LIHOP_VALIDATE_GARNET_UTIL_H
#define LIHOP_VALIDATE_GARNET_UTIL_H

#include <stdint.h>
#include "garnet.h"
#include "lattice.h"
#include "validate.h"

/* lattices/<file> of the source tree, replicated n1 x n2 x n3. */
lihop_status lihop_vg_load_lattice(const char *file, int n1, int n2, int n3, lihop_lattice_spec *spec,
                                   lihop_lattice **lat, lihop_err *err);

/* The checks' common parameters: defaults, nu 1e12 Hz, 300 K, nli Li, nrep
 * replicas, seed 20261125. */
void lihop_vg_params_base(lihop_garnet_params *p, int64_t nli, int64_t nrep);

/* Create the model, run every replica on the CPU and reduce. */
lihop_status lihop_vg_run(const lihop_lattice *lat, const lihop_garnet_params *p, int threads,
                          lihop_garnet_result *r, lihop_err *err);

#endif
