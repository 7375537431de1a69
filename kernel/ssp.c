/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The stack protector's guard. Everything is built with
 * -fstack-protector-strong -mstack-protector-guard=global, so there is one
 * guard for all threads: __stack_chk_guard, randomised by ssp_init() from
 * entropy_get() (RDRAND when the CPU has it, otherwise TSC mixing, which
 * is weaker and logged as such).
 * ssp_init() runs from kernel_main(), which never returns, and is itself
 * unprotected, so no frame live at that point is checked against the old
 * value.
 */
#include "kernel.h"
#include "../arch/x86_64/arch.h"

uintptr_t __stack_chk_guard = 0x2f8a61c9d3b4e507UL;

__attribute__((no_stack_protector)) void ssp_init(void)
{
    uint64_t v;

    if (entropy_get(&v, sizeof(v)))
        log_debug("ssp: stack guard from RDRAND");
    /* A zero low byte stops string overflows that copy up to a NUL. */
    __stack_chk_guard = (uintptr_t)(v & ~0xffULL);
}

__attribute__((noreturn)) void __stack_chk_fail(void)
{
    kprintf("xenolith: crash: stack smashing detected (stack protector)\n");
    backtrace_print((uint64_t)(uintptr_t)__builtin_return_address(0),
                    *(uint64_t *)__builtin_frame_address(0));
    power_crash();
}
