/* micro_h5.c - voxel microstructures from and to HDF5 (+ XDMF sidecar).
 *
 * Datasets are stored in C order (z, y, x): the fastest index is x, matching
 * lihop_micro's index x + n0*(y + n1*z), so n[0] is the size of the last
 * dimension. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <hdf5.h>

#include "h5util.h"
#include "micro_h5.h"
#include "percolation_h5.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- reading ----------------------------------------------------------------------- */

#ifndef LIHOP_MICRO_READ_SLAB_VOXELS
#define LIHOP_MICRO_READ_SLAB_VOXELS ((size_t)8 << 20)    /* voxels per read (64 MiB of int64) */
#endif

typedef struct {
    int value, phase;
} label_pair;

static int cmp_label(const void *a, const void *b)
{
    int x = ((const label_pair *)a)->value, y = ((const label_pair *)b)->value;
    return (x > y) - (x < y);
}

/* Index into the sorted map, or -1 (every label value fits an int). */
static int find_label(const label_pair *map, int n, int64_t v)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (map[mid].value == v)
            return mid;
        if (map[mid].value < v)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Phases of voxels [first, first + n) from their labels in buf (read as
 * uint64 when is_unsigned); 0, or -1 with the message of an unknown label. */
static int map_slab(lihop_h5i_ctx *c, const char *dataset, const label_pair *map, int nlabels,
                    const int64_t *buf, int is_unsigned, lihop_micro *m, size_t first, size_t n)
{
    int64_t last = map[0].value;
    int last_phase = map[0].phase;
    for (size_t i = 0; i < n; i++) {
        int64_t v = buf[i];
        int big = is_unsigned && (uint64_t)v > (uint64_t)INT64_MAX;
        if (v != last || big) {
            int j = big ? -1 : find_label(map, nlabels, v);
            if (j < 0) {
                size_t g = first + i, n0 = (size_t)m->n[0], plane = n0 * (size_t)m->n[1];
                char known[256] = "", val[32];
                size_t len = 0;
                for (int k = 0; k < nlabels && len + 16 < sizeof known; k++)
                    if (k == 0 || map[k].value != map[k - 1].value)
                        len += (size_t)snprintf(known + len, sizeof known - len, "%s%d", len ? ", " : "",
                                                map[k].value);
                if (is_unsigned)
                    snprintf(val, sizeof val, "%llu", (unsigned long long)(uint64_t)v);
                else
                    snprintf(val, sizeof val, "%lld", (long long)v);
                lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                               "dataset '%s': voxel (x,y,z) = (%zu,%zu,%zu) has label %s, "
                               "which the label map does not list (labels: %s)",
                               dataset, g % n0, (g / n0) % (size_t)m->n[1], g / plane, val, known);
                return -1;
            }
            last = v;
            last_phase = map[j].phase;
        }
        m->phase[first + i] = (uint8_t)last_phase;
    }
    return 0;
}

lihop_status lihop_micro_read_h5(const char *path, const char *dataset, int nlabels,
                                 const int *label_value, const int *label_phase, int nphases,
                                 double voxel_m, lihop_micro **out, lihop_err *err)
{
    return lihop_micro_read_h5_box(path, dataset, NULL, nlabels, label_value, label_phase, nphases,
                                   voxel_m, out, err);
}

/* The label map sorted by value; every phase in 0..nphases-1 and no label
 * mapped to two phases. */
static lihop_status build_label_map(const char *path, const char *dataset, int nlabels, const int *label_value,
                                    const int *label_phase, int nphases, label_pair *map, lihop_err *err)
{
    for (int i = 0; i < nlabels; i++) {
        if (label_phase[i] < 0 || label_phase[i] >= nphases)
            return lihop_fail(err, LIHOP_ERR_INPUT,
                              "%s: dataset '%s': label %d maps to phase %d, expected 0..%d", path,
                              dataset, label_value[i], label_phase[i], nphases - 1);
        map[i].value = label_value[i];
        map[i].phase = label_phase[i];
    }
    qsort(map, (size_t)nlabels, sizeof map[0], cmp_label);
    for (int i = 1; i < nlabels; i++)
        if (map[i].value == map[i - 1].value && map[i].phase != map[i - 1].phase)
            return lihop_fail(err, LIHOP_ERR_INPUT,
                              "%s: dataset '%s': label %d maps to two phases (%d and %d)", path,
                              dataset, map[i].value, map[i - 1].phase, map[i].phase);
    return LIHOP_OK;
}

