/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * evtchn.c: event channels. Functions return 0 or a negative Xen errno.
 * Handlers run in interrupt context (see evtchn.c).
 */
#ifndef XEN_EVTCHN_H
#define XEN_EVTCHN_H

#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

#define EVTCHN_VECTOR       32
#define EVTCHN_MAX_PORTS    128

typedef void (*evtchn_handler_fn)(evtchn_port_t port, void *arg);

int evtchn_init(void);
int evtchn_bind(evtchn_port_t port, evtchn_handler_fn fn, void *arg);
int evtchn_resume(void);
void evtchn_unbind(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
int evtchn_notify(evtchn_port_t port);
int evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                            evtchn_port_t *port);
int evtchn_bind_virq(uint32_t virq, evtchn_port_t *port);
int evtchn_close(evtchn_port_t port);
unsigned long evtchn_upcalls(void);
/* The thread that releases ports held for an event storm (see evtchn.c);
 * until it runs, no port is held. */
int evtchn_start_storm_guard(void);
/* A port that is never held back (the timer). */
void evtchn_set_trusted(evtchn_port_t port);
struct trap_frame;
void evtchn_upcall(struct trap_frame *tf);
/* Block until an event, then handle it: the PVH idle (see evtchn.c).
 * Entered with interrupts disabled; returns with them enabled. */
void evtchn_poll_idle(void);

#endif
