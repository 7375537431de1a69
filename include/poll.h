/* SPDX-License-Identifier: BSD-2-Clause */
/* poll() over every kind of file descriptor: console, files and sockets. */
#ifndef XENOLITH_POLL_H
#define XENOLITH_POLL_H

#include <sys/socket.h>                 /* struct pollfd, POLLIN, ... (lwIP's) */

#ifdef __cplusplus
extern "C" {
#endif

int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#ifdef __cplusplus
}
#endif
#endif
