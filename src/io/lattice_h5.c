/* lattice_h5.c - a built lattice's hop graph as HDF5 (io layer, lattice_h5.h). */
#include <errno.h>
#include <hdf5.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "lattice_h5.h"

/* ========================================================================== */
/* HDF5                                                                         */
/* ========================================================================== */

static int h5_attr_str(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, t, value) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

static int h5_attr_int(hid_t obj, const char *name, const int *v, hsize_t n)
{
    hid_t sp = n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(obj, name, H5T_NATIVE_INT, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, H5T_NATIVE_INT, v) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return ok;
}

static int h5_attr_dbl(hid_t obj, const char *name, double v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, H5T_NATIVE_DOUBLE, &v) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return ok;
}

/* Fixed-length string array attribute. */
static int h5_attr_strs(hid_t obj, const char *name, const char (*v)[16], int n)
{
    hsize_t dim = (hsize_t)n;
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 16);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, t, v) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

static int h5_dset(hid_t g, const char *name, hid_t mtype, hid_t ftype, int rank, const hsize_t *dims,
                   const void *data, const char *unit, const char *desc)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    if (sp < 0) return 0;
    hid_t d = H5Dcreate2(g, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = d >= 0;
    hsize_t total = 1;
    for (int r = 0; r < rank; r++) total *= dims[r];
    if (ok && total > 0) ok = H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0;
    if (ok && unit) ok = h5_attr_str(d, "unit", unit);
    if (ok && desc) ok = h5_attr_str(d, "description", desc);
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    return ok;
}

lihop_status lihop_lattice_write_h5(const lihop_lattice *lat, const char *path, lihop_err *err)
{
    if (!lat || !path) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_write_h5: NULL argument");
    size_t plen = strlen(path);
    char *part = malloc(plen + 6);
    if (!part) return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice_write_h5: out of memory");
    snprintf(part, plen + 6, "%s.part", path);

    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    lihop_status st = LIHOP_OK;
    hid_t f = H5Fcreate(part, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot create HDF5 file", part);
        goto out;
    }
    hid_t g = H5Gcreate2(f, "lattice", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = g >= 0;
    hsize_t n = (hsize_t)lat->nsites, d2[2];
    if (ok) { d2[0] = n; d2[1] = 3;
        ok = h5_dset(g, "positions_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->pos_A, "angstrom",
                     "Cartesian site positions inside the supercell"); }
    if (ok) ok = h5_dset(g, "sublattice", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n, lat->sub, NULL,
                         "sublattice index of each site (names in attribute sublattice_names)");
    if (ok) ok = h5_dset(g, "wyckoff", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n, lat->wyckoff, NULL,
                         "index of the generating Wyckoff site in the lattice file");
    hsize_t n1 = n + 1, nh = (hsize_t)lat->nhops, ne = (hsize_t)lat->nexcl;
    if (ok) ok = h5_dset(g, "hop_start", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n1, lat->hop_start, NULL,
                         "CSR offsets: hops of site i are hop_nbr[hop_start[i]:hop_start[i+1]]");
    if (ok) ok = h5_dset(g, "hop_nbr", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &nh, lat->hop_nbr, NULL,
                         "hop target site");
    if (ok) { d2[0] = nh; d2[1] = 3;
        ok = h5_dset(g, "hop_vec_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->hop_vec_A, "angstrom",
                     "minimum-image displacement of each hop"); }
    if (ok) ok = h5_dset(g, "excl_start", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n1, lat->excl_start, NULL,
                         "CSR offsets of exclusion partners");
    if (ok) ok = h5_dset(g, "excl_nbr", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &ne, lat->excl_nbr, NULL,
                         "sites that may not be occupied together with site i");
    if (ok) { d2[0] = 3; d2[1] = 3;
        ok = h5_dset(g, "cell_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->cell_A, "angstrom",
                     "supercell vectors as rows"); }
    if (ok) ok = h5_dset(g, "unit_cell_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->unit_cell_A, "angstrom",
                         "conventional cell vectors as rows");
    if (ok) ok = h5_attr_strs(g, "sublattice_names", (const char (*)[16])lat->subname, lat->nsub);
    if (ok) ok = h5_attr_int(g, "cells", lat->cells, 3);
    if (ok) ok = h5_attr_int(g, "sites_per_cell", &lat->sites_per_cell, 1);
    if (ok) ok = h5_attr_int(g, "max_occupancy", &lat->max_occupancy, 1);
    if (ok) ok = h5_attr_dbl(g, "hop_cutoff_A", lat->hop_cutoff_A);
    if (ok) ok = h5_attr_dbl(g, "hop_min_A", lat->hop_min_A);
    if (ok) ok = h5_attr_dbl(g, "exclusion_cutoff_A", lat->exclusion_cutoff_A);
    if (ok) {
        hid_t d = H5Dopen2(g, "sublattice", H5P_DEFAULT);
        ok = d >= 0 && h5_attr_strs(d, "sublattice_names", (const char (*)[16])lat->subname, lat->nsub);
        if (d >= 0) H5Dclose(d);
    }
    if (g >= 0) H5Gclose(g);
    if (H5Fclose(f) < 0) ok = 0;
    if (!ok) {
        remove(part);
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: writing the lattice to HDF5 failed", part);
        goto out;
    }
    if (rename(part, path) != 0) {
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot rename to %s: %s", part, path, strerror(errno));
        remove(part);
    }
out:
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    free(part);
    return st;
}

