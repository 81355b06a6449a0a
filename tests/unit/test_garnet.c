/* test_garnet.c - the garnet lattice-gas engine: per-event maths (detailed
 * balance, energies), the BKL replica engine against exact answers on
 * hand-built lattices (random walk, exclusion process, vacancy correlation,
 * Boltzmann occupancies, exact enumeration, drift), determinism over thread
 * counts, input errors, and the LLZO 48g lattice from lattices/llzo_cubic.yaml.
 * Every statistical check states its tolerance; each prints what it measured. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <omp.h>

#include "garnet.h"
#include "garnet_event.h"
#include "garnet_replica.h"
#include "bkl_tree.h"
#include "backend_cuda.h"
#include "lattice.h"
#include "rng.h"
#include "garnet_observe.h"

#ifndef LIHOP_SOURCE_DIR
#error "LIHOP_SOURCE_DIR must be defined (CMake does it for lihop_core users)"
#endif

/* ---- hand-built lattices --------------------------------------------------------- */

/* Which pairs exclude each other: (sublattice a, sublattice b, distance A). */
typedef int (*excl_rule)(int a, int b, double d);

static int no_excl(int a, int b, double d) { (void)a; (void)b; (void)d; return 0; }

/* A lattice in a cubic periodic box of side `box` from explicit sites: hops
 * between pairs at distance dhop (minimum image), exclusion by `rule`. */
static lihop_lattice *make_lattice(int n, const double *pos, const int32_t *sub, int nsub, const char *const *names,
                                   double box, double dhop, excl_rule rule)
{
    lihop_lattice *L = (lihop_lattice *)calloc(1, sizeof *L);
    ck_assert_ptr_nonnull(L);
    L->nsites = n;
    L->nsub = nsub;
    for (int s = 0; s < nsub; ++s) snprintf(L->subname[s], sizeof L->subname[s], "%s", names[s]);
    for (int a = 0; a < 3; ++a) L->cell_A[a][a] = box;
    L->sub = (int32_t *)malloc(sizeof(int32_t) * (size_t)n);
    L->pos_A = (double *)malloc(sizeof(double) * 3 * (size_t)n);
    L->hop_start = (int32_t *)calloc((size_t)n + 1, sizeof(int32_t));
    L->excl_start = (int32_t *)calloc((size_t)n + 1, sizeof(int32_t));
    memcpy(L->sub, sub, sizeof(int32_t) * (size_t)n);
    memcpy(L->pos_A, pos, sizeof(double) * 3 * (size_t)n);
    L->frac = (double *)malloc(sizeof(double) * 3 * (size_t)n);    /* for lihop_lattice_pairs */
    for (int q = 0; q < 3 * n; ++q) L->frac[q] = pos[q] / box - floor(pos[q] / box);
    for (int pass = 0; pass < 2; ++pass) {
        int64_t nh = 0, nx = 0;
        for (int i = 0; i < n; ++i) {
            L->hop_start[i] = (int32_t)nh;
            L->excl_start[i] = (int32_t)nx;
            for (int j = 0; j < n; ++j) {
                if (j == i) continue;
                double d[3], r2 = 0.0;
                for (int a = 0; a < 3; ++a) {
                    d[a] = pos[3 * j + a] - pos[3 * i + a];
                    d[a] -= box * round(d[a] / box);
                    r2 += d[a] * d[a];
                }
                double r = sqrt(r2);
                if (fabs(r - dhop) < 1e-6) {
                    if (pass) {
                        L->hop_nbr[nh] = j;
                        for (int a = 0; a < 3; ++a) L->hop_vec_A[3 * nh + a] = d[a];
                    }
                    ++nh;
                }
                if (rule(sub[i], sub[j], r)) {
                    if (pass) L->excl_nbr[nx] = j;
                    ++nx;
                }
            }
        }
        L->hop_start[n] = (int32_t)nh;
        L->excl_start[n] = (int32_t)nx;
        L->nhops = nh;
        L->nexcl = nx;
        if (!pass) {
            L->hop_nbr = (int32_t *)malloc(sizeof(int32_t) * (size_t)(nh + 1));
            L->hop_vec_A = (double *)malloc(sizeof(double) * 3 * (size_t)(nh + 1));
            L->excl_nbr = (int32_t *)malloc(sizeof(int32_t) * (size_t)(nx + 1));
        }
    }
    return L;
}

static void free_lattice(lihop_lattice *L)
{
    free(L->sub); free(L->pos_A); free(L->hop_start); free(L->hop_nbr); free(L->hop_vec_A);
    free(L->excl_start); free(L->excl_nbr); free(L->frac); free(L);
}

/* Simple cubic L^3, lattice constant a, one sublattice, 6 hops per site. */
static lihop_lattice *make_sc(int L, double a)
{
    int n = L * L * L;
    double *pos = (double *)malloc(sizeof(double) * 3 * (size_t)n);
    int32_t *sub = (int32_t *)calloc((size_t)n, sizeof(int32_t));
    for (int z = 0; z < L; ++z)
        for (int y = 0; y < L; ++y)
            for (int x = 0; x < L; ++x) {
                int i = x + L * (y + L * z);
                pos[3 * i] = a * x; pos[3 * i + 1] = a * y; pos[3 * i + 2] = a * z;
            }
    const char *names[1] = {"S"};
    lihop_lattice *lat = make_lattice(n, pos, sub, 1, names, L * a, a, no_excl);
    free(pos); free(sub);
    return lat;
}

/* A garnet-like two-sublattice network: "T" sites on a simple cubic lattice
 * (spacing a), "O" sites at the bond midpoints; every T has 6 O neighbours at
 * a/2, every O 2 T, no T-T or O-O hops.  N_O / N_T = 3. */
static lihop_lattice *make_lieb(int L, double a, excl_rule rule)
{
    int nt = L * L * L, n = 4 * nt;
    double *pos = (double *)malloc(sizeof(double) * 3 * (size_t)n);
    int32_t *sub = (int32_t *)malloc(sizeof(int32_t) * (size_t)n);
    for (int z = 0; z < L; ++z)
        for (int y = 0; y < L; ++y)
            for (int x = 0; x < L; ++x) {
                int i = x + L * (y + L * z);
                double p[3] = {a * x, a * y, a * z};
                for (int a3 = 0; a3 < 3; ++a3) pos[3 * i + a3] = p[a3];
                sub[i] = 0;
                for (int ax = 0; ax < 3; ++ax) {
                    int o = nt + ax * nt + i;
                    for (int a3 = 0; a3 < 3; ++a3) pos[3 * o + a3] = p[a3] + (a3 == ax ? 0.5 * a : 0.0);
                    sub[o] = 1;
                }
            }
    const char *names[2] = {"T", "O"};
    lihop_lattice *lat = make_lattice(n, pos, sub, 2, names, L * a, 0.5 * a, rule);
    free(pos); free(sub);
    return lat;
}

static void params_basic(lihop_garnet_params *p, int64_t nli, int64_t nrep)
{
    lihop_garnet_params_default(p);
    p->nu_Hz = 1e12;
    p->T_K = 300.0;
    p->nli = nli;
    p->nreplicas = nrep;
    p->seed = 12345;
    p->nbatches = 16;
}

static void run_ok(const lihop_lattice *lat, const lihop_garnet_params *p, int nthreads, lihop_garnet_result *res)
{
    lihop_garnet *g = NULL;
    lihop_err err;
    err.msg[0] = '\0';
    lihop_status st = lihop_garnet_create(lat, p, &g, &err);
    ck_assert_msg(st == LIHOP_OK, "create: %s", err.msg);
    st = lihop_garnet_run(g, nthreads, res, &err);
    ck_assert_msg(st == LIHOP_OK, "run: %s", err.msg);
    lihop_garnet_destroy(g);
}

/* The per-axis values partition the isotropic ones: the mean over the axes of
 * D*_a, D_sigma,a and sigma_NE,a equals D*, D_sigma and sigma_NE, and the axis
 * MSDs sum to the isotropic MSD, to rounding (1e-10 relative). */
static void check_axis_sums(const lihop_garnet_result *r)
{
    const double tr = (r->D_tracer_axis_m2_s[0] + r->D_tracer_axis_m2_s[1] + r->D_tracer_axis_m2_s[2]) / 3.0;
    const double co = (r->D_sigma_axis_m2_s[0] + r->D_sigma_axis_m2_s[1] + r->D_sigma_axis_m2_s[2]) / 3.0;
    const double ne = (r->sigma_NE_axis_S_m[0] + r->sigma_NE_axis_S_m[1] + r->sigma_NE_axis_S_m[2]) / 3.0;
    ck_assert_msg(fabs(tr / r->D_tracer_m2_s - 1.0) < 1e-10, "mean D*_a %.17g vs D* %.17g", tr, r->D_tracer_m2_s);
    ck_assert_msg(fabs(co / r->D_sigma_m2_s - 1.0) < 1e-10, "mean D_sigma,a %.17g vs %.17g", co, r->D_sigma_m2_s);
    ck_assert_msg(fabs(ne / r->sigma_NE_S_m - 1.0) < 1e-10, "mean sigma_NE,a %.17g vs %.17g", ne, r->sigma_NE_S_m);
    for (int k = 0; k < r->nsamples; ++k) {
        double st = r->msd_tracer_axis_A2[k][0] + r->msd_tracer_axis_A2[k][1] + r->msd_tracer_axis_A2[k][2];
        double sc = r->msd_coll_axis_A2[k][0] + r->msd_coll_axis_A2[k][1] + r->msd_coll_axis_A2[k][2];
        ck_assert(fabs(st - r->msd_tracer_A2[k]) <= 1e-10 * fabs(r->msd_tracer_A2[k]));
        ck_assert(fabs(sc - r->msd_coll_A2[k]) <= 1e-10 * fabs(r->msd_coll_A2[k]));
    }
}

/* |x_a - x_b| within nsig combined standard errors for every pair of axes. */
static void check_axes_equal(const char *what, const double x[3], const double e[3], double nsig)
{
    for (int a = 0; a < 3; ++a)
        for (int b = a + 1; b < 3; ++b) {
            double comb = sqrt(e[a] * e[a] + e[b] * e[b]);
            ck_assert_msg(comb > 0.0 && fabs(x[a] - x[b]) < nsig * comb, "%s: axis %d %.6g vs axis %d %.6g (err %.3g)",
                          what, a, x[a], b, x[b], comb);
        }
}

/* ---- per-event maths ------------------------------------------------------------- */

