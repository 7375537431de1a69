/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * blkfront's checks of blkback's responses and Xenstore values, and its
 * request splitting (xen/blkfront_ring.c).
 */
#include <string.h>

#include "test.h"
#include "kernel.h"
#include "../../xen/blkfront_ring.h"

static char err[160];

static void test_rsp(void)
{
    uint8_t op[4] = { BLKIF_OP_READ, BF_SLOT_FREE, BLKIF_OP_WRITE, BLKIF_OP_FLUSH_DISKCACHE };
    struct blkif_response r = { .id = 0, .operation = BLKIF_OP_READ, .status = BLKIF_RSP_OKAY };
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == 0);
    r.status = BLKIF_RSP_ERROR;
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == 1);
    r.status = BLKIF_RSP_EOPNOTSUPP;
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == 1);
    r.status = 5;
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == -1 && strstr(err, "unknown status"));
    r = (struct blkif_response){ .id = 1, .operation = BLKIF_OP_READ };
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == -1 && strstr(err, "not in flight"));
    r.id = 4;
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == -1);
    r.id = 0xffffffffffffull;
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == -1);
    r = (struct blkif_response){ .id = 2, .operation = BLKIF_OP_READ };
    CHECK(bf_rsp_check(&r, op, 4, err, sizeof(err)) == -1 && strstr(err, "operation"));
}

static void test_geometry(void)
{
    struct bf_geometry g;
    CHECK(bf_parse_geometry("8192", "512", NULL, "0", &g, err, sizeof(err)) == 0);
    CHECK(g.sectors == 8192 && g.sector_size == 512 && g.physical_sector_size == 512);
    /* 4096-byte sectors: the key still counts 512-byte units. */
    CHECK(bf_parse_geometry("8192", "4096", "4096", "0", &g, err, sizeof(err)) == 0);
    CHECK(g.sectors == 1024 && g.sector_size == 4096);
    CHECK(bf_parse_geometry("8193", "4096", NULL, NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry("8192", NULL, NULL, NULL, &g, err, sizeof(err)) == 0 && g.sector_size == 512);
    CHECK(bf_parse_geometry("8192", "1000", NULL, NULL, &g, err, sizeof(err)) == -1 && strstr(err, "sector-size"));
    CHECK(bf_parse_geometry("8192", "8192", NULL, NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry("8192", "256", NULL, NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry("8192", "512", "4096", NULL, &g, err, sizeof(err)) == 0 && g.physical_sector_size == 4096);
    CHECK(bf_parse_geometry("8191", "512", "4096", NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry("8192", "512", "768", NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry("0", "512", NULL, NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry(NULL, "512", NULL, NULL, &g, err, sizeof(err)) == -1 && strstr(err, "sectors"));
    CHECK(bf_parse_geometry("-1", "512", NULL, NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry("99999999999999999999", "512", NULL, NULL, &g, err, sizeof(err)) == -1);
    CHECK(bf_parse_geometry("18014398509481984", "512", NULL, NULL, &g, err, sizeof(err)) == -1);  /* 2^63 bytes */
    CHECK(bf_parse_geometry("8192", "512", NULL, "4", &g, err, sizeof(err)) == 0 && g.info == 4);
    CHECK(bf_parse_geometry("8192", "512", NULL, "64", &g, err, sizeof(err)) == -1 && strstr(err, "info"));
}

static void test_split(void)
{
    CHECK(bf_chunk(1, 512, 11) == 1);
    CHECK(bf_chunk(88, 512, 11) == 88);
    CHECK(bf_chunk(89, 512, 11) == 88);
    CHECK(bf_chunk(1000, 512, 32) == 256);
    CHECK(bf_chunk(12, 4096, 11) == 11);
    CHECK(bf_chunk(5, 4096, 32) == 5);
    CHECK(bf_range_ok(0, 1, 10) == 0);
    CHECK(bf_range_ok(9, 1, 10) == 0);
    CHECK(bf_range_ok(9, 2, 10) == -1);
    CHECK(bf_range_ok(10, 1, 10) == -1);
    CHECK(bf_range_ok(0, 0, 10) == -1);
    CHECK(bf_range_ok(5, UINT64_MAX, 10) == -1);
}

int main(void)
{
    RUN(test_rsp);
    RUN(test_geometry);
    RUN(test_split);
    return tests_failed != 0;
}
