/* test_h5out.c - the results file: round trip, units, /summary, resume rules. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <check.h>
#include <hdf5.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h5out.h"
#include "micro_h5.h"

#define NS 2
#define NT 3
#define NB 2
#define NP 2

static char tmpdir[256];
static char outpath[300];

/* Open HDF5 files, groups, datasets, attributes and committed types at setup;
 * teardown checks none leaked (the library closes everything it opens). */
static ssize_t id_base;

static ssize_t count_ids(void)
{
    return H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL);
}

static void check_no_leaked_ids(void)
{
    ssize_t now = count_ids();
    ck_assert_msg(now == id_base, "%zd HDF5 objects open, %zd at start", now, id_base);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lihop_test_h5out_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(outpath, sizeof outpath, "%s/run.h5", tmpdir);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    id_base = count_ids();
}

static void teardown(void)
{
    check_no_leaked_ids();
    unlink(outpath);
    rmdir(tmpdir);
}

static const char *CFG_TEXT = "model: voxel\nseed: 42\ntemperature_K: [300, 350]\n";

static lihop_config *make_cfg(void)
{
    lihop_config *cfg = calloc(1, sizeof *cfg);
    ck_assert_ptr_nonnull(cfg);
    snprintf(cfg->path, sizeof cfg->path, "configs/test.yaml");
    cfg->text = (char *)CFG_TEXT;
    cfg->model = LIHOP_MODEL_VOXEL;
    cfg->seed = 42;
    cfg->ntemps = 3;
    cfg->temperature_K[0] = 300;
    cfg->temperature_K[1] = 350;
    cfg->temperature_K[2] = 400;
    cfg->nspecies = NS;
    snprintf(cfg->species[0].name, LIHOP_NAME_LEN, "Li");
    cfg->species[0].charge = 1;
    snprintf(cfg->species[1].name, LIHOP_NAME_LEN, "TFSI");
    cfg->species[1].charge = -1;
    cfg->transference_species = 0;
    cfg->nphases = NP;
    snprintf(cfg->phases[0].name, LIHOP_NAME_LEN, "peo");
    snprintf(cfg->phases[1].name, LIHOP_NAME_LEN, "llzo");
    /* the sweep coordinates lihop_config_parse would give: the seed, then T */
    cfg->fixed_text = (char *)CFG_TEXT;
    cfg->ncoords = 2;
    lihop_coord *c = &cfg->coords[0];
    c->kind = LIHOP_COORD_SEED;
    snprintf(c->name, sizeof c->name, "seed");
    snprintf(c->unit, sizeof c->unit, "1");
    c->n = 1;
    c->value[0] = 42;
    c = &cfg->coords[1];
    c->kind = LIHOP_COORD_TEMPERATURE;
    snprintf(c->name, sizeof c->name, "T_K");
    snprintf(c->unit, sizeof c->unit, "K");
    c->swept = 1;
    c->n = 3;
    for (int t = 0; t < 3; t++)
        c->value[t] = cfg->temperature_K[t];
    return cfg;
}

/* A point's coordinates (seed, T) in the order of make_cfg. */
static const double *point_coords(const lihop_point_result *r)
{
    static double v[2];
    v[0] = 42;
    v[1] = r->T_K;
    return v;
}

static double batch[NS][NB * 3];

/* A hand-filled point; every value distinct and derived from (k, s, ...). */
static void make_point(lihop_point_result *r, int k)
{
    memset(r, 0, sizeof *r);
    r->index = k;
    r->T_K = 300.0 + 50.0 * k;
    r->nsamples = NT;
    for (int s = 0; s < NS; s++) {
        r->sp[s].t_end_s = 1e-6 * (s + 1);
        for (int i = 0; i < NT; i++)
            r->sp[s].time_s[i] = (i + 1) * 1e-7 * (s + 1);
    }
    r->nspecies = NS;
    r->nbatches = NB;
    for (int s = 0; s < NS; s++) {
        lihop_species_result *sp = &r->sp[s];
        sp->n_avg_m3 = 1e27 * (s + 1);
        for (int a = 0; a < 3; a++) {
            sp->D_m2_s[a] = (1 + k) * 1e-12 * (s + 1) * (a + 1);
            sp->D_err[a] = 1e-14 * (a + 1);
            sp->sigma_S_m[a] = 0.01 * (s + 1) * (a + 1) + k;
            sp->sigma_err[a] = 0.001 * (a + 1);
            sp->sigma_drift_S_m[a] = NAN;
            sp->sigma_drift_err[a] = NAN;
        }
        for (int p = 0; p < NP; p++) {
            sp->residence[p] = p == 0 ? 0.25 + 0.5 * s : 0.75 - 0.5 * s;
            sp->residence_err[p] = 0.01 * (p + 1);
        }
        sp->hops = 1000u * (uint64_t)(s + 1) + (uint64_t)k;
        sp->walkers = 64;
        for (int i = 0; i < NT; i++)
            for (int a = 0; a < 3; a++)
                sp->msd_m2[i][a] = 1e-18 * (100 * s + 10 * i + a + 1);
        for (int b = 0; b < NB; b++)
            for (int a = 0; a < 3; a++)
                batch[s][b * 3 + a] = 1e-12 * (10 * s + 3 * b + a + 1);
        sp->batch_D_m2_s = batch[s];
        for (int a = 0; a < 3; a++) {
            sp->D_early_axis_m2_s[a] = 1.1e-12 * (s + 1) + 1e-14 * a;
            sp->D_late_axis_m2_s[a] = 1.0e-12 * (s + 1) + 1e-14 * a;
            sp->slope_change_err[a] = 1e-14 * (s + a + 1);
            sp->sigma_exact_S_m[a] = 0.09 * (s + 1) + 0.001 * a;
            sp->converged_axis[a] = (s + a) % 2;
        }
        sp->extensions = s + 1;
        sp->sigma_iso_S_m = (sp->sigma_S_m[0] + sp->sigma_S_m[1] + sp->sigma_S_m[2]) / 3.0;
        sp->sigma_iso_err = sqrt(1e-6 + 4e-6 + 9e-6) / 3.0;
        sp->exact_wall_s = 0.25 * (s + 1);
    }
    for (int a = 0; a < 3; a++) {
        r->sigma_total_S_m[a] = 0.1 * (a + 1) + k;
        r->sigma_total_err[a] = 0.01 * (a + 1);
    }
    r->sigma_iso_S_m = 0.2 + k;
    r->sigma_iso_err = 0.02;
    r->t_plus = 0.4;
    r->t_plus_err = 0.05;
    r->converged = 1;
    for (int p = 0; p < NP; p++) {
        r->phase_fraction[p] = p == 0 ? 0.7 : 0.3 / (NP - 1);
        for (int a = 0; a < 3; a++) r->phase_spans[p][a] = p == 0 || a == 1;
    }
    snprintf(r->warning, sizeof r->warning, "none at %d", k);
    r->wall_s = 12.5;
    snprintf(r->backend, sizeof r->backend, "cpu");
    r->threads = 8;
}