START_TEST(test_exp_exact)
{
    double worst = 0.0;
    for (int k = 0; k <= 200000; ++k) {
        double x = -740.0 + 1449.0 * (double)k / 200000.0 + 1e-7 * (k % 13);
        double ref = exp(x), got = lihop_exp_exact(x);
        if (ref < 1e-300) continue;     /* subnormal results: absolute check below */
        double rel = fabs(got - ref) / ref;
        if (rel > worst) worst = rel;
    }
    printf("exp_exact: worst relative error %.3g over [-690, 709]\n", worst);
    ck_assert_msg(worst < 5e-16, "exp_exact worst relative error %g", worst);
    ck_assert(lihop_exp_exact(0.0) == 1.0);
    ck_assert(lihop_exp_exact(-800.0) == 0.0);
    ck_assert(isinf(lihop_exp_exact(800.0)));
    ck_assert(fabs(lihop_exp_exact(-744.0) - exp(-744.0)) < 1e-323);
}
END_TEST

/* k_ij / k_ji = exp(-dE/kT) to 1e-12 (relative) for both laws over barriers,
 * energy differences from -2 to 2 eV and temperatures 150-1500 K. */
START_TEST(test_rate_laws_detailed_balance)
{
    const double Ts[] = {150.0, 300.0, 800.0, 1500.0};
    double worst = 0.0;
    for (int it = 0; it < 4; ++it) {
        double kT = LIHOP_KB_EV * Ts[it];
        for (int ib = 0; ib <= 10; ++ib) {
            double Ek = 0.06 * ib;
            for (int id = -200; id <= 200; ++id) {
                double dE = 0.01 * id + 1e-5 * (id % 7);
                double want = exp(-dE / kT);
                for (int law = 0; law < 2; ++law) {
                    double kf = lihop_rate(law, 1e13, Ek, dE, kT), kb = lihop_rate(law, 1e13, Ek, -dE, kT);
                    if (kf == 0.0 || kb == 0.0) continue;
                    double rel = fabs(kf / kb / want - 1.0);
                    if (rel > worst) worst = rel;
                }
            }
        }
    }
    printf("rate laws: worst |k_ij/k_ji / exp(-dE/kT) - 1| = %.3g\n", worst);
    ck_assert_msg(worst < 1e-12, "detailed balance violated by %g", worst);
    /* the laws themselves */
    double kT = 0.025;
    ck_assert(fabs(lihop_rate_kra(1e13, 0.3, 0.1, kT) / (1e13 * exp(-0.35 / kT)) - 1.0) < 1e-14);
    ck_assert(lihop_rate_metropolis(1e13, -0.2, kT) == 1e13);
    ck_assert(lihop_rate_metropolis(1e13, 0.0, kT) == 1e13);
    ck_assert(fabs(lihop_rate_metropolis(1e13, 0.1, kT) / (1e13 * exp(-0.1 / kT)) - 1.0) < 1e-14);
}
END_TEST

/* How many periodic images of site j lie at distances in [lo, hi) from site
 * i (cubic box; images up to one box away), from the positions alone. */
static int images_in_window(const lihop_lattice *lat, int32_t i, int32_t j, double lo, double hi)
{
    const double box = lat->cell_A[0][0];
    int n = 0;
    for (int a = -1; a <= 1; ++a)
        for (int b = -1; b <= 1; ++b)
            for (int c = -1; c <= 1; ++c) {
                if (i == j && a == 0 && b == 0 && c == 0) continue;
                double d[3] = {lat->pos_A[3 * j] + a * box - lat->pos_A[3 * i],
                               lat->pos_A[3 * j + 1] + b * box - lat->pos_A[3 * i + 1],
                               lat->pos_A[3 * j + 2] + c * box - lat->pos_A[3 * i + 2]};
                double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                n += r >= lo && r < hi;
            }
    return n;
}

/* Pair-shell energy of the pair (i, j), i != j, from the positions. */
static double shell_pair_energy(const lihop_lattice *lat, const lihop_garnet_params *p, int32_t i, int32_t j)
{
    double V = 0.0;
    for (int k = 0; k < p->npair_shells; ++k)
        V += p->pair_shell_eV[k] * images_in_window(lat, i, j, p->pair_shell_min_A[k], p->pair_shell_max_A[k]);
    return V;
}

/* Pair-shell energies of all pairs, [N][N], from the positions. */
static double *shell_matrix(const lihop_lattice *lat, const lihop_garnet_params *p)
{
    const int32_t N = lat->nsites;
    double *V = (double *)calloc((size_t)N * (size_t)N, sizeof(double));
    ck_assert_ptr_nonnull(V);
    for (int32_t i = 0; i < N; ++i)
        for (int32_t j = 0; j < N; ++j)
            if (j != i) V[(size_t)i * N + j] = shell_pair_energy(lat, p, i, j);
    return V;
}

/* Hamiltonian of a configuration, from scratch: site energies (with disorder
 * and phi), E_nn per occupied hop edge (each edge counted once) and the pair
 * shells (V from shell_matrix, NULL: none). */
static double energy(const lihop_garnet_model *m, const double *eps, const uint8_t *occ, const double *V)
{
    double H = 0.0;
    for (int32_t i = 0; i < m->nsites; ++i) {
        if (!occ[i]) continue;
        H += eps[i];
        for (int32_t e = m->hop_start[i]; e < m->hop_start[i + 1]; ++e)
            if (occ[m->hop_nbr[e]]) H += 0.5 * m->E_nn_eV;
        if (V)
            for (int32_t j = i + 1; j < m->nsites; ++j)
                if (occ[j]) H += V[(size_t)i * m->nsites + j];
    }
    return H;
}

/* Three pair shells of the Lieb network with a = 2 A: O-O at 1.414 A, T-T
 * and O-O at 2 A (attractive: negative digits), T-O at 2.236 A. */
static void lieb_shells(lihop_garnet_params *p, double kT)
{
    p->npair_shells = 3;
    p->pair_shell_min_A[0] = 1.3; p->pair_shell_max_A[0] = 1.5; p->pair_shell_eV[0] = 1.5 * kT;
    p->pair_shell_min_A[1] = 1.9; p->pair_shell_max_A[1] = 2.1; p->pair_shell_eV[1] = -1.0 * kT;
    p->pair_shell_min_A[2] = 2.2; p->pair_shell_max_A[2] = 2.3; p->pair_shell_eV[2] = 0.5 * kT;
}

/* On a model with disorder, E_nn, phi, a field and (second pass) three pair
 * shells: for random configurations,
 * every allowed hop's dE equals the change of H from scratch minus the field
 * work (1e-12 eV), its reverse has exactly -dE, the rates obey detailed
 * balance to 1e-12, the tabulated rates equal the direct formula bit for bit
 * and the incremental counts match recounts. */
static int lieb_excl_oo(int a, int b, double d) { return a == 1 && b == 1 && d < 0.75; }

START_TEST(test_hop_energy_consistency)
{
    lihop_lattice *lat = make_lieb(3, 2.0, lieb_excl_oo);
    double *phi = (double *)malloc(sizeof(double) * (size_t)lat->nsites);
    for (int i = 0; i < lat->nsites; ++i) phi[i] = 0.05 * sin(lat->pos_A[3 * i] * 0.7);
    lihop_garnet_params p;
    params_basic(&p, 20, 1);
    p.site_energy_eV[1] = 0.03;
    p.E_nn_eV = 0.08;
    p.disorder_sigma_eV = 0.02;
    p.disorder_seed = 99;
    p.phi_V = phi;
    p.field_V_m[0] = 3e7; p.field_V_m[1] = -1e7; p.field_V_m[2] = 2e6;
    p.E_kra_eV[0][1] = p.E_kra_eV[1][0] = 0.2;
    for (int pass = 0; pass < 4; ++pass) {
        const int law = pass & 1, shells = pass >= 2;
        p.rate_law = (lihop_rate_law)law;
        if (shells) lieb_shells(&p, 0.025);
        double *V = shell_matrix(lat, &p);
        lihop_garnet *g = NULL;
        lihop_err err;
        ck_assert_msg(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK, "%s", err.msg);
        const lihop_garnet_model *m = lihop_garnet_model_get(g);
        const double *eps = lihop_garnet_site_energy_eV(g);
        lihop_garnet_model direct = *m;   /* the same model computing every rate with exp */
        direct.rate_tab = NULL;
        ck_assert_ptr_nonnull(m->rate_tab);
        ck_assert_int_eq(m->tab_cstride, 1);
        int32_t N = m->nsites;
        uint8_t *occ = (uint8_t *)calloc((size_t)N, 1);
        int32_t *nnb = (int32_t *)calloc((size_t)N, sizeof(int32_t));
        int32_t *nblk = (int32_t *)calloc((size_t)N, sizeof(int32_t));
        int checked = 0;
        double worst_dE = 0.0, worst_db = 0.0;
        for (uint64_t trial = 0; trial < 40; ++trial) {
            memset(occ, 0, (size_t)N);
            memset(nnb, 0, sizeof(int32_t) * (size_t)N);
            memset(nblk, 0, sizeof(int32_t) * (size_t)N);
            for (int k = 0; k < N; ++k) { /* random placement respecting exclusion */
                lihop_u32x4 r = lihop_philox_host(5, trial, (uint64_t)k);
                int32_t s = (int32_t)(r.v[0] % (uint32_t)N);
                if (!occ[s] && nblk[s] == 0 && r.v[1] % 3 == 0) lihop_garnet_occupy(m, s, +1, occ, nnb, nblk);
            }
            int32_t *site = (int32_t *)malloc(sizeof(int32_t) * 2 * (size_t)N);   /* packed state */
            for (int32_t q = 0; q < N; ++q) { site[2 * q] = nnb[q]; site[2 * q + 1] = 2 * nblk[q] + occ[q]; }
            for (int32_t e = 0; e < m->nedges; ++e) {
                int32_t i = m->edge_src[e], j = m->hop_nbr[e];
                double k_f = lihop_garnet_edge_rate(m, e, occ, nnb, nblk);
                ck_assert(k_f == lihop_garnet_edge_rate(&direct, e, occ, nnb, nblk));
                ck_assert(k_f == lihop_garnet_site_rate(m, e, site));       /* the replica loop's form */
                ck_assert(k_f == lihop_garnet_site_rate(&direct, e, site));
                int allowed = occ[i] && !occ[j];
                for (int32_t x = m->excl_start[j]; x < m->excl_start[j + 1]; ++x)
                    if (m->excl_nbr[x] != i && occ[m->excl_nbr[x]]) allowed = 0;
                ck_assert_int_eq(allowed, k_f > 0.0);
                if (!allowed) continue;
                double dE = m->edge_dE0_eV[e] + lihop_garnet_interaction_eV(m, nnb[j] - m->edge_mult[e] - nnb[i]);
                double H0 = energy(m, eps, occ, V);
                lihop_garnet_move(m, i, j, occ, nnb, nblk);
                double H1 = energy(m, eps, occ, V);
                const double *d = lat->hop_vec_A + 3 * e;
                double work = (p.field_V_m[0] * d[0] + p.field_V_m[1] * d[1] + p.field_V_m[2] * d[2]) * 1e-10;
                double diff = fabs(dE - ((H1 - H0) - work));
                if (diff > worst_dE) worst_dE = diff;
                int32_t r = m->edge_rev[e];
                double dEr = m->edge_dE0_eV[r] + lihop_garnet_interaction_eV(m, nnb[i] - m->edge_mult[r] - nnb[j]);
                ck_assert_msg(dEr == -dE, "reverse dE %.17g != -%.17g", dEr, dE);
                double k_b = lihop_garnet_edge_rate(m, r, occ, nnb, nblk);
                ck_assert(k_b > 0.0);
                double db = fabs(k_f / k_b / exp(-dE / m->kT_eV) - 1.0);
                if (db > worst_db) worst_db = db;
                lihop_garnet_move(m, j, i, occ, nnb, nblk);
                ++checked;
            }
            free(site);
            /* incremental neighbour counts equal recounts (shells: radix B_k, from the positions) */
            for (int32_t s = 0; s < N; ++s) {
                int32_t c = 0, b = 0, B = 2 * m->shell_half[0] + 1;
                for (int32_t e = m->hop_start[s]; e < m->hop_start[s + 1]; ++e) c += occ[m->hop_nbr[e]];
                for (int k = 0; k < m->nshells; B *= 2 * m->shell_half[k + 1] + 1, ++k)
                    for (int32_t t = 0; t < N; ++t)
                        if (occ[t]) c += B * images_in_window(lat, s, t, p.pair_shell_min_A[k], p.pair_shell_max_A[k]);
                for (int32_t x = m->excl_start[s]; x < m->excl_start[s + 1]; ++x) b += occ[m->excl_nbr[x]];
                ck_assert_int_eq(c, nnb[s]);
                ck_assert_int_eq(b, nblk[s]);
            }
        }
        printf("hop energies (%s%s): %d hops, worst |dE - dH| %.3g eV, worst detailed balance %.3g\n",
               law ? "metropolis" : "kra", shells ? ", pair shells" : "", checked, worst_dE, worst_db);
        if (shells) ck_assert_int_eq(m->nshells, 3);
        ck_assert(checked > 1000);
        ck_assert_msg(worst_dE < 1e-12, "dE differs from the energy change by %g eV", worst_dE);
        ck_assert_msg(worst_db < 1e-12, "detailed balance violated by %g", worst_db);
        free(occ); free(nnb); free(nblk); free(V);
        lihop_garnet_destroy(g);
    }
    free(phi);
    free_lattice(lat);
}
END_TEST

