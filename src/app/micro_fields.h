/* micro_fields.h - space-charge fields for `lihop micro` (app layer, micro_fields.c). */
#ifndef LIHOP_MICRO_FIELDS_H
#define LIHOP_MICRO_FIELDS_H

#include "config.h"
#include "micro.h"

/* With space-charge layers in cfg: potential_V, space_charge_distance_m (NaN
 * outside every layer) and concentration_<species>_m3 at the deck's first
 * temperature, written into the micro file at path (and its XDMF sidecar). */
lihop_status lihop_micro_write_sc_fields(const lihop_config *cfg, const lihop_micro *m, const char *path,
                                         lihop_err *err);

#endif
