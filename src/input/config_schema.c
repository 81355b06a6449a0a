/* config_schema.c - pass 2 of the config reader: the libcyaml schemas of voxel
 * decks, garnet decks and material files, the "FILE:LINE: key 'PATH': ..."
 * messages, the walk of the document against a schema (stricter than libcyaml
 * 1.3.1, and with the right lines), and check_load, which runs passes 1-3. */
#include "config_impl.h"

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)
#define NAME_MAX_CHARS (LIHOP_NAME_LEN - 1)

/* model: decides which top-level schema the deck is checked against. */
static const cyaml_strval_t model_strings[] = {{"voxel", LIHOP_MODEL_VOXEL},
                                               {"garnet", LIHOP_MODEL_GARNET}};
static const cyaml_strval_t backend_strings[] = {
    {"auto", LIHOP_BACKEND_AUTO}, {"cpu", LIHOP_BACKEND_CPU}, {"cuda", LIHOP_BACKEND_CUDA}};
const cyaml_strval_t cfg_law_strings[] = {
    {"constant", LIHOP_LAW_CONSTANT}, {"arrhenius", LIHOP_LAW_ARRHENIUS}, {"vtf", LIHOP_LAW_VTF}};
const cyaml_strval_t cfg_generator_strings[] = {
    {"uniform", LIHOP_GEN_UNIFORM}, {"laminate", LIHOP_GEN_LAMINATE}, {"spheres", LIHOP_GEN_SPHERES},
    {"random_voxels", LIHOP_GEN_RANDOM_VOXELS}, {"hdf5", LIHOP_GEN_HDF5},
    {"voronoi", LIHOP_GEN_VORONOI}, {"pic", LIHOP_GEN_PIC}, {"stack", LIHOP_GEN_STACK},
    {"lognormal_spheres", LIHOP_GEN_LOGNORMAL_SPHERES}, {"fibres", LIHOP_GEN_FIBRES}};
static const cyaml_strval_t packing_strings[] = {{"rsa", LIHOP_PACKING_RSA}, {"dense", LIHOP_PACKING_DENSE}};
static const cyaml_strval_t orientation_strings[] = {{"aligned", 0}, {"random", 1}};
static const cyaml_strval_t axis_strings[] = {{"x", 0}, {"y", 1}, {"z", 2}};

static const cyaml_schema_value_t number_entry = {CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double)};
static const cyaml_schema_value_t int_entry = {CYAML_VALUE_INT(CYAML_FLAG_DEFAULT, int64_t)};
static const cyaml_schema_value_t uint_entry = {CYAML_VALUE_UINT(CYAML_FLAG_DEFAULT, uint64_t)};
static const cyaml_schema_value_t name_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, NAME_MAX_CHARS)};

