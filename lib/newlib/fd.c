/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File descriptors (lib/include/xn_fd.h) and the POSIX calls that work on
 * any of them: read, write, readv, writev, pread, pwrite, preadv, pwritev, close, dup,
 * dup2, dup3, fstat, lseek, fsync, isatty, fcntl, ioctl, poll and select.
 * 0, 1 and 2 are the console. A dup shares its object (and status flags)
 * with the original; the object is closed with its last descriptor.
 *
 * poll() waits on sockets through lwIP's poll (registered by the socket
 * layer). Descriptors of other kinds that announce their changes (pipes,
 * socket pairs: fd_wake) interrupt that wait; the console does not, so
 * a poll() of it with sockets checks it every 10 ms while it waits.
 * Threads are cooperative, so poll() and calls that would block (EAGAIN)
 * yield before they return: an app that loops on them cannot starve the
 * network stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_fd.h>

#define POLL_SLICE_MS 10

static struct fd_entry table[FD_MAX];
static int (*socket_poller)(struct pollfd *fds, unsigned n, int timeout_ms,
                            const volatile bool *woken);
static void (*socket_wake)(struct xn_thread *t);

/* A poll() waiting on sockets and on descriptors that call fd_wake(). */
struct poll_waiter {
    struct xn_thread *t;
    volatile bool woken;
    struct poll_waiter *next;
};
static struct poll_waiter *poll_waiters;
static struct xn_mutex *wake_m;         /* a poll() of no socket waits on wake_c */
static struct xn_cond *wake_c;

static bool wake_lock(void)
{
    if (wake_m == NULL && (wake_m = xn_mutex_create()) == NULL)
        return false;
    if (wake_c == NULL && (wake_c = xn_cond_create()) == NULL)
        return false;
    return true;
}

/* ---------------------------------------------------------------- console */

static int pushback = -1;               /* a byte poll() took from the console */

static ssize_t con_read(void *obj, void *buf, size_t n, int flags)
{
    (void)obj;
    if (n == 0)
        return 0;
    char *p = buf;
    size_t got = 0;
    if (pushback >= 0) {
        p[got++] = (char)pushback;
        pushback = -1;
        if (p[0] == '\n' || got == n)
            return (ssize_t)got;
    } else if (flags & O_NONBLOCK) {
        int c = xn_console_getc();
        if (c < 0) {
            errno = EAGAIN;
            return -1;
        }
        p[got++] = (char)c;
        if (c == '\n')
            return 1;
    }
    if (got > 0) {
        /* Take what else is there without waiting. */
        int c;
        while (got < n && (c = xn_console_getc()) >= 0) {
            p[got++] = (char)c;
            if (c == '\n')
                break;
        }
        return (ssize_t)got;
    }
    return xn_console_read(buf, n);
}

static ssize_t con_write(void *obj, const void *buf, size_t n, int flags)
{
    (void)obj;
    (void)flags;
    xn_console_write(buf, n);
    return (ssize_t)n;
}

static int con_close(void *obj)
{
    (void)obj;
    return 0;
}

static int con_fstat(void *obj, struct stat *st)
{
    (void)obj;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0620;
    st->st_blksize = 1024;
    return 0;
}

static short con_poll(void *obj, short want)
{
    short got = 0;
    if ((uintptr_t)obj == 0) {          /* stdin */
        if (pushback < 0)
            pushback = xn_console_getc();
        if (pushback >= 0)
            got |= POLLIN;
    } else {
        got |= POLLOUT;
    }
    return got & (want | POLLERR | POLLHUP);
}

/* The console's size (TIOCGWINSZ): the PV console has none; 80x24 is
 * what a terminal program needs to lay out its lines. */
static int con_ioctl(void *obj, unsigned long req, void *arg)
{
    (void)obj;
    if (req == TIOCGWINSZ && arg != NULL) {
        *(struct winsize *)arg = (struct winsize){ .ws_row = 24, .ws_col = 80 };
        return 0;
    }
    if (req == TIOCSWINSZ && arg != NULL)
        return 0;
    errno = ENOTTY;
    return -1;
}

