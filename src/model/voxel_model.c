/* voxel_model.c - from phase properties to hop rates (DESIGN 2.2).
 *
 * Each voxel is a small conductor of side h.  Between the centres of two face
 * neighbours sit half a voxel of each phase and, where the phases differ, the
 * interface's area-specific resistance, in series:
 *     1/Gamma_ab = 1/(2 sigma_a h) + 1/(2 sigma_b h) + ASR_ab / h^2      (siemens)
 * A walker of charge z e leaves a voxel of phase a towards b with rate
 *     k_ab = Gamma_ab kB T / (z^2 e^2 h^3 rho_a),
 * so rho_a k_ab = rho_b k_ba (detailed balance w.r.t. the phase densities) and
 * inside one phase k = sigma kB T / (z^2 e^2 rho h^2) = D / h^2.  The walk then
 * solves the discretised Nernst-Planck problem exactly: a laminate across its
 * layers gives 1/sigma = sum phi_i/sigma_i + (interfaces) ASR / L.
 * An applied field E tilts each face rate by exp(+- z e E h / (2 kB T)). */
#include <math.h>
#include <string.h>
#include "voxel_model.h"

void lihop_voxel_phase_transport(const lihop_config *cfg, int s, double T, lihop_phase_transport *out)
{
    memset(out, 0, sizeof *out);
    double z = cfg->species[s].charge;
    double qq_kT = z * z * LIHOP_E * LIHOP_E / (LIHOP_KB * T);    /* z^2 e^2 / kT */
    for (int p = 0; p < cfg->nphases; ++p) {
        const lihop_phase_cfg *ph = &cfg->phases[p];
        for (int c = 0; c < ph->ncarriers; ++c) {
            const lihop_carrier_cfg *car = &ph->carriers[c];
            if (car->species != s) continue;
            double rho = car->conc_m3, sigma = 0.0;
            switch (car->kind) {
            case LIHOP_TRANSPORT_D: sigma = qq_kT * rho * lihop_tlaw_eval(&car->law, T); break;
            case LIHOP_TRANSPORT_SIGMA: sigma = lihop_tlaw_eval(&car->law, T); break;
            case LIHOP_TRANSPORT_FRACTION: sigma = car->transference * lihop_tlaw_eval(&ph->sigma_total, T); break;
            }
            out->rho_m3[p] = rho;
            out->sigma_S_m[p] = sigma;
            out->D_m2_s[p] = rho > 0.0 ? sigma / (qq_kT * rho) : 0.0;
        }
    }
}

static double interface_asr(const lihop_config *cfg, int s, int a, int b)
{
    double asr = 0.0;
    for (int i = 0; i < cfg->ninterfaces; ++i) {
        const lihop_interface_cfg *f = &cfg->interfaces[i];
        if (((f->phase_a == a && f->phase_b == b) || (f->phase_a == b && f->phase_b == a)) &&
            (f->species_mask & (1u << s)))
            asr += f->asr_ohm_m2;
    }
    return asr;
}

double lihop_voxel_conductance(const lihop_config *cfg, int s, double h, const lihop_phase_transport *tr, int a,
                               int b)
{
    if (tr->rho_m3[a] <= 0.0 || tr->sigma_S_m[a] <= 0.0 || tr->rho_m3[b] <= 0.0 || tr->sigma_S_m[b] <= 0.0)
        return 0.0;
    double resist = 1.0 / (2.0 * tr->sigma_S_m[a] * h) + 1.0 / (2.0 * tr->sigma_S_m[b] * h);
    if (a != b) resist += interface_asr(cfg, s, a, b) / (h * h);
    return 1.0 / resist;
}

void lihop_voxel_rates(const lihop_config *cfg, int s, double T, double h, const lihop_phase_transport *tr,
                       double rate[LIHOP_MAX_PHASES][LIHOP_MAX_PHASES][LIHOP_NDIR])
{
    memset(rate, 0, sizeof(double) * LIHOP_MAX_PHASES * LIHOP_MAX_PHASES * LIHOP_NDIR);
    double z = cfg->species[s].charge;
    double to_rate = LIHOP_KB * T / (z * z * LIHOP_E * LIHOP_E * h * h * h);
    double tilt[LIHOP_NDIR];
    for (int d = 0; d < LIHOP_NDIR; ++d) {
        double sign = (d & 1) ? -1.0 : 1.0;
        tilt[d] = exp(sign * z * LIHOP_E * cfg->field_V_m[d >> 1] * h / (2.0 * LIHOP_KB * T));
    }
    for (int a = 0; a < cfg->nphases; ++a)
        for (int b = 0; b < cfg->nphases; ++b) {
            double gamma = lihop_voxel_conductance(cfg, s, h, tr, a, b);
            if (gamma <= 0.0) continue;
            double k = to_rate * gamma / tr->rho_m3[a];
            for (int d = 0; d < LIHOP_NDIR; ++d) rate[a][b][d] = k * tilt[d];
        }
}

