/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Xen platform, PVH: detect Xen through CPUID, have it fill the
 * hypercall page, switch the console to the PV console ring and register
 * the shutdown hooks (SCHEDOP_shutdown with reason poweroff after exit(),
 * crash after a crash report). Event channels, grant tables, Xenstore and
 * pvclock build on this.
 */
#include <stdint.h>
#include <xen/sched.h>
#include <xen/version.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "console.h"
#include "hypercall.h"
#include "control.h"
#include "evtchn.h"
#include "gnttab.h"
#include "platform.h"
#include "timer.h"
#include "xs.h"
#include "shared_info.h"

static struct {
    bool on_xen;
    bool xenstore;
} xen;

bool platform_on_xen(void)
{
    return xen.on_xen;
}

/* Run at a normal exit, before the domain shuts down (devices close). */
#define SHUTDOWN_HOOKS 4
static void (*shutdown_hooks[SHUTDOWN_HOOKS])(void);

void platform_on_shutdown(void (*fn)(void))
{
    for (int i = 0; i < SHUTDOWN_HOOKS; i++)
        if (shutdown_hooks[i] == NULL) {
            shutdown_hooks[i] = fn;
            return;
        }
    log_warn("xen: too many shutdown hooks");
}

static void xen_shutdown(int status)
{
    (void)status;               /* the console's "exit status N" carries it */
    if (sched_started())        /* the hooks wait for backends */
        for (int i = 0; i < SHUTDOWN_HOOKS; i++)
            if (shutdown_hooks[i] != NULL)
                shutdown_hooks[i]();
    xen_console_flush();
    hypercall_sched_shutdown(power_requested() == POWER_REBOOT ? SHUTDOWN_reboot
                                                              : SHUTDOWN_poweroff);
}

static void xen_crash(void)
{
    xen_console_flush();
    hypercall_sched_shutdown(SHUTDOWN_crash);
}

static const struct platform_power_ops xen_power = {
    .shutdown = xen_shutdown,
    .crash = xen_crash,
};

/*
 * First thing at boot, so that even an early failure can shut the guest
 * down: the hypercall page and the shutdown hooks. Needs no memory.
 */
void platform_init_early(void)
{
    char sig[13];
    uint32_t base, r[4];

    if (xen.on_xen)
        return;                 /* already done by the boot protocol */
    if (!cpu_hypervisor(sig, &base) || __builtin_strcmp(sig, "XenVMMXenVMM") != 0)
        return;
    cpuid_cached(base, r);
    if (r[0] < base + 2) {
        log_warn("xen: CPUID has no hypercall leaf; running without Xen services");
        return;
    }
    cpuid_cached(base + 2, r);              /* eax: pages, ebx: MSR */
    if (r[0] < 1 || hypercall_init(r[1]) != 0) {
        log_warn("xen: the hypercall page was not filled in; running without Xen services");
        return;
    }
    platform_set_xen();
}

/* The boot protocol knows it runs on Xen (PV: the hypercall page is filled). */
void platform_set_xen(void)
{
    xen.on_xen = true;
    power_set_platform(&xen_power);
}

/* Once threads exist: the services that run in their own threads. */
void platform_start_services(void)
{
    if (xen.xenstore)
        control_start();            /* xl shutdown / xl reboot */
}

void platform_configured(void)
{
    if (xen.on_xen && evtchn_start_storm_guard() != 0)
        log_warn("evtchn: no thread to release ports held back for an event storm; "
                 "storms are not held back");
}

/* Once the page tables exist: the PV console. */
void platform_init(void)
{
    if (!xen.on_xen)
        return;
    long v = hypercall_xen_version(XENVER_version, NULL);
    xen_console_init();
    timeline_mark("xcons");
    if (shared_info_init() != 0)    /* pvclock and the wall clock */
        return;
    if (evtchn_init() != 0)         /* the upcall vector, all ports masked */
        return;
    timeline_mark("evtchn");
    sched_set_interrupts(true);
    intr_enable();
    if (xs_init() == 0) {           /* Xenstore */
        xen.xenstore = true;
        config_xs_prefetch();       /* the answer travels while boot goes on */
    }
    xen_console_bind_events();      /* console input wakes readers */
    xen_timer_init();               /* sleeps block instead of spinning */
    timeline_mark("timer");
    gnttab_init();                  /* grant frames and free references */
    timeline_mark("gnttab");
    log_info("xen: Xen %ld.%ld, hypercall page at %p", v >> 16, v & 0xffff,
             (void *)hypercall_page);
}
