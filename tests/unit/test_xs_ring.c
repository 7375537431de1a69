/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Xenstore ring transport: writes and reads across the ring's edge,
 * replies assembled from pieces, bad indexes and oversized headers
 * rejected.
 */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "../../xen/xs_ring.h"

static struct xenstore_domain_interface x;
static struct xs_reader rd;

/* The backend's side: append (len) bytes to the reply ring. */
static void backend_reply(const void *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        x.rsp[MASK_XENSTORE_IDX(x.rsp_prod + i)] = ((const char *)p)[i];
    x.rsp_prod += (XENSTORE_RING_IDX)len;
}

static void test_put_wraps(void)
{
    memset(&x, 0, sizeof(x));
    x.req_prod = x.req_cons = XENSTORE_RING_SIZE - 3;  /* near the edge */
    CHECK(xs_ring_put(&x, "abcdef", 6) == 6);
    CHECK(x.req[XENSTORE_RING_SIZE - 3] == 'a' && x.req[2] == 'f');
    /* Full ring: only the free space is taken. */
    x.req_cons = x.req_prod - (XENSTORE_RING_SIZE - 2);
    CHECK(xs_ring_put(&x, "xyz", 3) == 2);
    CHECK(xs_ring_put(&x, "xyz", 3) == 0);
    /* The backend claims to have consumed more than was produced. */
    x.req_cons = x.req_prod + 5;
    CHECK(xs_ring_put(&x, "x", 1) == -EIO);
}

static void test_reply_in_pieces(void)
{
    memset(&x, 0, sizeof(x));
    x.rsp_prod = x.rsp_cons = XENSTORE_RING_SIZE - 7;  /* header straddles the edge */
    xs_reader_reset(&rd);
    struct xsd_sockmsg h = { XS_READ, 42, 0, 5 };
    backend_reply(&h, 10);                      /* part of the header */
    CHECK(xs_reader_feed(&rd, &x) == 0);
    backend_reply((char *)&h + 10, sizeof(h) - 10);
    backend_reply("he", 2);
    CHECK(xs_reader_feed(&rd, &x) == 0);
    backend_reply("llo", 3);
    CHECK(xs_reader_feed(&rd, &x) == 1);
    CHECK(rd.msg.hdr.req_id == 42 && rd.msg.hdr.len == 5);
    CHECK_STR(rd.msg.body, "hello");
}

static void test_bad_replies(void)
{
    memset(&x, 0, sizeof(x));
    xs_reader_reset(&rd);
    struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    backend_reply(&h, sizeof(h));
    CHECK(xs_reader_feed(&rd, &x) == -EIO);     /* oversized */

    memset(&x, 0, sizeof(x));
    xs_reader_reset(&rd);
    x.rsp_prod = XENSTORE_RING_SIZE + 1;        /* more than the ring holds */
    CHECK(xs_reader_feed(&rd, &x) == -EIO);
}

static void test_errors(void)
{
    CHECK(xs_error_errno("ENOENT") == ENOENT);
    CHECK(xs_error_errno("EAGAIN") == EAGAIN);
    CHECK(xs_error_errno("bogus") == EIO);
}

int main(void)
{
    RUN(test_put_wraps);
    RUN(test_reply_in_pieces);
    RUN(test_bad_replies);
    RUN(test_errors);
    TEST_EXIT();
}
