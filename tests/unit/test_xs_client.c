/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Xenstore client (xen/xs.c) on the host, over a fake platform layer:
 * the Xen mode (where the ring is), event channel, time and lock functions it calls are
 * replaced below, and a small fake xenstored on the other end of the ring
 * answers requests from an in-memory tree. The fake can deliver replies a
 * byte at a time, across the ring's edge and the index wrap, inject
 * conflicts, stay silent, or send hostile replies.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "test.h"

#include "../../xen/xs.c"       /* the client under test */

/* ---- the fake platform layer ---- */

#define RING_ADDR 0x40000000UL  /* a low page, like a ring in guest RAM */
#define STORE_PORT 7

static struct xenstore_domain_interface *ring;
static evtchn_handler_fn handler;
static uint64_t fake_now;
static char last_log[512];
static unsigned notifies;

static void server_step(void);

static int fake_store(void **r, evtchn_port_t *port)
{
    *r = ring;
    *port = STORE_PORT;
    return 0;
}

static const struct xen_mode fake_mode = { .name = "fake", .store = fake_store };
const struct xen_mode *xen_mode = &fake_mode;

int evtchn_bind(evtchn_port_t port, evtchn_handler_fn fn, void *arg)
{
    (void)arg;
    if (port != STORE_PORT)
        return -EINVAL;
    handler = fn;
    return 0;
}

int evtchn_notify(evtchn_port_t port)
{
    if (port == STORE_PORT) {
        notifies++;
        server_step();
    }
    return 0;
}

/* The client blocks here: let the fake xenstored run, then see. */
int time_wait_change(volatile unsigned long *counter, unsigned long seen,
                     uint64_t deadline_ns)
{
    server_step();
    if (*counter != seen)
        return 0;
    fake_now = deadline_ns;     /* nothing came: the wait ran out */
    return -ETIMEDOUT;
}

uint64_t time_monotonic_ns(void)
{
    return fake_now;
}

bool sched_started(void)
{
    return false;
}

void sched_wake_event_waiters(void)
{
}

void kmutex_lock(struct kmutex *m)
{
    (void)m;
}

int kmutex_unlock(struct kmutex *m)
{
    (void)m;
    return 0;
}

void klog(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    (void)level;
    va_start(ap, fmt);
    vsnprintf(last_log, sizeof(last_log), fmt, ap);
    va_end(ap);
}

/* ---- the fake xenstored ---- */

#define MAX_NODES 64

static struct {
    struct { char path[128], value[128]; } nodes[MAX_NODES];
    struct { char path[128], token[64]; } watches[8];
    unsigned nwatches;
    char in[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    size_t in_len;
    char out[65536];
    size_t out_len;
    size_t chunk;               /* at most this many bytes per step; 0: all */
    int conflicts;              /* transaction ends to fail with EAGAIN */
    bool silent;                /* read requests, never answer */
    /* The next reply is replaced by these bytes (a hostile reply). */
    char inject[4096];
    size_t inject_len;
    bool inject_pending;
    bool inject_id;             /* patch the request's id into the header */
} srv;

static void out_bytes(const void *p, size_t n)
{
    if (srv.out_len + n <= sizeof(srv.out)) {
        memcpy(srv.out + srv.out_len, p, n);
        srv.out_len += n;
    }
}

static void out_msg(uint32_t type, uint32_t id, const void *body, size_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = id, .tx_id = 0, .len = (uint32_t)len };
    out_bytes(&h, sizeof(h));
    out_bytes(body, len);
}

static void out_ok(uint32_t type, uint32_t id)
{
    out_msg(type, id, "OK", 3);
}

static void out_error(uint32_t id, const char *e)
{
    out_msg(XS_ERROR, id, e, strlen(e) + 1);
}

static int node_find(const char *path)
{
    for (int i = 0; i < MAX_NODES; i++)
        if (srv.nodes[i].path[0] != '\0' && strcmp(srv.nodes[i].path, path) == 0)
            return i;
    return -1;
}

