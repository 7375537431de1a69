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
 * PV guests add three steps through their xen_mode (xen/pv.c): at boot
 * the p2m's frame list is published in the shared info (the save reads
 * the guest's memory map from it; published again after a restore, where
 * every machine frame changed); just before the hypercall the start info
 * page's Xenstore and console frames are turned into our own frame
 * numbers (the restore turns them into the new machine frames) and the
 * pages that showed Xen's shared info and grant frames show our memory
 * again (the save refuses mappings of frames that are not the guest's);
 * right after it the start info page is read again (the new shared info,
 * Xenstore and console event channels), or, when cancelled, undone.
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

static int setup_rc = 1;         /* 1: not tried yet */

bool xen_suspend_supported(void)
{
    if (setup_rc == 1)
        setup_rc = xen_mode->suspend_setup != NULL ? xen_mode->suspend_setup() : 0;
    return setup_rc == 0;
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
    if (xen_mode->suspend_setup != NULL && xen_mode->suspend_setup() != 0)
        log_warn("suspend: what a save needs could not be published again; the next "
                 "save of this domain will fail");
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
    gnttab_suspend();
    unsigned long arg = xen_mode->suspend_prepare != NULL ? xen_mode->suspend_prepare() : 0;
    long rc = hypercall_sched_suspend(arg);
    bool cancelled = rc != 0;
    int bad = 0;
    if (xen_mode->suspend_done != NULL && xen_mode->suspend_done(cancelled) != 0)
        bad = 1;
    else if (!cancelled)
        bad = resume_domain(last);
    else if (xen_mode->unmap_grant_frames != NULL && gnttab_resume() != 0)
        log_err("suspend: the grant table could not be mapped again after the cancelled suspend");
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
