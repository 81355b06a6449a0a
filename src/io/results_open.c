/* results_open.c - open a lihop results file read-only (results_open.h). */
#include <hdf5.h>

#include "h5util.h"
#include "results_open.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What /metadata says of the file; "" for absent attributes. */
static void read_id(hid_t f, char **ver, char **kind, lihop_results_id *id)
{
    char *status = NULL, *model = NULL;
    hid_t g = H5Lexists(f, "/metadata", H5P_DEFAULT) > 0 ? H5Gopen2(f, "/metadata", H5P_DEFAULT) : -1;
    if (g >= 0) {
        *ver = lihop_h5i_read_attr_str(g, "lihop_version");
        status = lihop_h5i_read_attr_str(g, "status");
        model = lihop_h5i_read_attr_str(g, "model");
        *kind = lihop_h5i_read_attr_str(g, "file_kind");
        H5Gclose(g);
    }
    snprintf(id->status, sizeof id->status, "%s", status ? status : "");
    snprintf(id->model, sizeof id->model, "%s", model ? model : "");
    free(status);
    free(model);
}

lihop_status lihop_results_open_ro(const char *path, hid_t *f, lihop_results_id *id, lihop_err *err)
{
    *f = H5I_INVALID_HID;
    if (access(path, R_OK) != 0)
        return lihop_fail(err, LIHOP_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (H5Fis_hdf5(path) <= 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s is not an HDF5 file (expected a lihop results file)", path);
    *f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (*f < 0)
        return lihop_fail(err, LIHOP_ERR_IO, "cannot open %s (HDF5)", path);
    char *ver = NULL, *kind = NULL;
    read_id(*f, &ver, &kind, id);
    lihop_status st = LIHOP_OK;
    if (kind)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s is not a lihop results file (a %s file of lihop %s)", path, kind,
                        kind[0] == 'm' ? "micro" : "lattice -o");
    else if (!ver)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s is not a lihop results file (no /metadata lihop_version)", path);
    free(ver);
    free(kind);
    if (st) {
        H5Fclose(*f);
        *f = H5I_INVALID_HID;
    }
    return st;
}
