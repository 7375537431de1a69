/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot timeline: TSC stamps taken at boot milestones, printed at the
 * end of boot in microseconds from the first instruction. Stamps are raw
 * TSC values because the TSC frequency is only known after time_init().
 */
#include "kernel.h"
#include "../arch/x86_64/arch.h"

static struct {
    struct {
        const char *what;
        uint64_t tsc;
    } marks[16];
    unsigned n;
} timeline;

void timeline_mark(const char *what)
{
    if (timeline.n < ARRAY_SIZE(timeline.marks)) {
        timeline.marks[timeline.n].what = what;
        timeline.marks[timeline.n].tsc = rdtsc();
        timeline.n++;
    }
}

void timeline_print(void)
{
    char line[200];
    int len = ksnprintf(line, sizeof(line), "boot timeline (us since entry):");
    for (unsigned i = 0; i < timeline.n && len < (int)sizeof(line); i++) {
        uint64_t us = time_tsc_to_ns(timeline.marks[i].tsc - boot_tsc) / 1000;
        len += ksnprintf(line + len, sizeof(line) - (size_t)len, " %s=%llu",
                         timeline.marks[i].what, (unsigned long long)us);
    }
    log_info("%s", line);
}
