/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PV console, output side: bytes go into the "out" ring of the
 * console page that Xen gives the guest (xen_mode->console), and the
 * console event channel tells xenconsoled in dom0. The ring indexes come
 * from the backend and are untrusted: if out_prod - out_cons is ever more
 * than the ring holds, the console is marked broken, reported on the early
 * console, and output falls back to it. A full ring is waited on for a
 * bounded time per write, then output is dropped until the backend has
 * caught up: a stuck or slow backend never hangs the guest. Input comes from the "in" ring, whose producer index is checked
 * the same way; the console's event channel wakes a blocked reader.
 */
#include <stdint.h>
#include <string.h>

#include <xen/io/console.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "console.h"
#include "evtchn.h"
#include "hypercall.h"
#include "mode.h"

#define WAIT_SPINS 20000000UL           /* before the clock runs: a second or more */
#define WAIT_NS 1000000000ULL           /* once it runs: a second */

static struct {
    volatile struct xencons_interface *ring;
    evtchn_port_t port;
    bool primary;               /* registered as the kernel's console */
    bool broken;
    bool stalled;               /* the backend stopped reading: output dropped */
    unsigned long dropped;      /* bytes dropped while stalled */
    volatile unsigned long kicks;   /* bumped by the event handler */
} cons;

static void mark_broken(XENCONS_RING_IDX prod, XENCONS_RING_IDX cons_idx);

/* Interrupt context: input arrived or output was consumed. */
static void console_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    cons.kicks++;
}

/* One byte of input, or -1 when none is waiting. */
static int xen_console_getc(void)
{
    if (cons.ring == NULL || cons.broken)
        return earlycon_getc();
    XENCONS_RING_IDX c = cons.ring->in_cons;            /* ours */
    XENCONS_RING_IDX p = cons.ring->in_prod;            /* read once */
    __asm__ volatile("lfence" ::: "memory");            /* index before data */
    if (p - c > sizeof(cons.ring->in)) {
        mark_broken(p, c);
        return -1;
    }
    if (p == c)
        return -1;
    int ch = (unsigned char)cons.ring->in[MASK_XENCONS_IDX(c, cons.ring->in)];
    __asm__ volatile("mfence" ::: "memory");            /* data before freeing it */
    cons.ring->in_cons = c + 1;
    hypercall_evtchn_send(cons.port);
    return ch;
}

static volatile unsigned long *xen_console_input_counter(void)
{
    return &cons.kicks;
}