static const lihop_h5_meta META = {"0.1.0", "v0.1.0-3-gabc", "cpu", "Test CPU", 8, "lihop run test.yaml"};

static lihop_status write_file(lihop_config *cfg, int npoints, const char *status)
{
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_h5_open(outpath, cfg, NULL, NULL, &META, 0, 0, &h, &err);
    ck_assert_msg(st == LIHOP_OK, "open: %s", err.msg);
    for (int k = 0; k < npoints; k++) {
        lihop_point_result r;
        make_point(&r, k);
        st = lihop_h5_write_point(h, cfg, point_coords(&r), &r, &err);
        ck_assert_msg(st == LIHOP_OK, "write_point %d: %s", k, err.msg);
    }
    st = lihop_h5_close(h, status, &err);
    ck_assert_msg(st == LIHOP_OK, "close: %s", err.msg);
    return st;
}

/* ---- HDF5 read helpers ----------------------------------------------------------- */

static char *attr_str(hid_t obj, const char *objname, const char *name)
{
    hid_t a = H5Aopen_by_name(obj, objname, name, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_msg(a >= 0, "attribute %s of %s missing", name, objname);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *v = NULL;
    ck_assert(H5Aread(a, t, &v) >= 0);
    char *out = strdup(v);
    H5free_memory(v);
    H5Tclose(t);
    H5Aclose(a);
    return out;
}

static void check_attr_str(hid_t obj, const char *objname, const char *name, const char *want)
{
    char *v = attr_str(obj, objname, name);
    ck_assert_msg(strcmp(v, want) == 0, "%s@%s = '%s', want '%s'", objname, name, v, want);
    free(v);
}

static double attr_f64(hid_t obj, const char *objname, const char *name)
{
    double v = NAN;
    hid_t a = H5Aopen_by_name(obj, objname, name, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_msg(a >= 0, "attribute %s of %s missing", name, objname);
    ck_assert(H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0);
    H5Aclose(a);
    return v;
}

static long long attr_i64(hid_t obj, const char *objname, const char *name)
{
    long long v = -1;
    hid_t a = H5Aopen_by_name(obj, objname, name, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_msg(a >= 0, "attribute %s of %s missing", name, objname);
    ck_assert(H5Aread(a, H5T_NATIVE_LLONG, &v) >= 0);
    H5Aclose(a);
    return v;
}

/* Read a float64 dataset; checks its shape and its unit attribute. */
static void read_f64(hid_t f, const char *path, int rank, const hsize_t *dims, const char *unit,
                     double *out)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    ck_assert_msg(d >= 0, "dataset %s missing", path);
    hid_t sp = H5Dget_space(d);
    hsize_t got[4];
    ck_assert_int_eq(H5Sget_simple_extent_ndims(sp), rank);
    H5Sget_simple_extent_dims(sp, got, NULL);
    for (int i = 0; i < rank; i++)
        ck_assert_msg(got[i] == dims[i], "%s dim %d = %llu, want %llu", path, i,
                      (unsigned long long)got[i], (unsigned long long)dims[i]);
    ck_assert(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
    check_attr_str(d, ".", "unit", unit);
    H5Sclose(sp);
    H5Dclose(d);
}

static hsize_t summary_rows(hid_t f)
{
    hid_t d = H5Dopen2(f, "/summary", H5P_DEFAULT);
    ck_assert(d >= 0);
    hid_t sp = H5Dget_space(d);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(sp, &n, NULL);
    H5Sclose(sp);
    H5Dclose(d);
    return n;
}

/* A subset of /summary's columns, read by name. */
typedef struct {
    int32_t point;
    double T_K, sigma_S_m, sigma_err_S_m, sigma_yy_S_m, t_plus;
    double D_Li, D_Li_err, sigma_TFSI, sigma_TFSI_err, sigma_TFSI_exact;
    int32_t converged, extensions;
    uint64_t hops;
    double wall_s;
} summary_row;

static void read_summary(hid_t f, summary_row *rows)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(summary_row));
    H5Tinsert(t, "point", HOFFSET(summary_row, point), H5T_NATIVE_INT32);
    H5Tinsert(t, "T_K", HOFFSET(summary_row, T_K), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_S_m", HOFFSET(summary_row, sigma_S_m), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_err_S_m", HOFFSET(summary_row, sigma_err_S_m), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_yy_S_m", HOFFSET(summary_row, sigma_yy_S_m), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "t_plus", HOFFSET(summary_row, t_plus), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "D_Li_m2_s", HOFFSET(summary_row, D_Li), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "D_Li_err_m2_s", HOFFSET(summary_row, D_Li_err), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_TFSI_S_m", HOFFSET(summary_row, sigma_TFSI), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_TFSI_err_S_m", HOFFSET(summary_row, sigma_TFSI_err), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "sigma_TFSI_exact_S_m", HOFFSET(summary_row, sigma_TFSI_exact), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "converged", HOFFSET(summary_row, converged), H5T_NATIVE_INT32);
    H5Tinsert(t, "extensions", HOFFSET(summary_row, extensions), H5T_NATIVE_INT32);
    H5Tinsert(t, "hops", HOFFSET(summary_row, hops), H5T_NATIVE_UINT64);
    H5Tinsert(t, "wall_s", HOFFSET(summary_row, wall_s), H5T_NATIVE_DOUBLE);
    hid_t d = H5Dopen2(f, "/summary", H5P_DEFAULT);
    ck_assert(d >= 0);
    ck_assert(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
    H5Dclose(d);
    H5Tclose(t);
}

#define TOL 1e-15
#define ck_close(a, b) ck_assert_msg(fabs((a) - (b)) <= TOL * (fabs(b) + 1e-300), \
                                     "%s = %.17g, want %.17g", #a, (double)(a), (double)(b))

/* ---- round trip ------------------------------------------------------------------- */

START_TEST(round_trip)
{
    lihop_config *cfg = make_cfg();
    write_file(cfg, 1, "complete");
    lihop_point_result r;
    make_point(&r, 0);

    hid_t f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);

    /* metadata */
    check_attr_str(f, "/metadata", "status", "complete");
    check_attr_str(f, "/metadata", "config_text", CFG_TEXT);
    check_attr_str(f, "/metadata", "config_path", "configs/test.yaml");
    check_attr_str(f, "/metadata", "model", "voxel");
    check_attr_str(f, "/metadata", "lihop_version", "0.1.0");
    check_attr_str(f, "/metadata", "git_describe", "v0.1.0-3-gabc");
    check_attr_str(f, "/metadata", "backend", "cpu");
    check_attr_str(f, "/metadata", "device_name", "Test CPU");
    check_attr_str(f, "/metadata", "command_line", "lihop run test.yaml");
    ck_assert_int_eq(attr_i64(f, "/metadata", "threads"), 8);
    {
        uint64_t seed = 0;
        hid_t a = H5Aopen_by_name(f, "/metadata", "seed", H5P_DEFAULT, H5P_DEFAULT);
        hid_t t = H5Aget_type(a);
        ck_assert_int_eq(H5Tget_class(t), H5T_INTEGER);
        ck_assert_int_eq(H5Tget_sign(t), H5T_SGN_NONE);
        ck_assert_int_eq(H5Tget_size(t), 8);
        H5Aread(a, H5T_NATIVE_UINT64, &seed);
        ck_assert_uint_eq(seed, 42);
        H5Tclose(t);
        H5Aclose(a);
    }
    char *t0 = attr_str(f, "/metadata", "start_time"), *t1 = attr_str(f, "/metadata", "end_time");
    ck_assert_int_eq(strlen(t0), 20);   /* YYYY-MM-DDTHH:MM:SSZ */
    ck_assert_int_eq(t0[10], 'T');
    ck_assert_int_eq(t0[19], 'Z');
    ck_assert_int_le(strcmp(t0, t1), 0);
    free(t0);
    free(t1);

    /* species, phases, sweep */
    {
        hid_t d = H5Dopen2(f, "/metadata/species/name", H5P_DEFAULT);
        ck_assert(d >= 0);
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        char *names[NS] = {0};
        ck_assert(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
        ck_assert_str_eq(names[0], "Li");
        ck_assert_str_eq(names[1], "TFSI");
        for (int s = 0; s < NS; s++)
            H5free_memory(names[s]);
        H5Dclose(d);
        d = H5Dopen2(f, "/metadata/phases/name", H5P_DEFAULT);
        char *pn[NP] = {0};
        ck_assert(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, pn) >= 0);
        ck_assert_str_eq(pn[0], "peo");
        ck_assert_str_eq(pn[1], "llzo");
        for (int p = 0; p < NP; p++)
            H5free_memory(pn[p]);
        H5Dclose(d);
        H5Tclose(t);
        int32_t charge[NS];
        d = H5Dopen2(f, "/metadata/species/charge_e", H5P_DEFAULT);
        ck_assert(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, charge) >= 0);
        ck_assert_int_eq(charge[0], 1);
        ck_assert_int_eq(charge[1], -1);
        check_attr_str(d, ".", "unit", "e");
        H5Dclose(d);
        double T[3];
        hsize_t n3 = 3;
        read_f64(f, "/sweep/temperature_K", 1, &n3, "K", T);
        ck_assert(T[0] == 300 && T[1] == 350 && T[2] == 400);
    }

    /* point attributes */
    ck_assert_int_eq(attr_i64(f, "/points/0000000", "complete"), 1);
    ck_close(attr_f64(f, "/points/0000000", "T_K"), 300.0);
    ck_close(attr_f64(f, "/points/0000000", "sigma_iso_S_m"), r.sigma_iso_S_m);
    ck_close(attr_f64(f, "/points/0000000", "sigma_iso_err_S_m"), r.sigma_iso_err);
    ck_close(attr_f64(f, "/points/0000000", "t_plus"), 0.4);
    ck_close(attr_f64(f, "/points/0000000", "t_plus_err"), 0.05);
    ck_close(attr_f64(f, "/points/0000000", "wall_s"), 12.5);
    ck_assert_int_eq(attr_i64(f, "/points/0000000", "converged"), 1);
    ck_assert_int_eq(attr_i64(f, "/points/0000000", "threads"), 8);
    check_attr_str(f, "/points/0000000", "warning", "none at 0");
    check_attr_str(f, "/points/0000000", "backend", "cpu");
    check_attr_str(f, "/points/0000000", "transference_species", "Li");

    /* point datasets */
    double buf[NS * NB * NT * 3 + 16];
    hsize_t dt[2] = {NS, NT};
    read_f64(f, "/points/0000000/time_s", 2, dt, "s", buf);
    for (int s = 0; s < NS; s++)
        for (int i = 0; i < NT; i++)
            ck_close(buf[s * NT + i], r.sp[s].time_s[i]);
    hsize_t d1 = NS;
    read_f64(f, "/points/0000000/t_end_s", 1, &d1, "s", buf);
    for (int s = 0; s < NS; s++)
        ck_close(buf[s], r.sp[s].t_end_s);
    hsize_t dm[3] = {NS, NT, 3};
    read_f64(f, "/points/0000000/msd_m2", 3, dm, "m^2", buf);
    for (int s = 0; s < NS; s++)
        for (int i = 0; i < NT; i++)
            for (int a = 0; a < 3; a++)
                ck_close(buf[(s * NT + i) * 3 + a], r.sp[s].msd_m2[i][a]);
    hsize_t d2[2] = {NS, 3};
    read_f64(f, "/points/0000000/D_m2_s", 2, d2, "m^2/s", buf);
    for (int s = 0; s < NS; s++)
        for (int a = 0; a < 3; a++)
            ck_close(buf[s * 3 + a], r.sp[s].D_m2_s[a]);
    read_f64(f, "/points/0000000/D_err_m2_s", 2, d2, "m^2/s", buf);
    ck_close(buf[5], r.sp[1].D_err[2]);
    read_f64(f, "/points/0000000/sigma_S_m", 2, d2, "S/m", buf);
    ck_close(buf[4], r.sp[1].sigma_S_m[1]);
    read_f64(f, "/points/0000000/sigma_err_S_m", 2, d2, "S/m", buf);
    ck_close(buf[2], r.sp[0].sigma_err[2]);
    read_f64(f, "/points/0000000/sigma_drift_S_m", 2, d2, "S/m", buf);
    ck_assert(isnan(buf[0]));
    read_f64(f, "/points/0000000/sigma_drift_err_S_m", 2, d2, "S/m", buf);
    ck_assert(isnan(buf[5]));
    hsize_t d3 = 3;
    read_f64(f, "/points/0000000/sigma_total_S_m", 1, &d3, "S/m", buf);
    ck_close(buf[2], r.sigma_total_S_m[2]);
    read_f64(f, "/points/0000000/sigma_total_err_S_m", 1, &d3, "S/m", buf);
    ck_close(buf[1], r.sigma_total_err[1]);
    hsize_t dr[2] = {NS, NP};
    read_f64(f, "/points/0000000/residence_fraction", 2, dr, "1", buf);
    for (int s = 0; s < NS; s++)
        for (int p = 0; p < NP; p++)
            ck_close(buf[s * NP + p], r.sp[s].residence[p]);
    read_f64(f, "/points/0000000/residence_fraction_err", 2, dr, "1", buf);
    ck_close(buf[3], r.sp[1].residence_err[1]);
    hsize_t db[3] = {NS, NB, 3};
    read_f64(f, "/points/0000000/batch_D_m2_s", 3, db, "m^2/s", buf);
    for (int s = 0; s < NS; s++)
        for (int b = 0; b < NB; b++)
            for (int a = 0; a < 3; a++)
                ck_close(buf[(s * NB + b) * 3 + a], r.sp[s].batch_D_m2_s[b * 3 + a]);
    hsize_t dn = NS;
    read_f64(f, "/points/0000000/n_avg_m3", 1, &dn, "1/m^3", buf);
    ck_close(buf[1], 2e27);
    read_f64(f, "/points/0000000/D_early_m2_s", 2, d2, "m^2/s", buf);
    ck_close(buf[1 * 3 + 2], r.sp[1].D_early_axis_m2_s[2]);
    read_f64(f, "/points/0000000/D_late_m2_s", 2, d2, "m^2/s", buf);
    ck_close(buf[0 * 3 + 1], r.sp[0].D_late_axis_m2_s[1]);
    read_f64(f, "/points/0000000/slope_change_err_m2_s", 2, d2, "m^2/s", buf);
    ck_close(buf[1 * 3 + 0], r.sp[1].slope_change_err[0]);
    read_f64(f, "/points/0000000/sigma_exact_S_m", 2, d2, "S/m", buf);
    ck_close(buf[0 * 3 + 2], r.sp[0].sigma_exact_S_m[2]);
    {
        hsize_t dp = NP;
        read_f64(f, "/points/0000000/phase_fraction", 1, &dp, "1", buf);
        ck_close(buf[0], 0.7);
    }
    read_f64(f, "/points/0000000/exact_wall_s", 1, &dn, "s", buf);
    ck_close(buf[1], r.sp[1].exact_wall_s);
    {
        int32_t v[NS * 3];
        hid_t d = H5Dopen2(f, "/points/0000000/converged_axis", H5P_DEFAULT);
        ck_assert(d >= 0);
        ck_assert(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
        for (int i = 0; i < NS * 3; i++) ck_assert_int_eq(v[i], r.sp[i / 3].converged_axis[i % 3]);
        H5Dclose(d);
        d = H5Dopen2(f, "/points/0000000/extensions", H5P_DEFAULT);
        ck_assert(d >= 0);
        ck_assert(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
        ck_assert_int_eq(v[1], 2);
        H5Dclose(d);
    }
    {
        uint64_t hops[NS];
        hid_t d = H5Dopen2(f, "/points/0000000/hops", H5P_DEFAULT);
        ck_assert(d >= 0);
        hid_t t = H5Dget_type(d);
        ck_assert_int_eq(H5Tget_sign(t), H5T_SGN_NONE);
        ck_assert_int_eq(H5Tget_size(t), 8);
        H5Tclose(t);
        ck_assert(H5Dread(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, hops) >= 0);
        ck_assert_uint_eq(hops[0], 1000);
        ck_assert_uint_eq(hops[1], 2000);
        check_attr_str(d, ".", "unit", "1");
        H5Dclose(d);
    }

    /* summary */
    ck_assert_uint_eq(summary_rows(f), 1);
    summary_row row;
    read_summary(f, &row);
    ck_assert_int_eq(row.point, 0);
    ck_close(row.T_K, 300.0);
    ck_close(row.sigma_S_m, r.sigma_iso_S_m);
    ck_close(row.sigma_err_S_m, r.sigma_iso_err);
    ck_close(row.sigma_yy_S_m, r.sigma_total_S_m[1]);
    ck_close(row.t_plus, 0.4);
    ck_close(row.D_Li, (r.sp[0].D_m2_s[0] + r.sp[0].D_m2_s[1] + r.sp[0].D_m2_s[2]) / 3.0);
    ck_close(row.D_Li_err, sqrt(1e-28 + 4e-28 + 9e-28) / 3.0);
    ck_close(row.sigma_TFSI, r.sp[1].sigma_iso_S_m);
    ck_close(row.sigma_TFSI_err, r.sp[1].sigma_iso_err);
    ck_close(row.sigma_TFSI_exact, (r.sp[1].sigma_exact_S_m[0] + r.sp[1].sigma_exact_S_m[1] +
                                    r.sp[1].sigma_exact_S_m[2]) / 3.0);
    ck_assert_int_eq(row.converged, 1);
    ck_assert_int_eq(row.extensions, 2);
    ck_assert_uint_eq(row.hops, 3000);
    ck_close(row.wall_s, 12.5);
    {
        hid_t d = H5Dopen2(f, "/summary", H5P_DEFAULT);
        hid_t t = H5Dget_type(d);
        int ncols = H5Tget_nmembers(t);
        ck_assert_int_eq(ncols, 11 + 5 * NS + 2 * NP + 4 + 1);    /* + the seed coordinate (T_K has its column) */
        char *first = H5Tget_member_name(t, 0), *last = H5Tget_member_name(t, (unsigned)ncols - 2);
        char *coord = H5Tget_member_name(t, (unsigned)ncols - 1);
        ck_assert_str_eq(first, "point");
        ck_assert_str_eq(last, "wall_s");
        ck_assert_str_eq(coord, "seed");
        H5free_memory(coord);
        H5free_memory(first);
        H5free_memory(last);
        hid_t a = H5Aopen(d, "units", H5P_DEFAULT);
        ck_assert(a >= 0);
        hid_t sp = H5Aget_space(a);
        ck_assert_int_eq(H5Sget_simple_extent_npoints(sp), ncols);
        hid_t st = H5Tcopy(H5T_C_S1);
        H5Tset_size(st, H5T_VARIABLE);
        char *units[64] = {0};
        ck_assert(H5Aread(a, st, units) >= 0);
        ck_assert_str_eq(units[0], "1");
        ck_assert_str_eq(units[1], "K");
        ck_assert_str_eq(units[2], "S/m");
        ck_assert_str_eq(units[9], "S/m");          /* sigma_exact_S_m */
        ck_assert_str_eq(units[11], "m^2/s");       /* D_Li_m2_s */
        ck_assert_str_eq(units[ncols - 2], "s");
        ck_assert_str_eq(units[ncols - 1], "1");   /* wall_s */
        for (int i = 0; i < ncols; i++)
            H5free_memory(units[i]);
        H5Tclose(st);
        H5Sclose(sp);
        H5Aclose(a);
        H5Tclose(t);
        H5Dclose(d);
    }
    H5Fclose(f);
    free(cfg);
}
END_TEST

START_TEST(status_running_until_closed)
{
    lihop_config *cfg = make_cfg();
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 0, 0, &h, &err), LIHOP_OK);
    hid_t f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f >= 0) {   /* HDF5 file locking may refuse a second open; fine either way */
        check_attr_str(f, "/metadata", "status", "running");
        H5Fclose(f);
    }
    ck_assert_int_eq(lihop_h5_close(h, "interrupted", &err), LIHOP_OK);
    ck_assert_int_eq(lihop_h5_close(NULL, "failed", &err), LIHOP_OK);
    f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    check_attr_str(f, "/metadata", "status", "interrupted");
    ck_assert_uint_eq(summary_rows(f), 0);
    H5Fclose(f);
    free(cfg);
}
END_TEST

