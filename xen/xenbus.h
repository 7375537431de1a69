/* SPDX-License-Identifier: BSD-2-Clause */
/* xenbus.c: XenBus helpers for frontends. Return 0 or a negative errno. */
#ifndef XEN_XENBUS_H
#define XEN_XENBUS_H

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/io/xenbus.h>

#include "xs.h"

const char *xenbus_state_name(enum xenbus_state s);
int xenbus_enumerate(const char *type, char *ids, size_t len);
int xenbus_read_backend(const char *node, char *path, size_t len, domid_t *backend_id,
                        struct xs_op *extra, unsigned nextra);
int xenbus_read_state(const char *path, enum xenbus_state *state);
int xenbus_switch_state(const char *node, enum xenbus_state state);
int xenbus_wait_state(const char *path, enum xenbus_state want,
                      enum xenbus_state *got, uint64_t timeout_ns);

/* A watcher thread's loop (see xenbus.c): returns once Xenstore fails. */
void xenbus_follow(const char *token, void (*fn)(void), const char *what);

#endif
