/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Network start-up: lwIP's thread, a netif per NIC configured from the
 * configuration tree (docs/config.md: net#.ip, .gw, .ip6, .gw6, .mtu,
 * dns, hostname, net.wait, net.debug), and a thread that follows NICs
 * coming and going. Runs once, before main(), in images that use sockets
 * (socket.c starts it); at boot it waits up to net.wait seconds for DHCP,
 * then marks "net" on the boot timeline.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith.h>

#include "lwip/dhcp.h"
#include "lwip/dhcp6.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcp_priv.h"

#include "port.h"

static bool started;
static char hostname[64];
static int ndns;
static ip_addr_t dns[DNS_MAX_SERVERS];

static const char *cfg(int dev, const char *what)
{
    char key[24];
    snprintf(key, sizeof(key), "net%d.%s", dev, what);
    return xn_config_get(key);
}

/* net.debug: comma-separated lwIP modules whose debug output to log. */
static const char *const debug_names[] = {
    "etharp", "netif", "pbuf", "api", "sockets", "icmp", "ip", "sys", "tcp", "udp",
    "dhcp", "dns", "ip6", "dhcp6",
};

static void set_debug(void)
{
    const char *v = xn_config_get("net.debug");
    if (v == NULL)
        return;
#ifndef LWIP_DEBUG
    xn_log(XN_LOG_WARN, "net: net.debug=%s has no effect: this image was built without lwIP's "
           "debug output (make LWIP_DEBUG=1)", v);
    return;
#endif
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", v);
    for (char *w = strtok(buf, ","); w != NULL; w = strtok(NULL, ",")) {
        for (unsigned i = 0; i < ARRAY_LEN(debug_names); i++)
            if (strcmp(w, debug_names[i]) == 0 || strcmp(w, "all") == 0)
                lwip_port_debug |= 1u << i;
    }
}

static void apply_dns(void)
{
    for (int i = 0; i < ndns; i++)
        dns_setserver((u8_t)i, &dns[i]);
}

/* Log addresses as they change, and keep the configured DNS servers over
 * those DHCP, DHCPv6 or router advertisements bring. */
static void status(struct netif *netif, netif_nsc_reason_t reason,
                   const netif_ext_callback_args_t *args)
{
    struct port_nic *nic = netif->state;
    char a[IPADDR_STRLEN_MAX], m[IPADDR_STRLEN_MAX], g[IPADDR_STRLEN_MAX];
    if (netif->linkoutput == NULL || nic == NULL || nic < port_nics ||
        nic >= port_nics + XN_NET_MAX)
        return;                         /* the loopback interface */
    if (reason & LWIP_NSC_IPV4_SETTINGS_CHANGED) {
        ipaddr_ntoa_r(netif_ip_addr4(netif), a, sizeof(a));
        ipaddr_ntoa_r(netif_ip_netmask4(netif), m, sizeof(m));
        ipaddr_ntoa_r(netif_ip_gw4(netif), g, sizeof(g));
        xn_log(XN_LOG_INFO, "net%d: IPv4 %s netmask %s gateway %s%s", nic->dev, a, m, g,
               nic->dhcp ? " (DHCP)" : "");
    }
    if (reason & LWIP_NSC_IPV6_ADDR_STATE_CHANGED) {
        s8_t i = args->ipv6_addr_state_changed.addr_index;
        if (netif_ip6_addr_state(netif, i) & IP6_ADDR_PREFERRED) {
            ipaddr_ntoa_r(netif_ip_addr6(netif, i), a, sizeof(a));
            for (char *p = a; *p != '\0'; p++)     /* lower case, as RFC 5952 asks */
                if (*p >= 'A' && *p <= 'F')
                    *p = (char)(*p - 'A' + 'a');
            xn_log(XN_LOG_INFO, "net%d: IPv6 %s", nic->dev, a);
        }
    }
    if (ndns > 0 && (reason & (LWIP_NSC_IPV4_SETTINGS_CHANGED | LWIP_NSC_IPV6_ADDR_STATE_CHANGED)))
        apply_dns();
}
NETIF_DECLARE_EXT_CALLBACK(status_cb)

/* Configure a NIC's netif (core lock held); (first): it is new. */
static void configure(struct port_nic *nic, bool first)
{
    struct netif *netif = &nic->netif;
    const char *ip = cfg(nic->dev, "ip"), *gw = cfg(nic->dev, "gw");
    const char *ip6 = cfg(nic->dev, "ip6"), *gw6 = cfg(nic->dev, "gw6");

    if (!first)
        return;                         /* a NIC back in its slot keeps its settings */
    if (nic->dev == 0 || netif_default == NULL)
        netif_set_default(netif);
    netif_set_hostname(netif, hostname);
    if (ip == NULL || strcmp(ip, "dhcp") == 0) {
        nic->dhcp = true;
        dhcp_start(netif);
    } else if (strcmp(ip, "none") != 0) {
        char addr[20];
        unsigned prefix = 0;
        const char *slash = strchr(ip, '/');
        snprintf(addr, sizeof(addr), "%.*s", (int)(slash - ip), ip);
        prefix = (unsigned)atoi(slash + 1);                 /* checked at boot */
        ip4_addr_t a, mask, g;
        ip4addr_aton(addr, &a);
        ip4_addr_set_u32(&mask, prefix == 0 ? 0 : lwip_htonl(0xffffffffu << (32 - prefix)));
        ip4_addr_set_zero(&g);
        if (gw != NULL)
            ip4addr_aton(gw, &g);
        netif_set_addr(netif, &a, &mask, &g);
    }
    if (ip6 == NULL || strcmp(ip6, "auto") == 0) {
        netif_set_ip6_autoconfig_enabled(netif, 1);
        dhcp6_enable_stateless(netif);
    } else if (strcmp(ip6, "none") == 0) {
        netif_set_ip6_autoconfig_enabled(netif, 0);
        netif_ip6_addr_set_state(netif, 0, IP6_ADDR_INVALID);
    } else {
        char addr[64];
        const char *slash = strchr(ip6, '/');
        snprintf(addr, sizeof(addr), "%.*s", (int)(slash - ip6), ip6);
        ip6_addr_t a;
        s8_t idx;
        netif_set_ip6_autoconfig_enabled(netif, 0);
        if (ip6addr_aton(addr, &a) && netif_add_ip6_address(netif, &a, &idx) != ERR_OK)
            xn_log(XN_LOG_ERR, "net%d: cannot add IPv6 address %s", nic->dev, addr);
    }
    if (gw6 != NULL && ip6addr_aton(gw6, &nic->gw6))
        nic->has_gw6 = true;
}

