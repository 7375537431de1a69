/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shared info page: mapped by xen_mode->map_shared_info over a page of
 * our own .bss, it holds the event channel bitmaps, vCPU 0's vcpu_info
 * (event upcall flags, pvclock record) and the wall clock. Time read from
 * it becomes the kernel's clock source (kernel/time.c): monotonic time
 * from pvclock, real time from Xen's wall clock plus system time.
 */
#include <stdint.h>

#include <xen/xen.h>
#include <xen/memory.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "mode.h"
#include "pvclock.h"
#include "shared_info.h"

static uint8_t shared_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static struct {
    volatile struct shared_info *si;
} xsi;

volatile struct shared_info *shared_info(void)
{
    return xsi.si;
}

volatile struct vcpu_info *vcpu_info(void)
{
    return &xsi.si->vcpu_info[0];
}

/* Xen system time (ns since Xen booted) at TSC value (tsc), or now if 0. */
static uint64_t system_time_at(uint64_t at_tsc)
{
    volatile struct vcpu_time_info *t = &xsi.si->vcpu_info[0].time;
    struct pvclock_snapshot s;
    uint32_t v;
    uint64_t tsc;

    do {
        v = t->version;
        __asm__ volatile("lfence" ::: "memory");   /* version before data */
        s.tsc_timestamp = t->tsc_timestamp;
        s.system_time = t->system_time;
        s.tsc_to_system_mul = t->tsc_to_system_mul;
        s.tsc_shift = t->tsc_shift;
        tsc = at_tsc != 0 ? at_tsc : rdtsc();
        __asm__ volatile("lfence" ::: "memory");   /* data before re-check */
    } while ((v & 1) != 0 || v != t->version);
    return pvclock_ns(&s, tsc);
}

/* Xen system time now (ns since Xen booted). */
uint64_t xen_system_time_ns(void)
{
    return system_time_at(0);
}

/* Real time: Xen's wall clock (the time at system time 0) plus system time. */
static uint64_t xen_wallclock_ns(void)
{
    volatile struct shared_info *si = xsi.si;
    uint32_t v;
    uint64_t sec, nsec;

    do {
        v = si->wc_version;
        __asm__ volatile("lfence" ::: "memory");
        sec = si->wc_sec | ((uint64_t)si->wc_sec_hi << 32);
        nsec = si->wc_nsec;
        __asm__ volatile("lfence" ::: "memory");
    } while ((v & 1) != 0 || v != si->wc_version);
    return sec * 1000000000ULL + nsec + xen_system_time_ns();
}

/* After a restore: the page is mapped again (the new domain's); time goes on. */
int shared_info_resume(uint64_t last_ns)
{
    if (xen_mode->map_shared_info(shared_page) != 0)
        return -1;
    time_resume(last_ns);
    return 0;
}

int shared_info_init(void)
{
    if (xen_mode->map_shared_info(shared_page) != 0)
        return -1;
    xsi.si = (volatile struct shared_info *)shared_page;
    /* pvclock's scale extrapolates back to the entry TSC: the TSC is
     * constant-rate under Xen (its CPUID timing leaf). */
    time_set_source(xen_system_time_ns, xen_wallclock_ns,
                    system_time_at(boot_tsc), "Xen pvclock");
    return 0;
}
