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
 *       command_line                  string (of the FIRST session, kept on --resume; may be "")
 *       config_text                   string, the whole YAML input deck (latest session)
 *       config_fixed_text             string, the deck with every sweepable value
 *                                     masked: what a --resume must match
 *       config_path                   string
 *       seed                          uint64 (the deck's first seed)
 *       model                         string, "voxel" or "garnet" (garnet layout below)
 *       backend, device_name          string (of the latest session)
 *       threads                       int32  (of the latest session)
 *       start_time                    string, ISO 8601 UTC (first session)
 *       resume_time                   string, ISO 8601 UTC (latest --resume; absent if never resumed)
 *       end_time                      string, ISO 8601 UTC (written on close)
 *       status                        string: "running", "complete",
 *                                     "interrupted" or "failed"
 *   /metadata/history/<column>      one row per session (first run, each --resume), in
 *                                   order: start_time, end_time ("" while running),
 *                                   command_line, status, lihop_version, git_describe,
 *                                   backend, device_name [nsessions] string; threads
 *                                   [nsessions] int32 (a file from before the history
 *                                   gets a first row from its attributes on resume)
 *   /metadata/species/name          [nspecies] string
 *   /metadata/species/charge_e      [nspecies] int32, unit "e"
 *   /metadata/phases/name           [nphases] string
 *   /metadata/phases/material_path, material_name, material_source,
 *       material_text               [nphases] string: each phase's material
 *                                   file (phases[].material; "" inline); a
 *                                   --resume with one changed is refused
 *   /sweep/<coordinate>             one dataset per sweep coordinate (config.h
 *                                   lihop_coord) with the deck's values:
 *                                   temperature_K "K", seed uint64, volume_fraction,
 *                                   radius_voxels, asr_ohm_m2_<a>_<b> "ohm m^2",
 *                                   field_x/y/z_V_m "V/m", li_per_fu, li_per_cell;
 *                                   attributes swept int32, key string
 *   /microstructure/phase           [nz][ny][nx] uint8 phase id (gzip), unit "1";
 *                                   attributes voxel_size_m (float64),
 *                                   phase_names [nphases] string.  Voxel (x,y,z)
 *                                   is element [z][y][x].
 *   /microstructure/phase_fraction  [nphases] float64, unit "1"
 *   /microstructure/percolation     group (percolation_h5.h): phase_spans [nphases][3]
 *                                   int32 (1: the phase wraps around the periodic box
 *                                   along x, y, z), phase_nclusters [nphases] int64,
 *                                   phase_largest_cluster_fraction [nphases];
 *                                   interface_pairs [npairs][2] int32 (touching
 *                                   phases a < b), interface_spans [npairs][3],
 *                                   interface_nclusters, interface_largest_cluster_fraction
 *                                   [npairs]; of the first point's microstructure
 *   /points/<k>                     one group per finished sweep point, k = the
 *                                   point's id in this file (0, 1, ... in the
 *                                   order points were first written), zero-padded
 *                                   to 7 digits ("0000007") so that tools listing
 *                                   by name list by id; older files' groups are
 *                                   renamed on --resume; attributes (and every
 *                                   coordinate by name, seed as uint64):
 *       T_K, t_end_s, wall_s          float64
 *       sigma_iso_S_m, sigma_iso_err_S_m   float64, mean of the total sigma diagonal
 *       t_plus, t_plus_err            float64, transference number of
 *                                     `transference_species` (string attribute)
 *       converged                     int32, 0: MSD/6t not yet linear, see warning
 *       warning, backend              string
 *       threads                       int32
 *       complete                      int32 = 1, written last (see below)
 *     datasets (s = species, in /metadata/species order; p = phase; b = batch):
 *       time_s                 [ns][nsamples]        "s"       sample times of each species
 *       t_end_s                [ns]                  "s"       simulated time per walker
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
 *       converged int32; hops uint64 (all species); wall_s; then one column
 *       per other sweep coordinate (seed uint64, volume_fraction, ...).
 *       All unlisted columns are float64.
 *   /combined, /combined_n_seeds    (both models; when some point has more than
 *                                   one seed) the /summary columns with the seed
 *                                   replicates of each point combined (inverse-
 *                                   variance means, Birge-scaled errors; seed 0),
 *                                   and each row's seed count
 *   /fits                           (both models) written when the sweep completes
 *                                   (rewritten from every finished row, seeds
 *                                   combined): one compound row per sweep line
 *                                   (all coordinates but temperature fixed) with
 *                                   >= 3 temperatures and per conductivity:
 *       line int32 (0, 1, ... by first point); species int32 (-1: total sigma,
 *       s: /metadata/species/name[s]; garnet: -1 only); the line's coordinates (not seed or
 *       temperature); n_T int32; T_min_K; T_max_K; weighted int32;
 *       Ea_sigmaT_eV, Ea_sigmaT_err_eV, A_sigmaT_S_K_m, A_sigmaT_err_S_K_m,
 *       cov_Ea_A_sigmaT "eV S K/m", chi2_red_sigmaT (ln(sigma T) = ln A - Ea/kT,
 *       the default); the same for ln sigma (_sigma, A in S/m); vtf int32 (1:
 *       >= 4 temperatures and a converged fit); vtf_A_S_m, vtf_A_err_S_m,
 *       vtf_B_K, vtf_B_err_K, vtf_T0_K, vtf_T0_err_K, vtf_cov_A_B "S K/m",
 *       vtf_cov_A_T0 "S K/m", vtf_cov_B_T0 "K^2", vtf_chi2_red (NaN without);
 *       attributes units, species, default, vtf_note
 *
 * Model garnet (/metadata model = "garnet"; see garnet_setup.h for the sweep
 * and the runs of a point).  /metadata/species, /metadata/phases and
 * /microstructure are absent; in their place:
 *   /metadata attributes material_text, lattice_text   string, the whole
 *                                   material and lattice files (a --resume with
 *                                   either changed is refused, like config_text)
 *   /metadata/garnet                group; attributes material_path,
 *       material_name, material_source, lattice_path, lattice_name (string),
 *       sublattices [nsub] string, cells [3] int32, rate_law string, nu_Hz,
 *       E_nn_eV, disorder_sigma_eV, field_V_m [3], replicas int32,
 *       drift_fields_V_m [2] (only with drift runs), bicrystal_axis (string),
 *       bicrystal_center_frac, bicrystal_thickness_A, bicrystal_kra_shift_eV,
 *       bicrystal_site_shift_eV, bicrystal_disorder_sigma_eV,
 *       bicrystal_site_removal_fraction, space_charge_profile (string),
 *       space_charge_phi0_V, space_charge_length_A (only with a bicrystal);
 *       datasets E_kra_eV [nsub][nsub] "eV" (NaN: pair not given),
 *       site_energy_eV [nsub] "eV"
 *   /sweep/li_per_fu [nli] "1", /sweep/li_per_cell [nli] "1" (besides the
 *   coordinates)
 *   /points/<k>                     attributes li_per_fu, li_per_cell, wall_s
 *                                   (every run of the point), main_wall_s,
 *                                   complete, plus the run record below for the
 *                                   main run; subgroups with the same run record:
 *       drift_E1, drift_E2            the runs with field (E1, 0, 0), (E2, 0, 0)
 *                                     (drift_fields_V_m); point datasets ()
 *                                     drift_linearity, drift_linearity_err "1"
 *                                     = sigma_drift(E2) / sigma_drift(E1)
 *       bulk                          the bulk reference of a bicrystal deck;
 *                                     point datasets () sigma_across_S_m,
 *                                     sigma_along_S_m, sigma_bulk_S_m (+ _err_S_m
 *                                     each) "S/m", ASR_ohm_m2, ASR_err_ohm_m2
 *                                     "ohm m^2"; attribute boundary_period_m
 *     run record (engine result, garnet.h): what was run as attributes: T_K,
 *       kT_eV, t_end_s, replicas int64, batches int32, nli int64, nsites int32,
 *       wall_s, threads int32, backend string; what came out as datasets with
 *       a unit attribute, scalars of shape (): volume_m3 "m^3", n_li_m3
 *       "1/m^3", D_tracer_m2_s, D_sigma_m2_s, D0_m2_s (+ _err_m2_s each)
 *       "m^2/s", haven, f_tracer, f_coll (+ _err each) "1", sigma_NE_S_m,
 *       sigma_drift_S_m (+ _err_S_m each; drift NaN without a field) "S/m",
 *       hop_rate_Hz, hop_rate_err_Hz "Hz", mean_hop_d2_m2 "m^2", events,
 *       equil_events, hops, check_failures uint64 "1", trapped_replicas int64 "1";
 *       field_V_m [3] "V/m"; time_s [ns] "s";
 *       msd_tracer_m2, msd_tracer_err_m2, msd_coll_m2, msd_coll_err_m2 [ns] "m^2"
 *         (tracer: mean |dr_i|^2; coll: |sum_i dr_i|^2 / nli; origin-averaged);
 *       msd_tracer_axis_m2, msd_coll_axis_m2 (+ _err_m2) [ns][3] "m^2";
 *       D_tracer_axis_m2_s, D_sigma_axis_m2_s (+ _err_m2_s) [3] "m^2/s";
 *       sigma_NE_axis_S_m, sigma_NE_axis_err_S_m [3] "S/m";
 *       v_drift_m_s, v_drift_err_m_s [3] "m/s";
 *       sublattice [nsub] string; sites_per_sublattice [nsub] int32 "1";
 *       li_fraction, li_fraction_err, site_occupancy, site_occupancy_err [nsub] "1";
 *       hops_by_type [nsub][nsub] uint64 "1" ([from][to])
 *   /summary (garnet columns, same extendible table and `units` attribute):
 *       point int32; T_K; li_per_fu; li_per_cell; nli int32;
 *       sigma_S_m, sigma_err_S_m (Nernst-Einstein, isotropic);
 *       sigma_xx_S_m, sigma_xx_err_S_m, sigma_yy_..., sigma_zz_... (per axis);
 *       D_tracer_m2_s, D_tracer_err_m2_s, D_sigma_m2_s, D_sigma_err_m2_s;
 *       haven, haven_err, f_tracer, f_tracer_err, f_coll, f_coll_err;
 *       only with garnet.field_V_m in the deck: sigma_drift_S_m,
 *       sigma_drift_err_S_m (main run's field; NaN in a row of zero field);
 *       for each sublattice NAME: occupancy_NAME, occupancy_NAME_err (Li per site);
 *       only with drift runs: sigma_drift_E1_S_m, sigma_drift_E1_err_S_m,
 *       sigma_drift_E2_S_m, sigma_drift_E2_err_S_m, drift_linearity,
 *       drift_linearity_err; only with a bicrystal: sigma_across_S_m,
 *       sigma_along_S_m, sigma_bulk_S_m (+ _err_S_m each), ASR_ohm_m2,
 *       ASR_err_ohm_m2 "ohm m^2"; hops uint64 (all runs of the point);
 *       trapped_replicas int32; wall_s.  All unlisted columns are float64.
 *   /fits                           (garnet) as above, total sigma only (species -1)
 *   /arrhenius                      (kept for compatibility; the same Arrhenius
 *                                   numbers as /fits per Li content) written
 *                                   when the sweep completes (rewritten
 *                                   on each completion, from every finished
 *                                   /summary row): one compound row per Li
 *                                   content with >= 3 temperatures:
 *       li_per_fu; n_T int32; T_min_K; T_max_K;
 *       Ea_sigmaT_eV, Ea_sigmaT_err_eV, A_sigmaT_S_K_m, A_sigmaT_err_S_K_m,
 *       chi2_red_sigmaT (fit of ln(sigma T) = ln A - Ea/kT);
 *       Ea_sigma_eV, Ea_sigma_err_eV, A_sigma_S_m, A_sigma_err_S_m,
 *       chi2_red_sigma (fit of ln sigma = ln A - Ea/kT); weighted int32
 *   /li_content                     written when the sweep completes (like
 *                                   /arrhenius): one compound row per
 *                                   temperature with >= 3 Li contents:
 *       T_K; n_li int32; li_max (Li/f.u. of the largest sigma);
 *       sigma_max_S_m, sigma_max_err_S_m; li_vertex (parabola through the
 *       largest point and its two neighbours; NaN at an end of the range);
 *       ratio_low, ratio_high (sigma_max / sigma at the lowest / highest Li)
 *       (1: weights 1/(err/sigma)^2, errors scaled by sqrt(chi2_red) when > 1;
 *       0: unweighted, errors from the residuals); attribute units.
 *   /bicrystal                      bicrystal decks, written when the sweep
 *                                   completes: one row per finished point in
 *                                   point order: point int32, T_K, li_per_fu,
 *       sigma_across_S_m, sigma_along_S_m, sigma_bulk_S_m (+ _err_S_m each),
 *       ASR_ohm_m2, ASR_err_ohm_m2, ASR_ohm_cm2, ASR_err_ohm_cm2;
 *       attributes units, axis (string).  ASR = L (1/sigma_across -
 *       1/sigma_bulk), L the boundary period (one boundary per supercell).
 *
 * Completeness: a file whose /metadata status is not "complete" is by contract
 * incomplete (still running, interrupted, failed or crashed).  Within it, a
 * point counts only if /points/<k> has complete = 1 and a /summary row.  The
 * file is never written in place: each change (a point, the final tables, the
 * status) is made on a copy and renamed over it (durable.h), so the file on
 * disk always opens and holds every finished point, after a crash, SIGKILL or a
 * full disk too.  `lihop run --resume` deletes point groups without the flag
 * or the row, matches the deck's points to the finished ones by coordinates
 * and computes only the missing points.  A resume that is refused (a changed
 * non-sweep key, material or lattice file, microstructure, or a /summary of
 * another layout) leaves the file unchanged: every comparison is made on a
 * read-only handle before anything is written.
 *
 * Handle: opaque, opened with lihop_h5_open and released with lihop_h5_close
 * (which accepts NULL).  Functions never print; HDF5's own error printing is
 * switched off; failures return a status and a message naming file and object.
 */
#ifndef LIHOP_H5OUT_H
#define LIHOP_H5OUT_H

#include "config.h"
#include "fit.h"
#include "garnet_point.h"
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

/* Open the results file `path` for cfg.  micro (model voxel; NULL for garnet or
 * to leave /microstructure to lihop_h5_write_micro) is the run's microstructure,
 * phase_names its m->nphases names or NULL.
 *   - file absent: create it (resume is ignored), with /microstructure if micro.
 *   - file present, resume == 0 and overwrite == 0: LIHOP_ERR_IO
 *     "PATH exists; pass --resume to continue it or --overwrite to replace it".
 *   - overwrite: replace it.
 *   - resume: continue it.  First, on a read-only handle, its config_fixed_text
 *     (garnet: also material_text, lattice_text) must equal cfg's, its
 *     /summary must have this version's columns and, if micro and the file
 *     holds a /microstructure, that must equal micro; a mismatch is
 *     LIHOP_ERR_INPUT and the file is not modified at all.  Then unfinished
 *     point groups are deleted, a missing /microstructure is written (micro),
 *     and status becomes "running" again.
 *   resume and overwrite together: LIHOP_ERR_INPUT. */
lihop_status lihop_h5_open(const char *path, const lihop_config *cfg, const lihop_micro *micro,
                           const char *const *phase_names, const lihop_h5_meta *meta, int resume,
                           int overwrite, lihop_h5 **out, lihop_err *err);

/* 1 if point id k is finished in the file (complete flag and /summary row), else 0. */
int lihop_h5_point_done(const lihop_h5 *h, int k);
/* The id of the finished point with these coordinates (cfg->coords order, as
 * lihop_sweep_value gives them), or -1. */
int lihop_h5_find_point(const lihop_h5 *h, const double *coords);
/* The id the next new point gets: one more than the largest in the file. */
int lihop_h5_next_id(const lihop_h5 *h);

/* A finished point of an earlier session (id from lihop_h5_find_point on a
 * resumed file), read back from its stored /summary row for printing: voxel
 * T_K, sigma_iso (+ err), sigma_exact_iso, t_plus (+ err, exact), converged,
 * wall_s and per species D_m2_s, sigma_S_m, sigma_exact_S_m (each axis holds
 * the stored mean of the diagonal), sigma_iso (+ err), extensions (the point's
 * largest); everything else zero.  LIHOP_ERR_INPUT when id is not such a point. */
lihop_status lihop_h5_read_point(const lihop_h5 *h, const lihop_config *cfg, int id, lihop_point_result *r,
                                 lihop_err *err);
/* Model garnet, the same: T_K, li_per_fu, li_per_cell, wall_s; main: sigma_NE,
 * sigma_drift, D_tracer, D_sigma, haven, f_tracer, f_coll (+ errors each),
 * site_occupancy; the drift runs' sigma_drift (+ err) and linearity; bc (the
 * bicrystal's sigma across, along, bulk and ASR). */
lihop_status lihop_h5_read_garnet_point(const lihop_h5 *h, const lihop_config *cfg, int id, lihop_garnet_point *pt,
                                        lihop_err *err);

/* /microstructure: phase grid and phase fractions, for a file opened without
 * micro.  If the file already holds a microstructure (resume), it must be
 * identical (LIHOP_ERR_INPUT otherwise) and nothing is written; note that by
 * then the resume has already started (pass micro to lihop_h5_open to have the
 * comparison made before anything is written).  phase_names: m->nphases names,
 * or NULL. */
lihop_status lihop_h5_write_micro(lihop_h5 *h, const lihop_micro *m, const char *const *phase_names,
                                  lihop_err *err);

/* /points/<r->index> and one /summary row, then complete = 1 and a flush.
 * Writing a point that is already complete is LIHOP_ERR_INTERNAL. */
lihop_status lihop_h5_write_point(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                  const lihop_point_result *r, lihop_err *err);

/* model garnet: /points/<pt->index> (main run, drift_E1/drift_E2 and bulk
 * subgroups when present) and one /summary row, then complete = 1 and a flush.
 * Writing a point that is already complete is LIHOP_ERR_INTERNAL. */
lihop_status lihop_h5_write_garnet_point(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                         const lihop_garnet_point *pt, lihop_err *err);

/* After the sweep (both models): /combined, the seed replicates of each point
 * combined into one row (written when some point has more than one seed). */
lihop_status lihop_h5_finish(lihop_h5 *h, lihop_err *err);

/* One /fits row (both models): the fits of one conductivity along one sweep
 * line (every coordinate but temperature fixed, seeds combined). */
typedef struct {
    int line;                       /* sweep line, 0, 1, ... in the order of its first point */
    int species;                    /* -1: total sigma; else the species index (config order; voxel only) */
    double coord[LIHOP_MAX_COORDS]; /* the line's coordinates (cfg->coords order; NaN: temperature, seed) */
    int ntemps;                     /* finished temperatures in the fit */
    double T_min_K, T_max_K;
    lihop_arrhenius_fit sigmaT;     /* ln(sigma T) vs 1/kT, the default: A in S K/m */
    lihop_arrhenius_fit sigma;      /* ln(sigma) vs 1/kT: A in S/m */
    int has_vtf;                    /* 1: vtf holds a fit (>= 4 temperatures and the solver converged) */
    lihop_vtf_fit vtf;              /* sigma = A exp(-B/(T - T0)): A in S/m */
} lihop_line_fit_row;

#define LIHOP_LINE_FITS_PRINTED 64  /* rows kept for the screen; the file has all */
#define LIHOP_VOXEL_FITS_PRINTED LIHOP_LINE_FITS_PRINTED
typedef struct {
    int n, nall;                    /* rows kept here; rows in /fits */
    lihop_line_fit_row row[LIHOP_LINE_FITS_PRINTED];
} lihop_line_fits;
typedef lihop_line_fit_row lihop_voxel_fit_row;
typedef lihop_line_fits lihop_voxel_fits;

typedef struct {
    double li_per_fu;
    int ntemps;                     /* finished temperatures in the fit */
    double T_min_K, T_max_K;
    lihop_arrhenius_fit sigmaT;     /* ln(sigma T) vs 1/kT: A in S K/m */
    lihop_arrhenius_fit sigma;      /* ln(sigma) vs 1/kT: A in S/m */
} lihop_garnet_arrhenius_row;

typedef struct {
    int n;
    lihop_garnet_arrhenius_row row[LIHOP_MAX_LI_VALUES];
    int npeaks;                     /* temperatures with a Li-content maximum (/li_content) */
    double peak_T_K[LIHOP_MAX_TEMPS];
    lihop_li_peak peak[LIHOP_MAX_TEMPS];
    lihop_line_fits lines;          /* /fits: Arrhenius and VTF per sweep line */
    const lihop_config *cfg;        /* the cfg the fits were made for (borrowed; names the line coordinates) */
} lihop_garnet_fits;

/* model garnet, after the sweep: from the finished /summary rows (this
 * session's and earlier ones', seeds combined) rewrite /fits (as the voxel
 * model's, total sigma only), /arrhenius (Li contents with >= 3
 * temperatures; kept for compatibility, equal to the /fits Arrhenius columns
 * of the same line), /li_content (temperatures with >= 3 Li contents) and, for
 * bicrystal decks, /bicrystal; fits (may be NULL) gets the /fits, Arrhenius
 * and Li-content rows for printing. */
lihop_status lihop_h5_garnet_finish(lihop_h5 *h, const lihop_config *cfg, lihop_garnet_fits *fits,
                                    lihop_err *err);

/* model voxel, after the sweep: /combined (as lihop_h5_finish) and /fits
 * from the seed-combined rows: for every sweep line with >= 3 finished
 * temperatures, the Arrhenius fits (sigma T and sigma) and, with >= 4, the VTF
 * fit of the total sigma and of each species' sigma.  No such line: no /fits.
 * fits (may be NULL) gets the first rows for printing. */
lihop_status lihop_h5_voxel_finish(lihop_h5 *h, const lihop_config *cfg, lihop_voxel_fits *fits,
                                   lihop_err *err);

/* Close a file this session decided not to continue after opening it: a
 * resumed file gets back the status it had before the session opened it (its
 * session attributes and pruned points stay as lihop_h5_open left them), a new
 * one is marked "failed".  NULL h is a no-op. */
lihop_status lihop_h5_abandon(lihop_h5 *h, lihop_err *err);

/* Write end_time and status ("complete", "interrupted" or "failed"; NULL means
 * "complete"), flush and close; frees h.  NULL h: no-op returning LIHOP_OK. */
lihop_status lihop_h5_close(lihop_h5 *h, const char *status, lihop_err *err);

#endif