static void fire_watches(const char *path)
{
    for (unsigned i = 0; i < srv.nwatches; i++) {
        size_t l = strlen(srv.watches[i].path);
        if (strncmp(path, srv.watches[i].path, l) == 0 && (path[l] == '\0' || path[l] == '/')) {
            char body[256];
            size_t pl = strlen(path) + 1, tl = strlen(srv.watches[i].token) + 1;
            memcpy(body, path, pl);
            memcpy(body + pl, srv.watches[i].token, tl);
            out_msg(XS_WATCH_EVENT, 0, body, pl + tl);
        }
    }
}

static void node_set(const char *path, const char *value, size_t vlen)
{
    int i = node_find(path);
    for (int j = 0; i < 0 && j < MAX_NODES; j++)
        if (srv.nodes[j].path[0] == '\0')
            i = j;
    if (i < 0)
        return;
    snprintf(srv.nodes[i].path, sizeof(srv.nodes[i].path), "%.127s", path);
    snprintf(srv.nodes[i].value, sizeof(srv.nodes[i].value), "%.*s", (int)vlen, value);
    fire_watches(path);
}

static void handle(const struct xsd_sockmsg *h, const char *body)
{
    uint32_t id = h->req_id;

    if (srv.silent)
        return;
    if (srv.inject_pending) {
        srv.inject_pending = false;
        if (srv.inject_id)
            memcpy(srv.inject + offsetof(struct xsd_sockmsg, req_id), &id, sizeof(id));
        out_bytes(srv.inject, srv.inject_len);
        return;
    }
    switch (h->type) {
    case XS_READ: {
        int i = node_find(body);
        if (i < 0)
            out_error(id, "ENOENT");
        else    /* xenstored's read reply has no NUL: the client adds it */
            out_msg(XS_READ, id, srv.nodes[i].value, strlen(srv.nodes[i].value));
        break;
    }
    case XS_WRITE: {
        size_t pl = strlen(body) + 1;
        node_set(body, body + pl, h->len - pl);
        out_ok(XS_WRITE, id);
        break;
    }
    case XS_MKDIR:
        if (node_find(body) < 0)
            node_set(body, "", 0);
        out_ok(XS_MKDIR, id);
        break;
    case XS_RM: {
        size_t l = strlen(body);
        for (int i = 0; i < MAX_NODES; i++)
            if (strncmp(srv.nodes[i].path, body, l) == 0 &&
                (srv.nodes[i].path[l] == '\0' || srv.nodes[i].path[l] == '/'))
                srv.nodes[i].path[0] = '\0';
        out_ok(XS_RM, id);
        break;
    }
    case XS_DIRECTORY: {
        char list[1024];
        size_t n = 0, l = strlen(body);
        for (int i = 0; i < MAX_NODES; i++) {
            const char *p = srv.nodes[i].path;
            if (strncmp(p, body, l) == 0 && p[l] == '/' && strchr(p + l + 1, '/') == NULL) {
                size_t el = strlen(p + l + 1) + 1;
                memcpy(list + n, p + l + 1, el);
                n += el;
            }
        }
        out_msg(XS_DIRECTORY, id, list, n);
        break;
    }
    case XS_TRANSACTION_START:
        out_msg(XS_TRANSACTION_START, id, "17", 3);
        break;
    case XS_TRANSACTION_END:
        if (srv.conflicts > 0 && strcmp(body, "T") == 0) {
            srv.conflicts--;
            out_error(id, "EAGAIN");
        } else {
            out_ok(XS_TRANSACTION_END, id);
        }
        break;
    case XS_WATCH: {
        size_t pl = strlen(body) + 1;
        if (srv.nwatches < 8) {
            snprintf(srv.watches[srv.nwatches].path, 128, "%.127s", body);
            snprintf(srv.watches[srv.nwatches].token, 64, "%.63s", body + pl);
            srv.nwatches++;
        }
        out_ok(XS_WATCH, id);
        fire_watches(body);     /* xenstored fires a new watch once */
        break;
    }
    default:
        out_error(id, "EINVAL");
    }
}

