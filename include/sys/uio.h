/* SPDX-License-Identifier: BSD-2-Clause */
/* struct iovec (lwIP's), readv, writev, preadv and pwritev. */
#ifndef XENOLITH_SYS_UIO_H
#define XENOLITH_SYS_UIO_H

#include <sys/socket.h>

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t off);
ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t off);

#endif
