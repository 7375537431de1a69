/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lwIP network interfaces over the platform's NICs (xn_net_* of
 * include/xenolith.h): one netif per NIC slot, a receive thread each.
 *
 * Checksums: where the NIC offers checksum offload, lwIP does not compute
 * TCP checksums on send; linkoutput writes the pseudo-header sum and marks
 * the frame, and the backend completes it. (UDP checksums stay in lwIP:
 * a fragmented datagram cannot be offloaded.) On receive, a frame the
 * backend validated, or one from a local sender whose checksum is left
 * blank, is given to lwIP with TCP and UDP checks off; every other frame
 * is checked by lwIP as usual. The switch is per packet: the receive
 * thread sets the netif's flags under the core lock for each frame.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xenolith.h>

#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/ip6.h"
#include "lwip/netif.h"
#include "lwip/prot/icmp6.h"
#include "lwip/prot/nd6.h"
#include "lwip/pbuf.h"
#include "lwip/snmp.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcp_priv.h"
#include "netif/ethernet.h"

#include "port.h"

#define CSUM_CHECK_ALL (NETIF_CHECKSUM_CHECK_IP | NETIF_CHECKSUM_CHECK_UDP | \
                        NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_ICMP | \
                        NETIF_CHECKSUM_CHECK_ICMP6)
#define CSUM_CHECK_VALIDATED (NETIF_CHECKSUM_CHECK_IP | NETIF_CHECKSUM_CHECK_ICMP | \
                              NETIF_CHECKSUM_CHECK_ICMP6)
#define CSUM_GEN_ALL (NETIF_CHECKSUM_GEN_IP | NETIF_CHECKSUM_GEN_UDP | NETIF_CHECKSUM_GEN_TCP | \
                      NETIF_CHECKSUM_GEN_ICMP | NETIF_CHECKSUM_GEN_ICMP6)

struct port_nic port_nics[XN_NET_MAX];

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* The sum (not complemented) of (len) bytes, as 16-bit big-endian words. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += get16(p + i);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

/*
 * For a TCP frame lwIP built with its checksum left at zero: write the
 * pseudo-header sum into the checksum field, for the backend to complete.
 * Returns true if the frame is such a frame.
 */
static bool tcp_csum_partial(struct pbuf *p)
{
    uint8_t h[14 + 40];
    if (pbuf_copy_partial(p, h, sizeof(h), 0) < 14 + 20)
        return false;
    uint16_t type = get16(h + 12);
    size_t l4, l4len;
    uint32_t sum;
    if (type == ETHTYPE_IP) {
        const uint8_t *ip = h + 14;
        size_t ihl = (size_t)(ip[0] & 15) * 4;
        if ((ip[0] >> 4) != 4 || ip[9] != IP_PROTO_TCP || (get16(ip + 6) & 0x3fff) != 0 ||
            ihl < 20)
            return false;
        l4 = 14 + ihl;
        l4len = (size_t)get16(ip + 2) - ihl;
        sum = sum16(ip + 12, 8, 0) + IP_PROTO_TCP + (uint32_t)l4len;
    } else if (type == ETHTYPE_IPV6) {
        const uint8_t *ip = h + 14;
        if (p->tot_len < 14 + 40 || (ip[0] >> 4) != 6 || ip[6] != IP6_NEXTH_TCP)
            return false;
        l4 = 14 + 40;
        l4len = get16(ip + 4);
        sum = sum16(ip + 8, 32, 0) + IP6_NEXTH_TCP + (uint32_t)l4len;
    } else {
        return false;
    }
    if (l4 + 18 > p->tot_len || l4 + l4len > p->tot_len)
        return false;
    uint16_t c = fold(sum);
    uint8_t field[2] = { (uint8_t)(c >> 8), (uint8_t)c };
    return pbuf_take_at(p, field, 2, (u16_t)(l4 + 16)) == ERR_OK;
}

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
    struct port_nic *nic = netif->state;
    struct xn_net_seg seg[32];
    unsigned n = 0, flags = 0;

    if (nic->csum_offload && tcp_csum_partial(p))
        flags |= XN_NET_TX_CSUM_PARTIAL;
    for (struct pbuf *q = p; q != NULL; q = q->next) {
        if (q->len == 0)
            continue;
        if (n == ARRAY_LEN(seg))
            return ERR_BUF;
        seg[n++] = (struct xn_net_seg){ q->payload, q->len };
    }
    int rc = xn_net_send(nic->dev, seg, n, flags);
    if (rc == 0) {
        MIB2_STATS_NETIF_ADD(netif, ifoutoctets, p->tot_len);
        return ERR_OK;
    }
    return rc == -ENOBUFS ? ERR_MEM : rc == -EMSGSIZE ? ERR_VAL : ERR_IF;
}

