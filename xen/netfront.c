/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Xen network frontend (netfront): the xn_net_* API of include/xenolith.h
 * over the domain's vifs, one queue each (the state is per queue, so
 * multi-queue can follow with SMP).
 *
 * Handshake, as a state machine over XenBus states (nf_connect): read the
 * backend's path, the MAC and the MTU from our node; wait for the backend
 * to reach InitWait and read its features; set up the rings, buffers and
 * event channel; write the ring references, the event channel and our features
 * (rx-copy, scatter-gather, checksum offload, receive GSO) and then the
 * state Connected in one Xenstore batch (one round trip; xenstored applies
 * them in order, and the backend reads the keys when it sees the state);
 * wait for the backend to follow. Reads are batched too (our node's keys,
 * the backend's features). A watch on device/vif and on each backend's state
 * follows hot-plug: a vif detached (backend Closing) is closed and its
 * slot freed; a vif attached is connected into the lowest free slot.
 *
 * Buffers are pages granted to the backend once, for the device's life;
 * frames are copied in and out of them, so the backend never sees any
 * other guest memory (as Linux netfront does for untrusted backends,
 * XSA-403). tx pages are read-only to the backend and reused once their
 * response came back; rx pages are writable and reposted once the caller
 * is done with a frame. A frame larger than a page spans several slots
 * (scatter-gather) both ways; the backend may send GSO packets of up to
 * 64 KiB. Pool sizes scale with domain memory.
 *
 * Everything netback writes is untrusted: each response slot is copied
 * out of the ring once and validated (netfront_ring.c); a bad one, or a
 * producer index that runs ahead of our requests, marks the device broken
 * with a message naming what was wrong, and the guest keeps running
 * (sends and receives then fail with -EIO).
 *
 * Concurrency: threads are cooperative, so code between blocking points
 * runs alone; each device has one receiving thread (xn_net_recv), which
 * must call xn_net_recv_done() before it blocks again. Interrupt context
 * only bumps a counter.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netfront_ring.h"              /* before netif.h: ring barriers */
#include <xen/io/xenbus.h>

#include <xenolith.h>
#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "evtchn.h"
#include "frontend.h"
#include "gnttab.h"
#include "mode.h"
#include "platform.h"
#include "suspend.h"
#include "xenbus.h"
#include "xs.h"
#include "xs_value.h"

#define TX_RING_SIZE ((unsigned)__CONST_RING_SIZE(netif_tx, PAGE_SIZE))
#define RX_RING_SIZE ((unsigned)__CONST_RING_SIZE(netif_rx, PAGE_SIZE))
#define POOL_MAX 256
#define HELD_MAX 4                      /* frames handed out at once */
#define STATE_TIMEOUT_NS (10 * 1000000000ULL)
#define CLOSE_TIMEOUT_NS (2 * 1000000000ULL)
#define TX_WAIT_NS (200 * 1000000ULL)
#define WATCH_TOKEN "netfront"

/* The handshake's states (ours, beside the XenBus states both ends publish). */
enum nf_state {
    NF_FREE,                            /* the slot holds no NIC */
    NF_PROBE,                           /* reading the backend path, MAC, MTU */
    NF_WAIT_INITWAIT,                   /* backend: InitWait; then its features */
    NF_SETUP,                           /* rings, buffers, event channel */
    NF_PUBLISH,                         /* our keys and Connected, in one batch */
    NF_WAIT_CONNECTED,                  /* we are Connected; backend: Connected */
    NF_CONNECTED,
    NF_CLOSED,                          /* disconnected; resources freed */
    NF_FAILED,                          /* the handshake failed */
};

static const char *const nf_state_names[] = {
    "free", "probe", "wait-initwait", "setup", "publish", "wait-connected", "connected",
    "closed", "failed",
};

struct nf_held {
    bool used;
    unsigned n;
    uint16_t buf[NF_MAX_SLOTS];
};

struct nf_queue {
    netif_tx_front_ring_t tx;
    netif_rx_front_ring_t rx;
    void *tx_sring, *rx_sring;
    grant_ref_t tx_ring_ref, rx_ring_ref;
    bool tx_ring_granted, rx_ring_granted;
    evtchn_port_t port;
    bool port_bound;
    volatile unsigned long kicks;       /* bumped by the event handler */

    /* tx: buffer i is page tx_page[i], id i on the ring. */
    unsigned ntx, ntx_free;
    void *tx_page[POOL_MAX];
    grant_ref_t tx_ref[POOL_MAX];
    bool tx_busy[POOL_MAX];
    uint16_t tx_free[POOL_MAX];

    /* rx: requests at ring index i have id i % RX_RING_SIZE and carry
     * buffer rx_at[id] (-1: none posted there). */
    unsigned nrx, nrx_free;
    void *rx_page[POOL_MAX];
    grant_ref_t rx_ref[POOL_MAX];
    uint16_t rx_free[POOL_MAX];
    int16_t rx_at[RX_RING_SIZE];
    uint64_t rx_copy[RX_RING_SIZE];     /* response slots copied once */
    RING_IDX rx_copied;                 /* copied up to here */
    struct nf_held held[HELD_MAX];
    bool receiving;
};

struct netfront {
    enum nf_state state;
    bool broken;
    char id[12];                        /* device/vif/<id> */
    char node[32];
    char backend[128];
    domid_t backend_id;
    struct xn_net_info info;
    bool backend_sg, backend_csum6;
    struct nf_queue q;
};

static struct {
    struct netfront *dev[XN_NET_MAX];
    bool opened;
    unsigned instances;
    volatile unsigned long changes;     /* bumped when a NIC comes or goes */
    struct thread *watcher;
    struct kmutex scan_lock;            /* one scan at a time (watcher, resume) */
    bool suspending;                    /* NICs are down for a suspend: no scans */
} nf;

static bool hook_added;
static void nf_shutdown_all(void);

/* Interrupt context: only note that the rings moved. */
static void nf_event(evtchn_port_t port, void *arg)
{
    (void)port;
    ((struct nf_queue *)arg)->kicks++;
}

static void set_state(struct netfront *n, enum nf_state s)
{
    log_debug("netfront %s: %s -> %s", n->info.name, nf_state_names[n->state],
              nf_state_names[s]);
    n->state = s;
}

static void mark_broken(struct netfront *n, const char *why)
{
    if (!n->broken)
        log_err("netfront %s: %s; the device is marked broken", n->info.name, why);
    n->broken = true;
    n->q.kicks++;                       /* wake the receiver */
}

/* Buffers per pool: four rx and two tx pages per MiB of domain memory. */
static void pool_sizes(unsigned *nrx, unsigned *ntx)
{
    uint64_t mib = mm_ram_bytes() >> 20;
    uint64_t rx = mib * 4, tx = mib * 2;
    *nrx = rx < 32 ? 32 : rx > RX_RING_SIZE ? RX_RING_SIZE : (unsigned)rx;
    *ntx = tx < 16 ? 16 : tx > TX_RING_SIZE / 2 ? TX_RING_SIZE / 2 : (unsigned)tx;
}

/* ---------------------------------------------------------------- rx */

/* Post free buffers at the ring's free request slots. */
static void rx_refill(struct netfront *n)
{
    struct nf_queue *q = &n->q;
    bool posted = false;

    while (q->nrx_free > 0 && q->rx.req_prod_pvt - q->rx.rsp_cons < RX_RING_SIZE) {
        RING_IDX i = q->rx.req_prod_pvt;
        unsigned id = i & (RX_RING_SIZE - 1);
        uint16_t b = q->rx_free[--q->nrx_free];
        netif_rx_request_t *req = RING_GET_REQUEST(&q->rx, i);
        req->id = (uint16_t)id;
        req->gref = q->rx_ref[b];
        q->rx_at[id] = (int16_t)b;
        q->rx.req_prod_pvt++;
        posted = true;
    }
    if (posted) {
        int notify;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
        if (notify)
            evtchn_notify(q->port);
    }
}

/* The buffer posted at ring index (i), taken off the ring. */
static uint16_t rx_take(struct nf_queue *q, RING_IDX i)
{
    unsigned id = i & (RX_RING_SIZE - 1);
    int16_t b = q->rx_at[id];
    q->rx_at[id] = -1;
    return (uint16_t)b;
}

/*
 * Consume a parsed frame's slots: hand it out in (out) (1), or drop it
 * (0: the backend failed it, or no record was free).
 */
static int rx_deliver(struct netfront *n, const struct nf_rx_frame *f, struct xn_net_frame *out)
{
    struct nf_queue *q = &n->q;
    RING_IDX first = q->rx.rsp_cons;
    struct nf_held *h = NULL;

    for (unsigned i = 0; i < HELD_MAX && h == NULL; i++)
        if (!q->held[i].used)
            h = &q->held[i];
    bool keep = !f->error && h != NULL;
    uint16_t bufs[NF_MAX_SLOTS + NF_MAX_EXTRAS];
    for (unsigned i = 0; i < f->nslots; i++)
        bufs[i] = rx_take(q, first + i);
    q->rx.rsp_cons += f->nslots;
    if (!keep) {
        for (unsigned i = 0; i < f->nslots; i++)
            q->rx_free[q->nrx_free++] = bufs[i];
        n->info.rx_errors++;
        rx_refill(n);
        return 0;
    }
    /* Extra-info slots carry no data: their buffers go back at once. */
    bool is_data[NF_MAX_SLOTS + NF_MAX_EXTRAS] = { false };
    for (unsigned i = 0; i < f->nseg; i++)
        is_data[f->seg[i].slot] = true;
    for (unsigned i = 0; i < f->nslots; i++)
        if (!is_data[i])
            q->rx_free[q->nrx_free++] = bufs[i];
    h->used = true;
    h->n = f->nseg;
    memset(out, 0, sizeof(*out));
    for (unsigned i = 0; i < f->nseg; i++) {
        uint16_t b = bufs[f->seg[i].slot];
        h->buf[i] = b;
        out->seg[i].data = (const char *)q->rx_page[b] + f->seg[i].offset;
        out->seg[i].len = f->seg[i].len;
    }
    out->nseg = f->nseg;
    out->len = f->len;
    out->gso_size = f->gso_size;
    if (f->flags & NETRXF_csum_blank)
        out->flags |= XN_NET_RX_CSUM_PARTIAL;
    if (f->flags & NETRXF_data_validated)
        out->flags |= XN_NET_RX_DATA_VALID;
    out->cookie = (unsigned)(h - q->held);
    n->info.rx_packets++;
    n->info.rx_bytes += f->len;
    if (f->gso_size)
        n->info.rx_gso++;
    rx_refill(n);
    return 1;
}

/*
 * Try to take one frame off the rx ring: 1 (frame filled in), 0 (none
 * complete yet), -1 (broken). Dropped packets are consumed and counted.
 */
static int rx_poll(struct netfront *n, struct xn_net_frame *out)
{
    struct nf_queue *q = &n->q;
    char err[160];

    for (;;) {
        RING_IDX prod = q->rx.sring->rsp_prod;
        __asm__ volatile("lfence" ::: "memory");        /* index before data */
        if (nf_check_prod(prod, q->rx.rsp_cons, q->rx.req_prod_pvt - q->rx.rsp_cons, err,
                          sizeof(err)) != 0) {
            mark_broken(n, err);
            return -1;
        }
        /* A producer below what was already copied went backwards: it
         * would pass the check above and send the copy loop round the
         * whole index space. */
        if ((RING_IDX)(prod - q->rx.rsp_cons) < (RING_IDX)(q->rx_copied - q->rx.rsp_cons)) {
            ksnprintf(err, sizeof(err), "rx response producer went backwards (%u after %u)",
                      prod, q->rx_copied);
            mark_broken(n, err);
            return -1;
        }
        /* Copy each new response slot once. */
        while (q->rx_copied != prod) {
            memcpy(&q->rx_copy[q->rx_copied & (RX_RING_SIZE - 1)],
                   RING_GET_RESPONSE(&q->rx, q->rx_copied), sizeof(uint64_t));
            q->rx_copied++;
        }
        while (q->rx.rsp_cons != prod) {
            uint64_t raw[NF_MAX_SLOTS + NF_MAX_EXTRAS];
            unsigned avail = prod - q->rx.rsp_cons;
            unsigned look = avail < ARRAY_SIZE(raw) ? avail : ARRAY_SIZE(raw);
            for (unsigned i = 0; i < look; i++)
                raw[i] = q->rx_copy[(q->rx.rsp_cons + i) & (RX_RING_SIZE - 1)];
            struct nf_rx_frame f;
            int used = nf_rx_parse(raw, look, q->rx.rsp_cons, RX_RING_SIZE,
                                   n->info.features & XN_NET_F_RX_GSO, &f, err, sizeof(err));
            if (used < 0) {
                mark_broken(n, err);
                return -1;
            }
            if (used == 0) {
                if (look == ARRAY_SIZE(raw)) {
                    mark_broken(n, "rx packet does not end within the slots it may use");
                    return -1;
                }
                break;                  /* the rest of it is not produced yet */
            }
            if (rx_deliver(n, &f, out))
                return 1;
        }
        int more;
        RING_FINAL_CHECK_FOR_RESPONSES(&q->rx, more);
        if (!more)
            return 0;
        if (q->rx.sring->rsp_prod == prod && prod != q->rx.rsp_cons)
            return 0;                   /* only an incomplete packet is there */
    }
}

/* ---------------------------------------------------------------- tx */

/*
 * Take tx responses: buffers the backend is done with. No event is asked
 * for here: each send reaps what is done before it takes buffers, so an
 * event per tx response would only wake the guest for nothing. A sender
 * that runs out of buffers or slots asks for one (tx_arm).
 */
static void tx_reap(struct netfront *n)
{
    struct nf_queue *q = &n->q;
    char err[160];

    for (;;) {
        RING_IDX prod = q->tx.sring->rsp_prod;
        __asm__ volatile("lfence" ::: "memory");
        if (nf_check_prod(prod, q->tx.rsp_cons, q->tx.req_prod_pvt - q->tx.rsp_cons, err,
                          sizeof(err)) != 0) {
            mark_broken(n, err);
            return;
        }
        while (q->tx.rsp_cons != prod) {
            netif_tx_response_t r;
            memcpy(&r, RING_GET_RESPONSE(&q->tx, q->tx.rsp_cons), sizeof(r));   /* copied once */
            __asm__ volatile("" ::: "memory");
            q->tx.rsp_cons++;
            int v = nf_tx_check(&r, q->tx_busy, q->ntx, err, sizeof(err));
            if (v < 0) {
                mark_broken(n, err);
                return;
            }
            if (v == 2)
                continue;
            if (v == 1)
                n->info.tx_errors++;
            q->tx_busy[r.id] = false;
            q->tx_free[q->ntx_free++] = r.id;
        }
        if (q->tx.sring->rsp_prod == prod)
            return;
    }
}

/* Out of tx buffers or slots: an event at the next tx response. */
static void tx_arm(struct nf_queue *q)
{
    q->tx.sring->rsp_event = q->tx.rsp_cons + 1;
    __asm__ volatile("mfence" ::: "memory");    /* then look at rsp_prod again */
}

static struct netfront *connected(int dev)
{
    if (dev < 0 || dev >= XN_NET_MAX || nf.dev[dev] == NULL)
        return NULL;
    return nf.dev[dev]->state == NF_CONNECTED ? nf.dev[dev] : NULL;
}

int xn_net_send(int dev, const struct xn_net_seg *seg, unsigned nseg, unsigned flags)
{
    struct netfront *n = connected(dev);
    if (n == NULL)
        return -ENODEV;
    struct nf_queue *q = &n->q;
    size_t len = 0;
    for (unsigned i = 0; i < nseg; i++)
        len += seg[i].len;
    unsigned max_slots = (n->info.features & XN_NET_F_SG) ? NF_MAX_SLOTS : 1;
    if (len < 14 || len > n->info.mtu + 18u || len > 65535 ||
        len > (size_t)max_slots * NF_BUF_SIZE)
        return -EMSGSIZE;
    unsigned need = (unsigned)((len + NF_BUF_SIZE - 1) / NF_BUF_SIZE);

    uint64_t deadline = 0;
    for (;;) {
        if (n->broken)
            return -EIO;
        unsigned long seen = q->kicks;
        tx_reap(n);
        if (n->broken)
            return -EIO;
        if (q->ntx_free >= need && RING_FREE_REQUESTS(&q->tx) >= need)
            break;
        tx_arm(q);
        tx_reap(n);             /* what came before the backend saw rsp_event */
        if (n->broken)
            return -EIO;
        if (q->ntx_free >= need && RING_FREE_REQUESTS(&q->tx) >= need)
            break;
        if (deadline == 0)
            deadline = time_monotonic_ns() + TX_WAIT_NS;
        if (time_wait_change(&q->kicks, seen, deadline) != 0) {
            n->info.tx_dropped++;
            return -ENOBUFS;
        }
        if (connected(dev) != n)
            return -ENODEV;
    }

    /* Copy the frame into (need) pages, one slot each; the first slot's
     * size is the whole frame's. */
    unsigned si = 0;
    size_t so = 0, left = len;
    for (unsigned k = 0; k < need; k++) {
        unsigned id = q->tx_free[--q->ntx_free];
        char *page = q->tx_page[id];
        size_t fill = left < NF_BUF_SIZE ? left : NF_BUF_SIZE, done = 0;
        while (done < fill) {
            size_t c = seg[si].len - so;
            if (c > fill - done)
                c = fill - done;
            memcpy(page + done, (const char *)seg[si].data + so, c);
            done += c;
            so += c;
            if (so == seg[si].len) {
                si++;
                so = 0;
            }
        }
        netif_tx_request_t *req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);
        req->gref = q->tx_ref[id];
        req->offset = 0;
        req->id = (uint16_t)id;
        req->size = (uint16_t)(k == 0 ? len : fill);
        req->flags = k + 1 < need ? NETTXF_more_data : 0;
        if (k == 0 && (flags & XN_NET_TX_CSUM_PARTIAL))
            req->flags |= NETTXF_csum_blank | NETTXF_data_validated;
        q->tx_busy[id] = true;
        q->tx.req_prod_pvt++;
        left -= fill;
    }
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
    if (notify)
        evtchn_notify(q->port);
    n->info.tx_packets++;
    n->info.tx_bytes += len;
    return 0;
}

