/* percolation_h5.c - the percolation group of a microstructure (percolation_h5.h). */
#include <hdf5.h>

#include "percolation_h5.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERC_DEFINITION                                                                                        \
    "6-connected clusters on the periodic box; spans = 1 along an axis when a cluster wraps around the box "  \
    "along it (connects to its own periodic image), i.e. the set carries current along that axis; the "      \
    "interface network of phases a|b is the voxels of a with a face neighbour of b and those of b next to a"

/* The three datasets of n sets (phases or pairs) under g, named prefix_*. */
static int write_stats(lihop_h5i_ctx *c, hid_t g, const char *gname, const char *prefix,
                       const lihop_cluster_stats *s, int n)
{
    int32_t spans[LIHOP_PERC_MAX_PAIRS][3];
    int64_t ncl[LIHOP_PERC_MAX_PAIRS];
    double frac[LIHOP_PERC_MAX_PAIRS];
    for (int k = 0; k < n; k++) {
        for (int a = 0; a < 3; a++)
            spans[k][a] = s[k].spans[a];
        ncl[k] = s[k].nclusters;
        frac[k] = s[k].largest_fraction;
    }
    char name[64];
    hsize_t d2[2] = {(hsize_t)n, 3}, d1 = (hsize_t)n;
    snprintf(name, sizeof name, "%s_spans", prefix);
    if (lihop_h5i_dset_write(c, g, gname, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2, spans, "1") < 0)
        return -1;
    snprintf(name, sizeof name, "%s_nclusters", prefix);
    if (lihop_h5i_dset_write(c, g, gname, name, H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &d1, ncl, "1") < 0)
        return -1;
    snprintf(name, sizeof name, "%s_largest_cluster_fraction", prefix);
    return lihop_h5i_dset_f64(c, g, gname, name, 1, &d1, frac, "1");
}

static int write_group(lihop_h5i_ctx *c, hid_t g, const char *gname, const lihop_percolation *pc,
                       const char *const *phase_names)
{
    int32_t pairs[LIHOP_PERC_MAX_PAIRS][2];
    for (int k = 0; k < pc->npairs; k++) {
        pairs[k][0] = pc->pair[k][0];
        pairs[k][1] = pc->pair[k][1];
    }
    hsize_t dp[2] = {(hsize_t)pc->npairs, 2};
    if (write_stats(c, g, gname, "phase", pc->phase, pc->nphases) < 0 ||
        lihop_h5i_dset_write(c, g, gname, "interface_pairs", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, dp, pairs, "1") < 0 ||
        write_stats(c, g, gname, "interface", pc->interface, pc->npairs) < 0 ||
        lihop_h5i_attr_str(c, g, gname, "definition", PERC_DEFINITION) < 0)
        return -1;
    if (phase_names && lihop_h5i_attr_strs(c, g, gname, "phase_names", pc->nphases, phase_names) < 0)
        return -1;
    return 0;
}

int lihop_h5i_write_percolation(lihop_h5i_ctx *c, hid_t loc, const char *locname, const char *name,
                                const lihop_micro *m, const char *const *phase_names)
{
    lihop_percolation *pc = malloc(sizeof *pc);
    if (!pc)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory for the percolation analysis");
    lihop_err e = {{0}};
    lihop_status st = lihop_percolation_analyse(m, pc, &e);
    if (st) {
        free(pc);
        return lihop_h5i_fail(c, st, "percolation analysis: %s", e.msg);
    }
    char gname[512];
    snprintf(gname, sizeof gname, "%s/%s", strcmp(locname, "/") ? locname : "", name);
    hid_t g = H5I_INVALID_HID;
    int rc = lihop_h5i_make_group(c, loc, name, &g) < 0 ? -1 : write_group(c, g, gname, pc, phase_names);
    if (g >= 0)
        H5Gclose(g);
    free(pc);
    return rc;
}
