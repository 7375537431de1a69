/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Xen block frontend (blkfront): the xn_blk_* API of include/xenolith.h
 * over the domain's vbds, one ring each (the state is per queue, so
 * multi-queue can follow with SMP).
 *
 * Handshake, as a state machine over XenBus states (bf_connect): read the
 * backend's path; wait for InitWait; set up the ring, the buffer pool and
 * the event channel; write the ring reference, event channel, protocol
 * and feature-persistent and then the state Initialised in one Xenstore
 * batch (one round trip, applied in order); wait for the backend to be
 * Connected; read and check the disk's geometry (sectors, sector-size,
 * physical-sector-size, info) and features (feature-flush-cache,
 * feature-barrier, feature-persistent, feature-max-indirect-segments);
 * switch to Connected.
 *
 * Data goes through a pool of pages granted to the backend once, for the
 * device's life (persistent grants: blkback maps them once and keeps
 * them); requests are copied in and out, so the backend sees no other
 * guest memory. A request larger than one ring request is split; with
 * indirect descriptors a ring request carries up to 32 pages (128 KiB),
 * else 11. Flush uses BLKIF_OP_FLUSH_DISKCACHE (or a write barrier).
 *
 * Everything blkback writes is untrusted: each response is copied out of
 * the ring once and checked (blkfront_ring.c); a bad one, or a producer
 * index running ahead of our requests, marks the device broken: every
 * request in flight and every later one fails with -EIO, and the guest
 * keeps running. An I/O error the backend reports fails its request with
 * -EIO. Requests go onto the ring from the submitting thread when they
 * fit (else when completions free room); completions run in the device's
 * own thread.
 *
 * Nothing waits on the backend without a deadline: a request not answered
 * within xen.io_timeout seconds (default 30) marks the device broken; a
 * watch on each backend's state disconnects the disk when the backend
 * goes Closing, Closed or away (hot-unplug), failing what was pending;
 * at disconnect, what is still in flight after a short drain fails with
 * -EIO, and the ring is freed only once the device's thread has ended.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blkfront_ring.h"              /* before blkif.h: ring barriers */
#include <xen/io/xenbus.h>
#include <xen/io/protocols.h>

#include <xenolith.h>
#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "evtchn.h"
#include "frontend.h"
#include "mode.h"
#include "netfront_ring.h"              /* nf_check_prod: the ring producer check */
#include "platform.h"
#include "suspend.h"
#include "xenbus.h"
#include "xs.h"

#define BF_RING ((unsigned)__CONST_RING_SIZE(blkif, PAGE_SIZE))
#define MAX_SEGS 32                     /* pages per indirect ring request */
#define POOL_MAX 512
#define STATE_TIMEOUT_NS (10 * 1000000000ULL)
#define CLOSE_TIMEOUT_NS (2 * 1000000000ULL)
#define IO_TIMEOUT_S 30                 /* default of xen.io_timeout */
#define WATCH_TOKEN "blkfront"

enum bf_state { BF_FREE, BF_PROBE, BF_WAIT_INITWAIT, BF_SETUP, BF_PUBLISH, BF_WAIT_CONNECTED,
                BF_CONNECTED, BF_CLOSED, BF_FAILED, BF_SUSPENDED };
static const char *const bf_state_names[] = {
    "free", "probe", "wait-initwait", "setup", "publish", "wait-connected", "connected",
    "closed", "failed", "suspended",
};

struct bf_slot {
    struct xn_blk_req *req;
    uint8_t op;                         /* BLKIF_OP_, or BF_SLOT_FREE */
    size_t count, offset;               /* sectors of this piece, bytes into req->buf */
    uint64_t deadline;                  /* its answer is due by then */
    unsigned npages;
    uint16_t page[MAX_SEGS];            /* pool pages */
};

struct bf_queue {
    blkif_front_ring_t ring;
    void *sring;
    grant_ref_t ring_ref;
    bool ring_granted;
    evtchn_port_t port;
    bool port_bound;
    volatile unsigned long kicks;
    struct bf_slot slot[BF_RING];
    uint8_t slot_op[BF_RING];
    unsigned npool, nfree;
    void *pool[POOL_MAX];
    grant_ref_t pool_ref[POOL_MAX];
    uint16_t free[POOL_MAX];
    void *ind[BF_RING];               /* an indirect page per slot, or NULL */
    grant_ref_t ind_ref[BF_RING];
    struct xn_blk_req *head, *tail;     /* waiting for slots or pages */
    struct kmutex lock;
    struct thread *thread;
};

struct blkfront {
    enum bf_state state;
    bool broken;
    bool closing;                       /* bf_disconnect runs */
    bool suspending;                    /* nothing new goes on the ring */
    char id[12], node[40], backend[128];
    domid_t backend_id;
    unsigned vdev;
    struct bf_geometry geo;
    unsigned max_segs;
    uint8_t flush_op;                   /* FLUSH_DISKCACHE or WRITE_BARRIER */
    struct xn_blk_info info;
    struct bf_queue q;
};

static struct {
    struct blkfront *dev[XN_BLK_MAX];
    bool opened;
    uint64_t io_timeout_ns;
    struct thread *watcher;
} bf;

