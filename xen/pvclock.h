/* SPDX-License-Identifier: BSD-2-Clause */
/* pvclock.c: pvclock arithmetic. */
#ifndef XEN_PVCLOCK_H
#define XEN_PVCLOCK_H

#include <stdint.h>

/* A consistent copy of Xen's struct vcpu_time_info. */
struct pvclock_snapshot {
    uint64_t tsc_timestamp, system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
};

uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);
uint64_t pvclock_ns(const struct pvclock_snapshot *t, uint64_t tsc);

#endif
