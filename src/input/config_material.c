/* config_material.c - phases[].material in voxel decks: a phase's transport
 * (sigma_total_S_cm, carriers, density_g_cm3) read from its own YAML file, with
 * the required provenance (name, source) and optional documentation keys
 * (README "Material files (voxel)").  The file goes through the same three
 * passes as a deck (cfg_load_side_file), so its errors name that file, its line
 * and the key path inside it; the deck's `name` always names the phase. */
#include "config_impl.h"

lihop_status cfg_phase_exclusive(pctx *c, int i, const char *owner, const char *const *keys, size_t n)
{
    char p[PATH_CAP], op[PATH_CAP];
    snprintf(op, sizeof op, "phases[%d].%s", i, owner);
    for (size_t k = 0; k < n; k++) {
        snprintf(p, sizeof p, "phases[%d].%s", i, keys[k]);
        if (cfg_present(c, p))
            return cfg_fail_at(c, p, "expected either %s or %s, got both (%s on line %d)", owner, keys[k], owner,
                               cfg_line_of(c, op));
    }
    return LIHOP_OK;
}

/* A phase gives material: or its own transport, never both: with both, which
 * one the run used would be a guess. */
static lihop_status check_exclusive(pctx *c, int i)
{
    static const char *const keys[] = {"sigma_total_S_cm", "carriers", "density_g_cm3"};
    return cfg_phase_exclusive(c, i, "material", keys, sizeof keys / sizeof keys[0]);
}

/* Density and the documentation keys of the file (m), range-checked. */
static lihop_status material_numbers(pctx *m, lihop_config *cfg, int i, const y_phase *ym)
{
    lihop_status st;
    if (ym->melting_K &&
        (st = cfg_need_range(m, "melting_K", *ym->melting_K, 0, T_MIN_K, T_MAX_K, "a melting point", "K")) !=
            LIHOP_OK)
        return st;
    if (ym->crystalline_sigma_298K_S_cm &&
        (st = cfg_need_range(m, "crystalline_sigma_298K_S_cm", *ym->crystalline_sigma_298K_S_cm, 1, 0.0,
                             SIGMA_PREF_MAX_S_CM, "a conductivity", "S/cm")) != LIHOP_OK)
        return st;
    cfg->micro.density_kg_m3[i] = 0.0;
    if (!ym->density_g_cm3)
        return LIHOP_OK;
    if ((st = cfg_need_range(m, "density_g_cm3", *ym->density_g_cm3, 1, 0.0, DENSITY_MAX_G_CM3, "a density",
                             "g/cm^3")) != LIHOP_OK)
        return st;
    cfg->micro.density_kg_m3[i] = *ym->density_g_cm3 * 1000.0;
    return LIHOP_OK;
}

/* "... (the material of phases[i] 'NAME' in DECK:LINE)" after a message from
 * inside the file: one file may serve several phases and decks. */
static void add_context(pctx *c, const lihop_phase_cfg *ph, int i)
{
    char *msg = c->err->msg;
    size_t n = strlen(msg), lp = strlen(ph->material_path);
    char mp[PATH_CAP];
    snprintf(mp, sizeof mp, "phases[%d].material", i);
    if (lp == 0 || strncmp(msg, ph->material_path, lp) != 0 || msg[lp] != ':')
        return;
    snprintf(msg + n, sizeof c->err->msg - n, " (the material of phases[%d] '%s', %s:%d)", i, ph->name, c->name,
             cfg_line_of(c, mp));
}

lihop_status cfg_phase_material(pctx *c, lihop_config *cfg, int i, const y_phase *y)
{
    lihop_phase_cfg *ph = &cfg->phases[i];
    char key[PATH_CAP];
    snprintf(key, sizeof key, "phases[%d].material", i);
    lihop_status st = check_exclusive(c, i);
    if (st != LIHOP_OK)
        return st;
    pctx m;
    memset(&m, 0, sizeof m);
    m.err = c->err;
    y_phase *ym = NULL;
    st = cfg_load_side_file(c, key, y->material, "phase material file", &m, ph->material_path,
                            sizeof ph->material_path, &ph->material_text, &cfg_phase_material_schema,
                            (void **)&ym);
    if (st == LIHOP_OK) {
        snprintf(ph->material_name, sizeof ph->material_name, "%s", ym->name);
        snprintf(ph->material_source, sizeof ph->material_source, "%s", ym->source);
        st = material_numbers(&m, cfg, i, ym);
    }
    if (st == LIHOP_OK)
        st = cfg_conv_phase(&m, cfg, i, ym, "");
    if (st != LIHOP_OK)
        add_context(c, ph, i);
    cfg_free_loaded(&cfg_phase_material_schema, ym);
    if (m.have_doc)
        yaml_document_delete(&m.doc);
    return st;
}
