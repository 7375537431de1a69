/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Xenstore client. Requests go out through the ring (xs_ring.c) with
 * a fresh request id, and the caller waits, blocked, for the reply with
 * that id; watch events that arrive meanwhile are queued (up to
 * XS_MAX_EVENTS; older ones are dropped and counted). Every function
 * returns 0 (or a length or count) on success and a negative errno on
 * failure: the errno xenstored named, -ETIMEDOUT when it did not answer
 * in time, -EIO when its ring or a reply was malformed (the connection is
 * then marked broken), -E2BIG when a value does not fit.
 *
 * A malformed reply (a header over the payload limit, impossible ring
 * indexes, a reply of the wrong type) fails the request in flight with
 * -EIO and resynchronises: what the reply ring holds is dropped, and
 * every registered watch fires once (its owner re-reads what it watches,
 * so an event lost with the dropped bytes is not missed). After
 * XS_RESYNC_MAX of them the connection is marked broken for good.
 * Without this, one bad reply would cut the guest off from the toolstack
 * (`xl shutdown` comes through Xenstore).
 *
 * Threads share the connection: a request holds xs.lock from sending to
 * its reply, so one request is in flight at a time and only its owner
 * reads replies; waiting for watch events takes the lock only to read the
 * ring, never while blocked. Paths without a leading '/' are relative to
 * the domain's home, /local/domain/<id>.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "evtchn.h"
#include "mode.h"
#include "xs.h"
#include "xs_ring.h"

#define XS_TIMEOUT_NS   (10 * 1000000000ULL)
#define XS_RESYNC_MAX   3
#define XS_MAX_WATCHES  32

static struct {
    struct kmutex lock;
    volatile struct xenstore_domain_interface *ring;
    evtchn_port_t port;
    volatile unsigned long kicks;       /* bumped by the event handler */
    uint32_t next_id;
    bool broken;
    struct xs_reader rd;
    struct xs_event events[XS_MAX_EVENTS];
    unsigned ev_head, ev_count;
    unsigned long ev_dropped;
    struct xs_event watches[XS_MAX_WATCHES];    /* registered: path and token */
    unsigned nwatches;
    unsigned resyncs;
    struct {                    /* one XS_DIRECTORY sent ahead (xs_prefetch_directory) */
        bool sent, done;
        uint32_t req_id;
        int rc;                 /* reply length, or a negative errno */
        char path[64];
        char body[512];
    } pre;
} xs;

/* Interrupt context: only note that the ring moved. */
static void xs_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    xs.kicks++;
}

bool xs_ready(void)
{
    return xs.ring != NULL && !xs.broken;
}

static int broken(const char *what)
{
    if (!xs.broken)
        log_err("xenstore: %s; the connection is marked broken", what);
    xs.broken = true;
    xs.kicks++;                 /* waiting watchers see it now */
    sched_wake_event_waiters();
    return -EIO;
}

static void queue_event(const char *body, size_t len);

/*
 * A malformed reply: drop what the reply ring holds, fire every watch
 * once, fail the request in flight (-EIO); broken after XS_RESYNC_MAX.
 */
static int resync(const char *what)
{
    if (xs.broken || xs.resyncs >= XS_RESYNC_MAX)
        return broken(what);
    xs.resyncs++;
    XENSTORE_RING_IDX prod = xs.ring->rsp_prod;
    __asm__ volatile("mfence" ::: "memory");
    xs.ring->rsp_cons = prod;
    evtchn_notify(xs.port);
    xs_reader_reset(&xs.rd);
    xs.pre.sent = xs.pre.done = false;  /* its reply may be gone: ask again */
    log_err("xenstore: %s; the reply ring was emptied and the connection resynchronised "
            "(%u of %d times allowed)", what, xs.resyncs, XS_RESYNC_MAX);
    for (unsigned i = 0; i < xs.nwatches; i++) {
        char body[sizeof(xs.watches[0].path) + sizeof(xs.watches[0].token)];
        size_t pl = strlen(xs.watches[i].path), tl = strlen(xs.watches[i].token);
        memcpy(body, xs.watches[i].path, pl + 1);
        memcpy(body + pl + 1, xs.watches[i].token, tl + 1);
        queue_event(body, pl + tl + 2);
    }
    xs.kicks++;                 /* their watchers take the events */
    sched_wake_event_waiters();
    return -EIO;
}

