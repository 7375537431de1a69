/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BSD sockets (lwIP underneath). Socket descriptors are ordinary file
 * descriptors: read, write, close, poll, select and fcntl work on them.
 * Types and constants are lwIP's; the functions are Xenolith's
 * (lib/lwip/socket.c).
 */
#ifndef XENOLITH_SYS_SOCKET_H
#define XENOLITH_SYS_SOCKET_H

#include <fcntl.h>                      /* before lwIP: newlib's O_NONBLOCK */
#include <poll.h>                       /* before lwIP: the Unix POLL* values */
#include <sys/types.h>
#include <sys/time.h>
#include <lwip/sockets.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags or'ed into socket()'s type and accept4()'s flags. */
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC  02000000
#ifndef SOMAXCONN
#define SOMAXCONN 128
#endif
#ifndef AF_UNIX
#define AF_UNIX 1
#endif
#ifndef PF_UNIX
#define PF_UNIX AF_UNIX
#endif

int socket(int domain, int type, int protocol);
/* AF_UNIX SOCK_STREAM only: two connected in-guest ends (lib/newlib/pipe.c). */
int socketpair(int domain, int type, int protocol, int sv[2]);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen);
ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
int shutdown(int fd, int how);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);

#ifdef __cplusplus
}
#endif
#endif
