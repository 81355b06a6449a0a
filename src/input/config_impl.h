/* config_impl.h - private to the config reader (src/input/config*.c): the
 * parse context, the y_* structs libcyaml fills (YAML units), accepted ranges
 * and the helpers the reader's files share.  See config.c for the three passes. */
#ifndef LIHOP_CONFIG_IMPL_H
#define LIHOP_CONFIG_IMPL_H

#include "constants.h"
#include "config.h"
#include "rng.h"
#include "sweep_keys.h"
#include "yaml_locate.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_CAP 256

/* Unit conversions from the keys' units to SI, written once. */
static inline double cm2_s_to_si(double x) { return x * 1e-4; }        /* cm^2/s -> m^2/s */
static inline double s_cm_to_si(double x) { return x * 100.0; }        /* S/cm -> S/m */
static inline double mol_l_to_si(double x) { return x * 1000.0 * LIHOP_NA; } /* mol/L -> 1/m^3 */
static inline double ohm_cm2_to_si(double x) { return x * 1e-4; }      /* ohm cm^2 -> ohm m^2 */

/* ---- intermediate structs filled by libcyaml (YAML units) ------------------ */

typedef struct {
    int law;
    double prefactor;
    double *ea_eV, *B_K, *T0_K;
} y_tlaw;

/* from_garnet: a garnet results file (config_handoff.c); a phase's names the
 * species, an interface's the voxel faces crossed per garnet boundary. */
typedef struct {
    char *results;
    double *li_per_fu;
    char *species;
    int64_t *faces_per_boundary;
    int *law;                       /* LIHOP_LAW_ARRHENIUS (default) or LIHOP_LAW_TABLE */
} y_from_garnet;

/* interfaces[].asr_law_ohm_cm2: constant or ASR = prefactor exp(+Ea/kT). */
typedef struct {
    int law;
    double prefactor;
    double *ea_eV;
} y_asr_law;

typedef struct {
    char *species;
    double concentration_mol_L;
    y_tlaw *D_cm2_s, *sigma_S_cm;
    double *transference_number;
} y_carrier;

/* A deck's phases[] entry and a phase material file share this struct; each
 * has its own schema (the deck's has `material`, the file's name/source and
 * the documentation keys; `name` is the phase's in a deck, the material's
 * description in a file). */
typedef struct {
    char *name;
    y_tlaw *sigma_total_S_cm;
    y_carrier *carriers;
    unsigned carriers_count;
    double *density_g_cm3;          /* for weight fractions (micro_gen_b) */
    char *material;                 /* deck: path of a phase material file */
    y_from_garnet *from_garnet;     /* deck: Li transport from garnet bulk results */
    char *source, *composition;     /* material file: provenance, documentation */
    double *melting_K, *crystalline_sigma_298K_S_cm;   /* material file: documentation only */
} y_phase;

typedef struct {
    char *name;
    int64_t charge;
} y_species;

typedef struct {
    char **phases;
    unsigned phases_count;
    double *asr_ohm_cm2;            /* sweepable: a list after lihop_sweep_wrap */
    unsigned asr_ohm_cm2_count;
    y_asr_law *asr_law_ohm_cm2;     /* or a temperature law */
    y_from_garnet *from_garnet;     /* or the law fitted to garnet bicrystal results */
    char **species;
    unsigned species_count;
} y_iface;

typedef struct {
    char **phases;                  /* [side, other] */
    unsigned phases_count;
    int profile;
    double *phi0_V, *length_m;      /* sweepable: lists after lihop_sweep_wrap; `table` is read from the document */
    unsigned phi0_V_count, length_m_count;
} y_vsc;

typedef struct {
    char *phase;
    double fraction;
} y_layer;

typedef struct {
    int64_t value;
    char *phase;
} y_label;

typedef struct {
    int64_t *box_voxels;
    unsigned box_voxels_count;
    double voxel_size_m;
    int generator;
    char *matrix, *filler;
    double *volume_fraction, *radius_voxels;   /* sweepable lists */
    unsigned volume_fraction_count, radius_voxels_count;
    bool *overlap;
    int *axis;
    y_layer *layers;
    unsigned layers_count;
    char *file, *dataset;
    y_label *labels;
    unsigned labels_count;
    uint64_t *seed;
    /* polycrystals, PIC, stacks, crystallinity (micro_gen.h) */
    int64_t *grains;
    double *grain_size_m, *gb_thickness_m;
    char *grain, *boundary, *polymer;
    struct y_slab *slabs;
    unsigned slabs_count;
    struct y_cryst *crystallinity;
    /* group B generators (config_voxel.c conv_gen_b) */
    double *weight_fraction;        /* sweepable list, converted to volume_fraction */
    unsigned weight_fraction_count;
    double *radius_m, *radius_sigma;
    int *packing;
    double *diameter_m, *diameter_voxels, *length_m, *length_voxels;
    int *orientation;
    char *interphase;
    double *interphase_thickness_m;
} y_micro;

