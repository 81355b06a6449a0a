/* sweep_run.h - `lihop run`: the sweep engine of both models (app layer).
 *
 * Walks the points of a deck's sweep (sweep.h), skips those the results file
 * already holds (matched by coordinates, so an extended axis resumes), runs
 * the rest on the chosen backend, writes each finished point (durably, see
 * durable.h) and prints a table row for it; then the derived tables (seed
 * replicates combined, garnet fits).  The app layer prints; the layers below
 * never do. */
#ifndef LIHOP_SWEEP_RUN_H
#define LIHOP_SWEEP_RUN_H

#include <signal.h>
#include "config.h"

typedef struct {
    const char *cfg_label;          /* the deck as named on screen */
    const char *cfg_path;           /* the deck's file, NULL: built in */
    const char *cfg_dir;            /* directory for the deck's relative paths */
    const char *out_path;
    const char *command_line;
    lihop_backend_kind backend;     /* resolved: CPU or CUDA */
    const char *device;             /* its name, for the header and /metadata */
    int threads;                    /* OpenMP threads, 0: default */
    int resume, overwrite;
    volatile sig_atomic_t *interrupt;   /* set by SIGINT/SIGTERM: stop at the next chunk */
} lihop_run_opts;

/* Run cfg's sweep; returns the process exit code (0, 2, 3, 4, 5, 130). */
int lihop_run_sweep(const lihop_config *cfg, const lihop_run_opts *o);

#endif
