/* lattice_spec.c - lattice files (lattices/NAME.yaml) and the spglib expansion
 * of their Wyckoff sites into the conventional cell (input layer).
 *
 * Loading: the input layer's one schema checker (config_schema.c cfg_check_load:
 * the libyaml document with line numbers, unknown, repeated and missing keys,
 * types and list lengths against sch_top, then libcyaml), then the values are
 * range-checked here.  Every error names FILE:LINE and the key.
 * Lengths are in angstrom throughout this module. */
#include "lattice_spec.h"
#include "config_impl.h"

#include <cyaml/cyaml.h>
#include <yaml.h>
#include <spglib.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEG2RAD 0.017453292519943295769
#define FRAC_TOL 1e-4          /* duplicate-site tolerance, fractional coordinates */
#define METRIC_RTOL 1e-6       /* lattice metric vs symmetry, relative */
#define MAX_OPS 192
#define EXACT_MIS_MAX 48       /* exclusion clusters up to this size: exact maximum */

/* ========================================================================== */
/* libyaml node tree: line numbers and structure                               */
/* ========================================================================== */

typedef struct {
    const char *path;
    yaml_document_t doc;
    int have_doc;
    lihop_err *err;
} ldctx;

static int y_line(const yaml_node_t *n) { return n ? (int)n->start_mark.line + 1 : 0; }

/* Value node of `key` in mapping `map` (NULL if absent); *key_line gets the key's line. */
static yaml_node_t *y_get(yaml_document_t *doc, yaml_node_t *map, const char *key, int *key_line)
{
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0) {
            if (key_line) *key_line = y_line(k);
            return yaml_document_get_node(doc, p->value);
        }
    }
    return NULL;
}

static int y_seq_len(const yaml_node_t *n)
{
    return (n && n->type == YAML_SEQUENCE_NODE) ? (int)(n->data.sequence.items.top - n->data.sequence.items.start) : 0;
}

static yaml_node_t *y_seq_item(yaml_document_t *doc, yaml_node_t *seq, int i)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE || i < 0 || i >= y_seq_len(seq)) return NULL;
    return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}


/* ========================================================================== */
/* Keys: the file format (see lattices/README.md)                              */
/* ========================================================================== */

typedef enum { K_STR, K_INT, K_NUM, K_VEC3, K_SITES } kkind;
typedef struct {
    const char *key;
    kkind kind;
    int required;
    const char *expected;
} keydef;

static const keydef top_keys[] = {
    {"name", K_STR, 1, "a lattice name, a string of at most 63 characters"},
    {"space_group", K_INT, 0, "an ITA space-group number, an integer 1-230"},
    {"hall_number", K_INT, 0, "a spglib Hall number, an integer 1-530"},
    {"a_A", K_NUM, 1, "a lattice constant in angstrom, a number > 0"},
    {"b_A", K_NUM, 0, "a lattice constant in angstrom, a number > 0 (default a_A)"},
    {"c_A", K_NUM, 0, "a lattice constant in angstrom, a number > 0 (default a_A)"},
    {"alpha_deg", K_NUM, 0, "an angle in degrees, a number in (0, 180) (default 90)"},
    {"beta_deg", K_NUM, 0, "an angle in degrees, a number in (0, 180) (default 90)"},
    {"gamma_deg", K_NUM, 0, "an angle in degrees, a number in (0, 180) (default 90)"},
    {"sites", K_SITES, 1, "a list of 1-8 Wyckoff sites, each {label, sublattice, frac: [x, y, z]}"},
    {"hop_cutoff_A", K_NUM, 1, "a hop cutoff in angstrom, a number > 0"},
    {"hop_min_A", K_NUM, 0, "a distance in angstrom, a number >= 0, below hop_cutoff_A and at most exclusion_cutoff_A"},
    {"exclusion_cutoff_A", K_NUM, 0, "a distance in angstrom, a number >= 0"},
    {"formula_units_per_cell", K_NUM, 0, "formula units per conventional cell, a number > 0"},
    {"li_per_fu_ref", K_NUM, 0, "reference Li per formula unit, a number >= 0"},
    {"source", K_STR, 0, "a string (literature reference)"},
    {"comment", K_STR, 0, "a string"},
};
static const keydef site_keys[] = {
    {"label", K_STR, 1, "a Wyckoff label, a string of 1-31 characters"},
    {"sublattice", K_STR, 1, "a sublattice name, a string of 1-15 characters"},
    {"frac", K_VEC3, 1, "fractional coordinates, a list of 3 numbers [x, y, z]"},
    {"source", K_STR, 0, "a string (literature reference)"},
    {"comment", K_STR, 0, "a string"},
};
#define NTOP ((int)(sizeof top_keys / sizeof top_keys[0]))
#define NSITEK ((int)(sizeof site_keys / sizeof site_keys[0]))

