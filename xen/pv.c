/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Xen PV boot protocol: xen/pv_entry.S calls pv_boot() with the
 * start_info page Xen's domain builder wrote, and the end of the
 * bootstrap elements. start_info is untrusted input: it is copied once,
 * and every address in it (the p2m list, the console and Xenstore pages,
 * the boot module) is checked against the domain's size and the
 * bootstrap region before use; a bad one stops the boot with a message
 * naming the field.
 *
 * A PV kernel runs outside ring 0, so this file also provides what the
 * native instructions do on PVH (struct cpu_pv_ops: the event mask for
 * interrupts, SCHEDOP_block for idle, the trap table for the IDT, the
 * console ring for the early console, pvclock for the TSC frequency) and
 * the PV side of struct xen_mode (start_info's pages, shared info and
 * grant frames mapped by machine frame, the event callback).
 */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pv_parse.h"                   /* before xen.h: start_info */
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/sched.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "console.h"
#include "evtchn.h"
#include "hypercall.h"
#include "mode.h"
#include "platform.h"
#include "pv.h"
#include "shared_info.h"

#define PTE_P   0x001ULL
#define PTE_W   0x002ULL
#define PTE_U   0x004ULL
#define PTE_NX  (1ULL << 63)

extern const uint64_t pv_trap_entries[20];
void pv_event_entry(void);
void pv_failsafe_entry(void);
void pv_iret(void);

static struct {
    start_info_t si;                    /* our copy */
    start_info_t *si_page;              /* Xen's (the restore writes it) */
    const unsigned long *p2m;
    uint64_t shared_info;               /* machine address */
    void *console, *store;
    evtchn_port_t console_port, store_port;
    bool soft_enabled;                  /* before shared info is mapped */
    struct trap_info traps[21];
    void *shared_page;                  /* where shared info is shown */
    uint64_t store_pfn, console_pfn;    /* as the save and restore see them */
    unsigned long *fll, *fl;            /* the p2m's frame list (list) */
    unsigned long nfl;                  /* ...pages of frame list */
} pv;

static struct boot_info boot_info;

/* ---- struct cpu_pv_ops ---- */

static volatile struct vcpu_info *vi(void)
{
    return shared_info() != NULL ? vcpu_info() : NULL;
}

static void pv_intr_disable(void)
{
    volatile struct vcpu_info *v = vi();
    if (v == NULL)
        pv.soft_enabled = false;
    else
        v->evtchn_upcall_mask = 1;
    __asm__ volatile("" ::: "memory");
}

static void pv_intr_enable(void)
{
    volatile struct vcpu_info *v = vi();
    __asm__ volatile("" ::: "memory");
    if (v == NULL) {
        pv.soft_enabled = true;
        return;
    }
    v->evtchn_upcall_mask = 0;
    __asm__ volatile("mfence" ::: "memory");    /* unmask before the check */
    if (v->evtchn_upcall_pending)
        hypercall_xen_version(0, NULL);         /* any hypercall delivers it */
}

static bool pv_intr_enabled(void)
{
    volatile struct vcpu_info *v = vi();
    return v == NULL ? pv.soft_enabled : v->evtchn_upcall_mask == 0;
}

/* Unmask events and block until one is pending, atomically. */
static void pv_idle(void)
{
    hypercall_sched_block();
}

__attribute__((noreturn)) static void pv_halt(void)
{
    for (;;)
        hypercall_sched_shutdown(SHUTDOWN_crash);
}

static uint64_t pv_read_cr2(void)
{
    volatile struct vcpu_info *v = vi();
    return v != NULL ? v->arch.cr2 : 0;
}

static void pv_set_fs_base(uint64_t base)
{
    if (hypercall_set_fs_base(base) != 0)
        panic("pv: Xen refused the thread pointer %#lx", (unsigned long)base);
}

static void pv_cpu_init(void)
{
    unsigned n = 0;
    for (unsigned v = 0; v < 20; v++) {
        if (v == 15)
            continue;                   /* reserved */
        pv.traps[n++] = (struct trap_info){
            .vector = (uint8_t)v,
            .flags = 4,                 /* events masked on entry */
            .cs = FLAT_KERNEL_CS,
            .address = pv_trap_entries[v],
        };
    }
    pv.traps[n] = (struct trap_info){ 0 };
    long rc = hypercall_set_trap_table(pv.traps);
    if (rc != 0)
        log_err("pv: Xen refused the trap table (error %ld); faults will crash the domain silently", rc);
}

