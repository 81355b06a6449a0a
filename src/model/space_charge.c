/* space_charge.c - potential profiles, the exact distance transform and the
 * voxel potential field (space_charge.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "constants.h"
#include "space_charge.h"

double lihop_sc_profile_phi_V(lihop_sc_profile kind, double phi0_V, double length, int ntable, const double *table_d,
                              const double *table_phi_V, double d, double T_K)
{
    d = fabs(d);
    switch (kind) {
    case LIHOP_SC_GOUY_CHAPMAN: {
        double kT_e = LIHOP_KB_EV * T_K;                     /* V */
        double g = tanh(phi0_V / (4.0 * kT_e));
        double q = g * exp(-d / length);
        return 2.0 * kT_e * log((1.0 + q) / (1.0 - q));
    }
    case LIHOP_SC_MOTT_SCHOTTKY:
        return d >= length ? 0.0 : phi0_V * (1.0 - d / length) * (1.0 - d / length);
    case LIHOP_SC_TABLE: {
        if (ntable < 1 || d > table_d[ntable - 1]) return 0.0;
        if (d <= table_d[0]) return table_phi_V[0];
        int i = 1;
        while (i < ntable - 1 && table_d[i] < d) i++;
        double w = (d - table_d[i - 1]) / (table_d[i] - table_d[i - 1]);
        return table_phi_V[i - 1] + w * (table_phi_V[i] - table_phi_V[i - 1]);
    }
    case LIHOP_SC_NONE:
    default:
        return 0.0;
    }
}

/* 1-D squared distance transform of f[0..n) (Felzenszwalb & Huttenlocher,
 * Theory of Computing 8, 415 (2012)): d[q] = min_p (q - p)^2 + f[p], with
 * INFINITY entries never a source.  v, z: scratch of n and n + 1. */
static void dt1d(const double *f, int n, double *d, int *v, double *z)
{
    int q0 = 0;
    while (q0 < n && isinf(f[q0])) q0++;
    if (q0 == n) {
        for (int q = 0; q < n; ++q) d[q] = INFINITY;
        return;
    }
    int k = 0;
    v[0] = q0;
    z[0] = -INFINITY;
    z[1] = INFINITY;
    for (int q = q0 + 1; q < n; ++q) {
        if (isinf(f[q])) continue;
        double s;
        for (;;) {                  /* z[0] = -inf ends the loop at k = 0 at the latest */
            int p = v[k];
            s = ((f[q] + (double)q * q) - (f[p] + (double)p * p)) / (2.0 * q - 2.0 * p);
            if (s > z[k]) break;
            --k;
        }
        ++k;
        v[k] = q;
        z[k] = s;
        z[k + 1] = INFINITY;
    }
    k = 0;
    for (int q = 0; q < n; ++q) {
        while (z[k + 1] < q) ++k;
        d[q] = (double)(q - v[k]) * (q - v[k]) + f[v[k]];
    }
}

/* One axis pass, periodic: each line is tripled so that its nearest sources,
 * at most n/2 away around the ring, all lie in the window; the middle copy is kept. */
static void edt_axis(const int n[3], int ax, double *g, double *line, double *out, int *v, double *z)
{
    int len = n[ax];
    int64_t stride = ax == 0 ? 1 : ax == 1 ? n[0] : (int64_t)n[0] * n[1];
    int a1 = ax == 0 ? 1 : 0, a2 = ax == 2 ? 1 : 2;
    int64_t s1 = a1 == 0 ? 1 : n[0], s2 = a2 == 1 ? n[0] : (int64_t)n[0] * n[1];
    for (int j = 0; j < n[a2]; ++j)
        for (int i = 0; i < n[a1]; ++i) {
            int64_t base = i * s1 + j * s2;
            for (int k = 0; k < 3 * len; ++k) line[k] = g[base + (k % len) * stride];
            dt1d(line, 3 * len, out, v, z);
            for (int k = 0; k < len; ++k) g[base + k * stride] = out[len + k];
        }
}

lihop_status lihop_edt_sq(const lihop_micro *m, int target, double *d2, lihop_err *err)
{
    int64_t nvox = lihop_micro_nvox(m);
    int nmax = m->n[0] > m->n[1] ? m->n[0] : m->n[1];
    nmax = nmax > m->n[2] ? nmax : m->n[2];
    double *line = malloc((size_t)6 * nmax * sizeof *line), *z = malloc((size_t)(3 * nmax + 1) * sizeof *z);
    int *v = malloc((size_t)3 * nmax * sizeof *v);
    if (!line || !z || !v) {
        free(line); free(z); free(v);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the distance transform");
    }
    for (int64_t i = 0; i < nvox; ++i) d2[i] = m->phase[i] == target ? 0.0 : INFINITY;
    for (int ax = 0; ax < 3; ++ax) edt_axis(m->n, ax, d2, line, line + 3 * nmax, v, z);
    free(line); free(z); free(v);
    return LIHOP_OK;
}

lihop_status lihop_sc_potential(const lihop_config *cfg, const lihop_micro *m, double T, double *phi_V,
                                double *dist_m, lihop_err *err)
{
    int64_t nvox = lihop_micro_nvox(m);
    memset(phi_V, 0, (size_t)nvox * sizeof *phi_V);
    if (dist_m)
        for (int64_t i = 0; i < nvox; ++i) dist_m[i] = NAN;
    double *d2 = malloc((size_t)nvox * sizeof *d2);
    if (!d2) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the space-charge distances");
    lihop_status st = LIHOP_OK;
    for (int k = 0; k < cfg->nspace_charge && !st; ++k) {
        const lihop_space_charge_cfg *sc = &cfg->space_charge[k];
        st = lihop_edt_sq(m, sc->other_phase, d2, err);
        for (int64_t i = 0; i < nvox && !st; ++i) {
            if (m->phase[i] != sc->side_phase || isinf(d2[i])) continue;
            double d = (sqrt(d2[i]) - 0.5) * m->voxel_m;
            phi_V[i] += lihop_sc_profile_phi_V(sc->profile, sc->phi0_V, sc->length_m, sc->ntable, sc->table_d_m,
                                               sc->table_phi_V, d, T);
            if (dist_m) dist_m[i] = d;
        }
    }
    free(d2);
    return st;
}
