/* SPDX-License-Identifier: BSD-2-Clause */
/* The PVH memory map parser: RAM kept, other types skipped, bad maps refused. */
#include <stdint.h>
#include <string.h>

#include <xen/arch-x86/hvm/start_info.h>

#include "kernel.h"
#include "test.h"
#include "../../xen/pvh_parse.h"

static struct boot_info bi;
static char err[120];
static size_t dropped;

static void test_typical(void)
{
    struct hvm_memmap_table_entry m[] = {
        { 0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { 0x9fc00, 0x400, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
        { 0x100000, 0x700000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { 0x800000, 0, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
    };
    memset(&bi, 0, sizeof(bi));
    CHECK(pvh_parse_memmap(m, 4, &bi, &dropped, err, sizeof(err)) == 0);
    CHECK(bi.nram == 2 && dropped == 0);
    CHECK(bi.ram[0].start == 0 && bi.ram[0].end == 0x9fc00);
    CHECK(bi.ram[1].start == 0x100000 && bi.ram[1].end == 0x800000);
}

static void test_bad(void)
{
    struct hvm_memmap_table_entry wrap = { UINT64_MAX - 0xfff, 0x2000, XEN_HVM_MEMMAP_TYPE_RAM, 0 };
    memset(&bi, 0, sizeof(bi));
    CHECK(pvh_parse_memmap(&wrap, 1, &bi, &dropped, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "wraps around") != NULL);
    struct hvm_memmap_table_entry none = { 0, 0x1000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 };
    memset(&bi, 0, sizeof(bi));
    CHECK(pvh_parse_memmap(&none, 1, &bi, &dropped, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "no RAM") != NULL);
}

static void test_too_many(void)
{
    struct hvm_memmap_table_entry m[BOOT_MAX_RANGES + 5];
    for (unsigned i = 0; i < ARRAY_SIZE(m); i++)
        m[i] = (struct hvm_memmap_table_entry){ i * 0x2000ULL, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM, 0 };
    memset(&bi, 0, sizeof(bi));
    CHECK(pvh_parse_memmap(m, ARRAY_SIZE(m), &bi, &dropped, err, sizeof(err)) == 0);
    CHECK(bi.nram == BOOT_MAX_RANGES && dropped == 5);
}

int main(void)
{
    RUN(test_typical);
    RUN(test_bad);
    RUN(test_too_many);
    TEST_EXIT();
}