/* One slab of a stack: a generator block of its own (scalars only). */
typedef struct y_slab {
    double fraction;
    int generator;
    char *matrix, *filler;
    double *volume_fraction, *radius_voxels;
    bool *overlap;
    int64_t *grains;
    double *grain_size_m, *gb_thickness_m;
    char *grain, *boundary, *polymer;
    uint64_t *seed;
} y_slab;

typedef struct {
    double x, y;
} y_xy;

typedef struct y_cryst {
    char *polymer, *crystalline;
    double cluster_voxels;
    double *fraction, *melting_K;
    y_xy *fraction_vs_T;
    unsigned fraction_vs_T_count;
    y_xy *filler_factor;
    unsigned filler_factor_count;
} y_cryst;

typedef struct {
    uint64_t walkers;
    double *hops_per_walker, *time_s;
    int64_t *samples, *batches, *max_extensions;
    bool *exact_reference;
} y_run;

typedef struct {
    int model;
    int *backend;
    uint64_t *seed;
    unsigned seed_count;
    double *temperature_K;
    unsigned temperature_K_count;
    y_species *species;
    unsigned species_count;
    char *transference_species;
    y_phase *phases;
    unsigned phases_count;
    y_iface *interfaces;
    unsigned interfaces_count;
    y_vsc *space_charge;
    unsigned space_charge_count;
    y_micro *microstructure;
    y_run *run;
    struct y_point *points;         /* explicit points: table (config_points.c) */
    unsigned points_count;
} y_top;


/* ---- garnet decks and material files ---------------------------------------- */

typedef struct {
    char **pair;
    unsigned pair_count;
    double value;
} y_kra;

typedef struct {
    char *sublattice;
    double value;
} y_site_e;

typedef struct {
    double from_A, to_A, value;
} y_shell;

typedef struct {
    int profile;
    double *phi0_V, *length_A;      /* `table` is read from the document (see sc_fields) */
} y_sc;

typedef struct {
    int *axis;
    double *center_frac, *thickness_A, *kra_shift_eV, *site_shift_eV, *disorder_sigma_eV,
        *site_removal_fraction;
    y_sc *space_charge;
} y_bicrystal;

/* The `garnet:` block of a deck and a material file share this struct; each
 * has its own schema (the material has name/source, the deck the rest). */
typedef struct {
    char *name, *source;
    char *material;
    char *lattice;
    int64_t *cells;
    unsigned cells_count;
    double *li_per_fu;
    unsigned li_per_fu_count;
    double *li_per_cell;
    unsigned li_per_cell_count;
    int *rate_law;
    double *nu_Hz;
    y_kra *E_kra_eV;
    unsigned E_kra_eV_count;
    y_site_e *site_energy_eV;
    unsigned site_energy_eV_count;
    double *E_nn_eV, *disorder_sigma_eV;
    y_shell *pair_shells_eV;
    unsigned pair_shells_eV_count;
    double *drift_fields_V_m;
    unsigned drift_fields_V_m_count;
    y_bicrystal *bicrystal;
} y_garnet;

typedef struct {
    uint64_t *replicas;
    double *hops_per_li, *time_s, *equil_hops_per_li;
    int64_t *samples, *batches;
    double *fit_window;
    unsigned fit_window_count;
} y_grun;

typedef struct {
    int model;
    int *backend;
    uint64_t *seed;
    unsigned seed_count;
    double *temperature_K;
    unsigned temperature_K_count;
    y_garnet *garnet;
    y_grun *run;
    struct y_point *points;
    unsigned points_count;
} y_gtop;


typedef struct {
    const char *name;       /* file name used in messages */
    yaml_document_t doc;
    lihop_err *err;
    char got[96];           /* "got ..." text of the current message */
    char log[512];          /* libcyaml's messages, for the rare case it disagrees with pass 2 */
    size_t loglen;
    int have_doc;           /* doc is loaded and must be deleted */
    const lihop_sweep_node *sw;     /* the deck's sweepable keys (sweep_keys.h) */
    int nsw;
} pctx;

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif


/* Accepted ranges of numeric keys (README "Config reference" says why).  A
 * value outside them would overflow, hang or give a meaningless result, and
 * is refused here rather than found at run time. */
