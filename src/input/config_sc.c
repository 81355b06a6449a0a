/* config_sc.c - a space-charge potential profile as the decks give it (the
 * garnet bicrystal's `space_charge:` and each voxel `space_charge[]` entry):
 * profile gouy_chapman | mott_schottky | table, with only that profile's keys. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "config_impl.h"

/* Which keys each profile takes (bit masks over lihop_sc_profile); index 1 is the length key. */
static const unsigned sc_uses[3] = {
    (1u << LIHOP_SC_GOUY_CHAPMAN) | (1u << LIHOP_SC_MOTT_SCHOTTKY),   /* phi0_V */
    (1u << LIHOP_SC_GOUY_CHAPMAN) | (1u << LIHOP_SC_MOTT_SCHOTTKY),   /* length */
    1u << LIHOP_SC_TABLE,                                             /* table */
};

/* Every key the profile needs is there and no other. */
static lihop_status sc_check_keys(pctx *c, const char *base, const char *length_key, int profile)
{
    const char *keys[3] = {"phi0_V", length_key, "table"};
    char p[PATH_CAP], takes[120] = "";
    const char *pname = cfg_profile_strings[profile].str;
    for (int i = 0; i < 3; i++)
        if (sc_uses[i] & (1u << profile)) cfg_join_append(takes, sizeof takes, keys[i]);
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s.%s", base, keys[i]);
        int has = cfg_present(c, p), uses = (sc_uses[i] >> profile) & 1u;
        if (has && !uses)
            return cfg_fail_at(c, p, "expected only the keys of profile '%s' (profile%s%s), got '%s'", pname,
                               takes[0] ? ", " : "", takes, keys[i]);
        if (!has && uses) {
            char lp[PATH_CAP];
            snprintf(lp, sizeof lp, "%s.profile", base);
            return cfg_fail_line(c, cfg_line_of(c, lp), p, "expected a value (profile '%s' needs %s), got nothing",
                                 pname, takes);
        }
    }
    return LIHOP_OK;
}

/* The `table` rows [distance, potential]: distances >= 0, increasing. */
static lihop_status sc_table(pctx *c, const char *base, const char *unit, double scale, cfg_sc_target *t)
{
    char p[PATH_CAP];
    snprintf(p, sizeof p, "%s.table", base);
    yaml_node_t *tn = lihop_yaml_lookup(&c->doc, p, NULL);
    *t->ntable = tn && tn->type == YAML_SEQUENCE_NODE
                     ? (int)(tn->data.sequence.items.top - tn->data.sequence.items.start) : 0;
    lihop_status st;
    for (int i = 0; i < *t->ntable && i < LIHOP_MAX_SC_TABLE; i++) {
        double v[2];
        for (int k = 0; k < 2; k++) {
            snprintf(p, sizeof p, "%s.table[%d][%d]", base, i, k);
            yaml_node_t *x = lihop_yaml_lookup(&c->doc, p, NULL);
            v[k] = x && x->type == YAML_SCALAR_NODE ? strtod((const char *)x->data.scalar.value, NULL) : NAN;
        }
        snprintf(p, sizeof p, "%s.table[%d][0]", base, i);
        if (!(v[0] >= 0.0))
            return cfg_fail_at(c, p, "expected a distance >= 0 %s from the interface, got %s", unit, cfg_got(c, p));
        if (i > 0 && !(v[0] * scale > t->table_d[i - 1]))
            return cfg_fail_at(c, p, "expected distances in increasing order (previous row %g %s), got %s",
                               t->table_d[i - 1] / scale, unit, cfg_got(c, p));
        snprintf(p, sizeof p, "%s.table[%d][1]", base, i);
        if ((st = cfg_need_range(c, p, v[1], 0, -PHI_MAX_V, PHI_MAX_V, "a potential", "V")) != LIHOP_OK)
            return st;
        t->table_d[i] = v[0] * scale;
        t->table_phi[i] = v[1];
    }
    return LIHOP_OK;
}

lihop_status cfg_conv_sc_profile(pctx *c, const char *base, const char *length_key, const char *unit, int profile,
                                 const double *phi0_V, const double *length, cfg_sc_target *t)
{
    lihop_status st = sc_check_keys(c, base, length_key, profile);
    if (st) return st;
    *t->profile = (lihop_sc_profile)profile;
    char p[PATH_CAP];
    snprintf(p, sizeof p, "%s.phi0_V", base);
    if (phi0_V && (st = cfg_need_range(c, p, *phi0_V, 0, -PHI_MAX_V, PHI_MAX_V, "a potential", "V")) != LIHOP_OK)
        return st;
    if (phi0_V) *t->phi0_V = *phi0_V;
    if (length) {
        snprintf(p, sizeof p, "%s.%s", base, length_key);
        if (!(*length > 0.0)) return cfg_fail_at(c, p, "expected a length > 0 %s, got %s", unit, cfg_got(c, p));
        *t->length = *length;
    }
    return sc_table(c, base, unit, 1.0, t);
}
