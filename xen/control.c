/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Requests from the toolstack: `xl shutdown` and `xl reboot` write
 * "poweroff" or "reboot" to the domain's control/shutdown key. We watch
 * it, and when the app next enters the kernel to wait (a sleep or another
 * blocking call), the request is acknowledged (the key is emptied, as xl
 * expects), the app's atexit handlers run through exit(), and the guest
 * powers off or reboots. The features we answer are advertised under
 * control/ so the toolstack knows the guest handles them.
 */
#include <string.h>

#include "../kernel/kernel.h"
#include "control.h"
#include "xs.h"

static struct {
    bool watching;
    bool in_progress;
} control;

/* Called from the kernel's waits, in thread context. */
static void control_poll(void)
{
    struct xs_event ev;
    char value[32];

    if (!control.watching || control.in_progress)
        return;
    while (xs_next_event("control-shutdown", &ev, 0) == 0) {
        int n = xs_read(XBT_NIL, "control/shutdown", value, sizeof(value));
        if (n <= 0)
            continue;                       /* empty or gone: nothing asked */
        bool reboot = strcmp(value, "reboot") == 0;
        if (!reboot && strcmp(value, "poweroff") != 0 && strcmp(value, "halt") != 0) {
            log_warn("control: unsupported shutdown request '%s' ignored", value);
            xs_write(XBT_NIL, "control/shutdown", "");
            continue;
        }
        control.in_progress = true;
        xs_write(XBT_NIL, "control/shutdown", "");     /* acknowledge */
        log_info("control: %s requested by the toolstack", reboot ? "reboot" : "poweroff");
        power_request(reboot ? POWER_REBOOT : POWER_OFF);
        app_exit_requested();               /* atexit handlers, then exit */
    }
}

int control_init(void)
{
    int rc = xs_write(XBT_NIL, "control/feature-poweroff", "1");
    if (rc == 0)
        rc = xs_write(XBT_NIL, "control/feature-reboot", "1");
    if (rc == 0)
        rc = xs_watch("control/shutdown", "control-shutdown");
    if (rc != 0) {
        log_err("control: cannot watch control/shutdown (error %d)", rc);
        return rc;
    }
    control.watching = true;
    kernel_set_wait_hook(control_poll);
    return 0;
}
