/* SPDX-License-Identifier: BSD-2-Clause */
/* The image's own symbol table (see ksyms.c and tools/mksyms.sh). */
#include "kernel.h"
#include "../arch/x86_64/arch.h"

extern const char __ksyms_start[], __ksyms_end[];

const char *ksym_name(uint64_t addr, uint64_t *offset)
{
    const uint32_t *p = (const uint32_t *)__ksyms_start;
    struct ksym_table t;

    if ((size_t)(__ksyms_end - __ksyms_start) < sizeof(uint32_t))
        return NULL;
    t.count = p[0];
    t.text_start = (uintptr_t)__image_start;
    t.text_end = (uintptr_t)__text_end;
    t.offs = p + 1;
    t.names = (const char *)(t.offs + t.count);
    return ksym_lookup(&t, addr, offset);
}
