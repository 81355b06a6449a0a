/* validate_garnet.c - garnet lattice-gas physics checks (DESIGN section 9, issue 3
 * acceptance).  Each check builds its lattice and parameters in code, runs the
 * real engine (lihop_garnet_run) and compares with an exact or published value
 * and a stated tolerance.  Expected values that depend on the lattice geometry
 * are computed from the lattice itself, exactly:
 *
 *  - single Li, equal site energies, 48g model.  The walker is at equilibrium on
 *    every site with equal probability: 1/3 of the time on T (4 hops out, rate nu
 *    each), 2/3 on O (2 hops out), so Gamma = 8/3 nu hops per unit time and
 *    (1/6) Gamma d^2 = (4/9) nu d^2.  The O (48g, y = 0.6803) sits 0.13 A off the
 *    line joining its two T, so the hop vectors out of an O do not cancel and
 *    successive hops are slightly correlated.  Corrector: u = 0 on T, u = -(O -
 *    midpoint of its T-T pair) on O; then every corrected hop vector is half a
 *    T-T vector (the four out of a T cancel by its -4 symmetry), X + u is a
 *    martingale and D = (4/9) nu (d_TT/2)^2 exactly, d_TT/2 = a sqrt(3/128) =
 *    1.9856 A (vs d = 1.990 A: D is 0.44 % lower).
 *  - site exclusion only: the centre of mass has drift nu sum_i n_i b_i with b_i
 *    the single-site drift (the pair terms cancel), so the same corrector summed
 *    over the Li makes it a martingale whose increments are again half T-T vectors:
 *    D_sigma = Gamma (d_TT/2)^2 / 6 and f_I = D_sigma / D0 = (d_TT / 2d)^2 =
 *    0.9956 at every filling and in every periodic cell.
 *  - one vacancy: the tracer correlation factor of the cell simulated, exactly,
 *    from the Markov chain (tracer site in the home cell, vacancy site) with the
 *    tracer displacement as an additive functional: D* = (1/6) sum_x pi(x)
 *    sum_y Q(x,y) |d_xy + u(y) - u(x)|^2 with -Q u = b the Poisson equation for
 *    the mean drift b (all rates equal: Q symmetric, pi uniform; conjugate
 *    gradients).  This reproduces sc 0.6531, bcc 0.7272, fcc 0.7815, diamond 0.5
 *    as the cell grows (f_N = f_inf + ~1/N) and gives 0.2484 for the LLZO 48g
 *    network (T-O-T).
 *  - bicrystal: exact discrete series resistance of the planes (check_bicrystal).
 */
#include "constants.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "validate.h"
#include "validate_garnet_util.h"
#include "garnet_observe.h"
#include "lattice.h"

#ifndef LIHOP_SOURCE_DIR
#error "LIHOP_SOURCE_DIR must be defined (CMake does it for lihop_core users)"
#endif

/* ---- helpers shared with validate_calib_garnet.c (validate_garnet_util.h) ---------- */

lihop_status lihop_vg_load_lattice(const char *file, int n1, int n2, int n3, lihop_lattice_spec *spec,
                                   lihop_lattice **lat, lihop_err *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/lattices/%s", LIHOP_SOURCE_DIR, file);
    lihop_status st = lihop_lattice_spec_load(path, spec, err);
    if (st) return st;
    int cells[3] = {n1, n2, n3};
    return lihop_lattice_build(spec, cells, lat, err);
}

/* One conventional cell of the 48g lattice and its T and O sublattice indices. */
static lihop_status load_llzo_cell(lihop_lattice **lat, int *T, int *O, lihop_err *err)
{
    lihop_lattice_spec spec;
    lihop_status st = lihop_vg_load_lattice("llzo_cubic.yaml", 1, 1, 1, &spec, lat, err);
    if (st) return st;
    *T = lihop_lattice_sublattice_index(*lat, "T");
    *O = lihop_lattice_sublattice_index(*lat, "O");
    if (*T < 0 || *O < 0) {
        lihop_lattice_destroy(*lat);
        *lat = NULL;
        return lihop_fail(err, LIHOP_ERR_INPUT, "validate: llzo_cubic.yaml has no T or O sublattice");
    }
    return LIHOP_OK;
}

lihop_status lihop_vg_run(const lihop_lattice *lat, const lihop_garnet_params *p, int threads,
                          lihop_garnet_result *r, lihop_err *err)
{
    lihop_garnet *g = NULL;
    lihop_status st = lihop_garnet_create(lat, p, &g, err);
    if (!st) st = lihop_garnet_run(g, threads, r, err);
    lihop_garnet_destroy(g);
    return st;
}

void lihop_vg_params_base(lihop_garnet_params *p, int64_t nli, int64_t nrep)
{
    lihop_garnet_params_default(p);
    p->nu_Hz = 1e12;
    p->T_K = 300.0;
    p->nli = nli;
    p->nreplicas = nrep;
    p->seed = 20261125;
}

static double norm3(const double *v) { return sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }

/* Half the T-T distance through an O (mean over the O sites of the 48g lattice):
 * the length of every corrected hop vector (header). */
