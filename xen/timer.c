/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timers: Xen's single-shot vCPU timer (VCPUOP_set_singleshot_timer),
 * whose expiry arrives as VIRQ_TIMER, behind the kernel's sleeps. While
 * waiting, the vCPU is blocked in xen_mode->idle: SCHEDOP_poll on the
 * bound ports for PVH (evtchn_poll_idle), SCHEDOP_block for PV. Xen
 * blocks the vCPU only if no event is pending, so an event that arrives
 * after the kernel's last check is not missed.
 */
#include <stdint.h>

#include <xen/xen.h>
#include <xen/vcpu.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "evtchn.h"
#include "hypercall.h"
#include "mode.h"
#include "shared_info.h"
#include "timer.h"

static struct {
    evtchn_port_t port;
    volatile unsigned long fired;
    bool armed;                 /* a deadline set and not yet fired: */
    uint64_t armed_ns;          /* ...this one (monotonic) */
    unsigned long armed_gen;    /* ...set when (fired) read this */
} tmr;

/* Interrupt context: just count. */
static void timer_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    tmr.fired++;
}

/*
 * Make the timer fire no later than (deadline_ns). A deadline already set
 * that has not fired and comes no later is kept: the kernel asks again
 * each time it idles, mostly for the same sleeper, and each set is a
 * hypercall. Firing early is harmless: whoever waits checks its own
 * deadline when it wakes and asks again.
 */
static void arm(uint64_t deadline_ns)
{
    if (tmr.armed && tmr.fired == tmr.armed_gen && tmr.armed_ns <= deadline_ns)
        return;
    uint64_t abs = time_to_source_ns(deadline_ns);
    /* Xen reads the deadline as signed: one beyond INT64_MAX would fire
     * at once. Such a deadline is "never": leave the timer unarmed. */
    if (abs > INT64_MAX || abs < deadline_ns)
        return;
    struct vcpu_set_singleshot_timer t = {
        .timeout_abs_ns = abs,
        .flags = 0,             /* a deadline in the past fires at once */
    };
    unsigned long gen = tmr.fired;
    if (hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t) == 0) {
        tmr.armed = true;
        tmr.armed_ns = deadline_ns;
        tmr.armed_gen = gen;
    } else {
        tmr.armed = false;
    }
}

static void idle(void)
{
    xen_mode->idle();
}

static const struct platform_timer_ops xen_timer_ops = {
    .arm = arm,
    .idle = idle,
};

int xen_timer_resume(void)
{
    return xen_timer_init();
}

int xen_timer_init(void)
{
    tmr.armed = false;          /* also after a restore: nothing is set */
    /* Xen starts a vCPU with a 100 Hz periodic timer on the same VIRQ:
     * the single-shot timer is all the kernel needs. */
    hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    int rc = evtchn_bind_virq(VIRQ_TIMER, &tmr.port);
    if (rc != 0 || evtchn_bind(tmr.port, timer_event, NULL) != 0) {
        log_err("timer: cannot bind VIRQ_TIMER (error %d)", rc);
        return -1;
    }
    evtchn_set_trusted(tmr.port);
    time_set_timer(&xen_timer_ops);
    return 0;
}
