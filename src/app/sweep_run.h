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
#include "garnet_point.h"
#include "results.h"

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
    int wide;                       /* 1: every table column (--wide); 0: within 100 columns */
    volatile sig_atomic_t *interrupt;   /* set by SIGINT/SIGTERM: stop at the next chunk */
} lihop_run_opts;

/* Run cfg's sweep; returns the process exit code (0, 2, 3, 4, 5, 130). */
int lihop_run_sweep(const lihop_config *cfg, const lihop_run_opts *o);

/* ---- the pieces of a run that sweep_mpi.c schedules over ranks --------------------
 * A context is one rank's state of the run (sweep, point view, microstructure;
 * on rank 0 the open results file).  Point k is an index of the sweep. */
typedef struct run_ctx lihop_sweep_ctx;

typedef struct {                    /* what one point produced */
    lihop_point_result vox;         /* model voxel: batch arrays owned (lihop_point_result_free) */
    lihop_garnet_point gar;         /* model garnet */
} lihop_point_out;

int lihop_sweep_npoints(const lihop_sweep_ctx *r);
int lihop_sweep_is_garnet(const lihop_sweep_ctx *r);
lihop_err *lihop_sweep_err(lihop_sweep_ctx *r);
int lihop_sweep_interrupted(const lihop_sweep_ctx *r);
/* Rank 0: 1 when point k must run; 0 when the file already holds it (its
 * "skipped" line is printed). */
int lihop_sweep_pending(lihop_sweep_ctx *r, int k);
/* Run point k into out (out->vox's batch arrays: free them in any case). */
lihop_status lihop_sweep_compute(lihop_sweep_ctx *r, int k, lihop_point_out *out);
/* Rank 0: write point k's result (next free id) and print its row. */
lihop_status lihop_sweep_record(lihop_sweep_ctx *r, int k, lihop_point_out *out);

#endif
