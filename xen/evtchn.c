/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Event channels, 2-level ABI. Xen raises the upcall, delivered to the
 * handler of vector EVTCHN_VECTOR (set up by xen_mode->events_init: a
 * callback vector for PVH, the event callback for PV), whenever a pending, unmasked port appears; evtchn_upcall() walks the
 * selector word and the pending bitmaps and calls each port's handler.
 *
 * Handlers run in interrupt context: they may only record what happened
 * (set a flag, wake a waiter); they must not block, allocate or log.
 * Ports are masked until a handler is bound; unmasking goes through
 * EVTCHNOP_unmask, so Xen re-raises an event that arrived while masked.
 *
 * evtchn_poll_idle() is the PVH guest's idle: rather than "sti; hlt", it
 * blocks in SCHEDOP_poll on every bound port with interrupts still
 * disabled, then runs the handlers of what is pending itself. Xen decides
 * to block by looking at the ports' pending bits, which only our handlers
 * clear, so no event can be consumed between the decision to idle and the
 * block. "sti; hlt" depends on the STI shadow for that: on Xen under
 * QEMU's emulation, a guest idling that way was found halted for 48 s
 * with its timer armed for the moment it went idle and no event pending
 * (the event had been taken and handled, the halt came after), so
 * `make soak`'s httpd stopped answering after tens of thousands of
 * connections.
 *
 * Event storms: a backend may notify as fast as it can, from several
 * threads. Each notification costs the one vCPU an upcall and wakes the
 * waiters, so a port that fires more than xen.evtchn_storm times within
 * STORM_WINDOW_NS is masked ("held") for STORM_HOLD_NS and left out of
 * the idle poll; a thread unmasks it then (Xen re-raises what arrived
 * meanwhile, so nothing is lost: the work is only batched). The timer's
 * port is never held (the unmasking depends on it). The first storm of a
 * port is logged, then every power of two.
 */
#include <errno.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

#include <xenolith.h>
#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "evtchn.h"
#include "hypercall.h"
#include "mode.h"
#include "shared_info.h"

#define BITS_PER_WORD   (sizeof(xen_ulong_t) * 8)
#define NR_WORDS        (sizeof(xen_ulong_t) * 8)

#define STORM_WINDOW_NS 1000000ULL     /* 1 ms */
#define STORM_EVENTS    64             /* default of xen.evtchn_storm */
#define STORM_HOLD_NS   1000000ULL

static struct {
    struct {
        evtchn_handler_fn fn;
        void *arg;
        bool trusted;                       /* never held (the timer) */
        bool held;                          /* masked for a storm until (until) */
        unsigned count;                     /* events in the current window */
        uint64_t window, until;
        unsigned long storms, logged;
    } port[EVTCHN_MAX_PORTS];
    struct thread *storm_thread;
    unsigned storm_events;                  /* per port per window; 0: never held */
    volatile unsigned long storm_gen;       /* bumped when a port is held */
    unsigned long upcalls;
    evtchn_port_t bound[EVTCHN_MAX_PORTS];  /* ports with a handler, for SCHEDOP_poll */
    unsigned nbound;
    xen_ulong_t bound_words;                /* words of the pending bitmap they are in */
} ev;

static void bound_update(void);
static void mask(evtchn_port_t port);

/* Interrupt context: count (port)'s event; true when it is now held. */
static bool storm_check(evtchn_port_t port, uint64_t now)
{
    typeof(ev.port[0]) *p = &ev.port[port];
    if (p->trusted || ev.storm_thread == NULL || ev.storm_events == 0)
        return false;
    if (now - p->window >= STORM_WINDOW_NS) {
        p->window = now;
        p->count = 0;
    }
    if (++p->count <= ev.storm_events)
        return false;
    mask(port);
    p->held = true;
    p->until = now + STORM_HOLD_NS;
    p->storms++;
    bound_update();
    ev.storm_gen++;
    sched_wake(ev.storm_thread);
    return true;
}

