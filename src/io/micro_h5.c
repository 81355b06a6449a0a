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

    if (access(path, R_OK) != 0)
        return lihop_fail(err, LIHOP_ERR_IO, "cannot read microstructure file %s: %s", path,
                          strerror(errno));

    lihop_h5i_ctx c = {path, err, LIHOP_OK};
    hid_t f = H5I_INVALID_HID, d = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
    hid_t dcpl = H5I_INVALID_HID, msp = H5I_INVALID_HID;
    lihop_micro *m = NULL;
    int64_t *buf = NULL;
    int is_unsigned = 0;

    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot open as an HDF5 file");
        goto fail;
    }
    d = H5Dopen2(f, dataset, H5P_DEFAULT);
    if (d < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_INPUT, "no dataset '%s' in the file", dataset);
        goto fail;
    }
    t = H5Dget_type(d);
    if (t < 0 || H5Tget_class(t) != H5T_INTEGER) {
        lihop_h5i_fail(&c, LIHOP_ERR_INPUT,
                       "dataset '%s' does not hold integers; expected integer phase labels", dataset);
        goto fail;
    }
    /* read 64-bit so that no label is clamped: its true value goes in messages */
    is_unsigned = H5Tget_sign(t) == H5T_SGN_NONE;
    sp = H5Dget_space(d);
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (rank != 3) {
        lihop_h5i_fail(&c, LIHOP_ERR_INPUT, "dataset '%s' has rank %d; expected 3 (z, y, x)",
                       dataset, rank);
        goto fail;
    }
    hsize_t dims[3];
    H5Sget_simple_extent_dims(sp, dims, NULL);
    for (int i = 0; i < 3; i++)
        if (dims[i] < 1 || dims[i] > INT_MAX) {
            lihop_h5i_fail(&c, LIHOP_ERR_INPUT, "dataset '%s' has shape %llux%llux%llu (z,y,x)",
                           dataset, (unsigned long long)dims[0], (unsigned long long)dims[1],
                           (unsigned long long)dims[2]);
            goto fail;
        }
    if ((double)dims[0] * (double)dims[1] * (double)dims[2] > (double)(SIZE_MAX / 8)) {
        lihop_h5i_fail(&c, LIHOP_ERR_INPUT, "dataset '%s' is too large", dataset);
        goto fail;
    }
    if (expect_n && (dims[2] != (hsize_t)expect_n[0] || dims[1] != (hsize_t)expect_n[1] ||
                     dims[0] != (hsize_t)expect_n[2])) {
        lihop_h5i_fail(&c, LIHOP_ERR_INPUT,
                       "dataset '%s' is %llu x %llu x %llu voxels (x y z) but box_voxels says %d x %d x %d",
                       dataset, (unsigned long long)dims[2], (unsigned long long)dims[1],
                       (unsigned long long)dims[0], expect_n[0], expect_n[1], expect_n[2]);
        goto fail;
    }

    if (!(voxel_m > 0)) {
        /* No voxel size given: take the one stored with the dataset. */
        hid_t a = H5Aexists(d, "voxel_size_m") > 0 ? H5Aopen(d, "voxel_size_m", H5P_DEFAULT)
                                                  : H5I_INVALID_HID;
        herr_t e = a >= 0 ? H5Aread(a, H5T_NATIVE_DOUBLE, &voxel_m) : -1;
        if (a >= 0)
            H5Aclose(a);
        if (e < 0 || !(voxel_m > 0)) {
            lihop_h5i_fail(&c, LIHOP_ERR_INPUT,
                           "no voxel size given and dataset '%s' has no positive attribute "
                           "'voxel_size_m'", dataset);
            goto fail;
        }
    }

    m = malloc(sizeof *m);
    const int n0 = (int)dims[2], n1 = (int)dims[1], n2 = (int)dims[0];
    size_t plane = (size_t)n0 * (size_t)n1;
    size_t nvox = plane * (size_t)n2;
    if (m)
        m->phase = malloc(nvox);
    if (!m || !m->phase) {
        lihop_h5i_fail(&c, LIHOP_ERR_NOMEM, "out of memory for %zu voxels of '%s'", nvox, dataset);
        goto fail;
    }
    m->n[0] = n0;
    m->n[1] = n1;
    m->n[2] = n2;
    m->voxel_m = voxel_m;
    m->nphases = nphases;

    /* Read in slabs of whole z-planes (whole chunks along z when chunked), about
     * 16 Mi voxels each, so memory stays bounded for large grids. */
    hsize_t slab = (hsize_t)(LIHOP_MICRO_READ_SLAB_VOXELS / plane);
    if (slab < 1)
        slab = 1;
    dcpl = H5Dget_create_plist(d);
    if (dcpl >= 0 && H5Pget_layout(dcpl) == H5D_CHUNKED) {
        hsize_t cd[3];
        if (H5Pget_chunk(dcpl, 3, cd) == 3 && cd[0] > 0)
            slab = (slab + cd[0] - 1) / cd[0] * cd[0];
    }
    if (slab > dims[0])
        slab = dims[0];
    buf = malloc(sizeof *buf * plane * (size_t)slab);
    if (!buf) {
        lihop_h5i_fail(&c, LIHOP_ERR_NOMEM, "out of memory reading '%s'", dataset);
        goto fail;
    }

    for (hsize_t z0 = 0; z0 < dims[0]; z0 += slab) {
        hsize_t nz = dims[0] - z0 < slab ? dims[0] - z0 : slab;
        hsize_t start[3] = {z0, 0, 0}, count[3] = {nz, dims[1], dims[2]};
        msp = H5Screate_simple(3, count, NULL);
        if (msp < 0 || H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dread(d, is_unsigned ? H5T_NATIVE_UINT64 : H5T_NATIVE_INT64, msp, sp, H5P_DEFAULT, buf) < 0) {
            lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot read dataset '%s' (z = %llu..%llu)", dataset,
                           (unsigned long long)z0, (unsigned long long)(z0 + nz - 1));
            goto fail;
        }
        H5Sclose(msp);
        msp = H5I_INVALID_HID;
        if (map_slab(&c, dataset, map, nlabels, buf, is_unsigned, m, plane * (size_t)z0,
                     plane * (size_t)nz) != 0)
            goto fail;
    }

    free(buf);
    H5Pclose(dcpl);
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(d);
    if (H5Fclose(f) < 0) {
        f = H5I_INVALID_HID;
        d = t = sp = dcpl = H5I_INVALID_HID;
        buf = NULL;
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot close the file");
        goto fail;
    }
    *out = m;
    return LIHOP_OK;

