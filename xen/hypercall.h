/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Typed hypercall wrappers (hypercall.c): the only code that builds the
 * structs Xen's hypercalls take. Each returns Xen's result: 0 or more on
 * success, a negative Xen errno value on failure.
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

extern char hypercall_page[];

int hypercall_init(uint32_t msr);
long hypercall_xen_version(int cmd, void *arg);
long hypercall_sched_shutdown(unsigned reason);
long hypercall_sched_suspend(unsigned long srec);
long hypercall_evtchn_send(evtchn_port_t port);
long hypercall_hvm_get_param(uint32_t index, uint64_t *value);
long hypercall_hvm_set_param(uint32_t index, uint64_t value);
long hypercall_evtchn_op(int cmd, void *arg);
long hypercall_grant_table_op(int cmd, void *arg, unsigned count);
long hypercall_vcpu_op(int cmd, unsigned vcpu, void *arg);
long hypercall_add_to_physmap(unsigned space, unsigned long idx, uint64_t gpfn);
/* PV only */
long hypercall_mmu_update(const struct mmu_update *req, unsigned count);
long hypercall_update_va_mapping(uintptr_t va, uint64_t pte, unsigned long flags);
long hypercall_mmuext_op(unsigned cmd, uint64_t arg);
long hypercall_set_trap_table(const struct trap_info *traps);
long hypercall_set_callbacks(uintptr_t event, uintptr_t failsafe);
long hypercall_set_fs_base(uint64_t base);
long hypercall_sched_block(void);
long hypercall_sched_poll(evtchn_port_t *ports, unsigned nports, uint64_t timeout_ns);

#endif
