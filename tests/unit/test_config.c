/* test_config.c - the YAML config parser: values in SI, defaults, and errors
 * that name file, line and key path. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

/* A valid deck; the line numbers in the comments are what error tests expect. */
static const char BASE[] =
    "model: voxel\n"                                                          /*  1 */
    "temperature_K: [300, 350]\n"                                             /*  2 */
    "species:\n"                                                              /*  3 */
    "  - {name: li, charge: 1}\n"                                             /*  4 */
    "  - {name: tfsi, charge: -1}\n"                                          /*  5 */
    "phases:\n"                                                               /*  6 */
    "  - name: peo\n"                                                         /*  7 */
    "    sigma_total_S_cm: {law: vtf, prefactor: 1.6, B_K: 1300, T0_K: 166}\n" /*  8 */
    "    carriers:\n"                                                         /*  9 */
    "      - species: li\n"                                                   /* 10 */
    "        concentration_mol_L: 1.1\n"                                      /* 11 */
    "        transference_number: 0.25\n"                                     /* 12 */
    "      - species: tfsi\n"                                                 /* 13 */
    "        concentration_mol_L: 1.1\n"                                      /* 14 */
    "        transference_number: 0.75\n"                                     /* 15 */
    "  - name: llzo\n"                                                        /* 16 */
    "    carriers:\n"                                                         /* 17 */
    "      - species: li\n"                                                   /* 18 */
    "        concentration_mol_L: 38.97\n"                                    /* 19 */
    "        D_cm2_s: {law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}\n"    /* 20 */
    "  - name: gb\n"                                                          /* 21 */
    "    carriers:\n"                                                         /* 22 */
    "      - species: li\n"                                                   /* 23 */
    "        concentration_mol_L: 20.0\n"                                     /* 24 */
    "        sigma_S_cm: {law: constant, prefactor: 2.0e-5}\n"                /* 25 */
    "interfaces:\n"                                                           /* 26 */
    "  - phases: [llzo, peo]\n"                                               /* 27 */
    "    asr_ohm_cm2: 100.0\n"                                                /* 28 */
    "    species: [li]\n"                                                     /* 29 */
    "  - phases: [gb, llzo]\n"                                                /* 30 */
    "    asr_ohm_cm2: 0\n"                                                    /* 31 */
    "microstructure:\n"                                                       /* 32 */
    "  box_voxels: [16, 24, 32]\n"                                            /* 33 */
    "  voxel_size_m: 1.0e-8\n"                                                /* 34 */
    "  generator: spheres\n"                                                  /* 35 */
    "  matrix: peo\n"                                                         /* 36 */
    "  filler: llzo\n"                                                        /* 37 */
    "  volume_fraction: 0.1\n"                                                /* 38 */
    "  radius_voxels: 3.5\n"                                                  /* 39 */
    "run:\n"                                                                  /* 40 */
    "  walkers: 1000\n"                                                       /* 41 */
    "  hops_per_walker: 500\n";                                               /* 42 */

/* `text` with the first `old` replaced by `new` (old must occur); malloc'd. */
static char *replaced(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    ck_assert_msg(at != NULL, "test bug: '%s' not in the text", old);
    size_t pre = (size_t)(at - text), lo = strlen(old), ln = strlen(new);
    char *s = malloc(strlen(text) + ln + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, text, pre);
    memcpy(s + pre, new, ln);
    strcpy(s + pre + ln, at + lo);
    return s;
}

static char *edited(const char *old, const char *new)
{
    return replaced(BASE, old, new);
}

static lihop_config *parse_ok(const char *text)
{
    lihop_config *cfg = NULL;
    lihop_err err = {{0}};
    lihop_status st = lihop_config_parse(text, "test.yaml", &cfg, &err);
    ck_assert_msg(st == LIHOP_OK, "unexpected error: %s", err.msg);
    ck_assert_ptr_nonnull(cfg);
    return cfg;
}

static lihop_config *parse_edit_ok(const char *old, const char *new)
{
    char *text = edited(old, new);
    lihop_config *cfg = parse_ok(text);
    free(text);
    return cfg;
}

/* Parse BASE with one edit; expect LIHOP_ERR_INPUT, a message starting
 * "test.yaml:LINE: key 'PATH':" and containing `also` (when not NULL). */
