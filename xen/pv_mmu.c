/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Page tables for a Xen PV guest. Xen built the bootstrap page tables
 * (they map the image, start_info, the p2m list, the rings and a padding
 * region, with virtual address = pseudo-physical address) and keeps every
 * page-table page read-only for us: entries are changed only through
 * MMU_UPDATE (batched) and UPDATE_VA_MAPPING, with machine frames from
 * the p2m list. Tables are read through their pseudo-physical addresses,
 * found with Xen's read-only machine-to-physical table.
 *
 * pv_mmu_init() applies the same layout as arch/x86_64/mmu.c does on
 * PVH (mmu_page_prot(): page 0 and the boot stack guard unmapped, W^X
 * over the image, the rest of RAM read-write and non-executable) and maps
 * all domain memory. New tables come from mmu_alloc_table_page() (mapped
 * memory), are made read-only in our mapping and then hooked in; Xen
 * validates each one.
 */
#include <stdint.h>

#include <xen/xen.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "hypercall.h"
#include "pv.h"

#define PTE_P       0x001ULL
#define PTE_W       0x002ULL
#define PTE_U       0x004ULL
#define PTE_PS      0x080ULL
#define PTE_NX      (1ULL << 63)
#define PTE_ADDR    0x000ffffffffff000ULL
#define BATCH       256

static struct {
    const unsigned long *p2m;
    unsigned long nr_pages;
    uint64_t l4_mfn, l4_pfn;
    uint64_t nx;
    struct mmu_update batch[BATCH];
    unsigned nbatch;
} pm;

/* The pseudo-physical frame of machine frame (mfn), or -1 if not ours. */
static int64_t pfn_of(uint64_t mfn)
{
    const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;
    if (mfn >= MACH2PHYS_NR_ENTRIES)
        return -1;
    uint64_t pfn = m2p[mfn];
    if (pfn >= pm.nr_pages || pm.p2m[pfn] != mfn)
        return -1;
    return (int64_t)pfn;
}

void pv_mmu_setup(const unsigned long *p2m, unsigned long nr_pages, uint64_t l4_mfn)
{
    pm.p2m = p2m;
    pm.nr_pages = nr_pages;
    pm.l4_mfn = l4_mfn;
    pm.l4_pfn = (uint64_t)pfn_of(l4_mfn);
}

/* After a restore: the same tables, at new machine frames (the restore
 * rewrote the p2m list). */
void pv_mmu_resume(void)
{
    if (pm.l4_pfn < pm.nr_pages)
        pm.l4_mfn = pm.p2m[pm.l4_pfn];
}

/* Machine frame of pseudo-physical address (pa), or 0 if out of range. */
uint64_t pv_mfn(uint64_t pa)
{
    uint64_t pfn = pa >> PAGE_SHIFT;
    return pfn < pm.nr_pages ? pm.p2m[pfn] : 0;
}

static int flush(void)
{
    if (pm.nbatch == 0)
        return 0;
    long rc = hypercall_mmu_update(pm.batch, pm.nbatch);
    pm.nbatch = 0;
    if (rc != 0)
        log_err("pv mmu: MMU_UPDATE failed (error %ld)", rc);
    return rc == 0 ? 0 : -1;
}

/* A new, empty table hooked into entry (idx) of the table at (parent_mfn). */
static int new_table(uint64_t parent_mfn, unsigned idx)
{
    void *page = mmu_alloc_table_page();
    if (page == NULL) {
        log_err("pv mmu: out of memory for page tables");
        return -1;
    }
    uint64_t mfn = pv_mfn((uintptr_t)page);
    if (flush() != 0 ||
        hypercall_update_va_mapping((uintptr_t)page, (mfn << PAGE_SHIFT) | PTE_P | PTE_U | pm.nx,
                                    UVMF_INVLPG) != 0) {
        log_err("pv mmu: cannot make a new page table read-only");
        return -1;
    }
    struct mmu_update u = {
        .ptr = ((parent_mfn << PAGE_SHIFT) + idx * 8) | MMU_NORMAL_PT_UPDATE,
        .val = (mfn << PAGE_SHIFT) | PTE_P | PTE_W | PTE_U,
    };
    long rc = hypercall_mmu_update(&u, 1);
    if (rc != 0)
        log_err("pv mmu: Xen refused a new page table (error %ld)", rc);
    return rc == 0 ? 0 : -1;
}

/*
 * The machine address of the L1 entry for (va), creating the tables on
 * the way if (create): 0, or -1 (not mapped that far, or no memory).
 */
static int l1e_ma(uintptr_t va, bool create, uint64_t *ma)
{
    uint64_t mfn = pm.l4_mfn;

    if (va >= (1ULL << 47))
        return -1;
    for (int shift = 39; shift > 12; shift -= 9) {
        unsigned idx = (va >> shift) & 511;
        int64_t pfn = pfn_of(mfn);
        if (pfn < 0)
            return -1;
        const volatile uint64_t *t = (const volatile uint64_t *)(uintptr_t)((uint64_t)pfn << PAGE_SHIFT);
        uint64_t e = t[idx];
        if (!(e & PTE_P)) {
            if (!create || new_table(mfn, idx) != 0)
                return -1;
            e = t[idx];
        }
        if (e & PTE_PS)
            return -1;                  /* no superpages for PV guests */
        mfn = (e & PTE_ADDR) >> PAGE_SHIFT;
    }
    *ma = (mfn << PAGE_SHIFT) + ((va >> PAGE_SHIFT) & 511) * 8;
    return 0;
}

