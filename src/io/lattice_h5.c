/* lattice_h5.c - a built lattice's hop graph as HDF5 (io layer, lattice_h5.h).
 * Lengths are stored in metres (SI, like every lihop file), converted from
 * the model's angstrom here. */
#include <errno.h>
#include <hdf5.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "h5util.h"
#include "lattice_h5.h"
#include "provenance.h"

/* The lattice file keeps its fixed-length string attributes. */
static int attr_text(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, const char *value)
{
    return lihop_h5i_attr_fixstr(c, obj, objname, name, strlen(value) + 1, -1, value);
}

static int attr_subnames(lihop_h5i_ctx *c, hid_t obj, const char *objname, const lihop_lattice *lat)
{
    return lihop_h5i_attr_fixstr(c, obj, objname, "sublattice_names", 16, lat->nsub, lat->subname);
}

#define A_TO_M 1e-10

/* n values in angstrom as metres (malloc'd), or NULL without memory. */
static double *to_m(const double *a, size_t n)
{
    double *m = malloc((n > 0 ? n : 1) * sizeof *m);
    for (size_t i = 0; m && i < n; i++)
        m[i] = a[i] * A_TO_M;
    return m;
}

/* Dataset /lattice/name with optional unit and a description. */
static int lat_dset(lihop_h5i_ctx *c, hid_t g, const char *name, int is_f64, int rank, const hsize_t *dims,
                    const void *data, const char *unit, const char *desc)
{
    char obj[64];
    snprintf(obj, sizeof obj, "/lattice/%s", name);
    hid_t d = lihop_h5i_dset_create(c, g, obj, name, is_f64 ? H5T_IEEE_F64LE : H5T_STD_I32LE,
                                    is_f64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT32, rank, dims, data);
    if (d < 0)
        return -1;
    int rc = (unit && attr_text(c, d, obj, "unit", unit) < 0) || attr_text(c, d, obj, "description", desc) < 0
                 ? -1 : 0;
    H5Dclose(d);
    return rc;
}

static int write_sites(lihop_h5i_ctx *c, hid_t g, const lihop_lattice *lat)
{
    hsize_t n = (hsize_t)lat->nsites, d2[2] = {n, 3};
    double *pos = to_m(lat->pos_A, 3 * (size_t)n);
    if (!pos)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory writing /lattice/positions_m");
    int rc = lat_dset(c, g, "positions_m", 1, 2, d2, pos, "m", "Cartesian site positions inside the supercell");
    free(pos);
    if (rc < 0 ||
        lat_dset(c, g, "sublattice", 0, 1, &n, lat->sub, NULL,
                 "sublattice index of each site (names in attribute sublattice_names)") < 0 ||
        lat_dset(c, g, "wyckoff", 0, 1, &n, lat->wyckoff, NULL,
                 "index of the generating Wyckoff site in the lattice file") < 0)
        return -1;
    return 0;
}

/* The supercell and conventional cell vectors, in metres. */
static int write_cells(lihop_h5i_ctx *c, hid_t g, const lihop_lattice *lat)
{
    hsize_t d33[2] = {3, 3};
    double cell[9], unit[9];
    for (int i = 0; i < 9; i++) {
        cell[i] = lat->cell_A[i / 3][i % 3] * A_TO_M;
        unit[i] = lat->unit_cell_A[i / 3][i % 3] * A_TO_M;
    }
    if (lat_dset(c, g, "cell_m", 1, 2, d33, cell, "m", "supercell vectors as rows") < 0 ||
        lat_dset(c, g, "unit_cell_m", 1, 2, d33, unit, "m", "conventional cell vectors as rows") < 0)
        return -1;
    return 0;
}

