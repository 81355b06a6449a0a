/* test_lattice.c - lattice files, spglib expansion, supercell hop graph, exclusions,
 * Li counts, report, HDF5 export and file-format error messages.
 * Integer results are compared exactly; distances with the tolerance stated at each check. */
#include <check.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lattice.h"
#include "lattice_h5.h"

#ifndef LIHOP_SOURCE_DIR
#error "LIHOP_SOURCE_DIR must be defined (CMake does it for lihop_core users)"
#endif
#define LATDIR LIHOP_SOURCE_DIR "/lattices/"

static lihop_lattice *load_build(const char *file, int n1, int n2, int n3, lihop_lattice_spec *spec)
{
    lihop_err err = {{0}};
    ck_assert_msg(lihop_lattice_spec_load(file, spec, &err) == LIHOP_OK, "%s: %s", file, err.msg);
    int cells[3] = {n1, n2, n3};
    lihop_lattice *lat = NULL;
    ck_assert_msg(lihop_lattice_build(spec, cells, &lat, &err) == LIHOP_OK, "%s: %s", file, err.msg);
    ck_assert_ptr_nonnull(lat);
    return lat;
}

static double hop_len(const lihop_lattice *lat, int64_t k)
{
    const double *v = lat->hop_vec_A + 3 * k;
    return sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

static int count_sub(const lihop_lattice *lat, int s, int upto)
{
    int c = 0;
    for (int i = 0; i < upto; i++) c += lat->sub[i] == s;
    return c;
}

/* Every hop vector joins the two site positions up to a supercell lattice vector, and
 * every hop i->j has its reverse j->i with the opposite vector.  Tolerance 1e-9 A. */
static void check_graph_consistent(const lihop_lattice *lat)
{
    double inv[3][3];
    const double (*S)[3] = (const double (*)[3])lat->cell_A;
    double det = S[0][0] * (S[1][1] * S[2][2] - S[1][2] * S[2][1]) - S[0][1] * (S[1][0] * S[2][2] - S[1][2] * S[2][0]) +
                 S[0][2] * (S[1][0] * S[2][1] - S[1][1] * S[2][0]);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
            inv[i][j] = (S[i1][j1] * S[i2][j2] - S[i1][j2] * S[i2][j1]) / det; /* (S^-1)[i][j] */
        }
    for (int i = 0; i < lat->nsites; i++) {
        ck_assert_int_le(lat->hop_start[i], lat->hop_start[i + 1]);
        for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
            int j = lat->hop_nbr[k];
            ck_assert_int_ne(j, i);
            if (k > lat->hop_start[i]) ck_assert_int_le(lat->hop_nbr[k - 1], j); /* sorted */
            double d[3];
            for (int c = 0; c < 3; c++)
                d[c] = lat->pos_A[3 * j + c] - lat->pos_A[3 * i + c] - lat->hop_vec_A[3 * k + c];
            for (int c = 0; c < 3; c++) { /* fractional d must be an integer */
                double f = d[0] * inv[0][c] + d[1] * inv[1][c] + d[2] * inv[2][c];
                ck_assert_double_eq_tol(f, round(f), 1e-9);
            }
            int found = 0;
            for (int32_t q = lat->hop_start[j]; q < lat->hop_start[j + 1] && !found; q++)
                if (lat->hop_nbr[q] == i && fabs(lat->hop_vec_A[3 * q] + lat->hop_vec_A[3 * k]) < 1e-9 &&
                    fabs(lat->hop_vec_A[3 * q + 1] + lat->hop_vec_A[3 * k + 1]) < 1e-9 &&
                    fabs(lat->hop_vec_A[3 * q + 2] + lat->hop_vec_A[3 * k + 2]) < 1e-9)
                    found = 1;
            ck_assert_msg(found, "hop %d->%d has no reverse", i, j);
        }
        for (int32_t k = lat->excl_start[i]; k < lat->excl_start[i + 1]; k++) {
            ck_assert_int_ne(lat->excl_nbr[k], i);
            if (k > lat->excl_start[i]) ck_assert_int_lt(lat->excl_nbr[k - 1], lat->excl_nbr[k]);
        }
    }
}

/* ---- cubic LLZO, 48g -------------------------------------------------------- */

