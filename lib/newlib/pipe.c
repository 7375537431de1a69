/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest pipes: pipe(), pipe2(), and socketpair(AF_UNIX, SOCK_STREAM)
 * (two pipes, one each way). A pipe holds up to 64 KiB; a write of at
 * most PIPE_BUF bytes is never split. Reading an empty pipe whose write
 * end is closed gives end of file; writing to one whose read end is
 * closed fails with EPIPE and raises SIGPIPE (unless MSG_NOSIGNAL, for
 * send() on a socket pair). Both block until they can go on, unless the
 * descriptor is non-blocking (EAGAIN). poll() and select() see them, and
 * every change wakes a poll() that waits on them (fd_wake).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_fd.h>
#include <xn_posix.h>

#define PIPE_CAP 65536
#ifndef PIPE_BUF
#define PIPE_BUF 4096
#endif

struct pipe {
    char *buf;
    size_t head, len;
    bool readers, writers;      /* an end is still open */
    struct xn_mutex *m;
    struct xn_cond *c;          /* data, space, or an end closed */
};

/* One descriptor's view: what it reads from and writes to. */
struct end {
    struct pipe *in, *out;
};

static struct pipe *pipe_new(void)
{
    struct pipe *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    p->buf = malloc(PIPE_CAP);
    p->m = xn_mutex_create();
    p->c = xn_cond_create();
    if (p->buf == NULL || p->m == NULL || p->c == NULL) {
        free(p->buf);
        if (p->m != NULL)
            xn_mutex_destroy(p->m);
        if (p->c != NULL)
            xn_cond_destroy(p->c);
        free(p);
        return NULL;
    }
    p->readers = p->writers = true;
    return p;
}

static void pipe_put(struct pipe *p)
{
    if (p->readers || p->writers)
        return;
    xn_mutex_destroy(p->m);
    xn_cond_destroy(p->c);
    free(p->buf);
    free(p);
}

static ssize_t p_read(void *obj, void *buf, size_t n, int flags)
{
    struct pipe *p = ((struct end *)obj)->in;
    if (p == NULL) {
        errno = EBADF;
        return -1;
    }
    if (n == 0)
        return 0;
    xn_mutex_lock(p->m);
    while (p->len == 0) {
        if (!p->writers) {
            xn_mutex_unlock(p->m);
            return 0;
        }
        if (flags & O_NONBLOCK) {
            xn_mutex_unlock(p->m);
            xn_thread_yield();
            errno = EAGAIN;
            return -1;
        }
        xn_cond_wait(p->c, p->m, 0);
    }
    size_t got = 0;
    while (got < n && p->len > 0) {
        size_t run = PIPE_CAP - p->head;
        if (run > p->len)
            run = p->len;
        if (run > n - got)
            run = n - got;
        memcpy((char *)buf + got, p->buf + p->head, run);
        p->head = (p->head + run) % PIPE_CAP;
        p->len -= run;
        got += run;
    }
    xn_cond_broadcast(p->c);
    xn_mutex_unlock(p->m);
    fd_wake();
    return (ssize_t)got;
}

static ssize_t pipe_write(struct pipe *p, const void *buf, size_t n, int flags, bool nosignal)
{
    if (p == NULL) {
        errno = EBADF;
        return -1;
    }
    size_t done = 0;
    xn_mutex_lock(p->m);
    while (done < n) {
        if (!p->readers) {
            xn_mutex_unlock(p->m);
            if (done > 0)
                return (ssize_t)done;
            if (!nosignal)
                signal_raise(SIGPIPE);
            errno = EPIPE;
            return -1;
        }
        size_t room = PIPE_CAP - p->len;
        /* Up to PIPE_BUF bytes go in one piece. */
        if (room == 0 || (n - done <= PIPE_BUF && room < n - done)) {
            if (flags & O_NONBLOCK) {
                xn_mutex_unlock(p->m);
                if (done > 0)
                    return (ssize_t)done;
                xn_thread_yield();
                errno = EAGAIN;
                return -1;
            }
            xn_cond_wait(p->c, p->m, 0);
            continue;
        }
        size_t tail = (p->head + p->len) % PIPE_CAP;
        size_t run = PIPE_CAP - tail;
        if (run > room)
            run = room;
        if (run > n - done)
            run = n - done;
        memcpy(p->buf + tail, (const char *)buf + done, run);
        p->len += run;
        done += run;
        xn_cond_broadcast(p->c);
        fd_wake();
    }
    xn_mutex_unlock(p->m);
    return (ssize_t)done;
}

