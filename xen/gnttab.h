/* SPDX-License-Identifier: BSD-2-Clause */
/* gnttab.c: grant tables v1. Returns 0 or a negative errno. */
#ifndef XEN_GNTTAB_H
#define XEN_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

int gnttab_init(void);
int gnttab_resume(void);
void gnttab_suspend(void);
int gnttab_grant_access(domid_t domid, uint64_t gfn, bool readonly, grant_ref_t *ref);
int gnttab_end_access(grant_ref_t ref);
unsigned gnttab_free_count(void);

#endif