#define T_MIN_K 50.0                /* the garnet and polymer (VTF) laws mean nothing far outside */
#define T_MAX_K 3000.0
#define VOXEL_MIN_M 1e-10           /* one atom ... */
#define VOXEL_MAX_M 1e-2            /* ... a centimetre (a cell stack) */
#define CONC_MAX_MOL_L 200.0        /* 1.2e29 1/m^3; Li metal is 77 mol/L */
#define D_PREF_MAX_CM2_S 1e3        /* Arrhenius prefactors of solids are 1e-4 .. 10 cm^2/s */
#define SIGMA_PREF_MAX_S_CM 1e8     /* sigma T = A exp(-Ea/kT) prefactors reach ~1e6 S K/cm */
#define EA_MAX_EV 5.0               /* activation energies and barriers */
#define VTF_B_MAX_K 1e5
#define ASR_MAX_OHM_CM2 1e9         /* beyond this an interface is an insulator */
#define ENERGY_MAX_EV 5.0           /* |site energies, pair energies, shifts| */
#define DISORDER_MAX_EV 1.0
#define PHI_MAX_V 5.0               /* |space-charge potential| */
#define SHELL_MAX_A 50.0            /* pair-shell windows */
#define NU_MIN_HZ 1e10              /* attempt frequencies: phonons are 1e12 .. 1e14 Hz */
#define NU_MAX_HZ 1e15
#define DENSITY_MAX_G_CM3 30.0      /* osmium, the densest element, is 22.6 g/cm^3 */
#define MIN_HOPS 10.0               /* mean hops per walker / Li: fewer give no diffusive MSD */
#define MAX_HOPS_PER_POINT 1e13     /* hours on a GPU, weeks on a CPU */

