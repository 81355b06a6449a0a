/* garnet_replica.h - one replica of the garnet lattice gas from start to
 * record, shared by the CPU engine (src/garnet.c, OpenMP over replicas) and
 * the CUDA twin (cuda/garnet.cu): random initial occupation, equilibration,
 * production BKL on the sum tree with samples on the time grid, and the
 * origin-averaged MSDs.  Everything is LIHOP_HD static inline in the common
 * subset of C11 and CUDA C++, uses only IEEE-exact operations and allocates
 * nothing: the working memory of a replica is carved from caller buffers
 * (lihop_garnet_work_carve), so a GPU block can keep the hot part in shared
 * memory.  Same inputs, same bits on every backend (DESIGN.md section 3).
 *
 * Random numbers of replica r: Philox stream (seed, (stream << 32) | r); block
 * k < nsites is step k of the Fisher-Yates shuffle that orders the initial
 * placement, block nsites + n is event n (equilibration first).  Words 0,1 of
 * an event block give the waiting time, words 2,3 the event.
 *
 * Post-processing in lanes: lihop_garnet_replica_com and _msd split their
 * work over (lane, nlanes) by whole snapshots and whole lags; each lag's sums
 * run in the same order whatever the split, so a warp and one CPU thread
 * write the same bits.
 */
#ifndef LIHOP_GARNET_REPLICA_H
#define LIHOP_GARNET_REPLICA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include "lihop_hd.h"
#include "config.h"        /* LIHOP_MAX_SAMPLES */
#include "lattice.h"       /* LIHOP_MAX_SUBLATTICES */
#include "garnet_event.h"
#include "bkl_tree.h"
#include "rng.h"

#define LIHOP_GARNET_MAX_SAMPLES LIHOP_MAX_SAMPLES

/* gcc's SLP vectoriser pairs the scalar stores of the tree-update program into
 * 16-byte stores that the next level then reads back with loads of another
 * width (no store-to-load forwarding): keep that loop scalar.  Optimisation
 * hint only; the arithmetic is the same either way. */
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && !defined(__INTEL_COMPILER)
#define LIHOP_GARNET_NO_SLP __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define LIHOP_GARNET_NO_SLP
#endif

/* What one replica reports: the same record from every backend. */
typedef struct {
    /* lag m = k+1 (time (k+1) t_end/nsamples), averaged over the time origins on the grid */
    double msd_tracer_A2[LIHOP_GARNET_MAX_SAMPLES];  /* (1/nli) sum_i |dr_i|^2 */
    double msd_coll_A2[LIHOP_GARNET_MAX_SAMPLES];    /* (1/nli) |sum_i dr_i|^2 */
    double dcom_A[LIHOP_GARNET_MAX_SAMPLES][3];      /* sum_i dr_i (mean over origins) */
    double occ_time_s[LIHOP_MAX_SUBLATTICES];        /* integral of (Li on sublattice s) dt */
    double hop_d2_A2;                                /* sum over hops of |d|^2 */
    uint64_t hops;                                   /* production hops (= events) */
    uint64_t equil_events;
    uint64_t hops_by_type[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES]; /* [from][to] */
    uint64_t check_failures;
    int32_t trapped;                                 /* 1: total rate hit 0 (no allowed hop) */
    int32_t status;                                  /* 0 ok; -1: the Li could not all be placed */
    /* per Cartesian axis a (same lags and origins as above) */
    double msd_tracer_axis_A2[LIHOP_GARNET_MAX_SAMPLES][3]; /* (1/nli) sum_i dr_i,a^2 */
    double msd_coll_axis_A2[LIHOP_GARNET_MAX_SAMPLES][3];   /* (1/nli) (sum_i dr_i,a)^2 */
} lihop_garnet_replica;

/* Everything a replica needs, device-copyable by value (the model's pointers
 * are host or device arrays, matching where the replica runs). */
typedef struct {
    lihop_garnet_model m;
    int64_t P;                      /* sum-tree leaves, lihop_bkl_leaves(m.nlinks) */
    int64_t nli;                    /* Li per replica */
    uint64_t seed;
    uint32_t stream;
    int32_t nsamples;               /* 1 .. LIHOP_GARNET_MAX_SAMPLES */
    uint64_t equil_events;          /* equilibration events (clock off) */
    int64_t check_every;            /* debug consistency check period (0: off) */
    double t_end;                   /* production time, s */
} lihop_garnet_job;