static int con_nonblock(void *obj, bool on)
{
    (void)obj;
    (void)on;
    return 0;                           /* kept in the entry's flags */
}

static const struct fd_ops console_ops = {
    .kind = "console",
    .read = con_read,
    .write = con_write,
    .close = con_close,
    .fstat = con_fstat,
    .poll = con_poll,
    .set_nonblock = con_nonblock,
    .ioctl = con_ioctl,
};

static void console_fds(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    for (int i = 0; i < 3; i++)
        if (table[i].ops == NULL)
            table[i] = (struct fd_entry){ &console_ops, (void *)(uintptr_t)i,
                                          i == 0 ? O_RDONLY : O_WRONLY, false };
}

/* ---------------------------------------------------------------- the table */

int fd_alloc(const struct fd_ops *ops, void *obj, int flags)
{
    console_fds();
    for (int i = 3; i < FD_MAX; i++) {
        if (table[i].ops == NULL) {
            table[i] = (struct fd_entry){ ops, obj, flags, false };
            return i;
        }
    }
    errno = EMFILE;
    return -1;
}

struct fd_entry *fd_get(int fd)
{
    console_fds();
    if (fd < 0 || fd >= FD_MAX || table[fd].ops == NULL) {
        errno = EBADF;
        return NULL;
    }
    return &table[fd];
}

void fd_release(int fd)
{
    if (fd >= 0 && fd < FD_MAX)
        table[fd].ops = NULL;
}

void fd_set_socket_poller(int (*poller)(struct pollfd *fds, unsigned n, int timeout_ms,
                                        const volatile bool *woken),
                          void (*wake)(struct xn_thread *t))
{
    socket_poller = poller;
    socket_wake = wake;
}

void fd_wake(void)
{
    for (struct poll_waiter *w = poll_waiters; w != NULL; w = w->next) {
        if (!w->woken) {
            w->woken = true;
            if (socket_wake != NULL)
                socket_wake(w->t);
        }
    }
    if (wake_c != NULL)
        xn_cond_broadcast(wake_c);
}

/* ---------------------------------------------------------------- calls */

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (e->ops->read == NULL || (e->flags & O_ACCMODE) == O_WRONLY) {
        errno = EBADF;
        return -1;
    }
    return e->ops->read(e->obj, buf, n, e->flags);
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (e->ops->write == NULL || (e->flags & O_ACCMODE) == O_RDONLY) {
        errno = EBADF;
        return -1;
    }
    return e->ops->write(e->obj, buf, n, e->flags);
}

/* readv and writev: one call per piece, stopping at a short one. */
static ssize_t vector_io(int fd, const struct iovec *iov, int iovcnt, bool out)
{
    ssize_t total = 0;
    if (iovcnt < 0 || iovcnt > IOV_MAX) {
        errno = EINVAL;
        return -1;
    }
    for (int i = 0; i < iovcnt; i++) {
        ssize_t r = out ? write(fd, iov[i].iov_base, iov[i].iov_len)
                        : read(fd, iov[i].iov_base, iov[i].iov_len);
        if (r < 0)
            return total > 0 ? total : -1;
        total += r;
        if ((size_t)r < iov[i].iov_len)
            break;
    }
    return total;
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
    return vector_io(fd, iov, iovcnt, false);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    return vector_io(fd, iov, iovcnt, true);
}

/* preadv and pwritev: pread/pwrite per piece at the running offset. */
static ssize_t vector_pio(int fd, const struct iovec *iov, int iovcnt, off_t off, bool out)
{
    ssize_t total = 0;
    if (iovcnt < 0 || iovcnt > IOV_MAX || off < 0) {
        errno = EINVAL;
        return -1;
    }
    for (int i = 0; i < iovcnt; i++) {
        ssize_t r = out ? pwrite(fd, iov[i].iov_base, iov[i].iov_len, off + total)
                        : pread(fd, iov[i].iov_base, iov[i].iov_len, off + total);
        if (r < 0)
            return total > 0 ? total : -1;
        total += r;
        if ((size_t)r < iov[i].iov_len)
            break;
    }
    return total;
}

ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t off)
{
    return vector_pio(fd, iov, iovcnt, off, false);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t off)
{
    return vector_pio(fd, iov, iovcnt, off, true);
}