/* Take requests from the ring, answer them, put (part of) the answers out. */
static void server_step(void)
{
    while (ring->req_cons != ring->req_prod && srv.in_len < sizeof(srv.in)) {
        srv.in[srv.in_len++] = ring->req[MASK_XENSTORE_IDX(ring->req_cons)];
        ring->req_cons++;
        struct xsd_sockmsg h;
        if (srv.in_len >= sizeof(h)) {
            memcpy(&h, srv.in, sizeof(h));
            if (srv.in_len == sizeof(h) + h.len) {
                char body[XENSTORE_PAYLOAD_MAX + 1];
                memcpy(body, srv.in + sizeof(h), h.len);
                body[h.len] = '\0';
                srv.in_len = 0;
                handle(&h, body);
            }
        }
    }
    size_t n = srv.out_len;
    if (srv.chunk != 0 && n > srv.chunk)
        n = srv.chunk;
    size_t space = XENSTORE_RING_SIZE - (ring->rsp_prod - ring->rsp_cons);
    if (n > space)
        n = space;
    for (size_t i = 0; i < n; i++)
        ring->rsp[MASK_XENSTORE_IDX(ring->rsp_prod + i)] = srv.out[i];
    ring->rsp_prod += (XENSTORE_RING_IDX)n;
    memmove(srv.out, srv.out + n, srv.out_len - n);
    srv.out_len -= n;
    if (n > 0 && handler != NULL)
        handler(STORE_PORT, NULL);
}

/* A fresh client and xenstored; ring indexes start at (start). */
static void setup(XENSTORE_RING_IDX start, size_t chunk)
{
    memset(&xs, 0, sizeof(xs));
    memset(&srv, 0, sizeof(srv));
    memset(ring, 0, sizeof(*ring));
    ring->req_prod = ring->req_cons = ring->rsp_prod = ring->rsp_cons = start;
    srv.chunk = chunk;
    handler = NULL;
    fake_now = 1000;
    CHECK(xs_init() == 0);
}

/* ---- tests ---- */

static void basic_ops(XENSTORE_RING_IDX start, size_t chunk)
{
    char buf[64];

    setup(start, chunk);
    CHECK(xs_write(XBT_NIL, "data/a", "hello") == 0);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == 5);
    CHECK_STR(buf, "hello");
    CHECK(xs_mkdir(XBT_NIL, "data/d") == 0);
    CHECK(xs_directory(XBT_NIL, "data", buf, sizeof(buf)) == 2);
    CHECK_STR(buf, "a");
    CHECK_STR(buf + 2, "d");
    CHECK(xs_rm(XBT_NIL, "data/a") == 0);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == -ENOENT);
    CHECK(xs_ready());
}

static void test_basic(void)
{
    basic_ops(0, 0);
}

/* Replies one byte at a time, and indexes about to wrap around 2^32. */
static void test_fragmented_and_wrapping(void)
{
    basic_ops(0xfffffff0u, 1);
    basic_ops(XENSTORE_RING_SIZE - 7, 3);
    /* Many requests: the request ring itself wraps several times. */
    setup(0xffffff00u, 5);
    char v[32], buf[32];
    for (int i = 0; i < 200; i++) {
        snprintf(v, sizeof(v), "value-%d", i);
        CHECK(xs_write(XBT_NIL, "data/x", v) == 0);
        CHECK(xs_read(XBT_NIL, "data/x", buf, sizeof(buf)) == (int)strlen(v));
        CHECK_STR(buf, v);
    }
}

static int tx_calls;

static int tx_body(uint32_t tx, void *arg)
{
    (void)arg;
    tx_calls++;
    return tx == 17 ? xs_write(tx, "data/t", "1") : -EINVAL;
}

static void test_transactions(void)
{
    setup(0, 0);
    srv.conflicts = 2;
    tx_calls = 0;
    CHECK(xs_transact(tx_body, NULL, 5) == 0);
    CHECK(tx_calls == 3);
    srv.conflicts = 100;
    tx_calls = 0;
    CHECK(xs_transact(tx_body, NULL, 3) == -EAGAIN);
    CHECK(tx_calls == 3);
}

