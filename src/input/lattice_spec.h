/* lattice_spec.h - a lattice file (lattices/NAME.yaml) as written, and its
 * conventional cell expanded from the Wyckoff sites with spglib (input layer,
 * lattice_spec.c).  Lengths in angstrom. */
#ifndef LIHOP_LATTICE_SPEC_H
#define LIHOP_LATTICE_SPEC_H

#include <stdint.h>
#include "status.h"

#define LIHOP_MAX_SUBLATTICES 8
#define LIHOP_MAX_WYCKOFF 8

/* One mobile-ion Wyckoff site of a lattice file. */
typedef struct {
    char label[32];           /* e.g. "24d" */
    char sublattice[16];      /* e.g. "T" or "O" */
    double frac[3];           /* representative fractional coordinates */
    char source[256];         /* literature reference / comment for this site ("" if none) */
    int multiplicity;         /* sites per conventional cell generated from it (set by build) */
} lihop_wyckoff_site;

/* A lattice file as written (before expansion). */
typedef struct {
    char path[1024];
    char name[64];
    int hall_number;          /* spglib Hall number (e.g. 530 = Ia-3d); derived from space_group if given */
    int space_group;          /* ITA number */
    double abc_A[3];          /* lattice constants, angstrom */
    double angles_deg[3];
    int nsites;
    lihop_wyckoff_site sites[LIHOP_MAX_WYCKOFF];
    double hop_cutoff_A;      /* pairs closer than this (and not excluded-only) are hops */
    double hop_min_A;         /* pairs closer than this are exclusion-only partners (no hop), e.g. 96h pairs */
    double exclusion_cutoff_A;/* pairs closer than this cannot both be occupied */
    int li_per_cell_full;     /* Li per conventional cell at the reference composition (56 for Li7 LLZO) */
    double formula_units_per_cell; /* 8 for garnet */
    double li_per_fu_ref;     /* reference Li per formula unit (7 for LLZO) */
    char source[512];         /* file-level source/comment ("" if none) */
    char hall_symbol[20];     /* spglib Hall symbol of hall_number, e.g. "-I 4bd 2c 3" */
    char hm_symbol[16];       /* short Hermann-Mauguin symbol, e.g. "Ia-3d" */
} lihop_lattice_spec;

lihop_status lihop_lattice_spec_load(const char *path, lihop_lattice_spec *spec, lihop_err *err);

/* Cell vectors (rows, angstrom) from lattice constants and angles; 0 if degenerate. */
int lihop_lattice_cell_matrix(const double abc[3], const double ang[3], double L[3][3]);

/* Fractional positions of one conventional cell's sites (malloc'd *out, n of
 * them, Wyckoff index wy[i]); mult (may be NULL) gets each Wyckoff site's
 * multiplicity; on a collision *ca, *cb name the two Wyckoff sites.  0 on failure. */
typedef struct { double f[3]; } lihop_fsite;
int lihop_lattice_expand_cell(const lihop_lattice_spec *spec, lihop_fsite **out, int **wy, int *n,
                              int mult[LIHOP_MAX_WYCKOFF], int *ca, int *cb);

#endif
