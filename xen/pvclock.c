/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pvclock arithmetic (pure; host-tested in tests/unit/test_pvclock.c).
 * Xen publishes, per vCPU, a (tsc_timestamp, system_time) pair and a
 * scale; system time now = system_time + scale(TSC now - tsc_timestamp).
 * The record is being updated while its version is odd or changes under
 * the reader, so readers retry.
 */
#include <stdint.h>

#include "pvclock.h"

/* (delta << shift or >> -shift) * mul / 2^32, without overflow. */
uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/*
 * Xen system time in ns from the record (t), given the TSC read (tsc).
 * The difference is taken modulo 2^64 and read as signed: the record's
 * timestamp may be "negative" (a domain's TSC starts near 0 after the
 * record was written, so it wrapped), and (tsc) may precede the
 * timestamp a little (the entry TSC, read before the record's refresh).
 */
uint64_t pvclock_ns(const struct pvclock_snapshot *t, uint64_t tsc)
{
    int64_t delta = (int64_t)(tsc - t->tsc_timestamp);
    if (delta >= 0)
        return t->system_time + pvclock_scale((uint64_t)delta,
                                              t->tsc_to_system_mul, t->tsc_shift);
    return t->system_time - pvclock_scale(-(uint64_t)delta,
                                          t->tsc_to_system_mul, t->tsc_shift);
}