static const cyaml_schema_field_t tlaw_fields[] = {
    CYAML_FIELD_ENUM("law", CYAML_FLAG_STRICT, y_tlaw, law, cfg_law_strings,
                     CYAML_ARRAY_LEN(cfg_law_strings)),
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

/* What a phase's transport is: inline in the deck, or in a material file. */
#define PHASE_TRANSPORT_FIELDS                                                                      \
    CYAML_FIELD_MAPPING_PTR("sigma_total_S_cm", OPT, y_phase, sigma_total_S_cm, tlaw_fields),        \
    CYAML_FIELD_SEQUENCE("carriers", OPT, y_phase, carriers, &carrier_entry, 0, LIHOP_MAX_SPECIES),  \
    CYAML_FIELD_FLOAT_PTR("density_g_cm3", OPT, y_phase, density_g_cm3)

/* from_garnet (config_handoff.c): a phase names its species, an interface
 * the voxel faces crossed per garnet boundary. */
static const cyaml_strval_t garnet_law_strings[] = {{"arrhenius", LIHOP_LAW_ARRHENIUS}, {"table", LIHOP_LAW_TABLE}};
static const cyaml_schema_field_t phase_garnet_fields[] = {
    CYAML_FIELD_ENUM_PTR("law", OPT | CYAML_FLAG_STRICT, y_from_garnet, law, garnet_law_strings,
                         CYAML_ARRAY_LEN(garnet_law_strings)),
    CYAML_FIELD_STRING_PTR("results", CYAML_FLAG_POINTER, y_from_garnet, results, 1, LIHOP_PATH_LEN - 1),
    CYAML_FIELD_FLOAT_PTR("li_per_fu", OPT, y_from_garnet, li_per_fu),
    CYAML_FIELD_STRING_PTR("species", OPT, y_from_garnet, species, 1, NAME_MAX_CHARS),
    CYAML_FIELD_END};
static const cyaml_schema_field_t iface_garnet_fields[] = {
    CYAML_FIELD_ENUM_PTR("law", OPT | CYAML_FLAG_STRICT, y_from_garnet, law, garnet_law_strings,
                         CYAML_ARRAY_LEN(garnet_law_strings)),
    CYAML_FIELD_STRING_PTR("results", CYAML_FLAG_POINTER, y_from_garnet, results, 1, LIHOP_PATH_LEN - 1),
    CYAML_FIELD_FLOAT_PTR("li_per_fu", OPT, y_from_garnet, li_per_fu),
    CYAML_FIELD_INT_PTR("faces_per_boundary", OPT, y_from_garnet, faces_per_boundary),
    CYAML_FIELD_END};
static const cyaml_strval_t asr_law_strings[] = {{"constant", LIHOP_LAW_CONSTANT},
                                                 {"arrhenius", LIHOP_LAW_ARRHENIUS}};
static const cyaml_schema_field_t asr_law_fields[] = {
    CYAML_FIELD_ENUM("law", CYAML_FLAG_STRICT, y_asr_law, law, asr_law_strings, CYAML_ARRAY_LEN(asr_law_strings)),
    CYAML_FIELD_FLOAT("prefactor", CYAML_FLAG_DEFAULT, y_asr_law, prefactor),
    CYAML_FIELD_FLOAT_PTR("Ea_eV", OPT, y_asr_law, ea_eV),
    CYAML_FIELD_END};

static const cyaml_schema_field_t phase_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, y_phase, name, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("material", OPT, y_phase, material, 1, LIHOP_PATH_LEN - 1),
    CYAML_FIELD_MAPPING_PTR("from_garnet", OPT, y_phase, from_garnet, phase_garnet_fields),
    PHASE_TRANSPORT_FIELDS,
    CYAML_FIELD_END};
static const cyaml_schema_value_t phase_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_phase, phase_fields)};

/* A phase material file (config_material.c): name and source required, as
 * its provenance; the documentation keys are checked but change nothing. */
static const cyaml_schema_field_t phase_material_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, y_phase, name, 1, 127),
    CYAML_FIELD_STRING_PTR("source", CYAML_FLAG_POINTER, y_phase, source, 1, 1023),
    PHASE_TRANSPORT_FIELDS,
    CYAML_FIELD_STRING_PTR("composition", OPT, y_phase, composition, 1, 255),
    CYAML_FIELD_FLOAT_PTR("melting_K", OPT, y_phase, melting_K),
    CYAML_FIELD_FLOAT_PTR("crystalline_sigma_298K_S_cm", OPT, y_phase, crystalline_sigma_298K_S_cm),
    CYAML_FIELD_END};
const cyaml_schema_value_t cfg_phase_material_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_phase, phase_material_fields)};

static const cyaml_schema_field_t species_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, y_species, name, 1, NAME_MAX_CHARS),
    CYAML_FIELD_INT("charge", CYAML_FLAG_DEFAULT, y_species, charge),
    CYAML_FIELD_END};
static const cyaml_schema_value_t species_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_species, species_fields)};

