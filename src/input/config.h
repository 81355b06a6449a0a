/* config.h - the in-memory form of a lihop input deck (configs/NAME.yaml).
 *
 * Every quantity is stored in SI units after parsing; the YAML keys carry the
 * unit the user writes (temperature_K, voxel_size_m, concentration_mol_L,
 * D_cm2_s, sigma_S_cm, asr_ohm_cm2, field_V_m).  See README "Config reference".
 */
#ifndef LIHOP_CONFIG_H
#define LIHOP_CONFIG_H

#include <stdint.h>
#include <limits.h>
#include "status.h"
#include "lattice_spec.h"  /* lihop_lattice_spec, LIHOP_MAX_SUBLATTICES (garnet model) */
#include "lihop_limits.h"        /* LIHOP_GARNET_MAX_SHELLS */

#define LIHOP_MAX_PHASES 16
#define LIHOP_MAX_SPECIES 4
#define LIHOP_MAX_SAMPLES 64
#define LIHOP_MAX_INTERFACES 32
#define LIHOP_MAX_LABELS 64
#define LIHOP_MAX_TEMPS 256
#define LIHOP_NAME_LEN 32
#define LIHOP_PATH_LEN 1024

typedef enum { LIHOP_MODEL_VOXEL = 0, LIHOP_MODEL_GARNET = 1 } lihop_model_kind;
typedef enum { LIHOP_BACKEND_AUTO = 0, LIHOP_BACKEND_CPU = 1, LIHOP_BACKEND_CUDA = 2 } lihop_backend_kind;

/* Temperature law of a transport coefficient X (D in m^2/s or sigma in S/m):
 *   constant:  X = prefactor
 *   arrhenius: X = prefactor exp(-ea_eV / (kB T))
 *   vtf:       X = prefactor exp(-vtf_B_K / (T - vtf_T0_K)),  T > T0 */
/*   table:     ln X linear in 1/T between points (T increasing), the end
 *              segments extended beyond them; only from garnet results
 *              (from_garnet law: table, config_handoff.c), not a deck law */
typedef enum { LIHOP_LAW_CONSTANT = 0, LIHOP_LAW_ARRHENIUS = 1, LIHOP_LAW_VTF = 2, LIHOP_LAW_TABLE = 3 } lihop_law_kind;
#define LIHOP_TLAW_TABLE_MAX 32
typedef struct {
    lihop_law_kind law;
    double prefactor;   /* SI */
    double ea_eV;
    double vtf_B_K;
    double vtf_T0_K;
    int ntab;           /* table: >= 2 points */
    double tab_T_K[LIHOP_TLAW_TABLE_MAX], tab_ln_X[LIHOP_TLAW_TABLE_MAX];   /* ln of X in SI */
} lihop_tlaw;

/* How a carrier's mobility is given in a phase. */
typedef enum {
    LIHOP_TRANSPORT_D = 0,          /* tracer/self diffusion coefficient law */
    LIHOP_TRANSPORT_SIGMA = 1,      /* partial conductivity law */
    LIHOP_TRANSPORT_FRACTION = 2    /* transference_number x phase sigma_total */
} lihop_transport_kind;

typedef struct {
    char name[LIHOP_NAME_LEN];
    int charge;                     /* z, units of e; non-zero */
} lihop_species_cfg;

typedef struct {
    int species;                    /* index into lihop_config.species */
    double conc_m3;                 /* carrier number density, 1/m^3 (> 0) */
    lihop_transport_kind kind;
    lihop_tlaw law;                 /* kind D or SIGMA */
    double transference;            /* kind FRACTION, in [0, 1] */
} lihop_carrier_cfg;

typedef struct {
    char name[LIHOP_NAME_LEN];
    int ncarriers;                  /* 0: insulating for every species */
    lihop_carrier_cfg carriers[LIHOP_MAX_SPECIES];
    int has_sigma_total;
    lihop_tlaw sigma_total;         /* S/m, used by FRACTION carriers */
    /* phases[].material: the file the transport came from (README "Material
     * files (voxel)"); path "" and text NULL when given inline */
    char material_path[LIHOP_PATH_LEN]; /* resolved path */
    char material_name[128];
    char material_source[1024];
    char *material_text;            /* the whole file (malloc'd) */
    /* phases[].from_garnet (config_handoff.h): the results file and fit the
     * Li transport came from, one line for /metadata/from_garnet; "" otherwise */
    char garnet_origin[2048];
} lihop_phase_cfg;

