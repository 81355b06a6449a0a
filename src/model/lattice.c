/* lattice.c - the periodic supercell of a lattice file (model layer): sites,
 * hop graph, exclusion partners, pair shells, site removal and the report.
 * Lengths are in angstrom throughout this module. */
#include "lattice.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAC_TOL 1e-4          /* duplicate-site tolerance, fractional coordinates */
#define EXACT_MIS_MAX 48       /* exclusion clusters up to this size: exact maximum */

typedef struct {
    int nb[3], m[3];
    int *head, *next;
    int nbins;
} binlist;

static void bins_free(binlist *b)
{
    free(b->head);
    free(b->next);
    b->head = b->next = NULL;
}

static int bin_of(double f, int nb)
{
    int b = (int)floor(f * nb);
    if (b < 0) b = 0;
    if (b >= nb) b = nb - 1;
    return b;
}

/* Bins of width >= R along each plane spacing; m = how many bins to scan either side. */
static int bins_build(binlist *b, const double S[3][3], const double *frac, int n, double R)
{
    memset(b, 0, sizeof *b);
    double vol = fabs(S[0][0] * (S[1][1] * S[2][2] - S[1][2] * S[2][1]) -
                      S[0][1] * (S[1][0] * S[2][2] - S[1][2] * S[2][0]) +
                      S[0][2] * (S[1][0] * S[2][1] - S[1][1] * S[2][0]));
    long total = 1;
    for (int k = 0; k < 3; k++) {
        const double *u = S[(k + 1) % 3], *v = S[(k + 2) % 3];
        double cx = u[1] * v[2] - u[2] * v[1], cy = u[2] * v[0] - u[0] * v[2], cz = u[0] * v[1] - u[1] * v[0];
        double h = vol / sqrt(cx * cx + cy * cy + cz * cz); /* plane spacing along axis k */
        int nb = (int)floor(h / R);
        if (nb < 1) nb = 1;
        if (nb > 256) nb = 256;
        b->nb[k] = nb;
        b->m[k] = (int)ceil(R * nb / h - 1e-12);
        if (b->m[k] < 1) b->m[k] = 1;
        total *= nb;
    }
    b->nbins = (int)total;
    b->head = malloc((size_t)total * sizeof(int));
    b->next = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    if (!b->head || !b->next) { bins_free(b); return 0; }
    for (long i = 0; i < total; i++) b->head[i] = -1;
    for (int i = n - 1; i >= 0; i--) {
        const double *f = frac + 3 * (size_t)i;
        int id = (bin_of(f[0], b->nb[0]) * b->nb[1] + bin_of(f[1], b->nb[1])) * b->nb[2] + bin_of(f[2], b->nb[2]);
        b->next[i] = b->head[id];
        b->head[id] = i;
    }
    return 1;
}

typedef struct { int32_t j; double v[3]; double d; } pairent;

/* All (j, image) with |r_j + image - r_i| < R, j == i included for nonzero images. */
static int neighbours_of(const binlist *b, const double S[3][3], const double *frac, int i, double R,
                         pairent **buf, int *cap, int *cnt)
{
    const double *fi = frac + 3 * (size_t)i;
    int bi[3] = {bin_of(fi[0], b->nb[0]), bin_of(fi[1], b->nb[1]), bin_of(fi[2], b->nb[2])};
    double R2 = R * R;
    *cnt = 0;
    for (int o0 = -b->m[0]; o0 <= b->m[0]; o0++)
        for (int o1 = -b->m[1]; o1 <= b->m[1]; o1++)
            for (int o2 = -b->m[2]; o2 <= b->m[2]; o2++) {
                int o[3] = {o0, o1, o2}, bw[3];
                double sh[3];
                for (int k = 0; k < 3; k++) {
                    int bb = bi[k] + o[k];
                    int s = (bb >= 0) ? bb / b->nb[k] : -((-bb + b->nb[k] - 1) / b->nb[k]);
                    bw[k] = bb - s * b->nb[k];
                    sh[k] = s;
                }
                for (int j = b->head[(bw[0] * b->nb[1] + bw[1]) * b->nb[2] + bw[2]]; j >= 0; j = b->next[j]) {
                    const double *fj = frac + 3 * (size_t)j;
                    double df[3] = {fj[0] + sh[0] - fi[0], fj[1] + sh[1] - fi[1], fj[2] + sh[2] - fi[2]};
                    double v[3];
                    for (int k = 0; k < 3; k++) v[k] = df[0] * S[0][k] + df[1] * S[1][k] + df[2] * S[2][k];
                    double d2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
                    if (d2 >= R2) continue;
                    if (j == i && sh[0] == 0 && sh[1] == 0 && sh[2] == 0) continue;
                    if (*cnt == *cap) {
                        int nc = *cap ? 2 * *cap : 64;
                        pairent *nbuf = realloc(*buf, (size_t)nc * sizeof *nbuf);
                        if (!nbuf) return 0;
                        *buf = nbuf;
                        *cap = nc;
                    }
                    pairent *p = &(*buf)[(*cnt)++];
                    p->j = j;
                    p->v[0] = v[0]; p->v[1] = v[1]; p->v[2] = v[2];
                    p->d = sqrt(d2);
                }
            }
    return 1;
}

