/* export_csv.h - the /summary table of a results file (h5out.h) as CSV, for
 * spreadsheets, pandas and gnuplot (`lihop export csv`).
 *
 * One header line of column names with their units in brackets
 * ("sigma_S_m [S/m]", from the dataset's `units` attribute), then one line per
 * /summary row.  Floating-point values are written with 17 significant digits
 * (they read back bit-identical), NaN as "nan", infinities as "inf"/"-inf";
 * integer columns as integers.  The io layer never prints: failures come back
 * as a status and a message naming the file. */
#ifndef LIHOP_EXPORT_CSV_H
#define LIHOP_EXPORT_CSV_H

#include <stdio.h>
#include "status.h"

typedef struct {
    char status[32];    /* /metadata status ("complete", "interrupted", ...; "" if absent) */
    long long nrows;    /* rows written */
    int ncols;          /* columns written */
} lihop_csv_info;

/* Write h5_path's /summary to out (out_label names it in messages).
 * LIHOP_ERR_IO: h5_path cannot be opened or read, or out cannot be written;
 * LIHOP_ERR_INPUT: not an HDF5 file, not a lihop results file, no /summary. */
lihop_status lihop_export_csv(const char *h5_path, FILE *out, const char *out_label, lihop_csv_info *info,
                              lihop_err *err);

#endif
