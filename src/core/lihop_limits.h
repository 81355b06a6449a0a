/* lihop_limits.h - compile-time limits shared by several layers (core layer). */
#ifndef LIHOP_LIMITS_H
#define LIHOP_LIMITS_H

#define LIHOP_GARNET_MAX_SHELLS 4     /* garnet pair shells beyond the hop graph */
#define LIHOP_MAX_LI_VALUES 64        /* garnet Li contents of one deck */

/* The garnet run's defaults (README "Config reference (garnet)"), the one
 * place both the deck reader and the engine's lihop_garnet_params_default
 * take them from. */
/* Voxel convergence: a point whose MSD slope still changes (or that misses
 * the exact network value) is rerun with twice the time, by default at most
 * twice (4x the time); the deck may allow up to 6 (64x). */
#define LIHOP_VOXEL_DEFAULT_EXTENSIONS 2
#define LIHOP_VOXEL_MAX_EXTENSIONS 6
#define LIHOP_GARNET_DEFAULT_REPLICAS 64
#define LIHOP_GARNET_DEFAULT_HOPS_PER_LI 100.0
#define LIHOP_GARNET_DEFAULT_EQUIL_HOPS_PER_LI 20.0
#define LIHOP_GARNET_DEFAULT_SAMPLES 32
#define LIHOP_GARNET_DEFAULT_BATCHES 8
#define LIHOP_GARNET_DEFAULT_FIT_FROM 0.1
#define LIHOP_GARNET_DEFAULT_FIT_TO 0.5

#endif
