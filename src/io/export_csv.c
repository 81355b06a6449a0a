/* export_csv.c - /summary as CSV (export_csv.h). */
#include <hdf5.h>

#include "export_csv.h"
#include "h5util.h"
#include "results_open.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The columns of /summary as read: every member widened to 8 bytes. */
typedef struct {
    int n;
    char **name;         /* member names (H5free_memory) */
    char **unit;         /* units[i] or NULL (H5free_memory) */
    H5T_class_t *cls;    /* H5T_FLOAT or H5T_INTEGER */
    int *is_signed;
    hid_t mtype;         /* memory compound: member i at offset 8 i */
} csv_cols;

static void cols_free(csv_cols *c)
{
    for (int i = 0; i < c->n; i++) {
        if (c->name)
            H5free_memory(c->name[i]);
        if (c->unit && c->unit[i])
            H5free_memory(c->unit[i]);
    }
    free(c->name);
    free(c->unit);
    free(c->cls);
    free(c->is_signed);
    if (c->mtype >= 0)
        H5Tclose(c->mtype);
}

/* The `units` attribute (one string per column); leaves unit[] NULL when it is
 * absent or does not match the columns, so the header then has bare names. */
static void read_units(hid_t d, csv_cols *c)
{
    if (H5Aexists(d, "units") <= 0)
        return;
    hid_t a = H5Aopen(d, "units", H5P_DEFAULT), sp = a >= 0 ? H5Aget_space(a) : -1;
    hid_t st = lihop_h5i_str_type();
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (n == c->n && st >= 0 && H5Aread(a, st, c->unit) < 0)
        memset(c->unit, 0, (size_t)c->n * sizeof *c->unit);
    if (st >= 0)
        H5Tclose(st);
    if (sp >= 0)
        H5Sclose(sp);
    if (a >= 0)
        H5Aclose(a);
}

static lihop_status read_cols(hid_t d, const char *path, csv_cols *c, lihop_err *err)
{
    hid_t ft = H5Dget_type(d);
    if (ft < 0 || H5Tget_class(ft) != H5T_COMPOUND) {
        if (ft >= 0)
            H5Tclose(ft);
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: '/summary' is not a table (compound dataset)", path);
    }
    c->n = H5Tget_nmembers(ft);
    c->name = calloc((size_t)c->n, sizeof *c->name);
    c->unit = calloc((size_t)c->n, sizeof *c->unit);
    c->cls = calloc((size_t)c->n, sizeof *c->cls);
    c->is_signed = calloc((size_t)c->n, sizeof *c->is_signed);
    c->mtype = H5Tcreate(H5T_COMPOUND, 8 * (size_t)(c->n > 0 ? c->n : 1));
    lihop_status st = LIHOP_OK;
    if (!c->name || !c->unit || !c->cls || !c->is_signed)
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory reading '/summary' of %s", path);
    for (int i = 0; !st && i < c->n; i++) {
        hid_t mt = H5Tget_member_type(ft, (unsigned)i);
        c->name[i] = H5Tget_member_name(ft, (unsigned)i);
        c->cls[i] = H5Tget_class(mt);
        c->is_signed[i] = c->cls[i] == H5T_INTEGER && H5Tget_sign(mt) == H5T_SGN_2;
        hid_t native = c->cls[i] == H5T_FLOAT ? H5T_NATIVE_DOUBLE
                       : c->is_signed[i]      ? H5T_NATIVE_LLONG
                                              : H5T_NATIVE_ULLONG;
        if (c->cls[i] != H5T_FLOAT && c->cls[i] != H5T_INTEGER)
            st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: '/summary' column '%s' is neither a number nor an integer",
                            path, c->name[i] ? c->name[i] : "?");
        else if (H5Tinsert(c->mtype, c->name[i], 8 * (size_t)i, native) < 0)
            st = lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: cannot set up column '%s'", path, c->name[i]);
        H5Tclose(mt);
    }
    H5Tclose(ft);
    if (!st)
        read_units(d, c);
    return st;
}

/* One CSV field; quoted (RFC 4180) only when it holds a comma, quote or newline. */
static void put_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void put_header(FILE *out, const csv_cols *c)
{
    for (int i = 0; i < c->n; i++) {
        char buf[512];
        if (c->unit[i])
            snprintf(buf, sizeof buf, "%s [%s]", c->name[i], c->unit[i]);
        else
            snprintf(buf, sizeof buf, "%s", c->name[i]);
        if (i)
            fputc(',', out);
        put_field(out, buf);
    }
    fputc('\n', out);
}

/* One value: 17 significant digits round-trip a double; NaN has one spelling. */
static void put_value(FILE *out, const csv_cols *c, int i, const unsigned char *cell)
{
    if (c->cls[i] == H5T_FLOAT) {
        double v;
        memcpy(&v, cell, 8);
        if (isnan(v))
            fputs("nan", out);
        else if (isinf(v))
            fputs(v > 0 ? "inf" : "-inf", out);
        else
            fprintf(out, "%.17g", v);
    } else if (c->is_signed[i]) {
        long long v;
        memcpy(&v, cell, 8);
        fprintf(out, "%lld", v);
    } else {
        unsigned long long v;
        memcpy(&v, cell, 8);
        fprintf(out, "%llu", v);
    }
}

static lihop_status write_rows(hid_t d, const char *path, const csv_cols *c, FILE *out, lihop_csv_info *info,
                               lihop_err *err)
{
    hid_t sp = H5Dget_space(d);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (n < 0)
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot read the size of '/summary'", path);
    size_t row = 8 * (size_t)(c->n > 0 ? c->n : 1);
    unsigned char *buf = malloc(row * (size_t)(n > 0 ? n : 1));
    if (!buf)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory reading '/summary' of %s (%lld rows)", path,
                          (long long)n);
    if (n > 0 && H5Dread(d, c->mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot read '/summary'", path);
    }
    put_header(out, c);
    for (hssize_t r = 0; r < n; r++) {
        for (int i = 0; i < c->n; i++) {
            if (i)
                fputc(',', out);
            put_value(out, c, i, buf + (size_t)r * row + 8 * (size_t)i);
        }
        fputc('\n', out);
    }
    free(buf);
    info->nrows = (long long)n;
    info->ncols = c->n;
    return LIHOP_OK;
}

/* Open path, checking that it is a lihop results file with a /summary table. */
static lihop_status open_results(const char *path, hid_t *f, lihop_csv_info *info, lihop_err *err)
{
    lihop_results_id id;
    lihop_status st = lihop_results_open_ro(path, f, &id, err);
    if (st)
        return st;
    snprintf(info->status, sizeof info->status, "%s", id.status);
    if (H5Lexists(*f, "/summary", H5P_DEFAULT) <= 0) {
        H5Fclose(*f);
        *f = H5I_INVALID_HID;
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s has no /summary table (a lihop micro or lattice file?)", path);
    }
    return LIHOP_OK;
}

lihop_status lihop_export_csv(const char *h5_path, FILE *out, const char *out_label, lihop_csv_info *info,
                              lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);   /* failures come back as messages, not HDF5 traces */
    memset(info, 0, sizeof *info);
    hid_t f = H5I_INVALID_HID;
    lihop_status st = open_results(h5_path, &f, info, err);
    if (st)
        return st;
    csv_cols c = {0, NULL, NULL, NULL, NULL, H5I_INVALID_HID};
    hid_t d = H5Dopen2(f, "/summary", H5P_DEFAULT);
    if (d < 0)
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot open '/summary'", h5_path);
    if (!st)
        st = read_cols(d, h5_path, &c, err);
    if (!st)
        st = write_rows(d, h5_path, &c, out, info, err);
    if (!st && (fflush(out) != 0 || ferror(out)))
        st = lihop_fail(err, LIHOP_ERR_IO, "cannot write %s: %s", out_label, strerror(errno));
    cols_free(&c);
    if (d >= 0)
        H5Dclose(d);
    H5Fclose(f);
    return st;
}
