/* test_micro_h5.c - voxel microstructures from/to HDF5 label datasets (+ XDMF). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <check.h>
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "micro.h"
#include "micro_h5.h"

static char tmpdir[256];

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
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lihop_test_micro_h5_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    id_base = count_ids();
}

static void teardown(void)
{
    check_no_leaked_ids();
    const char *names[] = {"m.h5", "m.h5.xdmf", "m.h5.part", "m.h5.xdmf.part", "labels.h5"};
    char p[400];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
        unlink(p);
    }
    rmdir(tmpdir);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    return buf;
}

/* Label dataset [nz][ny][nx] of `type` holding label(x, y, z). */
typedef int64_t (*label_fn)(int x, int y, int z);

static void write_labels(const char *path, const char *dset, hid_t type, int rank, const int n[3],
                         label_fn fn)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(f >= 0);
    hsize_t dims[3] = {(hsize_t)n[2], (hsize_t)n[1], (hsize_t)n[0]};
    hsize_t *d = rank == 3 ? dims : dims + (3 - rank);
    hid_t sp = H5Screate_simple(rank, d, NULL);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t ds = H5Dcreate2(f, dset, type, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(ds >= 0);
    int64_t *buf = malloc(sizeof *buf * (size_t)n[0] * n[1] * n[2]);
    for (int z = 0; z < n[2]; z++)
        for (int y = 0; y < n[1]; y++)
            for (int x = 0; x < n[0]; x++)
                buf[(size_t)x + (size_t)n[0] * (y + (size_t)n[1] * z)] = fn(x, y, z);
    ck_assert(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    free(buf);
    H5Pclose(lcpl);
    H5Dclose(ds);
    H5Sclose(sp);
    H5Fclose(f);
}

static int64_t lab_xyz(int x, int y, int z)
{
    /* distinct per axis so a swapped axis shows */
    return 10 * ((x + 2 * y + 3 * z) % 3 + 1);   /* 10, 20, 30 */
}

static int phase_xyz(int x, int y, int z)
{
    return (x + 2 * y + 3 * z) % 3 == 0 ? 2 : (x + 2 * y + 3 * z) % 3 == 1 ? 0 : 1;
}

static const int LV[3] = {10, 20, 30};
static const int LP[3] = {2, 0, 1};

START_TEST(read_labels_any_int_type)
{
    char path[400];
    snprintf(path, sizeof path, "%s/labels.h5", tmpdir);
    const int n[3] = {5, 4, 3};
    hid_t types[] = {H5T_STD_U8LE, H5T_STD_I16BE, H5T_STD_I32LE, H5T_STD_U64LE};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        write_labels(path, "/grains/labels", types[t], 3, n, lab_xyz);
        lihop_micro *m = NULL;
        lihop_err err = {{0}};
        lihop_status st = lihop_micro_read_h5(path, "/grains/labels", 3, LV, LP, 3, 2e-6, &m, &err);
        ck_assert_msg(st == LIHOP_OK, "type %zu: %s", t, err.msg);
        ck_assert_int_eq(m->n[0], 5);
        ck_assert_int_eq(m->n[1], 4);
        ck_assert_int_eq(m->n[2], 3);
        ck_assert(m->voxel_m == 2e-6);
        ck_assert_int_eq(m->nphases, 3);
        for (int z = 0; z < 3; z++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 5; x++)
                    ck_assert_int_eq(m->phase[x + 5 * (y + 4 * z)], phase_xyz(x, y, z));
        lihop_micro_destroy(m);
    }
}
END_TEST