static double half_tt_A(const lihop_lattice *lat)
{
    double s = 0.0;
    int n = 0;
    for (int32_t i = 0; i < lat->nsites; ++i) {
        if (lat->hop_start[i + 1] - lat->hop_start[i] != 2) continue;
        const double *h1 = lat->hop_vec_A + 3 * (int64_t)lat->hop_start[i], *h2 = h1 + 3;
        double d[3] = {h2[0] - h1[0], h2[1] - h1[1], h2[2] - h1[2]};
        s += 0.5 * norm3(d);
        ++n;
    }
    return n ? s / n : NAN;
}

/* ---- lattice counts ------------------------------------------------------------ */

/* Violations of: per cell n_T T and n_O O sites; every T has degT hops, all to O,
 * every O degO hops, all to T (48g: at 1.99 +- 0.01 A); Li7 -> 56 Li per cell. */
static int count_violations(const lihop_lattice_spec *spec, const lihop_lattice *lat, int nT, int nO, int degT,
                            int degO, int check_d, int *counted_T, int *counted_O)
{
    int T = lihop_lattice_sublattice_index(lat, "T"), O = lihop_lattice_sublattice_index(lat, "O");
    *counted_T = *counted_O = -1;
    if (T < 0 || O < 0) return 1000000;
    int bad = 0, cT = 0, cO = 0;
    for (int32_t i = 0; i < lat->nsites; ++i) {
        int s = lat->sub[i];
        cT += s == T;
        cO += s == O;
        int deg = lat->hop_start[i + 1] - lat->hop_start[i];
        int want = s == T ? degT : degO, other = s == T ? O : T, ok = deg == want;
        for (int32_t e = lat->hop_start[i]; e < lat->hop_start[i + 1]; ++e) {
            if (lat->sub[lat->hop_nbr[e]] != other) ok = 0;
            if (check_d && fabs(norm3(lat->hop_vec_A + 3 * (int64_t)e) - 1.99) > 0.01) ok = 0;
        }
        bad += !ok;
    }
    *counted_T = cT / lat->ncells;
    *counted_O = cO / lat->ncells;
    bad += cT != nT * lat->ncells;
    bad += cO != nO * lat->ncells;
    int nli = 0;
    lihop_err e2;
    if (lihop_lattice_li_count(spec, lat, 7.0, &nli, &e2) != LIHOP_OK || nli != 56 * lat->ncells) ++bad;
    return bad;
}

static lihop_status check_lattice_counts(int threads, lihop_check_result *o, lihop_err *err)
{
    (void)threads;
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice("llzo_cubic.yaml", 2, 2, 2, &spec, &lat, err);
    if (st) return st;
    int t48, o48, t96, o96;
    int bad = count_violations(&spec, lat, 24, 48, 4, 2, 1, &t48, &o48);
    lihop_lattice_destroy(lat);
    lat = NULL;
    st = lihop_vg_load_lattice("llzo_cubic_96h.yaml", 2, 2, 2, &spec, &lat, err);
    if (st) return st;
    /* 96h: each T hops to 8 96h (4 cages x 2), each 96h to 2 T; one Li per cage */
    bad += count_violations(&spec, lat, 24, 96, 8, 2, 0, &t96, &o96);
    if (lat->max_occupancy != 72 * lat->ncells || !lat->max_occupancy_exact) ++bad;
    const int T96 = lihop_lattice_sublattice_index(lat, "T");
    for (int32_t i = 0; i < lat->nsites; ++i)   /* every 96h excludes exactly its cage partner */
        if (lat->sub[i] != T96 && lat->excl_start[i + 1] - lat->excl_start[i] != 1) ++bad;
    lihop_lattice_destroy(lat);
    char what[160];
    snprintf(what, sizeof what,
             "48g %d T+%d O/cell, T:4 O at 1.99+-.01 A, O:2 T; 96h %d T+%d O, T:8 O:2 hops, 1 Li/cage; Li7=56/cell: "
             "violations, exact", t48, o48, t96, o96);
    lihop_check_set_row(o, what, 0.0, (double)bad, 0.0, 0.0, "count");
    return LIHOP_OK;
}

/* ---- single Li, 48g ---------------------------------------------------------------- */

/* One Li on the 48g cell, no energies: 8000 replicas x 300 hops; short lags
 * (the MSD is linear from t = 0 up to the bounded corrector, < 0.04 A^2). */
static lihop_status single_li(int threads, lihop_garnet_result *r, double *half_tt, int *T, int *O, lihop_err *err)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice("llzo_cubic.yaml", 1, 1, 1, &spec, &lat, err);
    if (st) return st;
    *T = lihop_lattice_sublattice_index(lat, "T");
    *O = lihop_lattice_sublattice_index(lat, "O");
    lihop_garnet_params p;
    lihop_vg_params_base(&p, 1, 8000);
    p.hops_per_li = 300.0;
    p.equil_hops_per_li = 20.0;
    p.nsamples = 60;
    p.fit_from = 0.0;
    p.fit_to = 0.05;
    *half_tt = half_tt_A(lat);
    st = lihop_vg_run(lat, &p, threads, r, err);
    lihop_lattice_destroy(lat);
    return st;
}