/* Whether descriptor (i) refers to the object (ops, obj): a dup of it.
 * Both are compared: an object may be a small number (a socket's index),
 * equal to another kind's. */
static bool same_object(int i, const struct fd_ops *ops, const void *obj)
{
    return table[i].ops == ops && table[i].obj == obj;
}

/* Whether another descriptor than (fd) refers to (ops, obj). */
static bool shared(int fd, const struct fd_ops *ops, const void *obj)
{
    for (int i = 0; i < FD_MAX; i++)
        if (i != fd && same_object(i, ops, obj))
            return true;
    return false;
}

/* The object is closed with its last descriptor. */
int close(int fd)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    struct fd_entry copy = *e;
    fd_release(fd);
    if (shared(fd, copy.ops, copy.obj))
        return 0;
    return copy.ops->close != NULL ? copy.ops->close(copy.obj) : 0;
}

/* (fd) again as the lowest free descriptor from (from). */
static int dup_from(int fd, int from, bool cloexec)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (from < 0 || from >= FD_MAX) {
        errno = EINVAL;
        return -1;
    }
    for (int i = from; i < FD_MAX; i++) {
        if (table[i].ops == NULL) {
            table[i] = *e;
            table[i].cloexec = cloexec;
            return i;
        }
    }
    errno = EMFILE;
    return -1;
}

int dup(int fd)
{
    return dup_from(fd, 0, false);
}

int dup3(int fd, int to, int flags)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (to < 0 || to >= FD_MAX) {
        errno = EBADF;
        return -1;
    }
    if (fd == to || (flags & ~O_CLOEXEC)) {
        errno = EINVAL;
        return -1;
    }
    struct fd_entry copy = *e;
    if (table[to].ops != NULL)
        close(to);
    table[to] = copy;
    table[to].cloexec = (flags & O_CLOEXEC) != 0;
    return to;
}

int dup2(int fd, int to)
{
    if (fd == to)
        return fd_get(fd) != NULL ? fd : -1;
    return dup3(fd, to, 0);
}

int isatty(int fd)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return 0;
    if (e->ops != &console_ops) {
        errno = ENOTTY;
        return 0;
    }
    return 1;
}

int fstat(int fd, struct stat *st)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (e->ops->fstat == NULL) {
        memset(st, 0, sizeof(*st));
        return 0;
    }
    return e->ops->fstat(e->obj, st);
}

off_t lseek(int fd, off_t off, int whence)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (e->ops->lseek == NULL) {
        errno = ESPIPE;
        return -1;
    }
    return e->ops->lseek(e->obj, off, whence);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if ((e->flags & O_ACCMODE) == O_WRONLY) {
        errno = EBADF;
        return -1;
    }
    if (e->ops->pread == NULL) {
        errno = ESPIPE;
        return -1;
    }
    return e->ops->pread(e->obj, buf, n, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if ((e->flags & O_ACCMODE) == O_RDONLY) {
        errno = EBADF;
        return -1;
    }
    if (e->ops->pwrite == NULL) {
        errno = ESPIPE;
        return -1;
    }
    return e->ops->pwrite(e->obj, buf, n, off);
}

int fsync(int fd)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (e->ops->fsync == NULL)
        return 0;                       /* nothing is cached for it */
    return e->ops->fsync(e->obj);
}

int fdatasync(int fd)
{
    return fsync(fd);
}

