/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What kernel/ may call in xen/. On Xen, platform_init_early() (first
 * thing at boot) sets up the hypercall page and the shutdown hooks, and
 * platform_init() (once the final page tables exist) the PV console as the
 * primary console. Elsewhere both do nothing.
 */
#ifndef XEN_PLATFORM_H
#define XEN_PLATFORM_H

#include <stdbool.h>

/* platform.c */
void platform_init_early(void);
void platform_init(void);
void platform_start_services(void);
/* Once the configuration is read: what depends on it (xen.evtchn_storm). */
void platform_configured(void);
bool platform_on_xen(void);
void platform_set_xen(void);
/* (fn) runs at a normal exit, before the domain shuts down. */
void platform_on_shutdown(void (*fn)(void));

/* config_xs.c: configuration keys from Xenstore (xenolith/): fn(key,
 * value) for each; 0, fn's non-zero result, or -errno (-E2BIG: too many
 * or too deep). */
int platform_config_each(int (*fn)(const char *key, const char *value, void *arg), void *arg);
/* platform.c, once Xenstore is up: ask for xenolith/ ahead of the walk. */
void config_xs_prefetch(void);

#endif
