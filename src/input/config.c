/* config.c - read a lihop input deck (YAML) into lihop_config, in SI units.
 *
 * Three passes over the same text:
 *   1. libyaml builds a document: syntax errors, and the key path -> line map
 *      every later message uses (yaml_locate.c).
 *   2. The document is walked against the libcyaml schema (config_schema.c): unknown or
 *      repeated keys, missing required keys, wrong kinds of value and scalars
 *      that are not strictly an integer / number / boolean / enum value.  This
 *      pass exists because libcyaml 1.3.1 is lax (it loads "seed: -1" as
 *      2^64-1, "charge: 1.5" as 1 and "overlap: maybe" as true) and its own
 *      line numbers point at whatever event it was reading.
 *   3. libcyaml loads the intermediate y_* structs, which are converted to SI
 *      and checked for ranges and cross references (config_voxel.c,
 *      config_garnet.c, with the shared checks in config_checks.c).
 * The deck's `model:` picks the schema (cfg_top_schema for voxel, cfg_gtop_schema for
 * garnet).  A garnet deck's material file goes through the same three passes
 * against cfg_material_schema, with its own file name and lines in messages; its
 * values are applied first, then the deck's (per pair / per sublattice for
 * E_kra_eV and site_energy_eV), and sublattice names are checked against the
 * lattice file, which is loaded here (lihop_lattice_spec_load).
 * The library never prints: libcyaml's log goes through capture_log()
 * (config_schema.c).  This file: parse / load / destroy and the sweep point API. */
#include "config_impl.h"

#define MAX_CONFIG_BYTES (16u << 20)

static lihop_status parse_into(lihop_config *cfg, const char *name, lihop_err *err)
{
    pctx c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.err = err;
    /* The model decides the schema: peek at it in a document of the text. */
    int garnet = 0;
    lihop_sweep_node sw[LIHOP_MAX_SWEEP_NODES];
    {
        yaml_document_t peek;
        lihop_status pst = lihop_yaml_doc_load(&peek, cfg->text, strlen(cfg->text), name, err);
        if (pst != LIHOP_OK)
            return pst;
        yaml_node_t *mn = lihop_yaml_lookup(&peek, "model", NULL);
        garnet = mn && mn->type == YAML_SCALAR_NODE && strcmp((const char *)mn->data.scalar.value, "garnet") == 0;
        int known = mn && mn->type == YAML_SCALAR_NODE &&
                    (garnet || strcmp((const char *)mn->data.scalar.value, "voxel") == 0);
        lihop_status kst = known ? cfg_model_keys(&c, &peek, garnet) : LIHOP_OK;
        c.nsw = lihop_sweep_nodes(&peek, garnet, sw, LIHOP_MAX_SWEEP_NODES);
        c.sw = sw;
        yaml_document_delete(&peek);
        if (kst != LIHOP_OK)
            return kst;
    }
    /* Sweepable scalars become one-element lists for the schema (sweep_keys.h). */
    char *wrapped = lihop_sweep_wrap(cfg->text, sw, c.nsw);
    cfg->fixed_text = lihop_sweep_mask(cfg->text, sw, c.nsw);
    if (!wrapped || !cfg->fixed_text) {
        free(wrapped);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", name);
    }
    const cyaml_schema_value_t *schema = garnet ? &cfg_gtop_schema : &cfg_top_schema;
    void *y = NULL;
    lihop_status st = cfg_check_load(&c, wrapped, schema, &y);
    if (st == LIHOP_OK)
        st = garnet ? cfg_convert_garnet(&c, (const y_gtop *)y, cfg) : cfg_convert_voxel(&c, (const y_top *)y, cfg);
    cfg_free_loaded(schema, y);
    if (c.have_doc)
        yaml_document_delete(&c.doc);
    free(wrapped);
    return st;
}

/* Takes ownership of `text` (malloc'd, NUL-terminated). */
static lihop_status config_from_text(char *text, const char *name, lihop_config **out, lihop_err *err)
{
    lihop_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        free(text);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", name);
    }
    cfg->text = text;
    snprintf(cfg->path, sizeof cfg->path, "%s", name);
    lihop_status st = parse_into(cfg, name, err);
    if (st != LIHOP_OK) {
        lihop_config_destroy(cfg);
        return st;
    }
    cfg->point_key = lihop_config_point_key(cfg, cfg->temperature_K[0], 0);
    *out = cfg;
    return LIHOP_OK;
}

lihop_status lihop_config_parse(const char *text, const char *name, lihop_config **out, lihop_err *err)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_config_parse: text and out must not be NULL");
    if (!name)
        name = "<builtin>";
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", name);
    memcpy(copy, text, len + 1);
    return config_from_text(copy, name, out, err);
}

