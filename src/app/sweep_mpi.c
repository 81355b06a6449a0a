/* sweep_mpi.c - the sweep's points over MPI ranks (sweep_mpi.h).
 *
 * Messages (MPI_COMM_WORLD):
 *   worker -> 0, TAG_HDR:  msg_hdr {k, status, nbytes, message}; k = -1: ready
 *                          (the first message, or a setup failure)
 *   worker -> 0, TAG_DATA: nbytes of result when k >= 0 and status OK: the
 *                          flat result struct, then (voxel) each species'
 *                          [nbatches][3] batch_D_m2_s array
 *   0 -> worker, TAG_WORK: the next point k, or -1: stop
 * Exit codes travel by broadcast (lihop_mpi_share_code).  Waits poll with a
 * 1 ms sleep instead of MPI's busy spin, so that a waiting rank leaves its
 * core to the ranks that compute. */
#include "sweep_mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend_cuda.h"

#ifdef LIHOP_HAVE_MPI

#include <mpi.h>
#include <signal.h>
#include <time.h>

enum { TAG_HDR = 1, TAG_DATA = 2, TAG_WORK = 3 };

typedef struct {
    int k, status, nbytes;
    char msg[LIHOP_MSG_LEN];
} msg_hdr;

static int g_mpi;                   /* 1: this process called MPI_Init_thread */

