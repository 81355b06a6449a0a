/* results_layout.c - a new results file's layout: /metadata (both models),
 * /sweep, /points, /summary and /microstructure (h5out.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <hdf5.h>

#include "results_impl.h"
#include "percolation_h5.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void lihop_h5r_iso_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(buf, 32, "unknown");
}

int lihop_h5r_point_complete(hid_t points, const char *name)
{
    if (H5Lexists(points, name, H5P_DEFAULT) <= 0)
        return 0;
    if (H5Aexists_by_name(points, name, "complete", H5P_DEFAULT) <= 0)
        return 0;
    hid_t a = H5Aopen_by_name(points, name, "complete", H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return 0;
    int32_t v = 0;
    herr_t e = H5Aread(a, H5T_NATIVE_INT32, &v);
    H5Aclose(a);
    return e >= 0 && v == 1;
}

int lihop_h5r_create_summary(lihop_h5i_ctx *c, lihop_h5 *h)
{
    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = 64;
    hid_t sp = H5Screate_simple(1, &dims, &maxdims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    int rc = -1;
    if (sp < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set up '/summary'");
        goto done;
    }
    h->summary = H5Dcreate2(h->file, "/summary", h->row_type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (h->summary < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create '/summary'");
        goto done;
    }
    if (lihop_h5r_write_units(c, h->summary, "/summary", h->cols, h->ncols) < 0)
        goto done;
    rc = 0;
done:
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

int lihop_h5r_write_session_attrs(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_h5_meta *meta)
{
    lihop_h5_meta none = {0};
    if (!meta)
        meta = &none;
    if (lihop_h5i_attr_str(c, h->meta, "/metadata", "lihop_version", meta->version) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "git_describe", meta->git_describe) < 0 ||
        /* the first session's command stays; every session's is in /metadata/history */
        (H5Aexists(h->meta, "command_line") <= 0 &&
         lihop_h5i_attr_str(c, h->meta, "/metadata", "command_line", meta->command_line) < 0) ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "backend", meta->backend) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "device_name", meta->device_name) < 0 ||
        lihop_h5i_attr_i32(c, h->meta, "/metadata", "threads", meta->threads) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "status", "running") < 0)
        return -1;
    return 0;
}


static const char *const profile_names[] = {"none", "gouy_chapman", "mott_schottky", "table"};

/* The pair-energy shells of /metadata/garnet (only when the deck has some). */
static int write_pair_shells(lihop_h5i_ctx *c, hid_t g, const char *o, const lihop_garnet_cfg *gc)
{
    if (gc->npair_shells <= 0)
        return 0;
    int n = gc->npair_shells;
    if (lihop_h5i_attr_write(c, g, o, "pair_shells_from_A", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n,
                             gc->pair_shell_min_A) < 0 ||
        lihop_h5i_attr_write(c, g, o, "pair_shells_to_A", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n,
                             gc->pair_shell_max_A) < 0 ||
        lihop_h5i_attr_write(c, g, o, "pair_shells_eV", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n,
                             gc->pair_shell_eV) < 0)
        return -1;
    return 0;
}

