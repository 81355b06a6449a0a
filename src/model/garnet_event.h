/* garnet_event.h - per-hop maths of the garnet lattice gas, shared by the CPU
 * engine (src/garnet.c) and the CUDA twin: energies, rate laws, which hops are
 * allowed, the site bookkeeping after a hop and the set of events whose rates a
 * hop can change.  Everything here is LIHOP_HD static inline and uses only
 * IEEE-exact operations (+ - * /, floor, ldexp) so host and device produce the
 * same bits (build with -ffp-contract=off / nvcc --fmad=false).
 *
 * Model (DESIGN.md 2.1).  Lattice-gas Hamiltonian
 *   H = sum_i n_i eps_i + E_nn sum_{hop edges <ij>} n_i n_j + sum_k V_k sum_{shell-k pairs <ij>} n_i n_j,
 *   eps_i = site_energy[sub(i)] + disorder_i + q phi_i,
 * plus the work of an applied field E.  Shell k (k = 1..nshells) holds the
 * pairs at distances in a window beyond the hop graph (lihop_lattice_pairs;
 * e.g. O-O and T-T second neighbours in garnet); every periodic image is one
 * pair.  Moving a Li from occupied i to empty j along the hop vector d
 * (angstrom) changes the energy by
 *   dE = (eps_j - eps_i) - q E.d + E_nn c_0 + sum_k V_k c_k,
 *   c_k = nocc_k(j) - m_k(ij) - nocc_k(i),
 * nocc_0(s) = occupied hop neighbours of s, nocc_k(s) = occupied shell-k
 * partners, m_k(ij) = how many shell-k pairs (m_0: hop edges) join i and j:
 * nocc_k(j) counts the moving ion itself, which must not repel itself.  All
 * energies in eV, q = +1 e (Li+), so q phi in eV is phi in V and q E.d is
 * E[V/m] . d[A] * 1e-10.
 *
 * The counts travel as one integer per site, in a balanced mixed radix:
 *   nnb(s) = nocc_0(s) + B_1 nocc_1(s) + B_2 nocc_2(s) + ...,
 *   B_1 = 2 h_0 + 1, B_{k+1} = B_k (2 h_k + 1), h_k = the most shell-k partners of any site,
 * so c = nnb(j) - mult(ij) - nnb(i) = c_0 + B_1 c_1 + ... with every |c_k| <= h_k,
 * and the digits c_k come back uniquely (lihop_garnet_interaction_eV).  The
 * rate of a hop therefore still depends on one integer per edge and the rate
 * table, the event loop and the CUDA twin stay as without shells.
 *
 * The reverse hop has exactly -dE in floating point: every term is a negated
 * difference or product (IEEE rounding is sign-symmetric) and the counts swap.
 * That is what makes detailed balance k_ij / k_ji = exp(-dE/kT) hold to
 * rounding for both laws:
 *   kra:        k = nu exp(-(E_KRA + dE/2) / kT)   (E_KRA symmetric: k_ij/k_ji = e^{-dE/kT})
 *   metropolis: k = nu min(1, exp(-dE / kT))        (E_KRA not used)
 *
 * A hop i -> j is allowed when i is occupied, j is empty and no exclusion
 * partner of j other than i itself is occupied.
 */
#ifndef LIHOP_GARNET_EVENT_H
#define LIHOP_GARNET_EVENT_H

#include "lihop_limits.h"
#include "constants.h"
#include <stdint.h>
#include <math.h>
#include "lihop_hd.h"
#include "rng.h"


typedef enum { LIHOP_RATE_KRA = 0, LIHOP_RATE_METROPOLIS = 1 } lihop_rate_law;

/* exp(x) from IEEE-exact operations in a fixed order, so host and device agree
 * bit for bit (libm and CUDA's exp may differ in the last place).  x = k ln2 + r,
 * |r| <= ln2/2, Taylor series of exp(r) to r^14 (truncation < 1e-19), result
 * scaled by 2^k with ldexp (exact).  Relative error about 1 ulp. */
LIHOP_HD static inline double lihop_exp_exact(double x)
{
    if (x != x) return x;              /* NaN in, NaN out */
    if (x < -745.2) return 0.0;
    if (x > 709.78) return HUGE_VAL;
    double kf = floor(x * 1.44269504088896340736 + 0.5);
    /* ln2 split: ln2_hi has 32 trailing zero bits so kf * ln2_hi is exact */
    const double ln2_hi = 6.93147180369123816490e-01;
    const double ln2_lo = 1.90821492927058770002e-10;
    double r = (x - kf * ln2_hi) - kf * ln2_lo;
    double p = 1.0 / 87178291200.0;    /* 1/14! */
    p = p * r + 1.0 / 6227020800.0;    /* 1/13! */
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    return ldexp(p, (int)kf);
}

