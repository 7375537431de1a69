/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: PV start_info validation (xen/pv_parse.c), untrusted
 * input from the domain builder. The input is the end of the bootstrap
 * mapping (8 bytes) and a start_info; machine frames map to pfns through
 * a fake machine-to-physical table that also gives foreign frames.
 * Checks that whatever is accepted lies where the kernel may touch it.
 */
#include <stdint.h>
#include <string.h>

#include "kernel.h"
#include "../../xen/pv_parse.h"

static uint64_t frame_pfn(uint64_t mfn, void *ctx)
{
    (void)ctx;
    if (mfn % 7 == 3)
        return UINT64_MAX;              /* not the domain's */
    return mfn ^ 0x100000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct boot_info bi;
    static start_info_t si;
    struct pv_start st;
    uint64_t end;
    char err[120];

    if (size < sizeof(end) + sizeof(si))
        return 0;
    memcpy(&end, data, sizeof(end));
    memcpy(&si, data + sizeof(end), sizeof(si));
    memset(&bi, 0, sizeof(bi));
    err[0] = '\0';
    if (pv_parse_start_info(&si, end, frame_pfn, NULL, &st, &bi, err, sizeof(err)) != 0) {
        if (err[0] == '\0')
            __builtin_trap();
        return 0;
    }
    uint64_t ram_end = st.nr_pages << 12;
    if (st.nr_pages == 0 || st.nr_pages > PV_MAX_PAGES || end == 0 || end >= ram_end)
        __builtin_trap();
    if (st.console == 0 || st.console % 4096 || st.console + 4096 > end)
        __builtin_trap();
    if (st.store != 0 && (st.store % 4096 || st.store + 4096 > end || st.store_port == 0))
        __builtin_trap();
    if (st.pt_base == 0 || st.pt_base % 4096 || st.pt_base >= end)
        __builtin_trap();
    if (st.p2m < 4096 || st.p2m + st.nr_pages * 8 > end)
        __builtin_trap();
    if (strlen(bi.cmdline) >= sizeof(bi.cmdline))
        __builtin_trap();
    if (bi.nram < 1 || bi.nram > 2)
        __builtin_trap();
    for (size_t i = 0; i < bi.nram; i++)
        if (bi.ram[i].start >= bi.ram[i].end || bi.ram[i].end > ram_end)
            __builtin_trap();
    if (bi.module.end != 0 && (bi.module.start >= bi.module.end || bi.module.end > end))
        __builtin_trap();
    return 0;
}
