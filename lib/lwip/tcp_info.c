/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * getsockopt(TCP_INFO): what lwIP knows of a TCP connection, in Linux's
 * struct tcp_info (<netinet/tcp.h>). lwIP keeps no counters of totals,
 * losses or delivery rates; those fields stay 0. Its round-trip estimate
 * is in ticks of its slow timer (TCP_SLOW_INTERVAL, 500 ms), so tcpi_rtt
 * and tcpi_rttvar have that resolution.
 */
#include <errno.h>
#include <string.h>

#include <netinet/tcp.h>

#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/api.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"

#include "port.h"

static uint8_t linux_state(enum tcp_state s)
{
    switch (s) {
    case LISTEN: return TCP_LISTEN;
    case SYN_SENT: return TCP_SYN_SENT;
    case SYN_RCVD: return TCP_SYN_RECV;
    case ESTABLISHED: return TCP_ESTABLISHED;
    case FIN_WAIT_1: return TCP_FIN_WAIT1;
    case FIN_WAIT_2: return TCP_FIN_WAIT2;
    case CLOSE_WAIT: return TCP_CLOSE_WAIT;
    case CLOSING: return TCP_CLOSING;
    case LAST_ACK: return TCP_LAST_ACK;
    case TIME_WAIT: return TCP_TIME_WAIT;
    default: return TCP_CLOSE;
    }
}

int port_tcp_info(int s, struct tcp_info *ti)
{
    memset(ti, 0, sizeof(*ti));
    /* The socket is looked up with the core lock held, so that no other
     * thread closes it while its pcb is read. */
    LOCK_TCPIP_CORE();
    struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);
    if (sock == NULL || sock->conn == NULL) {
        UNLOCK_TCPIP_CORE();
        errno = EBADF;
        return -1;
    }
    if (NETCONNTYPE_GROUP(netconn_type(sock->conn)) != NETCONN_TCP) {
        UNLOCK_TCPIP_CORE();
        errno = ENOPROTOOPT;
        return -1;
    }
    const struct tcp_pcb *pcb = sock->conn->pcb.tcp;
    if (pcb == NULL) {
        ti->tcpi_state = TCP_CLOSE;
    } else if (pcb->state == LISTEN) {
        ti->tcpi_state = TCP_LISTEN;
    } else {
        const uint32_t tick_us = TCP_SLOW_INTERVAL * 1000;
        ti->tcpi_state = linux_state(pcb->state);
        ti->tcpi_retransmits = pcb->nrtx;
#if LWIP_WND_SCALE
        if (pcb->flags & TF_WND_SCALE) {
            ti->tcpi_options |= TCPI_OPT_WSCALE;
            ti->tcpi_snd_wscale = pcb->snd_scale & 0xf;
            ti->tcpi_rcv_wscale = pcb->rcv_scale & 0xf;
        }
#endif
#if LWIP_TCP_SACK_OUT
        if (pcb->flags & TF_SACK)
            ti->tcpi_options |= TCPI_OPT_SACK;
#endif
#if LWIP_TCP_TIMESTAMPS
        if (pcb->flags & TF_TIMESTAMP)
            ti->tcpi_options |= TCPI_OPT_TIMESTAMPS;
#endif
        ti->tcpi_rto = pcb->rto > 0 ? (uint32_t)pcb->rto * tick_us : 0;
        ti->tcpi_snd_mss = pcb->mss;
        ti->tcpi_rcv_mss = pcb->mss;
        ti->tcpi_advmss = TCP_MSS;
        for (const struct tcp_seg *g = pcb->unacked; g != NULL; g = g->next)
            ti->tcpi_unacked++;
        ti->tcpi_rtt = (uint32_t)(pcb->sa >> 3) * tick_us;
        ti->tcpi_rttvar = (uint32_t)(pcb->sv >> 2) * tick_us;
        ti->tcpi_snd_ssthresh = pcb->ssthresh;
        ti->tcpi_snd_cwnd = pcb->mss > 0 ? pcb->cwnd / pcb->mss : 0;
        ti->tcpi_rcv_space = pcb->rcv_wnd;
        ti->tcpi_rcv_ssthresh = pcb->rcv_ann_wnd;
    }
    UNLOCK_TCPIP_CORE();
    return 0;
}
