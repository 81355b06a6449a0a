/* provenance.h - /metadata of the files lihop writes besides results files
 * (`lihop lattice -o`, `lihop micro`): which lihop made the file, from what
 * input, with which command, when (provenance.c).  Results files have their
 * own, larger /metadata (h5out.h); the attribute names here are the same.
 *
 *   /metadata                       group; attributes (strings unless noted):
 *       file_kind                     "lattice" or "microstructure"
 *       lihop_version, git_describe   of the binary that wrote the file
 *       command_line                  the command as typed ("lihop micro deck.yaml -o m.h5")
 *       created                       ISO 8601 UTC
 *       config_path, config_text      microstructure: the deck and its whole text
 *       lattice_path, lattice_text    lattice: the lattice file and its whole text
 *       seed                          uint64, microstructure only (the generator's seed)
 */
#ifndef LIHOP_PROVENANCE_H
#define LIHOP_PROVENANCE_H

#include <stdint.h>

typedef struct {
    const char *command_line;   /* NULL: this process's own (/proc/self/cmdline on Linux, else "") */
    const char *input_path;     /* the deck (microstructure) or lattice file; NULL: "" */
    const char *input_text;     /* its whole text; NULL: read from input_path ("" when unreadable) */
    int has_seed;               /* 1: seed is written */
    uint64_t seed;
} lihop_provenance;

/* The internal writer (io layer): include <hdf5.h> and h5util.h first. */
#if defined(H5_VERS_MAJOR) && defined(LIHOP_H5UTIL_H)
typedef enum { LIHOP_PROV_LATTICE, LIHOP_PROV_MICRO } lihop_prov_kind;
/* /metadata of file (created here) from prov (NULL: every field defaulted). */
int lihop_h5i_write_provenance(lihop_h5i_ctx *c, hid_t file, lihop_prov_kind kind, const lihop_provenance *prov);
#endif

#endif
