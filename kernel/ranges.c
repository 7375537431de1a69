/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sets of half-open physical address ranges, kept sorted and disjoint
 * (pure; host-tested in tests/unit/test_ranges.c). mm.c uses them to turn
 * the boot memory map into free memory: add the RAM ranges, then remove
 * page 0, the image and the boot module.
 */
#include <errno.h>
#include <string.h>

#include "kernel.h"

/* Add [start, end), merging with neighbours. -ENOSPC if the set is full. */
int ranges_add(struct mem_range *r, size_t *n, size_t max,
               uint64_t start, uint64_t end)
{
    if (start >= end)
        return 0;
    size_t i = 0;
    while (i < *n && r[i].end < start)
        i++;
    /* r[i] is the first range that touches or follows [start, end). */
    size_t j = i;
    while (j < *n && r[j].start <= end) {
        if (r[j].start < start)
            start = r[j].start;
        if (r[j].end > end)
            end = r[j].end;
        j++;
    }
    if (i == j) {
        if (*n == max)
            return -ENOSPC;
        memmove(&r[i + 1], &r[i], (*n - i) * sizeof(*r));
        (*n)++;
    } else if (j - i > 1) {
        memmove(&r[i + 1], &r[j], (*n - j) * sizeof(*r));
        *n -= j - i - 1;
    }
    r[i].start = start;
    r[i].end = end;
    return 0;
}

/*
 * Remove [start, end). Splitting a range needs one free slot; if the set
 * is full, the smaller piece is dropped, which only loses memory.
 */
void ranges_remove(struct mem_range *r, size_t *n, size_t max,
                   uint64_t start, uint64_t end)
{
    if (start >= end)
        return;
    for (size_t i = 0; i < *n;) {
        struct mem_range c = r[i];
        if (c.end <= start || c.start >= end) {
            i++;
            continue;
        }
        bool left = c.start < start, right = c.end > end;
        if (left && right) {
            if (*n < max) {
                memmove(&r[i + 2], &r[i + 1], (*n - i - 1) * sizeof(*r));
                (*n)++;
                r[i].end = start;
                r[i + 1].start = end;
                r[i + 1].end = c.end;
                i += 2;
            } else if (start - c.start >= c.end - end) {
                r[i++].end = start;
            } else {
                r[i++].start = end;
            }
        } else if (left) {
            r[i++].end = start;
        } else if (right) {
            r[i++].start = end;
        } else {
            memmove(&r[i], &r[i + 1], (*n - i - 1) * sizeof(*r));
            (*n)--;
        }
    }
}

/* Index of the largest range; 0 if the set is empty. */
size_t ranges_largest(const struct mem_range *r, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (r[i].end - r[i].start > r[best].end - r[best].start)
            best = i;
    return best;
}
