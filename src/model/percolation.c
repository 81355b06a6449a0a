/* percolation.c - cluster labelling on the periodic voxel box (percolation.h).
 *
 * Two stages, so that only one int32 per voxel is needed:
 *  1. union-find over the open box (no periodic bonds): inside the box every
 *     voxel of a cluster sits in the same image, so no offsets are needed;
 *  2. a union-find over those open-box clusters joined by the periodic bonds,
 *     each node keeping the image offset (in box lengths) of its copy relative
 *     to its root's copy.  A bond inside one set whose offsets disagree closes
 *     a cycle through the periodic images: the cluster wraps along every axis
 *     where the net offset is non-zero (the cycles found this way generate all
 *     of them, so no wrapping is missed). */
#include <stdlib.h>
#include <string.h>
#include "percolation.h"

/* ---- stage 1: open box ---------------------------------------------------- */

/* Parents only ever point to smaller indices (roots are linked to the
 * smaller root, path halving keeps that), which the labelling pass relies on. */
static int32_t find1(int32_t *par, int32_t i)
{
    while (par[i] != i) {
        par[i] = par[par[i]];
        i = par[i];
    }
    return i;
}

static void unite1(int32_t *par, int32_t a, int32_t b)
{
    a = find1(par, a);
    b = find1(par, b);
    if (a < b)
        par[b] = a;
    else if (b < a)
        par[a] = b;
}

/* lab[i] = open-box cluster id (ordered by first voxel) or -1; returns the count. */
static int32_t label_open_box(const int n[3], const uint8_t *in, int32_t *lab)
{
    const int64_t n0 = n[0], plane = (int64_t)n[0] * n[1], nvox = plane * n[2];
    for (int64_t i = 0; i < nvox; i++) {
        if (!in[i]) {
            lab[i] = -1;
            continue;
        }
        lab[i] = (int32_t)i;
        int64_t x = i % n0, y = (i / n0) % n[1], z = i / plane;
        if (x > 0 && in[i - 1])
            unite1(lab, (int32_t)i, (int32_t)(i - 1));
        if (y > 0 && in[i - n0])
            unite1(lab, (int32_t)i, (int32_t)(i - n0));
        if (z > 0 && in[i - plane])
            unite1(lab, (int32_t)i, (int32_t)(i - plane));
    }
    /* in place: a parent p < i already holds its cluster's id */
    int32_t next = 0;
    for (int64_t i = 0; i < nvox; i++)
        if (lab[i] >= 0)
            lab[i] = lab[i] == (int32_t)i ? next++ : lab[lab[i]];
    return next;
}

/* ---- stage 2: across the periodic faces ------------------------------------ */

typedef struct {
    int32_t *par;
    int32_t (*off)[3];          /* image offset of a node's copy relative to its parent's */
    uint8_t *wrap;              /* roots: bit a set when the cluster wraps along a */
    int64_t *size;              /* roots: voxels */
} forest;

/* Root of i, with i's offset relative to it in o; compresses the path. */
static int32_t find2(forest *f, int32_t i, int32_t o[3])
{
    int32_t r = i, acc[3] = {0, 0, 0};
    while (f->par[r] != r) {
        for (int a = 0; a < 3; a++)
            acc[a] += f->off[r][a];
        r = f->par[r];
    }
    int32_t rem[3] = {acc[0], acc[1], acc[2]};
    for (int32_t j = i; f->par[j] != j;) {
        int32_t nxt = f->par[j], oj[3] = {f->off[j][0], f->off[j][1], f->off[j][2]};
        f->par[j] = r;
        memcpy(f->off[j], rem, sizeof rem);
        for (int a = 0; a < 3; a++)
            rem[a] -= oj[a];
        j = nxt;
    }
    memcpy(o, acc, sizeof acc);
    return r;
}