/* ---- physics oracles ----------------------------------------------------------------- */

/* One Li on a simple cubic lattice, rate nu per direction: D = nu a^2, within
 * 2 % (the jackknife error must be below 0.5 %, so 2 % is >= 4 errors). */
START_TEST(test_sc_random_walk)
{
    const double a = 2.0;
    lihop_lattice *lat = make_sc(6, a);
    lihop_garnet_params p;
    params_basic(&p, 1, 4000);
    p.hops_per_li = 300.0;
    p.equil_hops_per_li = 0.0;
    p.nsamples = 60;
    p.fit_from = 0.0;      /* MSD is exactly linear from t = 0: short lags, many origins */
    p.fit_to = 0.05;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    double D = p.nu_Hz * a * a * 1e-20;
    printf("sc random walk: D = %.5g +- %.2g m^2/s, exact %.5g (ratio %.4f), D_sigma/D = %.4f, f = %.4f, "
           "%llu hops\n", r.D_tracer_m2_s, r.D_tracer_err, D, r.D_tracer_m2_s / D, r.D_sigma_m2_s / D,
           r.f_tracer, (unsigned long long)r.hops);
    ck_assert(fabs(r.D_tracer_m2_s / D - 1.0) < 0.02);
    ck_assert(r.D_tracer_err / D < 0.005);
    /* one Li: tracer and collective are the same walk */
    ck_assert(fabs(r.D_sigma_m2_s / r.D_tracer_m2_s - 1.0) < 1e-12);
    /* observed hop rate 6 nu and D0 = nu a^2 within 0.5 % */
    ck_assert(fabs(r.hop_rate_Hz / (6.0 * p.nu_Hz) - 1.0) < 0.005);
    ck_assert(fabs(r.D0_m2_s / D - 1.0) < 0.005);
    ck_assert(r.mean_hop_d2_A2 == a * a);
    free_lattice(lat);
}
END_TEST

/* Site exclusion only, half filling (108 Li on 216 sites): collective f_I = 1
 * within 3 %, the jump diffusion D_J = D_sigma = nu a^2 (1 - c) within 3 %
 * with 1 - c = (N - n)/(N - 1) for a Li's neighbour in the uniform equilibrium,
 * and the hop rate per Li 6 nu (1 - c) within 1 %.  The centre of mass of an
 * exclusion process on a periodic lattice has no drift in any configuration,
 * so the collective MSD is linear from t = 0 and short lags can be used. */
START_TEST(test_sc_exclusion_collective)
{
    const double a = 2.0;
    lihop_lattice *lat = make_sc(6, a);
    lihop_garnet_params p;
    params_basic(&p, 108, 1000);
    p.hops_per_li = 10.0;
    p.equil_hops_per_li = 0.0;   /* random placement is the uniform equilibrium */
    p.nsamples = 60;
    p.fit_from = 0.0;
    p.fit_to = 0.05;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    double vac = (216.0 - 108.0) / 215.0, gam = 6.0 * p.nu_Hz * vac, DJ = p.nu_Hz * a * a * 1e-20 * vac;
    printf("sc exclusion c=0.5: f_I = %.4f +- %.4f, D_J/(nu a^2 (1-c)) = %.4f, Gamma/exact = %.4f\n",
           r.f_coll, r.f_coll_err, r.D_sigma_m2_s / DJ, r.hop_rate_Hz / gam);
    ck_assert(fabs(r.f_coll - 1.0) < 0.03);
    ck_assert(fabs(r.D_sigma_m2_s / DJ - 1.0) < 0.03);
    ck_assert(fabs(r.hop_rate_Hz / gam - 1.0) < 0.01);
    /* a cubic lattice is isotropic: the three axes agree within 4 combined
     * standard errors, and each is D_J within 5 % */
    printf("sc exclusion per axis: D_sigma/D_J = %.4f %.4f %.4f (+- %.4f %.4f %.4f), D*/D_J = %.4f %.4f %.4f\n",
           r.D_sigma_axis_m2_s[0] / DJ, r.D_sigma_axis_m2_s[1] / DJ, r.D_sigma_axis_m2_s[2] / DJ,
           r.D_sigma_axis_err[0] / DJ, r.D_sigma_axis_err[1] / DJ, r.D_sigma_axis_err[2] / DJ,
           r.D_tracer_axis_m2_s[0] / DJ, r.D_tracer_axis_m2_s[1] / DJ, r.D_tracer_axis_m2_s[2] / DJ);
    check_axis_sums(&r);
    check_axes_equal("D_sigma", r.D_sigma_axis_m2_s, r.D_sigma_axis_err, 4.0);
    check_axes_equal("D*", r.D_tracer_axis_m2_s, r.D_tracer_axis_err, 4.0);
    check_axes_equal("sigma_NE", r.sigma_NE_axis_S_m, r.sigma_NE_axis_err, 4.0);
    for (int a = 0; a < 3; ++a) ck_assert(fabs(r.D_sigma_axis_m2_s[a] / DJ - 1.0) < 0.05);
    free_lattice(lat);
}
END_TEST

/* One vacancy on sc 8^3 (511 Li): tracer correlation factor 0.6531 +- 0.01
 * (jackknife error about 0.002).  The fit window starts at 6 hops per Li, past
 * the correlated back-jumps of the tracer. */
START_TEST(test_sc_vacancy_correlation)
{
    lihop_lattice *lat = make_sc(8, 2.0);
    lihop_garnet_params p;
    params_basic(&p, 511, 100);
    p.hops_per_li = 60.0;
    p.equil_hops_per_li = 0.0;   /* a uniformly placed vacancy is already at equilibrium */
    p.nsamples = 30;
    p.fit_from = 0.1;
    p.fit_to = 0.5;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    printf("sc vacancy: f = %.4f +- %.4f (expected 0.6531), f_I = %.4f +- %.4f, %llu hops\n", r.f_tracer,
           r.f_tracer_err, r.f_coll, r.f_coll_err, (unsigned long long)r.hops);
    ck_assert(fabs(r.f_tracer - 0.6531) < 0.01);
    free_lattice(lat);
}
END_TEST

/* One Li on the two-sublattice network, O sites +1 kT above T, no other
 * energies: n_O / n_T = (N_O / N_T) e^-1 = 3/e within 3 %, for both rate laws.
 * (One Li on this bipartite graph follows the same jump chain under both laws
 * and the pilot rescales the clock, so the two runs agree with each other too.) */
START_TEST(test_boltzmann_occupancy)
{
    lihop_lattice *lat = make_lieb(3, 2.0, no_excl);
    for (int law = 0; law < 2; ++law) {
        lihop_garnet_params p;
        params_basic(&p, 1, 512);
        p.rate_law = (lihop_rate_law)law;
        p.site_energy_eV[1] = LIHOP_KB_EV * p.T_K;
        p.E_kra_eV[0][1] = p.E_kra_eV[1][0] = 0.1;
        p.hops_per_li = 2000.0;
        p.nsamples = 4;
        lihop_garnet_result r;
        run_ok(lat, &p, 2, &r);
        double ratio = r.li_fraction[1] / r.li_fraction[0], want = 3.0 * exp(-1.0);
        double rerr = r.li_fraction_err[1] / (r.li_fraction[0] * r.li_fraction[0]);
        printf("boltzmann (%s): n_O/n_T = %.4f +- %.4f (exact %.4f, ratio %.4f); T->O %llu O->T %llu\n",
               law ? "metropolis" : "kra", ratio, rerr, want, ratio / want,
               (unsigned long long)r.hops_by_type[0][1], (unsigned long long)r.hops_by_type[1][0]);
        ck_assert(fabs(ratio / want - 1.0) < 0.03);
        ck_assert(fabs(r.li_fraction[0] + r.li_fraction[1] - 1.0) < 1e-12);
        /* every T->O hop is followed by an O->T hop: counts differ by at most one per replica */
        ck_assert(llabs((long long)r.hops_by_type[0][1] - (long long)r.hops_by_type[1][0]) <= 512);
    }
    free_lattice(lat);
}
END_TEST

