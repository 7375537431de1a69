/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostile: a misbehaving backend and Xenstore for the harness's dom0
 * (tools/xen/run.sh's hostile=SCENARIO; make hostile, tests/hostile.sh).
 *
 * usage: hostile SCENARIO DOMID      (hostile list: the scenarios)
 *
 * Run while the guest is still paused: it offers the guest the scenario's
 * vifs and vbds by writing their Xenstore nodes itself, as the toolstack
 * does (frontend dir device/vif/N or device/vbd/N owned by the guest,
 * backend dir under /local/domain/0/backend readable by it), prints
 * "ready" once they are there, then plays the backend's half of the
 * XenBus handshake (InitWait; on the frontend's Initialised or Connected
 * it maps the rings with xengnttab, binds the interdomain event channel
 * and says Connected) and speaks netif / blkif on the rings, wrongly on
 * purpose as SCENARIO says. Some scenarios attack Xenstore or the console
 * instead (stopping xenstored or xenconsoled with SIGSTOP and writing
 * into the guest's rings themselves). One line per step on stdout.
 *
 * SIGTERM (or SIGINT) ends it cleanly: stopped daemons are continued
 * first (from the signal handler itself, so a Xenstore call blocked on a
 * stopped xenstored returns), then the rings are unmapped, the event
 * channels unbound and the backend dirs removed.
 *
 * When the toolstack removes a device (xl shutdown/destroy: backend
 * state Closing, online 0) or the frontend closes, the backend goes
 * Closed and lets go of the rings (unless the scenario keeps them).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenforeignmemory.h>

/* Without __XEN_TOOLS__ the headers take interface version 0, whose
 * ring.h defines xen_mb() and friends as these. */
#define mb()  __sync_synchronize()
#define rmb() __asm__ volatile("" ::: "memory")
#define wmb() __asm__ volatile("" ::: "memory")
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#include <xen/io/netif.h>
#include <xen/io/blkif.h>
#include <xen/io/xs_wire.h>
#include <xen/io/console.h>
#include <xen/io/xenbus.h>

#define PAGE 4096
#define NET_TX_RING_SIZE __CONST_RING_SIZE(netif_tx, PAGE)
#define BLK_RING_SIZE    __CONST_RING_SIZE(blkif, PAGE)

/* ---------------------------------------------------------------- scenarios */

enum attack {
    A_OK,
    /* vbd */
    A_BLK_SILENT, A_BLK_ID_RANGE, A_BLK_ID_IDLE, A_BLK_DUP_ID, A_BLK_WRONG_OP,
    A_BLK_BAD_STATUS, A_BLK_FLUSH_EOPNOTSUPP,
    /* vif */
    A_RX_BACKWARDS, A_TX_BAD_ID, A_TX_DUP_ID, A_RX_OFFSET, A_RX_SLOTS, A_RX_FLAGS,
    A_RX_OVERSIZE, A_RX_GSO_BAD,
};

enum global {
    G_NONE, G_XS_STALL, G_XS_MALFORMED, G_GRANTS_KEPT, G_CONSOLE_DRIP, G_CHURN, G_STORM,
};

enum kind { VIF, VBD };

struct devspec {
    enum kind kind;
    int devid;
    enum attack attack;
};

struct scenario {
    const char *name;
    enum global global;
    const char *what;
    struct devspec dev[4];
    int ndev;
};

#define VIF5(a)  { VIF, 5, a }
#define XVDD(a)  { VBD, 51760, a }

static const struct scenario scenarios[] = {
    { "blk-silent", G_NONE, "a vbd that never answers a request", { XVDD(A_BLK_SILENT) }, 1 },
    { "rx-backwards", G_NONE, "valid rx responses, then rsp_prod moved backwards",
      { VIF5(A_RX_BACKWARDS) }, 1 },
    { "xs-stall", G_XS_STALL, "xenstored stopped (SIGSTOP) for 12 s once the devices are up",
      { VIF5(A_OK), XVDD(A_OK) }, 2 },
    { "xs-malformed", G_XS_MALFORMED,
      "a Xenstore reply whose header says 8192 bytes, written into the guest's ring",
      { VIF5(A_OK) }, 1 },
    { "blk-id-range", G_NONE, "a blkif response id out of the ring's range",
      { XVDD(A_BLK_ID_RANGE) }, 1 },
    { "blk-id-idle", G_NONE, "a blkif response for an id not in flight", { XVDD(A_BLK_ID_IDLE) }, 1 },
    { "blk-dup-id", G_NONE, "a blkif response given twice", { XVDD(A_BLK_DUP_ID) }, 1 },
    { "blk-wrong-op", G_NONE, "a blkif response naming another operation",
      { XVDD(A_BLK_WRONG_OP) }, 1 },
    { "blk-bad-status", G_NONE, "a blkif response with an unknown status (7)",
      { XVDD(A_BLK_BAD_STATUS) }, 1 },
    { "blk-flush-eopnotsupp", G_NONE, "feature-flush-cache offered, flushes answered EOPNOTSUPP",
      { XVDD(A_BLK_FLUSH_EOPNOTSUPP) }, 1 },
    { "tx-bad-id", G_NONE, "a tx response id out of range", { VIF5(A_TX_BAD_ID) }, 1 },
    { "tx-dup-id", G_NONE, "a tx response given twice", { VIF5(A_TX_DUP_ID) }, 1 },
    { "rx-offset", G_NONE, "an rx response whose offset + size run past the page",
      { VIF5(A_RX_OFFSET) }, 1 },
    { "rx-slots", G_NONE, "an rx packet over 20 slots (more_data on each)", { VIF5(A_RX_SLOTS) }, 1 },
    { "rx-flags", G_NONE, "an rx response with an unknown flag (0x80)", { VIF5(A_RX_FLAGS) }, 1 },
    { "rx-oversize", G_NONE, "an rx packet of 17 x 4000 bytes without a GSO extra",
      { VIF5(A_RX_OVERSIZE) }, 1 },
    { "rx-gso-bad", G_NONE, "an rx packet with a GSO extra of a type never negotiated (7)",
      { VIF5(A_RX_GSO_BAD) }, 1 },
    { "grants-kept", G_GRANTS_KEPT,
      "devices hot-unplugged (Closing, Closed, frontend dir removed) with every grant kept mapped",
      { VIF5(A_OK), XVDD(A_OK) }, 2 },
    { "console-drip", G_CONSOLE_DRIP, "xenconsoled stopped; the console drained one byte a second",
      { { VIF, -1, A_OK } }, 0 },
    { "churn", G_CHURN, "backend Connected -> Closing -> InitWait -> Connected, features rewritten",
      { VIF5(A_OK) }, 1 },
    { "evtchn-storm", G_STORM, "3 dom0 threads notifying the guest's event channels for 4 s",
      { VIF5(A_OK), XVDD(A_OK) }, 2 },
};

/* ---------------------------------------------------------------- state */

struct dev {
    enum kind kind;
    int devid;
    enum attack attack;
    char fe[96], be[96], name[16];
    int be_state;                       /* what we wrote last */
    int fe_seen;                        /* the frontend state printed last */
    bool connected, closed, removed;
    void *ring[2];                      /* vif: tx, rx; vbd: [0] */
    uint32_t ref[2];
    evtchn_port_t lport;
    bool bound;
    netif_tx_back_ring_t tx;
    netif_rx_back_ring_t rx;
    blkif_back_ring_t blk;
    double connected_at;
    unsigned long nreq;
    int step;                           /* the attack's progress */
    double step_at;
    RING_IDX saved_prod;
    bool keep;                          /* keep the rings mapped when closing */
    /* churn */
    int churn;
    double churn_at;
};

static struct xs_handle *xsh;
static xenevtchn_handle *xce;
static xengnttab_handle *xgt;
static xenforeignmemory_handle *xfm;
static int domid;
static const struct scenario *sc;
static struct dev devs[4];
static int ndev;
static volatile sig_atomic_t stop;
static volatile pid_t stopped_pid[2];   /* daemons we stopped: xenstored, xenconsoled */
static double t0;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("[%6.2f] ", now() - t0);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
    for (int i = 0; i < 2; i++)
        if (stopped_pid[i] > 0)
            kill(stopped_pid[i], SIGCONT);
}

static pid_t daemon_pid(const char *pidfile)
{
    FILE *f = fopen(pidfile, "r");
    int pid = 0;
    if (f != NULL) {
        if (fscanf(f, "%d", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return pid;
}

/* SIGSTOP (stop=1) or SIGCONT the daemon in slot (which). */
static bool daemon_stop(int which, const char *pidfile, const char *name, bool stopit)
{
    pid_t pid = stopit ? daemon_pid(pidfile) : stopped_pid[which];
    if (pid <= 0) {
        say("no %s pid (%s)", name, pidfile);
        return false;
    }
    if (stopit) {
        stopped_pid[which] = pid;
        kill(pid, SIGSTOP);
        say("%s (pid %d) stopped with SIGSTOP", name, (int)pid);
    } else {
        kill(pid, SIGCONT);
        stopped_pid[which] = 0;
        say("%s (pid %d) continued with SIGCONT", name, (int)pid);
    }
    return true;
}

/* ---------------------------------------------------------------- Xenstore helpers */

static bool xwrite(const char *dir, const char *key, const char *fmt, ...)
{
    char path[160], val[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    if (!xs_write(xsh, XBT_NULL, path, val, strlen(val))) {
        say("xenstore write %s failed: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* A number from dir/key, or -1. */
static long xread_num(const char *dir, const char *key)
{
    char path[160];
    unsigned len;
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    char *v = xs_read(xsh, XBT_NULL, path, &len);
    if (v == NULL)
        return -1;
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v)
        n = -1;
    free(v);
    return n;
}

static void set_be_state(struct dev *d, int st)
{
    d->be_state = st;
    xwrite(d->be, "state", "%d", st);
    say("%s: backend state %d (%s)", d->name, st,
        st == 1 ? "Initialising" : st == 2 ? "InitWait" : st == 4 ? "Connected" :
        st == 5 ? "Closing" : st == 6 ? "Closed" : "?");
}

static void notify(struct dev *d)
{
    if (d->bound)
        xenevtchn_notify(xce, d->lport);
}

/* ---------------------------------------------------------------- offering devices */

static void offer(struct dev *d)
{
    struct xs_permissions fe_perms[2] = { { .id = (unsigned)domid, .perms = XS_PERM_NONE },
                                          { .id = 0, .perms = XS_PERM_READ } };
    struct xs_permissions be_perms[2] = { { .id = 0, .perms = XS_PERM_NONE },
                                          { .id = (unsigned)domid, .perms = XS_PERM_READ } };
    const char *type = d->kind == VIF ? "vif" : "vbd";
    snprintf(d->fe, sizeof(d->fe), "/local/domain/%d/device/%s/%d", domid, type, d->devid);
    /* Not backend/vif or backend/vbd: dom0's kernel netback and blkback
     * watch those and would take the device (and its event channel)
     * over; libxl leaves a backend path it cannot parse alone. */
    snprintf(d->be, sizeof(d->be), "/local/domain/0/backend/hostile-%s/%d/%d", type, domid, d->devid);
    if (d->kind == VIF)
        snprintf(d->name, sizeof(d->name), "vif %d", d->devid);
    else
        snprintf(d->name, sizeof(d->name), "vbd %d", d->devid);

    for (int tries = 0; tries < 5; tries++) {
        xs_transaction_t t = xs_transaction_start(xsh);
        char path[160];
        bool ok = t != XBT_NULL;
        ok = ok && xs_mkdir(xsh, t, d->be) && xs_set_permissions(xsh, t, d->be, be_perms, 2);
        ok = ok && xs_mkdir(xsh, t, d->fe) && xs_set_permissions(xsh, t, d->fe, fe_perms, 2);
#define W(dir, k, v) do { snprintf(path, sizeof(path), "%s/%s", dir, k); \
                          ok = ok && xs_write(xsh, t, path, v, strlen(v)); } while (0)
        char num[32];
        snprintf(num, sizeof(num), "%d", domid);
        W(d->be, "frontend", d->fe);
        W(d->be, "frontend-id", num);
        W(d->be, "online", "1");
        W(d->be, "state", "1");
        W(d->be, "script", "/bin/true");
        W(d->fe, "backend", d->be);
        W(d->fe, "backend-id", "0");
        W(d->fe, "state", "1");
        snprintf(num, sizeof(num), "%d", d->devid);
        W(d->fe, "handle", num);
        W(d->be, "handle", num);
        if (d->kind == VIF) {
            W(d->fe, "mac", "00:16:3e:66:00:05");
            W(d->be, "mac", "00:16:3e:66:00:05");
            W(d->be, "feature-rx-copy", "1");
            W(d->be, "feature-rx-flip", "0");
            W(d->be, "feature-sg", "1");
            W(d->be, "feature-gso-tcpv4", "1");
            W(d->be, "feature-gso-tcpv6", "1");
            W(d->be, "feature-ipv6-csum-offload", "1");
        } else {
            W(d->fe, "virtual-device", num);
            W(d->fe, "device-type", "disk");
            W(d->be, "dev", "xvdd");
            W(d->be, "type", "phy");
            W(d->be, "mode", "w");
            W(d->be, "device-type", "disk");
            W(d->be, "sectors", "8192");        /* 4 MiB */
            W(d->be, "sector-size", "512");
            W(d->be, "physical-sector-size", "512");
            W(d->be, "info", "0");
            W(d->be, "feature-flush-cache", "1");
            W(d->be, "feature-barrier", "0");
        }
#undef W
        if (!ok) {
            if (t != XBT_NULL)
                xs_transaction_end(xsh, t, true);
            say("%s: cannot write its Xenstore nodes: %s", d->name, strerror(errno));
            return;
        }
        if (xs_transaction_end(xsh, t, false))
            break;
        if (errno != EAGAIN) {
            say("%s: transaction failed: %s", d->name, strerror(errno));
            return;
        }
    }
    d->be_state = 1;
    say("%s: offered (frontend %s, backend %s, attack: %s)", d->name, d->fe, d->be, sc->what);
    if (!xs_watch(xsh, d->fe, d->name) || !xs_watch(xsh, d->be, d->name))
        say("%s: cannot watch its nodes: %s", d->name, strerror(errno));
    set_be_state(d, XenbusStateInitWait);
}

static void *map_ref(struct dev *d, uint32_t ref)
{
    void *p = xengnttab_map_grant_ref(xgt, (uint32_t)domid, ref, PROT_READ | PROT_WRITE);
    if (p == NULL)
        say("%s: cannot map grant %u: %s", d->name, ref, strerror(errno));
    return p;
}

static void unmap_all(struct dev *d)
{
    if (d->bound) {
        xenevtchn_unbind(xce, d->lport);
        d->bound = false;
    }
    for (int i = 0; i < 2; i++)
        if (d->ring[i] != NULL) {
            xengnttab_unmap(xgt, d->ring[i], 1);
            d->ring[i] = NULL;
        }
}

static void connect_dev(struct dev *d)
{
    long port = xread_num(d->fe, "event-channel");
    if (d->kind == VIF) {
        long tx = xread_num(d->fe, "tx-ring-ref"), rx = xread_num(d->fe, "rx-ring-ref");
        say("%s: frontend keys: tx-ring-ref %ld rx-ring-ref %ld event-channel %ld", d->name, tx, rx, port);
        if (tx < 0 || rx < 0 || port < 0)
            return;
        d->ref[0] = (uint32_t)tx;
        d->ref[1] = (uint32_t)rx;
        if ((d->ring[0] = map_ref(d, d->ref[0])) == NULL || (d->ring[1] = map_ref(d, d->ref[1])) == NULL) {
            unmap_all(d);
            return;
        }
        BACK_RING_INIT(&d->tx, (netif_tx_sring_t *)d->ring[0], PAGE);
        BACK_RING_INIT(&d->rx, (netif_rx_sring_t *)d->ring[1], PAGE);
    } else {
        long ref = xread_num(d->fe, "ring-ref");
        say("%s: frontend keys: ring-ref %ld event-channel %ld", d->name, ref, port);
        if (ref < 0 || port < 0)
            return;
        d->ref[0] = (uint32_t)ref;
        if ((d->ring[0] = map_ref(d, d->ref[0])) == NULL)
            return;
        BACK_RING_INIT(&d->blk, (blkif_sring_t *)d->ring[0], PAGE);
    }
    xenevtchn_port_or_error_t lp = xenevtchn_bind_interdomain(xce, (uint32_t)domid, (evtchn_port_t)port);
    if (lp < 0) {
        say("%s: cannot bind event channel %ld: %s", d->name, port, strerror(errno));
        unmap_all(d);
        return;
    }
    d->lport = (evtchn_port_t)lp;
    d->bound = true;
    d->connected = true;
    d->closed = false;
    d->connected_at = now();
    d->step = 0;
    d->nreq = 0;
    say("%s: rings mapped, event channel %ld bound (local port %u)", d->name, port, d->lport);
    set_be_state(d, XenbusStateConnected);
}

static void disconnect_dev(struct dev *d, const char *why)
{
    say("%s: %s: closing%s", d->name, why, d->keep ? " (every grant stays mapped)" : "");
    d->connected = false;
    d->closed = true;
    if (!d->keep)
        unmap_all(d);
    if (d->be_state != XenbusStateClosing)
        set_be_state(d, XenbusStateClosing);
    set_be_state(d, XenbusStateClosed);
}

/* A watch fired on one of d's dirs (or we poll): follow the states. */
static void follow(struct dev *d)
{
    if (d->removed)
        return;
    long fe = xread_num(d->fe, "state"), be = xread_num(d->be, "state");
    long online = xread_num(d->be, "online");
    if (fe != d->fe_seen) {
        say("%s: frontend state %ld", d->name, fe);
        d->fe_seen = (int)fe;
    }
    if (be >= 0 && be != d->be_state && be == XenbusStateClosing && !d->closed) {
        /* The toolstack removes the device (xl shutdown, destroy). */
        say("%s: the toolstack set the backend Closing (online %ld)", d->name, online);
        d->be_state = XenbusStateClosing;
        disconnect_dev(d, "the toolstack removes the device");
        return;
    }
    if (!d->connected && !d->closed && d->be_state == XenbusStateInitWait &&
        (fe == XenbusStateInitialised || fe == XenbusStateConnected)) {
        connect_dev(d);
        return;
    }
    if (d->connected && (fe == XenbusStateClosing || fe == XenbusStateClosed || fe < 0)) {
        disconnect_dev(d, fe < 0 ? "the frontend dir is gone" : "the frontend closes");
        return;
    }
    if (d->closed && d->be_state == XenbusStateClosed && fe == XenbusStateInitialising &&
        online == 1) {
        /* The frontend starts over (after a close): offer again. */
        say("%s: the frontend is Initialising again", d->name);
        if (!d->keep)
            unmap_all(d);
        d->closed = false;
        set_be_state(d, XenbusStateInitWait);
    }
}

/* ---------------------------------------------------------------- netif */

static bool map_copy(struct dev *d, uint32_t from_ref, unsigned from_off, uint32_t to_ref, unsigned len)
{
    void *src = xengnttab_map_grant_ref(xgt, (uint32_t)domid, from_ref, PROT_READ);
    if (src == NULL)
        return false;
    void *dst = xengnttab_map_grant_ref(xgt, (uint32_t)domid, to_ref, PROT_READ | PROT_WRITE);
    if (dst == NULL) {
        xengnttab_unmap(xgt, src, 1);
        return false;
    }
    memcpy(dst, (char *)src + from_off, len);
    xengnttab_unmap(xgt, dst, 1);
    xengnttab_unmap(xgt, src, 1);
    (void)d;
    return true;
}

static unsigned rx_avail(struct dev *d)
{
    RING_IDX prod = d->rx.sring->req_prod;
    xen_rmb();
    return prod - d->rx.req_cons;
}

/* Answer the next posted rx request with (offset, flags, status). */
static void rx_put(struct dev *d, uint16_t offset, uint16_t flags, int16_t status)
{
    netif_rx_request_t req = *RING_GET_REQUEST(&d->rx, d->rx.req_cons);
    d->rx.req_cons++;
    netif_rx_response_t *r = RING_GET_RESPONSE(&d->rx, d->rx.rsp_prod_pvt);
    d->rx.rsp_prod_pvt++;
    r->id = req.id;
    r->offset = offset;
    r->flags = flags;
    r->status = status;
}

static void rx_push(struct dev *d)
{
    RING_PUSH_RESPONSES(&d->rx);
    notify(d);
}

/* The frame in tx request (req), copied into the next rx buffer. */
static void loopback(struct dev *d, const netif_tx_request_t *req)
{
    if (req->size == 0 || req->offset + req->size > PAGE || rx_avail(d) == 0)
        return;
    netif_rx_request_t rq = *RING_GET_REQUEST(&d->rx, d->rx.req_cons);
    if (!map_copy(d, req->gref, req->offset, rq.gref, req->size))
        return;
    rx_put(d, 0, NETRXF_data_validated, (int16_t)req->size);
    rx_push(d);
}

static void tx_respond(struct dev *d, uint16_t id, int16_t status)
{
    netif_tx_response_t *r = RING_GET_RESPONSE(&d->tx, d->tx.rsp_prod_pvt);
    d->tx.rsp_prod_pvt++;
    r->id = id;
    r->status = status;
}

static void tx_service(struct dev *d)
{
    RING_IDX prod = d->tx.sring->req_prod;
    xen_rmb();
    if (prod - d->tx.req_cons > NET_TX_RING_SIZE)
        return;                         /* nonsense from the frontend: ignore */
    bool any = false;
    while (d->tx.req_cons != prod) {
        netif_tx_request_t req = *RING_GET_REQUEST(&d->tx, d->tx.req_cons);
        d->tx.req_cons++;
        d->nreq++;
        any = true;
        if (d->nreq <= 3)
            say("%s: tx request id %u, %u bytes, flags %#x", d->name, req.id, req.size, req.flags);
        if (d->attack == A_OK && !(req.flags & NETTXF_more_data))
            loopback(d, &req);
        if (d->attack == A_TX_BAD_ID && d->step == 0) {
            say("%s: ATTACK: tx response with id %u (the request's id is %u)", d->name,
                req.id + 1000u, req.id);
            tx_respond(d, (uint16_t)(req.id + 1000), NETIF_RSP_OKAY);
            d->step = 1;
        } else if (d->attack == A_TX_DUP_ID && d->step == 0) {
            say("%s: ATTACK: tx response for id %u given twice", d->name, req.id);
            tx_respond(d, req.id, NETIF_RSP_OKAY);
            tx_respond(d, req.id, NETIF_RSP_OKAY);
            d->step = 1;
        } else {
            tx_respond(d, req.id, NETIF_RSP_OKAY);
        }
        if ((req.flags & NETTXF_extra_info) && d->tx.req_cons != prod) {
            d->tx.req_cons++;
            tx_respond(d, req.id, NETIF_RSP_NULL);
        }
    }
    if (any) {
        int n;
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&d->tx, n);
        notify(d);
        (void)n;
    }
}

/* The rx attacks, once the guest has posted buffers. */
static void rx_attack(struct dev *d, double t)
{
    if (d->step == 0 && t - d->connected_at < 1.0)
        return;
    unsigned avail = rx_avail(d);
    switch (d->attack) {
    case A_RX_BACKWARDS:
        if (d->step == 0 && avail >= 4) {
            for (int i = 0; i < 4; i++)
                rx_put(d, 0, 0, 60);
            rx_push(d);
            d->saved_prod = d->rx.sring->rsp_prod;
            say("%s: 4 valid rx responses (60 bytes each), rsp_prod %u", d->name, d->saved_prod);
            d->step = 1;
            d->step_at = t;
        } else if (d->step == 1 && t - d->step_at > 1.0) {
            d->rx.sring->rsp_prod = d->saved_prod - 2;
            xen_wmb();
            notify(d);
            say("%s: ATTACK: rsp_prod moved backwards from %u to %u (rsp_cons the guest showed: rsp_event %u)",
                d->name, d->saved_prod, d->saved_prod - 2, d->rx.sring->rsp_event);
            d->step = 2;
        }
        break;
    case A_RX_OFFSET:
        if (d->step == 0 && avail >= 1) {
            rx_put(d, 4000, 0, 200);
            rx_push(d);
            say("%s: ATTACK: rx response at offset 4000 of 200 bytes (past the page)", d->name);
            d->step = 1;
        }
        break;
    case A_RX_SLOTS:
        if (d->step == 0 && avail >= 20) {
            for (int i = 0; i < 20; i++)
                rx_put(d, 0, i < 19 ? NETRXF_more_data : 0, 100);
            rx_push(d);
            say("%s: ATTACK: one rx packet over 20 slots of 100 bytes", d->name);
            d->step = 1;
        }
        break;
    case A_RX_FLAGS:
        if (d->step == 0 && avail >= 1) {
            rx_put(d, 0, 0x80, 60);
            rx_push(d);
            say("%s: ATTACK: rx response with flags 0x80 (unknown)", d->name);
            d->step = 1;
        }
        break;
    case A_RX_OVERSIZE:
        if (d->step == 0 && avail >= 17) {
            for (int i = 0; i < 17; i++)
                rx_put(d, 0, i < 16 ? NETRXF_more_data : 0, 4000);
            rx_push(d);
            say("%s: ATTACK: one rx packet of 17 x 4000 = 68000 bytes, no GSO extra", d->name);
            d->step = 1;
        }
        break;
    case A_RX_GSO_BAD:
        if (d->step == 0 && avail >= 2) {
            rx_put(d, 0, NETRXF_extra_info | NETRXF_csum_blank | NETRXF_data_validated, 1514);
            netif_rx_request_t req = *RING_GET_REQUEST(&d->rx, d->rx.req_cons);
            (void)req;
            d->rx.req_cons++;
            netif_extra_info_t *e = (netif_extra_info_t *)RING_GET_RESPONSE(&d->rx, d->rx.rsp_prod_pvt);
            d->rx.rsp_prod_pvt++;
            memset(e, 0, sizeof(*e));
            e->type = XEN_NETIF_EXTRA_TYPE_GSO;
            e->u.gso.size = 1448;
            e->u.gso.type = 7;
            rx_push(d);
            say("%s: ATTACK: rx packet with a GSO extra of type 7 (never negotiated)", d->name);
            d->step = 1;
        }
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- blkif */

static void blk_respond(struct dev *d, uint64_t id, uint8_t op, int16_t status)
{
    blkif_response_t *r = RING_GET_RESPONSE(&d->blk, d->blk.rsp_prod_pvt);
    d->blk.rsp_prod_pvt++;
    r->id = id;
    r->operation = op;
    r->status = status;
}

static const char *op_name(unsigned op)
{
    return op == BLKIF_OP_READ ? "read" : op == BLKIF_OP_WRITE ? "write" :
           op == BLKIF_OP_FLUSH_DISKCACHE ? "flush" : op == BLKIF_OP_WRITE_BARRIER ? "barrier" :
           op == BLKIF_OP_INDIRECT ? "indirect" : "other";
}

static void blk_service(struct dev *d)
{
    RING_IDX prod = d->blk.sring->req_prod;
    xen_rmb();
    if (prod - d->blk.req_cons > BLK_RING_SIZE)
        return;
    bool any = false;
    while (d->blk.req_cons != prod) {
        blkif_request_t req = *RING_GET_REQUEST(&d->blk, d->blk.req_cons);
        d->blk.req_cons++;
        d->nreq++;
        if (d->nreq <= 3)
            say("%s: request id %llu: %s of %u segments at sector %llu", d->name,
                (unsigned long long)req.id, op_name(req.operation), req.nr_segments,
                (unsigned long long)req.sector_number);
        uint8_t op = req.operation;
        bool first = d->step == 0;
        switch (d->attack) {
        case A_BLK_SILENT:
            if (first)
                say("%s: ATTACK: this request and every later one is never answered", d->name);
            d->step = 1;
            continue;
        case A_BLK_ID_RANGE:
            if (first) {
                say("%s: ATTACK: response id 1000 for request id %llu", d->name, (unsigned long long)req.id);
                blk_respond(d, 1000, op, BLKIF_RSP_OKAY);
                d->step = 1;
                any = true;
                continue;
            }
            break;
        case A_BLK_ID_IDLE:
            if (first) {
                uint64_t id = (req.id + 7) % 32;
                say("%s: ATTACK: response id %llu (not in flight) for request id %llu", d->name,
                    (unsigned long long)id, (unsigned long long)req.id);
                blk_respond(d, id, op, BLKIF_RSP_OKAY);
                d->step = 1;
                any = true;
                continue;
            }
            break;
        case A_BLK_DUP_ID:
            if (first) {
                say("%s: ATTACK: the response to request id %llu given twice", d->name,
                    (unsigned long long)req.id);
                blk_respond(d, req.id, op, BLKIF_RSP_OKAY);
                d->step = 1;
                any = true;
            }
            break;
        case A_BLK_WRONG_OP:
            if (first) {
                uint8_t other = op == BLKIF_OP_READ ? BLKIF_OP_WRITE : BLKIF_OP_READ;
                say("%s: ATTACK: response to a %s names a %s", d->name, op_name(op), op_name(other));
                op = other;
                d->step = 1;
            }
            break;
        case A_BLK_BAD_STATUS:
            if (first) {
                say("%s: ATTACK: response to a %s with status 7", d->name, op_name(op));
                blk_respond(d, req.id, op, 7);
                d->step = 1;
                any = true;
                continue;
            }
            break;
        case A_BLK_FLUSH_EOPNOTSUPP:
            if (op == BLKIF_OP_FLUSH_DISKCACHE || op == BLKIF_OP_WRITE_BARRIER) {
                if (d->step++ < 3)
                    say("%s: ATTACK: %s answered EOPNOTSUPP", d->name, op_name(op));
                blk_respond(d, req.id, op, BLKIF_RSP_EOPNOTSUPP);
                any = true;
                continue;
            }
            break;
        default:
            break;
        }
        blk_respond(d, req.id, op, BLKIF_RSP_OKAY);
        any = true;
    }
    if (any) {
        int n;
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&d->blk, n);
        notify(d);
        (void)n;
    }
}

/* ---------------------------------------------------------------- special rings */

/* The guest's Xenstore (grant 1) or console (grant 0) page: through its
 * reserved grant, else by foreign mapping of the frame in KEY. */
static void *map_special(uint32_t gref, const char *key)
{
    void *p = xengnttab_map_grant_ref(xgt, (uint32_t)domid, gref, PROT_READ | PROT_WRITE);
    if (p != NULL) {
        say("mapped the guest's %s page through reserved grant %u", key, gref);
        return p;
    }
    say("reserved grant %u: %s; trying a foreign mapping", gref, strerror(errno));
    char dir[64];
    snprintf(dir, sizeof(dir), "/local/domain/%d", domid);
    long frame = xread_num(dir, key);
    if (frame < 0 || xfm == NULL) {
        say("no %s frame to map", key);
        return NULL;
    }
    xen_pfn_t pfn = (xen_pfn_t)frame;
    int err = 0;
    p = xenforeignmemory_map(xfm, (uint32_t)domid, PROT_READ | PROT_WRITE, 1, &pfn, &err);
    if (p == NULL || err != 0) {
        say("cannot map frame %#lx of the guest: %s", frame, strerror(err ? -err : errno));
        return NULL;
    }
    say("mapped the guest's %s page (frame %#lx) by foreign mapping", key, frame);
    return p;
}

/* ---------------------------------------------------------------- global scenarios */

static int gstep;
static double gat;
static struct xenstore_domain_interface *store;
static struct xencons_interface *cons;
static volatile bool storm_run;
static unsigned long storm_count[3];
static pthread_t storm_thr[3];

static void *storm(void *arg)
{
    unsigned long *count = arg;
    while (storm_run && !stop)
        for (int i = 0; i < ndev; i++)
            if (devs[i].bound && xenevtchn_notify(xce, devs[i].lport) == 0)
                (*count)++;
    return NULL;
}

static bool all_connected(double t, double for_s)
{
    for (int i = 0; i < ndev; i++)
        if (!devs[i].connected || t - devs[i].connected_at < for_s)
            return false;
    return true;
}

static void global_tick(double t)
{
    switch (sc->global) {
    case G_XS_STALL:
        if (gstep == 0 && all_connected(t, 1.0)) {
            /* Fire the guest's watch on the backend state first, so it
             * has a Xenstore request in flight when xenstored stops. */
            for (int i = 0; i < ndev; i++)
                set_be_state(&devs[i], devs[i].be_state);
            if (daemon_stop(0, "/run/xenstored.pid", "xenstored", true))
                say("ATTACK: Xenstore stalls for 12 s");
            gstep = 1;
            gat = t;
        } else if (gstep == 1 && t - gat >= 12.0) {
            daemon_stop(0, NULL, "xenstored", false);
            gstep = 2;
        }
        break;
    case G_XS_MALFORMED:
        if (gstep == 0 && all_connected(t, 1.0)) {
            gstep = 1;
            store = map_special(GNTTAB_RESERVED_XENSTORE, "store/ring-ref");
            if (store == NULL)
                break;
            if (!daemon_stop(0, "/run/xenstored.pid", "xenstored", true))
                break;
            usleep(200000);
            XENSTORE_RING_IDX prod = store->rsp_prod;
            xen_rmb();
            struct xsd_sockmsg m = { .type = XS_READ, .req_id = 0x7fffffff, .tx_id = 0, .len = 8192 };
            const char *src = (const char *)&m;
            for (unsigned i = 0; i < sizeof(m); i++)
                store->rsp[MASK_XENSTORE_IDX(prod + i)] = src[i];
            xen_wmb();
            store->rsp_prod = prod + sizeof(m);
            say("ATTACK: a reply header with len 8192 (over %d) written at rsp_prod %u; rsp_prod now %u",
                XENSTORE_PAYLOAD_MAX, prod, prod + (unsigned)sizeof(m));
            daemon_stop(0, NULL, "xenstored", false);
            /* A watch event makes xenstored notify the guest, which then
             * reads the ring: our header first. */
            for (int i = 0; i < ndev; i++)
                set_be_state(&devs[i], devs[i].be_state);
            gstep = 2;
        }
        break;
    case G_GRANTS_KEPT:
        if (gstep == 0 && all_connected(t, 2.0)) {
            say("hot-unplug of every device, grants kept mapped");
            for (int i = 0; i < ndev; i++)
                set_be_state(&devs[i], XenbusStateClosing);
            gstep = 1;
            gat = t;
        } else if (gstep == 1) {
            bool done = true;
            for (int i = 0; i < ndev; i++) {
                long fe = xread_num(devs[i].fe, "state");
                done &= fe == XenbusStateClosing || fe == XenbusStateClosed || fe < 0;
            }
            if (done || t - gat > 3.0) {
                say(done ? "the frontends follow" : "the frontends did not close within 3 s");
                for (int i = 0; i < ndev; i++) {
                    struct dev *d = &devs[i];
                    d->connected = false;
                    d->closed = true;
                    set_be_state(d, XenbusStateClosed);
                    d->removed = true;
                    xs_unwatch(xsh, d->fe, d->name);
                    xs_unwatch(xsh, d->be, d->name);
                    xs_rm(xsh, XBT_NULL, d->fe);
                    xs_rm(xsh, XBT_NULL, d->be);
                    say("%s: frontend and backend dirs removed; %s rings still mapped", d->name,
                        d->ring[0] != NULL ? "its" : "no");
                }
                gstep = 2;
            }
        }
        break;
    case G_CONSOLE_DRIP:
        if (gstep == 0 && t - t0 > 3.0) {
            gstep = 1;
            cons = map_special(GNTTAB_RESERVED_CONSOLE, "console/ring-ref");
            if (cons == NULL || !daemon_stop(1, "/run/xenconsoled.pid", "xenconsoled", true))
                break;
            say("ATTACK: the console drains one byte a second for 10 s");
            gstep = 2;
            gat = t;
        } else if (gstep >= 2 && gstep < 12 && t - gat >= gstep - 1) {
            XENCONS_RING_IDX c = cons->out_cons, p = cons->out_prod;
            xen_rmb();
            if (c != p) {
                cons->out_cons = c + 1;
                xen_mb();
            }
            say("console: out_cons %u, out_prod %u (%u bytes waiting)", c, p, p - c);
            gstep++;
        } else if (gstep == 12) {
            daemon_stop(1, NULL, "xenconsoled", false);
            gstep = 13;
        }
        break;
    case G_CHURN: {
        struct dev *d = &devs[0];
        if (gstep == 0 && all_connected(t, 1.0)) {
            say("ATTACK: feature keys rewritten while Connected (feature-sg 0, feature-gso-tcpv4 0)");
            xwrite(d->be, "feature-sg", "0");
            xwrite(d->be, "feature-gso-tcpv4", "0");
            set_be_state(d, XenbusStateClosing);
            gstep = 1;
            gat = t;
        } else if (gstep == 1 && t - gat >= 1.0) {
            if (!d->closed)
                disconnect_dev(d, "churn");
            unmap_all(d);
            xwrite(d->be, "feature-sg", "1");
            xwrite(d->be, "feature-gso-tcpv4", "1");
            d->closed = false;
            set_be_state(d, XenbusStateInitWait);
            /* As a toolstack plugging it again: the frontend starts over. */
            xwrite(d->fe, "state", "%d", XenbusStateInitialising);
            say("ATTACK: back to InitWait with the features rewritten again; frontend state reset to Initialising");
            gstep = 2;
            gat = t;
        } else if (gstep == 2 && d->connected) {
            say("%s: connected again", d->name);
            gstep = 3;
        }
        break;
    }
    case G_STORM:
        if (gstep == 0 && all_connected(t, 1.0)) {
            storm_run = true;
            for (int i = 0; i < 3; i++)
                pthread_create(&storm_thr[i], NULL, storm, &storm_count[i]);
            say("ATTACK: 3 threads notify every event channel in a tight loop for 4 s");
            gstep = 1;
            gat = t;
        } else if (gstep == 1 && t - gat >= 4.0) {
            storm_run = false;
            for (int i = 0; i < 3; i++)
                pthread_join(storm_thr[i], NULL);
            say("storm over: %lu notifications", storm_count[0] + storm_count[1] + storm_count[2]);
            gstep = 2;
        }
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
            printf("%-22s %s\n", scenarios[i].name, scenarios[i].what);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: hostile SCENARIO DOMID   (hostile list: the scenarios)\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
        if (strcmp(argv[1], scenarios[i].name) == 0)
            sc = &scenarios[i];
    domid = atoi(argv[2]);
    if (sc == NULL || domid <= 0) {
        fprintf(stderr, "hostile: unknown scenario '%s' or bad domain id '%s'\n", argv[1], argv[2]);
        return 2;
    }
    t0 = now();
    struct sigaction sa = { .sa_handler = on_term };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    xsh = xs_open(0);
    xce = xenevtchn_open(NULL, 0);
    xgt = xengnttab_open(NULL, 0);
    xfm = xenforeignmemory_open(NULL, 0);
    if (xsh == NULL || xce == NULL || xgt == NULL) {
        say("cannot open Xenstore, event channels or grant tables: %s", strerror(errno));
        return 1;
    }
    say("scenario %s for domain %d: %s", sc->name, domid, sc->what);
    ndev = sc->ndev;
    for (int i = 0; i < ndev; i++) {
        devs[i].kind = sc->dev[i].kind;
        devs[i].devid = sc->dev[i].devid;
        devs[i].attack = sc->dev[i].attack;
        devs[i].keep = sc->global == G_GRANTS_KEPT;
        offer(&devs[i]);
    }
    say("ready");

    double last_poll = 0;
    while (!stop) {
        struct pollfd pf[2] = { { .fd = xs_fileno(xsh), .events = POLLIN },
                                { .fd = xenevtchn_fd(xce), .events = POLLIN } };
        poll(pf, 2, 10);
        if (stop)
            break;
        if (pf[1].revents & POLLIN) {
            xenevtchn_port_or_error_t p = xenevtchn_pending(xce);
            if (p >= 0)
                xenevtchn_unmask(xce, (evtchn_port_t)p);
        }
        char **w;
        unsigned nw;
        bool fired = false;
        while ((w = xs_check_watch(xsh)) != NULL) {
            (void)nw;
            free(w);
            fired = true;
        }
        double t = now();
        bool stalled = stopped_pid[0] > 0;
        if (!stalled && (fired || t - last_poll > 0.5)) {
            last_poll = t;
            for (int i = 0; i < ndev; i++)
                follow(&devs[i]);
        }
        for (int i = 0; i < ndev; i++) {
            struct dev *d = &devs[i];
            if (!d->connected)
                continue;
            if (d->kind == VIF) {
                tx_service(d);
                rx_attack(d, t);
            } else {
                blk_service(d);
            }
        }
        global_tick(t);
    }

    on_term(0);
    say("stopping (SIGTERM)");
    storm_run = false;
    if (sc->global == G_STORM && gstep == 1)
        for (int i = 0; i < 3; i++)
            pthread_join(storm_thr[i], NULL);
    for (int i = 0; i < ndev; i++) {
        struct dev *d = &devs[i];
        say("%s: %lu requests seen; %s", d->name, d->nreq,
            d->ring[0] != NULL ? "unmapping its rings" : "no rings mapped");
        unmap_all(d);
        if (!d->removed)
            xs_rm(xsh, XBT_NULL, d->be);
    }
    if (store != NULL)
        munmap(store, PAGE);
    if (cons != NULL)
        munmap(cons, PAGE);
    xs_close(xsh);
    say("done");
    return 0;
}
