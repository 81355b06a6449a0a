/* garnet_observe.h - garnet observables and the whole run (diag layer,
 * garnet_observe.c). */
#ifndef LIHOP_GARNET_OBSERVE_H
#define LIHOP_GARNET_OBSERVE_H

#include "garnet.h"
#include "garnet_run.h"

/* Observables and delete-one-replica jackknife errors from nrep replica
 * records, summed in replica order (the same numbers for any thread count;
 * p.nbatches is not used: res->nbatches is the number of jackknife blocks,
 * nrep). */
lihop_status lihop_garnet_reduce(const lihop_garnet *g, const lihop_garnet_replica *rep, int64_t nrep,
                                 lihop_garnet_result *res, lihop_err *err);

/* All replicas on the CPU, then reduce. */
lihop_status lihop_garnet_run(lihop_garnet *g, int nthreads, lihop_garnet_result *res, lihop_err *err);

/* All replicas on a chosen backend (AUTO: CUDA when a device exists), then reduce. */
lihop_status lihop_garnet_run_backend(lihop_garnet *g, lihop_backend_kind backend, int nthreads,
                                      lihop_garnet_result *res, lihop_err *err);

#endif
