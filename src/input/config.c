/* config.c - read a lihop input deck (YAML) into lihop_config, in SI units.
 *
 * Three passes over the same text:
 *   1. libyaml builds a document: syntax errors, and the key path -> line map
 *      every later message uses (yaml_locate.c).
 *   2. The document is walked against the libcyaml schema below: unknown or
 *      repeated keys, missing required keys, wrong kinds of value and scalars
 *      that are not strictly an integer / number / boolean / enum value.  This
 *      pass exists because libcyaml 1.3.1 is lax (it loads "seed: -1" as
 *      2^64-1, "charge: 1.5" as 1 and "overlap: maybe" as true) and its own
 *      line numbers point at whatever event it was reading.
 *   3. libcyaml loads the intermediate y_* structs, which are converted to SI
 *      and checked for ranges and cross references.
 * The deck's `model:` picks the schema (top_schema for voxel, gtop_schema for
 * garnet).  A garnet deck's material file goes through the same three passes
 * against material_schema, with its own file name and lines in messages; its
 * values are applied first, then the deck's (per pair / per sublattice for
 * E_kra_eV and site_energy_eV), and sublattice names are checked against the
 * lattice file, which is loaded here (lihop_lattice_spec_load).
 * The library never prints: libcyaml's log goes through capture_log(). */
#include "constants.h"
#include "config.h"
#include "rng.h"
#include "sweep_keys.h"
#include "yaml_locate.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_CAP 256
#define MAX_CONFIG_BYTES (16u << 20)

/* Unit conversions from the keys' units to SI, written once. */
static double cm2_s_to_si(double x) { return x * 1e-4; }        /* cm^2/s -> m^2/s */
static double s_cm_to_si(double x) { return x * 100.0; }        /* S/cm -> S/m */
static double mol_l_to_si(double x) { return x * 1000.0 * LIHOP_NA; } /* mol/L -> 1/m^3 */
static double ohm_cm2_to_si(double x) { return x * 1e-4; }      /* ohm cm^2 -> ohm m^2 */

/* ---- intermediate structs filled by libcyaml (YAML units) ------------------ */

typedef struct {
    int law;
    double prefactor;
    double *ea_eV, *B_K, *T0_K;
} y_tlaw;

typedef struct {
    char *species;
    double concentration_mol_L;
    y_tlaw *D_cm2_s, *sigma_S_cm;
    double *transference_number;
} y_carrier;

typedef struct {
    char *name;
    y_tlaw *sigma_total_S_cm;
    y_carrier *carriers;
    unsigned carriers_count;
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
    char **species;
    unsigned species_count;
} y_iface;

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
} y_micro;

typedef struct {
    uint64_t walkers;
    double *hops_per_walker, *time_s;
    int64_t *samples, *batches;
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
    y_micro *microstructure;
    double *field_V_m;
    unsigned field_V_m_count;
    y_run *run;
} y_top;

/* ---- libcyaml schema ------------------------------------------------------- */

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)
#define NAME_MAX_CHARS (LIHOP_NAME_LEN - 1)

/* model: decides which top-level schema the deck is checked against. */
static const cyaml_strval_t model_strings[] = {{"voxel", LIHOP_MODEL_VOXEL},
                                               {"garnet", LIHOP_MODEL_GARNET}};
static const cyaml_strval_t backend_strings[] = {
    {"auto", LIHOP_BACKEND_AUTO}, {"cpu", LIHOP_BACKEND_CPU}, {"cuda", LIHOP_BACKEND_CUDA}};
static const cyaml_strval_t law_strings[] = {
    {"constant", LIHOP_LAW_CONSTANT}, {"arrhenius", LIHOP_LAW_ARRHENIUS}, {"vtf", LIHOP_LAW_VTF}};
static const cyaml_strval_t generator_strings[] = {
    {"uniform", LIHOP_GEN_UNIFORM}, {"laminate", LIHOP_GEN_LAMINATE}, {"spheres", LIHOP_GEN_SPHERES},
    {"random_voxels", LIHOP_GEN_RANDOM_VOXELS}, {"hdf5", LIHOP_GEN_HDF5}};
static const cyaml_strval_t axis_strings[] = {{"x", 0}, {"y", 1}, {"z", 2}};

static const cyaml_schema_value_t number_entry = {CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double)};
static const cyaml_schema_value_t int_entry = {CYAML_VALUE_INT(CYAML_FLAG_DEFAULT, int64_t)};
static const cyaml_schema_value_t uint_entry = {CYAML_VALUE_UINT(CYAML_FLAG_DEFAULT, uint64_t)};
static const cyaml_schema_value_t name_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, NAME_MAX_CHARS)};

static const cyaml_schema_field_t tlaw_fields[] = {
    CYAML_FIELD_ENUM("law", CYAML_FLAG_STRICT, y_tlaw, law, law_strings,
                     CYAML_ARRAY_LEN(law_strings)),
    CYAML_FIELD_FLOAT("prefactor", CYAML_FLAG_DEFAULT, y_tlaw, prefactor),
    CYAML_FIELD_FLOAT_PTR("Ea_eV", OPT, y_tlaw, ea_eV),
    CYAML_FIELD_FLOAT_PTR("B_K", OPT, y_tlaw, B_K),
    CYAML_FIELD_FLOAT_PTR("T0_K", OPT, y_tlaw, T0_K),
    CYAML_FIELD_END};

static const cyaml_schema_field_t carrier_fields[] = {
    CYAML_FIELD_STRING_PTR("species", CYAML_FLAG_POINTER, y_carrier, species, 1, NAME_MAX_CHARS),
    CYAML_FIELD_FLOAT("concentration_mol_L", CYAML_FLAG_DEFAULT, y_carrier, concentration_mol_L),
    CYAML_FIELD_MAPPING_PTR("D_cm2_s", OPT, y_carrier, D_cm2_s, tlaw_fields),
    CYAML_FIELD_MAPPING_PTR("sigma_S_cm", OPT, y_carrier, sigma_S_cm, tlaw_fields),
    CYAML_FIELD_FLOAT_PTR("transference_number", OPT, y_carrier, transference_number),
    CYAML_FIELD_END};
static const cyaml_schema_value_t carrier_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_carrier, carrier_fields)};

static const cyaml_schema_field_t phase_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, y_phase, name, 1, NAME_MAX_CHARS),
    CYAML_FIELD_MAPPING_PTR("sigma_total_S_cm", OPT, y_phase, sigma_total_S_cm, tlaw_fields),
    CYAML_FIELD_SEQUENCE("carriers", OPT, y_phase, carriers, &carrier_entry, 0, LIHOP_MAX_SPECIES),
    CYAML_FIELD_END};
static const cyaml_schema_value_t phase_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_phase, phase_fields)};

static const cyaml_schema_field_t species_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, y_species, name, 1, NAME_MAX_CHARS),
    CYAML_FIELD_INT("charge", CYAML_FLAG_DEFAULT, y_species, charge),
    CYAML_FIELD_END};
static const cyaml_schema_value_t species_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_species, species_fields)};

static const cyaml_schema_field_t iface_fields[] = {
    CYAML_FIELD_SEQUENCE("phases", CYAML_FLAG_POINTER, y_iface, phases, &name_entry, 2, 2),
    CYAML_FIELD_SEQUENCE("asr_ohm_cm2", CYAML_FLAG_POINTER, y_iface, asr_ohm_cm2, &number_entry, 1,
                         LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_SEQUENCE("species", OPT, y_iface, species, &name_entry, 1, LIHOP_MAX_SPECIES),
    CYAML_FIELD_END};
static const cyaml_schema_value_t iface_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_iface, iface_fields)};

static const cyaml_schema_field_t layer_fields[] = {
    CYAML_FIELD_STRING_PTR("phase", CYAML_FLAG_POINTER, y_layer, phase, 1, NAME_MAX_CHARS),
    CYAML_FIELD_FLOAT("fraction", CYAML_FLAG_DEFAULT, y_layer, fraction),
    CYAML_FIELD_END};
static const cyaml_schema_value_t layer_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_layer, layer_fields)};

static const cyaml_schema_field_t label_fields[] = {
    CYAML_FIELD_INT("value", CYAML_FLAG_DEFAULT, y_label, value),
    CYAML_FIELD_STRING_PTR("phase", CYAML_FLAG_POINTER, y_label, phase, 1, NAME_MAX_CHARS),
    CYAML_FIELD_END};
static const cyaml_schema_value_t label_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_label, label_fields)};

static const cyaml_schema_field_t micro_fields[] = {
    CYAML_FIELD_SEQUENCE("box_voxels", CYAML_FLAG_POINTER, y_micro, box_voxels, &int_entry, 3, 3),
    CYAML_FIELD_FLOAT("voxel_size_m", CYAML_FLAG_DEFAULT, y_micro, voxel_size_m),
    CYAML_FIELD_ENUM("generator", CYAML_FLAG_STRICT, y_micro, generator, generator_strings,
                     CYAML_ARRAY_LEN(generator_strings)),
    CYAML_FIELD_STRING_PTR("matrix", OPT, y_micro, matrix, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("filler", OPT, y_micro, filler, 1, NAME_MAX_CHARS),
    CYAML_FIELD_SEQUENCE("volume_fraction", OPT, y_micro, volume_fraction, &number_entry, 1,
                         LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_SEQUENCE("radius_voxels", OPT, y_micro, radius_voxels, &number_entry, 1, LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_BOOL_PTR("overlap", OPT, y_micro, overlap),
    CYAML_FIELD_ENUM_PTR("axis", OPT | CYAML_FLAG_STRICT, y_micro, axis, axis_strings,
                         CYAML_ARRAY_LEN(axis_strings)),
    CYAML_FIELD_SEQUENCE("layers", OPT, y_micro, layers, &layer_entry, 1, LIHOP_MAX_LAYERS),
    CYAML_FIELD_STRING_PTR("file", OPT, y_micro, file, 1, LIHOP_PATH_LEN - 1),
    CYAML_FIELD_STRING_PTR("dataset", OPT, y_micro, dataset, 1,
                           sizeof(((lihop_micro_cfg *)NULL)->h5_dataset) - 1),
    CYAML_FIELD_SEQUENCE("labels", OPT, y_micro, labels, &label_entry, 1, LIHOP_MAX_LABELS),
    CYAML_FIELD_UINT_PTR("seed", OPT, y_micro, seed),
    CYAML_FIELD_END};

static const cyaml_schema_field_t run_fields[] = {
    CYAML_FIELD_UINT("walkers", CYAML_FLAG_DEFAULT, y_run, walkers),
    CYAML_FIELD_FLOAT_PTR("hops_per_walker", OPT, y_run, hops_per_walker),
    CYAML_FIELD_FLOAT_PTR("time_s", OPT, y_run, time_s),
    CYAML_FIELD_INT_PTR("samples", OPT, y_run, samples),
    CYAML_FIELD_INT_PTR("batches", OPT, y_run, batches),
    CYAML_FIELD_END};

static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_ENUM("model", CYAML_FLAG_STRICT, y_top, model, model_strings,
                     CYAML_ARRAY_LEN(model_strings)),
    CYAML_FIELD_ENUM_PTR("backend", OPT | CYAML_FLAG_STRICT, y_top, backend, backend_strings,
                         CYAML_ARRAY_LEN(backend_strings)),
    CYAML_FIELD_SEQUENCE("seed", OPT, y_top, seed, &uint_entry, 1, LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_SEQUENCE("temperature_K", CYAML_FLAG_POINTER, y_top, temperature_K, &number_entry,
                         1, LIHOP_MAX_TEMPS),
    CYAML_FIELD_SEQUENCE("species", CYAML_FLAG_POINTER, y_top, species, &species_entry, 1,
                         LIHOP_MAX_SPECIES),
    CYAML_FIELD_STRING_PTR("transference_species", OPT, y_top, transference_species, 1,
                           NAME_MAX_CHARS),
    CYAML_FIELD_SEQUENCE("phases", CYAML_FLAG_POINTER, y_top, phases, &phase_entry, 1,
                         LIHOP_MAX_PHASES),
    CYAML_FIELD_SEQUENCE("interfaces", OPT, y_top, interfaces, &iface_entry, 0,
                         LIHOP_MAX_INTERFACES),
    CYAML_FIELD_MAPPING_PTR("microstructure", CYAML_FLAG_POINTER, y_top, microstructure,
                            micro_fields),
    CYAML_FIELD_SEQUENCE("field_V_m", OPT, y_top, field_V_m, &number_entry, 3, 3),
    CYAML_FIELD_MAPPING_PTR("run", CYAML_FLAG_POINTER, y_top, run, run_fields),
    CYAML_FIELD_END};

static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_top, top_fields)};

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
    double *field_V_m;
    unsigned field_V_m_count;
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
} y_gtop;

#define SUBNAME_MAX_CHARS 15        /* lihop_lattice subname[16] */
static const cyaml_strval_t rate_law_strings[] = {{"kra", LIHOP_GRATE_KRA},
                                                  {"metropolis", LIHOP_GRATE_METROPOLIS}};
static const cyaml_strval_t profile_strings[] = {
    {"none", LIHOP_SC_NONE}, {"gouy_chapman", LIHOP_SC_GOUY_CHAPMAN},
    {"mott_schottky", LIHOP_SC_MOTT_SCHOTTKY}, {"table", LIHOP_SC_TABLE}};
static const cyaml_schema_value_t subname_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, SUBNAME_MAX_CHARS)};
/* space_charge.table is a list of [d_A, phi_V] rows.  libcyaml 1.3.1 cannot
 * load a sequence of fixed sequences (it allocates one element per row and
 * writes two), so libcyaml ignores the key and pass 3 reads the rows from the
 * document; pass 2 checks them against table_check_schema instead. */
static const cyaml_schema_value_t table_row_entry = {
    CYAML_VALUE_SEQUENCE_FIXED(CYAML_FLAG_DEFAULT, double, &number_entry, 2)};
static const cyaml_schema_value_t table_check_schema = {
    CYAML_VALUE_SEQUENCE(CYAML_FLAG_POINTER, double, &table_row_entry, 1, LIHOP_MAX_SC_TABLE)};
#define SC_TABLE_FIELD 3

static const cyaml_schema_field_t kra_fields[] = {
    CYAML_FIELD_SEQUENCE("pair", CYAML_FLAG_POINTER, y_kra, pair, &subname_entry, 2, 2),
    CYAML_FIELD_FLOAT("value", CYAML_FLAG_DEFAULT, y_kra, value),
    CYAML_FIELD_END};