/* The whole file as a NUL-terminated malloc'd string (no NUL bytes inside). */
lihop_status cfg_read_text(const char *path, char **out, lihop_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            if (cap >= MAX_CONFIG_BYTES) {
                free(buf);
                fclose(f);
                return lihop_fail(err, LIHOP_ERR_INPUT, "%s: expected a config file under %u MiB, got a larger one",
                                  path, MAX_CONFIG_BYTES >> 20);
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - 1 - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (!buf) {
        fclose(f);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory", path);
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(buf);
        return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot read: %s", path, strerror(saved));
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        int line = 1;
        for (size_t i = 0; buf[i]; i++)
            line += buf[i] == '\n';
        free(buf);
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s:%d: expected YAML text, got a NUL byte", path, line);
    }
    *out = buf;
    return LIHOP_OK;
}

lihop_status lihop_config_load(const char *path, lihop_config **out, lihop_err *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return lihop_fail(err, LIHOP_ERR_INPUT, "lihop_config_load: path and out must not be NULL");
    if (strlen(path) >= LIHOP_PATH_LEN)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%.64s...: expected a path shorter than %d characters",
                          path, LIHOP_PATH_LEN);
    char *buf = NULL;
    lihop_status st = cfg_read_text(path, &buf, err);
    if (st != LIHOP_OK)
        return st;
    return config_from_text(buf, path, out, err);
}

void lihop_config_destroy(lihop_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->text);
    free(cfg->fixed_text);
    free(cfg->points_value);
    free(cfg->garnet.material_text);
    free(cfg->garnet.lattice_text);
    for (int i = 0; i < LIHOP_MAX_PHASES; i++)
        free(cfg->phases[i].material_text);
    free(cfg);
}

double lihop_config_coord_value(const lihop_config *cfg, int c, double T_K, int li_index)
{
    const lihop_coord *x = &cfg->coords[c];
    switch (x->kind) {
    case LIHOP_COORD_SEED: return (double)cfg->seed;
    case LIHOP_COORD_VOLUME_FRACTION: return cfg->micro.volume_fraction;
    case LIHOP_COORD_RADIUS: return cfg->micro.radius_voxels;
    case LIHOP_COORD_ASR: return cfg->interfaces[x->target].asr_ohm_m2;
    case LIHOP_COORD_FIELD_X:
    case LIHOP_COORD_FIELD_Y:
    case LIHOP_COORD_FIELD_Z:
        return (cfg->model == LIHOP_MODEL_GARNET ? cfg->garnet.field_V_m : cfg->field_V_m)[x->kind - LIHOP_COORD_FIELD_X];
    case LIHOP_COORD_LI_PER_FU: return cfg->garnet.li_per_fu[li_index];
    case LIHOP_COORD_LI_PER_CELL: return cfg->garnet.li_per_cell[li_index];
    case LIHOP_COORD_TEMPERATURE: return T_K;
    case LIHOP_COORD_SC_PHI0: return cfg->space_charge[x->target].phi0_V;
    case LIHOP_COORD_SC_LENGTH: return cfg->space_charge[x->target].length_m;
    }
    return NAN;
}

uint32_t lihop_config_point_key(const lihop_config *cfg, double T_K, int li_index)
{
    const char *names[LIHOP_MAX_COORDS];
    double values[LIHOP_MAX_COORDS];
    int n = 0;
    for (int c = 0; c < cfg->ncoords; c++) {
        if (cfg->coords[c].kind == LIHOP_COORD_SEED)
            continue;
        names[n] = cfg->coords[c].name;
        values[n++] = lihop_config_coord_value(cfg, c, T_K, li_index);
    }
    return lihop_point_key(n, names, values);
}

/* ln X linear in 1/T on the segment around T (the end ones beyond the table):
 * exact at the points, Arrhenius between neighbours. */
static double table_eval(const lihop_tlaw *law, double T)
{
    if (!(T > 0.0) || law->ntab < 2)
        return 0.0;
    int i = 1;
    while (i < law->ntab - 1 && T > law->tab_T_K[i])
        i++;
    double x0 = 1.0 / law->tab_T_K[i - 1], x1 = 1.0 / law->tab_T_K[i], w = (1.0 / T - x0) / (x1 - x0);
    return exp(law->tab_ln_X[i - 1] + w * (law->tab_ln_X[i] - law->tab_ln_X[i - 1]));
}

double lihop_tlaw_eval(const lihop_tlaw *law, double T)
{
    switch (law->law) {
    case LIHOP_LAW_CONSTANT:
        return law->prefactor;
    case LIHOP_LAW_ARRHENIUS:
        if (!(T > 0.0))
            return 0.0;
        return law->prefactor * exp(-law->ea_eV / (LIHOP_KB_EV * T));
    case LIHOP_LAW_VTF:
        /* Below T0 the VTF liquid is frozen: no transport rather than a negative exponent. */
        if (!(T > law->vtf_T0_K))
            return 0.0;
        return law->prefactor * exp(-law->vtf_B_K / (T - law->vtf_T0_K));
    case LIHOP_LAW_TABLE:
        return table_eval(law, T);
    }
    return 0.0;
}
