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
typedef enum { LIHOP_LAW_CONSTANT = 0, LIHOP_LAW_ARRHENIUS = 1, LIHOP_LAW_VTF = 2 } lihop_law_kind;
typedef struct {
    lihop_law_kind law;
    double prefactor;   /* SI */
    double ea_eV;
    double vtf_B_K;
    double vtf_T0_K;
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
} lihop_phase_cfg;

typedef struct {
    int phase_a, phase_b;           /* indices into lihop_config.phases, a != b */
    double asr_ohm_m2;              /* area-specific resistance, ohm m^2 (>= 0) */
    unsigned species_mask;          /* bit s set: applies to species s */
} lihop_interface_cfg;

typedef enum {
    LIHOP_GEN_UNIFORM = 0,          /* every voxel = matrix */
    LIHOP_GEN_LAMINATE = 1,         /* layers normal to `axis` with fractions */
    LIHOP_GEN_SPHERES = 2,          /* random spheres of filler in matrix */
    LIHOP_GEN_RANDOM_VOXELS = 3,    /* each voxel filler with probability f */
    LIHOP_GEN_HDF5 = 4              /* integer labels from an HDF5 dataset */
} lihop_generator_kind;

#define LIHOP_MAX_LAYERS 16

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
} lihop_micro_cfg;

typedef struct {
    uint64_t walkers;               /* per species */
    double time_s;                  /* simulated time per walker; 0: use hops_per_walker */
    double hops_per_walker;         /* mean hops per walker sets the time; 0: use time_s */
    int samples;                    /* time-grid points, 2..LIHOP_MAX_SAMPLES */
    int batches;                    /* independent walker batches for error bars, >= 2 */
} lihop_run_cfg;

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
    lihop_micro_cfg micro;
    lihop_run_cfg run;
    double field_V_m[3];            /* applied field, V/m */
} lihop_config;

/* Parse a YAML file.  On error returns LIHOP_ERR_INPUT (or _IO) and a message of
 * the form "FILE:LINE: key 'a.b.c': expected ..., got ...". */
lihop_status lihop_config_load(const char *path, lihop_config **out, lihop_err *err);
/* Same from text in memory; `name` is used in messages. */
lihop_status lihop_config_parse(const char *text, const char *name, lihop_config **out, lihop_err *err);
void lihop_config_destroy(lihop_config *cfg);

/* Evaluate a temperature law at T (K). */
double lihop_tlaw_eval(const lihop_tlaw *law, double T);

#endif