int fcntl(int fd, int cmd, ...)
{
    struct fd_entry *e = fd_get(fd);
    va_list ap;
    int arg;
    if (e == NULL)
        return -1;
    va_start(ap, cmd);
    /* An int for most commands, a pointer for the locks: read the word. */
    uintptr_t word = va_arg(ap, uintptr_t);
    va_end(ap);
    arg = (int)word;
    switch (cmd) {
    case F_GETFL:
        return e->flags & ~FD_CONNECTED;
    case F_SETFL: {
        bool nb = (arg & O_NONBLOCK) != 0;
        if (e->ops->set_nonblock == NULL) {
            if (nb) {
                errno = EINVAL;
                return -1;
            }
        } else if (e->ops->set_nonblock(e->obj, nb) != 0) {
            return -1;
        }
        /* The status flags belong to the open file: every dup sees them. */
        e->flags = (e->flags & ~O_NONBLOCK) | (nb ? O_NONBLOCK : 0);
        for (int i = 0; i < FD_MAX; i++)
            if (i != fd && same_object(i, e->ops, e->obj))
                table[i].flags = (table[i].flags & ~O_NONBLOCK) | (nb ? O_NONBLOCK : 0);
        return 0;
    }
    case F_DUPFD:
        return dup_from(fd, arg, false);
    case F_DUPFD_CLOEXEC:
        return dup_from(fd, arg, true);
    case F_GETFD:
        return e->cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
        e->cloexec = (arg & FD_CLOEXEC) != 0;   /* there is no exec: only recorded */
        return 0;
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW: {
        /* Record locks: a process's own locks never conflict, and there
         * is one process, so every lock is granted and none is in the way. */
        struct flock *fl = (struct flock *)word;
        if (fl == NULL || (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)) {
            errno = EINVAL;
            return -1;
        }
        if (cmd == F_GETLK)
            fl->l_type = F_UNLCK;
        return 0;
    }
    default:
        errno = EINVAL;
        return -1;
    }
}

/* BSD's whole-file locks: like record locks, always granted to the one
 * process. */
int flock(int fd, int op)
{
    if (fd_get(fd) == NULL)
        return -1;
    int kind = op & ~LOCK_NB;
    if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
    struct fd_entry *e = fd_get(fd);
    va_list ap;
    if (e == NULL)
        return -1;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (request == (unsigned long)FIONBIO && arg != NULL) {
        int on = *(int *)arg;
        return fcntl(fd, F_SETFL, on ? (e->flags | O_NONBLOCK) : (e->flags & ~O_NONBLOCK));
    }
    if (e->ops->ioctl == NULL) {
        errno = ENOTTY;
        return -1;
    }
    return e->ops->ioctl(e->obj, request, arg);
}

