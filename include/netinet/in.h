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

/* ::1 (lib/lwip/socket.c; lwIP has in6addr_any), and the RFC 3493 tests. */
extern const struct in6_addr in6addr_loopback;
#define IN6_IS_ADDR_UNSPECIFIED(a) \
    ((a)->un.u32_addr[0] == 0 && (a)->un.u32_addr[1] == 0 && (a)->un.u32_addr[2] == 0 && \
     (a)->un.u32_addr[3] == 0)
#define IN6_IS_ADDR_LOOPBACK(a) \
    ((a)->un.u32_addr[0] == 0 && (a)->un.u32_addr[1] == 0 && (a)->un.u32_addr[2] == 0 && \
     (a)->un.u32_addr[3] == PP_HTONL(1))
#define IN6_IS_ADDR_V4MAPPED(a) \
    ((a)->un.u32_addr[0] == 0 && (a)->un.u32_addr[1] == 0 && (a)->un.u32_addr[2] == PP_HTONL(0xffff))
#define IN6_IS_ADDR_V4COMPAT(a) \
    ((a)->un.u32_addr[0] == 0 && (a)->un.u32_addr[1] == 0 && (a)->un.u32_addr[2] == 0 && \
     PP_NTOHL((a)->un.u32_addr[3]) > 1)
#define IN6_IS_ADDR_MULTICAST(a) ((a)->s6_addr[0] == 0xff)
#define IN6_IS_ADDR_LINKLOCAL(a) ((a)->s6_addr[0] == 0xfe && ((a)->s6_addr[1] & 0xc0) == 0x80)
#define IN6_IS_ADDR_SITELOCAL(a) ((a)->s6_addr[0] == 0xfe && ((a)->s6_addr[1] & 0xc0) == 0xc0)
#define IN6_ARE_ADDR_EQUAL(a, b) \
    ((a)->un.u32_addr[0] == (b)->un.u32_addr[0] && (a)->un.u32_addr[1] == (b)->un.u32_addr[1] && \
     (a)->un.u32_addr[2] == (b)->un.u32_addr[2] && (a)->un.u32_addr[3] == (b)->un.u32_addr[3])

#endif
