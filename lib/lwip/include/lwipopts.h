/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lwIP configuration for Xenolith. lwIP runs with NO_SYS=0 on the kernel's
 * cooperative scheduler, with core locking; memory comes from newlib's
 * malloc, which the kernel's retargetable locks make thread-safe. The
 * glue is in lib/lwip/ (sys_arch.c, netif.c, net.c, socket.c).
 */
#ifndef XENOLITH_LWIPOPTS_H
#define XENOLITH_LWIPOPTS_H

/* Threading. lwIP's critical sections need no lock: threads are
 * cooperative and interrupt handlers never call lwIP. */
#define NO_SYS                      0
#define SYS_LIGHTWEIGHT_PROT        1
#define LWIP_TCPIP_CORE_LOCKING     1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1

/* Memory: everything from malloc, no fixed pools. */
#define MEM_LIBC_MALLOC             1
#define MEMP_MEM_MALLOC             1
#define MEM_ALIGNMENT               8
#define MEM_SIZE                    (1024 * 1024)   /* unused with malloc; makes mem_size_t 32-bit */
#define MEMP_NUM_NETCONN            256     /* sockets open at once */
#define LWIP_STATS                  0

/* Protocols. */
#define LWIP_IPV4                   1
#define LWIP_IPV6                   1
#define LWIP_TCP                    1
#define LWIP_UDP                    1
#define LWIP_RAW                    1
#define LWIP_DHCP                   1
#define DHCP_DOES_ARP_CHECK         0       /* no 1-2 s probe before using a lease */
#define LWIP_IPV6_DHCP6             1
#define LWIP_IPV6_DHCP6_STATELESS   1
#define LWIP_DHCP6_GET_DNS_SERVERS  1
#define LWIP_IPV6_AUTOCONFIG        1
#define LWIP_IPV6_NUM_ADDRESSES     3       /* link-local, SLAAC, static */
#define LWIP_ND6_RDNSS_MAX_DNS_SERVERS 2
#define LWIP_DNS                    1
#define DNS_MAX_SERVERS             2
#define LWIP_IGMP                   1
#define LWIP_IPV6_MLD               1
#define LWIP_HAVE_LOOPIF            1
#define LWIP_NETIF_LOOPBACK         1
#define IPV6_FRAG_COPYHEADER        1       /* required on 64-bit */
#define LWIP_NETIF_HOSTNAME         1
#define LWIP_NETIF_STATUS_CALLBACK  1
#define LWIP_NETIF_LINK_CALLBACK    1
#define LWIP_NETIF_EXT_STATUS_CALLBACK 1
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1      /* checksum offload, per packet */
#define SO_REUSE                    1
#define LWIP_TCP_KEEPALIVE          1
#define LWIP_SO_RCVBUF              1
#define LWIP_SO_LINGER              1
#define LWIP_FIONREAD_LINUXMODE     1
#define LWIP_NETBUF_RECVINFO        1       /* IP_PKTINFO */

/* TCP: a receive window of 128 KiB, announced with window scaling (RFC
 * 7323; shift 2, so up to 256 KiB), so that a bulk sender keeps more
 * than 64 KiB in flight and netback hands over large GSO packets. With
 * more than 64 KiB in flight, a backend that merges received packets
 * (GRO) may hand over a 64 KiB IP packet in a frame a pbuf cannot hold
 * with its Ethernet header: lib/lwip/netif.c gives those to IP input
 * without it. Send buffers sized for bulk transfers. */
#define TCP_MSS                     1460
#define LWIP_WND_SCALE              1
#define TCP_RCV_SCALE               2
#define TCP_WND                     (128 * 1024)
#define TCP_SND_BUF                 (32 * TCP_MSS)
#define TCP_SND_QUEUELEN            (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG          1
#define TCP_DEFAULT_LISTEN_BACKLOG  128
#define LWIP_TCP_SACK_OUT           1
#define TCP_QUEUE_OOSEQ             1
#define TCP_MSL                     30000UL /* TIME-WAIT lasts 60 s, as on Linux */
/* TIME-WAIT PCBs hashed by 4-tuple (lib/lwip/patches/0001): a server
 * that closes first holds one per connection for 60 s, thousands at a
 * few hundred connections a second, and lwIP scanned them all for every
 * segment that matched no active connection (every SYN). */
#define LWIP_TCP_TW_HASH_SIZE       1024