/* The attributes of /metadata/garnet up to the replica count. */
static int write_garnet_attrs(lihop_h5i_ctx *c, hid_t g, const char *o, const lihop_config *cfg)
{
    const lihop_garnet_cfg *gc = &cfg->garnet;
    const char *subs[LIHOP_MAX_SUBLATTICES];
    for (int s = 0; s < gc->nsub; s++)
        subs[s] = gc->subname[s];
    if (lihop_h5i_attr_str(c, g, o, "material_path", gc->material_path) < 0 ||
        lihop_h5i_attr_str(c, g, o, "material_name", gc->material_name) < 0 ||
        lihop_h5i_attr_str(c, g, o, "material_source", gc->material_source) < 0 ||
        lihop_h5i_attr_str(c, g, o, "lattice_path", gc->lattice_path) < 0 ||
        lihop_h5i_attr_str(c, g, o, "lattice_name", gc->lattice.name) < 0 ||
        lihop_h5i_attr_strs(c, g, o, "sublattices", gc->nsub, subs) < 0 ||
        lihop_h5i_attr_i32s(c, g, o, "cells", 3, gc->cells) < 0 ||
        lihop_h5i_attr_str(c, g, o, "rate_law", gc->rate_law == LIHOP_GRATE_METROPOLIS ? "metropolis" : "kra") < 0 ||
        lihop_h5i_attr_f64(c, g, o, "nu_Hz", gc->nu_Hz) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "E_nn_eV", gc->E_nn_eV) < 0 ||
        lihop_h5i_attr_i32(c, g, o, "npair_shells", gc->npair_shells) < 0 ||
        write_pair_shells(c, g, o, gc) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "disorder_sigma_eV", gc->disorder_sigma_eV) < 0 ||
        lihop_h5i_attr_write(c, g, o, "field_V_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, gc->field_V_m) < 0 ||
        lihop_h5i_attr_i32(c, g, o, "replicas", (int)cfg->run.replicas) < 0)
        return -1;
    return 0;
}

/* E_kra_eV [nsub][nsub] (NaN: pair not given) and site_energy_eV [nsub]. */
static int write_garnet_energies(lihop_h5i_ctx *c, hid_t g, const char *o, const lihop_garnet_cfg *gc)
{
    int ns = gc->nsub;
    double kra[LIHOP_MAX_SUBLATTICES * LIHOP_MAX_SUBLATTICES];
    for (int a = 0; a < ns; a++)
        for (int b = 0; b < ns; b++)
            kra[a * ns + b] = gc->kra_given[a][b] ? gc->E_kra_eV[a][b] : NAN;
    hsize_t d2[2] = {(hsize_t)ns, (hsize_t)ns}, d1 = (hsize_t)ns;
    if (lihop_h5i_dset_f64(c, g, o, "E_kra_eV", 2, d2, kra, "eV") < 0 ||
        lihop_h5i_dset_f64(c, g, o, "site_energy_eV", 1, &d1, gc->site_energy_eV, "eV") < 0)
        return -1;
    return 0;
}

/* The bicrystal_* and space_charge_* attributes of /metadata/garnet. */
static int write_bicrystal_attrs(lihop_h5i_ctx *c, hid_t g, const char *o, const lihop_bicrystal_cfg *b)
{
    char axis[2] = {"xyz"[b->axis], '\0'};
    if (lihop_h5i_attr_str(c, g, o, "bicrystal_axis", axis) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "bicrystal_center_frac", b->center_frac) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "bicrystal_thickness_A", b->thickness_A) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "bicrystal_kra_shift_eV", b->kra_shift_eV) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "bicrystal_site_shift_eV", b->site_shift_eV) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "bicrystal_disorder_sigma_eV", b->disorder_sigma_eV) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "bicrystal_site_removal_fraction", b->site_removal_fraction) < 0 ||
        lihop_h5i_attr_str(c, g, o, "space_charge_profile", profile_names[b->profile]) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "space_charge_phi0_V", b->phi0_V) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "space_charge_length_A", b->length_A) < 0)
        return -1;
    return 0;
}

/* /metadata/garnet: what the deck's garnet block resolved to (material, lattice, bicrystal). */
static int write_garnet_meta(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg)
{
    const lihop_garnet_cfg *gc = &cfg->garnet;
    hid_t g = H5I_INVALID_HID;
    int rc = -1;
    const char *o = "/metadata/garnet";
    if (lihop_h5i_attr_str(c, h->meta, "/metadata", "material_text", gc->material_text) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "lattice_text", gc->lattice_text) < 0 ||
        lihop_h5i_make_group(c, h->file, o, &g) < 0)
        goto done;
    if (write_garnet_attrs(c, g, o, cfg) < 0 || write_garnet_energies(c, g, o, gc) < 0)
        goto done;
    if (gc->has_drift &&
        lihop_h5i_attr_write(c, g, o, "drift_fields_V_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2,
                             gc->drift_fields_V_m) < 0)
        goto done;
    if (gc->has_bicrystal && write_bicrystal_attrs(c, g, o, &gc->bicrystal) < 0)
        goto done;
    rc = 0;
