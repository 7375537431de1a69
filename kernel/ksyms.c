/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Symbol lookup for backtraces. tools/mksyms.sh generates the table from
 * the image's own text symbols after a first link; the second link puts
 * it in .ksyms, the last section of the image, so no other address moves.
 * Layout of .ksyms: u64 count, u64 addrs[count] (sorted), u32
 * name_offs[count], then the NUL-terminated names.
 */
#include "kernel.h"

/* The name of the function containing (addr), or NULL if unknown. */
const char *ksym_lookup(const struct ksym_table *t, uint64_t addr,
                        uint64_t *offset)
{
    if (t->count == 0 || addr < t->addrs[0] || addr >= t->text_end)
        return NULL;
    uint64_t lo = 0, hi = t->count;     /* answer in [lo, hi) */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (t->addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (offset != NULL)
        *offset = addr - t->addrs[lo];
    return t->names + t->name_offs[lo];
}
