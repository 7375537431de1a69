/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UNIX-domain socket addresses. A Xenolith guest has socketpair(AF_UNIX)
 * (two connected in-guest ends, lib/newlib/pipe.c) but no named UNIX
 * sockets: socket(AF_UNIX, ...) fails with EAFNOSUPPORT (docs/posix.md).
 * The type is here so that programs which can use them build.
 */
#ifndef XENOLITH_SYS_UN_H
#define XENOLITH_SYS_UN_H

#include <sys/socket.h>

#ifndef AF_LOCAL
#define AF_LOCAL AF_UNIX
#endif
#ifndef PF_LOCAL
#define PF_LOCAL PF_UNIX
#endif

/* The BSD layout, as lwIP's struct sockaddr (a length byte first). */
struct sockaddr_un {
    unsigned char sun_len;
    sa_family_t sun_family;     /* AF_UNIX */
    char sun_path[108];
};

#endif
