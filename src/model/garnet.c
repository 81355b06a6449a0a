/* garnet.c - the garnet lattice gas, model layer: parameters, the prepared
 * model (hop graph, shells, rate tables, affected lists, link records) and the
 * run length (pilot).  The CPU/GPU strategy is backend/garnet_cpu.c, the
 * observables diag/garnet_observe.c; the replica loop is in garnet_replica.h,
 * the per-hop maths in garnet_event.h and the selector in bkl_tree.h, all
 * shared with the CUDA twin (cuda/garnet.cu). */
#include "constants.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "garnet_impl.h"
#include "garnet_replica.h"
#include "bkl_tree.h"
#include "rng.h"


void lihop_garnet_params_default(lihop_garnet_params *p)
{
    memset(p, 0, sizeof *p);
    p->nu_Hz = 1e13;
    p->T_K = 298.15;
    p->rate_law = LIHOP_RATE_KRA;
    p->nreplicas = LIHOP_GARNET_DEFAULT_REPLICAS;
    p->seed = 1;
    p->hops_per_li = LIHOP_GARNET_DEFAULT_HOPS_PER_LI;
    p->equil_hops_per_li = LIHOP_GARNET_DEFAULT_EQUIL_HOPS_PER_LI;
    p->nsamples = LIHOP_GARNET_DEFAULT_SAMPLES;
    p->fit_from = LIHOP_GARNET_DEFAULT_FIT_FROM;
    p->fit_to = LIHOP_GARNET_DEFAULT_FIT_TO;
    p->nbatches = LIHOP_GARNET_DEFAULT_BATCHES;
}

/* Frees every array g owns: the model's (garnet_arrays.h) and the host's
 * (LIHOP_GARNET_HOST_ARRAYS, garnet_impl.h). */
void lihop_garnet_destroy(lihop_garnet *g)
{
    if (!g) return;
#define LIHOP_FREE_MODEL_ARRAY(type, field, count, present) free(g->field);
#define LIHOP_FREE_HOST_ARRAY(type, field) free(g->field);
    LIHOP_GARNET_MODEL_ARRAYS(LIHOP_FREE_MODEL_ARRAY, &g->model)
    LIHOP_GARNET_HOST_ARRAYS(LIHOP_FREE_HOST_ARRAY)
#undef LIHOP_FREE_MODEL_ARRAY
#undef LIHOP_FREE_HOST_ARRAY
    free(g);
}

const lihop_garnet_model *lihop_garnet_model_get(const lihop_garnet *g) { return &g->model; }
const lihop_garnet_params *lihop_garnet_params_get(const lihop_garnet *g) { return &g->p; }
const double *lihop_garnet_site_energy_eV(const lihop_garnet *g) { return g->eps_eV; }

static int finite_d(double x) { return x == x && x - x == 0.0; }

static lihop_status check_params(const lihop_garnet_params *p, int nsub, int32_t nsites, lihop_err *err)
{
    if (!(p->nu_Hz > 0.0) || !finite_d(p->nu_Hz))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: nu_Hz must be > 0 (got %g)", p->nu_Hz);
    if (!(p->T_K > 0.0) || !finite_d(p->T_K))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: T_K must be > 0 (got %g)", p->T_K);
    if (p->rate_law != LIHOP_RATE_KRA && p->rate_law != LIHOP_RATE_METROPOLIS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: rate_law must be kra or metropolis");
    if (p->nli < 1 || p->nli > nsites)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: nli must be in 1..%d (sites of the supercell), got %lld",
                          (int)nsites, (long long)p->nli);
    if (p->nreplicas < 1 || p->nreplicas >= (int64_t)PILOT_ID)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: nreplicas must be in 1..%lld, got %lld",
                          (long long)PILOT_ID - 1, (long long)p->nreplicas);
    if (!(p->time_s >= 0.0) || !finite_d(p->time_s))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: time_s must be >= 0 (got %g)", p->time_s);
    if (p->time_s == 0.0 && (!(p->hops_per_li > 0.0) || !finite_d(p->hops_per_li)))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: give time_s > 0 or hops_per_li > 0");
    if (!(p->equil_hops_per_li >= 0.0) || !finite_d(p->equil_hops_per_li))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: equil_hops_per_li must be >= 0 (got %g)",
                          p->equil_hops_per_li);
    if (p->nsamples < 1 || p->nsamples > MAXS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: nsamples must be in 1..%d, got %d", MAXS, p->nsamples);
    if (!(p->fit_from >= 0.0 && p->fit_from < p->fit_to && p->fit_to <= 1.0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: need 0 <= fit_from < fit_to <= 1, got %g and %g",
                          p->fit_from, p->fit_to);
    if (p->nbatches < 1)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: nbatches must be >= 1, got %d", p->nbatches);
    if (p->check_every < 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: check_every must be >= 0");
    if (!(p->disorder_sigma_eV >= 0.0) || !finite_d(p->disorder_sigma_eV))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: disorder_sigma_eV must be >= 0 (got %g)",
                          p->disorder_sigma_eV);
    if (!finite_d(p->E_nn_eV))
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: E_nn_eV must be finite");
    if (p->npair_shells < 0 || p->npair_shells > LIHOP_GARNET_MAX_SHELLS)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: npair_shells must be in 0..%d, got %d",
                          LIHOP_GARNET_MAX_SHELLS, p->npair_shells);
    for (int k = 0; k < p->npair_shells; ++k) {
        double lo = p->pair_shell_min_A[k], hi = p->pair_shell_max_A[k];
        if (!finite_d(p->pair_shell_eV[k]))
            return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: pair shell %d: energy must be finite", k + 1);
        if (!(lo >= 0.0) || !(hi > lo) || !finite_d(hi))
            return lihop_fail(err, LIHOP_ERR_INPUT,
                              "garnet: pair shell %d: need 0 <= min_A < max_A (got %g, %g A)", k + 1, lo, hi);
        for (int q = 0; q < k; ++q)
            if (lo < p->pair_shell_max_A[q] && p->pair_shell_min_A[q] < hi)
                return lihop_fail(err, LIHOP_ERR_INPUT,
                                  "garnet: pair shells %d [%g, %g) A and %d [%g, %g) A overlap", q + 1,
                                  p->pair_shell_min_A[q], p->pair_shell_max_A[q], k + 1, lo, hi);
    }
    for (int a = 0; a < 3; ++a)
        if (!finite_d(p->field_V_m[a]))
            return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: field_V_m must be finite");
    for (int a = 0; a < nsub; ++a) {
        if (!finite_d(p->site_energy_eV[a]))
            return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: site_energy_eV[%d] must be finite", a);
        for (int b = 0; b < nsub; ++b) {
            if (!finite_d(p->E_kra_eV[a][b]))
                return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: E_kra_eV[%d][%d] must be finite", a, b);
            /* an asymmetric barrier would break detailed balance of the kra law */
            if (p->E_kra_eV[a][b] != p->E_kra_eV[b][a])
                return lihop_fail(err, LIHOP_ERR_INPUT,
                                  "garnet: E_kra_eV must be symmetric, [%d][%d] = %g but [%d][%d] = %g "
                                  "(the T->O / O->T asymmetry comes from dE/2)",
                                  a, b, p->E_kra_eV[a][b], b, a, p->E_kra_eV[b][a]);
        }
    }
    return LIHOP_OK;
}

