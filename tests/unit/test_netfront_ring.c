/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netfront's checks of netback's responses (xen/netfront_ring.c): good
 * packets (one slot, several slots, GSO with extra info) parsed, partial
 * ones left for later, and each kind of bad response refused with a
 * message.
 */
#include <stdbool.h>
#include <string.h>

#include "test.h"
#include "kernel.h"
#include "../../xen/netfront_ring.h"

static bool busy[8] = { true, true, false, true, false, false, false, true };
static char err[160];
static struct nf_rx_frame f;

static uint64_t rsp(uint16_t id, uint16_t offset, uint16_t flags, int16_t status)
{
    struct netif_rx_response r = { .id = id, .offset = offset, .flags = flags, .status = status };
    uint64_t v;
    memcpy(&v, &r, 8);
    return v;
}

static uint64_t gso(uint8_t type, uint16_t size, uint8_t flags)
{
    struct netif_extra_info e = { .type = XEN_NETIF_EXTRA_TYPE_GSO, .flags = flags };
    e.u.gso.type = type;
    e.u.gso.size = size;
    uint64_t v;
    memcpy(&v, &e, 8);
    return v;
}

static int parse(const uint64_t *raw, unsigned n, uint32_t cons, bool gso_ok)
{
    err[0] = '\0';
    return nf_rx_parse(raw, n, cons, 256, gso_ok, &f, err, sizeof(err));
}

static void test_prod(void)
{
    CHECK(nf_check_prod(10, 10, 0, err, sizeof(err)) == 0);
    CHECK(nf_check_prod(266, 10, 256, err, sizeof(err)) == 0);
    CHECK(nf_check_prod(267, 10, 256, err, sizeof(err)) == -1);
    CHECK(strstr(err, "ahead") != NULL);
    CHECK(nf_check_prod(20, 10, 9, err, sizeof(err)) == -1);    /* more than we asked for */
    CHECK(nf_check_prod(5, 10, 256, err, sizeof(err)) == -1);   /* went backwards */
    CHECK(nf_check_prod(3, 0xfffffffeu, 256, err, sizeof(err)) == 0);   /* wraps */
}

static void test_rx_single(void)
{
    uint64_t r[1] = { rsp(5, 0, NETRXF_data_validated, 60) };
    CHECK(parse(r, 1, 5, false) == 1);
    CHECK(f.nseg == 1 && f.len == 60 && f.seg[0].len == 60 && !f.error);
    CHECK(f.flags == NETRXF_data_validated);
    r[0] = rsp(5, 4096 - 60, 0, 60);
    CHECK(parse(r, 1, 5, false) == 1);
    r[0] = rsp(5, 4096 - 59, 0, 60);
    CHECK(parse(r, 1, 5, false) == -1);
    CHECK(strstr(err, "does not fit") != NULL);
    r[0] = rsp(5, 0, 0, 0);                                     /* empty */
    CHECK(parse(r, 1, 5, false) == -1);
    r[0] = rsp(5, 0, 0, 10);                                    /* runt: dropped */
    CHECK(parse(r, 1, 5, false) == 1 && f.error);
    r[0] = rsp(5, 0, 0, NETIF_RSP_ERROR);                       /* dropped */
    CHECK(parse(r, 1, 5, false) == 1 && f.error);
    r[0] = rsp(6, 0, 0, 60);                                    /* wrong id */
    CHECK(parse(r, 1, 5, false) == -1);
    CHECK(strstr(err, "id 6, expected 5") != NULL);
    r[0] = rsp(1, 0, 0, 60);                                    /* ids wrap with the ring */
    CHECK(parse(r, 1, 257, false) == 1);
    r[0] = rsp(5, 0, NETRXF_gso_prefix, 60);
    CHECK(parse(r, 1, 5, false) == -1);
    CHECK(strstr(err, "flags") != NULL);
    r[0] = rsp(5, 0, 0x80, 60);
    CHECK(parse(r, 1, 5, false) == -1);
}

static void test_rx_multi(void)
{
    uint64_t r[20];
    r[0] = rsp(10, 0, NETRXF_more_data | NETRXF_csum_blank, 4096);
    r[1] = rsp(11, 0, NETRXF_more_data, 4096);
    r[2] = rsp(12, 100, 0, 1000);
    CHECK(parse(r, 2, 10, false) == 0);                         /* not all there yet */
    CHECK(parse(r, 3, 10, false) == 3);
    CHECK(f.nseg == 3 && f.len == 9192 && f.seg[2].offset == 100 && f.seg[2].slot == 2);
    CHECK(f.flags & NETRXF_csum_blank);
    /* A failed slot in the middle drops the whole packet, after its end. */
    r[1] = rsp(11, 0, NETRXF_more_data, NETIF_RSP_ERROR);
    CHECK(parse(r, 3, 10, false) == 3 && f.error);
    /* Extra info only after the first slot. */
    r[1] = rsp(11, 0, NETRXF_more_data | NETRXF_extra_info, 4096);
    CHECK(parse(r, 3, 10, true) == -1);
    CHECK(strstr(err, "extra info") != NULL);
    /* Too many slots. */
    for (unsigned i = 0; i < 20; i++)
        r[i] = rsp((uint16_t)i, 0, NETRXF_more_data, 100);
    CHECK(parse(r, 20, 0, false) == -1);
    CHECK(strstr(err, "more than 18 slots") != NULL);
}