/* Uniform in [0, 1) with 53 random bits (event selection: finer than 2^-32 of
 * the total rate, so rare events in big catalogues keep their weight). */
LIHOP_HD static inline double lihop_garnet_u53(uint32_t a, uint32_t b)
{
    return lihop_u53(a, b);
}

/* ---- energies ---------------------------------------------------------------- */

/* The configuration-independent part of dE for a hop along d_A from site i to
 * site j: site energies, electrostatic potential (V) and applied field (V/m). */
LIHOP_HD static inline double lihop_garnet_static_dE(double eps_i_eV, double eps_j_eV,
                                                     double phi_i_V, double phi_j_V,
                                                     const double field_V_m[3], const double d_A[3])
{
    double Ed = field_V_m[0] * d_A[0] + field_V_m[1] * d_A[1] + field_V_m[2] * d_A[2];
    return ((eps_j_eV - eps_i_eV) + (phi_j_V - phi_i_V)) - Ed * 1e-10;
}

/* ---- rate laws --------------------------------------------------------------- */

LIHOP_HD static inline double lihop_rate_kra(double nu_Hz, double E_kra_eV, double dE_eV, double kT_eV)
{
    return nu_Hz * lihop_exp_exact(-(E_kra_eV + 0.5 * dE_eV) / kT_eV);
}

LIHOP_HD static inline double lihop_rate_metropolis(double nu_Hz, double dE_eV, double kT_eV)
{
    return dE_eV <= 0.0 ? nu_Hz : nu_Hz * lihop_exp_exact(-dE_eV / kT_eV);
}

LIHOP_HD static inline double lihop_rate(int law, double nu_Hz, double E_kra_eV, double dE_eV, double kT_eV)
{
    return law == LIHOP_RATE_METROPOLIS ? lihop_rate_metropolis(nu_Hz, dE_eV, kT_eV)
                                        : lihop_rate_kra(nu_Hz, E_kra_eV, dE_eV, kT_eV);
}

/* ---- the event catalogue ----------------------------------------------------- */

/* One edge as the event loop reads it (16 bytes, one load): source and
 * destination site, tab0m = edge_tab0 - tab_cstride * edge_mult (so the rate
 * of an allowed hop is rate_tab[tab0m + tab_cstride * (nnb(dst) - nnb(src))])
 * and xself2 = 2 * edge_excl_self. */
typedef struct {
    int32_t src, dst, tab0m, xself2;
} lihop_garnet_edge_pk;

/* Everything the event loop looks up for a link, in one 64-byte record:
 * its sites and hop vector (forward hop a -> b; the backward hop b -> a has
 * the exactly negated vector, as the reverse edge does), and where its
 * affected list, site deltas and tree-update program lie in the model's
 * aff_list / aff_pk, dlt and prog_node (see the model). */
typedef struct {
    double vec_A[3];                /* hop vector of a -> b, angstrom */
    double d2_A2;                   /* its squared length (edge_d2_A2) */
    int32_t a, b;
    int32_t aff_off, aff_len;
    int32_t dlt_off, dlt_len;
    int32_t prog_off, prog_len;     /* 0, 0 without programs */
} lihop_garnet_link_rec;

/* One link as the re-rating pass reads it: its sites a and b, and for the
 * forward hop a -> b and the backward hop b -> a the tab0m and xself2 of
 * lihop_garnet_edge_pk. */
typedef struct {
    int32_t a, b, tab0m_fwd, tab0m_bwd, xself2_fwd, xself2_bwd;
} lihop_garnet_link_pk;

/* Read-only view of a prepared model (host or device memory).  Events are the
 * directed edges e of the hop graph (the sum tree holds them by link, below),
 * CSR as in lihop_lattice: the edges out of
 * site s are e in [hop_start[s], hop_start[s+1]), edge e goes edge_src[e] ->
 * hop_nbr[e], and edge_rev[e] is the edge back (same hop, opposite vector).
 * Every array (pointer field) must also be listed in garnet_arrays.h: that list
 * declares the host copies, frees them and uploads them to the GPU. */