static const cyaml_schema_field_t iface_fields[] = {
    CYAML_FIELD_SEQUENCE("phases", CYAML_FLAG_POINTER, y_iface, phases, &name_entry, 2, 2),
    CYAML_FIELD_SEQUENCE("asr_ohm_cm2", OPT, y_iface, asr_ohm_cm2, &number_entry, 1, LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_MAPPING_PTR("asr_law_ohm_cm2", OPT, y_iface, asr_law_ohm_cm2, asr_law_fields),
    CYAML_FIELD_MAPPING_PTR("from_garnet", OPT, y_iface, from_garnet, iface_garnet_fields),
    CYAML_FIELD_SEQUENCE("species", OPT, y_iface, species, &name_entry, 1, LIHOP_MAX_SPECIES),
    CYAML_FIELD_END};
static const cyaml_schema_value_t iface_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_iface, iface_fields)};

static const cyaml_schema_field_t vsc_fields[] = {
    CYAML_FIELD_SEQUENCE("phases", CYAML_FLAG_POINTER, y_vsc, phases, &name_entry, 2, 2),
    CYAML_FIELD_ENUM("profile", CYAML_FLAG_STRICT, y_vsc, profile, cfg_profile_strings + 1,
                     CYAML_ARRAY_LEN(cfg_profile_strings) - 1),
    CYAML_FIELD_SEQUENCE("phi0_V", OPT, y_vsc, phi0_V, &number_entry, 1, LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_SEQUENCE("length_m", OPT, y_vsc, length_m, &number_entry, 1, LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_IGNORE("table", CYAML_FLAG_OPTIONAL),   /* read by cfg_conv_sc_profile */
    CYAML_FIELD_END};
static const cyaml_schema_value_t vsc_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_vsc, vsc_fields)};

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