static const keydef *find_key(const keydef *defs, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(defs[i].key, key) == 0) return &defs[i];
    return NULL;
}

static lihop_status key_fail(ldctx *c, int line, const char *key, const char *expected, const char *gotfmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static lihop_status key_fail(ldctx *c, int line, const char *key, const char *expected, const char *gotfmt, ...)
{
    char got[400];
    va_list ap;
    va_start(ap, gotfmt);
    vsnprintf(got, sizeof got, gotfmt, ap);
    va_end(ap);
    return lihop_fail(c->err, LIHOP_ERR_INPUT, "%s:%d: key '%s': expected %s, got %s", c->path, line, key,
                      expected, got);
}



/* ========================================================================== */
/* libcyaml schema                                                              */
/* ========================================================================== */

typedef struct {
    char *label;
    char *sublattice;
    double *frac;
    unsigned frac_count;
    char *source;
    char *comment;
} raw_site;

typedef struct {
    char *name;
    int *space_group;
    int *hall_number;
    double a_A;
    double *b_A, *c_A;
    double *alpha_deg, *beta_deg, *gamma_deg;
    raw_site *sites;
    unsigned sites_count;
    double hop_cutoff_A;
    double *hop_min_A;
    double *exclusion_cutoff_A;
    double *formula_units_per_cell;
    double *li_per_fu_ref;
    char *source;
    char *comment;
} raw_spec;

static const cyaml_schema_value_t sch_double = {CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double)};

