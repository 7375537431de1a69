/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest test of netfront (the xn_net_* API) against real netback,
 * without an IP stack:
 *   - the vif connected, with the MAC from Xenstore;
 *   - an ARP request for dom0's bridge address (10.99.0.1) goes out, and
 *     dom0's reply comes back (small frames both ways);
 *   - ICMP echo requests of 64 and 1400 bytes of payload to 10.99.0.1 get
 *     replies with the same payload (full-size frames both ways);
 *   - the device disconnects cleanly (the backend follows to Closing).
 * Usage: netfront OUR_IP (dotted quad on 10.99.0.0/24). Prints PASS or
 * FAIL lines; exits 0 only if all passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <xenolith.h>

static uint8_t mac[6], peer_mac[6];
static uint8_t our_ip[4], peer_ip[4] = { 10, 99, 0, 1 };
static uint8_t frame[2048], rx[4096];

static uint16_t csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static unsigned rx_flags_seen;

/* Wait for a frame of (ethertype) that (match) accepts: its length, or -1. */
static int wait_for(uint16_t ethertype, int (*match)(const uint8_t *f, int len), uint64_t ms)
{
    uint64_t deadline = xn_clock_monotonic_ns() + ms * 1000000ULL;
    struct xn_net_frame f;
    for (;;) {
        if (xn_net_recv(0, &f, deadline) != 0)
            return -1;
        size_t n = 0;
        for (unsigned i = 0; i < f.nseg; i++) {
            if (n + f.seg[i].len <= sizeof(rx))
                memcpy(rx + n, f.seg[i].data, f.seg[i].len);
            n += f.seg[i].len;
        }
        rx_flags_seen |= f.flags;
        xn_net_recv_done(0, &f);
        if (n != f.len || n > sizeof(rx))
            continue;
        if (n >= 14 && (rx[12] << 8 | rx[13]) == ethertype && match(rx, (int)n))
            return (int)n;
    }
}

/* Send (len) bytes of (frame) in two pieces, as the IP stack does. */
static int send_frame(size_t len)
{
    struct xn_net_seg seg[2] = { { frame, 14 }, { frame + 14, len - 14 } };
    return xn_net_send(0, seg, 2, 0);
}

static int is_arp_reply(const uint8_t *f, int n)
{
    return n >= 42 && f[20] == 0 && f[21] == 2 && memcmp(f + 28, peer_ip, 4) == 0 &&
           memcmp(f + 38, our_ip, 4) == 0;
}

static int arp(void)
{
    memset(frame, 0xff, 6);
    memcpy(frame + 6, mac, 6);
    put16(frame + 12, 0x0806);
    uint8_t *a = frame + 14;
    put16(a, 1);                        /* Ethernet */
    put16(a + 2, 0x0800);               /* IPv4 */
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, 1);                    /* request */
    memcpy(a + 8, mac, 6);
    memcpy(a + 14, our_ip, 4);
    memset(a + 18, 0, 6);
    memcpy(a + 24, peer_ip, 4);
    for (int tries = 0; tries < 3; tries++) {
        int rc = send_frame(60);
        if (rc != 0) {
            printf("FAIL arp: send: %d\n", rc);
            return 1;
        }
        if (wait_for(0x0806, is_arp_reply, 2000) > 0) {
            memcpy(peer_mac, rx + 22, 6);
            printf("PASS arp: 10.99.0.1 is at %02x:%02x:%02x:%02x:%02x:%02x\n", peer_mac[0],
                   peer_mac[1], peer_mac[2], peer_mac[3], peer_mac[4], peer_mac[5]);
            return 0;
        }
    }
    printf("FAIL arp: no reply from 10.99.0.1\n");
    return 1;
}

static uint16_t echo_id = 0x584e, echo_seq;
static size_t echo_len;

static int is_echo_reply(const uint8_t *f, int n)
{
    const uint8_t *ip = f + 14, *ic = ip + 20;
    return n >= (int)(14 + 20 + 8 + echo_len) && ip[9] == 1 && memcmp(ip + 12, peer_ip, 4) == 0 &&
           ic[0] == 0 && (ic[4] << 8 | ic[5]) == echo_id && (ic[6] << 8 | ic[7]) == echo_seq &&
           memcmp(ic + 8, frame + 14 + 20 + 8, echo_len) == 0;
}

static int ping(size_t payload)
{
    uint8_t *ip = frame + 14, *ic = ip + 20;
    size_t total = 20 + 8 + payload;
    echo_len = payload;
    echo_seq++;
    memcpy(frame, peer_mac, 6);
    memcpy(frame + 6, mac, 6);
    put16(frame + 12, 0x0800);
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)total);
    put16(ip + 4, echo_seq);
    ip[8] = 64;
    ip[9] = 1;                          /* ICMP */
    memcpy(ip + 12, our_ip, 4);
    memcpy(ip + 16, peer_ip, 4);
    put16(ip + 10, csum(ip, 20));
    memset(ic, 0, 8);
    ic[0] = 8;                          /* echo request */
    put16(ic + 4, echo_id);
    put16(ic + 6, echo_seq);
    for (size_t i = 0; i < payload; i++)
        ic[8 + i] = (uint8_t)(i * 7 + echo_seq);
    put16(ic + 2, csum(ic, 8 + payload));
    for (int tries = 0; tries < 3; tries++) {
        int rc = send_frame(14 + total);
        if (rc != 0) {
            printf("FAIL ping %zu: send: %d\n", payload, rc);
            return 1;
        }
        if (wait_for(0x0800, is_echo_reply, 2000) > 0) {
            printf("PASS ping: %zu bytes of payload echoed by 10.99.0.1\n", payload);
            return 0;
        }
    }
    printf("FAIL ping %zu: no echo reply\n", payload);
    return 1;
}

int main(int argc, char **argv)
{
    unsigned a, b, c, d;
    if (argc < 2 || sscanf(argv[1], "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || d > 254) {
        printf("usage: netfront OUR_IP\n");
        return 2;
    }
    our_ip[0] = (uint8_t)a, our_ip[1] = (uint8_t)b, our_ip[2] = (uint8_t)c, our_ip[3] = (uint8_t)d;
    struct xn_net_info info;
    if (xn_net_open() < 1 || xn_net_info(0, &info) != 0) {
        printf("FAIL no connected vif\n");
        return 1;
    }
    memcpy(mac, info.mac, 6);
    printf("PASS vif connected, mtu %u, features %#x\n", info.mtu, info.features);
    int bad = arp();
    if (!bad)
        bad |= ping(64) | ping(1400);
    if (xn_net_info(0, &info) == 0)
        printf("counters: rx %llu packets (%llu errors), tx %llu packets (%llu errors, "
               "%llu dropped)\n", (unsigned long long)info.rx_packets,
               (unsigned long long)info.rx_errors, (unsigned long long)info.tx_packets,
               (unsigned long long)info.tx_errors, (unsigned long long)info.tx_dropped);
    if (xn_net_close(0) == 0 && xn_net_info(0, &info) == -ENODEV)
        printf("PASS disconnected\n");
    else {
        printf("FAIL disconnect\n");
        bad = 1;
    }
    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