int xn_net_recv(int dev, struct xn_net_frame *f, uint64_t deadline_ns)
{
    struct netfront *n = connected(dev);
    if (n == NULL)
        return -ENODEV;
    struct nf_queue *q = &n->q;
    if (q->receiving)
        return -EBUSY;
    q->receiving = true;
    int rc;
    for (;;) {
        if (connected(dev) != n) {
            rc = -ENODEV;
            break;
        }
        if (n->broken) {
            rc = -EIO;
            break;
        }
        unsigned long seen = q->kicks;
        int got = rx_poll(n, f);
        if (got != 0) {
            rc = got > 0 ? 0 : -EIO;
            break;
        }
        if (time_wait_change(&q->kicks, seen, deadline_ns ? deadline_ns : UINT64_MAX) != 0) {
            rc = -ETIMEDOUT;
            break;
        }
    }
    q->receiving = false;
    return rc;
}

void xn_net_recv_done(int dev, struct xn_net_frame *f)
{
    if (dev < 0 || dev >= XN_NET_MAX || nf.dev[dev] == NULL || f->cookie >= HELD_MAX)
        return;
    struct netfront *n = nf.dev[dev];
    struct nf_queue *q = &n->q;
    struct nf_held *h = &q->held[f->cookie];
    if (!h->used)
        return;
    for (unsigned i = 0; i < h->n; i++)
        q->rx_free[q->nrx_free++] = h->buf[i];
    h->used = false;
    f->nseg = 0;
    if (n->state == NF_CONNECTED && !n->broken)
        rx_refill(n);
}