done:
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

/* /sweep: one dataset per coordinate with the deck's values (the seed as
 * uint64; the temperature as temperature_K), attributes swept (int32) and key;
 * garnet files also get both Li-content forms.  Replaces an existing /sweep. */
int lihop_h5r_write_sweep(lihop_h5i_ctx *c, hid_t file, const lihop_config *cfg)
{
    if (H5Lexists(file, "/sweep", H5P_DEFAULT) > 0 && H5Ldelete(file, "/sweep", H5P_DEFAULT) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot replace '/sweep'");
    hid_t g;
    if (lihop_h5i_make_group(c, file, "/sweep", &g) < 0)
        return -1;
    int rc = 0;
    for (int k = 0; k < cfg->ncoords && rc == 0; k++) {
        const lihop_coord *x = &cfg->coords[k];
        const char *name = x->kind == LIHOP_COORD_TEMPERATURE ? "temperature_K" : x->name;
        hsize_t n = (hsize_t)x->n;
        if (x->kind == LIHOP_COORD_SEED) {
            uint64_t u[LIHOP_MAX_AXIS_VALUES];
            for (int i = 0; i < x->n; i++)
                u[i] = x->n == 1 ? cfg->seed : (uint64_t)x->value[i];
            rc = lihop_h5i_dset_write(c, g, "/sweep", name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &n, u, "1");
        } else {
            rc = lihop_h5i_dset_f64(c, g, "/sweep", name, 1, &n, x->value, x->unit);
        }
        hid_t d = rc == 0 ? H5Dopen2(g, name, H5P_DEFAULT) : H5I_INVALID_HID;
        if (d >= 0) {
            rc = (lihop_h5i_attr_i32(c, d, name, "swept", x->swept) < 0 || lihop_h5i_attr_str(c, d, name, "key", x->key) < 0)
                     ? -1 : 0;
            H5Dclose(d);
        }
    }
    if (rc == 0 && cfg->model == LIHOP_MODEL_GARNET) {
        hsize_t nx = (hsize_t)cfg->garnet.nli;
        const char *other = cfg->garnet.li_is_per_cell ? "li_per_fu" : "li_per_cell";
        rc = lihop_h5i_dset_f64(c, g, "/sweep", other, 1, &nx,
                      cfg->garnet.li_is_per_cell ? cfg->garnet.li_per_fu : cfg->garnet.li_per_cell, "1");
    }
    H5Gclose(g);
    return rc;
}

/* A 1-D string dataset loc/name (no unit attribute). */
static int write_names(lihop_h5i_ctx *c, hid_t loc, const char *locname, int n, const char *const *names)
{
    hsize_t dn = (hsize_t)n;
    hid_t st = lihop_h5i_str_type();
    int e = lihop_h5i_dset_write(c, loc, locname, "name", st, st, 1, &dn, names, NULL);
    H5Tclose(st);
    return e;
}

/* /metadata/phases material_path, material_name, material_source,
 * material_text [nphases]: each phase's material file ("" for a phase given
 * inline), as /metadata/garnet keeps the garnet deck's. */
static int write_phase_materials(lihop_h5i_ctx *c, hid_t g, int n, const lihop_config *cfg)
{
    static const char *const key[4] = {"material_path", "material_name", "material_source", "material_text"};
    const char *v[LIHOP_MAX_PHASES];
    hsize_t dn = (hsize_t)n;
    hid_t st = lihop_h5i_str_type();
    int e = 0;
    for (int k = 0; k < 4 && e == 0; k++) {
        for (int p = 0; p < n; p++) {
            const lihop_phase_cfg *ph = &cfg->phases[p];
            const char *f[4] = {ph->material_path, ph->material_name, ph->material_source, ph->material_text};
            v[p] = f[k] ? f[k] : "";
        }
        e = lihop_h5i_dset_write(c, g, "/metadata/phases", key[k], st, st, 1, &dn, v, NULL);
    }
    H5Tclose(st);
    return e;
}

/* /metadata/phases/from_garnet [nphases] and /metadata/interfaces (name "a|b",
 * asr_law, asr0_ohm_m2, asr_Ea_eV, from_garnet): where hand-off numbers came
 * from (README "From atoms to a membrane"); "" where a deck gave them itself;
 * asr0/Ea: the Arrhenius law or fit (NaN for a constant). */
static int write_handoff(lihop_h5i_ctx *c, hid_t gp, hid_t file, const lihop_config *cfg)
{
    const char *v[LIHOP_MAX_INTERFACES > LIHOP_MAX_PHASES ? LIHOP_MAX_INTERFACES : LIHOP_MAX_PHASES];
    char names[LIHOP_MAX_INTERFACES][2 * LIHOP_NAME_LEN + 2];
    double a0[LIHOP_MAX_INTERFACES], ea[LIHOP_MAX_INTERFACES];
    hsize_t dn = (hsize_t)cfg->nphases, di = (hsize_t)cfg->ninterfaces;
    hid_t st = lihop_h5i_str_type(), g = -1;
    for (int p = 0; p < cfg->nphases; p++)
        v[p] = cfg->phases[p].garnet_origin;
    int e = lihop_h5i_dset_write(c, gp, "/metadata/phases", "from_garnet", st, st, 1, &dn, v, NULL);
    if (e == 0 && cfg->ninterfaces > 0)
        e = lihop_h5i_make_group(c, file, "/metadata/interfaces", &g);
    for (int k = 0; e == 0 && k < cfg->ninterfaces; k++) {
        const lihop_interface_cfg *ic = &cfg->interfaces[k];
        snprintf(names[k], sizeof names[k], "%s|%s", cfg->phases[ic->phase_a].name, cfg->phases[ic->phase_b].name);
        a0[k] = ic->asr_law != LIHOP_LAW_CONSTANT ? ic->asr0_ohm_m2 : NAN;
        ea[k] = ic->asr_law != LIHOP_LAW_CONSTANT ? ic->asr_ea_eV : NAN;
    }
    for (int pass = 0; e == 0 && g >= 0 && pass < 3; pass++) {
        for (int k = 0; k < cfg->ninterfaces; k++)
            v[k] = pass == 0 ? names[k]
                   : pass == 1 ? (cfg->interfaces[k].asr_law == LIHOP_LAW_ARRHENIUS ? "arrhenius"
                                  : cfg->interfaces[k].asr_law == LIHOP_LAW_TABLE   ? "table"
                                                                                    : "constant")
                               : cfg->interfaces[k].garnet_origin;
        static const char *const key[3] = {"name", "asr_law", "from_garnet"};
        e = lihop_h5i_dset_write(c, g, "/metadata/interfaces", key[pass], st, st, 1, &di, v, NULL);
    }
    if (e == 0 && g >= 0)
        e = lihop_h5i_dset_write(c, g, "/metadata/interfaces", "asr0_ohm_m2", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                                 &di, a0, "ohm m^2");
    if (e == 0 && g >= 0)
        e = lihop_h5i_dset_write(c, g, "/metadata/interfaces", "asr_Ea_eV", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                                 &di, ea, "eV");
    if (g >= 0)
        H5Gclose(g);
    H5Tclose(st);
    return e;
}

/* /metadata/species (name, charge_e) and /metadata/phases (name) of a voxel deck. */
static int write_voxel_meta(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg)
{
    const char *names[LIHOP_MAX_PHASES > LIHOP_MAX_SPECIES ? LIHOP_MAX_PHASES : LIHOP_MAX_SPECIES];
    int32_t charge[LIHOP_MAX_SPECIES];
    hid_t g;
    if (lihop_h5i_make_group(c, h->file, "/metadata/species", &g) < 0)
        return -1;
    for (int s = 0; s < h->nspecies; s++) {
        names[s] = cfg->species[s].name;
        charge[s] = cfg->species[s].charge;
    }
    hsize_t n = (hsize_t)h->nspecies;
    int e = write_names(c, g, "/metadata/species", h->nspecies, names);
    if (e == 0)
        e = lihop_h5i_dset_write(c, g, "/metadata/species", "charge_e", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n,
                                 charge, "e");
    H5Gclose(g);
    if (e < 0 || lihop_h5i_make_group(c, h->file, "/metadata/phases", &g) < 0)
        return -1;
    for (int p = 0; p < h->nphases; p++)
        names[p] = cfg->phases[p].name;
    e = write_names(c, g, "/metadata/phases", h->nphases, names);
    if (e == 0)
        e = write_phase_materials(c, g, h->nphases, cfg);
    if (e == 0)
        e = write_handoff(c, g, h->file, cfg);
    H5Gclose(g);
    return e;
}

int lihop_h5r_create_layout(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg,
                            const lihop_h5_meta *meta)
{
    char now[32];
    lihop_h5r_iso_now(now);
    if (lihop_h5i_make_group(c, h->file, "/metadata", &h->meta) < 0)
        return -1;
    if (lihop_h5r_write_session_attrs(c, h, meta) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_text", cfg->text) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_fixed_text", cfg->fixed_text ? cfg->fixed_text : "") < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "config_path", cfg->path) < 0 ||
        lihop_h5i_attr_u64(c, h->meta, "/metadata", "seed", cfg->seed) < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "model",
                           cfg->model == LIHOP_MODEL_GARNET ? "garnet" : "voxel") < 0 ||
        lihop_h5i_attr_str(c, h->meta, "/metadata", "start_time", now) < 0 ||
        lihop_h5r_history_begin(c, h, meta, now) < 0)
        return -1;
    if ((cfg->model == LIHOP_MODEL_GARNET ? write_garnet_meta(c, h, cfg) : write_voxel_meta(c, h, cfg)) < 0)
        return -1;
    if (lihop_h5r_write_sweep(c, h->file, cfg) < 0)
        return -1;
    if (lihop_h5i_make_group(c, h->file, "/points", &h->points) < 0 || lihop_h5r_create_summary(c, h) < 0)
        return -1;
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush");
    return 0;
}