/* ---- resume ------------------------------------------------------------------------- */

/* Fake a crash in the middle of point 2: a /points/2 group without `complete`
 * and a /summary row for it. */
static void add_half_point(void)
{
    hid_t f = H5Fopen(outpath, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert(f >= 0);
    hid_t g = H5Gcreate2(f, "/points/0000002", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(g >= 0);
    hsize_t n = 3;
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(g, "time_s", H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
    H5Sclose(sp);
    H5Gclose(g);

    d = H5Dopen2(f, "/summary", H5P_DEFAULT);
    hid_t t = H5Dget_type(d);
    size_t rs = H5Tget_size(t);
    sp = H5Dget_space(d);
    hsize_t rows = 0;
    H5Sget_simple_extent_dims(sp, &rows, NULL);
    H5Sclose(sp);
    unsigned char *buf = malloc(rs * (rows + 1));
    ck_assert(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    memcpy(buf + rows * rs, buf, rs);
    int32_t two = 2;
    ck_assert_int_eq(H5Tget_member_offset(t, 0), 0);
    memcpy(buf + rows * rs, &two, 4);
    hsize_t n1 = rows + 1;
    ck_assert(H5Dset_extent(d, &n1) >= 0);
    ck_assert(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    free(buf);
    H5Tclose(t);
    H5Dclose(d);
    H5Fclose(f);
}

/* The names of /points in the order h5ls, h5dump and h5py list them (by name). */
static void point_names(hid_t f, int n, char names[][64])
{
    hid_t g = H5Gopen2(f, "/points", H5P_DEFAULT);
    ck_assert(g >= 0);
    H5G_info_t gi;
    ck_assert(H5Gget_info(g, &gi) >= 0);
    ck_assert_uint_eq(gi.nlinks, (hsize_t)n);
    for (int i = 0; i < n; i++)
        ck_assert(H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, (hsize_t)i, names[i], 64, H5P_DEFAULT) > 0);
    H5Gclose(g);
}

/* Point groups are named by the zero-padded id, so listing by name is id
 * order (not 0, 1, 10, 11, 2); a file from before the padding ("1", "10")
 * gets its groups renamed on --resume, values kept. */
START_TEST(point_names_sort_in_id_order)
{
    lihop_config *cfg = make_cfg();
    write_file(cfg, 12, "complete");
    char names[12][64];
    hid_t f = H5Fopen(outpath, H5F_ACC_RDWR, H5P_DEFAULT);
    point_names(f, 12, names);
    for (int i = 0; i < 12; i++) {
        char want[16];
        snprintf(want, sizeof want, "%07d", i);
        ck_assert_str_eq(names[i], want);
    }
    double T10 = attr_f64(f, "/points/0000010", "T_K");
    ck_assert(H5Lmove(f, "/points/0000001", f, "/points/1", H5P_DEFAULT, H5P_DEFAULT) >= 0);
    ck_assert(H5Lmove(f, "/points/0000010", f, "/points/10", H5P_DEFAULT, H5P_DEFAULT) >= 0);
    H5Fclose(f);

    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_point_done(h, 1), 1);
    ck_assert_int_eq(lihop_h5_point_done(h, 10), 1);
    ck_assert_int_eq(lihop_h5_close(h, "complete", &err), LIHOP_OK);
    f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    point_names(f, 12, names);
    ck_assert_str_eq(names[1], "0000001");
    ck_assert_str_eq(names[10], "0000010");
    ck_assert_int_eq(H5Lexists(f, "/points/10", H5P_DEFAULT), 0);
    ck_assert(attr_f64(f, "/points/0000010", "T_K") == T10);
    ck_assert_int_eq(attr_i64(f, "/points/0000001", "complete"), 1);
    H5Fclose(f);
    free(cfg);
}
END_TEST

/* lihop micro's /metadata: the provenance given (deck path, its text read
 * from the file, seed, command line) and the binary's version; without one
 * (lihop_micro_write_h5) the same group with an empty deck and no seed. */
START_TEST(micro_file_provenance)
{
    char deck[320], mpath[320];
    snprintf(deck, sizeof deck, "%s.deck.yaml", outpath);
    snprintf(mpath, sizeof mpath, "%s.micro.h5", outpath);
    FILE *fp = fopen(deck, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("model: voxel\nseed: 77\n", fp);
    fclose(fp);
    int n[3] = {3, 2, 2};
    lihop_micro *m = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_create(n, 1e-8, 2, &m, &err), LIHOP_OK);
    const char *names[2] = {"a", "b"};
    lihop_provenance prov = {"lihop micro deck.yaml -o m.h5", deck, NULL, 1, 77};
    ck_assert_msg(lihop_micro_write_h5_prov(m, mpath, "/phase", names, &prov, &err) == LIHOP_OK, "%s", err.msg);
    hid_t f = H5Fopen(mpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    check_attr_str(f, "/metadata", "file_kind", "microstructure");
    check_attr_str(f, "/metadata", "command_line", "lihop micro deck.yaml -o m.h5");
    check_attr_str(f, "/metadata", "config_path", deck);
    check_attr_str(f, "/metadata", "config_text", "model: voxel\nseed: 77\n");
    ck_assert_int_eq(attr_i64(f, "/metadata", "seed"), 77);
    char *created = attr_str(f, "/metadata", "created");
    ck_assert_int_eq((int)strlen(created), 20);
    ck_assert(created[4] == '-' && created[10] == 'T' && created[19] == 'Z');
    free(created);
    char *ver = attr_str(f, "/metadata", "lihop_version");
    ck_assert(ver[0] != '\0');
    free(ver);
    H5Fclose(f);

    ck_assert_msg(lihop_micro_write_h5(m, mpath, "/phase", names, &err) == LIHOP_OK, "%s", err.msg);
    f = H5Fopen(mpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    check_attr_str(f, "/metadata", "config_path", "");
    check_attr_str(f, "/metadata", "config_text", "");
    ck_assert_int_eq(H5Aexists_by_name(f, "/metadata", "seed", H5P_DEFAULT), 0);
    char *cmd = attr_str(f, "/metadata", "command_line");
    ck_assert_msg(strncmp(cmd, "lihop", 5) == 0, "command_line '%s'", cmd);     /* this test's own command line */
    free(cmd);
    H5Fclose(f);
    lihop_micro_destroy(m);
    char x[340];
    snprintf(x, sizeof x, "%s.xdmf", mpath);
    unlink(x);
    unlink(mpath);
    unlink(deck);
}
END_TEST

START_TEST(resume_skips_done_and_drops_half_points)
{
    lihop_config *cfg = make_cfg();
    write_file(cfg, 2, "interrupted");
    add_half_point();
    hid_t f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_uint_eq(summary_rows(f), 3);
    H5Fclose(f);

    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_point_done(h, 0), 1);
    ck_assert_int_eq(lihop_h5_point_done(h, 1), 1);
    ck_assert_int_eq(lihop_h5_point_done(h, 2), 0);
    ck_assert_int_eq(lihop_h5_point_done(h, 7), 0);
    ck_assert_int_eq(lihop_h5_point_done(h, -1), 0);

    /* rewriting a finished point is a caller bug */
    lihop_point_result r;
    make_point(&r, 1);
    ck_assert_int_eq(lihop_h5_write_point(h, cfg, point_coords(&r), &r, &err), LIHOP_ERR_INTERNAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "/points/0000001"));

    make_point(&r, 2);
    ck_assert_msg(lihop_h5_write_point(h, cfg, point_coords(&r), &r, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_point_done(h, 2), 1);
    ck_assert_int_eq(lihop_h5_close(h, "complete", &err), LIHOP_OK);

    f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    check_attr_str(f, "/metadata", "status", "complete");
    ck_assert(H5Aexists_by_name(f, "/metadata", "resume_time", H5P_DEFAULT) > 0);
    ck_assert_int_eq(attr_i64(f, "/points/0000002", "complete"), 1);
    ck_close(attr_f64(f, "/points/0000002", "T_K"), 400.0);
    ck_assert_uint_eq(summary_rows(f), 3);
    summary_row rows[3];
    read_summary(f, rows);
    ck_assert_int_eq(rows[0].point, 0);
    ck_assert_int_eq(rows[1].point, 1);
    ck_assert_int_eq(rows[2].point, 2);
    ck_close(rows[1].T_K, 350.0);
    ck_close(rows[2].T_K, 400.0);
    ck_close(rows[2].sigma_S_m, 2.2);
    H5Fclose(f);
    free(cfg);
}
END_TEST

START_TEST(resume_running_file_sets_running)
{
    lihop_config *cfg = make_cfg();
    write_file(cfg, 1, "failed");
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err), LIHOP_OK);
    ck_assert_int_eq(lihop_h5_close(h, "interrupted", &err), LIHOP_OK);
    hid_t f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    check_attr_str(f, "/metadata", "status", "interrupted");
    ck_assert_int_eq(attr_i64(f, "/points/0000000", "complete"), 1);
    ck_assert_uint_eq(summary_rows(f), 1);
    H5Fclose(f);
    free(cfg);
}
END_TEST

START_TEST(resume_config_mismatch)
{
    lihop_config *cfg = make_cfg();
    write_file(cfg, 1, "interrupted");
    lihop_h5 *h = (lihop_h5 *)0x1;
    lihop_err err = {{0}};
    /* only the sweep values may change: the deck with them masked must match */
    cfg->fixed_text = "model: voxel\nseed: *\ntemperature_K: *\nwalkers: 2\n";
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(h);
    ck_assert_msg(strstr(err.msg, "different config") && strstr(err.msg, outpath), "%s", err.msg);

    /* the file is untouched by the refused resume */
    cfg->fixed_text = (char *)CFG_TEXT;
    ck_assert_msg(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_point_done(h, 0), 1);
    ck_assert_int_eq(lihop_h5_close(h, "complete", &err), LIHOP_OK);
    free(cfg);
}
END_TEST

START_TEST(existing_file_needs_resume_or_overwrite)
{
    lihop_config *cfg = make_cfg();
    write_file(cfg, 2, "complete");
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 0, 0, &h, &err), LIHOP_ERR_IO);
    ck_assert_ptr_null(h);
    ck_assert_msg(strstr(err.msg, outpath) &&
                  strstr(err.msg, "exists; pass --resume to continue it or --overwrite to replace it"),
                  "%s", err.msg);
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 1, &h, &err), LIHOP_ERR_INPUT);

    /* overwrite: a fresh file */
    ck_assert_msg(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 0, 1, &h, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_point_done(h, 0), 0);
    ck_assert_int_eq(lihop_h5_close(h, "complete", &err), LIHOP_OK);
    hid_t f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_uint_eq(summary_rows(f), 0);
    ck_assert(H5Lexists(f, "/points/0000000", H5P_DEFAULT) == 0);
    H5Fclose(f);
    free(cfg);
}
END_TEST