/* pass 2 (config_schema.c): the libcyaml schemas, messages, the schema checker and loader */
lihop_status cfg_check_load(pctx *c, const char *text, const cyaml_schema_value_t *schema, void **out);
lihop_status cfg_fail_at(pctx *c, const char *path, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* The applied field at `path`: one [Ex, Ey, Ez] or a list of them (an axis).
 * v gets up to LIHOP_MAX_AXIS_VALUES vectors, *n their count (0: absent);
 * they also become the coordinates field_x/y/z_V_m, which move together. */
lihop_status cfg_field_vectors(pctx *c, lihop_config *cfg, const char *path, double v[][3], int *n);
/* Vector i of the field coordinates into E; 0 when there is no such vector. */
int cfg_field_at(const lihop_config *cfg, int i, double E[3]);
/* 1 if the coordinate of this kind was written as a list (an axis). */
int cfg_coord_swept(const lihop_config *cfg, lihop_coord_kind kind);

/* One row of a points: table (the keys a row may give; NULL: not given). */
typedef struct y_point {
    uint64_t *seed;
    double *temperature_K, *volume_fraction, *radius_voxels, *asr_ohm_cm2, *li_per_fu, *li_per_cell;
} y_point;
#define LIHOP_MAX_TABLE_POINTS 4096
extern const cyaml_schema_value_t cfg_voxel_point_entry, cfg_garnet_point_entry;
/* Make the sweep the rows of the table (config_points.c): each key it gives
 * becomes an axis of the rows' distinct values; cfg->points_value gets every
 * row's coordinates. */
lihop_status cfg_points_apply(pctx *c, lihop_config *cfg, const y_point *rows, unsigned n);
lihop_status cfg_fail_line(pctx *c, int line, const char *path, const char *fmt, ...) PRINTF_LIKE(4, 5);
void cfg_free_loaded(const cyaml_schema_value_t *schema, void *y);
const char *cfg_got(pctx *c, const char *path);
void cfg_join_append(char *buf, size_t cap, const char *item);
int cfg_line_of(pctx *c, const char *path);
/* phases[i].owner (material, from_garnet) excludes each of keys[0..n): the
 * first of them present is an error naming both lines. */
lihop_status cfg_phase_exclusive(pctx *c, int i, const char *owner, const char *const *keys, size_t n);
lihop_status cfg_model_keys(pctx *c, yaml_document_t *doc, int garnet);
int cfg_present(pctx *c, const char *path);
extern const cyaml_schema_value_t cfg_top_schema, cfg_gtop_schema, cfg_material_schema, cfg_phase_material_schema;
extern const cyaml_strval_t cfg_law_strings[LIHOP_LAW_VTF + 1];
extern const cyaml_strval_t cfg_generator_strings[LIHOP_GEN_FIBRES + 1];
extern const cyaml_strval_t cfg_profile_strings[LIHOP_SC_TABLE + 1];

/* range checks, name look-ups and sweep coordinates (config_checks.c) */
lihop_status cfg_add_coord(pctx *c, lihop_config *cfg, lihop_coord_kind kind, int target, const char *name, const char *unit, const char *path, const double *v, int n);
lihop_status cfg_check_field(pctx *c, const lihop_config *cfg, const char *path, double E, double d_m, int z, const char *hop);
lihop_status cfg_check_list(pctx *c, const char *path, const double *v, unsigned n, int open_lo, double lo, double hi, const char *what, const char *unit);
lihop_status cfg_conv_temperatures(pctx *c, lihop_config *cfg, const double *T, unsigned n);
lihop_status cfg_energy_range(pctx *c, const char *path, double v);
lihop_status cfg_need_phase(pctx *c, const lihop_config *cfg, const char *path, const char *name, int *out);

/* A space-charge profile at `base` (config_sc.c): the profile's keys only,
 * phi0_V, the length under `length_key` (in `unit`) and the table rows. */
typedef struct {
    lihop_sc_profile *profile;
    double *phi0_V, *length;
    int *ntable;
    double *table_d, *table_phi;
} cfg_sc_target;
lihop_status cfg_conv_sc_profile(pctx *c, const char *base, const char *length_key, const char *unit, int profile,
                                 const double *phi0_V, const double *length, cfg_sc_target *t);
lihop_status cfg_need_range(pctx *c, const char *path, double v, int open_lo, double lo, double hi, const char *what, const char *unit);
lihop_status cfg_need_species(pctx *c, const lihop_config *cfg, const char *path, const char *name, int *out);
int cfg_phase_index(const lihop_config *cfg, const char *name);
lihop_status cfg_seed_and_temperature_coords(pctx *c, lihop_config *cfg, const uint64_t *seed, unsigned nseed);
int cfg_species_index(const lihop_config *cfg, const char *name);

/* Files a deck names (material and lattice files, config_checks.c): `rel`
 * relative to the directory of the file that names it, c->name. */
void cfg_dir_of(const char *path, char *dir, size_t cap);
int cfg_join_path(const char *dir, const char *rel, char *out, size_t cap);
/* Read the file `rel` named at key `key` of c into path/text (text malloc'd,
 * the caller frees) and run passes 1-3 on it against `schema` with m as its
 * context: m->name is `path`, so its errors name that file and its lines
 * (m->doc is loaded when m->have_doc, the caller deletes it). */
lihop_status cfg_load_side_file(pctx *c, const char *key, const char *rel, const char *what, pctx *m,
                                char *path, size_t cap, char **text, const cyaml_schema_value_t *schema,
                                void **out);

/* voxel decks (config_voxel.c) */
lihop_status cfg_convert_voxel(pctx *c, const y_top *y, lihop_config *cfg);
/* A phase's transport (sigma_total_S_cm, carriers) from y into cfg->phases[i];
 * `pre` is the key prefix in c's file: "phases[i]." in a deck, "" in a material file. */
lihop_status cfg_conv_phase(pctx *c, lihop_config *cfg, int i, const y_phase *y, const char *pre);
/* phases[i].material (config_material.c): load the file, convert its
 * transport and density into cfg (errors name the file), keep its text. */
lihop_status cfg_phase_material(pctx *c, lihop_config *cfg, int i, const y_phase *y);
/* phases[i].from_garnet (config_handoff.c): the Li carrier from a garnet bulk
 * results file (through the registered reader); errors name the deck key. */
lihop_status cfg_phase_from_garnet(pctx *c, lihop_config *cfg, int i, const y_phase *y);
/* interfaces[k]: exactly one of asr_ohm_cm2 (constant, sweepable, converted
 * by the caller), asr_law_ohm_cm2 or from_garnet (config_handoff.c); *constant
 * is set to 1 when the caller is to read asr_ohm_cm2. */
lihop_status cfg_iface_asr(pctx *c, lihop_config *cfg, int k, const y_iface *y, int *constant);
/* voronoi, pic, stack and crystallinity keys (config_micro_gen.c) */
lihop_status cfg_conv_micro_gen(pctx *c, lihop_config *cfg, const y_micro *y);
/* group B generator keys: densities, weight_fraction, log-normal radii, packing,
 * fibres and interphase shells (config_gen_b.c), after conv_micro */
lihop_status cfg_conv_gen_b(pctx *c, lihop_config *cfg, const y_top *y);

/* garnet decks and material files (config_garnet.c) */
lihop_status cfg_convert_garnet(pctx *c, const y_gtop *y, lihop_config *cfg);

/* the public API (config.c) */
lihop_status cfg_read_text(const char *path, char **out, lihop_err *err);
#endif