typedef struct {
    int32_t nsites;
    int32_t nedges;
    const int32_t *hop_start;       /* [nsites + 1] */
    const int32_t *hop_nbr;         /* [nedges] */
    const int32_t *edge_src;        /* [nedges] */
    const int32_t *edge_rev;        /* [nedges] */
    const int32_t *edge_mult;       /* [nedges] mult(ij) = m_0(ij) + sum_k B_k m_k(ij): the pairs joining
                                     * src and dst in the radix of nnb (1 without shells and tiny boxes) */
    const uint8_t *edge_excl_self;  /* [nedges] times src appears among dst's exclusion partners */
    const double *edge_dE0_eV;      /* [nedges] lihop_garnet_static_dE of the edge */
    const double *edge_kra_eV;      /* [nedges] E_KRA of the edge (symmetric: kra[e] == kra[rev[e]]) */
    /* Optional rate table (NULL: compute with exp).  The rate of an allowed
     * edge depends on the state only through c = nocc(j) - m_ij - nocc(i),
     * an integer in [-deg(i), deg(j) - m_ij]; rate_tab[edge_tab0[e] + tab_cstride * c]
     * holds lihop_garnet_rate_of(e, c), tabulated with the same function, so
     * both paths give the same bits.  tab_cstride is 0 when !interacting. */
    const double *rate_tab;
    const int32_t *edge_tab0;
    int32_t tab_cstride;
    const int32_t *excl_start;      /* [nsites + 1] */
    const int32_t *excl_nbr;        /* [nexcl] */
    double E_nn_eV;
    /* Pair shells (see the top of this file).  interacting: E_nn != 0 or
     * nshells > 0, i.e. rates depend on the neighbour counts. */
    int32_t interacting;
    int32_t nshells;
    double shell_E_eV[LIHOP_GARNET_MAX_SHELLS];      /* V_k, eV */
    int32_t shell_half[LIHOP_GARNET_MAX_SHELLS + 1]; /* h_k; [0]: the hop shell */
    int64_t npairs;
    const int32_t *pair_start;      /* [nsites + 1] shell partners of s: pair_nbr[pair_start[s] .. pair_start[s+1]) */
    const int32_t *pair_nbr;        /* [npairs] (NULL when nshells == 0) */
    const int32_t *pair_w;          /* [npairs] B_k of the partner's shell */
    double kT_eV;
    double nu_Hz;
    int32_t rate_law;               /* lihop_rate_law */
    /* ---- what the replica loop (garnet_replica.h) needs besides the rates ---- */
    int32_t nsub;                   /* sublattices */
    int32_t nexcl;                  /* exclusion entries */
    int64_t ntab;                   /* rate_tab entries */
    int64_t naff;                   /* aff_list entries */
    int32_t max_aff;                /* longest affected list (links) */
    const int32_t *site_sub;        /* [nsites] sublattice of each site */
    const double *edge_vec_A;       /* [nedges][3] hop vector (reverse edges: exact negatives) */
    const double *edge_d2_A2;       /* [nedges] |hop vector|^2 */
    /* Links: the undirected hops, the leaves of the BKL sum tree.  A hop and
     * its reverse can never both be allowed (each needs its source occupied
     * and its destination empty), so one leaf holds the rate of whichever
     * direction is allowed, or 0: half the leaves and half the leaf updates of
     * a tree over directed edges.  The forward hop of link l is the edge
     * f = link_edge[l] (the edge e < edge_rev[e] of the pair), a -> b with
     * a = edge_src[f], b = hop_nbr[f]; edge_link[e] is the link of e.  The
     * event loop names a hop by its link and direction, ev = 2 l + (0
     * forward, 1 backward), and reads only link[l]. */
    int32_t nlinks;
    const lihop_garnet_link_rec *link;  /* [nlinks] */
    const int32_t *link_edge;       /* [nlinks] */
    const int32_t *edge_link;       /* [nedges] */
    /* The links whose rate a hop on link l can change (the links of the
     * edges lihop_garnet_affected lists; the set depends only on the two
     * sites, so both directions share it), sorted:
     * aff_list[link[l].aff_off .. + link[l].aff_len). */
    const int32_t *aff_list;        /* [naff] */
    const lihop_garnet_edge_pk *edge_pk; /* [nedges] packed edges (NULL without rate_tab) */
    /* aff_pk[x]: the packed link aff_list[x], so that re-rating a hop's list
     * reads one contiguous stream (NULL without rate_tab). */
    const lihop_garnet_link_pk *aff_pk;  /* [naff] */
    /* The change of the packed site state (garnet_replica.h) when a Li hops
     * forward along link l: pairs (offset, delta) at dlt[2 * (link[l].dlt_off + k)],
     * k < link[l].dlt_len, meaning site[offset] += delta, with the contributions of
     * both sites merged and zeros dropped (the occupancy bits of the two
     * sites, the neighbour counts of their hop neighbours and shell partners,
     * the exclusion counts of their exclusion partners); the backward hop
     * applies -delta. */
    int64_t ndelta;                 /* (offset, delta) pairs in all */
    const int32_t *dlt;             /* [2 * ndelta] */
    /* The tree-update program of link l's list: the ancestors of its leaves
     * that lie on even levels >= 2 (level 0: leaves, level l: nodes [P >> l, P >> (l-1))),
     * level by level from the bottom, each once:
     * prog_node[link[l].prog_off .. + link[l].prog_len).  Entry q re-sums
     * its two children from its four grandchildren and then itself, so the
     * values climb two levels per trip through memory; a child that did not
     * change is rewritten with the same bits (every node is the sum of its
     * children).  prog_root: also re-sum the root after the program (odd
     * number of levels).  NULL when too large: the loop then re-sums the
     * ancestors of the changed leaves (lihop_bkl_set_sorted). */
    int32_t prog_root;
    int64_t nprog;                  /* prog_node entries */
    const int32_t *prog_node;       /* [nprog] */
} lihop_garnet_model;