/* APIs: netconn and BSD sockets, without the POSIX name macros (the fd
 * layer calls lwip_*() itself). */
#define LWIP_NETCONN                1
#define LWIP_SOCKET                 1
#define LWIP_COMPAT_SOCKETS         0
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_SELECT          1
#define LWIP_SOCKET_POLL            1
#define LWIP_TIMEVAL_PRIVATE        0
#define LWIP_ERRNO_STDINCLUDE       1
#define LWIP_SO_RCVTIMEO            1
#define LWIP_SO_SNDTIMEO            1

#define TCPIP_MBOX_SIZE             256
#define DEFAULT_TCP_RECVMBOX_SIZE   128
#define DEFAULT_UDP_RECVMBOX_SIZE   64
#define DEFAULT_RAW_RECVMBOX_SIZE   64
#define DEFAULT_ACCEPTMBOX_SIZE     128
#define TCPIP_THREAD_STACKSIZE      16384
#define DEFAULT_THREAD_STACKSIZE    16384
#define TCPIP_THREAD_NAME           "tcpip"

/* Hooks: the configured IPv6 gateway (net#.gw6). */
#define LWIP_HOOK_FILENAME          "lwip_hooks.h"
#define LWIP_HOOK_ND6_GET_GW(netif, dest) lwip_port_nd6_gw((netif), (dest))

/*
 * Debug output: compiled in only for images built with `make LWIP_DEBUG=1`
 * (which link liblwip-debug.a), switched per module at run time by the
 * net.debug key (docs/config.md) and printed at log level debug. Each
 * switch is a bit of lwip_port_debug.
 */
#ifdef XENOLITH_LWIP_DEBUG
#define LWIP_DEBUG                  1
#endif
extern unsigned lwip_port_debug;
#define LWIP_PORT_DBG(bit)          ((lwip_port_debug & (1u << (bit))) ? 0x80U : 0x00U)
#define ETHARP_DEBUG                LWIP_PORT_DBG(0)
#define NETIF_DEBUG                 LWIP_PORT_DBG(1)
#define PBUF_DEBUG                  LWIP_PORT_DBG(2)
#define API_LIB_DEBUG               LWIP_PORT_DBG(3)
#define API_MSG_DEBUG               LWIP_PORT_DBG(3)
#define SOCKETS_DEBUG               LWIP_PORT_DBG(4)
#define ICMP_DEBUG                  LWIP_PORT_DBG(5)
#define IGMP_DEBUG                  LWIP_PORT_DBG(5)
#define INET_DEBUG                  LWIP_PORT_DBG(6)
#define IP_DEBUG                    LWIP_PORT_DBG(6)
#define IP_REASS_DEBUG              LWIP_PORT_DBG(6)
#define RAW_DEBUG                   LWIP_PORT_DBG(6)
#define MEM_DEBUG                   LWIP_PORT_DBG(2)
#define MEMP_DEBUG                  LWIP_PORT_DBG(2)
#define SYS_DEBUG                   LWIP_PORT_DBG(7)
#define TIMERS_DEBUG                LWIP_PORT_DBG(7)
#define TCP_DEBUG                   LWIP_PORT_DBG(8)
#define TCP_INPUT_DEBUG             LWIP_PORT_DBG(8)
#define TCP_FR_DEBUG                LWIP_PORT_DBG(8)
#define TCP_RTO_DEBUG               LWIP_PORT_DBG(8)
#define TCP_CWND_DEBUG              LWIP_PORT_DBG(8)
#define TCP_WND_DEBUG               LWIP_PORT_DBG(8)
#define TCP_OUTPUT_DEBUG            LWIP_PORT_DBG(8)
#define TCP_RST_DEBUG               LWIP_PORT_DBG(8)
#define TCP_QLEN_DEBUG              LWIP_PORT_DBG(8)
#define UDP_DEBUG                   LWIP_PORT_DBG(9)
#define TCPIP_DEBUG                 LWIP_PORT_DBG(7)
#define SLIP_DEBUG                  0
#define DHCP_DEBUG                  LWIP_PORT_DBG(10)
#define AUTOIP_DEBUG                LWIP_PORT_DBG(10)
#define DNS_DEBUG                   LWIP_PORT_DBG(11)
#define IP6_DEBUG                   LWIP_PORT_DBG(12)
#define DHCP6_DEBUG                 LWIP_PORT_DBG(13)

#endif
