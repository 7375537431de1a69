/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PVH entry: Xen (or QEMU's PVH loader) starts us in 32-bit protected mode,
 * paging off, at the address in the XEN_ELFNOTE_PHYS32_ENTRY note, with
 * %ebx = physical address of struct hvm_start_info. We record the TSC,
 * clear .bss, identity-map the first 1 GiB with 2 MiB pages, enter long
 * mode, enable SSE and call pvh_boot(start_info) on the boot stack.
 * mmu_init() later replaces these boot page tables with the final ones.
 */
#include "asm.h"

    .section .note.Xen, "a", @note
    .balign 4
    .long 4                         /* namesz */
    .long 4                         /* descsz */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .balign 4
    .long pvh_start32
    .balign 4

    .section .text.boot, "ax"
    .code32
    .globl pvh_start32
pvh_start32:
    cli
    cld
    movl %ebx, %esi                 /* keep start_info; %esi survives below */

    rdtsc                           /* the boot timeline starts here */
    movl %eax, boot_tsc
    movl %edx, boot_tsc + 4

    movl $__bss_start, %edi         /* .bss must be zero before any C */
    movl $__bss_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx                   /* both ends are 16-byte aligned */
    xorl %eax, %eax
    rep stosl                       /* words: emulated rep stosb costs ms */

    movl $boot_pd, %edi             /* 512 x 2 MiB: identity map of 1 GiB */
    movl $(PTE_P | PTE_W | PTE_PS), %eax
    xorl %ecx, %ecx
1:  movl %eax, (%edi, %ecx, 8)
    movl $0, 4(%edi, %ecx, 8)
    addl $0x200000, %eax
    incl %ecx
    cmpl $512, %ecx
    jb 1b
    movl $(boot_pd + PTE_P + PTE_W), boot_pdpt
    movl $(boot_pdpt + PTE_P + PTE_W), boot_pml4

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3

    movl $0x80000000, %eax          /* NX available? */
    cpuid
    xorl %edi, %edi
    cmpl $0x80000001, %eax
    jb 2f
    movl $0x80000001, %eax
    cpuid
    btl $20, %edx
    jnc 2f
    movl $EFER_NXE, %edi
2:  movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    orl %edi, %eax
    wrmsr

    movl %cr0, %eax
    andl $~CR0_EM, %eax
    orl $(CR0_PG | CR0_WP | CR0_MP | CR0_PE), %eax
    movl %eax, %cr0

    lgdt gdt_desc
    ljmp $GDT_CODE, $start64

    .code64
start64:
    movl $GDT_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs

    leaq boot_stack_top(%rip), %rsp
    xorl %ebp, %ebp                 /* ends the frame-pointer chain */

    movq %cr4, %rax                 /* SSE: newlib's printf and memcpy use it */
    orq $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
    movq %rax, %cr4
    fninit
    ldmxcsr mxcsr_default(%rip)

    movl %esi, %edi
    call pvh_boot
    ud2

    .section .rodata
    .balign 4
mxcsr_default:
    .long 0x1f80

    .section .data
    .balign 16
    .globl gdt
gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* GDT_CODE: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff        /* GDT_DATA: flat data */
    .quad 0, 0                      /* GDT_TSS: filled in by cpu_init() */
gdt_end:
    .balign 8
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

    .globl boot_tsc
    .balign 8
boot_tsc:
    .quad 0

    .section .bss.boot, "aw", @nobits
    .balign 4096
    .globl boot_pml4, boot_pdpt, boot_pd
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4096
    /*
     * The boot stack, with an unmapped guard page below it: mmu_init()
     * leaves boot_stack_guard out of the page tables, so an overflow
     * faults instead of running into the page tables above.
     */
    .globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:   .skip 4096
boot_stack_bottom:  .skip BOOT_STACK_SIZE
boot_stack_top:
