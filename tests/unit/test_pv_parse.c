/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PV start_info validation (xen/pv_parse.c): a good start_info as Xen's
 * domain builder writes it, then one bad field at a time, each refused
 * with a message naming it.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"
#include "kernel.h"
#include "../../xen/pv_parse.h"

/* A 16 MiB domain: 4096 pages; machine frame = pfn + 0x100000. */
#define NR_PAGES 4096ULL
#define BOOT_END 0x80000ULL
#define MFN(pfn) ((pfn) + 0x100000ULL)

static uint64_t frame_pfn(uint64_t mfn, void *ctx)
{
    (void)ctx;
    return mfn >= MFN(0) && mfn < MFN(NR_PAGES) ? mfn - MFN(0) : UINT64_MAX;
}

static start_info_t good(void)
{
    start_info_t si;
    memset(&si, 0, sizeof(si));
    strcpy(si.magic, "xen-3.0-x86_64");
    si.nr_pages = NR_PAGES;
    si.shared_info = 0x7654000;
    si.store_mfn = MFN(0x4c);
    si.store_evtchn = 1;
    si.console.domU.mfn = MFN(0x4d);
    si.console.domU.evtchn = 2;
    si.pt_base = 0x4e000;
    si.mfn_list = 0x44000;
    strcpy((char *)si.cmd_line, "loglevel=debug -- a b");
    return si;
}

static int parse(const start_info_t *si, struct pv_start *st, struct boot_info *bi, char *err)
{
    memset(bi, 0, sizeof(*bi));
    err[0] = '\0';
    return pv_parse_start_info(si, BOOT_END, frame_pfn, NULL, st, bi, err, 120);
}

static void test_good(void)
{
    start_info_t si = good();
    struct pv_start st;
    static struct boot_info bi;
    char err[120];

    CHECK(parse(&si, &st, &bi, err) == 0);
    CHECK(st.console == 0x4d000 && st.console_port == 2);
    CHECK(st.store == 0x4c000 && st.store_port == 1);
    CHECK(st.pt_base == 0x4e000 && st.p2m == 0x44000 && st.nr_pages == NR_PAGES);
    CHECK_STR(bi.cmdline, "loglevel=debug -- a b");
    CHECK(!bi.cmdline_truncated);
    CHECK(bi.nram == 1 && bi.ram[0].start == BOOT_END && bi.ram[0].end == NR_PAGES << 12);
    CHECK(bi.module.end == 0);

    /* A module, given as an address and as a PFN. */
    si.mod_start = 0x50000 - 0x3000;
    si.mod_len = 0x2100;
    CHECK(parse(&si, &st, &bi, err) == 0);
    CHECK(bi.module.start == 0x4d000 && bi.module.end == 0x4f100 && bi.nram == 2);
    si.flags = SIF_MOD_START_PFN;
    si.mod_start = 0x4d;
    CHECK(parse(&si, &st, &bi, err) == 0);
    CHECK(bi.module.start == 0x4d000);

    /* A command line that fills the field without a NUL. */
    si = good();
    memset(si.cmd_line, 'x', sizeof(si.cmd_line));
    CHECK(parse(&si, &st, &bi, err) == 0);
    CHECK(bi.cmdline_truncated && strlen(bi.cmdline) == sizeof(si.cmd_line));

    /* Without a usable Xenstore page the boot goes on. */
    si = good();
    si.store_mfn = 5;
    CHECK(parse(&si, &st, &bi, err) == 0 && st.store == 0);
    si = good();
    si.store_evtchn = 0;
    CHECK(parse(&si, &st, &bi, err) == 0 && st.store == 0);
}

/* One bad field: refused, and the message names it. */
#define BAD(field_change, name)                                    \
    do {                                                           \
        start_info_t si = good();                                  \
        field_change;                                              \
        CHECK(parse(&si, &st, &bi, err) != 0);                     \
        CHECK(strstr(err, name) != NULL);                          \
    } while (0)

static void test_bad(void)
{
    struct pv_start st;
    static struct boot_info bi;
    char err[120];

    BAD(strcpy(si.magic, "xen-3.0-x86_32p"), "magic");
    BAD(si.nr_pages = 0, "nr_pages");
    BAD(si.nr_pages = PV_MAX_PAGES + 1, "nr_pages");
    BAD(si.nr_pages = 64, "no memory after the bootstrap");
    BAD(si.mfn_list = 0, "mfn_list");
    BAD(si.mfn_list = 0x44004, "mfn_list");
    BAD(si.mfn_list = BOOT_END - 8, "mfn_list");        /* the list runs past */
    BAD(si.console.domU.mfn = 0, "console page");
    BAD(si.console.domU.mfn = 12345, "console page");   /* not ours */
    BAD(si.console.domU.mfn = MFN(0x90), "console page"); /* not mapped */
    BAD(si.console.domU.evtchn = 0, "console event channel");
    BAD(si.console.domU.evtchn = 4096, "console event channel");
    BAD(si.pt_base = 0x4e008, "pt_base");
    BAD(si.pt_base = BOOT_END, "pt_base");
    BAD(si.shared_info = 0, "shared_info");
    BAD(si.shared_info = 0x1234, "shared_info");
    BAD((si.mod_start = 0x7f000, si.mod_len = 0x2000), "boot module");
    BAD((si.mod_start = UINT64_MAX - 10, si.mod_len = 100), "boot module");
    BAD((si.flags = SIF_MOD_START_PFN, si.mod_start = NR_PAGES, si.mod_len = 1), "mod_start");
}

int main(void)
{
    RUN(test_good);
    RUN(test_bad);
    return tests_failed != 0;
}
