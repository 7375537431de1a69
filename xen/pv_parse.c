/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pure part of the PV boot protocol: validating start_info, which the
 * domain builder wrote and which is untrusted input, into struct pv_start
 * and the kernel's struct boot_info. Every address is checked against the
 * domain's size and the bootstrap mapping ([0, bootstrap_end), where
 * virtual equals pseudo-physical), every machine frame through the
 * machine-to-physical table and back. No hardware access: host unit tests
 * and a fuzzer (tests/fuzz/fuzz_start_info.c) run it as it is.
 */
#include <string.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "pv_parse.h"

#define EVTCHN_PORTS 128                /* xen/evtchn.h EVTCHN_MAX_PORTS */

static int fail(char *err, size_t errlen, const char *what, uint64_t value)
{
    ksnprintf(err, errlen, "%s (%#llx)", what, (unsigned long long)value);
    return -1;
}

/* The address of the page holding (mfn) in the bootstrap mapping, or 0. */
static uint64_t frame_addr(uint64_t mfn, uint64_t nr_pages, uint64_t bootstrap_end,
                           pv_frame_pfn_fn frame_pfn, void *ctx)
{
    if (mfn == 0)
        return 0;
    uint64_t pfn = frame_pfn(mfn, ctx);
    if (pfn >= nr_pages || pfn == 0)
        return 0;
    uint64_t a = pfn << PAGE_SHIFT;
    return a + PAGE_SIZE <= bootstrap_end ? a : 0;
}

int pv_parse_start_info(const start_info_t *si, uint64_t bootstrap_end,
                        pv_frame_pfn_fn frame_pfn, void *ctx,
                        struct pv_start *out, struct boot_info *bi,
                        char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (strncmp(si->magic, "xen-3.0-x86_64", 14) != 0)
        return fail(err, errlen, "magic is not xen-3.0-x86_64", (uint8_t)si->magic[0]);
    if (si->nr_pages == 0 || si->nr_pages > PV_MAX_PAGES)
        return fail(err, errlen, "nr_pages", si->nr_pages);
    out->nr_pages = si->nr_pages;
    uint64_t ram_end = si->nr_pages << PAGE_SHIFT;
    if (bootstrap_end % PAGE_SIZE != 0 || bootstrap_end == 0 || bootstrap_end >= ram_end)
        return fail(err, errlen, "no memory after the bootstrap elements", bootstrap_end);
    if (si->mfn_list < PAGE_SIZE || si->mfn_list % 8 != 0 || si->mfn_list >= bootstrap_end ||
        si->nr_pages * 8 > bootstrap_end - si->mfn_list)
        return fail(err, errlen, "mfn_list", si->mfn_list);
    out->p2m = si->mfn_list;
    /* frame_pfn may read the p2m list from here on. */
    out->console = frame_addr(si->console.domU.mfn, si->nr_pages, bootstrap_end, frame_pfn, ctx);
    if (out->console == 0)
        return fail(err, errlen, "console page", si->console.domU.mfn);
    if (si->console.domU.evtchn == 0 || si->console.domU.evtchn >= EVTCHN_PORTS)
        return fail(err, errlen, "console event channel", si->console.domU.evtchn);
    out->console_port = si->console.domU.evtchn;
    /* Xenstore is optional for the boot: without it, no Xenstore services. */
    out->store = frame_addr(si->store_mfn, si->nr_pages, bootstrap_end, frame_pfn, ctx);
    out->store_port = si->store_evtchn;
    if (out->store_port == 0 || out->store_port >= EVTCHN_PORTS)
        out->store = 0;
    if (si->pt_base % PAGE_SIZE != 0 || si->pt_base == 0 || si->pt_base >= bootstrap_end)
        return fail(err, errlen, "pt_base", si->pt_base);
    out->pt_base = si->pt_base;
    if (si->shared_info % PAGE_SIZE != 0 || si->shared_info == 0)
        return fail(err, errlen, "shared_info", si->shared_info);
    out->shared_info = si->shared_info;

    size_t n = 0;
    while (n < sizeof(bi->cmdline) - 1 && n < MAX_GUEST_CMDLINE && si->cmd_line[n] != 0) {
        bi->cmdline[n] = (char)si->cmd_line[n];
        n++;
    }
    bi->cmdline[n] = '\0';
    bi->cmdline_truncated = n == MAX_GUEST_CMDLINE;     /* no NUL in it */

    bi->nram = 0;
    if (si->mod_start != 0 && si->mod_len != 0) {
        uint64_t start = si->mod_start;
        if (si->flags & SIF_MOD_START_PFN) {
            if (start >= si->nr_pages)
                return fail(err, errlen, "mod_start", si->mod_start);
            start <<= PAGE_SHIFT;
        }
        if (start >= bootstrap_end || si->mod_len > bootstrap_end - start)
            return fail(err, errlen, "boot module outside the bootstrap mapping", start);
        bi->module = (struct mem_range){ start, start + si->mod_len };
        /* It is RAM too, below the free memory: mm_init() keeps it. */
        bi->ram[bi->nram++] = bi->module;
    }
    bi->ram[bi->nram++] = (struct mem_range){ bootstrap_end, ram_end };
    return 0;
}