/* Two Li on the 3^3 network (27 T + 81 O) with T-O repulsion E_nn = 1 kT, an O
 * site energy of 0.5 kT and exclusion rules; the time-averaged fraction of Li
 * on T must equal the exact Boltzmann average over all allowed pairs within
 * 3 %.  Rule A: O-O pairs at a/sqrt2 exclude each other.  Rule B: every T
 * excludes its O neighbours (hop partners: the hop must not be blocked by the
 * moving ion itself).  The debug check compares every tree leaf with a fresh
 * rate along the run (exact local update set) and must find nothing. */
static int lieb_excl_to(int a, int b, double d) { return a != b && d < 1.01; }

static double exact_T_fraction(const lihop_lattice *lat, double eO, double Enn, double kT)
{
    double Z = 0.0, nT = 0.0;
    for (int i = 0; i < lat->nsites; ++i)
        for (int j = i + 1; j < lat->nsites; ++j) {
            int banned = 0, nn = 0;
            for (int32_t x = lat->excl_start[i]; x < lat->excl_start[i + 1]; ++x) banned |= lat->excl_nbr[x] == j;
            for (int32_t e = lat->hop_start[i]; e < lat->hop_start[i + 1]; ++e) nn += lat->hop_nbr[e] == j;
            if (banned) continue;
            double H = (lat->sub[i] ? eO : 0.0) + (lat->sub[j] ? eO : 0.0) + Enn * nn;
            double w = exp(-H / kT);
            Z += w;
            nT += w * ((lat->sub[i] == 0) + (lat->sub[j] == 0));
        }
    return nT / (2.0 * Z);
}

START_TEST(test_exact_enumeration)
{
    excl_rule rules[2] = {lieb_excl_oo, lieb_excl_to};
    for (int q = 0; q < 2; ++q) {
        /* (on the 2^3 network rule B has jammed pairs: two O between the same two T) */
        lihop_lattice *lat = make_lieb(3, 2.0, rules[q]);
        lihop_garnet_params p;
        params_basic(&p, 2, 128);
        double kT = LIHOP_KB_EV * p.T_K;
        p.site_energy_eV[1] = 0.5 * kT;
        p.E_nn_eV = 1.0 * kT;
        p.E_kra_eV[0][1] = p.E_kra_eV[1][0] = 0.05;
        p.rate_law = q ? LIHOP_RATE_METROPOLIS : LIHOP_RATE_KRA;
        p.hops_per_li = 8000.0;
        p.nsamples = 4;
        p.check_every = 97;
        lihop_garnet_result r;
        run_ok(lat, &p, 2, &r);
        double want = exact_T_fraction(lat, p.site_energy_eV[1], p.E_nn_eV, kT);
        printf("enumeration rule %c: Li on T %.4f +- %.4f, exact %.4f (ratio %.4f), %llu hops, %llu check failures\n",
               'A' + q, r.li_fraction[0], r.li_fraction_err[0], want, r.li_fraction[0] / want,
               (unsigned long long)r.hops, (unsigned long long)r.check_failures);
        ck_assert(fabs(r.li_fraction[0] / want - 1.0) < 0.03);
        ck_assert_uint_eq(r.check_failures, 0);
        free_lattice(lat);
    }
}
END_TEST

/* Exact T fraction of nli Li on a lattice without exclusions: Boltzmann sum
 * over every placement, H from site energies, E_nn per hop edge and the pair
 * shells V (shell_matrix; NULL: none). */
static void enum_rec(const lihop_lattice *lat, const double *V, double eO, double Enn, double kT, int32_t *pick,
                     int depth, int nli, int32_t from, double *Z, double *nT)
{
    if (depth == nli) {
        double H = 0.0;
        int t = 0;
        for (int a = 0; a < nli; ++a) {
            const int32_t i = pick[a];
            H += lat->sub[i] ? eO : 0.0;
            t += lat->sub[i] == 0;
            for (int b = a + 1; b < nli; ++b) {
                const int32_t j = pick[b];
                for (int32_t e = lat->hop_start[i]; e < lat->hop_start[i + 1]; ++e) H += lat->hop_nbr[e] == j ? Enn : 0.0;
                if (V) H += V[(size_t)i * lat->nsites + j];
            }
        }
        double w = exp(-H / kT);
        *Z += w;
        *nT += w * t;
        return;
    }
    for (int32_t s = from; s < lat->nsites; ++s) {
        pick[depth] = s;
        enum_rec(lat, V, eO, Enn, kT, pick, depth + 1, nli, s + 1, Z, nT);
    }
}

static double exact_T_fraction_n(const lihop_lattice *lat, const double *V, int nli, double eO, double Enn, double kT)
{
    int32_t pick[8];
    double Z = 0.0, nT = 0.0;
    enum_rec(lat, V, eO, Enn, kT, pick, 0, nli, 0, &Z, &nT);
    return nT / (nli * Z);
}

/* Pair shells against exact enumeration: 4 Li on the 2^3 Lieb network (32
 * sites; T-T pairs at half the box have two images, so multiplicities count),
 * shells repulsive and attractive, both rate laws: the KMC fraction of Li on
 * T equals the Boltzmann sum within 3 % (its error is < 0.5 %), while the
 * shells move the exact value by > 10 %, so the test sees them.  The debug
 * check (every 97 events) compares every leaf with a fresh rate. */
START_TEST(test_exact_enumeration_shells)
{
    lihop_lattice *lat = make_lieb(2, 2.0, no_excl);
    for (int law = 0; law < 2; ++law) {
        lihop_garnet_params p;
        params_basic(&p, 4, 128);
        double kT = LIHOP_KB_EV * p.T_K;
        p.site_energy_eV[1] = 0.5 * kT;
        p.E_nn_eV = 0.5 * kT;
        p.E_kra_eV[0][1] = p.E_kra_eV[1][0] = 0.05;
        p.rate_law = law ? LIHOP_RATE_METROPOLIS : LIHOP_RATE_KRA;
        p.hops_per_li = 6000.0;
        p.nsamples = 4;
        p.check_every = 97;
        double plain = exact_T_fraction_n(lat, NULL, 4, p.site_energy_eV[1], p.E_nn_eV, kT);
        lieb_shells(&p, kT);
        double *V = shell_matrix(lat, &p);
        double want = exact_T_fraction_n(lat, V, 4, p.site_energy_eV[1], p.E_nn_eV, kT);
        lihop_garnet_result r;
        run_ok(lat, &p, 2, &r);
        printf("enumeration with pair shells (%s): Li on T %.4f +- %.4f, exact %.4f (ratio %.4f; without shells "
               "%.4f), %llu hops, %llu check failures\n", law ? "metropolis" : "kra", r.li_fraction[0],
               r.li_fraction_err[0], want, r.li_fraction[0] / want, plain, (unsigned long long)r.hops,
               (unsigned long long)r.check_failures);
        ck_assert(fabs(want / plain - 1.0) > 0.10);
        ck_assert(r.li_fraction_err[0] < 0.005 * want);
        ck_assert(fabs(r.li_fraction[0] / want - 1.0) < 0.03);
        ck_assert_uint_eq(r.check_failures, 0);
        free(V);
    }
    free_lattice(lat);
}
END_TEST

/* The local update set on a crowded lattice with everything switched on:
 * after every 13th event all leaves are recomputed and compared. */
START_TEST(test_update_set_crowded)
{
    lihop_lattice *lat = make_lieb(3, 2.0, lieb_excl_oo);
    lihop_garnet_params p;
    params_basic(&p, 30, 4);
    p.E_nn_eV = 0.05;
    p.disorder_sigma_eV = 0.03;
    p.field_V_m[2] = 1e8;
    p.site_energy_eV[1] = -0.02;
    p.hops_per_li = 200.0;
    p.check_every = 13;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    printf("crowded update set: %llu events, %llu check failures\n", (unsigned long long)r.events,
           (unsigned long long)r.check_failures);
    ck_assert(r.events > 10000);
    ck_assert_uint_eq(r.check_failures, 0);
    free_lattice(lat);
}
END_TEST

/* Drift of one Li on sc under a field with q E a / kT = x = 0.4 along x (kra,
 * E_KRA = 0): the rates along x are nu e^{+-x/2}, so v = 2 nu a sinh(x/2)
 * exactly; within 3 % (error about 0.4 %).  The drift conductivity agrees with
 * Nernst-Einstein from the drift-corrected collective MSD within 3 % and
 * within 4 combined standard errors: with D_sigma = nu a^2 (2 + cosh(x/2))/3
 * under the field their ratio is 1 to O(x^4) (1e-5 here).  Transverse drift
 * is zero within 4 standard errors. */
START_TEST(test_field_drift)
{
    const double a = 2.0;
    lihop_lattice *lat = make_sc(6, a);
    lihop_garnet_params p;
    params_basic(&p, 1, 2048);
    double kT = LIHOP_KB_EV * p.T_K, x = 0.4;
    p.field_V_m[0] = x * kT / (a * 1e-10);
    p.hops_per_li = 3000.0;
    p.nsamples = 60;
    p.fit_from = 0.0;
    p.fit_to = 0.05;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    double v = 2.0 * p.nu_Hz * a * 1e-10 * sinh(0.5 * x);
    double comb = sqrt(r.sigma_drift_err * r.sigma_drift_err + r.sigma_NE_err * r.sigma_NE_err);
    printf("field drift: v = %.5g +- %.2g m/s (exact %.5g, ratio %.4f), sigma_drift %.4g +- %.2g, "
           "sigma_NE %.4g +- %.2g S/m\n", r.v_drift_m_s[0], r.v_drift_err[0], v, r.v_drift_m_s[0] / v,
           r.sigma_drift_S_m, r.sigma_drift_err, r.sigma_NE_S_m, r.sigma_NE_err);
    ck_assert(fabs(r.v_drift_m_s[0] / v - 1.0) < 0.03);
    ck_assert(fabs(r.sigma_drift_S_m / r.sigma_NE_S_m - 1.0) < 0.03);
    ck_assert(fabs(r.sigma_drift_S_m - r.sigma_NE_S_m) < 4.0 * comb);
    ck_assert(fabs(r.v_drift_m_s[1]) < 4.0 * r.v_drift_err[1]);
    ck_assert(fabs(r.v_drift_m_s[2]) < 4.0 * r.v_drift_err[2]);
    /* per axis (drift removed): D_xx = nu a^2 cosh(x/2) along the field, nu a^2
     * across it, each within 4 standard errors; and the axes partition D_sigma */
    const double Dy = p.nu_Hz * a * a * 1e-20, Dx = Dy * cosh(0.5 * x);
    printf("field drift per axis: D_sigma,x/exact %.4f +- %.4f, y %.4f +- %.4f, z %.4f +- %.4f\n",
           r.D_sigma_axis_m2_s[0] / Dx, r.D_sigma_axis_err[0] / Dx, r.D_sigma_axis_m2_s[1] / Dy,
           r.D_sigma_axis_err[1] / Dy, r.D_sigma_axis_m2_s[2] / Dy, r.D_sigma_axis_err[2] / Dy);
    check_axis_sums(&r);
    ck_assert(fabs(r.D_sigma_axis_m2_s[0] - Dx) < 4.0 * r.D_sigma_axis_err[0]);
    ck_assert(fabs(r.D_sigma_axis_m2_s[1] - Dy) < 4.0 * r.D_sigma_axis_err[1]);
    ck_assert(fabs(r.D_sigma_axis_m2_s[2] - Dy) < 4.0 * r.D_sigma_axis_err[2]);
    free_lattice(lat);
}
END_TEST