static void test_rx_gso(void)
{
    uint64_t r[20];
    r[0] = rsp(0, 0, NETRXF_more_data | NETRXF_extra_info | NETRXF_csum_blank, 4096);
    r[1] = gso(XEN_NETIF_GSO_TYPE_TCPV4, 1448, 0);
    for (unsigned i = 2; i < 16; i++)
        r[i] = rsp((uint16_t)i, 0, NETRXF_more_data, 4096);
    r[16] = rsp(16, 0, 0, 1000);
    CHECK(parse(r, 1, 0, true) == 0);
    CHECK(parse(r, 17, 0, true) == 17);
    CHECK(f.nseg == 16 && f.gso_size == 1448 && f.gso_type == XEN_NETIF_GSO_TYPE_TCPV4);
    CHECK(f.len == 15 * 4096 + 1000 && f.seg[1].slot == 2);
    CHECK(parse(r, 17, 0, false) == -1);                        /* not negotiated */
    CHECK(strstr(err, "not negotiated") != NULL);
    /* Larger than 64 KiB of IP. */
    r[16] = rsp(16, 0, NETRXF_more_data, 4096);
    r[17] = rsp(17, 0, 0, 1000);
    CHECK(parse(r, 18, 0, true) == -1);
    CHECK(strstr(err, "larger than") != NULL);
    r[16] = rsp(16, 0, 0, 1000);
    r[1] = gso(7, 1448, 0);
    CHECK(parse(r, 17, 0, true) == -1);
    CHECK(strstr(err, "GSO info") != NULL);
    r[1] = gso(XEN_NETIF_GSO_TYPE_TCPV6, 0, 0);
    CHECK(parse(r, 17, 0, true) == -1);
    /* Two extras: GSO, then one of a type we skip. */
    struct netif_extra_info e = { .type = XEN_NETIF_EXTRA_TYPE_HASH };
    uint64_t v;
    memcpy(&v, &e, 8);
    uint64_t s[4] = { rsp(3, 0, NETRXF_extra_info, 1500), gso(XEN_NETIF_GSO_TYPE_TCPV6, 1428,
                      XEN_NETIF_EXTRA_FLAG_MORE), v, 0 };
    CHECK(parse(s, 2, 3, true) == 0);
    CHECK(parse(s, 3, 3, true) == 3);
    CHECK(f.nseg == 1 && f.len == 1500 && f.gso_size == 1428);
    e.type = 0;
    memcpy(&s[2], &e, 8);
    CHECK(parse(s, 3, 3, true) == -1);
    CHECK(strstr(err, "bad type") != NULL);
}

static void test_tx(void)
{
    struct netif_tx_response r = { .id = 3, .status = NETIF_RSP_OKAY };
    CHECK(nf_tx_check(&r, busy, 8, err, sizeof(err)) == 0);
    r.status = NETIF_RSP_DROPPED;
    CHECK(nf_tx_check(&r, busy, 8, err, sizeof(err)) == 1);
    r.status = NETIF_RSP_NULL;
    CHECK(nf_tx_check(&r, busy, 8, err, sizeof(err)) == 2);
    r.status = 7;
    CHECK(nf_tx_check(&r, busy, 8, err, sizeof(err)) == -1);
    r.status = NETIF_RSP_OKAY;
    r.id = 4;                           /* not in flight */
    CHECK(nf_tx_check(&r, busy, 8, err, sizeof(err)) == -1);
    r.id = 300;
    CHECK(nf_tx_check(&r, busy, 8, err, sizeof(err)) == -1);
}

static void test_mac(void)
{
    uint8_t m[6];
    CHECK(nf_parse_mac("00:16:3e:58:0A:ff", m) == 0);
    CHECK(m[0] == 0 && m[2] == 0x3e && m[4] == 0x0a && m[5] == 0xff);
    CHECK(nf_parse_mac("00:16:3e:58:0a", m) == -1);
    CHECK(nf_parse_mac("00:16:3e:58:0a:ff:", m) == -1);
    CHECK(nf_parse_mac("00-16-3e-58-0a-ff", m) == -1);
    CHECK(nf_parse_mac("0:16:3e:58:0a:ff", m) == -1);
    CHECK(nf_parse_mac("", m) == -1);
    CHECK(nf_parse_mac("g0:16:3e:58:0a:ff", m) == -1);
    CHECK(nf_parse_mac("01:16:3e:58:0a:ff", m) == -1);         /* multicast */
    CHECK(nf_parse_mac("00:00:00:00:00:00", m) == -1);
}

int main(void)
{
    RUN(test_prod);
    RUN(test_rx_single);
    RUN(test_rx_multi);
    RUN(test_rx_gso);
    RUN(test_tx);
    RUN(test_mac);
    return tests_failed != 0;
}