START_TEST(write_read_round_trip)
{
    char path[400], xdmf[420], part[420];
    snprintf(path, sizeof path, "%s/m.h5", tmpdir);
    snprintf(xdmf, sizeof xdmf, "%s.xdmf", path);
    snprintf(part, sizeof part, "%s.part", path);
    lihop_micro m0 = {{6, 4, 3}, 5e-7, 3, NULL, NULL, 0};
    uint8_t grid[72];
    for (int z = 0; z < 3; z++)
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 6; x++)
                grid[x + 6 * (y + 4 * z)] = (uint8_t)phase_xyz(x, y, z);
    m0.phase = grid;
    const char *names[3] = {"peo", "llzo", "gb"};
    lihop_err err = {{0}};
    ck_assert_msg(lihop_micro_write_h5(&m0, path, "phase", names, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert(exists(path));
    ck_assert(exists(xdmf));
    ck_assert(!exists(part));

    /* XDMF sidecar: node counts z y x, cell-centred attribute, relative link */
    char *x = slurp(xdmf);
    ck_assert_ptr_nonnull(strstr(x, "Version=\"3.0\""));
    ck_assert_ptr_nonnull(strstr(x, "3DCoRectMesh"));
    ck_assert_ptr_nonnull(strstr(x, "Dimensions=\"4 5 7\""));
    ck_assert_ptr_nonnull(strstr(x, "ORIGIN_DXDYDZ"));
    char spacing[128];
    snprintf(spacing, sizeof spacing, ">5e-07 5e-07 5e-07<");
    ck_assert_ptr_nonnull(strstr(x, spacing));
    ck_assert_ptr_nonnull(strstr(x, "Center=\"Cell\""));
    ck_assert_ptr_nonnull(strstr(x, "Dimensions=\"3 4 6\""));
    ck_assert_ptr_nonnull(strstr(x, ">m.h5:/phase</DataItem>"));

    /* the file itself: (z,y,x) uint8, attributes */
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    hid_t d = H5Dopen2(f, "/phase", H5P_DEFAULT);
    hid_t t = H5Dget_type(d);
    ck_assert_int_eq(H5Tget_size(t), 1);
    ck_assert_int_eq(H5Tget_sign(t), H5T_SGN_NONE);
    H5Tclose(t);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[3];
    H5Sget_simple_extent_dims(sp, dims, NULL);
    ck_assert(dims[0] == 3 && dims[1] == 4 && dims[2] == 6);
    H5Sclose(sp);
    hid_t a = H5Aopen(d, "phase_names", H5P_DEFAULT);
    ck_assert(a >= 0);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, H5T_VARIABLE);
    H5Tset_cset(st, H5T_CSET_UTF8);
    char *pn[3] = {0};
    ck_assert(H5Aread(a, st, pn) >= 0);
    ck_assert_str_eq(pn[0], "peo");
    ck_assert_str_eq(pn[2], "gb");
    for (int i = 0; i < 3; i++)
        H5free_memory(pn[i]);
    H5Tclose(st);
    H5Aclose(a);
    H5Dclose(d);
    H5Fclose(f);

    /* read back; voxel_m <= 0 takes the stored voxel_size_m */
    const int ident_v[3] = {0, 1, 2}, ident_p[3] = {0, 1, 2};
    lihop_micro *m = NULL;
    ck_assert_msg(lihop_micro_read_h5(path, "phase", 3, ident_v, ident_p, 3, 0.0, &m, &err) == LIHOP_OK,
                  "%s", err.msg);
    ck_assert(m->voxel_m == 5e-7);
    ck_assert_int_eq(m->n[0], 6);
    ck_assert_int_eq(m->n[1], 4);
    ck_assert_int_eq(m->n[2], 3);
    ck_assert_mem_eq(m->phase, grid, 72);
    lihop_micro_destroy(m);

    /* writing again replaces the file */
    grid[0] = 1;
    ck_assert_int_eq(lihop_micro_write_h5(&m0, path, "phase", names, &err), LIHOP_OK);
    ck_assert_int_eq(lihop_micro_read_h5(path, "/phase", 3, ident_v, ident_p, 3, 1e-6, &m, &err),
                     LIHOP_OK);
    ck_assert_int_eq(m->phase[0], 1);
    ck_assert(m->voxel_m == 1e-6);
    lihop_micro_destroy(m);
}
END_TEST

static int64_t lab_with_stray(int x, int y, int z)
{
    return (x == 2 && y == 1 && z == 2) ? 99 : lab_xyz(x, y, z);
}

START_TEST(unknown_label)
{
    char path[400];
    snprintf(path, sizeof path, "%s/labels.h5", tmpdir);
    const int n[3] = {5, 4, 3};
    write_labels(path, "labels", H5T_STD_I32LE, 3, n, lab_with_stray);
    lihop_micro *m = (lihop_micro *)0x1;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, "'labels'") && strstr(err.msg, "99") &&
                  strstr(err.msg, "(2,1,2)"), "%s", err.msg);
}
END_TEST

/* A 64-bit label beyond the int range is reported at its true value, not at
 * the 32-bit value HDF5 would clamp it to. */
static int64_t lab_with_big(int x, int y, int z)
{
    return (x == 1 && y == 2 && z == 0) ? INT64_C(5000000000) : lab_xyz(x, y, z);
}

