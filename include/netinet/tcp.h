/* SPDX-License-Identifier: BSD-2-Clause */
/* TCP socket options (TCP_NODELAY, TCP_KEEPIDLE, ...): lwIP's. */
#ifndef XENOLITH_NETINET_TCP_H
#define XENOLITH_NETINET_TCP_H

#include <sys/socket.h>

#endif