/* Pair shells: the merged partner lists, the radix of the packed neighbour
 * count and the weighted multiplicity of every edge (garnet_event.h, top).
 * Without shells: site_w = hop degree and edge_mult stays m_0. */
static lihop_status build_shells(lihop_garnet *g, const lihop_lattice *lat, const lihop_garnet_params *p,
                                 lihop_err *err)
{
    const int32_t N = g->nsites;
    const int K = p->npair_shells;
    lihop_garnet_model *m = &g->model;
    int32_t h0 = 0;
    for (int32_t s = 0; s < N; ++s) {
        int32_t d = g->hop_start[s + 1] - g->hop_start[s];
        g->site_w[s] = d;
        if (d > h0) h0 = d;
    }
    m->nshells = K;
    m->shell_half[0] = h0;
    if (K == 0) return LIHOP_OK;

    int32_t *st[LIHOP_GARNET_MAX_SHELLS] = {0}, *nb[LIHOP_GARNET_MAX_SHELLS] = {0};
    int64_t np[LIHOP_GARNET_MAX_SHELLS] = {0}, B[LIHOP_GARNET_MAX_SHELLS + 1], total = 0;
    lihop_status rc = LIHOP_OK;
    B[0] = 1;
    int64_t radix = 2 * (int64_t)h0 + 1;
    for (int k = 0; k < K && rc == LIHOP_OK; ++k) {
        rc = lihop_lattice_pairs(lat, p->pair_shell_min_A[k], p->pair_shell_max_A[k], &st[k], &nb[k], &np[k], err);
        if (rc != LIHOP_OK) break;
        if (np[k] == 0) {
            rc = lihop_fail(err, LIHOP_ERR_INPUT,
                            "garnet: pair shell %d [%g, %g) A contains no pair of sites of this lattice", k + 1,
                            p->pair_shell_min_A[k], p->pair_shell_max_A[k]);
            break;
        }
        int32_t hk = 0;
        for (int32_t s = 0; s < N; ++s)
            if (st[k][s + 1] - st[k][s] > hk) hk = st[k][s + 1] - st[k][s];
        B[k + 1] = radix;
        radix *= 2 * (int64_t)hk + 1;
        m->shell_half[k + 1] = hk;
        m->shell_E_eV[k] = p->pair_shell_eV[k];
        total += np[k];
        /* every count difference must fit the 32-bit packed neighbour count */
        if (radix > ((int64_t)1 << 30))
            rc = lihop_fail(err, LIHOP_ERR_INPUT,
                            "garnet: pair shells have too many partners per site for the packed neighbour count "
                            "(radix %lld > 2^30); use fewer or narrower shells", (long long)radix);
    }
    if (rc == LIHOP_OK && total > INT32_MAX)
        rc = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: too many shell pairs (%lld)", (long long)total);
    if (rc == LIHOP_OK) {
        g->pair_start = (int32_t *)malloc(sizeof(int32_t) * ((size_t)N + 1));
        g->pair_nbr = (int32_t *)malloc(sizeof(int32_t) * (size_t)total);
        g->pair_w = (int32_t *)malloc(sizeof(int32_t) * (size_t)total);
        if (!g->pair_start || !g->pair_nbr || !g->pair_w)
            rc = lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (pair shells)");
    }
    if (rc == LIHOP_OK) {
        int64_t q = 0;
        for (int32_t s = 0; s < N; ++s) {
            g->pair_start[s] = (int32_t)q;
            for (int k = 0; k < K; ++k)
                for (int32_t x = st[k][s]; x < st[k][s + 1]; ++x) {
                    g->pair_nbr[q] = nb[k][x];
                    g->pair_w[q] = (int32_t)B[k + 1];
                    g->site_w[s] += B[k + 1];
                    ++q;
                }
        }
        g->pair_start[N] = (int32_t)q;
        for (int32_t e = 0; e < g->nedges; ++e) {
            const int32_t i = g->edge_src[e], j = g->hop_nbr[e];
            for (int32_t x = g->pair_start[i]; x < g->pair_start[i + 1]; ++x)
                if (g->pair_nbr[x] == j) g->edge_mult[e] += g->pair_w[x];
        }
        m->npairs = total;
    }
    for (int k = 0; k < K; ++k) { free(st[k]); free(nb[k]); }
    return rc;
}

/* Standard normal for site i from its own Philox stream (Marsaglia polar:
 * only log and sqrt, so it does not depend on the libm's trig functions). */
