/* config_gen_b.c - the keys of the composite generators of group B (README
 * "Composite generators"): phase densities and weight_fraction, log-normal
 * radii and dense packing (lognormal_spheres), fibres, interphase shells.
 * Runs after conv_micro, which has checked which generator owns each key. */
#include "config_impl.h"

#define RADIUS_SIGMA_MAX 2.0        /* sd of ln r: beyond 2 the radii span > 3 decades within 2 sd */

static double box_min(const lihop_micro_cfg *m)
{
    int n = m->n[0] < m->n[1] ? m->n[0] : m->n[1];
    return n < m->n[2] ? n : m->n[2];
}

/* phases[].density_g_cm3 -> micro.density_kg_m3 (0: not given).  A phase
 * with a material file got its density from the file (cfg_phase_material). */
static lihop_status conv_densities(pctx *c, lihop_config *cfg, const y_top *y)
{
    char p[PATH_CAP];
    for (int i = 0; i < cfg->nphases; i++) {
        if (y->phases[i].material)
            continue;
        cfg->micro.density_kg_m3[i] = 0.0;
        if (!y->phases[i].density_g_cm3)
            continue;
        snprintf(p, sizeof p, "phases[%d].density_g_cm3", i);
        lihop_status st = cfg_need_range(c, p, *y->phases[i].density_g_cm3, 1, 0.0, DENSITY_MAX_G_CM3, "a density",
                                         "g/cm^3");
        if (st != LIHOP_OK)
            return st;
        cfg->micro.density_kg_m3[i] = *y->phases[i].density_g_cm3 * 1000.0;
    }
    return LIHOP_OK;
}

/* Exactly one of volume_fraction and weight_fraction for the generators that
 * place a filler; a weight fraction becomes the volume_fraction coordinate. */
static lihop_status conv_weight_fraction(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    const char *wf = "microstructure.weight_fraction";
    int takes = m->generator == LIHOP_GEN_SPHERES || m->generator == LIHOP_GEN_RANDOM_VOXELS ||
                m->generator == LIHOP_GEN_LOGNORMAL_SPHERES || m->generator == LIHOP_GEN_FIBRES;
    m->by_weight = 0;
    if (!takes)
        return LIHOP_OK;
    if (y->volume_fraction && y->weight_fraction)
        return cfg_fail_at(c, wf, "expected one of volume_fraction or weight_fraction, got both (volume_fraction on line %d)",
                           cfg_line_of(c, "microstructure.volume_fraction"));
    if (!y->volume_fraction && !y->weight_fraction)
        return cfg_fail_line(c, cfg_line_of(c, "microstructure.generator"), "microstructure.volume_fraction",
                             "expected a value (generator '%s' needs volume_fraction or weight_fraction), got nothing",
                             cfg_generator_strings[m->generator].str);
    if (!y->weight_fraction)
        return LIHOP_OK;
    double rf = m->density_kg_m3[m->filler_phase], rm = m->density_kg_m3[m->matrix_phase];
    if (!(rf > 0.0) || !(rm > 0.0))
        return cfg_fail_at(c, wf, "expected density_g_cm3 in phases '%s' and '%s' (a weight fraction needs both), got %s",
                           cfg->phases[m->filler_phase].name, cfg->phases[m->matrix_phase].name,
                           rf > 0.0 ? "none in the matrix" : "none in the filler");
    lihop_status st = cfg_check_list(c, wf, y->weight_fraction, y->weight_fraction_count, 0, 0.0, 1.0, "a fraction", "");
    if (st != LIHOP_OK)
        return st;
    double vf[LIHOP_MAX_AXIS_VALUES];
    for (unsigned i = 0; i < y->weight_fraction_count; i++)
        vf[i] = lihop_weight_to_volume_fraction(y->weight_fraction[i], rf, rm);
    /* the sweep moves volume_fraction; the weight fraction of a point is recomputed from it */
    if ((st = cfg_add_coord(c, cfg, LIHOP_COORD_VOLUME_FRACTION, 0, "volume_fraction", "1", wf, vf,
                            (int)y->weight_fraction_count)) != LIHOP_OK)
        return st;
    m->by_weight = 1;
    m->weight_fraction = y->weight_fraction[0];
    m->volume_fraction = vf[0];
    return LIHOP_OK;
}

/* A length given as `<key>_m` or `<key>_voxels` (exactly one when `need`), in voxels. */
static lihop_status length_voxels(pctx *c, const lihop_micro_cfg *m, const char *key, const double *in_m,
                                  const double *in_vox, double lo, double hi, int need, double *out)
{
    char pm[PATH_CAP], pv[PATH_CAP];
    snprintf(pm, sizeof pm, "microstructure.%s_m", key);
    snprintf(pv, sizeof pv, "microstructure.%s_voxels", key);
    if (in_m && in_vox)
        return cfg_fail_at(c, pm, "expected one of %s_m or %s_voxels, got both (%s_voxels on line %d)", key, key, key,
                           cfg_line_of(c, pv));
    if (!in_m && !in_vox) {
        if (!need)
            return LIHOP_OK;
        return cfg_fail_line(c, cfg_line_of(c, "microstructure.generator"), pm,
                             "expected a value (generator '%s' needs %s_m or %s_voxels), got nothing",
                             cfg_generator_strings[m->generator].str, key, key);
    }
    double v = in_m ? *in_m / m->voxel_m : *in_vox;
    if (!(v >= lo && v <= hi))
        return cfg_fail_at(c, in_m ? pm : pv, "expected a %s from %g to %g voxels (voxel edge %g m), got %s", key, lo,
                           hi, m->voxel_m, cfg_got(c, in_m ? pm : pv));
    *out = v;
    return LIHOP_OK;
}

