/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: what xenstored writes into the reply ring
 * (xen/xs_ring.c). The input sets the ring's starting indexes and then
 * delivers chunks of reply bytes, each chunk followed by a read; this
 * exercises partial reads, the ring's edge and hostile indexes. Every
 * message handed out must fit the payload limit and be NUL-terminated.
 */
#include <stdint.h>
#include <string.h>

#include "../../xen/xs_ring.h"

static struct xenstore_domain_interface x;
static struct xs_reader rd;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    memset(&x, 0, sizeof(x));
    memcpy((void *)&x.rsp_cons, data, 4);       /* may be hostile */
    x.rsp_prod = x.rsp_cons;
    uint8_t skew = data[4];                      /* and so may the producer */
    data += 8;
    size -= 8;
    xs_reader_reset(&rd);
    while (size > 0) {
        size_t chunk = data[0] % 64 + 1;
        data++;
        size--;
        if (chunk > size)
            chunk = size;
        for (size_t i = 0; i < chunk; i++)
            x.rsp[MASK_XENSTORE_IDX(x.rsp_prod + i)] = (char)data[i];
        x.rsp_prod += (XENSTORE_RING_IDX)chunk;
        if (skew == 0xff)
            x.rsp_prod += XENSTORE_RING_SIZE;   /* impossible distance */
        data += chunk;
        size -= chunk;
        for (;;) {
            int r = xs_reader_feed(&rd, &x);
            if (r < 0)
                return 0;                       /* rejected: fine */
            if (r == 0)
                break;
            if (rd.msg.hdr.len > XENSTORE_PAYLOAD_MAX || rd.msg.body[rd.msg.hdr.len] != '\0')
                __builtin_trap();
            xs_reader_reset(&rd);
        }
    }
    return 0;
}
