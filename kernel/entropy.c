/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Random bytes for the stack-protector guard, getentropy() and
 * arc4random(). The source is the CPU's RDRAND when it has one. Without
 * it the bytes come from mixing TSC readings, which an attacker who can
 * time the guest may partly predict: the first such use is logged as
 * weaker, once.
 */
#include <string.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"

static struct {
    bool warned;
    uint64_t state;             /* the fallback's mixing state */
} entropy;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* One 64-bit word; sets *strong to whether it came from RDRAND. */
static uint64_t entropy_word(bool *strong)
{
    uint64_t v;

    if (cpu_has_rdrand() && cpu_rdrand64(&v)) {
        *strong = true;
        return v;
    }
    *strong = false;
    entropy.state += 0x9e3779b97f4a7c15ULL ^ rdtsc();
    return mix64(entropy.state ^ mix64(rdtsc()));
}

/* Fill (buf) with (len) random bytes; false if any came from the fallback. */
bool entropy_get(void *buf, size_t len)
{
    unsigned char *p = buf;
    bool all_strong = true;

    while (len > 0) {
        bool strong;
        uint64_t w = entropy_word(&strong);
        all_strong = all_strong && strong;
        size_t k = len < sizeof(w) ? len : sizeof(w);
        memcpy(p, &w, k);
        p += k;
        len -= k;
    }
    if (!all_strong && !entropy.warned) {
        entropy.warned = true;
        log_warn("entropy: the CPU has no RDRAND; random bytes come from TSC mixing (weaker)");
    }
    return all_strong;
}