static void expect_error(const char *old, const char *new, int line, const char *path,
                         const char *also)
{
    char *text = edited(old, new);
    lihop_config *cfg = (lihop_config *)1;
    lihop_err err = {{0}};
    lihop_status st = lihop_config_parse(text, "test.yaml", &cfg, &err);
    free(text);
    ck_assert_msg(st == LIHOP_ERR_INPUT, "status %d, message: %s", (int)st, err.msg);
    ck_assert_ptr_null(cfg);
    char head[256];
    if (path)
        snprintf(head, sizeof head, "test.yaml:%d: key '%s': expected ", line, path);
    else
        snprintf(head, sizeof head, "test.yaml:%d: expected ", line);
    ck_assert_msg(strncmp(err.msg, head, strlen(head)) == 0, "wanted '%s...', got '%s'", head, err.msg);
    ck_assert_msg(strstr(err.msg, ", got ") != NULL, "no 'got' part: %s", err.msg);
    if (also)
        ck_assert_msg(strstr(err.msg, also) != NULL, "wanted '%s' in '%s'", also, err.msg);
}

/* ---- good input ------------------------------------------------------------ */

START_TEST(base_values_in_si)
{
    lihop_config *c = parse_ok(BASE);
    ck_assert_str_eq(c->path, "test.yaml");
    ck_assert_str_eq(c->text, BASE);
    ck_assert_int_eq(c->model, LIHOP_MODEL_VOXEL);
    ck_assert_int_eq(c->ntemps, 2);
    ck_assert(c->temperature_K[0] == 300.0 && c->temperature_K[1] == 350.0);
    ck_assert_int_eq(c->nspecies, 2);
    ck_assert_str_eq(c->species[0].name, "li");
    ck_assert_int_eq(c->species[0].charge, 1);
    ck_assert_str_eq(c->species[1].name, "tfsi");
    ck_assert_int_eq(c->species[1].charge, -1);

    ck_assert_int_eq(c->nphases, 3);
    const lihop_phase_cfg *peo = &c->phases[0], *llzo = &c->phases[1], *gb = &c->phases[2];
    ck_assert_str_eq(peo->name, "peo");
    ck_assert_int_eq(peo->has_sigma_total, 1);
    ck_assert_int_eq(peo->sigma_total.law, LIHOP_LAW_VTF);
    ck_assert(peo->sigma_total.prefactor == 1.6 * 100.0);           /* S/cm -> S/m */
    ck_assert(peo->sigma_total.vtf_B_K == 1300.0 && peo->sigma_total.vtf_T0_K == 166.0);
    ck_assert_int_eq(peo->ncarriers, 2);
    ck_assert_int_eq(peo->carriers[0].species, 0);
    ck_assert_int_eq(peo->carriers[0].kind, LIHOP_TRANSPORT_FRACTION);
    ck_assert(peo->carriers[0].transference == 0.25);
    ck_assert(peo->carriers[0].conc_m3 == 1.1 * 1000.0 * 6.02214076e23); /* mol/L -> 1/m^3 */
    ck_assert_int_eq(peo->carriers[1].species, 1);
    ck_assert(peo->carriers[1].transference == 0.75);

    ck_assert_int_eq(llzo->has_sigma_total, 0);
    ck_assert_int_eq(llzo->ncarriers, 1);
    ck_assert_int_eq(llzo->carriers[0].kind, LIHOP_TRANSPORT_D);
    ck_assert_int_eq(llzo->carriers[0].law.law, LIHOP_LAW_ARRHENIUS);
    ck_assert(llzo->carriers[0].law.prefactor == 3.72e-4 * 1e-4);    /* cm^2/s -> m^2/s */
    ck_assert(llzo->carriers[0].law.ea_eV == 0.28);
    ck_assert(llzo->carriers[0].conc_m3 == 38.97 * 1000.0 * 6.02214076e23);

    ck_assert_int_eq(gb->carriers[0].kind, LIHOP_TRANSPORT_SIGMA);
    ck_assert_int_eq(gb->carriers[0].law.law, LIHOP_LAW_CONSTANT);
    ck_assert(gb->carriers[0].law.prefactor == 2.0e-5 * 100.0);

    ck_assert_int_eq(c->ninterfaces, 2);
    ck_assert_int_eq(c->interfaces[0].phase_a, 1);
    ck_assert_int_eq(c->interfaces[0].phase_b, 0);
    ck_assert(c->interfaces[0].asr_ohm_m2 == 100.0 * 1e-4);          /* ohm cm^2 -> ohm m^2 */
    ck_assert_uint_eq(c->interfaces[0].species_mask, 1u);
    ck_assert_int_eq(c->interfaces[1].phase_a, 2);
    ck_assert_int_eq(c->interfaces[1].phase_b, 1);
    ck_assert(c->interfaces[1].asr_ohm_m2 == 0.0);
    ck_assert_uint_eq(c->interfaces[1].species_mask, 3u);            /* default: every species */

    const lihop_micro_cfg *m = &c->micro;
    ck_assert(m->n[0] == 16 && m->n[1] == 24 && m->n[2] == 32);
    ck_assert(m->voxel_m == 1.0e-8);
    ck_assert_int_eq(m->generator, LIHOP_GEN_SPHERES);
    ck_assert_int_eq(m->matrix_phase, 0);
    ck_assert_int_eq(m->filler_phase, 1);
    ck_assert(m->volume_fraction == 0.1);
    ck_assert(m->radius_voxels == 3.5);

    ck_assert_uint_eq(c->run.walkers, 1000);
    ck_assert(c->run.hops_per_walker == 500.0);
    ck_assert(c->run.time_s == 0.0);
    lihop_config_destroy(c);
}
END_TEST

