/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The interface of arch/x86_64 to the rest of the kernel, grouped by the
 * file that implements each function. Nothing here knows about Xen
 * protocols; arch/x86_64 depends on nothing above it.
 */
#ifndef ARCH_X86_64_ARCH_H
#define ARCH_X86_64_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE   4096UL
#define PAGE_SHIFT  12

/* The registers saved by intr.S, in the order it pushes them. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;     /* pushed by the CPU */
};

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    /* RDTSC, not RDTSCP: the emulated harness mis-handles RDTSCP. */
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

/*
 * A paravirtualised guest (Xen PV) runs the kernel outside ring 0, where
 * CLI, STI, HLT, port I/O, CR2 and descriptor-table loads are not
 * available. The platform's boot code then installs replacements, once,
 * before anything else runs (cpu_set_pv_ops); without them the native
 * instructions are used. Chosen at boot, not at build time.
 */
struct mmu_range;
typedef void *(*mmu_page_alloc_fn)(void);
enum map_prot { MAP_RO = 0, MAP_RW = 1, MAP_RX = 2 };
struct cpu_pv_ops {
    void (*intr_enable)(void);
    void (*intr_disable)(void);
    bool (*intr_enabled)(void);
    void (*idle)(void);                 /* enable, block until an event */
    __attribute__((noreturn)) void (*halt)(void);
    uint64_t (*read_cr2)(void);
    void (*cpu_init)(void);             /* traps instead of GDT/IDT/TSS */
    void (*early_write)(const char *s, size_t n);
    uint64_t (*tsc_freq)(const char **method);
    int (*mmu_init)(const struct mmu_range *ram, size_t nram, mmu_page_alloc_fn alloc);
    int (*mmu_set)(uintptr_t va, uint64_t pa, size_t len, int prot);  /* -1: unmap */
    bool (*mmu_is_mapped)(uintptr_t va);
    /* Return from an interrupt: jumped to (not called) with the CPU's
     * frame (rip, cs, rflags, rsp, ss) on the stack, instead of iretq. */
    void (*iret)(void);
    void (*set_fs_base)(uint64_t base); /* the thread pointer (%fs) */
};
extern const struct cpu_pv_ops *cpu_pv;
void cpu_set_pv_ops(const struct cpu_pv_ops *ops);

static inline void intr_enable(void)
{
    if (__builtin_expect(cpu_pv != NULL, 0))
        cpu_pv->intr_enable();
    else
        __asm__ volatile("sti" ::: "memory");
}

static inline void intr_disable(void)
{
    if (__builtin_expect(cpu_pv != NULL, 0))
        cpu_pv->intr_disable();
    else
        __asm__ volatile("cli" ::: "memory");
}

/* Disable interrupts; returns whether they were enabled, for intr_restore. */
static inline bool intr_save(void)
{
    if (__builtin_expect(cpu_pv != NULL, 0)) {
        bool on = cpu_pv->intr_enabled();
        cpu_pv->intr_disable();
        return on;
    }
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return (flags & 0x200) != 0;
}

static inline void intr_restore(bool on)
{
    if (on)
        intr_enable();
}

/* Enable interrupts and halt until one arrives: atomic (STI shadow). */
static inline void cpu_idle(void)
{
    if (__builtin_expect(cpu_pv != NULL, 0))
        cpu_pv->idle();
    else
        __asm__ volatile("sti; hlt" ::: "memory");
}

/* The thread pointer: %fs's base, where __thread variables are found. */
static inline void cpu_set_fs_base(uint64_t base)
{
    if (__builtin_expect(cpu_pv != NULL, 0))
        cpu_pv->set_fs_base(base);
    else
        __asm__ volatile("wrmsr" : : "c"(0xc0000100u), "a"((uint32_t)base),
                         "d"((uint32_t)(base >> 32)) : "memory");
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* cpu.c: descriptor tables, CPU features, halting */
void cpu_init(void);
bool cpu_has_nx(void);
bool cpu_has_rdrand(void);
bool cpu_rdrand64(uint64_t *out);
bool cpu_hypervisor(char sig[13], uint32_t *base_leaf);
/* CPUID leaf (subleaf 0), answered from a cache after the first time. */
void cpuid_cached(uint32_t leaf, uint32_t r[4]);
void cpuid_cache_clear(void);
uint64_t cpu_read_cr2(void);
__attribute__((noreturn)) void cpu_halt_forever(void);
typedef void (*intr_handler_fn)(struct trap_frame *tf);
void intr_register(unsigned vector, intr_handler_fn fn);
void trap_dispatch(struct trap_frame *tf);

/* mmu.c: page tables over an identity map of RAM */
struct mmu_range {
    uint64_t start, end;
};
/* mmu_page_alloc_fn: one zeroed page, or NULL */
int mmu_init(const struct mmu_range *ram, size_t nram, mmu_page_alloc_fn alloc);
void mmu_set_page_alloc(mmu_page_alloc_fn alloc);
int mmu_map(uintptr_t va, uint64_t pa, size_t len, enum map_prot prot);
int mmu_unmap(uintptr_t va, size_t len);
bool mmu_is_mapped(uintptr_t va);
int mmu_page_prot(uint64_t pa);
void *mmu_alloc_table_page(void);

/* earlycon.c: 0xE9 debug port and COM1 */
void earlycon_init(void);
void earlycon_write(const char *s, size_t n);
int earlycon_getc(void);

/* tsc.c: TSC frequency */
uint64_t tsc_freq_detect(const char **method);

/* rtc.c: CMOS real-time clock */
int rtc_read_epoch(int64_t *seconds);

/* power.c: leaving the guest under QEMU */
void power_qemu_exit(unsigned code);

/*
 * Upcalls: implemented above arch/ (kernel/crash.c), declared here so
 * arch/ includes nothing from above it.
 */
void crash_exception(struct trap_frame *tf);

/* Linker-script symbols. */
extern char __image_start[], __text_end[], __rodata_end[], __data_start[];
extern char __bss_start[], __bss_end[], __image_end[];
/* The thread-local storage template: .tdata (initialised) then .tbss. */
extern char __tdata_start[], __tdata_end[], __tbss_end[], __tls_align[];
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];
extern uint64_t boot_tsc;

#endif