/* Working memory of one replica.  Hot (touched every event; shared memory on
 * the GPU where it fits): tree, dr, site, ion_at, site_of, list.
 * Cold: snap, com, tree2, perm.
 *
 * Site state, packed so that a hop's rate reads one pair per site:
 *   site[2s] = nnb(s), occupied hop neighbours of s (with multiplicity);
 *   site[2s + 1] = 2 nblk(s) + occ(s), nblk = occupied exclusion partners. */
typedef struct {
    double *tree;                   /* [2P] sum tree */
    double *dr;                     /* [nli][3] unwrapped displacement */
    int32_t *site;                  /* [nsites][2] packed site state */
    int32_t *ion_at;                /* [nsites] Li on the site, -1 when empty */
    int32_t *site_of;               /* [nli] */
    int32_t *list;                  /* [max_aff] changed leaves of one event */
    double *snap;                   /* [nsamples + 1][nli][3] displacements on the grid */
    double *com;                    /* [nsamples + 1][3] sum_i dr_i per snapshot */
    double *tree2;                  /* [2P] debug rebuild (check_every > 0), else NULL */
    int32_t *perm;                  /* [nsites] placement order */
} lihop_garnet_work;

LIHOP_HD static inline size_t lihop_garnet_align16(size_t x)
{
    return (x + 15u) & ~(size_t)15u;
}

/* Lay the work arrays out in two caller buffers (16-byte aligned, or NULL to
 * only measure); returns the bytes needed in hot_bytes and cold_bytes. */
LIHOP_HD static inline void lihop_garnet_work_carve(const lihop_garnet_job *J, void *hot, void *cold,
                                                    lihop_garnet_work *w, size_t *hot_bytes, size_t *cold_bytes)
{
    const size_t N = (size_t)J->m.nsites, L = (size_t)J->nli, P = (size_t)J->P;
    const size_t ns1 = (size_t)J->nsamples + 1, naff = J->m.max_aff > 0 ? (size_t)J->m.max_aff : 1;
    size_t off[5], o = 0;
    off[0] = o; o = lihop_garnet_align16(o + sizeof(double) * 2 * P);      /* tree */
    off[1] = o; o = lihop_garnet_align16(o + sizeof(double) * 3 * L);      /* dr */
    off[2] = o; o = lihop_garnet_align16(o + sizeof(int32_t) * 3 * N);     /* site, ion_at */
    off[3] = o; o = lihop_garnet_align16(o + sizeof(int32_t) * L);         /* site_of */
    off[4] = o; o = lihop_garnet_align16(o + sizeof(int32_t) * naff);      /* list */
    if (hot_bytes) *hot_bytes = o;
    size_t c[4], q = 0;
    c[0] = q; q = lihop_garnet_align16(q + sizeof(double) * ns1 * 3 * L);  /* snap */
    c[1] = q; q = lihop_garnet_align16(q + sizeof(double) * ns1 * 3);      /* com */
    c[2] = q; q = lihop_garnet_align16(q + (J->check_every > 0 ? sizeof(double) * 2 * P : 0)); /* tree2 */
    c[3] = q; q = lihop_garnet_align16(q + sizeof(int32_t) * N);           /* perm */
    if (cold_bytes) *cold_bytes = q;
    if (!w) return;
    memset(w, 0, sizeof *w);
    if (hot) {
        char *h = (char *)hot;
        w->tree = (double *)(void *)(h + off[0]);
        w->dr = (double *)(void *)(h + off[1]);
        w->site = (int32_t *)(void *)(h + off[2]);
        w->ion_at = w->site + 2 * N;
        w->site_of = (int32_t *)(void *)(h + off[3]);
        w->list = (int32_t *)(void *)(h + off[4]);
    }
    if (cold) {
        char *k = (char *)cold;
        w->snap = (double *)(void *)(k + c[0]);
        w->com = (double *)(void *)(k + c[1]);
        w->tree2 = J->check_every > 0 ? (double *)(void *)(k + c[2]) : NULL;
        w->perm = (int32_t *)(void *)(k + c[3]);
    }
}

