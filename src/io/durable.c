/* durable.c - copy, fsync and rename for results files (durable.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#define _DEFAULT_SOURCE              /* flock */
#include "durable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static lihop_status io_fail(lihop_err *err, const char *what, const char *path, int e)
{
    return lihop_fail(err, LIHOP_ERR_IO, "%s %s: %s%s", what, path, strerror(e),
                      e == ENOSPC || e == EDQUOT ? " (the finished points are kept; free space, then --resume)" : "");
}

lihop_status lihop_durable_lock(lihop_durable *d, const char *path, lihop_err *err)
{
    memset(d, 0, sizeof *d);
    d->lock_fd = -1;
    if (strlen(path) + 6 > sizeof d->path)
        return lihop_fail(err, LIHOP_ERR_INPUT, "output path too long (%zu characters)", strlen(path));
    snprintf(d->path, sizeof d->path, "%s", path);
    snprintf(d->tmp, sizeof d->tmp, "%s.tmp", path);
    snprintf(d->lock, sizeof d->lock, "%s.lock", path);
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(d->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return io_fail(err, "cannot create the lock file", d->lock, errno);
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK)
                return lihop_fail(err, LIHOP_ERR_IO, "another process is writing %s (it holds %s); wait for it "
                                  "to finish or stop it, then --resume", path, d->lock);
            return io_fail(err, "cannot lock", d->lock, e);
        }
        /* The holder before us may have removed the file we opened: lock the
         * file that is at the path now, or try again. */
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(d->lock, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
            d->lock_fd = fd;
            unlink(d->tmp);          /* stale copy of a killed run */
            return LIHOP_OK;
        }
        close(fd);
    }
    return lihop_fail(err, LIHOP_ERR_IO, "cannot lock %s: it keeps changing", d->lock);
}

static lihop_status copy_file(const char *from, const char *to, lihop_err *err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return io_fail(err, "cannot open", from, errno);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        int e = errno;
        close(in);
        return io_fail(err, "cannot create", to, e);
    }
    char buf[1 << 16];
    lihop_status st = LIHOP_OK;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = io_fail(err, "cannot read", from, errno);
            break;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n && !st;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                st = io_fail(err, "cannot write", to, errno);
            else
                off += w;
        }
        if (st)
            break;
    }
    close(in);
    if (close(out) != 0 && !st)
        st = io_fail(err, "cannot write", to, errno);
    if (st)
        unlink(to);
    return st;
}

lihop_status lihop_durable_begin(lihop_durable *d, int copy, lihop_err *err)
{
    unlink(d->tmp);
    d->active = 1;
    if (!copy)
        return LIHOP_OK;
    lihop_status st = copy_file(d->path, d->tmp, err);
    if (st)
        d->active = 0;
    return st;
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

lihop_status lihop_durable_commit(lihop_durable *d, lihop_err *err)
{
    if (fsync_path(d->tmp, O_RDONLY) != 0) {
        lihop_status st = io_fail(err, "cannot write", d->tmp, errno);
        lihop_durable_abort(d);
        return st;
    }
    if (rename(d->tmp, d->path) != 0) {
        lihop_status st = io_fail(err, "cannot replace", d->path, errno);
        lihop_durable_abort(d);
        return st;
    }
    d->active = 0;
    char dir[LIHOP_DURABLE_PATH_LEN];
    snprintf(dir, sizeof dir, "%s", d->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    fsync_path(dir, O_RDONLY | O_DIRECTORY);   /* best effort: some file systems refuse */
    return LIHOP_OK;
}

void lihop_durable_abort(lihop_durable *d)
{
    if (d->active)
        unlink(d->tmp);
    d->active = 0;
}

void lihop_durable_unlock(lihop_durable *d)
{
    if (!d || d->lock_fd < 0)
        return;
    lihop_durable_abort(d);
    unlink(d->lock);
    close(d->lock_fd);
    d->lock_fd = -1;
}

lihop_status lihop_durable_fopen(lihop_durable *d, const char *path, FILE **f, lihop_err *err)
{
    *f = NULL;
    lihop_status st = lihop_durable_lock(d, path, err);
    if (st)
        return st;
    if ((st = lihop_durable_begin(d, 0, err)) == LIHOP_OK && !(*f = fopen(d->tmp, "w"))) {
        st = lihop_fail(err, LIHOP_ERR_IO, "cannot write %s: %s", d->tmp, strerror(errno));
        lihop_durable_abort(d);
    }
    if (st)
        lihop_durable_unlock(d);
    return st;
}

lihop_status lihop_durable_fclose(lihop_durable *d, FILE *f, int keep, lihop_err *err)
{
    int bad = ferror(f) || fflush(f) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad)
        bad = 1, e = errno;
    lihop_status st = LIHOP_OK;
    if (keep && bad)
        st = lihop_fail(err, LIHOP_ERR_IO, "cannot write %s: %s", d->tmp, strerror(e));
    if (keep && !bad)
        st = lihop_durable_commit(d, err);
    else
        lihop_durable_abort(d);
    lihop_durable_unlock(d);
    return st;
}
