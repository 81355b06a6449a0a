/* lattice.c - lattice files (lattices/NAME.yaml), spglib expansion of the Wyckoff sites,
 * periodic supercell, hop graph and exclusion partners, report and HDF5 export.
 *
 * Loading: libyaml builds a node tree (for line numbers and structural checks: unknown,
 * duplicate and missing keys, list lengths), libcyaml loads the values through a schema,
 * then the values are range-checked.  Every error names FILE:LINE and the key.
 * Lengths are in angstrom throughout this module. */
#include "lattice.h"

#include <cyaml/cyaml.h>
#include <yaml.h>
#include <spglib.h>
#include <hdf5.h>

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

/* What a node is, for "got ..." in messages. */
static void y_describe(const yaml_node_t *n, char *buf, size_t len)
{
    if (!n) { snprintf(buf, len, "nothing (key missing)"); return; }
    switch (n->type) {
    case YAML_SCALAR_NODE: {
        const char *v = (const char *)n->data.scalar.value;
        if (n->data.scalar.length > 60) snprintf(buf, len, "'%.57s...'", v);
        else snprintf(buf, len, "'%s'", v);
        break;
    }
    case YAML_SEQUENCE_NODE: snprintf(buf, len, "a list of %d entries", y_seq_len(n)); break;
    case YAML_MAPPING_NODE: snprintf(buf, len, "a mapping"); break;
    default: snprintf(buf, len, "an empty value"); break;
    }
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

/* A finite decimal number (integer: no fraction or exponent), as written. */
static int scalar_is_number(const char *t, int integer)
{
    char *end;
    errno = 0;
    if (integer) {
        long v = strtol(t, &end, 10);
        (void)v;
    } else {
        double v = strtod(t, &end);
        if (!isfinite(v)) return 0;
    }
    if (end == t || errno == ERANGE) return 0;
    while (*end == ' ') end++;
    return *end == 0;
}

/* Structural checks of one mapping against its key table. */
static lihop_status check_mapping(ldctx *c, yaml_node_t *map, const keydef *defs, int ndefs, const char *prefix)
{
    char full[96], got[128];
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&c->doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE) {
            y_describe(k, got, sizeof got);
            return lihop_fail(c->err, LIHOP_ERR_INPUT, "%s:%d: expected a plain key, got %s", c->path, y_line(k), got);
        }
        const char *key = (const char *)k->data.scalar.value;
        snprintf(full, sizeof full, "%s%s", prefix, key);
        const keydef *d = find_key(defs, ndefs, key);
        if (!d) {
            char list[512] = "";
            for (int i = 0; i < ndefs; i++) {
                strncat(list, defs[i].key, sizeof list - strlen(list) - 1);
                if (i + 1 < ndefs) strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            char exp[600];
            snprintf(exp, sizeof exp, "one of %s", list);
            return key_fail(c, y_line(k), full, exp, "an unknown key");
        }
        /* duplicates */
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *k2 = yaml_document_get_node(&c->doc, q->key);
            if (k2 && k2->type == YAML_SCALAR_NODE && strcmp((const char *)k2->data.scalar.value, key) == 0)
                return key_fail(c, y_line(k), full, "each key once", "a second '%s' (first on line %d)", key,
                                y_line(k2));
        }
        y_describe(v, got, sizeof got);
        switch (d->kind) {
        case K_STR: case K_INT: case K_NUM:
            if (!v || v->type != YAML_SCALAR_NODE || v->data.scalar.length == 0)
                return key_fail(c, y_line(v ? v : k), full, d->expected, "%s", got);
            if (d->kind != K_STR && !scalar_is_number((const char *)v->data.scalar.value, d->kind == K_INT))
                return key_fail(c, y_line(v), full, d->expected, "%s", got);
            break;
        case K_VEC3:
            if (!v || v->type != YAML_SEQUENCE_NODE || y_seq_len(v) != 3)
                return key_fail(c, y_line(v ? v : k), full, d->expected, "%s", got);
            for (int i = 0; i < 3; i++) {
                yaml_node_t *e = y_seq_item(&c->doc, v, i);
                if (!e || e->type != YAML_SCALAR_NODE || !scalar_is_number((const char *)e->data.scalar.value, 0)) {
                    y_describe(e, got, sizeof got);
                    return key_fail(c, y_line(e ? e : v), full, d->expected, "entry %d = %s", i + 1, got);
                }
            }
            break;
        case K_SITES: {
            int n = y_seq_len(v);
            if (!v || v->type != YAML_SEQUENCE_NODE || n < 1 || n > LIHOP_MAX_WYCKOFF)
                return key_fail(c, y_line(v ? v : k), full, d->expected, "%s", got);
            for (int i = 0; i < n; i++) {
                yaml_node_t *e = y_seq_item(&c->doc, v, i);
                char pre[48];
                snprintf(pre, sizeof pre, "sites[%d].", i);
                if (!e || e->type != YAML_MAPPING_NODE) {
                    y_describe(e, got, sizeof got);
                    return key_fail(c, y_line(e ? e : v), full, d->expected, "entry %d = %s", i, got);
                }
                lihop_status st = check_mapping(c, e, site_keys, NSITEK, pre);
                if (st) return st;
            }
            break;
        }
        }
    }
    for (int i = 0; i < ndefs; i++) {
        if (!defs[i].required) continue;
        if (!y_get(&c->doc, map, defs[i].key, NULL)) {
            snprintf(full, sizeof full, "%s%s", prefix, defs[i].key);
            return key_fail(c, y_line(map), full, defs[i].expected, "nothing (key missing)");
        }
    }
    return LIHOP_OK;
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

/* libcyaml's error messages (log level ERROR), kept for translation. */
typedef struct {
    char first[512];
    char field[64];          /* innermost "in mapping field 'x'" */
    int field_line;
    int site_index;          /* sequence entry directly under 'sites' (0-based), -1 if none */
    int nlines;              /* error lines seen (not counting the backtrace) */
    int last_entry;
} cylog;

static void cy_log(cyaml_log_t level, void *ctx, const char *fmt, va_list ap)
{
    cylog *L = ctx;
    if (level < CYAML_LOG_ERROR || !L) return;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == ' ')) line[--n] = 0;
    const char *s = line;
    while (*s == ' ') s++;
    if (strncmp(s, "Load: ", 6) == 0) s += 6;
    if (strncmp(s, "Backtrace:", 10) == 0) return;
    if (strncmp(s, "in mapping field '", 18) == 0) {
        /* backtrace runs innermost first */
        char name[64] = "";
        const char *q = s + 18;
        size_t k = 0;
        while (*q && *q != '\'' && k + 1 < sizeof name) name[k++] = *q++;
        name[k] = 0;
        int ln = 0;
        const char *lp = strstr(s, "(line: ");
        if (lp) ln = atoi(lp + 7);
        if (!L->field[0]) { snprintf(L->field, sizeof L->field, "%s", name); L->field_line = ln; }
        if (strcmp(name, "sites") == 0 && L->last_entry > 0) L->site_index = L->last_entry - 1;
        L->last_entry = 0;
        return;
    }
    if (strncmp(s, "in sequence entry '", 19) == 0) {
        L->last_entry = atoi(s + 19);
        return;
    }
    if (strncmp(s, "in mapping", 10) == 0) return;
    if (!L->first[0]) snprintf(L->first, sizeof L->first, "%s", s);
    L->nlines++;
}

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
static int cell_matrix(const double abc[3], const double ang[3], double L[3][3])
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