/* lihop_garnet_occupy on the packed site state. */
LIHOP_HD static inline void lihop_garnet_site_occupy(const lihop_garnet_model *m, int32_t s, int32_t delta,
                                                     int32_t *site)
{
    site[2 * s + 1] = (site[2 * s + 1] & ~1) | (delta > 0 ? 1 : 0);
    for (int32_t e = m->hop_start[s]; e < m->hop_start[s + 1]; ++e) site[2 * m->hop_nbr[e]] += delta;
    if (m->nshells > 0)
        for (int32_t x = m->pair_start[s]; x < m->pair_start[s + 1]; ++x)
            site[2 * m->pair_nbr[x]] += delta * m->pair_w[x];
    for (int32_t x = m->excl_start[s]; x < m->excl_start[s + 1]; ++x) site[2 * m->excl_nbr[x] + 1] += 2 * delta;
}

/* lihop_garnet_edge_rate on the packed site state: the same bits (the same
 * table entry, or the same formula without a table). */
LIHOP_HD static inline double lihop_garnet_site_rate(const lihop_garnet_model *m, int32_t e, const int32_t *site)
{
    if (m->edge_pk && m->rate_tab) {
        const lihop_garnet_edge_pk k = m->edge_pk[e];
        const int32_t *S = site + 2 * k.src, *D = site + 2 * k.dst;
        const int ok = (S[1] & 1) & (D[1] == k.xself2);
        const int32_t idx = ok ? k.tab0m + m->tab_cstride * (D[0] - S[0]) : 0;   /* entry 0 always exists */
        const double r = m->rate_tab[idx];
        return ok ? r : 0.0;
    }
    const int32_t *S = site + 2 * m->edge_src[e], *D = site + 2 * m->hop_nbr[e];
    if (!((S[1] & 1) && D[1] == 2 * (int32_t)m->edge_excl_self[e])) return 0.0;
    int32_t c = D[0] - m->edge_mult[e] - S[0];
    if (m->rate_tab) return m->rate_tab[m->edge_tab0[e] + m->tab_cstride * c];
    return lihop_garnet_rate_of(m, e, c);
}

/* Rate of link l: the rate of whichever direction is allowed, or 0 (at most
 * one is nonzero, so the sum is that rate exactly). */
LIHOP_HD static inline double lihop_garnet_link_rate(const lihop_garnet_model *m, int32_t l, const int32_t *site)
{
    const int32_t f = m->link_edge[l];
    return lihop_garnet_site_rate(m, f, site) + lihop_garnet_site_rate(m, m->edge_rev[f], site);
}

/* lihop_garnet_link_rate from the packed link and the rate table, without
 * branches (whether a hop is allowed is a coin toss for a branch predictor):
 * index 0 of the table always exists, the two directions are never both
 * allowed, and r * 0.0 is +0 (rates are finite). */
LIHOP_HD static inline double lihop_garnet_link_pk_rate(const lihop_garnet_link_pk *q, const double *tab,
                                                        int32_t cstride, const int32_t *site)
{
    const int32_t *A = site + 2 * q->a, *B = site + 2 * q->b;
    const int32_t fwd = (A[1] & 1) & (B[1] == q->xself2_fwd);
    const int32_t bwd = (B[1] & 1) & (A[1] == q->xself2_bwd);
    const int32_t c = B[0] - A[0];
    const int32_t idx = ((q->tab0m_fwd + cstride * c) & -fwd) | ((q->tab0m_bwd - cstride * c) & -bwd);
    return tab[idx] * (double)(fwd | bwd);
}

/* Random initial occupation respecting exclusion: visit the sites in a random
 * order (Fisher-Yates, one Philox block per step) and occupy each one whose
 * exclusion partners are all empty, until nli Li are placed.  Then build the
 * tree.  Returns the number placed (< nli: the exclusion rules left no room). */
