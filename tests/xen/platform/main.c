/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest test of the Xen platform, run on real Xen by make check:
 *   - an event channel loopback: a port allocated for ourselves, bound
 *     back to ourselves, notified: the handler must run;
 *   - grant tables: pages granted to dom0 and ended, the pool exhausted
 *     and refilled, a reference that is not granted refused;
 *   - an event storm on a loopback port (notified 5000 times, yielding
 *     now and then): the port is held back (fewer handler runs than
 *     notifications), and a notification after the storm still arrives;
 *   - sleeps of 1, 10 and 100 ms: never early; the time taken is printed
 *     (recorded, not asserted tightly: the harness is emulated); the vCPU
 *     must block, not spin, so the number of timer upcalls stays small.
 * Prints PASS or FAIL lines; exits 0 only if all passed.
 */
#include <stdio.h>
#include <time.h>

#include <errno.h>

#include "evtchn.h"
#include "gnttab.h"
#include "kernel.h"

static volatile int fired;

static void on_event(evtchn_port_t port, void *arg)
{
    (void)port;
    fired += (int)(long)arg;
}

static int loopback(void)
{
    evtchn_port_t a, b;
    int rc = evtchn_alloc_unbound(DOMID_SELF, &a);
    if (rc != 0) {
        printf("FAIL evtchn: alloc_unbound: %d\n", rc);
        return 1;
    }
    rc = evtchn_bind_interdomain(DOMID_SELF, a, &b);
    if (rc != 0) {
        printf("FAIL evtchn: bind_interdomain: %d\n", rc);
        return 1;
    }
    evtchn_bind(a, on_event, (void *)1L);
    for (int i = 0; i < 3; i++) {
        int before = fired;
        evtchn_notify(b);
        uint64_t until = time_monotonic_ns() + 100000000ULL;
        while (fired == before && time_monotonic_ns() < until)
            time_sleep_until(time_monotonic_ns() + 1000000ULL);
        if (fired != before + 1) {
            printf("FAIL evtchn: notification %d: handler ran %d times\n", i, fired - before);
            return 1;
        }
    }
    evtchn_close(b);
    evtchn_close(a);
    printf("PASS evtchn loopback: ports %u and %u, 3 notifications delivered\n", a, b);
    return 0;
}

static int storm(void)
{
    evtchn_port_t a, b;
    if (evtchn_alloc_unbound(DOMID_SELF, &a) != 0 || evtchn_bind_interdomain(DOMID_SELF, a, &b) != 0) {
        printf("FAIL evtchn storm: no loopback ports\n");
        return 1;
    }
    fired = 0;
    evtchn_bind(a, on_event, (void *)1L);
    uint64_t t0 = time_monotonic_ns();
    for (int i = 0; i < 5000; i++) {
        evtchn_notify(b);
        if (i % 500 == 499)
            time_sleep_until(time_monotonic_ns() + 2000000ULL);
    }
    time_sleep_until(time_monotonic_ns() + 20000000ULL);
    int during = fired;
    evtchn_notify(b);
    uint64_t until = time_monotonic_ns() + 100000000ULL;
    while (fired == during && time_monotonic_ns() < until)
        time_sleep_until(time_monotonic_ns() + 1000000ULL);
    int after = fired - during;
    evtchn_close(b);
    evtchn_close(a);
    printf("evtchn storm: 5000 notifications in %llu ms, the handler ran %d times\n",
           (unsigned long long)((time_monotonic_ns() - t0) / 1000000), during);
    if (during <= 0 || during >= 5000 || after != 1) {
        printf("FAIL evtchn storm: handler ran %d times for 5000 notifications, %d after\n", during,
               after);
        return 1;
    }
    printf("PASS evtchn storm held back, the next notification delivered\n");
    return 0;
}

static grant_ref_t refs[4096];
static char page[4096] __attribute__((aligned(4096)));

static int grants(void)
{
    uint64_t gfn = (uintptr_t)page >> 12;
    unsigned start = gnttab_free_count(), n = 0;

    if (start == 0) {
        printf("FAIL gnttab: no free references\n");
        return 1;
    }
    while (n < sizeof(refs) / sizeof(refs[0]) &&
           gnttab_grant_access(0, gfn, n % 2 == 0, &refs[n]) == 0)
        n++;
    if (n != start || gnttab_free_count() != 0) {
        printf("FAIL gnttab: granted %u of %u references\n", n, start);
        return 1;
    }
    grant_ref_t extra;
    if (gnttab_grant_access(0, gfn, true, &extra) != -ENOSPC) {
        printf("FAIL gnttab: an exhausted pool granted more\n");
        return 1;
    }
    for (unsigned i = 0; i < n; i++) {
        int rc = gnttab_end_access(refs[i]);
        if (rc != 0) {
            printf("FAIL gnttab: end_access(%u): %d\n", refs[i], rc);
            return 1;
        }
    }
    if (gnttab_free_count() != start || gnttab_end_access(refs[0]) != -EINVAL) {
        printf("FAIL gnttab: pool not restored, or a double end accepted\n");
        return 1;
    }
    printf("PASS gnttab: %u references granted to dom0 and ended\n", n);
    return 0;
}

static int sleeps(void)
{
    static const long ms[] = { 1, 10, 100 };
    int bad = 0;

    /* Let the kernel's own threads (the control thread) settle first. */
    time_sleep_until(time_monotonic_ns() + 50000000ULL);
    for (unsigned i = 0; i < 3; i++) {
        struct timespec t0, t1, req = { 0, ms[i] * 1000000L };
        unsigned long up0 = evtchn_upcalls(), idle0 = time_idle_count();
        clock_gettime(CLOCK_MONOTONIC, &t0);
        nanosleep(&req, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        unsigned long ups = evtchn_upcalls() - up0, idles = time_idle_count() - idle0;
        long us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
        printf("sleep %ld ms took %ld us, %lu upcalls, %lu idle periods\n", ms[i], us, ups, idles);
        if (us < ms[i] * 1000) {
            printf("FAIL sleep %ld ms returned early\n", ms[i]);
            bad = 1;
        }
        /* Blocked: the vCPU idled, and woke only a few times. */
        if (idles == 0 || ups > 10) {
            printf("FAIL sleep %ld ms: %lu idle periods, %lu upcalls: not blocked\n", ms[i], idles, ups);
            bad = 1;
        }
    }
    if (!bad)
        printf("PASS sleeps block and are never early\n");
    return bad;
}

int main(void)
{
    int bad = loopback();
    bad |= storm();
    bad |= grants();
    bad |= sleeps();
    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
