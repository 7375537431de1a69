/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The final page tables. All RAM is identity-mapped read-write and, when
 * the CPU has NX, non-executable; 2 MiB pages are used wherever a 2 MiB
 * block is all RAM and holds nothing that needs finer permissions.
 * The image gets 4 KiB pages with W^X permissions from the linker
 * script's section boundaries:
 *
 *     page 0                  not mapped (NULL dereferences fault)
 *     .text                   read-only, executable
 *     .rodata, .ksyms         read-only, non-executable
 *     .data, .bss             read-write, non-executable
 *     boot stack guard page   not mapped (overflows fault)
 *
 * mmu_map() and mmu_unmap() change 4 KiB mappings later (splitting a
 * 2 MiB page when needed); page-table pages come from the allocator that
 * mmu_init() was given.
 */
#include <string.h>

#include "arch.h"
#include "asm.h"

#define PTE_NX      (1ULL << 63)
#define PTE_ADDR    0x000ffffffffff000ULL
#define LARGE       0x200000ULL
#define VA_LIMIT    (512ULL << 30)      /* one PML4 entry: 512 GiB */

static struct {
    uint64_t *pml4;
    uint64_t nx;                        /* PTE_NX, or 0 without NX */
    mmu_page_alloc_fn alloc;
} mmu;