static ssize_t p_write(void *obj, const void *buf, size_t n, int flags)
{
    return pipe_write(((struct end *)obj)->out, buf, n, flags, false);
}

static int p_close(void *obj)
{
    struct end *e = obj;
    if (e->in != NULL) {
        xn_mutex_lock(e->in->m);
        e->in->readers = false;
        xn_cond_broadcast(e->in->c);
        xn_mutex_unlock(e->in->m);
        pipe_put(e->in);
    }
    if (e->out != NULL) {
        xn_mutex_lock(e->out->m);
        e->out->writers = false;
        xn_cond_broadcast(e->out->c);
        xn_mutex_unlock(e->out->m);
        pipe_put(e->out);
    }
    free(e);
    fd_wake();
    return 0;
}

static int p_fstat(void *obj, struct stat *st)
{
    struct end *e = obj;
    memset(st, 0, sizeof(*st));
    st->st_mode = (e->in != NULL && e->out != NULL ? S_IFSOCK : S_IFIFO) | 0600;
    st->st_blksize = PIPE_BUF;
    if (e->in != NULL)
        st->st_size = (off_t)e->in->len;
    return 0;
}

static short p_poll(void *obj, short want)
{
    struct end *e = obj;
    short r = 0;
    if (e->in != NULL) {
        if (e->in->len > 0)
            r |= want & (POLLIN | POLLRDNORM);
        if (!e->in->writers)
            r |= POLLHUP | (want & POLLIN);
    }
    if (e->out != NULL) {
        if (!e->out->readers)
            r |= POLLERR;
        else if (e->out->len < PIPE_CAP)
            r |= want & (POLLOUT | POLLWRNORM);
    }
    return r;
}

static int p_nonblock(void *obj, bool on)
{
    (void)obj, (void)on;
    return 0;                           /* the descriptor's flags say it */
}

