/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time from the TSC, until the Xen platform's pvclock takes over.
 * Monotonic time counts from the TSC value recorded at entry; the
 * frequency comes from CPUID or a calibration (arch/x86_64/tsc.c), and
 * the method is logged. The wall clock is the CMOS RTC read once at boot
 * plus monotonic time; without a usable RTC it starts at the epoch.
 */
#include <errno.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"

static struct {
    uint64_t freq;          /* TSC ticks per second */
    uint64_t mult;          /* ns per tick, as a 32.32 fixed-point value */
    uint64_t epoch_ns;      /* wall-clock time at monotonic time 0 */
    /* A platform clock (Xen's pvclock), once registered. */
    uint64_t (*source)(void);
    uint64_t (*wall)(void);
    uint64_t source_offset; /* source time at monotonic time 0 */
    const struct platform_timer_ops *timer;
} clk;

uint64_t time_tsc_to_ns(uint64_t delta)
{
    return (uint64_t)(((unsigned __int128)delta * clk.mult) >> 32);
}

void time_init(void)
{
    const char *method;

    clk.freq = tsc_freq_detect(&method);
    clk.mult = (1000000000ULL << 32) / clk.freq;
    log_info("time: TSC %llu.%03llu MHz (%s)",
             (unsigned long long)(clk.freq / 1000000),
             (unsigned long long)(clk.freq / 1000 % 1000), method);

    int64_t secs;
    if (clk.wall != NULL)
        return;                 /* the platform has a better wall clock */
    if (rtc_read_epoch(&secs) == 0) {
        uint64_t now = time_monotonic_ns();
        clk.epoch_ns = (uint64_t)secs * 1000000000ULL - now;
    } else {
        log_warn("time: no usable real-time clock; wall clock starts at 1970-01-01");
    }
}

uint64_t time_monotonic_ns(void)
{
    if (clk.source != NULL)
        return clk.source() - clk.source_offset;
    if (clk.mult == 0)
        return 0;
    return time_tsc_to_ns(rdtsc() - boot_tsc);
}

uint64_t time_wallclock_ns(void)
{
    if (clk.wall != NULL)
        return clk.wall();
    return clk.epoch_ns + time_monotonic_ns();
}

/*
 * Switch to a platform clock; (at_entry) is its time at the kernel's
 * first instruction, so monotonic time still counts from entry. (wall),
 * if not NULL, replaces the RTC-based wall clock.
 */
void time_set_source(uint64_t (*source)(void), uint64_t (*wall)(void),
                     uint64_t at_entry, const char *name)
{
    clk.source_offset = at_entry;
    clk.source = source;
    clk.wall = wall;
    log_info("time: clock source %s", name);
}

/*
 * Block until (*counter) differs from (seen), which an interrupt handler
 * changes, or until (deadline_ns): 0, or -ETIMEDOUT. The check and the
 * block are atomic with respect to the interrupt (see time_sleep_until).
 */
/*
 * The scheduler's idle: nothing is runnable until (deadline_ns) or an
 * interrupt. Entered and left with interrupts disabled. Without a
 * platform timer (QEMU without Xen) there are no interrupts: spin to the
 * deadline, and a deadline of never means every thread is blocked for good.
 */
static unsigned long idle_entries;

static uint64_t tick_ns;              /* the watchdog's tick; 0: none */

unsigned long time_idle_count(void)
{
    return idle_entries;
}

void time_idle_until(uint64_t deadline_ns)
{
    idle_entries++;
    if (clk.timer != NULL) {
        if (tick_ns != 0 && time_monotonic_ns() + tick_ns < deadline_ns)
            deadline_ns = time_monotonic_ns() + tick_ns;
        if (deadline_ns != UINT64_MAX)
            clk.timer->arm(deadline_ns);
        clk.timer->idle();          /* enables interrupts, then blocks */
        intr_disable();
        return;
    }
    if (deadline_ns == UINT64_MAX)
        panic("sched: every thread is blocked and nothing can wake them");
    time_spin_until(deadline_ns);
}

int time_wait_change(volatile unsigned long *counter, unsigned long seen,
                     uint64_t deadline_ns)
{
    int rc = 0;

    if (sched_started()) {
        for (;;) {
            intr_disable();
            if (*counter != seen)
                break;
            if (time_monotonic_ns() >= deadline_ns) {
                rc = -ETIMEDOUT;
                break;
            }
            thread_wait_event_locked(counter, seen, deadline_ns);
        }
        intr_enable();
        return rc;
    }

    if (clk.timer != NULL)
        clk.timer->arm(deadline_ns);
    for (;;) {
        intr_disable();
        if (*counter != seen)
            break;
        if (time_monotonic_ns() >= deadline_ns) {
            rc = -ETIMEDOUT;
            break;
        }
        if (clk.timer != NULL)
            clk.timer->idle();
        else
            intr_enable(), cpu_relax();
    }
    intr_enable();
    return rc;
}

void time_set_tick(uint64_t period_ns)
{
    tick_ns = period_ns;
}

void time_tick_rearm(void)
{
    if (clk.timer != NULL && tick_ns != 0)
        clk.timer->arm(time_monotonic_ns() + tick_ns);
}

/* After a restore (maybe on another host): monotonic time goes on from
 * (last_ns), its value at the suspend, whatever the platform clock reads. */
void time_resume(uint64_t last_ns)
{
    if (clk.source != NULL)
        clk.source_offset = clk.source() - last_ns;
}

/* A monotonic time as the platform clock's time, for its timers. */
uint64_t time_to_source_ns(uint64_t monotonic_ns)
{
    return monotonic_ns + clk.source_offset;
}

/* Busy-wait, for when there is no platform timer (QEMU without Xen). */
void time_spin_until(uint64_t deadline_ns)
{
    while (time_monotonic_ns() < deadline_ns)
        cpu_relax();
}

void time_set_timer(const struct platform_timer_ops *ops)
{
    clk.timer = ops;
}

/*
 * Sleep until (deadline_ns). With a platform timer the vCPU blocks: arm
 * the timer, then check and idle with interrupts disabled in between, so
 * the wake-up cannot slip between the check and the block. Without one,
 * spin.
 */
void time_sleep_until(uint64_t deadline_ns)
{
    if (sched_started()) {
        thread_sleep_until(deadline_ns);
        return;
    }
    if (clk.timer == NULL) {
        time_spin_until(deadline_ns);
        return;
    }
    clk.timer->arm(deadline_ns);
    for (;;) {
        intr_disable();
        if (time_monotonic_ns() >= deadline_ns)
            break;
        clk.timer->idle();          /* enables interrupts, then blocks */
    }
    intr_enable();
}
