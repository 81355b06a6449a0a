/* results_open.h - open a lihop results file read-only for an export (io layer,
 * internal: include <hdf5.h> first). One check for every reader: an HDF5
 * file with /metadata lihop_version, not a `lihop micro` or `lihop lattice -o`
 * file (those carry /metadata file_kind, provenance.h). */
#ifndef LIHOP_RESULTS_OPEN_H
#define LIHOP_RESULTS_OPEN_H

#include "status.h"

typedef struct {
    char status[32];    /* /metadata status ("complete", "interrupted", ...; "" if absent) */
    char model[16];     /* /metadata model ("voxel", "garnet"; "" if absent) */
} lihop_results_id;

/* *f: the open file (closed again and H5I_INVALID_HID on failure). */
lihop_status lihop_results_open_ro(const char *path, hid_t *f, lihop_results_id *id, lihop_err *err);

#endif
