/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Requests from the toolstack: `xl shutdown` and `xl reboot` write
 * "poweroff" or "reboot" to the domain's control/shutdown key. A thread
 * watches it; on a request it acknowledges it (empties the key, as xl
 * expects), runs the app's atexit handlers through exit() (or sends
 * SIGTERM to an app that catches it), and the guest powers off or
 * reboots when the app ends. The features we answer are advertised under
 * control/ so the toolstack knows the guest handles them.
 *
 * "suspend" (xl save, xl migrate) suspends the domain (suspend.c) and
 * takes it up again when it is restored.
 *
 * `xl sysrq DOMAIN KEY` writes KEY to control/sysrq: 't' prints every
 * thread with its state and backtrace (sched_dump), the tool for finding
 * what a guest that no longer answers is waiting for. Other keys are
 * reported and ignored.
 */
#include <errno.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "control.h"
#include "suspend.h"
#include "xs.h"

/* A request from `xl sysrq`: acted on once, then the key is emptied. */
static void sysrq(void)
{
    char key[8];
    int n = xs_read(XBT_NIL, "control/sysrq", key, sizeof(key));
    if (n <= 0)
        return;                             /* empty: our own acknowledgement */
    xs_write(XBT_NIL, "control/sysrq", "");
    if (strcmp(key, "t") == 0) {
        log_info("control: sysrq t: thread dump");
        sched_dump();
    } else {
        log_warn("control: sysrq '%s' is not supported (t: thread dump)", key);
    }
}

/*
 * The control thread: advertises the features, watches control/shutdown
 * and acts on a request. It starts once the scheduler runs and then
 * blocks on the watch, so it costs the boot nothing and runs whenever the
 * app blocks, sleeps or yields.
 */
static void *control_thread(void *arg)
{
    struct xs_event ev;
    char value[32];

    (void)arg;
    struct xs_op features[] = {             /* one round trip */
        { .path = "control/feature-poweroff", .value = "1" },
        { .path = "control/feature-reboot", .value = "1" },
        { .path = "control/feature-suspend", .value = "1" },
    };
    int rc = xs_batch(XBT_NIL, features, xen_suspend_supported() ? 3 : 2);
    if (rc == 0)
        rc = xs_watch("control/shutdown", "control");
    if (rc != 0) {
        log_err("control: cannot watch control/shutdown (error %d); xl shutdown will not work", rc);
        return NULL;
    }
    if (xs_watch("control/sysrq", "control") != 0)
        log_warn("control: cannot watch control/sysrq; xl sysrq will not work");
    for (;;) {
        int e = xs_next_event("control", &ev, UINT64_MAX);
        if (e == -EAGAIN)
            continue;
        if (e != 0) {
            log_err("control: Xenstore failed (error %d); xl shutdown will not work", e);
            return NULL;
        }
        if (strcmp(ev.path + strlen(ev.path) - (strlen(ev.path) >= 6 ? 6 : 0), "/sysrq") == 0) {
            sysrq();
            continue;
        }
        int n = xs_read(XBT_NIL, "control/shutdown", value, sizeof(value));
        if (n <= 0)
            continue;                       /* empty or gone: nothing asked */
        if (strcmp(value, "suspend") == 0) {
            if (!xen_suspend_supported()) {
                /* Not acknowledged: the toolstack gives up on its own
                 * (xl save fails) and the guest runs on. */
                log_warn("control: suspend is not supported on this guest; the request is "
                         "left unanswered");
                continue;
            }
            xs_write(XBT_NIL, "control/shutdown", "");     /* acknowledge */
            log_info("control: suspend requested by the toolstack");
            xen_suspend();
            continue;
        }
        bool reboot = strcmp(value, "reboot") == 0;
        if (!reboot && strcmp(value, "poweroff") != 0 && strcmp(value, "halt") != 0) {
            log_warn("control: unsupported shutdown request '%s' ignored", value);
            xs_write(XBT_NIL, "control/shutdown", "");
            continue;
        }
        xs_write(XBT_NIL, "control/shutdown", "");     /* acknowledge */
        log_info("control: %s requested by the toolstack", reboot ? "reboot" : "poweroff");
        power_request(reboot ? POWER_REBOOT : POWER_OFF);
        /* atexit handlers, then exit; or SIGTERM to an app that catches
         * it, which then ends on its own (a second request ends it). */
        app_exit_requested();
    }
}

int control_start(void)
{
    struct thread *t = thread_create("control", control_thread, NULL, 16384);
    if (t == NULL) {
        log_err("control: cannot start the control thread");
        return -1;
    }
    thread_detach(t);
    return 0;
}
