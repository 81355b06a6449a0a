/* h5out.h - the results file of `lihop run` (one HDF5 file per run or sweep).
 *
 * The layout below is a public contract: names, shapes and units stay stable.
 * All quantities are SI.  Every numeric dataset carries a string attribute
 * `unit`; scalar attributes on groups carry their unit in the name (T_K, wall_s,
 * sigma_iso_S_m, ...); names without a suffix are dimensionless.  Array shapes
 * are written in C (row-major) order, slowest index first; axis 3 is x, y, z.
 *
 *   /metadata                       group; attributes:
 *       lihop_version, git_describe   string (of the latest session)
 *       command_line                  string (of the latest session; may be "")
 *       config_text                   string, the whole YAML input deck
 *       config_path                   string
 *       seed                          uint64
 *       model                         string, "voxel" or "garnet"
 *       backend, device_name          string (of the latest session)
 *       threads                       int32  (of the latest session)
 *       start_time                    string, ISO 8601 UTC (first session)
 *       resume_time                   string, ISO 8601 UTC (latest --resume; absent if never resumed)
 *       end_time                      string, ISO 8601 UTC (written on close)
 *       status                        string: "running", "complete",
 *                                     "interrupted" or "failed"
 *   /metadata/species/name          [nspecies] string
 *   /metadata/species/charge_e      [nspecies] int32, unit "e"
 *   /metadata/phases/name           [nphases] string
 *   /sweep/temperature_K            [ntemps] float64, unit "K": the sweep axis
 *   /microstructure/phase           [nz][ny][nx] uint8 phase id (gzip), unit "1";
 *                                   attributes voxel_size_m (float64),
 *                                   phase_names [nphases] string.  Voxel (x,y,z)
 *                                   is element [z][y][x].
 *   /microstructure/phase_fraction  [nphases] float64, unit "1"
 *   /points/<k>                     one group per finished sweep point, k = point
 *                                   number in decimal (0, 1, ... no padding);
 *                                   attributes:
 *       T_K, t_end_s, wall_s          float64
 *       sigma_iso_S_m, sigma_iso_err_S_m   float64, mean of the total sigma diagonal
 *       t_plus, t_plus_err            float64, transference number of
 *                                     `transference_species` (string attribute)
 *       converged                     int32, 0: MSD/6t not yet linear, see warning
 *       warning, backend              string
 *       threads                       int32
 *       complete                      int32 = 1, written last (see below)
 *     datasets (s = species, in /metadata/species order; p = phase; b = batch):
 *       time_s                 [nsamples]            "s"       sample times
 *       msd_m2                 [ns][nsamples][3]     "m^2"     <dx^2>(t) per axis
 *       D_m2_s, D_err_m2_s     [ns][3]               "m^2/s"   diffusion tensor diagonal
 *       D_early_m2_s, D_late_m2_s  [ns]              "m^2/s"   slopes, 1st/2nd half of t
 *       batch_D_m2_s           [ns][nbatches][3]     "m^2/s"   per batch (error bars)
 *       sigma_S_m, sigma_err_S_m   [ns][3]           "S/m"     Nernst-Einstein partial sigma
 *       sigma_drift_S_m, sigma_drift_err_S_m [ns][3] "S/m"     from drift (NaN: no field)
 *       sigma_total_S_m, sigma_total_err_S_m [3]     "S/m"
 *       residence_fraction, residence_fraction_err [ns][nphases] "1"
 *       n_avg_m3               [ns]                  "1/m^3"   mean carrier density
 *       hops, walkers          [ns] uint64           "1"
 *   /summary                        1-D extendible compound table, one row per
 *                                   finished point in completion order (join on
 *                                   `point`); attribute `units` [ncolumns] string
 *                                   gives each column's unit in column order.
 *       point int32; T_K; sigma_S_m, sigma_err_S_m (= sigma_iso); sigma_xx_S_m,
 *       sigma_yy_S_m, sigma_zz_S_m (total diagonal); t_plus, t_plus_err;
 *       then for each species NAME: D_NAME_m2_s, D_NAME_err_m2_s,
 *       sigma_NAME_S_m, sigma_NAME_err_S_m (mean of the diagonal; error
 *       sqrt(err_xx^2 + err_yy^2 + err_zz^2) / 3, axes taken as independent);
 *       converged int32; hops uint64 (all species); wall_s.
 *       All unlisted columns are float64.
 *
 * Completeness: a file whose /metadata status is not "complete" is by contract
 * incomplete (still running, interrupted, failed or crashed).  Within it, a
 * point counts only if /points/<k> has complete = 1; its /summary row is
 * written before that flag, and the file is flushed after it, so a crash never
 * loses a finished point.  `lihop run --resume` deletes point groups without
 * the flag (and their /summary rows) and computes only the missing points.
 *
 * Handle: opaque, opened with lihop_h5_open and released with lihop_h5_close
 * (which accepts NULL).  Functions never print; HDF5's own error printing is
 * switched off; failures return a status and a message naming file and object.
 */