START_TEST(big_label_true_value)
{
    char path[400];
    snprintf(path, sizeof path, "%s/labels.h5", tmpdir);
    const int n[3] = {5, 4, 3};
    write_labels(path, "labels", H5T_STD_I64LE, 3, n, lab_with_big);
    lihop_micro *m = (lihop_micro *)0x1;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.msg, "label 5000000000,") && strstr(err.msg, "(1,2,0)"), "%s", err.msg);
}
END_TEST

/* The dataset's shape is checked against box_voxels from its dataspace, before
 * any data is read: a dataset of the wrong shape with unknown labels is
 * refused for its shape. */
START_TEST(shape_checked_before_data)
{
    char path[400];
    snprintf(path, sizeof path, "%s/labels.h5", tmpdir);
    const int n[3] = {5, 4, 3}, box[3] = {5, 3, 4}, same[3] = {5, 4, 3};
    write_labels(path, "labels", H5T_STD_I32LE, 3, n, lab_with_stray);
    lihop_micro *m = (lihop_micro *)0x1;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_read_h5_box(path, "labels", box, 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.msg, "'labels' is 5 x 4 x 3 voxels (x y z) but box_voxels says 5 x 3 x 4"), "%s",
                  err.msg);
    ck_assert_int_eq(lihop_micro_read_h5_box(path, "labels", same, 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "has label 99"), "%s", err.msg);   /* right shape: the data is read */
}
END_TEST

START_TEST(missing_file)
{
    char path[400];
    snprintf(path, sizeof path, "%s/nope.h5", tmpdir);
    lihop_micro *m = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_IO);
    ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, "No such file"), "%s", err.msg);
    ck_assert_ptr_null(m);
}
END_TEST

START_TEST(bad_datasets)
{
    char path[400];
    snprintf(path, sizeof path, "%s/labels.h5", tmpdir);
    const int n[3] = {5, 4, 3};
    lihop_micro *m = NULL;
    lihop_err err = {{0}};

    write_labels(path, "labels", H5T_STD_I32LE, 3, n, lab_xyz);
    ck_assert_int_eq(lihop_micro_read_h5(path, "other", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, "'other'"), "%s", err.msg);
    ck_assert_int_eq(lihop_micro_read_h5(path, "/a/b/c", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    /* a label mapped to a phase out of range */
    const int badp[3] = {2, 0, 3};
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, badp, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    /* voxel size neither given nor stored */
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, LP, 3, 0.0, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "voxel_size_m") != NULL, "%s", err.msg);

    write_labels(path, "labels", H5T_STD_I32LE, 2, n, lab_xyz);
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "rank 2") != NULL, "%s", err.msg);

    write_labels(path, "labels", H5T_IEEE_F64LE, 3, n, lab_xyz);
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_INPUT);
    ck_assert_msg(strstr(err.msg, "integer") != NULL, "%s", err.msg);

    FILE *fp = fopen(path, "w");
    fputs("plain text\n", fp);
    fclose(fp);
    ck_assert_int_eq(lihop_micro_read_h5(path, "labels", 3, LV, LP, 3, 1e-6, &m, &err), LIHOP_ERR_IO);
    ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
    ck_assert_ptr_null(m);
}
END_TEST

START_TEST(write_to_missing_dir)
{
    char path[400], part[420];
    snprintf(path, sizeof path, "%s/none/m.h5", tmpdir);
    snprintf(part, sizeof part, "%s.part", path);
    uint8_t g[8] = {0};
    lihop_micro m0 = {{2, 2, 2}, 1e-6, 1, g, NULL, 0};
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_write_h5(&m0, path, "phase", NULL, &err), LIHOP_ERR_IO);
    ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
    ck_assert(!exists(path));
}
END_TEST

/* Read [z][y][x] dataset `name` of path as type mtype into buf. */
static void read_ds(const char *path, const char *name, hid_t mtype, void *buf)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(f >= 0);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    ck_assert_msg(d >= 0, "no dataset %s", name);
    ck_assert(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Dclose(d);
    H5Fclose(f);
}