START_TEST(defaults_applied)
{
    lihop_config *c = parse_ok(BASE);
    ck_assert_int_eq(c->backend, LIHOP_BACKEND_AUTO);
    ck_assert(c->seed == 1);
    ck_assert_int_eq(c->transference_species, 0);   /* the species named li */
    ck_assert_int_eq(c->micro.overlap, 1);
    ck_assert(c->micro.seed == c->seed);            /* microstructure seed follows the run seed */
    ck_assert_int_eq(c->run.samples, 20);
    ck_assert_int_eq(c->run.batches, 10);
    ck_assert(c->field_V_m[0] == 0.0 && c->field_V_m[1] == 0.0 && c->field_V_m[2] == 0.0);
    lihop_config_destroy(c);

    /* Without a species called li, t+ belongs to the first positive species,
     * and to the first species when none is positive. */
    static const char TWO[] =
        "model: voxel\n"
        "temperature_K: [300]\n"
        "species: [{name: cl, charge: -1}, {name: na, charge: 1}]\n"
        "phases:\n"
        "  - name: salt\n"
        "    carriers:\n"
        "      - {species: cl, concentration_mol_L: 1, D_cm2_s: {law: constant, prefactor: 1e-5}}\n"
        "      - {species: na, concentration_mol_L: 1, D_cm2_s: {law: constant, prefactor: 1e-5}}\n"
        "microstructure: {box_voxels: [4, 4, 4], voxel_size_m: 1e-9, generator: uniform, matrix: salt}\n"
        "run: {walkers: 10, hops_per_walker: 10}\n";
    c = parse_ok(TWO);
    ck_assert_int_eq(c->transference_species, 1);
    lihop_config_destroy(c);
    char *t = replaced(TWO, "charge: 1}", "charge: -2}");
    c = parse_ok(t);
    ck_assert_int_eq(c->transference_species, 0);
    lihop_config_destroy(c);
    free(t);
}
END_TEST

START_TEST(explicit_values)
{
    char *t = edited("model: voxel\n",
                     "model: voxel\nbackend: cuda\nseed: 18446744073709551615\n"
                     "transference_species: tfsi\nfield_V_m: [1.0e5, 0, -2.5e4]\n");
    char *u = replaced(t, "  hops_per_walker: 500\n", "  time_s: 2.5e-3\n  samples: 64\n  batches: 1000\n");
    free(t);
    t = replaced(u, "  walkers: 1000\n", "  walkers: 5000\n");
    free(u);
    u = t;
    lihop_config *c = parse_ok(u);
    free(u);
    ck_assert_int_eq(c->backend, LIHOP_BACKEND_CUDA);
    ck_assert(c->seed == UINT64_MAX);
    ck_assert_int_eq(c->transference_species, 1);
    ck_assert(c->field_V_m[0] == 1.0e5 && c->field_V_m[1] == 0.0 && c->field_V_m[2] == -2.5e4);
    ck_assert(c->run.time_s == 2.5e-3 && c->run.hops_per_walker == 0.0);
    ck_assert_int_eq(c->run.samples, 64);
    ck_assert_int_eq(c->run.batches, 1000);
    ck_assert_uint_eq(c->run.walkers, 5000);
    lihop_config_destroy(c);
}
END_TEST

