/* provenance.c - /metadata of lattice and microstructure files (provenance.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <hdf5.h>

#include "results_impl.h"
#include "lihop_version.h"
#include "provenance.h"

#include <stdio.h>
#include <stdlib.h>

/* This process's command line as typed ("lihop" for argv[0], the arguments
 * space-separated, like `lihop run` stores it), or "" where /proc is absent. */
static void process_cmdline(char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *fp = fopen("/proc/self/cmdline", "rb");
    if (!fp)
        return;
    char raw[4096];
    size_t len = fread(raw, 1, sizeof raw - 1, fp);
    fclose(fp);
    raw[len] = '\0';
    snprintf(buf, n, "lihop");
    for (size_t i = strlen(raw) + 1; i < len; i += strlen(raw + i) + 1) {
        strncat(buf, " ", n - strlen(buf) - 1);
        strncat(buf, raw + i, n - strlen(buf) - 1);
    }
}

/* The whole text of path (malloc'd; "" when it cannot be read), or NULL without memory. */
static char *slurp(const char *path)
{
    FILE *fp = path && path[0] ? fopen(path, "rb") : NULL;
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    while (s && fp) {
        size_t got = fread(s + len, 1, cap - len - 1, fp);
        len += got;
        if (got == 0)
            break;
        if (len + 1 >= cap) {
            char *t = realloc(s, cap * 2);
            if (!t) {
                free(s);
                s = NULL;
                break;
            }
            s = t;
            cap *= 2;
        }
    }
    if (fp)
        fclose(fp);
    if (s)
        s[len] = '\0';
    return s;
}

int lihop_h5i_write_provenance(lihop_h5i_ctx *c, hid_t file, lihop_prov_kind kind, const lihop_provenance *prov)
{
    const lihop_provenance none = {0};
    const lihop_provenance *p = prov ? prov : &none;
    char cmd[2048], now[32];
    if (p->command_line)
        snprintf(cmd, sizeof cmd, "%s", p->command_line);
    else
        process_cmdline(cmd, sizeof cmd);
    lihop_h5r_iso_now(now);
    char *text = p->input_text ? NULL : slurp(p->input_path);
    if (!p->input_text && !text)
        return lihop_h5i_fail(c, LIHOP_ERR_NOMEM, "out of memory reading %s", p->input_path);
    const int micro = kind == LIHOP_PROV_MICRO;
    hid_t g;
    int rc = lihop_h5i_make_group(c, file, "metadata", &g);
    if (rc == 0) {
        const char *o = "/metadata";
        rc = lihop_h5i_attr_str(c, g, o, "file_kind", micro ? "microstructure" : "lattice") < 0 ||
             lihop_h5i_attr_str(c, g, o, "lihop_version", LIHOP_VERSION) < 0 ||
             lihop_h5i_attr_str(c, g, o, "git_describe", LIHOP_GIT_DESCRIBE) < 0 ||
             lihop_h5i_attr_str(c, g, o, "command_line", cmd) < 0 ||
             lihop_h5i_attr_str(c, g, o, "created", now) < 0 ||
             lihop_h5i_attr_str(c, g, o, micro ? "config_path" : "lattice_path",
                                p->input_path ? p->input_path : "") < 0 ||
             lihop_h5i_attr_str(c, g, o, micro ? "config_text" : "lattice_text",
                                p->input_text ? p->input_text : text) < 0 ||
             (micro && p->has_seed && lihop_h5i_attr_u64(c, g, o, "seed", p->seed) < 0) ? -1 : 0;
        H5Gclose(g);
    }
    free(text);
    return rc;
}