static void bf_event(evtchn_port_t port, void *arg)
{
    (void)port;
    ((struct bf_queue *)arg)->kicks++;
}

static void set_state(struct blkfront *d, enum bf_state s)
{
    log_debug("blkfront %s: %s -> %s", d->info.name, bf_state_names[d->state], bf_state_names[s]);
    d->state = s;
}

/* "xvda" for the Xen disk numbering of (vdev), else "vbd<vdev>". */
static void disk_name(unsigned vdev, char *out, size_t len)
{
    unsigned disk = ~0u;
    if (vdev & (1u << 28))
        disk = (vdev >> 8) & 0xfffff;               /* extended: xvd, any disk */
    else if ((vdev >> 8) == 202)
        disk = (vdev >> 4) & 15;                    /* xvd */
    if (disk < 26)
        ksnprintf(out, len, "xvd%c", 'a' + disk);
    else if (disk != ~0u && disk < 26 * 27)
        ksnprintf(out, len, "xvd%c%c", 'a' + disk / 26 - 1, 'a' + disk % 26);
    else
        ksnprintf(out, len, "vbd%u", vdev);
}

/* ---------------------------------------------------------------- requests */

static void finish(struct blkfront *d, struct xn_blk_req *r)
{
    if (r->status != 0)
        d->info.errors++;
    r->done(r);
}

/*
 * Put as much of the waiting requests on the ring as slots and pool pages
 * allow (lock held). Returns true if any went out.
 */
static bool issue(struct blkfront *d)
{
    struct bf_queue *q = &d->q;
    bool any = false;
    uint64_t due = time_monotonic_ns() + bf.io_timeout_ns;

    if (d->broken || d->state != BF_CONNECTED || d->suspending)
        return false;
    while (q->head != NULL && !RING_FULL(&q->ring)) {
        struct xn_blk_req *r = q->head;
        size_t n = 0;
        unsigned pages = 0, spp = BF_PAGE / d->geo.sector_size;
        if (r->op != XN_BLK_FLUSH) {
            n = bf_chunk(r->left, d->geo.sector_size, d->max_segs);
            pages = (unsigned)((n + spp - 1) / spp);
            if (pages > q->nfree)
                break;                  /* wait for pages to come back */
        }
        unsigned id = 0;
        while (q->slot_op[id] != BF_SLOT_FREE)
            id++;
        struct bf_slot *s = &q->slot[id];
        s->req = r;
        s->count = n;
        s->offset = r->offset;
        s->npages = pages;
        s->deadline = due;
        blkif_request_t *req = RING_GET_REQUEST(&q->ring, q->ring.req_prod_pvt);
        uint64_t sector512 = r->next_sector * (d->geo.sector_size / 512);
        if (r->op == XN_BLK_FLUSH) {
            s->op = d->flush_op;
            req->operation = s->op;
            req->nr_segments = 0;
            req->handle = (blkif_vdev_t)d->vdev;
            req->id = id;
            req->sector_number = 0;
            r->left = 0;
        } else {
            uint8_t op = r->op == XN_BLK_READ ? BLKIF_OP_READ : BLKIF_OP_WRITE;
            size_t bytes = n * d->geo.sector_size;
            struct blkif_request_segment *seg;
            if (pages > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
                blkif_request_indirect_t *ir = (blkif_request_indirect_t *)req;
                ir->operation = BLKIF_OP_INDIRECT;
                ir->indirect_op = op;
                ir->nr_segments = (uint16_t)pages;
                ir->id = id;
                ir->sector_number = sector512;
                ir->handle = (blkif_vdev_t)d->vdev;
                ir->indirect_grefs[0] = q->ind_ref[id];
                seg = q->ind[id];
                s->op = op;                 /* the response names the inner operation */
            } else {
                req->operation = op;
                req->nr_segments = (uint8_t)pages;
                req->handle = (blkif_vdev_t)d->vdev;
                req->id = id;
                req->sector_number = sector512;
                seg = req->seg;
                s->op = op;
            }
            for (unsigned i = 0; i < pages; i++) {
                uint16_t p = q->free[--q->nfree];
                size_t len = bytes - (size_t)i * BF_PAGE < BF_PAGE ? bytes - (size_t)i * BF_PAGE : BF_PAGE;
                s->page[i] = p;
                if (op == BLKIF_OP_WRITE)
                    memcpy(q->pool[p], (const char *)r->buf + r->offset + (size_t)i * BF_PAGE, len);
                seg[i].gref = q->pool_ref[p];
                seg[i].first_sect = 0;
                seg[i].last_sect = (uint8_t)(len / 512 - 1);
            }
            r->next_sector += n;
            r->left -= n;
            r->offset += bytes;
        }
        q->slot_op[id] = s->op;
        r->inflight++;
        q->ring.req_prod_pvt++;
        any = true;
        if (r->left == 0) {             /* all of it is on the ring */
            q->head = r->queue_next;
            if (q->head == NULL)
                q->tail = NULL;
        }
    }
    if (any) {
        int notify;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->ring, notify);
        if (notify)
            evtchn_notify(q->port);
    }
    return any;
}