static double disorder_normal(uint64_t seed, int32_t i)
{
    return lihop_normal(seed, DISORDER_SUBSEQ | (uint64_t)(uint32_t)i);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Most sum-tree nodes the per-event update programs may hold in all (int32
 * entries); beyond it the event loop re-sums changed paths only. */
#define MAX_PROG_ENTRIES ((int64_t)1 << 26)

/* The update program of every affected list: the distinct ancestors of its
 * leaves, level by level from the bottom.  Leaves the program arrays NULL
 * (no error) when they would be too large. */
static lihop_status build_programs(lihop_garnet *g)
{
    lihop_garnet_model *m = &g->model;
    const int32_t E = g->nlinks;
    const int64_t P = lihop_bkl_leaves(E);
    if (P > ((int64_t)1 << 30)) return LIHOP_OK;
    int32_t *lv = (int32_t *)malloc(sizeof(int32_t) * ((size_t)m->max_aff + 1));
    g->prog_off = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    g->prog_len = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    int64_t cap = 4 * g->naff + 64, n = 0;
    g->prog_node = (int32_t *)malloc(sizeof(int32_t) * (size_t)cap);
    lihop_status st = LIHOP_OK;
    if (!lv || !g->prog_off || !g->prog_len || !g->prog_node) st = LIHOP_ERR_NOMEM;
    for (int32_t e = 0; e < E && st == LIHOP_OK; ++e) {   /* e: a link */
        int32_t k = g->aff_len[e];
        memcpy(lv, g->aff_list + g->aff_off[e], sizeof(int32_t) * (size_t)k);
        int64_t start = n;
        int level = 0;
        for (int64_t first = P; first > 1; first >>= 1) {  /* as lihop_bkl_set_sorted */
            int32_t q = 0;
            int64_t prev = -1;
            ++level;                                        /* of the parents */
            for (int32_t t = 0; t < k; ++t) {
                int64_t node = (first + lv[t]) >> 1;
                if (node == prev) continue;
                prev = node;
                lv[q++] = (int32_t)(node - (first >> 1));
                if (level % 2 != 0) continue;               /* odd levels: summed by the level above */
                if (n == cap) {
                    if (cap >= MAX_PROG_ENTRIES) { st = LIHOP_ERR_INPUT; break; }
                    cap *= 2;
                    int32_t *grown = (int32_t *)realloc(g->prog_node, sizeof(int32_t) * (size_t)cap);
                    if (!grown) { st = LIHOP_ERR_NOMEM; break; }
                    g->prog_node = grown;
                }
                g->prog_node[n++] = (int32_t)node;
            }
            if (st != LIHOP_OK) break;
            k = q;
        }
        g->prog_off[e] = (int32_t)start;
        g->prog_len[e] = (int32_t)(n - start);
    }
    free(lv);
    if (st == LIHOP_ERR_NOMEM) return st;
    if (st != LIHOP_OK) { /* too large: run without programs */
        free(g->prog_off); free(g->prog_len); free(g->prog_node);
        g->prog_off = g->prog_len = g->prog_node = NULL;
        return LIHOP_OK;
    }
    int levels = 0;
    for (int64_t x = P; x > 1; x >>= 1) ++levels;
    g->nprog = n;
    m->prog_root = levels % 2;
    m->nprog = n;
    return LIHOP_OK;
}

/* The links, and the affected list of every link: the links of the edges
 * lihop_garnet_affected lists for its hop, each once, sorted; fills
 * link_edge, edge_link and aff_list (garnet_event.h; the model points at them
 * once published) and the model's counts, then the tree-update programs. */
static lihop_status build_affected(lihop_garnet *g)
{
    lihop_garnet_model *m = &g->model;
    const int32_t E = g->nedges, L = E / 2;
    g->nlinks = L;
    g->link_edge = (int32_t *)malloc(sizeof(int32_t) * (size_t)(L > 0 ? L : 1));
    g->edge_link = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    uint32_t *stamp = (uint32_t *)calloc((size_t)E, sizeof(uint32_t));
    uint32_t *lstamp = (uint32_t *)calloc((size_t)(L > 0 ? L : 1), sizeof(uint32_t));
    int32_t *list = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    g->aff_off = (int32_t *)malloc(sizeof(int32_t) * (size_t)(L > 0 ? L : 1));
    g->aff_len = (int32_t *)malloc(sizeof(int32_t) * (size_t)(L > 0 ? L : 1));
    int64_t cap = 16 * (int64_t)E + 16, n = 0;
    g->aff_list = (int32_t *)malloc(sizeof(int32_t) * (size_t)cap);
    lihop_status st = LIHOP_OK;
    if (!g->link_edge || !g->edge_link || !stamp || !lstamp || !list || !g->aff_off || !g->aff_len || !g->aff_list)
        st = LIHOP_ERR_NOMEM;
    int32_t nl = 0;
    for (int32_t e = 0; e < E && st == LIHOP_OK; ++e) {   /* edge_rev is an involution without fixed points */
        const int32_t r = g->edge_rev[e];
        if (e < r) { g->link_edge[nl] = e; g->edge_link[e] = g->edge_link[r] = nl; ++nl; }
    }
    uint32_t epoch = 0;
    int32_t maxlen = 0;
    for (int32_t l = 0; l < L && st == LIHOP_OK; ++l) {
        const int32_t f = g->link_edge[l];
        const int32_t ke = lihop_garnet_affected(m, g->edge_src[f], g->hop_nbr[f], stamp, ++epoch, list);
        int32_t k = 0;
        for (int32_t q = 0; q < ke; ++q) {
            const int32_t x = g->edge_link[list[q]];
            if (lstamp[x] != epoch) { lstamp[x] = epoch; list[k++] = x; }
        }
        qsort(list, (size_t)k, sizeof(int32_t), cmp_i32);
        if (n + k > INT32_MAX) { st = LIHOP_ERR_INPUT; break; }
        if (n + k > cap) {
            while (n + k > cap) cap *= 2;
            int32_t *grown = (int32_t *)realloc(g->aff_list, sizeof(int32_t) * (size_t)cap);
            if (!grown) { st = LIHOP_ERR_NOMEM; break; }
            g->aff_list = grown;
        }
        memcpy(g->aff_list + n, list, sizeof(int32_t) * (size_t)k);
        g->aff_off[l] = (int32_t)n;
        g->aff_len[l] = k;
        n += k;
        if (k > maxlen) maxlen = k;
    }
    free(stamp);
    free(lstamp);
    free(list);
    if (st != LIHOP_OK) return st;
    m->nlinks = L;
    g->naff = n;
    m->naff = n;
    m->max_aff = maxlen;
    return build_programs(g);
}

/* The packed link of every affected-list entry (model aff_pk). */
static lihop_status pack_affected_links(lihop_garnet *g)
{
    g->aff_pk = (lihop_garnet_link_pk *)malloc(sizeof(lihop_garnet_link_pk) * (size_t)(g->naff > 0 ? g->naff : 1));
    if (!g->aff_pk) return LIHOP_ERR_NOMEM;
    for (int64_t x = 0; x < g->naff; ++x) {
        const int32_t f = g->link_edge[g->aff_list[x]];
        const lihop_garnet_edge_pk fw = g->edge_pk[f], bw = g->edge_pk[g->edge_rev[f]];
        lihop_garnet_link_pk *q = g->aff_pk + x;
        q->a = fw.src; q->b = fw.dst;
        q->tab0m_fwd = fw.tab0m; q->tab0m_bwd = bw.tab0m;
        q->xself2_fwd = fw.xself2; q->xself2_bwd = bw.xself2;
    }
    return LIHOP_OK;
}

/* Add up in acc[] the change of the packed site state when a Li hops forward
 * along link l, listing every offset touched once in touched[] (seen[] marks
 * them); returns how many. */
static int32_t link_site_deltas(const lihop_garnet *g, int32_t l, int64_t *acc, int32_t *touched, uint8_t *seen)
{
    const int32_t e = g->link_edge[l];
    int32_t nt = 0;
#define LIHOP_ADD_DELTA(off_, d_)                                   \
    do {                                                            \
        const int32_t o_ = (off_);                                  \
        if (!seen[o_]) { seen[o_] = 1; touched[nt++] = o_; }        \
        acc[o_] += (d_);                                            \
    } while (0)
    for (int side = 0; side < 2; ++side) {     /* src loses the Li (-), dst gains it (+) */
        const int32_t s = side ? g->hop_nbr[e] : g->edge_src[e];
        const int64_t d = side ? 1 : -1;
        LIHOP_ADD_DELTA(2 * s + 1, d);
        for (int32_t f = g->hop_start[s]; f < g->hop_start[s + 1]; ++f) LIHOP_ADD_DELTA(2 * g->hop_nbr[f], d);
        if (g->pair_start)
            for (int32_t x = g->pair_start[s]; x < g->pair_start[s + 1]; ++x)
                LIHOP_ADD_DELTA(2 * g->pair_nbr[x], d * g->pair_w[x]);
        for (int32_t x = g->excl_start[s]; x < g->excl_start[s + 1]; ++x)
            LIHOP_ADD_DELTA(2 * g->excl_nbr[x] + 1, 2 * d);
    }
#undef LIHOP_ADD_DELTA
    return nt;
}

/* The site-state deltas of every link's forward hop (model dlt; dlt_off,
 * dlt_len), merged per offset (the two sites' contributions may meet at a
 * common neighbour), zeros dropped, sorted by offset. */
static lihop_status build_deltas(lihop_garnet *g)
{
    const int32_t E = g->nedges, N = g->nsites, L = g->nlinks;
    g->dlt_off = (int32_t *)malloc(sizeof(int32_t) * (size_t)(L > 0 ? L : 1));
    g->dlt_len = (int32_t *)malloc(sizeof(int32_t) * (size_t)(L > 0 ? L : 1));
    int64_t *acc = (int64_t *)calloc(2 * (size_t)N, sizeof(int64_t));
    int32_t *touched = (int32_t *)malloc(sizeof(int32_t) * 2 * (size_t)N);
    uint8_t *seen = (uint8_t *)calloc(2 * (size_t)N, 1);
    int64_t cap = 8 * (int64_t)E + 16, n = 0;
    g->dlt = (int32_t *)malloc(sizeof(int32_t) * 2 * (size_t)cap);
    lihop_status st = LIHOP_OK;
    if (!g->dlt_off || !g->dlt_len || !acc || !touched || !seen || !g->dlt) st = LIHOP_ERR_NOMEM;
    for (int32_t l = 0; l < L && st == LIHOP_OK; ++l) {
        const int32_t nt = link_site_deltas(g, l, acc, touched, seen);
        qsort(touched, (size_t)nt, sizeof(int32_t), cmp_i32);
        if (n + nt > INT32_MAX) { st = LIHOP_ERR_INPUT; break; }
        if (n + nt > cap) {
            while (n + nt > cap) cap *= 2;
            int32_t *grown = (int32_t *)realloc(g->dlt, sizeof(int32_t) * 2 * (size_t)cap);
            if (!grown) { st = LIHOP_ERR_NOMEM; break; }
            g->dlt = grown;
        }
        const int64_t start = n;
        for (int32_t k = 0; k < nt; ++k) {
            const int32_t o = touched[k];
            if (acc[o] != 0) {
                if (acc[o] > INT32_MAX || acc[o] < -INT32_MAX) { st = LIHOP_ERR_INPUT; break; }
                g->dlt[2 * n] = o;
                g->dlt[2 * n + 1] = (int32_t)acc[o];
                ++n;
            }
            acc[o] = 0;
            seen[o] = 0;
        }
        g->dlt_off[l] = (int32_t)start;
        g->dlt_len[l] = (int32_t)(n - start);
    }
    free(acc); free(touched); free(seen);
    if (st != LIHOP_OK) return st;
    g->ndelta = n;
    g->model.ndelta = n;
    return LIHOP_OK;
}

/* The 64-byte record of every link (model link): its sites and hop vector and
 * where its affected list, deltas and tree-update program lie. */
static lihop_status build_link_records(lihop_garnet *g)
{
    const int32_t L = g->nlinks;
    g->link = (lihop_garnet_link_rec *)calloc((size_t)(L > 0 ? L : 1), sizeof(lihop_garnet_link_rec));
    if (!g->link) return LIHOP_ERR_NOMEM;
    for (int32_t l = 0; l < L; ++l) {
        lihop_garnet_link_rec *r = g->link + l;
        const int32_t f = g->link_edge[l];
        for (int a = 0; a < 3; ++a) r->vec_A[a] = g->edge_vec_A[3 * (size_t)f + a];
        r->d2_A2 = g->edge_d2_A2[f];
        r->a = g->edge_src[f];
        r->b = g->hop_nbr[f];
        r->aff_off = g->aff_off[l];
        r->aff_len = g->aff_len[l];
        r->dlt_off = g->dlt_off[l];
        r->dlt_len = g->dlt_len[l];
        r->prog_off = g->prog_node ? g->prog_off[l] : 0;
        r->prog_len = g->prog_node ? g->prog_len[l] : 0;
    }
    return LIHOP_OK;
}

/* The per-hop records the event loop streams (garnet_event.h): the packed
 * links of the affected lists, the site-state deltas and the link records. */
static lihop_status build_hop_records(lihop_garnet *g)
{
    lihop_status st = pack_affected_links(g);
    if (st == LIHOP_OK) st = build_deltas(g);
    if (st == LIHOP_OK) st = build_link_records(g);
    return st;
}

/* Point the model at the arrays g owns (garnet_arrays.h). */
static void model_publish_arrays(lihop_garnet *g)
{
#define LIHOP_PUBLISH_ARRAY(type, field, count, present) g->model.field = g->field;
    LIHOP_GARNET_MODEL_ARRAYS(LIHOP_PUBLISH_ARRAY, &g->model)
#undef LIHOP_PUBLISH_ARRAY
}

/* ---- lihop_garnet_create, step by step ------------------------------------- */

/* The lattice's counts, before anything is copied. */
static lihop_status check_lattice(const lihop_lattice *lat, lihop_err *err)
{
    if (lat->nsites < 1) return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: lattice has no sites");
    if (lat->nsub < 1 || lat->nsub > MAXSUB)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: lattice has %d sublattices (1..%d)", lat->nsub, MAXSUB);
    if (lat->nhops < 1 || lat->nhops > INT32_MAX)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: lattice has %lld hop edges (1..%d)",
                          (long long)lat->nhops, INT32_MAX);
    if (lat->nexcl < 0 || lat->nexcl > INT32_MAX)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: bad exclusion count %lld", (long long)lat->nexcl);
    return LIHOP_OK;
}