START_TEST(generator_laminate)
{
    lihop_config *c = parse_edit_ok(
        "  generator: spheres\n  matrix: peo\n  filler: llzo\n  volume_fraction: 0.1\n  radius_voxels: 3.5\n",
        "  generator: laminate\n  axis: z\n  seed: 99\n  layers:\n"
        "    - {phase: llzo, fraction: 0.25}\n    - {phase: peo, fraction: 0.5}\n"
        "    - {phase: gb, fraction: 0.25}\n");
    ck_assert_int_eq(c->micro.generator, LIHOP_GEN_LAMINATE);
    ck_assert_int_eq(c->micro.axis, 2);
    ck_assert(c->micro.seed == 99);
    ck_assert_int_eq(c->micro.nlayers, 3);
    ck_assert_int_eq(c->micro.layer_phase[0], 1);
    ck_assert_int_eq(c->micro.layer_phase[1], 0);
    ck_assert_int_eq(c->micro.layer_phase[2], 2);
    ck_assert(c->micro.layer_fraction[1] == 0.5);
    lihop_config_destroy(c);

    c = parse_edit_ok("  generator: spheres\n  matrix: peo\n  filler: llzo\n  volume_fraction: 0.1\n  radius_voxels: 3.5\n",
                      "  generator: laminate\n  layers: [{phase: llzo, fraction: 1}]\n");
    ck_assert_int_eq(c->micro.axis, 0);              /* default: layer normal along x */
    lihop_config_destroy(c);
}
END_TEST

START_TEST(generator_hdf5_uniform_random)
{
    lihop_config *c = parse_edit_ok(
        "  generator: spheres\n  matrix: peo\n  filler: llzo\n  volume_fraction: 0.1\n  radius_voxels: 3.5\n",
        "  generator: hdf5\n  file: data/labels.h5\n  dataset: /micro/labels\n"
        "  labels: [{value: 0, phase: peo}, {value: 7, phase: llzo}, {value: -1, phase: gb}]\n");
    ck_assert_int_eq(c->micro.generator, LIHOP_GEN_HDF5);
    ck_assert_str_eq(c->micro.h5_file, "data/labels.h5");   /* kept as written */
    ck_assert_str_eq(c->micro.h5_dataset, "/micro/labels");
    ck_assert_int_eq(c->micro.nlabels, 3);
    ck_assert(c->micro.label_value[1] == 7 && c->micro.label_phase[1] == 1);
    ck_assert(c->micro.label_value[2] == -1 && c->micro.label_phase[2] == 2);
    lihop_config_destroy(c);

    c = parse_edit_ok("  generator: spheres\n  matrix: peo\n  filler: llzo\n  volume_fraction: 0.1\n  radius_voxels: 3.5\n",
                      "  generator: uniform\n  matrix: llzo\n");
    ck_assert_int_eq(c->micro.generator, LIHOP_GEN_UNIFORM);
    ck_assert_int_eq(c->micro.matrix_phase, 1);
    lihop_config_destroy(c);

    c = parse_edit_ok("  generator: spheres\n  matrix: peo\n  filler: llzo\n  volume_fraction: 0.1\n  radius_voxels: 3.5\n",
                      "  generator: random_voxels\n  matrix: peo\n  filler: gb\n  volume_fraction: 0\n");
    ck_assert_int_eq(c->micro.generator, LIHOP_GEN_RANDOM_VOXELS);
    ck_assert_int_eq(c->micro.filler_phase, 2);
    ck_assert(c->micro.volume_fraction == 0.0);
    lihop_config_destroy(c);

    c = parse_edit_ok("  radius_voxels: 3.5\n", "  radius_voxels: 3.5\n  overlap: false\n");
    ck_assert_int_eq(c->micro.overlap, 0);
    lihop_config_destroy(c);
}
END_TEST

START_TEST(tlaw_eval_formulas)
{
    const double kB = 8.617333262e-5;
    lihop_tlaw k = {LIHOP_LAW_CONSTANT, 2.5, 0, 0, 0, 0, {0}, {0}};
    ck_assert(lihop_tlaw_eval(&k, 123.0) == 2.5);
    lihop_tlaw a = {LIHOP_LAW_ARRHENIUS, 3.72e-8, 0.28, 0, 0, 0, {0}, {0}};
    double want = 3.72e-8 * exp(-0.28 / (kB * 298.15));
    ck_assert_double_eq_tol(lihop_tlaw_eval(&a, 298.15) / want, 1.0, 1e-12);
    lihop_tlaw v = {LIHOP_LAW_VTF, 160.0, 0, 1300.0, 166.0, 0, {0}, {0}};
    want = 160.0 * exp(-1300.0 / (333.15 - 166.0));
    ck_assert_double_eq_tol(lihop_tlaw_eval(&v, 333.15) / want, 1.0, 1e-12);
    ck_assert(lihop_tlaw_eval(&v, 166.0) == 0.0);  /* frozen at and below T0 */
    ck_assert(lihop_tlaw_eval(&v, 100.0) == 0.0);
}
END_TEST

