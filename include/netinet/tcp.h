/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCP socket options: TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL and
 * TCP_KEEPCNT are lwIP's (through <sys/socket.h>); TCP_INFO, with Linux's
 * option number and struct layout, is Xenolith's (lib/lwip/socket.c;
 * docs/networking.md says which fields are filled).
 */
#ifndef XENOLITH_NETINET_TCP_H
#define XENOLITH_NETINET_TCP_H

#include <stdint.h>
#include <sys/socket.h>

#ifndef SOL_TCP
#define SOL_TCP 6               /* the level of TCP's options: IPPROTO_TCP */
#endif
#define TCP_INFO 11

/* tcpi_state: Linux's numbering of the TCP states. */
enum {
    TCP_ESTABLISHED = 1,
    TCP_SYN_SENT,
    TCP_SYN_RECV,
    TCP_FIN_WAIT1,
    TCP_FIN_WAIT2,
    TCP_TIME_WAIT,
    TCP_CLOSE,
    TCP_CLOSE_WAIT,
    TCP_LAST_ACK,
    TCP_LISTEN,
    TCP_CLOSING
};

/* tcpi_options */
#define TCPI_OPT_TIMESTAMPS 1
#define TCPI_OPT_SACK       2
#define TCPI_OPT_WSCALE     4
#define TCPI_OPT_ECN        8

/* The fields every Linux since 2.6.x has, in Linux's layout: a program
 * built for a larger struct gets these, as from an older Linux. Times are
 * in microseconds. */
struct tcp_info {
    uint8_t tcpi_state;
    uint8_t tcpi_ca_state;
    uint8_t tcpi_retransmits;
    uint8_t tcpi_probes;
    uint8_t tcpi_backoff;
    uint8_t tcpi_options;
    uint8_t tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;
    uint8_t tcpi_delivery_rate_app_limited : 1, tcpi_fastopen_client_fail : 2;

    uint32_t tcpi_rto;
    uint32_t tcpi_ato;
    uint32_t tcpi_snd_mss;
    uint32_t tcpi_rcv_mss;

    uint32_t tcpi_unacked;
    uint32_t tcpi_sacked;
    uint32_t tcpi_lost;
    uint32_t tcpi_retrans;
    uint32_t tcpi_fackets;

    uint32_t tcpi_last_data_sent;
    uint32_t tcpi_last_ack_sent;
    uint32_t tcpi_last_data_recv;
    uint32_t tcpi_last_ack_recv;

    uint32_t tcpi_pmtu;
    uint32_t tcpi_rcv_ssthresh;
    uint32_t tcpi_rtt;
    uint32_t tcpi_rttvar;
    uint32_t tcpi_snd_ssthresh;
    uint32_t tcpi_snd_cwnd;
    uint32_t tcpi_advmss;
    uint32_t tcpi_reordering;

    uint32_t tcpi_rcv_rtt;
    uint32_t tcpi_rcv_space;

    uint32_t tcpi_total_retrans;
};

#endif
