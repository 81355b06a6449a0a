/* export_h5md.h - trajectories of a finished point as H5MD 1.1 (io layer,
 * export_h5md.c), for MDAnalysis, kinisi and other H5MD readers
 * (`lihop export h5md`; README "H5MD trajectory export").
 *
 * Two halves: what a replay needs from a results file (h5out.h layout) about
 * one finished point, and the H5MD writer of replayed voxel walkers
 * (voxel_replay.h) or garnet Li ions (garnet_replay.h).  The file written (one particle group, so that MDAnalysis,
 * which reads only the first, sees every atom):
 *
 *   /h5md                        attribute version int32 [2] = {1, 1}
 *     author/                    attribute name (who ran the export)
 *     creator/                   attributes name = "lihop", version
 *   /particles/<species>/        (garnet: li, one replica's Li ions at their sites)
 *     box/                       attributes dimension = 3, boundary = periodic x 3
 *       edges/{step,time,value}  value [nframes][3] float64 "nm" (fixed box, stored per
 *                                frame: MDAnalysis reads box/edges/value[frame])
 *     position/{step,time,value} value [nframes][N][3] float32 "nm": voxel centres
 *                                wrapped into the box [0, L)
 *     image/{step,time,value}    value [nframes][N][3] int32: periodic images, so the
 *                                unwrapped position is value + image L
 *     species                    [N] int32 (the species index, all equal)
 *       step [nframes] int64 = frame index; time [nframes] float64 "s"; the step and
 *       time of box/edges and image are hard links to those of position
 *   /parameters/lihop/           provenance: model, results_file, point, species,
 *                                particles, seed, hops, T_K, t_end_s, max_step_nm [3],
 *                                D_m2_s and D_err_m2_s [3] of the point as stored;
 *                                voxel: point_walkers, voxel_size_m; garnet:
 *                                replica, replicas
 *
 * The file appears complete or not at all (written to OUT.tmp, renamed). */
#ifndef LIHOP_EXPORT_H5MD_H
#define LIHOP_EXPORT_H5MD_H

#include <stdint.h>
#include "config.h"
#include "garnet_replay.h"
#include "voxel_replay.h"

#define LIHOP_POINT_MAX_ATTRS 64

/* One finished voxel point of a results file, as a replay needs it. */
typedef struct {
    char model[16], status[32];
    char *config_text, *config_path;            /* /metadata attributes (malloc'd) */
    int nspecies, nphases;
    char species[LIHOP_MAX_SPECIES][LIHOP_NAME_LEN];
    char transference_species[LIHOP_NAME_LEN];
    char *material_text[LIHOP_MAX_PHASES];      /* voxel: /metadata/phases/material_text; NULL: absent */
    char *garnet_material_text, *garnet_lattice_text;   /* garnet: /metadata material_text, lattice_text */
    int64_t nli;                                /* garnet: Li per replica */
    double phase_fraction[LIHOP_MAX_PHASES];    /* of the point's microstructure */
    int nattrs;                                 /* numeric scalar attributes of /points/<k> (coordinates) */
    char attr_name[LIHOP_POINT_MAX_ATTRS][64];
    double attr_value[LIHOP_POINT_MAX_ATTRS];
    uint64_t seed;                              /* the point's seed attribute */
    uint64_t hops;                              /* garnet: the main run's production hops (attribute) */
    /* per species (garnet: one, "li", of the main run: walkers = replicas, D = tracer D per axis) */
    double t_end_s[LIHOP_MAX_SPECIES];
    int32_t extensions[LIHOP_MAX_SPECIES];
    uint64_t walkers[LIHOP_MAX_SPECIES];
    double D_m2_s[LIHOP_MAX_SPECIES][3], D_err_m2_s[LIHOP_MAX_SPECIES][3];
} lihop_results_point;

/* Read finished point `id` (/points/<id> with complete = 1) of results file
 * path.  LIHOP_ERR_IO: the file cannot be read; LIHOP_ERR_INPUT: not HDF5, not
 * a lihop results file, or no such finished point (the message lists the
 * finished ids). */
lihop_status lihop_results_point_read(const char *path, int id, lihop_results_point *out, lihop_err *err);
void lihop_results_point_free(lihop_results_point *p);
/* The numeric attribute `name` of the point; 0 when absent. */
int lihop_results_point_attr(const lihop_results_point *p, const char *name, double *value);

/* Frames as the file stores them, built from a replay. */
typedef struct {
    uint64_t natoms;
    int nframes;
    double *time_s;           /* [nframes], s */
    double box_nm[3];         /* orthorhombic box edges */
    float *pos_nm;            /* [nframes][natoms][3] wrapped into [0, box) */
    int32_t *image;           /* [nframes][natoms][3]: unwrapped = pos + image box */
    double max_step_nm[3];    /* largest |move| of an atom between consecutive frames, per axis */
} lihop_h5md_frames;

/* Voxel walkers: voxel centres ((c + 1/2) h).  Garnet Li: their site positions. */
lihop_status lihop_h5md_frames_voxel(const lihop_voxel_traj *t, lihop_h5md_frames *f, lihop_err *err);
lihop_status lihop_h5md_frames_garnet(const lihop_garnet_traj *t, lihop_h5md_frames *f, lihop_err *err);
void lihop_h5md_frames_free(lihop_h5md_frames *f);   /* the arrays, not f */

/* Provenance (/parameters/lihop) and the /h5md group. */
typedef struct {
    const char *model;              /* "voxel" or "garnet" */
    const char *species;            /* particle group name */
    int species_index;
    const char *author, *creator_version;
    const char *results_path;
    int point;
    uint64_t seed, hops;
    double T_K, t_end_s;
    double D_m2_s[3], D_err_m2_s[3];   /* the point's D (voxel: the species'; garnet: tracer) per axis, as stored */
    uint64_t point_walkers;         /* voxel: walkers of the species at the point */
    double voxel_size_m;            /* voxel: h */
    int64_t replica, replicas;      /* garnet: the replica exported, of how many */
} lihop_h5md_info;

/* Write f as H5MD 1.1 to path (via path.tmp and a rename). LIHOP_ERR_IO when
 * it cannot be written (nothing is left at path then). */
lihop_status lihop_h5md_write(const char *path, const lihop_h5md_info *info, const lihop_h5md_frames *f,
                              lihop_err *err);

#endif