static lihop_status check_single_li_D(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_garnet_result r;
    double h;
    int T, O;
    lihop_status st = single_li(threads, &r, &h, &T, &O, err);
    if (st) return st;
    double nu = 1e12, want = 4.0 / 9.0 * nu * h * h * 1e-20;
    double naive = 4.0 / 9.0 * nu * 1.99 * 1.99 * 1e-20;
    char what[160];
    snprintf(what, sizeof what,
             "1 Li, 48g, no energies: D = (4/9) nu (d_TT/2)^2, d_TT/2 = %.4f A (= %.4f x (4/9) nu (1.99 A)^2), "
             "within 2 %%", h, want / naive);
    lihop_check_set_row(o, what, want, r.D_tracer_m2_s, r.D_tracer_err, 0.02 * want, "m^2/s");
    return LIHOP_OK;
}

static lihop_status check_single_li_TO(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_garnet_result r;
    double h;
    int T, O;
    lihop_status st = single_li(threads, &r, &h, &T, &O, err);
    if (st) return st;
    if (T < 0 || O < 0) return lihop_fail(err, LIHOP_ERR_INPUT, "validate: llzo_cubic.yaml has no T or O sublattice");
    double pT = r.li_fraction[T], pO = r.li_fraction[O];
    double e = r.li_fraction_err[O] / (pT * pT);   /* pT = 1 - pO */
    lihop_check_set_row(o, "1 Li, 48g, no energies: O:T residence = 48:24 = 2 (sites per cell), within 1 %", 2.0,
                     pO / pT, e, 0.02, "1");
    return LIHOP_OK;
}

/* ---- octahedral site energy ------------------------------------------------------------ */

static lihop_status check_octahedral_boltzmann(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_lattice *lat = NULL;
    int T, O;
    lihop_status st = load_llzo_cell(&lat, &T, &O, err);
    if (st) return st;
    lihop_garnet_params p;
    lihop_vg_params_base(&p, 1, 512);
    p.site_energy_eV[O] = LIHOP_KB_EV * p.T_K;
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.1;
    p.hops_per_li = 1000.0;
    p.nsamples = 4;
    lihop_garnet_result r;
    st = lihop_vg_run(lat, &p, threads, &r, err);
    lihop_lattice_destroy(lat);
    if (st) return st;
    double want = 2.0 * exp(-1.0), ratio = r.li_fraction[O] / r.li_fraction[T];
    double e = r.li_fraction_err[O] / (r.li_fraction[T] * r.li_fraction[T]);
    lihop_check_set_row(o, "1 Li, 48g, O sites +1 kT (kra, E_KRA 0.1 eV): n_O/n_T = (48/24) e^-1, within 3 %", want,
                     ratio, e, 0.03 * want, "1");
    return LIHOP_OK;
}

/* ---- pair shells against exact enumeration ------------------------------------------------ */

/* Periodic images of site j at distances in [lo, hi) from site i (images up
 * to one cell away; the cell must be longer than hi), from the positions. */
static int pair_images(const lihop_lattice *lat, int32_t i, int32_t j, double lo, double hi)
{
    int n = 0;
    for (int a = -1; a <= 1; ++a)
        for (int b = -1; b <= 1; ++b)
            for (int c = -1; c <= 1; ++c) {
                if (i == j && a == 0 && b == 0 && c == 0) continue;
                double d2 = 0.0;
                for (int k = 0; k < 3; ++k) {
                    double d = lat->pos_A[3 * j + k] - lat->pos_A[3 * i + k] + a * lat->cell_A[0][k] +
                               b * lat->cell_A[1][k] + c * lat->cell_A[2][k];
                    d2 += d * d;
                }
                n += d2 >= lo * lo && d2 < hi * hi;
            }
    return n;
}

/* Three Li in one cubic cell of the 48g lattice (72 sites) with E_nn, an O
 * site energy and two pair shells, O-O at 2.99 A repulsive and T-T at
 * 3.97 A attractive: the time-averaged fraction of Li on T equals the
 * Boltzmann average over all C(72, 3) = 59640 placements (pair energies from
 * the positions, not from the engine's lists), within 3 %. */