const ip6_addr_t *lwip_port_nd6_gw(struct netif *netif, const ip6_addr_t *dest)
{
    (void)dest;
    struct port_nic *nic = netif->state;
    if (nic < port_nics || nic >= port_nics + XN_NET_MAX || !nic->has_gw6)
        return NULL;
    return &nic->gw6;
}

/* TCP's state, logged at debug level every 10 s while it changes. */
static void log_tcp(void)
{
    static char last[160];
    char line[160];
    unsigned active = 0, tw = 0;
    int len = 0;
    LOCK_TCPIP_CORE();
    for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
        active++;
    for (struct tcp_pcb *p = tcp_tw_pcbs; p != NULL; p = p->next)
        tw++;
    len = snprintf(line, sizeof(line), "net: tcp: %u active, %u in time-wait", active, tw);
    for (struct tcp_pcb_listen *l = tcp_listen_pcbs.listen_pcbs; l != NULL && len < 120; l = l->next)
        len += snprintf(line + len, sizeof(line) - (size_t)len, "; port %u: %u of %u pending",
                        l->local_port, l->accepts_pending, l->backlog);
    UNLOCK_TCPIP_CORE();
    if (strcmp(line, last) != 0) {
        xn_log(XN_LOG_DEBUG, "%s", line);
        strcpy(last, line);
    }
}

/* Follows NICs coming and going (hot-plug). */
static void *manager(void *arg)
{
    unsigned seen = (unsigned)(uintptr_t)arg;
    uint64_t next_log = 0;
    for (;;) {
        seen = xn_net_wait_change(seen, xn_clock_monotonic_ns() + 1000000000ULL);
        port_netif_sync(configure);
        if (xn_clock_monotonic_ns() >= next_log) {
            log_tcp();
            next_log = xn_clock_monotonic_ns() + 10000000000ULL;
        }
    }
    return NULL;
}

static void tcpip_ready(void *arg)
{
    sys_sem_signal(arg);
}

void port_net_start(void)
{
    if (started)
        return;
    started = true;
    set_debug();

    const char *h = xn_config_get("hostname");
    extern const char xn_app_name[];
    snprintf(hostname, sizeof(hostname), "%s", h != NULL ? h : xn_app_name);
    const char *d = xn_config_get("dns");
    if (d != NULL) {
        char buf[160];
        snprintf(buf, sizeof(buf), "%s", d);
        for (char *w = strtok(buf, ","); w != NULL && ndns < DNS_MAX_SERVERS; w = strtok(NULL, ","))
            if (ipaddr_aton(w, &dns[ndns]))
                ndns++;
    }

    sys_sem_t ready;
    if (sys_sem_new(&ready, 0) != ERR_OK) {
        xn_log(XN_LOG_ERR, "net: out of memory; no network");
        return;
    }
    tcpip_init(tcpip_ready, &ready);
    sys_sem_wait(&ready);                       /* until lwIP's thread runs */
    sys_sem_free(&ready);

    unsigned seen = xn_net_wait_change(0, 1);   /* the counter, without waiting */
    int nics = xn_net_open();
    LOCK_TCPIP_CORE();
    netif_add_ext_callback(&status_cb, status);
    apply_dns();
    UNLOCK_TCPIP_CORE();
    int up = port_netif_sync(configure);
    struct xn_thread *t = xn_thread_create("net-hotplug", manager, (void *)(uintptr_t)seen, 0);
    if (t != NULL)
        xn_thread_detach(t);
    if (nics == 0) {
        xn_log(XN_LOG_INFO, "net: no NICs; loopback only");
        return;
    }

    /* Wait for DHCP, up to net.wait seconds. */
    unsigned long long wait_s = 10;
    xn_config_uint("net.wait", 10, 600, &wait_s);
    uint64_t deadline = xn_clock_monotonic_ns() + wait_s * 1000000000ULL;
    for (;;) {
        int pending = 0;
        LOCK_TCPIP_CORE();
        for (int i = 0; i < XN_NET_MAX; i++)
            if (port_nics[i].added && port_nics[i].dhcp &&
                !dhcp_supplied_address(&port_nics[i].netif))
                pending++;
        UNLOCK_TCPIP_CORE();
        if (pending == 0)
            break;
        if (xn_clock_monotonic_ns() >= deadline) {
            xn_log(XN_LOG_WARN, "net: no DHCP lease after %llu s; going on (DHCP keeps trying)",
                   wait_s);
            break;
        }
        xn_sleep_until(xn_clock_monotonic_ns() + 5000000ULL);
    }
    xn_log(XN_LOG_INFO, "net: %d of %d NICs up", up, nics);
    xn_timeline_mark("net");
    xn_timeline_print();
}