/* u's copy in image 0 touches v's copy in image +1 along axis ax. */
static void bond2(forest *f, int32_t u, int32_t v, int ax)
{
    int32_t ou[3], ov[3];
    int32_t ru = find2(f, u, ou), rv = find2(f, v, ov);
    int32_t d[3] = {ou[0] - ov[0], ou[1] - ov[1], ou[2] - ov[2]};
    d[ax] += 1;     /* where v's copy must sit relative to ru, minus where it sits relative to rv */
    if (ru == rv) {
        for (int a = 0; a < 3; a++)
            if (d[a] != 0)
                f->wrap[ru] |= (uint8_t)(1u << a);
        return;
    }
    if (f->size[rv] > f->size[ru]) {    /* hang the smaller tree: attach ru below rv */
        f->par[ru] = rv;
        for (int a = 0; a < 3; a++)
            f->off[ru][a] = -d[a];
        f->wrap[rv] |= f->wrap[ru];
        f->size[rv] += f->size[ru];
    } else {
        f->par[rv] = ru;
        memcpy(f->off[rv], d, sizeof d);
        f->wrap[ru] |= f->wrap[rv];
        f->size[ru] += f->size[rv];
    }
}

/* Every periodic bond: the voxel at coordinate n-1 along ax and the one at 0. */
static void periodic_bonds(forest *f, const int n[3], const int32_t *lab)
{
    const int64_t str[3] = {1, n[0], (int64_t)n[0] * n[1]};
    for (int ax = 0; ax < 3; ax++) {
        int b = ax == 0 ? 1 : 0, c = ax == 2 ? 1 : 2;    /* the two other axes */
        for (int64_t j = 0; j < n[c]; j++)
            for (int64_t i = 0; i < n[b]; i++) {
                int64_t lo = i * str[b] + j * str[c], hi = lo + (int64_t)(n[ax] - 1) * str[ax];
                if (lab[hi] >= 0 && lab[lo] >= 0)
                    bond2(f, lab[hi], lab[lo], ax);
            }
    }
}

static void forest_free(forest *f)
{
    free(f->par);
    free(f->off);
    free(f->wrap);
    free(f->size);
}

/* The stats of the joined clusters; label (optional) gets final ids. */
static lihop_status summarise(forest *f, int32_t nc, int32_t *lab, int64_t nvox, lihop_cluster_stats *out,
                              int32_t *label, lihop_err *err)
{
    int32_t *final = malloc(sizeof *final * (size_t)(nc > 0 ? nc : 1));
    if (!final)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "percolation: out of memory for %ld clusters", (long)nc);
    for (int32_t c = 0; c < nc; c++)
        final[c] = -1;
    int64_t next = 0;
    for (int32_t c = 0; c < nc; c++) {
        int32_t o[3], r = find2(f, c, o);
        if (final[r] < 0) {     /* r <= c is not guaranteed: number roots on first sight */
            final[r] = (int32_t)next++;
            out->largest = f->size[r] > out->largest ? f->size[r] : out->largest;
            for (int a = 0; a < 3; a++)
                out->spans[a] |= (f->wrap[r] >> a) & 1u;
        }
    }
    out->nclusters = next;
    out->largest_fraction = out->nvoxels > 0 ? (double)out->largest / (double)out->nvoxels : 0.0;
    if (label)      /* find2 above left every node pointing at its root */
        for (int64_t i = 0; i < nvox; i++)
            label[i] = lab[i] < 0 ? -1 : final[f->par[lab[i]]];
    free(final);
    return LIHOP_OK;
}