static lihop_status check_pair_shells_exact(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_lattice *lat = NULL;
    int T, O;
    lihop_status st = load_llzo_cell(&lat, &T, &O, err);
    if (st) return st;
    lihop_garnet_params p;
    lihop_vg_params_base(&p, 3, 256);
    const double kT = LIHOP_KB_EV * p.T_K;
    p.site_energy_eV[O] = 0.5 * kT;
    p.E_nn_eV = 1.0 * kT;
    p.npair_shells = 2;
    p.pair_shell_min_A[0] = 2.9; p.pair_shell_max_A[0] = 3.1; p.pair_shell_eV[0] = 1.5 * kT;
    p.pair_shell_min_A[1] = 3.9; p.pair_shell_max_A[1] = 4.05; p.pair_shell_eV[1] = -1.5 * kT;
    p.E_kra_eV[T][O] = p.E_kra_eV[O][T] = 0.1;
    p.hops_per_li = 3000.0;
    p.nsamples = 4;
    const int32_t N = lat->nsites;
    double *V = (double *)calloc((size_t)N * (size_t)N, sizeof(double));
    if (!V) {
        lihop_lattice_destroy(lat);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "validate: out of memory");
    }
    for (int32_t i = 0; i < N; ++i)
        for (int32_t j = 0; j < N; ++j) {
            if (i == j) continue;
            double v = 0.0;
            for (int32_t e = lat->hop_start[i]; e < lat->hop_start[i + 1]; ++e) v += lat->hop_nbr[e] == j ? p.E_nn_eV : 0.0;
            for (int k = 0; k < p.npair_shells; ++k)
                v += p.pair_shell_eV[k] * pair_images(lat, i, j, p.pair_shell_min_A[k], p.pair_shell_max_A[k]);
            V[(size_t)i * N + j] = v;
        }
    double Z = 0.0, nT = 0.0, Z0 = 0.0, nT0 = 0.0;   /* with and without the shells */
    for (int32_t a = 0; a < N; ++a)
        for (int32_t b = a + 1; b < N; ++b)
            for (int32_t c = b + 1; c < N; ++c) {
                const int32_t s3[3] = {a, b, c};
                double H = 0.0, H0 = 0.0;
                int t = 0;
                for (int q = 0; q < 3; ++q) {
                    H += lat->sub[s3[q]] == O ? p.site_energy_eV[O] : 0.0;
                    t += lat->sub[s3[q]] == T;
                }
                H0 = H;
                for (int q = 0; q < 3; ++q)
                    for (int r = q + 1; r < 3; ++r) {
                        H += V[(size_t)s3[q] * N + s3[r]];
                        for (int32_t e = lat->hop_start[s3[q]]; e < lat->hop_start[s3[q] + 1]; ++e)
                            H0 += lat->hop_nbr[e] == s3[r] ? p.E_nn_eV : 0.0;
                    }
                double w = exp(-H / kT), w0 = exp(-H0 / kT);
                Z += w; nT += w * t;
                Z0 += w0; nT0 += w0 * t;
            }
    free(V);
    const double want = nT / (3.0 * Z), plain = nT0 / (3.0 * Z0);
    lihop_garnet_result r;
    st = lihop_vg_run(lat, &p, threads, &r, err);
    lihop_lattice_destroy(lat);
    if (st) return st;
    char what[160];
    snprintf(what, sizeof what, "3 Li/48g cell, E_nn, O-O +1.5 kT, T-T -1.5 kT: Li on T = exact sum (%.3f without "
             "shells), 3 %%", plain);
    lihop_check_set_row(o, what, want, r.li_fraction[T], r.li_fraction_err[T], 0.03 * want, "1");
    return LIHOP_OK;
}

/* ---- site exclusion only ----------------------------------------------------------------- */

static lihop_status check_exclusion_fI(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice("llzo_cubic.yaml", 1, 1, 1, &spec, &lat, err);
    if (st) return st;
    double h = half_tt_A(lat), d = sqrt(lat->hop_vec_A[0] * lat->hop_vec_A[0] + lat->hop_vec_A[1] * lat->hop_vec_A[1] +
                                         lat->hop_vec_A[2] * lat->hop_vec_A[2]);
    double want = (h / d) * (h / d);
    const int nli[3] = {18, 36, 54};
    double worst = 0.0, worst_err = 0.0, fI[3];
    for (int k = 0; k < 3 && !st; ++k) {
        lihop_garnet_params p;
        lihop_vg_params_base(&p, nli[k], 1600);
        p.stream = (uint32_t)k;
        p.hops_per_li = 20.0;
        p.equil_hops_per_li = 0.0;   /* random placement is the equilibrium (no energies) */
        p.nsamples = 60;
        p.fit_from = 0.0;
        p.fit_to = 0.05;
        lihop_garnet_result r;
        st = lihop_vg_run(lat, &p, threads, &r, err);
        if (st) break;
        fI[k] = r.f_coll;
        if (k == 0 || fabs(r.f_coll - want) > fabs(worst - want)) { worst = r.f_coll; worst_err = r.f_coll_err; }
    }
    lihop_lattice_destroy(lat);
    if (st) return st;
    char what[160];
    snprintf(what, sizeof what,
             "48g, site exclusion only, c = 1/4,1/2,3/4: f_I = %.3f,%.3f,%.3f; exact (d_TT/2d)^2 at every c; worst, "
             "within 0.03", fI[0], fI[1], fI[2]);
    lihop_check_set_row(o, what, want, worst, worst_err, 0.03, "1");
    return LIHOP_OK;
}

static lihop_status check_tracer_f_monotonic(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice("llzo_cubic.yaml", 2, 2, 2, &spec, &lat, err);
    if (st) return st;
    enum { NC = 5 };
    const double c[NC] = {0.1, 0.3, 0.5, 0.7, 0.9};
    double f[NC], fe[NC];
    for (int k = 0; k < NC && !st; ++k) {
        lihop_garnet_params p;
        lihop_vg_params_base(&p, (int64_t)floor(c[k] * lat->nsites + 0.5), 64);
        p.stream = (uint32_t)k;
        p.hops_per_li = 40.0;
        p.equil_hops_per_li = 0.0;
        p.nsamples = 40;
        p.fit_from = 0.1;
        p.fit_to = 0.5;
        lihop_garnet_result r;
        st = lihop_vg_run(lat, &p, threads, &r, err);
        if (st) break;
        f[k] = r.f_tracer;
        fe[k] = r.f_tracer_err;
    }
    lihop_lattice_destroy(lat);
    if (st) return st;
    int bad = 0;
    double emax = 0.0;
    for (int k = 0; k < NC; ++k) if (fe[k] > emax) emax = fe[k];
    for (int k = 0; k + 1 < NC; ++k)
        if (!(f[k] - f[k + 1] > 3.0 * sqrt(fe[k] * fe[k] + fe[k + 1] * fe[k + 1]))) ++bad;
    char what[160];
    snprintf(what, sizeof what,
             "48g, exclusion only: f(c=.1,.3,.5,.7,.9) = %.3f %.3f %.3f %.3f %.3f; steps not falling by > 3 "
             "s.e. (exact 0)", f[0], f[1], f[2], f[3], f[4]);
    lihop_check_set_row(o, what, 0.0, (double)bad, emax, 0.0, "count");
    return LIHOP_OK;
}