/* ---------------------------------------------------------------- handshake */

/* Our ring keys and features, then Connected: one Xenstore round trip. */
static int publish(struct netfront *n)
{
    char tx[16], rx[16], port[16];
    static const char *const names[] = {
        "tx-ring-ref", "rx-ring-ref", "event-channel", "request-rx-copy", "feature-rx-notify",
        "feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6", "feature-no-csum-offload",
        "feature-ipv6-csum-offload",
    };
    const char *const values[] = { tx, rx, port, "1", "1", "1", "1", "1", "0", "1" };

    ksnprintf(tx, sizeof(tx), "%u", n->q.tx_ring_ref);
    ksnprintf(rx, sizeof(rx), "%u", n->q.rx_ring_ref);
    ksnprintf(port, sizeof(port), "%u", n->q.port);
    return fe_publish(n->node, names, values, ARRAY_SIZE(names), XenbusStateConnected);
}

/* Free everything the handshake set up (the backend has let go). */
static void release(struct netfront *n)
{
    struct nf_queue *q = &n->q;

    if (q->port_bound) {
        evtchn_unbind(q->port);
        evtchn_close(q->port);
        q->port_bound = false;
    }
    struct fe_ungrant u;
    fe_ungrant_begin(&u, n->info.name);
    if (q->tx_ring_granted)
        fe_ungrant_page(&u, q->tx_sring, q->tx_ring_ref);
    if (q->rx_ring_granted)
        fe_ungrant_page(&u, q->rx_sring, q->rx_ring_ref);
    q->tx_ring_granted = q->rx_ring_granted = false;
    q->tx_sring = q->rx_sring = NULL;
    for (unsigned i = 0; i < q->ntx; i++)
        fe_ungrant_page(&u, q->tx_page[i], q->tx_ref[i]);
    for (unsigned i = 0; i < q->nrx; i++)
        fe_ungrant_page(&u, q->rx_page[i], q->rx_ref[i]);
    fe_ungrant_end(&u);
    q->ntx = q->nrx = q->ntx_free = q->nrx_free = 0;
}