static const cyaml_schema_field_t sch_site_fields[] = {
    CYAML_FIELD_STRING_PTR("label", CYAML_FLAG_POINTER, raw_site, label, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("sublattice", CYAML_FLAG_POINTER, raw_site, sublattice, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("frac", CYAML_FLAG_POINTER, raw_site, frac, &sch_double, 3, 3),
    CYAML_FIELD_STRING_PTR("source", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_site, source, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("comment", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_site, comment, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END};
static const cyaml_schema_value_t sch_site = {CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_site, sch_site_fields)};

static const cyaml_schema_field_t sch_top_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_spec, name, 0, CYAML_UNLIMITED),
    CYAML_FIELD_INT_PTR("space_group", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, space_group),
    CYAML_FIELD_INT_PTR("hall_number", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, hall_number),
    CYAML_FIELD_FLOAT("a_A", CYAML_FLAG_DEFAULT, raw_spec, a_A),
    CYAML_FIELD_FLOAT_PTR("b_A", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, b_A),
    CYAML_FIELD_FLOAT_PTR("c_A", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, c_A),
    CYAML_FIELD_FLOAT_PTR("alpha_deg", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, alpha_deg),
    CYAML_FIELD_FLOAT_PTR("beta_deg", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, beta_deg),
    CYAML_FIELD_FLOAT_PTR("gamma_deg", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, gamma_deg),
    CYAML_FIELD_SEQUENCE("sites", CYAML_FLAG_POINTER, raw_spec, sites, &sch_site, 1, LIHOP_MAX_WYCKOFF),
    CYAML_FIELD_FLOAT("hop_cutoff_A", CYAML_FLAG_DEFAULT, raw_spec, hop_cutoff_A),
    CYAML_FIELD_FLOAT_PTR("hop_min_A", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, hop_min_A),
    CYAML_FIELD_FLOAT_PTR("exclusion_cutoff_A", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, exclusion_cutoff_A),
    CYAML_FIELD_FLOAT_PTR("formula_units_per_cell", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec,
                          formula_units_per_cell),
    CYAML_FIELD_FLOAT_PTR("li_per_fu_ref", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, li_per_fu_ref),
    CYAML_FIELD_STRING_PTR("source", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, source, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("comment", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_spec, comment, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END};
static const cyaml_schema_value_t sch_top = {CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_spec, sch_top_fields)};



/* ========================================================================== */
/* Symmetry helpers                                                             */
/* ========================================================================== */

static double cos_deg(double a)
{
    if (a == 90.0) return 0.0;
    if (a == 60.0) return 0.5;
    if (a == 120.0) return -0.5;
    return cos(a * DEG2RAD);
}
static double sin_deg(double a)
{
    if (a == 90.0) return 1.0;
    return sin(a * DEG2RAD);
}

/* Cell rows a, b, c (a along x, b in the xy plane).  Returns 0 if degenerate. */
int lihop_lattice_cell_matrix(const double abc[3], const double ang[3], double L[3][3])
{
    double ca = cos_deg(ang[0]), cb = cos_deg(ang[1]), cg = cos_deg(ang[2]), sg = sin_deg(ang[2]);
    memset(L, 0, 9 * sizeof(double));
    L[0][0] = abc[0];
    L[1][0] = abc[1] * cg;
    L[1][1] = abc[1] * sg;
    double cx = cb, cy = (ca - cb * cg) / sg;
    double cz2 = 1.0 - cx * cx - cy * cy;
    if (!(cz2 > 1e-12) || !(sg > 1e-12)) return 0;
    L[2][0] = abc[2] * cx;
    L[2][1] = abc[2] * cy;
    L[2][2] = abc[2] * sqrt(cz2);
    return 1;
}

static double wrap01(double f)
{
    f -= floor(f);
    if (f >= 1.0) f = 0.0;
    return f;
}

/* Periodic equality of fractional coordinates within FRAC_TOL. */
static int same_frac(const double a[3], const double b[3])
{
    for (int k = 0; k < 3; k++) {
        double d = a[k] - b[k];
        d -= floor(d + 0.5);
        if (fabs(d) > FRAC_TOL) return 0;
    }
    return 1;
}

static long frac_key(double f)
{
    long k = lround(wrap01(f) * 1e6);
    return k >= 1000000 ? 0 : k;
}


static int cmp_fsite(const void *pa, const void *pb)
{
    const lihop_fsite *a = pa, *b = pb;
    for (int k = 0; k < 3; k++) {
        long ka = frac_key(a->f[k]), kb = frac_key(b->f[k]);
        if (ka != kb) return ka < kb ? -1 : 1;
    }
    return 0;
}

static int get_ops(int hall, int rot[MAX_OPS][3][3], double tr[MAX_OPS][3])
{
    if (hall < 1 || hall > 530) return 0;
    return spg_get_symmetry_from_database(rot, tr, hall);
}

/* Sites of one conventional cell: every Wyckoff orbit, each sorted by (x, y, z).
 * On a coincidence between two Wyckoff sites, *clash_a and *clash_b name them and 0 is returned
 * with *n = -1.  Returns 1 on success, 0 on allocation failure (n = 0). */
int lihop_lattice_expand_cell(const lihop_lattice_spec *spec, lihop_fsite **out, int **wy, int *n, int mult[LIHOP_MAX_WYCKOFF],
                       int *clash_a, int *clash_b)
{
    double tr[MAX_OPS][3];
    int (*r)[3][3] = malloc(sizeof(int[MAX_OPS][3][3]));
    *out = NULL; *wy = NULL; *n = 0;
    if (!r) return 0;
    int nops = get_ops(spec->hall_number, r, tr);
    int cap = nops * (spec->nsites > 0 ? spec->nsites : 1);
    lihop_fsite *s = malloc((size_t)(cap > 0 ? cap : 1) * sizeof *s);
    int *w = malloc((size_t)(cap > 0 ? cap : 1) * sizeof *w);
    if (!s || !w) { free(r); free(s); free(w); return 0; }
    int m = 0;
    for (int ws = 0; ws < spec->nsites; ws++) {
        int start = m;
        const double *x = spec->sites[ws].frac;
        for (int o = 0; o < nops; o++) {
            lihop_fsite y;
            for (int i = 0; i < 3; i++)
                y.f[i] = wrap01(r[o][i][0] * x[0] + r[o][i][1] * x[1] + r[o][i][2] * x[2] + tr[o][i]);
            int dup = 0;
            for (int q = 0; q < m && !dup; q++) {
                if (same_frac(s[q].f, y.f)) {
                    if (q < start) {
                        *clash_a = w[q];
                        *clash_b = ws;
                        free(r); free(s); free(w);
                        *n = -1;
                        return 0;
                    }
                    dup = 1;
                }
            }
            if (!dup) { s[m] = y; w[m] = ws; m++; }
        }
        qsort(s + start, (size_t)(m - start), sizeof *s, cmp_fsite);
        if (mult) mult[ws] = m - start;
    }
    free(r);
    *out = s; *wy = w; *n = m;
    return 1;
}

/* Does the metric G = L L^T satisfy R^T G R = G for every rotation? */
static int metric_ok(int hall, const double L[3][3])
{
    int (*r)[3][3] = malloc(sizeof(int[MAX_OPS][3][3]));
    double tr[MAX_OPS][3];
    if (!r) return 1;
    int nops = get_ops(hall, r, tr);
    double G[3][3], gmax = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            G[i][j] = L[i][0] * L[j][0] + L[i][1] * L[j][1] + L[i][2] * L[j][2];
            if (fabs(G[i][j]) > gmax) gmax = fabs(G[i][j]);
        }
    int ok = 1;
    for (int o = 0; o < nops && ok; o++)
        for (int i = 0; i < 3 && ok; i++)
            for (int j = 0; j < 3 && ok; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++)
                    for (int l = 0; l < 3; l++) v += r[o][k][i] * G[k][l] * r[o][l][j];
                if (fabs(v - G[i][j]) > METRIC_RTOL * gmax) ok = 0;
            }
    free(r);
    return ok;
}