/* ---- determinism, interfaces, errors ---------------------------------------------------- */

/* Same numbers, bit for bit, with 1 and 2 threads, and when the replicas are
 * run in two separate calls (pilot-determined run length, disorder, E_nn,
 * field, potential: every code path). */
START_TEST(test_threads_bit_identical)
{
    lihop_lattice *lat = make_lieb(2, 2.0, lieb_excl_oo);
    double phi[32];
    for (int i = 0; i < 32; ++i) phi[i] = 0.01 * (i % 5);
    lihop_garnet_params p;
    params_basic(&p, 6, 7);
    p.E_nn_eV = 0.04; p.disorder_sigma_eV = 0.02; p.disorder_seed = 7; p.phi_V = phi;
    p.field_V_m[1] = 5e7;
    p.nbatches = 3;
    p.hops_per_li = 300.0;
    lihop_garnet_result r1, r2;
    lihop_garnet_replica rep1[7], rep2[7], rep3[7];
    memset(rep1, 0xab, sizeof rep1);  /* records must not depend on prior contents */
    memset(rep2, 0x00, sizeof rep2);
    memset(rep3, 0x5a, sizeof rep3);
    lihop_err err;
    lihop_garnet *g = NULL;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run_replicas(g, 0, 7, 1, rep1, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run_replicas(g, 0, 7, 2, rep2, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run_replicas(g, 0, 3, 2, rep3, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run_replicas(g, 3, 4, 1, rep3 + 3, &err) == LIHOP_OK);
    ck_assert(memcmp(rep1, rep2, sizeof rep1) == 0);
    ck_assert(memcmp(rep1, rep3, sizeof rep1) == 0);
    ck_assert(lihop_garnet_run(g, 1, &r1, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run(g, 2, &r2, &err) == LIHOP_OK);
    lihop_garnet_destroy(g);
    r1.wall_s = r2.wall_s = 0.0;
    r1.threads = r2.threads = 0;
    ck_assert(memcmp(&r1, &r2, sizeof r1) == 0);
    ck_assert(r1.D_tracer_m2_s == r2.D_tracer_m2_s && r1.haven == r2.haven && r1.events == r2.events);
    /* a new handle (same inputs) reproduces the pilot and everything after it */
    lihop_garnet_result r3;
    run_ok(lat, &p, 2, &r3);
    r3.wall_s = 0.0; r3.threads = 0;
    ck_assert(memcmp(&r1, &r3, sizeof r1) == 0);
    /* a different stream gives different numbers */
    p.stream = 1;
    run_ok(lat, &p, 2, &r3);
    ck_assert(r3.events != r1.events || r3.D_tracer_m2_s != r1.D_tracer_m2_s);
    printf("determinism: %llu events, D* = %.6g (1 and 2 threads identical)\n", (unsigned long long)r1.events,
           r1.D_tracer_m2_s);
    free_lattice(lat);
}
END_TEST

/* The error bars are a delete-one-replica jackknife (garnet_observe.c): for a
 * statistic linear in the replica sums (the MSD at one lag, no field) it is
 * exactly the standard error of the mean over replicas, sd / sqrt(n); and the
 * reduction gives the same bits with 1 and 2 threads when the replicas span
 * several jackknife chunks (600 > 256). */
START_TEST(test_jackknife_one_replica_blocks)
{
    lihop_lattice *lat = make_lieb(2, 2.0, lieb_excl_oo);
    lihop_garnet_params p;
    params_basic(&p, 6, 600);
    p.E_nn_eV = 0.04;
    p.hops_per_li = 20.0;
    p.nsamples = 8;
    lihop_garnet_replica *rep = (lihop_garnet_replica *)calloc(600, sizeof *rep);
    lihop_err err;
    lihop_garnet *g = NULL;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run_replicas(g, 0, 600, 2, rep, &err) == LIHOP_OK);
    lihop_garnet_result r1, r2;
    const int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    ck_assert(lihop_garnet_reduce(g, rep, 600, &r1, &err) == LIHOP_OK);
    omp_set_num_threads(2);
    ck_assert(lihop_garnet_reduce(g, rep, 600, &r2, &err) == LIHOP_OK);
    omp_set_num_threads(nt);
    ck_assert(memcmp(&r1, &r2, sizeof r1) == 0);
    ck_assert_int_eq(r1.nbatches, 600);
    for (int k = 0; k < p.nsamples; k += 3) {
        double m = 0.0, ss = 0.0;
        for (int i = 0; i < 600; ++i) m += rep[i].msd_coll_A2[k];
        m /= 600.0;
        for (int i = 0; i < 600; ++i) ss += (rep[i].msd_coll_A2[k] - m) * (rep[i].msd_coll_A2[k] - m);
        const double se = sqrt(ss / 599.0 / 600.0);
        ck_assert_msg(fabs(r1.msd_coll_err[k] - se) < 1e-9 * se, "lag %d: jackknife %.12g, sd/sqrt(n) %.12g", k,
                      r1.msd_coll_err[k], se);
    }
    lihop_garnet_destroy(g);
    free(rep);
    free_lattice(lat);
}
END_TEST

/* The sum tree's batch update over sorted leaves (what the event loop uses)
 * and the in-place build give exactly the tree built from scratch. */
START_TEST(test_bkl_sorted_batch)
{
    const int64_t n = 1000, P = lihop_bkl_leaves(n);
    double *t = (double *)malloc(sizeof(double) * 2 * (size_t)P), *f = (double *)malloc(sizeof(double) * 2 * (size_t)P);
    double *rate = (double *)malloc(sizeof(double) * (size_t)n);
    int32_t leaf[64];
    for (int64_t k = 0; k < n; ++k) rate[k] = (double)(k % 7) * 0.37;
    lihop_bkl_init(t, P, rate, n);
    for (int64_t k = 0; k < n; ++k) f[P + k] = rate[k];
    lihop_bkl_build(f, P, n);
    ck_assert(memcmp(t, f, sizeof(double) * 2 * (size_t)P) == 0);
    for (uint64_t it = 0; it < 2000; ++it) {
        lihop_u32x4 r = lihop_philox_host(11, it, 0);
        int32_t m = (int32_t)(r.v[0] % 40u), cnt = 0;
        int32_t start = (int32_t)(r.v[1] % (uint32_t)n);
        for (int32_t q = 0; q < m; ++q) { /* increasing, clustered like an affected set */
            lihop_u32x4 x = lihop_philox_host(11, it, (uint64_t)q + 1);
            int32_t k = start + (int32_t)(x.v[0] % 23u) + 23 * q;
            if (k >= n) break;
            double v = x.v[1] % 5u == 0 ? 0.0 : (double)(x.v[2] % 1000u) * 1e-3;
            rate[k] = v;
            t[P + k] = v;
            leaf[cnt++] = k;
        }
        lihop_bkl_set_sorted(t, P, leaf, cnt);
        lihop_bkl_init(f, P, rate, n);
        ck_assert(memcmp(t + 1, f + 1, sizeof(double) * (2 * (size_t)P - 1)) == 0);
    }
    free(t); free(f); free(rate);
}
END_TEST

/* Rate-table rows shared between edges with identical rows (uniform LLZO:
 * one row per kind of hop) give exactly the direct formula for every c. */
START_TEST(test_rate_table_rows)
{
    lihop_lattice_spec spec;
    lihop_err err;
    ck_assert(lihop_lattice_spec_load(LIHOP_SOURCE_DIR "/lattices/llzo_cubic.yaml", &spec, &err) == LIHOP_OK);
    int cells[3] = {2, 2, 2};
    lihop_lattice *lat = NULL;
    ck_assert(lihop_lattice_build(&spec, cells, &lat, &err) == LIHOP_OK);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    for (int dis = 0; dis < 2; ++dis) {
        lihop_garnet_params p;
        params_basic(&p, 384, 1);
        p.E_nn_eV = 0.1;
        p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.3;
        p.site_energy_eV[O] = 0.03;
        p.disorder_sigma_eV = dis ? 0.01 : 0.0;
        lihop_garnet *g = NULL;
        ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
        const lihop_garnet_model *m = lihop_garnet_model_get(g);
        lihop_garnet_model direct = *m;
        direct.rate_tab = NULL;
        int64_t entries = 0;
        for (int32_t e = 0; e < m->nedges; ++e) {
            int32_t i = m->edge_src[e], j = m->hop_nbr[e];
            int32_t cmin = -(m->hop_start[i + 1] - m->hop_start[i]);
            int32_t cmax = (m->hop_start[j + 1] - m->hop_start[j]) - m->edge_mult[e];
            entries += cmax - cmin + 1;
            for (int32_t c = cmin; c <= cmax; ++c) {
                int64_t at = (int64_t)m->edge_tab0[e] + m->tab_cstride * c;
                ck_assert(at >= 0 && at < m->ntab);
                ck_assert(m->rate_tab[at] == lihop_garnet_rate_of(&direct, e, c));
                ck_assert(m->edge_pk[e].tab0m + m->tab_cstride * (c + m->edge_mult[e]) == at);
            }
        }
        printf("rate table (%s): %lld entries for %lld (edge, c) pairs\n", dis ? "disorder" : "uniform",
               (long long)m->ntab, (long long)entries);
        if (!dis) ck_assert_int_eq(m->ntab, 12);     /* T->O and O->T, c = -4..1 and -2..3 */
        else ck_assert_int_eq(m->ntab, entries);     /* every site different: nothing shared */
        lihop_garnet_destroy(g);
    }
    lihop_lattice_destroy(lat);
}
END_TEST

/* The links and the per-hop records of the event loop (garnet_event.h), with
 * and without E_nn, with pair shells, with exclusion:
 *  - every edge belongs to exactly one link, with its reverse, and the link's
 *    forward edge is the lower of the two;
 *  - a link's affected list is strictly increasing and is the set of links of
 *    the edges lihop_garnet_affected lists for its hop;
 *  - aff_pk describes each listed link (sites and both directions' table
 *    offsets and exclusion terms), and lihop_garnet_link_pk_rate equals
 *    lihop_garnet_link_rate and the sum of the two edge rates in random states;
 *  - the site deltas of a hop, forward and backward, give the same packed site
 *    state as lihop_garnet_site_occupy(src, -1) then (dst, +1). */
START_TEST(test_affected_lists)
{
    lihop_lattice *lat = make_lieb(3, 2.0, lieb_excl_oo);
    for (int enn = 0; enn < 3; ++enn) {
        lihop_garnet_params p;
        params_basic(&p, 10, 1);
        p.E_nn_eV = enn ? 0.05 : 0.0;
        if (enn == 2) lieb_shells(&p, 0.025);
        lihop_garnet *g = NULL;
        lihop_err err;
        ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
        const lihop_garnet_model *m = lihop_garnet_model_get(g);
        const int32_t E = m->nedges, L = m->nlinks, N = m->nsites;
        ck_assert_int_eq(2 * L, E);
        int32_t *count = (int32_t *)calloc((size_t)L, sizeof(int32_t));
        for (int32_t e = 0; e < E; ++e) {
            const int32_t l = m->edge_link[e], r = m->edge_rev[e];
            ck_assert(l >= 0 && l < L);
            ck_assert_int_eq(m->edge_link[r], l);
            ck_assert_int_eq(m->link_edge[l], e < r ? e : r);
            count[l] += 1;
        }
        for (int32_t l = 0; l < L; ++l) {
            ck_assert_int_eq(count[l], 2);
            const lihop_garnet_link_rec *lr = m->link + l;
            const int32_t f = m->link_edge[l], r = m->edge_rev[f];
            ck_assert_int_eq(lr->a, m->edge_src[f]);
            ck_assert_int_eq(lr->b, m->hop_nbr[f]);
            ck_assert(lr->d2_A2 == m->edge_d2_A2[f] && lr->d2_A2 == m->edge_d2_A2[r]);
            for (int a = 0; a < 3; ++a) {
                ck_assert(lr->vec_A[a] == m->edge_vec_A[3 * f + a]);
                ck_assert(-1.0 * lr->vec_A[a] == m->edge_vec_A[3 * r + a]);   /* what the loop adds backwards */
            }
            ck_assert_int_eq(lihop_garnet_event_edge(m, 2 * l), f);
            ck_assert_int_eq(lihop_garnet_event_edge(m, 2 * l + 1), r);
        }
        free(count);

        uint32_t *stamp = (uint32_t *)calloc((size_t)E, sizeof(uint32_t));
        int32_t *list = (int32_t *)malloc(sizeof(int32_t) * (size_t)E);
        uint8_t *in = (uint8_t *)calloc((size_t)L, 1);
        int32_t longest = 0;
        for (int32_t l = 0; l < L; ++l) {
            const lihop_garnet_link_rec *lr = m->link + l;
            const int32_t *a = m->aff_list + lr->aff_off;
            const int32_t n = lr->aff_len, f = m->link_edge[l];
            ck_assert(lr->aff_off >= 0 && lr->aff_off + n <= m->naff);
            ck_assert(lr->dlt_off >= 0 && lr->dlt_off + lr->dlt_len <= m->ndelta);
            ck_assert(lr->prog_off >= 0 && lr->prog_off + lr->prog_len <= m->nprog);
            for (int32_t k = 1; k < n; ++k) ck_assert(a[k - 1] < a[k]);
            for (int32_t k = 0; k < n; ++k) in[a[k]] = 1;
            int32_t want = lihop_garnet_affected(m, m->edge_src[f], m->hop_nbr[f], stamp, (uint32_t)l + 1, list);
            int32_t distinct = 0;
            for (int32_t k = 0; k < want; ++k) {
                const int32_t x = m->edge_link[list[k]];
                ck_assert(in[x]);
                if (in[x] == 1) { in[x] = 2; ++distinct; }
            }
            ck_assert_int_eq(distinct, n);       /* nothing listed beyond lihop_garnet_affected's set */
            for (int32_t k = 0; k < n; ++k) {
                in[a[k]] = 0;
                const lihop_garnet_link_pk *q = m->aff_pk + lr->aff_off + k;
                const int32_t fw = m->link_edge[a[k]], bw = m->edge_rev[fw];
                ck_assert_int_eq(q->a, m->edge_src[fw]);
                ck_assert_int_eq(q->b, m->hop_nbr[fw]);
                ck_assert_int_eq(q->tab0m_fwd, m->edge_pk[fw].tab0m);
                ck_assert_int_eq(q->tab0m_bwd, m->edge_pk[bw].tab0m);
                ck_assert_int_eq(q->xself2_fwd, m->edge_pk[fw].xself2);
                ck_assert_int_eq(q->xself2_bwd, m->edge_pk[bw].xself2);
            }
            if (n > longest) longest = n;
        }
        ck_assert_int_eq(longest, m->max_aff);

        /* random states (exclusion respected): rates per link and the site deltas of every hop */
        int32_t *site = (int32_t *)malloc(sizeof(int32_t) * 2 * (size_t)N);
        int32_t *want_site = (int32_t *)malloc(sizeof(int32_t) * 2 * (size_t)N);
        int64_t moves = 0;
        for (uint64_t trial = 0; trial < 20; ++trial) {
            memset(site, 0, sizeof(int32_t) * 2 * (size_t)N);
            for (int32_t k = 0; k < N; ++k) {
                lihop_u32x4 r = lihop_philox_host(11, trial, (uint64_t)k);
                int32_t s = (int32_t)(r.v[0] % (uint32_t)N);
                if (site[2 * s + 1] == 0 && r.v[1] % 2 == 0) lihop_garnet_site_occupy(m, s, +1, site);
            }
            for (int64_t x = 0; x < m->naff; ++x) {
                const int32_t l = m->aff_list[x], f = m->link_edge[l];
                const double r = lihop_garnet_link_pk_rate(m->aff_pk + x, m->rate_tab, m->tab_cstride, site);
                ck_assert(r == lihop_garnet_link_rate(m, l, site));
                ck_assert(r == lihop_garnet_site_rate(m, f, site) + lihop_garnet_site_rate(m, m->edge_rev[f], site));
                ck_assert(lihop_garnet_site_rate(m, f, site) == 0.0 || lihop_garnet_site_rate(m, m->edge_rev[f], site) == 0.0);
            }
            for (int32_t e = 0; e < E; ++e) {
                if (lihop_garnet_site_rate(m, e, site) == 0.0) continue;   /* not an allowed hop */
                const int32_t i = m->edge_src[e], j = m->hop_nbr[e], l = m->edge_link[e];
                memcpy(want_site, site, sizeof(int32_t) * 2 * (size_t)N);
                lihop_garnet_site_occupy(m, i, -1, want_site);
                lihop_garnet_site_occupy(m, j, +1, want_site);
                const lihop_garnet_link_rec *lr = m->link + l;
                const int32_t sgn = e == m->link_edge[l] ? 1 : -1;
                for (int32_t k = 0; k < lr->dlt_len; ++k) {
                    const int32_t *d = m->dlt + 2 * (lr->dlt_off + k);
                    site[d[0]] += sgn * d[1];
                }
                ck_assert(memcmp(site, want_site, sizeof(int32_t) * 2 * (size_t)N) == 0);
                for (int32_t k = 0; k < lr->dlt_len; ++k) {     /* and back */
                    const int32_t *d = m->dlt + 2 * (lr->dlt_off + k);
                    site[d[0]] -= sgn * d[1];
                }
                ++moves;
            }
        }
        ck_assert(moves > 100);
        printf("links (E_nn %s%s): %d links, longest affected list %d, %lld entries; %lld hops' site deltas checked\n",
               enn ? "on" : "off", enn == 2 ? ", pair shells" : "", (int)L, (int)longest, (long long)m->naff,
               (long long)moves);
        free(stamp); free(list); free(in); free(site); free(want_site);
        lihop_garnet_destroy(g);
    }
    free_lattice(lat);
}
END_TEST

/* The GPU's ways of running a replica, played on the CPU: hot and cold memory
 * in separate buffers, the post-processing split over 32 lanes (lane by lane)
 * or 5, give the same record bits as one thread with one buffer, and as
 * lihop_garnet_run_replicas; so does the event loop without the tree-update
 * programs.  The debug check (every 101 events) finds nothing. */
START_TEST(test_replica_lanes)
{
    lihop_lattice_spec spec;
    lihop_err err;
    ck_assert(lihop_lattice_spec_load(LIHOP_SOURCE_DIR "/lattices/llzo_cubic.yaml", &spec, &err) == LIHOP_OK);
    int cells[3] = {1, 1, 1};
    lihop_lattice *lat = NULL;
    ck_assert(lihop_lattice_build(&spec, cells, &lat, &err) == LIHOP_OK);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    lihop_garnet_params p;
    params_basic(&p, 45, 3);
    p.E_nn_eV = 0.1; p.disorder_sigma_eV = 0.02; p.disorder_seed = 4;
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.3;
    p.field_V_m[2] = 2e7;
    p.nsamples = 37;
    p.hops_per_li = 30;
    p.check_every = 101;
    lihop_garnet *g = NULL;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    lihop_garnet_job J;
    ck_assert(lihop_garnet_job_get(g, &J, &err) == LIHOP_OK);
    lihop_garnet_replica ref[3], one, split;
    ck_assert(lihop_garnet_run_replicas(g, 0, 3, 1, ref, &err) == LIHOP_OK);
    size_t hot = 0, cold = 0;
    lihop_garnet_work_carve(&J, NULL, NULL, NULL, &hot, &cold);
    ck_assert(hot > 0 && cold > 0 && hot % 16 == 0 && cold % 16 == 0);
    char *hb = (char *)malloc(hot), *cb = (char *)malloc(cold), *both = (char *)malloc(hot + cold);
    for (int64_t rid = 0; rid < 3; ++rid) {
        lihop_garnet_work w;
        memset(&one, 0x77, sizeof one);
        lihop_garnet_work_carve(&J, both, both + hot, &w, NULL, NULL);
        ck_assert_int_eq(lihop_garnet_replica_run(&J, &w, rid, &one), 0);
        ck_assert(memcmp(&one, &ref[rid], sizeof one) == 0);
        const int lanes[2] = {32, 5};
        for (int q = 0; q < 2; ++q) {
            memset(&split, 0x33, sizeof split);
            memset(hb, 0xee, hot);
            memset(cb, 0xee, cold);
            lihop_garnet_work_carve(&J, hb, cb, &w, NULL, NULL);
            ck_assert_int_eq(lihop_garnet_replica_events(&J, &w, rid, &split), 0);
            for (int lane = lanes[q] - 1; lane >= 0; --lane) lihop_garnet_replica_com(&J, &w, lane, lanes[q]);
            for (int lane = 0; lane < lanes[q]; ++lane) lihop_garnet_replica_msd(&J, &w, &split, lane, lanes[q]);
            ck_assert(memcmp(&split, &ref[rid], sizeof split) == 0);
        }
        /* without the tree-update programs (the fallback for huge lattices):
         * changed leaves of the sorted affected lists and their ancestors */
        lihop_garnet_job J2 = J;
        J2.m.prog_node = NULL;
        memset(&split, 0x44, sizeof split);
        lihop_garnet_work_carve(&J2, both, both + hot, &w, NULL, NULL);
        ck_assert_int_eq(lihop_garnet_replica_run(&J2, &w, rid, &split), 0);
        ck_assert(memcmp(&split, &ref[rid], sizeof split) == 0);
        ck_assert_int_eq(ref[rid].status, 0);
        ck_assert_uint_eq(ref[rid].check_failures, 0);
    }
    printf("replica lanes: 3 LLZO replicas, %llu hops each on average, records identical for 1, 5 and 32 lanes\n",
           (unsigned long long)((ref[0].hops + ref[1].hops + ref[2].hops) / 3));
    free(hb); free(cb); free(both);
    lihop_garnet_destroy(g);
    lihop_lattice_destroy(lat);
}
END_TEST

/* Backend choice: CPU through lihop_garnet_run_backend is lihop_garnet_run;
 * CUDA without a device is LIHOP_ERR_NO_GPU and AUTO falls back to the CPU;
 * with a device, CUDA gives the same result bits. */
START_TEST(test_backend_choice)
{
    lihop_lattice *lat = make_lieb(2, 2.0, lieb_excl_oo);
    lihop_garnet_params p;
    params_basic(&p, 6, 5);
    p.E_nn_eV = 0.04;
    p.nbatches = 5;
    p.hops_per_li = 100.0;
    lihop_garnet *g = NULL;
    lihop_err err;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    lihop_garnet_result r1, r2, r3;
    ck_assert(lihop_garnet_run(g, 1, &r1, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run_backend(g, LIHOP_BACKEND_CPU, 2, &r2, &err) == LIHOP_OK);
    ck_assert_int_eq(r1.backend, LIHOP_BACKEND_CPU);
    r1.wall_s = r2.wall_s = 0.0; r1.threads = r2.threads = 0;
    ck_assert(memcmp(&r1, &r2, sizeof r1) == 0);
    lihop_garnet_replica rep[5];
    if (lihop_cuda_device_count() == 0) {
        ck_assert_int_eq(lihop_garnet_run_backend(g, LIHOP_BACKEND_CUDA, 1, &r3, &err), LIHOP_ERR_NO_GPU);
        ck_assert_int_eq(lihop_garnet_run_replicas_backend(g, LIHOP_BACKEND_CUDA, 0, 5, 1, rep, &err),
                         LIHOP_ERR_NO_GPU);
        ck_assert(lihop_garnet_run_backend(g, LIHOP_BACKEND_AUTO, 1, &r3, &err) == LIHOP_OK);
        ck_assert_int_eq(r3.backend, LIHOP_BACKEND_CPU);
        printf("backend: no CUDA device, cuda refused (%s), auto ran on the CPU\n", err.msg);
    } else {
        ck_assert(lihop_garnet_run_backend(g, LIHOP_BACKEND_CUDA, 1, &r3, &err) == LIHOP_OK);
        ck_assert_int_eq(r3.backend, LIHOP_BACKEND_CUDA);
        r3.wall_s = 0.0; r3.threads = 0; r3.backend = LIHOP_BACKEND_CPU;
        ck_assert(memcmp(&r1, &r3, sizeof r1) == 0);
        printf("backend: CUDA result identical to the CPU\n");
    }
    ck_assert(lihop_garnet_run_replicas_backend(g, LIHOP_BACKEND_CPU, 0, 5, 1, rep, &err) == LIHOP_OK);
    lihop_garnet_destroy(g);
    free_lattice(lat);
}
END_TEST

START_TEST(test_input_errors)
{
    lihop_lattice *lat = make_lieb(2, 2.0, no_excl);
    lihop_garnet_params p;
    lihop_garnet *g = NULL;
    lihop_err err;

    params_basic(&p, 33, 2);               /* 32 sites */
    ck_assert_int_eq(lihop_garnet_create(lat, &p, &g, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_null(g);
    ck_assert_ptr_nonnull(strstr(err.msg, "nli"));

    params_basic(&p, 2, 2);
    p.E_kra_eV[0][1] = 0.3; p.E_kra_eV[1][0] = 0.2;
    ck_assert_int_eq(lihop_garnet_create(lat, &p, &g, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "symmetric"));

    params_basic(&p, 2, 2);
    p.nsamples = LIHOP_GARNET_MAX_SAMPLES + 1;
    ck_assert_int_eq(lihop_garnet_create(lat, &p, &g, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "nsamples"));

    params_basic(&p, 2, 2);
    p.T_K = 0.0;
    ck_assert_int_eq(lihop_garnet_create(lat, &p, &g, &err), LIHOP_ERR_INPUT);

    params_basic(&p, 2, 2);
    p.time_s = 0.0; p.hops_per_li = 0.0;
    ck_assert_int_eq(lihop_garnet_create(lat, &p, &g, &err), LIHOP_ERR_INPUT);
    free_lattice(lat);

    /* exclusion leaves room for fewer Li than asked: reported at run time */
    lat = make_lieb(2, 2.0, lieb_excl_to);     /* T-O exclusion: at most 24 O ... */
    params_basic(&p, 30, 2);
    p.time_s = 1e-9;
    ck_assert_int_eq(lihop_garnet_create(lat, &p, &g, &err), LIHOP_OK);
    lihop_garnet_result r;
    ck_assert_int_eq(lihop_garnet_run(g, 1, &r, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot place"));
    lihop_garnet_destroy(g);
    lihop_garnet_destroy(NULL);
    free_lattice(lat);

    /* an asymmetric hop graph is refused */
    lat = make_sc(3, 1.0);
    lat->hop_nbr[0] = lat->hop_nbr[1];
    params_basic(&p, 2, 2);
    ck_assert_int_eq(lihop_garnet_create(lat, &p, &g, &err), LIHOP_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "symmetric"));
    free_lattice(lat);
}
END_TEST

/* A blocked system (every site full) does not hang: the clock runs to t_end
 * with no events and the replica is reported as trapped. */
START_TEST(test_trapped)
{
    lihop_lattice *lat = make_sc(3, 1.0);
    lihop_garnet_params p;
    params_basic(&p, 27, 2);
    p.time_s = 1e-9;
    lihop_garnet_result r;
    run_ok(lat, &p, 1, &r);
    ck_assert_uint_eq(r.events, 0);
    ck_assert_int_eq(r.trapped_replicas, 2);
    ck_assert(r.li_fraction[0] == 1.0);
    ck_assert(r.site_occupancy[0] == 1.0);
    /* and the pilot refuses to guess a time for it */
    p.time_s = 0.0;
    lihop_garnet *g = NULL;
    lihop_err err;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    ck_assert_int_eq(lihop_garnet_run(g, 1, &r, &err), LIHOP_ERR_INPUT);
    lihop_garnet_destroy(g);
    free_lattice(lat);
}
END_TEST

/* ---- the LLZO 48g lattice (lattices/llzo_cubic.yaml) ---------------------------------- */

static lihop_lattice *llzo(int n, lihop_lattice_spec *spec)
{
    lihop_err err;
    err.msg[0] = '\0';
    ck_assert_msg(lihop_lattice_spec_load(LIHOP_SOURCE_DIR "/lattices/llzo_cubic.yaml", spec, &err) == LIHOP_OK,
                  "%s", err.msg);
    int cells[3] = {n, n, n};
    lihop_lattice *lat = NULL;
    ck_assert_msg(lihop_lattice_build(spec, cells, &lat, &err) == LIHOP_OK, "%s", err.msg);
    return lat;
}

/* One Li, no energies: D = (4/9) nu d^2 within 2 % (d from the hops actually
 * made), T:O residence 1:2 within 2 %. */
START_TEST(test_llzo_single_li)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = llzo(1, &spec);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    ck_assert(T >= 0 && O >= 0);
    lihop_garnet_params p;
    params_basic(&p, 1, 4000);
    p.hops_per_li = 300.0;
    p.nsamples = 60;
    p.fit_from = 0.0;
    p.fit_to = 0.05;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    double D = 4.0 / 9.0 * p.nu_Hz * r.mean_hop_d2_A2 * 1e-20;
    double ratio = r.li_fraction[O] / r.li_fraction[T];
    printf("LLZO single Li: d = %.4f A, D = %.5g +- %.2g (4/9 nu d^2 = %.5g, ratio %.4f), n_O/n_T = %.4f\n",
           sqrt(r.mean_hop_d2_A2), r.D_tracer_m2_s, r.D_tracer_err, D, r.D_tracer_m2_s / D, ratio);
    ck_assert(fabs(sqrt(r.mean_hop_d2_A2) - 1.99) < 0.01);
    ck_assert(fabs(r.D_tracer_m2_s / D - 1.0) < 0.02);
    ck_assert(fabs(ratio / 2.0 - 1.0) < 0.02);
    lihop_lattice_destroy(lat);
}
END_TEST

/* Octahedral site energy +1 kT, one Li: n_O/n_T = 2/e = 0.736 within 3 %. */
START_TEST(test_llzo_octahedral_energy)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = llzo(1, &spec);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    lihop_garnet_params p;
    params_basic(&p, 1, 256);
    p.site_energy_eV[O] = LIHOP_KB_EV * p.T_K;
    p.hops_per_li = 2000.0;
    p.nsamples = 4;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    double ratio = r.li_fraction[O] / r.li_fraction[T];
    double rerr = r.li_fraction_err[O] / (r.li_fraction[T] * r.li_fraction[T]);  /* n_T = 1 - n_O */
    printf("LLZO O +1 kT: n_O/n_T = %.4f +- %.4f (2/e = %.4f)\n", ratio, rerr, 2.0 * exp(-1.0));
    ck_assert(fabs(ratio / (2.0 * exp(-1.0)) - 1.0) < 0.03);
    lihop_lattice_destroy(lat);
}
END_TEST

/* Li6 (x = 1: 384 Li on 2x2x2 cells, 576 sites) with E_nn = 0.1 eV, a site
 * energy offset, disorder and the KRA barrier: exact local updates (no
 * check failures), T->O and O->T hop counts balance, sane transport numbers. */
START_TEST(test_llzo_crowded)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = llzo(2, &spec);
    ck_assert_int_eq(lat->nsites, 576);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    lihop_garnet_params p;
    params_basic(&p, 384, 2);
    p.nu_Hz = 1e13;
    p.T_K = 600.0;
    p.E_nn_eV = 0.1;
    p.site_energy_eV[O] = 0.05;
    p.disorder_sigma_eV = 0.01;
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.25;
    p.hops_per_li = 40.0;
    p.equil_hops_per_li = 10.0;
    p.check_every = 1009;
    p.nbatches = 2;
    lihop_garnet_result r;
    run_ok(lat, &p, 1, &r);
    printf("LLZO Li6 2x2x2: %llu events, T occ %.3f, O occ %.3f, f = %.3f, H_R = %.3f, sigma_NE = %.3g S/m\n",
           (unsigned long long)(r.events + r.equil_events), r.site_occupancy[T],
           r.site_occupancy[O], r.f_tracer, r.haven, r.sigma_NE_S_m);
    ck_assert_uint_eq(r.check_failures, 0);
    ck_assert(llabs((long long)r.hops_by_type[T][O] - (long long)r.hops_by_type[O][T]) <= 2 * 384);
    ck_assert(r.f_tracer > 0.0 && r.f_tracer < 1.0);
    ck_assert(r.D_tracer_m2_s > 0.0 && r.sigma_NE_S_m > 0.0);
    check_axis_sums(&r);
    lihop_lattice_destroy(lat);
}
END_TEST

/* Cubic LLZO is isotropic: with Li6.4 on one cell (51 Li), E_nn 0.1 eV and the
 * KRA barrier, the three axes of D*, D_sigma and sigma_NE agree within 4
 * combined standard errors and their means are the isotropic values. */
START_TEST(test_llzo_axes_isotropic)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = llzo(1, &spec);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    int nli = 0;
    lihop_err err;
    ck_assert(lihop_lattice_li_count(&spec, lat, 6.4, &nli, &err) == LIHOP_OK);
    ck_assert_int_eq(nli, 51);
    lihop_garnet_params p;
    params_basic(&p, nli, 256);
    p.nu_Hz = 1e13;
    p.T_K = 600.0;
    p.E_nn_eV = 0.1;
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.3;
    p.hops_per_li = 60.0;
    p.nsamples = 30;
    p.fit_from = 0.2;
    p.fit_to = 0.6;
    lihop_garnet_result r;
    run_ok(lat, &p, 2, &r);
    printf("LLZO per axis: D* %.4g %.4g %.4g (+- %.2g %.2g %.2g), D_sigma %.4g %.4g %.4g (+- %.2g %.2g %.2g) m^2/s\n",
           r.D_tracer_axis_m2_s[0], r.D_tracer_axis_m2_s[1], r.D_tracer_axis_m2_s[2], r.D_tracer_axis_err[0],
           r.D_tracer_axis_err[1], r.D_tracer_axis_err[2], r.D_sigma_axis_m2_s[0], r.D_sigma_axis_m2_s[1],
           r.D_sigma_axis_m2_s[2], r.D_sigma_axis_err[0], r.D_sigma_axis_err[1], r.D_sigma_axis_err[2]);
    check_axis_sums(&r);
    check_axes_equal("LLZO D*", r.D_tracer_axis_m2_s, r.D_tracer_axis_err, 4.0);
    check_axes_equal("LLZO D_sigma", r.D_sigma_axis_m2_s, r.D_sigma_axis_err, 4.0);
    check_axes_equal("LLZO sigma_NE", r.sigma_NE_axis_S_m, r.sigma_NE_axis_err, 4.0);
    lihop_lattice_destroy(lat);
}
END_TEST

/* The stop flag (lihop_garnet_params.interrupt): a flag that stays 0 changes
 * no bit; a set flag stops the pilot and the replicas with
 * LIHOP_ERR_INTERRUPTED and a message, and the handle runs normally once the
 * flag is cleared; set while a long run is under way (another thread, after
 * 0.2 s) it stops the run between replicas, long before its end. */
START_TEST(test_interrupt)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = llzo(2, &spec);
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    lihop_garnet_params p;
    params_basic(&p, 384, 6);
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.3;
    p.E_nn_eV = 0.1;
    p.nbatches = 3;
    volatile sig_atomic_t flag = 0;
    lihop_err err;
    err.msg[0] = '\0';

    /* reference without a flag */
    lihop_garnet_result r0, r1;
    lihop_garnet_replica rep0[6], rep1[6];
    lihop_garnet *g = NULL;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run_replicas(g, 0, 6, 2, rep0, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_run(g, 2, &r0, &err) == LIHOP_OK);
    lihop_garnet_destroy(g);

    /* set before the pilot: the pilot stops, no run length, no result */
    p.interrupt = &flag;
    flag = 1;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    double t_end = -1.0;
    err.msg[0] = '\0';
    ck_assert_int_eq(lihop_garnet_t_end(g, &t_end, &err), LIHOP_ERR_INTERRUPTED);
    ck_assert_msg(strstr(err.msg, "interrupted") != NULL, "message '%s'", err.msg);
    ck_assert(t_end == -1.0);
    err.msg[0] = '\0';
    ck_assert_int_eq(lihop_garnet_run(g, 2, &r1, &err), LIHOP_ERR_INTERRUPTED);
    ck_assert_msg(strstr(err.msg, "interrupted") != NULL, "message '%s'", err.msg);
    /* cleared: the same handle gives the reference bits */
    flag = 0;
    memset(rep1, 0x5a, sizeof rep1);
    ck_assert(lihop_garnet_run_replicas(g, 0, 6, 2, rep1, &err) == LIHOP_OK);
    ck_assert(memcmp(rep0, rep1, sizeof rep0) == 0);
    ck_assert(lihop_garnet_run(g, 1, &r1, &err) == LIHOP_OK);
    r0.wall_s = r1.wall_s = 0.0;
    r0.threads = r1.threads = 0;
    ck_assert(memcmp(&r0, &r1, sizeof r0) == 0);
    /* set after the pilot: the replicas do not run */
    flag = 1;
    err.msg[0] = '\0';
    ck_assert_int_eq(lihop_garnet_run_replicas(g, 0, 6, 2, rep1, &err), LIHOP_ERR_INTERRUPTED);
    ck_assert_msg(strstr(err.msg, "6 of 6 replicas not run") != NULL, "message '%s'", err.msg);
    lihop_garnet_destroy(g);

    /* set 0.2 s into a run of 3000 replicas (~20 s on one thread) */
    flag = 0;
    p.nreplicas = 3000;
    ck_assert(lihop_garnet_create(lat, &p, &g, &err) == LIHOP_OK);
    ck_assert(lihop_garnet_t_end(g, &t_end, &err) == LIHOP_OK);
    lihop_status st = LIHOP_OK;
    double w0 = omp_get_wtime(), w_stop = 0.0, w_end = 0.0;
    err.msg[0] = '\0';
    #pragma omp parallel sections num_threads(2)
    {
        #pragma omp section
        {
            st = lihop_garnet_run(g, 1, &r1, &err);
            w_end = omp_get_wtime();
        }
        #pragma omp section
        {
            struct timespec ts = {0, 200000000};
            while (nanosleep(&ts, &ts) != 0) {}
            w_stop = omp_get_wtime();
            flag = 1;
        }
    }
    printf("interrupt: flag set at %.3f s, run returned at %.3f s (%.3f s later): %s\n", w_stop - w0, w_end - w0,
           w_end - w_stop, err.msg);
    ck_assert_int_eq(st, LIHOP_ERR_INTERRUPTED);
    ck_assert_msg(strstr(err.msg, "of 3000 replicas not run") != NULL, "message '%s'", err.msg);
    ck_assert_msg(w_end - w_stop < 5.0, "the run went on %.3f s after the flag was set", w_end - w_stop);
    lihop_garnet_destroy(g);
    lihop_lattice_destroy(lat);
}
END_TEST

static Suite *garnet_suite(void)
{
    /* Check timeouts (s, per test, wall clock): ~5x the slowest test of the case
     * on the loaded 2-core development machine (Release; event 3.4 s, physics
     * 2.7 s, engine 2.7 s, llzo 0.2 s, interrupt 0.5 s with load ~4.5; 9.5,
     * 5.1, 8.4, 0.4, 0.8 s with two CPU hogs more), at least 10 s.  Slower
     * builds: CK_TIMEOUT_MULTIPLIER (tests.cmake sets it from LIHOP_TEST_TIMEOUT_SCALE). */
    Suite *s = suite_create("garnet");
    TCase *tc = tcase_create("event");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_exp_exact);
    tcase_add_test(tc, test_rate_laws_detailed_balance);
    tcase_add_test(tc, test_hop_energy_consistency);
    suite_add_tcase(s, tc);

    tc = tcase_create("physics");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_sc_random_walk);
    tcase_add_test(tc, test_sc_exclusion_collective);
    tcase_add_test(tc, test_sc_vacancy_correlation);
    tcase_add_test(tc, test_boltzmann_occupancy);
    tcase_add_test(tc, test_exact_enumeration);
    tcase_add_test(tc, test_exact_enumeration_shells);
    tcase_add_test(tc, test_update_set_crowded);
    tcase_add_test(tc, test_field_drift);
    suite_add_tcase(s, tc);

    tc = tcase_create("engine");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_threads_bit_identical);
    tcase_add_test(tc, test_jackknife_one_replica_blocks);
    tcase_add_test(tc, test_bkl_sorted_batch);
    tcase_add_test(tc, test_affected_lists);
    tcase_add_test(tc, test_rate_table_rows);
    tcase_add_test(tc, test_replica_lanes);
    tcase_add_test(tc, test_backend_choice);
    tcase_add_test(tc, test_input_errors);
    tcase_add_test(tc, test_trapped);
    suite_add_tcase(s, tc);

    tc = tcase_create("llzo");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_llzo_single_li);
    tcase_add_test(tc, test_llzo_octahedral_energy);
    tcase_add_test(tc, test_llzo_crowded);
    tcase_add_test(tc, test_llzo_axes_isotropic);
    suite_add_tcase(s, tc);

    tc = tcase_create("interrupt");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_interrupt);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);  /* measured values survive a failing (forked) check */
    SRunner *sr = srunner_create(garnet_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
