/* SPDX-License-Identifier: BSD-2-Clause */
/* pvclock arithmetic: scaling with both shift signs, no overflow. */
#include "test.h"
#include "../../xen/pvclock.h"

static void test_scale(void)
{
    /* mul = 2^31 is a factor of 0.5; shift doubles or halves first. */
    CHECK(pvclock_scale(1000, 1u << 31, 0) == 500);
    CHECK(pvclock_scale(1000, 1u << 31, 1) == 1000);
    CHECK(pvclock_scale(1000, 1u << 31, -1) == 250);
    CHECK(pvclock_scale(0, 0xffffffffu, 0) == 0);
    /* A 2.6 GHz TSC: mul = 2^32 / 2.6 with shift 0 gives ns. */
    uint32_t mul = (uint32_t)((1ULL << 32) * 10 / 26);
    uint64_t ns = pvclock_scale(2600000000ULL, mul, 0);
    CHECK(ns > 999999000ULL && ns <= 1000000000ULL);
}

static void test_no_overflow(void)
{
    /* Ten years of ticks at 3 GHz, scaled: would overflow 64 bits if the
     * product were not 128-bit. */
    uint64_t delta = 3000000000ULL * 86400ULL * 3650ULL;
    uint32_t mul = (uint32_t)((1ULL << 32) / 3);
    uint64_t ns = pvclock_scale(delta, mul, 0);
    CHECK(ns > 315000000000000000ULL && ns < 316000000000000000ULL);
}

static void test_ns(void)
{
    struct pvclock_snapshot s = { 1000, 5000000, 1u << 31, 0 };
    CHECK(pvclock_ns(&s, 1000) == 5000000);
    CHECK(pvclock_ns(&s, 3000) == 5001000);
    /* A TSC read before the record's timestamp: time before system_time. */
    CHECK(pvclock_ns(&s, 0) == 4999500);
    /* A "negative" timestamp, as Xen writes for a new PVH domain whose
     * TSC starts near 0 (seen: 2^64 - 610e6): the difference wraps. */
    struct pvclock_snapshot w = { (uint64_t)-2000, 7000000000ULL, 1u << 31, 0 };
    CHECK(pvclock_ns(&w, 2000) == 7000002000ULL);
}

int main(void)
{
    RUN(test_scale);
    RUN(test_no_overflow);
    RUN(test_ns);
    TEST_EXIT();
}