/* Our node: the backend's path and id, the MAC and the MTU. */
static int probe(struct netfront *n)
{
    char kmac[64], kmtu[64], mac[32], val[32];
    uint64_t v;
    int rc;

    ksnprintf(kmac, sizeof(kmac), "%s/mac", n->node);
    ksnprintf(kmtu, sizeof(kmtu), "%s/mtu", n->node);
    struct xs_op extra[] = {
        { .path = kmac, .buf = mac, .len = sizeof(mac) },
        { .path = kmtu, .buf = val, .len = sizeof(val) },
    };
    rc = xenbus_read_backend(n->node, n->backend, sizeof(n->backend), &n->backend_id, extra, 2);
    if (rc != 0) {
        log_err("netfront %s: no valid backend (error %d)", n->info.name, rc);
        return rc;
    }
    rc = extra[0].rc;
    if (rc <= 0 || nf_parse_mac(mac, n->info.mac) != 0) {
        log_err("netfront %s: bad or missing mac '%s' in %s", n->info.name, rc > 0 ? mac : "",
                kmac);
        return -EINVAL;
    }
    n->info.mtu = 1500;
    if (extra[1].rc > 0) {
        /* A frame (MTU, Ethernet header and VLAN tag) must fit the
         * 16-bit size of a tx request. */
        if (xs_parse_uint(val, 65535, &v) != 0 || v < 576 || v > 65535 - 18) {
            log_err("netfront %s: bad mtu '%s' in %s", n->info.name, val, kmtu);
            return -EINVAL;
        }
        n->info.mtu = (unsigned)v;
    }
    return 0;
}