static int write_graph(lihop_h5i_ctx *c, hid_t g, const lihop_lattice *lat)
{
    hsize_t n1 = (hsize_t)lat->nsites + 1, nh = (hsize_t)lat->nhops, ne = (hsize_t)lat->nexcl;
    hsize_t dh[2] = {nh, 3};
    double *vec = to_m(lat->hop_vec_A, 3 * (size_t)nh);
    if (!vec)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory writing /lattice/hop_vec_m");
    int rc = lat_dset(c, g, "hop_vec_m", 1, 2, dh, vec, "m", "minimum-image displacement of each hop");
    free(vec);
    if (rc < 0 ||
        lat_dset(c, g, "hop_start", 0, 1, &n1, lat->hop_start, NULL,
                 "CSR offsets: hops of site i are hop_nbr[hop_start[i]:hop_start[i+1]]") < 0 ||
        lat_dset(c, g, "hop_nbr", 0, 1, &nh, lat->hop_nbr, NULL, "hop target site") < 0 ||
        lat_dset(c, g, "excl_start", 0, 1, &n1, lat->excl_start, NULL, "CSR offsets of exclusion partners") < 0 ||
        lat_dset(c, g, "excl_nbr", 0, 1, &ne, lat->excl_nbr, NULL,
                 "sites that may not be occupied together with site i") < 0 ||
        write_cells(c, g, lat) < 0)
        return -1;
    return 0;
}

static int write_attrs(lihop_h5i_ctx *c, hid_t g, const lihop_lattice *lat)
{
    const char *o = "/lattice";
    if (attr_subnames(c, g, o, lat) < 0 ||
        lihop_h5i_attr_write(c, g, o, "cells", H5T_NATIVE_INT, H5T_NATIVE_INT, 3, lat->cells) < 0 ||
        lihop_h5i_attr_write(c, g, o, "sites_per_cell", H5T_NATIVE_INT, H5T_NATIVE_INT, -1, &lat->sites_per_cell) < 0 ||
        lihop_h5i_attr_write(c, g, o, "max_occupancy", H5T_NATIVE_INT, H5T_NATIVE_INT, -1, &lat->max_occupancy) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "hop_cutoff_m", lat->hop_cutoff_A * A_TO_M) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "hop_min_m", lat->hop_min_A * A_TO_M) < 0 ||
        lihop_h5i_attr_f64(c, g, o, "exclusion_cutoff_m", lat->exclusion_cutoff_A * A_TO_M) < 0)
        return -1;
    hid_t d = H5Dopen2(g, "sublattice", H5P_DEFAULT);
    int rc = d >= 0 && attr_subnames(c, d, "/lattice/sublattice", lat) == 0 ? 0 : -1;
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* The whole /lattice group into `part`; 0 or -1 (the detail is dropped: the
 * caller reports one message). */
static int write_file(const char *part, const lihop_lattice *lat, const lihop_provenance *prov)
{
    lihop_err scratch;
    lihop_h5i_ctx c = {part, &scratch, LIHOP_OK};
    hid_t f = H5Fcreate(part, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return -2;
    hid_t g = H5Gcreate2(f, "lattice", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = g >= 0 && write_sites(&c, g, lat) == 0 && write_graph(&c, g, lat) == 0 && write_attrs(&c, g, lat) == 0 &&
             lihop_h5i_write_provenance(&c, f, LIHOP_PROV_LATTICE, prov) == 0;
    if (g >= 0)
        H5Gclose(g);
    if (H5Fclose(f) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

lihop_status lihop_lattice_write_h5(const lihop_lattice *lat, const char *path, lihop_err *err)
{
    return lihop_lattice_write_h5_prov(lat, path, NULL, err);
}

lihop_status lihop_lattice_write_h5_prov(const lihop_lattice *lat, const char *path, const lihop_provenance *prov,
                                         lihop_err *err)
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
    int w = write_file(part, lat, prov);
    if (w == -2) {
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot create HDF5 file", part);
    } else if (w < 0) {
        remove(part);
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: writing the lattice to HDF5 failed", part);
    } else if (rename(part, path) != 0) {
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot rename to %s: %s", part, path, strerror(errno));
        remove(part);
    }
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    free(part);
    return st;
}
