/* SPDX-License-Identifier: BSD-2-Clause */
/* console.c: the PV console. */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

int xen_console_init(void);
int xen_console_resume(void);
void xen_console_flush(void);
void xen_console_bind_events(void);
#include <stddef.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
void xen_console_early_init(void *ring, evtchn_port_t port);
void xen_console_early_write(const char *s, size_t n);

#endif
