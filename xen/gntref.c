/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pool of grant references (pure; host-tested in
 * tests/unit/test_gntref.c): a free list threaded through an array, with
 * a bitmap so a double free or a stray reference is refused instead of
 * corrupting the list. References below GNTTAB_NR_RESERVED_ENTRIES belong
 * to the toolstack (console, xenstore) and are never handed out.
 */
#include <errno.h>
#include <string.h>

#include "gntref.h"

void gntref_init(struct gntref_pool *p, uint32_t reserved, uint32_t count)
{
    memset(p, 0, sizeof(*p));
    if (count > GNTREF_MAX)
        count = GNTREF_MAX;
    p->reserved = reserved;
    p->count = count;
    p->head = GNTREF_NONE;
    for (uint32_t r = count; r-- > reserved;) {
        p->next[r] = p->head;
        p->head = r;
        p->is_free[r / 64] |= 1ULL << (r % 64);
        p->nfree++;
    }
}

/* A free reference, or -ENOSPC. */
int64_t gntref_alloc(struct gntref_pool *p)
{
    if (p->head == GNTREF_NONE)
        return -ENOSPC;
    uint32_t r = p->head;
    p->head = p->next[r];
    p->is_free[r / 64] &= ~(1ULL << (r % 64));
    p->nfree--;
    return r;
}

/* Return (r) to the pool: 0, or -EINVAL for a reference not in use. */
int gntref_free(struct gntref_pool *p, uint32_t r)
{
    if (r < p->reserved || r >= p->count || (p->is_free[r / 64] >> (r % 64)) & 1)
        return -EINVAL;
    p->next[r] = p->head;
    p->head = r;
    p->is_free[r / 64] |= 1ULL << (r % 64);
    p->nfree++;
    return 0;
}