/* First Hall number of an ITA space-group number (spglib's default setting). */
static int default_hall(int sg)
{
    for (int h = 1; h <= 530; h++)
        if (spg_get_spacegroup_type(h).number == sg) return h;
    return 0;
}

/* ========================================================================== */
/* lihop_lattice_spec_load                                                      */
/* ========================================================================== */

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}


/* Line of key `key` in the top mapping, or of sites[i].key (site >= 0); 0 if absent. */
static int line_of(ldctx *c, int site, const char *key)
{
    yaml_node_t *root = yaml_document_get_root_node(&c->doc);
    int ln = 0;
    if (site < 0) {
        yaml_node_t *v = y_get(&c->doc, root, key, &ln);
        return v ? y_line(v) : y_line(root);
    }
    yaml_node_t *sites = y_get(&c->doc, root, "sites", &ln);
    yaml_node_t *e = y_seq_item(&c->doc, sites, site);
    if (!e) return ln;
    yaml_node_t *v = y_get(&c->doc, e, key, &ln);
    return v ? y_line(v) : y_line(e);
}

/* The "expected ..." text of a top-level or site key. */
static const char *top_expect(const char *k)
{
    const keydef *d = find_key(top_keys, NTOP, k);
    return d ? d->expected : "";
}

static const char *site_expect(const char *k)
{
    const keydef *d = find_key(site_keys, NSITEK, k);
    return d ? d->expected : "";
}