START_TEST(cubic_48g_counts_and_hops)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = load_build(LATDIR "llzo_cubic.yaml", 1, 1, 1, &spec);
    ck_assert_int_eq(spec.hall_number, 530);
    ck_assert_int_eq(spec.space_group, 230);
    ck_assert_int_eq(lat->sites_per_cell, 72);
    ck_assert_int_eq(lat->nsites, 72);
    ck_assert_int_eq(lat->nsub, 2);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    ck_assert_int_ge(T, 0);
    ck_assert_int_ge(O, 0);
    ck_assert_int_eq(count_sub(lat, T, lat->nsites), 24);
    ck_assert_int_eq(count_sub(lat, O, lat->nsites), 48);
    for (int i = 0; i < lat->nsites; i++) {
        int n = lat->hop_start[i + 1] - lat->hop_start[i];
        ck_assert_int_eq(n, lat->sub[i] == T ? 4 : 2);
        for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
            ck_assert_int_ne(lat->sub[lat->hop_nbr[k]], lat->sub[i]); /* no T-T, no O-O */
            ck_assert_double_eq_tol(hop_len(lat, k), 1.99, 0.01);
        }
        ck_assert_int_eq(lat->excl_start[i + 1] - lat->excl_start[i], 0);
    }
    ck_assert_int_eq(lat->nhops, 192);
    ck_assert_int_eq(lat->max_occupancy, 72);
    ck_assert_int_eq(lat->multi_image, 0);
    check_graph_consistent(lat);
    lihop_lattice_destroy(lat);
}
END_TEST

START_TEST(cubic_48g_li_count)
{
    lihop_lattice_spec spec;
    lihop_err err = {{0}};
    lihop_lattice *lat = load_build(LATDIR "llzo_cubic.yaml", 1, 1, 1, &spec);
    int nli = -1;
    ck_assert_int_eq(spec.li_per_cell_full, 56);
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 7.0, &nli, &err), LIHOP_OK);
    ck_assert_int_eq(nli, 56);
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 6.4, &nli, &err), LIHOP_OK); /* Li6.4 (Ta 0.6) */
    ck_assert_int_eq(nli, 51);                                                       /* round(51.2) */
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 9.0, &nli, &err), LIHOP_OK); /* all 72 sites */
    ck_assert_int_eq(nli, 72);
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 9.1, &nli, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "73 Li"));
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, -1.0, &nli, &err), LIHOP_ERR_INPUT);
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, NAN, &nli, &err), LIHOP_ERR_INPUT);
    lihop_lattice_destroy(lat);
    lat = load_build(LATDIR "llzo_cubic.yaml", 2, 2, 2, &spec);
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 7.0, &nli, &err), LIHOP_OK);
    ck_assert_int_eq(nli, 448);
    lihop_lattice_destroy(lat);
}
END_TEST

START_TEST(cubic_48g_supercell_scales)
{
    lihop_lattice_spec spec;
    lihop_lattice *a = load_build(LATDIR "llzo_cubic.yaml", 1, 1, 1, &spec);
    lihop_lattice *b = load_build(LATDIR "llzo_cubic.yaml", 2, 2, 2, &spec);
    ck_assert_int_eq(b->ncells, 8);
    ck_assert_int_eq(b->nsites, 8 * a->nsites);
    ck_assert_int_eq(b->nhops, 8 * a->nhops);
    ck_assert_int_eq(b->sites_per_cell, 72);
    for (int s = 0; s < b->nsub; s++)
        ck_assert_int_eq(count_sub(b, s, b->nsites), 8 * count_sub(a, s, a->nsites));
    for (int i = 0; i < b->nsites; i++) {
        int ia = i % a->sites_per_cell; /* same Wyckoff site in the unit cell */
        ck_assert_int_eq(b->sub[i], a->sub[ia]);
        ck_assert_int_eq(b->hop_start[i + 1] - b->hop_start[i], a->hop_start[ia + 1] - a->hop_start[ia]);
    }
    ck_assert_double_eq_tol(b->cell_A[0][0], 2 * 12.97, 1e-12);
    ck_assert_double_eq_tol(b->cell_A[2][2], 2 * 12.97, 1e-12);
    check_graph_consistent(b);
    lihop_lattice_destroy(a);
    lihop_lattice_destroy(b);
}
END_TEST

START_TEST(cubic_4x4x4_fast_and_deterministic)
{
    lihop_lattice_spec spec;
    clock_t t0 = clock();
    lihop_lattice *a = load_build(LATDIR "llzo_cubic.yaml", 4, 4, 4, &spec);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_int_eq(a->nsites, 4608);
    ck_assert_msg(secs < 1.0, "4x4x4 build took %.3f s CPU", secs);
    lihop_lattice *b = load_build(LATDIR "llzo_cubic.yaml", 4, 4, 4, &spec);
    ck_assert_int_eq(a->nhops, b->nhops);
    ck_assert(memcmp(a->hop_nbr, b->hop_nbr, sizeof(int32_t) * (size_t)a->nhops) == 0);
    ck_assert(memcmp(a->hop_vec_A, b->hop_vec_A, sizeof(double) * 3 * (size_t)a->nhops) == 0);
    ck_assert(memcmp(a->pos_A, b->pos_A, sizeof(double) * 3 * (size_t)a->nsites) == 0);
    lihop_lattice_destroy(a);
    lihop_lattice_destroy(b);
}
END_TEST