static err_t nic_init(struct netif *netif)
{
    struct port_nic *nic = netif->state;
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->output = etharp_output;
    netif->output_ip6 = ethip6_output;
    netif->linkoutput = linkoutput;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, nic->info.mac, ETH_HWADDR_LEN);
    netif->mtu = (u16_t)nic->mtu;
    netif->mtu6 = (u16_t)nic->mtu;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
                   NETIF_FLAG_IGMP | NETIF_FLAG_MLD6;
    NETIF_SET_CHECKSUM_CTRL(netif, CSUM_GEN_ALL | CSUM_CHECK_ALL);
    if (nic->csum_offload)
        NETIF_SET_CHECKSUM_CTRL(netif, (CSUM_GEN_ALL & ~NETIF_CHECKSUM_GEN_TCP) | CSUM_CHECK_ALL);
    return ERR_OK;
}

/* Take a (new) NIC's settings: MTU (net#.mtu lowers it), offloads. */
static void nic_settings(struct port_nic *nic)
{
    unsigned long long mtu = nic->info.mtu;
    char key[16];
    snprintf(key, sizeof(key), "net%d.mtu", nic->dev);
    const char *v = xn_config_get(key);
    if (v != NULL) {
        unsigned long long want = strtoull(v, NULL, 10);   /* checked at boot */
        if (want < mtu)
            mtu = want;
        else if (want > mtu)
            xn_log(XN_LOG_WARN, "net%d: %s=%s is above the NIC's MTU %u; using %u", nic->dev,
                   key, v, nic->info.mtu, nic->info.mtu);
    }
    nic->mtu = (unsigned)mtu;
    /* TCP checksum offload for IPv4 and IPv6 together, or not at all
     * (the netif has one switch for both). */
    nic->csum_offload = (nic->info.features & (XN_NET_F_TX_CSUM | XN_NET_F_TX_CSUM6)) ==
                        (XN_NET_F_TX_CSUM | XN_NET_F_TX_CSUM6);
}

/*
 * A new connection from a client port whose previous connection to us is
 * still in TIME-WAIT: lwIP would answer the SYN with an ACK and keep the
 * old connection for its 2 MSL, so the client could not connect. As Linux
 * and the BSDs do (RFC 6191), a SYN whose sequence number is beyond what
 * the old connection received ends the TIME-WAIT, and the SYN then opens
 * the new connection. Core lock held.
 */
