/* SPDX-License-Identifier: BSD-2-Clause */
/* Grant reference pool: reserved refs, exhaustion, reuse, bad frees. */
#include <errno.h>

#include "test.h"
#include "../../xen/gntref.h"

static struct gntref_pool pool;

static void test_exhaust_and_reuse(void)
{
    gntref_init(&pool, 8, 16);
    CHECK(pool.nfree == 8);
    int64_t got[8];
    for (int i = 0; i < 8; i++) {
        got[i] = gntref_alloc(&pool);
        CHECK(got[i] >= 8 && got[i] < 16);
    }
    CHECK(gntref_alloc(&pool) == -ENOSPC);
    CHECK(gntref_free(&pool, (uint32_t)got[3]) == 0);
    CHECK(gntref_alloc(&pool) == got[3]);
    for (int i = 0; i < 8; i++)
        CHECK(gntref_free(&pool, (uint32_t)got[i]) == 0);
    CHECK(pool.nfree == 8);
}

static void test_bad_frees(void)
{
    gntref_init(&pool, 8, 16);
    int64_t r = gntref_alloc(&pool);
    CHECK(gntref_free(&pool, (uint32_t)r) == 0);
    CHECK(gntref_free(&pool, (uint32_t)r) == -EINVAL);      /* double free */
    CHECK(gntref_free(&pool, 3) == -EINVAL);                /* reserved, never handed out */
    CHECK(gntref_free(&pool, 16) == -EINVAL);               /* out of range */
    CHECK(pool.nfree == 8);
}

static void test_capacity(void)
{
    gntref_init(&pool, 8, GNTREF_MAX + 100);
    CHECK(pool.count == GNTREF_MAX && pool.nfree == GNTREF_MAX - 8);
}

int main(void)
{
    RUN(test_exhaust_and_reuse);
    RUN(test_bad_frees);
    RUN(test_capacity);
    TEST_EXIT();
}