/* The device broke: fail everything in flight and waiting (lock held). */
static void fail_all(struct blkfront *d, struct xn_blk_req **done_list)
{
    struct bf_queue *q = &d->q;
    for (unsigned id = 0; id < BF_RING; id++) {
        if (q->slot_op[id] == BF_SLOT_FREE)
            continue;
        struct xn_blk_req *r = q->slot[id].req;
        q->slot_op[id] = BF_SLOT_FREE;
        r->status = -EIO;
        if (--r->inflight == 0 && r->left == 0) {
            r->queue_next = *done_list;
            *done_list = r;
        }
    }
    while (q->head != NULL) {
        struct xn_blk_req *r = q->head;
        q->head = r->queue_next;
        r->status = -EIO;
        r->left = 0;
        if (r->inflight == 0) {
            r->queue_next = *done_list;
            *done_list = r;
        }
    }
    q->tail = NULL;
}

static void mark_broken(struct blkfront *d, const char *why)
{
    if (!d->broken)
        log_err("blkfront %s: %s; the device is marked broken", d->info.name, why);
    d->broken = true;
}

static const char *op_name(uint8_t op)
{
    switch (op) {
    case BLKIF_OP_READ: return "read";
    case BLKIF_OP_WRITE: return "write";
    case BLKIF_OP_FLUSH_DISKCACHE: return "flush";
    case BLKIF_OP_WRITE_BARRIER: return "write barrier";
    default: return "request";
    }
}

/* Take the responses (lock held); completed requests go to (done_list). */
static void reap(struct blkfront *d, struct xn_blk_req **done_list)
{
    struct bf_queue *q = &d->q;
    char err[160];

    for (;;) {
        RING_IDX prod = q->ring.sring->rsp_prod;
        __asm__ volatile("lfence" ::: "memory");
        if (nf_check_prod(prod, q->ring.rsp_cons, q->ring.req_prod_pvt - q->ring.rsp_cons, err,
                          sizeof(err)) != 0) {
            mark_broken(d, err);
            fail_all(d, done_list);
            return;
        }
        while (q->ring.rsp_cons != prod) {
            blkif_response_t rsp;
            memcpy(&rsp, RING_GET_RESPONSE(&q->ring, q->ring.rsp_cons), sizeof(rsp));
            __asm__ volatile("" ::: "memory");          /* copied once */
            q->ring.rsp_cons++;
            int v = bf_rsp_check(&rsp, q->slot_op, BF_RING, err, sizeof(err));
            if (v < 0) {
                mark_broken(d, err);
                fail_all(d, done_list);
                return;
            }
            struct bf_slot *s = &q->slot[rsp.id];
            struct xn_blk_req *r = s->req;
            if (v == 1 && rsp.status == BLKIF_RSP_EOPNOTSUPP && r->op == XN_BLK_FLUSH) {
                /* It offered flushes, then refuses them: this one fails,
                 * and later ones are treated as for a backend that never
                 * offered any (completed writes are on its storage). */
                r->status = -EOPNOTSUPP;
                if (d->info.features & XN_BLK_F_FLUSH)
                    log_warn("blkfront %s: the backend does not support %s after all; flushes "
                             "are no longer sent", d->info.name, op_name(s->op));
                d->info.features &= ~XN_BLK_F_FLUSH;
            } else if (v == 1) {
                r->status = -EIO;
                log_warn("blkfront %s: the backend failed a %s of %zu sectors", d->info.name,
                         r->op == XN_BLK_READ ? "read" : r->op == XN_BLK_WRITE ? "write" : "flush",
                         s->count);
            } else if (r->op == XN_BLK_READ && r->status == 0) {
                size_t bytes = s->count * d->geo.sector_size;
                for (unsigned i = 0; i < s->npages; i++) {
                    size_t len = bytes - (size_t)i * BF_PAGE < BF_PAGE ? bytes - (size_t)i * BF_PAGE : BF_PAGE;
                    memcpy((char *)r->buf + s->offset + (size_t)i * BF_PAGE, q->pool[s->page[i]], len);
                }
            }
            for (unsigned i = 0; i < s->npages; i++)
                q->free[q->nfree++] = s->page[i];
            q->slot_op[rsp.id] = BF_SLOT_FREE;
            if (--r->inflight == 0 && r->left == 0) {
                if (r->op == XN_BLK_READ)
                    d->info.reads++;
                else if (r->op == XN_BLK_WRITE)
                    d->info.writes++;
                else
                    d->info.flushes++;
                r->queue_next = *done_list;
                *done_list = r;
            }
        }
        int more;
        RING_FINAL_CHECK_FOR_RESPONSES(&q->ring, more);
        if (!more)
            return;
    }
}

/*
 * The oldest answer due (lock held): its slot, or -1 when nothing is in
 * flight. Slots are issued in order of their deadlines' clock, so the
 * smallest deadline is the one that matters.
 */
static int next_due(struct blkfront *d)
{
    struct bf_queue *q = &d->q;
    int first = -1;
    for (unsigned id = 0; id < BF_RING; id++)
        if (q->slot_op[id] != BF_SLOT_FREE &&
            (first < 0 || q->slot[id].deadline < q->slot[first].deadline))
            first = (int)id;
    return first;
}

/*
 * The device's thread: completions, then more requests onto the ring,
 * until the device is no longer connected (then everything pending fails
 * and the thread ends; bf_disconnect waits for that before freeing the
 * ring). It never waits past the oldest request's deadline.
 */