static const cyaml_schema_value_t kra_entry = {CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_kra, kra_fields)};

static const cyaml_schema_field_t site_e_fields[] = {
    CYAML_FIELD_STRING_PTR("sublattice", CYAML_FLAG_POINTER, y_site_e, sublattice, 1, SUBNAME_MAX_CHARS),
    CYAML_FIELD_FLOAT("value", CYAML_FLAG_DEFAULT, y_site_e, value),
    CYAML_FIELD_END};
static const cyaml_schema_value_t site_e_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_site_e, site_e_fields)};

static const cyaml_schema_field_t shell_fields[] = {
    CYAML_FIELD_FLOAT("from_A", CYAML_FLAG_DEFAULT, y_shell, from_A),
    CYAML_FIELD_FLOAT("to_A", CYAML_FLAG_DEFAULT, y_shell, to_A),
    CYAML_FIELD_FLOAT("value", CYAML_FLAG_DEFAULT, y_shell, value),
    CYAML_FIELD_END};
static const cyaml_schema_value_t shell_entry = {CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_shell, shell_fields)};

static const cyaml_schema_field_t sc_fields[] = {
    CYAML_FIELD_ENUM("profile", CYAML_FLAG_STRICT, y_sc, profile, profile_strings,
                     CYAML_ARRAY_LEN(profile_strings)),
    CYAML_FIELD_FLOAT_PTR("phi0_V", OPT, y_sc, phi0_V),
    CYAML_FIELD_FLOAT_PTR("length_A", OPT, y_sc, length_A),
    CYAML_FIELD_IGNORE("table", CYAML_FLAG_OPTIONAL),   /* index SC_TABLE_FIELD */
    CYAML_FIELD_END};

static const cyaml_schema_field_t bicrystal_fields[] = {
    CYAML_FIELD_ENUM_PTR("axis", OPT | CYAML_FLAG_STRICT, y_bicrystal, axis, axis_strings,
                         CYAML_ARRAY_LEN(axis_strings)),
    CYAML_FIELD_FLOAT_PTR("center_frac", OPT, y_bicrystal, center_frac),
    CYAML_FIELD_FLOAT_PTR("thickness_A", OPT, y_bicrystal, thickness_A),
    CYAML_FIELD_FLOAT_PTR("kra_shift_eV", OPT, y_bicrystal, kra_shift_eV),
    CYAML_FIELD_FLOAT_PTR("site_shift_eV", OPT, y_bicrystal, site_shift_eV),
    CYAML_FIELD_FLOAT_PTR("disorder_sigma_eV", OPT, y_bicrystal, disorder_sigma_eV),
    CYAML_FIELD_FLOAT_PTR("site_removal_fraction", OPT, y_bicrystal, site_removal_fraction),
    CYAML_FIELD_MAPPING_PTR("space_charge", OPT, y_bicrystal, space_charge, sc_fields),
    CYAML_FIELD_END};

/* Keys a material file may set; the deck's garnet block may set them too. */
#define GARNET_MATERIAL_FIELDS                                                                      \
    CYAML_FIELD_STRING_PTR("lattice", OPT, y_garnet, lattice, 1, LIHOP_PATH_LEN - 1),                \
    CYAML_FIELD_ENUM_PTR("rate_law", OPT | CYAML_FLAG_STRICT, y_garnet, rate_law, rate_law_strings,  \
                         CYAML_ARRAY_LEN(rate_law_strings)),                                        \
    CYAML_FIELD_FLOAT_PTR("nu_Hz", OPT, y_garnet, nu_Hz),                                           \
    CYAML_FIELD_SEQUENCE("E_kra_eV", OPT, y_garnet, E_kra_eV, &kra_entry, 1,                        \
                         LIHOP_MAX_SUBLATTICES * LIHOP_MAX_SUBLATTICES),                            \
    CYAML_FIELD_SEQUENCE("site_energy_eV", OPT, y_garnet, site_energy_eV, &site_e_entry, 1,         \
                         LIHOP_MAX_SUBLATTICES),                                                    \
    CYAML_FIELD_FLOAT_PTR("E_nn_eV", OPT, y_garnet, E_nn_eV),                                       \
    CYAML_FIELD_SEQUENCE("pair_shells_eV", OPT, y_garnet, pair_shells_eV, &shell_entry, 1,          \
                         LIHOP_GARNET_MAX_SHELLS),                                                  \
    CYAML_FIELD_FLOAT_PTR("disorder_sigma_eV", OPT, y_garnet, disorder_sigma_eV)

static const cyaml_schema_field_t material_fields[] = {
    CYAML_FIELD_STRING_PTR("name", OPT, y_garnet, name, 1, 127),
    CYAML_FIELD_STRING_PTR("source", OPT, y_garnet, source, 1, 1023),
    GARNET_MATERIAL_FIELDS,
    CYAML_FIELD_END};
static const cyaml_schema_value_t material_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_garnet, material_fields)};

static const cyaml_schema_field_t garnet_fields[] = {
    CYAML_FIELD_STRING_PTR("material", OPT, y_garnet, material, 1, LIHOP_PATH_LEN - 1),
    GARNET_MATERIAL_FIELDS,
    CYAML_FIELD_SEQUENCE("cells", OPT, y_garnet, cells, &int_entry, 3, 3),
    CYAML_FIELD_SEQUENCE("li_per_fu", OPT, y_garnet, li_per_fu, &number_entry, 1, LIHOP_MAX_LI_VALUES),
    CYAML_FIELD_SEQUENCE("li_per_cell", OPT, y_garnet, li_per_cell, &number_entry, 1, LIHOP_MAX_LI_VALUES),
    CYAML_FIELD_SEQUENCE("field_V_m", OPT, y_garnet, field_V_m, &number_entry, 3, 3),
    CYAML_FIELD_SEQUENCE("drift_fields_V_m", OPT, y_garnet, drift_fields_V_m, &number_entry, 2, 2),
    CYAML_FIELD_MAPPING_PTR("bicrystal", OPT, y_garnet, bicrystal, bicrystal_fields),
    CYAML_FIELD_END};

static const cyaml_schema_field_t grun_fields[] = {
    CYAML_FIELD_UINT_PTR("replicas", OPT, y_grun, replicas),
    CYAML_FIELD_FLOAT_PTR("hops_per_li", OPT, y_grun, hops_per_li),
    CYAML_FIELD_FLOAT_PTR("time_s", OPT, y_grun, time_s),
    CYAML_FIELD_FLOAT_PTR("equil_hops_per_li", OPT, y_grun, equil_hops_per_li),
    CYAML_FIELD_INT_PTR("samples", OPT, y_grun, samples),
    CYAML_FIELD_INT_PTR("batches", OPT, y_grun, batches),
    CYAML_FIELD_SEQUENCE("fit_window", OPT, y_grun, fit_window, &number_entry, 2, 2),
    CYAML_FIELD_END};

static const cyaml_schema_field_t gtop_fields[] = {
    CYAML_FIELD_ENUM("model", CYAML_FLAG_STRICT, y_gtop, model, model_strings,
                     CYAML_ARRAY_LEN(model_strings)),
    CYAML_FIELD_ENUM_PTR("backend", OPT | CYAML_FLAG_STRICT, y_gtop, backend, backend_strings,
                         CYAML_ARRAY_LEN(backend_strings)),
    CYAML_FIELD_SEQUENCE("seed", OPT, y_gtop, seed, &uint_entry, 1, LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_SEQUENCE("temperature_K", CYAML_FLAG_POINTER, y_gtop, temperature_K, &number_entry,
                         1, LIHOP_MAX_TEMPS),
    CYAML_FIELD_MAPPING_PTR("garnet", CYAML_FLAG_POINTER, y_gtop, garnet, garnet_fields),
    CYAML_FIELD_MAPPING_PTR("run", OPT, y_gtop, run, grun_fields),
    CYAML_FIELD_END};

static const cyaml_schema_value_t gtop_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_gtop, gtop_fields)};

/* ---- parse context and messages ------------------------------------------- */

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

static lihop_status vfail_line(pctx *c, int line, const char *path, const char *fmt, va_list ap)
{
    char body[700], shown[PATH_CAP];
    vsnprintf(body, sizeof body, fmt, ap);
    /* a sweepable key written as a scalar was checked as a one-element list:
     * name it as written ("seed", not "seed[0]") */
    for (int i = 0; path && i < c->nsw; i++) {
        size_t n = strlen(c->sw[i].path);
        if (!c->sw[i].is_list && strncmp(path, c->sw[i].path, n) == 0 && strncmp(path + n, "[0]", 3) == 0) {
            snprintf(shown, sizeof shown, "%.*s%s", (int)n, path, path + n + 3);
            path = shown;
            break;
        }
    }
    if (path && path[0])
        return lihop_fail(c->err, LIHOP_ERR_INPUT, "%s:%d: key '%s': %s", c->name, line, path, body);
    return lihop_fail(c->err, LIHOP_ERR_INPUT, "%s:%d: %s", c->name, line, body);
}

/* "NAME:LINE: key 'PATH': <fmt>" at an explicit line (used for missing keys). */
static lihop_status fail_line(pctx *c, int line, const char *path, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static lihop_status fail_line(pctx *c, int line, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lihop_status st = vfail_line(c, line, path, fmt, ap);
    va_end(ap);
    return st;
}

/* The same at the line where PATH is written (or its deepest written parent). */
static lihop_status fail_at(pctx *c, const char *path, const char *fmt, ...) PRINTF_LIKE(3, 4);
static lihop_status fail_at(pctx *c, const char *path, const char *fmt, ...)
{
    int line;
    lihop_yaml_lookup(&c->doc, path, &line);
    va_list ap;
    va_start(ap, fmt);
    lihop_status st = vfail_line(c, line, path, fmt, ap);
    va_end(ap);
    return st;
}

static int line_of(pctx *c, const char *path)
{
    int line;
    lihop_yaml_lookup(&c->doc, path, &line);
    return line;
}

static int present(pctx *c, const char *path)
{
    return lihop_yaml_lookup(&c->doc, path, NULL) != NULL;
}

/* The value at PATH as written, for "got ...". */
static const char *got(pctx *c, const char *path)
{
    lihop_yaml_describe(lihop_yaml_lookup(&c->doc, path, NULL), c->got, sizeof c->got);
    return c->got;
}

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    pctx *c = ctx;
    (void)level;
    if (c->loglen + 1 >= sizeof c->log)
        return;
    int n = vsnprintf(c->log + c->loglen, sizeof c->log - c->loglen, fmt, args);
    if (n > 0)
        c->loglen += (size_t)n < sizeof c->log - c->loglen ? (size_t)n : sizeof c->log - c->loglen - 1;
}

static void join_append(char *buf, size_t cap, const char *item)
{
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", item);
}

/* ---- pass 2: the document against the schema ------------------------------ */

static void describe_schema(const cyaml_schema_value_t *s, char *buf, size_t cap)
{
    char list[400] = "";
    switch (s->type) {
    case CYAML_INT:
        snprintf(buf, cap, "an integer");
        return;
    case CYAML_UINT:
        snprintf(buf, cap, "a whole number >= 0");
        return;
    case CYAML_FLOAT:
        snprintf(buf, cap, "a number");
        return;
    case CYAML_BOOL:
        snprintf(buf, cap, "true or false");
        return;
    case CYAML_ENUM:
        for (uint32_t i = 0; i < s->enumeration.count; i++)
            join_append(list, sizeof list, s->enumeration.strings[i].str);
        snprintf(buf, cap, "one of: %s", list);
        return;
    case CYAML_STRING:
        snprintf(buf, cap, "a name of %u to %u characters", (unsigned)s->string.min,
                 (unsigned)s->string.max);
        return;
    case CYAML_MAPPING:
        for (const cyaml_schema_field_t *f = s->mapping.fields; f->key; f++)
            join_append(list, sizeof list, f->key);
        snprintf(buf, cap, "a mapping with keys %s", list);
        return;
    case CYAML_SEQUENCE:
    case CYAML_SEQUENCE_FIXED: {
        char entry[300];
        describe_schema(s->sequence.entry, entry, sizeof entry);
        if (s->sequence.min == s->sequence.max)
            snprintf(buf, cap, "a list of exactly %u entries, each %s", (unsigned)s->sequence.min,
                     entry);
        else
            snprintf(buf, cap, "a list of %u to %u entries, each %s", (unsigned)s->sequence.min,
                     (unsigned)s->sequence.max, entry);
        return;
    }
    default:
        snprintf(buf, cap, "a value");
        return;
    }
}

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        if (x != *b)
            return 0;
    }
    return *a == *b;
}

/* Digits only, with an optional sign: libcyaml would also take "1.5" or "-1"
 * for an unsigned value. */