/* qsort of n elements; n == 0 may come with a NULL base (a site without
 * neighbours), which qsort and memcpy must not see. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static int cmp_pairent(const void *pa, const void *pb)
{
    const pairent *a = pa, *b = pb;
    if (a->j != b->j) return a->j < b->j ? -1 : 1;
    for (int k = 0; k < 3; k++) {
        long ka = lround(a->v[k] * 1e6), kb = lround(b->v[k] * 1e6);
        if (ka != kb) return ka < kb ? -1 : 1;
    }
    return 0;
}

static int cmp_i32(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return (a > b) - (a < b);
}

/* ========================================================================== */
/* Pair partners in a distance window (energy shells beyond the hop graph). */
lihop_status lihop_lattice_pairs(const lihop_lattice *lat, double r_min_A, double r_max_A, int32_t **start_out,
                                 int32_t **nbr_out, int64_t *npairs_out, lihop_err *err)
{
    *start_out = NULL; *nbr_out = NULL; *npairs_out = 0;
    if (!(r_min_A >= 0.0) || !(r_max_A > r_min_A) || !isfinite(r_max_A))
        return lihop_fail(err, LIHOP_ERR_INPUT, "lattice pairs: need 0 <= r_min < r_max (got %g, %g A)", r_min_A,
                          r_max_A);
    const int n = lat->nsites;
    double S[3][3];
    memcpy(S, lat->cell_A, sizeof S);
    binlist bl;
    pairent *buf = NULL;
    int cap = 0;
    int32_t *start = malloc(((size_t)n + 1) * sizeof *start), *nbr = NULL;
    int64_t np = 0, pcap = 0;
    lihop_status st = LIHOP_OK;
    if (!start || !bins_build(&bl, S, lat->frac, n, r_max_A)) {
        free(start);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory");
    }
    for (int i = 0; i < n && st == LIHOP_OK; i++) {
        int cnt = 0;
        start[i] = (int32_t)np;
        if (!neighbours_of(&bl, S, lat->frac, i, r_max_A, &buf, &cap, &cnt)) {
            st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory");
            break;
        }
        sort_n(buf, (size_t)cnt, sizeof *buf, cmp_pairent);
        for (int q = 0; q < cnt; q++) {
            if (buf[q].j == i || buf[q].d < r_min_A) continue;   /* own images: a constant energy */
            if (np == pcap) {
                int64_t nc = pcap ? 2 * pcap : 4 * (int64_t)n + 16;
                int32_t *a = realloc(nbr, (size_t)nc * sizeof *a);
                if (!a) { st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory"); break; }
                nbr = a;
                pcap = nc;
            }
            nbr[np++] = buf[q].j;
        }
        if (np > INT32_MAX) st = lihop_fail(err, LIHOP_ERR_INPUT, "lattice pairs: too many pairs for 32-bit offsets");
    }
    free(buf);
    bins_free(&bl);
    if (st != LIHOP_OK) { free(start); free(nbr); return st; }
    start[n] = (int32_t)np;
    if (!nbr) nbr = malloc(sizeof *nbr);
    if (!nbr) { free(start); return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory"); }
    *start_out = start; *nbr_out = nbr; *npairs_out = np;
    return LIHOP_OK;
}

/* Maximum number of co-occupied sites (maximum independent set of exclusions)  */
/* ========================================================================== */

static int mis_rec(const uint64_t *adj, uint64_t cand, int best, int cur)
{
    if (!cand) return cur > best ? cur : best;
    if (cur + __builtin_popcountll(cand) <= best) return best;
    int v = __builtin_ctzll(cand);
    /* take v */
    best = mis_rec(adj, cand & ~(1ULL << v) & ~adj[v], best, cur + 1);
    /* skip v (only useful if v has neighbours in cand) */
    if (adj[v] & cand) best = mis_rec(adj, cand & ~(1ULL << v), best, cur);
    return best;
}

static int max_occupancy(const lihop_lattice *lat, int *exact)
{
    int n = lat->nsites;
    *exact = 1;
    if (lat->nexcl == 0) return n;
    int *comp = malloc((size_t)n * sizeof(int)), *stack = malloc((size_t)n * sizeof(int));
    int *members = malloc((size_t)n * sizeof(int)), *local = malloc((size_t)n * sizeof(int));
    if (!comp || !stack || !members || !local) {
        free(comp); free(stack); free(members); free(local);
        *exact = 0;
        return n;
    }
    for (int i = 0; i < n; i++) { comp[i] = -1; local[i] = -1; }
    int total = 0;
    for (int s = 0; s < n; s++) {
        if (comp[s] >= 0) continue;
        int sp = 0, nm = 0;
        stack[sp++] = s;
        comp[s] = s;
        while (sp) {
            int v = stack[--sp];
            members[nm++] = v;
            for (int32_t k = lat->excl_start[v]; k < lat->excl_start[v + 1]; k++) {
                int w = lat->excl_nbr[k];
                if (comp[w] < 0) { comp[w] = s; stack[sp++] = w; }
            }
        }
        int clique = 1;
        for (int a = 0; a < nm && clique; a++) {
            int v = members[a];
            if (lat->excl_start[v + 1] - lat->excl_start[v] != nm - 1) clique = 0;
        }
        if (clique) { total += 1; continue; }
        if (nm <= EXACT_MIS_MAX && nm <= 64) {
            uint64_t adj[64] = {0};
            for (int a = 0; a < nm; a++) local[members[a]] = a;
            for (int a = 0; a < nm; a++) {
                int v = members[a];
                for (int32_t k = lat->excl_start[v]; k < lat->excl_start[v + 1]; k++)
                    adj[a] |= 1ULL << local[lat->excl_nbr[k]];
            }
            uint64_t all = (nm == 64) ? ~0ULL : ((1ULL << nm) - 1);
            total += mis_rec(adj, all, 0, 0);
            for (int a = 0; a < nm; a++) local[members[a]] = -1;
        } else {
            /* greedy: repeatedly take the member with fewest free exclusion partners */
            *exact = 0;
            for (int a = 0; a < nm; a++) local[members[a]] = 0; /* 0 free, 1 taken, 2 blocked */
            for (;;) {
                int bestv = -1, bestdeg = INT_MAX;
                for (int a = 0; a < nm; a++) {
                    int v = members[a];
                    if (local[v] != 0) continue;
                    int deg = 0;
                    for (int32_t k = lat->excl_start[v]; k < lat->excl_start[v + 1]; k++)
                        deg += local[lat->excl_nbr[k]] == 0;
                    if (deg < bestdeg) { bestdeg = deg; bestv = v; }
                }
                if (bestv < 0) break;
                local[bestv] = 1;
                total++;
                for (int32_t k = lat->excl_start[bestv]; k < lat->excl_start[bestv + 1]; k++)
                    if (local[lat->excl_nbr[k]] == 0) local[lat->excl_nbr[k]] = 2;
            }
            for (int a = 0; a < nm; a++) local[members[a]] = -1;
        }
    }
    free(comp); free(stack); free(members); free(local);
    return total;
}

/* ========================================================================== */
/* lihop_lattice_build                                                          */
/* ========================================================================== */

void lihop_lattice_destroy(lihop_lattice *lat)
{
    if (!lat) return;
    free(lat->sub);
    free(lat->pos_A);
    free(lat->frac);
    free(lat->wyckoff);
    free(lat->hop_start);
    free(lat->hop_nbr);
    free(lat->hop_vec_A);
    free(lat->excl_start);
    free(lat->excl_nbr);
    free(lat);
}

int lihop_lattice_sublattice_index(const lihop_lattice *lat, const char *name)
{
    if (!lat || !name) return -1;
    for (int s = 0; s < lat->nsub; s++)
        if (strcmp(lat->subname[s], name) == 0) return s;
    return -1;
}

/* An empty lattice with the supercell's counts and cell vectors (unit cell
 * L, spc sites per unit cell); NULL when out of memory. */
static lihop_lattice *lattice_new(const lihop_lattice_spec *spec, const int cells[3], const double L[3][3], int spc)
{
    lihop_lattice *lat = calloc(1, sizeof *lat);
    if (!lat) return NULL;
    const long long ncells = (long long)cells[0] * cells[1] * cells[2];
    lat->sites_per_cell = spc;
    lat->nsites = (int)(ncells * spc);
    lat->ncells = (int)ncells;
    lat->nwyckoff = spec->nsites;
    lat->hop_cutoff_A = spec->hop_cutoff_A;
    lat->hop_min_A = spec->hop_min_A;
    lat->exclusion_cutoff_A = spec->exclusion_cutoff_A;
    for (int k = 0; k < 3; k++) {
        lat->cells[k] = cells[k];
        for (int l = 0; l < 3; l++) {
            lat->unit_cell_A[k][l] = L[k][l];
            lat->cell_A[k][l] = L[k][l] * cells[k];
        }
    }
    return lat;
}

/* Supercell size and spec sanity, before anything is built. */
static lihop_status check_build_args(const lihop_lattice_spec *spec, const int cells[3], lihop_err *err)
{
    for (int k = 0; k < 3; k++)
        if (cells[k] < 1 || cells[k] > 4096)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: supercell %d x %d x %d: each repeat must be 1-4096",
                              spec->path, cells[0], cells[1], cells[2]);
    if (spec->nsites < 1 || spec->nsites > LIHOP_MAX_WYCKOFF || spec->hall_number < 1 || spec->hall_number > 530 ||
        !(spec->hop_cutoff_A > 0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: lattice spec not loaded or invalid", spec->path);
    return LIHOP_OK;
}

/* The sublattices in order of first appearance among the Wyckoff sites
 * (lat->subname, lat->nsub); wsub[w] = the sublattice of Wyckoff site w. */
static lihop_status assign_sublattices(lihop_lattice *lat, const lihop_lattice_spec *spec, int *wsub,
                                       lihop_err *err)
{
    for (int w = 0; w < spec->nsites; w++) {
        int s;
        for (s = 0; s < lat->nsub; s++)
            if (strcmp(lat->subname[s], spec->sites[w].sublattice) == 0) break;
        if (s == lat->nsub) {
            if (lat->nsub == LIHOP_MAX_SUBLATTICES)
                return lihop_fail(err, LIHOP_ERR_INPUT, "%s: more than %d sublattices", spec->path,
                                  LIHOP_MAX_SUBLATTICES);
            snprintf(lat->subname[lat->nsub], sizeof lat->subname[0], "%s", spec->sites[w].sublattice);
            lat->nsub++;
        }
        wsub[w] = s;
    }
    return LIHOP_OK;
}

/* The sites of the supercell: cell by cell, the spc sites fs of the unit cell
 * (generated by Wyckoff sites wy) in each. */
static lihop_status place_sites(lihop_lattice *lat, const lihop_fsite *fs, const int *wy, const int *wsub,
                                const double L[3][3], lihop_err *err)
{
    const int n = lat->nsites, spc = lat->sites_per_cell;
    const int *cells = lat->cells;
    lat->sub = malloc((size_t)n * sizeof *lat->sub);
    lat->wyckoff = malloc((size_t)n * sizeof *lat->wyckoff);
    lat->pos_A = malloc((size_t)n * 3 * sizeof *lat->pos_A);
    lat->frac = malloc((size_t)n * 3 * sizeof *lat->frac);
    lat->hop_start = malloc(((size_t)n + 1) * sizeof *lat->hop_start);
    lat->excl_start = malloc(((size_t)n + 1) * sizeof *lat->excl_start);
    if (!lat->sub || !lat->wyckoff || !lat->pos_A || !lat->frac || !lat->hop_start || !lat->excl_start)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory for %d sites", n);
    for (int c1 = 0, i = 0; c1 < cells[0]; c1++)
        for (int c2 = 0; c2 < cells[1]; c2++)
            for (int c3 = 0; c3 < cells[2]; c3++)
                for (int s = 0; s < spc; s++, i++) {
                    double u[3] = {fs[s].f[0] + c1, fs[s].f[1] + c2, fs[s].f[2] + c3};
                    for (int k = 0; k < 3; k++) lat->frac[3 * (size_t)i + k] = u[k] / cells[k];
                    for (int k = 0; k < 3; k++)
                        lat->pos_A[3 * (size_t)i + k] = u[0] * L[0][k] + u[1] * L[1][k] + u[2] * L[2][k];
                    lat->wyckoff[i] = wy[s];
                    lat->sub[i] = wsub[wy[s]];
                }
    return LIHOP_OK;
}

/* Working memory of the hop-graph build. */
typedef struct {
    binlist bl;
    pairent *buf;           /* neighbours of one site */
    int cap;
    int32_t *ebuf;          /* exclusion partners of one site */
    int ecount_cap;
    int64_t hcap, ecap;     /* room in lat->hop_nbr / hop_vec_A and lat->excl_nbr */
} graph_work;

static void graph_work_free(graph_work *w)
{
    free(w->buf);
    free(w->ebuf);
    bins_free(&w->bl);
}

/* Append the hop i -> p->j along p->v to the graph (0: out of memory). */
static int append_hop(lihop_lattice *lat, graph_work *w, const pairent *p)
{
    if (lat->nhops == w->hcap) {
        int64_t nc = w->hcap * 2;
        int32_t *a = realloc(lat->hop_nbr, (size_t)nc * sizeof *a);
        if (a) lat->hop_nbr = a;
        double *v = a ? realloc(lat->hop_vec_A, (size_t)nc * 3 * sizeof *v) : NULL;
        if (!a || !v) return 0;
        lat->hop_vec_A = v;
        w->hcap = nc;
    }
    lat->hop_nbr[lat->nhops] = p->j;
    for (int k = 0; k < 3; k++) lat->hop_vec_A[3 * lat->nhops + k] = p->v[k];
    lat->nhops++;
    return 1;
}

/* The hops and exclusion partners of site i (its CSR rows), from its
 * neighbours within the larger of the two cutoffs R. */
static lihop_status site_neighbours(lihop_lattice *lat, const lihop_lattice_spec *spec, int i, const double S[3][3],
                                    double R, graph_work *w, lihop_err *err)
{
    int cnt = 0;
    if (!neighbours_of(&w->bl, S, lat->frac, i, R, &w->buf, &w->cap, &cnt))
        return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (neighbours)");
    const pairent *buf = w->buf;
    sort_n(w->buf, (size_t)cnt, sizeof *w->buf, cmp_pairent);
    lat->hop_start[i] = (int32_t)lat->nhops;
    lat->excl_start[i] = (int32_t)lat->nexcl;
    if (cnt > w->ecount_cap) {
        int32_t *nb = realloc(w->ebuf, (size_t)cnt * sizeof *nb);
        if (!nb) return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory");
        w->ebuf = nb;
        w->ecount_cap = cnt;
    }
    int ne = 0;
    for (int q = 0; q < cnt; q++) {
        const pairent *p = &buf[q];
        if (p->j != i && p->d < spec->exclusion_cutoff_A) {
            if (ne == 0 || w->ebuf[ne - 1] != p->j) w->ebuf[ne++] = p->j; /* sorted by j */
        }
        if (p->d >= spec->hop_min_A && p->d < spec->hop_cutoff_A) {
            if (p->j == i) { lat->nself_images++; continue; }
            if (q > 0 && buf[q - 1].j == p->j && buf[q - 1].d >= spec->hop_min_A &&
                buf[q - 1].d < spec->hop_cutoff_A)
                lat->multi_image = 1;
            if (!append_hop(lat, w, p)) return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (hops)");
        }
    }
    sort_n(w->ebuf, (size_t)ne, sizeof *w->ebuf, cmp_i32);
    if (lat->nexcl + ne > w->ecap) {
        int64_t nc = (w->ecap + ne) * 2;
        int32_t *a = realloc(lat->excl_nbr, (size_t)nc * sizeof *a);
        if (!a) return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (exclusions)");
        lat->excl_nbr = a;
        w->ecap = nc;
    }
    if (ne > 0)
        memcpy(lat->excl_nbr + lat->nexcl, w->ebuf, (size_t)ne * sizeof *w->ebuf);
    lat->nexcl += ne;
    if (lat->nhops > INT32_MAX || lat->nexcl > INT32_MAX)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: hop graph too large for 32-bit offsets", spec->path);
    return LIHOP_OK;
}

/* The hop graph and the exclusion partners (CSR) of the placed sites. */
static lihop_status build_graph(lihop_lattice *lat, const lihop_lattice_spec *spec, lihop_err *err)
{
    const int n = lat->nsites;
    double R = spec->hop_cutoff_A > spec->exclusion_cutoff_A ? spec->hop_cutoff_A : spec->exclusion_cutoff_A;
    double S[3][3];
    memcpy(S, lat->cell_A, sizeof S);
    graph_work w;
    memset(&w, 0, sizeof w);
    if (!bins_build(&w.bl, S, lat->frac, n, R))
        return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (neighbour bins)");
    w.hcap = (int64_t)n * 8;
    w.ecap = (int64_t)n * 2;
    lihop_status st = LIHOP_OK;
    lat->hop_nbr = malloc((size_t)w.hcap * sizeof *lat->hop_nbr);
    lat->hop_vec_A = malloc((size_t)w.hcap * 3 * sizeof *lat->hop_vec_A);
    lat->excl_nbr = malloc((size_t)w.ecap * sizeof *lat->excl_nbr);
    if (!lat->hop_nbr || !lat->hop_vec_A || !lat->excl_nbr)
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (hop graph)");
    for (int i = 0; i < n && st == LIHOP_OK; i++)
        st = site_neighbours(lat, spec, i, S, R, &w, err);
    graph_work_free(&w);
    if (st != LIHOP_OK) return st;
    lat->hop_start[n] = (int32_t)lat->nhops;
    lat->excl_start[n] = (int32_t)lat->nexcl;
    return LIHOP_OK;
}

lihop_status lihop_lattice_build(const lihop_lattice_spec *spec, const int cells[3], lihop_lattice **out,
                                 lihop_err *err)
{
    if (out) *out = NULL;
    if (!spec || !cells || !out) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_build: NULL argument");
    lihop_status st = check_build_args(spec, cells, err);
    if (st != LIHOP_OK) return st;

    double L[3][3];
    if (!lihop_lattice_cell_matrix(spec->abc_A, spec->angles_deg, L))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: degenerate cell angles", spec->path);

    lihop_fsite *fs = NULL;
    int *wy = NULL, spc = 0, ca = -1, cb = -1;
    if (!lihop_lattice_expand_cell(spec, &fs, &wy, &spc, NULL, &ca, &cb)) {
        if (spc < 0)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: sites '%s' and '%s' generate coinciding positions",
                              spec->path, spec->sites[ca].label, spec->sites[cb].label);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory expanding the Wyckoff sites", spec->path);
    }

    long long ncells = (long long)cells[0] * cells[1] * cells[2];
    long long nsites_ll = ncells * spc;
    if (nsites_ll > 50000000LL) {
        free(fs); free(wy);
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: supercell %d x %d x %d has %lld sites (limit 50000000)",
                          spec->path, cells[0], cells[1], cells[2], nsites_ll);
    }

    lihop_lattice *lat = lattice_new(spec, cells, (const double (*)[3])L, spc);
    if (!lat) { free(fs); free(wy); return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory"); }
    int wsub[LIHOP_MAX_WYCKOFF];
    st = assign_sublattices(lat, spec, wsub, err);
    if (st == LIHOP_OK) st = place_sites(lat, fs, wy, wsub, (const double (*)[3])L, err);
    free(fs);
    free(wy);
    if (st == LIHOP_OK) st = build_graph(lat, spec, err);
    if (st != LIHOP_OK) {
        lihop_lattice_destroy(lat);
        return st;
    }
    lat->max_occupancy = max_occupancy(lat, &lat->max_occupancy_exact);
    *out = lat;
    return LIHOP_OK;
}

/* ========================================================================== */
/* Li count                                                                     */
/* ========================================================================== */

lihop_status lihop_lattice_li_count(const lihop_lattice_spec *spec, const lihop_lattice *lat, double li_per_fu,
                                    int *nli, lihop_err *err)
{
    if (!spec || !lat || !nli) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_li_count: NULL argument");
    if (!isfinite(li_per_fu) || li_per_fu < 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Li per formula unit must be a number >= 0, got %g", li_per_fu);
    double x = li_per_fu * spec->formula_units_per_cell * lat->ncells;
    if (x > (double)INT_MAX)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Li count %g too large", x);
    int n = (int)llround(x);
    if (n > lat->max_occupancy)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s: %g Li per formula unit x %g formula units per cell x %d cells = %d Li, more than the "
                          "%d sites that can be occupied at once (%d sites, exclusion cutoff %g A)",
                          spec->path, li_per_fu, spec->formula_units_per_cell, lat->ncells, n, lat->max_occupancy,
                          lat->nsites, lat->exclusion_cutoff_A);
    *nli = n;
    return LIHOP_OK;
}

/* ========================================================================== */
/* Report                                                                       */
/* ========================================================================== */

typedef struct { long dkey; int si, sj; long count; } distrow;

static int cmp_distrow(const void *pa, const void *pb)
{
    const distrow *a = pa, *b = pb;
    if (a->si != b->si) return a->si < b->si ? -1 : 1;
    if (a->sj != b->sj) return a->sj < b->sj ? -1 : 1;
    if (a->dkey != b->dkey) return a->dkey < b->dkey ? -1 : 1;
    return 0;
}

/* Add (dkey, si, sj) to a small table; returns the new size. */
static int distrow_add(distrow *rows, int nrows, int cap, long dkey, int si, int sj, long add)
{
    for (int r = 0; r < nrows; r++)
        if (rows[r].dkey == dkey && rows[r].si == si && rows[r].sj == sj) { rows[r].count += add; return nrows; }
    if (nrows < cap) { rows[nrows].dkey = dkey; rows[nrows].si = si; rows[nrows].sj = sj; rows[nrows].count = add; nrows++; }
    return nrows;
}

/* The lattice file: space group, cell, Wyckoff sites, cutoffs. */
static void report_spec(const lihop_lattice_spec *spec, FILE *fp)
{
    fprintf(fp, "lattice %s (%s)\n", spec->name, spec->path);
    fprintf(fp, "  space group %s (No. %d), Hall number %d '%s'\n", spec->hm_symbol, spec->space_group,
            spec->hall_number, spec->hall_symbol);
    fprintf(fp, "  cell a %.4f b %.4f c %.4f A, alpha %.2f beta %.2f gamma %.2f deg\n", spec->abc_A[0],
            spec->abc_A[1], spec->abc_A[2], spec->angles_deg[0], spec->angles_deg[1], spec->angles_deg[2]);
    fprintf(fp, "  Wyckoff sites:\n");
    for (int w = 0; w < spec->nsites; w++)
    {
        fprintf(fp, "    %-6s %-4s (%.6f, %.6f, %.6f)  %d per cell\n", spec->sites[w].label,
                spec->sites[w].sublattice, spec->sites[w].frac[0], spec->sites[w].frac[1], spec->sites[w].frac[2],
                spec->sites[w].multiplicity);
        if (spec->sites[w].source[0]) fprintf(fp, "           source: %s\n", spec->sites[w].source);
    }
    fprintf(fp, "  hops: %.3f <= d < %.3f A; exclusion: d < %.3f A\n", spec->hop_min_A, spec->hop_cutoff_A,
            spec->exclusion_cutoff_A);
}

/* The supercell and its sites per sublattice. */
static void report_sites(const lihop_lattice *lat, FILE *fp)
{
    int nsub = lat->nsub, spc = lat->sites_per_cell;
    long per_cell[LIHOP_MAX_SUBLATTICES] = {0};
    for (int i = 0; i < spc; i++) per_cell[lat->sub[i]]++;
    fprintf(fp, "  supercell %d x %d x %d = %d cells, %d sites (%d per cell)\n", lat->cells[0], lat->cells[1],
            lat->cells[2], lat->ncells, lat->nsites, spc);
    fprintf(fp, "  sites per sublattice:");
    for (int s = 0; s < nsub; s++)
        fprintf(fp, "  %s %ld/cell (%ld total)", lat->subname[s], per_cell[s], per_cell[s] * lat->ncells);
    fprintf(fp, "\n");
}

enum { DCAP = 256 };   /* rows of a distance table */

/* Per sublattice: the range of hop neighbours (all, and by target
 * sublattice) and of exclusion partners. */
typedef struct {
    int tmin[LIHOP_MAX_SUBLATTICES], tmax[LIHOP_MAX_SUBLATTICES];
    int pmin[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES], pmax[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES];
    int emin[LIHOP_MAX_SUBLATTICES], emax[LIHOP_MAX_SUBLATTICES];
} degree_ranges;

/* Fill dr from every site and rows with the hop distances by sublattice
 * pair; returns the number of rows. */
static int hop_degrees(const lihop_lattice *lat, degree_ranges *dr, distrow *rows)
{
    int nsub = lat->nsub, nrows = 0;
    for (int s = 0; s < nsub; s++) {
        dr->tmin[s] = dr->emin[s] = INT_MAX; dr->tmax[s] = dr->emax[s] = -1;
        for (int t = 0; t < nsub; t++) { dr->pmin[s][t] = INT_MAX; dr->pmax[s][t] = -1; }
    }
    for (int i = 0; i < lat->nsites; i++) {
        int si = lat->sub[i], cnt[LIHOP_MAX_SUBLATTICES] = {0};
        int tot = lat->hop_start[i + 1] - lat->hop_start[i];
        for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
            int sj = lat->sub[lat->hop_nbr[k]];
            cnt[sj]++;
            const double *v = lat->hop_vec_A + 3 * (size_t)k;
            long dkey = lround(sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) * 1000.0);
            nrows = distrow_add(rows, nrows, DCAP, dkey, si, sj, 1);
        }
        if (tot < dr->tmin[si]) dr->tmin[si] = tot;
        if (tot > dr->tmax[si]) dr->tmax[si] = tot;
        for (int t = 0; t < nsub; t++) {
            if (cnt[t] < dr->pmin[si][t]) dr->pmin[si][t] = cnt[t];
            if (cnt[t] > dr->pmax[si][t]) dr->pmax[si][t] = cnt[t];
        }
        int ne = lat->excl_start[i + 1] - lat->excl_start[i];
        if (ne < dr->emin[si]) dr->emin[si] = ne;
        if (ne > dr->emax[si]) dr->emax[si] = ne;
    }
    return nrows;
}