/* ---- one vacancy: exact tracer correlation factor of a periodic cell --------------------- */

static int32_t cell_translate(const lihop_lattice *L, int32_t i, const int t[3])
{
    int spc = L->sites_per_cell, c = i / spc, s = i % spc;
    int n1 = L->cells[0], n2 = L->cells[1], n3 = L->cells[2];
    int c3 = c % n3, c2 = (c / n3) % n2, c1 = c / (n2 * n3);
    c1 = ((c1 + t[0]) % n1 + n1) % n1;
    c2 = ((c2 + t[1]) % n2 + n2) % n2;
    c3 = ((c3 + t[2]) % n3 + n3) % n3;
    return ((c1 * n2 + c2) * n3 + c3) * spc + s;
}

/* The vacancy Markov chain of vacancy_f_exact: states x = s N + v (tracer on
 * site s of cell 0, vacancy on v != s), transitions x -> to[k] for k in
 * [start[x], start[x + 1]) with tracer displacement dv[k]; and the CG
 * solver's vectors. */
typedef struct {
    int64_t X;
    int64_t *start, *to;
    double *dv;
    double *u;              /* [X][3] solution, one column per axis */
    double *r, *p, *q, *z;  /* [X] CG work */
} vacancy_chain;

static void vacancy_chain_free(vacancy_chain *c)
{
    free(c->start); free(c->to); free(c->dv); free(c->u); free(c->r); free(c->p); free(c->q); free(c->z);
}

/* Allocate the chain of lattice L (0: out of memory). */
static int vacancy_chain_alloc(const lihop_lattice *L, vacancy_chain *c)
{
    const int32_t N = L->nsites, spc = L->sites_per_cell;
    const int64_t X = (int64_t)spc * N;
    int64_t m = 0;
    for (int32_t v = 0; v < N; ++v) m += L->hop_start[v + 1] - L->hop_start[v];
    m *= spc;
    c->X = X;
    c->start = malloc(sizeof(int64_t) * (size_t)(X + 1));
    c->to = malloc(sizeof(int64_t) * (size_t)(m + 1));
    c->dv = malloc(sizeof(double) * 3 * (size_t)(m + 1));
    c->u = malloc(sizeof(double) * 3 * (size_t)X), c->r = malloc(sizeof(double) * (size_t)X);
    c->p = malloc(sizeof(double) * (size_t)X), c->q = malloc(sizeof(double) * (size_t)X);
    c->z = malloc(sizeof(double) * (size_t)X);
    return c->start && c->to && c->dv && c->u && c->r && c->p && c->q && c->z;
}

/* The transitions of every state: another Li jumps into the vacancy (the
 * tracer stays), or the tracer does (it moves, and is brought back to cell 0). */
static void vacancy_chain_fill(const lihop_lattice *L, vacancy_chain *c)
{
    const int32_t N = L->nsites, spc = L->sites_per_cell;
    int64_t m = 0;
    for (int32_t s = 0; s < spc; ++s)
        for (int32_t v = 0; v < N; ++v) {
            int64_t x = (int64_t)s * N + v;
            c->start[x] = m;
            if (v == s) continue;   /* not a state */
            for (int32_t e = L->hop_start[v]; e < L->hop_start[v + 1]; ++e) {
                int32_t a = L->hop_nbr[e];
                const double *hv = L->hop_vec_A + 3 * (int64_t)e;
                if (a == s) {   /* the tracer jumps into the vacancy: move it back to cell 0 */
                    int cl = v / spc, n2 = L->cells[1], n3 = L->cells[2];
                    int t[3] = {-(cl / (n2 * n3)), -((cl / n3) % n2), -(cl % n3)};
                    c->to[m] = (int64_t)(v % spc) * N + cell_translate(L, s, t);
                    for (int k = 0; k < 3; ++k) c->dv[3 * m + k] = -hv[k];
                } else {        /* another Li jumps into the vacancy */
                    c->to[m] = (int64_t)s * N + a;
                    c->dv[3 * m] = c->dv[3 * m + 1] = c->dv[3 * m + 2] = 0.0;
                }
                ++m;
            }
        }
    c->start[c->X] = m;
}

/* -Q u = b along axis ax: (L u)(x) = sum_y (u_x - u_y) = sum_y d_xy, by
 * Jacobi-preconditioned CG into column ax of u. */
