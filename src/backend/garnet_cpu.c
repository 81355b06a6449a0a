/* garnet_cpu.c - the garnet replicas on a backend (backend layer): OpenMP
 * over replicas on the CPU, or the CUDA launcher, chosen by
 * lihop_backend_resolve.  Records are bit-identical on every backend. */
#include <omp.h>
#include <stdint.h>
#include "backend.h"
#include "backend_cuda.h"
#include "garnet_impl.h"
#include "garnet_run.h"

static lihop_status check_range(int64_t first, int64_t count, lihop_err *err)
{
    if (first < 0 || count < 0 || first + count >= (int64_t)PILOT_ID)
        return lihop_fail(err, LIHOP_ERR_INPUT, "garnet: replica range %lld + %lld out of bounds",
                          (long long)first, (long long)count);
    return LIHOP_OK;
}

static lihop_status placement_error(const lihop_garnet *g, int64_t rid, lihop_err *err)
{
    return lihop_fail(err, LIHOP_ERR_INPUT,
                      "garnet: replica %lld: cannot place %lld Li on %d sites under the exclusion rules",
                      (long long)rid, (long long)g->p.nli, (int)g->nsites);
}

lihop_status lihop_garnet_run_replicas(lihop_garnet *g, int64_t first, int64_t count, int nthreads,
                                       lihop_garnet_replica *out, lihop_err *err)
{
    lihop_status st = check_range(first, count, err);
    if (st != LIHOP_OK) return st;
    lihop_garnet_job J;
    st = lihop_garnet_job_get(g, &J, err);
    if (st != LIHOP_OK) return st;
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();
    if ((int64_t)nt > count) nt = count > 0 ? (int)count : 1;
    int nomem = 0;
    int64_t bad_rep = -1, skipped = 0;
    /* The stop flag is read before each replica starts (a replica is the
     * chunk: tens of ms for the shipped decks), so a stop costs one read per
     * replica and no barrier; records are independent of it. */
    #pragma omp parallel num_threads(nt)
    {
        lihop_garnet_work w;
        void *buf = lihop_garnet_work_alloc(&J, &w);
        if (!buf) {
            #pragma omp atomic write
            nomem = 1;
        }
        #pragma omp for schedule(dynamic, 1) reduction(+ : skipped)
        for (int64_t k = 0; k < count; ++k) {
            if (!buf) continue;
            if (lihop_garnet_stop_requested(g)) { ++skipped; continue; }
            if (lihop_garnet_replica_run(&J, &w, first + k, &out[k]) != 0) {
                #pragma omp critical(lihop_garnet_bad)
                if (bad_rep < 0 || first + k < bad_rep) bad_rep = first + k;
            }
        }
        free(buf);
    }
    if (nomem) return lihop_fail(err, LIHOP_ERR_NOMEM, "garnet: out of memory (replica scratch)");
    if (bad_rep >= 0) return placement_error(g, bad_rep, err);
    if (skipped > 0)
        return lihop_fail(err, LIHOP_ERR_INTERRUPTED, "garnet: interrupted with %lld of %lld replicas not run",
                          (long long)skipped, (long long)count);
    return LIHOP_OK;
}

lihop_status lihop_garnet_run_replicas_backend(lihop_garnet *g, lihop_backend_kind backend, int64_t first,
                                               int64_t count, int nthreads, lihop_garnet_replica *out,
                                               lihop_err *err)
{
    lihop_backend_kind got;
    lihop_status st = lihop_backend_resolve(backend, &got, err);
    if (st != LIHOP_OK) return st;
    if (got != LIHOP_BACKEND_CUDA) return lihop_garnet_run_replicas(g, first, count, nthreads, out, err);
    st = check_range(first, count, err);
    if (st != LIHOP_OK) return st;
    lihop_garnet_job J;
    st = lihop_garnet_job_get(g, &J, err);
    if (st != LIHOP_OK) return st;
    /* Calls of at most LIHOP_GARNET_CUDA_CHUNK replicas with the stop flag read
     * before each (a replica's record does not depend on the launch shape). */
    for (int64_t done = 0; done < count;) {
        if (lihop_garnet_stop_requested(g))
            return lihop_fail(err, LIHOP_ERR_INTERRUPTED, "garnet (cuda): interrupted with %lld of %lld replicas not run",
                              (long long)(count - done), (long long)count);
        int64_t n = count - done < LIHOP_GARNET_CUDA_CHUNK ? count - done : LIHOP_GARNET_CUDA_CHUNK;
        st = lihop_cuda_garnet_run_replicas(&J, first + done, n, LIHOP_CUDA_GARNET_AUTO, out + done, err);
        if (st != LIHOP_OK) return st;
        done += n;
    }
    for (int64_t k = 0; k < count; ++k)
        if (out[k].status != 0) return placement_error(g, first + k, err);
    return LIHOP_OK;
}

/* ---- observables ------------------------------------------------------------- */

