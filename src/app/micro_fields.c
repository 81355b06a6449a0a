/* micro_fields.c - the space-charge fields `lihop micro` writes next to the
 * labels (README "Space-charge layers"): the potential, the distance to the
 * layer's interface and each species' carrier density, at the deck's first
 * temperature (the potential of a Gouy-Chapman layer and every density depend
 * on T). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "micro_fields.h"
#include "micro_h5.h"
#include "space_charge.h"
#include "voxel_model.h"

/* rho_phase(T) exp(-z e phi / kT) of species s in every voxel (0 where not carried). */
static void concentration(const lihop_config *cfg, const lihop_micro *m, int s, double T, const double *phi,
                          double *out)
{
    lihop_phase_transport tr;
    lihop_voxel_phase_transport(cfg, s, T, &tr);
    double zq_kT = cfg->species[s].charge * LIHOP_E / (LIHOP_KB * T);
    for (int64_t i = 0; i < lihop_micro_nvox(m); ++i) out[i] = tr.rho_m3[m->phase[i]] * exp(-zq_kT * phi[i]);
}

lihop_status lihop_micro_write_sc_fields(const lihop_config *cfg, const lihop_micro *m, const char *path,
                                         lihop_err *err)
{
    if (cfg->nspace_charge == 0) return LIHOP_OK;
    int64_t nvox = lihop_micro_nvox(m);
    double T = cfg->temperature_K[0];
    double *phi = malloc((size_t)nvox * sizeof *phi), *buf = malloc((size_t)nvox * sizeof *buf);
    lihop_status st = phi && buf ? LIHOP_OK : lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory for the fields");
    if (!st) st = lihop_sc_potential(cfg, m, T, phi, buf, err);
    if (!st) st = lihop_micro_write_field(path, "/phase", m, "space_charge_distance_m", buf, "m", err);
    if (!st) st = lihop_micro_write_field(path, "/phase", m, "potential_V", phi, "V", err);
    for (int s = 0; s < cfg->nspecies && !st; ++s) {
        char name[64];
        snprintf(name, sizeof name, "concentration_%s_m3", cfg->species[s].name);
        concentration(cfg, m, s, T, phi, buf);
        st = lihop_micro_write_field(path, "/phase", m, name, buf, "1/m^3", err);
    }
    free(phi);
    free(buf);
    return st;
}