/* The next event of (token), waiting a (fake) second for it. */
static int next_event(const char *token, struct xs_event *ev)
{
    return xs_next_event(token, ev, fake_now + 1000000000ULL);
}

static void test_watches(void)
{
    struct xs_event ev;

    setup(0, 2);
    CHECK(xs_watch("data/w", "tok") == 0);
    /* The event that registration fires. */
    CHECK(next_event("tok", &ev) == 0);
    CHECK_STR(ev.path, "data/w");
    CHECK(xs_next_event("tok", &ev, 0) == -EAGAIN);
    /* The same path twice while nobody looked: one event. */
    CHECK(xs_write(XBT_NIL, "data/w", "1") == 0);
    CHECK(xs_write(XBT_NIL, "data/w", "2") == 0);
    CHECK(xs_next_event("other", &ev, 0) == -EAGAIN);
    CHECK(next_event("tok", &ev) == 0);
    CHECK(xs_next_event("tok", &ev, 0) == -EAGAIN);

    /* A flood on one watch does not push out another's single event. */
    CHECK(xs_watch("control", "ctl") == 0);
    CHECK(next_event("ctl", &ev) == 0);
    CHECK(xs_watch("busy", "busy") == 0);
    CHECK(xs_write(XBT_NIL, "control/shutdown", "poweroff") == 0);
    char path[32];
    for (int i = 0; i < 3 * XS_MAX_EVENTS; i++) {
        snprintf(path, sizeof(path), "busy/%d", i);
        CHECK(xs_write(XBT_NIL, path, "x") == 0);
    }
    CHECK(xs.ev_dropped > 0);
    CHECK(next_event("ctl", &ev) == 0);
    CHECK_STR(ev.path, "control/shutdown");
    unsigned busy = 0;
    while (next_event("busy", &ev) == 0)
        busy++;
    CHECK(busy >= 1 && busy < XS_MAX_EVENTS);
}

/* A reply header for the next request, with its id patched in. */
static void inject_header(uint32_t type, uint32_t len, const void *body, size_t blen)
{
    struct xsd_sockmsg h = { .type = type, .req_id = 0, .tx_id = 0, .len = len };
    memcpy(srv.inject, &h, sizeof(h));
    memcpy(srv.inject + sizeof(h), body, blen);
    srv.inject_len = sizeof(h) + blen;
    srv.inject_pending = true;
    srv.inject_id = true;
}

