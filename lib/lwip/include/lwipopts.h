/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lwIP configuration for Xenolith. lwIP runs with NO_SYS=0 on the kernel's
 * cooperative scheduler, with core locking; memory comes from newlib's
 * malloc, which the kernel's retargetable locks make thread-safe.
 */
#ifndef XENOLITH_LWIPOPTS_H
#define XENOLITH_LWIPOPTS_H

/* Threading. */
#define NO_SYS                      0
#define SYS_LIGHTWEIGHT_PROT        1
#define LWIP_TCPIP_CORE_LOCKING     1

/* Memory. */
#define MEM_LIBC_MALLOC             1
#define MEMP_MEM_MALLOC             1
#define MEM_ALIGNMENT               8

/* Protocols. */
#define LWIP_IPV4                   1
#define LWIP_IPV6                   1
#define LWIP_TCP                    1
#define LWIP_UDP                    1
#define LWIP_RAW                    1
#define LWIP_DHCP                   1
#define LWIP_IPV6_DHCP6             1
#define LWIP_DNS                    1
#define LWIP_IGMP                   1
#define LWIP_IPV6_MLD               1
#define LWIP_HAVE_LOOPIF            1
#define LWIP_NETIF_LOOPBACK         1
#define IPV6_FRAG_COPYHEADER        1   /* required on 64-bit */

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

#define TCPIP_MBOX_SIZE             64
#define DEFAULT_TCP_RECVMBOX_SIZE   64
#define DEFAULT_UDP_RECVMBOX_SIZE   64
#define DEFAULT_RAW_RECVMBOX_SIZE   64
#define DEFAULT_ACCEPTMBOX_SIZE     64
#define TCPIP_THREAD_STACKSIZE      16384

#endif
