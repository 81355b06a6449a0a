/* garnet_run.h - the garnet replicas on a backend (backend layer,
 * garnet_cpu.c). */
#ifndef LIHOP_GARNET_RUN_H
#define LIHOP_GARNET_RUN_H

#include "config.h"         /* lihop_backend_kind */
#include "garnet.h"

/* Run replicas [first, first + count) on the CPU with nthreads OpenMP threads
 * (<= 0: OpenMP default); out[k] is replica first + k.  LIHOP_ERR_INTERRUPTED
 * when the params' interrupt flag stopped it (replicas not started are skipped). */
lihop_status lihop_garnet_run_replicas(lihop_garnet *g, int64_t first, int64_t count, int nthreads,
                                       lihop_garnet_replica *out, lihop_err *err);

/* The same on a chosen backend: LIHOP_BACKEND_CPU, LIHOP_BACKEND_CUDA (fails
 * with LIHOP_ERR_NO_GPU without a device) or LIHOP_BACKEND_AUTO (CUDA when a
 * device exists, see lihop_backend_resolve).  Records are bit-identical on
 * every backend.  nthreads only matters for the CPU. */
lihop_status lihop_garnet_run_replicas_backend(lihop_garnet *g, lihop_backend_kind backend, int64_t first,
                                               int64_t count, int nthreads, lihop_garnet_replica *out,
                                               lihop_err *err);

#endif