/* TSC ticks per second from the pvclock scale: ns = ((tsc << shift) * mul) >> 32. */
static uint64_t pv_tsc_freq(const char **method)
{
    volatile struct vcpu_info *v = vi();
    if (v == NULL || v->time.tsc_to_system_mul == 0) {
        *method = "no pvclock yet; assumed 1 GHz, clocks will be wrong";
        return 1000000000ULL;
    }
    uint64_t f = (1000000000ULL << 32) / v->time.tsc_to_system_mul;     /* fits: < 2^62 */
    int8_t shift = v->time.tsc_shift;
    f = shift >= 0 ? f >> shift : f << -shift;
    *method = "Xen pvclock scale";
    return (uint64_t)f;
}

static const struct cpu_pv_ops pv_cpu_ops = {
    .intr_enable = pv_intr_enable,
    .intr_disable = pv_intr_disable,
    .intr_enabled = pv_intr_enabled,
    .idle = pv_idle,
    .halt = pv_halt,
    .read_cr2 = pv_read_cr2,
    .cpu_init = pv_cpu_init,
    .early_write = xen_console_early_write,
    .tsc_freq = pv_tsc_freq,
    .mmu_init = pv_mmu_init,
    .mmu_set = pv_mmu_set,
    .mmu_is_mapped = pv_mmu_is_mapped,
    .iret = pv_iret,
    .set_fs_base = pv_set_fs_base,
};

/* Called from pv_entry.S: Xen could not restore our segment registers. */
void pv_failsafe(void)
{
    panic("pv: failsafe callback (Xen could not load our segment registers)");
}

/* ---- struct xen_mode ---- */

static int pv_console(void **ring, evtchn_port_t *port)
{
    *ring = pv.console;
    *port = pv.console_port;
    return 0;
}

static int pv_store(void **ring, evtchn_port_t *port)
{
    if (pv.store == NULL) {
        log_warn("xenstore: no usable ring page in start_info");
        return -1;
    }
    *ring = pv.store;
    *port = pv.store_port;
    return 0;
}

static uint64_t nx(void)
{
    return cpu_has_nx() ? PTE_NX : 0;
}

static int pv_map_shared_info(void *page)
{
    long rc = hypercall_update_va_mapping((uintptr_t)page,
                                          pv.shared_info | PTE_P | PTE_W | PTE_U | nx(),
                                          UVMF_INVLPG);
    if (rc != 0) {
        log_err("xen: cannot map the shared info page (error %ld)", rc);
        return -1;
    }
    /* Events stay masked until evtchn_init() is ready for them. */
    ((volatile struct shared_info *)page)->vcpu_info[0].evtchn_upcall_mask = 1;
    pv.shared_page = page;
    return 0;
}

/*
 * The event callback arrives as vector EVTCHN_VECTOR (pv_entry.S) with
 * events masked; the iret hypercall that ends it (pv_iret) restores the
 * mask from the saved RFLAGS.IF, and delivers what came meanwhile.
 */
static int pv_events_init(void)
{
    long rc = hypercall_set_callbacks((uintptr_t)pv_event_entry, (uintptr_t)pv_failsafe_entry);
    if (rc != 0)
        log_err("evtchn: cannot register the event callback (error %ld)", rc);
    return rc == 0 ? 0 : -1;
}

static int pv_map_grant_frames(void *pages, unsigned frames)
{
    xen_pfn_t list[8];
    if (frames > 8)
        frames = 8;
    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = frames };
    set_xen_guest_handle(op.frame_list, list);
    long rc = hypercall_grant_table_op(GNTTABOP_setup_table, &op, 1);
    if (rc != 0 || op.status != GNTST_okay) {
        log_err("gnttab: setup_table failed (error %ld, status %d)", rc, op.status);
        return -1;
    }
    for (unsigned i = 0; i < frames; i++) {
        uintptr_t va = (uintptr_t)pages + i * PAGE_SIZE;
        rc = hypercall_update_va_mapping(va, ((uint64_t)list[i] << PAGE_SHIFT) | PTE_P | PTE_W |
                                             PTE_U | nx(), UVMF_INVLPG);
        if (rc != 0) {
            log_err("gnttab: cannot map grant frame %u (error %ld)", i, rc);
            return -1;
        }
    }
    return 0;
}