/* Hop neighbours per site, hop distances, hop and exclusion counts. */
static void report_hops(const lihop_lattice *lat, FILE *fp)
{
    int nsub = lat->nsub;
    degree_ranges dr;
    distrow rows[DCAP];
    int nrows = hop_degrees(lat, &dr, rows);
    fprintf(fp, "  hop neighbours per site (min-max):\n");
    for (int s = 0; s < nsub; s++) {
        if (dr.tmax[s] < 0) continue;
        fprintf(fp, "    %-4s %d-%d  (", lat->subname[s], dr.tmin[s], dr.tmax[s]);
        for (int t = 0; t < nsub; t++)
            fprintf(fp, "%s%s %d-%d", t ? ", " : "", lat->subname[t], dr.pmin[s][t], dr.pmax[s][t]);
        fprintf(fp, ")\n");
    }
    qsort(rows, (size_t)nrows, sizeof *rows, cmp_distrow);
    fprintf(fp, "  hop distances (directed hops, rounded to 0.001 A):\n");
    for (int r = 0; r < nrows; r++)
        fprintf(fp, "    %s-%s  %.3f A  x %ld\n", lat->subname[rows[r].si], lat->subname[rows[r].sj],
                rows[r].dkey / 1000.0, rows[r].count);
    fprintf(fp, "  hops: %lld directed (%lld pairs)\n", (long long)lat->nhops, (long long)lat->nhops / 2);
    fprintf(fp, "  exclusion partners: %lld pairs;", (long long)lat->nexcl / 2);
    for (int s = 0; s < nsub; s++)
        if (dr.emax[s] >= 0) fprintf(fp, "  %s %d-%d per site", lat->subname[s], dr.emin[s], dr.emax[s]);
    fprintf(fp, "\n");
}