typedef struct { double f[3]; } fsite;
static int cmp_fsite(const void *pa, const void *pb)
{
    const fsite *a = pa, *b = pb;
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
static int expand_cell(const lihop_lattice_spec *spec, fsite **out, int **wy, int *n, int mult[LIHOP_MAX_WYCKOFF],
                       int *clash_a, int *clash_b)
{
    double tr[MAX_OPS][3];
    int (*r)[3][3] = malloc(sizeof(int[MAX_OPS][3][3]));
    *out = NULL; *wy = NULL; *n = 0;
    if (!r) return 0;
    int nops = get_ops(spec->hall_number, r, tr);
    int cap = nops * (spec->nsites > 0 ? spec->nsites : 1);
    fsite *s = malloc((size_t)(cap > 0 ? cap : 1) * sizeof *s);
    int *w = malloc((size_t)(cap > 0 ? cap : 1) * sizeof *w);
    if (!s || !w) { free(r); free(s); free(w); return 0; }
    int m = 0;
    for (int ws = 0; ws < spec->nsites; ws++) {
        int start = m;
        const double *x = spec->sites[ws].frac;
        for (int o = 0; o < nops; o++) {
            fsite y;
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

static lihop_status translate_cyaml(ldctx *c, cyaml_err_t e, const cylog *L)
{
    char key[96];
    if (L->field[0]) {
        if (L->site_index >= 0 && strcmp(L->field, "sites") != 0)
            snprintf(key, sizeof key, "sites[%d].%s", L->site_index, L->field);
        else
            snprintf(key, sizeof key, "%s", L->field);
        const keydef *d = find_key(top_keys, NTOP, L->field);
        if (!d || L->site_index >= 0) {
            const keydef *ds = find_key(site_keys, NSITEK, L->field);
            if (ds) d = ds;
        }
        /* libcyaml: "Invalid INT value: 'abc'" or "Invalid FLOAT value: abc" */
        const char *q = strstr(L->first, "value: ");
        char got[300];
        if (q) {
            q += 7;
            size_t n = strlen(q);
            if (n >= 2 && q[0] == '\'' && q[n - 1] == '\'') { q++; n -= 2; }
            snprintf(got, sizeof got, "'%.*s'", (int)n, q);
        } else {
            snprintf(got, sizeof got, "%.200s (%s)", L->first[0] ? L->first : "an invalid value", cyaml_strerror(e));
        }
        return key_fail(c, L->field_line, key, d ? d->expected : "a valid value", "%s", got);
    }
    return lihop_fail(c->err, LIHOP_ERR_INPUT, "%s: %s (%s)", c->path, L->first[0] ? L->first : "invalid lattice file",
                      cyaml_strerror(e));
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

static lihop_status validate_values(ldctx *c, const raw_spec *r, lihop_lattice_spec *spec)
{
    const keydef *d;
#define EXPECT(k) ((d = find_key(top_keys, NTOP, k)) ? d->expected : "")
#define SEXPECT(k) ((d = find_key(site_keys, NSITEK, k)) ? d->expected : "")
    if (strlen(r->name) == 0 || strlen(r->name) >= sizeof spec->name)
        return key_fail(c, line_of(c, -1, "name"), "name", EXPECT("name"), "'%s' (%zu characters)", r->name,
                        strlen(r->name));
    copy_str(spec->name, sizeof spec->name, r->name);

    if (!r->space_group && !r->hall_number)
        return key_fail(c, line_of(c, -1, "name"), "space_group", "space_group (ITA number) or hall_number",
                        "neither");
    if (r->space_group && (*r->space_group < 1 || *r->space_group > 230))
        return key_fail(c, line_of(c, -1, "space_group"), "space_group", EXPECT("space_group"), "%d", *r->space_group);
    if (r->hall_number && (*r->hall_number < 1 || *r->hall_number > 530))
        return key_fail(c, line_of(c, -1, "hall_number"), "hall_number", EXPECT("hall_number"), "%d", *r->hall_number);
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

    /* cell */
    const char *lk[3] = {"a_A", "b_A", "c_A"}, *ak[3] = {"alpha_deg", "beta_deg", "gamma_deg"};
    double abc[3] = {r->a_A, r->b_A ? *r->b_A : r->a_A, r->c_A ? *r->c_A : r->a_A};
    double ang[3] = {r->alpha_deg ? *r->alpha_deg : 90.0, r->beta_deg ? *r->beta_deg : 90.0,
                     r->gamma_deg ? *r->gamma_deg : 90.0};
    for (int k = 0; k < 3; k++) {
        if (!isfinite(abc[k]) || abc[k] <= 0)
            return key_fail(c, line_of(c, -1, lk[k]), lk[k], EXPECT(lk[k]), "%g", abc[k]);
        if (!isfinite(ang[k]) || ang[k] <= 0 || ang[k] >= 180)
            return key_fail(c, line_of(c, -1, ak[k]), ak[k], EXPECT(ak[k]), "%g", ang[k]);
        spec->abc_A[k] = abc[k];
        spec->angles_deg[k] = ang[k];
    }
    double L[3][3];
    if (!cell_matrix(abc, ang, L))
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

    /* sites */
    spec->nsites = (int)r->sites_count;
    for (int i = 0; i < spec->nsites; i++) {
        const raw_site *s = &r->sites[i];
        lihop_wyckoff_site *w = &spec->sites[i];
        char key[48];
        snprintf(key, sizeof key, "sites[%d].label", i);
        if (strlen(s->label) == 0 || strlen(s->label) >= sizeof w->label)
            return key_fail(c, line_of(c, i, "label"), key, SEXPECT("label"), "'%s'", s->label);
        snprintf(key, sizeof key, "sites[%d].sublattice", i);
        if (strlen(s->sublattice) == 0 || strlen(s->sublattice) >= sizeof w->sublattice)
            return key_fail(c, line_of(c, i, "sublattice"), key, SEXPECT("sublattice"), "'%s'", s->sublattice);
        snprintf(key, sizeof key, "sites[%d].frac", i);
        for (int k = 0; k < 3; k++)
            if (!isfinite(s->frac[k]))
                return key_fail(c, line_of(c, i, "frac"), key, SEXPECT("frac"), "entry %d = %g", k + 1, s->frac[k]);
        copy_str(w->label, sizeof w->label, s->label);
        copy_str(w->sublattice, sizeof w->sublattice, s->sublattice);
        for (int k = 0; k < 3; k++) w->frac[k] = s->frac[k];
        if (s->source && s->comment) snprintf(w->source, sizeof w->source, "%s; %s", s->source, s->comment);
        else copy_str(w->source, sizeof w->source, s->source ? s->source : s->comment);
    }

    /* cutoffs and composition */
    spec->hop_cutoff_A = r->hop_cutoff_A;
    spec->hop_min_A = r->hop_min_A ? *r->hop_min_A : 0.0;
    spec->exclusion_cutoff_A = r->exclusion_cutoff_A ? *r->exclusion_cutoff_A : 0.0;
    spec->formula_units_per_cell = r->formula_units_per_cell ? *r->formula_units_per_cell : 1.0;
    spec->li_per_fu_ref = r->li_per_fu_ref ? *r->li_per_fu_ref : 0.0;
    if (!isfinite(spec->hop_cutoff_A) || spec->hop_cutoff_A <= 0)
        return key_fail(c, line_of(c, -1, "hop_cutoff_A"), "hop_cutoff_A", EXPECT("hop_cutoff_A"), "%g",
                        spec->hop_cutoff_A);
    if (!isfinite(spec->exclusion_cutoff_A) || spec->exclusion_cutoff_A < 0)
        return key_fail(c, line_of(c, -1, "exclusion_cutoff_A"), "exclusion_cutoff_A", EXPECT("exclusion_cutoff_A"),
                        "%g", spec->exclusion_cutoff_A);
    if (!isfinite(spec->hop_min_A) || spec->hop_min_A < 0 || spec->hop_min_A >= spec->hop_cutoff_A ||
        spec->hop_min_A > spec->exclusion_cutoff_A)
        return key_fail(c, line_of(c, -1, "hop_min_A"), "hop_min_A", EXPECT("hop_min_A"),
                        "%g (hop_cutoff_A %g, exclusion_cutoff_A %g)", spec->hop_min_A, spec->hop_cutoff_A,
                        spec->exclusion_cutoff_A);
    if (!isfinite(spec->formula_units_per_cell) || spec->formula_units_per_cell <= 0)
        return key_fail(c, line_of(c, -1, "formula_units_per_cell"), "formula_units_per_cell",
                        EXPECT("formula_units_per_cell"), "%g", spec->formula_units_per_cell);
    if (!isfinite(spec->li_per_fu_ref) || spec->li_per_fu_ref < 0)
        return key_fail(c, line_of(c, -1, "li_per_fu_ref"), "li_per_fu_ref", EXPECT("li_per_fu_ref"), "%g",
                        spec->li_per_fu_ref);
    spec->li_per_cell_full = (int)lround(spec->li_per_fu_ref * spec->formula_units_per_cell);
    if (r->source && r->comment) snprintf(spec->source, sizeof spec->source, "%s; %s", r->source, r->comment);
    else copy_str(spec->source, sizeof spec->source, r->source ? r->source : r->comment);

    /* expansion: coinciding Wyckoff orbits are an error */
    fsite *fs;
    int *wy, n, ca = -1, cb = -1, mult[LIHOP_MAX_WYCKOFF] = {0};
    if (!expand_cell(spec, &fs, &wy, &n, mult, &ca, &cb)) {
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
#undef EXPECT
#undef SEXPECT
    return LIHOP_OK;
}

lihop_status lihop_lattice_spec_load(const char *path, lihop_lattice_spec *spec, lihop_err *err)
{
    if (!path || !spec) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice: no file given");
    memset(spec, 0, sizeof *spec);
    copy_str(spec->path, sizeof spec->path, path);

    ldctx c = {.path = path, .have_doc = 0, .err = err};
    FILE *fp = fopen(path, "rb");
    if (!fp) return lihop_fail(err, LIHOP_ERR_IO, "%s: cannot open lattice file: %s", path, strerror(errno));
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fclose(fp);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: cannot initialise the YAML parser", path);
    }
    yaml_parser_set_input_file(&parser, fp);
    if (!yaml_parser_load(&parser, &c.doc)) {
        lihop_status st = lihop_fail(err, LIHOP_ERR_INPUT, "%s:%d: YAML syntax error: %s%s%s", path,
                                     (int)parser.problem_mark.line + 1, parser.problem ? parser.problem : "unknown",
                                     parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        fclose(fp);
        return st;
    }
    yaml_parser_delete(&parser);
    fclose(fp);
    c.have_doc = 1;

    lihop_status st = LIHOP_OK;
    yaml_node_t *root = yaml_document_get_root_node(&c.doc);
    if (!root) {
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s:1: expected a mapping of lattice keys, got an empty file", path);
        goto done;
    }
    if (root->type != YAML_MAPPING_NODE) {
        char got[128];
        y_describe(root, got, sizeof got);
        st = lihop_fail(err, LIHOP_ERR_INPUT, "%s:%d: expected a mapping of lattice keys, got %s", path, y_line(root),
                        got);
        goto done;
    }
    st = check_mapping(&c, root, top_keys, NTOP, "");
    if (st) goto done;

    cylog L;
    memset(&L, 0, sizeof L);
    L.site_index = -1;
    cyaml_config_t cfg = {.log_fn = cy_log, .log_ctx = &L, .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR,
                          .flags = CYAML_CFG_DEFAULT};
    raw_spec *r = NULL;
    cyaml_err_t e = cyaml_load_file(path, &cfg, &sch_top, (cyaml_data_t **)&r, NULL);
    if (e != CYAML_OK) {
        st = translate_cyaml(&c, e, &L);
        if (r) cyaml_free(&cfg, &sch_top, r, 0);
        goto done;
    }
    st = validate_values(&c, r, spec);
    cyaml_free(&cfg, &sch_top, r, 0);

done:
    if (c.have_doc) yaml_document_delete(&c.doc);
    return st;
}

/* ========================================================================== */
/* Neighbour search: bins in supercell fractional coordinates                   */
/* ========================================================================== */

typedef struct {
    int nb[3], m[3];
    int *head, *next;
    int nbins;
} binlist;

static void bins_free(binlist *b) { free(b->head); free(b->next); }

static int bin_of(double f, int nb)
{
    int b = (int)floor(f * nb);
    if (b < 0) b = 0;
    if (b >= nb) b = nb - 1;
    return b;
}

/* Bins of width >= R along each plane spacing; m = how many bins to scan either side. */
static int bins_build(binlist *b, const double S[3][3], const double *frac, int n, double R)
{
    memset(b, 0, sizeof *b);
    double vol = fabs(S[0][0] * (S[1][1] * S[2][2] - S[1][2] * S[2][1]) -
                      S[0][1] * (S[1][0] * S[2][2] - S[1][2] * S[2][0]) +
                      S[0][2] * (S[1][0] * S[2][1] - S[1][1] * S[2][0]));
    long total = 1;
    for (int k = 0; k < 3; k++) {
        const double *u = S[(k + 1) % 3], *v = S[(k + 2) % 3];
        double cx = u[1] * v[2] - u[2] * v[1], cy = u[2] * v[0] - u[0] * v[2], cz = u[0] * v[1] - u[1] * v[0];
        double h = vol / sqrt(cx * cx + cy * cy + cz * cz); /* plane spacing along axis k */
        int nb = (int)floor(h / R);
        if (nb < 1) nb = 1;
        if (nb > 256) nb = 256;
        b->nb[k] = nb;
        b->m[k] = (int)ceil(R * nb / h - 1e-12);
        if (b->m[k] < 1) b->m[k] = 1;
        total *= nb;
    }
    b->nbins = (int)total;
    b->head = malloc((size_t)total * sizeof(int));
    b->next = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    if (!b->head || !b->next) { bins_free(b); return 0; }
    for (long i = 0; i < total; i++) b->head[i] = -1;
    for (int i = n - 1; i >= 0; i--) {
        const double *f = frac + 3 * (size_t)i;
        int id = (bin_of(f[0], b->nb[0]) * b->nb[1] + bin_of(f[1], b->nb[1])) * b->nb[2] + bin_of(f[2], b->nb[2]);
        b->next[i] = b->head[id];
        b->head[id] = i;
    }
    return 1;
}

typedef struct { int32_t j; double v[3]; double d; } pairent;

/* All (j, image) with |r_j + image - r_i| < R, j == i included for nonzero images. */
static int neighbours_of(const binlist *b, const double S[3][3], const double *frac, int i, double R,
                         pairent **buf, int *cap, int *cnt)
{
    const double *fi = frac + 3 * (size_t)i;
    int bi[3] = {bin_of(fi[0], b->nb[0]), bin_of(fi[1], b->nb[1]), bin_of(fi[2], b->nb[2])};
    double R2 = R * R;
    *cnt = 0;
    for (int o0 = -b->m[0]; o0 <= b->m[0]; o0++)
        for (int o1 = -b->m[1]; o1 <= b->m[1]; o1++)
            for (int o2 = -b->m[2]; o2 <= b->m[2]; o2++) {
                int o[3] = {o0, o1, o2}, bw[3];
                double sh[3];
                for (int k = 0; k < 3; k++) {
                    int bb = bi[k] + o[k];
                    int s = (bb >= 0) ? bb / b->nb[k] : -((-bb + b->nb[k] - 1) / b->nb[k]);
                    bw[k] = bb - s * b->nb[k];
                    sh[k] = s;
                }
                for (int j = b->head[(bw[0] * b->nb[1] + bw[1]) * b->nb[2] + bw[2]]; j >= 0; j = b->next[j]) {
                    const double *fj = frac + 3 * (size_t)j;
                    double df[3] = {fj[0] + sh[0] - fi[0], fj[1] + sh[1] - fi[1], fj[2] + sh[2] - fi[2]};
                    double v[3];
                    for (int k = 0; k < 3; k++) v[k] = df[0] * S[0][k] + df[1] * S[1][k] + df[2] * S[2][k];
                    double d2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
                    if (d2 >= R2) continue;
                    if (j == i && sh[0] == 0 && sh[1] == 0 && sh[2] == 0) continue;
                    if (*cnt == *cap) {
                        int nc = *cap ? 2 * *cap : 64;
                        pairent *nbuf = realloc(*buf, (size_t)nc * sizeof *nbuf);
                        if (!nbuf) return 0;
                        *buf = nbuf;
                        *cap = nc;
                    }
                    pairent *p = &(*buf)[(*cnt)++];
                    p->j = j;
                    p->v[0] = v[0]; p->v[1] = v[1]; p->v[2] = v[2];
                    p->d = sqrt(d2);
                }
            }
    return 1;
}

/* qsort of n elements; n == 0 may come with a NULL base (a site without
 * neighbours), which qsort and memcpy must not see. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static int cmp_pairent(const void *pa, const void *pb)
{
    const pairent *a = pa, *b = pb;
    if (a->j != b->j) return a->j < b->j ? -1 : 1;
    for (int k = 0; k < 3; k++) {
        long ka = lround(a->v[k] * 1e6), kb = lround(b->v[k] * 1e6);
        if (ka != kb) return ka < kb ? -1 : 1;
    }
    return 0;
}

static int cmp_i32(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return (a > b) - (a < b);
}

/* ========================================================================== */
/* Pair partners in a distance window (energy shells beyond the hop graph). */
lihop_status lihop_lattice_pairs(const lihop_lattice *lat, double r_min_A, double r_max_A, int32_t **start_out,
                                 int32_t **nbr_out, int64_t *npairs_out, lihop_err *err)
{
    *start_out = NULL; *nbr_out = NULL; *npairs_out = 0;
    if (!(r_min_A >= 0.0) || !(r_max_A > r_min_A) || !isfinite(r_max_A))
        return lihop_fail(err, LIHOP_ERR_INPUT, "lattice pairs: need 0 <= r_min < r_max (got %g, %g A)", r_min_A,
                          r_max_A);
    const int n = lat->nsites;
    double S[3][3];
    memcpy(S, lat->cell_A, sizeof S);
    binlist bl;
    pairent *buf = NULL;
    int cap = 0;
    int32_t *start = malloc(((size_t)n + 1) * sizeof *start), *nbr = NULL;
    int64_t np = 0, pcap = 0;
    lihop_status st = LIHOP_OK;
    if (!start || !bins_build(&bl, S, lat->frac, n, r_max_A)) {
        free(start);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory");
    }
    for (int i = 0; i < n && st == LIHOP_OK; i++) {
        int cnt = 0;
        start[i] = (int32_t)np;
        if (!neighbours_of(&bl, S, lat->frac, i, r_max_A, &buf, &cap, &cnt)) {
            st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory");
            break;
        }
        sort_n(buf, (size_t)cnt, sizeof *buf, cmp_pairent);
        for (int q = 0; q < cnt; q++) {
            if (buf[q].j == i || buf[q].d < r_min_A) continue;   /* own images: a constant energy */
            if (np == pcap) {
                int64_t nc = pcap ? 2 * pcap : 4 * (int64_t)n + 16;
                int32_t *a = realloc(nbr, (size_t)nc * sizeof *a);
                if (!a) { st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory"); break; }
                nbr = a;
                pcap = nc;
            }
            nbr[np++] = buf[q].j;
        }
        if (np > INT32_MAX) st = lihop_fail(err, LIHOP_ERR_INPUT, "lattice pairs: too many pairs for 32-bit offsets");
    }
    free(buf);
    bins_free(&bl);
    if (st != LIHOP_OK) { free(start); free(nbr); return st; }
    start[n] = (int32_t)np;
    if (!nbr) nbr = malloc(sizeof *nbr);
    if (!nbr) { free(start); return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice pairs: out of memory"); }
    *start_out = start; *nbr_out = nbr; *npairs_out = np;
    return LIHOP_OK;
}

/* Maximum number of co-occupied sites (maximum independent set of exclusions)  */
/* ========================================================================== */

static int mis_rec(const uint64_t *adj, uint64_t cand, int best, int cur)
{
    if (!cand) return cur > best ? cur : best;
    if (cur + __builtin_popcountll(cand) <= best) return best;
    int v = __builtin_ctzll(cand);
    /* take v */
    best = mis_rec(adj, cand & ~(1ULL << v) & ~adj[v], best, cur + 1);
    /* skip v (only useful if v has neighbours in cand) */
    if (adj[v] & cand) best = mis_rec(adj, cand & ~(1ULL << v), best, cur);
    return best;
}

static int max_occupancy(const lihop_lattice *lat, int *exact)
{
    int n = lat->nsites;
    *exact = 1;
    if (lat->nexcl == 0) return n;
    int *comp = malloc((size_t)n * sizeof(int)), *stack = malloc((size_t)n * sizeof(int));
    int *members = malloc((size_t)n * sizeof(int)), *local = malloc((size_t)n * sizeof(int));
    if (!comp || !stack || !members || !local) {
        free(comp); free(stack); free(members); free(local);
        *exact = 0;
        return n;
    }
    for (int i = 0; i < n; i++) { comp[i] = -1; local[i] = -1; }
    int total = 0;
    for (int s = 0; s < n; s++) {
        if (comp[s] >= 0) continue;
        int sp = 0, nm = 0;
        stack[sp++] = s;
        comp[s] = s;
        while (sp) {
            int v = stack[--sp];
            members[nm++] = v;
            for (int32_t k = lat->excl_start[v]; k < lat->excl_start[v + 1]; k++) {
                int w = lat->excl_nbr[k];
                if (comp[w] < 0) { comp[w] = s; stack[sp++] = w; }
            }
        }
        int clique = 1;
        for (int a = 0; a < nm && clique; a++) {
            int v = members[a];
            if (lat->excl_start[v + 1] - lat->excl_start[v] != nm - 1) clique = 0;
        }
        if (clique) { total += 1; continue; }
        if (nm <= EXACT_MIS_MAX && nm <= 64) {
            uint64_t adj[64] = {0};
            for (int a = 0; a < nm; a++) local[members[a]] = a;
            for (int a = 0; a < nm; a++) {
                int v = members[a];
                for (int32_t k = lat->excl_start[v]; k < lat->excl_start[v + 1]; k++)
                    adj[a] |= 1ULL << local[lat->excl_nbr[k]];
            }
            uint64_t all = (nm == 64) ? ~0ULL : ((1ULL << nm) - 1);
            total += mis_rec(adj, all, 0, 0);
            for (int a = 0; a < nm; a++) local[members[a]] = -1;
        } else {
            /* greedy: repeatedly take the member with fewest free exclusion partners */
            *exact = 0;
            for (int a = 0; a < nm; a++) local[members[a]] = 0; /* 0 free, 1 taken, 2 blocked */
            for (;;) {
                int bestv = -1, bestdeg = INT_MAX;
                for (int a = 0; a < nm; a++) {
                    int v = members[a];
                    if (local[v] != 0) continue;
                    int deg = 0;
                    for (int32_t k = lat->excl_start[v]; k < lat->excl_start[v + 1]; k++)
                        deg += local[lat->excl_nbr[k]] == 0;
                    if (deg < bestdeg) { bestdeg = deg; bestv = v; }
                }
                if (bestv < 0) break;
                local[bestv] = 1;
                total++;
                for (int32_t k = lat->excl_start[bestv]; k < lat->excl_start[bestv + 1]; k++)
                    if (local[lat->excl_nbr[k]] == 0) local[lat->excl_nbr[k]] = 2;
            }
            for (int a = 0; a < nm; a++) local[members[a]] = -1;
        }
    }
    free(comp); free(stack); free(members); free(local);
    return total;
}

/* ========================================================================== */
/* lihop_lattice_build                                                          */
/* ========================================================================== */

void lihop_lattice_destroy(lihop_lattice *lat)
{
    if (!lat) return;
    free(lat->sub);
    free(lat->pos_A);
    free(lat->frac);
    free(lat->wyckoff);
    free(lat->hop_start);
    free(lat->hop_nbr);
    free(lat->hop_vec_A);
    free(lat->excl_start);
    free(lat->excl_nbr);
    free(lat);
}

int lihop_lattice_sublattice_index(const lihop_lattice *lat, const char *name)
{
    if (!lat || !name) return -1;
    for (int s = 0; s < lat->nsub; s++)
        if (strcmp(lat->subname[s], name) == 0) return s;
    return -1;
}

lihop_status lihop_lattice_build(const lihop_lattice_spec *spec, const int cells[3], lihop_lattice **out,
                                 lihop_err *err)
{
    if (out) *out = NULL;
    if (!spec || !cells || !out) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_build: NULL argument");
    for (int k = 0; k < 3; k++)
        if (cells[k] < 1 || cells[k] > 4096)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: supercell %d x %d x %d: each repeat must be 1-4096",
                              spec->path, cells[0], cells[1], cells[2]);
    if (spec->nsites < 1 || spec->nsites > LIHOP_MAX_WYCKOFF || spec->hall_number < 1 || spec->hall_number > 530 ||
        !(spec->hop_cutoff_A > 0))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: lattice spec not loaded or invalid", spec->path);

    double L[3][3];
    if (!cell_matrix(spec->abc_A, spec->angles_deg, L))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: degenerate cell angles", spec->path);

    fsite *fs = NULL;
    int *wy = NULL, spc = 0, ca = -1, cb = -1;
    if (!expand_cell(spec, &fs, &wy, &spc, NULL, &ca, &cb)) {
        if (spc < 0)
            return lihop_fail(err, LIHOP_ERR_INPUT, "%s: sites '%s' and '%s' generate coinciding positions",
                              spec->path, spec->sites[ca].label, spec->sites[cb].label);
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory expanding the Wyckoff sites", spec->path);
    }

    long long ncells = (long long)cells[0] * cells[1] * cells[2];
    long long nsites_ll = ncells * spc;
    if (nsites_ll > 50000000LL) {
        free(fs); free(wy);
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: supercell %d x %d x %d has %lld sites (limit 50000000)",
                          spec->path, cells[0], cells[1], cells[2], nsites_ll);
    }
    int n = (int)nsites_ll;

    lihop_lattice *lat = calloc(1, sizeof *lat);
    if (!lat) { free(fs); free(wy); return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory"); }
    lihop_status st = LIHOP_OK;
    pairent *buf = NULL;
    int cap = 0;
    int32_t *ebuf = NULL;
    binlist bl = {0};

    lat->sites_per_cell = spc;
    lat->nsites = n;
    lat->ncells = (int)ncells;
    lat->nwyckoff = spec->nsites;
    lat->hop_cutoff_A = spec->hop_cutoff_A;
    lat->hop_min_A = spec->hop_min_A;
    lat->exclusion_cutoff_A = spec->exclusion_cutoff_A;
    for (int k = 0; k < 3; k++) {
        lat->cells[k] = cells[k];
        for (int l = 0; l < 3; l++) {
            lat->unit_cell_A[k][l] = L[k][l];
            lat->cell_A[k][l] = L[k][l] * cells[k];
        }
    }
    /* sublattices in order of first appearance */
    int wsub[LIHOP_MAX_WYCKOFF];
    for (int w = 0; w < spec->nsites; w++) {
        int s;
        for (s = 0; s < lat->nsub; s++)
            if (strcmp(lat->subname[s], spec->sites[w].sublattice) == 0) break;
        if (s == lat->nsub) {
            if (lat->nsub == LIHOP_MAX_SUBLATTICES) {
                st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: more than %d sublattices", spec->path,
                                LIHOP_MAX_SUBLATTICES);
                goto fail;
            }
            copy_str(lat->subname[lat->nsub], sizeof lat->subname[0], spec->sites[w].sublattice);
            lat->nsub++;
        }
        wsub[w] = s;
    }

    lat->sub = malloc((size_t)n * sizeof *lat->sub);
    lat->wyckoff = malloc((size_t)n * sizeof *lat->wyckoff);
    lat->pos_A = malloc((size_t)n * 3 * sizeof *lat->pos_A);
    lat->frac = malloc((size_t)n * 3 * sizeof *lat->frac);
    lat->hop_start = malloc(((size_t)n + 1) * sizeof *lat->hop_start);
    lat->excl_start = malloc(((size_t)n + 1) * sizeof *lat->excl_start);
    if (!lat->sub || !lat->wyckoff || !lat->pos_A || !lat->frac || !lat->hop_start || !lat->excl_start) {
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory for %d sites", n);
        goto fail;
    }
    for (int c1 = 0, i = 0; c1 < cells[0]; c1++)
        for (int c2 = 0; c2 < cells[1]; c2++)
            for (int c3 = 0; c3 < cells[2]; c3++)
                for (int s = 0; s < spc; s++, i++) {
                    double u[3] = {fs[s].f[0] + c1, fs[s].f[1] + c2, fs[s].f[2] + c3};
                    for (int k = 0; k < 3; k++) lat->frac[3 * (size_t)i + k] = u[k] / cells[k];
                    for (int k = 0; k < 3; k++)
                        lat->pos_A[3 * (size_t)i + k] = u[0] * L[0][k] + u[1] * L[1][k] + u[2] * L[2][k];
                    lat->wyckoff[i] = wy[s];
                    lat->sub[i] = wsub[wy[s]];
                }

    double R = spec->hop_cutoff_A > spec->exclusion_cutoff_A ? spec->hop_cutoff_A : spec->exclusion_cutoff_A;
    double S[3][3];
    memcpy(S, lat->cell_A, sizeof S);
    if (!bins_build(&bl, S, lat->frac, n, R)) {
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (neighbour bins)");
        goto fail;
    }
    int64_t hcap = (int64_t)n * 8, ecap = (int64_t)n * 2;
    lat->hop_nbr = malloc((size_t)hcap * sizeof *lat->hop_nbr);
    lat->hop_vec_A = malloc((size_t)hcap * 3 * sizeof *lat->hop_vec_A);
    lat->excl_nbr = malloc((size_t)ecap * sizeof *lat->excl_nbr);
    if (!lat->hop_nbr || !lat->hop_vec_A || !lat->excl_nbr) {
        st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (hop graph)");
        goto fail;
    }
    int ecount_cap = 0;
    for (int i = 0; i < n; i++) {
        int cnt = 0;
        if (!neighbours_of(&bl, S, lat->frac, i, R, &buf, &cap, &cnt)) {
            st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (neighbours)");
            goto fail;
        }
        sort_n(buf, (size_t)cnt, sizeof *buf, cmp_pairent);
        lat->hop_start[i] = (int32_t)lat->nhops;
        lat->excl_start[i] = (int32_t)lat->nexcl;
        if (cnt > ecount_cap) {
            int32_t *nb = realloc(ebuf, (size_t)cnt * sizeof *nb);
            if (!nb) { st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory"); goto fail; }
            ebuf = nb;
            ecount_cap = cnt;
        }
        int ne = 0;
        for (int q = 0; q < cnt; q++) {
            const pairent *p = &buf[q];
            if (p->j != i && p->d < spec->exclusion_cutoff_A) {
                if (ne == 0 || ebuf[ne - 1] != p->j) ebuf[ne++] = p->j; /* sorted by j */
            }
            if (p->d >= spec->hop_min_A && p->d < spec->hop_cutoff_A) {
                if (p->j == i) { lat->nself_images++; continue; }
                if (q > 0 && buf[q - 1].j == p->j && buf[q - 1].d >= spec->hop_min_A &&
                    buf[q - 1].d < spec->hop_cutoff_A)
                    lat->multi_image = 1;
                if (lat->nhops == hcap) {
                    int64_t nc = hcap * 2;
                    int32_t *a = realloc(lat->hop_nbr, (size_t)nc * sizeof *a);
                    if (a) lat->hop_nbr = a;
                    double *v = a ? realloc(lat->hop_vec_A, (size_t)nc * 3 * sizeof *v) : NULL;
                    if (!a || !v) { st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (hops)"); goto fail; }
                    lat->hop_vec_A = v;
                    hcap = nc;
                }
                lat->hop_nbr[lat->nhops] = p->j;
                for (int k = 0; k < 3; k++) lat->hop_vec_A[3 * lat->nhops + k] = p->v[k];
                lat->nhops++;
            }
        }
        sort_n(ebuf, (size_t)ne, sizeof *ebuf, cmp_i32);
        if (lat->nexcl + ne > ecap) {
            int64_t nc = (ecap + ne) * 2;
            int32_t *a = realloc(lat->excl_nbr, (size_t)nc * sizeof *a);
            if (!a) { st = lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (exclusions)"); goto fail; }
            lat->excl_nbr = a;
            ecap = nc;
        }
        if (ne > 0)
            memcpy(lat->excl_nbr + lat->nexcl, ebuf, (size_t)ne * sizeof *ebuf);
        lat->nexcl += ne;
        if (lat->nhops > INT32_MAX || lat->nexcl > INT32_MAX) {
            st = lihop_fail(err, LIHOP_ERR_INPUT, "%s: hop graph too large for 32-bit offsets", spec->path);
            goto fail;
        }
    }
    lat->hop_start[n] = (int32_t)lat->nhops;
    lat->excl_start[n] = (int32_t)lat->nexcl;
    lat->max_occupancy = max_occupancy(lat, &lat->max_occupancy_exact);

    free(buf); free(ebuf); bins_free(&bl); free(fs); free(wy);
    *out = lat;
    return LIHOP_OK;
fail:
    free(buf); free(ebuf); bins_free(&bl); free(fs); free(wy);
    lihop_lattice_destroy(lat);
    return st;
}

/* ========================================================================== */
/* Li count                                                                     */
/* ========================================================================== */

lihop_status lihop_lattice_li_count(const lihop_lattice_spec *spec, const lihop_lattice *lat, double li_per_fu,
                                    int *nli, lihop_err *err)
{
    if (!spec || !lat || !nli) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_li_count: NULL argument");
    if (!isfinite(li_per_fu) || li_per_fu < 0)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Li per formula unit must be a number >= 0, got %g", li_per_fu);
    double x = li_per_fu * spec->formula_units_per_cell * lat->ncells;
    if (x > (double)INT_MAX)
        return lihop_fail(err, LIHOP_ERR_INPUT, "Li count %g too large", x);
    int n = (int)llround(x);
    if (n > lat->max_occupancy)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s: %g Li per formula unit x %g formula units per cell x %d cells = %d Li, more than the "
                          "%d sites that can be occupied at once (%d sites, exclusion cutoff %g A)",
                          spec->path, li_per_fu, spec->formula_units_per_cell, lat->ncells, n, lat->max_occupancy,
                          lat->nsites, lat->exclusion_cutoff_A);
    *nli = n;
    return LIHOP_OK;
}

/* ========================================================================== */
/* Report                                                                       */
/* ========================================================================== */

typedef struct { long dkey; int si, sj; long count; } distrow;

static int cmp_distrow(const void *pa, const void *pb)
{
    const distrow *a = pa, *b = pb;
    if (a->si != b->si) return a->si < b->si ? -1 : 1;
    if (a->sj != b->sj) return a->sj < b->sj ? -1 : 1;
    if (a->dkey != b->dkey) return a->dkey < b->dkey ? -1 : 1;
    return 0;
}

/* Add (dkey, si, sj) to a small table; returns the new size. */
static int distrow_add(distrow *rows, int nrows, int cap, long dkey, int si, int sj, long add)
{
    for (int r = 0; r < nrows; r++)
        if (rows[r].dkey == dkey && rows[r].si == si && rows[r].sj == sj) { rows[r].count += add; return nrows; }
    if (nrows < cap) { rows[nrows].dkey = dkey; rows[nrows].si = si; rows[nrows].sj = sj; rows[nrows].count = add; nrows++; }
    return nrows;
}

void lihop_lattice_report(const lihop_lattice_spec *spec, const lihop_lattice *lat, FILE *fp)
{
    if (!fp || !spec) return;
    fprintf(fp, "lattice %s (%s)\n", spec->name, spec->path);
    fprintf(fp, "  space group %s (No. %d), Hall number %d '%s'\n", spec->hm_symbol, spec->space_group,
            spec->hall_number, spec->hall_symbol);
    fprintf(fp, "  cell a %.4f b %.4f c %.4f A, alpha %.2f beta %.2f gamma %.2f deg\n", spec->abc_A[0],
            spec->abc_A[1], spec->abc_A[2], spec->angles_deg[0], spec->angles_deg[1], spec->angles_deg[2]);
    fprintf(fp, "  Wyckoff sites:\n");
    for (int w = 0; w < spec->nsites; w++)
    {
        fprintf(fp, "    %-6s %-4s (%.6f, %.6f, %.6f)  %d per cell\n", spec->sites[w].label,
                spec->sites[w].sublattice, spec->sites[w].frac[0], spec->sites[w].frac[1], spec->sites[w].frac[2],
                spec->sites[w].multiplicity);
        if (spec->sites[w].source[0]) fprintf(fp, "           source: %s\n", spec->sites[w].source);
    }
    fprintf(fp, "  hops: %.3f <= d < %.3f A; exclusion: d < %.3f A\n", spec->hop_min_A, spec->hop_cutoff_A,
            spec->exclusion_cutoff_A);
    if (!lat) return;

    int nsub = lat->nsub, spc = lat->sites_per_cell;
    long per_cell[LIHOP_MAX_SUBLATTICES] = {0};
    for (int i = 0; i < spc; i++) per_cell[lat->sub[i]]++;
    fprintf(fp, "  supercell %d x %d x %d = %d cells, %d sites (%d per cell)\n", lat->cells[0], lat->cells[1],
            lat->cells[2], lat->ncells, lat->nsites, spc);
    fprintf(fp, "  sites per sublattice:");
    for (int s = 0; s < nsub; s++)
        fprintf(fp, "  %s %ld/cell (%ld total)", lat->subname[s], per_cell[s], per_cell[s] * lat->ncells);
    fprintf(fp, "\n");

    /* hop neighbour counts: per sublattice, and per target sublattice */
    int tmin[LIHOP_MAX_SUBLATTICES], tmax[LIHOP_MAX_SUBLATTICES];
    int pmin[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES], pmax[LIHOP_MAX_SUBLATTICES][LIHOP_MAX_SUBLATTICES];
    int emin[LIHOP_MAX_SUBLATTICES], emax[LIHOP_MAX_SUBLATTICES];
    for (int s = 0; s < nsub; s++) {
        tmin[s] = emin[s] = INT_MAX; tmax[s] = emax[s] = -1;
        for (int t = 0; t < nsub; t++) { pmin[s][t] = INT_MAX; pmax[s][t] = -1; }
    }
    enum { DCAP = 256 };
    distrow rows[DCAP];
    int nrows = 0;
    for (int i = 0; i < lat->nsites; i++) {
        int si = lat->sub[i], cnt[LIHOP_MAX_SUBLATTICES] = {0};
        int tot = lat->hop_start[i + 1] - lat->hop_start[i];
        for (int32_t k = lat->hop_start[i]; k < lat->hop_start[i + 1]; k++) {
            int sj = lat->sub[lat->hop_nbr[k]];
            cnt[sj]++;
            const double *v = lat->hop_vec_A + 3 * (size_t)k;
            long dkey = lround(sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) * 1000.0);
            nrows = distrow_add(rows, nrows, DCAP, dkey, si, sj, 1);
        }
        if (tot < tmin[si]) tmin[si] = tot;
        if (tot > tmax[si]) tmax[si] = tot;
        for (int t = 0; t < nsub; t++) {
            if (cnt[t] < pmin[si][t]) pmin[si][t] = cnt[t];
            if (cnt[t] > pmax[si][t]) pmax[si][t] = cnt[t];
        }
        int ne = lat->excl_start[i + 1] - lat->excl_start[i];
        if (ne < emin[si]) emin[si] = ne;
        if (ne > emax[si]) emax[si] = ne;
    }
    fprintf(fp, "  hop neighbours per site (min-max):\n");
    for (int s = 0; s < nsub; s++) {
        if (tmax[s] < 0) continue;
        fprintf(fp, "    %-4s %d-%d  (", lat->subname[s], tmin[s], tmax[s]);
        for (int t = 0; t < nsub; t++)
            fprintf(fp, "%s%s %d-%d", t ? ", " : "", lat->subname[t], pmin[s][t], pmax[s][t]);
        fprintf(fp, ")\n");
    }
    qsort(rows, (size_t)nrows, sizeof *rows, cmp_distrow);
    fprintf(fp, "  hop distances (directed hops, rounded to 0.001 A):\n");
    for (int r = 0; r < nrows; r++)
        fprintf(fp, "    %s-%s  %.3f A  x %ld\n", lat->subname[rows[r].si], lat->subname[rows[r].sj],
                rows[r].dkey / 1000.0, rows[r].count);
    fprintf(fp, "  hops: %lld directed (%lld pairs)\n", (long long)lat->nhops, (long long)lat->nhops / 2);
    fprintf(fp, "  exclusion partners: %lld pairs;", (long long)lat->nexcl / 2);
    for (int s = 0; s < nsub; s++)
        if (emax[s] >= 0) fprintf(fp, "  %s %d-%d per site", lat->subname[s], emin[s], emax[s]);
    fprintf(fp, "\n  most sites occupied at once: %d%s (%.4g per cell); Li per cell at li_per_fu_ref %g: %d\n",
            lat->max_occupancy, lat->max_occupancy_exact ? "" : " (greedy lower bound)",
            (double)lat->max_occupancy / lat->ncells, spec->li_per_fu_ref, spec->li_per_cell_full);
    if (lat->multi_image)
        fprintf(fp, "  WARNING: supercell shorter than twice the hop cutoff: some neighbours are reached "
                    "through several periodic images (listed as separate hops)\n");
    if (lat->nself_images)
        fprintf(fp, "  WARNING: %lld periodic self-images within the hop cutoff were dropped; use a larger "
                    "supercell\n", (long long)lat->nself_images);

    /* distance shells beyond the cutoff, from the sites of the first cell */
    double R2 = 2.0 * spec->hop_cutoff_A + 0.5;
    binlist bl;
    if (!bins_build(&bl, lat->cell_A, lat->frac, lat->nsites, R2)) return;
    pairent *buf = NULL;
    int cap = 0, cnt = 0;
    nrows = 0;
    for (int i = 0; i < spc; i++) {
        if (!neighbours_of(&bl, lat->cell_A, lat->frac, i, R2, &buf, &cap, &cnt)) break;
        for (int q = 0; q < cnt; q++)
            nrows = distrow_add(rows, nrows, DCAP, lround(buf[q].d * 1000.0), lat->sub[i], lat->sub[buf[q].j], 1);
    }
    free(buf);
    bins_free(&bl);
    qsort(rows, (size_t)nrows, sizeof *rows, cmp_distrow);
    fprintf(fp, "  pair distances below %.2f A (first 4 shells per sublattice pair; count per cell):\n", R2);
    for (int r = 0, shown = 0; r < nrows; r++) {
        if (r == 0 || rows[r].si != rows[r - 1].si || rows[r].sj != rows[r - 1].sj) {
            shown = 0;
            fprintf(fp, "%s    %s-%s:", r ? "\n" : "", lat->subname[rows[r].si], lat->subname[rows[r].sj]);
        }
        if (shown++ < 4) fprintf(fp, "  %.3f (%ld)", rows[r].dkey / 1000.0, rows[r].count);
    }
    if (nrows) fprintf(fp, "\n");
}

/* ========================================================================== */
/* HDF5                                                                         */
/* ========================================================================== */

static int h5_attr_str(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, t, value) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

static int h5_attr_int(hid_t obj, const char *name, const int *v, hsize_t n)
{
    hid_t sp = n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(obj, name, H5T_NATIVE_INT, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, H5T_NATIVE_INT, v) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return ok;
}

static int h5_attr_dbl(hid_t obj, const char *name, double v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, H5T_NATIVE_DOUBLE, &v) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return ok;
}

/* Fixed-length string array attribute. */
static int h5_attr_strs(hid_t obj, const char *name, const char (*v)[16], int n)
{
    hsize_t dim = (hsize_t)n;
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 16);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, t, v) >= 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

static int h5_dset(hid_t g, const char *name, hid_t mtype, hid_t ftype, int rank, const hsize_t *dims,
                   const void *data, const char *unit, const char *desc)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    if (sp < 0) return 0;
    hid_t d = H5Dcreate2(g, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = d >= 0;
    hsize_t total = 1;
    for (int r = 0; r < rank; r++) total *= dims[r];
    if (ok && total > 0) ok = H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0;
    if (ok && unit) ok = h5_attr_str(d, "unit", unit);
    if (ok && desc) ok = h5_attr_str(d, "description", desc);
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    return ok;
}

lihop_status lihop_lattice_write_h5(const lihop_lattice *lat, const char *path, lihop_err *err)
{
    if (!lat || !path) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_write_h5: NULL argument");
    size_t plen = strlen(path);
    char *part = malloc(plen + 6);
    if (!part) return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice_write_h5: out of memory");
    snprintf(part, plen + 6, "%s.part", path);

    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    lihop_status st = LIHOP_OK;
    hid_t f = H5Fcreate(part, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot create HDF5 file", part);
        goto out;
    }
    hid_t g = H5Gcreate2(f, "lattice", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = g >= 0;
    hsize_t n = (hsize_t)lat->nsites, d2[2];
    if (ok) { d2[0] = n; d2[1] = 3;
        ok = h5_dset(g, "positions_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->pos_A, "angstrom",
                     "Cartesian site positions inside the supercell"); }
    if (ok) ok = h5_dset(g, "sublattice", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n, lat->sub, NULL,
                         "sublattice index of each site (names in attribute sublattice_names)");
    if (ok) ok = h5_dset(g, "wyckoff", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n, lat->wyckoff, NULL,
                         "index of the generating Wyckoff site in the lattice file");
    hsize_t n1 = n + 1, nh = (hsize_t)lat->nhops, ne = (hsize_t)lat->nexcl;
    if (ok) ok = h5_dset(g, "hop_start", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n1, lat->hop_start, NULL,
                         "CSR offsets: hops of site i are hop_nbr[hop_start[i]:hop_start[i+1]]");
    if (ok) ok = h5_dset(g, "hop_nbr", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &nh, lat->hop_nbr, NULL,
                         "hop target site");
    if (ok) { d2[0] = nh; d2[1] = 3;
        ok = h5_dset(g, "hop_vec_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->hop_vec_A, "angstrom",
                     "minimum-image displacement of each hop"); }
    if (ok) ok = h5_dset(g, "excl_start", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &n1, lat->excl_start, NULL,
                         "CSR offsets of exclusion partners");
    if (ok) ok = h5_dset(g, "excl_nbr", H5T_NATIVE_INT32, H5T_STD_I32LE, 1, &ne, lat->excl_nbr, NULL,
                         "sites that may not be occupied together with site i");
    if (ok) { d2[0] = 3; d2[1] = 3;
        ok = h5_dset(g, "cell_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->cell_A, "angstrom",
                     "supercell vectors as rows"); }
    if (ok) ok = h5_dset(g, "unit_cell_A", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 2, d2, lat->unit_cell_A, "angstrom",
                         "conventional cell vectors as rows");
    if (ok) ok = h5_attr_strs(g, "sublattice_names", (const char (*)[16])lat->subname, lat->nsub);
    if (ok) ok = h5_attr_int(g, "cells", lat->cells, 3);
    if (ok) ok = h5_attr_int(g, "sites_per_cell", &lat->sites_per_cell, 1);
    if (ok) ok = h5_attr_int(g, "max_occupancy", &lat->max_occupancy, 1);
    if (ok) ok = h5_attr_dbl(g, "hop_cutoff_A", lat->hop_cutoff_A);
    if (ok) ok = h5_attr_dbl(g, "hop_min_A", lat->hop_min_A);
    if (ok) ok = h5_attr_dbl(g, "exclusion_cutoff_A", lat->exclusion_cutoff_A);
    if (ok) {
        hid_t d = H5Dopen2(g, "sublattice", H5P_DEFAULT);
        ok = d >= 0 && h5_attr_strs(d, "sublattice_names", (const char (*)[16])lat->subname, lat->nsub);
        if (d >= 0) H5Dclose(d);
    }
    if (g >= 0) H5Gclose(g);
    if (H5Fclose(f) < 0) ok = 0;
    if (!ok) {
        remove(part);
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: writing the lattice to HDF5 failed", part);
        goto out;
    }
    if (rename(part, path) != 0) {
        st = lihop_fail(err, LIHOP_ERR_IO, "%s: cannot rename to %s: %s", part, path, strerror(errno));
        remove(part);
    }
out:
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    free(part);
    return st;
}

/* ========================================================================== */
/* Site removal (grain-boundary slabs with a lower site density)               */
/* ========================================================================== */

lihop_status lihop_lattice_remove_sites(lihop_lattice *lat, const uint8_t *remove, int32_t *new_index,
                                        lihop_err *err)
{
    if (!lat || !remove) return lihop_fail(err, LIHOP_ERR_INPUT, "lattice_remove_sites: NULL argument");
    const int n = lat->nsites;
    int32_t *map = malloc(((size_t)n + 1) * sizeof *map);
    if (!map) return lihop_fail(err, LIHOP_ERR_NOMEM, "lattice: out of memory (site removal)");
    int m = 0;
    for (int i = 0; i < n; i++) map[i] = remove[i] ? -1 : m++;
    if (m == 0) {
        free(map);
        return lihop_fail(err, LIHOP_ERR_INPUT, "lattice: removing every one of the %d sites", n);
    }
    if (m < n) {
        /* compact in place: new index j <= old index i and kept edge count <= old edge index, so
         * every write lands on an entry already read (hop_start[i], [i + 1] are read first) */
        int64_t nh = 0, nx = 0;
        for (int i = 0; i < n; i++) {
            int32_t h0 = lat->hop_start[i], h1 = lat->hop_start[i + 1];
            int32_t x0 = lat->excl_start[i], x1 = lat->excl_start[i + 1];
            int j = map[i];
            if (j < 0) continue;
            lat->sub[j] = lat->sub[i];
            if (lat->wyckoff) lat->wyckoff[j] = lat->wyckoff[i];
            for (int k = 0; k < 3; k++) {
                lat->pos_A[3 * (size_t)j + k] = lat->pos_A[3 * (size_t)i + k];
                if (lat->frac) lat->frac[3 * (size_t)j + k] = lat->frac[3 * (size_t)i + k];
            }
            lat->hop_start[j] = (int32_t)nh;
            for (int32_t e = h0; e < h1; e++) {
                int32_t t = map[lat->hop_nbr[e]];
                if (t < 0) continue;
                lat->hop_nbr[nh] = t;
                for (int k = 0; k < 3; k++) lat->hop_vec_A[3 * nh + k] = lat->hop_vec_A[3 * (size_t)e + k];
                nh++;
            }
            lat->excl_start[j] = (int32_t)nx;
            for (int32_t x = x0; x < x1; x++) {
                int32_t t = map[lat->excl_nbr[x]];
                if (t >= 0) lat->excl_nbr[nx++] = t;
            }
        }
        lat->hop_start[m] = (int32_t)nh;
        lat->excl_start[m] = (int32_t)nx;
        lat->nsites = m;
        lat->nhops = nh;
        lat->nexcl = nx;
        lat->max_occupancy = max_occupancy(lat, &lat->max_occupancy_exact);
    }
    if (new_index) memcpy(new_index, map, (size_t)n * sizeof *map);
    free(map);
    return LIHOP_OK;
}
