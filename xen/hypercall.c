/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypercalls. The raw calls go through the hypercall page (stub n at
 * hypercall_page + 32 * n) with the x86_64 convention: arguments in rdi,
 * rsi, rdx, r10, r8; result in rax. The typed wrappers below are the only
 * place that fills in Xen's argument structs.
 */
#include <stdint.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "hypercall.h"

static inline long hypercall2(unsigned nr, long a1, long a2)
{
    register long rdi __asm__("rdi") = a1;
    register long rsi __asm__("rsi") = a2;
    long rax;
    __asm__ volatile("call *%[stub]"
                     : "=a"(rax), "+r"(rdi), "+r"(rsi)
                     : [stub] "r"(hypercall_page + nr * 32)
                     : "memory", "rcx", "rdx", "r8", "r9", "r10", "r11");
    return rax;
}

static inline long hypercall3(unsigned nr, long a1, long a2, long a3)
{
    register long rdi __asm__("rdi") = a1;
    register long rsi __asm__("rsi") = a2;
    register long rdx __asm__("rdx") = a3;
    long rax;
    __asm__ volatile("call *%[stub]"
                     : "=a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx)
                     : [stub] "r"(hypercall_page + nr * 32)
                     : "memory", "rcx", "r8", "r9", "r10", "r11");
    return rax;
}

static inline long hypercall4(unsigned nr, long a1, long a2, long a3, long a4)
{
    register long rdi __asm__("rdi") = a1;
    register long rsi __asm__("rsi") = a2;
    register long rdx __asm__("rdx") = a3;
    register long r10 __asm__("r10") = a4;
    long rax;
    __asm__ volatile("call *%[stub]"
                     : "=a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10)
                     : [stub] "r"(hypercall_page + nr * 32)
                     : "memory", "rcx", "r8", "r9", "r11");
    return rax;
}

/* Ask Xen to fill the hypercall page; 0, or -1 if it did not. */
int hypercall_init(uint32_t msr)
{
    uint64_t pa = (uintptr_t)hypercall_page;
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)pa),
                     "d"((uint32_t)(pa >> 32)) : "memory");
    return (unsigned char)hypercall_page[0] == 0xc3 ? -1 : 0;
}

long hypercall_xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, cmd, (long)arg);
}

long hypercall_sched_shutdown(unsigned reason)
{
    struct sched_shutdown op = { .reason = reason };
    return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (long)&op);
}

/* Suspend (SHUTDOWN_suspend; srec: PV's start_info frame, 0 for PVH):
 * 0 once resumed (after a restore), 1 when the suspend was cancelled. */
long hypercall_sched_suspend(unsigned long srec)
{
    struct sched_shutdown op = { .reason = SHUTDOWN_suspend };
    return hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (long)&op, (long)srec);
}

long hypercall_evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };
    return hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (long)&op);
}

long hypercall_hvm_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param op = { .domid = DOMID_SELF, .index = index };
    long rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, (long)&op);
    if (rc == 0)
        *value = op.value;
    return rc;
}

long hypercall_hvm_set_param(uint32_t index, uint64_t value)
{
    struct xen_hvm_param op = { .domid = DOMID_SELF, .index = index, .value = value };
    return hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, (long)&op);
}

long hypercall_add_to_physmap(unsigned space, unsigned long idx, uint64_t gpfn)
{
    struct xen_add_to_physmap op = {
        .domid = DOMID_SELF, .size = 0, .space = space, .idx = idx, .gpfn = gpfn,
    };
    return hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (long)&op);
}

/* Event channel operations whose argument structs evtchn.c fills in. */
long hypercall_evtchn_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, (long)arg);
}

long hypercall_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (long)arg);
}

long hypercall_grant_table_op(int cmd, void *arg, unsigned count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, (long)arg, count);
}

/* ---- PV only: page tables, traps, callbacks, blocking ---- */

/* Apply (count) page-table updates; 0, or Xen's error. */
long hypercall_mmu_update(const struct mmu_update *req, unsigned count)
{
    unsigned done = 0;
    long rc = hypercall4(__HYPERVISOR_mmu_update, (long)req, count, (long)&done, DOMID_SELF);
    return rc == 0 && done != count ? -1 : rc;
}

long hypercall_update_va_mapping(uintptr_t va, uint64_t pte, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, (long)va, (long)pte, (long)flags);
}

long hypercall_mmuext_op(unsigned cmd, uint64_t arg)
{
    struct mmuext_op op = { .cmd = cmd };
    op.arg1.linear_addr = arg;
    unsigned done = 0;
    return hypercall4(__HYPERVISOR_mmuext_op, (long)&op, 1, (long)&done, DOMID_SELF);
}

long hypercall_set_trap_table(const struct trap_info *traps)
{
    return hypercall2(__HYPERVISOR_set_trap_table, (long)traps, 0);
}

long hypercall_set_callbacks(uintptr_t event, uintptr_t failsafe)
{
    return hypercall3(__HYPERVISOR_set_callbacks, (long)event, (long)failsafe, 0);
}

/* PV: the base of %fs (the thread pointer), which a PV kernel cannot
 * write itself. */
long hypercall_set_fs_base(uint64_t base)
{
    return hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, (long)base);
}

/* Block until one of (ports) is pending, or until Xen system time
 * (timeout_ns) if not 0. Event delivery stays as it is. */
long hypercall_sched_poll(evtchn_port_t *ports, unsigned nports, uint64_t timeout_ns)
{
    struct sched_poll op = { .nr_ports = nports, .timeout = timeout_ns };
    set_xen_guest_handle(op.ports, ports);
    return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (long)&op);
}

/* Block until an event: unmasks event delivery atomically (PV's sti; hlt). */
long hypercall_sched_block(void)
{
    return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
}
