/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical memory. mm_init() turns the boot memory map into a set of free
 * page ranges: all RAM, minus page 0 (never mapped, so NULL faults), the
 * image and the boot module. mmu_init() takes its page-table pages from
 * mm_alloc_pages_early(); mm_heap_init() then makes the largest remaining
 * range the heap that newlib's malloc grows into through sbrk().
 * Everything is identity-mapped: a physical address is its virtual one.
 */
#include <string.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"

#define BOOT_MAP_LIMIT  (1ULL << 30)    /* what pvh_entry.S maps; PV: less */
#define MAPPED_LIMIT    (512ULL << 30)  /* what mmu.c can map */

static struct {
    struct mem_range free[BOOT_MAX_RANGES];
    size_t nfree;
    uint64_t alloc_limit;               /* early pages come from below this */
    uintptr_t heap_start, heap_end;
    uint64_t ram_bytes;
    struct mem_range module;
} mm;

#define PAGE_UP(x)   (((x) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1))
#define PAGE_DOWN(x) ((x) & ~(uint64_t)(PAGE_SIZE - 1))

void mm_init(const struct boot_info *bi)
{
    for (size_t i = 0; i < bi->nram; i++) {
        uint64_t s = PAGE_UP(bi->ram[i].start), e = PAGE_DOWN(bi->ram[i].end);
        if (s >= e)
            continue;
        mm.ram_bytes += e - s;
        if (ranges_add(mm.free, &mm.nfree, ARRAY_SIZE(mm.free), s, e) != 0)
            log_warn("mm: more than %zu RAM ranges; ignoring [%#llx, %#llx)",
                     ARRAY_SIZE(mm.free), (unsigned long long)s,
                     (unsigned long long)e);
    }
    ranges_remove(mm.free, &mm.nfree, ARRAY_SIZE(mm.free), 0, PAGE_SIZE);
    /* Memory the page tables cannot map is never used. */
    ranges_remove(mm.free, &mm.nfree, ARRAY_SIZE(mm.free), MAPPED_LIMIT, UINT64_MAX);
    /* Until the final page tables are live, only the boot map is there. */
    mm.alloc_limit = bi->early_map_end != 0 ? bi->early_map_end : BOOT_MAP_LIMIT;
    /* The image must not straddle a hole between RAM ranges (QEMU's
     * legacy area from 640 KiB to 1 MiB, for a large image linked low). */
    for (size_t i = 0; i < bi->nram; i++) {
        uint64_t gap_start = bi->ram[i].end, gap_end = UINT64_MAX;
        for (size_t k = 0; k < bi->nram; k++)
            if (bi->ram[k].start >= gap_start && bi->ram[k].start < gap_end)
                gap_end = bi->ram[k].start;
        if (gap_end != UINT64_MAX && gap_start < (uintptr_t)__image_end &&
            (uintptr_t)__image_start < gap_end)
            panic("mm: the image [%p, %p) overlaps the hole [%#llx, %#llx) in the memory map; "
                  "link it higher: make LINK_BASE=0x100000", (void *)__image_start,
                  (void *)__image_end, (unsigned long long)gap_start, (unsigned long long)gap_end);
    }
    ranges_remove(mm.free, &mm.nfree, ARRAY_SIZE(mm.free),
                  PAGE_DOWN((uintptr_t)__image_start),
                  PAGE_UP((uintptr_t)__image_end));
    if (bi->module.end > bi->module.start) {
        bool in_ram = false;
        for (size_t i = 0; i < bi->nram; i++)
            in_ram = in_ram || (bi->ram[i].start <= bi->module.start &&
                                bi->module.end <= bi->ram[i].end);
        if (in_ram) {
            ranges_remove(mm.free, &mm.nfree, ARRAY_SIZE(mm.free),
                          PAGE_DOWN(bi->module.start), PAGE_UP(bi->module.end));
            mm.module = bi->module;
            log_debug("mm: boot module [%#llx, %#llx)",
                      (unsigned long long)bi->module.start,
                      (unsigned long long)bi->module.end);
        } else {
            log_warn("mm: boot module [%#llx, %#llx) is not in RAM; ignored",
                     (unsigned long long)bi->module.start,
                     (unsigned long long)bi->module.end);
        }
    }
    log_debug("mm: %llu KiB of RAM in %zu ranges; image [%p, %p)",
              (unsigned long long)(mm.ram_bytes / 1024), bi->nram,
              (void *)__image_start, (void *)__image_end);
    for (size_t i = 0; i < mm.nfree; i++)
        log_debug("mm: free [%#llx, %#llx)", (unsigned long long)mm.free[i].start,
                  (unsigned long long)mm.free[i].end);
}

/*
 * Zeroed pages from the top of the smallest free range that has room for
 * them below the current limit (the boot map's 1 GiB until
 * mm_early_limit_lift()), or NULL. Best fit keeps the largest range
 * whole for the heap.
 */
void *mm_alloc_pages_early(size_t npages)
{
    uint64_t len = (uint64_t)npages * PAGE_SIZE, best_top = 0, best_room = UINT64_MAX;

    for (size_t i = 0; i < mm.nfree; i++) {
        uint64_t top = mm.free[i].end < mm.alloc_limit ? mm.free[i].end : mm.alloc_limit;
        if (top > mm.free[i].start && top - mm.free[i].start >= len &&
            top - mm.free[i].start < best_room) {
            best_room = top - mm.free[i].start;
            best_top = top;
        }
    }
    if (best_room == UINT64_MAX)
        return NULL;
    ranges_remove(mm.free, &mm.nfree, ARRAY_SIZE(mm.free), best_top - len, best_top);
    void *p = (void *)(uintptr_t)(best_top - len);
    memset(p, 0, len);
    return p;
}

/* The final page tables are live: all mapped memory may be used. */
void mm_early_limit_lift(void)
{
    mm.alloc_limit = MAPPED_LIMIT;
}

/* The heap is the largest free range left once the page tables exist. */
void mm_heap_init(void)
{
    if (mm.nfree == 0)
        panic("mm: no free memory left for the heap");
    size_t i = ranges_largest(mm.free, mm.nfree);
    mm.heap_start = (uintptr_t)mm.free[i].start;
    mm.heap_end = (uintptr_t)mm.free[i].end;
    ranges_remove(mm.free, &mm.nfree, ARRAY_SIZE(mm.free), mm.heap_start,
                  mm.heap_end);
    log_debug("mm: heap [%p, %p), %lu KiB", (void *)mm.heap_start,
              (void *)mm.heap_end, (unsigned long)((mm.heap_end - mm.heap_start) / 1024));
}

/* The boot module, validated to lie in RAM: 0, or -1 if there is none. */
int mm_module(struct mem_range *module)
{
    if (mm.module.end <= mm.module.start)
        return -1;
    *module = mm.module;
    return 0;
}

void mm_heap_region(uintptr_t *start, uintptr_t *end)
{
    *start = mm.heap_start;
    *end = mm.heap_end;
}

uint64_t mm_ram_bytes(void)
{
    return mm.ram_bytes;
}
