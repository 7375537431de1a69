/* SPDX-License-Identifier: BSD-2-Clause */
/* struct iovec (lwIP's), readv and writev. */
#ifndef XENOLITH_SYS_UIO_H
#define XENOLITH_SYS_UIO_H

#include <sys/socket.h>

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#endif