typedef struct {
    int phase_a, phase_b;           /* indices into lihop_config.phases, a != b */
    double asr_ohm_m2;              /* area-specific resistance, ohm m^2 (>= 0); with a law: its
                                     * value at the point's T (lihop_sweep_apply) */
    unsigned species_mask;          /* bit s set: applies to species s */
    /* asr_law_ohm_cm2 or from_garnet: LIHOP_LAW_ARRHENIUS, ASR = asr0 exp(+Ea/kT)
     * (a resistance rises on cooling); LIHOP_LAW_TABLE: asr_table (ohm m^2);
     * LIHOP_LAW_CONSTANT: asr_ohm_m2 as given */
    lihop_law_kind asr_law;
    double asr0_ohm_m2, asr_ea_eV;
    lihop_tlaw asr_table;
    char garnet_origin[2048];       /* from_garnet: where the numbers came from; "" otherwise */
} lihop_interface_cfg;

typedef enum {
    LIHOP_GEN_UNIFORM = 0,          /* every voxel = matrix */
    LIHOP_GEN_LAMINATE = 1,         /* layers normal to `axis` with fractions */
    LIHOP_GEN_SPHERES = 2,          /* random spheres of filler in matrix */
    LIHOP_GEN_RANDOM_VOXELS = 3,    /* each voxel filler with probability f */
    LIHOP_GEN_HDF5 = 4,             /* integer labels from an HDF5 dataset */
    /* values index cfg_generator_strings (config_schema.c): keep them contiguous */
    LIHOP_GEN_VORONOI = 5,          /* Voronoi polycrystal with grain boundaries (micro_voronoi.c) */
    LIHOP_GEN_PIC = 6,              /* polymer-in-ceramic: polycrystal with polymer channels (micro_pic.c) */
    LIHOP_GEN_STACK = 7,            /* slabs of sub-microstructures along an axis (micro_stack.c) */
    LIHOP_GEN_LOGNORMAL_SPHERES = 8,    /* log-normal radii; overlapping, RSA or dense packing (micro_gen_b.h) */
    LIHOP_GEN_FIBRES = 9                /* overlapping cylinders, aligned or isotropic (micro_gen_b.h) */
} lihop_generator_kind;

typedef enum { LIHOP_PACKING_RSA = 0, LIHOP_PACKING_DENSE = 1 } lihop_packing_kind;

#define LIHOP_MAX_LAYERS 16
#define LIHOP_MAX_SLABS 8
#define LIHOP_MAX_CRYST_TABLE 32

/* Polycrystal keys shared by voronoi, pic and stack slabs. */
typedef struct {
    int ngrains;                    /* grain (seed) count; 0: from grain_size_m */
    double grain_size_m;            /* mean grain diameter, m (used when ngrains = 0) */
    double gb_thickness_m;          /* grain-boundary thickness, m (0: no boundary phase) */
    int grain_phase;                /* phase of the grains (pic: the ceramic) */
    int boundary_phase;             /* phase of the boundaries, -1 without gb_thickness_m */
    int polymer_phase;              /* pic: phase filling the pores */
} lihop_poly_cfg;

/* One slab of a stack: a sub-microstructure (generators uniform, spheres,
 * random_voxels, voronoi, pic) with the thickness fraction `fraction`. */
typedef struct {
    double fraction;                /* share of the box along the stack axis, (0, 1] */
    lihop_generator_kind generator;
    int matrix_phase, filler_phase;
    double volume_fraction, radius_voxels;
    int overlap;
    lihop_poly_cfg poly;
    uint64_t seed;                  /* the slab's generator seed (default: stack seed + slab index + 1) */
    int seed_given;
} lihop_slab_cfg;

/* Polymer crystallinity, applied after any generator (micro_crystal.c):
 * X(T, phi) = X_T(T) * factor(phi), capped at 1, and 0 at T >= melting_K. */
typedef struct {
    int on;
    int polymer_phase, crystal_phase;
    double cluster_voxels;          /* radius of a crystallite ball, voxels */
    int ntemp;                      /* 0: constant `fraction` */
    double fraction;                /* constant crystalline fraction of the polymer */
    double temp_K[LIHOP_MAX_CRYST_TABLE], temp_fraction[LIHOP_MAX_CRYST_TABLE];
    double melting_K;               /* 0: no melting point given */
    int nfiller;                    /* 0: factor 1 */
    double filler_fraction[LIHOP_MAX_CRYST_TABLE], filler_factor[LIHOP_MAX_CRYST_TABLE];
    int depends_on_T;               /* 1: a table over T or a melting point (one microstructure per T) */
    double T_K;                     /* temperature the fraction is evaluated at (0 when it does not depend on T) */
} lihop_cryst_cfg;