/* name, and space_group and/or hall_number (which must agree). */
static lihop_status check_group(ldctx *c, const raw_spec *r, lihop_lattice_spec *spec)
{
    if (strlen(r->name) == 0 || strlen(r->name) >= sizeof spec->name)
        return key_fail(c, line_of(c, -1, "name"), "name", top_expect("name"), "'%s' (%zu characters)", r->name,
                        strlen(r->name));
    copy_str(spec->name, sizeof spec->name, r->name);

    if (!r->space_group && !r->hall_number)
        return key_fail(c, line_of(c, -1, "name"), "space_group", "space_group (ITA number) or hall_number",
                        "neither");
    if (r->space_group && (*r->space_group < 1 || *r->space_group > 230))
        return key_fail(c, line_of(c, -1, "space_group"), "space_group", top_expect("space_group"), "%d",
                        *r->space_group);
    if (r->hall_number && (*r->hall_number < 1 || *r->hall_number > 530))
        return key_fail(c, line_of(c, -1, "hall_number"), "hall_number", top_expect("hall_number"), "%d",
                        *r->hall_number);
    if (r->hall_number) {
        spec->hall_number = *r->hall_number;
        spec->space_group = spg_get_spacegroup_type(spec->hall_number).number;
        if (r->space_group && *r->space_group != spec->space_group) {
            char exp[128];
            snprintf(exp, sizeof exp, "a Hall number of space group %d", *r->space_group);
            return key_fail(c, line_of(c, -1, "hall_number"), "hall_number", exp, "%d (space group %d)",
                            spec->hall_number, spec->space_group);
        }
    } else {
        spec->space_group = *r->space_group;
        spec->hall_number = default_hall(spec->space_group);
    }
    SpglibSpacegroupType t = spg_get_spacegroup_type(spec->hall_number);
    copy_str(spec->hall_symbol, sizeof spec->hall_symbol, t.hall_symbol);
    copy_str(spec->hm_symbol, sizeof spec->hm_symbol, t.international_short);
    return LIHOP_OK;
}

/* Cell lengths and angles: positive volume, and a metric the group allows. */
static lihop_status check_cell(ldctx *c, const raw_spec *r, lihop_lattice_spec *spec)
{
    const char *lk[3] = {"a_A", "b_A", "c_A"}, *ak[3] = {"alpha_deg", "beta_deg", "gamma_deg"};
    double abc[3] = {r->a_A, r->b_A ? *r->b_A : r->a_A, r->c_A ? *r->c_A : r->a_A};
    double ang[3] = {r->alpha_deg ? *r->alpha_deg : 90.0, r->beta_deg ? *r->beta_deg : 90.0,
                     r->gamma_deg ? *r->gamma_deg : 90.0};
    for (int k = 0; k < 3; k++) {
        if (!isfinite(abc[k]) || abc[k] <= 0)
            return key_fail(c, line_of(c, -1, lk[k]), lk[k], top_expect(lk[k]), "%g", abc[k]);
        if (!isfinite(ang[k]) || ang[k] <= 0 || ang[k] >= 180)
            return key_fail(c, line_of(c, -1, ak[k]), ak[k], top_expect(ak[k]), "%g", ang[k]);
        spec->abc_A[k] = abc[k];
        spec->angles_deg[k] = ang[k];
    }
    double L[3][3];
    if (!lihop_lattice_cell_matrix(abc, ang, L))
        return key_fail(c, line_of(c, -1, r->gamma_deg ? "gamma_deg" : "alpha_deg"), "alpha_deg",
                        "angles that span a cell of positive volume", "alpha %g, beta %g, gamma %g", ang[0], ang[1],
                        ang[2]);
    if (!metric_ok(spec->hall_number, L)) {
        const char *k = r->c_A ? "c_A" : r->b_A ? "b_A" : r->gamma_deg ? "gamma_deg" : "a_A";
        char exp[160];
        snprintf(exp, sizeof exp, "cell parameters compatible with space group %s (No. %d, Hall %d)",
                 spec->hm_symbol, spec->space_group, spec->hall_number);
        return key_fail(c, line_of(c, -1, k), k, exp, "a %g b %g c %g A, angles %g %g %g deg", abc[0], abc[1], abc[2],
                        ang[0], ang[1], ang[2]);
    }
    return LIHOP_OK;
}

