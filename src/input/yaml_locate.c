/* yaml_locate.c - key path -> line lookups on a libyaml document (see yaml_locate.h). */
#include "yaml_locate.h"

#include <stdlib.h>
#include <string.h>

/* Line (1-based) of byte `offset`: reader errors (bad UTF-8) only give an offset. */
static int line_of_offset(const char *text, size_t len, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

static lihop_status syntax_error(const yaml_parser_t *p, const char *text, size_t len,
                                 const char *name, lihop_err *err)
{
    if (p->error == YAML_MEMORY_ERROR)
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: out of memory while reading YAML", name);
    if (p->error == YAML_READER_ERROR)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s:%d: expected valid UTF-8 YAML text, got %s (byte 0x%02x)", name,
                          line_of_offset(text, len, p->problem_offset),
                          p->problem ? p->problem : "unreadable text",
                          (unsigned)(p->problem_value & 0xff));
    int line = (int)p->problem_mark.line + 1;
    if (p->context)
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s:%d: expected valid YAML, got a syntax error: %s (%s on line %d)",
                          name, line, p->problem ? p->problem : "unknown problem", p->context,
                          (int)p->context_mark.line + 1);
    return lihop_fail(err, LIHOP_ERR_INPUT, "%s:%d: expected valid YAML, got a syntax error: %s",
                      name, line, p->problem ? p->problem : "unknown problem");
}

/* Refuse nesting deeper than LIHOP_YAML_MAX_DEPTH from the event stream,
 * before the document is built: libyaml's scanner is quadratic in the depth of
 * flow collections ([[[[...) and the schema check recurses per level.  Events
 * are read lazily, so a deep text is refused after about MAX_DEPTH levels.  A
 * syntax error ends the scan quietly: the load that follows reports it. */
static lihop_status check_depth(const char *text, size_t len, const char *name, lihop_err *err)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: cannot initialise the YAML parser", name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    lihop_status st = LIHOP_OK;
    int depth = 0, done = 0;
    while (!done && st == LIHOP_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev))
            break;
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        done = ev.type == YAML_STREAM_END_EVENT;
        if (depth > LIHOP_YAML_MAX_DEPTH)
            st = lihop_fail(err, LIHOP_ERR_INPUT,
                            "%s:%d: expected lists and mappings nested at most %d deep, got deeper nesting",
                            name, (int)ev.start_mark.line + 1, LIHOP_YAML_MAX_DEPTH);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return st;
}

lihop_status lihop_yaml_doc_load(yaml_document_t *doc, const char *text, size_t len,
                                 const char *name, lihop_err *err)
{
    lihop_status dst = check_depth(text, len, name, err);
    if (dst != LIHOP_OK)
        return dst;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return lihop_fail(err, LIHOP_ERR_NOMEM, "%s: cannot initialise the YAML parser", name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, doc)) {
        lihop_status st = syntax_error(&parser, text, len, name, err);
        yaml_parser_delete(&parser);
        return st;
    }
    /* A second document would be silently ignored by both loaders: refuse it. */
    yaml_document_t next;
    if (!yaml_parser_load(&parser, &next)) {
        lihop_status st = syntax_error(&parser, text, len, name, err);
        yaml_parser_delete(&parser);
        yaml_document_delete(doc);
        return st;
    }
    int extra = yaml_document_get_root_node(&next) != NULL;
    int extra_line = (int)next.start_mark.line + 1;
    yaml_document_delete(&next);
    yaml_parser_delete(&parser);
    if (extra) {
        yaml_document_delete(doc);
        return lihop_fail(err, LIHOP_ERR_INPUT,
                          "%s:%d: expected a single YAML document, got a second one", name,
                          extra_line);
    }
    return LIHOP_OK;
}

static int key_equals(const yaml_node_t *key, const char *seg, size_t n)
{
    return key && key->type == YAML_SCALAR_NODE && key->data.scalar.length == n &&
           memcmp(key->data.scalar.value, seg, n) == 0;
}

yaml_node_t *lihop_yaml_lookup(yaml_document_t *doc, const char *path, int *line)
{
    yaml_node_t *node = yaml_document_get_root_node(doc);
    int where = node ? (int)node->start_mark.line + 1 : 1;
    const char *p = path;
    while (node && *p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            if (*end != ']' || i < 0 || node->type != YAML_SEQUENCE_NODE) {
                node = NULL;
                break;
            }
            p = end + 1;
            yaml_node_item_t *items = node->data.sequence.items.start;
            long count = (long)(node->data.sequence.items.top - items);
            if (i >= count) {
                node = NULL;
                break;
            }
            node = yaml_document_get_node(doc, items[i]);
            if (node)
                where = (int)node->start_mark.line + 1;
            continue;
        }
        size_t n = strcspn(p, ".[");
        yaml_node_t *found = NULL;
        if (node->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *pr = node->data.mapping.pairs.start;
                 pr < node->data.mapping.pairs.top; pr++) {
                yaml_node_t *key = yaml_document_get_node(doc, pr->key);
                if (key_equals(key, p, n)) {
                    where = (int)key->start_mark.line + 1;
                    found = yaml_document_get_node(doc, pr->value);
                    break;
                }
            }
        }
        node = found;
        p += n;
    }
    if (line)
        *line = where;
    return node;
}

int lihop_yaml_is_null(const yaml_node_t *node)
{
    if (!node || node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)node->data.scalar.value;
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

void lihop_yaml_describe(const yaml_node_t *node, char *buf, size_t n)
{
    if (n == 0)
        return;
    if (!node || lihop_yaml_is_null(node)) {
        snprintf(buf, n, "nothing");
        return;
    }
    if (node->type == YAML_SEQUENCE_NODE) {
        snprintf(buf, n, "a list");
        return;
    }
    if (node->type == YAML_MAPPING_NODE) {
        snprintf(buf, n, "a mapping");
        return;
    }
    const char *s = (const char *)node->data.scalar.value;
    int len = (int)node->data.scalar.length;
    const char *more = "";
    if (len > 60) {
        len = 60;
        more = "...";
    }
    /* Plain numbers read best bare; anything else is quoted so spaces show. */
    char *end = NULL;
    if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && node->data.scalar.length > 0) {
        (void)strtod(s, &end);
        if (*end == '\0') {
            snprintf(buf, n, "%.*s%s", len, s, more);
            return;
        }
    }
    snprintf(buf, n, "'%.*s%s'", len, s, more);
}
