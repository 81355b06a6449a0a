/* status.h - status codes and error messages shared by every module.
 * The library never prints or exits: it returns a status and fills a message. */
#ifndef LIHOP_STATUS_H
#define LIHOP_STATUS_H

#include <stdarg.h>
#include <stdio.h>

typedef enum {
    LIHOP_OK = 0,
    LIHOP_ERR_INPUT = 2,    /* bad config, bad file content, bad argument */
    LIHOP_ERR_IO = 3,       /* file cannot be read or written */
    LIHOP_ERR_NO_GPU = 4,   /* CUDA requested but no device / not built */
    LIHOP_ERR_NOMEM = 5,
    LIHOP_ERR_INTERNAL = 6,
    LIHOP_ERR_INTERRUPTED = 7
} lihop_status;

#define LIHOP_MSG_LEN 1024

/* The command line's exit code of a status (README "Exit codes"). */
static inline int lihop_exit_code(lihop_status st)
{
    switch (st) {
    case LIHOP_OK: return 0;
    case LIHOP_ERR_INPUT: return 2;
    case LIHOP_ERR_IO: return 3;
    case LIHOP_ERR_NO_GPU: return 4;
    case LIHOP_ERR_NOMEM: return 5;
    case LIHOP_ERR_INTERRUPTED: return 130;
    default: return 1;
    }
}

/* A message buffer carried by handles and passed to functions as `err`. */
typedef struct { char msg[LIHOP_MSG_LEN]; } lihop_err;

static inline lihop_status lihop_fail(lihop_err *err, lihop_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static inline lihop_status lihop_fail(lihop_err *err, lihop_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}

#endif
