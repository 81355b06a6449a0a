/* h5util.h - HDF5 helpers of the io layer (h5util.c), shared by the results
 * file (h5out.c, results_*.c), microstructures (micro_h5.c) and lattice graphs
 * (lattice_h5.c); not API.  Include <hdf5.h> first.
 *
 * Each int helper returns 0 on success, -1 on failure after recording the
 * first failure in the context as "FILE: what (HDF5: innermost HDF5 reason)";
 * objname is the object's path as messages name it. */
#ifndef LIHOP_H5UTIL_H
#define LIHOP_H5UTIL_H

#include "micro.h"
#include "status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *file;
    lihop_err *err;
    lihop_status st;                /* LIHOP_OK until the first failure */
} lihop_h5i_ctx;

int lihop_h5i_fail(lihop_h5i_ctx *c, lihop_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
hid_t lihop_h5i_str_type(void);     /* variable-length UTF-8 string; caller closes */

/* Create (replacing) attribute `name` of file type ftype from buf (memory type
 * mtype); n < 0: scalar, else 1-D of n. */
int lihop_h5i_attr_write(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, hid_t ftype,
                         hid_t mtype, int n, const void *buf);
int lihop_h5i_attr_str(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                       const char *value);
int lihop_h5i_attr_strs(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name,
                        int n, const char *const *values);
/* Fixed-length NUL-terminated strings of `width` bytes each (n < 0: one). */
int lihop_h5i_attr_fixstr(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, size_t width,
                          int n, const void *buf);
int lihop_h5i_attr_f64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, double v);
/* Scalar float64 attributes in order (stops at the first failure). */
typedef struct {
    const char *name;
    double v;
} lihop_h5i_f64;
int lihop_h5i_attr_f64s(lihop_h5i_ctx *c, hid_t obj, const char *objname, const lihop_h5i_f64 *v, int n);
int lihop_h5i_attr_i32(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int v);
int lihop_h5i_attr_i64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int64_t v);
int lihop_h5i_attr_u64(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, uint64_t v);
/* 1-D int32 attribute of n <= 8 values. */
int lihop_h5i_attr_i32s(lihop_h5i_ctx *c, hid_t obj, const char *objname, const char *name, int n,
                        const int *v);
/* A scalar string attribute (variable or fixed length) in malloc'd memory, or NULL. */
char *lihop_h5i_read_attr_str(hid_t obj, const char *name);

/* Contiguous dataset loc/name written from buf; returns it open (caller
 * closes), or a negative id after recording the failure. */
hid_t lihop_h5i_dset_create(lihop_h5i_ctx *c, hid_t loc, const char *obj, const char *name, hid_t ftype,
                            hid_t mtype, int rank, const hsize_t *dims, const void *buf);
/* The same, closed, with a `unit` attribute unless unit is NULL; locname is
 * loc's path ("/" for the file). */
int lihop_h5i_dset_write(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name, hid_t ftype,
                         hid_t mtype, int rank, const hsize_t *dims, const void *buf, const char *unit);
int lihop_h5i_dset_f64(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name, int rank,
                       const hsize_t *dims, const double *buf, const char *unit);
int lihop_h5i_make_group(lihop_h5i_ctx *c, hid_t loc, const char *name, hid_t *out);

/* uint8 [nz][ny][nx] dataset `dsname` under loc, gzip-chunked, with attributes
 * unit = "1", voxel_size_m and (if phase_names) phase_names. */
int lihop_h5i_write_grid(lihop_h5i_ctx *c, hid_t loc, const char *dsname, const lihop_micro *m,
                         const char *const *phase_names);

#endif
