/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TSC frequency, from the first source that gives a plausible value:
 * Xen's CPUID timing leaf, the hypervisor timing leaf 0x40000010
 * (KVM/VMware), CPUID leaf 0x15 (crystal ratio), a 5 ms calibration
 * against PIT channel 0, then CPUID leaf 0x16 (nominal). The caller logs
 * the method.
 */
#include <string.h>

#include "arch.h"

#define MIN_HZ  50000000ULL         /* 50 MHz */
#define MAX_HZ  20000000000ULL      /* 20 GHz */

static bool plausible(uint64_t hz)
{
    return hz >= MIN_HZ && hz <= MAX_HZ;
}

static uint16_t pit_read_ch0(void)
{
    outb(0x43, 0x00);                   /* latch channel 0 */
    uint8_t lo = inb(0x40);
    return (uint16_t)(lo | (inb(0x40) << 8));
}

/*
 * Count TSC ticks over 5 ms of PIT channel 0, whose gate is always on
 * (channel 2 needs port 0x61, which QEMU's microvm lacks). Channel 0 runs
 * in mode 2 from 65536 down; its latched count is polled and the elapsed
 * ticks summed across wraps. Interrupts are off, so IRQ 0 is never taken.
 * Returns 0 if the counter does not move (no PIT).
 */
static uint64_t pit_calibrate(void)
{
    const uint32_t target = 1193182U * 5 / 1000;        /* 5 ms of PIT ticks */

    outb(0x43, 0x34);                   /* channel 0, lo/hi byte, mode 2 */
    outb(0x40, 0x00);
    outb(0x40, 0x00);                   /* count 65536 */
    uint16_t prev = pit_read_ch0();
    uint64_t t0 = rdtsc();
    uint32_t elapsed = 0;
    unsigned long stuck = 0;
    while (elapsed < target) {
        uint16_t now = pit_read_ch0();
        if (now == prev) {
            if (++stuck > 1000000UL)
                return 0;
            continue;
        }
        stuck = 0;
        elapsed += (uint16_t)(prev - now);  /* counts down; wraps at 65536 */
        prev = now;
    }
    uint64_t t1 = rdtsc();
    return (t1 - t0) * 1193182ULL / elapsed;
}

uint64_t tsc_freq_detect(const char **method)
{
    uint32_t r[4], base;
    char sig[13];

    if (cpu_pv != NULL)         /* CPUID may show the host's leaves; no PIT */
        return cpu_pv->tsc_freq(method);
    if (cpu_hypervisor(sig, &base)) {
        cpuid_cached(base, r);
        uint32_t max = r[0];
        if (strcmp(sig, "XenVMMXenVMM") == 0 && max >= base + 3) {
            cpuid_cached(base + 3, r);          /* ecx: guest TSC kHz */
            if (plausible((uint64_t)r[2] * 1000)) {
                *method = "Xen CPUID timing leaf";
                return (uint64_t)r[2] * 1000;
            }
        }
        if (max >= base + 0x10) {
            cpuid_cached(base + 0x10, r);       /* eax: TSC kHz */
            if (plausible((uint64_t)r[0] * 1000)) {
                *method = "hypervisor CPUID leaf 0x40000010";
                return (uint64_t)r[0] * 1000;
            }
        }
    }
    cpuid_cached(0, r);
    uint32_t maxstd = r[0];
    if (maxstd >= 0x15) {
        cpuid_cached(0x15, r);
        if (r[0] != 0 && r[1] != 0 && r[2] != 0) {
            uint64_t hz = (uint64_t)r[2] * r[1] / r[0];
            if (plausible(hz)) {
                *method = "CPUID leaf 0x15";
                return hz;
            }
        }
    }
    uint64_t hz = pit_calibrate();
    if (plausible(hz)) {
        *method = "calibrated against the PIT";
        return hz;
    }
    if (maxstd >= 0x16) {
        cpuid_cached(0x16, r);
        if (plausible((uint64_t)r[0] * 1000000)) {
            *method = "CPUID leaf 0x16 nominal frequency";
            return (uint64_t)r[0] * 1000000;
        }
    }
    *method = "no source found; assumed 1 GHz, clocks will be wrong";
    return 1000000000ULL;
}
