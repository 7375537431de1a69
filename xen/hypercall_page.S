/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hypercall page: Xen fills it with one 32-byte stub per hypercall
 * when platform_init() writes its address to the MSR that CPUID names.
 * It lives in .text, so it is mapped read-only and executable; Xen writes
 * it through the guest-physical address. It starts as RET instructions, so
 * a call before Xen has filled it returns at once, and platform_init()
 * can check that the first byte changed.
 */
    .section .text.hypercall_page, "ax"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xc3
