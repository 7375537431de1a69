/* SPDX-License-Identifier: BSD-2-Clause */
/* The Xen PV boot protocol (xen/pv.c) and its page tables (xen/pv_mmu.c). */
#ifndef XEN_PV_H
#define XEN_PV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../arch/x86_64/arch.h"

void pv_mmu_setup(const unsigned long *p2m, unsigned long nr_pages, uint64_t l4_mfn);
void pv_mmu_resume(void);
int pv_mmu_init(const struct mmu_range *ram, size_t nram, mmu_page_alloc_fn alloc);
int pv_mmu_set(uintptr_t va, uint64_t pa, size_t len, int prot);
bool pv_mmu_is_mapped(uintptr_t va);
uint64_t pv_mapped_end(uintptr_t va);
uint64_t pv_mfn(uint64_t pa);

#endif