/* Milliseconds left until (deadline) (ns), or -1 for none. */
static int ms_left(uint64_t deadline)
{
    if (deadline == 0)
        return -1;
    uint64_t now = xn_clock_monotonic_ns();
    if (now >= deadline)
        return 0;
    uint64_t ms = (deadline - now + 999999) / 1000000;
    return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

static void unlink_waiter(struct poll_waiter *w)
{
    for (struct poll_waiter **p = &poll_waiters; *p != NULL; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            return;
        }
    }
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    if (nfds > FD_MAX) {
        errno = EINVAL;
        return -1;
    }
    struct pollfd sock[FD_MAX];
    unsigned map[FD_MAX];
    uint64_t deadline = timeout < 0 ? 0 : xn_clock_monotonic_ns() + (uint64_t)timeout * 1000000ULL;
    if (timeout == 0)
        deadline = xn_clock_monotonic_ns();
    for (;;) {
        int ready = 0;
        unsigned ns = 0;
        bool others = false, sliced = false;
        /* Registered before the others are checked: a change after the
         * check interrupts the wait below. */
        struct poll_waiter self = { .t = xn_thread_self(), .woken = false, .next = poll_waiters };
        poll_waiters = &self;
        for (nfds_t i = 0; i < nfds; i++) {
            fds[i].revents = 0;
            if (fds[i].fd < 0)
                continue;
            struct fd_entry *e = fd_get(fds[i].fd);
            if (e == NULL) {
                fds[i].revents = POLLNVAL;
                ready++;
                continue;
            }
            int s = e->ops->socket != NULL ? e->ops->socket(e->obj) : -1;
            if (s >= 0 && socket_poller != NULL) {
                sock[ns] = (struct pollfd){ .fd = s, .events = fds[i].events };
                map[ns++] = (unsigned)i;
                continue;
            }
            others = true;
            sliced |= !e->ops->wakes;
            short r = e->ops->poll != NULL ? e->ops->poll(e->obj, fds[i].events)
                                           : (short)(fds[i].events & (POLLIN | POLLOUT));
            if (r != 0) {
                fds[i].revents = r;
                ready++;
            }
        }
        int left = ms_left(deadline);
        if (ns > 0) {
            int wait = (ready > 0 || left == 0) ? 0 : sliced ? (left < 0 || left > POLL_SLICE_MS ? POLL_SLICE_MS : left) : left;
            int r = socket_poller(sock, ns, wait, others ? &self.woken : NULL);
            unlink_waiter(&self);
            if (r < 0)
                return -1;
            for (unsigned k = 0; k < ns; k++) {
                if (sock[k].revents != 0) {
                    fds[map[k]].revents = sock[k].revents;
                    ready++;
                }
            }
        } else if (ready == 0 && left != 0 && !sliced && wake_lock()) {
            /* Only descriptors that announce their changes: wait for one. */
            xn_mutex_lock(wake_m);
            while (!self.woken)
                if (xn_cond_wait(wake_c, wake_m, deadline) == -ETIMEDOUT)
                    break;
            xn_mutex_unlock(wake_m);
            unlink_waiter(&self);
        } else if (ready == 0 && left != 0) {
            unlink_waiter(&self);
            xn_sleep_until(xn_clock_monotonic_ns() +
                           (uint64_t)(left < 0 || left > POLL_SLICE_MS ? POLL_SLICE_MS : left) * 1000000ULL);
        } else {
            unlink_waiter(&self);
        }
        if (ready > 0 || ms_left(deadline) == 0) {
            /* Threads are cooperative: let the others (the network stack
             * among them) run, even for an app that polls in a loop. */
            xn_thread_yield();
            return ready;
        }
    }
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
    if (nfds < 0 || nfds > FD_MAX) {
        errno = EINVAL;
        return -1;
    }
    struct pollfd *p = malloc(sizeof(*p) * (size_t)(nfds > 0 ? nfds : 1));
    if (p == NULL) {
        errno = ENOMEM;
        return -1;
    }
    unsigned n = 0;
    for (int fd = 0; fd < nfds; fd++) {
        short ev = 0;
        if (rd != NULL && FD_ISSET(fd, rd))
            ev |= POLLIN;
        if (wr != NULL && FD_ISSET(fd, wr))
            ev |= POLLOUT;
        if (ex != NULL && FD_ISSET(fd, ex))
            ev |= POLLPRI;
        if (ev != 0)
            p[n++] = (struct pollfd){ .fd = fd, .events = ev };
    }
    int timeout = -1;
    if (tv != NULL) {
        if (tv->tv_sec < 0 || tv->tv_usec < 0) {
            free(p);
            errno = EINVAL;
            return -1;
        }
        long long ms = (long long)tv->tv_sec * 1000 + tv->tv_usec / 1000;
        timeout = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
    }
    int r = poll(p, n, timeout);
    if (r < 0) {
        free(p);
        return -1;
    }
    if (rd != NULL)
        FD_ZERO(rd);
    if (wr != NULL)
        FD_ZERO(wr);
    if (ex != NULL)
        FD_ZERO(ex);
    int count = 0;
    for (unsigned i = 0; i < n; i++) {
        if (p[i].revents & POLLNVAL) {
            free(p);
            errno = EBADF;
            return -1;
        }
        if (rd != NULL && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) && (p[i].events & POLLIN)) {
            FD_SET(p[i].fd, rd);
            count++;
        }
        if (wr != NULL && (p[i].revents & (POLLOUT | POLLERR)) && (p[i].events & POLLOUT)) {
            FD_SET(p[i].fd, wr);
            count++;
        }
        if (ex != NULL && (p[i].revents & POLLPRI)) {
            FD_SET(p[i].fd, ex);
            count++;
        }
    }
    free(p);
    return count;
}