/* stack slabs and polymer crystallinity (micro_gen.h) */
static const cyaml_schema_field_t slab_fields[] = {
    CYAML_FIELD_FLOAT("fraction", CYAML_FLAG_DEFAULT, y_slab, fraction),
    CYAML_FIELD_ENUM("generator", CYAML_FLAG_STRICT, y_slab, generator, cfg_generator_strings,
                     CYAML_ARRAY_LEN(cfg_generator_strings)),
    CYAML_FIELD_STRING_PTR("matrix", OPT, y_slab, matrix, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("filler", OPT, y_slab, filler, 1, NAME_MAX_CHARS),
    CYAML_FIELD_FLOAT_PTR("volume_fraction", OPT, y_slab, volume_fraction),
    CYAML_FIELD_FLOAT_PTR("radius_voxels", OPT, y_slab, radius_voxels),
    CYAML_FIELD_BOOL_PTR("overlap", OPT, y_slab, overlap),
    CYAML_FIELD_INT_PTR("grains", OPT, y_slab, grains),
    CYAML_FIELD_FLOAT_PTR("grain_size_m", OPT, y_slab, grain_size_m),
    CYAML_FIELD_FLOAT_PTR("gb_thickness_m", OPT, y_slab, gb_thickness_m),
    CYAML_FIELD_STRING_PTR("grain", OPT, y_slab, grain, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("boundary", OPT, y_slab, boundary, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("polymer", OPT, y_slab, polymer, 1, NAME_MAX_CHARS),
    CYAML_FIELD_UINT_PTR("seed", OPT, y_slab, seed),
    CYAML_FIELD_END};
static const cyaml_schema_value_t slab_entry = {CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_slab, slab_fields)};
static const cyaml_schema_field_t t_row_fields[] = {
    CYAML_FIELD_FLOAT("T_K", CYAML_FLAG_DEFAULT, y_xy, x),
    CYAML_FIELD_FLOAT("fraction", CYAML_FLAG_DEFAULT, y_xy, y),
    CYAML_FIELD_END};
static const cyaml_schema_value_t t_row_entry = {CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_xy, t_row_fields)};
static const cyaml_schema_field_t f_row_fields[] = {
    CYAML_FIELD_FLOAT("filler_fraction", CYAML_FLAG_DEFAULT, y_xy, x),
    CYAML_FIELD_FLOAT("factor", CYAML_FLAG_DEFAULT, y_xy, y),
    CYAML_FIELD_END};
static const cyaml_schema_value_t f_row_entry = {CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_xy, f_row_fields)};
static const cyaml_schema_field_t cryst_fields[] = {
    CYAML_FIELD_STRING_PTR("polymer", CYAML_FLAG_POINTER, y_cryst, polymer, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("crystalline", CYAML_FLAG_POINTER, y_cryst, crystalline, 1, NAME_MAX_CHARS),
    CYAML_FIELD_FLOAT("cluster_voxels", CYAML_FLAG_DEFAULT, y_cryst, cluster_voxels),
    CYAML_FIELD_FLOAT_PTR("fraction", OPT, y_cryst, fraction),
    CYAML_FIELD_SEQUENCE("fraction_vs_T", OPT, y_cryst, fraction_vs_T, &t_row_entry, 1, LIHOP_MAX_CRYST_TABLE),
    CYAML_FIELD_FLOAT_PTR("melting_K", OPT, y_cryst, melting_K),
    CYAML_FIELD_SEQUENCE("filler_factor", OPT, y_cryst, filler_factor, &f_row_entry, 1, LIHOP_MAX_CRYST_TABLE),
    CYAML_FIELD_END};

static const cyaml_schema_field_t micro_fields[] = {
    CYAML_FIELD_SEQUENCE("box_voxels", CYAML_FLAG_POINTER, y_micro, box_voxels, &int_entry, 3, 3),
    CYAML_FIELD_FLOAT("voxel_size_m", CYAML_FLAG_DEFAULT, y_micro, voxel_size_m),
    CYAML_FIELD_ENUM("generator", CYAML_FLAG_STRICT, y_micro, generator, cfg_generator_strings,
                     CYAML_ARRAY_LEN(cfg_generator_strings)),
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
    CYAML_FIELD_INT_PTR("grains", OPT, y_micro, grains),
    CYAML_FIELD_FLOAT_PTR("grain_size_m", OPT, y_micro, grain_size_m),
    CYAML_FIELD_FLOAT_PTR("gb_thickness_m", OPT, y_micro, gb_thickness_m),
    CYAML_FIELD_STRING_PTR("grain", OPT, y_micro, grain, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("boundary", OPT, y_micro, boundary, 1, NAME_MAX_CHARS),
    CYAML_FIELD_STRING_PTR("polymer", OPT, y_micro, polymer, 1, NAME_MAX_CHARS),
    CYAML_FIELD_SEQUENCE("slabs", OPT, y_micro, slabs, &slab_entry, 1, LIHOP_MAX_SLABS),
    CYAML_FIELD_MAPPING_PTR("crystallinity", OPT, y_micro, crystallinity, cryst_fields),
    /* group B generators */
    CYAML_FIELD_SEQUENCE("weight_fraction", OPT, y_micro, weight_fraction, &number_entry, 1,
                         LIHOP_MAX_AXIS_VALUES),
    CYAML_FIELD_FLOAT_PTR("radius_m", OPT, y_micro, radius_m),
    CYAML_FIELD_FLOAT_PTR("radius_sigma", OPT, y_micro, radius_sigma),
    CYAML_FIELD_ENUM_PTR("packing", OPT | CYAML_FLAG_STRICT, y_micro, packing, packing_strings,
                         CYAML_ARRAY_LEN(packing_strings)),
    CYAML_FIELD_FLOAT_PTR("diameter_m", OPT, y_micro, diameter_m),
    CYAML_FIELD_FLOAT_PTR("diameter_voxels", OPT, y_micro, diameter_voxels),
    CYAML_FIELD_FLOAT_PTR("length_m", OPT, y_micro, length_m),
    CYAML_FIELD_FLOAT_PTR("length_voxels", OPT, y_micro, length_voxels),
    CYAML_FIELD_ENUM_PTR("orientation", OPT | CYAML_FLAG_STRICT, y_micro, orientation, orientation_strings,
                         CYAML_ARRAY_LEN(orientation_strings)),
    CYAML_FIELD_STRING_PTR("interphase", OPT, y_micro, interphase, 1, NAME_MAX_CHARS),
    CYAML_FIELD_FLOAT_PTR("interphase_thickness_m", OPT, y_micro, interphase_thickness_m),
    CYAML_FIELD_END};

static const cyaml_schema_field_t run_fields[] = {
    CYAML_FIELD_UINT("walkers", CYAML_FLAG_DEFAULT, y_run, walkers),
    CYAML_FIELD_FLOAT_PTR("hops_per_walker", OPT, y_run, hops_per_walker),
    CYAML_FIELD_FLOAT_PTR("time_s", OPT, y_run, time_s),
    CYAML_FIELD_INT_PTR("samples", OPT, y_run, samples),
    CYAML_FIELD_INT_PTR("batches", OPT, y_run, batches),
    CYAML_FIELD_INT_PTR("max_extensions", OPT, y_run, max_extensions),
    CYAML_FIELD_BOOL_PTR("exact_reference", OPT, y_run, exact_reference),
    CYAML_FIELD_END};

/* Rows of an explicit points: table (config_points.c); a model's sweepable keys. */
static const cyaml_schema_field_t voxel_point_fields[] = {
    CYAML_FIELD_UINT_PTR("seed", OPT, y_point, seed),
    CYAML_FIELD_FLOAT_PTR("temperature_K", OPT, y_point, temperature_K),
    CYAML_FIELD_FLOAT_PTR("volume_fraction", OPT, y_point, volume_fraction),
    CYAML_FIELD_FLOAT_PTR("radius_voxels", OPT, y_point, radius_voxels),
    CYAML_FIELD_FLOAT_PTR("asr_ohm_cm2", OPT, y_point, asr_ohm_cm2),
    CYAML_FIELD_END};
const cyaml_schema_value_t cfg_voxel_point_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_point, voxel_point_fields)};
static const cyaml_schema_field_t garnet_point_fields[] = {
    CYAML_FIELD_UINT_PTR("seed", OPT, y_point, seed),
    CYAML_FIELD_FLOAT_PTR("temperature_K", OPT, y_point, temperature_K),
    CYAML_FIELD_FLOAT_PTR("li_per_fu", OPT, y_point, li_per_fu),
    CYAML_FIELD_FLOAT_PTR("li_per_cell", OPT, y_point, li_per_cell),
    CYAML_FIELD_END};
