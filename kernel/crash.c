/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crash reports. Any CPU exception is fatal: crash_exception() prints
 * what happened in words (for page faults: the address, the access and
 * why it failed, e.g. a NULL dereference or a stack guard page), a
 * register dump and a frame-pointer backtrace with function names from
 * the embedded symbol table, then crashes the guest.
 */
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
    kprintf("backtrace:\n");
    print_symbol("  #0  ", rip, rip);
    for (int i = 1; i < 32; i++) {
        if (rbp == 0 || (rbp & 7) != 0 || !mmu_is_mapped(rbp) ||
            !mmu_is_mapped(rbp + 8))
            break;
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t next = frame[0], ret = frame[1];
        if (ret == 0)
            break;
        char prefix[8];
        ksnprintf(prefix, sizeof(prefix), "  #%-2d ", i);
        /* ret - 1 is inside the call, so a tail call still names the caller. */
        print_symbol(prefix, ret, ret - 1);
        if (next <= rbp)
            break;
        rbp = next;
    }
}

static void describe_page_fault(const struct trap_frame *tf, uint64_t cr2)
{
    uint64_t e = tf->error;
    const char *access = (e & 0x10) ? "instruction fetch" : (e & 2) ? "write" : "read";
    const char *why;

    if (in_guard_page(cr2))
        why = "stack overflow: the boot stack's guard page was hit";
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
    backtrace_print(tf->rip, tf->rbp);
    power_crash();
}

void crash_exception(struct trap_frame *tf)
{
    crash_report(tf);
}