typedef struct {
    int n[3];                       /* voxels along x, y, z */
    double voxel_m;                 /* voxel edge, m */
    lihop_generator_kind generator;
    int matrix_phase;               /* uniform, spheres, random_voxels */
    int filler_phase;               /* spheres, random_voxels */
    double volume_fraction;         /* spheres, random_voxels: target filler fraction */
    double radius_voxels;           /* spheres */
    int overlap;                    /* spheres: 1 overlapping allowed, 0 hard spheres */
    int axis;                       /* laminate: 0 x, 1 y, 2 z (layer normal) */
    int nlayers;
    int layer_phase[LIHOP_MAX_LAYERS];
    double layer_fraction[LIHOP_MAX_LAYERS];
    char h5_file[LIHOP_PATH_LEN];   /* hdf5: path (relative to the config file) */
    char h5_dataset[256];
    int nlabels;                    /* hdf5: label value -> phase */
    int label_value[LIHOP_MAX_LABELS];
    int label_phase[LIHOP_MAX_LABELS];
    uint64_t seed;                  /* generator seed; default = run seed */
    int seed_given;                 /* 1: microstructure.seed in the deck (else it follows the point's seed) */
    lihop_poly_cfg poly;            /* voronoi, pic */
    int nslabs;                     /* stack: slabs along `axis` */
    lihop_slab_cfg slab[LIHOP_MAX_SLABS];
    lihop_cryst_cfg cryst;          /* any generator: polymer crystallinity */
    /* group B generators (README "Composite generators"); lengths in voxels */
    double radius_sigma;            /* lognormal_spheres: sd of ln r (radius_voxels is the median) */
    lihop_packing_kind packing;     /* lognormal_spheres with overlap 0: RSA or dense */
    double fibre_diameter_voxels;   /* fibres */
    double fibre_length_voxels;
    int fibre_random;               /* fibres: 1 isotropic directions, 0 aligned along `axis` */
    int interphase_phase;           /* -1: no shell; else matrix voxels near the filler become this */
    double interphase_voxels;       /* shell thickness */
    int by_weight;                  /* 1: the deck gave weight_fraction (volume_fraction is converted) */
    double weight_fraction;         /* the deck's first weight_fraction (by_weight) */
    double density_kg_m3[LIHOP_MAX_PHASES];   /* phases[].density_g_cm3 in SI; 0: not given */
} lihop_micro_cfg;

/* Filler volume fraction of a two-phase mixture with filler weight fraction w
 * and densities rho_f, rho_m (any one unit): (w/rho_f) / (w/rho_f + (1-w)/rho_m),
 * and its inverse phi rho_f / (phi rho_f + (1-phi) rho_m). */
static inline double lihop_weight_to_volume_fraction(double w, double rho_f, double rho_m)
{
    double a = w / rho_f, b = (1.0 - w) / rho_m;
    return a / (a + b);
}
static inline double lihop_volume_to_weight_fraction(double phi, double rho_f, double rho_m)
{
    double a = phi * rho_f, b = (1.0 - phi) * rho_m;
    return a / (a + b);
}

typedef struct {
    uint64_t walkers;               /* voxel: per species */
    double time_s;                  /* simulated time per walker (voxel) or replica (garnet);
                                     * 0: use hops_per_walker / hops_per_li */
    double hops_per_walker;         /* voxel: mean hops per walker sets the time; 0: use time_s */
    int samples;                    /* time-grid points, 2..LIHOP_MAX_SAMPLES */
    int batches;                    /* independent walker (replica) batches for error bars, >= 2 */
    /* garnet only */
    int64_t replicas;               /* independent supercells per run (>= batches) */
    double hops_per_li;             /* mean production hops per Li sets the time; 0: use time_s */
    double equil_hops_per_li;       /* equilibration hops per Li before the clock starts */
    double fit_from, fit_to;        /* D from the MSD slope over lags [fit_from, fit_to] t_end */
    /* voxel only: convergence (README "Convergence and the exact reference") */
    int max_extensions;             /* a point not yet converged is rerun with 2x the time, at most this often */
    int exact_reference;            /* 1: solve the exact resistor network per point and species */
} lihop_run_cfg;

/* ---- garnet model (DESIGN 2.1) --------------------------------------------
 * The `garnet:` block of a deck, merged with its material file (keys in the
 * deck override the material's; E_kra_eV and site_energy_eV entries override
 * per pair / per sublattice).  Energies in eV, lengths in angstrom (as the
 * keys say), fields in V/m, potentials in V. */
#define LIHOP_MAX_SC_TABLE 256

