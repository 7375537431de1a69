/* SPDX-License-Identifier: BSD-2-Clause */
/* suspend.c: suspend and resume (xl save, restore, migrate). */
#ifndef XEN_SUSPEND_H
#define XEN_SUSPEND_H

#include <stdbool.h>

/* Whether this guest can suspend (PVH: yes; PV: not yet). */
bool xen_suspend_supported(void);
/* Suspend now, and take everything up again once resumed: 0, or
 * -ENOTSUP when this guest cannot. Thread context (the control thread). */
int xen_suspend(void);
/* A device's hooks: (suspend) before the domain suspends, (resume) once
 * it runs again (cancelled: the same domain, channels and grants kept). */
void platform_on_suspend(void (*suspend)(void), void (*resume)(bool cancelled));

#endif