/* lognormal_spheres: radius_voxels (sweepable, conv_inclusions) or radius_m,
 * radius_sigma, packing (hard spheres only). */
static lihop_status conv_lognormal(pctx *c, lihop_micro_cfg *m, const y_micro *y)
{
    lihop_status st;
    if ((st = length_voxels(c, m, "radius", y->radius_m, y->radius_voxels, 0.5, 0.5 * box_min(m), 1,
                            &m->radius_voxels)) != LIHOP_OK)
        return st;
    if ((st = cfg_need_range(c, "microstructure.radius_sigma", *y->radius_sigma, 0, 0.0, RADIUS_SIGMA_MAX,
                             "a log-normal shape (sd of ln r)", "")) != LIHOP_OK)
        return st;
    m->radius_sigma = *y->radius_sigma;
    m->packing = y->packing ? (lihop_packing_kind)*y->packing : LIHOP_PACKING_RSA;
    if (y->packing && m->overlap)
        return cfg_fail_at(c, "microstructure.packing",
                           "expected packing only with overlap: false (overlapping spheres are not packed), got '%s'",
                           cfg_got(c, "microstructure.packing"));
    return LIHOP_OK;
}

static lihop_status conv_fibres(pctx *c, lihop_micro_cfg *m, const y_micro *y)
{
    lihop_status st;
    double nmin = box_min(m);
    m->fibre_random = y->orientation ? *y->orientation : 1;
    if (y->axis && m->fibre_random)
        return cfg_fail_at(c, "microstructure.axis", "expected axis only with orientation: aligned, got '%s'",
                           cfg_got(c, "microstructure.axis"));
    if ((st = length_voxels(c, m, "diameter", y->diameter_m, y->diameter_voxels, 1.0, nmin, 1,
                            &m->fibre_diameter_voxels)) != LIHOP_OK)
        return st;
    /* a fibre may not reach its own periodic image: its longest chord below the box */
    double d = m->fibre_diameter_voxels;
    double lmax = m->fibre_random ? sqrt(fmax(nmin * nmin - d * d, 0.0)) : m->n[m->axis];
    if ((st = length_voxels(c, m, "length", y->length_m, y->length_voxels, 1.0, lmax, 1,
                            &m->fibre_length_voxels)) != LIHOP_OK)
        return st;
    return LIHOP_OK;
}

static lihop_status conv_interphase(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    const char *ip = "microstructure.interphase", *it = "microstructure.interphase_thickness_m";
    lihop_status st;
    m->interphase_phase = -1;
    m->interphase_voxels = 0.0;
    if (!y->interphase && !y->interphase_thickness_m)
        return LIHOP_OK;
    if (!y->interphase || !y->interphase_thickness_m)
        return cfg_fail_at(c, y->interphase ? ip : it, "expected interphase and interphase_thickness_m together, got only %s",
                           y->interphase ? "interphase" : "interphase_thickness_m");
    if ((st = cfg_need_phase(c, cfg, ip, y->interphase, &m->interphase_phase)) != LIHOP_OK)
        return st;
    if (m->interphase_phase == m->matrix_phase || m->interphase_phase == m->filler_phase)
        return cfg_fail_at(c, ip, "expected a phase other than the matrix and the filler, got '%s'", y->interphase);
    double t = *y->interphase_thickness_m / m->voxel_m;
    if (!(t >= 1.0 && t <= 0.5 * box_min(m)))
        return cfg_fail_at(c, it, "expected a thickness from one voxel edge (%g m) to half the smallest box edge "
                                  "(%g m), got %s", m->voxel_m, 0.5 * box_min(m) * m->voxel_m, cfg_got(c, it));
    m->interphase_voxels = t;
    return LIHOP_OK;
}

lihop_status cfg_conv_gen_b(pctx *c, lihop_config *cfg, const y_top *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    const y_micro *ym = y->microstructure;
    lihop_status st;
    m->radius_sigma = 0.0;
    m->packing = LIHOP_PACKING_RSA;
    if ((st = conv_densities(c, cfg, y)) != LIHOP_OK || (st = conv_weight_fraction(c, cfg, ym)) != LIHOP_OK ||
        (st = conv_interphase(c, cfg, ym)) != LIHOP_OK)
        return st;
    if (m->generator == LIHOP_GEN_LOGNORMAL_SPHERES)
        return conv_lognormal(c, m, ym);
    if (m->generator == LIHOP_GEN_FIBRES)
        return conv_fibres(c, m, ym);
    return LIHOP_OK;
}
