/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netfront_ring.c: validation of netback's ring responses (pure, so host
 * tests and a fuzzer run it). Each response slot is copied out of the
 * shared ring once; these functions check the copies against what the
 * frontend knows (which requests it posted), and the driver acts only on
 * what they accepted.
 */
#ifndef XEN_NETFRONT_RING_H
#define XEN_NETFRONT_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ring.h's barriers (x86: stores are ordered; loads need only the compiler). */
#ifndef xen_mb
#define xen_mb()  __asm__ volatile("mfence" ::: "memory")
#define xen_rmb() __asm__ volatile("" ::: "memory")
#define xen_wmb() __asm__ volatile("" ::: "memory")
#endif

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

#define NF_BUF_SIZE 4096                /* one page per buffer */
/* The most data slots one packet may use, either way (netif.h's minimum
 * that every backend supports), and the most extra-info slots after it. */
#define NF_MAX_SLOTS  XEN_NETIF_NR_SLOTS_MIN
#define NF_MAX_EXTRAS (XEN_NETIF_EXTRA_TYPE_MAX - 1)
/* The largest frame either way: 64 KiB of IP plus the Ethernet header. */
#define NF_MAX_FRAME  (65535 + 14)

/*
 * Responses the backend claims to have produced (prod), given our
 * consumer (cons) and how many requests we have outstanding (posted):
 * 0, or -1 with (err) set when prod runs ahead of what we asked for.
 */
int nf_check_prod(uint32_t prod, uint32_t cons, uint32_t posted, char *err, size_t errlen);

/* One received packet, as its response slots describe it. */
struct nf_rx_frame {
    unsigned nslots;                    /* ring slots it used (data and extras) */
    unsigned nseg;                      /* data segments */
    struct nf_rx_seg {
        uint16_t slot;                  /* index from the first slot */
        uint16_t offset, len;
    } seg[NF_MAX_SLOTS];
    uint32_t len;                       /* sum of the segments */
    uint16_t flags;                     /* NETRXF_ of the first response */
    uint16_t gso_size;                  /* 0: not a GSO packet */
    uint8_t gso_type;                   /* XEN_NETIF_GSO_TYPE_ */
    bool error;                         /* the backend reported an error: drop it */
};

/*
 * Parse the packet that starts at ring index (cons) from (avail) copied
 * response slots (raw[i] is the slot at cons + i, 8 bytes each). A
 * response's id must be its ring position modulo (ring_size): requests
 * are posted with those ids. (gso_ok): GSO was negotiated.
 * Returns the slots the packet uses (> 0, frame filled in), 0 when the
 * packet is not complete yet, or -1 when the responses are invalid (err
 * names what was wrong; the device must then be marked broken).
 */
int nf_rx_parse(const uint64_t *raw, unsigned avail, uint32_t cons, unsigned ring_size,
                bool gso_ok, struct nf_rx_frame *f, char *err, size_t errlen);

/*
 * A tx response, for requests (busy[id]) of (nslots): 0 sent, 1 the
 * backend reports an error (counted), 2 an auxiliary NULL response to
 * skip, -1 invalid (err set).
 */
int nf_tx_check(const struct netif_tx_response *r, const bool *busy, unsigned nslots,
                char *err, size_t errlen);

/* "00:16:3e:01:02:03" into (mac), a unicast, non-zero address: 0, or -1. */
int nf_parse_mac(const char *s, uint8_t mac[6]);

#endif
