/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Xen PV entry. The same image boots as PVH (arch/x86_64/pvh_entry.S,
 * XEN_ELFNOTE_PHYS32_ENTRY) and as PV: the notes below tell the PV domain
 * builder where to enter (64-bit, virtual addresses equal to our link
 * addresses: VIRT_BASE 0) and where to write the hypercall page. Xen
 * starts us in long mode, kernel in ring 3, events masked, with %rsi =
 * start_info and %rsp at the top of the bootstrap stack, the last of the
 * bootstrap elements. We record the TSC, clear .bss, move to our own boot
 * stack (the one with the guard page) and call pv_boot(start_info,
 * bootstrap_end).
 * The trap and event-callback entries that PV needs are below too: Xen
 * pushes %rcx and %r11 above the hardware-style frame; they are restored
 * and the native stubs (arch/x86_64/intr.S) take over, returning through
 * pv_iret (the iret hypercall).
 */
#define XEN_ELFNOTE_ENTRY          1
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
#define XEN_ELFNOTE_VIRT_BASE      3
#define XEN_ELFNOTE_PADDR_OFFSET   4
#define XEN_ELFNOTE_XEN_VERSION    5
#define XEN_ELFNOTE_GUEST_OS       6
#define XEN_ELFNOTE_LOADER         8

.macro XEN_NOTE type, value
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 4
    .long 8
    .long \type
    .asciz "Xen"
    .balign 4
    .quad \value
    .popsection
.endm

.macro XEN_NOTE_STR type, value
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 4
    .long 2f - 1f
    .long \type
    .asciz "Xen"
    .balign 4
1:  .asciz "\value"
2:  .balign 4
    .popsection
.endm

    XEN_NOTE_STR XEN_ELFNOTE_GUEST_OS, Xenolith
    XEN_NOTE_STR XEN_ELFNOTE_XEN_VERSION, xen-3.0
    XEN_NOTE_STR XEN_ELFNOTE_LOADER, generic
    XEN_NOTE XEN_ELFNOTE_VIRT_BASE, 0
    XEN_NOTE XEN_ELFNOTE_PADDR_OFFSET, 0
    XEN_NOTE XEN_ELFNOTE_ENTRY, pv_start
    XEN_NOTE XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page

    .section .text.boot, "ax"
    .code64
    .globl pv_start
pv_start:
    cld
    rdtsc                           /* the boot timeline starts here */
    movl %eax, boot_tsc(%rip)
    movl %edx, boot_tsc + 4(%rip)
    movq %rsi, %r12                 /* start_info */
    movq %rsp, %r13                 /* end of the bootstrap elements */

    leaq __bss_start(%rip), %rdi
    leaq __bss_end(%rip), %rcx
    subq %rdi, %rcx
    shrq $3, %rcx                   /* both ends are 16-byte aligned */
    xorl %eax, %eax
    rep stosq                       /* quadwords: emulated rep stosb costs ms */

    leaq boot_stack_top(%rip), %rsp
    xorl %ebp, %ebp                 /* ends the frame-pointer chain */
    fninit
    ldmxcsr pv_mxcsr(%rip)
    movq %r12, %rdi
    movq %r13, %rsi
    call pv_boot
    ud2

    .section .rodata
    .balign 4
pv_mxcsr:
    .long 0x1f80

/* Exceptions: drop Xen's %rcx/%r11 and continue in the native stub. */
    .section .text
.macro PV_TRAP vec
    .globl pv_trap_\vec
pv_trap_\vec:
    movq (%rsp), %rcx
    movq 8(%rsp), %r11
    addq $16, %rsp
    jmpq *(intr_stubs + 8 * \vec)(%rip)
.endm

    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
    PV_TRAP \n
    .endr

/* The event callback: handled as vector 32 (EVTCHN_VECTOR). */
    .globl pv_event_entry
pv_event_entry:
    movq (%rsp), %rcx
    movq 8(%rsp), %r11
    addq $16, %rsp
    jmpq *(intr_stubs + 8 * 32)(%rip)

/*
 * Return from an interrupt or exception through HYPERVISOR_iret: the stub
 * in the hypercall page pushes %rax, %rcx and %r11 itself; we add the
 * flags word (0: not returning from a syscall). Xen restores the event
 * mask from the frame's RFLAGS.IF and returns with our CS as it gave it.
 */
#define HYPERCALL_IRET 23
    .globl pv_iret
pv_iret:
    pushq $0
    jmp hypercall_page + HYPERCALL_IRET * 32

/* Xen could not load our segment registers on return: report it. */
    .globl pv_failsafe_entry
pv_failsafe_entry:
    andq $-16, %rsp
    call pv_failsafe
    ud2

    .section .rodata
    .balign 8
    .globl pv_trap_entries
pv_trap_entries:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
    .quad pv_trap_\n
    .endr