/* The open label dataset and what reading it needs. */
typedef struct {
    hid_t f, d, t, sp, dcpl, msp;
    hsize_t dims[3];                /* z, y, x */
    int is_unsigned;
} label_file;

/* Close everything but the file. */
static void close_dataset(label_file *lf)
{
    if (lf->msp >= 0)
        H5Sclose(lf->msp);
    if (lf->dcpl >= 0)
        H5Pclose(lf->dcpl);
    if (lf->sp >= 0)
        H5Sclose(lf->sp);
    if (lf->t >= 0)
        H5Tclose(lf->t);
    if (lf->d >= 0)
        H5Dclose(lf->d);
    lf->msp = lf->dcpl = lf->sp = lf->t = lf->d = H5I_INVALID_HID;
}

/* Its shape: 3-D, each extent in 1..INT_MAX, not too large, and expect_n (x y z) when given. */
static int check_shape(lihop_h5i_ctx *c, const char *dataset, const hsize_t dims[3], const int expect_n[3])
{
    for (int i = 0; i < 3; i++)
        if (dims[i] < 1 || dims[i] > INT_MAX)
            return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "dataset '%s' has shape %llux%llux%llu (z,y,x)",
                                  dataset, (unsigned long long)dims[0], (unsigned long long)dims[1],
                                  (unsigned long long)dims[2]);
    if ((double)dims[0] * (double)dims[1] * (double)dims[2] > (double)(SIZE_MAX / 8))
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "dataset '%s' is too large", dataset);
    if (expect_n && (dims[2] != (hsize_t)expect_n[0] || dims[1] != (hsize_t)expect_n[1] ||
                     dims[0] != (hsize_t)expect_n[2]))
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                              "dataset '%s' is %llu x %llu x %llu voxels (x y z) but box_voxels says %d x %d x %d",
                              dataset, (unsigned long long)dims[2], (unsigned long long)dims[1],
                              (unsigned long long)dims[0], expect_n[0], expect_n[1], expect_n[2]);
    return 0;
}

/* Open the file and its integer label dataset, rank 3, of an acceptable shape. */
static int open_labels(lihop_h5i_ctx *c, const char *path, const char *dataset, const int expect_n[3],
                       label_file *lf)
{
    lf->f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (lf->f < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open as an HDF5 file");
    lf->d = H5Dopen2(lf->f, dataset, H5P_DEFAULT);
    if (lf->d < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "no dataset '%s' in the file", dataset);
    lf->t = H5Dget_type(lf->d);
    if (lf->t < 0 || H5Tget_class(lf->t) != H5T_INTEGER)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                              "dataset '%s' does not hold integers; expected integer phase labels", dataset);
    /* read 64-bit so that no label is clamped: its true value goes in messages */
    lf->is_unsigned = H5Tget_sign(lf->t) == H5T_SGN_NONE;
    lf->sp = H5Dget_space(lf->d);
    int rank = lf->sp >= 0 ? H5Sget_simple_extent_ndims(lf->sp) : -1;
    if (rank != 3)
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT, "dataset '%s' has rank %d; expected 3 (z, y, x)", dataset,
                              rank);
    H5Sget_simple_extent_dims(lf->sp, lf->dims, NULL);
    return check_shape(c, dataset, lf->dims, expect_n);
}

/* No voxel size given: take the one stored with the dataset. */
static int stored_voxel_size(lihop_h5i_ctx *c, const label_file *lf, const char *dataset, double *voxel_m)
{
    hid_t a = H5Aexists(lf->d, "voxel_size_m") > 0 ? H5Aopen(lf->d, "voxel_size_m", H5P_DEFAULT)
                                                  : H5I_INVALID_HID;
    herr_t e = a >= 0 ? H5Aread(a, H5T_NATIVE_DOUBLE, voxel_m) : -1;
    if (a >= 0)
        H5Aclose(a);
    if (e < 0 || !(*voxel_m > 0))
        return lihop_h5i_fail(c, LIHOP_ERR_INPUT,
                              "no voxel size given and dataset '%s' has no positive attribute "
                              "'voxel_size_m'", dataset);
    return 0;
}

