/* durable.h - crash-safe replacement of a results file (io layer).
 *
 * A results file is never written in place.  Each change is made on a copy,
 * PATH.tmp: begin() copies PATH to it (or starts it empty), the caller opens
 * and writes the copy and closes it, and commit() flushes it to the disk
 * (fsync) and renames it over PATH, which POSIX makes atomic.  So PATH is at
 * every moment either the previous consistent file or the next one: a full
 * disk, a quota, SIGKILL or a power cut costs at most the change in flight,
 * and a failed change leaves PATH as it was (abort() removes the copy).
 *
 * One writer per file: lock() takes an exclusive flock on PATH.lock (created
 * beside it, removed by unlock()) before anything else happens, so a second
 * `lihop run` on the same output, --overwrite included, is refused while the
 * first one runs, and the first one's file is untouched.  A stale PATH.tmp
 * left by a killed run is removed by the next lock holder.
 *
 * The cost is one copy of the file per commit (a point), about the time to
 * read and write the file once; results files are small next to the work of a
 * point. */
#ifndef LIHOP_DURABLE_H
#define LIHOP_DURABLE_H

#include "status.h"

#include <stdio.h>

#define LIHOP_DURABLE_PATH_LEN 1100

typedef struct {
    char path[LIHOP_DURABLE_PATH_LEN];
    char tmp[LIHOP_DURABLE_PATH_LEN];
    char lock[LIHOP_DURABLE_PATH_LEN];
    int lock_fd;                    /* -1: not locked */
    int active;                     /* a copy is open for writing */
} lihop_durable;

/* Lock path for this process: LIHOP_ERR_IO "another process is writing PATH"
 * when held elsewhere.  Initialises d. */
lihop_status lihop_durable_lock(lihop_durable *d, const char *path, lihop_err *err);
/* Start a change: d->tmp is a fresh copy of path (copy = 1) or absent (copy = 0:
 * the caller creates it).  Errors (disk full included) are LIHOP_ERR_IO and
 * leave path untouched. */
lihop_status lihop_durable_begin(lihop_durable *d, int copy, lihop_err *err);
/* fsync d->tmp, rename it over path, fsync the directory. */
lihop_status lihop_durable_commit(lihop_durable *d, lihop_err *err);
/* Drop the change in flight (removes d->tmp). */
void lihop_durable_abort(lihop_durable *d);
/* Remove the lock file and release it; NULL or unlocked d: no-op. */
void lihop_durable_unlock(lihop_durable *d);

/* A text output (CSV, YAML, JSON) the same way: fopen() locks path and opens
 * PATH.tmp for writing; fclose() closes it and, when keep and every write
 * succeeded, commits it over path, else removes it; then unlocks.  A failed
 * export leaves an existing path as it was. */
lihop_status lihop_durable_fopen(lihop_durable *d, const char *path, FILE **f, lihop_err *err);
lihop_status lihop_durable_fclose(lihop_durable *d, FILE *f, int keep, lihop_err *err);

#endif
