/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hypercall page: Xen fills it with one 32-byte stub per hypercall
 * when platform_init() writes its address to the MSR that CPUID names
 * (PVH), or before the guest starts (PV: the ELF note in pv_entry.S).
 * It is executable and read-only for the guest; Xen writes it through the
 * guest-physical address.
 * It takes no room in the image: its section holds no bytes (the loader
 * gives the page zeros), and linker.ld puts it page-aligned at the end of
 * the text segment. The PVH entry (pvh_boot) fills it with RET
 * instructions first, so that a call before Xen has filled it returns at
 * once, and platform_init() can check that the first byte changed.
 */
    .section .hypercall_page, "ax", @nobits
    .balign 64
    .globl hypercall_page
hypercall_page:
    .skip 4096