static uint64_t pv_gfn(const void *va)
{
    return pv_mfn((uintptr_t)va);
}

/* ---- suspend and resume (xen/suspend.c) ---- */

static uint64_t frame_pfn(uint64_t mfn, void *ctx);

/* Make the page at (va) show our own frame again (no longer Xen's). */
static int own_frame(void *va)
{
    uintptr_t a = (uintptr_t)va;
    return hypercall_update_va_mapping(a, (pv_mfn(a) << PAGE_SHIFT) | PTE_P | PTE_W | PTE_U | nx(),
                                       UVMF_INVLPG) == 0 ? 0 : -1;
}

static void pv_unmap_grant_frames(void *pages, unsigned frames)
{
    for (unsigned i = 0; i < frames; i++)
        own_frame((char *)pages + i * PAGE_SIZE);
}

/*
 * The p2m's frame list, for the toolstack's save: the machine frames of
 * the pages of the p2m list, in pages of frame numbers (the frame list),
 * whose frames are in one more page (the frame list list), named in the
 * shared info with the number of entries. Built once the heap exists and
 * again after a restore (every machine frame changed).
 */
static int pv_suspend_setup(void)
{
    const unsigned long per = PAGE_SIZE / sizeof(unsigned long);
    unsigned long nr = pv.si.nr_pages;
    unsigned long p2m_pages = (nr + per - 1) / per;
    unsigned long nfl = (p2m_pages + per - 1) / per;

    if (((uintptr_t)pv.p2m & (PAGE_SIZE - 1)) != 0 || nfl > per || shared_info() == NULL) {
        log_warn("suspend: the p2m list is not page-aligned or too large; save is not offered");
        return -1;
    }
    if (pv.fll == NULL) {
        pv.fll = memalign(PAGE_SIZE, PAGE_SIZE);
        pv.fl = memalign(PAGE_SIZE, nfl * PAGE_SIZE);
        if (pv.fll == NULL || pv.fl == NULL) {
            free(pv.fll);
            free(pv.fl);
            pv.fll = pv.fl = NULL;
            log_warn("suspend: no memory for the p2m's frame list; save is not offered");
            return -1;
        }
        pv.nfl = nfl;
    }
    memset(pv.fll, 0, PAGE_SIZE);
    memset(pv.fl, 0, pv.nfl * PAGE_SIZE);
    for (unsigned long i = 0; i < p2m_pages; i++)
        pv.fl[i] = pv_mfn((uintptr_t)pv.p2m + i * PAGE_SIZE);
    for (unsigned long i = 0; i < pv.nfl; i++)
        pv.fll[i] = pv_mfn((uintptr_t)pv.fl + i * PAGE_SIZE);
    volatile struct shared_info *s = shared_info();
    s->arch.max_pfn = nr;
    __asm__ volatile("" ::: "memory");
    s->arch.pfn_to_mfn_frame_list_list = pv_mfn((uintptr_t)pv.fll);
    return 0;
}

/*
 * The last step before the hypercall (interrupts off; the vCPU's event
 * mask in the real shared info is set): the start info page names our
 * own frames for Xenstore and the console, and the page that showed the
 * shared info shows our memory. Returns the start info's machine frame.
 */
static unsigned long pv_suspend_prepare(void)
{
    pv.si_page->store_mfn = pv.store_pfn;
    pv.si_page->console.domU.mfn = pv.console_pfn;
    if (pv.shared_page != NULL)
        own_frame(pv.shared_page);
    return pv_mfn((uintptr_t)pv.si_page);
}

/*
 * The first step after it. Cancelled: the machine frames back in the
 * start info, the shared info shown again. Restored: Xen's new start
 * info read once and checked (the same Xenstore and console pages, now
 * at new machine frames; the new shared info and event channels); the
 * page tables' top frame found again. Nothing may log before the shared
 * info is mapped (the console's event channel may be a stale one).
 */
