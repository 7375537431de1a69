/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What kernel/ may call in xen/. platform_init() runs once the final page
 * tables exist: on Xen it sets up the hypercall page, the PV console (as
 * the primary console) and the shutdown hooks; elsewhere it does nothing.
 */
#ifndef XEN_PLATFORM_H
#define XEN_PLATFORM_H

#include <stdbool.h>

/* platform.c */
void platform_init(void);
bool platform_on_xen(void);

#endif