static void *bf_thread(void *arg)
{
    struct blkfront *d = arg;
    struct bf_queue *q = &d->q;
    for (;;) {
        unsigned long seen = q->kicks;
        struct xn_blk_req *done = NULL;
        uint64_t wait_until = UINT64_MAX;
        kmutex_lock(&q->lock);
        bool live = d->state == BF_CONNECTED;
        if (live && !d->broken)
            reap(d, &done);
        if (live && !d->broken) {
            issue(d);
            int late = next_due(d);
            if (late >= 0 && time_monotonic_ns() >= q->slot[late].deadline) {
                char why[160];
                ksnprintf(why, sizeof(why), "a %s of %zu sectors got no answer within %llu s",
                          op_name(q->slot_op[late]), q->slot[late].count,
                          (unsigned long long)(bf.io_timeout_ns / 1000000000ULL));
                mark_broken(d, why);
            } else if (late >= 0) {
                wait_until = q->slot[late].deadline;
            }
        }
        /* Suspended: what is queued waits for the resume; else a device
         * no longer connected fails what it has. */
        if (d->broken || (!live && d->state != BF_SUSPENDED))
            fail_all(d, &done);
        kmutex_unlock(&q->lock);
        /* Oldest first: the list is newest first. */
        struct xn_blk_req *rev = NULL;
        while (done != NULL) {
            struct xn_blk_req *n = done->queue_next;
            done->queue_next = rev;
            rev = done;
            done = n;
        }
        while (rev != NULL) {
            struct xn_blk_req *n = rev->queue_next;
            finish(d, rev);
            rev = n;
        }
        if (!live)
            break;
        time_wait_change(&q->kicks, seen, wait_until);
    }
    return NULL;
}

static struct blkfront *connected(int dev)
{
    if (dev < 0 || dev >= XN_BLK_MAX || bf.dev[dev] == NULL ||
        bf.dev[dev]->state != BF_CONNECTED)
        return NULL;
    return bf.dev[dev];
}

int xn_blk_submit(int dev, struct xn_blk_req *r)
{
    struct blkfront *d = connected(dev);
    if (d == NULL && dev >= 0 && dev < XN_BLK_MAX && bf.dev[dev] != NULL &&
        bf.dev[dev]->state == BF_SUSPENDED)
        d = bf.dev[dev];                /* queued until the resume */
    if (d == NULL)
        return -ENODEV;
    if (r->op != XN_BLK_READ && r->op != XN_BLK_WRITE && r->op != XN_BLK_FLUSH)
        return -EINVAL;
    if (r->op != XN_BLK_FLUSH && (r->buf == NULL || bf_range_ok(r->sector, r->count, d->geo.sectors) != 0))
        return -EINVAL;
    if (r->op == XN_BLK_WRITE && (d->info.features & XN_BLK_F_READONLY))
        return -EROFS;
    if (d->broken)
        return -EIO;
    r->status = 0;
    r->next_sector = r->sector;
    r->left = r->op == XN_BLK_FLUSH ? 1 : r->count;
    r->offset = 0;
    r->inflight = 0;
    r->queue_next = NULL;
    if (r->op == XN_BLK_FLUSH && !(d->info.features & XN_BLK_F_FLUSH)) {
        /* Without a cache flush or barrier, completed writes are on the
         * backend's storage already: a flush has nothing to wait for. */
        d->info.flushes++;
        r->done(r);
        return 0;
    }
    struct bf_queue *q = &d->q;
    kmutex_lock(&q->lock);
    if (q->tail != NULL)
        q->tail->queue_next = r;
    else
        q->head = r;
    q->tail = r;
    /* Onto the ring now, from this thread (what does not fit waits for
     * completions); the device's thread is told, to reap and to watch
     * the new request's deadline. */
    issue(d);
    q->kicks++;
    kmutex_unlock(&q->lock);
    sched_wake_event_waiters();
    return 0;
}

struct waiter {
    struct kmutex m;
    struct kcond c;
    bool done;
};

static void wake(struct xn_blk_req *r)
{
    struct waiter *w = r->arg;
    kmutex_lock(&w->m);
    w->done = true;
    kcond_signal(&w->c);
    kmutex_unlock(&w->m);
}

static int sync_io(int dev, enum xn_blk_op op, uint64_t sector, void *buf, size_t count)
{
    struct waiter w = { 0 };
    struct xn_blk_req r = { .op = op, .sector = sector, .count = count, .buf = buf,
                            .done = wake, .arg = &w };
    int rc = xn_blk_submit(dev, &r);
    if (rc != 0)
        return rc;
    kmutex_lock(&w.m);
    while (!w.done)
        kcond_wait(&w.c, &w.m, 0);
    kmutex_unlock(&w.m);
    return r.status;
}

int xn_blk_read(int dev, uint64_t sector, void *buf, size_t count)
{
    return sync_io(dev, XN_BLK_READ, sector, buf, count);
}

int xn_blk_write(int dev, uint64_t sector, const void *buf, size_t count)
{
    return sync_io(dev, XN_BLK_WRITE, sector, (void *)buf, count);
}

int xn_blk_flush(int dev)
{
    return sync_io(dev, XN_BLK_FLUSH, 0, NULL, 0);
}

