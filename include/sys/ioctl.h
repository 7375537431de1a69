/* SPDX-License-Identifier: BSD-2-Clause */
/* ioctl(): FIONBIO and FIONREAD on sockets. */
#ifndef XENOLITH_SYS_IOCTL_H
#define XENOLITH_SYS_IOCTL_H

#include <sys/socket.h>

int ioctl(int fd, unsigned long request, ...);

#endif
