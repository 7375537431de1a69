/* SPDX-License-Identifier: BSD-2-Clause */
/* xs_ring.c: the Xenstore ring transport and message framing. */
#ifndef XEN_XS_RING_H
#define XEN_XS_RING_H

#include <stddef.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

struct xs_reader {
    size_t have;                        /* bytes of msg received */
    struct {
        struct xsd_sockmsg hdr;
        char body[XENSTORE_PAYLOAD_MAX + 1];
    } msg;
};

long xs_ring_put(volatile struct xenstore_domain_interface *x, const void *data,
                 size_t len);
long xs_ring_get(volatile struct xenstore_domain_interface *x, void *buf, size_t len);
void xs_reader_reset(struct xs_reader *r);
int xs_reader_feed(struct xs_reader *r, volatile struct xenstore_domain_interface *x);
int xs_error_errno(const char *text);

#endif
