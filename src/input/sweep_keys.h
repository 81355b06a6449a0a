/* sweep_keys.h - the sweepable keys of a deck in its YAML text (input layer).
 *
 * A sweepable key (README "Sweeps") may be written as a scalar or as a list;
 * a list makes it an axis.  The schema declares such keys as lists, so before
 * the schema check the scalars are wrapped in brackets ("0.3" -> "[0.3]": same
 * lines, errors keep their line numbers).  For --resume the deck's "fixed
 * part" is its text with every sweepable value replaced by "*": two decks with
 * equal fixed parts differ only in their sweep values. */
#ifndef LIHOP_SWEEP_KEYS_H
#define LIHOP_SWEEP_KEYS_H

#include <stddef.h>
#include <yaml.h>
#include "status.h"

#define LIHOP_MAX_SWEEP_NODES 40

typedef struct {
    char path[96];          /* key path (yaml_locate.h syntax) */
    int is_list;            /* written as a YAML sequence */
    int line;               /* 1-based line of the key */
    size_t start, end;      /* byte range of the value in the text */
} lihop_sweep_node;

/* The sweepable keys present in doc (garnet: 1 for a garnet deck), in
 * document order of the key table; returns the count (<= cap). */
int lihop_sweep_nodes(yaml_document_t *doc, int garnet, lihop_sweep_node *out, int cap);

/* malloc'd copies of text: scalars of nodes wrapped in brackets, or every
 * node's value replaced by "*".  NULL when out of memory. */
char *lihop_sweep_wrap(const char *text, const lihop_sweep_node *nodes, int n);
char *lihop_sweep_mask(const char *text, const lihop_sweep_node *nodes, int n);

/* 1 if the node at path was written as a list, 0 if scalar or absent. */
int lihop_sweep_is_list(const lihop_sweep_node *nodes, int n, const char *path);

#endif
