/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the Xen device frontends: see frontend.h. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "frontend.h"
#include "gnttab.h"
#include "mode.h"
#include "xenbus.h"
#include "xs.h"

void *fe_granted_page(domid_t backend, bool readonly, grant_ref_t *ref)
{
    void *p = memalign(PAGE_SIZE, PAGE_SIZE);
    if (p == NULL)
        return NULL;
    memset(p, 0, PAGE_SIZE);
    if (gnttab_grant_access(backend, xen_mode->gfn(p), readonly, ref) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

void fe_ungrant_page(const char *who, void *page, grant_ref_t ref)
{
    if (page == NULL)
        return;
    /* A backend may unmap a little after it closed (blkback: in the
     * background); give it a moment before giving the page up. */
    for (int tries = 0; gnttab_end_access(ref) != 0; tries++) {
        if (tries == 20) {
            log_warn("%s: grant %u still in use by the backend; its page is leaked", who, ref);
            return;
        }
        thread_sleep_until(time_monotonic_ns() + 5000000);
    }
    free(page);
}

int fe_read(const char *dir, const char *name, char *val, size_t len)
{
    char key[192];
    ksnprintf(key, sizeof(key), "%s/%s", dir, name);
    return xs_read(XBT_NIL, key, val, len);
}

bool fe_feature(const char *backend, const char *name)
{
    char val[8];
    return fe_read(backend, name, val, sizeof(val)) == 1 && val[0] == '1';
}

int fe_close(const char *node, const char *backend, uint64_t timeout_ns)
{
    uint64_t deadline = time_monotonic_ns() + timeout_ns;
    enum xenbus_state st = XenbusStateUnknown;
    int rc = xenbus_switch_state(node, XenbusStateClosing);
    if (rc == 0)                        /* returns at Closing or Closed */
        rc = xenbus_wait_state(backend, XenbusStateClosing, &st, timeout_ns);
    xenbus_switch_state(node, XenbusStateClosed);
    while (rc == 0 && st != XenbusStateClosed && st != XenbusStateUnknown) {
        uint64_t now = time_monotonic_ns();
        if (now >= deadline)
            return -ETIMEDOUT;
        rc = xenbus_wait_state(backend, XenbusStateClosed, &st, deadline - now);
        if (rc == 0 && st == XenbusStateClosing)
            thread_sleep_until(time_monotonic_ns() + 1000000);
    }
    return rc;
}