/* ---------------------------------------------------------------- handshake */

/* Our ring keys, then Initialised: one Xenstore round trip. */
static int publish(struct blkfront *d)
{
    char ref[16], port[16];
    static const char *const names[] = { "ring-ref", "event-channel", "protocol",
                                         "feature-persistent" };
    const char *const values[] = { ref, port, XEN_IO_PROTO_ABI_NATIVE, "1" };

    ksnprintf(ref, sizeof(ref), "%u", d->q.ring_ref);
    ksnprintf(port, sizeof(port), "%u", d->q.port);
    return fe_publish(d->node, names, values, ARRAY_SIZE(names), XenbusStateInitialised);
}

static void release(struct blkfront *d)
{
    struct bf_queue *q = &d->q;
    if (q->port_bound) {
        evtchn_unbind(q->port);
        evtchn_close(q->port);
        q->port_bound = false;
    }
    struct fe_ungrant u;
    fe_ungrant_begin(&u, d->info.name);
    if (q->ring_granted)
        fe_ungrant_page(&u, q->sring, q->ring_ref);
    q->ring_granted = false;
    q->sring = NULL;
    for (unsigned i = 0; i < q->npool; i++)
        fe_ungrant_page(&u, q->pool[i], q->pool_ref[i]);
    q->npool = q->nfree = 0;
    for (unsigned i = 0; i < BF_RING; i++)
        if (q->ind[i] != NULL) {
            fe_ungrant_page(&u, q->ind[i], q->ind_ref[i]);
            q->ind[i] = NULL;
        }
    fe_ungrant_end(&u);
}

static int probe(struct blkfront *d)
{
    char val[32];
    char key[96];
    ksnprintf(key, sizeof(key), "%s/virtual-device", d->node);
    struct xs_op vdev = { .path = key, .buf = val, .len = sizeof(val) };
    int rc = xenbus_read_backend(d->node, d->backend, sizeof(d->backend), &d->backend_id, &vdev, 1);
    if (rc != 0) {
        log_err("blkfront %s: no valid backend (error %d)", d->info.name, rc);
        return rc;
    }
    uint64_t v = 0;
    rc = vdev.rc;
    if (rc > 0) {
        for (const char *p = val; *p; p++)
            v = (*p >= '0' && *p <= '9' && v < 0xffffffffu) ? v * 10 + (uint64_t)(*p - '0') : ~0ull;
    }
    if (rc <= 0 || v > 0xffffffffu) {
        log_err("blkfront %s: bad or missing virtual-device '%s'", d->info.name, rc > 0 ? val : "");
        return -EINVAL;
    }
    d->vdev = (unsigned)v;
    disk_name(d->vdev, d->info.name, sizeof(d->info.name));
    return 0;
}

/* Buffer pool pages: four per MiB of domain memory, 16 to POOL_MAX. */
static unsigned pool_size(void)
{
    uint64_t p = (mm_ram_bytes() >> 20) * 4;
    return p < 16 ? 16 : p > POOL_MAX ? POOL_MAX : (unsigned)p;
}

static int setup(struct blkfront *d)
{
    struct bf_queue *q = &d->q;
    int rc;
    q->sring = fe_granted_page(d->backend_id, false, &q->ring_ref);
    q->ring_granted = q->sring != NULL;
    if (q->sring == NULL)
        goto nomem;
    SHARED_RING_INIT((blkif_sring_t *)q->sring);
    FRONT_RING_INIT(&q->ring, (blkif_sring_t *)q->sring, PAGE_SIZE);
    for (unsigned i = 0; i < BF_RING; i++)
        q->slot_op[i] = BF_SLOT_FREE;
    unsigned n = pool_size();
    for (unsigned i = 0; i < n; i++) {
        /* Writable even for writes: blkback maps persistent grants once,
         * for both directions (blkif.h, note 8). */
        q->pool[i] = fe_granted_page(d->backend_id, false, &q->pool_ref[i]);
        if (q->pool[i] == NULL)
            goto nomem;
        q->npool++;
        q->free[q->nfree++] = (uint16_t)i;
    }
    if ((rc = evtchn_alloc_unbound(d->backend_id, &q->port)) != 0)
        return rc;
    if ((rc = evtchn_bind(q->port, bf_event, q)) != 0) {
        evtchn_close(q->port);
        return rc;
    }
    q->port_bound = true;
    return 0;
nomem:
    log_err("blkfront %s: out of memory or grant references for the ring and buffers",
            d->info.name);
    return -ENOMEM;
}