#ifndef LIHOP_H5OUT_H
#define LIHOP_H5OUT_H

#include "config.h"
#include "micro.h"
#include "results.h"
#include "status.h"

typedef struct lihop_h5 lihop_h5;

/* Provenance written to /metadata.  NULL strings are stored as "". */
typedef struct {
    const char *version;        /* LIHOP_VERSION */
    const char *git_describe;   /* LIHOP_GIT_DESCRIBE */
    const char *backend;        /* "cpu" or "cuda" */
    const char *device_name;    /* CPU model or GPU name */
    int threads;
    const char *command_line;
} lihop_h5_meta;

/* Open the results file `path` for cfg.
 *   - file absent: create it (resume is ignored).
 *   - file present, resume == 0 and overwrite == 0: LIHOP_ERR_IO
 *     "PATH exists; pass --resume to continue it or --overwrite to replace it".
 *   - overwrite: replace it.
 *   - resume: continue it; its config_text and seed must equal cfg's
 *     (LIHOP_ERR_INPUT otherwise); unfinished point groups are deleted;
 *     status becomes "running" again.
 *   resume and overwrite together: LIHOP_ERR_INPUT. */
lihop_status lihop_h5_open(const char *path, const lihop_config *cfg, const lihop_h5_meta *meta,
                           int resume, int overwrite, lihop_h5 **out, lihop_err *err);

/* 1 if /points/<k> exists with complete = 1, else 0. */
int lihop_h5_point_done(const lihop_h5 *h, int k);

/* /microstructure: phase grid and phase fractions.  If the file already holds a
 * microstructure (resume), it must be identical (LIHOP_ERR_INPUT otherwise) and
 * nothing is written.  phase_names: m->nphases names, or NULL. */
lihop_status lihop_h5_write_micro(lihop_h5 *h, const lihop_micro *m, const char *const *phase_names,
                                  lihop_err *err);

/* /points/<r->index> and one /summary row, then complete = 1 and a flush.
 * Writing a point that is already complete is LIHOP_ERR_INTERNAL. */
lihop_status lihop_h5_write_point(lihop_h5 *h, const lihop_config *cfg, const lihop_point_result *r,
                                  lihop_err *err);

/* Write end_time and status ("complete", "interrupted" or "failed"; NULL means
 * "complete"), flush and close; frees h.  NULL h: no-op returning LIHOP_OK. */
lihop_status lihop_h5_close(lihop_h5 *h, const char *status, lihop_err *err);

#ifdef LIHOP_H5_INTERNAL
/* Helpers shared by h5out.c and micro_h5.c (include <hdf5.h> first); not API.
 * Each returns 0 on success, -1 on failure after recording the first failure in
 * the context as "FILE: what (HDF5: innermost HDF5 reason)". */
typedef struct {
    const char *file;
    lihop_err *err;
    lihop_status st;                /* LIHOP_OK until the first failure */
} lihop_h5i_ctx;

int lihop_h5i_fail(lihop_h5i_ctx *c, lihop_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
hid_t lihop_h5i_str_type(void);     /* variable-length UTF-8 string; caller closes */
int lihop_h5i_attr_str(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                       const char *value);
int lihop_h5i_attr_strs(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                        int n, const char *const *values);
int lihop_h5i_attr_f64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, double v);
/* uint8 [nz][ny][nx] dataset `dsname` under loc, gzip-chunked, with attributes
 * unit = "1", voxel_size_m and (if phase_names) phase_names. */
int lihop_h5i_write_grid(lihop_h5i_ctx *c, hid_t loc, const char *dsname, const lihop_micro *m,
                         const char *const *phase_names);
#endif

#endif