/* ---- cubic LLZO, 96h -------------------------------------------------------- */

START_TEST(cubic_96h)
{
    lihop_lattice_spec spec;
    lihop_err err = {{0}};
    lihop_lattice *lat = load_build(LATDIR "llzo_cubic_96h.yaml", 2, 2, 2, &spec);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    ck_assert_int_eq(lat->sites_per_cell, 120);
    ck_assert_int_eq(count_sub(lat, T, 120), 24);
    ck_assert_int_eq(count_sub(lat, O, 120), 96);
    for (int i = 0; i < lat->nsites; i++) {
        if (lat->sub[i] == O) {
            /* exactly one partner in the same cage, 0.6-0.7 A away, never a hop */
            ck_assert_int_eq(lat->excl_start[i + 1] - lat->excl_start[i], 1);
            int j = lat->excl_nbr[lat->excl_start[i]];
            ck_assert_int_eq(lat->sub[j], O);
            int near = 0;
            for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
                ck_assert_int_ne(lat->hop_nbr[k], j);
                ck_assert_int_eq(lat->sub[lat->hop_nbr[k]], T);
                double d = hop_len(lat, k);
                if (d >= 1.6 && d <= 1.8) near++;
            }
            ck_assert_int_eq(near, 1); /* one T at 1.6-1.8 A */
            ck_assert_int_eq(lat->hop_start[i + 1] - lat->hop_start[i], 2);
        } else {
            ck_assert_int_eq(lat->excl_start[i + 1] - lat->excl_start[i], 0);
            ck_assert_int_eq(lat->hop_start[i + 1] - lat->hop_start[i], 8);
        }
    }
    /* pair distance: minimum image between the partners */
    for (int i = 0; i < 120; i++) {
        if (lat->sub[i] != O) continue;
        int j = lat->excl_nbr[lat->excl_start[i]];
        double best = 1e9;
        for (int a = -1; a <= 1; a++)
            for (int b = -1; b <= 1; b++)
                for (int c = -1; c <= 1; c++) {
                    double d2 = 0;
                    for (int x = 0; x < 3; x++) {
                        double v = lat->pos_A[3 * j + x] - lat->pos_A[3 * i + x] + a * lat->cell_A[0][x] +
                                   b * lat->cell_A[1][x] + c * lat->cell_A[2][x];
                        d2 += v * v;
                    }
                    if (d2 < best) best = d2;
                }
        ck_assert_double_ge(sqrt(best), 0.6);
        ck_assert_double_le(sqrt(best), 0.7);
    }
    ck_assert_int_eq(lat->max_occupancy, 8 * 72); /* one Li per cage */
    ck_assert_int_eq(lat->max_occupancy_exact, 1);
    int nli;
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 7.0, &nli, &err), LIHOP_OK);
    ck_assert_int_eq(nli, 8 * 56);
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 9.2, &nli, &err), LIHOP_ERR_INPUT);
    check_graph_consistent(lat);
    lihop_lattice_destroy(lat);
}
END_TEST

/* ---- tetragonal LLZO -------------------------------------------------------- */

/* Whether the hop graph percolates: one connected component whose cycles wind around
 * the periodic supercell so that they reach every supercell translation.  A breadth-first
 * search carries unwrapped positions; an edge to a site already reached closes a cycle
 * whose winding (in supercell vectors) is the rounded fractional difference of the two
 * unwrapped positions.  The windings generate all of Z^3 iff the gcd of the determinants
 * of their triples is 1.  *ncomp gets the number of connected components. */
