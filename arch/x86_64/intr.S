/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt and exception entry. Each vector's stub pushes a uniform
 * (error code, vector) pair and jumps to intr_common, which saves the
 * general registers as a struct trap_frame (arch.h), saves the SSE/x87
 * state with fxsave on a 16-byte aligned area (so C handlers may use SSE),
 * and calls trap_dispatch(frame).
 */
#include "asm.h"

    .section .text
.macro STUB vec, has_err
stub_\vec:
    .if \has_err == 0
    pushq $0
    .endif
    pushq $\vec
    jmp intr_common
.endm

/* Exceptions 0-31; the ones with a CPU-pushed error code are marked 1. */
STUB 0,0;  STUB 1,0;  STUB 2,0;  STUB 3,0;  STUB 4,0;  STUB 5,0;  STUB 6,0;  STUB 7,0
STUB 8,1;  STUB 9,0;  STUB 10,1; STUB 11,1; STUB 12,1; STUB 13,1; STUB 14,1; STUB 15,0
STUB 16,0; STUB 17,1; STUB 18,0; STUB 19,0; STUB 20,0; STUB 21,1; STUB 22,0; STUB 23,0
STUB 24,0; STUB 25,0; STUB 26,0; STUB 27,0; STUB 28,0; STUB 29,1; STUB 30,1; STUB 31,0
/* Vectors 32-47, for platform interrupts (event channel upcall, timers). */
STUB 32,0; STUB 33,0; STUB 34,0; STUB 35,0; STUB 36,0; STUB 37,0; STUB 38,0; STUB 39,0
STUB 40,0; STUB 41,0; STUB 42,0; STUB 43,0; STUB 44,0; STUB 45,0; STUB 46,0; STUB 47,0

intr_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi                 /* struct trap_frame * */
    movq %rsp, %rbx                 /* callee-saved: restores %rsp below */
    subq $512, %rsp
    andq $-16, %rsp
    fxsave64 (%rsp)
    movq 0x40(%rbx), %rbp           /* trap_frame.rbp: the chain continues there */
    call trap_dispatch
    fxrstor64 (%rsp)
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp                  /* vector and error code */
    cmpq $0, cpu_iret_fn(%rip)
    jne 1f
    iretq
1:  jmpq *cpu_iret_fn(%rip)         /* a paravirtual return (struct cpu_pv_ops) */

    .section .rodata
    .balign 8
    .globl intr_stubs
intr_stubs:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad stub_\n
    .endr
    .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .quad stub_\n
    .endr