static int integer_text(const char *v, int allow_minus)
{
    const char *p = v;
    if (*p == '+' || (allow_minus && *p == '-'))
        p++;
    if (!*p)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int scalar_ok(const cyaml_schema_value_t *s, const yaml_node_t *n)
{
    const char *v = (const char *)n->data.scalar.value;
    /* "key:" with no value is a slip even where a string could be empty. */
    if (lihop_yaml_is_null(n))
        return 0;
    /* NUL inside a scalar would cut it short for libcyaml: never accept it. */
    if (strlen(v) != n->data.scalar.length)
        return 0;
    switch (s->type) {
    case CYAML_INT: {
        if (!integer_text(v, 1))
            return 0;
        errno = 0;
        long long x = strtoll(v, NULL, 10);
        if (errno)
            return 0;
        if (s->data_size < 8) {
            long long lim = 1LL << (8 * s->data_size - 1);
            return x >= -lim && x < lim;
        }
        return 1;
    }
    case CYAML_UINT: {
        if (!integer_text(v, 0))
            return 0;
        errno = 0;
        unsigned long long x = strtoull(v, NULL, 10);
        if (errno)
            return 0;
        return s->data_size >= 8 || x < (1ULL << (8 * s->data_size));
    }
    case CYAML_FLOAT: {
        char *end;
        if (!*v || *v == ' ' || *v == '\t')
            return 0;
        double x = strtod(v, &end);
        return *end == '\0' && isfinite(x);
    }
    case CYAML_BOOL:
        return ascii_ieq(v, "true") || ascii_ieq(v, "false") || ascii_ieq(v, "yes") ||
               ascii_ieq(v, "no") || ascii_ieq(v, "on") || ascii_ieq(v, "off");
    case CYAML_ENUM:
        for (uint32_t i = 0; i < s->enumeration.count; i++)
            if (strcmp(v, s->enumeration.strings[i].str) == 0)
                return 1;
        return 0;
    case CYAML_STRING:
        return n->data.scalar.length >= s->string.min && n->data.scalar.length <= s->string.max;
    default:
        return 0;
    }
}

static lihop_status check_node(pctx *c, const cyaml_schema_value_t *s, yaml_node_t *n,
                               char *path, int line);

static lihop_status check_mapping(pctx *c, const cyaml_schema_value_t *s, yaml_node_t *n,
                                  char *path, int line)
{
    size_t plen = strlen(path);
    yaml_node_pair_t *start = n->data.mapping.pairs.start, *top = n->data.mapping.pairs.top;
    for (yaml_node_pair_t *pr = start; pr < top; pr++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(&c->doc, pr->value);
        int kline = (int)k->start_mark.line + 1;
        if (k->type != YAML_SCALAR_NODE) {
            lihop_yaml_describe(k, c->got, sizeof c->got);
            return fail_line(c, kline, path, "expected a plain key, got %s as a key", c->got);
        }
        const char *key = (const char *)k->data.scalar.value;
        snprintf(path + plen, PATH_CAP - plen, "%s%s", plen ? "." : "", key);
        const cyaml_schema_field_t *f = s->mapping.fields;
        while (f->key && strcmp(f->key, key) != 0)
            f++;
        if (!f->key) {
            char keys[400] = "";
            for (const cyaml_schema_field_t *g = s->mapping.fields; g->key; g++)
                join_append(keys, sizeof keys, g->key);
            return fail_line(c, kline, path, "expected a known key (%s), got unknown key '%.60s'",
                             keys, key);
        }
        for (yaml_node_pair_t *q = start; q < pr; q++) {
            yaml_node_t *k0 = yaml_document_get_node(&c->doc, q->key);
            if (k0->type == YAML_SCALAR_NODE && strcmp((const char *)k0->data.scalar.value, key) == 0)
                return fail_line(c, kline, path, "expected each key once, got '%s' again (first on line %d)",
                                 key, (int)k0->start_mark.line + 1);
        }
        lihop_status st = check_node(c, &f->value, v, path, kline);
        if (st != LIHOP_OK)
            return st;
        path[plen] = '\0';
    }
    for (const cyaml_schema_field_t *f = s->mapping.fields; f->key; f++) {
        if (f->value.flags & CYAML_FLAG_OPTIONAL)
            continue;
        int seen = 0;
        for (yaml_node_pair_t *pr = start; pr < top && !seen; pr++) {
            yaml_node_t *k = yaml_document_get_node(&c->doc, pr->key);
            seen = k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, f->key) == 0;
        }
        if (!seen) {
            char want[600];
            describe_schema(&f->value, want, sizeof want);
            snprintf(path + plen, PATH_CAP - plen, "%s%s", plen ? "." : "", f->key);
            return fail_line(c, line, path, "expected %s (required), got nothing", want);
        }
    }
    return LIHOP_OK;
}

static lihop_status check_node(pctx *c, const cyaml_schema_value_t *s, yaml_node_t *n,
                               char *path, int line)
{
    char want[600];
    if (s == &sc_fields[SC_TABLE_FIELD].value)
        s = &table_check_schema;
    if (s->type == CYAML_IGNORE)
        return LIHOP_OK;
    int is_map = s->type == CYAML_MAPPING;
    int is_seq = s->type == CYAML_SEQUENCE || s->type == CYAML_SEQUENCE_FIXED;
    yaml_node_type_t need = is_map ? YAML_MAPPING_NODE : is_seq ? YAML_SEQUENCE_NODE : YAML_SCALAR_NODE;
    if (n->type != need || (need == YAML_SCALAR_NODE && !scalar_ok(s, n))) {
        describe_schema(s, want, sizeof want);
        lihop_yaml_describe(n, c->got, sizeof c->got);
        return fail_line(c, line, path, "expected %s, got %s", want, c->got);
    }
    if (is_map)
        return check_mapping(c, s, n, path, line);
    if (is_seq) {
        yaml_node_item_t *items = n->data.sequence.items.start;
        unsigned count = (unsigned)(n->data.sequence.items.top - items);
        if (count < s->sequence.min || count > s->sequence.max) {
            describe_schema(s, want, sizeof want);
            return fail_line(c, line, path, "expected %s, got a list of %u entries", want, count);
        }
        size_t plen = strlen(path);
        for (unsigned i = 0; i < count; i++) {
            yaml_node_t *item = yaml_document_get_node(&c->doc, items[i]);
            snprintf(path + plen, PATH_CAP - plen, "[%u]", i);
            lihop_status st = check_node(c, s->sequence.entry, item, path, (int)item->start_mark.line + 1);
            if (st != LIHOP_OK)
                return st;
        }
        path[plen] = '\0';
    }
    return LIHOP_OK;
}

/* libcyaml refused what pass 2 accepted: report its own words at the place its
 * backtrace names ("in mapping field 'x'", "in sequence entry 'N'", innermost first). */
static lihop_status cyaml_refused(pctx *c, cyaml_err_t e)
{
    if (e == CYAML_ERR_OOM)
        return lihop_fail(c->err, LIHOP_ERR_NOMEM, "%s: out of memory while loading", c->name);
    char first[160] = "";
    const char *nl = strchr(c->log, '\n');
    size_t n = nl ? (size_t)(nl - c->log) : strlen(c->log);
    const char *msg = c->log;
    if (strncmp(msg, "Load: ", 6) == 0) {
        msg += 6;
        n = n >= 6 ? n - 6 : 0;
    }
    snprintf(first, sizeof first, "%.*s", (int)n, msg);

    const char *parts[32];
    int nparts = 0;
    for (const char *p = strstr(c->log, "  in "); p && nparts < 32; p = strstr(p + 1, "  in "))
        parts[nparts++] = p;
    char path[PATH_CAP] = "";
    for (int i = nparts - 1; i >= 0; i--) {
        const char *p = parts[i];
        size_t len = strlen(path);
        if (strncmp(p, "  in mapping field '", 20) == 0) {
            const char *q = strchr(p + 20, '\'');
            if (q)
                snprintf(path + len, sizeof path - len, "%s%.*s", len ? "." : "", (int)(q - p - 20), p + 20);
        } else if (strncmp(p, "  in sequence entry '", 21) == 0) {
            unsigned idx = (unsigned)strtoul(p + 21, NULL, 10);
            snprintf(path + len, sizeof path - len, "[%u]", idx ? idx - 1 : 0);
        }
    }
    return fail_at(c, path, "expected a value libcyaml accepts, got: %s (%s)", first,
                   cyaml_strerror(e));
}

/* ---- pass 3: conversion and cross checks ---------------------------------- */
static lihop_status energy_range(pctx *c, const char *path, double v);

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
#define MIN_HOPS 10.0               /* mean hops per walker / Li: fewer give no diffusive MSD */
#define MAX_HOPS_PER_POINT 1e13     /* hours on a GPU, weeks on a CPU */

/* "expected WHAT from LO to HI UNIT, got ..." unless lo <= v <= hi (lo < v
 * with open_lo, "above LO and at most HI"). */
static lihop_status need_range(pctx *c, const char *path, double v, int open_lo, double lo, double hi,
                               const char *what, const char *unit)
{
    if ((open_lo ? v > lo : v >= lo) && v <= hi)
        return LIHOP_OK;
    return fail_at(c, path, "expected %s %s %g %s %g%s%s, got %s", what, open_lo ? "above" : "from", lo,
                   open_lo ? "and at most" : "to", hi, unit[0] ? " " : "", unit, got(c, path));
}

/* Site, pair and shift energies: exp(+-E/kT) must stay finite down to T_MIN_K. */
static lihop_status energy_range(pctx *c, const char *path, double v)
{
    return need_range(c, path, v, 0, -ENERGY_MAX_EV, ENERGY_MAX_EV, "an energy", "eV");
}

/* Index of `name` among n names stored `stride` bytes apart, or -1. */
static int find_name(const char *name, const char *first, size_t stride, int n)
{
    for (int i = 0; i < n; i++) {
        const char *s = first + (size_t)i * stride;
        if (strcmp(s, name) == 0)
            return i;
    }
    return -1;
}

static int phase_index(const lihop_config *cfg, const char *name)
{
    return find_name(name, cfg->phases[0].name, sizeof cfg->phases[0], cfg->nphases);
}

static int species_index(const lihop_config *cfg, const char *name)
{
    return find_name(name, cfg->species[0].name, sizeof cfg->species[0], cfg->nspecies);
}

static lihop_status need_phase(pctx *c, const lihop_config *cfg, const char *path,
                               const char *name, int *out)
{
    *out = phase_index(cfg, name);
    if (*out >= 0)
        return LIHOP_OK;
    char list[400] = "";
    for (int i = 0; i < cfg->nphases; i++)
        join_append(list, sizeof list, cfg->phases[i].name);
    return fail_at(c, path, "expected a defined phase, got unknown phase '%s' (defined phases: %s)",
                   name, list);
}

static lihop_status need_species(pctx *c, const lihop_config *cfg, const char *path,
                                 const char *name, int *out)
{
    *out = species_index(cfg, name);
    if (*out >= 0)
        return LIHOP_OK;
    char list[200] = "";
    for (int i = 0; i < cfg->nspecies; i++)
        join_append(list, sizeof list, cfg->species[i].name);
    return fail_at(c, path,
                   "expected a defined species, got unknown species '%s' (defined species: %s)",
                   name, list);
}

static lihop_status conv_tlaw(pctx *c, const lihop_config *cfg, const y_tlaw *y,
                              const char *path, double (*to_si)(double), lihop_tlaw *out)
{
    static const char *const law_keys[] = {"law, prefactor", "law, prefactor, Ea_eV",
                                           "law, prefactor, B_K, T0_K"};
    const struct {
        const char *key;
        const double *v;
        int law;
        double max;
        const char *what, *unit;
    } extra[] = {{"Ea_eV", y->ea_eV, LIHOP_LAW_ARRHENIUS, EA_MAX_EV, "an activation energy", "eV"},
                 {"B_K", y->B_K, LIHOP_LAW_VTF, VTF_B_MAX_K, "a VTF pseudo-activation", "K"},
                 {"T0_K", y->T0_K, LIHOP_LAW_VTF, T_MAX_K, "a VTF temperature", "K"}};
    int is_d = to_si == cm2_s_to_si;
    lihop_status st;
    const char *law = law_strings[y->law].str;
    char p[PATH_CAP + 32];   /* room for path plus the longest law key */
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        snprintf(p, sizeof p, "%s.%s", path, extra[i].key);
        if (extra[i].v && extra[i].law != y->law)
            return fail_at(c, p, "expected only the keys of law '%s' (%s), got '%s'", law,
                           law_keys[y->law], extra[i].key);
        if (!extra[i].v && extra[i].law == y->law) {
            char lp[PATH_CAP + 32];
            snprintf(lp, sizeof lp, "%s.law", path);
            return fail_line(c, line_of(c, lp), p, "expected a value (law '%s' needs %s), got nothing",
                             law, law_keys[y->law]);
        }
        if (extra[i].v && (st = need_range(c, p, *extra[i].v, 0, 0.0, extra[i].max, extra[i].what,
                                            extra[i].unit)) != LIHOP_OK)
            return st;
    }
    snprintf(p, sizeof p, "%s.prefactor", path);
    if ((st = need_range(c, p, y->prefactor, 1, 0.0, is_d ? D_PREF_MAX_CM2_S : SIGMA_PREF_MAX_S_CM,
                         "a prefactor", is_d ? "cm^2/s" : "S/cm")) != LIHOP_OK)
        return st;
    out->law = (lihop_law_kind)y->law;
    out->prefactor = to_si(y->prefactor);
    out->ea_eV = y->ea_eV ? *y->ea_eV : 0.0;
    out->vtf_B_K = y->B_K ? *y->B_K : 0.0;
    out->vtf_T0_K = y->T0_K ? *y->T0_K : 0.0;
    if (out->law == LIHOP_LAW_VTF) {
        for (int t = 0; t < cfg->ntemps; t++) {
            if (!(cfg->temperature_K[t] > out->vtf_T0_K)) {
                snprintf(p, sizeof p, "%s.T0_K", path);
                return fail_at(c, p,
                               "expected T0_K below every temperature (temperature_K[%d] is %g K), got %s",
                               t, cfg->temperature_K[t], got(c, p));
            }
        }
    }
    return LIHOP_OK;
}