static lihop_micro *new_micro(lihop_h5i_ctx *c, const hsize_t dims[3], double voxel_m, int nphases,
                              const char *dataset)
{
    lihop_micro *m = calloc(1, sizeof *m);       /* grain = NULL: labels carry no grains */
    size_t nvox = (size_t)dims[0] * (size_t)dims[1] * (size_t)dims[2];
    if (m)
        m->phase = malloc(nvox);
    if (!m || !m->phase) {
        free(m);
        lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory for %zu voxels of '%s'", nvox, dataset);
        return NULL;
    }
    m->n[0] = (int)dims[2];
    m->n[1] = (int)dims[1];
    m->n[2] = (int)dims[0];
    m->voxel_m = voxel_m;
    m->nphases = nphases;
    return m;
}

/* z-planes per read: about LIHOP_MICRO_READ_SLAB_VOXELS voxels, whole chunks
 * along z when chunked, so memory stays bounded for large grids. */
static hsize_t slab_planes(label_file *lf, size_t plane)
{
    hsize_t slab = (hsize_t)(LIHOP_MICRO_READ_SLAB_VOXELS / plane);
    if (slab < 1)
        slab = 1;
    lf->dcpl = H5Dget_create_plist(lf->d);
    if (lf->dcpl >= 0 && H5Pget_layout(lf->dcpl) == H5D_CHUNKED) {
        hsize_t cd[3];
        if (H5Pget_chunk(lf->dcpl, 3, cd) == 3 && cd[0] > 0)
            slab = (slab + cd[0] - 1) / cd[0] * cd[0];
    }
    return slab > lf->dims[0] ? lf->dims[0] : slab;
}

/* Every voxel's phase, read in slabs of whole z-planes. */
static int read_phases(lihop_h5i_ctx *c, label_file *lf, const char *dataset, const label_pair *map,
                       int nlabels, lihop_micro *m)
{
    const hsize_t *dims = lf->dims;
    size_t plane = (size_t)dims[2] * (size_t)dims[1];
    hsize_t slab = slab_planes(lf, plane);
    int64_t *buf = malloc(sizeof *buf * plane * (size_t)slab);
    if (!buf)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading '%s'", dataset);
    int rc = 0;
    for (hsize_t z0 = 0; z0 < dims[0] && rc == 0; z0 += slab) {
        hsize_t nz = dims[0] - z0 < slab ? dims[0] - z0 : slab;
        hsize_t start[3] = {z0, 0, 0}, count[3] = {nz, dims[1], dims[2]};
        lf->msp = H5Screate_simple(3, count, NULL);
        if (lf->msp < 0 || H5Sselect_hyperslab(lf->sp, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dread(lf->d, lf->is_unsigned ? H5T_NATIVE_UINT64 : H5T_NATIVE_INT64, lf->msp, lf->sp, H5P_DEFAULT,
                    buf) < 0) {
            rc = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot read dataset '%s' (z = %llu..%llu)", dataset,
                                (unsigned long long)z0, (unsigned long long)(z0 + nz - 1));
            break;
        }
        H5Sclose(lf->msp);
        lf->msp = H5I_INVALID_HID;
        rc = map_slab(c, dataset, map, nlabels, buf, lf->is_unsigned, m, plane * (size_t)z0, plane * (size_t)nz);
    }
    free(buf);
    return rc;
}

lihop_status lihop_micro_read_h5_box(const char *path, const char *dataset, const int expect_n[3],
                                     int nlabels, const int *label_value, const int *label_phase,
                                     int nphases, double voxel_m, lihop_micro **out, lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (out)
        *out = NULL;
    if (!path || !dataset || !out || (nlabels > 0 && (!label_value || !label_phase)))
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_micro_read_h5: NULL argument");
    if (nlabels < 1 || nlabels > LIHOP_MAX_LABELS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: dataset '%s': label map has %d entries (1..%d)",
                          path, dataset, nlabels, LIHOP_MAX_LABELS);
    if (nphases < 1 || nphases > LIHOP_MAX_PHASES)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: dataset '%s': %d phases (1..%d)", path, dataset,
                          nphases, LIHOP_MAX_PHASES);
    label_pair map[LIHOP_MAX_LABELS];
    lihop_status st = build_label_map(path, dataset, nlabels, label_value, label_phase, nphases, map, err);
    if (st != LIHOP_OK)
        return st;
    if (access(path, R_OK) != 0)
        return lihop_fail(err, LIHOP_ERR_IO, "cannot read microstructure file %s: %s", path,
                          strerror(errno));

    lihop_h5i_ctx c = {path, err, LIHOP_OK};
    label_file lf = {H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID,
                     H5I_INVALID_HID, {0, 0, 0}, 0};
    lihop_micro *m = NULL;
    if (open_labels(&c, path, dataset, expect_n, &lf) == 0 &&
        (voxel_m > 0 || stored_voxel_size(&c, &lf, dataset, &voxel_m) == 0) &&
        (m = new_micro(&c, lf.dims, voxel_m, nphases, dataset)) != NULL)
        read_phases(&c, &lf, dataset, map, nlabels, m);
    close_dataset(&lf);
    if (lf.f >= 0 && H5Fclose(lf.f) < 0 && c.st == LIHOP_OK)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot close the file");
    if (c.st != LIHOP_OK) {
        if (m)
            free(m->phase);
        free(m);
        return c.st;
    }
    *out = m;
    return LIHOP_OK;
}

