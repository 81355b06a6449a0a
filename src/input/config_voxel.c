/* config_voxel.c - pass 3 for voxel decks: phases, interfaces, the
 * microstructure, the run, and the checks that bound a run's cost. */
#include "config_impl.h"

static lihop_status conv_tlaw(pctx *c, const lihop_config *cfg, const y_tlaw *y,
                              const char *path, double (*to_si)(double), lihop_tlaw *out)
{
    static const char *const law_keys[] = {"law, prefactor", "law, prefactor, Ea_eV",
                                           "law, prefactor, B_K, T0_K"};
    const struct {
        const char *key;
        const double *v;
        int law;
        double max;
        const char *what, *unit;
    } extra[] = {{"Ea_eV", y->ea_eV, LIHOP_LAW_ARRHENIUS, EA_MAX_EV, "an activation energy", "eV"},
                 {"B_K", y->B_K, LIHOP_LAW_VTF, VTF_B_MAX_K, "a VTF pseudo-activation", "K"},
                 {"T0_K", y->T0_K, LIHOP_LAW_VTF, T_MAX_K, "a VTF temperature", "K"}};
    int is_d = to_si == cm2_s_to_si;
    lihop_status st;
    const char *law = cfg_law_strings[y->law].str;
    char p[PATH_CAP + 32];   /* room for path plus the longest law key */
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        snprintf(p, sizeof p, "%s.%s", path, extra[i].key);
        if (extra[i].v && extra[i].law != y->law)
            return cfg_fail_at(c, p, "expected only the keys of law '%s' (%s), got '%s'", law,
                               law_keys[y->law], extra[i].key);
        if (!extra[i].v && extra[i].law == y->law) {
            char lp[PATH_CAP + 32];
            snprintf(lp, sizeof lp, "%s.law", path);
            return cfg_fail_line(c, cfg_line_of(c, lp), p, "expected a value (law '%s' needs %s), got nothing",
                                 law, law_keys[y->law]);
        }
        if (extra[i].v && (st = cfg_need_range(c, p, *extra[i].v, 0, 0.0, extra[i].max, extra[i].what,
                                            extra[i].unit)) != LIHOP_OK)
            return st;
    }
    snprintf(p, sizeof p, "%s.prefactor", path);
    if ((st = cfg_need_range(c, p, y->prefactor, 1, 0.0, is_d ? D_PREF_MAX_CM2_S : SIGMA_PREF_MAX_S_CM,
                             "a prefactor", is_d ? "cm^2/s" : "S/cm")) != LIHOP_OK)
        return st;
    out->law = (lihop_law_kind)y->law;
    out->prefactor = to_si(y->prefactor);
    out->ea_eV = y->ea_eV ? *y->ea_eV : 0.0;
    out->vtf_B_K = y->B_K ? *y->B_K : 0.0;
    out->vtf_T0_K = y->T0_K ? *y->T0_K : 0.0;
    if (out->law == LIHOP_LAW_VTF) {
        for (int t = 0; t < cfg->ntemps; t++) {
            if (!(cfg->temperature_K[t] > out->vtf_T0_K)) {
                snprintf(p, sizeof p, "%s.T0_K", path);
                return cfg_fail_at(c, p,
                                   "expected T0_K below every temperature (temperature_K[%d] is %g K), got %s",
                                   t, cfg->temperature_K[t], cfg_got(c, p));
            }
        }
    }
    return LIHOP_OK;
}