LIHOP_HD static inline int64_t lihop_garnet_replica_setup(const lihop_garnet_job *J, lihop_garnet_work *w,
                                                          lihop_stream *rng)
{
    const lihop_garnet_model *m = &J->m;
    const int32_t N = m->nsites;
    memset(w->site, 0, sizeof(int32_t) * 2 * (size_t)N);
    for (int32_t s = 0; s < N; ++s) { w->perm[s] = s; w->ion_at[s] = -1; }
    for (int32_t k = 0; k < N; ++k) {
        lihop_u32x4 r = lihop_stream_next(rng);
        uint32_t span = (uint32_t)(N - k);
        /* modulo bias <= span / 2^64: immaterial */
        int32_t pick = k + (int32_t)(lihop_u64(r.v[0], r.v[1]) % span);
        int32_t tmp = w->perm[k]; w->perm[k] = w->perm[pick]; w->perm[pick] = tmp;
    }
    int64_t placed = 0;
    for (int32_t k = 0; k < N && placed < J->nli; ++k) {
        int32_t s = w->perm[k];
        if ((w->site[2 * s + 1] >> 1) != 0) continue;   /* an exclusion partner is occupied */
        lihop_garnet_site_occupy(m, s, +1, w->site);
        w->ion_at[s] = (int32_t)placed;
        w->site_of[placed] = s;
        ++placed;
    }
    for (int32_t l = 0; l < m->nlinks; ++l) w->tree[J->P + l] = lihop_garnet_link_rate(m, l, w->site);
    lihop_bkl_build(w->tree, J->P, m->nlinks);
    return placed;
}

/* The event for the uniform u in [0, 1): the link l whose interval holds
 * u * total rate, in its allowed direction (forward when its first site is
 * occupied), as ev = 2 l + (0 forward, 1 backward); -1 when no hop is
 * allowed. */
LIHOP_HD static inline int32_t lihop_garnet_replica_pick(const lihop_garnet_job *J, const lihop_garnet_work *w,
                                                         double u)
{
    const int64_t l = lihop_bkl_select(w->tree, J->P, u);
    if (l < 0) return -1;
    return 2 * (int32_t)l + (~w->site[2 * J->m.link[l].a + 1] & 1);
}

/* The directed edge of event ev (lihop_garnet_replica_pick). */
LIHOP_HD static inline int32_t lihop_garnet_event_edge(const lihop_garnet_model *m, int32_t ev)
{
    const int32_t f = m->link_edge[ev >> 1];
    return (ev & 1) ? m->edge_rev[f] : f;
}

/* Carry out event ev (lihop_garnet_replica_pick): move the Li, then refresh
 * the rates that can change and re-sum their ancestors.  The tree is a
 * function of its leaves only (every node is the sum of its two children),
 * so the order of the leaf writes, and rewriting a leaf or node with the
 * value it already holds, change no bit.
 *
 * The site state changes by the precomputed deltas of the link (the same
 * integers lihop_garnet_site_occupy(i, -1) and (j, +1) would add).  With
 * programs: every leaf of the link's affected list is rewritten with its
 * current rate in one flat pass (lihop_garnet_link_pk_rate, the table's
 * constants in registers: the stores to the leaves and the site state could
 * otherwise alias the model's fields and be reloaded for every link), and the
 * link's program re-sums every ancestor of the list.  Without programs: the
 * changed leaves only, then their ancestors (lihop_bkl_set_sorted). */
LIHOP_GARNET_NO_SLP LIHOP_HD static inline void lihop_garnet_replica_apply(const lihop_garnet_job *J, lihop_garnet_work *w, int32_t ev)
{
    const lihop_garnet_model *m = &J->m;
    const lihop_garnet_link_rec L = m->link[ev >> 1];
    const int32_t bwd = ev & 1;
    const int32_t i = bwd ? L.b : L.a, j = bwd ? L.a : L.b;
    const int32_t ion = w->ion_at[i];
    w->ion_at[i] = -1;
    w->ion_at[j] = ion;
    w->site_of[ion] = j;
    int32_t *site = w->site;
    {
        const int32_t *d = m->dlt + 2 * (size_t)L.dlt_off;
        const int32_t sgn = 1 - 2 * bwd;
        for (int32_t k = 0; k < L.dlt_len; ++k) site[d[2 * k]] += sgn * d[2 * k + 1];
    }
    double *tree = w->tree, *leaf = w->tree + J->P;
    const int32_t *aff = m->aff_list + L.aff_off;
    const int32_t naff = L.aff_len;
    if (m->prog_node) {
        if (m->aff_pk && m->rate_tab) {
            const lihop_garnet_link_pk *pk = m->aff_pk + L.aff_off;
            const double *tab = m->rate_tab;
            const int32_t cstride = m->tab_cstride;
            for (int32_t k = 0; k < naff; ++k) leaf[aff[k]] = lihop_garnet_link_pk_rate(pk + k, tab, cstride, site);
        } else {
            for (int32_t k = 0; k < naff; ++k) leaf[aff[k]] = lihop_garnet_link_rate(m, aff[k], site);
        }
        const int32_t *node = m->prog_node + L.prog_off;
        const int32_t nn = L.prog_len;
        for (int32_t k = 0; k < nn; ++k) {
            const int64_t q = node[k];
            const double *g = tree + 4 * q;
            const double c0 = g[0] + g[1], c1 = g[2] + g[3];
            tree[2 * q] = c0;
            tree[2 * q + 1] = c1;
            tree[q] = c0 + c1;
        }
        if (m->prog_root) tree[1] = tree[2] + tree[3];
        return;
    }
    /* no programs: the changed leaves only, then their ancestors */
    int32_t *list = w->list;
    int32_t nchanged = 0;
    for (int32_t k = 0; k < naff; ++k) {
        const int32_t a = aff[k];
        const double r = lihop_garnet_link_rate(m, a, site);
        if (r != leaf[a]) {
            leaf[a] = r;
            list[nchanged++] = a;
        }
    }
    lihop_bkl_set_sorted(tree, J->P, list, nchanged);
}

