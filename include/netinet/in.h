/* SPDX-License-Identifier: BSD-2-Clause */
/* Internet addresses (lwIP's types): sockaddr_in, sockaddr_in6, IPPROTO_*. */
#ifndef XENOLITH_NETINET_IN_H
#define XENOLITH_NETINET_IN_H

#include <sys/socket.h>
#include <lwip/inet.h>

#ifndef INADDR_LOOPBACK
#define INADDR_LOOPBACK ((in_addr_t)0x7f000001UL)
#endif
#ifndef IN6ADDR_LOOPBACK_INIT
#define IN6ADDR_LOOPBACK_INIT {{{0, 0, 0, PP_HTONL(1)}}}
#endif
typedef u16_t in_port_t;

#endif