static lihop_status conv_phase(pctx *c, lihop_config *cfg, int i, const y_phase *y)
{
    lihop_phase_cfg *ph = &cfg->phases[i];
    char p[PATH_CAP / 2], q[PATH_CAP];
    lihop_status st;
    if (y->sigma_total_S_cm) {
        snprintf(p, sizeof p, "phases[%d].sigma_total_S_cm", i);
        st = conv_tlaw(c, cfg, y->sigma_total_S_cm, p, s_cm_to_si, &ph->sigma_total);
        if (st != LIHOP_OK)
            return st;
        ph->has_sigma_total = 1;
    }
    double tsum = 0.0;
    ph->ncarriers = (int)y->carriers_count;
    for (int j = 0; j < ph->ncarriers; j++) {
        const y_carrier *yc = &y->carriers[j];
        lihop_carrier_cfg *cc = &ph->carriers[j];
        snprintf(p, sizeof p, "phases[%d].carriers[%d].species", i, j);
        if ((st = need_species(c, cfg, p, yc->species, &cc->species)) != LIHOP_OK)
            return st;
        for (int k = 0; k < j; k++)
            if (ph->carriers[k].species == cc->species)
                return fail_at(c, p, "expected each species once per phase, got '%s' again (also carriers[%d])",
                               yc->species, k);
        snprintf(p, sizeof p, "phases[%d].carriers[%d].concentration_mol_L", i, j);
        if ((st = need_range(c, p, yc->concentration_mol_L, 1, 0.0, CONC_MAX_MOL_L, "a concentration",
                             "mol/L")) != LIHOP_OK)
            return st;
        cc->conc_m3 = mol_l_to_si(yc->concentration_mol_L);

        const char *given[3];
        int ngiven = 0;
        if (yc->D_cm2_s)
            given[ngiven++] = "D_cm2_s";
        if (yc->sigma_S_cm)
            given[ngiven++] = "sigma_S_cm";
        if (yc->transference_number)
            given[ngiven++] = "transference_number";
        snprintf(p, sizeof p, "phases[%d].carriers[%d]", i, j);
        if (ngiven == 0)
            return fail_at(c, p, "expected exactly one of D_cm2_s, sigma_S_cm, transference_number, got none");
        if (ngiven > 1) {
            snprintf(q, sizeof q, "%s.%s", p, given[1]);
            return fail_at(c, q, "expected exactly one of D_cm2_s, sigma_S_cm, transference_number, got both %s and %s",
                           given[0], given[1]);
        }
        if (yc->D_cm2_s) {
            cc->kind = LIHOP_TRANSPORT_D;
            snprintf(q, sizeof q, "%s.D_cm2_s", p);
            st = conv_tlaw(c, cfg, yc->D_cm2_s, q, cm2_s_to_si, &cc->law);
        } else if (yc->sigma_S_cm) {
            cc->kind = LIHOP_TRANSPORT_SIGMA;
            snprintf(q, sizeof q, "%s.sigma_S_cm", p);
            st = conv_tlaw(c, cfg, yc->sigma_S_cm, q, s_cm_to_si, &cc->law);
        } else {
            cc->kind = LIHOP_TRANSPORT_FRACTION;
            snprintf(q, sizeof q, "%s.transference_number", p);
            double t = *yc->transference_number;
            if (!(t >= 0.0 && t <= 1.0))
                return fail_at(c, q, "expected a transference number in [0, 1], got %s", got(c, q));
            if (!ph->has_sigma_total)
                return fail_at(c, q,
                               "expected sigma_total_S_cm in phase '%s' (a transference number is a share of it), got none",
                               ph->name);
            tsum += t;
            if (tsum > 1.0 + 1e-9)
                return fail_at(c, q,
                               "expected transference numbers in phase '%s' summing to at most 1, got a sum of %g",
                               ph->name, tsum);
            cc->transference = t;
            st = LIHOP_OK;
        }
        if (st != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

/* ---- sweep coordinates --------------------------------------------------- */

/* Record a sweepable key's values (already checked, SI) as a coordinate. */
static lihop_status add_coord(pctx *c, lihop_config *cfg, lihop_coord_kind kind, int target, const char *name,
                              const char *unit, const char *path, const double *v, int n)
{
    if (cfg->ncoords >= LIHOP_MAX_COORDS)
        return fail_at(c, path, "expected at most %d sweepable keys in one deck, got more", LIHOP_MAX_COORDS);
    lihop_coord *x = &cfg->coords[cfg->ncoords++];
    x->kind = kind;
    x->target = target;
    snprintf(x->name, sizeof x->name, "%s", name);
    snprintf(x->unit, sizeof x->unit, "%s", unit);
    snprintf(x->key, sizeof x->key, "%s", path);
    x->swept = lihop_sweep_is_list(c->sw, c->nsw, path);
    x->line = line_of(c, path);
    x->n = n;
    for (int i = 0; i < n; i++) {
        x->value[i] = v[i];
        for (int j = 0; j < i; j++)
            if (v[j] == v[i]) {
                char p[PATH_CAP];
                snprintf(p, sizeof p, "%s[%d]", path, i);
                return fail_at(c, p, "expected each value of a sweep axis once, got %s again (also [%d])",
                               got(c, p), j);
            }
    }
    return LIHOP_OK;
}

static int coord_order(const void *a, const void *b)
{
    const lihop_coord *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return x->target - y->target;
}

/* Seeds (exact in a double when swept), temperatures; then sort the coordinates. */
static lihop_status seed_and_temperature_coords(pctx *c, lihop_config *cfg, const uint64_t *seed, unsigned nseed)
{
    double v[LIHOP_MAX_AXIS_VALUES];
    lihop_status st;
    cfg->seed = nseed ? seed[0] : 1;
    for (unsigned i = 0; i < nseed; i++) {
        char p[PATH_CAP];
        snprintf(p, sizeof p, "seed[%u]", i);
        if (nseed > 1 && seed[i] > (UINT64_C(1) << 53))
            return fail_at(c, p, "expected a swept seed of at most 2^53 (exact in a float64 column), got %s",
                           got(c, p));
        v[i] = (double)seed[i];
    }
    if (nseed == 0)
        v[0] = 1.0;
    if ((st = add_coord(c, cfg, LIHOP_COORD_SEED, 0, "seed", "1", "seed", v, nseed ? (int)nseed : 1)) != LIHOP_OK)
        return st;
    if ((st = add_coord(c, cfg, LIHOP_COORD_TEMPERATURE, 0, "T_K", "K", "temperature_K", cfg->temperature_K,
                        cfg->ntemps)) != LIHOP_OK)
        return st;
    qsort(cfg->coords, (size_t)cfg->ncoords, sizeof cfg->coords[0], coord_order);
    return LIHOP_OK;
}

/* need_range for each value of the sweepable list `path`. */
static lihop_status check_list(pctx *c, const char *path, const double *v, unsigned n, int open_lo, double lo,
                               double hi, const char *what, const char *unit)
{
    for (unsigned i = 0; i < n; i++) {
        char p[PATH_CAP + 16];
        snprintf(p, sizeof p, "%.*s[%u]", PATH_CAP - 1, path, i);
        lihop_status st = need_range(c, p, v[i], open_lo, lo, hi, what, unit);
        if (st != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

static lihop_status conv_interfaces(pctx *c, lihop_config *cfg, const y_top *y)
{
    char p[PATH_CAP];
    lihop_status st;
    cfg->ninterfaces = (int)y->interfaces_count;
    for (int k = 0; k < cfg->ninterfaces; k++) {
        const y_iface *yi = &y->interfaces[k];
        lihop_interface_cfg *ic = &cfg->interfaces[k];
        snprintf(p, sizeof p, "interfaces[%d].phases[0]", k);
        if ((st = need_phase(c, cfg, p, yi->phases[0], &ic->phase_a)) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "interfaces[%d].phases[1]", k);
        if ((st = need_phase(c, cfg, p, yi->phases[1], &ic->phase_b)) != LIHOP_OK)
            return st;
        if (ic->phase_a == ic->phase_b)
            return fail_at(c, p, "expected two different phases, got '%s' twice", yi->phases[1]);
        for (int m = 0; m < k; m++) {
            const lihop_interface_cfg *o = &cfg->interfaces[m];
            if ((o->phase_a == ic->phase_a && o->phase_b == ic->phase_b) ||
                (o->phase_a == ic->phase_b && o->phase_b == ic->phase_a)) {
                snprintf(p, sizeof p, "interfaces[%d].phases", k);
                return fail_at(c, p, "expected each phase pair once, got %s/%s again (also interfaces[%d])",
                               yi->phases[0], yi->phases[1], m);
            }
        }
        snprintf(p, sizeof p, "interfaces[%d].asr_ohm_cm2", k);
        if ((st = check_list(c, p, yi->asr_ohm_cm2, yi->asr_ohm_cm2_count, 0, 0.0, ASR_MAX_OHM_CM2,
                             "an area-specific resistance", "ohm cm^2")) != LIHOP_OK)
            return st;
        double asr[LIHOP_MAX_AXIS_VALUES];
        for (unsigned i = 0; i < yi->asr_ohm_cm2_count; i++)
            asr[i] = ohm_cm2_to_si(yi->asr_ohm_cm2[i]);
        ic->asr_ohm_m2 = asr[0];
        char name[64];
        snprintf(name, sizeof name, "asr_ohm_m2_%s_%s", cfg->phases[ic->phase_a].name, cfg->phases[ic->phase_b].name);
        if ((st = add_coord(c, cfg, LIHOP_COORD_ASR, k, name, "ohm m^2", p, asr, (int)yi->asr_ohm_cm2_count)) !=
            LIHOP_OK)
            return st;
        if (yi->species_count == 0) {
            ic->species_mask = (1u << cfg->nspecies) - 1u;
        } else {
            ic->species_mask = 0;
            for (unsigned s = 0; s < yi->species_count; s++) {
                int idx;
                snprintf(p, sizeof p, "interfaces[%d].species[%u]", k, s);
                if ((st = need_species(c, cfg, p, yi->species[s], &idx)) != LIHOP_OK)
                    return st;
                ic->species_mask |= 1u << idx;
            }
        }
    }
    return LIHOP_OK;
}

/* Which generators use (and need) each optional microstructure key. */
#define G_UNI (1u << LIHOP_GEN_UNIFORM)
#define G_LAM (1u << LIHOP_GEN_LAMINATE)
#define G_SPH (1u << LIHOP_GEN_SPHERES)
#define G_RND (1u << LIHOP_GEN_RANDOM_VOXELS)
#define G_H5 (1u << LIHOP_GEN_HDF5)
static const struct {
    const char *key;
    unsigned uses, needs;
} generator_keys[] = {
    {"matrix", G_UNI | G_SPH | G_RND, G_UNI | G_SPH | G_RND},
    {"filler", G_SPH | G_RND, G_SPH | G_RND},
    {"volume_fraction", G_SPH | G_RND, G_SPH | G_RND},
    {"radius_voxels", G_SPH, G_SPH},
    {"overlap", G_SPH, 0},
    {"axis", G_LAM, 0},
    {"layers", G_LAM, G_LAM},
    {"file", G_H5, G_H5},
    {"dataset", G_H5, G_H5},
    {"labels", G_H5, G_H5},
};
#define N_GENERATOR_KEYS (sizeof generator_keys / sizeof generator_keys[0])

static lihop_status check_generator_keys(pctx *c, int gen)
{
    const char *gname = generator_strings[gen].str;
    char takes[200] = "", needs[200] = "", p[PATH_CAP];
    for (size_t i = 0; i < N_GENERATOR_KEYS; i++) {
        if (generator_keys[i].uses & (1u << gen))
            join_append(takes, sizeof takes, generator_keys[i].key);
        if (generator_keys[i].needs & (1u << gen))
            join_append(needs, sizeof needs, generator_keys[i].key);
    }
    for (size_t i = 0; i < N_GENERATOR_KEYS; i++) {
        snprintf(p, sizeof p, "microstructure.%s", generator_keys[i].key);
        int has = present(c, p);
        if (has && !(generator_keys[i].uses & (1u << gen))) {
            char owners[120] = "";
            for (size_t g = 0; g < CYAML_ARRAY_LEN(generator_strings); g++)
                if (generator_keys[i].uses & (1u << g))
                    join_append(owners, sizeof owners, generator_strings[g].str);
            return fail_at(c, p,
                           "expected only the keys of generator '%s' (%s%sbox_voxels, voxel_size_m, seed), got '%s', which belongs to generator %s",
                           gname, takes, takes[0] ? ", " : "", generator_keys[i].key, owners);
        }
        if (!has && (generator_keys[i].needs & (1u << gen)))
            return fail_line(c, line_of(c, "microstructure.generator"), p,
                             "expected a value (generator '%s' needs %s), got nothing", gname, needs);
    }
    return LIHOP_OK;
}

/* box_voxels (at most 2^31 voxels) and voxel_size_m. */
static lihop_status conv_box(pctx *c, lihop_micro_cfg *m, const y_micro *y)
{
    char p[PATH_CAP];
    int64_t total = 1;
    for (int a = 0; a < 3; a++) {
        snprintf(p, sizeof p, "microstructure.box_voxels[%d]", a);
        if (y->box_voxels[a] < 1 || y->box_voxels[a] > 4096)
            return fail_at(c, p, "expected a voxel count from 1 to 4096, got %s", got(c, p));
        m->n[a] = (int)y->box_voxels[a];
        total *= y->box_voxels[a];
    }
    if (total > (INT64_C(1) << 31))
        return fail_at(c, "microstructure.box_voxels",
                       "expected at most 2^31 voxels in all, got %d x %d x %d = %" PRId64, m->n[0],
                       m->n[1], m->n[2], total);
    lihop_status st = need_range(c, "microstructure.voxel_size_m", y->voxel_size_m, 0, VOXEL_MIN_M, VOXEL_MAX_M,
                                 "a voxel edge", "m");
    if (st == LIHOP_OK)
        m->voxel_m = y->voxel_size_m;
    return st;
}

/* matrix, filler, and the sweepable volume_fraction and radius_voxels. */
static lihop_status conv_inclusions(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    lihop_status st;
    m->matrix_phase = m->filler_phase = -1;
    if (y->matrix && (st = need_phase(c, cfg, "microstructure.matrix", y->matrix, &m->matrix_phase)) != LIHOP_OK)
        return st;
    if (y->filler) {
        if ((st = need_phase(c, cfg, "microstructure.filler", y->filler, &m->filler_phase)) != LIHOP_OK)
            return st;
        if (m->filler_phase == m->matrix_phase)
            return fail_at(c, "microstructure.filler",
                           "expected a filler phase other than the matrix, got '%s' for both", y->filler);
    }
    if (y->volume_fraction) {
        const char *vf = "microstructure.volume_fraction";
        if ((st = check_list(c, vf, y->volume_fraction, y->volume_fraction_count, 0, 0.0, 1.0, "a fraction",
                             "")) != LIHOP_OK ||
            (st = add_coord(c, cfg, LIHOP_COORD_VOLUME_FRACTION, 0, "volume_fraction", "1", vf, y->volume_fraction,
                            (int)y->volume_fraction_count)) != LIHOP_OK)
            return st;
        m->volume_fraction = y->volume_fraction[0];
    }
    if (y->radius_voxels) {
        /* at least one voxel per sphere; the periodic box holds at least one sphere */
        const char *rv = "microstructure.radius_voxels";
        int nmin = m->n[0] < m->n[1] ? m->n[0] : m->n[1];
        nmin = nmin < m->n[2] ? nmin : m->n[2];
        if ((st = check_list(c, rv, y->radius_voxels, y->radius_voxels_count, 0, 0.5, 0.5 * nmin,
                             "a radius (half the smallest box edge at most)", "voxels")) != LIHOP_OK ||
            (st = add_coord(c, cfg, LIHOP_COORD_RADIUS, 0, "radius_voxels", "1", rv, y->radius_voxels,
                            (int)y->radius_voxels_count)) != LIHOP_OK)
            return st;
        m->radius_voxels = y->radius_voxels[0];
    }
    return LIHOP_OK;
}

/* laminate layers: fractions in (0, 1] summing to 1. */
static lihop_status conv_layers(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    char p[PATH_CAP];
    lihop_status st;
    m->nlayers = (int)y->layers_count;
    double sum = 0.0;
    for (int l = 0; l < m->nlayers; l++) {
        snprintf(p, sizeof p, "microstructure.layers[%d].phase", l);
        if ((st = need_phase(c, cfg, p, y->layers[l].phase, &m->layer_phase[l])) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "microstructure.layers[%d].fraction", l);
        double f = y->layers[l].fraction;
        if (!(f > 0.0 && f <= 1.0))
            return fail_at(c, p, "expected a fraction in (0, 1], got %s", got(c, p));
        m->layer_fraction[l] = f;
        sum += f;
    }
    if (m->nlayers > 0 && fabs(sum - 1.0) > 1e-6)
        return fail_at(c, "microstructure.layers",
                       "expected layer fractions summing to 1 (within 1e-6), got a sum of %.9g", sum);
    return LIHOP_OK;
}

/* hdf5 label map: each 32-bit label value once, each naming a phase. */
static lihop_status conv_labels(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    char p[PATH_CAP];
    lihop_status st;
    m->nlabels = (int)y->labels_count;
    for (int l = 0; l < m->nlabels; l++) {
        snprintf(p, sizeof p, "microstructure.labels[%d].value", l);
        int64_t v = y->labels[l].value;
        if (v < INT_MIN || v > INT_MAX)
            return fail_at(c, p, "expected a label value that fits a 32-bit int, got %s", got(c, p));
        for (int k = 0; k < l; k++)
            if (m->label_value[k] == (int)v)
                return fail_at(c, p, "expected each label value once, got %s again (also labels[%d])",
                               got(c, p), k);
        m->label_value[l] = (int)v;
        snprintf(p, sizeof p, "microstructure.labels[%d].phase", l);
        if ((st = need_phase(c, cfg, p, y->labels[l].phase, &m->label_phase[l])) != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

static lihop_status conv_micro(pctx *c, lihop_config *cfg, const y_micro *y, uint64_t seed)
{
    lihop_micro_cfg *m = &cfg->micro;
    lihop_status st;
    if ((st = conv_box(c, m, y)) != LIHOP_OK)
        return st;
    m->generator = (lihop_generator_kind)y->generator;
    if ((st = check_generator_keys(c, y->generator)) != LIHOP_OK ||
        (st = conv_inclusions(c, cfg, y)) != LIHOP_OK)
        return st;
    m->overlap = y->overlap ? (*y->overlap ? 1 : 0) : 1;
    m->axis = y->axis ? *y->axis : 0;
    if ((st = conv_layers(c, cfg, y)) != LIHOP_OK)
        return st;
    if (y->file)
        snprintf(m->h5_file, sizeof m->h5_file, "%s", y->file);
    if (y->dataset)
        snprintf(m->h5_dataset, sizeof m->h5_dataset, "%s", y->dataset);
    if ((st = conv_labels(c, cfg, y)) != LIHOP_OK)
        return st;
    m->seed = y->seed ? *y->seed : seed;
    m->seed_given = y->seed != NULL;
    return LIHOP_OK;
}

static lihop_status conv_run(pctx *c, lihop_config *cfg, const y_run *y)
{
    lihop_run_cfg *r = &cfg->run;
    if (y->hops_per_walker && y->time_s)
        return fail_at(c, "run.time_s",
                       "expected exactly one of hops_per_walker or time_s, got both (hops_per_walker on line %d)",
                       line_of(c, "run.hops_per_walker"));
    if (!y->hops_per_walker && !y->time_s)
        return fail_at(c, "run", "expected exactly one of hops_per_walker or time_s, got neither");
    if (y->hops_per_walker && !(*y->hops_per_walker > 0.0))
        return fail_at(c, "run.hops_per_walker", "expected a number of hops > 0, got %s",
                       got(c, "run.hops_per_walker"));
    if (y->time_s && !(*y->time_s > 0.0))
        return fail_at(c, "run.time_s", "expected a time > 0 s, got %s", got(c, "run.time_s"));
    r->hops_per_walker = y->hops_per_walker ? *y->hops_per_walker : 0.0;
    r->time_s = y->time_s ? *y->time_s : 0.0;
    int64_t samples = y->samples ? *y->samples : 20;
    if (samples < 2 || samples > LIHOP_MAX_SAMPLES)
        return fail_at(c, "run.samples", "expected from 2 to %d samples, got %s", LIHOP_MAX_SAMPLES,
                       got(c, "run.samples"));
    int64_t batches = y->batches ? *y->batches : 10;
    if (batches < 2 || batches > 1000)
        return fail_at(c, "run.batches", "expected from 2 to 1000 batches, got %s", got(c, "run.batches"));
    if (y->walkers < (uint64_t)batches)
        return fail_at(c, "run.walkers", "expected at least as many walkers as batches (%d), got %s",
                       (int)batches, got(c, "run.walkers"));
    if (y->walkers > 0x7fffffffull)   /* LIHOP_MAX_WALKERS: walker ids index 31-bit random streams */
        return fail_at(c, "run.walkers", "expected at most 2147483647 walkers per species, got %s",
                       got(c, "run.walkers"));
    r->samples = (int)samples;
    r->batches = (int)batches;
    r->walkers = y->walkers;
    return LIHOP_OK;
}

static lihop_status conv_temperatures(pctx *c, lihop_config *cfg, const double *T, unsigned n);

/* Largest bulk hop rate 6 D / h^2 (1/s) of species s at T over the phases that
 * carry it: the voxel model's rate inside a phase (voxel_model.c).  The mean
 * hop rate of a walker is at most this (up to 2x next to a faster phase), so
 * time_s x this bounds the mean hops per walker from above. */
static double voxel_max_rate(const lihop_config *cfg, int s, double T)
{
    double z = cfg->species[s].charge, h = cfg->micro.voxel_m, kmax = 0.0;
    double kT_qq = LIHOP_KB * T / (z * z * LIHOP_E * LIHOP_E);      /* D = sigma kT / (z^2 e^2 rho) */
    for (int p = 0; p < cfg->nphases; p++)
        for (int j = 0; j < cfg->phases[p].ncarriers; j++) {
            const lihop_carrier_cfg *cc = &cfg->phases[p].carriers[j];
            if (cc->species != s)
                continue;
            double D = cc->kind == LIHOP_TRANSPORT_D ? lihop_tlaw_eval(&cc->law, T)
                       : cc->kind == LIHOP_TRANSPORT_SIGMA
                           ? lihop_tlaw_eval(&cc->law, T) * kT_qq / cc->conc_m3
                           : cc->transference * lihop_tlaw_eval(&cfg->phases[p].sigma_total, T) * kT_qq / cc->conc_m3;
            kmax = fmax(kmax, 6.0 * D / (h * h));
        }
    return kmax;
}

/* Run length of a voxel deck: at least MIN_HOPS mean hops per walker (else the
 * MSD is not diffusive and sigma comes out as noise or 0) and at most
 * MAX_HOPS_PER_POINT hops per sweep point (else the run never ends). */
static lihop_status check_voxel_length(pctx *c, const lihop_config *cfg)
{
    const lihop_run_cfg *r = &cfg->run;
    double nw = (double)r->walkers;
    if (r->hops_per_walker > 0.0) {
        double cap = MAX_HOPS_PER_POINT / (nw * cfg->nspecies);
        if (!(r->hops_per_walker >= MIN_HOPS && r->hops_per_walker <= cap))
            return fail_at(c, "run.hops_per_walker",
                           "expected from %g to %.3g hops per walker (at most %g hops per point over %" PRIu64
                           " walkers x %d species), got %s", MIN_HOPS, cap, MAX_HOPS_PER_POINT, r->walkers,
                           cfg->nspecies, got(c, "run.hops_per_walker"));
        return LIHOP_OK;
    }
    for (int t = 0; t < cfg->ntemps; t++) {
        double T = cfg->temperature_K[t], total = 0.0;
        for (int s = 0; s < cfg->nspecies; s++) {
            double k = voxel_max_rate(cfg, s, T), hops = r->time_s * k;
            if (!(hops >= MIN_HOPS))
                return fail_at(c, "run.time_s",
                               "expected a time that gives at least %g hops per walker (species '%s' at %g K hops "
                               "at most %.3g times per second, so time_s >= %.3g s), got %s", MIN_HOPS,
                               cfg->species[s].name, T, k, MIN_HOPS / k, got(c, "run.time_s"));
            total += nw * hops;
        }
        if (!(total <= MAX_HOPS_PER_POINT))
            return fail_at(c, "run.time_s",
                           "expected at most %g hops per point (estimated %.3g at %g K from the fastest phase; "
                           "time_s <= %.3g s), got %s", MAX_HOPS_PER_POINT, total, T,
                           r->time_s * MAX_HOPS_PER_POINT / total, got(c, "run.time_s"));
    }
    return LIHOP_OK;
}

/* The energy a carrier gains from the field over one hop of length d_m is at
 * most kT at the lowest temperature (|q| E d <= kT): beyond that the walk is
 * far from linear response and exp(q E d / 2kT) soon overflows. */
static lihop_status check_field(pctx *c, const lihop_config *cfg, const char *path, double E, double d_m,
                                int z, const char *hop)
{
    double Tmin = cfg->temperature_K[0];
    for (int t = 1; t < cfg->ntemps; t++)
        Tmin = fmin(Tmin, cfg->temperature_K[t]);
    double Emax = LIHOP_KB * Tmin / (abs(z) * LIHOP_E * d_m);
    if (fabs(E) <= Emax)
        return LIHOP_OK;
    return fail_at(c, path,
                   "expected |E| <= kT/(|z| e d) = %.3g V/m (charge %+d, %s d = %g m, %g K: at most kT gained "
                   "per hop; 0.01-0.1 kT is linear response), got %s", Emax, z, hop, d_m, Tmin, got(c, path));
}

static lihop_status check_voxel_field(pctx *c, const lihop_config *cfg)
{
    int zmax = 0;
    for (int s = 0; s < cfg->nspecies; s++)
        zmax = abs(cfg->species[s].charge) > zmax ? abs(cfg->species[s].charge) : zmax;
    char p[PATH_CAP];
    for (int a = 0; a < 3; a++) {
        snprintf(p, sizeof p, "field_V_m[%d]", a);
        lihop_status st = check_field(c, cfg, p, cfg->field_V_m[a], cfg->micro.voxel_m, zmax, "voxel edge");
        if (st != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

static lihop_status convert(pctx *c, const y_top *y, lihop_config *cfg)
{
    char p[PATH_CAP];
    lihop_status st;
    cfg->model = (lihop_model_kind)y->model;
    cfg->backend = y->backend ? (lihop_backend_kind)*y->backend : LIHOP_BACKEND_AUTO;
    cfg->seed = y->seed ? y->seed[0] : 1;

    if ((st = conv_temperatures(c, cfg, y->temperature_K, y->temperature_K_count)) != LIHOP_OK)
        return st;

    cfg->nspecies = (int)y->species_count;
    for (int s = 0; s < cfg->nspecies; s++) {
        snprintf(p, sizeof p, "species[%d].name", s);
        if (species_index(cfg, y->species[s].name) >= 0 && species_index(cfg, y->species[s].name) < s)
            return fail_at(c, p, "expected a unique species name, got '%s' again", y->species[s].name);
        snprintf(cfg->species[s].name, LIHOP_NAME_LEN, "%s", y->species[s].name);
        snprintf(p, sizeof p, "species[%d].charge", s);
        int64_t z = y->species[s].charge;
        if (z == 0 || z < -8 || z > 8)
            return fail_at(c, p, "expected a non-zero integer charge from -8 to 8 (units of e), got %s",
                           got(c, p));
        cfg->species[s].charge = (int)z;
    }

    cfg->nphases = 0;
    for (unsigned i = 0; i < y->phases_count; i++) {
        snprintf(p, sizeof p, "phases[%u].name", i);
        if (phase_index(cfg, y->phases[i].name) >= 0)
            return fail_at(c, p, "expected a unique phase name, got '%s' again", y->phases[i].name);
        snprintf(cfg->phases[i].name, LIHOP_NAME_LEN, "%s", y->phases[i].name);
        cfg->nphases = (int)i + 1;
    }
    for (int i = 0; i < cfg->nphases; i++)
        if ((st = conv_phase(c, cfg, i, &y->phases[i])) != LIHOP_OK)
            return st;

    for (int s = 0; s < cfg->nspecies; s++) {
        int carried = 0;
        for (int i = 0; i < cfg->nphases && !carried; i++)
            for (int j = 0; j < cfg->phases[i].ncarriers; j++)
                carried |= cfg->phases[i].carriers[j].species == s;
        if (!carried) {
            snprintf(p, sizeof p, "species[%d].name", s);
            return fail_at(c, p, "expected a species that some phase carries, got '%s', which no phase lists under carriers",
                           cfg->species[s].name);
        }
    }

    if (y->transference_species) {
        if ((st = need_species(c, cfg, "transference_species", y->transference_species,
                               &cfg->transference_species)) != LIHOP_OK)
            return st;
    } else {
        /* Li by name first: t+ means the Li+ transference number in this field. */
        int pick = species_index(cfg, "li");
        if (pick < 0)
            pick = species_index(cfg, "Li");
        for (int s = 0; s < cfg->nspecies && pick < 0; s++)
            if (cfg->species[s].charge > 0)
                pick = s;
        cfg->transference_species = pick < 0 ? 0 : pick;
    }

    if ((st = conv_interfaces(c, cfg, y)) != LIHOP_OK)
        return st;
    if ((st = conv_micro(c, cfg, y->microstructure, cfg->seed)) != LIHOP_OK)
        return st;
    for (unsigned a = 0; a < y->field_V_m_count; a++)
        cfg->field_V_m[a] = y->field_V_m[a];
    if ((st = check_voxel_field(c, cfg)) != LIHOP_OK || (st = conv_run(c, cfg, y->run)) != LIHOP_OK ||
        (st = check_voxel_length(c, cfg)) != LIHOP_OK)
        return st;
    return seed_and_temperature_coords(c, cfg, y->seed, y->seed_count);
}

/* ---- garnet: material file, lattice, merge, checks --------------------------- */

static lihop_status read_text(const char *path, char **out, lihop_err *err);

/* Directory part of `path` ("." when it has none). */
static void dir_of(const char *path, char *dir, size_t cap)
{
    snprintf(dir, cap, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, cap, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

/* `rel` relative to directory `dir` (absolute paths and dir "." unchanged); -1 if too long. */
static int join_path(const char *dir, const char *rel, char *out, size_t cap)
{
    int n;
    if (rel[0] == '/' || strcmp(dir, ".") == 0)
        n = snprintf(out, cap, "%s", rel);
    else
        n = snprintf(out, cap, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", rel);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static void set_src(lihop_cfg_src *s, pctx *c, const char *path)
{
    snprintf(s->file, sizeof s->file, "%s", c->name);
    s->line = line_of(c, path);
}

static int sub_index(const lihop_garnet_cfg *g, const char *name)
{
    for (int s = 0; s < g->nsub; s++)
        if (strcmp(g->subname[s], name) == 0)
            return s;
    return -1;
}

static lihop_status need_sub(pctx *c, const lihop_garnet_cfg *g, const char *path, const char *name,
                             int *out)
{
    *out = sub_index(g, name);
    if (*out >= 0)
        return LIHOP_OK;
    char list[200] = "";
    for (int s = 0; s < g->nsub; s++)
        join_append(list, sizeof list, g->subname[s]);
    return fail_at(c, path, "expected a sublattice of lattice '%s' (%s), got '%s'", g->lattice.name,
                   list, name);
}

/* E_kra_eV: one barrier per unordered sublattice pair, each pair once per file. */
static lihop_status apply_kra(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP], q[PATH_CAP];
    lihop_status st;
    int here[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES];
    memset(here, 0xff, sizeof here);     /* -1: not in this file */
    snprintf(p, sizeof p, "%sE_kra_eV", pre);
    set_src(&g->src_kra, c, p);
    for (unsigned k = 0; k < y->E_kra_eV_count; k++) {
        const y_kra *e = &y->E_kra_eV[k];
        int a, b;
        snprintf(p, sizeof p, "%sE_kra_eV[%u].pair[0]", pre, k);
        if ((st = need_sub(c, g, p, e->pair[0], &a)) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "%sE_kra_eV[%u].pair[1]", pre, k);
        if ((st = need_sub(c, g, p, e->pair[1], &b)) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "%sE_kra_eV[%u].pair", pre, k);
        if (here[a][b] >= 0)
            return fail_at(c, p, "expected each sublattice pair once, got [%s, %s] again (also %sE_kra_eV[%d])",
                           e->pair[0], e->pair[1], pre, here[a][b]);
        here[a][b] = here[b][a] = (int)k;
        snprintf(q, sizeof q, "%sE_kra_eV[%u].value", pre, k);
        if ((st = need_range(c, q, e->value, 0, 0.0, EA_MAX_EV, "a barrier", "eV")) != LIHOP_OK)
            return st;
        g->E_kra_eV[a][b] = g->E_kra_eV[b][a] = e->value;
        g->kra_given[a][b] = g->kra_given[b][a] = 1;
    }
    return LIHOP_OK;
}

/* site_energy_eV: one energy per sublattice, each sublattice once per file. */
static lihop_status apply_site_energies(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    lihop_status st;
    int here[LIHOP_MAX_SUBLATTICES];
    memset(here, 0xff, sizeof here);
    for (unsigned k = 0; k < y->site_energy_eV_count; k++) {
        int a;
        snprintf(p, sizeof p, "%ssite_energy_eV[%u].sublattice", pre, k);
        if ((st = need_sub(c, g, p, y->site_energy_eV[k].sublattice, &a)) != LIHOP_OK)
            return st;
        if (here[a] >= 0)
            return fail_at(c, p, "expected each sublattice once, got '%s' again (also %ssite_energy_eV[%d])",
                           y->site_energy_eV[k].sublattice, pre, here[a]);
        here[a] = (int)k;
        snprintf(p, sizeof p, "%ssite_energy_eV[%u].value", pre, k);
        if ((st = energy_range(c, p, y->site_energy_eV[k].value)) != LIHOP_OK)
            return st;
        g->site_energy_eV[a] = y->site_energy_eV[k].value;
    }
    return LIHOP_OK;
}

/* pair_shells_eV: distance windows [from_A, to_A) that must not overlap; a
 * deck's list replaces the material's. */
static lihop_status apply_pair_shells(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP], q[PATH_CAP];
    lihop_status st;
    snprintf(p, sizeof p, "%spair_shells_eV", pre);
    set_src(&g->src_shells, c, p);
    g->npair_shells = (int)y->pair_shells_eV_count;
    for (unsigned k = 0; k < y->pair_shells_eV_count; k++) {
        const y_shell *e = &y->pair_shells_eV[k];
        snprintf(p, sizeof p, "%spair_shells_eV[%u].from_A", pre, k);
        if ((st = need_range(c, p, e->from_A, 0, 0.0, SHELL_MAX_A, "a distance", "A")) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "%spair_shells_eV[%u].to_A", pre, k);
        if ((st = need_range(c, p, e->to_A, 1, e->from_A, SHELL_MAX_A, "a distance (from_A)", "A")) != LIHOP_OK)
            return st;
        snprintf(q, sizeof q, "%spair_shells_eV[%u].value", pre, k);
        if ((st = energy_range(c, q, e->value)) != LIHOP_OK)
            return st;
        for (unsigned o = 0; o < k; o++)
            if (e->from_A < y->pair_shells_eV[o].to_A && y->pair_shells_eV[o].from_A < e->to_A) {
                snprintf(p, sizeof p, "%spair_shells_eV[%u]", pre, k);
                return fail_at(c, p, "expected distance windows that do not overlap, got [%g, %g) A, which "
                               "overlaps %spair_shells_eV[%u] [%g, %g) A", e->from_A, e->to_A, pre, o,
                               y->pair_shells_eV[o].from_A, y->pair_shells_eV[o].to_A);
            }
        g->pair_shell_min_A[k] = e->from_A;
        g->pair_shell_max_A[k] = e->to_A;
        g->pair_shell_eV[k] = e->value;
    }
    return LIHOP_OK;
}

/* The keys a material file and a deck share; `pre` is "" (material) or "garnet.". */
static lihop_status apply_material_keys(pctx *c, const char *pre, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    lihop_status st;
    if (y->rate_law) {
        g->rate_law = (lihop_garnet_rate_kind)*y->rate_law;
        snprintf(p, sizeof p, "%srate_law", pre);
        set_src(&g->src_rate_law, c, p);
    }
    if (y->nu_Hz) {
        snprintf(p, sizeof p, "%snu_Hz", pre);
        if ((st = need_range(c, p, *y->nu_Hz, 0, NU_MIN_HZ, NU_MAX_HZ, "an attempt frequency", "Hz")) != LIHOP_OK)
            return st;
        g->nu_Hz = *y->nu_Hz;
    }
    if (y->E_kra_eV && (st = apply_kra(c, pre, y, g)) != LIHOP_OK)
        return st;
    if (y->site_energy_eV && (st = apply_site_energies(c, pre, y, g)) != LIHOP_OK)
        return st;
    if (y->E_nn_eV) {
        snprintf(p, sizeof p, "%sE_nn_eV", pre);
        if ((st = energy_range(c, p, *y->E_nn_eV)) != LIHOP_OK)
            return st;
        g->E_nn_eV = *y->E_nn_eV;
    }
    if (y->pair_shells_eV && (st = apply_pair_shells(c, pre, y, g)) != LIHOP_OK)
        return st;
    if (y->disorder_sigma_eV) {
        snprintf(p, sizeof p, "%sdisorder_sigma_eV", pre);
        if ((st = need_range(c, p, *y->disorder_sigma_eV, 0, 0.0, DISORDER_MAX_EV, "a standard deviation",
                             "eV")) != LIHOP_OK)
            return st;
        g->disorder_sigma_eV = *y->disorder_sigma_eV;
    }
    return LIHOP_OK;
}

/* Keys of each space-charge profile: {key, uses, needs} as bit masks over profiles. */
static const struct {
    const char *key;
    unsigned uses;
} sc_keys[] = {
    {"phi0_V", (1u << LIHOP_SC_GOUY_CHAPMAN) | (1u << LIHOP_SC_MOTT_SCHOTTKY)},
    {"length_A", (1u << LIHOP_SC_GOUY_CHAPMAN) | (1u << LIHOP_SC_MOTT_SCHOTTKY)},
    {"table", 1u << LIHOP_SC_TABLE},
};

static lihop_status conv_space_charge(pctx *c, lihop_bicrystal_cfg *b, const y_sc *y)
{
    const char *base = "garnet.bicrystal.space_charge";
    char p[PATH_CAP], takes[120] = "";
    b->profile = (lihop_sc_profile)y->profile;
    const char *pname = profile_strings[y->profile].str;
    for (size_t i = 0; i < sizeof sc_keys / sizeof sc_keys[0]; i++)
        if (sc_keys[i].uses & (1u << y->profile))
            join_append(takes, sizeof takes, sc_keys[i].key);
    for (size_t i = 0; i < sizeof sc_keys / sizeof sc_keys[0]; i++) {
        snprintf(p, sizeof p, "%s.%s", base, sc_keys[i].key);
        int has = present(c, p), uses = (sc_keys[i].uses >> y->profile) & 1u;
        if (has && !uses)
            return fail_at(c, p, "expected only the keys of profile '%s' (profile%s%s), got '%s'", pname,
                           takes[0] ? ", " : "", takes, sc_keys[i].key);
        if (!has && uses) {
            char lp[PATH_CAP];
            snprintf(lp, sizeof lp, "%s.profile", base);
            return fail_line(c, line_of(c, lp), p, "expected a value (profile '%s' needs %s), got nothing",
                             pname, takes);
        }
    }
    lihop_status st;
    snprintf(p, sizeof p, "%s.phi0_V", base);
    if (y->phi0_V && (st = need_range(c, p, *y->phi0_V, 0, -PHI_MAX_V, PHI_MAX_V, "a potential", "V")) != LIHOP_OK)
        return st;
    if (y->phi0_V)
        b->phi0_V = *y->phi0_V;
    if (y->length_A) {
        snprintf(p, sizeof p, "%s.length_A", base);
        if (!(*y->length_A > 0.0))
            return fail_at(c, p, "expected a length > 0 A, got %s", got(c, p));
        b->length_A = *y->length_A;
    }
    snprintf(p, sizeof p, "%s.table", base);
    yaml_node_t *tn = lihop_yaml_lookup(&c->doc, p, NULL);
    b->ntable = tn && tn->type == YAML_SEQUENCE_NODE
                    ? (int)(tn->data.sequence.items.top - tn->data.sequence.items.start) : 0;
    for (int i = 0; i < b->ntable && i < LIHOP_MAX_SC_TABLE; i++) {
        double v[2];
        for (int k = 0; k < 2; k++) {
            snprintf(p, sizeof p, "%s.table[%d][%d]", base, i, k);
            yaml_node_t *x = lihop_yaml_lookup(&c->doc, p, NULL);
            v[k] = x && x->type == YAML_SCALAR_NODE ? strtod((const char *)x->data.scalar.value, NULL) : NAN;
        }
        double d = v[0], phi = v[1];
        snprintf(p, sizeof p, "%s.table[%d][0]", base, i);
        if (!(d >= 0.0))
            return fail_at(c, p, "expected a distance >= 0 A from the boundary plane, got %s", got(c, p));
        if (i > 0 && !(d > b->table_d_A[i - 1]))
            return fail_at(c, p, "expected distances in increasing order (previous row %g A), got %s",
                           b->table_d_A[i - 1], got(c, p));
        snprintf(p, sizeof p, "%s.table[%d][1]", base, i);
        if ((st = need_range(c, p, phi, 0, -PHI_MAX_V, PHI_MAX_V, "a potential", "V")) != LIHOP_OK)
            return st;
        b->table_d_A[i] = d;
        b->table_phi_V[i] = phi;
    }
    return LIHOP_OK;
}

static lihop_status conv_bicrystal(pctx *c, lihop_garnet_cfg *g, const y_bicrystal *y)
{
    lihop_bicrystal_cfg *b = &g->bicrystal;
    g->has_bicrystal = 1;
    set_src(&b->src, c, "garnet.bicrystal");
    b->axis = y->axis ? *y->axis : 0;
    b->center_frac = 0.5;
    if (y->center_frac) {
        if (!(*y->center_frac >= 0.0 && *y->center_frac < 1.0))
            return fail_at(c, "garnet.bicrystal.center_frac", "expected a fraction in [0, 1), got %s",
                           got(c, "garnet.bicrystal.center_frac"));
        b->center_frac = *y->center_frac;
    }
    if (y->thickness_A) {
        if (!(*y->thickness_A >= 0.0))
            return fail_at(c, "garnet.bicrystal.thickness_A", "expected a thickness >= 0 A, got %s",
                           got(c, "garnet.bicrystal.thickness_A"));
        b->thickness_A = *y->thickness_A;
    }
    lihop_status st;
    if ((y->kra_shift_eV && (st = energy_range(c, "garnet.bicrystal.kra_shift_eV", *y->kra_shift_eV)) != LIHOP_OK) ||
        (y->site_shift_eV && (st = energy_range(c, "garnet.bicrystal.site_shift_eV", *y->site_shift_eV)) != LIHOP_OK))
        return st;
    b->kra_shift_eV = y->kra_shift_eV ? *y->kra_shift_eV : 0.0;
    if (b->kra_shift_eV != 0.0 && g->rate_law == LIHOP_GRATE_METROPOLIS)
        return fail_at(c, "garnet.bicrystal.kra_shift_eV",
                       "expected 0 with rate_law metropolis (it has no barriers; rate_law from %s:%d), got %s",
                       g->src_rate_law.file, g->src_rate_law.line, got(c, "garnet.bicrystal.kra_shift_eV"));
    b->site_shift_eV = y->site_shift_eV ? *y->site_shift_eV : 0.0;
    if (y->disorder_sigma_eV) {
        if ((st = need_range(c, "garnet.bicrystal.disorder_sigma_eV", *y->disorder_sigma_eV, 0, 0.0,
                             DISORDER_MAX_EV, "a standard deviation", "eV")) != LIHOP_OK)
            return st;
        b->disorder_sigma_eV = *y->disorder_sigma_eV;
    }
    if (y->site_removal_fraction) {
        if (!(*y->site_removal_fraction >= 0.0 && *y->site_removal_fraction < 1.0))
            return fail_at(c, "garnet.bicrystal.site_removal_fraction", "expected a fraction in [0, 1), got %s",
                           got(c, "garnet.bicrystal.site_removal_fraction"));
        b->site_removal_fraction = *y->site_removal_fraction;
    }
    b->profile = LIHOP_SC_NONE;
    if (y->space_charge)
        return conv_space_charge(c, b, y->space_charge);
    return LIHOP_OK;
}

static lihop_status conv_grun(pctx *c, lihop_config *cfg, const y_grun *y)
{
    lihop_run_cfg *r = &cfg->run;
    r->replicas = 64;
    r->hops_per_li = 100.0;
    r->time_s = 0.0;
    r->equil_hops_per_li = 20.0;
    r->samples = 32;
    r->batches = 8;
    r->fit_from = 0.1;
    r->fit_to = 0.5;
    if (!y)
        return LIHOP_OK;
    if (y->hops_per_li && y->time_s)
        return fail_at(c, "run.time_s",
                       "expected exactly one of hops_per_li or time_s, got both (hops_per_li on line %d)",
                       line_of(c, "run.hops_per_li"));
    if (y->hops_per_li) {
        if (!(*y->hops_per_li > 0.0))
            return fail_at(c, "run.hops_per_li", "expected a number of hops per Li > 0, got %s",
                           got(c, "run.hops_per_li"));
        r->hops_per_li = *y->hops_per_li;
    }
    if (y->time_s) {
        if (!(*y->time_s > 0.0))
            return fail_at(c, "run.time_s", "expected a time > 0 s, got %s", got(c, "run.time_s"));
        r->time_s = *y->time_s;
        r->hops_per_li = 0.0;
    }
    if (y->equil_hops_per_li) {
        if (!(*y->equil_hops_per_li >= 0.0))
            return fail_at(c, "run.equil_hops_per_li", "expected a number of hops per Li >= 0, got %s",
                           got(c, "run.equil_hops_per_li"));
        r->equil_hops_per_li = *y->equil_hops_per_li;
    }
    if (y->samples) {
        if (*y->samples < 2 || *y->samples > LIHOP_MAX_SAMPLES)
            return fail_at(c, "run.samples", "expected from 2 to %d samples, got %s", LIHOP_MAX_SAMPLES,
                           got(c, "run.samples"));
        r->samples = (int)*y->samples;
    }
    if (y->batches) {
        if (*y->batches < 2 || *y->batches > 1000)
            return fail_at(c, "run.batches", "expected from 2 to 1000 batches, got %s", got(c, "run.batches"));
        r->batches = (int)*y->batches;
    }
    if (y->replicas) {
        if (*y->replicas > 100000000u)
            return fail_at(c, "run.replicas", "expected at most 100000000 replicas, got %s", got(c, "run.replicas"));
        r->replicas = (int64_t)*y->replicas;
    }
    if (r->replicas < r->batches)
        return fail_at(c, y->replicas ? "run.replicas" : "run.batches",
                       "expected at least as many replicas (%lld) as batches (%d), got %s",
                       (long long)r->replicas, r->batches, got(c, y->replicas ? "run.replicas" : "run.batches"));
    if (y->fit_window) {
        double a = y->fit_window[0], b = y->fit_window[1];
        if (!(a >= 0.0 && a < b && b <= 1.0))
            return fail_at(c, "run.fit_window",
                           "expected [from, to] with 0 <= from < to <= 1 (fractions of the run time), got [%g, %g]",
                           a, b);
        r->fit_from = a;
        r->fit_to = b;
    }
    return LIHOP_OK;
}

static lihop_status conv_temperatures(pctx *c, lihop_config *cfg, const double *T, unsigned n)
{
    char p[PATH_CAP];
    cfg->ntemps = (int)n;
    for (int t = 0; t < cfg->ntemps; t++) {
        snprintf(p, sizeof p, "temperature_K[%d]", t);
        lihop_status st = need_range(c, p, T[t], 0, T_MIN_K, T_MAX_K, "a temperature", "K");
        if (st != LIHOP_OK)
            return st;
        cfg->temperature_K[t] = T[t];
    }
    return LIHOP_OK;
}

static lihop_status check_load(pctx *c, const char *text, const cyaml_schema_value_t *schema, void **out);

static void free_loaded(const cyaml_schema_value_t *schema, void *y)
{
    cyaml_config_t cc = {.log_fn = NULL, .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR,
                         .flags = CYAML_CFG_DEFAULT};
    if (y)
        cyaml_free(&cc, schema, y, 0);
}

/* The deck's garnet block with its material file: lattice spec, merge, checks. */
/* garnet.material: read and check the material file into M / *YM (its own
 * name and lines in messages). */
static lihop_status load_material(pctx *c, pctx *m, const char *rel, lihop_garnet_cfg *g, y_garnet **ym)
{
    char dir[LIHOP_PATH_LEN];
    lihop_err e2 = {{0}};
    dir_of(c->name, dir, sizeof dir);
    if (join_path(dir, rel, g->material_path, sizeof g->material_path) < 0)
        return fail_at(c, "garnet.material", "expected a path shorter than %d characters, got a longer one",
                       LIHOP_PATH_LEN);
    if (read_text(g->material_path, &g->material_text, &e2) != LIHOP_OK)
        return fail_at(c, "garnet.material", "expected a readable material file, got '%s' (%s)", rel, e2.msg);
    m->name = g->material_path;
    lihop_status st = check_load(m, g->material_text, &material_schema, (void **)ym);
    if (st != LIHOP_OK)
        return st;
    if ((*ym)->name)
        snprintf(g->material_name, sizeof g->material_name, "%s", (*ym)->name);
    if ((*ym)->source)
        snprintf(g->material_source, sizeof g->material_source, "%s", (*ym)->source);
    return LIHOP_OK;
}

/* The lattice: the deck's, else the material's, each relative to its own file. */
static lihop_status load_lattice(pctx *c, pctx *m, const y_garnet *y, const y_garnet *ym, lihop_garnet_cfg *g)
{
    lihop_err e2 = {{0}};
    pctx *lc = y->lattice ? c : (ym && ym->lattice) ? m : NULL;
    const char *key = y->lattice ? "garnet.lattice" : "lattice";
    const char *rel = y->lattice ? y->lattice : (ym && ym->lattice) ? ym->lattice : NULL;
    if (!lc)
        return fail_line(c, line_of(c, "garnet"), "garnet.lattice",
                         "expected a lattice file (in the garnet block or its material file), got nothing");
    char ldir[LIHOP_PATH_LEN];
    dir_of(lc->name, ldir, sizeof ldir);
    if (join_path(ldir, rel, g->lattice_path, sizeof g->lattice_path) < 0)
        return fail_at(lc, key, "expected a path shorter than %d characters, got a longer one", LIHOP_PATH_LEN);
    set_src(&g->src_lattice, lc, key);
    if (lihop_lattice_spec_load(g->lattice_path, &g->lattice, &e2) != LIHOP_OK)
        return fail_at(lc, key, "expected a valid lattice file, got '%s' (%s)", rel, e2.msg);
    if (read_text(g->lattice_path, &g->lattice_text, &e2) != LIHOP_OK)
        return fail_at(lc, key, "expected a readable lattice file, got '%s' (%s)", rel, e2.msg);
    /* sublattices in order of first appearance, as lihop_lattice_build numbers them */
    for (int w = 0; w < g->lattice.nsites; w++)
        if (sub_index(g, g->lattice.sites[w].sublattice) < 0 && g->nsub < LIHOP_MAX_SUBLATTICES) {
            snprintf(g->subname[g->nsub], sizeof g->subname[0], "%s", g->lattice.sites[w].sublattice);
            g->nsub++;
        }
    return LIHOP_OK;
}

/* garnet.cells: the supercell, 2x2x2 unless given. */
static lihop_status conv_cells(pctx *c, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    g->cells[0] = g->cells[1] = g->cells[2] = 2;
    set_src(&g->src_cells, c, y->cells ? "garnet.cells" : "garnet");
    if (!y->cells)
        return LIHOP_OK;
    for (int a = 0; a < 3; a++) {
        snprintf(p, sizeof p, "garnet.cells[%d]", a);
        if (y->cells[a] < 1 || y->cells[a] > 64)
            return fail_at(c, p, "expected a number of unit cells from 1 to 64, got %s", got(c, p));
        g->cells[a] = (int)y->cells[a];
    }
    return LIHOP_OK;
}

/* li_per_fu or li_per_cell (a sweep list), else the lattice's li_per_fu_ref;
 * each must put at least one Li in the supercell. */
static lihop_status conv_li_content(pctx *c, const y_garnet *y, lihop_garnet_cfg *g)
{
    char p[PATH_CAP];
    double fu = g->lattice.formula_units_per_cell;
    double ncells = (double)g->cells[0] * g->cells[1] * g->cells[2];
    if (y->li_per_fu && y->li_per_cell)
        return fail_at(c, "garnet.li_per_cell",
                       "expected exactly one of li_per_fu or li_per_cell, got both (li_per_fu on line %d)",
                       line_of(c, "garnet.li_per_fu"));
    if (!y->li_per_fu && !y->li_per_cell) {
        set_src(&g->src_li, c, "garnet");
        g->nli = 1;
        g->li_per_fu[0] = g->lattice.li_per_fu_ref;
        g->li_per_cell[0] = g->lattice.li_per_fu_ref * fu;
        if (!(llround(g->li_per_fu[0] * fu * ncells) >= 1))
            return fail_line(c, line_of(c, "garnet"), "garnet.li_per_fu",
                             "expected a Li content (lattice '%s' has no li_per_fu_ref to default to), got nothing",
                             g->lattice.name);
        return LIHOP_OK;
    }
    const double *v = y->li_per_fu ? y->li_per_fu : y->li_per_cell;
    const char *key = y->li_per_fu ? "li_per_fu" : "li_per_cell";
    g->li_is_per_cell = y->li_per_cell != NULL;
    g->nli = (int)(y->li_per_fu ? y->li_per_fu_count : y->li_per_cell_count);
    snprintf(p, sizeof p, "garnet.%s", key);
    set_src(&g->src_li, c, p);
    for (int i = 0; i < g->nli; i++) {
        snprintf(p, sizeof p, "garnet.%s[%d]", key, i);
        double per_fu = g->li_is_per_cell ? v[i] / fu : v[i];
        if (!(v[i] > 0.0) || !(llround(per_fu * fu * ncells) >= 1))
            return fail_at(c, p, "expected a Li content > 0 that puts at least 1 Li in the %dx%dx%d supercell, got %s",
                           g->cells[0], g->cells[1], g->cells[2], got(c, p));
        g->li_per_fu[i] = per_fu;
        g->li_per_cell[i] = per_fu * fu;
    }
    return LIHOP_OK;
}

/* field_V_m and drift_fields_V_m (two different strengths for the drift fit). */
static lihop_status conv_fields(pctx *c, const y_garnet *y, lihop_garnet_cfg *g)
{
    if (y->field_V_m)
        for (int a = 0; a < 3; a++)
            g->field_V_m[a] = y->field_V_m[a];
    if (!y->drift_fields_V_m)
        return LIHOP_OK;
    double e1 = y->drift_fields_V_m[0], e2 = y->drift_fields_V_m[1];
    if (!(e1 > 0.0 && e2 > 0.0 && e1 != e2))
        return fail_at(c, "garnet.drift_fields_V_m", "expected two different field strengths > 0 V/m, got [%g, %g]",
                       e1, e2);
    g->has_drift = 1;
    g->drift_fields_V_m[0] = e1;
    g->drift_fields_V_m[1] = e2;
    return LIHOP_OK;
}

/* Everything after the material file is loaded: lattice, defaults, material
 * keys (file first, then the deck's), deck-only keys. */
static lihop_status conv_garnet_keys(pctx *c, pctx *m, const y_garnet *y, const y_garnet *ym, lihop_garnet_cfg *g)
{
    lihop_status st;
    if ((st = load_lattice(c, m, y, ym, g)) != LIHOP_OK)
        return st;
    g->rate_law = LIHOP_GRATE_KRA;
    snprintf(g->src_rate_law.file, sizeof g->src_rate_law.file, "%s", "<default>");
    g->nu_Hz = 1e13;
    set_src(&g->src_kra, c, "garnet");
    if (ym && (st = apply_material_keys(m, "", ym, g)) != LIHOP_OK)
        return st;
    if ((st = apply_material_keys(c, "garnet.", y, g)) != LIHOP_OK)
        return st;
    if ((st = conv_cells(c, y, g)) != LIHOP_OK || (st = conv_li_content(c, y, g)) != LIHOP_OK ||
        (st = conv_fields(c, y, g)) != LIHOP_OK)
        return st;
    if (y->bicrystal)
        return conv_bicrystal(c, g, y->bicrystal);
    return LIHOP_OK;
}

static lihop_status conv_garnet(pctx *c, lihop_config *cfg, const y_garnet *y)
{
    lihop_garnet_cfg *g = &cfg->garnet;
    lihop_status st = LIHOP_OK;
    pctx m;
    memset(&m, 0, sizeof m);
    m.err = c->err;
    y_garnet *ym = NULL;
    if (y->material)
        st = load_material(c, &m, y->material, g, &ym);
    if (st == LIHOP_OK)
        st = conv_garnet_keys(c, &m, y, ym, g);
    free_loaded(&material_schema, ym);
    if (m.have_doc)
        yaml_document_delete(&m.doc);
    return st;
}

/* Fields of a garnet deck: the hop length is at most the lattice's hop cutoff. */
static lihop_status check_garnet_fields(pctx *c, const lihop_config *cfg)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    double d_m = g->lattice.hop_cutoff_A * 1e-10;
    double E = sqrt(g->field_V_m[0] * g->field_V_m[0] + g->field_V_m[1] * g->field_V_m[1] +
                    g->field_V_m[2] * g->field_V_m[2]);
    lihop_status st = check_field(c, cfg, "garnet.field_V_m", E, d_m, 1, "hop cutoff");
    char p[PATH_CAP];
    for (int i = 0; i < 2 && st == LIHOP_OK && g->has_drift; i++) {
        snprintf(p, sizeof p, "garnet.drift_fields_V_m[%d]", i);
        st = check_field(c, cfg, p, g->drift_fields_V_m[i], d_m, 1, "hop cutoff");
    }
    return st;
}

/* Hop rate of one Li to one neighbour without site energies or repulsion:
 * nu exp(-E_min/kT) under kra (E_min the lowest barrier given), nu under
 * metropolis.  An estimate of the mean hops per Li per second. */
static double garnet_bare_rate(const lihop_garnet_cfg *g, double T)
{
    if (g->rate_law == LIHOP_GRATE_METROPOLIS)
        return g->nu_Hz;
    double emin = INFINITY;
    for (int a = 0; a < g->nsub; a++)
        for (int b = 0; b < g->nsub; b++)
            if (g->kra_given[a][b])
                emin = fmin(emin, g->E_kra_eV[a][b]);
    return g->nu_Hz * exp(-(isfinite(emin) ? emin : 0.0) / (LIHOP_KB_EV * T));
}

/* Run length of a garnet deck: at least MIN_HOPS mean hops per Li, and at most
 * MAX_HOPS_PER_POINT events per sweep point: replicas x Li x (production +
 * equilibration hops per Li) x runs (1, +2 drift, +1 bicrystal bulk reference). */
static lihop_status check_garnet_length(pctx *c, const lihop_config *cfg)
{
    const lihop_garnet_cfg *g = &cfg->garnet;
    const lihop_run_cfg *r = &cfg->run;
    const char *key = r->time_s > 0.0 ? "run.time_s" : present(c, "run.hops_per_li") ? "run.hops_per_li" : "run";
    double nli = 0.0, hmin = r->hops_per_li, hmax = r->hops_per_li, Tlow = cfg->temperature_K[0];
    for (int i = 0; i < g->nli; i++)
        nli = fmax(nli, (double)llround(g->li_per_cell[i] * g->cells[0] * g->cells[1] * g->cells[2]));
    if (r->time_s > 0.0) {
        hmin = INFINITY;
        hmax = 0.0;
        for (int t = 0; t < cfg->ntemps; t++) {
            double h = r->time_s * garnet_bare_rate(g, cfg->temperature_K[t]);
            Tlow = h < hmin ? cfg->temperature_K[t] : Tlow;
            hmin = fmin(hmin, h);
            hmax = fmax(hmax, h);
        }
    }
    if (!(hmin >= MIN_HOPS) && r->time_s > 0.0)
        return fail_at(c, key,
                       "expected a time that gives at least %g hops per Li (at %g K a Li hops about %.3g times per "
                       "second, nu exp(-E_kra/kT), so time_s >= %.3g s), got %s", MIN_HOPS, Tlow,
                       garnet_bare_rate(g, Tlow), MIN_HOPS / garnet_bare_rate(g, Tlow), got(c, key));
    if (!(hmin >= MIN_HOPS))
        return fail_at(c, key, "expected at least %g hops per Li, got %s", MIN_HOPS, got(c, key));
    if (r->equil_hops_per_li > hmax && present(c, "run.equil_hops_per_li"))
        key = "run.equil_hops_per_li";
    double runs = 1.0 + 2.0 * g->has_drift + g->has_bicrystal;
    double total = (double)r->replicas * nli * (hmax + r->equil_hops_per_li) * runs;
    if (!(total <= MAX_HOPS_PER_POINT))
        return fail_at(c, key,
                       "expected at most %g hops per point (%lld replicas x %.0f Li x %.3g hops per Li, with "
                       "equilibration, x %.0f runs = %.3g), got %s", MAX_HOPS_PER_POINT, (long long)r->replicas,
                       nli, hmax + r->equil_hops_per_li, runs, total, got(c, key));
    return LIHOP_OK;
}

static lihop_status convert_garnet(pctx *c, const y_gtop *y, lihop_config *cfg)
{
    lihop_status st;
    cfg->model = LIHOP_MODEL_GARNET;
    cfg->backend = y->backend ? (lihop_backend_kind)*y->backend : LIHOP_BACKEND_AUTO;
    cfg->seed = y->seed ? y->seed[0] : 1;
    if ((st = conv_temperatures(c, cfg, y->temperature_K, y->temperature_K_count)) != LIHOP_OK)
        return st;
    if ((st = conv_garnet(c, cfg, y->garnet)) != LIHOP_OK || (st = check_garnet_fields(c, cfg)) != LIHOP_OK ||
        (st = conv_grun(c, cfg, y->run)) != LIHOP_OK)
        return st;
    if ((st = check_garnet_length(c, cfg)) != LIHOP_OK)
        return st;
    const lihop_garnet_cfg *g = &cfg->garnet;
    const char *li = g->li_is_per_cell ? "li_per_cell" : "li_per_fu";
    char lipath[32];
    snprintf(lipath, sizeof lipath, "garnet.%s", li);
    if ((st = add_coord(c, cfg, g->li_is_per_cell ? LIHOP_COORD_LI_PER_CELL : LIHOP_COORD_LI_PER_FU, 0, li, "1",
                        lipath, g->li_is_per_cell ? g->li_per_cell : g->li_per_fu, g->nli)) != LIHOP_OK)
        return st;
    return seed_and_temperature_coords(c, cfg, y->seed, y->seed_count);
}

/* ---- public API ----------------------------------------------------------- */

/* Passes 1-3 on `text` against `schema`: c->doc is loaded (c->have_doc set,
 * the caller deletes it) and *out gets the loaded struct (free_loaded). */
static lihop_status check_load(pctx *c, const char *text, const cyaml_schema_value_t *schema, void **out)
{
    *out = NULL;
    size_t len = strlen(text);
    lihop_status st = lihop_yaml_doc_load(&c->doc, text, len, c->name, c->err);
    if (st != LIHOP_OK)
        return st;
    c->have_doc = 1;
    yaml_node_t *root = yaml_document_get_root_node(&c->doc);
    char path[PATH_CAP] = "";
    if (!root || lihop_yaml_is_null(root)) {
        char want[600];
        describe_schema(schema, want, sizeof want);
        return fail_line(c, root ? (int)root->start_mark.line + 1 : 1, "",
                         "expected %s, got an empty document", want);
    }
    st = check_node(c, schema, root, path, (int)root->start_mark.line + 1);
    if (st != LIHOP_OK)
        return st;
    cyaml_config_t cc = {.log_fn = capture_log,
                         .log_ctx = c,
                         .mem_fn = cyaml_mem,
                         .log_level = CYAML_LOG_ERROR,
                         .flags = CYAML_CFG_DEFAULT};
    void *y = NULL;
    cyaml_err_t e = cyaml_load_data((const uint8_t *)text, len, &cc, schema, (cyaml_data_t **)&y, NULL);
    if (e != CYAML_OK) {
        free_loaded(schema, y);
        return cyaml_refused(c, e);
    }
    if (!y)
        return fail_line(c, 1, "", "expected a mapping of config keys, got nothing");
    *out = y;
    return LIHOP_OK;
}

static int has_field(const cyaml_schema_field_t *f, const char *key)
{
    for (; f->key; f++)
        if (strcmp(f->key, key) == 0)
            return 1;
    return 0;
}

/* A top-level key of the other model (species in a garnet deck, garnet in a
 * voxel deck) gets a message that says so, before the generic unknown-key one. */
static lihop_status model_keys(pctx *c, yaml_document_t *doc, int garnet)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return LIHOP_OK;
    const cyaml_schema_field_t *mine = garnet ? gtop_fields : top_fields;
    const cyaml_schema_field_t *other = garnet ? top_fields : gtop_fields;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        if (!k || k->type != YAML_SCALAR_NODE)
            continue;
        const char *key = (const char *)k->data.scalar.value;
        if (has_field(mine, key) || !has_field(other, key))
            continue;
        char keys[300] = "";
        for (const cyaml_schema_field_t *f = mine; f->key; f++)
            join_append(keys, sizeof keys, f->key);
        return fail_line(c, (int)k->start_mark.line + 1, key,
                         "expected a key of model '%s' (%s), got '%s', which belongs to model '%s'%s",
                         garnet ? "garnet" : "voxel", keys, key, garnet ? "voxel" : "garnet",
                         garnet && has_field(garnet_fields, key) ? " (a garnet deck sets it inside garnet:)" : "");
    }
    return LIHOP_OK;
}

static lihop_status parse_into(lihop_config *cfg, const char *name, lihop_err *err)
{
    pctx c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.err = err;
    /* The model decides the schema: peek at it in a document of the text. */
    int garnet = 0;
    lihop_sweep_node sw[LIHOP_MAX_SWEEP_NODES];
    {
        yaml_document_t peek;
        lihop_status pst = lihop_yaml_doc_load(&peek, cfg->text, strlen(cfg->text), name, err);
        if (pst != LIHOP_OK)
            return pst;
        yaml_node_t *mn = lihop_yaml_lookup(&peek, "model", NULL);
        garnet = mn && mn->type == YAML_SCALAR_NODE && strcmp((const char *)mn->data.scalar.value, "garnet") == 0;
        int known = mn && mn->type == YAML_SCALAR_NODE &&
                    (garnet || strcmp((const char *)mn->data.scalar.value, "voxel") == 0);
        lihop_status kst = known ? model_keys(&c, &peek, garnet) : LIHOP_OK;
        c.nsw = lihop_sweep_nodes(&peek, garnet, sw, LIHOP_MAX_SWEEP_NODES);
        c.sw = sw;
        yaml_document_delete(&peek);
        if (kst != LIHOP_OK)
            return kst;
    }
    /* Sweepable scalars become one-element lists for the schema (sweep_keys.h). */
    char *wrapped = lihop_sweep_wrap(cfg->text, sw, c.nsw);
    cfg->fixed_text = lihop_sweep_mask(cfg->text, sw, c.nsw);
    if (!wrapped || !cfg->fixed_text) {
        free(wrapped);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", name);
    }
    const cyaml_schema_value_t *schema = garnet ? &gtop_schema : &top_schema;
    void *y = NULL;
    lihop_status st = check_load(&c, wrapped, schema, &y);
    if (st == LIHOP_OK)
        st = garnet ? convert_garnet(&c, (const y_gtop *)y, cfg) : convert(&c, (const y_top *)y, cfg);
    free_loaded(schema, y);
    if (c.have_doc)
        yaml_document_delete(&c.doc);
    free(wrapped);
    return st;
}

/* Takes ownership of `text` (malloc'd, NUL-terminated). */
static lihop_status config_from_text(char *text, const char *name, lihop_config **out, lihop_err *err)
{
    lihop_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        free(text);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", name);
    }
    cfg->text = text;
    snprintf(cfg->path, sizeof cfg->path, "%s", name);
    lihop_status st = parse_into(cfg, name, err);
    if (st != LIHOP_OK) {
        lihop_config_destroy(cfg);
        return st;
    }
    cfg->point_key = lihop_config_point_key(cfg, cfg->temperature_K[0], 0);
    *out = cfg;
    return LIHOP_OK;
}

lihop_status lihop_config_parse(const char *text, const char *name, lihop_config **out, lihop_err *err)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_config_parse: text and out must not be NULL");
    if (!name)
        name = "<builtin>";
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", name);
    memcpy(copy, text, len + 1);
    return config_from_text(copy, name, out, err);
}

/* The whole file as a NUL-terminated malloc'd string (no NUL bytes inside). */
static lihop_status read_text(const char *path, char **out, lihop_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            if (cap >= MAX_CONFIG_BYTES) {
                free(buf);
                fclose(f);
                return lihop_fail(err, LIHOP_ERR_INPUT, "%s: expected a config file under %u MiB, got a larger one",
                                  path, MAX_CONFIG_BYTES >> 20);
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - 1 - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (!buf) {
        fclose(f);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", path);
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(buf);
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot read: %s", path, strerror(saved));
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        int line = 1;
        for (size_t i = 0; buf[i]; i++)
            line += buf[i] == '\n';
        free(buf);
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s:%d: expected YAML text, got a NUL byte", path, line);
    }
    *out = buf;
    return LIHOP_OK;
}

lihop_status lihop_config_load(const char *path, lihop_config **out, lihop_err *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_config_load: path and out must not be NULL");
    if (strlen(path) >= LIHOP_PATH_LEN)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%.64s...: expected a path shorter than %d characters",
                          path, LIHOP_PATH_LEN);
    char *buf = NULL;
    lihop_status st = read_text(path, &buf, err);
    if (st != LIHOP_OK)
        return st;
    return config_from_text(buf, path, out, err);
}

void lihop_config_destroy(lihop_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->text);
    free(cfg->fixed_text);
    free(cfg->points_value);
    free(cfg->garnet.material_text);
    free(cfg->garnet.lattice_text);
    free(cfg);
}

double lihop_config_coord_value(const lihop_config *cfg, int c, double T_K, int li_index)
{
    const lihop_coord *x = &cfg->coords[c];
    switch (x->kind) {
    case LIHOP_COORD_SEED: return (double)cfg->seed;
    case LIHOP_COORD_VOLUME_FRACTION: return cfg->micro.volume_fraction;
    case LIHOP_COORD_RADIUS: return cfg->micro.radius_voxels;
    case LIHOP_COORD_ASR: return cfg->interfaces[x->target].asr_ohm_m2;
    case LIHOP_COORD_LI_PER_FU: return cfg->garnet.li_per_fu[li_index];
    case LIHOP_COORD_LI_PER_CELL: return cfg->garnet.li_per_cell[li_index];
    case LIHOP_COORD_TEMPERATURE: return T_K;
    }
    return NAN;
}

uint32_t lihop_config_point_key(const lihop_config *cfg, double T_K, int li_index)
{
    const char *names[LIHOP_MAX_COORDS];
    double values[LIHOP_MAX_COORDS];
    int n = 0;
    for (int c = 0; c < cfg->ncoords; c++) {
        if (cfg->coords[c].kind == LIHOP_COORD_SEED)
            continue;
        names[n] = cfg->coords[c].name;
        values[n++] = lihop_config_coord_value(cfg, c, T_K, li_index);
    }
    return lihop_point_key(n, names, values);
}

double lihop_tlaw_eval(const lihop_tlaw *law, double T)
{
    switch (law->law) {
    case LIHOP_LAW_CONSTANT:
        return law->prefactor;
    case LIHOP_LAW_ARRHENIUS:
        if (!(T > 0.0))
            return 0.0;
        return law->prefactor * exp(-law->ea_eV / (LIHOP_KB_EV * T));
    case LIHOP_LAW_VTF:
        /* Below T0 the VTF liquid is frozen: no transport rather than a negative exponent. */
        if (!(T > law->vtf_T0_K))
            return 0.0;
        return law->prefactor * exp(-law->vtf_B_K / (T - law->vtf_T0_K));
    }
    return 0.0;
}