START_TEST(grains_fields_percolation)
{
    char path[400], xdmf[420];
    snprintf(path, sizeof path, "%s/m.h5", tmpdir);
    snprintf(xdmf, sizeof xdmf, "%s.xdmf", path);
    /* 4 x 3 x 2: phase 1 where x < 2 (a slab normal to x), grains = x */
    uint8_t grid[24];
    int32_t grain[24];
    for (int i = 0; i < 24; i++) {
        grid[i] = (uint8_t)(i % 4 < 2);
        grain[i] = i % 4 < 2 ? i % 4 : -1;
    }
    lihop_micro m0 = {{4, 3, 2}, 1e-6, 2, grid, grain, 2};
    const char *names[2] = {"peo", "llzo"};
    lihop_err err = {{0}};
    ck_assert_msg(lihop_micro_write_h5(&m0, path, "/phase", names, &err) == LIHOP_OK, "%s", err.msg);
    int32_t g[24];
    read_ds(path, "/grain", H5T_NATIVE_INT32, g);
    ck_assert_mem_eq(g, grain, sizeof g);
    /* both phases are slabs normal to x: they wrap along y and z, not x */
    int32_t spans[2][3], pairs[2];
    read_ds(path, "/percolation/phase_spans", H5T_NATIVE_INT32, spans);
    for (int p = 0; p < 2; p++)
        ck_assert(spans[p][0] == 0 && spans[p][1] == 1 && spans[p][2] == 1);
    read_ds(path, "/percolation/interface_pairs", H5T_NATIVE_INT32, pairs);
    ck_assert(pairs[0] == 0 && pairs[1] == 1);
    read_ds(path, "/percolation/interface_spans", H5T_NATIVE_INT32, spans);
    ck_assert(spans[0][0] == 1 && spans[0][1] == 1 && spans[0][2] == 1);   /* every voxel is on an interface */
    char *x = slurp(xdmf);
    ck_assert_ptr_nonnull(strstr(x, "<Information Name=\"phase 0\" Value=\"peo\"/>"));
    ck_assert_ptr_nonnull(strstr(x, "<Information Name=\"phase 1\" Value=\"llzo\"/>"));
    ck_assert_ptr_nonnull(strstr(x, "<Attribute Name=\"grain\""));
    ck_assert_ptr_nonnull(strstr(x, "NumberType=\"Int\" Precision=\"4\" Format=\"HDF\">m.h5:/grain<"));
    ck_assert_ptr_null(strstr(x, "potential_V"));

    /* an extra field: stored, and the sidecar lists it beside phase and grain */
    double pot[24];
    for (int i = 0; i < 24; i++)
        pot[i] = 0.01 * i - 0.1;
    ck_assert_msg(lihop_micro_write_field(path, "/phase", &m0, "potential_V", pot, "V", &err) == LIHOP_OK, "%s",
                  err.msg);
    double back[24];
    read_ds(path, "/potential_V", H5T_NATIVE_DOUBLE, back);
    ck_assert_mem_eq(back, pot, sizeof pot);
    x = slurp(xdmf);
    ck_assert_ptr_nonnull(strstr(x, "NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">m.h5:/potential_V<"));
    ck_assert_ptr_nonnull(strstr(x, "m.h5:/phase<"));
    ck_assert_ptr_nonnull(strstr(x, "m.h5:/grain<"));
    ck_assert_ptr_nonnull(strstr(x, "Value=\"llzo\""));
    /* replacing it keeps one copy */
    pot[3] = 7.0;
    ck_assert_int_eq(lihop_micro_write_field(path, "/phase", &m0, "potential_V", pot, "V", &err), LIHOP_OK);
    read_ds(path, "/potential_V", H5T_NATIVE_DOUBLE, back);
    ck_assert(back[3] == 7.0);
    x = slurp(xdmf);
    ck_assert_ptr_null(strstr(strstr(x, "/potential_V<") + 1, "/potential_V<"));

    /* reserved names and a missing file are refused */
    ck_assert_int_eq(lihop_micro_write_field(path, "/phase", &m0, "grain", pot, "1", &err), LIHOP_ERR_INPUT);
    ck_assert_int_eq(lihop_micro_write_field(path, "/phase", &m0, "a/b", pot, "1", &err), LIHOP_ERR_INPUT);
    ck_assert_int_eq(lihop_micro_write_h5(&m0, path, "percolation", names, &err), LIHOP_ERR_INPUT);
    char none[420];
    snprintf(none, sizeof none, "%s/none.h5", tmpdir);
    ck_assert_int_eq(lihop_micro_write_field(none, "/phase", &m0, "potential_V", pot, "V", &err), LIHOP_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "none.h5"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("micro_h5");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, read_labels_any_int_type);
    tcase_add_test(tc, write_read_round_trip);
    tcase_add_test(tc, unknown_label);
    tcase_add_test(tc, big_label_true_value);
    tcase_add_test(tc, shape_checked_before_data);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, bad_datasets);
    tcase_add_test(tc, write_to_missing_dir);
    tcase_add_test(tc, grains_fields_percolation);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