/* Debug check: every leaf equals a freshly computed rate and the tree equals a
 * rebuilt one.  Returns the number of mismatches. */
LIHOP_HD static inline uint64_t lihop_garnet_replica_check(const lihop_garnet_job *J, lihop_garnet_work *w)
{
    const lihop_garnet_model *m = &J->m;
    uint64_t bad = 0;
    for (int32_t l = 0; l < m->nlinks; ++l) {
        double r = lihop_garnet_link_rate(m, l, w->site);
        w->tree2[J->P + l] = r;
        bad += r != w->tree[J->P + l];
    }
    lihop_bkl_build(w->tree2, J->P, m->nlinks);
    int diff = 0;
    for (int64_t k = 1; k < 2 * J->P; ++k) diff |= w->tree[k] != w->tree2[k];
    return bad + (uint64_t)diff;
}

/* Equilibration: BKL events with the clock off.  Returns events done (fewer
 * when the total rate reaches 0). */
LIHOP_HD static inline uint64_t lihop_garnet_replica_equilibrate(const lihop_garnet_job *J, lihop_garnet_work *w,
                                                                 lihop_stream *rng, uint64_t nev)
{
    uint64_t n = 0;
    for (; n < nev; ++n) {
        if (!(lihop_bkl_total(w->tree) > 0.0)) break;
        lihop_u32x4 r = lihop_stream_next(rng);
        lihop_garnet_replica_apply(J, w, lihop_garnet_replica_pick(J, w, lihop_garnet_u53(r.v[2], r.v[3])));
    }
    return n;
}

LIHOP_HD static inline void lihop_garnet_replica_snapshot(const lihop_garnet_job *J, lihop_garnet_work *w, int k)
{
    memcpy(w->snap + (size_t)k * 3 * (size_t)J->nli, w->dr, sizeof(double) * 3 * (size_t)J->nli);
}

/* The serial part of replica rid: placement, equilibration, production up to
 * t_end with snapshots on the grid.  Clears *out first.  Returns 0, or -1
 * (out->status = -1) when the Li could not all be placed. */
