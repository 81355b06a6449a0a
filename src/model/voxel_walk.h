/* voxel_walk.h - one carrier's exact continuous-time random walk on the voxel
 * grid: the per-hop maths shared by the CPU (src/voxel_cpu.c) and CUDA
 * (cuda/voxel.cu) backends.
 *
 * A walker of species s sits in voxel i of phase a.  Its hop rate to the face
 * neighbour j (phase b) along direction d is rate[a][b][d], tabulated on the host
 * by lihop_voxel_rates() (voxel_model.c) so that rho_a k_ab = rho_b k_ba
 * (detailed balance w.r.t. the phase carrier densities).  The waiting time is
 * -ln(u)/R_i with R_i the sum of the six face rates; the face is drawn with
 * probability k_d / R_i.  Random draw n of walker w is Philox block n of
 * subsequence (stream << 32 | w): draw 0 places the walker, draw n >= 1 is hop n.
 */
#ifndef LIHOP_VOXEL_WALK_H
#define LIHOP_VOXEL_WALK_H

#include <stdint.h>
#include "lihop_hd.h"
#include "rng.h"
#include "config.h"

/* Face directions: +x -x +y -y +z -z */
#define LIHOP_NDIR 6

typedef struct {
    int32_t n[3];                         /* grid size */
    int32_t nphases;
    const uint8_t *phase;                 /* [nvox] phase ids (device or host memory) */
    const uint32_t *phase_voxels;         /* voxel indices grouped by phase */
    uint32_t phase_offset[LIHOP_MAX_PHASES + 1]; /* phase p: phase_voxels[off[p] .. off[p+1]) */
    double start_cdf[LIHOP_MAX_PHASES];   /* cumulative equilibrium weight rho_p N_p, last = 1 */
    double rate[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES][LIHOP_NDIR]; /* 1/s */
    double t_end;                         /* s */
    int32_t nsamples;
    double t_sample[LIHOP_MAX_SAMPLES];   /* increasing, last == t_end */
    uint64_t seed;
    uint32_t stream;                      /* (sweep point, species) of this launch */
    uint64_t max_hops;                    /* safety cap per walker (0: none) */
    /* Space-charge layers (vfac NULL: none).  Voxel i of phase a then has density
     * rho_a g_i and conductivity sigma_a g_i, g_i = exp(-z e phi_i / kT), and the
     * face rate is rebuilt per hop from the bond's series resistance:
     *   k_ij = to_rate tilt_d / (rho_a g_i (half_res_a / g_i + half_res_b / g_j + iface_res_ab)),
     * so rho_a g_i k_ij = rho_b g_j k_ji (detailed balance with the layer densities). */
    const double *vfac;                   /* [nvox] g_i (device or host memory) */
    const double *start_cum;              /* [nvox] cumulative rho g over phase_voxels order: the start */
    double half_res[LIHOP_MAX_PHASES];    /* 1/(2 sigma_a h), ohm; 0: phase a does not carry the species */
    double iface_res[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES]; /* ASR_ab / h^2, ohm */
    double rho[LIHOP_MAX_PHASES];         /* 1/m^3 */
    double to_rate;                       /* kB T / (z^2 e^2 h^3) */
    double tilt[LIHOP_NDIR];              /* exp(+- z e E h / 2kT) */
} lihop_voxel_params;

/* What one walker reports. */
typedef struct {
    int32_t disp[LIHOP_MAX_SAMPLES][3];   /* unwrapped displacement at t_sample[k], voxels */
    double residence[LIHOP_MAX_PHASES];   /* time in each phase up to t_end, s */
    uint64_t hops;
    uint32_t start_voxel;
    int32_t truncated;                    /* 1 if max_hops stopped it early */
} lihop_walker_out;

/* Walker ids fill the low 32 bits of the subsequence; the microstructure
 * generators use 0xF0000001.. of stream 0, so walkers stay below 2^31. */
#define LIHOP_MAX_WALKERS 0x7fffffffull

LIHOP_HD static inline uint64_t lihop_voxel_subsequence(uint32_t stream, uint64_t walker)
{
    return ((uint64_t)stream << 32) | (walker & 0xffffffffu);
}