/* The backend's features, which it publishes by InitWait. */
static int probe_backend(struct netfront *n)
{
    static const char *const names[] = { "feature-rx-copy", "feature-sg",
                                         "feature-ipv6-csum-offload" };
    bool on[ARRAY_SIZE(names)];

    fe_features(n->backend, names, on, ARRAY_SIZE(names));
    if (!on[0]) {
        log_err("netfront %s: the backend does not offer feature-rx-copy", n->info.name);
        return -ENOTSUP;
    }
    n->backend_sg = on[1];
    n->backend_csum6 = on[2];
    if (!n->backend_sg && n->info.mtu > NF_BUF_SIZE - 18) {
        log_warn("netfront %s: mtu %u needs scatter-gather, which the backend does not offer; "
                 "using %u", n->info.name, n->info.mtu, NF_BUF_SIZE - 18);
        n->info.mtu = NF_BUF_SIZE - 18;
    }
    n->info.features = XN_NET_F_TX_CSUM | XN_NET_F_RX_GSO | (n->backend_sg ? XN_NET_F_SG : 0) |
                       (n->backend_csum6 ? XN_NET_F_TX_CSUM6 : 0);
    return 0;
}

static int setup(struct netfront *n)
{
    struct nf_queue *q = &n->q;
    unsigned nrx, ntx;
    int rc;

    q->tx_sring = fe_granted_page(n->backend_id, false, &q->tx_ring_ref);
    q->tx_ring_granted = q->tx_sring != NULL;
    q->rx_sring = fe_granted_page(n->backend_id, false, &q->rx_ring_ref);
    q->rx_ring_granted = q->rx_sring != NULL;
    if (q->tx_sring == NULL || q->rx_sring == NULL)
        goto nomem;
    SHARED_RING_INIT((netif_tx_sring_t *)q->tx_sring);
    FRONT_RING_INIT(&q->tx, (netif_tx_sring_t *)q->tx_sring, PAGE_SIZE);
    SHARED_RING_INIT((netif_rx_sring_t *)q->rx_sring);
    FRONT_RING_INIT(&q->rx, (netif_rx_sring_t *)q->rx_sring, PAGE_SIZE);
    q->rx_copied = 0;
    for (unsigned i = 0; i < RX_RING_SIZE; i++)
        q->rx_at[i] = -1;
    memset(q->held, 0, sizeof(q->held));

    pool_sizes(&nrx, &ntx);
    for (unsigned i = 0; i < ntx; i++) {
        q->tx_page[i] = fe_granted_page(n->backend_id, true, &q->tx_ref[i]);
        if (q->tx_page[i] == NULL)
            goto nomem;
        q->ntx++;
        q->tx_busy[i] = false;
        q->tx_free[q->ntx_free++] = (uint16_t)i;
    }
    for (unsigned i = 0; i < nrx; i++) {
        q->rx_page[i] = fe_granted_page(n->backend_id, false, &q->rx_ref[i]);
        if (q->rx_page[i] == NULL)
            goto nomem;
        q->nrx++;
        q->rx_free[q->nrx_free++] = (uint16_t)i;
    }
    if ((rc = evtchn_alloc_unbound(n->backend_id, &q->port)) != 0) {
        log_err("netfront %s: no event channel (error %d)", n->info.name, rc);
        return rc;
    }
    if ((rc = evtchn_bind(q->port, nf_event, q)) != 0) {
        evtchn_close(q->port);
        return rc;
    }
    q->port_bound = true;
    log_debug("netfront %s: rings tx %u rx %u (grants %u, %u), event channel %u, "
              "%u rx and %u tx buffers", n->info.name, TX_RING_SIZE, RX_RING_SIZE,
              q->tx_ring_ref, q->rx_ring_ref, q->port, q->nrx, q->ntx);
    return 0;
nomem:
    log_err("netfront %s: out of memory or grant references for the rings and buffers",
            n->info.name);
    return -ENOMEM;
}

