/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical range sets: merge on add, split on remove, full-set behaviour. */
#include "kernel.h"
#include "test.h"

static void test_add_merge(void)
{
    struct mem_range r[4];
    size_t n = 0;
    CHECK(ranges_add(r, &n, 4, 0x1000, 0x2000) == 0);
    CHECK(ranges_add(r, &n, 4, 0x5000, 0x6000) == 0);
    CHECK(ranges_add(r, &n, 4, 0x3000, 0x4000) == 0);
    CHECK(n == 3 && r[1].start == 0x3000);
    CHECK(ranges_add(r, &n, 4, 0x2000, 0x3000) == 0);   /* bridges two */
    CHECK(n == 2 && r[0].start == 0x1000 && r[0].end == 0x4000);
    CHECK(ranges_add(r, &n, 4, 0x0, 0x10000) == 0);     /* covers all */
    CHECK(n == 1 && r[0].start == 0 && r[0].end == 0x10000);
    CHECK(ranges_add(r, &n, 4, 0x20000, 0x20000) == 0); /* empty: no-op */
    CHECK(n == 1);
}

static void test_add_full(void)
{
    struct mem_range r[2];
    size_t n = 0;
    CHECK(ranges_add(r, &n, 2, 0, 1) == 0);
    CHECK(ranges_add(r, &n, 2, 10, 11) == 0);
    CHECK(ranges_add(r, &n, 2, 20, 21) != 0);
    CHECK(n == 2);
    CHECK(ranges_add(r, &n, 2, 1, 10) == 0);            /* merging still works */
    CHECK(n == 1 && r[0].end == 11);
}

static void test_remove(void)
{
    struct mem_range r[4];
    size_t n = 0;
    ranges_add(r, &n, 4, 0, 0x100000);
    ranges_remove(r, &n, 4, 0, 0x1000);                  /* page 0 */
    CHECK(n == 1 && r[0].start == 0x1000);
    ranges_remove(r, &n, 4, 0x10000, 0x34000);           /* the image: split */
    CHECK(n == 2 && r[0].end == 0x10000 && r[1].start == 0x34000);
    ranges_remove(r, &n, 4, 0xf0000, 0x200000);          /* past the end */
    CHECK(n == 2 && r[1].end == 0xf0000);
    ranges_remove(r, &n, 4, 0, 0x200000);                /* everything */
    CHECK(n == 0);
}

static void test_remove_full_split(void)
{
    struct mem_range r[1];
    size_t n = 0;
    ranges_add(r, &n, 1, 0, 100);
    ranges_remove(r, &n, 1, 10, 20);    /* no slot to split: keep the larger */
    CHECK(n == 1 && r[0].start == 20 && r[0].end == 100);
}

static void test_largest(void)
{
    struct mem_range r[4];
    size_t n = 0;
    ranges_add(r, &n, 4, 0, 10);
    ranges_add(r, &n, 4, 20, 50);
    ranges_add(r, &n, 4, 60, 70);
    CHECK(ranges_largest(r, n) == 1);
    CHECK(ranges_largest(r, 0) == 0);
}

int main(void)
{
    RUN(test_add_merge);
    RUN(test_add_full);
    RUN(test_remove);
    RUN(test_remove_full_split);
    RUN(test_largest);
    TEST_EXIT();
}
