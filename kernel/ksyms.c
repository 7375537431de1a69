/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Symbol lookup for backtraces. tools/mksyms.sh generates the table from
 * the image's own text symbols after a first link; the second link puts
 * it in .ksyms, the last section of the image, so no other address moves.
 * Layout of .ksyms: u32 count, u32 offs[count] (each symbol's address
 * less the start of .text, sorted), then the count NUL-terminated names in
 * the same order. A name is found by skipping the ones before it: lookups
 * happen only in crash reports, and the table stays small.
 */
#include <string.h>

#include "kernel.h"

/* The name of the function containing (addr), or NULL if unknown. */
const char *ksym_lookup(const struct ksym_table *t, uint64_t addr,
                        uint64_t *offset)
{
    if (t->count == 0 || addr < t->text_start || addr >= t->text_end ||
        addr - t->text_start < t->offs[0])
        return NULL;
    uint64_t rel = addr - t->text_start;
    uint32_t lo = 0, hi = t->count;     /* answer in [lo, hi) */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->offs[mid] <= rel)
            lo = mid;
        else
            hi = mid;
    }
    if (offset != NULL)
        *offset = rel - t->offs[lo];
    const char *name = t->names;
    for (uint32_t i = 0; i < lo; i++)
        name += strlen(name) + 1;
    return name;
}