static inline uintptr_t up(uintptr_t x)
{
    return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/*
 * The permissions of the 4 KiB page at (pa) (RAM and image pages alike):
 * MAP_RX, MAP_RO, MAP_RW, or -1 for not mapped. Shared with the PV page
 * tables (xen/pv_mmu.c), which apply the same layout by hypercall.
 */
int mmu_page_prot(uint64_t pa)
{
    if (pa < PAGE_SIZE)
        return -1;
    if (pa >= (uintptr_t)boot_stack_guard && pa < (uintptr_t)boot_stack_guard + PAGE_SIZE)
        return -1;
    if (pa >= (uintptr_t)__image_start && pa < up((uintptr_t)__text_end))
        return MAP_RX;
    if (pa >= (uintptr_t)__image_start && pa < up((uintptr_t)__rodata_end))
        return MAP_RO;
    if (pa >= (uintptr_t)__image_start && pa < up((uintptr_t)__bss_end))
        return MAP_RW;
    if (pa >= (uintptr_t)__image_start && pa < up((uintptr_t)__image_end))
        return MAP_RO;                                  /* .ksyms */
    return MAP_RW;
}

/* PTE flags for (prot), or 0 = not mapped. */
static uint64_t prot_flags(int prot)
{
    switch (prot) {
    case MAP_RX: return PTE_P;
    case MAP_RO: return PTE_P | mmu.nx;
    case MAP_RW: return PTE_P | PTE_W | mmu.nx;
    default:     return 0;
    }
}

static uint64_t image_page_flags(uint64_t pa)
{
    return prot_flags(mmu_page_prot(pa));
}

static bool in_ram(const struct mmu_range *ram, size_t n, uint64_t s, uint64_t e)
{
    for (size_t i = 0; i < n; i++)
        if (ram[i].start <= s && e <= ram[i].end)
            return true;
    return false;
}

/* The table that entry (*e) points to, created if (create). */
static uint64_t *next_table(uint64_t *e, bool create)
{
    if (*e & PTE_P)
        return (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
    if (!create)
        return NULL;
    uint64_t *t = mmu.alloc();
    if (t == NULL)
        return NULL;
    *e = (uintptr_t)t | PTE_P | PTE_W;
    return t;
}

/* The page directory entry for (va), with the tables above it created. */
static uint64_t *pde_of(uintptr_t va, bool create)
{
    uint64_t *pdpt = next_table(&mmu.pml4[(va >> 39) & 511], create);
    if (pdpt == NULL)
        return NULL;
    uint64_t *pd = next_table(&pdpt[(va >> 30) & 511], create);
    if (pd == NULL)
        return NULL;
    return &pd[(va >> 21) & 511];
}

/* The 4 KiB entry for (va), splitting a 2 MiB page if needed. */
static uint64_t *pte_of(uintptr_t va, bool create)
{
    uint64_t *pde = pde_of(va, create);
    if (pde == NULL)
        return NULL;
    if ((*pde & PTE_P) && (*pde & PTE_PS)) {
        if (!create)
            return NULL;
        uint64_t *pt = mmu.alloc();
        if (pt == NULL)
            return NULL;
        uint64_t base = *pde & PTE_ADDR & ~(LARGE - 1);
        uint64_t flags = *pde & (PTE_NX | PTE_W | PTE_P);
        for (int i = 0; i < 512; i++)
            pt[i] = (base + (uint64_t)i * PAGE_SIZE) | flags;
        *pde = (uintptr_t)pt | PTE_P | PTE_W;
    }
    uint64_t *pt = next_table(pde, create);
    return pt == NULL ? NULL : &pt[(va >> 12) & 511];
}

static inline void invlpg(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

int mmu_init(const struct mmu_range *ram, size_t nram, mmu_page_alloc_fn alloc)
{
    mmu.alloc = alloc;
    if (cpu_pv != NULL)
        return cpu_pv->mmu_init(ram, nram, alloc);
    mmu.nx = cpu_has_nx() ? PTE_NX : 0;
    mmu.pml4 = alloc();
    if (mmu.pml4 == NULL)
        return -1;

    uint64_t img_lo = (uintptr_t)__image_start & ~(LARGE - 1);
    uint64_t img_hi = (up((uintptr_t)__image_end) + LARGE - 1) & ~(LARGE - 1);
    for (size_t i = 0; i < nram; i++) {
        uint64_t s = up(ram[i].start), e = ram[i].end & ~(PAGE_SIZE - 1);
        if (e > VA_LIMIT)
            e = VA_LIMIT;
        while (s < e) {
            uint64_t blk = s & ~(LARGE - 1);
            bool special = blk == 0 || (blk < img_hi && blk + LARGE > img_lo);
            if (!special && s == blk && in_ram(ram, nram, blk, blk + LARGE)) {
                uint64_t *pde = pde_of(blk, true);
                if (pde == NULL)
                    return -1;
                *pde = blk | PTE_P | PTE_W | PTE_PS | mmu.nx;
                s = blk + LARGE;
                continue;
            }
            uint64_t f = image_page_flags(s);
            if (f != 0) {
                uint64_t *pte = pte_of(s, true);
                if (pte == NULL)
                    return -1;
                *pte = s | f;
            }
            s += PAGE_SIZE;
        }
    }
    /* The image itself, even where the memory map failed to list it. */
    for (uint64_t pa = (uintptr_t)__image_start & ~(PAGE_SIZE - 1);
         pa < up((uintptr_t)__image_end); pa += PAGE_SIZE) {
        uint64_t f = image_page_flags(pa);
        uint64_t *pte = pte_of(pa, true);
        if (pte == NULL)
            return -1;
        *pte = f == 0 ? 0 : (pa | f);
    }
    __asm__ volatile("mov %0, %%cr3" : : "r"((uintptr_t)mmu.pml4) : "memory");
    return 0;
}

/* Point the 4 KiB entries of [va, va + len) at (pa) with (flags); 0 unmaps. */
static int set_ptes(uintptr_t va, uint64_t pa, size_t len, uint64_t flags)
{
    for (size_t off = 0; off < len; off += PAGE_SIZE) {
        uint64_t *pte = pte_of(va + off, true);
        if (pte == NULL)
            return -1;
        *pte = flags == 0 ? 0 : (((pa + off) & PTE_ADDR) | flags);
        invlpg(va + off);
    }
    return 0;
}

void mmu_set_page_alloc(mmu_page_alloc_fn alloc)
{
    mmu.alloc = alloc;
}

/* Where page-table pages come from now (for the PV page tables too). */
void *mmu_alloc_table_page(void)
{
    return mmu.alloc != NULL ? mmu.alloc() : NULL;
}

int mmu_map(uintptr_t va, uint64_t pa, size_t len, enum map_prot prot)
{
    if (cpu_pv != NULL)
        return cpu_pv->mmu_set(va, pa, len, (int)prot);
    return set_ptes(va, pa, len, prot_flags(prot));
}

int mmu_unmap(uintptr_t va, size_t len)
{
    if (cpu_pv != NULL)
        return cpu_pv->mmu_set(va, 0, len, -1);
    return set_ptes(va, 0, len, 0);
}

/* Whether (va) is mapped in the current page tables (any permission). */
bool mmu_is_mapped(uintptr_t va)
{
    uint64_t cr3;
    if (cpu_pv != NULL)
        return cpu_pv->mmu_is_mapped(va);
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    if (va >= VA_LIMIT)
        return false;
    const uint64_t *t = (const uint64_t *)(uintptr_t)(cr3 & PTE_ADDR);
    for (int shift = 39; shift >= 12; shift -= 9) {
        uint64_t e = t[(va >> shift) & 511];
        if (!(e & PTE_P))
            return false;
        if (shift == 12 || (shift <= 30 && (e & PTE_PS)))
            return true;
        t = (const uint64_t *)(uintptr_t)(e & PTE_ADDR);
    }
    return false;
}
