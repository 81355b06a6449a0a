/* validate_voxel_util.c - the helpers the voxel checks share (validate_voxel_util.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "micro_h5.h"
#include "validate_voxel_util.h"

void lihop_vcheck_base_config(lihop_config *c, int nphases, const double *conc_m3, const double *D_m2_s)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "<validate>");
    c->model = LIHOP_MODEL_VOXEL;
    c->backend = LIHOP_BACKEND_CPU;
    c->seed = 20261125;
    c->ntemps = 1;
    c->temperature_K[0] = 300.0;
    c->nspecies = 1;
    snprintf(c->species[0].name, LIHOP_NAME_LEN, "li");
    c->species[0].charge = 1;
    c->nphases = nphases;
    for (int p = 0; p < nphases; ++p) {
        snprintf(c->phases[p].name, LIHOP_NAME_LEN, "phase%d", p);
        if (conc_m3[p] > 0.0) {
            c->phases[p].ncarriers = 1;
            lihop_carrier_cfg *car = &c->phases[p].carriers[0];
            car->species = 0;
            car->conc_m3 = conc_m3[p];
            car->kind = LIHOP_TRANSPORT_D;
            car->law.law = LIHOP_LAW_CONSTANT;
            car->law.prefactor = D_m2_s[p];
        }
    }
    c->micro.n[0] = c->micro.n[1] = c->micro.n[2] = 32;
    c->micro.voxel_m = 1e-9;
    c->micro.seed = 7;
    c->run.samples = 20;
    c->run.batches = 10;
}

lihop_status lihop_vcheck_run_one(const lihop_config *cfg, double T, int threads, lihop_point_result *res,
                                  double frac[LIHOP_MAX_PHASES], lihop_err *err)
{
    lihop_micro *m = NULL;
    lihop_status st = lihop_micro_load(&cfg->micro, cfg->nphases, NULL, &m, err);
    if (st) return st;
    if (frac) lihop_micro_fractions(m, frac);
    lihop_voxel_options opt;
    memset(&opt, 0, sizeof opt);
    opt.backend = LIHOP_BACKEND_CPU;
    opt.threads = threads;
    st = lihop_voxel_run_point(cfg, m, 0, T, &opt, res, err);
    lihop_micro_destroy(m);
    return st;
}