static double cell_volume_A3(const double cell[3][3])
{
    return fabs(cell[0][0] * (cell[1][1] * cell[2][2] - cell[1][2] * cell[2][1])
              - cell[0][1] * (cell[1][0] * cell[2][2] - cell[1][2] * cell[2][0])
              + cell[0][2] * (cell[1][0] * cell[2][1] - cell[1][1] * cell[2][0]));
}

/* A new model holding the parameters and a copy of the lattice's sites and
 * graph, with room for the per-site and per-edge tables; NULL when out of
 * memory. */
static lihop_garnet *garnet_new(const lihop_lattice *lat, const lihop_garnet_params *p)
{
    lihop_garnet *g = (lihop_garnet *)calloc(1, sizeof *g);
    if (!g) return NULL;
    g->p = *p;
    g->p.phi_V = NULL;   /* the per-site arrays are used at create time only (copied or folded in) */
    g->p.site_shift_eV = NULL;
    g->p.kra_shift_eV = NULL;
    const int32_t N = lat->nsites, E = (int32_t)lat->nhops, X = (int32_t)lat->nexcl;
    g->nsites = N; g->nedges = E; g->nexcl = X; g->nsub = lat->nsub;
    for (int s = 0; s < g->nsub; ++s) {
        memcpy(g->subname[s], lat->subname[s], sizeof g->subname[s]);
        g->subname[s][sizeof g->subname[s] - 1] = '\0';
    }
    g->volume_A3 = cell_volume_A3((const double (*)[3])lat->cell_A);

    g->site_sub = (int32_t *)malloc(sizeof(int32_t) * (size_t)N);
    g->hop_start = (int32_t *)malloc(sizeof(int32_t) * ((size_t)N + 1));
    g->hop_nbr = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    g->edge_src = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    g->edge_rev = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    g->excl_start = (int32_t *)malloc(sizeof(int32_t) * ((size_t)N + 1));
    g->excl_nbr = (int32_t *)malloc(sizeof(int32_t) * ((size_t)X + 1));
    g->edge_mult = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    g->site_w = (int64_t *)malloc(sizeof(int64_t) * (size_t)N);
    g->edge_excl_self = (uint8_t *)malloc((size_t)E);
    g->edge_vec_A = (double *)malloc(sizeof(double) * 3 * (size_t)E);
    g->edge_d2_A2 = (double *)malloc(sizeof(double) * (size_t)E);
    g->edge_dE0_eV = (double *)malloc(sizeof(double) * (size_t)E);
    g->edge_kra_eV = (double *)malloc(sizeof(double) * (size_t)E);
    g->eps_eV = (double *)malloc(sizeof(double) * (size_t)N);
    g->phi_V = (double *)calloc((size_t)N, sizeof(double));
    if (!g->site_sub || !g->hop_start || !g->hop_nbr || !g->edge_src || !g->edge_rev || !g->excl_start ||
        !g->excl_nbr || !g->edge_mult || !g->edge_excl_self || !g->edge_vec_A || !g->edge_d2_A2 ||
        !g->edge_dE0_eV || !g->edge_kra_eV || !g->eps_eV || !g->phi_V || !g->site_w) {
        lihop_garnet_destroy(g);
        return NULL;
    }
    memcpy(g->site_sub, lat->sub, sizeof(int32_t) * (size_t)N);
    memcpy(g->hop_start, lat->hop_start, sizeof(int32_t) * ((size_t)N + 1));
    memcpy(g->hop_nbr, lat->hop_nbr, sizeof(int32_t) * (size_t)E);
    memcpy(g->edge_vec_A, lat->hop_vec_A, sizeof(double) * 3 * (size_t)E);
    memcpy(g->excl_start, lat->excl_start, sizeof(int32_t) * ((size_t)N + 1));
    if (X > 0) memcpy(g->excl_nbr, lat->excl_nbr, sizeof(int32_t) * (size_t)X);
    if (p->phi_V) memcpy(g->phi_V, p->phi_V, sizeof(double) * (size_t)N);
    return g;
}

