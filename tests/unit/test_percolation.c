/* test_percolation.c - cluster labelling and wrapping on the periodic box
 * (model/percolation.c): shapes with known answers, site percolation far from
 * p_c = 0.3116, interface networks, and an independent breadth-first search
 * with unwrapped coordinates on random small boxes. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "micro.h"
#include "percolation.h"
#include "rng.h"

static lihop_micro *box(int nx, int ny, int nz, int nphases)
{
    const int n[3] = {nx, ny, nz};
    lihop_micro *m = NULL;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_micro_create(n, 1e-6, nphases, &m, &err), LIHOP_OK);
    return m;
}

static int64_t at(const lihop_micro *m, int x, int y, int z)
{
    x = ((x % m->n[0]) + m->n[0]) % m->n[0];
    y = ((y % m->n[1]) + m->n[1]) % m->n[1];
    z = ((z % m->n[2]) + m->n[2]) % m->n[2];
    return x + (int64_t)m->n[0] * (y + (int64_t)m->n[1] * z);
}

static lihop_cluster_stats phase_stats(const lihop_micro *m, int p)
{
    lihop_cluster_stats s;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_percolation_phase(m, p, &s, &err), LIHOP_OK);
    return s;
}

#define ck_spans(s, X, Y, Z)                                                                                \
    ck_assert_msg((s).spans[0] == (X) && (s).spans[1] == (Y) && (s).spans[2] == (Z),                        \
                  "spans %d%d%d, expected %d%d%d", (s).spans[0], (s).spans[1], (s).spans[2], X, Y, Z)

START_TEST(slab_spans_its_plane)
{
    lihop_micro *m = box(10, 8, 6, 2);
    for (int z = 0; z < 6; z++)
        for (int y = 0; y < 8; y++)
            for (int x = 2; x < 5; x++)
                m->phase[at(m, x, y, z)] = 1;
    lihop_cluster_stats s1 = phase_stats(m, 1), s0 = phase_stats(m, 0);
    ck_spans(s1, 0, 1, 1);
    ck_assert_int_eq(s1.nclusters, 1);
    ck_assert_int_eq(s1.nvoxels, 3 * 8 * 6);
    ck_assert_double_eq(s1.largest_fraction, 1.0);
    /* the matrix, x in [5, 10) and [0, 2), is one slab through the periodic face */
    ck_spans(s0, 0, 1, 1);
    ck_assert_int_eq(s0.nclusters, 1);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(rod_spans_its_axis)
{
    lihop_micro *m = box(7, 9, 11, 2);
    for (int z = 0; z < 11; z++) {
        m->phase[at(m, 3, 4, z)] = 1;
        m->phase[at(m, 4, 4, z)] = 1;
    }
    lihop_cluster_stats s1 = phase_stats(m, 1);
    ck_spans(s1, 0, 0, 1);
    ck_assert_int_eq(s1.nclusters, 1);
    ck_spans(phase_stats(m, 0), 1, 1, 1);
    /* cut the rod once: it no longer wraps */
    m->phase[at(m, 3, 4, 5)] = 0;
    m->phase[at(m, 4, 4, 5)] = 0;
    s1 = phase_stats(m, 1);
    ck_spans(s1, 0, 0, 0);
    ck_assert_int_eq(s1.nclusters, 1);      /* still one piece, through the periodic face */
    lihop_micro_destroy(m);
}
END_TEST

/* A square ring of half-width r around (cx, cy) in plane z. */
static void ring(lihop_micro *m, int cx, int cy, int z, int r)
{
    for (int d = -r; d <= r; d++) {
        m->phase[at(m, cx + d, cy - r, z)] = 1;
        m->phase[at(m, cx + d, cy + r, z)] = 1;
        m->phase[at(m, cx - r, cy + d, z)] = 1;
        m->phase[at(m, cx + r, cy + d, z)] = 1;
    }
}