/* Neighbour of voxel (x,y,z) in direction d with periodic wrap. */
LIHOP_HD static inline void lihop_voxel_step(const int32_t n[3], int32_t c[3], int d)
{
    int ax = d >> 1;
    int s = (d & 1) ? -1 : 1;
    int32_t v = c[ax] + s;
    if (v < 0) v += n[ax];
    else if (v >= n[ax]) v -= n[ax];
    c[ax] = v;
}

LIHOP_HD static inline uint32_t lihop_voxel_index(const int32_t n[3], const int32_t c[3])
{
    return (uint32_t)c[0] + (uint32_t)n[0] * ((uint32_t)c[1] + (uint32_t)n[1] * (uint32_t)c[2]);
}

/* Linear indices of the six face neighbours of voxel v = (c0, c1, c2), periodic. */
LIHOP_HD static inline void lihop_voxel_neighbours(const int32_t n[3], const int32_t c[3], uint32_t v,
                                                   uint32_t nb[LIHOP_NDIR])
{
    uint32_t sx = 1u, sy = (uint32_t)n[0], sz = (uint32_t)n[0] * (uint32_t)n[1];
    nb[0] = c[0] == n[0] - 1 ? v - (uint32_t)(n[0] - 1) * sx : v + sx;
    nb[1] = c[0] == 0 ? v + (uint32_t)(n[0] - 1) * sx : v - sx;
    nb[2] = c[1] == n[1] - 1 ? v - (uint32_t)(n[1] - 1) * sy : v + sy;
    nb[3] = c[1] == 0 ? v + (uint32_t)(n[1] - 1) * sy : v - sy;
    nb[4] = c[2] == n[2] - 1 ? v - (uint32_t)(n[2] - 1) * sz : v + sz;
    nb[5] = c[2] == 0 ? v + (uint32_t)(n[2] - 1) * sz : v - sz;
}

/* Series resistance (ohm) of the bond from voxel i (phase a, factor gi) to j
 * (phase b, gj) inside a space-charge layer; 0 when a phase does not carry the
 * species.  The walk's rates and the exact network (diag/network.c) both use it. */
LIHOP_HD static inline double lihop_voxel_layer_resistance(const lihop_voxel_params *p, int a, int b, double gi,
                                                           double gj)
{
    if (!(p->half_res[a] > 0.0) || !(p->half_res[b] > 0.0)) return 0.0;
    return p->half_res[a] / gi + p->half_res[b] / gj + (a != b ? p->iface_res[a][b] : 0.0);
}

/* Face rate from voxel i (phase a, factor gi) to j (phase b, gj) inside a space-charge layer. */
LIHOP_HD static inline double lihop_voxel_layer_rate(const lihop_voxel_params *p, int a, int b, double gi, double gj,
                                                     int d)
{
    double res = lihop_voxel_layer_resistance(p, a, b, gi, gj);
    return res > 0.0 ? p->to_rate * p->tilt[d] / (p->rho[a] * gi * res) : 0.0;
}

/* The six face rates out of voxel v = c (phase a) and their sum. */
LIHOP_HD static inline double lihop_voxel_face_rates(const lihop_voxel_params *p, const int32_t c[3], uint32_t v,
                                                     int a, double k[LIHOP_NDIR], uint32_t nb[LIHOP_NDIR])
{
    lihop_voxel_neighbours(p->n, c, v, nb);
    if (p->vfac) {
        double gi = p->vfac[v], R = 0.0;
        for (int d = 0; d < LIHOP_NDIR; ++d) {
            k[d] = lihop_voxel_layer_rate(p, a, (int)p->phase[nb[d]], gi, p->vfac[nb[d]], d);
            R += k[d];
        }
        return R;
    }
    const double *ra = &p->rate[a][0][0];
    double R = 0.0;
    for (int d = 0; d < LIHOP_NDIR; ++d) {
        k[d] = ra[(int)p->phase[nb[d]] * LIHOP_NDIR + d];
        R += k[d];
    }
    return R;
}

/* Pick a face: first d with cumulative rate > u R (u in [0,1)); rounding-safe. */
LIHOP_HD static inline int lihop_voxel_pick_face(const double k[LIHOP_NDIR], double R, double u)
{
    double x = u * R, cum = 0.0;
    int last = 0;
    for (int d = 0; d < LIHOP_NDIR; ++d) {
        if (k[d] > 0.0) {
            cum += k[d];
            last = d;
            if (x < cum) return d;
        }
    }
    return last;
}

