/* sweep_mpi.h - `mpirun -np N lihop run CONFIG` (app layer, README "MPI").
 *
 * Rank 0 owns the results file, the screen and the schedule: it hands point
 * indices to ranks 1..N-1 one at a time (the next unfinished point whenever a
 * rank asks), writes each result it gets back with the serial writers and
 * prints its row.  Every rank loads the same deck and builds the same sweep;
 * a point's random streams depend on its coordinates only, so the rank that
 * runs it does not change its numbers.  With one rank, or a build without MPI
 * (LIHOP_HAVE_MPI unset: every function below takes its one-rank, serial form), `lihop run`
 * is the serial sweep. */
#ifndef LIHOP_SWEEP_MPI_H
#define LIHOP_SWEEP_MPI_H

#include <stddef.h>
#include "sweep_run.h"

/* MPI_Init_thread (MPI_THREAD_FUNNELED: OpenMP runs inside a rank, only the
 * main thread calls MPI) when started by an MPI launcher (mpirun, srun: its
 * environment names a rank); a plain `lihop ...` stays a non-MPI process. */
void lihop_mpi_init(int *argc, char ***argv);
void lihop_mpi_finalize(void);              /* after the last MPI call; safe without init */
int lihop_mpi_rank(void);                   /* 0 without MPI */
int lihop_mpi_size(void);                   /* 1 without MPI */
/* "yes (Open MPI v4.1.4)" or "no", for `lihop --version`. */
void lihop_mpi_describe(char *buf, size_t len);
/* Every rank calls it; every rank gets rank 0's code (so that every process,
 * and hence mpirun, exits with the same status). */
int lihop_mpi_share_code(int code);
/* With more than one rank: SIGUSR1 and SIGUSR2, which mpirun forwards to
 * every rank, set *flag as SIGINT does (Open MPI's mpirun answers SIGINT and
 * SIGTERM itself: SIGTERM to the ranks, SIGKILL odls_base_sigkill_timeout
 * seconds later, exit status 1). */
void lihop_mpi_catch_signals(volatile sig_atomic_t *flag);
/* One CUDA device per rank: the node-local rank modulo the device count. */
lihop_status lihop_mpi_select_gpu(lihop_err *err);

/* Rank 0: hand out the points of r to ranks 1..N-1 and record their results.
 * st != OK (a failure before the points) only tells every rank to stop.
 * Returns the first failure: rank 0's own, or a worker's status with its
 * message in r's error buffer (LIHOP_ERR_INTERRUPTED after SIGINT/SIGTERM). */
lihop_status lihop_mpi_schedule(lihop_sweep_ctx *r, lihop_status st);
/* Ranks 1..N-1: run the points rank 0 hands out until it says stop.
 * st != OK (this rank's setup failed) is reported to rank 0 instead. */
lihop_status lihop_mpi_work(lihop_sweep_ctx *r, lihop_status st);

#endif
