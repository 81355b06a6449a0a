/* garnet.h - the atomistic Li lattice gas (DESIGN.md 2.1): exact rejection-free
 * BKL kinetic Monte Carlo on a lihop_lattice, many independent replicas, with
 * tracer and collective diffusion, Haven ratio, correlation factors,
 * Nernst-Einstein and field-drift conductivities and site occupancies.
 *
 * Strategy: one replica = one independent periodic supercell with nli Li.
 * Replicas run in parallel (CPU: OpenMP, one thread per replica at a time;
 * CUDA: one warp or thread per replica, cuda/garnet.cu), both running the
 * replica loop of garnet_replica.h; each writes its own lihop_garnet_replica
 * record and records are reduced in replica order, so results are
 * bit-identical for any thread count and on either backend.
 *
 * Random numbers: replica r uses the Philox stream
 *   lihop_stream_init(seed, subsequence = (stream << 32) | r)
 * and draws its blocks in a fixed order: block k < nsites is step k of the
 * Fisher-Yates shuffle that orders the initial placement; block nsites + n is
 * event n (equilibration events first, then production).  Words 0,1 of an
 * event block give the waiting time -ln(u)/R (u in (0,1], lihop_log_exact),
 * words 2,3 the event (53-bit uniform in [0,1) on the sum tree).  Nothing
 * depends on the thread or the order in which replicas run.  When the run
 * length is given as hops per Li, a pilot replica (subsequence
 * (stream << 32) | 0xffffffff) measures the mean event rate once, serially,
 * before the replicas start.
 *
 * Event loop: the catalogue is every hop in a binary sum tree (bkl_tree.h)
 * with one leaf per link (a hop and its reverse, never both allowed: the leaf
 * holds the allowed direction's rate, or 0); after a hop only the links of
 * the edges listed by lihop_garnet_affected (garnet_event.h, where the exact
 * set is derived; precomputed per link at create, sorted) are re-rated, from
 * a rate table, so the loop needs no exp and no allocation.
 *
 * Observables: displacements are sampled on the grid t_k = k t_end/nsamples;
 * each replica averages the tracer and centre-of-mass MSDs over all time
 * origins on the grid; D* and D_sigma are least-squares slopes over a lag
 * window; f, f_I and D0 use the hops actually made.  Errors: jackknife over
 * contiguous replica batches (ratios included).  Under a field the mean drift
 * is removed from the MSDs (unbiased pair estimate across replicas), so
 * sigma_NE and sigma_drift can be compared from one run.  Site disorder is one
 * quenched realisation (disorder_seed) shared by all replicas.
 *
 * Units: energies eV, lengths angstrom inside the model, SI in the results
 * (fields carry their unit in the name).
 */
#ifndef LIHOP_GARNET_H
#define LIHOP_GARNET_H

#include <signal.h>        /* sig_atomic_t */
#include <stdint.h>
#include "status.h"
#include "config.h"        /* LIHOP_MAX_SAMPLES */
#include "lattice.h"       /* lihop_lattice, LIHOP_MAX_SUBLATTICES */
#include "garnet_event.h"  /* lihop_rate_law, lihop_garnet_model */
#include "garnet_replica.h" /* lihop_garnet_replica, lihop_garnet_job, LIHOP_GARNET_MAX_SAMPLES */

