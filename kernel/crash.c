/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crash reports. Any CPU exception is fatal: crash_exception() prints
 * what happened in words (for page faults: the address, the access and
 * why it failed, e.g. a NULL dereference or a stack guard page), a
 * register dump and a frame-pointer backtrace with function names from
 * the embedded symbol table, then crashes the guest.
 */
#include <string.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"

static const char *const exception_names[32] = {
    "divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)",
    "overflow (#OF)", "bound range (#BR)", "invalid opcode (#UD)",
    "device not available (#NM)", "double fault (#DF)",
    "coprocessor segment overrun", "invalid TSS (#TS)",
    "segment not present (#NP)", "stack fault (#SS)",
    "general protection fault (#GP)", "page fault (#PF)", "reserved 15",
    "x87 floating-point error (#MF)", "alignment check (#AC)",
    "machine check (#MC)", "SIMD floating-point error (#XM)",
    "virtualization exception (#VE)", "control protection (#CP)",
    "reserved 22", "reserved 23", "reserved 24", "reserved 25",
    "reserved 26", "reserved 27", "reserved 28", "reserved 29",
    "security exception (#SX)", "reserved 31",
};

static void backtrace_print_leaf(uint64_t rip, uint64_t leaf_ret, uint64_t rbp);

static bool in_guard_page(uint64_t addr)
{
    uint64_t g = (uintptr_t)boot_stack_guard;
    return addr >= g && addr < g + PAGE_SIZE;
}

static void print_symbol(const char *prefix, uint64_t addr, uint64_t lookup)
{
    uint64_t off;
    const char *name = ksym_name(lookup, &off);
    if (name != NULL)
        kprintf("%s%#018llx %s+%#llx\n", prefix, (unsigned long long)addr,
                name, (unsigned long long)(off + (addr - lookup)));
    else
        kprintf("%s%#018llx ?\n", prefix, (unsigned long long)addr);
}

/*
 * Walk the frame-pointer chain from (rbp). Every frame is checked to be
 * mapped, aligned and above the previous one before it is read, so a
 * corrupt chain ends the walk instead of faulting again.
 */
void backtrace_print(uint64_t rip, uint64_t rbp)
{
    backtrace_print_leaf(rip, 0, rbp);
}

/*
 * As backtrace_print(), with (leaf_ret) printed as frame #1 when non-zero:
 * the return address of a function that faulted before (or without)
 * setting up a frame of its own.
 */
static void backtrace_print_leaf(uint64_t rip, uint64_t leaf_ret, uint64_t rbp)
{
    int i = 1;

    kprintf("backtrace:\n");
    print_symbol("  #0  ", rip, rip);
    if (leaf_ret != 0)
        print_symbol("  #1  ", leaf_ret, leaf_ret - 1), i++;
    uint64_t prev = 0;
    int repeats = 0;
    for (; i < 64; i++) {
        if (rbp == 0 || (rbp & 7) != 0 || !mmu_is_mapped(rbp) ||
            !mmu_is_mapped(rbp + 8))
            break;
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t next = frame[0], ret = frame[1];
        if (ret == 0)
            break;
        if (ret == prev) {
            repeats++;              /* deep recursion: one line for all */
        } else {
            if (repeats > 0)
                kprintf("  ... the frame above repeats %d more times\n", repeats);
            repeats = 0;
            char prefix[8];
            ksnprintf(prefix, sizeof(prefix), "  #%-2d ", i);
            /* ret - 1 is inside the call, so a tail call names the caller. */
            print_symbol(prefix, ret, ret - 1);
        }
        prev = ret;
        if (next <= rbp)
            break;
        rbp = next;
    }
    if (repeats > 0)
        kprintf("  ... the frame above repeats %d more times (backtrace cut)\n", repeats);
}

/*
 * gcc gives a leaf function that needs no stack no frame at all, even with
 * -fno-omit-frame-pointer, so the frame chain skips its caller. If the
 * word at the top of the stack is a return address right after a
 * "call rel32" to the faulting function itself, that function has pushed
 * nothing yet and the word is its caller: return it, else 0.
 */