START_TEST(closed_ring_does_not_wrap)
{
    lihop_micro *m = box(12, 12, 5, 2);
    ring(m, 6, 6, 2, 3);
    lihop_cluster_stats s = phase_stats(m, 1);
    ck_spans(s, 0, 0, 0);
    ck_assert_int_eq(s.nclusters, 1);
    lihop_micro_destroy(m);
    /* the same ring across the periodic corner: touches every face, wraps nowhere */
    m = box(12, 12, 5, 2);
    ring(m, 0, 0, 2, 3);
    s = phase_stats(m, 1);
    ck_spans(s, 0, 0, 0);
    ck_assert_int_eq(s.nclusters, 1);
    ck_assert_int_eq(s.nvoxels, 24);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(helix_wraps_along_its_axis)
{
    /* a square spiral around the z axis rising one plane per step: after 16
     * steps (one turn) it is back over its start, 16 planes up = one box */
    const int cx[16] = {2, 3, 4, 5, 6, 6, 6, 6, 6, 5, 4, 3, 2, 2, 2, 2};
    const int cy[16] = {2, 2, 2, 2, 2, 3, 4, 5, 6, 6, 6, 6, 6, 5, 4, 3};
    lihop_micro *m = box(9, 9, 16, 2);
    for (int k = 0; k < 16; k++) {
        m->phase[at(m, cx[k], cy[k], k)] = 1;
        m->phase[at(m, cx[(k + 1) % 16], cy[(k + 1) % 16], k)] = 1;    /* the step to the next column */
    }
    lihop_cluster_stats s = phase_stats(m, 1);
    ck_spans(s, 0, 0, 1);
    ck_assert_int_eq(s.nclusters, 1);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(diagonal_staircase_wraps_x_and_y)
{
    lihop_micro *m = box(6, 6, 4, 2);
    for (int k = 0; k < 6; k++) {
        m->phase[at(m, k, k, 1)] = 1;
        m->phase[at(m, k + 1, k, 1)] = 1;
    }
    ck_spans(phase_stats(m, 1), 1, 1, 0);
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(thin_boxes)
{
    lihop_micro *m = box(1, 3, 2, 1);           /* one voxel along x is its own image */
    ck_spans(phase_stats(m, 0), 1, 1, 1);
    lihop_micro_destroy(m);
    m = box(2, 1, 1, 2);
    m->phase[0] = 1;
    ck_spans(phase_stats(m, 1), 0, 1, 1);
    ck_spans(phase_stats(m, 0), 0, 1, 1);
    lihop_micro_destroy(m);
}
END_TEST

static void random_box(lihop_micro *m, double p, uint64_t seed)
{
    for (int64_t i = 0; i < lihop_micro_nvox(m); i++) {
        lihop_u32x4 u = lihop_philox_host(seed, 7, (uint64_t)i);
        m->phase[i] = (uint8_t)(lihop_u01_32(u.v[0]) < p);
    }
}

START_TEST(site_percolation)
{
    /* simple cubic site percolation, p_c = 0.3116: far below it nothing wraps,
     * far above it the filler wraps along every axis */
    lihop_micro *m = box(40, 40, 40, 2);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        random_box(m, 0.20, seed);
        ck_spans(phase_stats(m, 1), 0, 0, 0);
        random_box(m, 0.25, seed);
        lihop_cluster_stats s = phase_stats(m, 1);
        ck_spans(s, 0, 0, 0);
        ck_assert_double_lt(s.largest_fraction, 0.1);
        random_box(m, 0.40, seed);
        s = phase_stats(m, 1);
        ck_spans(s, 1, 1, 1);
        ck_assert_double_gt(s.largest_fraction, 0.5);
    }
    lihop_micro_destroy(m);
}
END_TEST

START_TEST(laminate_interface_network)
{
    lihop_micro *m = box(10, 8, 6, 3);
    for (int z = 0; z < 6; z++)
        for (int y = 0; y < 8; y++)
            for (int x = 2; x < 5; x++)
                m->phase[at(m, x, y, z)] = 1;
    /* interface voxels: x = 1, 2 and x = 4, 5, two sheets normal to x */
    lihop_cluster_stats s;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_percolation_interface(m, 0, 1, &s, &err), LIHOP_OK);
    ck_spans(s, 0, 1, 1);
    ck_assert_int_eq(s.nclusters, 2);
    ck_assert_int_eq(s.nvoxels, 4 * 8 * 6);
    ck_assert_double_eq(s.largest_fraction, 0.5);
    ck_assert_int_eq(lihop_percolation_interface(m, 1, 1, &s, &err), LIHOP_ERR_INPUT);
    /* a laminate along z of period 2 (every voxel on an interface) wraps in 3D */
    for (int64_t i = 0; i < lihop_micro_nvox(m); i++)
        m->phase[i] = (uint8_t)((i / 80) % 2);
    lihop_percolation pc;
    ck_assert_int_eq(lihop_percolation_analyse(m, &pc, &err), LIHOP_OK);
    ck_assert_int_eq(pc.npairs, 1);     /* phase 2 is absent: only 0|1 touch */
    ck_assert_int_eq(pc.pair[0][0], 0);
    ck_assert_int_eq(pc.pair[0][1], 1);
    ck_spans(pc.interface[0], 1, 1, 1);
    ck_spans(pc.phase[0], 1, 1, 0);
    ck_assert_int_eq(pc.phase[0].nclusters, 3);
    ck_assert_int_eq(pc.phase[2].nvoxels, 0);
    ck_assert_double_eq(pc.phase[2].largest_fraction, 0.0);
    const char *names[3] = {"peo", "llzo", "void"};
    char line[256];
    lihop_percolation_format(&pc, names, line, sizeof line);
    ck_assert_str_eq(line, "peo xy, llzo xy, void -, peo|llzo interface xyz");
    lihop_micro_destroy(m);
}
END_TEST

/* Independent reference: breadth-first search storing each voxel's unwrapped
 * position; meeting a visited voxel of the cluster at another position means
 * the cluster wraps along the axes where the two differ. */
static void bfs_reference(const lihop_micro *m, int p, int spans[3], int64_t *nclusters)
{
    int64_t nvox = lihop_micro_nvox(m);
    int32_t (*pos)[3] = malloc(sizeof *pos * (size_t)nvox);
    uint8_t *seen = calloc((size_t)nvox, 1);
    int64_t *queue = malloc(sizeof *queue * (size_t)nvox);
    spans[0] = spans[1] = spans[2] = 0;
    *nclusters = 0;
    for (int64_t s = 0; s < nvox; s++) {
        if (m->phase[s] != p || seen[s])
            continue;
        ++*nclusters;
        int64_t head = 0, tail = 0;
        queue[tail++] = s;
        seen[s] = 1;
        pos[s][0] = (int32_t)(s % m->n[0]);
        pos[s][1] = (int32_t)((s / m->n[0]) % m->n[1]);
        pos[s][2] = (int32_t)(s / ((int64_t)m->n[0] * m->n[1]));
        while (head < tail) {
            int64_t i = queue[head++];
            for (int k = 0; k < 6; k++) {
                int32_t q[3] = {pos[i][0], pos[i][1], pos[i][2]};
                q[k / 2] += k % 2 ? -1 : 1;
                int64_t j = at(m, q[0], q[1], q[2]);
                if (m->phase[j] != p)
                    continue;
                if (!seen[j]) {
                    seen[j] = 1;
                    memcpy(pos[j], q, sizeof q);
                    queue[tail++] = j;
                } else {
                    for (int a = 0; a < 3; a++)
                        spans[a] |= pos[j][a] != q[a];
                }
            }
        }
    }
    free(pos);
    free(seen);
    free(queue);
}

START_TEST(matches_breadth_first_search)
{
    const int dims[4][3] = {{6, 5, 4}, {3, 7, 5}, {8, 8, 2}, {5, 5, 5}};
    int disagree = 0, wrapped = 0, open = 0;
    for (int b = 0; b < 4; b++) {
        lihop_micro *m = box(dims[b][0], dims[b][1], dims[b][2], 2);
        for (uint64_t seed = 0; seed < 100; seed++) {
            random_box(m, 0.30 + 0.004 * (double)seed, 1000 * (uint64_t)b + seed);
            int ref[3];
            int64_t nref;
            bfs_reference(m, 1, ref, &nref);
            lihop_cluster_stats s = phase_stats(m, 1);
            disagree += s.spans[0] != ref[0] || s.spans[1] != ref[1] || s.spans[2] != ref[2] || s.nclusters != nref;
            wrapped += ref[0] || ref[1] || ref[2];
            open += !(ref[0] && ref[1] && ref[2]);
        }
        lihop_micro_destroy(m);
    }
    ck_assert_int_eq(disagree, 0);
    ck_assert_int_gt(wrapped, 20);      /* both outcomes were exercised */
    ck_assert_int_gt(open, 20);
}
END_TEST

START_TEST(labels_are_consistent)
{
    lihop_micro *m = box(9, 7, 6, 2);
    random_box(m, 0.35, 42);
    const size_t nvox = 9 * 7 * 6;
    uint8_t *in = malloc(nvox);
    int32_t *lab = malloc(sizeof *lab * nvox);
    for (size_t i = 0; i < nvox; i++)
        in[i] = m->phase[i];
    lihop_cluster_stats s;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_percolation_label(m->n, in, &s, lab, &err), LIHOP_OK);
    int64_t *size = calloc((size_t)(s.nclusters > 0 ? s.nclusters : 1), sizeof *size), largest = 0;
    for (int64_t i = 0; i < (int64_t)nvox; i++) {
        ck_assert(in[i] ? lab[i] >= 0 && lab[i] < s.nclusters : lab[i] == -1);
        if (!in[i])
            continue;
        size[lab[i]]++;
        int x = (int)(i % 9), y = (int)((i / 9) % 7), z = (int)(i / 63);
        int64_t nb[3] = {at(m, x + 1, y, z), at(m, x, y + 1, z), at(m, x, y, z + 1)};
        for (int k = 0; k < 3; k++)
            ck_assert(!in[nb[k]] || lab[nb[k]] == lab[i]);
    }
    for (int64_t c = 0; c < s.nclusters; c++) {
        ck_assert_int_gt(size[c], 0);
        largest = size[c] > largest ? size[c] : largest;
    }
    ck_assert_int_eq(largest, s.largest);
    int bad[3] = {0, 1, 1};
    ck_assert_int_eq(lihop_percolation_label(bad, in, &s, NULL, &err), LIHOP_ERR_INPUT);
    free(size);
    free(lab);
    free(in);
    lihop_micro_destroy(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("percolation");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, slab_spans_its_plane);
    tcase_add_test(tc, rod_spans_its_axis);
    tcase_add_test(tc, closed_ring_does_not_wrap);
    tcase_add_test(tc, helix_wraps_along_its_axis);
    tcase_add_test(tc, diagonal_staircase_wraps_x_and_y);
    tcase_add_test(tc, thin_boxes);
    tcase_add_test(tc, site_percolation);
    tcase_add_test(tc, laminate_interface_network);
    tcase_add_test(tc, matches_breadth_first_search);
    tcase_add_test(tc, labels_are_consistent);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
