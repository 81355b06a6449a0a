/* voxel_model.h - the voxel model (model layer, voxel_model.c): per-species
 * phase properties, rate tables in detailed balance, the start distribution
 * and time grid of a (point, species).  The walk itself is voxel_walk.h. */
#ifndef LIHOP_VOXEL_MODEL_H
#define LIHOP_VOXEL_MODEL_H

#include "constants.h"
#include "config.h"
#include "micro.h"
#include "voxel_walk.h"

/* Transport of one species in every phase at temperature T. */
typedef struct {
    double rho_m3[LIHOP_MAX_PHASES];     /* equilibrium carrier density, 1/m^3 (0: absent) */
    double sigma_S_m[LIHOP_MAX_PHASES];  /* partial conductivity, S/m */
    double D_m2_s[LIHOP_MAX_PHASES];     /* diffusion coefficient, m^2/s */
} lihop_phase_transport;

void lihop_voxel_phase_transport(const lihop_config *cfg, int species, double T, lihop_phase_transport *out);

/* Bond conductance Gamma_ab (siemens) of species s between face neighbours of
 * phases a and b: half a voxel of each and the interface ASR in series; 0 when
 * either phase does not carry s.  The exact network reference (diag/network.h)
 * and the rate table below both use it. */
double lihop_voxel_conductance(const lihop_config *cfg, int s, double h, const lihop_phase_transport *tr, int a,
                               int b);

/* Rate table rate[a][b][d] (1/s) of species s: bond conductances in series
 * (half voxel of a, interface ASR, half voxel of b), divided by the density of
 * the departing phase, tilted by the applied field.  Obeys
 * rho_a rate[a][b][d] = rho_b rate[b][a][d^1] exp(+-z e E h / kT). */
void lihop_voxel_rates(const lihop_config *cfg, int species, double T, double voxel_m,
                       const lihop_phase_transport *tr,
                       double rate[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES][LIHOP_NDIR]);

/* Voxel indices grouped by phase (counting sort).  voxels: nvox entries. */
void lihop_voxel_group_phases(const lihop_micro *m, uint32_t *voxels, uint32_t offset[LIHOP_MAX_PHASES + 1]);

/* 1 when some phase present in m carries species s.  A species no present
 * phase carries conducts nothing (sigma = 0: a pure LLZO box gives t+ = 1). */
int lihop_voxel_species_carried(const lihop_config *cfg, const lihop_micro *m, int s);

/* Some species must be carried by a phase present in the microstructure; the
 * message names the config file and the phases present. */
lihop_status lihop_voxel_check(const lihop_config *cfg, const lihop_micro *m, lihop_err *err);

/* The terms the walk rebuilds face rates from inside space-charge layers
 * (voxel_walk.h: to_rate, tilt, half_res, iface_res, rho). */
void lihop_voxel_params_layer_terms(const lihop_config *cfg, int s, double T, double h,
                                    const lihop_phase_transport *tr, lihop_voxel_params *p);

/* Space-charge layers of a point (voxel_run.c): the potential of every voxel
 * (NULL: no layers) and the caller's buffers of nvox doubles each that
 * lihop_voxel_params_setup fills for one species and points p at. */
typedef struct {
    const double *phi_V;
    double *vfac;                   /* g_i = exp(-z e phi_i / kT) */
    double *start_cum;              /* cumulative start weight over phase_voxels order */
} lihop_voxel_layers;

/* Fill p for one (point, species): rates, start distribution, time grid.
 * p->phase and p->phase_voxels point at the caller's arrays.  layers may be
 * NULL.  Fails with LIHOP_ERR_INPUT when the species cannot be placed
 * anywhere or cannot move. */
lihop_status lihop_voxel_params_setup(const lihop_config *cfg, const lihop_micro *m, const uint32_t *phase_voxels,
                                      const uint32_t offset[LIHOP_MAX_PHASES + 1], int species, double T,
                                      uint32_t stream, const lihop_voxel_layers *layers, lihop_voxel_params *p,
                                      lihop_phase_transport *tr, lihop_err *err);
/* Run time x factor (the run's extensions, 2^ext): the same walks, continued
 * (draw n is hop n, so the first part of every trajectory is unchanged). */
void lihop_voxel_params_stretch(lihop_voxel_params *p, double factor);

#endif