const cyaml_schema_value_t cfg_garnet_point_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_point, garnet_point_fields)};

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
    CYAML_FIELD_SEQUENCE("space_charge", OPT, y_top, space_charge, &vsc_entry, 0, LIHOP_MAX_SPACE_CHARGE),
    CYAML_FIELD_MAPPING_PTR("microstructure", CYAML_FLAG_POINTER, y_top, microstructure,
                            micro_fields),
    CYAML_FIELD_IGNORE("field_V_m", CYAML_FLAG_OPTIONAL),   /* a vector or a list of them: cfg_field_vectors */
    CYAML_FIELD_MAPPING_PTR("run", CYAML_FLAG_POINTER, y_top, run, run_fields),
    CYAML_FIELD_SEQUENCE("points", OPT, y_top, points, &cfg_voxel_point_entry, 1, LIHOP_MAX_TABLE_POINTS),
    CYAML_FIELD_END};

const cyaml_schema_value_t cfg_top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_top, top_fields)};

#define SUBNAME_MAX_CHARS 15        /* lihop_lattice subname[16] */
static const cyaml_strval_t rate_law_strings[] = {{"kra", LIHOP_GRATE_KRA},
                                                  {"metropolis", LIHOP_GRATE_METROPOLIS}};
const cyaml_strval_t cfg_profile_strings[] = {
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
/* field_V_m is one [Ex, Ey, Ez] or a list of them (a sweep axis): libcyaml
 * ignores the key, pass 2 checks the shape written, pass 3 reads the vectors
 * from the document (cfg_field_vectors). */
static const cyaml_schema_value_t vec3_check_schema = {
    CYAML_VALUE_SEQUENCE_FIXED(CYAML_FLAG_POINTER, double, &number_entry, 3)};
static const cyaml_schema_value_t vec3_list_check_schema = {
    CYAML_VALUE_SEQUENCE(CYAML_FLAG_POINTER, double, &vec3_check_schema, 1, LIHOP_MAX_AXIS_VALUES)};

static const cyaml_schema_value_t *field_check_schema(const yaml_document_t *doc, const yaml_node_t *v)
{
    if (v->type == YAML_SEQUENCE_NODE && v->data.sequence.items.start < v->data.sequence.items.top) {
        yaml_node_t *first = yaml_document_get_node((yaml_document_t *)doc, *v->data.sequence.items.start);
        if (first && first->type == YAML_SEQUENCE_NODE)
            return &vec3_list_check_schema;
    }
    return &vec3_check_schema;
}

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
    CYAML_FIELD_ENUM("profile", CYAML_FLAG_STRICT, y_sc, profile, cfg_profile_strings,
                     CYAML_ARRAY_LEN(cfg_profile_strings)),
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
const cyaml_schema_value_t cfg_material_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_garnet, material_fields)};