/* The copied graph and the per-site inputs: CSR offsets, sublattices, finite
 * potentials and shifts, edges inside the lattice, symmetric exclusions.
 * Fills sites_per_sub and edge_src. */
static lihop_status check_graph(lihop_garnet *g, const lihop_garnet_params *p, lihop_err *err)
{
    const int32_t N = g->nsites, E = g->nedges, X = g->nexcl;
    lihop_status st = LIHOP_OK;
    if (g->hop_start[0] != 0 || g->hop_start[N] != E || g->excl_start[0] != 0 || g->excl_start[N] != X)
        st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: lattice CSR offsets do not match the edge counts");
    for (int32_t i = 0; i < N && st == LIHOP_OK; ++i) {
        if (g->site_sub[i] < 0 || g->site_sub[i] >= g->nsub)
            st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: site %d has sublattice %d", (int)i, (int)g->site_sub[i]);
        else if (g->hop_start[i + 1] < g->hop_start[i] || g->excl_start[i + 1] < g->excl_start[i])
            st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: lattice CSR offsets decrease at site %d", (int)i);
        if (!finite_d(g->phi_V[i]))
            st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: phi_V[%d] is not finite", (int)i);
        if ((p->site_shift_eV && !finite_d(p->site_shift_eV[i])) || (p->kra_shift_eV && !finite_d(p->kra_shift_eV[i])))
            st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: site or barrier shift of site %d is not finite", (int)i);
    }
    for (int32_t i = 0; i < N && st == LIHOP_OK; ++i) {
        g->sites_per_sub[g->site_sub[i]] += 1;
        for (int32_t e = g->hop_start[i]; e < g->hop_start[i + 1]; ++e) {
            int32_t j = g->hop_nbr[e];
            g->edge_src[e] = i;
            if (j < 0 || j >= N || j == i) {
                st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: hop edge %d of site %d goes to site %d",
                                (int)e, (int)i, (int)j);
                break;
            }
        }
        for (int32_t x = g->excl_start[i]; x < g->excl_start[i + 1] && st == LIHOP_OK; ++x) {
            int32_t j = g->excl_nbr[x];
            if (j < 0 || j >= N || j == i) {
                st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: exclusion partner %d of site %d is site %d",
                                (int)x, (int)i, (int)j);
                break;
            }
            int found = 0;
            for (int32_t y = g->excl_start[j]; y < g->excl_start[j + 1]; ++y) found |= g->excl_nbr[y] == i;
            if (!found)
                st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: exclusion is not symmetric (%d excludes %d, not back)",
                                (int)i, (int)j);
        }
    }
    return st;
}

