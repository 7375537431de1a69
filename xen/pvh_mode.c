/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PVH side of struct xen_mode: the console and Xenstore pages and
 * event channels come from HVM params (pages of our own physical address
 * space, mapped here); shared info and grant frames are placed over pages
 * of our RAM with XENMEM_add_to_physmap; event upcalls arrive as an
 * interrupt vector (HVM_PARAM_CALLBACK_IRQ, vector type: no EOI needed).
 */
#include <stdint.h>

#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/hvm/params.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "evtchn.h"
#include "hypercall.h"
#include "mode.h"

const struct xen_mode *xen_mode = &xen_mode_pvh;

/* A page and an event channel from two HVM params, checked and mapped. */
static int param_ring(const char *what, uint32_t pfn_param, uint32_t port_param,
                      void **ring, evtchn_port_t *port)
{
    uint64_t pfn, p;

    if (hypercall_hvm_get_param(pfn_param, &pfn) != 0 ||
        hypercall_hvm_get_param(port_param, &p) != 0) {
        log_warn("%s: no page or event channel from Xen", what);
        return -1;
    }
    if (pfn == 0 || pfn >= (1ULL << (39 - PAGE_SHIFT)) || p == 0 || p >= EVTCHN_MAX_PORTS) {
        log_warn("%s: unusable page %#llx or event channel %llu from Xen", what,
                 (unsigned long long)pfn, (unsigned long long)p);
        return -1;
    }
    uintptr_t va = (uintptr_t)(pfn << PAGE_SHIFT);
    if (mmu_map(va, va, PAGE_SIZE, MAP_RW) != 0) {
        log_warn("%s: cannot map its page", what);
        return -1;
    }
    *ring = (void *)va;
    *port = (evtchn_port_t)p;
    return 0;
}

static int pvh_console(void **ring, evtchn_port_t *port)
{
    return param_ring("xen console", HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN,
                      ring, port);
}

static int pvh_store(void **ring, evtchn_port_t *port)
{
    return param_ring("xenstore", HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN, ring, port);
}

static int pvh_map_shared_info(void *page)
{
    long rc = hypercall_add_to_physmap(XENMAPSPACE_shared_info, 0,
                                       (uintptr_t)page >> PAGE_SHIFT);
    if (rc != 0)
        log_err("xen: cannot map the shared info page (error %ld)", rc);
    return rc == 0 ? 0 : -1;
}

static int pvh_events_init(void)
{
    long rc = hypercall_hvm_set_param(HVM_PARAM_CALLBACK_IRQ,
                                      ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) |
                                      EVTCHN_VECTOR);
    if (rc != 0)
        log_err("evtchn: cannot set the upcall vector (error %ld)", rc);
    return rc == 0 ? 0 : -1;
}

static int pvh_map_grant_frames(void *pages, unsigned frames)
{
    for (unsigned i = 0; i < frames; i++) {
        uint64_t gpfn = ((uintptr_t)pages >> PAGE_SHIFT) + i;
        long rc = hypercall_add_to_physmap(XENMAPSPACE_grant_table, i, gpfn);
        if (rc != 0) {
            log_err("gnttab: cannot map grant frame %u (error %ld)", i, rc);
            return -1;
        }
    }
    return 0;
}

static uint64_t pvh_gfn(const void *va)
{
    return (uintptr_t)va >> PAGE_SHIFT;     /* identity-mapped */
}

const struct xen_mode xen_mode_pvh = {
    .name = "PVH",
    .console = pvh_console,
    .store = pvh_store,
    .map_shared_info = pvh_map_shared_info,
    .events_init = pvh_events_init,
    .map_grant_frames = pvh_map_grant_frames,
    .gfn = pvh_gfn,
    .idle = evtchn_poll_idle,
};