static void mark_broken(XENCONS_RING_IDX prod, XENCONS_RING_IDX cons_idx)
{
    char msg[120];
    cons.broken = true;
    int n = ksnprintf(msg, sizeof(msg),
                      "xen console: bad ring indexes from the backend (prod %u, cons %u); using the early console\n",
                      prod, cons_idx);
    earlycon_write(msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
}

/* Free space in the out ring, or -1 if the indexes are impossible. */
static long ring_space(XENCONS_RING_IDX *prod)
{
    XENCONS_RING_IDX c = cons.ring->out_cons;   /* read once */
    *prod = cons.ring->out_prod;                /* ours */
    __asm__ volatile("" ::: "memory");
    XENCONS_RING_IDX used = *prod - c;
    if (used > sizeof(cons.ring->out)) {
        mark_broken(*prod, c);
        return -1;
    }
    return (long)(sizeof(cons.ring->out) - used);
}

/* Put (n) bytes that fit in the ring's free space at (prod), and notify. */
static void ring_put(XENCONS_RING_IDX prod, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cons.ring->out[MASK_XENCONS_IDX(prod + i, cons.ring->out)] = s[i];
    /* The bytes must be visible before the new producer index. */
    __asm__ volatile("sfence" ::: "memory");
    cons.ring->out_prod = prod + (XENCONS_RING_IDX)n;
    hypercall_evtchn_send(cons.port);
}

/*
 * Output waits for ring space at most WAIT_SPINS per call, in all (not
 * per byte): a backend that frees a byte now and then would otherwise
 * cost a second per byte. When a call runs out of it the console is
 * "stalled": output is dropped (and counted) without waiting until the
 * backend has emptied half the ring, then a line says how much was lost.
 */
static void xen_console_write(const char *s, size_t n)
{
    if (cons.broken) {
        if (cpu_pv == NULL)     /* on PV, the early console is this ring */
            earlycon_write(s, n);
        return;
    }
    unsigned long spins = 0;
    uint64_t deadline = 0;
    while (n > 0) {
        XENCONS_RING_IDX prod;
        long space = ring_space(&prod);
        if (space < 0) {
            if (cpu_pv == NULL)
                earlycon_write(s, n);
            return;
        }
        if (cons.stalled) {
            if (space < (long)sizeof(cons.ring->out) / 2) {
                cons.dropped += n;
                return;
            }
            cons.stalled = false;
            char note[96];
            int k = ksnprintf(note, sizeof(note),
                              "\n[xen console: %lu bytes dropped: the backend was not reading]\n",
                              cons.dropped);
            cons.dropped = 0;
            ring_put(prod, note, (size_t)k < sizeof(note) ? (size_t)k : sizeof(note) - 1);
            continue;
        }
        if (space == 0) {
            /* The budget: a second of time once the clock runs (under
             * emulation, spins are much slower than natively). */
            if (sched_started() && deadline == 0)
                deadline = time_monotonic_ns() + WAIT_NS;
            if (deadline != 0 ? time_monotonic_ns() >= deadline : spins++ >= WAIT_SPINS) {
                cons.stalled = true;
                cons.dropped += n;
                return;
            }
            cpu_relax();
            continue;
        }
        size_t k = n < (size_t)space ? n : (size_t)space;
        ring_put(prod, s, k);
        s += k;
        n -= k;
    }
}

/* Wait (bounded) until the backend has read everything written. */
void xen_console_flush(void)
{
    if (cons.ring == NULL || cons.broken || cons.stalled)
        return;
    for (unsigned long i = 0; i < WAIT_SPINS; i++) {
        XENCONS_RING_IDX prod;
        long space = ring_space(&prod);
        if (space < 0 || space == (long)sizeof(cons.ring->out))
            return;
        cpu_relax();
    }
}

static const struct console_ops xen_console_ops = {
    .write = xen_console_write,
    .getc = xen_console_getc,
    .input_counter = xen_console_input_counter,
};

/* Once event channels work: wake blocked readers on console events. */
void xen_console_bind_events(void)
{
    if (cons.ring != NULL && evtchn_bind(cons.port, console_event, NULL) != 0)
        log_warn("xen console: input will be polled");
}

/* After a restore: the page is the same, its event channel may not be. */
int xen_console_resume(void)
{
    void *ring;
    evtchn_port_t port;
    if (cons.ring == NULL || xen_mode->console(&ring, &port) != 0)
        return -1;
    cons.port = port;
    cons.stalled = false;
    return evtchn_bind(cons.port, console_event, NULL);
}

/* Map the console page and make it the primary console: 0 or -1. */
int xen_console_init(void)
{
    void *ring;
    evtchn_port_t port;

    if (xen_mode->console(&ring, &port) != 0)
        return -1;
    cons.ring = ring;
    cons.port = port;
    cons.primary = true;
    console_set_primary(&xen_console_ops);
    log_debug("xen console: page %p, event channel %u", ring, cons.port);
    return 0;
}

/*
 * PV has no port I/O, so the ring is also the early console (and the
 * panic path): usable from the first instruction, before it becomes the
 * primary console; from then on the primary path writes it, once.
 */
void xen_console_early_init(void *ring, evtchn_port_t port)
{
    cons.ring = ring;
    cons.port = port;
}

void xen_console_early_write(const char *s, size_t n)
{
    if (cons.ring != NULL && !cons.primary)
        xen_console_write(s, n);
}