lihop_status lihop_percolation_label(const int n[3], const uint8_t *in, lihop_cluster_stats *out, int32_t *label,
                                     lihop_err *err)
{
    if (!n || !in || !out)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_percolation_label: NULL argument");
    memset(out, 0, sizeof *out);
    if (n[0] < 1 || n[1] < 1 || n[2] < 1 || (int64_t)n[0] * n[1] * n[2] > INT32_MAX)
        return lihop_fail(err, LIHOP_ERR_INPUT, "percolation: box %d x %d x %d is empty or above 2^31-1 voxels",
                          n[0], n[1], n[2]);
    int64_t nvox = (int64_t)n[0] * n[1] * n[2];
    int32_t *lab = malloc(sizeof *lab * (size_t)nvox);
    if (!lab)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "percolation: out of memory for %ld voxels", (long)nvox);
    int32_t nc = label_open_box(n, in, lab);
    size_t m = (size_t)(nc > 0 ? nc : 1);
    forest f = {malloc(sizeof *f.par * m), malloc(sizeof *f.off * m), calloc(m, 1), calloc(m, sizeof *f.size)};
    lihop_status st = LIHOP_OK;
    if (!f.par || !f.off || !f.wrap || !f.size) {
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "percolation: out of memory for %ld clusters", (long)nc);
    } else {
        for (int32_t c = 0; c < nc; c++) {
            f.par[c] = c;
            memset(f.off[c], 0, sizeof f.off[c]);
        }
        for (int64_t i = 0; i < nvox; i++)
            if (lab[i] >= 0) {
                f.size[lab[i]]++;
                out->nvoxels++;
            }
        periodic_bonds(&f, n, lab);
        st = summarise(&f, nc, lab, nvox, out, label, err);
    }
    forest_free(&f);
    free(lab);
    return st;
}

/* ---- voxel sets of a microstructure ---------------------------------------- */

static lihop_status check_micro(const lihop_micro *m, const char *what, lihop_err *err)
{
    if (!m || !m->phase)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: NULL microstructure", what);
    if (m->nphases < 1 || m->nphases > LIHOP_MAX_PHASES)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: %d phases (1..%d)", what, m->nphases, LIHOP_MAX_PHASES);
    return LIHOP_OK;
}

/* Does voxel (x,y,z) = i have a face neighbour (periodic) of phase q? */
static int touches(const lihop_micro *m, int64_t i, int q)
{
    const int64_t n0 = m->n[0], n1 = m->n[1], n2 = m->n[2], plane = n0 * n1;
    int64_t x = i % n0, y = (i / n0) % n1, z = i / plane, base = i - x - y * n0 - z * plane;
    int64_t nb[6] = {base + (x + 1) % n0 + y * n0 + z * plane, base + (x + n0 - 1) % n0 + y * n0 + z * plane,
                     base + x + (y + 1) % n1 * n0 + z * plane, base + x + (y + n1 - 1) % n1 * n0 + z * plane,
                     base + x + y * n0 + (z + 1) % n2 * plane, base + x + y * n0 + (z + n2 - 1) % n2 * plane};
    for (int k = 0; k < 6; k++)
        if (m->phase[nb[k]] == q)
            return 1;
    return 0;
}

/* in[i] = 1 for the interface voxels of a and b. */
static void interface_mask(const lihop_micro *m, int a, int b, uint8_t *in)
{
    int64_t nvox = lihop_micro_nvox(m);
    for (int64_t i = 0; i < nvox; i++) {
        int p = m->phase[i];
        in[i] = (uint8_t)((p == a && touches(m, i, b)) || (p == b && touches(m, i, a)));
    }
}

/* Clusters of phase a (b < 0) or of the a|b interface network, via a scratch mask. */
static lihop_status label_set(const lihop_micro *m, int a, int b, lihop_cluster_stats *out, lihop_err *err)
{
    int64_t nvox = lihop_micro_nvox(m);
    uint8_t *in = malloc((size_t)nvox);
    if (!in)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "percolation: out of memory for %ld voxels", (long)nvox);
    if (b < 0)
        for (int64_t i = 0; i < nvox; i++)
            in[i] = m->phase[i] == a;
    else
        interface_mask(m, a, b, in);
    lihop_status st = lihop_percolation_label(m->n, in, out, NULL, err);
    free(in);
    return st;
}

