/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Leaving the guest. power_exit(N) prints the final "exit status N" line
 * that runners look for, then asks the platform to shut down (the Xen
 * platform registers SCHEDOP_shutdown); without a platform hook it uses
 * QEMU's isa-debug-exit port, and halts if nothing ends the guest.
 * power_crash() does the same after a crash report, with a crash status.
 */
#include "kernel.h"
#include "../arch/x86_64/arch.h"

/* What the QEMU runner sees for a crash: (0x7f << 1) | 1 = 255. */
#define QEMU_CRASH_CODE 0x7f

static struct {
    const struct platform_power_ops *plat;
    bool exiting;
    enum power_action action;
} power;

/* What the final shutdown should do (the toolstack may ask for a reboot). */
void power_request(enum power_action action)
{
    power.action = action;
}

enum power_action power_requested(void)
{
    return power.action;
}

void power_set_platform(const struct platform_power_ops *ops)
{
    power.plat = ops;
}

void power_exit(int status)
{
    status &= 0xff;
    if (!power.exiting) {
        power.exiting = true;
        kprintf("exit status %d\n", status);
        if (power.plat != NULL && power.plat->shutdown != NULL)
            power.plat->shutdown(status);
    }
    power_qemu_exit((unsigned)status);
    cpu_halt_forever();
}

void power_crash(void)
{
    if (!power.exiting) {
        power.exiting = true;
        kprintf("xenolith: guest crashed\n");
        if (power.plat != NULL && power.plat->crash != NULL)
            power.plat->crash();
    }
    power_qemu_exit(QEMU_CRASH_CODE);
    cpu_halt_forever();
}
