/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CPU set-up: the TSS (with an IST stack for double faults, NMI and
 * machine checks, so a stack overflow still gets a report), the IDT for
 * vectors 0-47, CPU feature queries and halting.
 */
#include <string.h>

#include "arch.h"
#include "asm.h"

#define NVECTORS 48

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap;
} __attribute__((packed));

extern uint64_t gdt[];
extern const uint64_t intr_stubs[NVECTORS];

static struct {
    struct idt_gate idt[NVECTORS] __attribute__((aligned(16)));
    struct tss tss __attribute__((aligned(16)));
    intr_handler_fn handlers[NVECTORS];
    bool nx, rdrand;
} cpu;

static uint8_t ist1_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

const struct cpu_pv_ops *cpu_pv;
void (*cpu_iret_fn)(void);              /* read by intr.S; NULL: iretq */

void cpu_set_pv_ops(const struct cpu_pv_ops *ops)
{
    cpu_pv = ops;
    cpu_iret_fn = ops->iret;
}

/*
 * CPUID exits to the hypervisor, which under emulation costs tens of
 * microseconds, and boot asks a few leaves several times (leaf 1, the
 * hypervisor's signature) from the early console, the platform, the CPU
 * set-up and the clock. The answers are kept; a resume clears them (a
 * migration may land on a CPU that answers differently).
 */
static struct {
    uint32_t leaf, r[4];
} cpuid_cache[12];
static unsigned cpuid_cache_n;

void cpuid_cached(uint32_t leaf, uint32_t r[4])
{
    for (unsigned i = 0; i < cpuid_cache_n; i++) {
        if (cpuid_cache[i].leaf == leaf) {
            memcpy(r, cpuid_cache[i].r, sizeof(cpuid_cache[i].r));
            return;
        }
    }
    cpuid(leaf, 0, r);
    if (cpuid_cache_n < sizeof(cpuid_cache) / sizeof(cpuid_cache[0])) {
        cpuid_cache[cpuid_cache_n].leaf = leaf;
        memcpy(cpuid_cache[cpuid_cache_n].r, r, sizeof(cpuid_cache[0].r));
        cpuid_cache_n++;
    }
}

void cpuid_cache_clear(void)
{
    cpuid_cache_n = 0;
}

void cpu_init(void)
{
    uint32_t r[4];

    cpuid_cached(0x80000000, r);
    if (r[0] >= 0x80000001) {
        cpuid_cached(0x80000001, r);
        cpu.nx = (r[3] >> 20) & 1;
    }
    cpuid_cached(1, r);
    cpu.rdrand = (r[2] >> 30) & 1;
    if (cpu_pv != NULL) {
        cpu_pv->cpu_init();
        return;
    }

    memset(&cpu.tss, 0, sizeof(cpu.tss));
    cpu.tss.ist[0] = (uint64_t)(uintptr_t)(ist1_stack + sizeof(ist1_stack));
    cpu.tss.iomap = sizeof(cpu.tss);
    uint64_t base = (uint64_t)(uintptr_t)&cpu.tss, limit = sizeof(cpu.tss) - 1;
    gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                       (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
                       (((base >> 24) & 0xff) << 56);
    gdt[GDT_TSS / 8 + 1] = base >> 32;
    __asm__ volatile("ltr %w0" : : "r"(GDT_TSS));

    for (unsigned v = 0; v < NVECTORS; v++) {
        uint64_t a = intr_stubs[v];
        cpu.idt[v] = (struct idt_gate){
            .off_lo = a & 0xffff, .sel = GDT_CODE,
            /* Double fault, NMI and machine check run on IST1. */
            .ist = (v == 2 || v == 8 || v == 18) ? 1 : 0,
            .type = 0x8e,           /* present, DPL 0, interrupt gate */
            .off_mid = (a >> 16) & 0xffff, .off_hi = a >> 32,
        };
    }
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof(cpu.idt) - 1, (uintptr_t)cpu.idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

bool cpu_has_nx(void)
{
    return cpu.nx;
}

bool cpu_has_rdrand(void)
{
    return cpu.rdrand;
}

bool cpu_rdrand64(uint64_t *out)
{
    for (int i = 0; i < 10; i++) {
        unsigned char ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
        if (ok)
            return true;
    }
    return false;
}

static void hypervisor_sig(uint32_t leaf, char sig[13])
{
    uint32_t r[4];

    cpuid_cached(leaf, r);
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = '\0';
}

/*
 * The hypervisor's CPUID signature ("XenVMMXenVMM", "TCGTCGTCGTCG", ...)
 * and its base leaf. Xen sits at 0x40000100 when it also offers Viridian
 * leaves at 0x40000000, so Xen is looked for at both.
 */
bool cpu_hypervisor(char sig[13], uint32_t *base_leaf)
{
    uint32_t r[4];

    cpuid_cached(1, r);
    if (!((r[2] >> 31) & 1))
        return false;
    for (uint32_t base = 0x40000000; base <= 0x40000100; base += 0x100) {
        hypervisor_sig(base, sig);
        if (strcmp(sig, "XenVMMXenVMM") == 0) {
            *base_leaf = base;
            return true;
        }
    }
    hypervisor_sig(0x40000000, sig);
    *base_leaf = 0x40000000;
    return true;
}

uint64_t cpu_read_cr2(void)
{
    uint64_t v;
    if (cpu_pv != NULL)
        return cpu_pv->read_cr2();
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

void cpu_halt_forever(void)
{
    if (cpu_pv != NULL)
        cpu_pv->halt();
    for (;;)
        __asm__ volatile("cli; hlt");
}

void intr_register(unsigned vector, intr_handler_fn fn)
{
    if (vector >= 32 && vector < NVECTORS)
        cpu.handlers[vector] = fn;
}

/* Called by intr.S for every vector. */
void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector < 32) {
        crash_exception(tf);
        return;
    }
    intr_handler_fn fn = tf->vector < NVECTORS ? cpu.handlers[tf->vector] : NULL;
    if (fn != NULL)
        fn(tf);
}
