/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: the PVH memory map (xen/pvh_parse.c), untrusted
 * input from Xen or the loader, followed by what mm_init() does with it
 * (kernel/ranges.c): removing page 0, an image and a module. Checks that
 * the RAM ranges stay sorted, disjoint, non-empty and within capacity,
 * and that removed ranges are gone.
 */
#include <stdint.h>
#include <string.h>

#include <xen/arch-x86/hvm/start_info.h>

#include "kernel.h"
#include "../../xen/pvh_parse.h"

static void check(const struct mem_range *r, size_t n, size_t max)
{
    if (n > max)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        if (r[i].start >= r[i].end)
            __builtin_trap();
        if (i > 0 && r[i - 1].end >= r[i].start)  /* adjacent ranges merge */
            __builtin_trap();
    }
}

static void check_removed(const struct mem_range *r, size_t n, uint64_t s, uint64_t e)
{
    for (size_t i = 0; i < n; i++)
        if (s < e && r[i].start < e && s < r[i].end)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct boot_info bi;
    char err[120];
    size_t dropped;
    uint64_t cut[4] = { 0, 0, 0, 0 };

    /* The first 32 bytes choose two ranges to remove; the rest is the map. */
    if (size < sizeof(cut))
        return 0;
    memcpy(cut, data, sizeof(cut));
    data += sizeof(cut);
    size -= sizeof(cut);

    struct hvm_memmap_table_entry map[64];
    uint32_t count = (uint32_t)(size / sizeof(map[0]));
    if (count > 64)
        count = 64;
    memcpy(map, data, count * sizeof(map[0]));

    memset(&bi, 0, sizeof(bi));
    if (pvh_parse_memmap(map, count, &bi, &dropped, err, sizeof(err)) != 0) {
        if (err[0] == '\0')
            __builtin_trap();
        return 0;
    }
    check(bi.ram, bi.nram, ARRAY_SIZE(bi.ram));
    ranges_remove(bi.ram, &bi.nram, ARRAY_SIZE(bi.ram), 0, 4096);
    check_removed(bi.ram, bi.nram, 0, 4096);
    ranges_remove(bi.ram, &bi.nram, ARRAY_SIZE(bi.ram), cut[0], cut[1]);
    check_removed(bi.ram, bi.nram, cut[0], cut[1]);
    ranges_remove(bi.ram, &bi.nram, ARRAY_SIZE(bi.ram), cut[2], cut[3]);
    check_removed(bi.ram, bi.nram, cut[2], cut[3]);
    check(bi.ram, bi.nram, ARRAY_SIZE(bi.ram));
    return 0;
}