/* Run the handshake from NF_PROBE to NF_CONNECTED (0) or NF_FAILED (-errno). */
static int nf_connect(struct netfront *n)
{
    enum xenbus_state st = XenbusStateUnknown;
    int rc = 0;

    while (n->state != NF_CONNECTED && n->state != NF_FAILED) {
        switch (n->state) {
        case NF_PROBE:
            rc = probe(n);
            set_state(n, rc == 0 ? NF_WAIT_INITWAIT : NF_FAILED);
            break;
        case NF_WAIT_INITWAIT:
            rc = xenbus_wait_state(n->backend, XenbusStateInitWait, &st, STATE_TIMEOUT_NS);
            if (rc == 0 && st != XenbusStateInitWait) {
                log_err("netfront %s: backend %s is %s, not InitWait", n->info.name, n->backend,
                        xenbus_state_name(st));
                rc = -EIO;
            }
            if (rc == 0)
                rc = probe_backend(n);
            set_state(n, rc == 0 ? NF_SETUP : NF_FAILED);
            break;
        case NF_SETUP:
            rc = setup(n);
            set_state(n, rc == 0 ? NF_PUBLISH : NF_FAILED);
            break;
        case NF_PUBLISH:
            rx_refill(n);               /* the backend finds them at connect */
            rc = publish(n);
            if (rc != 0)
                log_err("netfront %s: cannot write the ring keys (error %d)", n->info.name, rc);
            set_state(n, rc == 0 ? NF_WAIT_CONNECTED : NF_FAILED);
            break;
        case NF_WAIT_CONNECTED:
            rc = xenbus_wait_state(n->backend, XenbusStateConnected, &st, STATE_TIMEOUT_NS);
            if (rc == 0 && st != XenbusStateConnected) {
                log_err("netfront %s: backend %s is %s, not Connected", n->info.name,
                        n->backend, xenbus_state_name(st));
                rc = -EIO;
            }
            set_state(n, rc == 0 ? NF_CONNECTED : NF_FAILED);
            break;
        default:
            rc = -EINVAL;
            set_state(n, NF_FAILED);
            break;
        }
    }
    if (rc != 0 && rc != -ETIMEDOUT && st == XenbusStateUnknown)
        ;                               /* the message above names the step */
    else if (rc == -ETIMEDOUT)
        log_err("netfront %s: backend %s did not answer within %llu s", n->info.name,
                n->backend, STATE_TIMEOUT_NS / 1000000000ULL);
    return rc;
}