static void test_hostile_replies(void)
{
    char buf[64];
    struct xs_event ev;

    /* A reply for a request nobody made is ignored. */
    setup(0, 0);
    struct xsd_sockmsg stray = { .type = XS_READ, .req_id = 999, .len = 1 };
    out_bytes(&stray, sizeof(stray));
    out_bytes("z", 1);
    CHECK(xs_write(XBT_NIL, "data/a", "v") == 0);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == 1);

    /* A reply of the wrong type fails its request and resynchronises:
     * the connection keeps working, and every watch fires once. */
    setup(0, 0);
    CHECK(xs_watch("data", "w") == 0);
    while (next_event("w", &ev) == 0)
        ;
    inject_header(XS_DIRECTORY, 3, "OK", 3);
    CHECK(xs_write(XBT_NIL, "data/a", "v") == -EIO);
    CHECK(xs_ready());
    CHECK(strstr(last_log, "wrong type") != NULL && strstr(last_log, "resynchronised") != NULL);
    CHECK(next_event("w", &ev) == 0);
    CHECK_STR(ev.path, "data");
    CHECK(xs_write(XBT_NIL, "data/a", "v") == 0);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == 1);
    /* After XS_RESYNC_MAX of them, the connection is broken for good. */
    for (int i = 1; i < XS_RESYNC_MAX; i++) {
        inject_header(XS_DIRECTORY, 3, "OK", 3);
        CHECK(xs_write(XBT_NIL, "data/a", "v") == -EIO);
        CHECK(xs_ready());
    }
    inject_header(XS_DIRECTORY, 3, "OK", 3);
    CHECK(xs_write(XBT_NIL, "data/a", "v") == -EIO);
    CHECK(!xs_ready());
    CHECK(strstr(last_log, "marked broken") != NULL);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == -EIO);

    /* A header announcing more than a payload can hold: resynchronised. */
    setup(0, 0);
    inject_header(XS_READ, XENSTORE_PAYLOAD_MAX + 1, "", 0);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == -EIO);
    CHECK(xs_ready());
    CHECK(xs_write(XBT_NIL, "data/a", "v") == 0);

    /* A producer index beyond what the ring can hold: the same. */
    setup(0, 0);
    ring->rsp_prod = ring->rsp_cons + XENSTORE_RING_SIZE + 1;
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == -EIO);
    CHECK(xs_ready());
    CHECK(xs_write(XBT_NIL, "data/a", "v") == 0);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == 1);

    /* A reply bigger than the caller's buffer. */
    setup(0, 0);
    CHECK(xs_write(XBT_NIL, "data/big", "0123456789abcdef") == 0);
    CHECK(xs_read(XBT_NIL, "data/big", buf, 8) == -E2BIG);
    CHECK(xs_ready());

    /* A transaction id that is not a number. */
    setup(0, 0);
    inject_header(XS_TRANSACTION_START, 4, "abc", 4);
    uint32_t tx;
    CHECK(xs_transaction_start(&tx) == -EIO);

    /* A directory listing without its final NUL. */
    setup(0, 0);
    inject_header(XS_DIRECTORY, 3, "abc", 3);
    CHECK(xs_directory(XBT_NIL, "data", buf, sizeof(buf)) == -EIO);

    /* An error xenstored names in a way we do not know. */
    setup(0, 0);
    inject_header(XS_ERROR, 6, "EWHAT", 6);
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == -EIO);
    CHECK(xs_ready());          /* an error reply, not a broken ring */

    /* A watch event without a token is dropped; the client goes on. */
    setup(0, 0);
    struct xsd_sockmsg bad = { .type = XS_WATCH_EVENT, .req_id = 0, .len = 4 };
    out_bytes(&bad, sizeof(bad));
    out_bytes("path", 4);
    CHECK(xs_write(XBT_NIL, "data/a", "v") == 0);
    CHECK(strstr(last_log, "malformed watch event") != NULL);
    CHECK(xs_next_event("", &ev, 0) == -EAGAIN);
    CHECK(xs_ready());

    /* xenstored never answers: the request times out. */
    setup(0, 0);
    srv.silent = true;
    CHECK(xs_read(XBT_NIL, "data/a", buf, sizeof(buf)) == -ETIMEDOUT);
    CHECK(strstr(last_log, "no reply") != NULL);

    /* xenstored stops reading requests: the connection is broken, since
     * part of a request may be left in the ring. */
    setup(0, 0);
    ring->req_prod = ring->req_cons + XENSTORE_RING_SIZE;   /* full */
    srv.in_len = sizeof(srv.in);    /* the fake takes nothing more */
    CHECK(xs_write(XBT_NIL, "data/a", "v") == -EIO);
    CHECK(!xs_ready());
}

/* A directory asked ahead: its reply, kept while other requests run, is
 * what the next xs_directory of that path returns, once. */
