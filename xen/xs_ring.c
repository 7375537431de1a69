/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Xenstore ring transport and message framing (pure; host-tested in
 * tests/unit/test_xs_ring.c and fuzzed by tests/fuzz/fuzz_xs_ring.c).
 *
 * The ring indexes that xenstored writes (req_cons, rsp_prod) are
 * untrusted: they are read once per call and an impossible distance from
 * ours fails the call with -EIO. Replies are assembled across partial
 * reads (a message can straddle the ring's edge and arrive in pieces);
 * a header announcing more than XENSTORE_PAYLOAD_MAX bytes is rejected.
 */
#include <errno.h>
#include <string.h>

#include "xs_ring.h"

/* Queue up to (len) bytes of a request; bytes queued, or -EIO. */
long xs_ring_put(volatile struct xenstore_domain_interface *x, const void *data,
                 size_t len)
{
    XENSTORE_RING_IDX cons = x->req_cons, prod = x->req_prod;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* indexes before the data */
    XENSTORE_RING_IDX used = prod - cons;
    if (used > XENSTORE_RING_SIZE)
        return -EIO;
    size_t n = XENSTORE_RING_SIZE - used;
    if (n > len)
        n = len;
    for (size_t i = 0; i < n; i++)
        x->req[MASK_XENSTORE_IDX(prod + (XENSTORE_RING_IDX)i)] = ((const char *)data)[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* data before the index */
    x->req_prod = prod + (XENSTORE_RING_IDX)n;
    return (long)n;
}

/* Take up to (len) bytes of replies; bytes taken, or -EIO. */
long xs_ring_get(volatile struct xenstore_domain_interface *x, void *buf, size_t len)
{
    XENSTORE_RING_IDX cons = x->rsp_cons, prod = x->rsp_prod;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* see the data up to prod */
    XENSTORE_RING_IDX avail = prod - cons;
    if (avail > XENSTORE_RING_SIZE)
        return -EIO;
    size_t n = avail < len ? avail : len;
    for (size_t i = 0; i < n; i++)
        ((char *)buf)[i] = x->rsp[MASK_XENSTORE_IDX(cons + (XENSTORE_RING_IDX)i)];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* data read before freeing it */
    x->rsp_cons = cons + (XENSTORE_RING_IDX)n;
    return (long)n;
}

void xs_reader_reset(struct xs_reader *r)
{
    r->have = 0;
}

/*
 * Read from the ring into (r) until one whole message is there: 1 when
 * it is (header in r->msg.hdr, payload NUL-terminated in r->msg.body),
 * 0 when more bytes are needed, -EIO when the ring or the header is bad.
 * After a 1, call xs_reader_reset() before reading the next message.
 */
int xs_reader_feed(struct xs_reader *r, volatile struct xenstore_domain_interface *x)
{
    const size_t hdr = sizeof(struct xsd_sockmsg);

    if (r->have < hdr) {
        long n = xs_ring_get(x, (char *)&r->msg + r->have, hdr - r->have);
        if (n < 0)
            return -EIO;
        r->have += (size_t)n;
        if (r->have < hdr)
            return 0;
        if (r->msg.hdr.len > XENSTORE_PAYLOAD_MAX)
            return -EIO;
    }
    size_t want = hdr + r->msg.hdr.len;
    if (r->have < want) {
        long n = xs_ring_get(x, (char *)&r->msg + r->have, want - r->have);
        if (n < 0)
            return -EIO;
        r->have += (size_t)n;
        if (r->have < want)
            return 0;
    }
    r->msg.body[r->msg.hdr.len] = '\0';
    return 1;
}

/* The errno for an XS_ERROR reply's text ("ENOENT", ...); EIO if unknown. */
int xs_error_errno(const char *text)
{
    static const struct {
        int num;
        const char *name;
    } errs[] = {
        { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
        { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
        { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
        { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
        { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
        { EPERM, "EPERM" },
    };
    for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
        if (strcmp(text, errs[i].name) == 0)
            return errs[i].num;
    return EIO;
}
