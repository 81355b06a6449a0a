/* validate_generators.c - the composite generators hit their targets (issue 10
 * acceptance): on a 128^3 box every generator's achieved filler (or ceramic)
 * volume fraction is within 0.5 % (relative) of its target, and the
 * weight-to-volume conversion is exact. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "micro.h"
#include "validate.h"

#define NBOX 128
#define REL_TOL 0.005

/* Phases 0 matrix (polymer), 1 filler (ceramic), 2 grain boundary, on NBOX^3 voxels of 10 nm. */
static lihop_micro_cfg gen_cfg(lihop_generator_kind gen, double phi)
{
    lihop_micro_cfg c;
    memset(&c, 0, sizeof c);
    c.n[0] = c.n[1] = c.n[2] = NBOX;
    c.voxel_m = 1e-8;
    c.generator = gen;
    c.matrix_phase = 0;
    c.filler_phase = 1;
    c.interphase_phase = -1;
    c.volume_fraction = phi;
    c.radius_voxels = 6.0;
    c.overlap = 1;
    c.seed = 20261204;
    return c;
}

typedef struct {
    const char *name;
    lihop_micro_cfg cfg;
} gen_case;

static int make_cases(gen_case *k)
{
    int n = 0;
    k[n++] = (gen_case){"spheres 0.30", gen_cfg(LIHOP_GEN_SPHERES, 0.30)};
    k[n] = (gen_case){"lognormal 0.20", gen_cfg(LIHOP_GEN_LOGNORMAL_SPHERES, 0.20)};
    k[n++].cfg.radius_sigma = 0.3;
    k[n] = (gen_case){"packed 0.55", gen_cfg(LIHOP_GEN_LOGNORMAL_SPHERES, 0.55)};
    k[n].cfg.overlap = 0;
    k[n++].cfg.packing = LIHOP_PACKING_DENSE;
    k[n] = (gen_case){"fibres 0.15", gen_cfg(LIHOP_GEN_FIBRES, 0.15)};
    k[n].cfg.fibre_diameter_voxels = 6.0;
    k[n].cfg.fibre_length_voxels = 60.0;
    k[n++].cfg.fibre_random = 1;
    k[n] = (gen_case){"pic 0.80", gen_cfg(LIHOP_GEN_PIC, 0.80)};
    k[n].cfg.poly.ngrains = 200;
    k[n].cfg.poly.grain_phase = 1;
    k[n].cfg.poly.boundary_phase = -1;
    k[n++].cfg.poly.polymer_phase = 0;
    return n;
}

static lihop_status check_generator_fractions(int threads, lihop_check_result *o, lihop_err *err)
{
    (void)threads;
    gen_case k[8];
    int n = make_cases(k);
    double worst = 0.0;
    char what[160] = "";
    for (int i = 0; i < n; ++i) {
        lihop_micro *m = NULL;
        lihop_status st = lihop_micro_build(&k[i].cfg, 3, &m, err);
        if (st) return st;
        double frac[LIHOP_MAX_PHASES];
        lihop_micro_fractions(m, frac);
        lihop_micro_destroy(m);
        double dev = fabs(frac[1] / k[i].cfg.volume_fraction - 1.0);
        worst = fmax(worst, dev);
        size_t len = strlen(what);
        snprintf(what + len, sizeof what - len, "%s%s %.4f", i ? ", " : "", k[i].name, frac[1]);
    }
    /* weight -> volume: Ta-LLZO 5.415 in PEO 1.3 g/cm^3, 50 wt% is 1.3/6.715 by volume exactly */
    double wv = fabs(lihop_weight_to_volume_fraction(0.5, 5.415, 1.3) / (1.3 / 6.715) - 1.0);
    lihop_check_set_row(o, what, 0.0, worst, 0.0, REL_TOL, "1");
    o->pass = o->pass && wv < 1e-12;
    return LIHOP_OK;
}

static const lihop_check gen_checks[] = {
    {"generator_fractions", "generators hit their target fractions on 128^3 (0.5 %); weight -> volume exact",
     check_generator_fractions},
};

const lihop_check *lihop_validate_generator_checks(int *n)
{
    *n = (int)(sizeof gen_checks / sizeof gen_checks[0]);
    return gen_checks;
}