/* The edge back from hop_nbr[e] to edge_src[e] with the opposite vector, or -1. */
static int32_t find_reverse_edge(const lihop_garnet *g, int32_t e)
{
    const int32_t i = g->edge_src[e], j = g->hop_nbr[e];
    const double *d = g->edge_vec_A + 3 * (size_t)e;
    for (int32_t r = g->hop_start[j]; r < g->hop_start[j + 1]; ++r) {
        const double *dr = g->edge_vec_A + 3 * (size_t)r;
        if (g->hop_nbr[r] == i && fabs(dr[0] + d[0]) < 1e-6 && fabs(dr[1] + d[1]) < 1e-6 &&
            fabs(dr[2] + d[2]) < 1e-6)
            return r;
    }
    return -1;
}

/* Per-edge tables: reverse edge, multiplicity, exclusion of the source by the
 * destination; then no two edges may share a reverse (duplicate hops). */
static lihop_status build_edge_tables(lihop_garnet *g, lihop_err *err)
{
    const int32_t E = g->nedges;
    for (int32_t e = 0; e < E; ++e) {
        int32_t i = g->edge_src[e], j = g->hop_nbr[e];
        g->edge_rev[e] = find_reverse_edge(g, e);
        if (g->edge_rev[e] < 0)
            return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: hop graph not symmetric: %d -> %d has no reverse edge",
                              (int)i, (int)j);
        int mult = 0, self = 0;
        for (int32_t r = g->hop_start[i]; r < g->hop_start[i + 1]; ++r) mult += g->hop_nbr[r] == j;
        for (int32_t x = g->excl_start[j]; x < g->excl_start[j + 1]; ++x) self += g->excl_nbr[x] == i;
        if (mult > 255 || self > 255)
            return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: more than 255 edges join sites %d and %d", (int)i, (int)j);
        g->edge_mult[e] = mult;
        g->edge_excl_self[e] = (uint8_t)self;
    }
    for (int32_t e = 0; e < E; ++e)
        if (g->edge_rev[g->edge_rev[e]] != e)
            return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: duplicate hop edges %d -> %d with the same vector",
                              (int)g->edge_src[e], (int)g->hop_nbr[e]);
    return LIHOP_OK;
}

/* Site energies and the static part of every edge: reverse vectors made exact
 * negatives first (the lattice's minimum-image arithmetic may differ in the
 * last bit), so the reverse hop has exactly -dE. */
static void set_energies(lihop_garnet *g, const lihop_garnet_params *p)
{
    const int32_t N = g->nsites, E = g->nedges;
    for (int32_t e = 0; e < E; ++e) {
        int32_t r = g->edge_rev[e];
        if (e < r)
            for (size_t a = 0; a < 3; ++a) g->edge_vec_A[3 * (size_t)r + a] = -g->edge_vec_A[3 * (size_t)e + a];
    }
    for (int32_t i = 0; i < N; ++i) {
        double eps = p->site_energy_eV[g->site_sub[i]];
        if (p->disorder_sigma_eV > 0.0) eps += p->disorder_sigma_eV * disorder_normal(p->disorder_seed, i);
        if (p->site_shift_eV) eps += p->site_shift_eV[i];
        g->eps_eV[i] = eps;
    }
    for (int32_t e = 0; e < E; ++e) {
        int32_t i = g->edge_src[e], j = g->hop_nbr[e];
        const double *d = g->edge_vec_A + 3 * (size_t)e;
        g->edge_dE0_eV[e] = lihop_garnet_static_dE(g->eps_eV[i], g->eps_eV[j], g->phi_V[i], g->phi_V[j],
                                                   p->field_V_m, d);
        g->edge_kra_eV[e] = p->E_kra_eV[g->site_sub[i]][g->site_sub[j]];
        if (p->kra_shift_eV) g->edge_kra_eV[e] += 0.5 * (p->kra_shift_eV[i] + p->kra_shift_eV[j]);
        g->edge_d2_A2[e] = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    }
}

/* The model's counts and rate-law scalars (the shells are set by
 * build_shells), and its arrays as far as they exist; the rate table stays off
 * (NULL) until it is filled. */
static void model_init(lihop_garnet *g, const lihop_garnet_params *p, int interacting, int32_t cstride)
{
    lihop_garnet_model *m = &g->model;
    m->nsites = g->nsites;
    m->nedges = g->nedges;
    m->nexcl = g->nexcl;
    m->nsub = g->nsub;
    m->E_nn_eV = p->E_nn_eV;
    m->interacting = interacting;
    m->kT_eV = LIHOP_KB_EV * p->T_K;
    m->nu_Hz = p->nu_Hz;
    m->rate_law = (int32_t)p->rate_law;
    m->tab_cstride = cstride;
    model_publish_arrays(g);
    m->rate_tab = NULL;      /* filled with the direct formula, then switched on */
}