/* Per-replica site state: occ[s] in {0,1}; nnb[s] = occupied hop neighbours of
 * s (with multiplicity); nblk[s] = occupied exclusion partners of s. */

LIHOP_HD static inline int lihop_garnet_hop_allowed(uint8_t occ_i, uint8_t occ_j, int32_t nblk_j, int32_t excl_self)
{
    return occ_i && !occ_j && nblk_j - excl_self == 0;
}

/* The pair-interaction part of dE for the count difference c: E_nn c_0 +
 * V_1 c_1 + ... from the balanced mixed-radix digits of c (top of the file).
 * Reverse hops have -c, hence negated digits and exactly the negated sum. */
LIHOP_HD static inline double lihop_garnet_interaction_eV(const lihop_garnet_model *m, int32_t c)
{
    if (m->nshells == 0) return m->E_nn_eV * (double)c;
    double E = 0.0;
    for (int32_t k = 0; k <= m->nshells; ++k) {
        const int32_t h = m->shell_half[k], B = 2 * h + 1;
        const int32_t d = ((c + h) % B + B) % B - h;     /* digit in [-h, h] */
        c = (c - d) / B;
        const double term = (k == 0 ? m->E_nn_eV : m->shell_E_eV[k - 1]) * (double)d;
        E = k == 0 ? term : E + term;
    }
    return E;
}

/* Rate of an allowed event e at neighbour-count difference c (see rate_tab). */
LIHOP_HD static inline double lihop_garnet_rate_of(const lihop_garnet_model *m, int32_t e, int32_t c)
{
    double dE = m->edge_dE0_eV[e] + lihop_garnet_interaction_eV(m, c);
    return lihop_rate(m->rate_law, m->nu_Hz, m->edge_kra_eV[e], dE, m->kT_eV);
}

/* Rate of event e in the current state (0 when not allowed). */
LIHOP_HD static inline double lihop_garnet_edge_rate(const lihop_garnet_model *m, int32_t e, const uint8_t *occ,
                                                     const int32_t *nnb, const int32_t *nblk)
{
    int32_t i = m->edge_src[e], j = m->hop_nbr[e];
    if (!lihop_garnet_hop_allowed(occ[i], occ[j], nblk[j], (int32_t)m->edge_excl_self[e])) return 0.0;
    int32_t c = nnb[j] - m->edge_mult[e] - nnb[i];
    if (m->rate_tab) return m->rate_tab[m->edge_tab0[e] + m->tab_cstride * c];
    return lihop_garnet_rate_of(m, e, c);
}

