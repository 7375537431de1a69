/* SPDX-License-Identifier: BSD-2-Clause */
/* panic(): a fatal kernel error. Prints, backtraces and crashes the guest. */
#include "kernel.h"
#include "../arch/x86_64/arch.h"

void panic(const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    va_start(ap, fmt);
    kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    kprintf("xenolith: panic: %s\n", buf);
    backtrace_print((uint64_t)(uintptr_t)__builtin_return_address(0),
                    *(uint64_t *)__builtin_frame_address(0));
    power_crash();
}
