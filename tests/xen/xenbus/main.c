/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest test of the XenBus helpers on real Xen, against a real netback
 * (the guest is given one vif): enumerate the device, read its backend
 * path and domain, wait for the backend's InitWait, time out waiting for
 * Connected (no frontend rings exist), then close the frontend and wait
 * for the backend to follow. Prints PASS or FAIL; exits 0 only if all
 * passed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "xenbus.h"

#define SEC 1000000000ULL

int main(void)
{
    char ids[64], backend[128];
    domid_t backend_id = 0xffff;
    enum xenbus_state st;
    int bad = 0, rc;

    int n = xenbus_enumerate("vif", ids, sizeof(ids));
    if (n != 1 || strcmp(ids, "0") != 0) {
        printf("FAIL enumerate: %d\n", n);
        return 1;
    }
    if (xenbus_enumerate("vbd", ids, sizeof(ids)) != 0) {
        printf("FAIL enumerate: this guest has no vbd\n");
        bad = 1;
    }
    rc = xenbus_read_backend("device/vif/0", backend, sizeof(backend), &backend_id, NULL, 0);
    if (rc != 0 || backend_id != 0 || strncmp(backend, "/local/domain/0/backend/vif/", 28) != 0) {
        printf("FAIL backend: %d '%s' %u\n", rc, rc == 0 ? backend : "", backend_id);
        return 1;
    }
    printf("backend %s in domain %u\n", backend, backend_id);

    rc = xenbus_wait_state(backend, XenbusStateInitWait, &st, 10 * SEC);
    if (rc != 0 || st != XenbusStateInitWait) {
        printf("FAIL wait for InitWait: %d, state %s\n", rc, xenbus_state_name(st));
        bad = 1;
    }
    rc = xenbus_wait_state(backend, XenbusStateConnected, &st, SEC);
    if (rc != -ETIMEDOUT) {
        printf("FAIL wait for Connected should time out: %d, state %s\n", rc, xenbus_state_name(st));
        bad = 1;
    }
    if (!bad)
        printf("PASS enumerate, backend, state waits\n");

    rc = xenbus_switch_state("device/vif/0", XenbusStateClosed);
    enum xenbus_state mine;
    if (rc != 0 || xenbus_read_state("device/vif/0", &mine) != 0 || mine != XenbusStateClosed) {
        printf("FAIL switch state: %d\n", rc);
        bad = 1;
    }
    rc = xenbus_wait_state(backend, XenbusStateClosed, &st, 10 * SEC);
    if (rc != 0 || (st != XenbusStateClosing && st != XenbusStateClosed)) {
        printf("FAIL backend did not close: %d, state %s\n", rc, xenbus_state_name(st));
        bad = 1;
    } else {
        printf("PASS backend followed the frontend to %s\n", xenbus_state_name(st));
    }
    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
