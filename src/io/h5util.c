/* h5util.c - HDF5 helpers of the io layer (h5util.h): failures with HDF5's own
 * reason, attributes, datasets, groups and the phase grid. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <hdf5.h>

#include "h5util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static herr_t innermost_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    char *buf = data;
    if (n == 0 && e && e->desc) {
        /* File-driver failures read "unable to open file: name = '...', errno = 2,
         * error message = 'No such file or directory', flags = ..."; keep the reason. */
        const char *m = strstr(e->desc, "error message = '");
        const char *q = m ? strchr(m + 17, '\'') : NULL;
        if (m && q)
            snprintf(buf, 400, "%.*s", (int)(q - (m + 17)), m + 17);
        else
            snprintf(buf, 400, "%s", e->desc);
    }
    return 0;
}

int lihop_h5i_fail(lihop_h5i_ctx *c, lihop_status st, const char *fmt, ...)
{
    /* Read HDF5's error stack before any other HDF5 call clears it. */
    char reason[400] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_cb, reason);
    if (c->st != LIHOP_OK)
        return -1;                  /* keep the first failure */
    char what[LIHOP_MSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (reason[0])
        lihop_fail(c->err, st, "%s: %s (HDF5: %s)", c->file, what, reason);
    else
        lihop_fail(c->err, st, "%s: %s", c->file, what);
    c->st = st;
    return -1;
}

hid_t lihop_h5i_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Create (replacing) attribute `name`; n < 0: scalar, else 1-D of n. */
int lihop_h5i_attr_write(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                         hid_t ftype, hid_t mtype, int n, const void *buf)
{
    hid_t sp = H5I_INVALID_HID, a = H5I_INVALID_HID;
    int rc = -1;
    htri_t ex = H5Aexists(obj, name);
    if (ex < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query attribute '%s' of '%s'", name, objname);
        goto done;
    }
    if (ex > 0 && H5Adelete(obj, name) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot replace attribute '%s' of '%s'", name, objname);
        goto done;
    }
    if (n < 0) {
        sp = H5Screate(H5S_SCALAR);
    } else {
        hsize_t d = (hsize_t)n;
        sp = H5Screate_simple(1, &d, NULL);
    }
    if (sp < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot create dataspace for attribute '%s' of '%s'",
                       name, objname);
        goto done;
    }
    a = H5Acreate2(obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || (n != 0 && H5Awrite(a, mtype, buf) < 0)) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write attribute '%s' of '%s'", name, objname);
        goto done;
    }
    rc = 0;
done:
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

int lihop_h5i_attr_strs(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                        int n, const char *const *values)
{
    const char **v = malloc(sizeof *v * (size_t)(n > 0 ? n : 1));
    hid_t t = lihop_h5i_str_type();
    int rc = -1;
    if (!v || t < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory writing attribute '%s' of '%s'", name,
                       objname);
        goto done;
    }
    for (int i = 0; i < n; i++)
        v[i] = (values && values[i]) ? values[i] : "";
    rc = lihop_h5i_attr_write(c, obj, objname, name, t, t, n, v);
done:
    if (t >= 0)
        H5Tclose(t);
    free(v);
    return rc;
}

int lihop_h5i_attr_str(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                       const char *value)
{
    const char *v = value ? value : "";
    hid_t t = lihop_h5i_str_type();
    if (t < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot create string type");
    int rc = lihop_h5i_attr_write(c, obj, objname, name, t, t, -1, &v);
    H5Tclose(t);
    return rc;
}

int lihop_h5i_attr_f64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, double v)
{
    return lihop_h5i_attr_write(c, obj, objname, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, -1, &v);
}

int lihop_h5i_attr_f64s(lihop_h5i_ctx *c, hid_t obj, const char *objname, const lihop_h5i_f64 *v, int n)
{
    for (int i = 0; i < n; i++)
        if (lihop_h5i_attr_f64(c, obj, objname, v[i].name, v[i].v) < 0)
            return -1;
    return 0;
}

int lihop_h5i_attr_i32(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int v)
{
    int32_t x = (int32_t)v;
    return lihop_h5i_attr_write(c, obj, objname, name, H5T_STD_I32LE, H5T_NATIVE_INT32, -1, &x);
}

int lihop_h5i_attr_i64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int64_t v)
{
    return lihop_h5i_attr_write(c, obj, objname, name, H5T_STD_I64LE, H5T_NATIVE_INT64, -1, &v);
}

int lihop_h5i_attr_u64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, uint64_t v)
{
    return lihop_h5i_attr_write(c, obj, objname, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, -1, &v);
}

int lihop_h5i_attr_i32s(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int n,
                        const int *v)
{
    int32_t x[8];
    for (int i = 0; i < n && i < 8; i++)
        x[i] = (int32_t)v[i];
    return lihop_h5i_attr_write(c, obj, objname, name, H5T_STD_I32LE, H5T_NATIVE_INT32, n, x);
}