static int launched_by_mpi(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

void lihop_mpi_init(int *argc, char ***argv)
{
    int provided;
    if (launched_by_mpi() && MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS)
        g_mpi = 1;
}

void lihop_mpi_finalize(void)
{
    int fin = 0;
    if (g_mpi && MPI_Finalized(&fin) == MPI_SUCCESS && !fin)
        MPI_Finalize();
    g_mpi = 0;
}

int lihop_mpi_rank(void)
{
    int r = 0;
    if (g_mpi)
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int lihop_mpi_size(void)
{
    int n = 1;
    if (g_mpi)
        MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

void lihop_mpi_describe(char *buf, size_t len)
{
    char v[MPI_MAX_LIBRARY_VERSION_STRING];
    int n = 0;
    MPI_Get_library_version(v, &n);
    v[strcspn(v, ",\n")] = '\0';    /* "Open MPI v4.1.4, package: ..." -> "Open MPI v4.1.4" */
    snprintf(buf, len, "yes (%s)", v);
}

static volatile sig_atomic_t *g_flag;

static void on_usr(int sig)
{
    (void)sig;
    if (g_flag)
        *g_flag = 1;
}

void lihop_mpi_catch_signals(volatile sig_atomic_t *flag)
{
    if (lihop_mpi_size() == 1 || !flag)
        return;
    g_flag = flag;
    signal(SIGUSR1, on_usr);
    signal(SIGUSR2, on_usr);
}

static void nap(void)
{
    struct timespec t = {0, 1000000};
    nanosleep(&t, NULL);
}

static void wait_for(MPI_Request *rq)
{
    int done = 0;
    for (MPI_Test(rq, &done, MPI_STATUS_IGNORE); !done; MPI_Test(rq, &done, MPI_STATUS_IGNORE))
        nap();
}

int lihop_mpi_share_code(int code)
{
    if (lihop_mpi_size() == 1)
        return code;
    MPI_Request rq;
    MPI_Ibcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD, &rq);
    wait_for(&rq);
    return code;
}

lihop_status lihop_mpi_select_gpu(lihop_err *err)
{
    int ndev = lihop_cuda_device_count();
    if (ndev == 0)
        return LIHOP_OK;            /* lihop_backend_resolve said CUDA; the run itself reports what is missing */
    MPI_Comm node;
    int local = 0;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Comm_rank(node, &local);
        MPI_Comm_free(&node);
    }
    return lihop_cuda_select_device(local % ndev, err);
}

/* ---- results as bytes ---------------------------------------------------------- */

/* The result of a finished point as one buffer (malloc'd; NULL: out of memory). */
static unsigned char *pack(const lihop_sweep_ctx *r, const lihop_point_out *out, int *nbytes)
{
    if (lihop_sweep_is_garnet(r)) {
        *nbytes = (int)sizeof out->gar;
        unsigned char *b = malloc(sizeof out->gar);
        if (b)
            memcpy(b, &out->gar, sizeof out->gar);
        return b;
    }
    const lihop_point_result *v = &out->vox;
    size_t batch = (size_t)v->nbatches * 3 * sizeof(double), n = sizeof *v;
    for (int s = 0; s < LIHOP_MAX_SPECIES; s++)
        n += v->sp[s].batch_D_m2_s ? batch : 0;
    unsigned char *b = malloc(n), *p = b + sizeof *v;
    if (!b)
        return NULL;
    memcpy(b, v, sizeof *v);        /* the pointers travel too: non-NULL says "array follows" */
    for (int s = 0; s < LIHOP_MAX_SPECIES; s++)
        if (v->sp[s].batch_D_m2_s) {
            memcpy(p, v->sp[s].batch_D_m2_s, batch);
            p += batch;
        }
    *nbytes = (int)n;
    return b;
}

/* pack()'s inverse into out, the batch arrays re-allocated. */
static lihop_status unpack(lihop_sweep_ctx *r, const unsigned char *b, int nbytes, lihop_point_out *out)
{
    lihop_err *err = lihop_sweep_err(r);
    if (lihop_sweep_is_garnet(r)) {
        if (nbytes != (int)sizeof out->gar)
            return lihop_fail(err, LIHOP_ERR_INTERNAL, "MPI: garnet result of %d bytes, expected %zu", nbytes,
                              sizeof out->gar);
        memcpy(&out->gar, b, sizeof out->gar);
        return LIHOP_OK;
    }
    lihop_point_result *v = &out->vox;
    if (nbytes < (int)sizeof *v)
        return lihop_fail(err, LIHOP_ERR_INTERNAL, "MPI: voxel result of %d bytes", nbytes);
    memcpy(v, b, sizeof *v);
    size_t batch = (size_t)v->nbatches * 3 * sizeof(double), at = sizeof *v;
    lihop_status st = LIHOP_OK;
    for (int s = 0; s < LIHOP_MAX_SPECIES; s++) {
        if (!v->sp[s].batch_D_m2_s)
            continue;
        v->sp[s].batch_D_m2_s = st || at + batch > (size_t)nbytes ? NULL : malloc(batch ? batch : 1);
        if (!st && !v->sp[s].batch_D_m2_s)
            st = at + batch > (size_t)nbytes ? lihop_fail(err, LIHOP_ERR_INTERNAL, "MPI: voxel result truncated")
                                             : lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
        if (!st)
            memcpy(v->sp[s].batch_D_m2_s, b + at, batch);
        at += batch;
    }
    return st;
}

/* ---- rank 0 ---------------------------------------------------------------------- */

/* The next message of any worker: its header and, with a result, the result. */
static unsigned char *receive(msg_hdr *h, int *src)
{
    MPI_Status ms;
    int flag = 0;
    for (MPI_Iprobe(MPI_ANY_SOURCE, TAG_HDR, MPI_COMM_WORLD, &flag, &ms); !flag;
         MPI_Iprobe(MPI_ANY_SOURCE, TAG_HDR, MPI_COMM_WORLD, &flag, &ms))
        nap();
    *src = ms.MPI_SOURCE;
    MPI_Recv(h, (int)sizeof *h, MPI_BYTE, *src, TAG_HDR, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    h->msg[sizeof h->msg - 1] = '\0';
    if (h->nbytes <= 0)
        return NULL;
    unsigned char *b = malloc((size_t)h->nbytes);
    /* received in any case, so that the message does not stay queued */
    MPI_Recv(b ? (void *)b : (void *)h->msg, b ? h->nbytes : 0, MPI_BYTE, *src, TAG_DATA, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    return b;
}

/* A worker's message folded into the run's status st. */
static lihop_status take(lihop_sweep_ctx *r, const msg_hdr *h, const unsigned char *b, lihop_point_out *out,
                         lihop_status st)
{
    lihop_err *err = lihop_sweep_err(r);
    if (h->status != LIHOP_OK) {
        if (st == LIHOP_OK || (st == LIHOP_ERR_INTERRUPTED && h->status != LIHOP_ERR_INTERRUPTED)) {
            snprintf(err->msg, sizeof err->msg, "%s", h->msg);
            st = (lihop_status)h->status;
        }
        return st;
    }
    if (h->k < 0 || (st != LIHOP_OK && st != LIHOP_ERR_INTERRUPTED))
        return st;                  /* a ready message; or the file is not to be written any more */
    lihop_status rs = b ? unpack(r, b, h->nbytes, out) : lihop_fail(err, LIHOP_ERR_NOMEM, "out of memory");
    if (!rs)
        rs = lihop_sweep_record(r, h->k, out);
    lihop_point_result_free(&out->vox);
    return rs ? rs : st;            /* a finished point is kept even after an interruption */
}

/* The next point to hand out (-1: none left, or stop). */
static int next_point(lihop_sweep_ctx *r, int *next, lihop_status *st)
{
    if (*st)
        return -1;
    while (*next < lihop_sweep_npoints(r) && !lihop_sweep_pending(r, *next))
        ++*next;
    if (*next >= lihop_sweep_npoints(r))
        return -1;
    if (lihop_sweep_interrupted(r)) {
        *st = lihop_fail(lihop_sweep_err(r), LIHOP_ERR_INTERRUPTED, "interrupted before point %d", *next);
        return -1;
    }
    return (*next)++;
}

lihop_status lihop_mpi_schedule(lihop_sweep_ctx *r, lihop_status st)
{
    lihop_point_out *out = calloc(1, sizeof *out);
    if (!out && !st)
        st = lihop_fail(lihop_sweep_err(r), LIHOP_ERR_NOMEM, "out of memory");
    int running = lihop_mpi_size() - 1, next = 0;
    while (running > 0) {
        msg_hdr h;
        int src;
        unsigned char *b = receive(&h, &src);
        if (out)
            st = take(r, &h, b, out, st);
        free(b);
        int k = next_point(r, &next, &st);
        MPI_Send(&k, 1, MPI_INT, src, TAG_WORK, MPI_COMM_WORLD);
        running -= k < 0;
    }
    free(out);
    return st;
}

/* ---- ranks 1..N-1 ------------------------------------------------------------------ */

static void send_result(lihop_sweep_ctx *r, msg_hdr *h, const lihop_point_out *out)
{
    unsigned char *b = NULL;
    h->nbytes = 0;
    if (h->status == LIHOP_OK && h->k >= 0) {
        b = pack(r, out, &h->nbytes);
        if (!b)
            h->status = lihop_fail(lihop_sweep_err(r), LIHOP_ERR_NOMEM, "out of memory (rank %d, point %d)",
                                   lihop_mpi_rank(), h->k);
    }
    if (h->status != LIHOP_OK)
        snprintf(h->msg, sizeof h->msg, "%s", lihop_sweep_err(r)->msg);
    MPI_Send(h, (int)sizeof *h, MPI_BYTE, 0, TAG_HDR, MPI_COMM_WORLD);
    if (b)
        MPI_Send(b, h->nbytes, MPI_BYTE, 0, TAG_DATA, MPI_COMM_WORLD);
    free(b);
}

lihop_status lihop_mpi_work(lihop_sweep_ctx *r, lihop_status st)
{
    lihop_point_out *out = calloc(1, sizeof *out);
    if (!out && !st)
        st = lihop_fail(lihop_sweep_err(r), LIHOP_ERR_NOMEM, "out of memory (rank %d)", lihop_mpi_rank());
    msg_hdr *h = calloc(1, sizeof *h);
    if (!h) {
        free(out);
        return LIHOP_ERR_NOMEM;     /* rank 0 waits for a message that cannot be built: let MPI tear down */
    }
    h->k = -1;
    h->status = st;
    for (;;) {
        send_result(r, h, out);
        int k;
        MPI_Request rq;
        MPI_Irecv(&k, 1, MPI_INT, 0, TAG_WORK, MPI_COMM_WORLD, &rq);
        wait_for(&rq);
        if (out)
            lihop_point_result_free(&out->vox);
        if (k < 0)
            break;
        h->k = k;
        h->status = lihop_sweep_compute(r, k, out);
        st = st ? st : (lihop_status)h->status;
    }
    free(h);
    free(out);
    return st;
}

#else /* no MPI: one process, the serial sweep */

void lihop_mpi_init(int *argc, char ***argv) { (void)argc; (void)argv; }
void lihop_mpi_finalize(void) {}
int lihop_mpi_rank(void) { return 0; }
int lihop_mpi_size(void) { return 1; }
void lihop_mpi_describe(char *buf, size_t len) { snprintf(buf, len, "no"); }
int lihop_mpi_share_code(int code) { return code; }
void lihop_mpi_catch_signals(volatile sig_atomic_t *flag) { (void)flag; }

lihop_status lihop_mpi_select_gpu(lihop_err *err)
{
    return lihop_cuda_device_count() > 0 ? lihop_cuda_select_device(0, err) : LIHOP_OK;
}

lihop_status lihop_mpi_schedule(lihop_sweep_ctx *r, lihop_status st)
{
    (void)r;
    return st;
}

lihop_status lihop_mpi_work(lihop_sweep_ctx *r, lihop_status st)
{
    (void)r;
    return st;
}

#endif
