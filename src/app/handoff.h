/* handoff.h - `lihop handoff`: the voxel phase and interface YAML blocks that
 * phases[].from_garnet and interfaces[].from_garnet derive from garnet results
 * (config_handoff.h does the fits; this file only formats them). */
#ifndef LIHOP_HANDOFF_H
#define LIHOP_HANDOFF_H

#include <stdio.h>
#include "status.h"

/* Write the blocks for bulk results (and bicrystal results, NULL: none) to out.
 * Statuses of lihop_garnet_table_read and the fits; nothing is written to out
 * when the inputs fail. */
lihop_status lihop_handoff_yaml(FILE *out, const char *bulk_path, const char *bicrystal_path, lihop_err *err);

#endif
