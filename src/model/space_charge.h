/* space_charge.h - space-charge potentials (model layer, space_charge.c): the
 * profiles phi(d) shared by the garnet bicrystal and the voxel model, the exact
 * Euclidean distance transform of a voxel grid, and the voxel potential field.
 *
 * A voxel layer lies inside phase `side` next to its interface with phase
 * `other`.  d is the distance from the voxel centre to that interface:
 * d = (|c - c_other| - 1/2) h with c_other the nearest voxel centre of `other`
 * (a face neighbour of `other` sits at d = h/2).  A species of charge z then
 * has, in that voxel, the carrier density and the conductivity of its phase
 * times exp(-z e phi / kT), its diffusion coefficient unchanged. */
#ifndef LIHOP_SPACE_CHARGE_H
#define LIHOP_SPACE_CHARGE_H

#include <stdint.h>
#include "config.h"
#include "micro.h"

/* phi(d) in V of a profile; d, length and the table distances share one unit.
 * Gouy-Chapman: (2kT/e) ln[(1 + g e^(-d/L)) / (1 - g e^(-d/L))], g = tanh(e phi0/4kT)
 * (a z = 1 electrolyte); Mott-Schottky: phi0 (1 - d/L)^2 for d < L, else 0;
 * table: linear interpolation, the first value below the first distance, 0 beyond the last. */
double lihop_sc_profile_phi_V(lihop_sc_profile kind, double phi0_V, double length, int ntable, const double *table_d,
                              const double *table_phi_V, double d, double T_K);

/* Squared Euclidean distance (in voxels^2) from every voxel centre to the
 * nearest voxel of phase `target`, periodic box; INFINITY when the phase is
 * absent.  Exact, linear time (Felzenszwalb-Huttenlocher, one axis at a time). */
lihop_status lihop_edt_sq(const lihop_micro *m, int target, double *d2, lihop_err *err);

/* Potential (V) of every voxel at temperature T: the sum of the deck's layers
 * (0 outside every layer).  dist_m, when not NULL, receives for each voxel
 * the distance (m) to the interface of the last layer it lies in (NAN outside). */
lihop_status lihop_sc_potential(const lihop_config *cfg, const lihop_micro *m, double T, double *phi_V,
                                double *dist_m, lihop_err *err);

#endif
