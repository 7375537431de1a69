/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Thread-local storage (__thread, _Thread_local): each thread gets its
 * own copy of the image's TLS template (linker.ld: .tdata's initial
 * values, then .tbss's zeros), laid out as the x86-64 ELF ABI's
 * "variant II" for a static executable:
 *
 *   block:  [ .tdata copy | .tbss zeros ][ TCB ]
 *                                        ^ the thread pointer (%fs base)
 *
 * The linker gives each variable a fixed negative offset from the thread
 * pointer (local-exec; initial-exec is relaxed to it in a static link).
 * The TCB's first word points to itself (code takes a variable's address
 * as %fs:0 plus that offset), and the word at 0x28 holds the stack
 * protector's guard for code built with gcc's default %fs:0x28 canary.
 * An image without __thread variables gets no block and no switches.
 */
#include <stdint.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"

#define TCB_SIZE 64
#define TLS_ALIGN_MAX 64                /* linker.ld aligns both ends to it */

extern uintptr_t __stack_chk_guard;

static size_t tls_size(void)
{
    return (size_t)(__tbss_end - __tdata_start);
}

bool tls_present(void)
{
    return tls_size() != 0;
}

void *tls_new(uint64_t *tp)
{
    size_t size = tls_size(), data = (size_t)(__tdata_end - __tdata_start);

    *tp = 0;
    if (size == 0)
        return NULL;
    if ((uintptr_t)__tls_align > TLS_ALIGN_MAX)
        panic("tls: a __thread variable needs %lu-byte alignment (at most %d)",
              (unsigned long)(uintptr_t)__tls_align, TLS_ALIGN_MAX);
    unsigned char *block = memalign(TLS_ALIGN_MAX, size + TCB_SIZE);
    if (block == NULL)
        return NULL;
    memcpy(block, __tdata_start, data);
    memset(block + data, 0, size + TCB_SIZE - data);
    uintptr_t *tcb = (uintptr_t *)(block + size);
    tcb[0] = (uintptr_t)tcb;
    tcb[0x28 / sizeof(uintptr_t)] = __stack_chk_guard;
    *tp = (uintptr_t)tcb;
    return block;
}