static lihop_status vacancy_solve_axis(vacancy_chain *c, int ax, lihop_err *err)
{
    const int64_t X = c->X, *start = c->start, *to = c->to;
    double *u = c->u, *r = c->r, *p = c->p, *q = c->q, *z = c->z;
    double bn = 0.0, rz = 0.0;
    for (int64_t x = 0; x < X; ++x) {
        double b = 0.0;
        for (int64_t k = start[x]; k < start[x + 1]; ++k) b += c->dv[3 * k + ax];
        r[x] = b;
        bn += b * b;
        u[3 * x + ax] = 0.0;
        int64_t dg = start[x + 1] - start[x];
        z[x] = dg ? b / (double)dg : 0.0;
        p[x] = z[x];
        rz += r[x] * z[x];
    }
    if (bn == 0.0) return LIHOP_OK;
    for (int it = 0; it < 20000; ++it) {
        double pq = 0.0;
        for (int64_t x = 0; x < X; ++x) {
            double a = (double)(start[x + 1] - start[x]) * p[x];
            for (int64_t k = start[x]; k < start[x + 1]; ++k) a -= p[to[k]];
            q[x] = a;
            pq += p[x] * a;
        }
        double al = rz / pq, rn = 0.0, rz2 = 0.0;
        for (int64_t x = 0; x < X; ++x) {
            u[3 * x + ax] += al * p[x];
            r[x] -= al * q[x];
            rn += r[x] * r[x];
        }
        if (rn < 1e-26 * bn) return LIHOP_OK;
        for (int64_t x = 0; x < X; ++x) {
            int64_t dg = start[x + 1] - start[x];
            z[x] = dg ? r[x] / (double)dg : 0.0;
            rz2 += r[x] * z[x];
        }
        double be = rz2 / rz;
        rz = rz2;
        for (int64_t x = 0; x < X; ++x) p[x] = z[x] + be * p[x];
    }
    return lihop_fail(err, LIHOP_ERR_INTERNAL, "validate: vacancy chain solve did not converge");
}

/* Tracer correlation factor with one vacancy on the periodic cell `L` (all hop
 * rates equal): states x = (tracer on site s of cell 0, vacancy on v), reduced by
 * the cell translations; returns f = D* / D0 (see the header). */
static lihop_status vacancy_f_exact(const lihop_lattice *L, double *f_out, lihop_err *err)
{
    vacancy_chain c;
    memset(&c, 0, sizeof c);
    lihop_status st = LIHOP_OK;
    if (!vacancy_chain_alloc(L, &c)) {
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "validate: out of memory (vacancy chain)");
    } else {
        vacancy_chain_fill(L, &c);
        for (int ax = 0; ax < 3 && !st; ++ax) st = vacancy_solve_axis(&c, ax, err);
    }
    if (!st) {
        double s0 = 0.0, s1 = 0.0;
        for (int64_t x = 0; x < c.X; ++x)
            for (int64_t k = c.start[x]; k < c.start[x + 1]; ++k)
                for (int ax = 0; ax < 3; ++ax) {
                    double d = c.dv[3 * k + ax], w = d + c.u[3 * c.to[k] + ax] - c.u[3 * x + ax];
                    s0 += d * d;
                    s1 += w * w;
                }
        *f_out = s1 / s0;
    }
    vacancy_chain_free(&c);
    return st;
}

static lihop_status vacancy_run(const char *file, int n, int64_t nrep, double hops, int threads,
                                lihop_garnet_result *r, double *f_exact, int *nsites, lihop_err *err)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice(file, n, n, n, &spec, &lat, err);
    if (st) return st;
    *nsites = lat->nsites;
    st = vacancy_f_exact(lat, f_exact, err);
    if (!st) {
        lihop_garnet_params p;
        lihop_vg_params_base(&p, lat->nsites - 1, nrep);
        p.hops_per_li = hops;
        p.equil_hops_per_li = 0.0;   /* a uniformly placed vacancy is at equilibrium */
        p.nsamples = 30;
        p.fit_from = 0.1;
        p.fit_to = 0.5;
        st = lihop_vg_run(lat, &p, threads, r, err);
    }
    lihop_lattice_destroy(lat);
    return st;
}

static lihop_status check_tracer_f_vacancy(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_garnet_result r;
    double fx;
    int ns;
    lihop_status st = vacancy_run("llzo_cubic.yaml", 2, 64, 60.0, threads, &r, &fx, &ns, err);
    if (st) return st;
    char what[160];
    snprintf(what, sizeof what,
             "48g, 1 vacancy in %d sites: tracer f = exact f of this cell (vacancy Markov chain; infinite "
             "lattice 0.2484), within 0.02", ns);
    lihop_check_set_row(o, what, fx, r.f_tracer, r.f_tracer_err, 0.02, "1");
    return LIHOP_OK;
}

static lihop_status check_sc_vacancy_f(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_garnet_result r;
    double fx;
    int ns;
    lihop_status st = vacancy_run("simple_cubic.yaml", 8, 300, 60.0, threads, &r, &fx, &ns, err);
    if (st) return st;
    char what[160];
    snprintf(what, sizeof what,
             "simple cubic, 1 vacancy in %d sites: tracer f = 0.6531 (Compaan & Haven 1956; exact for this cell "
             "%.4f), within 0.01", ns, fx);
    lihop_check_set_row(o, what, 0.6531, r.f_tracer, r.f_tracer_err, 0.01, "1");
    return LIHOP_OK;
}