/* The stored /microstructure/phase must equal m, shape and every voxel. */
int lihop_h5r_compare_micro(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m)
{
    hid_t d = H5Dopen2(file, "/microstructure/phase", H5P_DEFAULT);
    hid_t sp = H5I_INVALID_HID;
    uint8_t *buf = NULL;
    int rc = -1;
    if (d < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/microstructure' has no dataset 'phase'");
        goto done;
    }
    sp = H5Dget_space(d);
    hsize_t dims[3] = {0, 0, 0};
    if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 3 || H5Sget_simple_extent_dims(sp, dims, NULL) != 3) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT, "'/microstructure/phase' is not 3-D");
        goto done;
    }
    if (dims[0] != (hsize_t)m->n[2] || dims[1] != (hsize_t)m->n[1] || dims[2] != (hsize_t)m->n[0]) {
        lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                       "'/microstructure/phase' is %llux%llux%llu (x,y,z) but the run's "
                       "microstructure is %dx%dx%d",
                       (unsigned long long)dims[2], (unsigned long long)dims[1],
                       (unsigned long long)dims[0], m->n[0], m->n[1], m->n[2]);
        goto done;
    }
    size_t nvox = (size_t)lihop_micro_nvox(m);
    if (nvox > 0) {
        buf = malloc(nvox);
        if (!buf) {
            lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading '/microstructure/phase'");
            goto done;
        }
        if (H5Dread(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot read '/microstructure/phase'");
            goto done;
        }
        if (memcmp(buf, m->phase, nvox) != 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                           "'/microstructure/phase' differs from the microstructure this run "
                           "built; the results would not belong together");
            goto done;
        }
    }
    rc = 0;
