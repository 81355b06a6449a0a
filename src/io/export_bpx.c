/* export_bpx.c - the BPX file of `lihop export bpx`: the user's base cell
 * (json-c) with lihop's Electrolyte block (export_bpx.h). */
#include <json-c/json.h>

#include "durable.h"
#include "export_bpx.h"
#include "lihop_version.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BPX_VERSION "1.1.0"

/* The whole of path in malloc'd memory (NUL-terminated), *len its size. */
static lihop_status read_text(const char *path, char **text, size_t *len, lihop_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return lihop_fail(err, LIHOP_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got = 1; buf && got > 0;) {
        if (n + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
            if (!buf)
                break;
        }
        got = fread(buf + n, 1, cap - 1 - n, fp);
        n += got;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory reading %s", path);
    if (bad) {
        free(buf);
        return lihop_fail(err, LIHOP_ERR_IO, "cannot read %s", path);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return LIHOP_OK;
}

/* Line and column (1-based) of byte offset off in text. */
static void line_col(const char *text, size_t off, int *line, int *col)
{
    *line = 1, *col = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n')
            ++*line, *col = 1;
        else
            ++*col;
    }
}

/* Parse text as one JSON document; syntax errors name path:line:column. */
static lihop_status parse_json(const char *path, const char *text, size_t len, json_object **root, lihop_err *err)
{
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory parsing %s", path);
    *root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    const char *why = je == json_tokener_continue ? "unexpected end of file" : json_tokener_error_desc(je);
    if (*root && je == json_tokener_success) {
        while (end < len && strchr(" \t\r\n", text[end]))
            end++;
        if (end == len)
            return LIHOP_OK;
        why = "text after the end of the JSON document";
    }
    json_object_put(*root);
    *root = NULL;
    int line, col;
    line_col(text, end, &line, &col);
    return lihop_fail(err, LIHOP_ERR_INPUT, "%s:%d:%d: not valid JSON (json-c: %s); expected a BPX 1.x cell file",
                      path, line, col, why);
}

/* parent[key] as an object; where names parent in messages. */
static lihop_status get_obj(json_object *parent, const char *key, const char *where, const char *path,
                            json_object **out, lihop_err *err)
{
    if (!json_object_object_get_ex(parent, key, out))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: no \"%s\" in %s (a BPX base cell needs it)", path, key, where);
    if (!json_object_is_type(*out, json_type_object))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: %s.\"%s\" is a %s, expected an object", path, where, key,
                          json_type_to_name(json_object_get_type(*out)));
    return LIHOP_OK;
}

/* Header.BPX must be a 1.x version ("1.1.0" or the older number 1.0). */
static lihop_status check_version(json_object *header, const char *path, lihop_err *err)
{
    json_object *b;
    if (!json_object_object_get_ex(header, "BPX", &b))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: no \"BPX\" version in Header", path);
    int major = -1;
    if (json_object_is_type(b, json_type_string))
        major = strncmp(json_object_get_string(b), "1.", 2) == 0 ? 1 : 0;
    else if (json_object_is_type(b, json_type_double) || json_object_is_type(b, json_type_int))
        major = (int)floor(json_object_get_double(b));
    if (major != 1)
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: Header.\"BPX\" is %s, expected a BPX 1.x base file such as "
                          "\"1.1.0\" (a 0.x file keeps its state in Parameterisation: convert it with the "
                          "bpx package's convert_v0_to_v1, as configs/bpx/README.md says)",
                          path, json_object_to_json_string(b));
    return LIHOP_OK;
}

/* The base's Header, Cell, Electrolyte and reference temperature. */
static lihop_status check_base(json_object *root, const char *path, json_object **header, json_object **elec,
                               double *T_ref_K, lihop_err *err)
{
    if (!json_object_is_type(root, json_type_object))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: the document is a %s, expected a BPX object", path,
                          json_type_to_name(json_object_get_type(root)));
    json_object *par, *cell, *T;
    lihop_status st = get_obj(root, "Header", "the document", path, header, err);
    if (!st)
        st = check_version(*header, path, err);
    if (!st)
        st = get_obj(root, "Parameterisation", "the document", path, &par, err);
    if (!st)
        st = get_obj(par, "Cell", "Parameterisation", path, &cell, err);
    if (!st)
        st = get_obj(par, "Electrolyte", "Parameterisation", path, elec, err);
    if (st)
        return st;
    if (!json_object_object_get_ex(cell, "Reference temperature [K]", &T))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: no \"Reference temperature [K]\" in Parameterisation.Cell: "
                          "the electrolyte values are given at it", path);
    *T_ref_K = json_object_get_double(T);
    if ((!json_object_is_type(T, json_type_double) && !json_object_is_type(T, json_type_int)) ||
        !(*T_ref_K > 0.0) || !isfinite(*T_ref_K))
        return lihop_fail(err, LIHOP_ERR_INPUT, "%s: Parameterisation.Cell.\"Reference temperature [K]\" is %s, "
                          "expected a temperature > 0 K", path, json_object_to_json_string(T));
    return LIHOP_OK;
}

