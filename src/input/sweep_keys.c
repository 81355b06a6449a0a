/* sweep_keys.c - find, wrap and mask the sweepable values of a deck (sweep_keys.h). */
#include "sweep_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "yaml_locate.h"

/* Vector keys ([Ex, Ey, Ez] or a list of them) and points: are masked but
 * never wrapped: the schema check reads their shape as written. */
static const char *const voxel_keys[] = {"seed", "temperature_K", "microstructure.volume_fraction",
                                         "microstructure.radius_voxels", "points", "field_V_m",
                                         "microstructure.weight_fraction", NULL};
static const char *const garnet_keys[] = {"seed", "temperature_K", "garnet.li_per_fu", "garnet.li_per_cell", "points",
                                          "garnet.field_V_m", NULL};

static int never_wrapped(const char *path)
{
    return strcmp(path, "points") == 0 || strstr(path, "field_V_m") != NULL;
}

static int add_node(yaml_document_t *doc, const char *path, lihop_sweep_node *out, int n, int cap)
{
    int line = 0;
    yaml_node_t *v = lihop_yaml_lookup(doc, path, &line);
    if (!v || n >= cap || lihop_yaml_is_null(v) ||
        (v->type != YAML_SCALAR_NODE && v->type != YAML_SEQUENCE_NODE))
        return n;   /* absent, or of a shape the schema check will name */
    lihop_sweep_node *s = &out[n];
    snprintf(s->path, sizeof s->path, "%s", path);
    s->is_list = v->type == YAML_SEQUENCE_NODE || never_wrapped(path);
    s->line = line;
    s->start = v->start_mark.index;
    s->end = v->end_mark.index;
    return n + 1;
}

int lihop_sweep_nodes(yaml_document_t *doc, int garnet, lihop_sweep_node *out, int cap)
{
    int n = 0;
    for (const char *const *k = garnet ? garnet_keys : voxel_keys; *k; k++)
        n = add_node(doc, *k, out, n, cap);
    if (garnet)
        return n;
    yaml_node_t *scs = lihop_yaml_lookup(doc, "space_charge", NULL);
    if (scs && scs->type == YAML_SEQUENCE_NODE) {
        int count = (int)(scs->data.sequence.items.top - scs->data.sequence.items.start);
        for (int i = 0; i < count; i++) {
            char path[64];
            snprintf(path, sizeof path, "space_charge[%d].phi0_V", i);
            n = add_node(doc, path, out, n, cap);
            snprintf(path, sizeof path, "space_charge[%d].length_m", i);
            n = add_node(doc, path, out, n, cap);
        }
    }
    yaml_node_t *ifs = lihop_yaml_lookup(doc, "interfaces", NULL);
    if (ifs && ifs->type == YAML_SEQUENCE_NODE) {
        int count = (int)(ifs->data.sequence.items.top - ifs->data.sequence.items.start);
        for (int i = 0; i < count; i++) {
            char path[64];
            snprintf(path, sizeof path, "interfaces[%d].asr_ohm_cm2", i);
            n = add_node(doc, path, out, n, cap);
        }
    }
    return n;
}

/* text with node values edited: each node [start, end) becomes pre + (keep ?
 * value : "") + post; nodes whose is_list equals skip_list are left alone. */
static char *edit(const char *text, const lihop_sweep_node *nodes, int n, int skip_list, const char *pre,
                  int keep, const char *post)
{
    size_t len = strlen(text), cap = len + 1 + (size_t)n * (strlen(pre) + strlen(post));
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t at = 0, o = 0;
    for (;;) {
        const lihop_sweep_node *next = NULL;  /* the first node at or after `at` */
        for (int i = 0; i < n; i++)
            if (nodes[i].is_list != skip_list && nodes[i].start >= at && (!next || nodes[i].start < next->start))
                next = &nodes[i];
        size_t stop = next ? next->start : len;
        memcpy(out + o, text + at, stop - at);
        o += stop - at;
        if (!next)
            break;
        o += (size_t)sprintf(out + o, "%s", pre);
        if (keep) {
            memcpy(out + o, text + next->start, next->end - next->start);
            o += next->end - next->start;
        }
        o += (size_t)sprintf(out + o, "%s", post);
        at = next->end;
    }
    out[o] = '\0';
    return out;
}

char *lihop_sweep_wrap(const char *text, const lihop_sweep_node *nodes, int n)
{
    return edit(text, nodes, n, 1, "[", 1, "]");
}

char *lihop_sweep_mask(const char *text, const lihop_sweep_node *nodes, int n)
{
    return edit(text, nodes, n, -1, "*", 0, "");
}

int lihop_sweep_is_list(const lihop_sweep_node *nodes, int n, const char *path)
{
    for (int i = 0; i < n; i++)
        if (strcmp(nodes[i].path, path) == 0)
            return nodes[i].is_list;
    return 0;
}