/* Where a value was written: file (config or material) and 1-based line. */
typedef struct {
    char file[LIHOP_PATH_LEN];
    int line;
} lihop_cfg_src;

typedef enum { LIHOP_GRATE_KRA = 0, LIHOP_GRATE_METROPOLIS = 1 } lihop_garnet_rate_kind;

typedef enum {
    LIHOP_SC_NONE = 0,
    LIHOP_SC_GOUY_CHAPMAN = 1,      /* phi = (2kT/e) ln[(1 + g e^-d/L)/(1 - g e^-d/L)], g = tanh(e phi0/4kT) */
    LIHOP_SC_MOTT_SCHOTTKY = 2,     /* phi = phi0 (1 - d/L)^2 for d < L, else 0 */
    LIHOP_SC_TABLE = 3              /* linear interpolation of (d, phi), 0 beyond the last point */
} lihop_sc_profile;

/* A space-charge layer of the voxel model: inside phase `side`, next to its
 * interface with phase `other`, a potential phi(d) of the distance d (m) from
 * that interface (README "Space-charge layers"). */
#define LIHOP_MAX_SPACE_CHARGE 8
typedef struct {
    int side_phase, other_phase;
    lihop_sc_profile profile;
    double phi0_V;                  /* potential at the interface relative to the bulk of `side` */
    double length_m;                /* Debye length (GC) or layer width (MS), m */
    int ntable;
    double table_d_m[LIHOP_MAX_SC_TABLE], table_phi_V[LIHOP_MAX_SC_TABLE];
} lihop_space_charge_cfg;

typedef struct {
    int axis;                       /* boundary normal: 0 x, 1 y, 2 z (supercell vector) */
    double center_frac;             /* plane position, fraction of the supercell along axis, [0, 1) */
    double thickness_A;             /* slab: sites with |d| <= thickness/2 */
    double kra_shift_eV;            /* barrier shift of slab sites (per-site, hop gets the mean) */
    double site_shift_eV;           /* site-energy shift of slab sites */
    double disorder_sigma_eV;       /* extra Gaussian site disorder inside the slab */
    double site_removal_fraction;   /* fraction of slab sites removed, [0, 1) */
    lihop_sc_profile profile;
    double phi0_V;                  /* potential at the plane relative to bulk */
    double length_A;                /* Debye length (GC) or layer width (MS) */
    int ntable;
    double table_d_A[LIHOP_MAX_SC_TABLE], table_phi_V[LIHOP_MAX_SC_TABLE];
    lihop_cfg_src src;              /* the `bicrystal:` key */
} lihop_bicrystal_cfg;

typedef struct {
    char material_path[LIHOP_PATH_LEN]; /* resolved path, "" without a material file */
    char material_name[128];
    char material_source[1024];
    char *material_text;            /* the whole material file (malloc'd, NULL without one) */
    char lattice_path[LIHOP_PATH_LEN];  /* resolved path */
    char *lattice_text;             /* the whole lattice file (malloc'd) */
    lihop_lattice_spec lattice;     /* as loaded */
    int nsub;                       /* sublattices in lattice order (order of first appearance) */
    char subname[LIHOP_MAX_SUBLATTICES][16];
    int cells[3];
    int nli;                        /* Li-content sweep axis */
    int li_is_per_cell;             /* 1: the deck gave li_per_cell */
    double li_per_fu[LIHOP_MAX_LI_VALUES];   /* always set (converted from li_per_cell) */
    double li_per_cell[LIHOP_MAX_LI_VALUES]; /* always set */
    lihop_garnet_rate_kind rate_law;
    double nu_Hz;
    double E_kra_eV[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES]; /* symmetric */
    int kra_given[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES];
    double site_energy_eV[LIHOP_MAX_SUBLATTICES];
    double E_nn_eV;
    int npair_shells;               /* further pair shells (lihop_garnet_params) */
    double pair_shell_min_A[LIHOP_GARNET_MAX_SHELLS], pair_shell_max_A[LIHOP_GARNET_MAX_SHELLS];
    double pair_shell_eV[LIHOP_GARNET_MAX_SHELLS];
    double disorder_sigma_eV;
    double field_V_m[3];            /* applied to every run */
    int has_drift;                  /* drift_fields_V_m given */
    double drift_fields_V_m[2];     /* extra runs with the field along x */
    int has_bicrystal;
    lihop_bicrystal_cfg bicrystal;
    lihop_cfg_src src_lattice, src_cells, src_li, src_kra, src_rate_law, src_shells;
} lihop_garnet_cfg;