/* Draw 0 with space-charge layers: voxel i with weight rho_a g_i (bisection of start_cum). */
LIHOP_HD static inline uint32_t lihop_voxel_start_layers(const lihop_voxel_params *p, lihop_u32x4 r)
{
    uint32_t n = p->phase_offset[p->nphases];
    double x = lihop_u53(r.v[0], r.v[1]) * p->start_cum[n - 1];     /* [0, total) */
    uint32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->start_cum[mid] > x) hi = mid;
        else lo = mid + 1;
    }
    return p->phase_voxels[lo];
}

/* Draw 0: the equilibrium starting voxel (phase by weight rho_p N_p, then uniform within the phase). */
LIHOP_HD static inline uint32_t lihop_voxel_start(const lihop_voxel_params *p, lihop_u32x4 r)
{
    if (p->start_cum) return lihop_voxel_start_layers(p, r);
    double u = lihop_u01_open0(r.v[0], r.v[1]);
    int ph = 0;
    while (ph < p->nphases - 1 && !(u <= p->start_cdf[ph])) ++ph;
    while (ph > 0 && p->phase_offset[ph + 1] == p->phase_offset[ph]) --ph; /* rounding: land on a populated phase */
    uint32_t count = p->phase_offset[ph + 1] - p->phase_offset[ph];
    uint64_t pick = lihop_u64(r.v[2], r.v[3]) % (uint64_t)count;
    return p->phase_voxels[p->phase_offset[ph] + pick];
}

/* The whole trajectory of walker `walker` up to t_end. */
LIHOP_HD static inline void lihop_voxel_walk(const lihop_voxel_params *p, uint64_t walker, lihop_walker_out *out)
{
    lihop_stream rng;
    lihop_stream_init(&rng, p->seed, lihop_voxel_subsequence(p->stream, walker));

    double res[LIHOP_MAX_PHASES];   /* local: on the GPU, out lives in global memory */
    for (int ph = 0; ph < LIHOP_MAX_PHASES; ++ph) res[ph] = 0.0;
    out->truncated = 0;

    uint32_t v = lihop_voxel_start(p, lihop_stream_next(&rng));
    out->start_voxel = v;
    int32_t c[3];
    c[0] = (int32_t)(v % (uint32_t)p->n[0]);
    c[1] = (int32_t)((v / (uint32_t)p->n[0]) % (uint32_t)p->n[1]);
    c[2] = (int32_t)(v / ((uint32_t)p->n[0] * (uint32_t)p->n[1]));
    int32_t u3[3] = {0, 0, 0};
    int a = p->phase[v];
    double t = 0.0;
    uint64_t hops = 0;
    int next = 0;
    double k[LIHOP_NDIR];
    uint32_t nb[LIHOP_NDIR];

    for (;;) {
        double R = lihop_voxel_face_rates(p, c, v, a, k, nb);
        lihop_u32x4 r = lihop_stream_next(&rng);
        /* R == 0: trapped for good; the walker stays put until t_end */
        double tn = (R > 0.0) ? t + (-lihop_log_exact(lihop_u01_open0(r.v[0], r.v[1])) / R) : p->t_end * 2.0 + 1.0;
        while (next < p->nsamples && p->t_sample[next] <= tn) {
            out->disp[next][0] = u3[0];
            out->disp[next][1] = u3[1];
            out->disp[next][2] = u3[2];
            ++next;
        }
        if (tn >= p->t_end || (p->max_hops && hops >= p->max_hops)) {
            if (tn < p->t_end) {
                out->truncated = 1;
                while (next < p->nsamples) { /* keep the grid filled with the last position */
                    out->disp[next][0] = u3[0]; out->disp[next][1] = u3[1]; out->disp[next][2] = u3[2];
                    ++next;
                }
            }
            res[a] += p->t_end - t;
            break;
        }
        res[a] += tn - t;
        t = tn;
        int d = lihop_voxel_pick_face(k, R, lihop_u01_32(r.v[2]));
        lihop_voxel_step(p->n, c, d);
        u3[d >> 1] += (d & 1) ? -1 : 1;
        v = nb[d];
        a = p->phase[v];
        ++hops;
    }
    out->hops = hops;
    for (int ph = 0; ph < LIHOP_MAX_PHASES; ++ph) out->residence[ph] = res[ph];
}

#endif