bool pv_mmu_is_mapped(uintptr_t va)
{
    uint64_t ma;
    if (l1e_ma(va, false, &ma) != 0)
        return false;
    int64_t pfn = pfn_of(ma >> PAGE_SHIFT);
    if (pfn < 0)
        return false;
    return (*(const volatile uint64_t *)(uintptr_t)(((uint64_t)pfn << PAGE_SHIFT) |
                                                   (ma & (PAGE_SIZE - 1))) & PTE_P) != 0;
}

/* The first unmapped address at or above (va). */
uint64_t pv_mapped_end(uintptr_t va)
{
    va &= ~(PAGE_SIZE - 1);
    while (pv_mmu_is_mapped(va))
        va += PAGE_SIZE;
    return va;
}

/* The PTE for pseudo-physical (pa) with (prot), or 0 to unmap (prot < 0). */
static uint64_t pte(uint64_t pa, int prot)
{
    uint64_t mfn = pv_mfn(pa);
    if (prot < 0 || mfn == 0)
        return 0;
    uint64_t f = PTE_P | PTE_U;
    if (prot == MAP_RW)
        f |= PTE_W;
    if (prot != MAP_RX)
        f |= pm.nx;
    return (mfn << PAGE_SHIFT) | f;
}

/* Queue setting the entry for (va); an absent table is fine for unmapping. */
static int queue(uintptr_t va, uint64_t pa, int prot)
{
    uint64_t ma;
    if (l1e_ma(va, prot >= 0, &ma) != 0)
        return prot >= 0 ? -1 : 0;
    pm.batch[pm.nbatch].ptr = ma | MMU_NORMAL_PT_UPDATE;
    pm.batch[pm.nbatch].val = pte(pa, prot);
    if (++pm.nbatch == BATCH)
        return flush();
    return 0;
}

int pv_mmu_init(const struct mmu_range *ram, size_t nram, mmu_page_alloc_fn alloc)
{
    (void)alloc;                        /* mmu_alloc_table_page() has it */
    pm.nx = cpu_has_nx() ? PTE_NX : 0;

    /* The image (and page 0), with the layout's permissions. */
    if (queue(0, 0, -1) != 0)
        return -1;
    for (uintptr_t va = (uintptr_t)__image_start & ~(PAGE_SIZE - 1);
         va < (uintptr_t)__image_end; va += PAGE_SIZE)
        if (queue(va, va, mmu_page_prot(va)) != 0)
            return -1;
    /* All RAM beyond what Xen mapped: one table walk per L1 table. */
    for (size_t i = 0; i < nram; i++) {
        uint64_t pa = ram[i].start & ~(PAGE_SIZE - 1);
        while (pa < ram[i].end) {
            uint64_t ma;
            if (l1e_ma(pa, true, &ma) != 0)
                return -1;
            int64_t l1_pfn = pfn_of(ma >> PAGE_SHIFT);
            if (l1_pfn < 0)
                return -1;
            const volatile uint64_t *l1 =
                (const volatile uint64_t *)(uintptr_t)((uint64_t)l1_pfn << PAGE_SHIFT);
            uint64_t l1_base = ma & ~(PAGE_SIZE - 1);
            for (unsigned idx = (pa >> PAGE_SHIFT) & 511; idx < 512 && pa < ram[i].end;
                 idx++, pa += PAGE_SIZE) {
                if (l1[idx] & PTE_P)
                    continue;
                pm.batch[pm.nbatch].ptr = (l1_base + idx * 8) | MMU_NORMAL_PT_UPDATE;
                pm.batch[pm.nbatch].val = pte(pa, MAP_RW);
                if (++pm.nbatch == BATCH && flush() != 0)
                    return -1;
            }
        }
    }
    if (flush() != 0)
        return -1;
    hypercall_mmuext_op(MMUEXT_TLB_FLUSH_LOCAL, 0);
    return 0;
}

/* Map [va, va + len) to pseudo-physical (pa) with (prot); prot < 0 unmaps. */
int pv_mmu_set(uintptr_t va, uint64_t pa, size_t len, int prot)
{
    for (size_t off = 0; off < len; off += PAGE_SIZE) {
        uint64_t ma;
        if (l1e_ma(va + off, prot >= 0, &ma) != 0) {
            if (prot < 0)
                continue;
            return -1;
        }
        if (prot >= 0 && pv_mfn(pa + off) == 0)
            return -1;
        if (hypercall_update_va_mapping(va + off, pte(pa + off, prot), UVMF_INVLPG) != 0)
            return -1;
    }
    return 0;
}