/* The c range [cmin, cmax] of edge e's row of the rate table. */
static void rate_row_range(const lihop_garnet *g, int32_t e, int32_t cstride, int32_t *cmin, int32_t *cmax)
{
    *cmin = cstride ? -(int32_t)g->site_w[g->edge_src[e]] : 0;
    *cmax = cstride ? (int32_t)g->site_w[g->hop_nbr[e]] - g->edge_mult[e] : 0;
}

/* Edge e's row was just written at rate_tab[start, start + len) for c in
 * [cmin, cmax].  When an earlier edge's row has the same range and the same
 * bytes, point e at it and return 1 (the caller drops the new row); else
 * register the row in the hash (hrow: open addressing over edges, -1 empty)
 * and return 0. */
static int share_rate_row(lihop_garnet *g, int64_t *hrow, int64_t hsize, int32_t e, int32_t cstride, int32_t cmin,
                          int32_t cmax, int64_t start, int64_t len)
{
    uint64_t hash = 1469598103934665603ull ^ (uint64_t)(uint32_t)cmin;
    const unsigned char *bytes = (const unsigned char *)(g->rate_tab + start);
    for (size_t b = 0; b < sizeof(double) * (size_t)len; ++b) hash = (hash ^ bytes[b]) * 1099511628211ull;
    int64_t h = (int64_t)(hash & (uint64_t)(hsize - 1));
    for (; hrow[h] >= 0; h = (h + 1) & (hsize - 1)) {
        int32_t f = (int32_t)hrow[h];      /* an earlier edge whose row is stored */
        int32_t fmin, fmax;
        rate_row_range(g, f, cstride, &fmin, &fmax);
        int64_t fstart = (int64_t)g->edge_tab0[f] + fmin;
        if (fmin == cmin && fstart + len <= start &&
            memcmp(g->rate_tab + fstart, g->rate_tab + start, sizeof(double) * (size_t)len) == 0 && fmax == cmax) {
            g->edge_tab0[e] = (int32_t)(fstart - cmin);
            return 1;
        }
    }
    hrow[h] = e;
    g->edge_tab0[e] = (int32_t)(start - cmin);
    return 0;
}

/* Fill the rate table with lihop_garnet_rate_of, one row per edge, rows with
 * the same c range and the same values (uniform crystals: one row per kind of
 * hop) stored once, so the table stays in L1 cache; a lookup gives the same
 * bits either way. */
static lihop_status fill_rate_table(lihop_garnet *g, lihop_err *err)
{
    const lihop_garnet_model *m = &g->model;
    const int32_t E = g->nedges, cstride = m->tab_cstride;
    int64_t hsize = 1;
    while (hsize < 2 * (int64_t)E + 2) hsize <<= 1;
    int64_t *hrow = (int64_t *)malloc(sizeof(int64_t) * (size_t)hsize);
    if (!hrow) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (rate table)");
    for (int64_t h = 0; h < hsize; ++h) hrow[h] = -1;
    int64_t off = 0;
    for (int32_t e = 0; e < E; ++e) {
        int32_t cmin, cmax;
        rate_row_range(g, e, cstride, &cmin, &cmax);
        int64_t start = off;
        for (int32_t c = cmin; c <= cmax; ++c) g->rate_tab[off++] = lihop_garnet_rate_of(m, e, c);
        for (int64_t q = start; q < off; ++q)
            if (!isfinite(g->rate_tab[q])) {   /* an infinite rate makes every waiting time 0: refuse */
                free(hrow);
                return lihop_fail(err, LIHOP_ERR_INPUT,
                                  "garnet: the hop %d -> %d has rate %g 1/s; the energies, field or "
                                  "temperature are out of range", (int)g->edge_src[e], (int)g->hop_nbr[e],
                                  g->rate_tab[q]);
            }
        if (share_rate_row(g, hrow, hsize, e, cstride, cmin, cmax, start, off - start)) off = start;
    }
    free(hrow);
    g->ntab = off;
    g->model.ntab = off;
    g->model.rate_tab = g->rate_tab;
    return LIHOP_OK;
}

/* Rate table: every rate an allowed edge can take, so the event loop needs
 * no exp.  Without interactions one entry per edge, else one per value
 * of c = nnb(j) - mult(ij) - nnb(i) in [-w(i), w(j) - mult(ij)], w = site_w
 * (the hop degree without pair shells).  Sets up the model on the way. */
static lihop_status build_rate_table(lihop_garnet *g, const lihop_garnet_params *p, lihop_err *err)
{
    const int32_t N = g->nsites, E = g->nedges;
    const int interacting = p->E_nn_eV != 0.0 || p->npair_shells > 0;
    int32_t cstride = interacting ? 1 : 0;
    int64_t ntab = 0;
    for (int32_t e = 0; e < E; ++e) {
        int32_t i = g->edge_src[e], j = g->hop_nbr[e];
        ntab += cstride ? g->site_w[i] + g->site_w[j] - g->edge_mult[e] + 1 : 1;
    }
    if (ntab > INT32_MAX) return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: rate table too large");
    g->ntab = ntab;
    g->rate_tab = (double *)malloc(sizeof(double) * (size_t)ntab);
    g->edge_tab0 = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
    if (!g->rate_tab || !g->edge_tab0) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (rate table)");

    /* site energies as reported include q phi */
    for (int32_t i = 0; i < N; ++i) g->eps_eV[i] += g->phi_V[i];

    model_init(g, p, interacting, cstride);
    return fill_rate_table(g, err);
}

/* The packed edges (model edge_pk). */
static lihop_status build_edge_pk(lihop_garnet *g, lihop_err *err)
{
    const int32_t E = g->nedges, cstride = g->model.tab_cstride;
    g->edge_pk = (lihop_garnet_edge_pk *)malloc(sizeof(lihop_garnet_edge_pk) * (size_t)E);
    if (!g->edge_pk) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (edge table)");
    for (int32_t e = 0; e < E; ++e) {
        g->edge_pk[e].src = g->edge_src[e];
        g->edge_pk[e].dst = g->hop_nbr[e];
        g->edge_pk[e].tab0m = g->edge_tab0[e] - cstride * g->edge_mult[e];
        g->edge_pk[e].xself2 = 2 * (int32_t)g->edge_excl_self[e];
    }
    return LIHOP_OK;
}

/* The links, their affected lists, tree-update programs and hop records. */
static lihop_status build_event_lists(lihop_garnet *g, lihop_err *err)
{
    lihop_status st = build_affected(g);
    if (st == LIHOP_OK) st = build_hop_records(g);
    if (st != LIHOP_OK)
        return lihop_fail(err, st, st == LIHOP_ERR_NOMEM ? "garnet: out of memory (affected-event lists)"
                                                         : "garnet: affected-event lists or hop records too large");
    return LIHOP_OK;
}