void evtchn_upcall(struct trap_frame *tf)
{
    volatile struct shared_info *s = shared_info();
    volatile struct vcpu_info *v = vcpu_info();
    uint64_t now = 0;

    ev.upcalls++;
    do {
        v->evtchn_upcall_pending = 0;
        /* Clear the flag before reading the selector, so an event that
         * arrives meanwhile sets it again and is seen by the loop. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        xen_ulong_t sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel != 0) {
            unsigned w = (unsigned)__builtin_ctzl(sel);
            sel &= sel - 1;
            /* Only ports pending now and unmasked now. */
            xen_ulong_t pend = s->evtchn_pending[w] & ~s->evtchn_mask[w];
            while (pend != 0) {
                unsigned b = (unsigned)__builtin_ctzl(pend);
                pend &= pend - 1;
                evtchn_port_t port = w * BITS_PER_WORD + b;
                __atomic_fetch_and(&s->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
                if (port < EVTCHN_MAX_PORTS && ev.port[port].fn != NULL) {
                    ev.port[port].fn(port, ev.port[port].arg);
                    if (now == 0)
                        now = time_monotonic_ns();
                    storm_check(port, now);
                }
            }
        }
    } while (v->evtchn_upcall_pending);
    sched_interrupt(tf);            /* waiters re-check their conditions */
}

/*
 * Idle until an event (PVH): entered with interrupts disabled, returns
 * with them enabled, the handlers of every pending port run.
 */
void evtchn_poll_idle(void)
{
    volatile struct vcpu_info *v = vcpu_info();

    static bool poll_failed;

    if (!v->evtchn_upcall_pending && ev.nbound > 0 && !poll_failed) {
        long rc = hypercall_sched_poll(ev.bound, ev.nbound, 0);
        if (rc != 0) {
            poll_failed = true;
            log_warn("evtchn: SCHEDOP_poll failed (error %ld); idling with sti; hlt", rc);
        }
    }
    if (poll_failed) {
        cpu_idle();
        return;
    }
    /* A pending bit of a bound port is what ends the poll: scan every
     * word that holds one, whatever the selector says, so that what woke
     * us is always handled and the next idle cannot return at once. */
    __atomic_fetch_or(&v->evtchn_pending_sel, ev.bound_words, __ATOMIC_SEQ_CST);
    evtchn_upcall(NULL);
    intr_enable();
}

static void bound_update(void)
{
    unsigned n = 0;
    xen_ulong_t words = 0;
    for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
        if (ev.port[p].fn != NULL && !ev.port[p].held) {
            ev.bound[n++] = p;
            words |= (xen_ulong_t)1 << (p / BITS_PER_WORD);
        }
    }
    ev.nbound = n;
    ev.bound_words = words;
}

static void mask(evtchn_port_t port)
{
    __atomic_fetch_or(&shared_info()->evtchn_mask[port / BITS_PER_WORD],
                      1UL << (port % BITS_PER_WORD), __ATOMIC_SEQ_CST);
}

int evtchn_init(void)
{
    volatile struct shared_info *s = shared_info();

    for (unsigned i = 0; i < NR_WORDS; i++)
        s->evtchn_mask[i] = ~(xen_ulong_t)0;
    intr_register(EVTCHN_VECTOR, evtchn_upcall);
    if (xen_mode->events_init() != 0)
        return -1;
    vcpu_info()->evtchn_upcall_mask = 0;
    return 0;
}

/*
 * After a restore the new domain has none of our event channels: forget
 * every binding (their owners bind again), mask every port, and have
 * upcalls delivered again. Interrupts are off.
 */
int evtchn_resume(void)
{
    volatile struct shared_info *s = shared_info();
    for (unsigned i = 0; i < NR_WORDS; i++)
        s->evtchn_mask[i] = ~(xen_ulong_t)0;
    for (evtchn_port_t p = 0; p < EVTCHN_MAX_PORTS; p++) {
        ev.port[p].fn = NULL;
        ev.port[p].arg = NULL;
        ev.port[p].held = false;
        ev.port[p].trusted = false;
    }
    bound_update();
    if (xen_mode->events_init() != 0)
        return -1;
    vcpu_info()->evtchn_upcall_mask = 0;
    return 0;
}