done:
    free(buf);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* /microstructure (phase grid, phase fractions, percolation) into a file that has none, then a flush. */
int lihop_h5r_write_micro_group(lihop_h5i_ctx *c, hid_t file, const lihop_micro *m,
                             const char *const *phase_names)
{
    hid_t g = H5I_INVALID_HID;
    double frac[LIHOP_MAX_PHASES] = {0};
    int64_t nvox = lihop_micro_nvox(m);
    int rc = -1;
    if (nvox > 0) {
        int64_t count[256] = {0};
        for (int64_t i = 0; i < nvox; i++)
            count[m->phase[i]]++;
        for (int p = 0; p < m->nphases; p++)
            frac[p] = (double)count[p] / (double)nvox;
    }
    hsize_t np = (hsize_t)m->nphases;
    if (lihop_h5i_make_group(c, file, "/microstructure", &g) < 0 ||
        lihop_h5i_write_grid(c, g, "phase", m, phase_names) < 0 ||
        lihop_h5i_dset_f64(c, g, "/microstructure", "phase_fraction", 1, &np, frac, "1") < 0 ||
        lihop_h5i_write_percolation(c, g, "/microstructure", "percolation", m, phase_names) < 0)
        goto done;
    if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush");
        goto done;
    }
    rc = 0;