static const cyaml_schema_field_t garnet_fields[] = {
    CYAML_FIELD_STRING_PTR("material", OPT, y_garnet, material, 1, LIHOP_PATH_LEN - 1),
    GARNET_MATERIAL_FIELDS,
    CYAML_FIELD_SEQUENCE("cells", OPT, y_garnet, cells, &int_entry, 3, 3),
    CYAML_FIELD_SEQUENCE("li_per_fu", OPT, y_garnet, li_per_fu, &number_entry, 1, LIHOP_MAX_LI_VALUES),
    CYAML_FIELD_SEQUENCE("li_per_cell", OPT, y_garnet, li_per_cell, &number_entry, 1, LIHOP_MAX_LI_VALUES),
    CYAML_FIELD_IGNORE("field_V_m", CYAML_FLAG_OPTIONAL),   /* a vector or a list of them: cfg_field_vectors */
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
    CYAML_FIELD_SEQUENCE("points", OPT, y_gtop, points, &cfg_garnet_point_entry, 1, LIHOP_MAX_TABLE_POINTS),
    CYAML_FIELD_END};

const cyaml_schema_value_t cfg_gtop_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_gtop, gtop_fields)};

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
lihop_status cfg_fail_line(pctx *c, int line, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lihop_status st = vfail_line(c, line, path, fmt, ap);
    va_end(ap);
    return st;
}

/* The same at the line where PATH is written (or its deepest written parent). */
lihop_status cfg_fail_at(pctx *c, const char *path, const char *fmt, ...)
{
    int line;
    lihop_yaml_lookup(&c->doc, path, &line);
    va_list ap;
    va_start(ap, fmt);
    lihop_status st = vfail_line(c, line, path, fmt, ap);
    va_end(ap);
    return st;
}

int cfg_line_of(pctx *c, const char *path)
{
    int line;
    lihop_yaml_lookup(&c->doc, path, &line);
    return line;
}

int cfg_present(pctx *c, const char *path)
{
    return lihop_yaml_lookup(&c->doc, path, NULL) != NULL;
}

/* The value at PATH as written, for "got ...". */
const char *cfg_got(pctx *c, const char *path)
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