static int p_ioctl(void *obj, unsigned long req, void *arg)
{
    struct end *e = obj;
    if (req == (unsigned long)FIONREAD && e->in != NULL) {
        *(int *)arg = (int)e->in->len;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

const struct fd_ops pipe_ops = {
    .kind = "pipe",
    .read = p_read,
    .write = p_write,
    .close = p_close,
    .fstat = p_fstat,
    .poll = p_poll,
    .set_nonblock = p_nonblock,
    .ioctl = p_ioctl,
    .wakes = true,
};

/* Descriptors for two ends; -1 with everything undone on failure. */
static int two_fds(struct end *a, struct end *b, int fa, int fb, int fds[2], int flags)
{
    int x = fd_alloc(&pipe_ops, a, fa | (flags & O_NONBLOCK));
    if (x < 0)
        return -1;
    int y = fd_alloc(&pipe_ops, b, fb | (flags & O_NONBLOCK));
    if (y < 0) {
        fd_release(x);
        return -1;
    }
    fd_get(x)->cloexec = fd_get(y)->cloexec = (flags & O_CLOEXEC) != 0;
    fds[0] = x;
    fds[1] = y;
    return 0;
}

int pipe2(int fds[2], int flags)
{
    if (flags & ~(O_NONBLOCK | O_CLOEXEC)) {
        errno = EINVAL;
        return -1;
    }
    struct pipe *p = pipe_new();
    struct end *r = calloc(1, sizeof(*r)), *w = calloc(1, sizeof(*w));
    if (p == NULL || r == NULL || w == NULL)
        goto nomem;
    r->in = p;
    w->out = p;
    if (two_fds(r, w, O_RDONLY, O_WRONLY, fds, flags) != 0) {
        free(r);
        free(w);
        p->readers = p->writers = false;
        pipe_put(p);
        errno = EMFILE;
        return -1;
    }
    return 0;
nomem:
    free(r);
    free(w);
    if (p != NULL) {
        p->readers = p->writers = false;
        pipe_put(p);
    }
    errno = ENFILE;
    return -1;
}

int pipe(int fds[2])
{
    return pipe2(fds, 0);
}

/* A socket pair is in this file's kind; the socket calls send() and
 * recv() come here for it (lib/lwip/socket.c). */
int socketpair(int domain, int type, int protocol, int sv[2])
{
    int flags = ((type & SOCK_NONBLOCK) ? O_NONBLOCK : 0) | ((type & SOCK_CLOEXEC) ? O_CLOEXEC : 0);
    type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain != AF_UNIX)
        return posix_unsupported("socketpair", EAFNOSUPPORT, "only AF_UNIX socket pairs");
    if (type != SOCK_STREAM)
        return posix_unsupported("socketpair", EPROTONOSUPPORT, "only SOCK_STREAM socket pairs");
    if (protocol != 0) {
        errno = EPROTONOSUPPORT;
        return -1;
    }
    struct pipe *ab = pipe_new(), *ba = pipe_new();
    struct end *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
    if (ab == NULL || ba == NULL || a == NULL || b == NULL ||
        (a->out = ab, a->in = ba, b->out = ba, b->in = ab,
         two_fds(a, b, O_RDWR, O_RDWR, sv, flags) != 0)) {
        int e = (ab == NULL || ba == NULL || a == NULL || b == NULL) ? ENFILE : EMFILE;
        free(a);
        free(b);
        for (struct pipe **p = (struct pipe *[]){ ab, ba }, **end = p + 2; p < end; p++) {
            if (*p != NULL) {
                (*p)->readers = (*p)->writers = false;
                pipe_put(*p);
            }
        }
        errno = e;
        return -1;
    }
    return 0;
}

ssize_t pipe_send(void *obj, const void *buf, size_t n, int fdflags, int msgflags)
{
    return pipe_write(((struct end *)obj)->out, buf, n,
                      fdflags | ((msgflags & MSG_DONTWAIT) ? O_NONBLOCK : 0),
                      (msgflags & MSG_NOSIGNAL) != 0);
}

ssize_t pipe_recv(void *obj, void *buf, size_t n, int fdflags, int msgflags)
{
    if (msgflags & MSG_PEEK) {
        struct pipe *p = ((struct end *)obj)->in;
        if (p == NULL)
            return 0;                   /* shut down for reading */
        if (p->len == 0 && p->writers) {
            if ((fdflags & O_NONBLOCK) || (msgflags & MSG_DONTWAIT)) {
                errno = EAGAIN;
                return -1;
            }
            xn_mutex_lock(p->m);
            while (p->len == 0 && p->writers)
                xn_cond_wait(p->c, p->m, 0);
            xn_mutex_unlock(p->m);
        }
        size_t got = 0;
        for (size_t i = p->head; got < n && got < p->len; i = (i + 1) % PIPE_CAP)
            ((char *)buf)[got++] = p->buf[i];
        return (ssize_t)got;
    }
    return p_read(obj, buf, n, fdflags | ((msgflags & MSG_DONTWAIT) ? O_NONBLOCK : 0));
}

int pipe_shutdown(void *obj, int how)
{
    struct end *e = obj;
    if ((how == SHUT_RD || how == SHUT_RDWR) && e->in != NULL) {
        xn_mutex_lock(e->in->m);
        e->in->readers = false;
        xn_cond_broadcast(e->in->c);
        xn_mutex_unlock(e->in->m);
        pipe_put(e->in);
        e->in = NULL;
    }
    if ((how == SHUT_WR || how == SHUT_RDWR) && e->out != NULL) {
        xn_mutex_lock(e->out->m);
        e->out->writers = false;
        xn_cond_broadcast(e->out->c);
        xn_mutex_unlock(e->out->m);
        pipe_put(e->out);
        e->out = NULL;
    }
    fd_wake();
    return 0;
}