done:
    if (g >= 0)
        H5Gclose(g);
    return rc;
}


/* ---- /metadata/history: one row per session (first run and every --resume) ---- */

static const char *const hist_cols[LIHOP_H5R_NHIST] = {"start_time",   "end_time",      "command_line",
                                                       "status",       "lihop_version", "git_describe",
                                                       "backend",      "device_name"};

/* /metadata/history/<name> as malloc'd strings (*n of them); NULL, *n = 0 when absent. */
static char **hist_read(hid_t g, const char *name, int *n)
{
    *n = 0;
    if (H5Lexists(g, name, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT), sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hid_t st = lihop_h5i_str_type();
    hssize_t m = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : 0;
    char **v = m > 0 ? calloc((size_t)m, sizeof *v) : NULL, **out = NULL;
    if (v && H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
        out = calloc((size_t)m + 1, sizeof *out);
        for (hssize_t i = 0; out && i < m; i++)
            out[i] = strdup(v[i] ? v[i] : "");
        *n = out ? (int)m : 0;
        H5Dvlen_reclaim(st, sp, H5P_DEFAULT, v);
    }
    free(v);
    H5Tclose(st);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    return out;
}

/* Column `name`: the stored rows plus (append) one more, or with the last one
 * replaced; val NULL keeps the last row's value. */
static int hist_column(lihop_h5i_ctx *c, hid_t g, const char *name, const char *val, int append)
{
    int n = 0;
    char **old = hist_read(g, name, &n);
    int m = append || n == 0 ? n + 1 : n;
    const char **v = calloc((size_t)m, sizeof *v);
    if (!v)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory writing '/metadata/history'");
    for (int i = 0; i < m; i++)
        v[i] = i < n && old[i] ? old[i] : "";
    if (val)
        v[m - 1] = val;
    int rc = 0;
    if (H5Lexists(g, name, H5P_DEFAULT) > 0 && H5Ldelete(g, name, H5P_DEFAULT) < 0)
        rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot rewrite '/metadata/history/%s'", name);
    hsize_t dn = (hsize_t)m;
    hid_t st = lihop_h5i_str_type();
    if (rc == 0)
        rc = lihop_h5i_dset_write(c, g, "/metadata/history", name, st, st, 1, &dn, v, NULL);
    H5Tclose(st);
    for (int i = 0; i < n; i++)
        free(old[i]);
    free(old);
    free(v);
    return rc;
}

/* threads [nrows] int32: the stored values plus (append) one more. */
static int hist_threads(lihop_h5i_ctx *c, hid_t g, int threads, int append)
{
    int32_t buf[256];
    hsize_t n = 0;
    if (H5Lexists(g, "threads", H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(g, "threads", H5P_DEFAULT), sp = H5Dget_space(d);
        n = (hsize_t)H5Sget_simple_extent_npoints(sp);
        if (n > 255 || H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
            n = 0;
        H5Sclose(sp);
        H5Dclose(d);
        if (H5Ldelete(g, "threads", H5P_DEFAULT) < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot rewrite '/metadata/history/threads'");
    }
    if (append || n == 0)
        buf[n < 255 ? n++ : n - 1] = threads;
    return lihop_h5i_dset_write(c, g, "/metadata/history", "threads", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, buf,
                                "1");
}

/* Write the history row: append a new one, or update the last (NULL values kept). */
static int hist_row(lihop_h5i_ctx *c, lihop_h5 *h, const char *const val[LIHOP_H5R_NHIST], int threads, int append)
{
    hid_t g = H5I_INVALID_HID;
    htri_t ex = H5Lexists(h->meta, "history", H5P_DEFAULT);
    if (ex > 0)
        g = H5Gopen2(h->meta, "history", H5P_DEFAULT);
    else if (ex == 0 && lihop_h5i_make_group(c, h->meta, "history", &g) < 0)
        return -1;
    if (g < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open '/metadata/history'");
    int rc = 0;
    for (int i = 0; i < LIHOP_H5R_NHIST && rc == 0; i++)
        rc = hist_column(c, g, hist_cols[i], val[i], append);
    if (rc == 0 && (append || threads >= 0))
        rc = hist_threads(c, g, threads, append);
    H5Gclose(g);
    return rc;
}

int lihop_h5r_history_begin(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_h5_meta *meta, const char *start)
{
    lihop_h5_meta none = {0};
    if (!meta)
        meta = &none;
    const char *val[LIHOP_H5R_NHIST] = {start,         "",
                                        meta->command_line ? meta->command_line : "", "running",
                                        meta->version ? meta->version : "",
                                        meta->git_describe ? meta->git_describe : "",
                                        meta->backend ? meta->backend : "",
                                        meta->device_name ? meta->device_name : ""};
    return hist_row(c, h, val, meta->threads, 1);
}

int lihop_h5r_history_end(lihop_h5i_ctx *c, lihop_h5 *h, const char *end, const char *status)
{
    const char *val[LIHOP_H5R_NHIST] = {NULL, end, NULL, status, NULL, NULL, NULL, NULL};
    return hist_row(c, h, val, -1, 0);
}

/* A file from before the history: its one session, from the /metadata attributes. */
int lihop_h5r_history_legacy(lihop_h5i_ctx *c, lihop_h5 *h)
{
    htri_t ex = H5Lexists(h->meta, "history", H5P_DEFAULT);
    if (ex != 0)
        return ex < 0 ? lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query '/metadata/history'") : 0;
    char *val[LIHOP_H5R_NHIST];
    for (int i = 0; i < LIHOP_H5R_NHIST; i++) {
        val[i] = lihop_h5i_read_attr_str(h->meta, hist_cols[i]);
    }
    int32_t threads = 0;
    if (H5Aexists(h->meta, "threads") > 0) {
        hid_t a = H5Aopen(h->meta, "threads", H5P_DEFAULT);
        if (a >= 0 && H5Aread(a, H5T_NATIVE_INT32, &threads) < 0)
            threads = 0;
        if (a >= 0)
            H5Aclose(a);
    }
    const char *cv[LIHOP_H5R_NHIST];
    for (int i = 0; i < LIHOP_H5R_NHIST; i++)
        cv[i] = val[i] ? val[i] : "";
    int rc = hist_row(c, h, cv, threads, 1);
    for (int i = 0; i < LIHOP_H5R_NHIST; i++)
        free(val[i]);
    return rc;
}