static int graph_percolates(const lihop_lattice *lat, int *ncomp)
{
    const double (*S)[3] = (const double (*)[3])lat->cell_A;
    double det = S[0][0] * (S[1][1] * S[2][2] - S[1][2] * S[2][1]) - S[0][1] * (S[1][0] * S[2][2] - S[1][2] * S[2][0]) +
                 S[0][2] * (S[1][0] * S[2][1] - S[1][1] * S[2][0]);
    double inv[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
            inv[i][j] = (S[i1][j1] * S[i2][j2] - S[i1][j2] * S[i2][j1]) / det; /* (S^-1)[i][j] */
        }
    int n = lat->nsites;
    int *comp = malloc(sizeof(int) * (size_t)n), *queue = malloc(sizeof(int) * (size_t)n);
    double *u = malloc(sizeof(double) * 3 * (size_t)n);
    ck_assert(comp && queue && u);
    enum { MAXW = 64 };
    long long w[MAXW][3];
    int nw = 0;
    for (int i = 0; i < n; i++) comp[i] = -1;
    *ncomp = 0;
    for (int s0 = 0; s0 < n; s0++) {
        if (comp[s0] >= 0) continue;
        int head = 0, tail = 0;
        comp[s0] = *ncomp;
        for (int c = 0; c < 3; c++) u[3 * s0 + c] = lat->pos_A[3 * s0 + c];
        queue[tail++] = s0;
        while (head < tail) {
            int i = queue[head++];
            for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
                int j = lat->hop_nbr[k];
                double uj[3];
                for (int c = 0; c < 3; c++) uj[c] = u[3 * i + c] + lat->hop_vec_A[3 * k + c];
                if (comp[j] < 0) {
                    comp[j] = *ncomp;
                    for (int c = 0; c < 3; c++) u[3 * j + c] = uj[c];
                    queue[tail++] = j;
                    continue;
                }
                long long f[3];
                for (int c = 0; c < 3; c++) {
                    double d0 = uj[0] - u[3 * j], d1 = uj[1] - u[3 * j + 1], d2 = uj[2] - u[3 * j + 2];
                    double fc = d0 * inv[0][c] + d1 * inv[1][c] + d2 * inv[2][c];
                    ck_assert_double_eq_tol(fc, round(fc), 1e-9);
                    f[c] = llround(fc);
                }
                if (!f[0] && !f[1] && !f[2]) continue;
                int seen = 0;
                for (int q = 0; q < nw && !seen; q++) seen = w[q][0] == f[0] && w[q][1] == f[1] && w[q][2] == f[2];
                if (!seen) {
                    ck_assert_int_lt(nw, MAXW);
                    for (int c = 0; c < 3; c++) w[nw][c] = f[c];
                    nw++;
                }
            }
        }
        (*ncomp)++;
    }
    long long g = 0;
    for (int a = 0; a < nw; a++)
        for (int b = a + 1; b < nw; b++)
            for (int c = b + 1; c < nw; c++) {
                long long d = w[a][0] * (w[b][1] * w[c][2] - w[b][2] * w[c][1]) -
                              w[a][1] * (w[b][0] * w[c][2] - w[b][2] * w[c][0]) +
                              w[a][2] * (w[b][0] * w[c][1] - w[b][1] * w[c][0]);
                if (d < 0) d = -d;
                while (d) { long long t = g % d; g = d; d = t; } /* g = gcd(g, d) */
            }
    free(comp);
    free(queue);
    free(u);
    return *ncomp == 1 && g == 1;
}