static void syn_in_time_wait(const uint8_t *f, size_t len)
{
    ip_addr_t src, dst;
    memset(&src, 0, sizeof(src));
    memset(&dst, 0, sizeof(dst));
    const uint8_t *tcp;
    if (len < 14 + 20)
        return;
    uint16_t type = get16(f + 12);
    if (type == ETHTYPE_IP) {
        const uint8_t *ip = f + 14;
        size_t ihl = (size_t)(ip[0] & 15) * 4;
        if (ip[9] != IP_PROTO_TCP || ihl < 20 || len < 14 + ihl + 20)
            return;
        IP_ADDR4(&src, ip[12], ip[13], ip[14], ip[15]);
        IP_ADDR4(&dst, ip[16], ip[17], ip[18], ip[19]);
        tcp = ip + ihl;
    } else if (type == ETHTYPE_IPV6) {
        const uint8_t *ip = f + 14;
        if (len < 14 + 40 + 20 || ip[6] != IP6_NEXTH_TCP)
            return;
        uint32_t w[8];
        memcpy(w, ip + 8, 32);
        IP_ADDR6(&src, w[0], w[1], w[2], w[3]);
        IP_ADDR6(&dst, w[4], w[5], w[6], w[7]);
        tcp = ip + 40;
    } else {
        return;
    }
    uint8_t flags = tcp[13];
    if ((flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
        return;
    uint16_t sport = get16(tcp), dport = get16(tcp + 2);
    uint32_t seq = (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 | tcp[7];
    /* Its bucket of the TIME-WAIT hash (lib/lwip/patches/0001). */
    for (struct tcp_pcb *pcb = tcp_tw_hash[tcp_tw_bucket(dport, sport, &src)]; pcb != NULL;
         pcb = pcb->tw_hnext) {
        if (pcb->remote_port == sport && pcb->local_port == dport &&
            ip_addr_cmp(&pcb->remote_ip, &src) && ip_addr_cmp(&pcb->local_ip, &dst)) {
            if (TCP_SEQ_GT(seq, pcb->rcv_nxt))
                tcp_abort(pcb);
            return;
        }
    }
}

/* Copy (len) bytes of a frame from offset (from) on into (to). */
static void frame_copy(const struct xn_net_frame *f, size_t from, void *to, size_t len)
{
    char *out = to;
    for (unsigned i = 0; i < f->nseg && len > 0; i++) {
        size_t n = f->seg[i].len;
        if (from >= n) {
            from -= n;
            continue;
        }
        size_t k = n - from < len ? n - from : len;
        memcpy(out, (const char *)f->seg[i].data + from, k);
        out += k;
        len -= k;
        from = 0;
    }
}

/*
 * Copy a received frame into a pbuf and give it to lwIP (core lock held).
 * A pbuf holds at most 64 KiB - 1. A larger frame is an IP packet of up
 * to 64 KiB that the backend merged (GRO, forwarded over the bridge) plus
 * its Ethernet header: without that header it fits, and goes straight to
 * IPv4 or IPv6 input, which is all lwIP's Ethernet input would do with it.
 */
static void deliver(struct port_nic *nic, struct xn_net_frame *f)
{
    struct netif *netif = &nic->netif;
    size_t skip = 0;
    u16_t type = 0;
    if (f->len > 0xffff && f->len - SIZEOF_ETH_HDR <= 0xffff) {
        struct eth_hdr eh;
        frame_copy(f, 0, &eh, sizeof(eh));
        type = lwip_ntohs(eh.type);
        if (type == ETHTYPE_IP || type == ETHTYPE_IPV6)
            skip = SIZEOF_ETH_HDR;
    }
    struct pbuf *p = f->len - skip <= 0xffff
        ? pbuf_alloc(PBUF_RAW, (u16_t)(f->len - skip), PBUF_RAM) : NULL;
    if (p == NULL) {
        xn_net_recv_done(nic->dev, f);
        if (nic->rx_dropped++ == 0)
            xn_log(XN_LOG_WARN, "net%d: dropped a %zu-byte frame (%s)", nic->dev, f->len,
                   f->len - skip > 0xffff ? "larger than a pbuf, and no IP packet"
                                          : "out of memory");
        return;
    }
    frame_copy(f, skip, p->payload, f->len - skip);
    unsigned flags = f->flags;
    xn_net_recv_done(nic->dev, f);
    if (tcp_tw_pcbs != NULL && skip == 0)
        syn_in_time_wait(p->payload, p->len);
    NETIF_SET_CHECKSUM_CTRL(netif, (netif->chksum_flags & ~CSUM_CHECK_ALL) |
                                       ((flags & (XN_NET_RX_DATA_VALID | XN_NET_RX_CSUM_PARTIAL))
                                            ? CSUM_CHECK_VALIDATED : CSUM_CHECK_ALL));
    if (skip != 0) {
        if (nic->rx_large++ == 0)
            xn_log(XN_LOG_DEBUG, "net%d: a %zu-byte frame (an IP packet the backend merged) "
                   "goes to IP input without its Ethernet header", nic->dev, (size_t)p->tot_len + skip);
        /* Both consume the pbuf, whatever they make of it. */
        if (type == ETHTYPE_IP)
            ip4_input(p, netif);
        else
            ip6_input(p, netif);
        return;
    }
    if (netif->input(p, netif) != ERR_OK)
        pbuf_free(p);
}

static void *rx_thread(void *arg)
{
    struct port_nic *nic = arg;
    struct xn_net_frame f;
    for (;;) {
        int rc = xn_net_recv(nic->dev, &f, 0);
        if (rc != 0) {
            if (rc != -ETIMEDOUT) {
                xn_log(rc == -ENODEV ? XN_LOG_INFO : XN_LOG_ERR, "net%d: %s; link down", nic->dev,
                       rc == -ENODEV ? "the NIC went away" : "the NIC is broken");
                break;
            }
            continue;
        }
        LOCK_TCPIP_CORE();
        deliver(nic, &f);
        /* Take some more that are waiting without giving up the lock. */
        for (int i = 0; i < 32 && xn_net_recv(nic->dev, &f, 1) == 0; i++)
            deliver(nic, &f);
        UNLOCK_TCPIP_CORE();
    }
    LOCK_TCPIP_CORE();
    netif_set_link_down(&nic->netif);
    UNLOCK_TCPIP_CORE();
    nic->rx_running = false;
    return NULL;
}

static int start_rx(struct port_nic *nic)
{
    char name[16];
    snprintf(name, sizeof(name), "net%d-rx", nic->dev);
    nic->rx_running = true;
    struct xn_thread *t = xn_thread_create(name, rx_thread, nic, 0);
    if (t == NULL) {
        nic->rx_running = false;
        return -ENOMEM;
    }
    xn_thread_detach(t);
    return 0;
}

/*
 * Bring up (or back) the netif of slot (dev), whose NIC is described by
 * (info); with the core lock held. Returns 1 when the netif is new.
 */
static int nic_up(int dev, const struct xn_net_info *info)
{
    struct port_nic *nic = &port_nics[dev];
    struct netif *netif = &nic->netif;

    if (!nic->added) {
        nic->dev = dev;
        nic->info = *info;
        nic_settings(nic);
        if (netif_add(netif, NULL, NULL, NULL, nic, nic_init, ethernet_input) == NULL) {
            xn_log(XN_LOG_ERR, "net%d: lwIP refused the interface", dev);
            return -1;
        }
        nic->added = true;
        netif_create_ip6_linklocal_address(netif, 1);
        netif_set_up(netif);
    } else {
        bool new_mac = memcmp(nic->info.mac, info->mac, 6) != 0;
        nic->info = *info;
        nic_settings(nic);
        NETIF_SET_CHECKSUM_CTRL(netif, nic->csum_offload
                                           ? (CSUM_GEN_ALL & ~NETIF_CHECKSUM_GEN_TCP) | CSUM_CHECK_ALL
                                           : CSUM_GEN_ALL | CSUM_CHECK_ALL);
        netif->mtu = netif->mtu6 = (u16_t)nic->mtu;
        if (new_mac) {
            netif_set_down(netif);
            memcpy(netif->hwaddr, info->mac, ETH_HWADDR_LEN);
            netif_ip6_addr_set_state(netif, 0, IP6_ADDR_INVALID);
            netif_create_ip6_linklocal_address(netif, 1);
            netif_set_up(netif);
        }
    }
    nic->instance = info->instance;
    netif_set_link_up(netif);
    return nic->added ? 0 : -1;
}

/*
 * An unsolicited neighbour advertisement (RFC 4861, 7.2.6) for each valid
 * IPv6 address of (netif), to all nodes, with the override flag and our
 * link-layer address: after a resume or a migration the link learns at
 * once where the guest is, as the gratuitous ARP that lwIP sends on link
 * up does for IPv4 (lwIP has no call for it). With the core lock held.
 * Returns how many were sent.
 */
static int nd6_announce(struct netif *netif)
{
    const u16_t optlen = (u16_t)((netif->hwaddr_len + 2 + 7) & ~7);
    int sent = 0;

    if (netif->hwaddr_len > NETIF_MAX_HWADDR_LEN || optlen > sizeof(struct lladdr_option))
        return 0;
    for (s8_t i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
        if (!ip6_addr_isvalid(netif_ip6_addr_state(netif, i)))
            continue;
        const ip6_addr_t *src = netif_ip6_addr(netif, i);
        struct pbuf *p = pbuf_alloc(PBUF_IP, (u16_t)(sizeof(struct na_header) + optlen), PBUF_RAM);
        if (p == NULL)
            break;
        memset(p->payload, 0, p->len);
        struct na_header *na = p->payload;
        na->type = ICMP6_TYPE_NA;
        na->flags = ND6_FLAG_OVERRIDE;
        ip6_addr_copy_to_packed(na->target_address, *src);
        struct lladdr_option *opt = (struct lladdr_option *)(na + 1);
        opt->type = ND6_OPTION_TYPE_TARGET_LLADDR;
        opt->length = (u8_t)(optlen >> 3);
        memcpy(opt->addr, netif->hwaddr, netif->hwaddr_len);
        ip6_addr_t dst;
        ip6_addr_set_allnodes_linklocal(&dst);
        ip6_addr_assign_zone(&dst, IP6_MULTICAST, netif);
#if CHECKSUM_GEN_ICMP6
        IF__NETIF_CHECKSUM_ENABLED(netif, NETIF_CHECKSUM_GEN_ICMP6) {
            na->chksum = ip6_chksum_pseudo(p, IP6_NEXTH_ICMP6, p->len, src, &dst);
        }
#endif
        /* Hop limit 255: receivers drop neighbour discovery that was routed. */
        if (ip6_output_if(p, src, &dst, 255, 0, IP6_NEXTH_ICMP6, netif) == ERR_OK)
            sent++;
        pbuf_free(p);
    }
    return sent;
}

int port_netif_sync(void (*configure)(struct port_nic *nic, bool first))
{
    int up = 0;
    for (int dev = 0; dev < XN_NET_MAX; dev++) {
        struct port_nic *nic = &port_nics[dev];
        struct xn_net_info info;
        if (xn_net_info(dev, &info) != 0)
            continue;
        if (nic->added && nic->instance == info.instance) {
            up++;
            continue;
        }
        if (nic->rx_running)
            continue;                   /* the old NIC's thread has not ended yet */
        bool first = !nic->added;
        LOCK_TCPIP_CORE();
        int rc = nic_up(dev, &info), announced = 0;
        if (rc == 0) {
            configure(nic, first);
            /* Back after a resume or a migration: tell the link (IPv4's
             * gratuitous ARP went out with the link coming up). */
            if (!first)
                announced = nd6_announce(&nic->netif);
        }
        UNLOCK_TCPIP_CORE();
        if (rc == 0 && start_rx(nic) == 0) {
            up++;
            const uint8_t *m = info.mac;
            xn_log(XN_LOG_INFO, "net%d: %s %02x:%02x:%02x:%02x:%02x:%02x, mtu %u%s", dev,
                   first ? "up on" : "back on", m[0], m[1], m[2], m[3], m[4], m[5], nic->mtu,
                   nic->csum_offload ? ", TCP checksum offload" : "");
            if (announced > 0)
                xn_log(XN_LOG_INFO, "net%d: announced %d IPv6 address%s (unsolicited neighbour advertisement)",
                       dev, announced, announced == 1 ? "" : "es");
        }
    }
    return up;
}
