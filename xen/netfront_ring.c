/* SPDX-License-Identifier: BSD-2-Clause */
/* Validation of netback's responses: see netfront_ring.h. */
#include "../kernel/kernel.h"
#include "netfront_ring.h"

int nf_check_prod(uint32_t prod, uint32_t cons, uint32_t posted, char *err, size_t errlen)
{
    if (prod - cons > posted) {
        ksnprintf(err, errlen,
                  "response producer %u is %u ahead of our consumer %u, but only %u requests "
                  "are outstanding", prod, prod - cons, cons, posted);
        return -1;
    }
    return 0;
}

static struct netif_rx_response rx_rsp(uint64_t raw)
{
    struct netif_rx_response r;
    __builtin_memcpy(&r, &raw, sizeof(r));
    return r;
}

static struct netif_extra_info rx_extra(uint64_t raw)
{
    struct netif_extra_info e;
    __builtin_memcpy(&e, &raw, sizeof(e));
    return e;
}

#define RX_KNOWN_FLAGS (NETRXF_data_validated | NETRXF_csum_blank | NETRXF_more_data | \
                        NETRXF_extra_info)

int nf_rx_parse(const uint64_t *raw, unsigned avail, uint32_t cons, unsigned ring_size,
                bool gso_ok, struct nf_rx_frame *f, char *err, size_t errlen)
{
    _Static_assert(sizeof(struct netif_rx_response) == 8, "rx response is 8 bytes");
    _Static_assert(sizeof(struct netif_extra_info) == 8, "extra info is 8 bytes");
    unsigned i = 0;
    unsigned ndata = 0;                 /* data slots, including failed ones */
    bool more = true, extras;

    __builtin_memset(f, 0, sizeof(*f));
    while (more) {
        if (i >= avail)
            return 0;                   /* the rest is not produced yet */
        struct netif_rx_response r = rx_rsp(raw[i]);
        unsigned want = (cons + i) & (ring_size - 1);
        if (r.id != want) {
            ksnprintf(err, errlen, "rx response at ring index %u has id %u, expected %u",
                      cons + i, r.id, want);
            return -1;
        }
        if (r.flags & ~RX_KNOWN_FLAGS) {
            ksnprintf(err, errlen, "rx response %u has unknown or unnegotiated flags %#x",
                      r.id, r.flags);
            return -1;
        }
        if (ndata > 0 && (r.flags & NETRXF_extra_info)) {
            ksnprintf(err, errlen, "rx response %u: extra info after the first slot", r.id);
            return -1;
        }
        if (ndata >= NF_MAX_SLOTS) {
            ksnprintf(err, errlen, "rx packet uses more than %u slots", NF_MAX_SLOTS);
            return -1;
        }
        if (r.status < 0) {
            f->error = true;            /* the backend failed this packet */
        } else if (r.offset >= NF_BUF_SIZE || (unsigned)r.status > NF_BUF_SIZE - (unsigned)r.offset ||
                   (r.status == 0 && ndata == 0)) {
            ksnprintf(err, errlen, "rx response %u: length %d at offset %u does not fit a page",
                      r.id, r.status, r.offset);
            return -1;
        } else {
            f->seg[f->nseg++] = (struct nf_rx_seg){ (uint16_t)i, r.offset, (uint16_t)r.status };
            f->len += (uint32_t)r.status;
        }
        if (ndata == 0)
            f->flags = r.flags;
        ndata++;
        more = r.flags & NETRXF_more_data;
        extras = r.flags & NETRXF_extra_info;
        i++;
        for (unsigned n = 0; extras; n++) {
            if (n >= NF_MAX_EXTRAS) {
                ksnprintf(err, errlen, "rx packet has more than %u extra-info slots",
                          NF_MAX_EXTRAS);
                return -1;
            }
            if (i >= avail)
                return 0;
            struct netif_extra_info e = rx_extra(raw[i]);
            if (e.type == XEN_NETIF_EXTRA_TYPE_NONE || e.type >= XEN_NETIF_EXTRA_TYPE_MAX ||
                (e.flags & ~XEN_NETIF_EXTRA_FLAG_MORE)) {
                ksnprintf(err, errlen, "rx extra info of bad type %u (flags %#x)", e.type,
                          e.flags);
                return -1;
            }
            if (e.type == XEN_NETIF_EXTRA_TYPE_GSO) {
                if (!gso_ok) {
                    ksnprintf(err, errlen, "rx GSO packet, but GSO was not negotiated");
                    return -1;
                }
                if ((e.u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
                     e.u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6) || e.u.gso.size == 0) {
                    ksnprintf(err, errlen, "rx GSO info of type %u, size %u is not valid",
                              e.u.gso.type, e.u.gso.size);
                    return -1;
                }
                f->gso_type = e.u.gso.type;
                f->gso_size = e.u.gso.size;
            }
            extras = e.flags & XEN_NETIF_EXTRA_FLAG_MORE;
            i++;
        }
    }
    if (f->len > NF_MAX_FRAME) {
        ksnprintf(err, errlen, "rx packet of %u bytes is larger than %u", f->len, NF_MAX_FRAME);
        return -1;
    }
    if (!f->error && f->len < 14)
        f->error = true;                /* shorter than an Ethernet header: drop */
    f->nslots = i;
    return (int)i;
}

int nf_tx_check(const struct netif_tx_response *r, const bool *busy, unsigned nslots,
                char *err, size_t errlen)
{
    if (r->status == NETIF_RSP_NULL)
        return 2;
    if (r->id >= nslots || !busy[r->id]) {
        ksnprintf(err, errlen, "tx response for id %u, which is not in flight", r->id);
        return -1;
    }
    if (r->status == NETIF_RSP_OKAY)
        return 0;
    if (r->status == NETIF_RSP_ERROR || r->status == NETIF_RSP_DROPPED)
        return 1;
    ksnprintf(err, errlen, "tx response %u has unknown status %d", r->id, r->status);
    return -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int nf_parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0)
            return -1;
        mac[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
        if (*s != (i == 5 ? '\0' : ':'))
            return -1;
        if (i < 5)
            s++;
    }
    if (mac[0] & 1)
        return -1;                      /* a group address */
    if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0)
        return -1;
    return 0;
}