typedef struct {
    double nu_Hz;                   /* attempt frequency */
    double T_K;
    /* KRA barrier of a hop between sublattices a and b; must be symmetric
     * (the T->O / O->T asymmetry comes from the dE/2 term).  Unused by metropolis. */
    double E_kra_eV[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES];
    double site_energy_eV[LIHOP_MAX_SUBLATTICES];
    double E_nn_eV;                 /* repulsion between Li on sites joined by a hop edge */
    /* Further pair shells: Li on two sites at a distance d with
     * pair_shell_min_A[k] <= d < pair_shell_max_A[k] (every periodic image
     * counts) repel with pair_shell_eV[k] (negative: attract).  Windows must
     * not overlap; each must contain at least one pair. */
    int npair_shells;               /* 0 .. LIHOP_GARNET_MAX_SHELLS */
    double pair_shell_min_A[LIHOP_GARNET_MAX_SHELLS];
    double pair_shell_max_A[LIHOP_GARNET_MAX_SHELLS];
    double pair_shell_eV[LIHOP_GARNET_MAX_SHELLS];
    double disorder_sigma_eV;       /* Gaussian site-energy disorder (one quenched realisation) */
    uint64_t disorder_seed;
    const double *phi_V;            /* optional [nsites] electrostatic potential, V (copied at create) */
    const double *site_shift_eV;    /* optional [nsites] extra site energy (regions: grain-boundary
                                     * disorder or offsets), added to site_energy_eV (copied) */
    const double *kra_shift_eV;     /* optional [nsites] barrier shift: a hop i<->j gets
                                     * E_kra + (shift_i + shift_j)/2, symmetric (copied) */
    double field_V_m[3];            /* applied field */
    lihop_rate_law rate_law;
    int64_t nli;                    /* Li per replica */
    int64_t nreplicas;              /* 1 .. 2^32 - 2 */
    uint64_t seed;
    uint32_t stream;                /* distinguishes runs (sweep points) sharing a seed */
    double time_s;                  /* simulated production time per replica; 0: use hops_per_li */
    double hops_per_li;             /* run length as mean hops per Li (pilot sets time_s) */
    double equil_hops_per_li;       /* equilibration events per Li before the clock starts */
    int nsamples;                   /* time grid t_k = k t_end / nsamples, k = 1..nsamples */
    double fit_from, fit_to;        /* D from a least-squares line through the origin-averaged MSD at lags
                                     * in [fit_from, fit_to] t_end (fit_from 0 adds the origin).  Short
                                     * lags have many origins and small errors; start after the
                                     * correlation transient. */
    int nbatches;                   /* the deck's run.batches (<= nreplicas); not used for errors: the
                                     * reduction leaves one replica out at a time (garnet_observe.h) */
    int64_t check_every;            /* debug: every N production events compare every tree leaf with a
                                     * fresh rate and the tree with a rebuilt one; 0: off */
    /* Optional stop flag (a signal handler sets it; NULL: never stop).  Read
     * before each replica starts on the CPU, before each launcher call of at
     * most LIHOP_GARNET_CUDA_CHUNK replicas on CUDA, and every
     * LIHOP_GARNET_PILOT_CHUNK events of the pilot; once it is non-zero the run
     * returns LIHOP_ERR_INTERRUPTED and no record or result.  A run it does not
     * stop gives the same numbers as without it.  The flag must outlive g. */
    volatile sig_atomic_t *interrupt;
} lihop_garnet_params;

/* Replicas per call of the CUDA launcher (the interrupt granularity on CUDA;
 * the launcher splits a call into launches itself). */
#define LIHOP_GARNET_CUDA_CHUNK ((int64_t)1 << 16)
/* Pilot and pilot-equilibration events between two reads of the stop flag. */
#define LIHOP_GARNET_PILOT_CHUNK ((uint64_t)1 << 16)

/* lihop_garnet_replica, the record of one replica, is in garnet_replica.h. */

