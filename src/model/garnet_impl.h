/* garnet_impl.h - the prepared garnet model's full state, shared by its
 * implementation files: model/garnet.c (preparation, run length),
 * backend/garnet_cpu.c (the replicas on the CPU or the GPU) and
 * diag/garnet_observe.c (observables).  Not an API: everything else goes
 * through garnet.h. */
#ifndef LIHOP_GARNET_IMPL_H
#define LIHOP_GARNET_IMPL_H

#include "garnet.h"
#include "garnet_replica.h"
#include "garnet_arrays.h"

#define MAXS LIHOP_GARNET_MAX_SAMPLES
#define MAXSUB LIHOP_MAX_SUBLATTICES
/* Replica ids live in the low 32 bits of the subsequence; the top id is the pilot. */
#define PILOT_ID 0xffffffffu
/* High word of the disorder subsequences: keeps them apart from replica streams
 * even when disorder_seed == seed (a run would need stream == this to collide). */
#define DISORDER_SUBSEQ ((uint64_t)0x6d15a3d1u << 32)

/* The host-only arrays of struct lihop_garnet, X(type, field):
 *   site_w    [nsites] largest nnb a site can reach: deg_0 + sum_k B_k deg_k
 *   eps_eV    [nsites] site energies (reported with q phi folded in)
 *   phi_V     [nsites] electrostatic potential, V
 *   aff_off, aff_len, prog_off, prog_len, dlt_off, dlt_len   [nlinks] per-link
 *             offsets and lengths, packed into the model's link records */
#define LIHOP_GARNET_HOST_ARRAYS(X) \
    X(int64_t, site_w)              \
    X(double, eps_eV)               \
    X(double, phi_V)                \
    X(int32_t, aff_off)             \
    X(int32_t, aff_len)             \
    X(int32_t, prog_off)            \
    X(int32_t, prog_len)            \
    X(int32_t, dlt_off)             \
    X(int32_t, dlt_len)

struct lihop_garnet {
    lihop_garnet_params p;
    int32_t nsites, nedges, nexcl;
    int nsub;
    char subname[MAXSUB][16];
    int32_t sites_per_sub[MAXSUB];
    double volume_A3;
    /* The model's arrays, one per entry of garnet_arrays.h under the model's
     * name (model.field points here once published; freed from the list). */
#define LIHOP_GARNET_OWNED_ARRAY(type, field, count, present) type *field;
    LIHOP_GARNET_MODEL_ARRAYS(LIHOP_GARNET_OWNED_ARRAY, &model)
#undef LIHOP_GARNET_OWNED_ARRAY
    /* Arrays used only while preparing the model or by the host (freed from
     * LIHOP_GARNET_HOST_ARRAYS). */
#define LIHOP_GARNET_OWNED_HOST_ARRAY(type, field) type *field;
    LIHOP_GARNET_HOST_ARRAYS(LIHOP_GARNET_OWNED_HOST_ARRAY)
#undef LIHOP_GARNET_OWNED_HOST_ARRAY
    int64_t ntab, naff, nprog, ndelta;  /* entries of rate_tab, aff_list, prog_node; dlt pairs */
    int32_t nlinks;
    lihop_garnet_model model;
    int64_t P;                      /* leaves of the sum tree */
    double t_end;
    int have_t_end;
};

/* One thread's working memory for job J (hot and cold parts in one malloc'd
 * block, returned; NULL when out of memory). */
void *lihop_garnet_work_alloc(const lihop_garnet_job *J, lihop_garnet_work *w);

/* The interrupt flag of the run's parameters is set. */
static inline int lihop_garnet_stop_requested(const lihop_garnet *g)
{
    return g->p.interrupt && *g->p.interrupt;
}

#endif
