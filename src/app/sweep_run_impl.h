/* sweep_run_impl.h - the state of one rank's run, shared by the sweep engine
 * (sweep_run.c) and its screen output (sweep_report.c); not an API. */
#ifndef LIHOP_SWEEP_RUN_IMPL_H
#define LIHOP_SWEEP_RUN_IMPL_H

#include "garnet_point.h"
#include "h5out.h"
#include "micro.h"
#include "sweep.h"
#include "percolation.h"
#include "sweep_run.h"

typedef struct run_ctx run_ctx;
struct run_ctx {
    const lihop_config *cfg;
    const lihop_run_opts *o;
    lihop_sweep *sw;
    lihop_h5 *h5;
    lihop_config *view;             /* the point being run */
    lihop_config *mview;            /* the point the microstructure m was built for */
    lihop_micro *m;                 /* voxel: the current microstructure */
    lihop_percolation *perc;        /* voxel: its percolation analysis */
    int micro_rebuilt;              /* 1: m was rebuilt for the current point */
    char last_wraps[256];           /* phases wrapping along x, y, z at the last printed row */
    int lead_shown, file_legend;    /* a group line was printed; the legend of rows read from the file */
    double lead_last[LIHOP_MAX_COORDS]; /* the coordinates of the last group line */
    double coords[LIHOP_MAX_COORDS];
    int k, tty, warnings, ran, skipped;
    double t_start, work;           /* wall clock at the first point run; hops or events so far */
    lihop_err err;
};

/* ---- screen output (sweep_report.c): tables in S/cm and cm^2/s, progress on a TTY ---- */
/* Rows are within 100 columns unless --wide; from_file: a point of an earlier
 * session, its values read back from the file (marked "*"). */
void run_voxel_header(const run_ctx *r);
void run_voxel_row(run_ctx *c, const lihop_point_result *r, int from_file);
void run_garnet_header(const run_ctx *r);
void run_garnet_row(run_ctx *c, const lihop_garnet_point *pt, int from_file);
void run_skipped_row(run_ctx *r, int id);
void run_progress_line(const run_ctx *r, double fraction_of_point);
void run_progress_cb(void *ctx, double f);
void run_clear_progress(const run_ctx *r);
void run_sweep_summary(const run_ctx *r);
void run_garnet_banner(const run_ctx *r, int nsites, int nli0);
void run_voxel_banner(const run_ctx *r);
void run_print_fits(const lihop_garnet_fits *fits);
void run_print_voxel_fits(const run_ctx *r, const lihop_voxel_fits *fits);
void run_closing_note(const run_ctx *r);

#endif
