/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Suspend and resume, for `xl save` / `xl restore` / `xl migrate`: the
 * toolstack writes "suspend" to control/shutdown (control.c acknowledges
 * it and calls xen_suspend()). The sequence, as states:
 *
 *   running
 *   -> quiescing: each device's suspend hook runs (netfront disconnects
 *      its NICs from their backends; blkfront lets what is in flight
 *      complete, keeps what is queued, and disconnects); Xenstore is held
 *      (no request in flight, none starts)
 *   -> suspended: interrupts off, the console flushed, monotonic time
 *      noted, SCHEDOP_shutdown(SHUTDOWN_suspend); the domain's memory is
 *      saved (or moved) from here
 *   -> resuming (the hypercall returned 0: a new domain, after a restore
 *      or migration): the shared info page mapped again, monotonic time
 *      going on from where it stopped, every event channel binding
 *      forgotten and the upcall vector set again, the timer's VIRQ, the
 *      console's event channel, the grant table's frames; interrupts on;
 *      Xenstore's event channel, and every watch registered again
 *   -> reconnecting: each device's resume hook runs (their watches fire:
 *      NICs and disks connect to the new backends as when hot-plugged;
 *      queued block requests go out)
 *   -> running.
 *
 * A cancelled suspend (the hypercall returns 1: the domain was kept, as
 * for a checkpoint) skips "resuming": the domain's channels and grants
 * are still valid, only the devices reconnect.
 *
 * PV guests refuse: saving one needs the p2m frame list published in the
 * shared info, which this kernel does not keep yet; feature-suspend is
 * advertised for PVH only.
 */
#include <errno.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "console.h"
#include "evtchn.h"
#include "gnttab.h"
#include "hypercall.h"
#include "mode.h"
#include "platform.h"
#include "shared_info.h"
#include "suspend.h"
#include "timer.h"
#include "xs.h"

#define HOOKS 4
static struct {
    void (*suspend[HOOKS])(void);
    void (*resume[HOOKS])(bool cancelled);
    unsigned n;
    unsigned long count;
} sus;

void platform_on_suspend(void (*suspend)(void), void (*resume)(bool cancelled))
{
    if (sus.n == HOOKS) {
        log_warn("suspend: too many device hooks");
        return;
    }
    sus.suspend[sus.n] = suspend;
    sus.resume[sus.n] = resume;
    sus.n++;
}

bool xen_suspend_supported(void)
{
    return xen_mode == &xen_mode_pvh;
}

/* The domain's own state after a restore: 0, or -1 (logged). */
static int resume_domain(uint64_t last_ns)
{
    cpuid_cache_clear();        /* another host may answer CPUID differently */
    if (shared_info_resume(last_ns) != 0 || evtchn_resume() != 0)
        return -1;
    if (xen_timer_resume() != 0)
        return -1;
    if (xen_console_resume() != 0)
        log_warn("suspend: no console event channel after the restore");
    if (gnttab_resume() != 0) {
        log_err("suspend: the grant table could not be mapped again");
        return -1;
    }
    return 0;
}

int xen_suspend(void)
{
    if (!xen_suspend_supported()) {
        log_warn("suspend: not supported for %s guests yet; the request is refused",
                 xen_mode->name);
        return -ENOTSUP;
    }
    uint64_t t0 = time_monotonic_ns();
    log_info("suspend: quiescing");
    for (unsigned i = 0; i < sus.n; i++)
        sus.suspend[i]();
    xs_suspend();
    xen_console_flush();

    bool f = intr_save();
    uint64_t last = time_monotonic_ns();
    long rc = hypercall_sched_suspend(0);
    bool cancelled = rc != 0;
    int bad = 0;
    if (!cancelled)
        bad = resume_domain(last);
    intr_restore(f);
    sus.count++;
    if (bad) {
        /* No timer or event channels: nothing in the guest can go on. */
        panic("suspend: the domain could not be taken up again after the restore");
    }
    log_info("suspend: %s after %llu ms; reconnecting", cancelled ? "cancelled, resumed in place"
             : "resumed", (unsigned long long)((time_monotonic_ns() - t0) / 1000000));
    xs_resume(cancelled);
    for (unsigned i = 0; i < sus.n; i++)
        sus.resume[i](cancelled);
    log_info("suspend: running again (%lu suspends so far)", sus.count);
    return 0;
}
