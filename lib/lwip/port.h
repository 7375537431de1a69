/* SPDX-License-Identifier: BSD-2-Clause */
/* The lwIP port's internal interface (lib/lwip/). */
#ifndef XENOLITH_LWIP_PORT_H
#define XENOLITH_LWIP_PORT_H

#include <stdbool.h>

#include <xenolith.h>

#include "lwip/ip6_addr.h"
#include "lwip/netif.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* One NIC slot (net0 .. net3) and its lwIP netif. */
struct port_nic {
    int dev;
    bool added;                         /* netif_add() done */
    bool rx_running;                    /* its receive thread lives */
    bool csum_offload;                  /* TCP checksums completed by the backend */
    unsigned instance, mtu;
    struct xn_net_info info;
    struct netif netif;
    unsigned long rx_dropped;
    unsigned long rx_large;             /* IP packets in frames larger than a pbuf */
    /* From the configuration (net.c). */
    bool dhcp;
    bool has_gw6;
    ip6_addr_t gw6;
};
extern struct port_nic port_nics[XN_NET_MAX];

/* netif.c: bring up the netif of every NIC that is new or came back;
 * configure(nic, first) runs for each, with the core lock held. Returns
 * the number of NICs up. */
int port_netif_sync(void (*configure)(struct port_nic *nic, bool first));

/*
 * sys_arch.c: a thread in lwip_poll() that poll() may wake because a
 * descriptor that is not a socket changed. While it is registered, its
 * semaphore waits (lwip_poll's only blocking call) end with a timeout
 * once *woken is true; port_poll_wake(t) interrupts one under way.
 */
struct port_poll_wait {
    struct xn_thread *t;
    const volatile bool *woken;
    void *sem;                          /* the semaphore it waits on, or NULL */
    struct port_poll_wait *next;
};
void port_poll_wait_begin(struct port_poll_wait *w);
void port_poll_wait_end(struct port_poll_wait *w);
void port_poll_wake(struct xn_thread *t);

/* tcp_info.c: getsockopt(TCP_INFO) of lwIP socket s (-1 and errno if it
 * is not a TCP socket). */
struct tcp_info;
int port_tcp_info(int s, struct tcp_info *ti);

/* net.c: start lwIP and the network, once (waits for DHCP up to net.wait). */
void port_net_start(void);

#endif