START_TEST(tetragonal)
{
    lihop_lattice_spec spec;
    lihop_err err = {{0}};
    lihop_lattice *lat = load_build(LATDIR "llzo_tetragonal.yaml", 1, 1, 1, &spec);
    ck_assert_int_eq(spec.space_group, 142);
    ck_assert_int_eq(spec.hall_number, 429);
    ck_assert_int_eq(lat->sites_per_cell, 72);
    ck_assert_int_eq(spec.nsites, 4); /* 8a, 16e (T), 16f, 32g (O) */
    ck_assert_int_eq(spec.sites[0].multiplicity, 8);
    ck_assert_int_eq(spec.sites[1].multiplicity, 16);
    ck_assert_int_eq(spec.sites[2].multiplicity, 16);
    ck_assert_int_eq(spec.sites[3].multiplicity, 32);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    ck_assert_int_eq(count_sub(lat, T, 72), 24);
    ck_assert_int_eq(count_sub(lat, O, 72), 48);
    int nli;
    ck_assert_int_eq(lihop_lattice_li_count(&spec, lat, 7.0, &nli, &err), LIHOP_OK);
    ck_assert_int_eq(nli, 56); /* Li7 on 72 sites; the ordered phase leaves 16e empty */
    ck_assert_double_eq_tol(lat->cell_A[0][0], 13.134, 1e-12);
    ck_assert_double_eq_tol(lat->cell_A[2][2], 12.663, 1e-12);
    /* T-O hops only, 1.96-2.01 A (16e-16f 1.968, 16e-32g 2.001, 8a-32g 2.007 A):
     * 4 O per T (8a: 4 x 32g; 16e: 2 x 16f + 2 x 32g), 2 T per O (16f: 2 x 16e; 32g: 8a + 16e) */
    for (int i = 0; i < lat->nsites; i++) {
        int w = lat->wyckoff[i], nw[4] = {0, 0, 0, 0};
        ck_assert_int_eq(lat->hop_start[i + 1] - lat->hop_start[i], lat->sub[i] == T ? 4 : 2);
        for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
            ck_assert_int_ne(lat->sub[lat->hop_nbr[k]], lat->sub[i]);
            ck_assert_double_ge(hop_len(lat, k), 1.96);
            ck_assert_double_le(hop_len(lat, k), 2.01);
            nw[lat->wyckoff[lat->hop_nbr[k]]]++;
        }
        static const int expect[4][4] = {{0, 0, 0, 4}, {0, 0, 2, 2}, {0, 2, 0, 0}, {1, 1, 0, 0}};
        for (int q = 0; q < 4; q++) ck_assert_int_eq(nw[q], expect[w][q]);
    }
    ck_assert_int_eq(lat->nexcl, 0);
    check_graph_consistent(lat);
    int ncomp;
    ck_assert(graph_percolates(lat, &ncomp));
    lihop_lattice_destroy(lat);

    lat = load_build(LATDIR "llzo_tetragonal.yaml", 2, 2, 2, &spec);
    ck_assert_int_eq(lat->nsites, 576);
    ck_assert_int_eq(lat->nhops, 1536);
    ck_assert(graph_percolates(lat, &ncomp));
    lihop_lattice_destroy(lat);

    /* without the empty 16e sites the graph falls apart: 8a + 4 x 32g clusters, lone 16f */
    lihop_lattice_spec no16e = spec;
    memmove(&no16e.sites[1], &no16e.sites[2], sizeof(no16e.sites[0]) * (size_t)(no16e.nsites - 2));
    no16e.nsites--;
    int cells[3] = {2, 2, 2};
    ck_assert_msg(lihop_lattice_build(&no16e, cells, &lat, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert(!graph_percolates(lat, &ncomp));
    ck_assert_int_eq(ncomp, 8 * (8 + 16)); /* 8 clusters of 5 + 16 lone 16f per cell */
    lihop_lattice_destroy(lat);
}
END_TEST

/* ---- test lattices ---------------------------------------------------------- */

static void check_coordination(const char *file, int n, int spc, int z, double d_nn)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = load_build(file, n, n, n, &spec);
    ck_assert_int_eq(lat->sites_per_cell, spc);
    ck_assert_int_eq(lat->nsites, spc * n * n * n);
    for (int i = 0; i < lat->nsites; i++) {
        ck_assert_int_eq(lat->hop_start[i + 1] - lat->hop_start[i], z);
        for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
            ck_assert_double_eq_tol(hop_len(lat, k), d_nn, 1e-9);
            if (k > lat->hop_start[i]) ck_assert_int_lt(lat->hop_nbr[k - 1], lat->hop_nbr[k]); /* distinct */
        }
    }
    ck_assert_int_eq(lat->multi_image, 0);
    ck_assert_int_eq(lat->nself_images, 0);
    check_graph_consistent(lat);
    lihop_lattice_destroy(lat);
}

START_TEST(simple_cubic_6) { check_coordination(LATDIR "simple_cubic.yaml", 4, 1, 6, 1.0); }
END_TEST
START_TEST(bcc_8) { check_coordination(LATDIR "bcc.yaml", 3, 2, 8, sqrt(3.0) / 2); }
END_TEST
START_TEST(fcc_12) { check_coordination(LATDIR "fcc.yaml", 3, 4, 12, sqrt(0.5)); }
END_TEST
START_TEST(diamond_4) { check_coordination(LATDIR "diamond.yaml", 3, 8, 4, sqrt(3.0) / 4); }
END_TEST

/* Supercells shorter than twice the cutoff: every periodic image is its own hop. */
START_TEST(small_supercells_enumerate_images)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = load_build(LATDIR "simple_cubic.yaml", 2, 2, 2, &spec);
    for (int i = 0; i < lat->nsites; i++) {
        ck_assert_int_eq(lat->hop_start[i + 1] - lat->hop_start[i], 6); /* 3 neighbours x 2 images */
        for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++)
            ck_assert_double_eq_tol(hop_len(lat, k), 1.0, 1e-12);
    }
    ck_assert_int_eq(lat->multi_image, 1);
    check_graph_consistent(lat);
    lihop_lattice_destroy(lat);

    lat = load_build(LATDIR "simple_cubic.yaml", 1, 1, 1, &spec);
    ck_assert_int_eq(lat->nhops, 0);          /* all 6 neighbours are the site itself */
    ck_assert_int_eq(lat->nself_images, 6);
    lihop_lattice_destroy(lat);

    lat = load_build(LATDIR "simple_cubic.yaml", 1, 1, 5, &spec); /* mixed: long along z */
    for (int i = 0; i < lat->nsites; i++) ck_assert_int_eq(lat->hop_start[i + 1] - lat->hop_start[i], 2);
    ck_assert_int_eq(lat->nself_images, 4 * 5);
    lihop_lattice_destroy(lat);
}
END_TEST