/* Closing, wait for the backend to follow, Closed; then free. */
static void nf_disconnect(struct netfront *n, const char *why)
{
    char key[160];

    log_info("netfront %s: disconnecting (%s); rx %llu packets (%llu GSO, %llu errors), "
             "tx %llu packets (%llu errors, %llu dropped)", n->info.name, why,
             (unsigned long long)n->info.rx_packets, (unsigned long long)n->info.rx_gso,
             (unsigned long long)n->info.rx_errors, (unsigned long long)n->info.tx_packets,
             (unsigned long long)n->info.tx_errors, (unsigned long long)n->info.tx_dropped);
    set_state(n, NF_CLOSED);
    n->q.kicks++;                       /* the receiver sees -ENODEV */
    /* The backend unmaps the rings once it is Closed (or gone). */
    fe_close(n->node, n->backend, CLOSE_TIMEOUT_NS);
    ksnprintf(key, sizeof(key), "%s/state", n->backend);
    xs_unwatch(key, WATCH_TOKEN);
    for (unsigned i = 0; i < HELD_MAX; i++)
        if (n->q.held[i].used)
            log_warn("netfront %s: a received frame was not released", n->info.name);
    release(n);
}

/* Connect device/vif/<id> into a free slot. */
static void nf_attach(const char *id)
{
    int slot = -1;
    for (int i = 0; i < XN_NET_MAX && slot < 0; i++)
        if (nf.dev[i] == NULL || nf.dev[i]->state == NF_FREE)
            slot = i;
    if (slot < 0) {
        log_warn("netfront: vif %s ignored: all %d slots are in use", id, XN_NET_MAX);
        return;
    }
    struct netfront *n = nf.dev[slot];
    if (n == NULL && (n = nf.dev[slot] = malloc(sizeof(*n))) == NULL) {
        log_err("netfront: no memory for vif %s", id);
        return;
    }
    memset(n, 0, sizeof(*n));
    ksnprintf(n->id, sizeof(n->id), "%s", id);
    ksnprintf(n->node, sizeof(n->node), "device/vif/%s", id);
    ksnprintf(n->info.name, sizeof(n->info.name), "vif/%s", id);
    n->info.instance = ++nf.instances;
    n->state = NF_PROBE;
    uint64_t t0 = time_monotonic_ns();
    if (nf_connect(n) != 0) {
        release(n);
        xenbus_switch_state(n->node, XenbusStateClosed);
        log_err("netfront %s: not connected", n->info.name);
        return;                         /* stays NF_FAILED: not retried */
    }
    char key[160];
    ksnprintf(key, sizeof(key), "%s/state", n->backend);
    xs_watch(key, WATCH_TOKEN);
    const uint8_t *m = n->info.mac;
    log_info("netfront %s: connected as net%d in %llu ms: %02x:%02x:%02x:%02x:%02x:%02x, "
             "mtu %u,%s%s checksum offload, receive GSO, %u rx and %u tx buffers",
             n->info.name, slot, (unsigned long long)((time_monotonic_ns() - t0) / 1000000),
             m[0], m[1], m[2], m[3], m[4], m[5], n->info.mtu,
             (n->info.features & XN_NET_F_SG) ? " scatter-gather," : "",
             (n->info.features & XN_NET_F_TX_CSUM6) ? " IPv4/IPv6" : " IPv4", n->q.nrx, n->q.ntx);
    nf.changes++;
}

static void nf_scan_locked(void);

/* Compare the slots with Xenstore: close what went away, attach what came. */
static void nf_scan(void)
{
    kmutex_lock(&nf.scan_lock);
    if (!nf.suspending)
        nf_scan_locked();
    kmutex_unlock(&nf.scan_lock);
}

/*
 * Suspend: every NIC is disconnected from its backend (its rings and
 * grants would not survive the restore) and its slot freed, as for a
 * hot-unplug: the IP stack sees its link go down. Resume: a scan
 * connects each vif again, to the backend the restored domain has, and
 * the IP stack finds the NIC back with its configuration.
 */
static void nf_suspend(void)
{
    kmutex_lock(&nf.scan_lock);
    nf.suspending = true;
    for (int i = 0; i < XN_NET_MAX; i++) {
        struct netfront *n = nf.dev[i];
        if (n == NULL)
            continue;
        if (n->state == NF_CONNECTED) {
            nf_disconnect(n, "the domain is suspending");
            n->state = NF_FREE;
            nf.changes++;
        } else if (n->state == NF_FAILED) {
            n->state = NF_FREE;         /* tried again after the resume */
        }
    }
    kmutex_unlock(&nf.scan_lock);
}

