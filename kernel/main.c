/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot sequence, after the boot protocol's entry code (PVH:
 * arch/x86_64/pvh.c) has set up the early console and filled in the
 * struct boot_info. It reads as the list of what the kernel sets up.
 */
#include <malloc.h>
#include <string.h>

#include <xenolith.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"
#include "../xen/platform.h"

/* The app's name (argv[0]), generated per image by mk/app.mk. */
extern const char xn_app_name[];

static struct cmdline cmdline;

static void *page_table_page(void)
{
    return mm_alloc_pages_early(1);
}

static void *heap_page(void)
{
    void *p = memalign(PAGE_SIZE, PAGE_SIZE);
    if (p != NULL)
        memset(p, 0, PAGE_SIZE);
    return p;
}

/* Apply the kernel's own options; -1 with (err) set on a bad one. */
static int apply_options(struct cmdline *cl, char *err, size_t errlen)
{
    const char *v = cmdline_get(cl, "loglevel");
    if (v != NULL) {
        enum log_level level;
        if (log_parse_level(v, &level) != 0) {
            ksnprintf(err, errlen, "bad value '%s' for loglevel (expected error, warn, info, debug or 0-3)", v);
            return -1;
        }
        log_set_level(level);
    }
    return 0;
}

/* The configuration tree; then every option must have been used. */
static int configure(struct cmdline *cl, char *err, size_t errlen)
{
    if (config_init(cl, err, errlen) != 0)
        return -1;
    const char *unknown = cmdline_first_unused(cl);
    if (unknown != NULL) {
        ksnprintf(err, errlen, "command line: unknown option '%s' (app arguments go after '--')",
                  unknown);
        return -1;
    }
    return 0;
}

__attribute__((no_stack_protector)) void kernel_main(struct boot_info *bi)
{
    char err[160];

    platform_init_early();      /* Xen: hypercall page, shutdown hooks */
    cpu_init();                 /* GDT with TSS, IDT, exception stacks */
    ssp_init();                 /* randomise the stack-protector guard */
    timeline_mark("cpu");

    /*
     * Parse the command line now for loglevel, but report a bad one only
     * once the platform's console is up, so the message reaches it.
     */
    int rc = cmdline_parse(&cmdline, bi->cmdline, xn_app_name, err, sizeof(err));
    if (rc == 0 && bi->cmdline_truncated) {
        ksnprintf(err, sizeof(err), "longer than %d bytes", CMDLINE_MAX - 1);
        rc = -1;
    }
    if (rc == 0)
        rc = apply_options(&cmdline, err, sizeof(err));

    mm_init(bi);                /* free memory from the boot memory map */
    struct mmu_range ram[BOOT_MAX_RANGES];
    for (size_t i = 0; i < bi->nram; i++)
        ram[i] = (struct mmu_range){ bi->ram[i].start, bi->ram[i].end };
    if (mmu_init(ram, bi->nram, page_table_page) != 0)  /* W^X, NX, guards */
        panic("mmu: out of memory for the page tables");
    mm_early_limit_lift();
    timeline_mark("mmu");
    platform_init();            /* Xen: the PV console */
    timeline_mark("platform");
    if (rc != 0) {
        log_err("command line: %s", err);
        power_exit(2);
    }
    log_info("Xenolith booting as %s guest, app '%s'", bi->mode, xn_app_name);
    mm_heap_init();             /* the rest is the heap */
    mmu_set_page_alloc(heap_page);  /* later page tables come from it */
    timeline_mark("mm");
    time_init();                /* TSC frequency and the wall clock */
    timeline_mark("time");
    sched_init();               /* this stack becomes the "main" thread */
    platform_start_services();  /* Xen: the control thread */
    if (configure(&cmdline, err, sizeof(err)) != 0) {  /* the configuration tree */
        log_err("%s", err);
        power_exit(2);
    }
    platform_configured();      /* Xen: the event storm guard */
    unsigned long long watchdog_ms = 5000;
    xn_config_uint("sched.watchdog_ms", 5000, 600000, &watchdog_ms);
    sched_set_watchdog(watchdog_ms * 1000000ULL);
    timeline_mark("main");
    timeline_print();

    app_start(cmdline.argc, cmdline.argv);
}