fail:
    free(buf);
    if (m)
        free(m->phase);
    free(m);
    if (msp >= 0)
        H5Sclose(msp);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
    return c.st != LIHOP_OK ? c.st : LIHOP_ERR_INTERNAL;
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

static int write_xdmf(const char *xpath, const lihop_micro *m, const char *h5base,
                      const char *dataset)
{
    FILE *fp = fopen(xpath, "w");
    if (!fp)
        return -1;
    char h[40];
    fmt_double(h, sizeof h, m->voxel_m);
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
                "      </Geometry>\n"
                "      <Attribute Name=\"phase\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
                "        <DataItem Dimensions=\"%d %d %d\" NumberType=\"UChar\" Precision=\"1\" "
                "Format=\"HDF\">",
            m->n[2] + 1, m->n[1] + 1, m->n[0] + 1, h, h, h, m->n[2], m->n[1], m->n[0]);
    xml_escape(fp, h5base);
    fputs(":", fp);
    if (dataset[0] != '/')
        fputs("/", fp);
    xml_escape(fp, dataset);
    fputs("</DataItem>\n"
          "      </Attribute>\n"
          "    </Grid>\n"
          "  </Domain>\n"
          "</Xdmf>\n", fp);
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        return -1;
    return 0;
}

lihop_status lihop_micro_write_h5(const lihop_micro *m, const char *path, const char *dataset,
                                  const char *const *phase_names, lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!m || !path || !dataset || !m->phase)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_micro_write_h5: NULL argument");
    if (m->n[0] < 1 || m->n[1] < 1 || m->n[2] < 1 || m->nphases < 1 || m->nphases > 255)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: cannot write a %dx%dx%d grid of %d phases",
                          path, m->n[0], m->n[1], m->n[2], m->nphases);
    if (!dataset[0] || !strcmp(dataset, "/"))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: empty dataset name", path);

    size_t plen = strlen(path);
    char *part = malloc(plen + 16), *xdmf = malloc(plen + 16), *xpart = malloc(plen + 16);
    if (!part || !xdmf || !xpart) {
        free(part);
        free(xdmf);
        free(xpart);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory writing %s", path);
    }
    sprintf(part, "%s.part", path);
    sprintf(xdmf, "%s.xdmf", path);
    sprintf(xpart, "%s.xdmf.part", path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;

    lihop_h5i_ctx c = {path, err, LIHOP_OK};
    hid_t f = H5Fcreate(part, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot create %s", part);
        goto fail;
    }
    if (lihop_h5i_write_grid(&c, f, dataset, m, phase_names) < 0)
        goto fail;
    herr_t e = H5Fclose(f);
    f = H5I_INVALID_HID;
    if (e < 0) {
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot close %s", part);
        goto fail;
    }
    if (write_xdmf(xpart, m, base, dataset) < 0) {
        lihop_fail(err, LIHOP_ERR_IO, "cannot write %s: %s", xpart, strerror(errno));
        c.st = LIHOP_ERR_IO;
        goto fail;
    }
    if (rename(part, path) != 0) {
        lihop_fail(err, LIHOP_ERR_IO, "cannot rename %s to %s: %s", part, path, strerror(errno));
        c.st = LIHOP_ERR_IO;
        goto fail;
    }
    if (rename(xpart, xdmf) != 0) {
        lihop_fail(err, LIHOP_ERR_IO, "cannot rename %s to %s: %s", xpart, xdmf, strerror(errno));
        c.st = LIHOP_ERR_IO;
        goto fail;
    }
    free(part);
    free(xdmf);
    free(xpart);
    return LIHOP_OK;

fail:
    if (f >= 0)
        H5Fclose(f);
    unlink(part);
    unlink(xpart);
    free(part);
    free(xdmf);
    free(xpart);
    return c.st != LIHOP_OK ? c.st : LIHOP_ERR_INTERNAL;
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