static uint64_t frameless_caller(const struct trap_frame *tf)
{
    uint64_t off;
    uintptr_t lo = (uintptr_t)__image_start, hi = (uintptr_t)__text_end;

    if (ksym_name(tf->rip, &off) == NULL || (tf->rsp & 7) != 0 ||
        !mmu_is_mapped(tf->rsp))
        return 0;
    uint64_t ret = *(const uint64_t *)(uintptr_t)tf->rsp;
    if (ret < lo + 5 || ret >= hi)
        return 0;
    const uint8_t *call = (const uint8_t *)(uintptr_t)(ret - 5);
    if (call[0] != 0xe8)
        return 0;
    int32_t rel;
    memcpy(&rel, call + 1, sizeof(rel));
    return ret + (uint64_t)(int64_t)rel == tf->rip - off ? ret : 0;
}

static void describe_page_fault(const struct trap_frame *tf, uint64_t cr2)
{
    uint64_t e = tf->error;
    const char *access = (e & 0x10) ? "instruction fetch" : (e & 2) ? "write" : "read";
    const char *why;

    struct thread *owner = sched_guard_owner(cr2);
    if (in_guard_page(cr2))
        why = "stack overflow: the boot stack's guard page was hit";
    else if (owner != NULL)
        why = "stack overflow: a thread stack's guard page was hit";
    else if (cr2 < PAGE_SIZE)
        why = "NULL pointer dereference (page 0 is never mapped)";
    else if (!(e & 1))
        why = "the page is not mapped";
    else if (e & 0x10)
        why = "the page is not executable (NX)";
    else if (e & 2)
        why = "the page is read-only";
    else if (e & 8)
        why = "reserved bit set in a page-table entry";
    else
        why = "protection violation";
    kprintf("  %s at %#llx: %s\n", access, (unsigned long long)cr2, why);
}

static void crash_report(struct trap_frame *tf)
{
    static int depth;
    uint64_t cr2 = cpu_read_cr2();

    if (depth++ > 0) {
        kprintf("xenolith: crash: %s while reporting a crash\n",
                exception_names[tf->vector & 31]);
        power_crash();
    }
    kprintf("xenolith: crash: %s\n", exception_names[tf->vector]);
    print_symbol("  rip ", tf->rip, tf->rip);
    if (tf->vector == 14)
        describe_page_fault(tf, cr2);
    else if (tf->vector == 8 && in_guard_page(cr2))
        kprintf("  stack overflow: the boot stack's guard page was hit (cr2 %#llx)\n",
                (unsigned long long)cr2);
    else if (tf->vector == 8 && sched_guard_owner(cr2) != NULL)
        kprintf("  stack overflow in thread '%s': its guard page was hit (cr2 %#llx)\n",
                sched_guard_owner(cr2)->name, (unsigned long long)cr2);
    kprintf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
            (unsigned long long)tf->rax, (unsigned long long)tf->rbx,
            (unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
    kprintf("  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n",
            (unsigned long long)tf->rsi, (unsigned long long)tf->rdi,
            (unsigned long long)tf->rbp, (unsigned long long)tf->rsp);
    kprintf("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n",
            (unsigned long long)tf->r8, (unsigned long long)tf->r9,
            (unsigned long long)tf->r10, (unsigned long long)tf->r11);
    kprintf("  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n",
            (unsigned long long)tf->r12, (unsigned long long)tf->r13,
            (unsigned long long)tf->r14, (unsigned long long)tf->r15);
    kprintf("  rflags %016llx cs %04llx ss %04llx cr2 %016llx error %#llx\n",
            (unsigned long long)tf->rflags, (unsigned long long)tf->cs,
            (unsigned long long)tf->ss, (unsigned long long)cr2,
            (unsigned long long)tf->error);
    backtrace_print_leaf(tf->rip, frameless_caller(tf), tf->rbp);
    power_crash();
}

void crash_exception(struct trap_frame *tf)
{
    crash_report(tf);
}
