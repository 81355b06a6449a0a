/* yaml_locate.h - line numbers and as-written values for key paths in a YAML text.
 *
 * libcyaml 1.3.1 loads values but cannot say reliably on which line a value sat,
 * so the config parser keeps a libyaml document of the same text next to the
 * loaded data and asks it "where is phases[1].carriers[0].D_cm2_s?".
 * Paths are dotted mapping keys with 0-based [i] list indices; "" is the root. */
#ifndef LIHOP_YAML_LOCATE_H
#define LIHOP_YAML_LOCATE_H

#include <stddef.h>
#include <yaml.h>
#include "status.h"

/* Deepest nesting of lists and mappings a document may have (a deck needs 5). */
#define LIHOP_YAML_MAX_DEPTH 64

/* Parse `text` (len bytes) into `doc`.  Nesting deeper than
 * LIHOP_YAML_MAX_DEPTH fails fast with "NAME:LINE: expected lists and mappings
 * nested at most 64 deep, ...".  A syntax error fails with
 * "NAME:LINE: expected valid YAML, got <problem>" and leaves `doc` unset.
 * More than one document in the text is an error too.  On success the caller
 * owns `doc` and frees it with yaml_document_delete(). */
lihop_status lihop_yaml_doc_load(yaml_document_t *doc, const char *text, size_t len,
                                 const char *name, lihop_err *err);

/* The node at `path`, or NULL when some part of it is missing.  `*line` (may be
 * NULL) gets the 1-based line of the key that introduces the node (mapping
 * values), of the entry (list items) or, when the path is missing, of the
 * deepest part that exists. */
yaml_node_t *lihop_yaml_lookup(yaml_document_t *doc, const char *path, int *line);

/* 1 if `node` is a plain empty, "~" or "null" scalar (a key with no value). */
int lihop_yaml_is_null(const yaml_node_t *node);

/* "Got ..." text for a node: a number or 'string' as written, "a list",
 * "a mapping" or "nothing".  Always NUL-terminated. */
void lihop_yaml_describe(const yaml_node_t *node, char *buf, size_t n);

#endif