/* ---- sweep coordinates (README "Sweeps") ----------------------------------
 * Every sweepable key present in the deck is a coordinate of every point;
 * written as a YAML list it is an axis (swept = 1), written as a scalar it is
 * a fixed coordinate (n = 1).  Values are SI (seed: exact integers). */
#define LIHOP_MAX_COORDS 16
#define LIHOP_MAX_AXIS_VALUES 256
typedef enum {
    LIHOP_COORD_SEED = 0,
    LIHOP_COORD_VOLUME_FRACTION,
    LIHOP_COORD_RADIUS,
    LIHOP_COORD_ASR,                /* target: interface index */
    LIHOP_COORD_FIELD_X,            /* the applied field's components: one axis (group 1) */
    LIHOP_COORD_FIELD_Y,
    LIHOP_COORD_FIELD_Z,
    LIHOP_COORD_LI_PER_FU,
    LIHOP_COORD_LI_PER_CELL,
    LIHOP_COORD_TEMPERATURE,
    LIHOP_COORD_SC_PHI0,            /* target: space-charge layer index */
    LIHOP_COORD_SC_LENGTH
} lihop_coord_kind;

typedef struct {
    lihop_coord_kind kind;
    int target;
    char name[64];                  /* /sweep/<name> and the /summary column */
    char unit[16];                  /* of value[] */
    char key[96];                   /* the deck key, for messages */
    int swept;
    int group;                      /* > 0: coordinates of one group move together (one axis) */
    int n;
    double value[LIHOP_MAX_AXIS_VALUES];
    int line;                       /* 1-based line of the key in the deck */
} lihop_coord;

typedef struct {
    char path[LIHOP_PATH_LEN];      /* the file it came from ("<builtin>" otherwise) */
    char *text;                     /* the whole YAML text, stored in the output */
    lihop_model_kind model;
    lihop_backend_kind backend;
    uint64_t seed;
    int ntemps;
    double temperature_K[LIHOP_MAX_TEMPS];
    int nspecies;
    lihop_species_cfg species[LIHOP_MAX_SPECIES];
    int transference_species;       /* species whose t is reported as t+ */
    int nphases;
    lihop_phase_cfg phases[LIHOP_MAX_PHASES];
    int ninterfaces;
    lihop_interface_cfg interfaces[LIHOP_MAX_INTERFACES];
    int nspace_charge;
    lihop_space_charge_cfg space_charge[LIHOP_MAX_SPACE_CHARGE];
    lihop_micro_cfg micro;
    lihop_run_cfg run;
    double field_V_m[3];            /* applied field, V/m (voxel) */
    lihop_garnet_cfg garnet;        /* model garnet */
    /* sweep: coordinates in the canonical order of lihop_coord_kind (slowest
     * first in the cartesian product), a text of the deck with every
     * sweepable value masked (resume compatibility), and the key of the
     * point this config describes (sweep.h lihop_sweep_apply; for a deck as
     * loaded: the key of its first point) */
    int ncoords;
    lihop_coord coords[LIHOP_MAX_COORDS];
    char *fixed_text;
    uint32_t point_key;
    int points_table;               /* 1: the deck gave an explicit points: table */
    int npoints_table;
    double *points_value;           /* [npoints_table][ncoords], malloc'd */
} lihop_config;

/* Parse a YAML file.  On error returns LIHOP_ERR_INPUT (or _IO) and a message of
 * the form "FILE:LINE: key 'a.b.c': expected ..., got ...".  A garnet deck also
 * reads its material and lattice files (paths relative to the file that names
 * them); their errors name their own file and line. */
lihop_status lihop_config_load(const char *path, lihop_config **out, lihop_err *err);
/* Same from text in memory; `name` is used in messages, and relative paths in
 * a garnet deck are taken relative to the directory part of `name`. */
lihop_status lihop_config_parse(const char *text, const char *name, lihop_config **out, lihop_err *err);
void lihop_config_destroy(lihop_config *cfg);

/* Value of coordinate c (cfg->coords[c]) in the config's current fields: the
 * scalar keys as set (by the deck or lihop_sweep_apply), temperature T_K and
 * the garnet Li content of index li_index. */
double lihop_config_coord_value(const lihop_config *cfg, int c, double T_K, int li_index);
/* The 28-bit point key (rng.h lihop_point_key) of the point with these values:
 * every coordinate but the seed, by name, in cfg->coords order. */
uint32_t lihop_config_point_key(const lihop_config *cfg, double T_K, int li_index);

/* Evaluate a temperature law at T (K). */
double lihop_tlaw_eval(const lihop_tlaw *law, double T);

#endif
