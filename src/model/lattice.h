/* lattice.h - crystal lattices of mobile-ion sites (lattices/NAME.yaml) expanded
 * with spglib into a periodic supercell, with the hop graph and exclusion pairs.
 * Lengths in angstrom inside this module (documented per field). */
#ifndef LIHOP_LATTICE_H
#define LIHOP_LATTICE_H

#include <stdint.h>
#include <stdio.h>
#include "lattice_spec.h"
#include "status.h"

/* Expanded periodic supercell. Site i: sublattice sub[i], position pos[i] (A). */
typedef struct {
    int cells[3];             /* n1 n2 n3 */
    double cell_A[3][3];      /* supercell vectors as rows, angstrom */
    int sites_per_cell;
    int nsites;
    int nsub;
    char subname[LIHOP_MAX_SUBLATTICES][16];
    int32_t *sub;             /* [nsites] sublattice index */
    double *pos_A;            /* [nsites][3] Cartesian, inside the supercell */
    /* hop graph, CSR: hops of site i are hop_nbr[hop_start[i] .. hop_start[i+1]) */
    int32_t *hop_start;       /* [nsites + 1] */
    int32_t *hop_nbr;         /* [nhops] */
    double *hop_vec_A;        /* [nhops][3] minimum-image vector from i to the neighbour */
    int64_t nhops;
    /* exclusion partners, CSR (sites that may not be co-occupied with i; includes nothing of i itself) */
    int32_t *excl_start;      /* [nsites + 1] */
    int32_t *excl_nbr;
    int64_t nexcl;
    /* --- additions --- */
    double unit_cell_A[3][3]; /* conventional cell vectors as rows, angstrom */
    int ncells;               /* n1 * n2 * n3; site i lies in cell i / sites_per_cell,
                               * cell index = (c1 * n2 + c2) * n3 + c3 */
    int nwyckoff;
    int32_t *wyckoff;         /* [nsites] index into spec->sites of the generating Wyckoff site */
    double *frac;             /* [nsites][3] fractional coordinates in the supercell, [0,1) */
    double hop_cutoff_A, hop_min_A, exclusion_cutoff_A; /* copied from the spec */
    int max_occupancy;        /* most sites that can be occupied at once (exclusion graph) */
    int max_occupancy_exact;  /* 1: exact; 0: greedy lower bound (a large exclusion cluster) */
    int multi_image;          /* 1: some site reaches one neighbour through several periodic
                               * images (supercell shorter than 2 x hop cutoff); each image is a
                               * separate hop entry with its own vector */
    int64_t nself_images;     /* periodic images of a site itself within the hop cutoff (dropped) */
} lihop_lattice;

lihop_status lihop_lattice_build(const lihop_lattice_spec *spec, const int cells[3],
                                 lihop_lattice **out, lihop_err *err);
void lihop_lattice_destroy(lihop_lattice *lat);

/* Human-readable report: sites per sublattice, neighbour counts, hop distances. */
void lihop_lattice_report(const lihop_lattice_spec *spec, const lihop_lattice *lat, FILE *fp);

/* Number of Li for a composition: round(li_per_fu * formula_units_per_cell * ncells).
 * LIHOP_ERR_INPUT if li_per_fu is negative/not finite or the count exceeds the number of
 * sites that can be occupied at once (lat->max_occupancy). */
lihop_status lihop_lattice_li_count(const lihop_lattice_spec *spec, const lihop_lattice *lat,
                                    double li_per_fu, int *nli, lihop_err *err);

/* Remove the sites with remove[i] != 0 (i over the current sites) in place:
 * sites are renumbered in their old order, hop edges and exclusion pairs that
 * touch a removed site are dropped, and max_occupancy is recomputed.  ncells,
 * cells and the cell vectors are unchanged (Li counts from a composition stay
 * per formula unit of the full crystal), but "site i lies in cell
 * i / sites_per_cell" no longer holds.  new_index (may be NULL) gets [old
 * nsites] entries: the new index of each old site, or -1 if removed.
 * LIHOP_ERR_INPUT if every site would go. */
lihop_status lihop_lattice_remove_sites(lihop_lattice *lat, const uint8_t *remove, int32_t *new_index,
                                        lihop_err *err);

/* Pair partners of every site at distances r_min_A <= d < r_max_A (periodic
 * images included, one entry per image, so a partner reached through two
 * images appears twice; a site's own images are left out), CSR sorted by
 * partner: partners of i are nbr[start[i] .. start[i+1]).  For energy shells
 * beyond the hop graph (garnet pair_shells).  The caller frees both arrays. */
lihop_status lihop_lattice_pairs(const lihop_lattice *lat, double r_min_A, double r_max_A, int32_t **start,
                                 int32_t **nbr, int64_t *npairs, lihop_err *err);

/* Index of the sublattice called `name` in lat->subname, or -1. */
int lihop_lattice_sublattice_index(const lihop_lattice *lat, const char *name);

#endif