START_TEST(destroy_null_and_bad_args)
{
    lihop_config_destroy(NULL);
    lihop_config *c = (lihop_config *)1;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_config_parse(NULL, "x", &c, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(lihop_config_load(NULL, &c, &err), LIHOP_ERR_INPUT);
    /* No name: messages and cfg->path say <builtin>. */
    ck_assert_int_eq(lihop_config_parse("run: [", NULL, &c, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strncmp(err.msg, "<builtin>:", 10) == 0, "%s", err.msg);
}
END_TEST

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/lihop_test_config_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t n = strlen(text);
    ck_assert_int_eq((int)write(fd, text, n), (int)n);
    close(fd);
    return path;
}

START_TEST(load_from_file)
{
    char *path = write_temp(BASE);
    lihop_config *c = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_config_load(path, &c, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_str_eq(c->path, path);
    ck_assert_str_eq(c->text, BASE);
    ck_assert_int_eq(c->nphases, 3);
    lihop_config_destroy(c);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(load_errors_name_the_file)
{
    char *text = edited("  walkers: 1000\n", "  walkers: -1000\n");
    char *path = write_temp(text);
    free(text);
    lihop_config *c = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_config_load(path, &c, &err), LIHOP_ERR_INPUT);
    char head[512];
    snprintf(head, sizeof head, "%s:41: key 'run.walkers': expected ", path);
    ck_assert_msg(strncmp(err.msg, head, strlen(head)) == 0, "%s", err.msg);
    unlink(path);
    free(path);

    path = write_temp("");
    ck_assert_int_eq(lihop_config_load(path, &c, &err), LIHOP_ERR_INPUT);
    snprintf(head, sizeof head, "%s:1: expected a mapping", path);
    ck_assert_msg(strncmp(err.msg, head, strlen(head)) == 0, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "got an empty document") != NULL, "%s", err.msg);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(unreadable_file_is_io)
{
    lihop_config *c = (lihop_config *)1;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_config_load("/nonexistent-dir/lihop.yaml", &c, &err), LIHOP_ERR_IO);
    ck_assert_ptr_null(c);
    ck_assert_msg(strncmp(err.msg, "/nonexistent-dir/lihop.yaml: ", 29) == 0, "%s", err.msg);
    ck_assert_int_eq(lihop_config_load("/tmp", &c, &err), LIHOP_ERR_IO);  /* a directory */
}
END_TEST

START_TEST(every_shipped_config_parses)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/configs", LIHOP_SOURCE_DIR);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[2600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        lihop_config *c = NULL;
        lihop_err err = {{0}};
        lihop_status st = lihop_config_load(path, &c, &err);
        ck_assert_msg(st == LIHOP_OK, "%s: %s", e->d_name, err.msg);
        lihop_config_destroy(c);
        n++;
    }
    closedir(d);
    ck_assert_int_ge(n, 4);   /* quickstart, cip, pic, laminate_asr at least */
}
END_TEST