LIHOP_HD static inline int lihop_garnet_replica_events(const lihop_garnet_job *J, lihop_garnet_work *w, int64_t rid,
                                                       lihop_garnet_replica *out)
{
    const lihop_garnet_model *m = &J->m;
    const int ns = J->nsamples, nsub = m->nsub;
    const int64_t nli = J->nli;
    const double t_end = J->t_end;
    memset(out, 0, sizeof *out);

    lihop_stream rng;
    lihop_stream_init(&rng, J->seed, ((uint64_t)J->stream << 32) | (uint64_t)(uint32_t)rid);
    if (lihop_garnet_replica_setup(J, w, &rng) < nli) {
        out->status = -1;
        return -1;
    }
    out->equil_events = lihop_garnet_replica_equilibrate(J, w, &rng, J->equil_events);

    double tsamp[LIHOP_GARNET_MAX_SAMPLES + 1];
    for (int k = 0; k <= ns; ++k) tsamp[k] = t_end * ((double)k / (double)ns);
    tsamp[ns] = t_end;
    memset(w->dr, 0, sizeof(double) * 3 * (size_t)nli);
    lihop_garnet_replica_snapshot(J, w, 0);
    int next = 1;
    int64_t nsubocc[LIHOP_MAX_SUBLATTICES];
    for (int s = 0; s < LIHOP_MAX_SUBLATTICES; ++s) nsubocc[s] = 0;
    for (int64_t ion = 0; ion < nli; ++ion) nsubocc[m->site_sub[w->site_of[ion]]] += 1;

    /* accumulate in locals (registers, not the record in global memory) and
     * store once: the same operations in the same order */
    double occ_time[LIHOP_MAX_SUBLATTICES];
    for (int s = 0; s < LIHOP_MAX_SUBLATTICES; ++s) occ_time[s] = 0.0;
    double hop_d2 = 0.0;
    uint64_t hops = 0, check_failures = 0;
    int32_t trapped = 0;
    const int32_t *site_sub = m->site_sub;
    double *dr = w->dr;
    const double *tree = w->tree;

    double t = 0.0;
    for (;;) {
        const double R = lihop_bkl_total(tree);
        double tn;
        lihop_u32x4 r;
        r.v[0] = r.v[1] = r.v[2] = r.v[3] = 0u;
        if (R > 0.0) {
            r = lihop_stream_next(&rng);
            tn = t + (-lihop_log_exact(lihop_u01_open0(r.v[0], r.v[1])) / R);
        } else {               /* no allowed hop: frozen until t_end */
            tn = HUGE_VAL;
            trapped = 1;
        }
        while (next <= ns && tsamp[next] <= tn) lihop_garnet_replica_snapshot(J, w, next++);
        const double tstop = tn < t_end ? tn : t_end;
        for (int s = 0; s < nsub; ++s) occ_time[s] += (double)nsubocc[s] * (tstop - t);
        if (tn >= t_end) break;
        t = tn;

        const int32_t ev = lihop_garnet_replica_pick(J, w, lihop_garnet_u53(r.v[2], r.v[3]));
        const lihop_garnet_link_rec *L = m->link + (ev >> 1);
        const int32_t bwd = ev & 1;
        const int32_t i = bwd ? L->b : L->a, j = bwd ? L->a : L->b;
        const int32_t ion = w->ion_at[i];
        const double sgn = bwd ? -1.0 : 1.0;      /* exact: the reverse edge's vector is the negation */
        dr[3 * ion + 0] += sgn * L->vec_A[0];
        dr[3 * ion + 1] += sgn * L->vec_A[1];
        dr[3 * ion + 2] += sgn * L->vec_A[2];
        hop_d2 += L->d2_A2;
        const int32_t si = site_sub[i], sj = site_sub[j];
        out->hops_by_type[si][sj] += 1;
        nsubocc[si] -= 1;
        nsubocc[sj] += 1;
        hops += 1;
        lihop_garnet_replica_apply(J, w, ev);
        if (J->check_every > 0 && hops % (uint64_t)J->check_every == 0)
            check_failures += lihop_garnet_replica_check(J, w);
    }
    for (int s = 0; s < nsub; ++s) out->occ_time_s[s] = occ_time[s];
    out->hop_d2_A2 = hop_d2;
    out->hops = hops;
    out->check_failures = check_failures;
    out->trapped = trapped;
    return 0;
}

/* Centre-of-mass displacement (sum over Li) of each snapshot k = lane, lane +
 * nlanes, ... */
LIHOP_HD static inline void lihop_garnet_replica_com(const lihop_garnet_job *J, lihop_garnet_work *w, int lane,
                                                     int nlanes)
{
    const int ns = J->nsamples;
    const int64_t nli = J->nli;
    for (int k = lane; k <= ns; k += nlanes) {
        const double *x = w->snap + (size_t)k * 3 * (size_t)nli;
        double cx = 0.0, cy = 0.0, cz = 0.0;
        for (int64_t ion = 0; ion < nli; ++ion) { cx += x[3 * ion]; cy += x[3 * ion + 1]; cz += x[3 * ion + 2]; }
        w->com[3 * k + 0] = cx; w->com[3 * k + 1] = cy; w->com[3 * k + 2] = cz;
    }
}

/* Origin-averaged MSDs of lags m = 1 + lane, 1 + lane + nlanes, ... over the
 * origins k = 0 .. ns - m (needs lihop_garnet_replica_com of every snapshot). */