/*
 * The queue is full: drop the oldest event of the watch with the most
 * queued events, so a watch with a single pending event (a shutdown
 * request) never loses it to a busy one.
 */
static void drop_from_busiest(void)
{
    unsigned best = 0, best_count = 0;
    for (unsigned i = 0; i < xs.ev_count; i++) {
        struct xs_event *e = &xs.events[(xs.ev_head + i) % XS_MAX_EVENTS];
        unsigned c = 0;
        for (unsigned j = 0; j < xs.ev_count; j++)
            c += strcmp(xs.events[(xs.ev_head + j) % XS_MAX_EVENTS].token, e->token) == 0;
        if (c > best_count) {
            best_count = c;
            best = i;
        }
    }
    for (unsigned j = best; j + 1 < xs.ev_count; j++)
        xs.events[(xs.ev_head + j) % XS_MAX_EVENTS] = xs.events[(xs.ev_head + j + 1) % XS_MAX_EVENTS];
    xs.ev_count--;
    xs.ev_dropped++;
}

static void queue_event(const char *body, size_t len)
{
    /* Payload: path NUL token NUL. */
    const char *path = body, *token = memchr(body, '\0', len);
    if (token == NULL || (size_t)(token - body) + 1 >= len) {
        log_warn("xenstore: malformed watch event ignored");
        return;
    }
    token++;
    char tok[sizeof(xs.events[0].token)];
    ksnprintf(tok, sizeof(tok), "%.*s", (int)(len - (size_t)(token - body)), token);
    /* The same watch firing again on the same path: one event is enough. */
    for (unsigned i = 0; i < xs.ev_count; i++) {
        struct xs_event *e = &xs.events[(xs.ev_head + i) % XS_MAX_EVENTS];
        if (strcmp(e->token, tok) == 0 && strncmp(e->path, path, sizeof(e->path) - 1) == 0)
            return;
    }
    if (xs.ev_count == XS_MAX_EVENTS)
        drop_from_busiest();
    struct xs_event *e = &xs.events[(xs.ev_head + xs.ev_count) % XS_MAX_EVENTS];
    ksnprintf(e->path, sizeof(e->path), "%s", path);
    ksnprintf(e->token, sizeof(e->token), "%.*s", (int)(len - (size_t)(token - body)), token);
    xs.ev_count++;
}

/*
 * Read whatever the ring holds. Returns 1 with a message in xs.rd (not a
 * watch event: those are queued here), 0 if none is complete, 2 when
 * PUMP_BATCH watch events were taken and more may wait (the caller lets
 * other threads run before it reads on: a xenstored that streams events
 * must not hold the CPU), or -EIO.
 */
#define PUMP_BATCH 64
static int pump(void)
{
    for (unsigned n = 0;; n++) {
        if (n == PUMP_BATCH)
            return 2;
        int r = xs_reader_feed(&xs.rd, xs.ring);
        if (r < 0)
            return resync("bad ring indexes or an oversized reply from xenstored");
        if (r == 0)
            return 0;
        if (xs.rd.msg.hdr.type == XS_WATCH_EVENT) {
            queue_event(xs.rd.msg.body, xs.rd.msg.hdr.len);
            xs_reader_reset(&xs.rd);
            continue;
        }
        return 1;
    }
}

/* Let the other threads run (once the scheduler runs; before, there are none). */
static void yield_cpu(void)
{
    if (sched_started())
        thread_yield();
}

/*
 * A reply to no request in flight (a late one, after its request timed
 * out, or a hostile stream): dropped; logged at the first and then at
 * every power of two, so a stream cannot flood the console.
 */
static void stray_reply(uint32_t req_id)
{
    static unsigned long strays;
    strays++;
    if ((strays & (strays - 1)) == 0)
        log_warn("xenstore: reply for unknown request %u ignored (%lu so far)", req_id, strays);
    xs_reader_reset(&xs.rd);
}

static int wait_kick(unsigned long seen, uint64_t deadline)
{
    evtchn_notify(xs.port);     /* xenstored may be waiting for ring space */
    return time_wait_change(&xs.kicks, seen, deadline);
}

