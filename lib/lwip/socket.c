/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX sockets on lwIP's socket layer: each socket is a file descriptor
 * (lib/include/xn_fd.h) whose object is an lwIP socket, so read, write,
 * close, poll, select and fcntl work on it like on any other descriptor.
 * Images that use sockets start the network before main() (the
 * constructor below; net.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <xenolith.h>
#include <xn_fd.h>
#include <xn_posix.h>

#include "port.h"

static int sock_of(void *obj)
{
    return (int)(intptr_t)obj;
}

/* A call that would have blocked: let other threads run before the app
 * tries again (threads are cooperative). */
static ssize_t yielding(ssize_t rc)
{
    if (rc < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        xn_thread_yield();
    return rc;
}

static ssize_t s_read(void *obj, void *buf, size_t n, int flags)
{
    return yielding(lwip_recv(sock_of(obj), buf, n, (flags & O_NONBLOCK) ? MSG_DONTWAIT : 0));
}

/*
 * A send on a stream socket whose connection is gone fails with EPIPE and
 * raises SIGPIPE unless (msgflags) has MSG_NOSIGNAL, as on Unix (lwIP
 * says ENOTCONN there). (fdflags): the descriptor's flags.
 */
static ssize_t sent(ssize_t rc, int fdflags, int msgflags)
{
    if (rc < 0 && (fdflags & FD_CONNECTED) && (errno == ENOTCONN || errno == EPIPE)) {
        if (!(msgflags & MSG_NOSIGNAL))
            signal_raise(SIGPIPE);
        errno = EPIPE;
    }
    return yielding(rc);
}

static ssize_t s_write(void *obj, const void *buf, size_t n, int flags)
{
    return sent(lwip_send(sock_of(obj), buf, n, (flags & O_NONBLOCK) ? MSG_DONTWAIT : 0), flags, 0);
}

static int s_close(void *obj)
{
    return lwip_close(sock_of(obj));
}

static int s_fstat(void *obj, struct stat *st)
{
    (void)obj;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFSOCK | 0777;
    st->st_blksize = TCP_MSS;
    return 0;
}

static int s_nonblock(void *obj, bool on)
{
    int v = on;
    return lwip_ioctl(sock_of(obj), (long)FIONBIO, &v);
}

static int s_ioctl(void *obj, unsigned long req, void *arg)
{
    return lwip_ioctl(sock_of(obj), (long)req, arg);
}

static const struct fd_ops socket_ops = {
    .kind = "socket",
    .read = s_read,
    .write = s_write,
    .close = s_close,
    .fstat = s_fstat,
    .set_nonblock = s_nonblock,
    .ioctl = s_ioctl,
    .socket = sock_of,
};

/*
 * lwIP's poll() takes and gives its own event bits (lwip/sockets.h, when
 * nothing defined POLLIN before it; include/poll.h gives programs the
 * Unix values): (unix, lwip) pairs.
 */
static const short poll_bits[][2] = {
    { POLLIN, 0x1 }, { POLLOUT, 0x2 }, { POLLERR, 0x4 }, { POLLNVAL, 0x8 },
    { POLLRDNORM, 0x10 }, { POLLRDBAND, 0x20 }, { POLLPRI, 0x40 }, { POLLWRNORM, 0x80 },
    { POLLWRBAND, 0x100 }, { POLLHUP, 0x200 },
};

static short poll_translate(short ev, int from, int to)
{
    short r = 0;
    for (size_t i = 0; i < sizeof(poll_bits) / sizeof(poll_bits[0]); i++)
        if (ev & poll_bits[i][from])
            r |= poll_bits[i][to];
    return r;
}

static int poller(struct pollfd *fds, unsigned n, int timeout_ms, const volatile bool *woken)
{
    struct pollfd lw[FD_MAX];
    if (n > FD_MAX) {
        errno = EINVAL;
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        lw[i] = (struct pollfd){ .fd = fds[i].fd, .events = poll_translate(fds[i].events, 0, 1) };
    /* lwip_poll's wait returns early once *woken (sys_arch.c). */
    struct port_poll_wait w = { .t = xn_thread_self(), .woken = woken };
    if (woken != NULL)
        port_poll_wait_begin(&w);
    int rc = lwip_poll(lw, n, timeout_ms);
    if (woken != NULL)
        port_poll_wait_end(&w);
    for (unsigned i = 0; i < n; i++)
        fds[i].revents = poll_translate(lw[i].revents, 1, 0);
    return rc;
}

__attribute__((constructor)) static void sockets_start(void)
{
    fd_set_socket_poller(poller, port_poll_wake);
    port_net_start();
}

/* The lwIP socket behind (fd), or -1 with errno ENOTSOCK or EBADF. On a
 * non-blocking descriptor, (flags) gains MSG_DONTWAIT. */
static int lsock(int fd, int *flags)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (e->ops != &socket_ops) {
        errno = ENOTSOCK;
        return -1;
    }
    if (flags != NULL) {
        *flags &= ~MSG_NOSIGNAL;        /* lwIP's: the callers here raise SIGPIPE */
        if (e->flags & O_NONBLOCK)
            *flags |= MSG_DONTWAIT;
    }
    return sock_of(e->obj);
}

/* Give lwIP socket (s) a descriptor; -1 (and s closed) when none is free. */
static int wrap(int s, int type_flags)
{
    if (s < 0)
        return -1;
    int nb = (type_flags & SOCK_NONBLOCK) != 0;
    if (nb)
        lwip_ioctl(s, (long)FIONBIO, &nb);
    int fd = fd_alloc(&socket_ops, (void *)(intptr_t)s, O_RDWR | (nb ? O_NONBLOCK : 0));
    if (fd < 0) {
        lwip_close(s);
        errno = EMFILE;
        return -1;
    }
    fd_get(fd)->cloexec = (type_flags & SOCK_CLOEXEC) != 0;
    return fd;
}

/* The entry of (fd) when it is a socket pair's end (lib/newlib/pipe.c). */
static struct fd_entry *pair(int fd)
{
    struct fd_entry *e = fd_get(fd);
    return e != NULL && e->ops == &pipe_ops ? e : NULL;
}

static void connected(int fd)
{
    struct fd_entry *e = fd_get(fd);
    if (e != NULL)
        e->flags |= FD_CONNECTED;
}

const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

int socket(int domain, int type, int protocol)
{
    int extra = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain == AF_UNIX)
        return posix_unsupported("socket", EAFNOSUPPORT,
                                 "no named UNIX-domain sockets (socketpair() works)");
    if (domain != AF_INET && domain != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    return wrap(lwip_socket(domain, type, protocol), extra);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    int s = lsock(fd, NULL);
    return s < 0 ? -1 : lwip_bind(s, addr, len);
}

int listen(int fd, int backlog)
{
    int s = lsock(fd, NULL);
    if (backlog > 255 || backlog <= 0)
        backlog = 255;                  /* lwIP keeps the backlog in a byte */
    return s < 0 ? -1 : lwip_listen(s, backlog);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    int s = lsock(fd, NULL);
    if (s < 0)
        return -1;
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
        errno = EINVAL;
        return -1;
    }
    int c = wrap((int)yielding(lwip_accept(s, addr, len)), flags);
    if (c >= 0)
        connected(c);
    return c;
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    int s = lsock(fd, NULL);
    if (s < 0)
        return -1;
    int rc = lwip_connect(s, addr, len);
    if (rc != 0 && errno == ECONNRESET)
        errno = ECONNREFUSED;           /* lwIP reports the peer's RST as a reset */
    if (rc == 0 || errno == EINPROGRESS)
        connected(fd);
    return rc;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
    struct fd_entry *p = pair(fd);
    if (p != NULL)
        return pipe_send(p->obj, buf, len, p->flags, flags);
    int msgflags = flags;
    int s = lsock(fd, &flags);
    return s < 0 ? -1 : sent(lwip_send(s, buf, len, flags), fd_get(fd)->flags, msgflags);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    struct fd_entry *p = pair(fd);
    if (p != NULL)
        return pipe_recv(p->obj, buf, len, p->flags, flags);
    int s = lsock(fd, &flags);
    return s < 0 ? -1 : yielding(lwip_recv(s, buf, len, flags));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    if (pair(fd) != NULL) {
        if (to != NULL) {
            errno = EISCONN;
            return -1;
        }
        return send(fd, buf, len, flags);
    }
    int msgflags = flags;
    int s = lsock(fd, &flags);
    return s < 0 ? -1 : sent(lwip_sendto(s, buf, len, flags, to, tolen), fd_get(fd)->flags, msgflags);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    if (pair(fd) != NULL) {
        if (fromlen != NULL)
            *fromlen = 0;
        return recv(fd, buf, len, flags);
    }
    int s = lsock(fd, &flags);
    return s < 0 ? -1 : yielding(lwip_recvfrom(s, buf, len, flags, from, fromlen));
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    struct fd_entry *p = pair(fd);
    if (p != NULL) {
        ssize_t total = 0;
        for (int i = 0; i < (int)msg->msg_iovlen; i++) {
            ssize_t n = pipe_send(p->obj, msg->msg_iov[i].iov_base, msg->msg_iov[i].iov_len,
                                  p->flags, flags);
            if (n < 0)
                return total > 0 ? total : -1;
            total += n;
            if ((size_t)n < msg->msg_iov[i].iov_len)
                break;
        }
        return total;
    }
    int msgflags = flags;
    int s = lsock(fd, &flags);
    return s < 0 ? -1 : sent(lwip_sendmsg(s, msg, flags), fd_get(fd)->flags, msgflags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    struct fd_entry *p = pair(fd);
    if (p != NULL) {
        msg->msg_controllen = 0;
        msg->msg_flags = 0;
        for (int i = 0; i < (int)msg->msg_iovlen; i++)
            if (msg->msg_iov[i].iov_len > 0)
                return pipe_recv(p->obj, msg->msg_iov[i].iov_base, msg->msg_iov[i].iov_len,
                                 p->flags, flags);
        return 0;
    }
    int s = lsock(fd, &flags);
    return s < 0 ? -1 : yielding(lwip_recvmsg(s, msg, flags));
}

int shutdown(int fd, int how)
{
    struct fd_entry *p = pair(fd);
    if (p != NULL) {
        if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
            errno = EINVAL;
            return -1;
        }
        return pipe_shutdown(p->obj, how);
    }
    int s = lsock(fd, NULL);
    return s < 0 ? -1 : lwip_shutdown(s, how);
}

/* A socket pair's options: its type and error; buffer sizes are fixed. */
static int pair_getsockopt(int level, int name, void *val, socklen_t *len)
{
    if (level != SOL_SOCKET || *len < (socklen_t)sizeof(int)) {
        errno = level != SOL_SOCKET ? ENOPROTOOPT : EINVAL;
        return -1;
    }
    int v;
    switch (name) {
    case SO_TYPE: v = SOCK_STREAM; break;
    case SO_ERROR: v = 0; break;
    case SO_RCVBUF: case SO_SNDBUF: v = 65536; break;
    default: errno = ENOPROTOOPT; return -1;
    }
    memcpy(val, &v, sizeof(v));
    *len = sizeof(v);
    return 0;
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    if (pair(fd) != NULL)
        return pair_getsockopt(level, name, val, len);
    int s = lsock(fd, NULL);
    if (s < 0)
        return -1;
    if (level == IPPROTO_TCP && name == TCP_INFO) {
        struct tcp_info ti;
        if (val == NULL || len == NULL) {
            errno = EFAULT;
            return -1;
        }
        if (port_tcp_info(s, &ti) != 0)
            return -1;
        /* As Linux: as much as the caller's buffer holds. */
        socklen_t n = *len < (socklen_t)sizeof(ti) ? *len : (socklen_t)sizeof(ti);
        memcpy(val, &ti, n);
        *len = n;
        return 0;
    }
    return lwip_getsockopt(s, level, name, val, len);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    if (pair(fd) != NULL) {
        (void)name, (void)val, (void)len;
        if (level != SOL_SOCKET) {
            errno = ENOPROTOOPT;
            return -1;
        }
        return 0;                       /* buffer sizes and the like: nothing to set */
    }
    int s = lsock(fd, NULL);
    return s < 0 ? -1 : lwip_setsockopt(s, level, name, val, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
    int s = lsock(fd, NULL);
    return s < 0 ? -1 : lwip_getsockname(s, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
    int s = lsock(fd, NULL);
    return s < 0 ? -1 : lwip_getpeername(s, addr, len);
}

/* ---------------------------------------------------------------- names */

int inet_pton(int af, const char *src, void *dst)
{
    if (af != AF_INET && af != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    return lwip_inet_pton(af, src, dst);
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
    if (af != AF_INET && af != AF_INET6) {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    const char *r = lwip_inet_ntop(af, src, dst, size);
    if (r == NULL) {
        errno = ENOSPC;
        return NULL;
    }
    for (char *p = dst; *p != '\0'; p++)   /* lower-case hex, as RFC 5952 asks */
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    return r;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
    port_net_start();
    return lwip_getaddrinfo(node, service, hints, res);
}

void freeaddrinfo(struct addrinfo *res)
{
    lwip_freeaddrinfo(res);
}

struct hostent *gethostbyname(const char *name)
{
    port_net_start();
    return lwip_gethostbyname(name);
}

const char *gai_strerror(int err)
{
    switch (err) {
    case 0: return "success";
    case EAI_NONAME: return "name or service not known";
    case EAI_SERVICE: return "service not supported for the socket type";
    case EAI_FAIL: return "non-recoverable failure in name resolution";
    case EAI_MEMORY: return "out of memory";
    case EAI_FAMILY: return "address family not supported";
    case EAI_AGAIN: return "temporary failure in name resolution";
    case EAI_BADFLAGS: return "bad flags";
    case EAI_OVERFLOW: return "buffer too small";
    case EAI_SOCKTYPE: return "socket type not supported";
    case EAI_SYSTEM: return "system error";
    default: return "unknown error";
    }
}

int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags)
{
    const void *a;
    unsigned port;
    int af = addr->sa_family;

    if (af == AF_INET && addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        a = &in->sin_addr;
        port = lwip_ntohs(in->sin_port);
    } else if (af == AF_INET6 && addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        a = &in6->sin6_addr;
        port = lwip_ntohs(in6->sin6_port);
    } else {
        return EAI_FAMILY;
    }
    if (flags & NI_NAMEREQD)
        return EAI_NONAME;              /* no reverse DNS */
    if (host != NULL && hostlen > 0 && inet_ntop(af, a, host, hostlen) == NULL)
        return EAI_OVERFLOW;
    if (serv != NULL && servlen > 0 && snprintf(serv, servlen, "%u", port) >= (int)servlen)
        return EAI_OVERFLOW;
    return 0;
}