LIHOP_HD static inline void lihop_garnet_replica_msd(const lihop_garnet_job *J, const lihop_garnet_work *w,
                                                     lihop_garnet_replica *out, int lane, int nlanes)
{
    const int ns = J->nsamples;
    const int64_t nli = J->nli;
    const double *com = w->com;
    for (int mlag = 1 + lane; mlag <= ns; mlag += nlanes) {
        double str = 0.0, scol = 0.0, dc[3] = {0.0, 0.0, 0.0}, sta[3] = {0.0, 0.0, 0.0}, sca[3] = {0.0, 0.0, 0.0};
        const int norig = ns - mlag + 1;
        for (int k0 = 0; k0 < norig; k0 += 4) {
            /* up to four origins at a time: independent sums (more ILP), each
             * over the Li in the same order, added to the totals in origin order */
            const int nk = norig - k0 < 4 ? norig - k0 : 4;
            double s2[4] = {0.0, 0.0, 0.0, 0.0}, sx[4] = {0.0, 0.0, 0.0, 0.0};
            double sy[4] = {0.0, 0.0, 0.0, 0.0}, sz[4] = {0.0, 0.0, 0.0, 0.0};
            const size_t stride = 3 * (size_t)nli;
            const double *a0 = w->snap + (size_t)k0 * stride, *b0 = w->snap + (size_t)(k0 + mlag) * stride;
            if (nk == 4) {
                for (int64_t q = 0; q < 3 * nli; q += 3) {
                    for (int h = 0; h < 4; ++h) {
                        const double *a = a0 + (size_t)h * stride + q, *b = b0 + (size_t)h * stride + q;
                        const double u0 = b[0] - a[0], u1 = b[1] - a[1], u2 = b[2] - a[2];
                        const double p0 = u0 * u0, p1 = u1 * u1, p2 = u2 * u2;
                        s2[h] += p0; s2[h] += p1; s2[h] += p2;
                        sx[h] += p0; sy[h] += p1; sz[h] += p2;
                    }
                }
            } else {
                for (int h = 0; h < nk; ++h) {
                    const double *a = a0 + (size_t)h * stride, *b = b0 + (size_t)h * stride;
                    for (int64_t q = 0; q < 3 * nli; q += 3) {
                        const double u0 = b[q] - a[q], u1 = b[q + 1] - a[q + 1], u2 = b[q + 2] - a[q + 2];
                        const double p0 = u0 * u0, p1 = u1 * u1, p2 = u2 * u2;
                        s2[h] += p0; s2[h] += p1; s2[h] += p2;
                        sx[h] += p0; sy[h] += p1; sz[h] += p2;
                    }
                }
            }
            for (int h = 0; h < nk; ++h) {
                const int k = k0 + h;
                str += s2[h];
                sta[0] += sx[h]; sta[1] += sy[h]; sta[2] += sz[h];
                const double *ca = com + 3 * k, *cb = com + 3 * (k + mlag);
                const double u0 = cb[0] - ca[0], u1 = cb[1] - ca[1], u2 = cb[2] - ca[2];
                scol += u0 * u0 + u1 * u1 + u2 * u2;
                sca[0] += u0 * u0; sca[1] += u1 * u1; sca[2] += u2 * u2;
                dc[0] += u0; dc[1] += u1; dc[2] += u2;
            }
        }
        const double den = (double)nli * (double)norig;
        out->msd_tracer_A2[mlag - 1] = str / den;
        out->msd_coll_A2[mlag - 1] = scol / den;
        for (int a = 0; a < 3; ++a) {
            out->dcom_A[mlag - 1][a] = dc[a] / (double)norig;
            out->msd_tracer_axis_A2[mlag - 1][a] = sta[a] / den;
            out->msd_coll_axis_A2[mlag - 1][a] = sca[a] / den;
        }
    }
}

/* The whole replica on one thread.  Returns 0, or -1 when the Li could not
 * all be placed (out->status = -1, no MSDs). */
LIHOP_HD static inline int lihop_garnet_replica_run(const lihop_garnet_job *J, lihop_garnet_work *w, int64_t rid,
                                                    lihop_garnet_replica *out)
{
    if (lihop_garnet_replica_events(J, w, rid, out) != 0) return -1;
    lihop_garnet_replica_com(J, w, 0, 1);
    lihop_garnet_replica_msd(J, w, out, 0, 1);
    return 0;
}

#endif
