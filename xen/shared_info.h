/* SPDX-License-Identifier: BSD-2-Clause */
/* shared_info.c: the shared info page and Xen time. */
#ifndef XEN_SHARED_INFO_H
#define XEN_SHARED_INFO_H

#include <stdint.h>

#include <xen/xen.h>

int shared_info_init(void);
volatile struct shared_info *shared_info(void);
volatile struct vcpu_info *vcpu_info(void);
uint64_t xen_system_time_ns(void);

int shared_info_resume(uint64_t last_ns);

#endif