START_TEST(resume_not_a_results_file)
{
    lihop_config *cfg = make_cfg();
    hid_t f = H5Fcreate(outpath, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "/metadata") != NULL, "%s", err.msg);
    FILE *fp = fopen(outpath, "w");
    fputs("not hdf5\n", fp);
    fclose(fp);
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err), LIHOP_ERR_IO);
    ck_assert_msg(strstr(err.msg, outpath) != NULL, "%s", err.msg);
    free(cfg);
}
END_TEST

START_TEST(create_in_missing_dir)
{
    lihop_config *cfg = make_cfg();
    char bad[400];
    snprintf(bad, sizeof bad, "%s/no/such/dir/run.h5", tmpdir);
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_h5_open(bad, cfg, NULL, NULL, &META, 0, 0, &h, &err), LIHOP_ERR_IO);
    ck_assert_msg(strstr(err.msg, bad) != NULL, "%s", err.msg);
    free(cfg);
}
END_TEST

/* ---- microstructure in the results file ----------------------------------------------- */

static lihop_micro *make_micro(int seed)
{
    lihop_micro *m = malloc(sizeof *m);
    m->n[0] = 5;
    m->n[1] = 4;
    m->n[2] = 3;
    m->voxel_m = 1e-6;
    m->nphases = NP;
    m->phase = malloc(60);
    for (int i = 0; i < 60; i++)
        m->phase[i] = (uint8_t)((i * 7 + seed) % 4 == 0);
    return m;
}

