/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cooperative context switch. Only what a function call must preserve is
 * saved: the callee-saved registers, MXCSR and the x87 control word (all
 * xmm registers are caller-saved).
 *
 * void arch_switch(uint64_t *save_rsp, uint64_t load_rsp)
 * void arch_thread_start(void): where a new thread's first switch returns;
 *     calls sched_thread_entry() (which never returns) on an aligned stack.
 */
    .section .text
    .globl arch_switch
arch_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $16, %rsp
    stmxcsr 0(%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr 0(%rsp)
    fldcw 4(%rsp)
    addq $16, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .globl arch_thread_start
arch_thread_start:
    xorl %ebp, %ebp                 /* ends the frame-pointer chain */
    andq $-16, %rsp
    call sched_thread_entry
    ud2
