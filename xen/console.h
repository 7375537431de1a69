/* SPDX-License-Identifier: BSD-2-Clause */
/* console.c: the PV console. */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

int xen_console_init(void);
void xen_console_flush(void);
void xen_console_bind_events(void);

#endif
