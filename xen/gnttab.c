/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Grant tables, version 1. The table's frames are mapped over pages of
 * our own RAM by xen_mode->map_grant_frames (GNTTAB_FRAMES of them, fewer
 * if Xen allows fewer), at the first grant: an app without devices never
 * pays for the hypercalls at boot. Granting fills in
 * the entry and publishes its flags last; ending access clears the flags
 * with a compare-and-swap that fails while the backend still has the page
 * mapped (GTF_reading/GTF_writing), so a reference is only reused once
 * the backend has released it.
 */
#include <errno.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "gnttab.h"
#include "gntref.h"
#include "hypercall.h"
#include "mode.h"

#define GNTTAB_FRAMES 2
#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))

static struct {
    volatile grant_entry_v1_t *table;
    unsigned frames;
    bool mapped, failed;
    struct gntref_pool pool;
} gt;

/* The frames over our pages, once; 0 or -ENODEV (logged once). */
static int map_frames(void)
{
    if (gt.mapped)
        return 0;
    if (gt.failed || gt.table == NULL)
        return -ENODEV;
    if (xen_mode->map_grant_frames((void *)gt.table, gt.frames) != 0) {
        log_err("gnttab: Xen did not map the %u grant frames; no device can be shared", gt.frames);
        gt.failed = true;
        return -ENODEV;
    }
    gt.mapped = true;
    return 0;
}

int gnttab_init(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    unsigned frames = GNTTAB_FRAMES;

    if (hypercall_grant_table_op(GNTTABOP_query_size, &q, 1) == 0 && q.status == GNTST_okay &&
        q.max_nr_frames < frames)
        frames = q.max_nr_frames;
    void *pages = mm_alloc_pages_early(frames);
    if (frames == 0 || pages == NULL) {
        log_err("gnttab: no memory for %u grant frames", frames);
        return -1;
    }
    gt.table = pages;
    gt.frames = frames;
    gntref_init(&gt.pool, GNTTAB_NR_RESERVED_ENTRIES, frames * ENTRIES_PER_FRAME);
    log_debug("gnttab: %u frames, %u references", frames, gt.pool.nfree);
    return 0;
}

/* Before a suspend: pages that show grant frames show our memory again,
 * where the mode needs it (PV: the save refuses mappings of Xen's frames). */
void gnttab_suspend(void)
{
    if (gt.mapped && xen_mode->unmap_grant_frames != NULL)
        xen_mode->unmap_grant_frames((void *)gt.table, gt.frames);
}

/* After a restore: the new domain's grant frames over the same pages.
 * Grants made before are gone (their frontends ended them or drop them). */
int gnttab_resume(void)
{
    if (gt.table == NULL)
        return -1;
    if (!gt.mapped)
        return 0;               /* mapped at the first grant, as at boot */
    return xen_mode->map_grant_frames((void *)gt.table, gt.frames);
}

/* Grant (domid) access to page frame (gfn): 0 with (*ref) set, or -errno. */
int gnttab_grant_access(domid_t domid, uint64_t gfn, bool readonly, grant_ref_t *ref)
{
    int rc = map_frames();
    if (rc != 0)
        return rc;
    int64_t r = gntref_alloc(&gt.pool);
    if (r < 0)
        return (int)r;
    volatile grant_entry_v1_t *e = &gt.table[r];
    e->domid = domid;
    e->frame = (uint32_t)gfn;
    /* The backend may use the entry as soon as it sees the flags. */
    __atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
                     __ATOMIC_RELEASE);
    *ref = (grant_ref_t)r;
    return 0;
}

/*
 * End access through (ref) and free it: 0, -EBUSY while the backend still
 * has the page mapped (try again later; the reference stays in use), or
 * -EINVAL for a reference that is not granted.
 */
int gnttab_end_access(grant_ref_t ref)
{
    if (gt.table == NULL || ref >= gt.pool.count || ref < GNTTAB_NR_RESERVED_ENTRIES)
        return -EINVAL;
    volatile grant_entry_v1_t *e = &gt.table[ref];
    uint16_t flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
    do {
        if (flags & (GTF_reading | GTF_writing))
            return -EBUSY;
    } while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return gntref_free(&gt.pool, ref);
}

unsigned gnttab_free_count(void)
{
    return gt.pool.nfree;
}
