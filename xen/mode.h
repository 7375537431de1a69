/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How the guest reaches Xen's per-domain pages and upcalls: different for
 * a PVH guest (HVM params, XENMEM_add_to_physmap, a callback vector) and a
 * PV guest (start_info, machine frames mapped by hypercall, callbacks).
 * The boot protocol that started the kernel (xen/pvh.c or xen/pv.c) sets
 * xen_mode; the drivers only call through it.
 */
#ifndef XEN_MODE_H
#define XEN_MODE_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

struct xen_mode {
    const char *name;                       /* "PVH" or "PV" */
    /* The console and Xenstore rings, mapped, and their event channels:
     * 0, or -1 with a message logged. */
    int (*console)(void **ring, evtchn_port_t *port);
    int (*store)(void **ring, evtchn_port_t *port);
    /* Make (page), one page of our .bss, show the shared info page. */
    int (*map_shared_info)(void *page);
    /* Have event upcalls delivered to the handler of EVTCHN_VECTOR. */
    int (*events_init)(void);
    /* Make (frames) pages at (pages) show the grant table's frames. */
    int (*map_grant_frames)(void *pages, unsigned frames);
    /* The frame number a backend is given for the page at (va). */
    uint64_t (*gfn)(const void *va);
    /* Block the vCPU until an event arrives and is handled: entered with
     * interrupts disabled, returns with them enabled. */
    void (*idle)(void);
    /* Suspend and resume (suspend.c); NULL where nothing is needed.
     * suspend_setup: what the toolstack's save reads, published (again
     * after a restore); 0, or -1 (logged): suspend is not offered.
     * suspend_prepare: the last step before SCHEDOP_shutdown(suspend),
     * with interrupts off; returns the hypercall's third argument.
     * suspend_done: the first step after it (cancelled: the same domain
     * goes on); 0, or -1 (logged). */
    int (*suspend_setup)(void);
    unsigned long (*suspend_prepare)(void);
    int (*suspend_done)(bool cancelled);
    /* Make the pages that show grant frames show our own memory again
     * (before a save); NULL where the frames need no undoing. */
    void (*unmap_grant_frames)(void *pages, unsigned frames);
};

extern const struct xen_mode *xen_mode;
extern const struct xen_mode xen_mode_pvh;

#endif