/* After Connected: the disk's geometry and features, checked. */
static int read_disk(struct blkfront *d)
{
    enum { SECTORS, SECTOR_SIZE, PHYS_SIZE, INFO, PERSISTENT, FLUSH, BARRIER, INDIRECT, NKEYS };
    static const char *const names[NKEYS] = {
        "sectors", "sector-size", "physical-sector-size", "info", "feature-persistent",
        "feature-flush-cache", "feature-barrier", "feature-max-indirect-segments",
    };
    char keys[NKEYS][192], vals[NKEYS][32], err[160];
    struct xs_op ops[NKEYS];

    /* One batch, one round trip; each value is judged on its own. */
    for (int i = 0; i < NKEYS; i++) {
        ksnprintf(keys[i], sizeof(keys[i]), "%s/%s", d->backend, names[i]);
        ops[i] = (struct xs_op){ .path = keys[i], .buf = vals[i], .len = sizeof(vals[i]) };
    }
    xs_batch(XBT_NIL, ops, NKEYS);
#define VAL(i) (ops[i].rc > 0 ? vals[i] : NULL)
#define ON(i) (ops[i].rc == 1 && vals[i][0] == '1')
    if (bf_parse_geometry(VAL(SECTORS), VAL(SECTOR_SIZE), VAL(PHYS_SIZE), VAL(INFO), &d->geo, err,
                          sizeof(err)) != 0) {
        log_err("blkfront %s: the backend's %s", d->info.name, err);
        return -EINVAL;
    }
    d->info.sectors = d->geo.sectors;
    d->info.sector_size = d->geo.sector_size;
    d->info.physical_sector_size = d->geo.physical_sector_size;
    d->info.features = XN_BLK_F_PERSISTENT * ON(PERSISTENT);
    if (ON(FLUSH)) {
        d->info.features |= XN_BLK_F_FLUSH;
        d->flush_op = BLKIF_OP_FLUSH_DISKCACHE;
    } else if (ON(BARRIER)) {
        d->info.features |= XN_BLK_F_FLUSH;
        d->flush_op = BLKIF_OP_WRITE_BARRIER;
    }
    if (d->geo.info & VDISK_READONLY)
        d->info.features |= XN_BLK_F_READONLY;
    d->max_segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
    uint64_t ind = 0;
    if (VAL(INDIRECT) != NULL) {
        for (const char *p = vals[INDIRECT]; *p; p++)
            ind = (*p >= '0' && *p <= '9' && ind < 1000000) ? ind * 10 + (uint64_t)(*p - '0') : 0;
        if (ind > BLKIF_MAX_SEGMENTS_PER_REQUEST && d->q.npool >= MAX_SEGS) {
            unsigned want = ind < MAX_SEGS ? (unsigned)ind : MAX_SEGS;
            struct bf_queue *q = &d->q;
            bool ok = true;
            for (unsigned i = 0; i < BF_RING && ok; i++) {
                /* Writable: with persistent grants blkback maps every grant
                 * for writing (blkif.h, note 8). */
                q->ind[i] = fe_granted_page(d->backend_id, false, &q->ind_ref[i]);
                ok = q->ind[i] != NULL;
            }
            if (ok) {
                d->max_segs = want;
                d->info.features |= XN_BLK_F_INDIRECT;
            } else {
                log_warn("blkfront %s: no memory for indirect descriptors; using 11 segments",
                         d->info.name);
            }
        }
    }
    d->info.max_request = d->max_segs * BF_PAGE;
    return 0;
#undef VAL
#undef ON
}

static int bf_connect(struct blkfront *d)
{
    enum xenbus_state st = XenbusStateUnknown;
    int rc = 0;
    while (d->state != BF_CONNECTED && d->state != BF_FAILED) {
        switch (d->state) {
        case BF_PROBE:
            rc = probe(d);
            set_state(d, rc == 0 ? BF_WAIT_INITWAIT : BF_FAILED);
            break;
        case BF_WAIT_INITWAIT:
            rc = xenbus_wait_state(d->backend, XenbusStateInitWait, &st, STATE_TIMEOUT_NS);
            if (rc == 0 && st != XenbusStateInitWait) {
                log_err("blkfront %s: backend %s is %s, not InitWait", d->info.name, d->backend,
                        xenbus_state_name(st));
                rc = -EIO;
            }
            set_state(d, rc == 0 ? BF_SETUP : BF_FAILED);
            break;
        case BF_SETUP:
            rc = setup(d);
            set_state(d, rc == 0 ? BF_PUBLISH : BF_FAILED);
            break;
        case BF_PUBLISH:
            rc = publish(d);
            if (rc != 0)
                log_err("blkfront %s: cannot write the ring keys (error %d)", d->info.name, rc);
            set_state(d, rc == 0 ? BF_WAIT_CONNECTED : BF_FAILED);
            break;
        case BF_WAIT_CONNECTED:
            rc = xenbus_wait_state(d->backend, XenbusStateConnected, &st, STATE_TIMEOUT_NS);
            if (rc == 0 && st != XenbusStateConnected) {
                log_err("blkfront %s: backend %s is %s, not Connected", d->info.name, d->backend,
                        xenbus_state_name(st));
                rc = -EIO;
            }
            if (rc == 0)
                rc = read_disk(d);
            if (rc == 0)
                rc = xenbus_switch_state(d->node, XenbusStateConnected);
            set_state(d, rc == 0 ? BF_CONNECTED : BF_FAILED);
            break;
        default:
            rc = -EINVAL;
            set_state(d, BF_FAILED);
        }
    }
    if (rc == -ETIMEDOUT)
        log_err("blkfront %s: backend %s did not answer within %llu s", d->info.name,
                d->backend, STATE_TIMEOUT_NS / 1000000000ULL);
    return rc;
}

/*
 * Disconnect (why: for the log): a short drain of what is in flight, then
 * the device's thread fails whatever is left with -EIO and ends; the ring
 * and pages are freed only after that, and after the backend closed (or
 * the close timed out).
 */
