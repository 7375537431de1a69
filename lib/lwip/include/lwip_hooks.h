/* SPDX-License-Identifier: BSD-2-Clause */
/* lwIP hooks (lwipopts.h), implemented in lib/lwip/net.c. */
#ifndef XENOLITH_LWIP_HOOKS_H
#define XENOLITH_LWIP_HOOKS_H

struct netif;
#include "lwip/ip6_addr.h"

/* The configured default IPv6 router (net#.gw6) of (netif), or NULL. */
const ip6_addr_t *lwip_port_nd6_gw(struct netif *netif, const ip6_addr_t *dest);

#endif