/* Put a Li on empty site s (initial placement) or take it off (delta = -1). */
LIHOP_HD static inline void lihop_garnet_occupy(const lihop_garnet_model *m, int32_t s, int32_t delta, uint8_t *occ,
                                                int32_t *nnb, int32_t *nblk)
{
    occ[s] = (uint8_t)(delta > 0 ? 1 : 0);
    for (int32_t e = m->hop_start[s]; e < m->hop_start[s + 1]; ++e) nnb[m->hop_nbr[e]] += delta;
    if (m->nshells > 0)
        for (int32_t x = m->pair_start[s]; x < m->pair_start[s + 1]; ++x) nnb[m->pair_nbr[x]] += delta * m->pair_w[x];
    for (int32_t x = m->excl_start[s]; x < m->excl_start[s + 1]; ++x) nblk[m->excl_nbr[x]] += delta;
}

/* Site bookkeeping of the hop i -> j. */
LIHOP_HD static inline void lihop_garnet_move(const lihop_garnet_model *m, int32_t i, int32_t j, uint8_t *occ,
                                              int32_t *nnb, int32_t *nblk)
{
    lihop_garnet_occupy(m, i, -1, occ, nnb, nblk);
    lihop_garnet_occupy(m, j, +1, occ, nnb, nblk);
}

/* Append the edges out of s (unless in_only) and into s to list, each edge once
 * per epoch (stamp[e] == epoch marks it as listed). */
LIHOP_HD static inline int32_t lihop_garnet_touch_site(const lihop_garnet_model *m, int32_t s, int in_only,
                                                       uint32_t *stamp, uint32_t epoch, int32_t *list, int32_t n)
{
    for (int32_t e = m->hop_start[s]; e < m->hop_start[s + 1]; ++e) {
        if (!in_only && stamp[e] != epoch) { stamp[e] = epoch; list[n++] = e; }
        int32_t r = m->edge_rev[e];
        if (stamp[r] != epoch) { stamp[r] = epoch; list[n++] = r; }
    }
    return n;
}

/* The events whose rate can change when a Li hops i -> j (each listed once;
 * the list needs room for nedges entries).  The rate of a -> b is a function
 * of occ[a], occ[b], nblk[b] and, when E_nn != 0, nnb[a] and nnb[b].  The hop
 * changes occ at i and j, nnb at the hop neighbours of i and j, and nblk at
 * the exclusion partners of i and j.  So the exact set is:
 *   all edges out of and into i and j;
 *   if E_nn != 0: all edges out of and into every hop neighbour of i and j;
 *   all edges into every exclusion partner of i and j (nblk only matters for
 *   the destination; sources are occupied, their partners empty).
 * With pair shells nnb also changes at the shell partners of i and j: all
 * edges out of and into each of them too.
 * Edges into s are the reverses of the edges out of s (the graph is symmetric). */
LIHOP_HD static inline int32_t lihop_garnet_affected(const lihop_garnet_model *m, int32_t i, int32_t j,
                                                     uint32_t *stamp, uint32_t epoch, int32_t *list)
{
    int32_t n = 0;
    n = lihop_garnet_touch_site(m, i, 0, stamp, epoch, list, n);
    n = lihop_garnet_touch_site(m, j, 0, stamp, epoch, list, n);
    if (m->interacting) {
        for (int32_t e = m->hop_start[i]; e < m->hop_start[i + 1]; ++e)
            n = lihop_garnet_touch_site(m, m->hop_nbr[e], 0, stamp, epoch, list, n);
        for (int32_t e = m->hop_start[j]; e < m->hop_start[j + 1]; ++e)
            n = lihop_garnet_touch_site(m, m->hop_nbr[e], 0, stamp, epoch, list, n);
    }
    if (m->nshells > 0) {
        for (int32_t x = m->pair_start[i]; x < m->pair_start[i + 1]; ++x)
            n = lihop_garnet_touch_site(m, m->pair_nbr[x], 0, stamp, epoch, list, n);
        for (int32_t x = m->pair_start[j]; x < m->pair_start[j + 1]; ++x)
            n = lihop_garnet_touch_site(m, m->pair_nbr[x], 0, stamp, epoch, list, n);
    }
    for (int32_t x = m->excl_start[i]; x < m->excl_start[i + 1]; ++x)
        n = lihop_garnet_touch_site(m, m->excl_nbr[x], 1, stamp, epoch, list, n);
    for (int32_t x = m->excl_start[j]; x < m->excl_start[j + 1]; ++x)
        n = lihop_garnet_touch_site(m, m->excl_nbr[x], 1, stamp, epoch, list, n);
    return n;
}

#endif