static void bf_disconnect(struct blkfront *d, const char *why)
{
    struct bf_queue *q = &d->q;
    char key[160];
    if (d->closing)
        return;                         /* another thread is at it */
    d->closing = true;
    uint64_t deadline = time_monotonic_ns() + CLOSE_TIMEOUT_NS;
    while (!d->broken && time_monotonic_ns() < deadline) {
        bool busy = q->head != NULL;
        for (unsigned i = 0; i < BF_RING && !busy; i++)
            busy = q->slot_op[i] != BF_SLOT_FREE;
        if (!busy)
            break;
        thread_sleep_until(time_monotonic_ns() + 1000000);
    }
    log_info("blkfront %s: disconnecting (%s); %llu reads, %llu writes, %llu flushes, "
             "%llu errors", d->info.name, why, (unsigned long long)d->info.reads,
             (unsigned long long)d->info.writes, (unsigned long long)d->info.flushes,
             (unsigned long long)d->info.errors);
    set_state(d, BF_CLOSED);
    q->kicks++;
    sched_wake_event_waiters();
    if (q->thread != NULL) {
        thread_join(q->thread, NULL);   /* it fails what is left, then ends */
        q->thread = NULL;
    }
    ksnprintf(key, sizeof(key), "%s/state", d->backend);
    xs_unwatch(key, WATCH_TOKEN);
    fe_close(d->node, d->backend, CLOSE_TIMEOUT_NS);
    release(d);
}

/*
 * Suspend: what is in flight completes (bounded: CLOSE_TIMEOUT_NS, then
 * it fails), what is queued stays queued, new requests queue too; the
 * device thread ends and the ring is closed and freed (it would not
 * survive the restore). Resume: the disk connects again (to the restored
 * domain's backend, or, after a cancelled suspend, to the same one), its
 * geometry must not have changed, and the queue goes out. No request the
 * caller saw completed is sent again; none is lost.
 */
static void bf_suspend(void)
{
    for (int i = 0; i < XN_BLK_MAX; i++) {
        struct blkfront *d = connected(i);
        if (d == NULL)
            continue;
        struct bf_queue *q = &d->q;
        d->suspending = true;
        uint64_t deadline = time_monotonic_ns() + CLOSE_TIMEOUT_NS;
        for (;;) {
            bool busy = false;
            for (unsigned k = 0; k < BF_RING && !busy; k++)
                busy = q->slot_op[k] != BF_SLOT_FREE;
            if (!busy || d->broken || time_monotonic_ns() >= deadline)
                break;
            thread_sleep_until(time_monotonic_ns() + 1000000);
        }
        if (!d->broken && next_due(d) >= 0)
            mark_broken(d, "requests still in flight when the domain suspends");
        set_state(d, BF_SUSPENDED);
        q->kicks++;
        sched_wake_event_waiters();
        if (q->thread != NULL) {
            thread_join(q->thread, NULL);
            q->thread = NULL;
        }
        char key[160];
        ksnprintf(key, sizeof(key), "%s/state", d->backend);
        xs_unwatch(key, WATCH_TOKEN);
        fe_close(d->node, d->backend, CLOSE_TIMEOUT_NS);
        release(d);
        log_info("blkfront %s: suspended, %s", d->info.name,
                 q->head != NULL ? "requests queued" : "nothing queued");
    }
}

static void bf_resume(bool cancelled)
{
    for (int i = 0; i < XN_BLK_MAX; i++) {
        struct blkfront *d = bf.dev[i];
        if (d == NULL || d->state != BF_SUSPENDED)
            continue;
        struct bf_geometry old = d->geo;
        struct bf_queue *q = &d->q;
        if (cancelled)                  /* the same backend, closed: get it ready again */
            xenbus_switch_state(d->node, XenbusStateInitialising);
        d->suspending = false;
        d->state = BF_PROBE;
        memset(&q->ring, 0, sizeof(q->ring));
        int rc = bf_connect(d);
        if (rc == 0 && (d->geo.sectors != old.sectors || d->geo.sector_size != old.sector_size)) {
            log_err("blkfront %s: the disk after the restore is not the one before "
                    "(%llu sectors of %u bytes, was %llu of %u)", d->info.name,
                    (unsigned long long)d->geo.sectors, d->geo.sector_size,
                    (unsigned long long)old.sectors, old.sector_size);
            rc = -EIO;
        }
        if (rc == 0)
            q->thread = thread_create("blkfront", bf_thread, d, 0);
        if (rc != 0 || q->thread == NULL) {
            struct xn_blk_req *done = NULL;
            mark_broken(d, "it could not connect again after the resume");
            release(d);
            set_state(d, BF_FAILED);
            kmutex_lock(&q->lock);
            fail_all(d, &done);
            kmutex_unlock(&q->lock);
            while (done != NULL) {
                struct xn_blk_req *n = done->queue_next;
                finish(d, done);
                done = n;
            }
            continue;
        }
        char key[160];
        ksnprintf(key, sizeof(key), "%s/state", d->backend);
        xs_watch(key, WATCH_TOKEN);
        q->kicks++;
        sched_wake_event_waiters();
        log_info("blkfront %s: connected again after the %s", d->info.name,
                 cancelled ? "cancelled suspend" : "restore");
    }
}