void lihop_voxel_group_phases(const lihop_micro *m, uint32_t *voxels, uint32_t offset[LIHOP_MAX_PHASES + 1])
{
    int64_t nvox = lihop_micro_nvox(m);
    uint32_t count[LIHOP_MAX_PHASES] = {0};
    for (int64_t i = 0; i < nvox; ++i) count[m->phase[i]]++;
    offset[0] = 0;
    for (int p = 0; p < LIHOP_MAX_PHASES; ++p) offset[p + 1] = offset[p] + count[p];
    uint32_t fillpos[LIHOP_MAX_PHASES];
    memcpy(fillpos, offset, sizeof fillpos);
    for (int64_t i = 0; i < nvox; ++i) voxels[fillpos[m->phase[i]]++] = (uint32_t)i;
}

/* The per-bond terms the walk rebuilds rates from inside space-charge layers. */
void lihop_voxel_params_layer_terms(const lihop_config *cfg, int s, double T, double h,
                                    const lihop_phase_transport *tr, lihop_voxel_params *p)
{
    double z = cfg->species[s].charge;
    p->to_rate = LIHOP_KB * T / (z * z * LIHOP_E * LIHOP_E * h * h * h);
    for (int d = 0; d < LIHOP_NDIR; ++d) {
        double sign = (d & 1) ? -1.0 : 1.0;
        p->tilt[d] = exp(sign * z * LIHOP_E * cfg->field_V_m[d >> 1] * h / (2.0 * LIHOP_KB * T));
    }
    for (int a = 0; a < cfg->nphases; ++a) {
        int carries = tr->rho_m3[a] > 0.0 && tr->sigma_S_m[a] > 0.0;
        p->half_res[a] = carries ? 1.0 / (2.0 * tr->sigma_S_m[a] * h) : 0.0;
        p->rho[a] = tr->rho_m3[a];
        for (int b = 0; b < cfg->nphases; ++b)
            p->iface_res[a][b] = a != b ? interface_asr(cfg, s, a, b) / (h * h) : 0.0;
    }
}

/* Start weights rho_p g_i: with layers one cumulative entry per voxel (in
 * phase_voxels order), else per phase.  Returns the total weight. */
static double start_weights(const lihop_config *cfg, const lihop_micro *m, int s, double T,
                            const lihop_voxel_layers *layers, const lihop_phase_transport *tr, lihop_voxel_params *p)
{
    int64_t nvox = lihop_micro_nvox(m);
    if (layers && layers->phi_V) {
        double zq_kT = cfg->species[s].charge * LIHOP_E / (LIHOP_KB * T);
        for (int64_t i = 0; i < nvox; ++i) layers->vfac[i] = exp(-zq_kT * layers->phi_V[i]);
        double cum = 0.0;
        for (int64_t k = 0; k < nvox; ++k) {
            uint32_t v = p->phase_voxels[k];
            cum += tr->rho_m3[m->phase[v]] * layers->vfac[v];
            layers->start_cum[k] = cum;
        }
        p->vfac = layers->vfac;
        p->start_cum = layers->start_cum;
        return cum;
    }
    double w[LIHOP_MAX_PHASES], wsum = 0.0, cum = 0.0;
    for (int ph = 0; ph < cfg->nphases; ++ph) {
        w[ph] = tr->rho_m3[ph] * (double)(p->phase_offset[ph + 1] - p->phase_offset[ph]);
        wsum += w[ph];
    }
    for (int ph = 0; ph < cfg->nphases && wsum > 0.0; ++ph) {
        cum += w[ph];
        p->start_cdf[ph] = cum / wsum;
    }
    p->start_cdf[cfg->nphases - 1] = 1.0;
    return wsum;
}

/* Mean total hop rate in equilibrium (weights rho_a g_i), to turn hops_per_walker into a time. */
static double mean_hop_rate(const lihop_micro *m, const lihop_phase_transport *tr, const lihop_voxel_params *p,
                            double wsum)
{
    double rsum = 0.0;
    int64_t nvox = lihop_micro_nvox(m);
    for (int64_t v = 0; v < nvox; ++v) {
        int a = m->phase[v];
        if (tr->rho_m3[a] <= 0.0) continue;
        int32_t c[3] = {(int32_t)(v % m->n[0]), (int32_t)((v / m->n[0]) % m->n[1]),
                        (int32_t)(v / ((int64_t)m->n[0] * m->n[1]))};
        double k[LIHOP_NDIR];
        uint32_t nb[LIHOP_NDIR];
        double weight = tr->rho_m3[a] * (p->vfac ? p->vfac[v] : 1.0);
        rsum += weight * lihop_voxel_face_rates(p, c, (uint32_t)v, a, k, nb);
    }
    return rsum / wsum;
}