/* Most sites occupied at once, and the warnings about small supercells. */
static void report_occupancy(const lihop_lattice_spec *spec, const lihop_lattice *lat, FILE *fp)
{
    fprintf(fp, "  most sites occupied at once: %d%s (%.4g per cell); Li per cell at li_per_fu_ref %g: %d\n",
            lat->max_occupancy, lat->max_occupancy_exact ? "" : " (greedy lower bound)",
            (double)lat->max_occupancy / lat->ncells, spec->li_per_fu_ref, spec->li_per_cell_full);
    if (lat->multi_image)
        fprintf(fp, "  WARNING: supercell shorter than twice the hop cutoff: some neighbours are reached "
                    "through several periodic images (listed as separate hops)\n");
    if (lat->nself_images)
        fprintf(fp, "  WARNING: %lld periodic self-images within the hop cutoff were dropped; use a larger "
                    "supercell\n", (long long)lat->nself_images);
}

/* Distance shells beyond the cutoff, from the sites of the first cell. */
static void report_pair_shells(const lihop_lattice_spec *spec, const lihop_lattice *lat, FILE *fp)
{
    double R2 = 2.0 * spec->hop_cutoff_A + 0.5;
    binlist bl;
    if (!bins_build(&bl, lat->cell_A, lat->frac, lat->nsites, R2)) return;
    distrow rows[DCAP];
    pairent *buf = NULL;
    int cap = 0, cnt = 0, nrows = 0;
    for (int i = 0; i < lat->sites_per_cell; i++) {
        if (!neighbours_of(&bl, lat->cell_A, lat->frac, i, R2, &buf, &cap, &cnt)) break;
        for (int q = 0; q < cnt; q++)
            nrows = distrow_add(rows, nrows, DCAP, lround(buf[q].d * 1000.0), lat->sub[i], lat->sub[buf[q].j], 1);
    }
    free(buf);
    bins_free(&bl);
    qsort(rows, (size_t)nrows, sizeof *rows, cmp_distrow);
    fprintf(fp, "  pair distances below %.2f A (first 4 shells per sublattice pair; count per cell):\n", R2);
    for (int r = 0, shown = 0; r < nrows; r++) {
        if (r == 0 || rows[r].si != rows[r - 1].si || rows[r].sj != rows[r - 1].sj) {
            shown = 0;
            fprintf(fp, "%s    %s-%s:", r ? "\n" : "", lat->subname[rows[r].si], lat->subname[rows[r].sj]);
        }
        if (shown++ < 4) fprintf(fp, "  %.3f (%ld)", rows[r].dkey / 1000.0, rows[r].count);
    }
    if (nrows) fprintf(fp, "\n");
}