/* ---- Nernst-Einstein vs drift --------------------------------------------------------------- */

static lihop_status check_ne_vs_drift(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice("llzo_cubic.yaml", 1, 1, 1, &spec, &lat, err);
    if (st) return st;
    lihop_garnet_params p;
    lihop_vg_params_base(&p, 36, 4000);
    p.T_K = 600.0;
    p.E_nn_eV = 0.1;
    double kT = LIHOP_KB_EV * p.T_K, x = 0.1;
    p.field_V_m[0] = x * kT / 1.99e-10;   /* e E d / kT = 0.1 */
    p.hops_per_li = 40.0;
    p.equil_hops_per_li = 20.0;
    p.nsamples = 40;
    p.fit_from = 0.1;
    p.fit_to = 0.5;
    lihop_garnet_result r;
    st = lihop_vg_run(lat, &p, threads, &r, err);
    lihop_lattice_destroy(lat);
    if (st) return st;
    double comb = sqrt(r.sigma_NE_err * r.sigma_NE_err + r.sigma_drift_err * r.sigma_drift_err);
    char what[160];
    snprintf(what, sizeof what,
             "48g, c = 1/2, E_nn 0.1 eV, 600 K, e E d/kT = 0.1 along x: sigma_drift = sigma_NE (from D_sigma) within 3 "
             "combined s.e.");
    lihop_check_set_row(o, what, r.sigma_NE_S_m, r.sigma_drift_S_m, r.sigma_drift_err, 3.0 * comb, "S/m");
    return LIHOP_OK;
}

/* ---- bicrystal with a space-charge potential ------------------------------------------------- */

/* Simple cubic (a = 1 A), M x 3 x 3 cells: M (100) planes normal to x, a grain
 * boundary core on plane 0 and a Mott-Schottky depletion profile around it,
 * phi_i = Phi0 (1 - d_i/lambda)^2 for the plane distance d_i < lambda (periodic),
 * 0 beyond; no barrier change.  One Li per replica (the dilute limit), kra law
 * with E_KRA = 0: every hop between planes i and i+1 has k = nu exp(-(phi_{i+1} -
 * phi_i)/2kT), hops within a plane have nu.
 *
 * Exact discrete resistance.  The Li's x coordinate is a Markov chain on the
 * planes by itself (y, z hops do not depend on x).  At equilibrium it is on plane
 * i with p_i = e^{-phi_i/kT} / Z, Z = sum_i e^{-phi_i/kT}.  Under a small force F
 * the same flux J crosses every bond; in linear response J = p_i k_{i,i+1}
 * (dmu_i / kT), and the dmu_i add up to F M a over a period, so
 *   J = (F M a / kT) / sum_i 1/(p_i k_{i,i+1}),   v = J M a,
 *   D_xx = v kT / F = nu a^2 M^2 / (Z S),   S = sum_i e^{(phi_i + phi_{i+1})/2kT},
 * since p_i k_{i,i+1} = (nu/Z) e^{-(phi_i + phi_{i+1})/2kT}: the bond resistances
 * 1/(n_i k_{i,i+1}) in series.  At fixed Li content the depletion also raises the
 * density away from the boundary (the factor Z/M).  With sigma_xx = n e^2 D_xx/kT
 * the resistance of one period (area-specific, L = M a) is L/sigma_xx, and the
 * boundary resistance R_gb = L/sigma_xx(phi) - L/sigma(bulk) = (L/sigma_0)(Z S/M^2 - 1),
 * sigma_0 = n e^2 nu a^2 / kT.
 *
 * Measured: sigma_NE along x (sigma_NE_axis_S_m[0] = n e^2 D_sigma,x / kT from the
 * MSD along x; with one Li the walker's own) with phi, and for the same lattice
 * without phi (MSD linear from t = 0: short lags).  With phi the MSD along x bends
 * over the relaxation time of the plane chain, tau ~ (M a)^2 / (4 pi^2 D_xx) (its
 * slowest mode is 0.62 tau here); the run is 15 tau after >= 5 tau of
 * equilibration and the slope is fitted over lags [3, 9] tau.  The exact MSD(t)
 * of the plane chain (matrix exponential of the generator with the displacement
 * moments) puts the bias of that window below 0.1 %.
 *
 * Why simple cubic: every site of a (100) plane has the same phi and every x hop
 * joins neighbouring planes, so the series sum above is the exact answer.  In the
 * 48g network the T-O hops have many different x projections and the sites of a
 * slab are not one plane, so the resistance is a 3-D network problem with no
 * closed form.  The 3 x 3 cross-section keeps the transverse hops (2/3 of all
 * events), which must not leak into the x axis of the per-axis MSD. */
enum { BIC_M = 12 };
#define BIC_LAMBDA 3.0      /* planes */
#define BIC_PHI0_V 0.1
#define BIC_T_K 298.15