int evtchn_bind(evtchn_port_t port, evtchn_handler_fn fn, void *arg)
{
    if (port == 0 || port >= EVTCHN_MAX_PORTS) {
        log_err("evtchn: port %u beyond the %d this kernel handles", port, EVTCHN_MAX_PORTS);
        return -ENOSPC;
    }
    bool f = intr_save();
    ev.port[port].arg = arg;
    __atomic_store_n(&ev.port[port].fn, fn, __ATOMIC_SEQ_CST);
    bound_update();
    intr_restore(f);
    evtchn_unmask(port);
    return 0;
}

void evtchn_unbind(evtchn_port_t port)
{
    if (port >= EVTCHN_MAX_PORTS)
        return;
    mask(port);
    bool f = intr_save();
    __atomic_store_n(&ev.port[port].fn, NULL, __ATOMIC_SEQ_CST);
    ev.port[port].arg = NULL;
    ev.port[port].held = false;
    ev.port[port].trusted = false;
    bound_update();
    intr_restore(f);
}

void evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };
    hypercall_evtchn_op(EVTCHNOP_unmask, &op);
}

int evtchn_notify(evtchn_port_t port)
{
    return (int)hypercall_evtchn_send(port);
}

int evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = hypercall_evtchn_op(EVTCHNOP_alloc_unbound, &op);
    if (rc == 0)
        *port = op.port;
    return (int)rc;
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                            evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote, .remote_port = remote_port };
    long rc = hypercall_evtchn_op(EVTCHNOP_bind_interdomain, &op);
    if (rc == 0)
        *port = op.local_port;
    return (int)rc;
}

int evtchn_bind_virq(uint32_t virq, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
    long rc = hypercall_evtchn_op(EVTCHNOP_bind_virq, &op);
    if (rc == 0)
        *port = op.port;
    return (int)rc;
}

int evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };
    evtchn_unbind(port);
    return (int)hypercall_evtchn_op(EVTCHNOP_close, &op);
}

/* Unmask the held ports whose time is up; log new storms. */
static void *storm_thread(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned long gen = ev.storm_gen;
        uint64_t now = time_monotonic_ns(), next = 0;
        for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
            typeof(ev.port[0]) *e = &ev.port[p];
            if (!e->held)
                continue;
            if (e->storms != e->logged && (e->storms & (e->storms - 1)) == 0)
                log_warn("evtchn: port %u fired more than %u times within 1 ms: its events are "
                         "held back 1 ms at a time (%lu times so far)", p, ev.storm_events,
                         e->storms);
            e->logged = e->storms;
            if (e->until <= now) {
                bool f = intr_save();
                e->held = false;
                e->count = 0;
                e->window = now;
                bound_update();
                intr_restore(f);
                if (e->fn != NULL)
                    evtchn_unmask(p);
            } else if (next == 0 || e->until < next) {
                next = e->until;
            }
        }
        /* Block, unless a port was held since the scan began. */
        intr_disable();
        if (ev.storm_gen == gen)
            thread_block_until(next);
        intr_enable();
    }
    return NULL;
}

int evtchn_start_storm_guard(void)
{
    unsigned long long n = STORM_EVENTS;
    xn_config_uint("xen.evtchn_storm", STORM_EVENTS, 1000000, &n);
    ev.storm_events = (unsigned)n;
    if (n == 0)
        return 0;
    ev.storm_thread = thread_create("evtchn-storm", storm_thread, NULL, 16384);
    return ev.storm_thread != NULL ? 0 : -ENOMEM;
}

void evtchn_set_trusted(evtchn_port_t port)
{
    if (port < EVTCHN_MAX_PORTS)
        ev.port[port].trusted = true;
}

unsigned long evtchn_upcalls(void)
{
    return ev.upcalls;
}