/* ---- general metric (hexagonal, gamma = 120) -------------------------------- */

static char tmpdir[64];

static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

START_TEST(hexagonal_metric)
{
    const char *p = write_tmp("hex.yaml", "name: hex\n"
                                          "space_group: 191\n"
                                          "a_A: 1.0\n"
                                          "c_A: 1.6\n"
                                          "gamma_deg: 120\n"
                                          "sites:\n"
                                          "  - {label: 1a, sublattice: A, frac: [0, 0, 0]}\n"
                                          "hop_cutoff_A: 1.01\n");
    lihop_lattice_spec spec;
    lihop_lattice *lat = load_build(p, 3, 3, 2, &spec);
    for (int i = 0; i < lat->nsites; i++) ck_assert_int_eq(lat->hop_start[i + 1] - lat->hop_start[i], 6);
    ck_assert_double_eq_tol(lat->unit_cell_A[1][0], -0.5, 1e-12);
    ck_assert_double_eq_tol(lat->unit_cell_A[1][1], sqrt(3.0) / 2, 1e-12);
    check_graph_consistent(lat);
    lihop_lattice_destroy(lat);
}
END_TEST

/* ---- report and HDF5 -------------------------------------------------------- */

START_TEST(report_lists_counts_and_distances)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = load_build(LATDIR "llzo_cubic.yaml", 2, 2, 2, &spec);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    lihop_lattice_report(&spec, lat, fp);
    fclose(fp);
    ck_assert_ptr_nonnull(strstr(buf, "T 24/cell (192 total)"));
    ck_assert_ptr_nonnull(strstr(buf, "O 48/cell (384 total)"));
    ck_assert_ptr_nonnull(strstr(buf, "T-O  1.990 A  x 768"));
    ck_assert_ptr_nonnull(strstr(buf, "T    4-4"));
    ck_assert_ptr_nonnull(strstr(buf, "O    2-2"));
    free(buf);
    lihop_lattice_report(&spec, lat, NULL); /* NULL stream: no-op */
    lihop_lattice_destroy(lat);
}
END_TEST

