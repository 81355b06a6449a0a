/* garnet_table.h - read the rows of a garnet results file that the
 * garnet-to-voxel hand-off needs (config_handoff.h lihop_garnet_table):
 * /summary T, Li content, sigma and ASR with errors, /points/<k> n_li_m3,
 * and the provenance in /metadata. */
#ifndef LIHOP_GARNET_TABLE_H
#define LIHOP_GARNET_TABLE_H

#include "config_handoff.h"

/* A lihop_garnet_reader_fn (register it with lihop_config_set_garnet_reader).
 * LIHOP_ERR_IO: the file cannot be opened; LIHOP_ERR_INPUT: not HDF5, not a
 * lihop results file, not model garnet, or without the /summary columns. */
lihop_status lihop_garnet_table_read(const char *path, lihop_garnet_table *out, lihop_err *err);

#endif
