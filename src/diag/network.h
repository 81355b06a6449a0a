/* network.h - the exact long-time reference of the voxel model (diag layer,
 * network.c).
 *
 * Independent walkers with lihop's face rates (voxel_model.h) are reversible
 * with bond "conductances" rho_a k_ab = Gamma_ab kB T / (z^2 e^2 h^3), so their
 * long-time conductivity is, exactly, the effective conductivity of the
 * periodic resistor network with bond conductances Gamma_ab (siemens) on the
 * same grid.  A KMC run converges to it as t -> infinity; a finite run sits
 * above it while the MSD is still bending (the transient).  This module solves
 * the network: Kirchhoff's law with a unit potential drop per bond along one
 * axis and a periodic fluctuation u, a sparse SPD system solved by hypre's
 * conjugate gradients preconditioned with BoomerAMG algebraic multigrid. */
#ifndef LIHOP_NETWORK_H
#define LIHOP_NETWORK_H

#include "config.h"
#include "micro.h"

typedef struct {
    double sigma_S_m[3][3];    /* effective conductivity tensor sigma[field axis][current axis], S/m */
    int iterations[3];         /* PCG iterations per field axis */
    double rel_residual[3];    /* final relative residual (2-norm) per field axis */
    double wall_s;             /* set-up and solves */
} lihop_network_result;

/* The solver's target: relative residual 1e-12, so sigma is good to ~1e-10. */
#define LIHOP_NETWORK_TOL 1e-12

/* Effective conductivity of the periodic network of n[0] x n[1] x n[2] voxels
 * of edge h (m) with bond conductances gamma[ax][i] (siemens) between voxel i
 * and its + neighbour along axis ax (index x + n0 (y + n1 z)).  Zero bonds are
 * allowed (blocked faces, non-carrying phases). */
lihop_status lihop_network_solve(const int n[3], double h, double *const gamma[3], lihop_network_result *out,
                                 lihop_err *err);

/* The reference of species s of a voxel config at temperature T: the bond
 * conductances of lihop_voxel_conductance on microstructure m (with
 * space-charge layers of potential phi_V per voxel, NULL for none: each half
 * voxel's conductivity times exp(-z e phi / kT)), then solve. */
lihop_status lihop_network_sigma(const lihop_config *cfg, const lihop_micro *m, int s, double T, const double *phi_V,
                                 lihop_network_result *out, lihop_err *err);

#endif