START_TEST(write_h5_roundtrip)
{
    lihop_lattice_spec spec;
    lihop_err err = {{0}};
    lihop_lattice *lat = load_build(LATDIR "llzo_cubic_96h.yaml", 1, 1, 2, &spec);
    char path[256], part[280];
    snprintf(path, sizeof path, "%s/graph.h5", tmpdir);
    snprintf(part, sizeof part, "%s.part", path);
    ck_assert_msg(lihop_lattice_write_h5(lat, path, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_ne(access(path, F_OK), -1);
    ck_assert_int_eq(access(part, F_OK), -1);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    hid_t d = H5Dopen2(f, "/lattice/hop_nbr", H5P_DEFAULT);
    ck_assert_int_ge(d, 0);
    hid_t sp = H5Dget_space(d);
    hsize_t dim = 0;
    H5Sget_simple_extent_dims(sp, &dim, NULL);
    ck_assert_int_eq((long long)dim, (long long)lat->nhops);
    int32_t *nbr = malloc(sizeof(int32_t) * dim);
    ck_assert_int_ge(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, nbr), 0);
    ck_assert(memcmp(nbr, lat->hop_nbr, sizeof(int32_t) * dim) == 0);
    free(nbr);
    H5Sclose(sp);
    H5Dclose(d);
    const char *names[] = {"positions_m", "sublattice", "hop_start", "hop_vec_m", "excl_start", "excl_nbr", "cell_m",
                           "unit_cell_m"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char full[64];
        snprintf(full, sizeof full, "/lattice/%s", names[i]);
        ck_assert_msg(H5Lexists(f, full, H5P_DEFAULT) > 0, "%s missing", full);
    }
    /* lengths in metres (SI): the model's angstrom times 1e-10, unit "m" */
    hid_t pd = H5Dopen2(f, "/lattice/positions_m", H5P_DEFAULT);
    ck_assert_int_gt(H5Aexists(pd, "unit"), 0);
    hid_t ua = H5Aopen(pd, "unit", H5P_DEFAULT);
    hid_t ut = H5Aget_type(ua);
    char unit[16] = {0};
    ck_assert_int_ge(H5Aread(ua, ut, unit), 0);
    ck_assert_str_eq(unit, "m");
    H5Tclose(ut);
    H5Aclose(ua);
    double *pos = malloc(sizeof *pos * 3 * (size_t)lat->nsites);
    ck_assert_int_ge(H5Dread(pd, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, pos), 0);
    for (int i = 0; i < 3 * lat->nsites; i++)
        ck_assert_msg(fabs(pos[i] - 1e-10 * lat->pos_A[i]) <= 1e-25, "positions_m[%d] = %g, pos_A %g", i, pos[i],
                      lat->pos_A[i]);
    free(pos);
    H5Dclose(pd);
    double cut = 0;
    hid_t ca = H5Aopen_by_name(f, "/lattice", "hop_cutoff_m", H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_int_ge(ca, 0);
    ck_assert_int_ge(H5Aread(ca, H5T_NATIVE_DOUBLE, &cut), 0);
    H5Aclose(ca);
    ck_assert_msg(fabs(cut - 1e-10 * lat->hop_cutoff_A) < 1e-25, "hop_cutoff_m %g", cut);
    hid_t g = H5Gopen2(f, "/lattice", H5P_DEFAULT);
    ck_assert_int_gt(H5Aexists(g, "sublattice_names"), 0);
    H5Gclose(g);
    H5Fclose(f);

    /* unwritable location: an I/O error with a message, nothing printed by HDF5 */
    ck_assert_int_eq(lihop_lattice_write_h5(lat, "/nonexistent-dir/x.h5", &err), LIHOP_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-dir/x.h5.part"));
    lihop_lattice_destroy(lat);
    remove(path);
}
END_TEST

/* Sites without a hop or exclusion neighbour: the neighbour buffers stay NULL
 * with count 0, which must not reach qsort or memcpy (UBSan aborted here). */
START_TEST(isolated_sites)
{
    lihop_lattice_spec spec;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_lattice_spec_load(LATDIR "simple_cubic.yaml", &spec, &err), LIHOP_OK);
    spec.hop_cutoff_A = 0.5;           /* nearest neighbours sit at 1 A */
    spec.hop_min_A = 0.0;
    spec.exclusion_cutoff_A = 0.25;
    int cells[3] = {3, 3, 3};
    lihop_lattice *lat = NULL;
    ck_assert_msg(lihop_lattice_build(&spec, cells, &lat, &err) == LIHOP_OK, "%s", err.msg);
    ck_assert_int_eq(lat->nsites, 27);
    ck_assert_int_eq((int)lat->nhops, 0);
    ck_assert_int_eq((int)lat->nexcl, 0);
    ck_assert_int_eq(lat->hop_start[lat->nsites], 0);
    int32_t *start = NULL, *nbr = NULL;
    int64_t np = -1;
    ck_assert_int_eq(lihop_lattice_pairs(lat, 0.1, 0.5, &start, &nbr, &np, &err), LIHOP_OK);
    ck_assert_int_eq((int)np, 0);
    ck_assert_int_eq(start[lat->nsites], 0);
    free(start);
    free(nbr);
    lihop_lattice_destroy(lat);
}
END_TEST

START_TEST(destroy_null_and_bad_args)
{
    lihop_lattice_destroy(NULL);
    lihop_lattice_spec spec;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_lattice_spec_load(LATDIR "simple_cubic.yaml", &spec, &err), LIHOP_OK);
    lihop_lattice *lat = (lihop_lattice *)1;
    int bad[3] = {0, 1, 1};
    ck_assert_int_eq(lihop_lattice_build(&spec, bad, &lat, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(lat);
    ck_assert_int_eq(lihop_lattice_spec_load(LATDIR "no-such-file.yaml", &spec, &err), LIHOP_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "no-such-file.yaml"));
}
END_TEST

/* ---- bad files: FILE:LINE: key 'x': expected ..., got ... -------------------- */

static void expect_error(const char *name, const char *text, const char *line_tag, const char *key, const char *got)
{
    const char *p = write_tmp(name, text);
    lihop_lattice_spec spec;
    lihop_err err = {{0}};
    ck_assert_int_eq(lihop_lattice_spec_load(p, &spec, &err), LIHOP_ERR_INPUT);
    char want[300];
    snprintf(want, sizeof want, "%s:%s:", p, line_tag);
    ck_assert_msg(strstr(err.msg, want) != NULL, "want '%s' in: %s", want, err.msg);
    if (key) {
        snprintf(want, sizeof want, "key '%s'", key);
        ck_assert_msg(strstr(err.msg, want) != NULL, "want '%s' in: %s", want, err.msg);
        ck_assert_msg(strstr(err.msg, "expected") != NULL, "no 'expected' in: %s", err.msg);
    }
    if (got) ck_assert_msg(strstr(err.msg, got) != NULL, "want '%s' in: %s", got, err.msg);
}

#define GOOD_HEAD "name: t\nspace_group: 221\n"
#define GOOD_SITES "sites:\n  - {label: 1a, sublattice: A, frac: [0, 0, 0]}\n"

START_TEST(bad_files)
{
    expect_error("e1.yaml", GOOD_HEAD "a_A: abc\n" GOOD_SITES "hop_cutoff_A: 1.01\n", "3", "a_A", "abc");
    expect_error("e2.yaml", GOOD_HEAD "a_A: 1\n" GOOD_SITES "hop_cutof_A: 1.01\n", "6", "hop_cutof_A",
                 "unknown key");
    expect_error("e3.yaml", GOOD_HEAD "a_A: 1\nsites:\n  - label: 1a\n    sublattice: A\n    frac: [0, 0]\n"
                            "hop_cutoff_A: 1.01\n",
                 "7", "sites[0].frac", "2 entries");
    expect_error("e4.yaml", GOOD_HEAD GOOD_SITES "hop_cutoff_A: 1.01\n", "1", "a_A", "(required), got nothing");
    expect_error("e5.yaml", GOOD_HEAD "a_A: 1\n" GOOD_SITES "hop_cutoff_A: -2\n", "6", "hop_cutoff_A", "-2");
    expect_error("e6.yaml", "name: t\nspace_group: 230\na_A: 12.97\nc_A: 12.0\n" GOOD_SITES "hop_cutoff_A: 2\n",
                 "4", "c_A", "Ia-3d");
    expect_error("e7.yaml", GOOD_HEAD "a_A: [1\n", "4", NULL, "YAML");
    expect_error("e8.yaml", "name: t\nspace_group: 230\nhall_number: 429\na_A: 1\n" GOOD_SITES "hop_cutoff_A: 1\n",
                 "3", "hall_number", "142");
    expect_error("e9.yaml", GOOD_HEAD "a_A: 1\nsites:\n  - label: 1a\n    sublattice: A\n    frac: [0, x, 0]\n"
                            "hop_cutoff_A: 1.01\n",
                 "7", "sites[0].frac[1]", "'x'");
    expect_error("e10.yaml", "name: t\nspace_group: 2300\na_A: 1\n" GOOD_SITES "hop_cutoff_A: 1\n", "2",
                 "space_group", "2300");
    expect_error("e11.yaml", GOOD_HEAD "a_A: 1\n" GOOD_SITES "hop_cutoff_A: 1.01\nhop_min_A: 0.5\n", "7",
                 "hop_min_A", "0.5");
    expect_error("e12.yaml", GOOD_HEAD "a_A: 1\nsites:\n  - {label: a, sublattice: A, frac: [0, 0, 0]}\n"
                             "  - {label: b, sublattice: B, frac: [1, 0, 0]}\nhop_cutoff_A: 1.01\n",
                 "6", "sites[1].frac", "same sites");
    expect_error("e13.yaml", GOOD_HEAD "a_A: 1\na_A: 2\n" GOOD_SITES "hop_cutoff_A: 1.01\n", "4", "a_A", "'a_A' again (first on line 3)");
    expect_error("e14.yaml", "- just\n- a list\n", "1", NULL, "mapping");
    expect_error("e15.yaml", "name: t\na_A: 1\n" GOOD_SITES "hop_cutoff_A: 1.01\n", "1", "space_group", "neither");
    expect_error("e16.yaml", GOOD_HEAD "a_A: 1\n" GOOD_SITES "hop_cutoff_A: 1.01\nformula_units_per_cell: 0\n", "7",
                 "formula_units_per_cell", "0");
}
END_TEST

static Suite *lattice_suite(void)
{
    Suite *s = suite_create("lattice");
    TCase *tc = tcase_create("core");
    /* ~5x the slowest test (0.06 s; 0.09 s with two CPU hogs), at least 10 s */
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, cubic_48g_counts_and_hops);
    tcase_add_test(tc, cubic_48g_li_count);
    tcase_add_test(tc, cubic_48g_supercell_scales);
    tcase_add_test(tc, cubic_4x4x4_fast_and_deterministic);
    tcase_add_test(tc, cubic_96h);
    tcase_add_test(tc, tetragonal);
    tcase_add_test(tc, simple_cubic_6);
    tcase_add_test(tc, bcc_8);
    tcase_add_test(tc, fcc_12);
    tcase_add_test(tc, diamond_4);
    tcase_add_test(tc, small_supercells_enumerate_images);
    tcase_add_test(tc, hexagonal_metric);
    tcase_add_test(tc, report_lists_counts_and_distances);
    tcase_add_test(tc, write_h5_roundtrip);
    tcase_add_test(tc, destroy_null_and_bad_args);
    tcase_add_test(tc, isolated_sites);
    tcase_add_test(tc, bad_files);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lihop_test_lattice_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    SRunner *sr = srunner_create(lattice_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
