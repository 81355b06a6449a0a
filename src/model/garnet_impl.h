/* garnet_impl.h - the prepared garnet model's full state, shared by its
 * implementation files: model/garnet.c (preparation, run length),
 * backend/garnet_cpu.c (the replicas on the CPU or the GPU) and
 * diag/garnet_observe.c (observables).  Not an API: everything else goes
 * through garnet.h. */
#ifndef LIHOP_GARNET_IMPL_H
#define LIHOP_GARNET_IMPL_H

#include "garnet.h"
#include "garnet_replica.h"

#define MAXS LIHOP_GARNET_MAX_SAMPLES
#define MAXSUB LIHOP_MAX_SUBLATTICES
/* Replica ids live in the low 32 bits of the subsequence; the top id is the pilot. */
#define PILOT_ID 0xffffffffu
/* High word of the disorder subsequences: keeps them apart from replica streams
 * even when disorder_seed == seed (a run would need stream == this to collide). */
#define DISORDER_SUBSEQ ((uint64_t)0x6d15a3d1u << 32)

struct lihop_garnet {
    lihop_garnet_params p;
    int32_t nsites, nedges, nexcl;
    int nsub;
    char subname[MAXSUB][16];
    int32_t sites_per_sub[MAXSUB];
    double volume_A3;
    int32_t *sub, *hop_start, *hop_nbr, *edge_src, *edge_rev, *excl_start, *excl_nbr;
    int32_t *edge_mult;             /* radix-weighted pairs joining src and dst (garnet_event.h) */
    uint8_t *edge_excl_self;
    int32_t *pair_start, *pair_nbr, *pair_w;  /* shell partners, all shells (NULL without shells) */
    int64_t *site_w;                /* [nsites] largest nnb a site can reach: deg_0 + sum_k B_k deg_k */
    double *hop_vec_A, *edge_d2_A2, *edge_dE0_eV, *edge_kra_eV, *eps_eV, *phi_V;
    double *rate_tab;
    int32_t *edge_tab0;
    int64_t ntab;
    int32_t *aff_off, *aff_len, *aff_list;
    int64_t naff;
    int32_t *prog_off, *prog_len, *prog_node;
    int64_t nprog;
    lihop_garnet_edge_pk *edge_pk;
    lihop_garnet_link_pk *aff_pk;
    int32_t nlinks, *link_edge, *edge_link;
    lihop_garnet_link_rec *link_rec;
    int32_t *dlt_off, *dlt_len, *dlt;
    int64_t ndelta;
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
