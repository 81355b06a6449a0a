/* sweep.h - the points of a sweep (README "Sweeps").
 *
 * A deck's coordinates (config.h lihop_coord: every sweepable key present)
 * span the sweep: the cartesian product of their values, the first
 * coordinate slowest (seed, microstructure keys, interface ASRs, the field, Li content,
 * temperature fastest), or the rows of an explicit `points:` table.  Point k
 * is described by a config view (lihop_sweep_apply): the deck with every
 * coordinate set to the point's value, one temperature and one Li content.
 * The view's point_key, a hash of its coordinates, names its random streams,
 * so a point's numbers do not depend on its position in the sweep. */
#ifndef LIHOP_SWEEP_H
#define LIHOP_SWEEP_H

#include <stdint.h>
#include "config.h"
#include "status.h"

#define LIHOP_MAX_POINTS 10000000

typedef struct {
    int npoints, ncoords;
    int *at;            /* [npoints][ncoords]: index into cfg->coords[c].value */
    uint32_t *key;      /* [npoints]: point keys */
} lihop_sweep;

/* The points of cfg.  Two points with different coordinates (seed aside) whose
 * keys collide are LIHOP_ERR_INPUT (a 28-bit hash: about 1 in 500 for a
 * thousand points; change any value slightly). */
lihop_status lihop_sweep_build(const lihop_config *cfg, lihop_sweep **out, lihop_err *err);
void lihop_sweep_destroy(lihop_sweep *sw);

/* Value of coordinate c at point k. */
double lihop_sweep_value(const lihop_config *cfg, const lihop_sweep *sw, int k, int c);

/* *view = the config of point k: a shallow copy of base (it shares base's
 * heap text; never destroy it) with one temperature, one Li content, every
 * coordinate at the point's value and point_key set. */
void lihop_sweep_apply(const lihop_config *base, const lihop_sweep *sw, int k, lihop_config *view);

/* 1 if the two views need different microstructures. */
int lihop_sweep_micro_differs(const lihop_config *a, const lihop_config *b);

/* "T_K = 300, volume_fraction = 0.1, seed = 2": the point's swept coordinates. */
void lihop_sweep_label(const lihop_config *cfg, const lihop_sweep *sw, int k, char *buf, size_t cap);

#endif
