/* results_point.c - what every point of either model does: its group, its
 * /summary row, its coordinates, the complete flag last, one commit. */
#include <hdf5.h>

#include "results_impl.h"

#include <stdio.h>
#include <stdlib.h>

hid_t lihop_h5r_point_group(lihop_h5i_ctx *c, lihop_h5 *h, int index, char gname[48])
{
    char name[32];
    lihop_h5r_point_name(index, name);
    snprintf(gname, 48, "/points/%s", name);
    if (lihop_h5r_point_complete(h->points, name)) {
        c->st = lihop_fail(c->err, LIHOP_ERR_INTERNAL, "%s: point '%s' is already complete", h->path, gname);
        return H5I_INVALID_HID;
    }
    if (H5Lexists(h->points, name, H5P_DEFAULT) > 0 && H5Ldelete(h->points, name, H5P_DEFAULT) < 0) {
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot delete unfinished point '%s'", gname);
        return H5I_INVALID_HID;
    }
    hid_t g = H5Gcreate2(h->points, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create group '%s'", gname);
    return g;
}

/* One row at the end of the extendible /summary table. */
int lihop_h5r_append_row(lihop_h5i_ctx *c, lihop_h5 *h, const unsigned char *row, int index)
{
    hid_t fsp = H5I_INVALID_HID, msp = H5I_INVALID_HID;
    int ret = -1;
    hsize_t n = 0, one = 1;
    fsp = H5Dget_space(h->summary);
    if (fsp < 0 || H5Sget_simple_extent_dims(fsp, &n, NULL) != 1)
        goto fail;
    H5Sclose(fsp);
    fsp = H5I_INVALID_HID;
    hsize_t n1 = n + 1;
    if (H5Dset_extent(h->summary, &n1) < 0)
        goto fail;
    fsp = H5Dget_space(h->summary);
    msp = H5Screate_simple(1, &one, NULL);
    if (fsp < 0 || msp < 0 || H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &n, NULL, &one, NULL) < 0 ||
        H5Dwrite(h->summary, h->row_type, msp, fsp, H5P_DEFAULT, row) < 0)
        goto fail;
    ret = 0;
    goto done;
fail:
    lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot append row for point %d to '/summary'", index);
done:
    if (msp >= 0)
        H5Sclose(msp);
    if (fsp >= 0)
        H5Sclose(fsp);
    return ret;
}

/* Every coordinate of the point as an attribute of its group (the seed as
 * uint64); attributes the group already has (T_K, li_per_fu) are kept. */
int lihop_h5r_write_coord_attrs(lihop_h5i_ctx *c, const lihop_h5 *h, const lihop_config *cfg, hid_t g,
                                const char *gname, const double *coords)
{
    for (int k = 0; coords && k < h->ncoords && k < cfg->ncoords; k++) {
        const char *name = cfg->coords[k].name;
        htri_t ex = H5Aexists(g, name);
        if (ex < 0)
            return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot query attribute '%s' of '%s'", name, gname);
        if (ex > 0)
            continue;
        int e = k == h->seed_coord ? lihop_h5i_attr_u64(c, g, gname, name, (uint64_t)coords[k])
                                   : lihop_h5i_attr_f64(c, g, gname, name, coords[k]);
        if (e < 0)
            return -1;
    }
    return 0;
}

/* The last step of every point: the complete flag, then a flush, so a point
 * counts only once everything else of it is on disk. */
void lihop_h5r_finish_point(lihop_h5i_ctx *c, lihop_h5 *h, hid_t g, const char *gname)
{
    if (lihop_h5i_attr_i32(c, g, gname, "complete", 1) < 0)
        return;
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot flush after writing '%s'", gname);
}

lihop_status lihop_h5r_write_committed(lihop_h5 *h, const lihop_config *cfg, const double *coords,
                                       const void *r, int id, lihop_h5r_point_writer fn, lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (coords == NULL && h->ncoords > 0)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "%s: point %d written without its coordinates", h->path, id);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (lihop_h5r_txn_begin(&c, h) < 0)
        return c.st;
    c.st = fn(h, cfg, coords, r, err);
    if (lihop_h5r_txn_end(&c, h) < 0)
        return c.st;
    if (lihop_h5r_add_done(h, id, coords) < 0)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    return LIHOP_OK;
}