/* "source; comment", or whichever of the two is given. */
static void join_source(char *dst, size_t cap, const char *source, const char *comment)
{
    if (source && comment) snprintf(dst, cap, "%s; %s", source, comment);
    else copy_str(dst, cap, source ? source : comment);
}

static lihop_status check_sites(ldctx *c, const raw_spec *r, lihop_lattice_spec *spec)
{
    spec->nsites = (int)r->sites_count;
    for (int i = 0; i < spec->nsites; i++) {
        const raw_site *s = &r->sites[i];
        lihop_wyckoff_site *w = &spec->sites[i];
        char key[48];
        snprintf(key, sizeof key, "sites[%d].label", i);
        if (strlen(s->label) == 0 || strlen(s->label) >= sizeof w->label)
            return key_fail(c, line_of(c, i, "label"), key, site_expect("label"), "'%s'", s->label);
        snprintf(key, sizeof key, "sites[%d].sublattice", i);
        if (strlen(s->sublattice) == 0 || strlen(s->sublattice) >= sizeof w->sublattice)
            return key_fail(c, line_of(c, i, "sublattice"), key, site_expect("sublattice"), "'%s'", s->sublattice);
        snprintf(key, sizeof key, "sites[%d].frac", i);
        for (int k = 0; k < 3; k++)
            if (!isfinite(s->frac[k]))
                return key_fail(c, line_of(c, i, "frac"), key, site_expect("frac"), "entry %d = %g", k + 1,
                                s->frac[k]);
        copy_str(w->label, sizeof w->label, s->label);
        copy_str(w->sublattice, sizeof w->sublattice, s->sublattice);
        for (int k = 0; k < 3; k++) w->frac[k] = s->frac[k];
        join_source(w->source, sizeof w->source, s->source, s->comment);
    }
    return LIHOP_OK;
}

/* A top-level number that failed its range check. */
static lihop_status num_fail(ldctx *c, const char *key, double v)
{
    return key_fail(c, line_of(c, -1, key), key, top_expect(key), "%g", v);
}

/* Cutoffs and composition, with their defaults. */
static lihop_status check_cutoffs(ldctx *c, const raw_spec *r, lihop_lattice_spec *spec)
{
    spec->hop_cutoff_A = r->hop_cutoff_A;
    spec->hop_min_A = r->hop_min_A ? *r->hop_min_A : 0.0;
    spec->exclusion_cutoff_A = r->exclusion_cutoff_A ? *r->exclusion_cutoff_A : 0.0;
    spec->formula_units_per_cell = r->formula_units_per_cell ? *r->formula_units_per_cell : 1.0;
    spec->li_per_fu_ref = r->li_per_fu_ref ? *r->li_per_fu_ref : 0.0;
    if (!isfinite(spec->hop_cutoff_A) || spec->hop_cutoff_A <= 0)
        return num_fail(c, "hop_cutoff_A", spec->hop_cutoff_A);
    if (!isfinite(spec->exclusion_cutoff_A) || spec->exclusion_cutoff_A < 0)
        return num_fail(c, "exclusion_cutoff_A", spec->exclusion_cutoff_A);
    if (!isfinite(spec->hop_min_A) || spec->hop_min_A < 0 || spec->hop_min_A >= spec->hop_cutoff_A ||
        spec->hop_min_A > spec->exclusion_cutoff_A)
        return key_fail(c, line_of(c, -1, "hop_min_A"), "hop_min_A", top_expect("hop_min_A"),
                        "%g (hop_cutoff_A %g, exclusion_cutoff_A %g)", spec->hop_min_A, spec->hop_cutoff_A,
                        spec->exclusion_cutoff_A);
    if (!isfinite(spec->formula_units_per_cell) || spec->formula_units_per_cell <= 0)
        return num_fail(c, "formula_units_per_cell", spec->formula_units_per_cell);
    if (!isfinite(spec->li_per_fu_ref) || spec->li_per_fu_ref < 0)
        return num_fail(c, "li_per_fu_ref", spec->li_per_fu_ref);
    spec->li_per_cell_full = (int)lround(spec->li_per_fu_ref * spec->formula_units_per_cell);
    join_source(spec->source, sizeof spec->source, r->source, r->comment);
    return LIHOP_OK;
}