lihop_status cfg_conv_phase(pctx *c, lihop_config *cfg, int i, const y_phase *y, const char *pre)
{
    lihop_phase_cfg *ph = &cfg->phases[i];
    char p[PATH_CAP / 2], q[PATH_CAP];
    lihop_status st;
    if (y->sigma_total_S_cm) {
        snprintf(p, sizeof p, "%ssigma_total_S_cm", pre);
        st = conv_tlaw(c, cfg, y->sigma_total_S_cm, p, s_cm_to_si, &ph->sigma_total);
        if (st != LIHOP_OK)
            return st;
        ph->has_sigma_total = 1;
    }
    double tsum = 0.0;
    ph->ncarriers = (int)y->carriers_count;
    for (int j = 0; j < ph->ncarriers; j++) {
        const y_carrier *yc = &y->carriers[j];
        lihop_carrier_cfg *cc = &ph->carriers[j];
        snprintf(p, sizeof p, "%scarriers[%d].species", pre, j);
        if ((st = cfg_need_species(c, cfg, p, yc->species, &cc->species)) != LIHOP_OK)
            return st;
        for (int k = 0; k < j; k++)
            if (ph->carriers[k].species == cc->species)
                return cfg_fail_at(c, p, "expected each species once per phase, got '%s' again (also %scarriers[%d])",
                                   yc->species, pre, k);
        snprintf(p, sizeof p, "%scarriers[%d].concentration_mol_L", pre, j);
        if ((st = cfg_need_range(c, p, yc->concentration_mol_L, 1, 0.0, CONC_MAX_MOL_L, "a concentration",
                                 "mol/L")) != LIHOP_OK)
            return st;
        cc->conc_m3 = mol_l_to_si(yc->concentration_mol_L);

        const char *given[3];
        int ngiven = 0;
        if (yc->D_cm2_s)
            given[ngiven++] = "D_cm2_s";
        if (yc->sigma_S_cm)
            given[ngiven++] = "sigma_S_cm";
        if (yc->transference_number)
            given[ngiven++] = "transference_number";
        snprintf(p, sizeof p, "%scarriers[%d]", pre, j);
        if (ngiven == 0)
            return cfg_fail_at(c, p, "expected exactly one of D_cm2_s, sigma_S_cm, transference_number, got none");
        if (ngiven > 1) {
            snprintf(q, sizeof q, "%s.%s", p, given[1]);
            return cfg_fail_at(c, q, "expected exactly one of D_cm2_s, sigma_S_cm, transference_number, got both %s and %s",
                               given[0], given[1]);
        }
        if (yc->D_cm2_s) {
            cc->kind = LIHOP_TRANSPORT_D;
            snprintf(q, sizeof q, "%s.D_cm2_s", p);
            st = conv_tlaw(c, cfg, yc->D_cm2_s, q, cm2_s_to_si, &cc->law);
        } else if (yc->sigma_S_cm) {
            cc->kind = LIHOP_TRANSPORT_SIGMA;
            snprintf(q, sizeof q, "%s.sigma_S_cm", p);
            st = conv_tlaw(c, cfg, yc->sigma_S_cm, q, s_cm_to_si, &cc->law);
        } else {
            cc->kind = LIHOP_TRANSPORT_FRACTION;
            snprintf(q, sizeof q, "%s.transference_number", p);
            double t = *yc->transference_number;
            if (!(t >= 0.0 && t <= 1.0))
                return cfg_fail_at(c, q, "expected a transference number in [0, 1], got %s", cfg_got(c, q));
            if (!ph->has_sigma_total)
                return cfg_fail_at(c, q,
                                   "expected sigma_total_S_cm in phase '%s' (a transference number is a share of it), got none",
                                   ph->name);
            tsum += t;
            if (tsum > 1.0 + 1e-9)
                return cfg_fail_at(c, q,
                                   "expected transference numbers in phase '%s' summing to at most 1, got a sum of %g",
                                   ph->name, tsum);
            cc->transference = t;
            st = LIHOP_OK;
        }
        if (st != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

static lihop_status conv_interfaces(pctx *c, lihop_config *cfg, const y_top *y)
{
    char p[PATH_CAP];
    lihop_status st;
    cfg->ninterfaces = (int)y->interfaces_count;
    for (int k = 0; k < cfg->ninterfaces; k++) {
        const y_iface *yi = &y->interfaces[k];
        lihop_interface_cfg *ic = &cfg->interfaces[k];
        snprintf(p, sizeof p, "interfaces[%d].phases[0]", k);
        if ((st = cfg_need_phase(c, cfg, p, yi->phases[0], &ic->phase_a)) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "interfaces[%d].phases[1]", k);
        if ((st = cfg_need_phase(c, cfg, p, yi->phases[1], &ic->phase_b)) != LIHOP_OK)
            return st;
        if (ic->phase_a == ic->phase_b)
            return cfg_fail_at(c, p, "expected two different phases, got '%s' twice", yi->phases[1]);
        for (int m = 0; m < k; m++) {
            const lihop_interface_cfg *o = &cfg->interfaces[m];
            if ((o->phase_a == ic->phase_a && o->phase_b == ic->phase_b) ||
                (o->phase_a == ic->phase_b && o->phase_b == ic->phase_a)) {
                snprintf(p, sizeof p, "interfaces[%d].phases", k);
                return cfg_fail_at(c, p, "expected each phase pair once, got %s/%s again (also interfaces[%d])",
                                   yi->phases[0], yi->phases[1], m);
            }
        }
        int constant;
        if ((st = cfg_iface_asr(c, cfg, k, yi, &constant)) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "interfaces[%d].asr_ohm_cm2", k);
        if (constant && (st = cfg_check_list(c, p, yi->asr_ohm_cm2, yi->asr_ohm_cm2_count, 0, 0.0, ASR_MAX_OHM_CM2,
                                             "an area-specific resistance", "ohm cm^2")) != LIHOP_OK)
            return st;
        double asr[LIHOP_MAX_AXIS_VALUES];
        for (unsigned i = 0; constant && i < yi->asr_ohm_cm2_count; i++)
            asr[i] = ohm_cm2_to_si(yi->asr_ohm_cm2[i]);
        if (constant)
            ic->asr_ohm_m2 = asr[0];
        char name[64];
        snprintf(name, sizeof name, "asr_ohm_m2_%s_%s", cfg->phases[ic->phase_a].name, cfg->phases[ic->phase_b].name);
        if (constant && (st = cfg_add_coord(c, cfg, LIHOP_COORD_ASR, k, name, "ohm m^2", p, asr,
                                            (int)yi->asr_ohm_cm2_count)) != LIHOP_OK)
            return st;
        if (yi->species_count == 0) {
            ic->species_mask = (1u << cfg->nspecies) - 1u;
        } else {
            ic->species_mask = 0;
            for (unsigned s = 0; s < yi->species_count; s++) {
                int idx;
                snprintf(p, sizeof p, "interfaces[%d].species[%u]", k, s);
                if ((st = cfg_need_species(c, cfg, p, yi->species[s], &idx)) != LIHOP_OK)
                    return st;
                ic->species_mask |= 1u << idx;
            }
        }
    }
    return LIHOP_OK;
}

/* phi0_V and length_m of layer k: every value checked, each a sweep coordinate. */
static lihop_status sc_axes(pctx *c, lihop_config *cfg, int k, const y_vsc *ys)
{
    char p[PATH_CAP], name[64];
    lihop_status st;
    const char *side = cfg->phases[cfg->space_charge[k].side_phase].name;
    if (ys->phi0_V) {
        snprintf(p, sizeof p, "space_charge[%d].phi0_V", k);
        snprintf(name, sizeof name, "sc_phi0_V_%s_%d", side, k);
        if ((st = cfg_check_list(c, p, ys->phi0_V, ys->phi0_V_count, 0, -PHI_MAX_V, PHI_MAX_V, "a potential", "V")) ||
            (st = cfg_add_coord(c, cfg, LIHOP_COORD_SC_PHI0, k, name, "V", p, ys->phi0_V, (int)ys->phi0_V_count)))
            return st;
    }
    if (ys->length_m) {
        snprintf(p, sizeof p, "space_charge[%d].length_m", k);
        snprintf(name, sizeof name, "sc_length_m_%s_%d", side, k);
        if ((st = cfg_check_list(c, p, ys->length_m, ys->length_m_count, 1, 0.0, 1.0, "a length", "m")) ||
            (st = cfg_add_coord(c, cfg, LIHOP_COORD_SC_LENGTH, k, name, "m", p, ys->length_m, (int)ys->length_m_count)))
            return st;
    }
    return LIHOP_OK;
}

/* space_charge[]: a layer inside phases[0] next to its interface with phases[1]. */
static lihop_status conv_space_charge(pctx *c, lihop_config *cfg, const y_top *y)
{
    char p[PATH_CAP], base[PATH_CAP];
    lihop_status st;
    cfg->nspace_charge = (int)y->space_charge_count;
    for (int k = 0; k < cfg->nspace_charge; k++) {
        const y_vsc *ys = &y->space_charge[k];
        lihop_space_charge_cfg *sc = &cfg->space_charge[k];
        for (int i = 0; i < 2; i++) {
            snprintf(p, sizeof p, "space_charge[%d].phases[%d]", k, i);
            if ((st = cfg_need_phase(c, cfg, p, ys->phases[i], i ? &sc->other_phase : &sc->side_phase)) != LIHOP_OK)
                return st;
        }
        if (sc->side_phase == sc->other_phase)
            return cfg_fail_at(c, p, "expected two different phases (the layer's and its neighbour's), got '%s' twice",
                               ys->phases[1]);
        snprintf(base, sizeof base, "space_charge[%d]", k);
        cfg_sc_target t = {&sc->profile, &sc->phi0_V, &sc->length_m, &sc->ntable, sc->table_d_m, sc->table_phi_V};
        if ((st = cfg_conv_sc_profile(c, base, "length_m", "m", ys->profile, ys->phi0_V, ys->length_m, &t)) !=
            LIHOP_OK || (st = sc_axes(c, cfg, k, ys)) != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

/* Which generators use (and need) each optional microstructure key. */
#define G_UNI (1u << LIHOP_GEN_UNIFORM)
#define G_LAM (1u << LIHOP_GEN_LAMINATE)
#define G_SPH (1u << LIHOP_GEN_SPHERES)
#define G_RND (1u << LIHOP_GEN_RANDOM_VOXELS)
#define G_H5 (1u << LIHOP_GEN_HDF5)
#define G_VOR (1u << LIHOP_GEN_VORONOI)
#define G_PIC (1u << LIHOP_GEN_PIC)
#define G_STK (1u << LIHOP_GEN_STACK)
#define G_LOG (1u << LIHOP_GEN_LOGNORMAL_SPHERES)
#define G_FIB (1u << LIHOP_GEN_FIBRES)
#define G_FRAC (G_SPH | G_RND | G_LOG | G_FIB)   /* volume_fraction or weight_fraction: cfg_conv_gen_b */
static const struct {
    const char *key;
    unsigned uses, needs;
} generator_keys[] = {
    {"matrix", G_UNI | G_SPH | G_RND | G_LOG | G_FIB, G_UNI | G_SPH | G_RND | G_LOG | G_FIB},
    {"filler", G_SPH | G_RND | G_LOG | G_FIB, G_SPH | G_RND | G_LOG | G_FIB},
    {"volume_fraction", G_FRAC | G_PIC, G_PIC},
    {"radius_voxels", G_SPH | G_LOG, G_SPH},
    {"overlap", G_SPH | G_LOG, 0},
    {"axis", G_LAM | G_STK | G_FIB, 0},
    {"layers", G_LAM, G_LAM},
    {"file", G_H5, G_H5},
    {"dataset", G_H5, G_H5},
    {"labels", G_H5, G_H5},
    {"grains", G_VOR | G_PIC, 0},
    {"grain_size_m", G_VOR | G_PIC, 0},
    {"gb_thickness_m", G_VOR | G_PIC, 0},
    {"grain", G_VOR | G_PIC, G_VOR | G_PIC},
    {"boundary", G_VOR | G_PIC, 0},
    {"polymer", G_PIC, G_PIC},
    {"slabs", G_STK, G_STK},
    {"weight_fraction", G_FRAC, 0},
    {"radius_m", G_LOG, 0},
    {"radius_sigma", G_LOG, G_LOG},
    {"packing", G_LOG, 0},
    {"diameter_m", G_FIB, 0},
    {"diameter_voxels", G_FIB, 0},
    {"length_m", G_FIB, 0},
    {"length_voxels", G_FIB, 0},
    {"orientation", G_FIB, 0},
    {"interphase", G_SPH | G_LOG | G_FIB, 0},
    {"interphase_thickness_m", G_SPH | G_LOG | G_FIB, 0},
};
#define N_GENERATOR_KEYS (sizeof generator_keys / sizeof generator_keys[0])

static lihop_status check_generator_keys(pctx *c, int gen)
{
    const char *gname = cfg_generator_strings[gen].str;
    char takes[400] = "", needs[200] = "", p[PATH_CAP];
    for (size_t i = 0; i < N_GENERATOR_KEYS; i++) {
        if (generator_keys[i].uses & (1u << gen))
            cfg_join_append(takes, sizeof takes, generator_keys[i].key);
        if (generator_keys[i].needs & (1u << gen))
            cfg_join_append(needs, sizeof needs, generator_keys[i].key);
    }
    for (size_t i = 0; i < N_GENERATOR_KEYS; i++) {
        snprintf(p, sizeof p, "microstructure.%s", generator_keys[i].key);
        int has = cfg_present(c, p);
        if (has && !(generator_keys[i].uses & (1u << gen))) {
            char owners[120] = "";
            for (size_t g = 0; g < CYAML_ARRAY_LEN(cfg_generator_strings); g++)
                if (generator_keys[i].uses & (1u << g))
                    cfg_join_append(owners, sizeof owners, cfg_generator_strings[g].str);
            return cfg_fail_at(c, p,
                               "expected only the keys of generator '%s' (%s%sbox_voxels, voxel_size_m, seed), got '%s', which belongs to generator %s",
                               gname, takes, takes[0] ? ", " : "", generator_keys[i].key, owners);
        }
        if (!has && (generator_keys[i].needs & (1u << gen)))
            return cfg_fail_line(c, cfg_line_of(c, "microstructure.generator"), p,
                                 "expected a value (generator '%s' needs %s), got nothing", gname, needs);
    }
    return LIHOP_OK;
}

/* box_voxels (at most 2^31 voxels) and voxel_size_m. */
static lihop_status conv_box(pctx *c, lihop_micro_cfg *m, const y_micro *y)
{
    char p[PATH_CAP];
    int64_t total = 1;
    for (int a = 0; a < 3; a++) {
        snprintf(p, sizeof p, "microstructure.box_voxels[%d]", a);
        if (y->box_voxels[a] < 1 || y->box_voxels[a] > 4096)
            return cfg_fail_at(c, p, "expected a voxel count from 1 to 4096, got %s", cfg_got(c, p));
        m->n[a] = (int)y->box_voxels[a];
        total *= y->box_voxels[a];
    }
    if (total > (INT64_C(1) << 31))
        return cfg_fail_at(c, "microstructure.box_voxels",
                           "expected at most 2^31 voxels in all, got %d x %d x %d = %" PRId64, m->n[0],
                           m->n[1], m->n[2], total);
    lihop_status st = cfg_need_range(c, "microstructure.voxel_size_m", y->voxel_size_m, 0, VOXEL_MIN_M, VOXEL_MAX_M,
                                     "a voxel edge", "m");
    if (st == LIHOP_OK)
        m->voxel_m = y->voxel_size_m;
    return st;
}

/* matrix, filler, and the sweepable volume_fraction and radius_voxels. */
static lihop_status conv_inclusions(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    lihop_status st;
    m->matrix_phase = m->filler_phase = -1;
    if (y->matrix && (st = cfg_need_phase(c, cfg, "microstructure.matrix", y->matrix, &m->matrix_phase)) != LIHOP_OK)
        return st;
    if (y->filler) {
        if ((st = cfg_need_phase(c, cfg, "microstructure.filler", y->filler, &m->filler_phase)) != LIHOP_OK)
            return st;
        if (m->filler_phase == m->matrix_phase)
            return cfg_fail_at(c, "microstructure.filler",
                               "expected a filler phase other than the matrix, got '%s' for both", y->filler);
    }
    if (y->volume_fraction) {
        const char *vf = "microstructure.volume_fraction";
        if ((st = cfg_check_list(c, vf, y->volume_fraction, y->volume_fraction_count, 0, 0.0, 1.0, "a fraction",
                                 "")) != LIHOP_OK ||
            (st = cfg_add_coord(c, cfg, LIHOP_COORD_VOLUME_FRACTION, 0, "volume_fraction", "1", vf, y->volume_fraction,
                                (int)y->volume_fraction_count)) != LIHOP_OK)
            return st;
        m->volume_fraction = y->volume_fraction[0];
    }
    if (y->radius_voxels) {
        /* at least one voxel per sphere; the periodic box holds at least one sphere */
        const char *rv = "microstructure.radius_voxels";
        int nmin = m->n[0] < m->n[1] ? m->n[0] : m->n[1];
        nmin = nmin < m->n[2] ? nmin : m->n[2];
        if ((st = cfg_check_list(c, rv, y->radius_voxels, y->radius_voxels_count, 0, 0.5, 0.5 * nmin,
                                 "a radius (half the smallest box edge at most)", "voxels")) != LIHOP_OK ||
            (st = cfg_add_coord(c, cfg, LIHOP_COORD_RADIUS, 0, "radius_voxels", "1", rv, y->radius_voxels,
                                (int)y->radius_voxels_count)) != LIHOP_OK)
            return st;
        m->radius_voxels = y->radius_voxels[0];
    }
    return LIHOP_OK;
}

/* laminate layers: fractions in (0, 1] summing to 1. */
static lihop_status conv_layers(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    char p[PATH_CAP];
    lihop_status st;
    m->nlayers = (int)y->layers_count;
    double sum = 0.0;
    for (int l = 0; l < m->nlayers; l++) {
        snprintf(p, sizeof p, "microstructure.layers[%d].phase", l);
        if ((st = cfg_need_phase(c, cfg, p, y->layers[l].phase, &m->layer_phase[l])) != LIHOP_OK)
            return st;
        snprintf(p, sizeof p, "microstructure.layers[%d].fraction", l);
        double f = y->layers[l].fraction;
        if (!(f > 0.0 && f <= 1.0))
            return cfg_fail_at(c, p, "expected a fraction in (0, 1], got %s", cfg_got(c, p));
        m->layer_fraction[l] = f;
        sum += f;
    }
    if (m->nlayers > 0 && fabs(sum - 1.0) > 1e-6)
        return cfg_fail_at(c, "microstructure.layers",
                           "expected layer fractions summing to 1 (within 1e-6), got a sum of %.9g", sum);
    return LIHOP_OK;
}

/* hdf5 label map: each 32-bit label value once, each naming a phase. */
static lihop_status conv_labels(pctx *c, lihop_config *cfg, const y_micro *y)
{
    lihop_micro_cfg *m = &cfg->micro;
    char p[PATH_CAP];
    lihop_status st;
    m->nlabels = (int)y->labels_count;
    for (int l = 0; l < m->nlabels; l++) {
        snprintf(p, sizeof p, "microstructure.labels[%d].value", l);
        int64_t v = y->labels[l].value;
        if (v < INT_MIN || v > INT_MAX)
            return cfg_fail_at(c, p, "expected a label value that fits a 32-bit int, got %s", cfg_got(c, p));
        for (int k = 0; k < l; k++)
            if (m->label_value[k] == (int)v)
                return cfg_fail_at(c, p, "expected each label value once, got %s again (also labels[%d])",
                                   cfg_got(c, p), k);
        m->label_value[l] = (int)v;
        snprintf(p, sizeof p, "microstructure.labels[%d].phase", l);
        if ((st = cfg_need_phase(c, cfg, p, y->labels[l].phase, &m->label_phase[l])) != LIHOP_OK)
            return st;
    }
    return LIHOP_OK;
}

static lihop_status conv_micro(pctx *c, lihop_config *cfg, const y_micro *y, uint64_t seed)
{
    lihop_micro_cfg *m = &cfg->micro;
    lihop_status st;
    if ((st = conv_box(c, m, y)) != LIHOP_OK)
        return st;
    m->generator = (lihop_generator_kind)y->generator;
    if ((st = check_generator_keys(c, y->generator)) != LIHOP_OK ||
        (st = conv_inclusions(c, cfg, y)) != LIHOP_OK)
        return st;
    m->overlap = y->overlap ? (*y->overlap ? 1 : 0) : 1;
    m->axis = y->axis ? *y->axis : 0;
    if ((st = conv_layers(c, cfg, y)) != LIHOP_OK)
        return st;
    if (y->file)
        snprintf(m->h5_file, sizeof m->h5_file, "%s", y->file);
    if (y->dataset)
        snprintf(m->h5_dataset, sizeof m->h5_dataset, "%s", y->dataset);
    if ((st = conv_labels(c, cfg, y)) != LIHOP_OK)
        return st;
    m->seed = y->seed ? *y->seed : seed;
    m->seed_given = y->seed != NULL;
    return cfg_conv_micro_gen(c, cfg, y);
}

static lihop_status conv_run(pctx *c, lihop_config *cfg, const y_run *y)
{
    lihop_run_cfg *r = &cfg->run;
    if (y->hops_per_walker && y->time_s)
        return cfg_fail_at(c, "run.time_s",
                           "expected exactly one of hops_per_walker or time_s, got both (hops_per_walker on line %d)",
                           cfg_line_of(c, "run.hops_per_walker"));
    if (!y->hops_per_walker && !y->time_s)
        return cfg_fail_at(c, "run", "expected exactly one of hops_per_walker or time_s, got neither");
    if (y->hops_per_walker && !(*y->hops_per_walker > 0.0))
        return cfg_fail_at(c, "run.hops_per_walker", "expected a number of hops > 0, got %s",
                           cfg_got(c, "run.hops_per_walker"));
    if (y->time_s && !(*y->time_s > 0.0))
        return cfg_fail_at(c, "run.time_s", "expected a time > 0 s, got %s", cfg_got(c, "run.time_s"));
    r->hops_per_walker = y->hops_per_walker ? *y->hops_per_walker : 0.0;
    r->time_s = y->time_s ? *y->time_s : 0.0;
    int64_t samples = y->samples ? *y->samples : 20;
    if (samples < 2 || samples > LIHOP_MAX_SAMPLES)
        return cfg_fail_at(c, "run.samples", "expected from 2 to %d samples, got %s", LIHOP_MAX_SAMPLES,
                           cfg_got(c, "run.samples"));
    int64_t batches = y->batches ? *y->batches : 10;
    if (batches < 2 || batches > 1000)
        return cfg_fail_at(c, "run.batches", "expected from 2 to 1000 batches, got %s", cfg_got(c, "run.batches"));
    if (y->walkers < (uint64_t)batches)
        return cfg_fail_at(c, "run.walkers", "expected at least as many walkers as batches (%d), got %s",
                           (int)batches, cfg_got(c, "run.walkers"));
    if (y->walkers > 0x7fffffffull)   /* LIHOP_MAX_WALKERS: walker ids index 31-bit random streams */
        return cfg_fail_at(c, "run.walkers", "expected at most 2147483647 walkers per species, got %s",
                           cfg_got(c, "run.walkers"));
    r->samples = (int)samples;
    r->batches = (int)batches;
    r->walkers = y->walkers;
    int64_t ext = y->max_extensions ? *y->max_extensions : LIHOP_VOXEL_DEFAULT_EXTENSIONS;
    if (ext < 0 || ext > LIHOP_VOXEL_MAX_EXTENSIONS)
        return cfg_fail_at(c, "run.max_extensions", "expected from 0 to %d doublings of the run time, got %s",
                           LIHOP_VOXEL_MAX_EXTENSIONS, cfg_got(c, "run.max_extensions"));
    r->max_extensions = (int)ext;
    r->exact_reference = y->exact_reference ? *y->exact_reference : 1;
    return LIHOP_OK;
}

/* Largest bulk hop rate 6 D / h^2 (1/s) of species s at T over the phases that
 * carry it: the voxel model's rate inside a phase (voxel_model.c).  The mean
 * hop rate of a walker is at most this (up to 2x next to a faster phase), so
 * time_s x this bounds the mean hops per walker from above. */
static double voxel_max_rate(const lihop_config *cfg, int s, double T)
{
    double z = cfg->species[s].charge, h = cfg->micro.voxel_m, kmax = 0.0;
    double kT_qq = LIHOP_KB * T / (z * z * LIHOP_E * LIHOP_E);      /* D = sigma kT / (z^2 e^2 rho) */
    for (int p = 0; p < cfg->nphases; p++)
        for (int j = 0; j < cfg->phases[p].ncarriers; j++) {
            const lihop_carrier_cfg *cc = &cfg->phases[p].carriers[j];
            if (cc->species != s)
                continue;
            double D = cc->kind == LIHOP_TRANSPORT_D ? lihop_tlaw_eval(&cc->law, T)
                       : cc->kind == LIHOP_TRANSPORT_SIGMA
                           ? lihop_tlaw_eval(&cc->law, T) * kT_qq / cc->conc_m3
                           : cc->transference * lihop_tlaw_eval(&cfg->phases[p].sigma_total, T) * kT_qq / cc->conc_m3;
            kmax = fmax(kmax, 6.0 * D / (h * h));
        }
    return kmax;
}

/* Run length of a voxel deck: at least MIN_HOPS mean hops per walker (else the
 * MSD is not diffusive and sigma comes out as noise or 0) and at most
 * MAX_HOPS_PER_POINT hops per sweep point (else the run never ends). */
static lihop_status check_voxel_length(pctx *c, const lihop_config *cfg)
{
    const lihop_run_cfg *r = &cfg->run;
    double nw = (double)r->walkers;
    if (r->hops_per_walker > 0.0) {
        double cap = MAX_HOPS_PER_POINT / (nw * cfg->nspecies);
        if (!(r->hops_per_walker >= MIN_HOPS && r->hops_per_walker <= cap))
            return cfg_fail_at(c, "run.hops_per_walker",
                               "expected from %g to %.3g hops per walker (at most %g hops per point over %" PRIu64
                               " walkers x %d species), got %s", MIN_HOPS, cap, MAX_HOPS_PER_POINT, r->walkers,
                               cfg->nspecies, cfg_got(c, "run.hops_per_walker"));
        return LIHOP_OK;
    }
    for (int t = 0; t < cfg->ntemps; t++) {
        double T = cfg->temperature_K[t], total = 0.0;
        for (int s = 0; s < cfg->nspecies; s++) {
            double k = voxel_max_rate(cfg, s, T), hops = r->time_s * k;
            if (!(hops >= MIN_HOPS))
                return cfg_fail_at(c, "run.time_s",
                                   "expected a time that gives at least %g hops per walker (species '%s' at %g K hops "
                                   "at most %.3g times per second, so time_s >= %.3g s), got %s", MIN_HOPS,
                                   cfg->species[s].name, T, k, MIN_HOPS / k, cfg_got(c, "run.time_s"));
            total += nw * hops;
        }
        if (!(total <= MAX_HOPS_PER_POINT))
            return cfg_fail_at(c, "run.time_s",
                               "expected at most %g hops per point (estimated %.3g at %g K from the fastest phase; "
                               "time_s <= %.3g s), got %s", MAX_HOPS_PER_POINT, total, T,
                               r->time_s * MAX_HOPS_PER_POINT / total, cfg_got(c, "run.time_s"));
    }
    return LIHOP_OK;
}

static lihop_status check_voxel_field(pctx *c, const lihop_config *cfg)
{
    int zmax = 0;
    for (int s = 0; s < cfg->nspecies; s++)
        zmax = abs(cfg->species[s].charge) > zmax ? abs(cfg->species[s].charge) : zmax;
    char p[PATH_CAP];
    double E[3];
    for (int i = 0; cfg_field_at(cfg, i, E); i++)     /* every field of the axis */
        for (int a = 0; a < 3; a++) {
            if (cfg_coord_swept(cfg, LIHOP_COORD_FIELD_X))
                snprintf(p, sizeof p, "field_V_m[%d][%d]", i, a);
            else
                snprintf(p, sizeof p, "field_V_m[%d]", a);
            lihop_status st = cfg_check_field(c, cfg, p, E[a], cfg->micro.voxel_m, zmax, "voxel edge");
            if (st != LIHOP_OK)
                return st;
        }
    return LIHOP_OK;
}

/* species, phases and their carriers, transference_species. */
static lihop_status conv_species_phases(pctx *c, lihop_config *cfg, const y_top *y)
{
    char p[PATH_CAP];
    lihop_status st;
    cfg->nspecies = (int)y->species_count;
    for (int s = 0; s < cfg->nspecies; s++) {
        snprintf(p, sizeof p, "species[%d].name", s);
        if (cfg_species_index(cfg, y->species[s].name) >= 0 && cfg_species_index(cfg, y->species[s].name) < s)
            return cfg_fail_at(c, p, "expected a unique species name, got '%s' again", y->species[s].name);
        snprintf(cfg->species[s].name, LIHOP_NAME_LEN, "%s", y->species[s].name);
        snprintf(p, sizeof p, "species[%d].charge", s);
        int64_t z = y->species[s].charge;
        if (z == 0 || z < -8 || z > 8)
            return cfg_fail_at(c, p, "expected a non-zero integer charge from -8 to 8 (units of e), got %s",
                               cfg_got(c, p));
        cfg->species[s].charge = (int)z;
    }

    cfg->nphases = 0;
    for (unsigned i = 0; i < y->phases_count; i++) {
        snprintf(p, sizeof p, "phases[%u].name", i);
        if (cfg_phase_index(cfg, y->phases[i].name) >= 0)
            return cfg_fail_at(c, p, "expected a unique phase name, got '%s' again", y->phases[i].name);
        snprintf(cfg->phases[i].name, LIHOP_NAME_LEN, "%s", y->phases[i].name);
        cfg->nphases = (int)i + 1;
    }
    for (int i = 0; i < cfg->nphases; i++) {
        snprintf(p, sizeof p, "phases[%d].", i);
        st = y->phases[i].from_garnet ? cfg_phase_from_garnet(c, cfg, i, &y->phases[i])
             : y->phases[i].material  ? cfg_phase_material(c, cfg, i, &y->phases[i])
                                      : cfg_conv_phase(c, cfg, i, &y->phases[i], p);
        if (st != LIHOP_OK)
            return st;
    }

    for (int s = 0; s < cfg->nspecies; s++) {
        int carried = 0;
        for (int i = 0; i < cfg->nphases && !carried; i++)
            for (int j = 0; j < cfg->phases[i].ncarriers; j++)
                carried |= cfg->phases[i].carriers[j].species == s;
        if (!carried) {
            snprintf(p, sizeof p, "species[%d].name", s);
            return cfg_fail_at(c, p, "expected a species that some phase carries, got '%s', which no phase lists under carriers",
                               cfg->species[s].name);
        }
    }

    if (y->transference_species) {
        if ((st = cfg_need_species(c, cfg, "transference_species", y->transference_species,
                                   &cfg->transference_species)) != LIHOP_OK)
            return st;
    } else {
        /* Li by name first: t+ means the Li+ transference number in this field. */
        int pick = cfg_species_index(cfg, "li");
        if (pick < 0)
            pick = cfg_species_index(cfg, "Li");
        for (int s = 0; s < cfg->nspecies && pick < 0; s++)
            if (cfg->species[s].charge > 0)
                pick = s;
        cfg->transference_species = pick < 0 ? 0 : pick;
    }

    return LIHOP_OK;
}

lihop_status cfg_convert_voxel(pctx *c, const y_top *y, lihop_config *cfg)
{
    lihop_status st;
    cfg->model = (lihop_model_kind)y->model;
    cfg->backend = y->backend ? (lihop_backend_kind)*y->backend : LIHOP_BACKEND_AUTO;
    cfg->seed = y->seed ? y->seed[0] : 1;

    if ((st = cfg_conv_temperatures(c, cfg, y->temperature_K, y->temperature_K_count)) != LIHOP_OK)
        return st;

    if ((st = conv_species_phases(c, cfg, y)) != LIHOP_OK)
        return st;

    if ((st = conv_interfaces(c, cfg, y)) != LIHOP_OK || (st = conv_space_charge(c, cfg, y)) != LIHOP_OK)
        return st;
    if ((st = conv_micro(c, cfg, y->microstructure, cfg->seed)) != LIHOP_OK)
        return st;
    if ((st = cfg_conv_gen_b(c, cfg, y)) != LIHOP_OK)
        return st;
    double fv[LIHOP_MAX_AXIS_VALUES][3];
    int nf;
    if ((st = cfg_field_vectors(c, cfg, "field_V_m", fv, &nf)) != LIHOP_OK)
        return st;
    if (nf)
        memcpy(cfg->field_V_m, fv[0], sizeof cfg->field_V_m);
    if ((st = check_voxel_field(c, cfg)) != LIHOP_OK || (st = conv_run(c, cfg, y->run)) != LIHOP_OK ||
        (st = check_voxel_length(c, cfg)) != LIHOP_OK ||
        (st = cfg_seed_and_temperature_coords(c, cfg, y->seed, y->seed_count)) != LIHOP_OK || !y->points)
        return st;
    /* a points: table brings its own temperatures: the checks that use them again */
    if ((st = cfg_points_apply(c, cfg, y->points, y->points_count)) != LIHOP_OK ||
        (st = check_voxel_field(c, cfg)) != LIHOP_OK)
        return st;
    return check_voxel_length(c, cfg);
}