typedef struct {
    double T_K, kT_eV;
    double t_end_s;                 /* production time per replica */
    int64_t nreplicas;
    int nbatches;                   /* jackknife blocks: one per replica (nreplicas, at most INT_MAX) */
    int64_t nli;
    int32_t nsites;
    double volume_m3;               /* one replica's supercell */
    double n_li_m3;                 /* nli / volume */
    int nsamples;
    double time_s[LIHOP_GARNET_MAX_SAMPLES];
    double msd_tracer_A2[LIHOP_GARNET_MAX_SAMPLES], msd_tracer_err[LIHOP_GARNET_MAX_SAMPLES];
    double msd_coll_A2[LIHOP_GARNET_MAX_SAMPLES], msd_coll_err[LIHOP_GARNET_MAX_SAMPLES];
    double D_tracer_m2_s, D_tracer_err;   /* D* = <|dr_i|^2> / 6t (slope) */
    double D_sigma_m2_s, D_sigma_err;     /* D_sigma = <|sum dr_i|^2> / (6 t nli) (slope) */
    /* per Cartesian axis a = x, y, z (bicrystals: across vs along a boundary);
     * same fit window and jackknife; the mean over a equals the isotropic value */
    double msd_tracer_axis_A2[LIHOP_GARNET_MAX_SAMPLES][3], msd_tracer_axis_err[LIHOP_GARNET_MAX_SAMPLES][3];
    double msd_coll_axis_A2[LIHOP_GARNET_MAX_SAMPLES][3], msd_coll_axis_err[LIHOP_GARNET_MAX_SAMPLES][3];
    double D_tracer_axis_m2_s[3], D_tracer_axis_err[3];   /* <dr_i,a^2> / 2t (slope) */
    double D_sigma_axis_m2_s[3], D_sigma_axis_err[3];     /* <(sum dr_i,a)^2> / (2 t nli) (slope) */
    double sigma_NE_axis_S_m[3], sigma_NE_axis_err[3];    /* n e^2 D_sigma,a / (kB T) */
    double D0_m2_s, D0_err;               /* uncorrelated (1/6) Gamma <d^2> from the hops observed */
    double haven, haven_err;              /* H_R = D* / D_sigma */
    double f_tracer, f_tracer_err;        /* f = D* / D0 */
    double f_coll, f_coll_err;            /* f_I = D_sigma / D0 */
    double sigma_NE_S_m, sigma_NE_err;    /* n e^2 D_sigma / (kB T) */
    double sigma_drift_S_m, sigma_drift_err; /* n e v.E/|E|^2 (NaN without field) */
    double v_drift_m_s[3], v_drift_err[3];
    double hop_rate_Hz, hop_rate_err;     /* Gamma: hops per Li per second */
    double mean_hop_d2_A2;                /* <d^2> over hops */
    int nsub;
    char subname[LIHOP_MAX_SUBLATTICES][16];
    int32_t sites_per_sub[LIHOP_MAX_SUBLATTICES];
    double li_fraction[LIHOP_MAX_SUBLATTICES], li_fraction_err[LIHOP_MAX_SUBLATTICES];       /* Li on s / nli */
    double site_occupancy[LIHOP_MAX_SUBLATTICES], site_occupancy_err[LIHOP_MAX_SUBLATTICES]; /* Li on s / sites of s */
    uint64_t events, equil_events, hops;
    uint64_t hops_by_type[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES];
    uint64_t check_failures;
    int64_t trapped_replicas;
    double wall_s;
    int threads;                    /* OpenMP threads (CPU backend), 0 on CUDA */
    lihop_backend_kind backend;     /* the backend that ran the replicas (CPU or CUDA; set by
                                     * lihop_garnet_run[_backend], AUTO from lihop_garnet_reduce alone) */
} lihop_garnet_result;

typedef struct lihop_garnet lihop_garnet;

/* Defaults: nu 1e13 Hz, 298.15 K, all energies 0, kra, seed 1, stream 0, and
 * the run defaults of the decks (lihop_limits.h: 64 replicas, 100 hops per Li
 * after 20 per Li of equilibration, 32 samples, fit over [0.1, 0.5], 8
 * batches); nli must be set. */
void lihop_garnet_params_default(lihop_garnet_params *p);

/* Prepare the model on a lattice (copied; the lattice may be destroyed after).
 * Validates the parameters and the hop graph (symmetric, no self hops),
 * draws the disorder and tabulates per-edge energies. */
lihop_status lihop_garnet_create(const lihop_lattice *lat, const lihop_garnet_params *p,
                                 lihop_garnet **out, lihop_err *err);
void lihop_garnet_destroy(lihop_garnet *g);

/* The device-copyable view of the prepared model (host pointers owned by g). */
const lihop_garnet_model *lihop_garnet_model_get(const lihop_garnet *g);
const lihop_garnet_params *lihop_garnet_params_get(const lihop_garnet *g);
const double *lihop_garnet_site_energy_eV(const lihop_garnet *g); /* [nsites] eps_i incl. disorder and phi */

/* Production time per replica (runs the pilot the first time when time_s == 0). */
lihop_status lihop_garnet_t_end(lihop_garnet *g, double *t_end_s, lihop_err *err);

/* The device-copyable description of this run's replicas (host pointers owned
 * by g; runs the pilot the first time when time_s == 0). */
lihop_status lihop_garnet_job_get(lihop_garnet *g, lihop_garnet_job *job, lihop_err *err);

#endif