void cfg_join_append(char *buf, size_t cap, const char *item)
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
            cfg_join_append(list, sizeof list, s->enumeration.strings[i].str);
        snprintf(buf, cap, "one of: %s", list);
        return;
    case CYAML_STRING:
        snprintf(buf, cap, "a name of %u to %u characters", (unsigned)s->string.min,
                 (unsigned)s->string.max);
        return;
    case CYAML_MAPPING:
        for (const cyaml_schema_field_t *f = s->mapping.fields; f->key; f++)
            cfg_join_append(list, sizeof list, f->key);
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
            return cfg_fail_line(c, kline, path, "expected a plain key, got %s as a key", c->got);
        }
        const char *key = (const char *)k->data.scalar.value;
        snprintf(path + plen, PATH_CAP - plen, "%s%s", plen ? "." : "", key);
        const cyaml_schema_field_t *f = s->mapping.fields;
        while (f->key && strcmp(f->key, key) != 0)
            f++;
        if (!f->key) {
            char keys[400] = "";
            for (const cyaml_schema_field_t *g = s->mapping.fields; g->key; g++)
                cfg_join_append(keys, sizeof keys, g->key);
            return cfg_fail_line(c, kline, path, "expected a known key (%s), got unknown key '%.60s'",
                                 keys, key);
        }
        for (yaml_node_pair_t *q = start; q < pr; q++) {
            yaml_node_t *k0 = yaml_document_get_node(&c->doc, q->key);
            if (k0->type == YAML_SCALAR_NODE && strcmp((const char *)k0->data.scalar.value, key) == 0)
                return cfg_fail_line(c, kline, path, "expected each key once, got '%s' again (first on line %d)",
                                     key, (int)k0->start_mark.line + 1);
        }
        const cyaml_schema_value_t *fs = &f->value;
        if (f->value.type == CYAML_IGNORE && strcmp(f->key, "field_V_m") == 0)
            fs = field_check_schema(&c->doc, v);
        lihop_status st = check_node(c, fs, v, path, kline);
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
            return cfg_fail_line(c, line, path, "expected %s (required), got nothing", want);
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
        return cfg_fail_line(c, line, path, "expected %s, got %s", want, c->got);
    }
    if (is_map)
        return check_mapping(c, s, n, path, line);
    if (is_seq) {
        yaml_node_item_t *items = n->data.sequence.items.start;
        unsigned count = (unsigned)(n->data.sequence.items.top - items);
        if (count < s->sequence.min || count > s->sequence.max) {
            describe_schema(s, want, sizeof want);
            return cfg_fail_line(c, line, path, "expected %s, got a list of %u entries", want, count);
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
    return cfg_fail_at(c, path, "expected a value libcyaml accepts, got: %s (%s)", first,
                       cyaml_strerror(e));
}

void cfg_free_loaded(const cyaml_schema_value_t *schema, void *y)
{
    cyaml_config_t cc = {.log_fn = NULL, .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR,
                         .flags = CYAML_CFG_DEFAULT};
    if (y)
        cyaml_free(&cc, schema, y, 0);
}

/* Passes 1-3 on `text` against `schema`: c->doc is loaded (c->have_doc set,
 * the caller deletes it) and *out gets the loaded struct (free_loaded). */
lihop_status cfg_check_load(pctx *c, const char *text, const cyaml_schema_value_t *schema, void **out)
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
        return cfg_fail_line(c, root ? (int)root->start_mark.line + 1 : 1, "",
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
        cfg_free_loaded(schema, y);
        return cyaml_refused(c, e);
    }
    if (!y)
        return cfg_fail_line(c, 1, "", "expected a mapping of config keys, got nothing");
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
lihop_status cfg_model_keys(pctx *c, yaml_document_t *doc, int garnet)
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
            cfg_join_append(keys, sizeof keys, f->key);
        return cfg_fail_line(c, (int)k->start_mark.line + 1, key,
                             "expected a key of model '%s' (%s), got '%s', which belongs to model '%s'%s",
                             garnet ? "garnet" : "voxel", keys, key, garnet ? "voxel" : "garnet",
                             garnet && has_field(garnet_fields, key) ? " (a garnet deck sets it inside garnet:)" : "");
    }
    return LIHOP_OK;
}