static int send(const void *data, size_t len, uint64_t deadline)
{
    const char *p = data;
    while (len > 0) {
        unsigned long seen = xs.kicks;
        long n = xs_ring_put(xs.ring, p, len);
        if (n < 0)
            return broken("bad request ring indexes");
        if (n > 0) {
            evtchn_notify(xs.port);
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (wait_kick(seen, deadline) != 0)
            return -ETIMEDOUT;
    }
    return 0;
}

/*
 * The reply in xs.rd, if it answers the request sent ahead
 * (xs_prefetch_directory), is kept for xs_directory: true when it was.
 */
static bool keep_prefetched(void)
{
    struct xsd_sockmsg *m = &xs.rd.msg.hdr;
    if (!xs.pre.sent || xs.pre.done || m->req_id != xs.pre.req_id)
        return false;
    if (m->type == XS_ERROR)
        xs.pre.rc = -xs_error_errno(xs.rd.msg.body);
    else if (m->type != XS_DIRECTORY)
        xs.pre.rc = -EIO;
    else if (m->len >= sizeof(xs.pre.body))
        xs.pre.rc = -E2BIG;
    else {
        memcpy(xs.pre.body, xs.rd.msg.body, (size_t)m->len + 1);
        xs.pre.rc = (int)m->len;
    }
    xs.pre.done = true;
    xs_reader_reset(&xs.rd);
    return true;
}

/*
 * Send one request: (nparts) strings, each sent with its NUL when (nul)
 * says so; its id in *id. Nothing is sent (and no id taken) when it is
 * too long.
 */
static int send_request(uint32_t type, uint32_t tx, const char *const parts[], const bool nul[],
                        int nparts, uint32_t *id, uint64_t deadline)
{
    struct xsd_sockmsg h = { .type = type, .tx_id = tx, .len = 0 };
    for (int i = 0; i < nparts; i++)
        h.len += (uint32_t)strlen(parts[i]) + (nul[i] ? 1 : 0);
    if (h.len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    h.req_id = xs.next_id++;
    int rc = send(&h, sizeof(h), deadline);
    for (int i = 0; rc == 0 && i < nparts; i++)
        rc = send(parts[i], strlen(parts[i]) + (nul[i] ? 1 : 0), deadline);
    if (rc == -ETIMEDOUT)       /* part of a request may be in the ring */
        return broken("xenstored stopped reading requests");
    if (rc == 0)
        *id = h.req_id;
    return rc;
}

/*
 * Wait for the reply to one of the requests with ids lo .. lo + n - 1;
 * 0 when it is in xs.rd (the caller takes it, take_reply), else a
 * negative errno. Watch events are queued meanwhile, other replies
 * dropped (or kept, for xs_prefetch_directory).
 */
static int wait_reply(uint32_t lo, uint32_t n, uint64_t deadline)
{
    for (;;) {
        unsigned long seen = xs.kicks;
        int r = pump();
        if (r < 0)
            return r;
        bool ours = r == 1 && xs.rd.msg.hdr.req_id - lo < n;
        if (r == 2 || (r == 1 && !ours)) {
            /* Events or stray replies keep coming: bounded by the same
             * deadline, and other threads run meanwhile. */
            if (time_monotonic_ns() >= deadline) {
                log_err("xenstore: no reply to request %u within 10 s (other messages kept "
                        "coming)", lo);
                xs_reader_reset(&xs.rd);
                return -ETIMEDOUT;
            }
            if (r == 2) {
                yield_cpu();
                continue;
            }
        }
        if (r == 0) {
            if (wait_kick(seen, deadline) != 0) {
                log_err("xenstore: no reply to request %u within 10 s", lo);
                return -ETIMEDOUT;
            }
            continue;
        }
        if (!ours) {
            if (!keep_prefetched())
                stray_reply(xs.rd.msg.hdr.req_id);
            continue;
        }
        return 0;
    }
}

/*
 * The reply in xs.rd, to a request of (type): its length, the body
 * (NUL-terminated) copied to (out) if not NULL; or a negative errno.
 */
static int take_reply(uint32_t type, char *out, size_t outlen)
{
    struct xsd_sockmsg *m = &xs.rd.msg.hdr;
    int len = (int)m->len;
    if (m->type == XS_ERROR) {
        int e = xs_error_errno(xs.rd.msg.body);
        xs_reader_reset(&xs.rd);
        return -e;
    }
    if (m->type != type) {
        xs_reader_reset(&xs.rd);
        return resync("a reply of the wrong type");
    }
    if (out != NULL) {
        if ((size_t)len >= outlen) {
            xs_reader_reset(&xs.rd);
            return -E2BIG;
        }
        memcpy(out, xs.rd.msg.body, (size_t)len + 1);
    }
    xs_reader_reset(&xs.rd);
    return len;
}

/*
 * One request and its reply: the reply body (NUL-terminated) is copied to
 * (out) if not NULL. Returns the reply's length, or a negative errno.
 */
static int request_locked(uint32_t type, uint32_t tx, const char *const parts[],
                          const bool nul[], int nparts, char *out, size_t outlen)
{
    if (!xs_ready())
        return -EIO;
    uint64_t deadline = time_monotonic_ns() + XS_TIMEOUT_NS;
    uint32_t id;
    int rc = send_request(type, tx, parts, nul, nparts, &id, deadline);
    if (rc == 0)
        rc = wait_reply(id, 1, deadline);
    return rc != 0 ? rc : take_reply(type, out, outlen);
}

static int request(uint32_t type, uint32_t tx, const char *const parts[],
                   const bool nul[], int nparts, char *out, size_t outlen)
{
    bool threads = sched_started();
    if (threads)
        kmutex_lock(&xs.lock);
    int rc = request_locked(type, tx, parts, nul, nparts, out, outlen);
    if (threads)
        kmutex_unlock(&xs.lock);
    return rc;
}

/*
 * Reads and writes sent together (xenstored answers them in order), so a
 * handshake's dozen keys cost one round trip instead of a dozen. Requests
 * go out while those not yet answered hold at most half the ring; each
 * reply is matched to its request by id. Each op's rc is set as
 * xs_read's or xs_write's would be; after a failure of the connection
 * (broken, resynchronised, timed out) the ops still unanswered get that
 * error. Returns 0 if every op succeeded, else the first op's error.
 */
int xs_batch(uint32_t tx, struct xs_op *ops, unsigned n)
{
    bool threads = sched_started();
    if (threads)
        kmutex_lock(&xs.lock);
    uint64_t deadline = time_monotonic_ns() + XS_TIMEOUT_NS;
    uint32_t ids[XS_BATCH_MAX];
    bool pending[XS_BATCH_MAX];
    size_t bytes[XS_BATCH_MAX], inflight = 0;
    unsigned sent = 0, open = 0, resyncs = xs.resyncs;
    uint32_t last_id = 0;
    int fail = n > XS_BATCH_MAX ? -EINVAL : xs_ready() ? 0 : -EIO;

    for (unsigned i = 0; i < n && i < XS_BATCH_MAX; i++)
        pending[i] = false;
    while (fail == 0 && (sent < n || open > 0)) {
        /* Send what fits; then take one reply. */
        for (; sent < n; sent++) {
            struct xs_op *op = &ops[sent];
            bool w = op->value != NULL;
            const char *parts[] = { op->path, op->value };
            const bool nul[] = { true, false };
            bytes[sent] = sizeof(struct xsd_sockmsg) + strlen(op->path) + 1 +
                          (w ? strlen(op->value) : 0);
            if (open > 0 && inflight + bytes[sent] > XENSTORE_RING_SIZE / 2)
                break;
            int rc = send_request(w ? XS_WRITE : XS_READ, tx, parts, nul, w ? 2 : 1, &ids[sent],
                                  deadline);
            if (rc == -E2BIG) {
                op->rc = rc;            /* not sent */
                continue;
            }
            if (rc != 0) {
                fail = rc;
                break;
            }
            pending[sent] = true;
            last_id = ids[sent];
            open++;
            inflight += bytes[sent];
        }
        if (fail != 0 || open == 0)
            continue;
        /* The ids sent are consecutive: the oldest pending one and on. */
        unsigned first = 0;
        while (!pending[first])
            first++;
        int rc = wait_reply(ids[first], last_id - ids[first] + 1, deadline);
        if (rc != 0) {
            fail = rc;
            break;
        }
        uint32_t id = xs.rd.msg.hdr.req_id;
        unsigned k = first;
        while (k < sent && !(pending[k] && ids[k] == id))
            k++;
        if (k == sent) {                /* a second reply to an answered request */
            stray_reply(id);
            continue;
        }
        struct xs_op *op = &ops[k];
        bool w = op->value != NULL;
        int r = take_reply(w ? XS_WRITE : XS_READ, w ? NULL : op->buf, w ? 0 : op->len);
        op->rc = w && r > 0 ? 0 : r;
        pending[k] = false;
        open--;
        inflight -= bytes[k];
        if (!xs_ready() || xs.resyncs != resyncs)
            fail = -EIO;                /* the replies still due are gone */
    }
    int first_error = 0;
    for (unsigned i = 0; i < n; i++) {
        if (i >= XS_BATCH_MAX || i >= sent || pending[i])
            ops[i].rc = fail;
        if (first_error == 0 && ops[i].rc < 0)
            first_error = ops[i].rc;
    }
    if (threads)
        kmutex_unlock(&xs.lock);
    return first_error;
}

int xs_read(uint32_t tx, const char *path, char *buf, size_t len)
{
    const char *parts[] = { path };
    const bool nul[] = { true };
    return request(XS_READ, tx, parts, nul, 1, buf, len);
}

int xs_write(uint32_t tx, const char *path, const char *value)
{
    const char *parts[] = { path, value };
    const bool nul[] = { true, false };
    int rc = request(XS_WRITE, tx, parts, nul, 2, NULL, 0);
    return rc < 0 ? rc : 0;
}

int xs_mkdir(uint32_t tx, const char *path)
{
    const char *parts[] = { path };
    const bool nul[] = { true };
    int rc = request(XS_MKDIR, tx, parts, nul, 1, NULL, 0);
    return rc < 0 ? rc : 0;
}

int xs_rm(uint32_t tx, const char *path)
{
    const char *parts[] = { path };
    const bool nul[] = { true };
    int rc = request(XS_RM, tx, parts, nul, 1, NULL, 0);
    return rc < 0 ? rc : 0;
}

/* The entries under (path), NUL-separated in (buf): their number, or -errno. */
/*
 * Send an XS_DIRECTORY of (path) now and return at once; the reply is
 * kept when it comes (xenstored answers in order, so whichever request
 * reads next sees it first) and the next xs_directory() of the same path
 * takes it instead of asking again. Boot uses it for the configuration
 * subtree, so the round trip overlaps the rest of the platform's set-up.
 * Returns 0, or a negative errno (then xs_directory just asks).
 */
int xs_prefetch_directory(const char *path)
{
    bool threads = sched_started();
    size_t plen = strlen(path);
    if (plen >= sizeof(xs.pre.path) || xs.pre.sent)
        return -EINVAL;
    if (threads)
        kmutex_lock(&xs.lock);
    int rc = -EIO;
    if (xs_ready()) {
        struct xsd_sockmsg h = { .type = XS_DIRECTORY, .req_id = xs.next_id++, .tx_id = 0,
                                 .len = (uint32_t)plen + 1 };
        uint64_t deadline = time_monotonic_ns() + XS_TIMEOUT_NS;
        rc = send(&h, sizeof(h), deadline);
        if (rc == 0)
            rc = send(path, plen + 1, deadline);
        if (rc == -ETIMEDOUT)
            rc = broken("xenstored stopped reading requests");
        if (rc == 0) {
            memcpy(xs.pre.path, path, plen + 1);
            xs.pre.req_id = h.req_id;
            xs.pre.sent = true;
        }
    }
    if (threads)
        kmutex_unlock(&xs.lock);
    return rc;
}

/* The prefetched reply for (path): its length or errno; -EAGAIN if none. */
static int take_prefetched(const char *path, char *buf, size_t len)
{
    if (!xs.pre.sent || strcmp(path, xs.pre.path) != 0)
        return -EAGAIN;
    uint64_t deadline = time_monotonic_ns() + XS_TIMEOUT_NS;
    while (!xs.pre.done) {
        unsigned long seen = xs.kicks;
        int r = pump();
        if (r < 0)              /* resynchronised: ask again; or broken */
            return xs.broken ? r : -EAGAIN;
        if (r == 1) {
            if (!keep_prefetched())
                stray_reply(xs.rd.msg.hdr.req_id);
            continue;
        }
        if (r == 2) {
            yield_cpu();
        } else if (wait_kick(seen, deadline) != 0) {
            log_err("xenstore: no reply to request %u within 10 s", xs.pre.req_id);
            xs.pre.sent = false;
            return -ETIMEDOUT;
        }
        if (time_monotonic_ns() >= deadline) {
            log_err("xenstore: no reply to request %u within 10 s (other messages kept coming)",
                    xs.pre.req_id);
            xs.pre.sent = false;
            return -ETIMEDOUT;
        }
    }
    xs.pre.sent = xs.pre.done = false;      /* taken once */
    int rc = xs.pre.rc;
    if (rc >= 0) {
        if ((size_t)rc >= len)
            return -E2BIG;
        memcpy(buf, xs.pre.body, (size_t)rc + 1);
    }
    return rc;
}

int xs_directory(uint32_t tx, const char *path, char *buf, size_t len)
{
    const char *parts[] = { path };
    const bool nul[] = { true };
    int n = -EAGAIN;
    if (tx == XBT_NIL) {
        bool threads = sched_started();
        if (threads)
            kmutex_lock(&xs.lock);
        n = take_prefetched(path, buf, len);
        if (threads)
            kmutex_unlock(&xs.lock);
    }
    if (n == -EAGAIN)
        n = request(XS_DIRECTORY, tx, parts, nul, 1, buf, len);
    if (n <= 0)
        return n;
    if (buf[n - 1] != '\0')
        return broken("directory reply not NUL-terminated");
    int count = 0;
    for (int i = 0; i < n; i++)
        count += buf[i] == '\0';
    return count;
}

int xs_transaction_start(uint32_t *tx)
{
    char id[16];
    const char *parts[] = { "" };
    const bool nul[] = { true };
    int rc = request(XS_TRANSACTION_START, 0, parts, nul, 1, id, sizeof(id));
    if (rc < 0)
        return rc;
    char *end;
    unsigned long v = strtoul(id, &end, 10);
    if (end == id || *end != '\0' || v == 0 || v > UINT32_MAX)
        return broken("bad transaction id");
    *tx = (uint32_t)v;
    return 0;
}

/* Commit (or abort) (tx): -EAGAIN if it conflicted and must be retried. */
int xs_transaction_end(uint32_t tx, bool commit)
{
    const char *parts[] = { commit ? "T" : "F" };
    const bool nul[] = { true };
    int rc = request(XS_TRANSACTION_END, tx, parts, nul, 1, NULL, 0);
    return rc < 0 ? rc : 0;
}

/*
 * Run (fn) inside a transaction and commit it, starting over while the
 * commit conflicts (-EAGAIN), at most (attempts) times. (fn) returns 0 to
 * commit or a negative errno to abort with that error.
 */
int xs_transact(int (*fn)(uint32_t tx, void *arg), void *arg, int attempts)
{
    for (int i = 0; i < attempts; i++) {
        uint32_t tx;
        int rc = xs_transaction_start(&tx);
        if (rc != 0)
            return rc;
        rc = fn(tx, arg);
        if (rc != 0) {
            xs_transaction_end(tx, false);
            return rc;
        }
        rc = xs_transaction_end(tx, true);
        if (rc != -EAGAIN)
            return rc;
        log_debug("xenstore: transaction conflicted; retrying");
    }
    return -EAGAIN;
}

int xs_watch(const char *path, const char *token)
{
    const char *parts[] = { path, token };
    const bool nul[] = { true, true };
    int rc = request(XS_WATCH, 0, parts, nul, 2, NULL, 0);
    if (rc < 0)
        return rc;
    if (xs.nwatches < XS_MAX_WATCHES) {
        struct xs_event *w = &xs.watches[xs.nwatches++];
        ksnprintf(w->path, sizeof(w->path), "%s", path);
        ksnprintf(w->token, sizeof(w->token), "%s", token);
    }
    return 0;
}

int xs_unwatch(const char *path, const char *token)
{
    const char *parts[] = { path, token };
    const bool nul[] = { true, true };
    for (unsigned i = 0; i < xs.nwatches; i++) {
        if (strcmp(xs.watches[i].path, path) == 0 && strcmp(xs.watches[i].token, token) == 0) {
            xs.watches[i] = xs.watches[--xs.nwatches];
            break;
        }
    }
    int rc = request(XS_UNWATCH, 0, parts, nul, 2, NULL, 0);
    return rc < 0 ? rc : 0;
}

/* Take the oldest queued event with (token): true if there was one. */
static bool take_event(const char *token, struct xs_event *ev)
{
    for (unsigned i = 0; i < xs.ev_count; i++) {
        struct xs_event *e = &xs.events[(xs.ev_head + i) % XS_MAX_EVENTS];
        if (strcmp(e->token, token) != 0)
            continue;
        *ev = *e;
        /* Close the gap, keeping the others in order. */
        for (unsigned j = i; j + 1 < xs.ev_count; j++)
            xs.events[(xs.ev_head + j) % XS_MAX_EVENTS] =
                xs.events[(xs.ev_head + j + 1) % XS_MAX_EVENTS];
        xs.ev_count--;
        return true;
    }
    return false;
}

/*
 * The next event of the watch with (token), waiting until (deadline)
 * (monotonic ns; 0: do not wait). Events of other watches stay queued for
 * their owners. 0 with (*ev) filled in, -EAGAIN if none came, or -errno.
 */
int xs_next_event(const char *token, struct xs_event *ev, uint64_t deadline)
{
    bool threads = sched_started();
    for (;;) {
        if (threads)
            kmutex_lock(&xs.lock);
        if (take_event(token, ev)) {
            if (threads)
                kmutex_unlock(&xs.lock);
            return 0;
        }
        unsigned long seen = xs.kicks;
        int r = xs_ready() ? pump() : -EIO;
        if (r == 1)             /* no request is in flight: nobody waits for it */
            stray_reply(xs.rd.msg.hdr.req_id);
        bool got = take_event(token, ev);
        if (threads)
            kmutex_unlock(&xs.lock);
        if (got)
            return 0;
        if (r < 0)
            return r;
        if (r == 1 || r == 2) {
            /* More messages may follow at once: let others run first,
             * and stop at the deadline even if they never end. */
            if (deadline == 0 || time_monotonic_ns() >= deadline)
                return -EAGAIN;
            yield_cpu();
            continue;
        }
        if (xs.kicks != seen)
            continue;
        if (deadline == 0 || time_wait_change(&xs.kicks, seen, deadline) != 0)
            return -EAGAIN;
    }
}

/*
 * Suspend: hold the connection (no request in flight, none starts) until
 * xs_resume(). After a restore the ring page is the same but the event
 * channel may not be, and the new xenstored knows none of our watches:
 * they are registered again (each then fires once, so every owner looks
 * again at what it watches).
 */
void xs_suspend(void)
{
    if (sched_started())
        kmutex_lock(&xs.lock);
}

void xs_resume(bool cancelled)
{
    if (!cancelled && xs.ring != NULL) {
        void *ring;
        evtchn_port_t port;
        if (xen_mode->store(&ring, &port) != 0 || evtchn_bind(port, xs_event, NULL) != 0) {
            broken("no Xenstore event channel after the restore");
        } else {
            xs.port = port;
            xs_reader_reset(&xs.rd);
            xs.pre.sent = xs.pre.done = false;
            for (unsigned i = 0; i < xs.nwatches; i++) {
                const char *parts[] = { xs.watches[i].path, xs.watches[i].token };
                const bool nul[] = { true, true };
                int rc = request_locked(XS_WATCH, 0, parts, nul, 2, NULL, 0);
                if (rc < 0)
                    log_err("xenstore: cannot watch %s again after the restore (error %d)",
                            xs.watches[i].path, rc);
            }
        }
    }
    if (sched_started())
        kmutex_unlock(&xs.lock);
}

int xs_init(void)
{
    void *ring;
    evtchn_port_t port;

    if (xen_mode->store(&ring, &port) != 0)
        return -1;
    xs.ring = ring;
    xs.port = port;
    xs.next_id = 1;
    if (evtchn_bind(xs.port, xs_event, NULL) != 0)
        return -1;
    log_debug("xenstore: ring page %p, event channel %u", ring, xs.port);
    return 0;
}