START_TEST(quickstart_values)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/configs/quickstart.yaml", LIHOP_SOURCE_DIR);
    lihop_config *c = NULL;
    lihop_err err = {{0}};
    ck_assert_msg(lihop_config_load(path, &c, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(c->ntemps, 3);
    ck_assert(c->temperature_K[0] == 298.15 && c->temperature_K[2] == 353.15);
    ck_assert(c->micro.n[0] == 48 && c->micro.n[1] == 48 && c->micro.n[2] == 48);
    ck_assert(c->micro.voxel_m == 1.0e-8);
    ck_assert_str_eq(c->species[c->transference_species].name, "li");
    lihop_config_destroy(c);
}
END_TEST

/* ---- bad input: status, line and key path ------------------------------------ */

START_TEST(err_unknown_key)
{
    expect_error("  radius_voxels: 3.5\n", "  radius_voxels: 3.5\n  radius: 2\n", 40,
                 "microstructure.radius", "unknown key 'radius'");
    expect_error("        concentration_mol_L: 1.1\n", "        concentration_mol_l: 1.1\n", 11,
                 "phases[0].carriers[0].concentration_mol_l", "unknown key");
    expect_error("model: voxel\n", "model: voxel\ncolour: red\n", 2, "colour", "unknown key 'colour'");
}
END_TEST

START_TEST(err_wrong_type)
{
    expect_error("  walkers: 1000\n", "  walkers: many\n", 41, "run.walkers", "got 'many'");
    expect_error("temperature_K: [300, 350]\n", "temperature_K: {T: 300}\n", 2, "temperature_K",
                 "got a mapping");
    expect_error("  box_voxels: [16, 24, 32]\n", "  box_voxels: [16, 24.5, 32]\n", 33,
                 "microstructure.box_voxels[1]", "expected an integer, got 24.5");
    expect_error("  radius_voxels: 3.5\n", "  radius_voxels: 3.5\n  overlap: maybe\n", 40,
                 "microstructure.overlap", "expected true or false");
    expect_error("model: voxel\n", "model: voxel\nseed: -3\n", 2, "seed", "got -3");
    expect_error("model: voxel\n", "model: granite\n", 1, "model", "expected one of: voxel, garnet, got 'granite'");
}
END_TEST

START_TEST(err_negative_temperature)
{
    expect_error("temperature_K: [300, 350]\n", "temperature_K: [300, -350]\n", 2, "temperature_K[1]",
                 "got -350");
    expect_error("temperature_K: [300, 350]\n", "temperature_K:\n  - 300\n  - 6000\n", 4,
                 "temperature_K[1]", "got 6000");
}
END_TEST

START_TEST(err_fraction_range)
{
    expect_error("  volume_fraction: 0.1\n", "  volume_fraction: 1.2\n", 38,
                 "microstructure.volume_fraction", "got 1.2");
    expect_error("        transference_number: 0.25\n", "        transference_number: -0.1\n", 12,
                 "phases[0].carriers[0].transference_number", "[0, 1]");
}
END_TEST

START_TEST(err_missing_phase_reference)
{
    expect_error("  filler: llzo\n", "  filler: xyz\n", 37, "microstructure.filler",
                 "unknown phase 'xyz' (defined phases: peo, llzo, gb)");
    expect_error("  - phases: [llzo, peo]\n", "  - phases: [llzo, pe0]\n", 27,
                 "interfaces[0].phases[1]", "unknown phase 'pe0'");
    expect_error("      - species: li\n        concentration_mol_L: 38.97\n",
                 "      - species: na\n        concentration_mol_L: 38.97\n", 18,
                 "phases[1].carriers[0].species", "unknown species 'na' (defined species: li, tfsi)");
}
END_TEST

START_TEST(err_missing_generator_key)
{
    expect_error("  radius_voxels: 3.5\n", "", 35, "microstructure.radius_voxels",
                 "generator 'spheres' needs");
}
END_TEST

START_TEST(err_foreign_generator_key)
{
    expect_error("  radius_voxels: 3.5\n",
                 "  radius_voxels: 3.5\n  layers: [{phase: peo, fraction: 1}]\n", 40,
                 "microstructure.layers", "belongs to generator laminate");
}
END_TEST

START_TEST(err_both_d_and_sigma)
{
    expect_error("        D_cm2_s: {law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}\n",
                 "        D_cm2_s: {law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}\n"
                 "        sigma_S_cm: {law: constant, prefactor: 1}\n",
                 21, "phases[1].carriers[0].sigma_S_cm", "exactly one of");
}
END_TEST

START_TEST(err_transference_without_sigma_total)
{
    expect_error("    sigma_total_S_cm: {law: vtf, prefactor: 1.6, B_K: 1300, T0_K: 166}\n", "", 11,
                 "phases[0].carriers[0].transference_number", "sigma_total_S_cm");
}
END_TEST

START_TEST(err_vtf_below_t0)
{
    expect_error("T0_K: 166}", "T0_K: 300}", 8, "phases[0].sigma_total_S_cm.T0_K",
                 "temperature_K[0] is 300 K");
}
END_TEST

START_TEST(err_law_keys)
{
    expect_error("{law: constant, prefactor: 2.0e-5}", "{law: constant, prefactor: 2.0e-5, Ea_eV: 0.1}",
                 25, "phases[2].carriers[0].sigma_S_cm.Ea_eV", "law 'constant'");
    expect_error("{law: arrhenius, prefactor: 3.72e-4, Ea_eV: 0.28}", "{law: arrhenius, prefactor: 3.72e-4}",
                 20, "phases[1].carriers[0].D_cm2_s.Ea_eV", "got nothing");
    expect_error("prefactor: 3.72e-4,", "prefactor: 0,", 20, "phases[1].carriers[0].D_cm2_s.prefactor",
                 "above 0");
}
END_TEST

START_TEST(err_yaml_syntax)
{
    expect_error("temperature_K: [300, 350]\n", "temperature_K: [300, 350\n", 3, NULL,
                 "valid YAML");
    expect_error("  - name: gb\n", "  - name: gb\n   oops: 1\n", 22, NULL, "valid YAML");
}
END_TEST

START_TEST(err_empty_document)
{
    lihop_config *c = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_config_parse("", "test.yaml", &c, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strncmp(err.msg, "test.yaml:1: expected a mapping", 31) == 0, "%s", err.msg);
    ck_assert_int_eq(lihop_config_parse("# nothing\n", "test.yaml", &c, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "got an empty document") != NULL, "%s", err.msg);
    ck_assert_int_eq(lihop_config_parse("- 1\n- 2\n", "test.yaml", &c, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "got a list") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(err_run_ranges)
{
    expect_error("  hops_per_walker: 500\n", "  hops_per_walker: 500\n  samples: 1\n", 43,
                 "run.samples", "got 1");
    expect_error("  hops_per_walker: 500\n", "  hops_per_walker: 500\n  samples: 65\n", 43,
                 "run.samples", "got 65");
    expect_error("  walkers: 1000\n", "  walkers: 5\n", 41, "run.walkers", "batches (10)");
    expect_error("  hops_per_walker: 500\n", "  hops_per_walker: 500\n  batches: 1001\n", 43,
                 "run.batches", "got 1001");
    expect_error("  hops_per_walker: 500\n", "  hops_per_walker: 500\n  time_s: 1e-6\n", 43,
                 "run.time_s", "got both");
    expect_error("  hops_per_walker: 500\n", "", 40, "run", "got neither");
}
END_TEST

START_TEST(err_cross_checks)
{
    expect_error("  - {name: tfsi, charge: -1}\n", "  - {name: tfsi, charge: -1}\n  - {name: na, charge: 1}\n",
                 6, "species[2].name", "'na'");
    expect_error("  - {name: tfsi, charge: -1}\n", "  - {name: tfsi, charge: 0}\n", 5, "species[1].charge",
                 "got 0");
    expect_error("  - phases: [gb, llzo]\n", "  - phases: [gb, gb]\n", 30, "interfaces[1].phases[1]",
                 "two different phases");
    expect_error("  - phases: [gb, llzo]\n", "  - phases: [peo, llzo]\n", 30, "interfaces[1].phases",
                 "each phase pair once");
    expect_error("    species: [li]\n", "    species: [k]\n", 29, "interfaces[0].species[0]",
                 "unknown species 'k'");
    expect_error("  - name: gb\n", "  - name: peo\n", 21, "phases[2].name", "unique phase name");
    expect_error("  filler: llzo\n", "  filler: peo\n", 37, "microstructure.filler", "other than the matrix");
    expect_error("  box_voxels: [16, 24, 32]\n", "  box_voxels: [4096, 4096, 4096]\n", 33,
                 "microstructure.box_voxels", "2^31");
    expect_error("  box_voxels: [16, 24, 32]\n", "  box_voxels: [16, 0, 32]\n", 33,
                 "microstructure.box_voxels[1]", "got 0");
    expect_error("model: voxel\n", "model: voxel\nmodel: voxel\n", 2, "model", "first on line 1");
    expect_error("  generator: spheres\n  matrix: peo\n  filler: llzo\n  volume_fraction: 0.1\n  radius_voxels: 3.5\n",
                 "  generator: laminate\n  layers:\n    - {phase: peo, fraction: 0.5}\n"
                 "    - {phase: llzo, fraction: 0.4}\n",
                 36, "microstructure.layers", "summing to 1");
}
END_TEST

/* Values the reader used to accept that overflow, hang or give a meaningless
 * result only at run time (issue 8 item 5): refused with FILE:LINE, key, range. */
START_TEST(err_runtime_ranges)
{
    expect_error("  voxel_size_m: 1.0e-8\n", "  voxel_size_m: 1e300\n", 34, "microstructure.voxel_size_m",
                 "from 1e-10 to 0.01 m, got 1e300");
    expect_error("  voxel_size_m: 1.0e-8\n", "  voxel_size_m: 1e-12\n", 34, "microstructure.voxel_size_m",
                 "got 1e-12");
    expect_error("        concentration_mol_L: 38.97\n", "        concentration_mol_L: 1e308\n", 19,
                 "phases[1].carriers[0].concentration_mol_L", "at most 200 mol/L, got 1e308");
    expect_error("model: voxel\n", "model: voxel\nfield_V_m: [1e30, 0, 0]\n", 2, "field_V_m[0]",
                 "kT/(|z| e d)");
    expect_error("model: voxel\n", "model: voxel\nfield_V_m: [0, 0, -1e7]\n", 2, "field_V_m[2]", "got -1e7");
    expect_error("temperature_K: [300, 350]\n", "temperature_K: [300, 1]\n", 2, "temperature_K[1]",
                 "from 50 to 3000 K, got 1");
    expect_error("temperature_K: [300, 350]\n", "temperature_K: [300, 4000]\n", 2, "temperature_K[1]",
                 "got 4000");
    expect_error("  hops_per_walker: 500\n", "  hops_per_walker: 1e300\n", 42, "run.hops_per_walker",
                 "1e+13 hops per point");
    expect_error("  hops_per_walker: 500\n", "  hops_per_walker: 2\n", 42, "run.hops_per_walker", "got 2");
    expect_error("  hops_per_walker: 500\n", "  time_s: 1e-15\n", 42, "run.time_s",
                 "at least 10 hops per walker");
    expect_error("  hops_per_walker: 500\n", "  time_s: 1e300\n", 42, "run.time_s", "1e+13 hops per point");
    expect_error("prefactor: 3.72e-4,", "prefactor: 1e300,", 20, "phases[1].carriers[0].D_cm2_s.prefactor",
                 "at most 1000 cm^2/s");
    expect_error("Ea_eV: 0.28}", "Ea_eV: 1e300}", 20, "phases[1].carriers[0].D_cm2_s.Ea_eV", "from 0 to 5 eV");
    expect_error("B_K: 1300,", "B_K: 1e300,", 8, "phases[0].sigma_total_S_cm.B_K", "got 1e300");
    expect_error("    asr_ohm_cm2: 100.0\n", "    asr_ohm_cm2: 1e300\n", 28, "interfaces[0].asr_ohm_cm2",
                 "from 0 to 1e+09 ohm cm^2");
    expect_error("  radius_voxels: 3.5\n", "  radius_voxels: 1e-3\n", 39, "microstructure.radius_voxels",
                 "from 0.5 to 8 voxels");
}
END_TEST

/* A deck nested 100k brackets deep used to take a minute (libyaml's scanner is
 * quadratic in the depth): refused at once with the line where it gets too deep. */
START_TEST(err_deep_nesting)
{
    size_t n = 100000;
    char *text = malloc(2 * n + 64);
    ck_assert_ptr_nonnull(text);
    int k = sprintf(text, "model: voxel\ntemperature_K: ");
    memset(text + k, '[', n);
    memset(text + k + n, ']', n);
    strcpy(text + k + 2 * n, "\n");
    lihop_config *c = (lihop_config *)1;
    lihop_err err = {{0}};
    clock_t t0 = clock();
    ck_assert_int_eq(lihop_config_parse(text, "test.yaml", &c, &err), LIHOP_ERR_INPUT);
    double cpu_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    free(text);
    ck_assert_ptr_null(c);
    ck_assert_msg(strncmp(err.msg, "test.yaml:2: expected lists and mappings nested at most 64 deep", 63) == 0,
                  "%s", err.msg);
    ck_assert_msg(cpu_s < 1.0, "took %g s", cpu_s);
    /* block nesting (one "- " per level) is refused the same way; 64 levels are fine for the reader */
    char block[8192] = "model: voxel\ntemperature_K:\n";
    for (int i = 1; i <= 70; i++)
        snprintf(block + strlen(block), sizeof block - strlen(block), "%*s- \n", 2 * i, "");
    ck_assert_int_eq(lihop_config_parse(block, "test.yaml", &c, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "test.yaml:66: expected lists and mappings nested at most 64") == err.msg,
                  "%s", err.msg);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *good = tcase_create("good");
    tcase_add_test(good, base_values_in_si);
    tcase_add_test(good, defaults_applied);
    tcase_add_test(good, explicit_values);
    tcase_add_test(good, generator_laminate);
    tcase_add_test(good, generator_hdf5_uniform_random);
    tcase_add_test(good, tlaw_eval_formulas);
    tcase_add_test(good, destroy_null_and_bad_args);
    tcase_add_test(good, load_from_file);
    tcase_add_test(good, every_shipped_config_parses);
    tcase_add_test(good, quickstart_values);
    suite_add_tcase(s, good);

    TCase *bad = tcase_create("bad");
    tcase_add_test(bad, load_errors_name_the_file);
    tcase_add_test(bad, unreadable_file_is_io);
    tcase_add_test(bad, err_unknown_key);
    tcase_add_test(bad, err_wrong_type);
    tcase_add_test(bad, err_negative_temperature);
    tcase_add_test(bad, err_fraction_range);
    tcase_add_test(bad, err_missing_phase_reference);
    tcase_add_test(bad, err_missing_generator_key);
    tcase_add_test(bad, err_foreign_generator_key);
    tcase_add_test(bad, err_both_d_and_sigma);
    tcase_add_test(bad, err_transference_without_sigma_total);
    tcase_add_test(bad, err_vtf_below_t0);
    tcase_add_test(bad, err_law_keys);
    tcase_add_test(bad, err_yaml_syntax);
    tcase_add_test(bad, err_empty_document);
    tcase_add_test(bad, err_run_ranges);
    tcase_add_test(bad, err_cross_checks);
    tcase_add_test(bad, err_runtime_ranges);
    tcase_add_test(bad, err_deep_nesting);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(config_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
