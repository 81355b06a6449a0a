/* config_handoff.h - the garnet-to-voxel hand-off (README "From atoms to a
 * membrane"): garnet bulk and bicrystal results become a voxel phase's Li
 * transport and an interface's temperature-dependent ASR.
 *
 * The input layer does the fits and fills the deck (phases[].from_garnet,
 * interfaces[].from_garnet); reading the HDF5 results is the io layer's job
 * (garnet_table.c), so the reader is handed in as a function pointer that
 * the command line registers once (lihop_config_set_garnet_reader).  `lihop
 * handoff` calls the same fit functions: one implementation. */
#ifndef LIHOP_CONFIG_HANDOFF_H
#define LIHOP_CONFIG_HANDOFF_H

#include <stdint.h>
#include "config.h"
#include "fit.h"

#define LIHOP_GARNET_TABLE_ROWS 1024

/* The rows of a garnet results file's /summary the hand-off needs (SI). */
typedef struct {
    char path[LIHOP_PATH_LEN];
    char git_describe[128];
    char status[32];                /* /metadata status: complete, running, ... */
    uint64_t seed;
    int bicrystal;                  /* 1: the deck had a bicrystal: block */
    int n;                          /* rows */
    double T_K[LIHOP_GARNET_TABLE_ROWS], li_per_fu[LIHOP_GARNET_TABLE_ROWS];
    double sigma_S_m[LIHOP_GARNET_TABLE_ROWS], sigma_err_S_m[LIHOP_GARNET_TABLE_ROWS];
    double asr_ohm_m2[LIHOP_GARNET_TABLE_ROWS], asr_err_ohm_m2[LIHOP_GARNET_TABLE_ROWS];
    double n_li_m3[LIHOP_GARNET_TABLE_ROWS];   /* Li density of the supercell */
} lihop_garnet_table;

/* Reads `path` into *out; LIHOP_ERR_IO when it cannot be read, LIHOP_ERR_INPUT
 * when it is not a garnet results file (messages name the file). */
typedef lihop_status (*lihop_garnet_reader_fn)(const char *path, lihop_garnet_table *out, lihop_err *err);
/* The reader decks with from_garnet use (NULL: such decks are refused). */
void lihop_config_set_garnet_reader(lihop_garnet_reader_fn fn);
lihop_garnet_reader_fn lihop_config_garnet_reader(void);

/* Bulk: sigma(T) = A exp(-Ea/kT) fitted (fit.h, ln sigma against 1/kT, the
 * /arrhenius "sigma" columns) over the temperatures of one Li content. */
typedef struct {
    double li_per_fu;
    int n;                          /* temperatures */
    double T_min_K, T_max_K;
    double conc_m3;                 /* Li per m^3 of the garnet supercell */
    lihop_arrhenius_fit fit;        /* A in S/m */
    lihop_tlaw table;               /* law table: the garnet sigma (S/m) at its temperatures */
} lihop_handoff_bulk;

/* Boundary: ASR(T) = ASR0 exp(+Ea/kT), from the fit of the boundary
 * conductance 1/ASR per area, divided by faces (voxel interfaces crossed per
 * boundary). */
typedef struct {
    double li_per_fu;
    int n;
    double T_min_K, T_max_K;
    int faces;
    double asr0_ohm_m2, asr0_err_ohm_m2;    /* per face */
    double Ea_eV, Ea_err_eV;
    lihop_arrhenius_fit fit;        /* of 1/ASR per boundary, A in S/m^2 */
    lihop_tlaw table;               /* law table: the garnet ASR per face (ohm m^2) at its temperatures */
} lihop_handoff_asr;

/* Both also fill `table` (LIHOP_LAW_TABLE, ntab 0 with more than
 * LIHOP_TLAW_TABLE_MAX temperatures).  li_per_fu: the Li content to use, NaN for "the only one in the file".
 * LIHOP_ERR_INPUT, message "expected ..., got ... (FILE)", for a bicrystal
 * file given as bulk (and the reverse), an unknown or ambiguous Li content,
 * fewer than 3 temperatures, or a non-positive sigma or ASR. */
lihop_status lihop_handoff_bulk_fit(const lihop_garnet_table *t, double li_per_fu, lihop_handoff_bulk *out,
                                    lihop_err *err);
lihop_status lihop_handoff_asr_fit(const lihop_garnet_table *t, double li_per_fu, int faces,
                                   lihop_handoff_asr *out, lihop_err *err);

/* ASR of an interface at T (ohm m^2): its law, or the constant (swept) value. */
double lihop_interface_asr_at(const lihop_interface_cfg *ic, double T_K);

#endif