void lihop_lattice_report(const lihop_lattice_spec *spec, const lihop_lattice *lat, FILE *fp)
{
    if (!fp || !spec) return;
    report_spec(spec, fp);
    if (!lat) return;
    report_sites(lat, fp);
    report_hops(lat, fp);
    report_occupancy(spec, lat, fp);
    report_pair_shells(spec, lat, fp);
}

/* ========================================================================== */
/* Site removal (grain-boundary slabs with a lower site density)               */
/* ========================================================================== */

lihop_status lihop_lattice_remove_sites(lihop_lattice *lat, const uint8_t *remove, int32_t *new_index,
                                        lihop_err *err)
{
    if (!lat || !remove) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_remove_sites: NULL argument");
    const int n = lat->nsites;
    int32_t *map = malloc(((size_t)n + 1) * sizeof *map);
    if (!map) return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (site removal)");
    int m = 0;
    for (int i = 0; i < n; i++) map[i] = remove[i] ? -1 : m++;
    if (m == 0) {
        free(map);
        return lihop_fail(err, LIHOP_ERR_INPUT, "lattice: removing every one of the %d sites", n);
    }
    if (m < n) {
        /* compact in place: new index j <= old index i and kept edge count <= old edge index, so
         * every write lands on an entry already read (hop_start[i], [i + 1] are read first) */
        int64_t nh = 0, nx = 0;
        for (int i = 0; i < n; i++) {
            int32_t h0 = lat->hop_start[i], h1 = lat->hop_start[i + 1];
            int32_t x0 = lat->excl_start[i], x1 = lat->excl_start[i + 1];
            int j = map[i];
            if (j < 0) continue;
            lat->sub[j] = lat->sub[i];
            if (lat->wyckoff) lat->wyckoff[j] = lat->wyckoff[i];
            for (int k = 0; k < 3; k++) {
                lat->pos_A[3 * (size_t)j + k] = lat->pos_A[3 * (size_t)i + k];
                if (lat->frac) lat->frac[3 * (size_t)j + k] = lat->frac[3 * (size_t)i + k];
            }
            lat->hop_start[j] = (int32_t)nh;
            for (int32_t e = h0; e < h1; e++) {
                int32_t t = map[lat->hop_nbr[e]];
                if (t < 0) continue;
                lat->hop_nbr[nh] = t;
                for (int k = 0; k < 3; k++) lat->hop_vec_A[3 * nh + k] = lat->hop_vec_A[3 * (size_t)e + k];
                nh++;
            }
            lat->excl_start[j] = (int32_t)nx;
            for (int32_t x = x0; x < x1; x++) {
                int32_t t = map[lat->excl_nbr[x]];
                if (t >= 0) lat->excl_nbr[nx++] = t;
            }
        }
        lat->hop_start[m] = (int32_t)nh;
        lat->excl_start[m] = (int32_t)nx;
        lat->nsites = m;
        lat->nhops = nh;
        lat->nexcl = nx;
        lat->max_occupancy = max_occupancy(lat, &lat->max_occupancy_exact);
    }
    if (new_index) memcpy(new_index, map, (size_t)n * sizeof *map);
    free(map);
    return LIHOP_OK;
}