static void test_prefetch(void)
{
    char buf[64];
    setup(0, 0);
    CHECK(xs_mkdir(XBT_NIL, "data/p") == 0);
    CHECK(xs_write(XBT_NIL, "data/p/x", "1") == 0);
    last_log[0] = '\0';
    CHECK(xs_prefetch_directory("data/p") == 0);
    CHECK(xs_prefetch_directory("data/p") == -EINVAL);     /* one at a time */
    CHECK(xs_write(XBT_NIL, "data/p/y", "2") == 0);         /* after the listing */
    CHECK(xs_read(XBT_NIL, "data/p/y", buf, sizeof(buf)) == 1);
    CHECK(xs_directory(XBT_NIL, "data", buf, sizeof(buf)) == 1);    /* another path: asked */
    CHECK_STR(buf, "p");
    CHECK(xs_directory(XBT_NIL, "data/p", buf, sizeof(buf)) == 1);  /* the kept listing */
    CHECK_STR(buf, "x");
    CHECK(xs_directory(XBT_NIL, "data/p", buf, sizeof(buf)) == 2);  /* asked afresh */
    CHECK(strstr(last_log, "unknown request") == NULL);    /* not taken for a stray */

    /* The replies come a byte at a time. */
    setup(0, 1);
    CHECK(xs_write(XBT_NIL, "data/r/x", "1") == 0);
    CHECK(xs_prefetch_directory("data/r") == 0);
    CHECK(xs_write(XBT_NIL, "data/r/y", "2") == 0);
    CHECK(xs_directory(XBT_NIL, "data/r", buf, sizeof(buf)) == 1);
    CHECK_STR(buf, "x");

    /* Nothing else ran: xs_directory waits for the kept reply itself. */
    setup(0, 0);
    CHECK(xs_write(XBT_NIL, "data/q", "1") == 0);
    CHECK(xs_prefetch_directory("data") == 0);
    CHECK(xs_directory(XBT_NIL, "data", buf, sizeof(buf)) == 1);
    CHECK_STR(buf, "q");

    /* Too long for the caller's buffer. */
    setup(0, 0);
    CHECK(xs_write(XBT_NIL, "data/a-rather-long-name-of-a-node", "1") == 0);
    CHECK(xs_prefetch_directory("data") == 0);
    CHECK(xs_directory(XBT_NIL, "data", buf, 8) == -E2BIG);
}