static int pv_suspend_done(bool cancelled)
{
    if (cancelled) {
        pv.si_page->store_mfn = pv_mfn(pv.store_pfn << PAGE_SHIFT);
        pv.si_page->console.domU.mfn = pv_mfn(pv.console_pfn << PAGE_SHIFT);
        return pv_map_shared_info(pv.shared_page);
    }
    start_info_t si;
    memcpy(&si, pv.si_page, sizeof(si));        /* read once */
    pv_mmu_resume();
    uint64_t store = frame_pfn(si.store_mfn, NULL), cons = frame_pfn(si.console.domU.mfn, NULL);
    const char *bad = NULL;
    if (store != pv.store_pfn)
        bad = "Xenstore page";
    else if (cons != pv.console_pfn)
        bad = "console page";
    else if (si.store_evtchn == 0 || si.store_evtchn >= 4096 || si.console.domU.evtchn == 0 ||
             si.console.domU.evtchn >= 4096)
        bad = "event channel";
    else if ((si.shared_info & (PAGE_SIZE - 1)) != 0)
        bad = "shared info address";
    if (bad != NULL) {
        pv.shared_info = si.shared_info & ~(uint64_t)(PAGE_SIZE - 1);
        pv_map_shared_info(pv.shared_page);     /* so the message can be printed */
        log_err("suspend: the restored start info has a bad %s", bad);
        return -1;
    }
    pv.shared_info = si.shared_info;
    pv.store_port = si.store_evtchn;
    pv.console_port = si.console.domU.evtchn;
    return 0;
}

static const struct xen_mode xen_mode_pv = {
    .name = "PV",
    .console = pv_console,
    .store = pv_store,
    .map_shared_info = pv_map_shared_info,
    .events_init = pv_events_init,
    .map_grant_frames = pv_map_grant_frames,
    .gfn = pv_gfn,
    .idle = pv_idle,
    .suspend_setup = pv_suspend_setup,
    .suspend_prepare = pv_suspend_prepare,
    .suspend_done = pv_suspend_done,
    .unmap_grant_frames = pv_unmap_grant_frames,
};

/* ---- boot ---- */

/* For pv_parse_start_info(): machine frame to ours, through m2p and back. */
static uint64_t frame_pfn(uint64_t mfn, void *ctx)
{
    (void)ctx;
    const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;
    if (mfn >= MACH2PHYS_NR_ENTRIES)
        return UINT64_MAX;
    uint64_t pfn = m2p[mfn];
    if (pfn >= pv.si.nr_pages || pv.p2m[pfn] != mfn)
        return UINT64_MAX;
    return pfn;
}

__attribute__((noreturn, no_stack_protector)) void pv_boot(const start_info_t *si,
                                                           uint64_t bootstrap_end)
{
    struct boot_info *bi = &boot_info;
    struct pv_start st;
    char err[120];

    memcpy(&pv.si, si, sizeof(pv.si));      /* read once */
    pv.si_page = (start_info_t *)si;
    cpu_set_pv_ops(&pv_cpu_ops);
    xen_mode = &xen_mode_pv;
    platform_set_xen();         /* the hypercall page is Xen's already */
    pv.p2m = (const unsigned long *)(uintptr_t)pv.si.mfn_list;     /* checked below */
    bootstrap_end = (bootstrap_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    int rc = pv_parse_start_info(&pv.si, bootstrap_end, frame_pfn, NULL, &st, bi,
                                 err, sizeof(err));
    /* The console first (there is no port I/O), so a complaint is seen. */
    if (st.console != 0 && st.console_port != 0) {
        pv.console = (void *)(uintptr_t)st.console;
        pv.console_port = st.console_port;
        xen_console_early_init(pv.console, pv.console_port);
    }
    console_init();
    timeline_mark("console");
    if (rc != 0) {
        log_err("pv: bad start_info: %s", err);
        power_crash();
    }
    pv.shared_info = st.shared_info;
    pv.store = (void *)(uintptr_t)st.store;
    pv.store_port = st.store_port;
    pv.store_pfn = st.store >> PAGE_SHIFT;
    pv.console_pfn = st.console >> PAGE_SHIFT;
    pv_mmu_setup(pv.p2m, st.nr_pages, pv.p2m[st.pt_base >> PAGE_SHIFT]);
    bi->mode = "PV";
    bi->early_map_end = pv_mapped_end(bootstrap_end);
    log_debug("pv: %llu pages, bootstrap region ends at %#llx, mapped to %#llx",
              (unsigned long long)st.nr_pages, (unsigned long long)bootstrap_end,
              (unsigned long long)bi->early_map_end);
    kernel_main(bi);
}