/* ---- writing ------------------------------------------------------------------------ */

static void xml_escape(FILE *fp, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&apos;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

/* Shortest %g form that reads back as exactly v. */
static void fmt_double(char *buf, size_t len, double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* One cell attribute of the XDMF sidecar: an HDF5 dataset of the grid's shape. */
#define MICRO_MAX_FIELDS 64
typedef struct {
    char path[256];             /* dataset path in the file, with the leading '/' */
    const char *number_type;    /* XDMF NumberType */
    int precision;              /* bytes */
} cell_field;

typedef struct {
    int n[3];
    double voxel_m;
    int nfields;
    cell_field field[MICRO_MAX_FIELDS];
    int nphases;
    char *phase_names[LIHOP_MAX_PHASES];    /* malloc'd, from the phase dataset's attribute */
} xdmf_grid;

static void xdmf_grid_free(xdmf_grid *g)
{
    for (int p = 0; p < g->nphases; p++)
        free(g->phase_names[p]);
    g->nphases = 0;
}

static void write_xdmf_attribute(FILE *fp, const cell_field *f, const int n[3], const char *h5base)
{
    const char *name = strrchr(f->path, '/') + 1;
    fputs("      <Attribute Name=\"", fp);
    xml_escape(fp, name);
    fprintf(fp, "\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
                "        <DataItem Dimensions=\"%d %d %d\" NumberType=\"%s\" Precision=\"%d\" Format=\"HDF\">",
            n[2], n[1], n[0], f->number_type, f->precision);
    xml_escape(fp, h5base);
    fputs(":", fp);
    xml_escape(fp, f->path);
    fputs("</DataItem>\n      </Attribute>\n", fp);
}

/* The sidecar: a 3DCoRectMesh in metres, the phase names as Information
 * elements (phase id -> name) and every cell field as an Attribute. */
static int write_xdmf(const char *xpath, const xdmf_grid *g, const char *h5base)
{
    FILE *fp = fopen(xpath, "w");
    if (!fp)
        return -1;
    char h[40];
    fmt_double(h, sizeof h, g->voxel_m);
    fprintf(fp, "<?xml version=\"1.0\" ?>\n"
                "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
                "<Xdmf Version=\"3.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
                "  <Domain>\n"
                "    <Grid Name=\"microstructure\" GridType=\"Uniform\">\n"
                "      <!-- node counts and spacing in z y x order; lengths in metres -->\n"
                "      <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"%d %d %d\"/>\n"
                "      <Geometry GeometryType=\"ORIGIN_DXDYDZ\">\n"
                "        <DataItem Name=\"Origin\" Dimensions=\"3\" NumberType=\"Float\" "
                "Precision=\"8\" Format=\"XML\">0 0 0</DataItem>\n"
                "        <DataItem Name=\"Spacing\" Dimensions=\"3\" NumberType=\"Float\" "
                "Precision=\"8\" Format=\"XML\">%s %s %s</DataItem>\n"
                "      </Geometry>\n",
            g->n[2] + 1, g->n[1] + 1, g->n[0] + 1, h, h, h);
    if (g->nphases > 0)
        fputs("      <!-- the values of the cell attribute 'phase' and the phases they stand for -->\n", fp);
    for (int p = 0; p < g->nphases; p++) {
        fprintf(fp, "      <Information Name=\"phase %d\" Value=\"", p);
        xml_escape(fp, g->phase_names[p] ? g->phase_names[p] : "");
        fputs("\"/>\n", fp);
    }
    for (int k = 0; k < g->nfields; k++)
        write_xdmf_attribute(fp, &g->field[k], g->n, h5base);
    fputs("    </Grid>\n"
          "  </Domain>\n"
          "</Xdmf>\n", fp);
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        return -1;
    return 0;
}

/* XDMF NumberType and precision of an HDF5 type, or NULL if not a number. */
static const char *xdmf_number_type(hid_t t, int *precision)
{
    size_t size = H5Tget_size(t);
    *precision = (int)size;
    switch (H5Tget_class(t)) {
    case H5T_INTEGER:
        if (size == 1)
            return H5Tget_sign(t) == H5T_SGN_NONE ? "UChar" : "Char";
        return H5Tget_sign(t) == H5T_SGN_NONE ? "UInt" : "Int";
    case H5T_FLOAT: return "Float";
    default: return NULL;
    }
}

/* Add dataset `path` of f to g when it is a number grid of g's shape. */
static void add_cell_field(xdmf_grid *g, hid_t f, const char *path)
{
    for (int k = 0; k < g->nfields; k++)
        if (!strcmp(g->field[k].path, path))
            return;
    if (g->nfields == MICRO_MAX_FIELDS || strlen(path) >= sizeof g->field[0].path ||
        H5Oexists_by_name(f, path, H5P_DEFAULT) <= 0)
        return;
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return;
    hid_t sp = H5Dget_space(d), t = H5Dget_type(d);
    hsize_t dims[3];
    cell_field *cf = &g->field[g->nfields];
    if (sp >= 0 && t >= 0 && H5Sget_simple_extent_ndims(sp) == 3 && H5Sget_simple_extent_dims(sp, dims, NULL) == 3 &&
        dims[0] == (hsize_t)g->n[2] && dims[1] == (hsize_t)g->n[1] && dims[2] == (hsize_t)g->n[0] &&
        (cf->number_type = xdmf_number_type(t, &cf->precision)) != NULL) {
        snprintf(cf->path, sizeof cf->path, "%s%s", path[0] == '/' ? "" : "/", path);
        g->nfields++;
    }
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
}

/* Phase names from the phase dataset's attribute phase_names (absent: none). */
static void read_phase_names(xdmf_grid *g, hid_t f, const char *phase_ds)
{
    hid_t d = H5Dopen2(f, phase_ds, H5P_DEFAULT);
    hid_t a = d >= 0 && H5Aexists(d, "phase_names") > 0 ? H5Aopen(d, "phase_names", H5P_DEFAULT) : H5I_INVALID_HID;
    hid_t sp = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID, mt = lihop_h5i_str_type();
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : 0;
    char *names[LIHOP_MAX_PHASES];
    if (n > 0 && n <= LIHOP_MAX_PHASES && mt >= 0 && H5Aread(a, mt, names) >= 0) {
        for (int p = 0; p < (int)n; p++) {
            g->phase_names[p] = names[p] ? strdup(names[p]) : NULL;
            H5free_memory(names[p]);
        }
        g->nphases = (int)n;
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (a >= 0)
        H5Aclose(a);
    if (d >= 0)
        H5Dclose(d);
}

/* What the sidecar of file f lists: the phase dataset first, then every
 * other grid-shaped number dataset at the root (grain, extra fields). */
static void scan_grid(xdmf_grid *g, hid_t f, const char *phase_ds)
{
    read_phase_names(g, f, phase_ds);
    add_cell_field(g, f, phase_ds);
    H5G_info_t info;
    if (H5Gget_info(f, &info) < 0)
        return;
    for (hsize_t i = 0; i < info.nlinks; i++) {
        char path[260] = "/";
        if (H5Lget_name_by_idx(f, ".", H5_INDEX_NAME, H5_ITER_INC, i, path + 1, sizeof path - 1, H5P_DEFAULT) > 0 &&
            strlen(path) < sizeof path - 1)
            add_cell_field(g, f, path);
    }
}

/* gzip-chunked [nz][ny][nx] dataset `name` under loc from buf (memory type
 * mtype, file type ftype), with a unit attribute; 0 or -1. */
static int write_cell_dataset(lihop_h5i_ctx *c, hid_t loc, const char *name, const int n[3], hid_t ftype,
                              hid_t mtype, const void *buf, const char *unit)
{
    hsize_t dims[3] = {(hsize_t)n[2], (hsize_t)n[1], (hsize_t)n[0]}, chunk[3];
    for (int i = 0; i < 3; i++)
        chunk[i] = dims[i] < 64 ? dims[i] : 64;
    hid_t sp = H5Screate_simple(3, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), d = H5I_INVALID_HID;
    int rc = -1;
    if (sp < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 3, chunk) < 0 ||
        (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Pset_deflate(dcpl, 4) < 0))
        lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set up dataset '%s'", name);
    else if ((d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0 ||
             H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write dataset '%s'", name);
    else if (lihop_h5i_attr_str(c, d, name, "unit", unit) == 0)
        rc = 0;
    if (d >= 0)
        H5Dclose(d);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

/* The phase grid, grain ids (when the generator made grains) and the
 * percolation analysis into the open file f. */
static int write_contents(lihop_h5i_ctx *c, hid_t f, const lihop_micro *m, const char *dataset,
                          const char *const *phase_names)
{
    if (lihop_h5i_write_grid(c, f, dataset, m, phase_names) < 0)
        return -1;
    if (m->grain) {
        if (write_cell_dataset(c, f, "/grain", m->n, H5T_STD_I32LE, H5T_NATIVE_INT32, m->grain, "1") < 0)
            return -1;
        hid_t d = H5Dopen2(f, "/grain", H5P_DEFAULT);
        int rc = lihop_h5i_attr_i64(c, d, "/grain", "ngrains", m->ngrains);
        H5Dclose(d);
        if (rc < 0)
            return -1;
    }
    return lihop_h5i_write_percolation(c, f, "/", "percolation", m, phase_names);
}

/* Write the sidecar of the file at h5path (read back: what it lists is what the
 * file holds) to xpart; 0, or -1 with the failure in c. */
static int sidecar(lihop_h5i_ctx *c, const char *h5path, const char *xpart, const char *base, const lihop_micro *m,
                   const char *phase_ds)
{
    xdmf_grid g;
    memset(&g, 0, sizeof g);
    memcpy(g.n, m->n, sizeof g.n);
    g.voxel_m = m->voxel_m;
    hid_t f = H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot reopen %s", h5path);
    scan_grid(&g, f, phase_ds);
    H5Fclose(f);
    int rc = write_xdmf(xpart, &g, base);
    xdmf_grid_free(&g);
    if (rc < 0) {
        lihop_fail(c->err, LIHOP_ERR_IO, "cannot write %s: %s", xpart, strerror(errno));
        c->st = LIHOP_ERR_IO;
    }
    return rc;
}

/* The grid into `part` (HDF5) and its sidecar into `xpart`; 0, or -1 with the failure in c. */
static int write_parts(lihop_h5i_ctx *c, const lihop_micro *m, const char *part, const char *xpart,
                       const char *base, const char *dataset, const char *const *phase_names,
                       const lihop_provenance *prov)
{
    hid_t f = H5Fcreate(part, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create %s", part);
    if (write_contents(c, f, m, dataset, phase_names) < 0 ||
        lihop_h5i_write_provenance(c, f, LIHOP_PROV_MICRO, prov) < 0) {
        H5Fclose(f);
        return -1;
    }
    if (H5Fclose(f) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot close %s", part);
    return sidecar(c, part, xpart, base, m, dataset);
}

static int rename_part(lihop_h5i_ctx *c, const char *from, const char *to)
{
    if (rename(from, to) == 0)
        return 0;
    lihop_fail(c->err, LIHOP_ERR_IO, "cannot rename %s to %s: %s", from, to, strerror(errno));
    c->st = LIHOP_ERR_IO;
    return -1;
}

/* path.part, path.xdmf, path.xdmf.part and path's base name, or NULL. */
typedef struct {
    char *part, *xdmf, *xpart;
    const char *base;
} out_names;

static int out_names_make(out_names *o, const char *path)
{
    size_t plen = strlen(path);
    o->part = malloc(plen + 16);
    o->xdmf = malloc(plen + 16);
    o->xpart = malloc(plen + 16);
    if (!o->part || !o->xdmf || !o->xpart)
        return -1;
    sprintf(o->part, "%s.part", path);
    sprintf(o->xdmf, "%s.xdmf", path);
    sprintf(o->xpart, "%s.xdmf.part", path);
    o->base = strrchr(path, '/');
    o->base = o->base ? o->base + 1 : path;
    return 0;
}

static void out_names_free(out_names *o)
{
    free(o->part);
    free(o->xdmf);
    free(o->xpart);
}

/* Names the writer reserves at the file's root besides the phase dataset. */
static int reserved_name(const char *name)
{
    name += name[0] == '/';
    return !strcmp(name, "grain") || !strcmp(name, "percolation") || !strcmp(name, "metadata");
}

lihop_status lihop_micro_write_h5(const lihop_micro *m, const char *path, const char *dataset,
                                  const char *const *phase_names, lihop_err *err)
{
    return lihop_micro_write_h5_prov(m, path, dataset, phase_names, NULL, err);
}

lihop_status lihop_micro_write_h5_prov(const lihop_micro *m, const char *path, const char *dataset,
                                       const char *const *phase_names, const lihop_provenance *prov,
                                       lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!m || !path || !dataset || !m->phase)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_micro_write_h5: NULL argument");
    if (m->n[0] < 1 || m->n[1] < 1 || m->n[2] < 1 || m->nphases < 1 || m->nphases > LIHOP_MAX_PHASES)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: cannot write a %dx%dx%d grid of %d phases",
                          path, m->n[0], m->n[1], m->n[2], m->nphases);
    if (!dataset[0] || !strcmp(dataset, "/") || reserved_name(dataset))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: dataset name '%s' is empty or reserved (grain, percolation, metadata)",
                          path, dataset);
    out_names o;
    if (out_names_make(&o, path) < 0) {
        out_names_free(&o);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory writing %s", path);
    }
    /* Both files appear under their names only once both are complete. */
    lihop_h5i_ctx c = {path, err, LIHOP_OK};
    if (write_parts(&c, m, o.part, o.xpart, o.base, dataset, phase_names, prov) < 0 || rename_part(&c, o.part, path) < 0 ||
        rename_part(&c, o.xpart, o.xdmf) < 0) {
        unlink(o.part);
        unlink(o.xpart);
    }
    out_names_free(&o);
    return c.st;
}

/* Check the field's name against what the file may hold at its root. */
static lihop_status check_field_name(const char *path, const char *name, lihop_err *err)
{
    if (!name[0] || strchr(name, '/') || strlen(name) > 200 || reserved_name(name) || !strcmp(name, "phase"))
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s: field name '%s' must be 1..200 characters without '/' and not phase, grain, "
                          "percolation or metadata", path, name);
    return LIHOP_OK;
}

lihop_status lihop_micro_write_field(const char *path, const char *phase_dataset, const lihop_micro *m,
                                     const char *name, const double *values, const char *unit, lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!path || !phase_dataset || !m || !name || !values || !unit)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_micro_write_field: NULL argument");
    lihop_status st = check_field_name(path, name, err);
    if (st)
        return st;
    out_names o;
    if (out_names_make(&o, path) < 0) {
        out_names_free(&o);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory writing %s", path);
    }
    lihop_h5i_ctx c = {path, err, LIHOP_OK};
    char dsname[208];
    snprintf(dsname, sizeof dsname, "/%s", name);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot open for writing");
    else if (H5Lexists(f, dsname, H5P_DEFAULT) > 0 && H5Ldelete(f, dsname, H5P_DEFAULT) < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot replace '%s'", dsname);
    else
        write_cell_dataset(&c, f, dsname, m->n, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values, unit);
    if (f >= 0 && H5Fclose(f) < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot close");
    if (c.st == LIHOP_OK && (sidecar(&c, path, o.xpart, o.base, m, phase_dataset) < 0 ||
                             rename_part(&c, o.xpart, o.xdmf) < 0))
        unlink(o.xpart);
    out_names_free(&o);
    return c.st;
}

lihop_status lihop_micro_load(const lihop_micro_cfg *cfg, int nphases, const char *config_dir, lihop_micro **out,
                              lihop_err *err)
{
    *out = NULL;
    if (cfg->generator != LIHOP_GEN_HDF5)
        return lihop_micro_build(cfg, nphases, out, err);
    char path[2 * LIHOP_PATH_LEN];
    if (cfg->h5_file[0] == '/' || !config_dir || !config_dir[0])
        snprintf(path, sizeof path, "%s", cfg->h5_file);
    else
        snprintf(path, sizeof path, "%s/%s", config_dir, cfg->h5_file);
    return lihop_micro_read_h5_box(path, cfg->h5_dataset, cfg->n, cfg->nlabels, cfg->label_value, cfg->label_phase,
                                   nphases, cfg->voxel_m, out, err);
}