lihop_status lihop_garnet_create(const lihop_lattice *lat, const lihop_garnet_params *p,
                                 lihop_garnet **out, lihop_err *err)
{
    *out = NULL;
    if (!lat || !p) return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: no lattice or parameters");
    lihop_status st = check_lattice(lat, err);
    if (st == LIHOP_OK) st = check_params(p, lat->nsub, lat->nsites, err);
    if (st != LIHOP_OK) return st;

    lihop_garnet *g = garnet_new(lat, p);
    if (!g) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory");
    st = check_graph(g, p, err);
    if (st == LIHOP_OK) st = build_edge_tables(g, err);
    if (st == LIHOP_OK) st = build_shells(g, lat, p, err);
    if (st == LIHOP_OK) set_energies(g, p);
    if (st == LIHOP_OK) st = build_rate_table(g, p, err);
    if (st == LIHOP_OK) st = build_edge_pk(g, err);
    if (st == LIHOP_OK) st = build_event_lists(g, err);
    if (st != LIHOP_OK) {
        lihop_garnet_destroy(g);
        return st;
    }
    model_publish_arrays(g);
    g->P = lihop_bkl_leaves(g->nlinks);
    if (p->time_s > 0.0) { g->t_end = p->time_s; g->have_t_end = 1; }
    *out = g;
    return LIHOP_OK;
}

/* ---- run length ---------------------------------------------------- */

static uint64_t equil_events(const lihop_garnet *g)
{
    return (uint64_t)ceil(g->p.equil_hops_per_li * (double)g->p.nli);
}

static void job_fill(const lihop_garnet *g, double t_end, lihop_garnet_job *J)
{
    memset(J, 0, sizeof *J);
    J->m = g->model;
    J->P = g->P;
    J->nli = g->p.nli;
    J->seed = g->p.seed;
    J->stream = g->p.stream;
    J->nsamples = g->p.nsamples;
    J->equil_events = equil_events(g);
    J->check_every = g->p.check_every;
    J->t_end = t_end;
}

void *lihop_garnet_work_alloc(const lihop_garnet_job *J, lihop_garnet_work *w)
{
    size_t hot = 0, cold = 0;
    lihop_garnet_work_carve(J, NULL, NULL, NULL, &hot, &cold);
    char *buf = (char *)malloc(hot + cold);
    if (buf) lihop_garnet_work_carve(J, buf, buf + hot, w, NULL, NULL);
    return buf;
}

/* Run length: given, or from a pilot replica's mean event rate at equilibrium. */
lihop_status lihop_garnet_t_end(lihop_garnet *g, double *t_end_s, lihop_err *err)
{
    if (g->have_t_end) { *t_end_s = g->t_end; return LIHOP_OK; }
    lihop_garnet_job J;
    job_fill(g, 0.0, &J);
    lihop_garnet_work w;
    void *buf = lihop_garnet_work_alloc(&J, &w);
    if (!buf) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (pilot)");
    lihop_stream rng;
    lihop_stream_init(&rng, g->p.seed, ((uint64_t)g->p.stream << 32) | (uint64_t)PILOT_ID);
    lihop_status st = LIHOP_OK;
    if (lihop_garnet_replica_setup(&J, &w, &rng) < g->p.nli) {
        st = lihop_fail(err, LIHOP_ERR_INPUT, "garnet: cannot place %lld Li on %d sites under the exclusion rules",
                        (long long)g->p.nli, (int)g->nsites);
    } else {
        /* equilibration in slices, reading the stop flag between them (the
         * same events as one call: the slices continue the same stream) */
        for (uint64_t done = 0; done < J.equil_events && st == LIHOP_OK;) {
            if (lihop_garnet_stop_requested(g)) {
                st = lihop_fail(err, LIHOP_ERR_INTERRUPTED, "garnet: interrupted in the pilot's equilibration");
                break;
            }
            uint64_t left = J.equil_events - done, n = left < LIHOP_GARNET_PILOT_CHUNK ? left : LIHOP_GARNET_PILOT_CHUNK;
            uint64_t got = lihop_garnet_replica_equilibrate(&J, &w, &rng, n);
            done += got;
            if (got < n) break;   /* total rate 0: as one call would */
        }
    }
    if (st == LIHOP_OK) {
        double want = g->p.hops_per_li * (double)g->p.nli;
        double cap = 20.0 * (double)g->p.nli > 1e5 ? 20.0 * (double)g->p.nli : 1e5;
        uint64_t npilot = (uint64_t)ceil(want < cap ? want : cap);
        double t = 0.0;
        uint64_t n = 0;
        for (; n < npilot; ++n) {
            if (n % LIHOP_GARNET_PILOT_CHUNK == 0 && n > 0 && lihop_garnet_stop_requested(g)) {
                st = lihop_fail(err, LIHOP_ERR_INTERRUPTED, "garnet: interrupted in the pilot");
                break;
            }
            double R = lihop_bkl_total(w.tree);
            if (!(R > 0.0)) break;
            lihop_u32x4 r = lihop_stream_next(&rng);
            t += -lihop_log_exact(lihop_u01_open0(r.v[0], r.v[1])) / R;
            lihop_garnet_replica_apply(&J, &w, lihop_garnet_replica_pick(&J, &w, lihop_garnet_u53(r.v[2], r.v[3])));
        }
        if (st != LIHOP_OK)
            ;   /* interrupted: no run length */
        else if (n == 0 || !(t > 0.0))
            st = lihop_fail(err, LIHOP_ERR_INPUT,
                            "garnet: no allowed hop at equilibrium (every Li blocked); give time_s instead");
        else {
            g->t_end = t * (want / (double)n);
            g->have_t_end = 1;
        }
    }
    free(buf);
    if (st == LIHOP_OK) *t_end_s = g->t_end;
    return st;
}

lihop_status lihop_garnet_job_get(lihop_garnet *g, lihop_garnet_job *job, lihop_err *err)
{
    double t_end;
    lihop_status st = lihop_garnet_t_end(g, &t_end, err);
    if (st != LIHOP_OK) return st;
    job_fill(g, t_end, job);
    return LIHOP_OK;
}