static void free_micro(lihop_micro *m)
{
    free(m->phase);
    free(m);
}

START_TEST(micro_in_results)
{
    lihop_config *cfg = make_cfg();
    lihop_micro *m = make_micro(0), *other = make_micro(1);
    const char *names[NP] = {"peo", "llzo"};
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 0, 0, &h, &err), LIHOP_OK);
    ck_assert_msg(lihop_h5_write_micro(h, m, names, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_close(h, "interrupted", &err), LIHOP_OK);

    /* resume: the same microstructure is accepted, another one is refused */
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, NULL, NULL, &META, 1, 0, &h, &err), LIHOP_OK);
    ck_assert_msg(lihop_h5_write_micro(h, m, names, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_write_micro(h, other, names, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "/microstructure/phase") != NULL, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_close(h, "complete", &err), LIHOP_OK);

    hid_t f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "/microstructure/phase", H5P_DEFAULT);
    ck_assert(d >= 0);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[3];
    H5Sget_simple_extent_dims(sp, dims, NULL);
    ck_assert(dims[0] == 3 && dims[1] == 4 && dims[2] == 5);   /* z, y, x */
    uint8_t buf[60];
    ck_assert(H5Dread(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    ck_assert_mem_eq(buf, m->phase, 60);
    ck_close(attr_f64(d, ".", "voxel_size_m"), 1e-6);
    hid_t dcpl = H5Dget_create_plist(d);
    ck_assert_int_eq(H5Pget_layout(dcpl), H5D_CHUNKED);
    ck_assert_int_ge(H5Pget_nfilters(dcpl), 1);
    H5Pclose(dcpl);
    H5Sclose(sp);
    H5Dclose(d);
    int n1 = 0;
    for (int i = 0; i < 60; i++)
        n1 += m->phase[i];
    double frac[NP];
    hsize_t np = NP;
    read_f64(f, "/microstructure/phase_fraction", 1, &np, "1", frac);
    ck_close(frac[1], n1 / 60.0);
    ck_close(frac[0], 1.0 - n1 / 60.0);
    H5Fclose(f);
    free_micro(m);
    free_micro(other);
    free(cfg);
}
END_TEST

static unsigned char *file_bytes(const char *path, long *size)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    *size = ftell(fp);
    rewind(fp);
    unsigned char *buf = malloc((size_t)*size + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(fread(buf, 1, (size_t)*size, fp), (size_t)*size);
    fclose(fp);
    return buf;
}

/* micro passed to lihop_h5_open: written on create; on resume compared before
 * anything is written, so a refused resume leaves every byte of the file as it
 * was (the half-written point is not pruned, /metadata not touched). */
START_TEST(micro_refused_before_any_write)
{
    lihop_config *cfg = make_cfg();
    lihop_micro *m = make_micro(0), *other = make_micro(1);
    const char *names[NP] = {"peo", "llzo"};
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_h5_open(outpath, cfg, m, names, &META, 0, 0, &h, &err) == LIHOP_OK, "%s", err.msg);
    for (int k = 0; k < 2; k++) {
        lihop_point_result r;
        make_point(&r, k);
        ck_assert_msg(lihop_h5_write_point(h, cfg, point_coords(&r), &r, &err) == LIHOP_OK, "%s", err.msg);
    }
    ck_assert_int_eq(lihop_h5_close(h, "interrupted", &err), LIHOP_OK);
    add_half_point();

    long n0 = 0, n1 = 0;
    unsigned char *before = file_bytes(outpath, &n0);
    h = (lihop_h5 *)0x1;
    ck_assert_int_eq(lihop_h5_open(outpath, cfg, other, names, &META, 1, 0, &h, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(h);
    ck_assert_msg(strstr(err.msg, "/microstructure/phase") && strstr(err.msg, outpath), "%s", err.msg);
    unsigned char *after = file_bytes(outpath, &n1);
    ck_assert_int_eq(n0, n1);
    ck_assert_msg(memcmp(before, after, (size_t)n0) == 0, "the refused resume modified the file");
    free(before);
    free(after);

    /* the same microstructure: accepted; now the half point and its row go */
    ck_assert_msg(lihop_h5_open(outpath, cfg, m, names, &META, 1, 0, &h, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_point_done(h, 1), 1);
    ck_assert_int_eq(lihop_h5_point_done(h, 2), 0);
    ck_assert_int_eq(lihop_h5_close(h, "interrupted", &err), LIHOP_OK);
    hid_t f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    ck_assert(H5Lexists(f, "/points/0000002", H5P_DEFAULT) == 0);
    ck_assert_uint_eq(summary_rows(f), 2);
    H5Fclose(f);

    /* a file without /microstructure gets it on resume */
    unlink(outpath);
    write_file(cfg, 1, "interrupted");
    ck_assert_msg(lihop_h5_open(outpath, cfg, m, names, &META, 1, 0, &h, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lihop_h5_close(h, "complete", &err), LIHOP_OK);
    f = H5Fopen(outpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "/microstructure/phase", H5P_DEFAULT);
    ck_assert(d >= 0);
    uint8_t buf[60];
    ck_assert(H5Dread(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    ck_assert_mem_eq(buf, m->phase, 60);
    H5Dclose(d);
    H5Fclose(f);
    free_micro(m);
    free_micro(other);
    free(cfg);
}
END_TEST

/* The library never prints: failing calls leave stderr empty. */
START_TEST(no_hdf5_error_printing)
{
    lihop_config *cfg = make_cfg();
    char bad[400], errpath[400];
    snprintf(bad, sizeof bad, "%s/missing/run.h5", tmpdir);
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", tmpdir);
    H5Eset_auto2(H5E_DEFAULT, (H5E_auto2_t)H5Eprint2, stderr);   /* HDF5's default */
    fflush(stderr);
    int saved = dup(2);
    FILE *fp = fopen(errpath, "w");
    dup2(fileno(fp), 2);
    lihop_h5 *h = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_h5_open(bad, cfg, NULL, NULL, &META, 0, 0, &h, &err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fclose(fp);
    unlink(errpath);
    ck_assert_int_eq(st, LIHOP_ERR_IO);
    ck_assert_int_eq(size, 0);
    free(cfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("h5out");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, status_running_until_closed);
    tcase_add_test(tc, resume_skips_done_and_drops_half_points);
    tcase_add_test(tc, point_names_sort_in_id_order);
    tcase_add_test(tc, micro_file_provenance);
    tcase_add_test(tc, resume_running_file_sets_running);
    tcase_add_test(tc, resume_config_mismatch);
    tcase_add_test(tc, existing_file_needs_resume_or_overwrite);
    tcase_add_test(tc, resume_not_a_results_file);
    tcase_add_test(tc, create_in_missing_dir);
    tcase_add_test(tc, micro_in_results);
    tcase_add_test(tc, micro_refused_before_any_write);
    tcase_add_test(tc, no_hdf5_error_printing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
