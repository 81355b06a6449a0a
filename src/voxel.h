/* voxel.h - the voxel model (DESIGN 2.2): per-species phase properties and
 * rate tables (voxel_model.c), the walker driver over backends (voxel_run.c)
 * and the observables with batch error bars (voxel_observe.c). */
#ifndef LIHOP_VOXEL_H
#define LIHOP_VOXEL_H

#include <signal.h>
#include "config.h"
#include "micro.h"
#include "results.h"
#include "voxel_walk.h"

#define LIHOP_KB_EV 8.617333262e-5       /* Boltzmann constant, eV/K (CODATA 2018, exact) */
#define LIHOP_KB 1.380649e-23            /* J/K (exact) */
#define LIHOP_E 1.602176634e-19          /* elementary charge, C (exact) */
#define LIHOP_NA 6.02214076e23           /* Avogadro, 1/mol (exact) */

/* Transport of one species in every phase at temperature T. */
typedef struct {
    double rho_m3[LIHOP_MAX_PHASES];     /* equilibrium carrier density, 1/m^3 (0: absent) */
    double sigma_S_m[LIHOP_MAX_PHASES];  /* partial conductivity, S/m */
    double D_m2_s[LIHOP_MAX_PHASES];     /* diffusion coefficient, m^2/s */
} lihop_phase_transport;

void lihop_voxel_phase_transport(const lihop_config *cfg, int species, double T, lihop_phase_transport *out);

/* Rate table rate[a][b][d] (1/s) of species s: bond conductances in series
 * (half voxel of a, interface ASR, half voxel of b), divided by the density of
 * the departing phase, tilted by the applied field.  Obeys
 * rho_a rate[a][b][d] = rho_b rate[b][a][d^1] exp(+-z e E h / kT). */
void lihop_voxel_rates(const lihop_config *cfg, int species, double T, double voxel_m,
                       const lihop_phase_transport *tr,
                       double rate[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES][LIHOP_NDIR]);

/* Voxel indices grouped by phase (counting sort).  voxels: nvox entries. */
void lihop_voxel_group_phases(const lihop_micro *m, uint32_t *voxels, uint32_t offset[LIHOP_MAX_PHASES + 1]);

/* Every species must be carried by some phase present in the microstructure;
 * the message names the config file and the species. */
lihop_status lihop_voxel_check(const lihop_config *cfg, const lihop_micro *m, lihop_err *err);

/* Fill p for one (point, species): rates, start distribution, time grid.
 * p->phase and p->phase_voxels point at the caller's arrays.  Fails with
 * LIHOP_ERR_INPUT when the species cannot be placed anywhere or cannot move. */
lihop_status lihop_voxel_params_setup(const lihop_config *cfg, const lihop_micro *m, const uint32_t *phase_voxels,
                                      const uint32_t offset[LIHOP_MAX_PHASES + 1], int species, double T,
                                      uint32_t stream, lihop_voxel_params *p, lihop_phase_transport *tr,
                                      lihop_err *err);

/* Optional per-walker record of a species (for tests and reproducibility checks). */
typedef struct {
    int32_t *final_disp;                 /* [walkers][3] voxels at t_end, or NULL */
    uint64_t *hops;                      /* [walkers], or NULL */
} lihop_walker_capture;

typedef struct {
    lihop_backend_kind backend;          /* AUTO resolves to CUDA when a device exists */
    int threads;                         /* OpenMP threads for the CPU backend, 0: default */
    volatile sig_atomic_t *interrupt;    /* set non-zero to stop between chunks, or NULL */
    void (*progress)(void *ctx, double fraction);
    void *progress_ctx;
    lihop_walker_capture capture[LIHOP_MAX_SPECIES];
} lihop_voxel_options;

/* Resolve AUTO; CUDA requested without a device is LIHOP_ERR_NO_GPU. */
lihop_status lihop_backend_resolve(lihop_backend_kind want, lihop_backend_kind *got, lihop_err *err);

/* Run sweep point `index` at temperature T: every species, every walker. */
lihop_status lihop_voxel_run_point(const lihop_config *cfg, const lihop_micro *m, int index, double T,
                                   const lihop_voxel_options *opt, lihop_point_result *res, lihop_err *err);

/* Walk walkers [first, first+count) of p with the CPU backend (OpenMP). */
void lihop_voxel_walk_cpu(const lihop_voxel_params *p, uint64_t first, uint64_t count,
                          lihop_walker_out *out, int threads);

#endif