int lihop_h5i_attr_fixstr(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, size_t width,
                          int n, const void *buf)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0 || H5Tset_size(t, width) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0) {
        if (t >= 0)
            H5Tclose(t);
        return lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot create string type");
    }
    int rc = lihop_h5i_attr_write(c, obj, objname, name, t, t, n, buf);
    H5Tclose(t);
    return rc;
}

/* A variable-length string attribute a, copied. */
static char *read_vlen_str(hid_t a)
{
    char *out = NULL, *v = NULL;
    hid_t mt = lihop_h5i_str_type();
    if (mt >= 0 && H5Aread(a, mt, &v) >= 0) {
        out = strdup(v ? v : "");
        if (v)
            H5free_memory(v);
    }
    if (mt >= 0)
        H5Tclose(mt);
    return out;
}

/* A fixed-length string attribute a of file type ft, NUL-terminated. */
static char *read_fixed_str(hid_t a, hid_t ft)
{
    size_t len = H5Tget_size(ft);
    hid_t mt = H5Tcopy(ft);
    char *v = calloc(len + 1, 1), *out = NULL;
    if (v && mt >= 0 && H5Aread(a, mt, v) >= 0) {
        out = v;
        v = NULL;
    }
    free(v);
    if (mt >= 0)
        H5Tclose(mt);
    return out;
}

char *lihop_h5i_read_attr_str(hid_t obj, const char *name)
{
    char *out = NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t ft = H5Aget_type(a);
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING)
        out = H5Tis_variable_str(ft) > 0 ? read_vlen_str(a) : read_fixed_str(a, ft);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return out;
}

hid_t lihop_h5i_dset_create(lihop_h5i_ctx *c, hid_t loc, const char *obj, const char *name, hid_t ftype,
                            hid_t mtype, int rank, const hsize_t *dims, const void *buf)
{
    hsize_t nel = 1;
    for (int i = 0; i < rank; i++)
        nel *= dims[i];
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    if (sp < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot create dataspace for '%s'", obj);
        return H5I_INVALID_HID;
    }
    hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || (nel > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write dataset '%s'", obj);
        if (d >= 0)
            H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    H5Sclose(sp);
    return d;
}

int lihop_h5i_dset_write(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name, hid_t ftype,
                         hid_t mtype, int rank, const hsize_t *dims, const void *buf, const char *unit)
{
    char obj[512];
    snprintf(obj, sizeof obj, "%s/%s", strcmp(locname, "/") ? locname : "", name);
    hid_t d = lihop_h5i_dset_create(c, loc, obj, name, ftype, mtype, rank, dims, buf);
    if (d < 0)
        return -1;
    int rc = unit ? lihop_h5i_attr_str(c, d, obj, "unit", unit) : 0;
    H5Dclose(d);
    return rc;
}

int lihop_h5i_dset_f64(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name, int rank,
                       const hsize_t *dims, const double *buf, const char *unit)
{
    return lihop_h5i_dset_write(c, loc, locname, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, buf, unit);
}

int lihop_h5i_make_group(lihop_h5i_ctx *c, hid_t loc, const char *name, hid_t *out)
{
    *out = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (*out < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create group '%s'", name);
    return 0;
}

int lihop_h5i_write_grid(lihop_h5i_ctx *c, hid_t loc, const char *dsname, const lihop_micro *m,
                         const char *const *phase_names)
{
    hsize_t dims[3] = {(hsize_t)m->n[2], (hsize_t)m->n[1], (hsize_t)m->n[0]};
    hsize_t chunk[3];
    for (int i = 0; i < 3; i++)
        chunk[i] = dims[i] < 64 ? (dims[i] > 0 ? dims[i] : 1) : 64;
    hid_t sp = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, lcpl = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int rc = -1;
    sp = H5Screate_simple(3, dims, NULL);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (sp < 0 || dcpl < 0 || lcpl < 0 || H5Pset_create_intermediate_group(lcpl, 1) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set up dataset '%s'", dsname);
        goto done;
    }
    if (dims[0] * dims[1] * dims[2] > 0) {
        if (H5Pset_chunk(dcpl, 3, chunk) < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set chunking of '%s'", dsname);
            goto done;
        }
        if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Pset_deflate(dcpl, 4) < 0) {
            lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set gzip on '%s'", dsname);
            goto done;
        }
    }
    d = H5Dcreate2(loc, dsname, H5T_STD_U8LE, sp, lcpl, dcpl, H5P_DEFAULT);
    if (d < 0 || (dims[0] * dims[1] * dims[2] > 0 &&
                  H5Dwrite(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, m->phase) < 0)) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write dataset '%s'", dsname);
        goto done;
    }
    if (lihop_h5i_attr_str(c, d, dsname, "unit", "1") < 0 ||
        lihop_h5i_attr_f64(c, d, dsname, "voxel_size_m", m->voxel_m) < 0)
        goto done;
    if (phase_names && lihop_h5i_attr_strs(c, d, dsname, "phase_names", m->nphases, phase_names) < 0)
        goto done;
    rc = 0;
done:
    if (d >= 0)
        H5Dclose(d);
    if (lcpl >= 0)
        H5Pclose(lcpl);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}
