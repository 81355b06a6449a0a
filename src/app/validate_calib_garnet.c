/* validate_calib_garnet.c - are the garnet error bars calibrated? (issue 12)
 *
 * The same small case is run with many seeds; for each estimate q (D*,
 * D_sigma, sigma_NE, f, f_I, H_R) and its quoted standard error e_i,
 *   mean z^2 = n/(n-1) (1/n) sum_i (q_i - qbar)^2 / e_i^2,  qbar the plain mean
 * must lie in [0.7, 1.4] (1 for exact errors; qbar's own scatter is what the
 * n/(n-1) restores).  Two cases: site exclusion only and a T-O repulsion
 * E_nn = 2 kT, at Li 6.4 per formula unit (51 Li in one 72-site cell), with the
 * decks' default replica count, batch count and fit window, so the check sees
 * what a deck gets.
 *
 * Why so many seeds: for exact Gaussian errors mean z^2 scatters by
 * sqrt(2/n) (0.32 at n = 20), so 20 seeds cannot tell 1.0 from 1.4.  With 400
 * seeds per case its scatter is ~0.08: the delete-one-replica jackknife gives
 * 1.0-1.15 (the excess over 1 is the skew of the per-replica collective MSD at
 * 64 replicas), the former 8-batch jackknife 1.4-1.6 (Student t with 7
 * degrees of freedom: 7/5 = 1.4 plus the same skew) and fails. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "constants.h"
#include "garnet_observe.h"
#include "validate.h"
#include "validate_garnet_util.h"

enum { CAL_NQ = 6, CAL_NCASE = 2, CAL_NSEED = 800 };
#define CAL_SEED0 4200u   /* seeds CAL_SEED0 ... CAL_SEED0 + CAL_NSEED - 1, both cases */
#define CAL_NREP 64       /* replicas per run (the skew excess of mean z^2 falls as 1/replicas) */
#define CAL_LO 0.7
#define CAL_HI 1.4

static const char *const cal_qname[CAL_NQ] = {"D*", "D_sigma", "sigma_NE", "f", "f_I", "H_R"};
static const double cal_enn_kT[CAL_NCASE] = {0.0, 2.0};

/* The calibrated quantities of one run and their quoted errors. */
static void cal_pick(const lihop_garnet_result *r, double *q, double *e)
{
    q[0] = r->D_tracer_m2_s; e[0] = r->D_tracer_err;
    q[1] = r->D_sigma_m2_s; e[1] = r->D_sigma_err;
    q[2] = r->sigma_NE_S_m; e[2] = r->sigma_NE_err;
    q[3] = r->f_tracer; e[3] = r->f_tracer_err;
    q[4] = r->f_coll; e[4] = r->f_coll_err;
    q[5] = r->haven; e[5] = r->haven_err;
}

/* Every seed of one case: q[s * CAL_NQ + j], e[...] likewise. */
static lihop_status cal_case(const lihop_lattice *lat, int c, int threads, double *q, double *e, lihop_err *err)
{
    for (int s = 0; s < CAL_NSEED; ++s) {
        lihop_garnet_params p;
        lihop_vg_params_base(&p, 51, CAL_NREP);
        p.seed = CAL_SEED0 + (uint64_t)s;
        p.stream = (uint32_t)c;
        p.E_nn_eV = cal_enn_kT[c] * LIHOP_KB_EV * p.T_K;
        p.hops_per_li = 20.0;
        p.equil_hops_per_li = 10.0;
        p.nsamples = 16;
        lihop_garnet_result r;
        lihop_status st = lihop_vg_run(lat, &p, threads, &r, err);
        if (st) return st;
        cal_pick(&r, q + (size_t)s * CAL_NQ, e + (size_t)s * CAL_NQ);
    }
    return LIHOP_OK;
}

/* Mean z^2 of quantity j over the seeds (header), and its standard error
 * from the scatter of the z_i^2. */
static double cal_mean_z2(const double *q, const double *e, int j, double *se)
{
    const int n = CAL_NSEED;
    double m = 0.0, s1 = 0.0, s2 = 0.0;
    for (int s = 0; s < n; ++s) m += q[(size_t)s * CAL_NQ + j];
    m /= n;
    for (int s = 0; s < n; ++s) {
        double z = (q[(size_t)s * CAL_NQ + j] - m) / e[(size_t)s * CAL_NQ + j], z2 = z * z * n / (n - 1.0);
        s1 += z2;
        s2 += z2 * z2;
    }
    double mz2 = s1 / n;
    *se = sqrt((s2 / n - mz2 * mz2) / (n - 1.0));
    return mz2;
}

static lihop_status check_error_calibration(int threads, lihop_check_result *o, lihop_err *err)
{
    lihop_lattice_spec spec;
    lihop_lattice *lat = NULL;
    lihop_status st = lihop_vg_load_lattice("llzo_cubic.yaml", 1, 1, 1, &spec, &lat, err);
    if (st) return st;
    double *q = malloc(sizeof(double) * CAL_NSEED * CAL_NQ), *e = malloc(sizeof(double) * CAL_NSEED * CAL_NQ);
    double z2[CAL_NCASE][CAL_NQ], se[CAL_NCASE][CAL_NQ];
    if (!q || !e) st = lihop_fail(err, LIHOP_ERR_NOMEM, "validate: out of memory (calibration)");
    for (int c = 0; c < CAL_NCASE && !st; ++c) {
        st = cal_case(lat, c, threads, q, e, err);
        for (int j = 0; j < CAL_NQ && !st; ++j) z2[c][j] = cal_mean_z2(q, e, j, &se[c][j]);
    }
    free(q);
    free(e);
    lihop_lattice_destroy(lat);
    if (st) return st;
    /* worst: farthest from the middle of the range, in units of its half-width */
    const double mid = 0.5 * (CAL_LO + CAL_HI), half = 0.5 * (CAL_HI - CAL_LO);
    int wc = 0, wj = 0;
    for (int c = 0; c < CAL_NCASE; ++c)
        for (int j = 0; j < CAL_NQ; ++j)
            if (fabs(z2[c][j] - mid) > fabs(z2[wc][wj] - mid)) { wc = c; wj = j; }
    char what[160];
    snprintf(what, sizeof what,
             "%d seeds, mean z^2 in [%.1f,%.1f] of D*,Ds,sNE,f,fI,HR: Enn 0: %.2f %.2f %.2f %.2f %.2f %.2f; 2kT: %.2f "
             "%.2f %.2f %.2f %.2f %.2f; worst %s (%s)", CAL_NSEED, CAL_LO, CAL_HI, z2[0][0], z2[0][1], z2[0][2], z2[0][3],
             z2[0][4], z2[0][5], z2[1][0], z2[1][1], z2[1][2], z2[1][3], z2[1][4], z2[1][5], cal_qname[wj],
             wc ? "2kT" : "Enn 0");
    lihop_check_set_row(o, what, mid, z2[wc][wj], se[wc][wj], half, "1");
    return LIHOP_OK;
}

static const lihop_check calib_checks[] = {
    {"garnet_error_calibration", "error bars match the seed-to-seed spread", check_error_calibration},
};

const lihop_check *lihop_validate_garnet_calib_checks(int *n)
{
    *n = (int)(sizeof calib_checks / sizeof calib_checks[0]);
    return calib_checks;
}