static lihop_status check_bicrystal(int threads, lihop_check_result *o, lihop_err *err)
{
    const int M = BIC_M;
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice("simple_cubic.yaml", M, 3, 3, &spec, &lat, err);
    if (st) return st;
    const double a = spec.abc_A[0], kT = LIHOP_KB_EV * BIC_T_K, nu = 1e12;
    double phi_plane[BIC_M], Z = 0.0, S = 0.0;
    for (int i = 0; i < M; ++i) {
        int d = i < M - i ? i : M - i;
        phi_plane[i] = d < BIC_LAMBDA ? BIC_PHI0_V * (1.0 - d / BIC_LAMBDA) * (1.0 - d / BIC_LAMBDA) : 0.0;
        Z += exp(-phi_plane[i] / kT);
    }
    for (int i = 0; i < M; ++i) S += exp(0.5 * (phi_plane[i] + phi_plane[(i + 1) % M]) / kT);
    double *phi = malloc(sizeof(double) * (size_t)lat->nsites);
    if (!phi) { lihop_lattice_destroy(lat); return lihop_fail(err, LIHOP_ERR_NOMEM, "validate: out of memory"); }
    for (int32_t s = 0; s < lat->nsites; ++s) {
        int i = (int)floor(lat->pos_A[3 * (int64_t)s] / a + 0.5);
        phi[s] = phi_plane[((i % M) + M) % M];
    }
    const double ratio = Z * S / ((double)M * M);          /* R(phi) / R(bulk), one period */
    /* slowest relaxation of the plane chain ~ (M a)^2 / (4 pi^2 D_xx): fit well after it */
    const double tau = (double)M * M / 39.47841760435743 * ratio / nu;
    lihop_garnet_params p;
    lihop_vg_params_base(&p, 1, 50000);
    p.T_K = BIC_T_K;
    p.nu_Hz = nu;
    p.phi_V = phi;
    p.time_s = 15.0 * tau;
    p.equil_hops_per_li = 30.0 * tau * nu;   /* events: ~6 nu per unit time, >= 5 tau */
    p.nsamples = 50;
    p.fit_from = 0.2;
    p.fit_to = 0.6;
    lihop_garnet_result rp, r0;
    st = lihop_vg_run(lat, &p, threads, &rp, err);
    if (!st) {
        lihop_vg_params_base(&p, 1, 20000);
        p.T_K = BIC_T_K;
        p.nu_Hz = nu;
        p.hops_per_li = 300.0;
        p.equil_hops_per_li = 0.0;
        p.nsamples = 60;
        p.fit_from = 0.0;   /* no phi: the MSD is linear from t = 0 */
        p.fit_to = 0.05;
        p.stream = 1;
        st = lihop_vg_run(lat, &p, threads, &r0, err);
    }
    free(phi);
    const double L = M * a * 1e-10, n = 1.0 / (lat->nsites * a * a * a * 1e-30);
    lihop_lattice_destroy(lat);
    if (st) return st;
    const double sig0 = n * LIHOP_E * LIHOP_E * nu * a * a * 1e-20 / (LIHOP_KB * BIC_T_K);
    const double want = L / sig0 * (ratio - 1.0);
    const double sp = rp.sigma_NE_axis_S_m[0], s0 = r0.sigma_NE_axis_S_m[0];
    const double got = L / sp - L / s0;
    const double e = sqrt(pow(L * rp.sigma_NE_axis_err[0] / (sp * sp), 2) + pow(L * r0.sigma_NE_axis_err[0] / (s0 * s0), 2));
    char what[160];
    snprintf(what, sizeof what,
             "sc %dx3x3, 1 Li, Mott-Schottky %.1f V over %.0f planes: R_gb = (Z S/M^2 - 1) L/sigma_0 = %.4f L/sigma_0 "
             "(exact series over planes), within 5 %%", M, BIC_PHI0_V, BIC_LAMBDA, ratio - 1.0);
    lihop_check_set_row(o, what, want, got, e, 0.05 * want, "ohm m^2");
    return LIHOP_OK;
}

static const lihop_check garnet_checks[] = {
    {"garnet_lattice_counts", "48g/96h site and neighbour counts, Li7", check_lattice_counts},
    {"garnet_single_li_d", "single Li D = (4/9) nu d^2 (d = d_TT/2)", check_single_li_D},
    {"garnet_single_li_to", "single Li T:O residence 1:2", check_single_li_TO},
    {"garnet_exclusion_fi", "site exclusion: f_I = 1", check_exclusion_fI},
    {"garnet_tracer_f_monotonic", "tracer f falls with filling", check_tracer_f_monotonic},
    {"garnet_tracer_f_vacancy", "tracer f at one vacancy (48g)", check_tracer_f_vacancy},
    {"garnet_sc_vacancy_f", "tracer f at one vacancy (sc) 0.6531", check_sc_vacancy_f},
    {"garnet_octahedral_boltzmann", "O +1 kT: n_O/n_T = 2/e", check_octahedral_boltzmann},
    {"garnet_pair_shells_exact", "pair shells: T fraction = exact enumeration", check_pair_shells_exact},
    {"garnet_ne_vs_drift", "Nernst-Einstein vs drift, E_nn on", check_ne_vs_drift},
    {"garnet_bicrystal_space_charge", "space-charge boundary resistance", check_bicrystal},
};

const lihop_check *lihop_validate_garnet_checks(int *n)
{
    *n = (int)(sizeof garnet_checks / sizeof garnet_checks[0]);
    return garnet_checks;
}
