/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * XenBus helpers for the frontends: find the devices of a type under
 * device/<type>/<id>, read a device's backend path and domain, read and
 * switch XenBus states, and wait (watching, with a timeout) for the
 * backend to reach a state. Everything read from Xenstore is validated:
 * a state outside the protocol's range or a malformed domain id is
 * -EINVAL with a message naming the key.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "xenbus.h"
#include "xs.h"
#include "xs_value.h"

static const char *const state_names[] = {
    "Unknown", "Initialising", "InitWait", "Initialised", "Connected",
    "Closing", "Closed", "Reconfiguring", "Reconfigured",
};

const char *xenbus_state_name(enum xenbus_state s)
{
    return (unsigned)s < ARRAY_SIZE(state_names) ? state_names[s] : "invalid";
}

/* The ids under device/<type>, NUL-separated in (ids): their number or -errno. */
int xenbus_enumerate(const char *type, char *ids, size_t len)
{
    char path[64];
    ksnprintf(path, sizeof(path), "device/%s", type);
    int n = xs_directory(XBT_NIL, path, ids, len);
    return n == -ENOENT ? 0 : n;
}

/*
 * (node) is e.g. "device/vif/0": its backend's path and domain, read with
 * (nextra) more reads of the caller's (extra) in one batch (one round
 * trip); each extra op's rc is set as xs_read's would be.
 */
int xenbus_read_backend(const char *node, char *path, size_t len, domid_t *backend_id,
                        struct xs_op *extra, unsigned nextra)
{
    char kpath[128], kid[128], val[16];
    struct xs_op ops[XS_BATCH_MAX];
    uint64_t id;

    if (nextra > XS_BATCH_MAX - 2)
        return -EINVAL;
    ksnprintf(kpath, sizeof(kpath), "%s/backend", node);
    ksnprintf(kid, sizeof(kid), "%s/backend-id", node);
    ops[0] = (struct xs_op){ .path = kpath, .buf = path, .len = len };
    ops[1] = (struct xs_op){ .path = kid, .buf = val, .len = sizeof(val) };
    for (unsigned i = 0; i < nextra; i++)
        ops[2 + i] = extra[i];
    xs_batch(XBT_NIL, ops, 2 + nextra);
    for (unsigned i = 0; i < nextra; i++)
        extra[i].rc = ops[2 + i].rc;
    int n = ops[0].rc;
    if (n < 0)
        return n;
    if (n == 0 || path[0] != '/') {
        log_err("xenbus: %s is not an absolute path", kpath);
        return -EINVAL;
    }
    if (ops[1].rc < 0)
        return ops[1].rc;
    if (xs_parse_uint(val, DOMID_FIRST_RESERVED - 1, &id) != 0) {
        log_err("xenbus: bad domain id '%s' in %s", val, kid);
        return -EINVAL;
    }
    *backend_id = (domid_t)id;
    return 0;
}

/* The state in <path>/state. */
int xenbus_read_state(const char *path, enum xenbus_state *state)
{
    char key[160], val[16];
    uint64_t v;

    ksnprintf(key, sizeof(key), "%s/state", path);
    int n = xs_read(XBT_NIL, key, val, sizeof(val));
    if (n < 0)
        return n;
    if (xs_parse_uint(val, XenbusStateReconfigured, &v) != 0) {
        log_err("xenbus: bad state '%s' in %s", val, key);
        return -EINVAL;
    }
    *state = (enum xenbus_state)v;
    return 0;
}

int xenbus_switch_state(const char *node, enum xenbus_state state)
{
    char key[160], val[4];
    ksnprintf(key, sizeof(key), "%s/state", node);
    ksnprintf(val, sizeof(val), "%d", (int)state);
    log_debug("xenbus: %s -> %s", node, xenbus_state_name(state));
    return xs_write(XBT_NIL, key, val);
}

/*
 * Wait until <path>/state is (want) or, if the other side gives up,
 * Closing or Closed: 0 with *got set, -ETIMEDOUT after (timeout_ns), or
 * -errno.
 */
int xenbus_wait_state(const char *path, enum xenbus_state want,
                      enum xenbus_state *got, uint64_t timeout_ns)
{
    char key[160], token[32];
    struct xs_event ev;
    uint64_t now = time_monotonic_ns();
    uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
    static unsigned serial;

    /* Usually the backend is there already: one read, no watch. */
    int rc = xenbus_read_state(path, got);
    if (rc == 0 && (*got == want || *got == XenbusStateClosing || *got == XenbusStateClosed))
        return 0;
    if (rc != 0 && rc != -ENOENT)
        return rc;
    ksnprintf(key, sizeof(key), "%s/state", path);
    ksnprintf(token, sizeof(token), "xenbus-wait-%u", serial++);
    rc = xs_watch(key, token);
    if (rc != 0)
        return rc;
    for (;;) {
        rc = xenbus_read_state(path, got);
        if (rc == -ENOENT)
            *got = XenbusStateUnknown;
        else if (rc != 0)
            break;
        if (*got == want || *got == XenbusStateClosing || *got == XenbusStateClosed) {
            rc = 0;
            break;
        }
        /* A backend that keeps rewriting its state sends events without
         * end: the deadline holds whether or not they come. */
        if (time_monotonic_ns() >= deadline) {
            rc = -ETIMEDOUT;
            break;
        }
        rc = xs_next_event(token, &ev, deadline);
        if (rc == -EAGAIN) {
            rc = -ETIMEDOUT;
            break;
        }
        if (rc != 0)
            break;
    }
    xs_unwatch(key, token);
    while (xs_next_event(token, &ev, 0) == 0)
        ;                       /* drop what is left of this watch */
    return rc;
}

/*
 * A watcher thread's loop: fn() once per burst of events of the watch
 * with (token), until Xenstore fails. A broken Xenstore answers at once,
 * every time, so waiting again would spin and freeze every other thread:
 * then "(what) is no longer followed" is logged and this returns.
 */
void xenbus_follow(const char *token, void (*fn)(void), const char *what)
{
    struct xs_event ev;
    for (;;) {
        int rc = xs_next_event(token, &ev, UINT64_MAX);
        if (rc == -EAGAIN)
            continue;
        if (rc != 0) {
            log_err("%s: Xenstore failed (%d); %s is no longer followed", token, rc, what);
            return;
        }
        while (xs_next_event(token, &ev, 0) == 0)
            ;                           /* one call answers them all */
        fn();
    }
}