static void nf_resume(bool cancelled)
{
    kmutex_lock(&nf.scan_lock);
    nf.suspending = false;
    if (cancelled) {
        /* The same backends, which closed with us: Initialising asks
         * them to get ready again (InitWait); the change of our state
         * fires the device/vif watch, whose scan connects them. */
        char ids[256], node[40];
        int count = xenbus_enumerate("vif", ids, sizeof(ids));
        const char *id = ids;
        for (int k = 0; k < count; k++, id += strlen(id) + 1) {
            ksnprintf(node, sizeof(node), "device/vif/%s", id);
            xenbus_switch_state(node, XenbusStateInitialising);
        }
    }
    nf_scan_locked();
    kmutex_unlock(&nf.scan_lock);
}

static void nf_scan_locked(void)
{
    char ids[256];
    int count = xenbus_enumerate("vif", ids, sizeof(ids));

    if (count < 0) {
        /* Not "every vif was removed": leave the NICs as they are. */
        log_warn("netfront: cannot list device/vif (error %d); hot-plug changes ignored", count);
        return;
    }
    for (int i = 0; i < XN_NET_MAX; i++) {
        struct netfront *n = nf.dev[i];
        if (n == NULL || n->state == NF_FREE)
            continue;
        bool present = false;
        const char *id = ids;
        for (int k = 0; k < count; k++, id += strlen(id) + 1)
            present |= strcmp(id, n->id) == 0;
        enum xenbus_state st = XenbusStateUnknown;
        int src = present ? xenbus_read_state(n->backend, &st) : 0;
        if (src != 0 && src != -ENOENT && src != -EINVAL)
            continue;                   /* Xenstore failed: cannot tell, leave it */
        bool closing = !present || src != 0 ||
                       st == XenbusStateClosing || st == XenbusStateClosed;
        if (n->state == NF_CONNECTED && closing) {
            nf_disconnect(n, present ? "the backend is closing" : "the vif was removed");
            n->state = NF_FREE;
            nf.changes++;
        } else if (n->state == NF_FAILED && !present) {
            n->state = NF_FREE;
        }
    }
    const char *id = ids;
    for (int k = 0; k < count; k++, id += strlen(id) + 1) {
        bool known = false;
        for (int i = 0; i < XN_NET_MAX; i++)
            known |= nf.dev[i] != NULL && nf.dev[i]->state != NF_FREE &&
                     strcmp(nf.dev[i]->id, id) == 0;
        if (!known) {
            /* A vif being removed has its backend Closing: skip it. */
            char key[64], be[128];
            domid_t d;
            enum xenbus_state st;
            ksnprintf(key, sizeof(key), "device/vif/%s", id);
            if (xenbus_read_backend(key, be, sizeof(be), &d, NULL, 0) == 0 &&
                xenbus_read_state(be, &st) == 0 && st >= XenbusStateClosing)
                continue;
            nf_attach(id);
        }
    }
}

/* Up NICs stay up when Xenstore fails; hot-plug is then no longer followed. */
static void *nf_watcher(void *arg)
{
    (void)arg;
    xenbus_follow(WATCH_TOKEN, nf_scan, "vif hot-plug");
    return NULL;
}

int xn_net_open(void)
{
    if (!xs_ready())
        return 0;
    if (!nf.opened) {
        nf.opened = true;
        if (xs_watch("device/vif", WATCH_TOKEN) != 0)
            log_warn("netfront: cannot watch device/vif; hot-plug is not followed");
        nf_scan();
        /* The watch fires once when set: drop that, the scan is done. */
        struct xs_event ev;
        while (xs_next_event(WATCH_TOKEN, &ev, 0) == 0)
            ;
        nf.watcher = thread_create("netfront", nf_watcher, NULL, 0);
        if (nf.watcher == NULL)
            log_warn("netfront: no watcher thread; hot-plug is not followed");
        if (!hook_added) {
            hook_added = true;
            platform_on_shutdown(nf_shutdown_all);
            platform_on_suspend(nf_suspend, nf_resume);
        }
    }
    int count = 0;
    for (int i = 0; i < XN_NET_MAX; i++)
        count += connected(i) != NULL;
    return count;
}

int xn_net_info(int dev, struct xn_net_info *info)
{
    struct netfront *n = connected(dev);
    if (n == NULL)
        return -ENODEV;
    *info = n->info;
    return 0;
}

unsigned xn_net_wait_change(unsigned seen, uint64_t deadline_ns)
{
    time_wait_change(&nf.changes, seen, deadline_ns ? deadline_ns : UINT64_MAX);
    return (unsigned)nf.changes;
}

int xn_net_close(int dev)
{
    struct netfront *n = connected(dev);
    if (n == NULL)
        return -ENODEV;
    nf_disconnect(n, "closed by the guest");
    n->state = NF_FAILED;               /* not reattached until it is replugged */
    nf.changes++;
    return 0;
}

/* At exit: disconnect every NIC so the backends see a clean close. */
static void nf_shutdown_all(void)
{
    for (int i = 0; i < XN_NET_MAX; i++)
        if (connected(i) != NULL)
            xn_net_close(i);
}