/* Reads and writes sent together, answered in order, matched by id. */
static void test_batch(void)
{
    char a[32], b[32], c[32], big[XENSTORE_PAYLOAD_MAX + 8];
    static char vals[XS_BATCH_MAX][121];
    struct xs_op ops[XS_BATCH_MAX];
    static const size_t chunks[] = { 0, 1, 7 };

    for (size_t t = 0; t < sizeof(chunks) / sizeof(chunks[0]); t++) {
        setup(0xfffffff0u, chunks[t]);          /* ring indexes wrap, too */
        CHECK(xs_write(XBT_NIL, "data/b/old", "old value") == 0);
        unsigned before = notifies;
        struct xs_op mixed[] = {
            { .path = "data/b/x", .value = "1" },
            { .path = "data/b/x", .buf = a, .len = sizeof(a) },     /* after the write */
            { .path = "data/b/none", .buf = b, .len = sizeof(b) },
            { .path = "data/b/old", .buf = c, .len = sizeof(c) },
            { .path = "data/b/y", .value = "" },
        };
        CHECK(xs_batch(XBT_NIL, mixed, 5) == -ENOENT);  /* the first error */
        CHECK(mixed[0].rc == 0);
        CHECK(mixed[1].rc == 1 && strcmp(a, "1") == 0);
        CHECK(mixed[2].rc == -ENOENT);
        CHECK(mixed[3].rc == 9 && strcmp(c, "old value") == 0);
        CHECK(mixed[4].rc == 0);
        CHECK(xs_read(XBT_NIL, "data/b/y", a, sizeof(a)) == 0);
        CHECK(notifies > before);
        CHECK(strstr(last_log, "unknown request") == NULL);
    }

    /* More than half the ring at once: sent as replies free room. */
    setup(0, 0);
    for (int i = 0; i < XS_BATCH_MAX; i++) {
        memset(vals[i], 'a' + i, sizeof(vals[i]) - 1);
        vals[i][sizeof(vals[i]) - 1] = '\0';
        ops[i] = (struct xs_op){ .path = i % 2 ? "data/w/odd" : "data/w/even", .value = vals[i] };
    }
    CHECK(xs_batch(XBT_NIL, ops, XS_BATCH_MAX) == 0);
    CHECK(xs_read(XBT_NIL, "data/w/odd", big, sizeof(big)) == 120 && big[0] == 'a' + XS_BATCH_MAX - 1);

    /* One op too long: refused alone, the others done. */
    setup(0, 0);
    memset(big, 'v', XENSTORE_PAYLOAD_MAX + 1);
    big[XENSTORE_PAYLOAD_MAX + 1] = '\0';
    struct xs_op toolong[] = {
        { .path = "data/t/a", .value = "1" },
        { .path = "data/t/b", .value = big },
        { .path = "data/t/c", .value = "3" },
    };
    CHECK(xs_batch(XBT_NIL, toolong, 3) == -E2BIG);
    CHECK(toolong[0].rc == 0 && toolong[1].rc == -E2BIG && toolong[2].rc == 0);
    CHECK(xs_read(XBT_NIL, "data/t/c", a, sizeof(a)) == 1);

    /* A value too long for the caller's buffer. */
    setup(0, 0);
    CHECK(xs_write(XBT_NIL, "data/l", "a longer value than fits") == 0);
    struct xs_op small[] = { { .path = "data/l", .buf = a, .len = 4 } };
    CHECK(xs_batch(XBT_NIL, small, 1) == -E2BIG && small[0].rc == -E2BIG);

    /* Too many ops at once. */
    struct xs_op many[XS_BATCH_MAX + 1];
    for (int i = 0; i <= XS_BATCH_MAX; i++)
        many[i] = (struct xs_op){ .path = "data/m", .value = "1" };
    CHECK(xs_batch(XBT_NIL, many, XS_BATCH_MAX + 1) == -EINVAL && many[XS_BATCH_MAX].rc == -EINVAL);

    /* Inside a transaction. */
    setup(0, 0);
    uint32_t tx;
    CHECK(xs_transaction_start(&tx) == 0);
    struct xs_op intx[] = { { .path = "data/x/a", .value = "1" }, { .path = "data/x/b", .value = "2" } };
    CHECK(xs_batch(tx, intx, 2) == 0);
    CHECK(xs_transaction_end(tx, true) == 0);

    /* A reply of the wrong type: resynchronised, every op fails with
     * -EIO, and the connection works afterwards. */
    setup(0, 0);
    inject_header(XS_DIRECTORY, 3, "OK", 3);
    struct xs_op bad[] = { { .path = "data/r/a", .value = "1" }, { .path = "data/r/b", .value = "2" },
                           { .path = "data/r/a", .buf = a, .len = sizeof(a) } };
    CHECK(xs_batch(XBT_NIL, bad, 3) == -EIO);
    CHECK(bad[0].rc == -EIO && bad[1].rc == -EIO && bad[2].rc == -EIO);
    CHECK(strstr(last_log, "resynchronised") != NULL);
    CHECK(xs_ready());
    CHECK(xs_write(XBT_NIL, "data/r/c", "3") == 0);

    /* xenstored says nothing: every op times out. */
    setup(0, 0);
    srv.silent = true;
    struct xs_op quiet[] = { { .path = "data/s/a", .value = "1" }, { .path = "data/s/a", .buf = a, .len = sizeof(a) } };
    CHECK(xs_batch(XBT_NIL, quiet, 2) == -ETIMEDOUT);
    CHECK(quiet[0].rc == -ETIMEDOUT && quiet[1].rc == -ETIMEDOUT);
}

int main(void)
{
    ring = mmap((void *)RING_ADDR, PAGE_SIZE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (ring != (void *)RING_ADDR) {
        printf("FAIL setup: cannot map the fake ring page at %#lx\n", RING_ADDR);
        return 1;
    }
    RUN(test_basic);
    RUN(test_fragmented_and_wrapping);
    RUN(test_transactions);
    RUN(test_watches);
    RUN(test_hostile_replies);
    RUN(test_prefetch);
    RUN(test_batch);
    return tests_failed != 0;
}