static void bf_shutdown_all(void)
{
    for (int i = 0; i < XN_BLK_MAX; i++)
        if (connected(i) != NULL)
            bf_disconnect(bf.dev[i], "the guest is shutting down");
}

/* A backend that goes Closing, Closed, away or bad: disconnect its disk. */
static void bf_check_backends(void)
{
    for (int i = 0; i < XN_BLK_MAX; i++) {
        struct blkfront *d = connected(i);
        if (d == NULL)
            continue;
        enum xenbus_state st = XenbusStateUnknown;
        int rc = xenbus_read_state(d->backend, &st);
        if (rc != 0 && rc != -ENOENT && rc != -EINVAL)
            continue;                   /* Xenstore failed: cannot tell */
        if (rc == 0 && st != XenbusStateClosing && st != XenbusStateClosed)
            continue;
        char why[64];
        ksnprintf(why, sizeof(why), "the backend is %s",
                  rc == -ENOENT ? "gone" : rc != 0 ? "in a bad state" : xenbus_state_name(st));
        if (!d->broken)
            log_err("blkfront %s: %s; pending requests fail", d->info.name, why);
        bf_disconnect(d, why);
    }
}

/* When Xenstore fails, requests keep their deadlines. */
static void *bf_watcher(void *arg)
{
    (void)arg;
    xenbus_follow(WATCH_TOKEN, bf_check_backends, "the disks' backend state");
    return NULL;
}

int xn_blk_open(void)
{
    if (!xs_ready())
        return 0;
    if (!bf.opened) {
        bf.opened = true;
        unsigned long long tmo = IO_TIMEOUT_S;
        xn_config_uint("xen.io_timeout", IO_TIMEOUT_S, 600, &tmo);
        bf.io_timeout_ns = (tmo ? tmo : 1) * 1000000000ULL;
        char ids[256];
        int n = xenbus_enumerate("vbd", ids, sizeof(ids));
        const char *id = ids;
        int slot = 0;
        for (int k = 0; k < n && slot < XN_BLK_MAX; k++, id += strlen(id) + 1) {
            struct blkfront *d = calloc(1, sizeof(*d));
            if (d == NULL) {
                log_err("blkfront: no memory for vbd %s", id);
                break;
            }
            ksnprintf(d->id, sizeof(d->id), "%s", id);
            ksnprintf(d->node, sizeof(d->node), "device/vbd/%s", id);
            ksnprintf(d->info.name, sizeof(d->info.name), "vbd/%s", id);
            d->state = BF_PROBE;
            uint64_t t0 = time_monotonic_ns();
            if (bf_connect(d) != 0) {
                release(d);
                xenbus_switch_state(d->node, XenbusStateClosed);
                log_err("blkfront %s: not connected", d->info.name);
                free(d);
                continue;
            }
            d->q.thread = thread_create("blkfront", bf_thread, d, 0);
            if (d->q.thread == NULL) {
                log_err("blkfront %s: no thread; not used", d->info.name);
                bf_disconnect(d, "no thread");
                free(d);
                continue;
            }
            bf.dev[slot++] = d;
            char key[160];
            ksnprintf(key, sizeof(key), "%s/state", d->backend);
            if (xs_watch(key, WATCH_TOKEN) != 0)
                log_warn("blkfront %s: cannot watch the backend's state; requests still have "
                         "deadlines", d->info.name);
            log_info("blkfront %s: connected in %llu ms: %llu sectors of %u bytes (physical %u), "
                     "%s%s%s%u KiB per request, %u buffer pages", d->info.name,
                     (unsigned long long)((time_monotonic_ns() - t0) / 1000000),
                     (unsigned long long)d->geo.sectors, d->geo.sector_size,
                     d->geo.physical_sector_size,
                     (d->info.features & XN_BLK_F_FLUSH) ? "flush, " : "no flush, ",
                     (d->info.features & XN_BLK_F_PERSISTENT) ? "persistent grants, " : "",
                     (d->info.features & XN_BLK_F_READONLY) ? "read-only, " : "",
                     d->info.max_request / 1024, d->q.npool);
        }
        if (n > XN_BLK_MAX)
            log_warn("blkfront: %d vbds; only %d are used", n, XN_BLK_MAX);
        if (slot > 0) {
            /* The watches fire once when set: the states were just read. */
            struct xs_event ev;
            while (xs_next_event(WATCH_TOKEN, &ev, 0) == 0)
                ;
            bf_check_backends();
            bf.watcher = thread_create("blkfront-watch", bf_watcher, NULL, 0);
            if (bf.watcher == NULL)
                log_warn("blkfront: no watcher thread; backend state changes are not followed");
        }
        platform_on_shutdown(bf_shutdown_all);
        platform_on_suspend(bf_suspend, bf_resume);
    }
    int count = 0;
    for (int i = 0; i < XN_BLK_MAX; i++)
        count += connected(i) != NULL;
    return count;
}

int xn_blk_info(int dev, struct xn_blk_info *info)
{
    struct blkfront *d = connected(dev);
    if (d == NULL)
        return -ENODEV;
    *info = d->info;
    return 0;
}
