/* micro_crystal.c - polymer crystallinity: a fraction X of the polymer's
 * voxels turns into a crystalline phase, as balls (crystallites) of radius
 * cluster_voxels around random polymer voxels, until exactly round(X N_polymer)
 * have turned (the last ball is cut short).
 *
 * X(T, phi) = X_T(T) * factor(phi), capped to [0, 1]: X_T is the constant
 * `fraction` or linear in the (T, fraction) table (held at the end values
 * outside it) and 0 at T >= melting_K; factor is linear in the (filler
 * fraction, factor) table (1 without one).  phi, the filler fraction, is the
 * volume fraction of every voxel that is not polymer, measured on the built
 * microstructure before crystallisation. */
#include <math.h>
#include <stdlib.h>
#include "micro_gen.h"
#include "rng.h"

static double interp(const double *x, const double *y, int n, double v)
{
    if (v <= x[0]) return y[0];
    if (v >= x[n - 1]) return y[n - 1];
    int k = 1;
    while (x[k] < v) ++k;
    double w = (v - x[k - 1]) / (x[k] - x[k - 1]);
    return y[k - 1] + w * (y[k] - y[k - 1]);
}

double lihop_cryst_fraction(const lihop_cryst_cfg *c, double T_K, double phi)
{
    if (c->melting_K > 0.0 && T_K >= c->melting_K) return 0.0;
    double x = c->ntemp ? interp(c->temp_K, c->temp_fraction, c->ntemp, T_K) : c->fraction;
    if (c->nfiller) x *= interp(c->filler_fraction, c->filler_factor, c->nfiller, phi);
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

static int64_t wrap(int64_t v, int n)
{
    v %= n;
    return v < 0 ? v + n : v;
}

/* Turn the polymer voxels within r of voxel `at` crystalline, at most `left`. */
static int64_t ball(lihop_micro *m, int64_t at, double r, int from, int to, int64_t left)
{
    int64_t done = 0, cx = at % m->n[0], cy = (at / m->n[0]) % m->n[1], cz = at / ((int64_t)m->n[0] * m->n[1]);
    int64_t R = (int64_t)floor(r);
    for (int64_t dz = -R; dz <= R && done < left; ++dz)
        for (int64_t dy = -R; dy <= R && done < left; ++dy)
            for (int64_t dx = -R; dx <= R && done < left; ++dx) {
                if ((double)(dx * dx + dy * dy + dz * dz) > r * r) continue;
                int64_t i = wrap(cx + dx, m->n[0]) + m->n[0] * (wrap(cy + dy, m->n[1]) + m->n[1] * wrap(cz + dz, m->n[2]));
                if (m->phase[i] == from) {
                    m->phase[i] = (uint8_t)to;
                    ++done;
                }
            }
    return done;
}

lihop_status lihop_micro_crystallize(lihop_micro *m, const lihop_micro_cfg *cfg, lihop_err *err)
{
    const lihop_cryst_cfg *c = &cfg->cryst;
    int64_t nvox = lihop_micro_nvox(m), npoly = 0;
    for (int64_t i = 0; i < nvox; ++i) npoly += m->phase[i] == c->polymer_phase;
    if (npoly == 0) return LIHOP_OK;
    double phi = 1.0 - (double)npoly / (double)nvox;
    int64_t target = llround(lihop_cryst_fraction(c, c->T_K, phi) * (double)npoly);
    if (target == 0) return LIHOP_OK;
    int64_t *poly = malloc((size_t)npoly * sizeof *poly), k = 0;
    if (!poly) return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for %lld polymer voxels", (long long)npoly);
    for (int64_t i = 0; i < nvox; ++i)
        if (m->phase[i] == c->polymer_phase) poly[k++] = i;
    /* centres: uniform over the polymer voxels as built; one that has turned already is skipped */
    int64_t done = 0;
    uint64_t draw = 0, max_draws = 20u * (uint64_t)npoly + 1000000u;
    while (done < target && draw < max_draws) {
        lihop_u32x4 u = lihop_philox_host(cfg->seed, MICRO_STREAM_CRYSTAL, draw++);
        int64_t at = poly[lihop_u64(u.v[0], u.v[1]) % (uint64_t)npoly];
        if (m->phase[at] == c->polymer_phase)
            done += ball(m, at, c->cluster_voxels, c->polymer_phase, c->crystal_phase, target - done);
    }
    /* near X = 1 the last isolated voxels are rarely drawn: take them in order */
    for (k = 0; k < npoly && done < target; ++k)
        if (m->phase[poly[k]] == c->polymer_phase) {
            m->phase[poly[k]] = (uint8_t)c->crystal_phase;
            ++done;
        }
    free(poly);
    return LIHOP_OK;
}
