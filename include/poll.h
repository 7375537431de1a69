/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poll() over every kind of file descriptor: console, files, pipes and
 * sockets. The event bits have the values every Unix gives them (programs
 * compare them with their own constants); <sys/socket.h> includes this
 * before lwIP's header, which then leaves out its own, and
 * lib/lwip/socket.c translates for lwIP.
 */
#ifndef XENOLITH_POLL_H
#define XENOLITH_POLL_H

#ifdef __cplusplus
extern "C" {
#endif

#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200

typedef unsigned int nfds_t;
struct pollfd {
    int fd;
    short events;
    short revents;
};

int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#ifdef __cplusplus
}
#endif
#endif