/* Run time, sample grid and hop cap of species s. */
static lihop_status time_grid(const lihop_config *cfg, int s, double T, double mean_rate, lihop_voxel_params *p,
                              lihop_err *err)
{
    if (cfg->run.time_s > 0.0) {
        p->t_end = cfg->run.time_s;
    } else {
        if (!(mean_rate > 0.0))
            return lihop_fail(err, LIHOP_ERR_INPUT,
                              "species '%s' at %g K: no voxel has a non-zero hop rate, so hops_per_walker "
                              "cannot set a time (give run.time_s instead)", cfg->species[s].name, T);
        p->t_end = cfg->run.hops_per_walker / mean_rate;
    }
    if (!isfinite(p->t_end) || !(p->t_end > 0.0))
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "species '%s' at %g K: the run time came out as %g s (hop rates overflow or vanish); "
                          "check the transport laws and the temperature", cfg->species[s].name, T, p->t_end);
    p->nsamples = cfg->run.samples;
    for (int k = 0; k < p->nsamples; ++k) p->t_sample[k] = p->t_end * (double)(k + 1) / (double)p->nsamples;
    p->t_sample[p->nsamples - 1] = p->t_end;
    /* a walker taking 1000x the mean number of hops is a runaway (bad input): stop it, flag it */
    double mean_hops = p->t_end * mean_rate;
    p->max_hops = (isfinite(mean_hops) && mean_hops < 1e15) ? (uint64_t)(1000.0 * fmax(1.0, mean_hops)) + 1000000u
                                                             : 0;   /* 0: no cap */
    return LIHOP_OK;
}

static lihop_status check_field(const lihop_config *cfg, const lihop_micro *m, int s, double T, lihop_err *err)
{
    /* the field tilts rates by exp(+-z e E h / 2kT): beyond |z e E h / kT| = 1 the
     * walk is far from linear response (and large values overflow the rates) */
    for (int ax = 0; ax < 3; ++ax) {
        double x = cfg->species[s].charge * LIHOP_E * cfg->field_V_m[ax] * m->voxel_m / (LIHOP_KB * T);
        if (!(fabs(x) <= 1.0))
            return lihop_fail(err, LIHOP_ERR_INPUT,
                              "%s: key 'field_V_m[%d]': expected |z e E h / kT| <= 1 (linear response; "
                              "0.01-0.1 is typical), got %.3g for species '%s' at %g K with %g m voxels",
                              cfg->path, ax, fabs(x), cfg->species[s].name, T, m->voxel_m);
    }
    return LIHOP_OK;
}

lihop_status lihop_voxel_params_setup(const lihop_config *cfg, const lihop_micro *m, const uint32_t *phase_voxels,
                                      const uint32_t offset[LIHOP_MAX_PHASES + 1], int s, double T,
                                      uint32_t stream, const lihop_voxel_layers *layers, lihop_voxel_params *p,
                                      lihop_phase_transport *tr, lihop_err *err)
{
    memset(p, 0, sizeof *p);
    memcpy(p->n, m->n, sizeof p->n);
    p->nphases = cfg->nphases;
    p->phase = m->phase;
    p->phase_voxels = phase_voxels;
    memcpy(p->phase_offset, offset, sizeof p->phase_offset);
    p->seed = cfg->seed;
    p->stream = stream;
    lihop_status st = check_field(cfg, m, s, T, err);
    if (st) return st;
    lihop_voxel_phase_transport(cfg, s, T, tr);
    lihop_voxel_rates(cfg, s, T, m->voxel_m, tr, p->rate);
    lihop_voxel_params_layer_terms(cfg, s, T, m->voxel_m, tr, p);
    double wsum = start_weights(cfg, m, s, T, layers, tr, p);
    if (!(wsum > 0.0))
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "species '%s': none of the phases present in the microstructure carries it",
                          cfg->species[s].name);
    return time_grid(cfg, s, T, mean_hop_rate(m, tr, p, wsum), p, err);
}

int lihop_voxel_species_carried(const lihop_config *cfg, const lihop_micro *m, int s)
{
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, frac);
    for (int p = 0; p < cfg->nphases; ++p)
        for (int c = 0; c < cfg->phases[p].ncarriers; ++c)
            if (frac[p] > 0.0 && cfg->phases[p].carriers[c].species == s) return 1;
    return 0;
}

lihop_status lihop_voxel_check(const lihop_config *cfg, const lihop_micro *m, lihop_err *err)
{
    for (int s = 0; s < cfg->nspecies; ++s)
        if (lihop_voxel_species_carried(cfg, m, s)) return LIHOP_OK;
    double frac[LIHOP_MAX_PHASES];
    lihop_micro_fractions(m, frac);
    char present[256] = "";
    for (int p = 0; p < cfg->nphases; ++p)
        if (frac[p] > 0.0) {
            size_t len = strlen(present);
            snprintf(present + len, sizeof present - len, "%s%s", len ? ", " : "", cfg->phases[p].name);
        }
    return lihop_fail(err, LIHOP_ERR_INPUT,
                      "%s: key 'microstructure': no species is carried by a phase present in the microstructure "
                      "(present: %s); change the microstructure or the phases' carriers", cfg->path, present);
}

void lihop_voxel_params_stretch(lihop_voxel_params *p, double factor)
{
    p->t_end *= factor;
    for (int k = 0; k < p->nsamples; ++k)
        p->t_sample[k] *= factor;
    if (p->max_hops)
        p->max_hops = (uint64_t)((double)p->max_hops * factor);
}
