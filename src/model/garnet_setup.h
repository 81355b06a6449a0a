/* garnet_setup.h - from a garnet deck (config.h, model: garnet) to the engine
 * (garnet.h): the supercell with an optional bicrystal slab, the per-site
 * region arrays, lihop_garnet_params for each run of a sweep point, and the
 * numbers derived from several runs (bicrystal ASR, drift linearity,
 * Arrhenius fits).  The CLI (`lihop run`) and the tests share these.
 *
 * Sweep points.  A garnet deck sweeps temperature_K x li_per_fu (or
 * li_per_cell).  Point k has temperature index it = k % ntemps and Li-content
 * index ix = k / ntemps: Li content is the slow axis, so the temperatures of
 * one Li content are consecutive points (one Arrhenius series each).
 *
 * Runs of a point.  Every point has a main run (field garnet.field_V_m); with
 * drift_fields_V_m two more runs with the field (E1, 0, 0) and (E2, 0, 0);
 * with a bicrystal one more run of the same deck without the bicrystal block
 * (the bulk reference).  Each run draws from its own Philox stream
 *     stream = lihop_stream_id(point key, role)   role: 0 main, 1 drift E1, 2 drift E2, 3 bulk
 * (rng.h), the point key a hash of the point's coordinates, hence every run
 * of every point is independent, a restarted or extended sweep reproduces
 * each point exactly, and a point's numbers do not depend on where it sits
 * in the sweep.
 *
 * Quenched randomness belongs to the sample, not to the run: the bulk site
 * disorder (garnet.disorder_sigma_eV, drawn by the engine with disorder_seed
 * = seed), the slab disorder and the removed slab sites are functions of the
 * deck's seed and the site only, identical at every point.
 *
 * Bicrystal geometry.  The boundary is the plane spanned by the two supercell
 * vectors other than `axis`, at fraction center_frac along `axis`.  d is a
 * site's distance from it along the plane normal, with the periodic minimum
 * image, so |d| <= L/2 where L is the spacing of the plane's periodic images
 * (the supercell length along the axis for the cubic and tetragonal cells).
 * The supercell therefore holds one boundary per period: the boundary and its
 * image at d = +-L/2 ... are the same plane, and the space-charge profile is
 * phi(|d|) on both sides of it.  Slab sites have |d| <= thickness_A / 2; they
 * get kra_shift_eV (a hop i<->j gets the mean of its two sites' shifts),
 * site_shift_eV plus Gaussian disorder of disorder_sigma_eV, and each is
 * removed with probability site_removal_fraction.  The Li count still follows
 * the composition of the full crystal (li_per_fu x formula units x cells).
 */
#ifndef LIHOP_GARNET_SETUP_H
#define LIHOP_GARNET_SETUP_H

#include <signal.h>
#include <stdint.h>
#include "config.h"
#include "garnet.h"
#include "lattice.h"
#include "status.h"

typedef enum {
    LIHOP_GROLE_MAIN = 0,
    LIHOP_GROLE_DRIFT1 = 1,
    LIHOP_GROLE_DRIFT2 = 2,
    LIHOP_GROLE_BULK = 3
} lihop_garnet_role;

#define LIHOP_GARNET_MAX_POINTS (1 << 24)

/* ntemps x nli points; the index decomposition described above. */
int lihop_garnet_npoints(const lihop_config *cfg);
void lihop_garnet_point_axes(const lihop_config *cfg, int k, int *it, int *ix);
/* The Philox stream of run `role` of point k (rng.h lihop_stream_id): a
 * function of the point's coordinates, not of k. */
uint32_t lihop_garnet_stream(const lihop_config *cfg, int k, lihop_garnet_role role);

/* ---- bicrystal geometry and profiles -------------------------------------- */

/* L: spacing of the boundary plane's periodic images (A). */
double lihop_bicrystal_period_A(const lihop_bicrystal_cfg *b, const lihop_lattice *lat);
/* Signed distance (A) of fractional position frac from the boundary plane, in [-L/2, L/2). */
double lihop_bicrystal_distance_A(const lihop_bicrystal_cfg *b, const lihop_lattice *lat, const double frac[3]);
/* Space-charge potential (V) at distance |d_A| from the plane, temperature T_K. */
double lihop_space_charge_phi_V(const lihop_bicrystal_cfg *b, double d_A, double T_K);

/* The supercell of the deck; with_bicrystal and a removal fraction > 0 remove
 * slab sites (deterministic in the seed).  Errors name the deck's file:line. */
lihop_status lihop_garnet_setup_lattice(const lihop_config *cfg, int with_bicrystal, lihop_lattice **out,
                                        lihop_err *err);

/* Per-site arrays of a bicrystal on `lat` (built with_bicrystal) at T_K. */
typedef struct {
    int32_t nsites;
    double L_A;                     /* boundary period */
    double *d_A;                    /* [nsites] signed distance from the plane */
    uint8_t *in_slab;               /* [nsites] 1: inside the slab */
    int32_t nslab;
    double *phi_V;                  /* [nsites] space-charge potential */
    double *site_shift_eV;          /* [nsites] slab shift + slab disorder */
    double *kra_shift_eV;           /* [nsites] slab barrier shift */
} lihop_garnet_regions;

lihop_status lihop_garnet_regions_build(const lihop_config *cfg, const lihop_lattice *lat, double T_K,
                                        lihop_garnet_regions **out, lihop_err *err);
void lihop_garnet_regions_destroy(lihop_garnet_regions *r);

/* Engine parameters of run `role` of point k on `lat`; reg (NULL: none) must
 * outlive the lihop_garnet_create call that reads p.  The Li count comes from
 * the point's Li content (errors name the deck's li_per_fu line). */
lihop_status lihop_garnet_params_fill(const lihop_config *cfg, const lihop_lattice *lat,
                                      const lihop_garnet_regions *reg, int k, lihop_garnet_role role,
                                      lihop_garnet_params *p, lihop_err *err);

#endif