/* Expansion into the cell: coinciding Wyckoff orbits are an error. */
static lihop_status check_expansion(ldctx *c, lihop_lattice_spec *spec)
{
    lihop_fsite *fs;
    int *wy, n, ca = -1, cb = -1, mult[LIHOP_MAX_WYCKOFF] = {0};
    if (!lihop_lattice_expand_cell(spec, &fs, &wy, &n, mult, &ca, &cb)) {
        if (n < 0) {
            char key[48], exp[160];
            snprintf(key, sizeof key, "sites[%d].frac", cb);
            snprintf(exp, sizeof exp, "a position not equivalent to sites[%d] ('%s')", ca, spec->sites[ca].label);
            return key_fail(c, line_of(c, cb, "frac"), key, exp, "[%g, %g, %g], which generates the same sites",
                            spec->sites[cb].frac[0], spec->sites[cb].frac[1], spec->sites[cb].frac[2]);
        }
        return lihop_fail(c->err, LIHOP_ERR_NOMEM, "%s: out of memory expanding the Wyckoff sites", c->path);
    }
    for (int i = 0; i < spec->nsites; i++) spec->sites[i].multiplicity = mult[i];
    free(fs);
    free(wy);
    return LIHOP_OK;
}

static lihop_status validate_values(ldctx *c, const raw_spec *r, lihop_lattice_spec *spec)
{
    lihop_status st;
    if ((st = check_group(c, r, spec)) != LIHOP_OK || (st = check_cell(c, r, spec)) != LIHOP_OK ||
        (st = check_sites(c, r, spec)) != LIHOP_OK || (st = check_cutoffs(c, r, spec)) != LIHOP_OK)
        return st;
    return check_expansion(c, spec);
}

lihop_status lihop_lattice_spec_load(const char *path, lihop_lattice_spec *spec, lihop_err *err)
{
    if (!path || !spec) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice: no file given");
    memset(spec, 0, sizeof *spec);
    copy_str(spec->path, sizeof spec->path, path);
    /* the one schema checker of the input layer (config_schema.c): YAML
     * document, depth limit, keys and types against sch_top, then libcyaml */
    char *text = NULL;
    lihop_status st = cfg_read_text(path, &text, err);
    if (st) return st;
    pctx pc;
    memset(&pc, 0, sizeof pc);
    pc.name = path;
    pc.err = err;
    raw_spec *r = NULL;
    st = cfg_check_load(&pc, text, &sch_top, (void **)&r);
    if (st == LIHOP_OK) {
        ldctx c = {.path = path, .doc = pc.doc, .have_doc = 0, .err = err};
        st = validate_values(&c, r, spec);
    }
    cfg_free_loaded(&sch_top, r);
    if (pc.have_doc) yaml_document_delete(&pc.doc);
    free(text);
    return st;
}

/* ========================================================================== */
/* Neighbour search: bins in supercell fractional coordinates                   */
/* ========================================================================== */