lihop_status lihop_percolation_phase(const lihop_micro *m, int p, lihop_cluster_stats *out, lihop_err *err)
{
    lihop_status st = check_micro(m, "lihop_percolation_phase", err);
    if (st)
        return st;
    if (!out || p < 0 || p >= m->nphases)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_percolation_phase: phase %d of %d", p, m->nphases);
    return label_set(m, p, -1, out, err);
}

lihop_status lihop_percolation_interface(const lihop_micro *m, int a, int b, lihop_cluster_stats *out,
                                         lihop_err *err)
{
    lihop_status st = check_micro(m, "lihop_percolation_interface", err);
    if (st)
        return st;
    if (!out || a < 0 || b < 0 || a >= m->nphases || b >= m->nphases || a == b)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_percolation_interface: phases %d and %d of %d", a, b,
                          m->nphases);
    return label_set(m, a, b, out, err);
}

/* touch[a][b] (a < b) = 1 when phases a and b share a voxel face. */
static void touching_pairs(const lihop_micro *m, uint8_t touch[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES])
{
    const int64_t n0 = m->n[0], n1 = m->n[1], n2 = m->n[2], plane = n0 * n1;
    memset(touch, 0, sizeof(uint8_t[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES]));
    for (int64_t z = 0; z < n2; z++)
        for (int64_t y = 0; y < n1; y++)
            for (int64_t x = 0; x < n0; x++) {
                int64_t i = x + y * n0 + z * plane;
                int64_t nb[3] = {(x + 1) % n0 + y * n0 + z * plane, x + (y + 1) % n1 * n0 + z * plane,
                                 x + y * n0 + (z + 1) % n2 * plane};
                for (int k = 0; k < 3; k++) {
                    int p = m->phase[i], q = m->phase[nb[k]];
                    if (p != q && p < LIHOP_MAX_PHASES && q < LIHOP_MAX_PHASES)
                        touch[p < q ? p : q][p < q ? q : p] = 1;
                }
            }
}

lihop_status lihop_percolation_analyse(const lihop_micro *m, lihop_percolation *out, lihop_err *err)
{
    lihop_status st = check_micro(m, "lihop_percolation_analyse", err);
    if (st || !out)
        return st ? st : lihop_fail(err, LIHOP_ERR_INPUT, "lihop_percolation_analyse: NULL result");
    memset(out, 0, sizeof *out);
    out->nphases = m->nphases;
    for (int p = 0; p < m->nphases && !st; p++)
        st = label_set(m, p, -1, &out->phase[p], err);
    uint8_t touch[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES];
    touching_pairs(m, touch);
    for (int a = 0; a < m->nphases && !st; a++)
        for (int b = a + 1; b < m->nphases && !st; b++)
            if (touch[a][b]) {
                int k = out->npairs++;
                out->pair[k][0] = a;
                out->pair[k][1] = b;
                st = label_set(m, a, b, &out->interface[k], err);
            }
    return st;
}

/* "xyz", "x", "yz" or "-". */
static void axes(const int spans[3], char s[4])
{
    int k = 0;
    for (int a = 0; a < 3; a++)
        if (spans[a])
            s[k++] = (char)('x' + a);
    if (k == 0)
        s[k++] = '-';
    s[k] = '\0';
}

void lihop_percolation_format(const lihop_percolation *pc, const char *const *names, char *buf, size_t len)
{
    if (!buf || len == 0)
        return;
    buf[0] = '\0';
    size_t used = 0;
    char s[4];
    for (int p = 0; p < pc->nphases && used < len; p++) {
        axes(pc->phase[p].spans, s);
        used += (size_t)snprintf(buf + used, len - used, "%s%s %s", p ? ", " : "", names[p], s);
    }
    for (int k = 0; k < pc->npairs && used < len; k++) {
        axes(pc->interface[k].spans, s);
        used += (size_t)snprintf(buf + used, len - used, ", %s|%s interface %s", names[pc->pair[k][0]],
                                 names[pc->pair[k][1]], s);
    }
}
