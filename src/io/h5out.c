/* h5out.c - the HDF5 results file: the handle, open (new, --overwrite or
 * --resume), the crash-safe commit of every change, close.  The layout is
 * documented in h5out.h; its parts are written by results_*.c. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <hdf5.h>

#include "results_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- changes: each one on a copy of the file, committed by rename (durable.h) ---- */

/* Close /summary, /points, /metadata, then the file; H5Fclose's result. */
static herr_t close_file(lihop_h5 *h)
{
    if (h->summary >= 0)
        H5Dclose(h->summary);
    if (h->points >= 0)
        H5Gclose(h->points);
    if (h->meta >= 0)
        H5Gclose(h->meta);
    h->summary = h->points = h->meta = H5I_INVALID_HID;
    herr_t e = h->file >= 0 ? H5Fclose(h->file) : 0;
    h->file = H5I_INVALID_HID;
    return e;
}

/* Copy the committed file and open the copy with /metadata, /points, /summary. */
int lihop_h5r_txn_begin(lihop_h5i_ctx *c, lihop_h5 *h)
{
    lihop_status st = lihop_durable_begin(&h->dur, 1, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    h->file = H5Fopen(h->dur.tmp, H5F_ACC_RDWR, h->fapl);
    if (h->file >= 0) {
        h->meta = H5Gopen2(h->file, "/metadata", H5P_DEFAULT);
        h->points = H5Gopen2(h->file, "/points", H5P_DEFAULT);
        h->summary = H5Dopen2(h->file, "/summary", H5P_DEFAULT);
    }
    if (h->file < 0 || h->meta < 0 || h->points < 0 || h->summary < 0) {
        close_file(h);
        lihop_durable_abort(&h->dur);
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open a copy of the file (%s)", h->dur.tmp);
    }
    return 0;
}

/* Close the copy; commit it when the change succeeded (c->st == LIHOP_OK),
 * else drop it: the committed file stays as it was. */
int lihop_h5r_txn_end(lihop_h5i_ctx *c, lihop_h5 *h)
{
    herr_t e = close_file(h);
    if (c->st == LIHOP_OK && e < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot write the file (closing %s failed)", h->dur.tmp);
    if (c->st != LIHOP_OK) {
        lihop_durable_abort(&h->dur);
        return -1;
    }
    lihop_status st = lihop_durable_commit(&h->dur, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    return 0;
}

static lihop_h5 *handle_new(const char *path, const lihop_config *cfg)
{
    lihop_h5 *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    snprintf(h->path, sizeof h->path, "%s", path);
    h->dur.lock_fd = -1;
    h->fapl = h->file = h->meta = h->points = h->summary = h->row_type = H5I_INVALID_HID;
    h->model = cfg->model;
    if (cfg->model == LIHOP_MODEL_GARNET) {
        h->nsub = cfg->garnet.nsub < LIHOP_MAX_SUBLATTICES ? cfg->garnet.nsub : LIHOP_MAX_SUBLATTICES;
        lihop_h5r_build_garnet_cols(h, cfg);
    } else {
        h->nspecies = cfg->nspecies;
        h->nphases = cfg->nphases;
        lihop_h5r_build_cols(h, cfg);
    }
    lihop_h5r_add_coord_cols(h, cfg);
    return h;
}

static void handle_free(lihop_h5 *h)
{
    close_file(h);
    if (h->row_type >= 0)
        H5Tclose(h->row_type);
    if (h->fapl >= 0)
        H5Pclose(h->fapl);
    lihop_durable_unlock(&h->dur);
    free(h->done_id);
    free(h->done_coord);
    free(h->done_rows);
    free(h);
}

static int make_fapl(lihop_h5i_ctx *c, lihop_h5 *h)
{
    h->fapl = H5Pcreate(H5P_FILE_ACCESS);
    h->row_type = lihop_h5r_compound(h->cols, h->ncols, h->row_size);
    /* STRONG: closing the file closes every object in it, so a failed write
     * (disk full) leaves nothing for the library to flush at exit. */
    if (h->fapl < 0 || h->row_type < 0 || H5Pset_libver_bounds(h->fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
        H5Pset_fclose_degree(h->fapl, H5F_CLOSE_STRONG) < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_INTERNAL, "cannot set up HDF5 property lists");
#if H5_VERSION_GE(1, 12, 1) || (H5_VERS_MAJOR == 1 && H5_VERS_MINOR == 10 && H5_VERS_RELEASE >= 7)
    /* Keep file locking, but do not fail on file systems that lack it (NFS, Lustre). */
    H5Pset_file_locking(h->fapl, 1, 1);
#endif
    return 0;
}

/* Resume: every compatibility check on a read-only handle of the committed
 * file first (a refused resume leaves it exactly as it was), then the resumed
 * layout on a copy, committed. */
static int open_resume(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_micro *micro,
                       const char *const *phase_names, const lihop_h5_meta *meta)
{
    hid_t ro = H5Fopen(h->path, H5F_ACC_RDONLY, h->fapl);
    if (ro < 0)
        return lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open the file to resume it (not an HDF5 file?)");
    int ok = lihop_h5r_resume_check(c, ro, h, cfg, micro);
    if (H5Fclose(ro) < 0 && ok == 0)
        ok = lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot close the file after checking it");
    if (ok < 0)
        return -1;
    lihop_status st = lihop_durable_begin(&h->dur, 1, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    h->file = H5Fopen(h->dur.tmp, H5F_ACC_RDWR, h->fapl);
    if (h->file < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot open a copy of the file to resume it");
    else
        lihop_h5r_resume_layout(c, h, cfg, meta, micro, phase_names);
    return lihop_h5r_txn_end(c, h);
}

/* New file (or --overwrite): the whole layout on a fresh copy, committed; the
 * old file, if any, is replaced only then. */
static int open_create(lihop_h5i_ctx *c, lihop_h5 *h, const lihop_config *cfg, const lihop_micro *micro,
                       const char *const *phase_names, const lihop_h5_meta *meta)
{
    lihop_status st = lihop_durable_begin(&h->dur, 0, c->err);
    if (st != LIHOP_OK) {
        c->st = st;
        return -1;
    }
    h->file = H5Fcreate(h->dur.tmp, H5F_ACC_TRUNC, H5P_DEFAULT, h->fapl);
    if (h->file < 0)
        lihop_h5i_fail(c, LIHOP_ERR_IO, "cannot create the file (%s)", h->dur.tmp);
    else if (lihop_h5r_create_layout(c, h, cfg, meta) == 0 && micro)
        lihop_h5r_write_micro_group(c, h->file, micro, phase_names);
    return lihop_h5r_txn_end(c, h);
}

lihop_status lihop_h5_open(const char *path, const lihop_config *cfg, const lihop_micro *micro,
                           const char *const *phase_names, const lihop_h5_meta *meta, int resume,
                           int overwrite, lihop_h5 **out, lihop_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (out)
        *out = NULL;
    if (!path || !cfg || !out)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_open: NULL argument");
    if (strlen(path) >= LIHOP_PATH_LEN)
        return lihop_fail(err, LIHOP_ERR_INPUT, "output path too long (%zu characters)", strlen(path));
    if (resume && overwrite)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s: pass either --resume or --overwrite, not both", path);
    if (cfg->nspecies < 0 || cfg->nspecies > LIHOP_MAX_SPECIES || cfg->nphases < 0 ||
        cfg->nphases > LIHOP_MAX_PHASES || cfg->ntemps > LIHOP_MAX_TEMPS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: config has out-of-range species/phase/temperature counts",
                          path);
    if (micro && (micro->nphases < 0 || micro->nphases > LIHOP_MAX_PHASES))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: microstructure has %d phases", path, micro->nphases);

    struct stat stbuf;
    int exists = stat(path, &stbuf) == 0;
    if (!exists && errno != ENOENT)
        return lihop_fail(err, LIHOP_ERR_IO, "cannot access %s: %s", path, strerror(errno));
    if (exists && !resume && !overwrite)
        return lihop_fail(err, LIHOP_ERR_IO,
                          "%s exists; pass --resume to continue it or --overwrite to replace it", path);

    lihop_h5 *h = handle_new(path, cfg);
    if (!h)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory opening %s", path);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    /* The lock comes before anything touches the file: a second run on the
     * same output, --overwrite included, is refused while this one holds it. */
    lihop_status st = lihop_durable_lock(&h->dur, path, err);
    if (st != LIHOP_OK) {
        handle_free(h);
        return st;
    }
    if (make_fapl(&c, h) == 0)
        (exists && resume) ? open_resume(&c, h, cfg, micro, phase_names, meta)
                           : open_create(&c, h, cfg, micro, phase_names, meta);
    if (c.st != LIHOP_OK) {
        handle_free(h);
        return c.st;
    }
    *out = h;
    return LIHOP_OK;
}

int lihop_h5_point_done(const lihop_h5 *h, int k)
{
    for (int i = 0; h && k >= 0 && i < h->ndone; i++)
        if (h->done_id[i] == k)
            return 1;
    return 0;
}

/* ---- microstructure ------------------------------------------------------------- */

lihop_status lihop_h5_write_micro(lihop_h5 *h, const lihop_micro *m, const char *const *phase_names,
                                  lihop_err *err)
{
    if (!h || !m)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_h5_write_micro: NULL argument");
    if (m->nphases < 0 || m->nphases > LIHOP_MAX_PHASES)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: microstructure has %d phases", h->path, m->nphases);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    if (lihop_h5r_txn_begin(&c, h) < 0)
        return c.st;
    htri_t ex = H5Lexists(h->file, "/microstructure", H5P_DEFAULT);
    if (ex < 0)
        lihop_h5i_fail(&c, LIHOP_ERR_IO, "cannot query '/microstructure'");
    else if (ex > 0)
        lihop_h5r_compare_micro(&c, h->file, m);
    else
        lihop_h5r_write_micro_group(&c, h->file, m, phase_names);
    lihop_h5r_txn_end(&c, h);
    return c.st;
}

/* ---- finished points ---------------------------------------------------------------- */

int lihop_h5_next_id(const lihop_h5 *h)
{
    return h ? h->next_id : 0;
}

int lihop_h5_find_point(const lihop_h5 *h, const double *coords)
{
    for (int i = 0; h && i < h->ndone; i++) {
        const double *d = h->done_coord + (size_t)i * h->ncoords;
        int same = 1;
        for (int c = 0; c < h->ncoords && same; c++)
            same = d[c] == coords[c];
        if (same)
            return h->done_id[i];
    }
    return -1;
}

lihop_status lihop_h5_abandon(lihop_h5 *h, lihop_err *err)
{
    if (!h)
        return LIHOP_OK;
    return lihop_h5_close(h, h->prev_status[0] ? h->prev_status : "failed", err);
}

lihop_status lihop_h5_close(lihop_h5 *h, const char *status, lihop_err *err)
{
    if (!h)
        return LIHOP_OK;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    lihop_h5i_ctx c = {h->path, err, LIHOP_OK};
    char now[32];
    lihop_h5r_iso_now(now);
    if (lihop_h5r_txn_begin(&c, h) == 0) {
        if (lihop_h5i_attr_str(&c, h->meta, "/metadata", "end_time", now) == 0 &&
            lihop_h5i_attr_str(&c, h->meta, "/metadata", "status", status ? status : "complete") == 0)
            lihop_h5r_history_end(&c, h, now, status ? status : "complete");
        lihop_h5r_txn_end(&c, h);
    }
    handle_free(h);
    return c.st;
}
