/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The file descriptor table shared by the C library glue (lib/): each
 * descriptor is an object with its kind's operations. 0-2 are the
 * console; files (lib/fs) and sockets (lib/lwip) add their own kinds.
 * Operations return -1 with errno set on failure, as the POSIX calls do.
 */
#ifndef XENOLITH_LIB_FD_H
#define XENOLITH_LIB_FD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define FD_MAX 256                      /* FD_SETSIZE */

struct fd_ops {
    const char *kind;
    ssize_t (*read)(void *obj, void *buf, size_t n, int flags);
    ssize_t (*write)(void *obj, const void *buf, size_t n, int flags);
    int (*close)(void *obj);
    int (*fstat)(void *obj, struct stat *st);
    off_t (*lseek)(void *obj, off_t off, int whence);
    /* The events of (want) ready now (POLLIN, POLLOUT, ...). */
    short (*poll)(void *obj, short want);
    int (*set_nonblock)(void *obj, bool on);
    int (*ioctl)(void *obj, unsigned long req, void *arg);
    /* The lwIP socket behind it, for poll(); -1 for other kinds. */
    int (*socket)(void *obj);
    /* Positioned I/O and durability, where the kind has them. */
    ssize_t (*pread)(void *obj, void *buf, size_t n, off_t off);
    ssize_t (*pwrite)(void *obj, const void *buf, size_t n, off_t off);
    int (*fsync)(void *obj);
    /* The kind calls fd_wake() whenever one of its poll() events may
     * have become ready, so poll() need not check it on a timer. */
    bool wakes;
};

struct fd_entry {
    const struct fd_ops *ops;
    void *obj;
    int flags;                          /* O_ACCMODE bits, O_NONBLOCK */
    bool cloexec;
};

/* Pipes and socket pairs (lib/newlib/pipe.c); the socket calls use the
 * last three for a socket pair's descriptors. */
extern const struct fd_ops pipe_ops;
ssize_t pipe_send(void *obj, const void *buf, size_t n, int fdflags, int msgflags);
ssize_t pipe_recv(void *obj, void *buf, size_t n, int fdflags, int msgflags);
int pipe_shutdown(void *obj, int how);

/* Bits of fd_entry.flags that are ours, not open()'s (F_GETFL hides them). */
#define FD_CONNECTED 0x40000000         /* a stream socket that was connected */

/* A new descriptor (the lowest free one) for (obj): the fd, or -1 (EMFILE). */
int fd_alloc(const struct fd_ops *ops, void *obj, int flags);
/* The entry of (fd), or NULL with errno EBADF. */
struct fd_entry *fd_get(int fd);
void fd_release(int fd);

/*
 * poll() of sockets, registered by the socket layer: like lwip_poll() on
 * (n) entries whose fd fields are lwIP sockets; timeout in ms, -1 forever.
 * It returns early (0 when no socket is ready) once *woken is true, and
 * wake(thread) interrupts the wait of a thread inside it.
 */
struct pollfd;
struct xn_thread;
void fd_set_socket_poller(int (*poller)(struct pollfd *fds, unsigned n, int timeout_ms,
                                        const volatile bool *woken),
                          void (*wake)(struct xn_thread *t));

/* Something that is not a socket changed: a poll() waiting on sockets
 * too looks again. */
void fd_wake(void);

#endif
