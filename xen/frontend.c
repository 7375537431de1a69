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

/* Pages whose backend kept them mapped past a close: retried later. */
struct held_page {
    void *page;
    grant_ref_t ref;
    struct held_page *next;
};
static struct held_page *held;
static unsigned nheld;

/* Take back what the backends have let go of since: the number taken. */
static unsigned reclaim_held(void)
{
    unsigned got = 0;
    for (struct held_page **p = &held; *p != NULL;) {
        struct held_page *h = *p;
        if (gnttab_end_access(h->ref) == 0) {
            *p = h->next;
            free(h->page);
            free(h);
            nheld--;
            got++;
        } else {
            p = &h->next;
        }
    }
    return got;
}

unsigned fe_pages_held(void)
{
    return nheld;
}

void *fe_granted_page(domid_t backend, bool readonly, grant_ref_t *ref)
{
    void *p = memalign(PAGE_SIZE, PAGE_SIZE);
    if (p == NULL)
        return NULL;
    memset(p, 0, PAGE_SIZE);
    int rc = gnttab_grant_access(backend, xen_mode->gfn(p), readonly, ref);
    if (rc != 0 && nheld > 0 && reclaim_held() > 0)
        rc = gnttab_grant_access(backend, xen_mode->gfn(p), readonly, ref);
    if (rc != 0) {
        free(p);
        return NULL;
    }
    return p;
}

void fe_ungrant_begin(struct fe_ungrant *u, const char *who)
{
    u->who = who;
    u->deadline = time_monotonic_ns() + FE_UNGRANT_WAIT_NS;
    u->kept = 0;
    if (nheld > 0)
        reclaim_held();
}

void fe_ungrant_page(struct fe_ungrant *u, void *page, grant_ref_t ref)
{
    if (page == NULL)
        return;
    while (gnttab_end_access(ref) != 0) {
        if (time_monotonic_ns() >= u->deadline) {
            struct held_page *h = malloc(sizeof(*h));
            if (h != NULL) {            /* else the page is lost for good */
                h->page = page;
                h->ref = ref;
                h->next = held;
                held = h;
                nheld++;
            }
            u->kept++;
            return;
        }
        thread_sleep_until(time_monotonic_ns() + 5000000);
    }
    free(page);
}

void fe_ungrant_end(struct fe_ungrant *u)
{
    if (u->kept > 0)
        log_warn("%s: the backend still maps %u of its pages; they are set aside until it "
                 "lets go (%u pages set aside in all)", u->who, u->kept, nheld);
}

int fe_publish(const char *node, const char *const names[], const char *const values[],
               unsigned n, int state)
{
    char keys[FE_PUBLISH_MAX + 1][160], st[4];
    struct xs_op ops[FE_PUBLISH_MAX + 1];

    if (n > FE_PUBLISH_MAX)
        return -EINVAL;
    for (unsigned i = 0; i < n; i++) {
        ksnprintf(keys[i], sizeof(keys[i]), "%s/%s", node, names[i]);
        ops[i] = (struct xs_op){ .path = keys[i], .value = values[i] };
    }
    ksnprintf(keys[n], sizeof(keys[n]), "%s/state", node);
    ksnprintf(st, sizeof(st), "%d", state);
    ops[n] = (struct xs_op){ .path = keys[n], .value = st };
    log_debug("xenbus: %s -> %s (with %u keys)", node, xenbus_state_name((enum xenbus_state)state), n);
    return xs_batch(XBT_NIL, ops, n + 1);
}

void fe_features(const char *backend, const char *const names[], bool on[], unsigned n)
{
    char keys[XS_BATCH_MAX][192], vals[XS_BATCH_MAX][8];
    struct xs_op ops[XS_BATCH_MAX];

    for (unsigned i = 0; i < n; i++)
        on[i] = false;
    if (n > XS_BATCH_MAX)
        return;
    for (unsigned i = 0; i < n; i++) {
        ksnprintf(keys[i], sizeof(keys[i]), "%s/%s", backend, names[i]);
        ops[i] = (struct xs_op){ .path = keys[i], .buf = vals[i], .len = sizeof(vals[i]) };
    }
    xs_batch(XBT_NIL, ops, n);
    for (unsigned i = 0; i < n; i++)
        on[i] = ops[i].rc == 1 && vals[i][0] == '1';
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
