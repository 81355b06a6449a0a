/* export_bpx.h - a BPX 1.1 cell file whose Electrolyte block comes from a
 * voxel results file (`lihop export bpx`, README "BPX export").
 *
 * The electrodes, separator, cell and state are the user's base BPX file;
 * lihop replaces the five Electrolyte numbers with values from the results'
 * fits along one sweep line, evaluated at the base's reference temperature
 * Parameterisation.Cell."Reference temperature [K]" (BPX and PyBaMM scale
 * every Arrhenius quantity as X(T) = X(T_ref) exp(Ea/R (1/T_ref - 1/T))):
 *   Conductivity [S.m-1]      A exp(-Ea/kT_ref) of the ln sigma Arrhenius fit
 *                             of the total sigma (/fits, species -1)
 *   Conductivity activation energy [J.mol-1]   that fit's Ea times F/e
 *                             (so PyBaMM reproduces the fitted line at every T)
 *   Diffusivity [m2.s-1]      the Li species' D at T_ref from a weighted
 *                             Arrhenius fit of ln D (fit.h) over the line's
 *                             /summary rows; Diffusivity activation energy its Ea
 *   Cation transference number  sigma_Li / sum_s sigma_s, each from its own
 *                             ln sigma fit (/fits, species s) at T_ref
 * The io layer never prints: failures come back as a status and a message
 * naming the file and the key or column. */
#ifndef LIHOP_EXPORT_BPX_H
#define LIHOP_EXPORT_BPX_H

#include "status.h"

/* The Electrolyte numbers and where they come from. */
typedef struct {
    double T_ref_K;                 /* the base's reference temperature */
    double sigma_S_m, Ea_sigma_J_mol;
    double D_m2_s, Ea_D_J_mol;
    double t_plus;
    int line, nlines;               /* the /fits line used, of nlines */
    int n_T;                        /* temperatures of the sigma fit */
    double T_min_K, T_max_K;        /* their range: T_ref outside it is an extrapolation */
    double chi2_red_sigma;          /* of the ln sigma fit (large: not Arrhenius, e.g. VTF) */
    char li_species[64];            /* the transference species (Li+) */
    char status[32];                /* the results' /metadata status */
} lihop_bpx_values;

/* The numbers above from results_path's /fits and /summary at T_ref_K, for
 * sweep line `line` (-1: the only line; more than one is then an error that
 * lists them).  LIHOP_ERR_IO: unreadable; LIHOP_ERR_INPUT: not a finished
 * voxel results file, no /fits (fewer than 3 temperatures on every line),
 * no such line, a species without a fit, no positive D. */
lihop_status lihop_bpx_values_read(const char *results_path, int line, double T_ref_K, lihop_bpx_values *v,
                                   lihop_err *err);

/* Read base_path (a BPX 1.x JSON file with Header, Parameterisation.Cell and
 * its "Reference temperature [K]", Parameterisation.Electrolyte), fill its
 * Electrolyte from results_path (lihop_bpx_values_read), record the source in
 * Header.Description, set Header.BPX "1.1.0", drop the base's Validation
 * (measured with the base cell's own electrolyte) and write out_path
 * atomically (OUT.part, fsync, rename).  LIHOP_ERR_IO for files that cannot
 * be read or written; LIHOP_ERR_INPUT names the file, its line and column
 * (JSON syntax) or the key and what was expected. */
lihop_status lihop_export_bpx(const char *results_path, const char *base_path, const char *out_path, int line,
                              lihop_bpx_values *v, lihop_err *err);

#endif