/* A number that prints with 17 significant digits (reads back bit-identical). */
static json_object *num17(double x)
{
    char s[40];
    snprintf(s, sizeof s, "%.17g", x);
    return json_object_new_double_s(x, s);
}

static void set_electrolyte(json_object *elec, const lihop_bpx_values *v)
{
    json_object_object_add(elec, "Conductivity [S.m-1]", num17(v->sigma_S_m));
    json_object_object_add(elec, "Conductivity activation energy [J.mol-1]", num17(v->Ea_sigma_J_mol));
    json_object_object_add(elec, "Diffusivity [m2.s-1]", num17(v->D_m2_s));
    json_object_object_add(elec, "Diffusivity activation energy [J.mol-1]", num17(v->Ea_D_J_mol));
    json_object_object_add(elec, "Cation transference number", num17(v->t_plus));
}

/* Header: the electrolyte's provenance, then the base's description; the BPX version. */
static lihop_status set_header(json_object *header, const char *results_path, const lihop_bpx_values *v,
                               lihop_err *err)
{
    json_object *d;
    const char *old = json_object_object_get_ex(header, "Description", &d) ? json_object_get_string(d) : "";
    size_t n = strlen(old) + strlen(results_path) + 2 * strlen(v->li_species) + 2048;   /* fixed text < 1 kB */
    char *s = malloc(n);
    if (!s)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory writing the BPX header");
    snprintf(s, n, "Electrolyte from lihop %s (%s), `lihop export bpx` of %s, sweep line %d: conductivity and its "
             "activation energy from the Arrhenius fit of ln sigma over %d temperatures %g-%g K, diffusivity from "
             "an Arrhenius fit of the D of species '%s', cation transference number sigma_%s / sum of the "
             "species' sigma, all at the reference temperature %g K.%s%s", LIHOP_VERSION, LIHOP_GIT_DESCRIBE,
             results_path, v->line, v->n_T, v->T_min_K, v->T_max_K, v->li_species, v->li_species, v->T_ref_K,
             old[0] ? " Electrodes, separator, cell and state from the base file: " : "", old);
    json_object_object_add(header, "Description", json_object_new_string(s));   /* frees old: s is a copy */
    free(s);
    /* the Electrolyte keys written are BPX 1.1's: a 1.0 base is relabelled, 1.1.x kept */
    json_object *b;
    if (!json_object_object_get_ex(header, "BPX", &b) || !json_object_is_type(b, json_type_string) ||
        strncmp(json_object_get_string(b), "1.1", 3) != 0)
        json_object_object_add(header, "BPX", json_object_new_string(BPX_VERSION));
    return LIHOP_OK;
}

/* text to out_path through durable.h: locked, written to OUT.tmp, flushed to the disk, renamed. */
static lihop_status write_atomic(const char *out_path, const char *text, lihop_err *err)
{
    lihop_durable d;
    FILE *fp;
    lihop_status st = lihop_durable_fopen(&d, out_path, &fp, err);
    if (st)
        return st;
    int ok = fputs(text, fp) != EOF && fputc('\n', fp) != EOF;
    return lihop_durable_fclose(&d, fp, ok, err);
}

lihop_status lihop_export_bpx(const char *results_path, const char *base_path, const char *out_path, int line,
                              lihop_bpx_values *v, lihop_err *err)
{
    char *text = NULL;
    size_t len = 0;
    json_object *root = NULL, *header = NULL, *elec = NULL;
    double T_ref_K = 0.0;
    lihop_status st = read_text(base_path, &text, &len, err);
    if (!st)
        st = parse_json(base_path, text, len, &root, err);
    free(text);
    if (!st)
        st = check_base(root, base_path, &header, &elec, &T_ref_K, err);
    if (!st)
        st = lihop_bpx_values_read(results_path, line, T_ref_K, v, err);
    if (!st) {
        set_electrolyte(elec, v);
        st = set_header(header, results_path, v, err);
    }
    if (!st) {
        json_object_object_del(root, "Validation");   /* measured with the base cell's own electrolyte */
        const char *out = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
        st = out ? write_atomic(out_path, out, err)
                 : lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory writing %s", out_path);
    }
    json_object_put(root);
    return st;
}
