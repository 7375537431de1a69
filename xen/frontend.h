/* SPDX-License-Identifier: BSD-2-Clause */
/* frontend.c: what every Xen device frontend (netfront, blkfront) needs. */
#ifndef XEN_FRONTEND_H
#define XEN_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

/* A zeroed page of our memory, granted to (backend): NULL when out of
 * memory or grant references. */
void *fe_granted_page(domid_t backend, bool readonly, grant_ref_t *ref);
/*
 * Taking a device's pages back from its backend, as one batch:
 * fe_ungrant_begin(), fe_ungrant_page() for each, fe_ungrant_end(). A
 * backend may unmap a little after it closed, so the batch as a whole
 * waits up to FE_UNGRANT_WAIT_NS for it (never per page); a page still
 * mapped after that is set aside with its reference, and one warning
 * naming (who) counts them. Set-aside pages are taken back whenever the
 * backend lets go of them: at the next batch, or when a grant is needed
 * and the table is full.
 */
#define FE_UNGRANT_WAIT_NS (100 * 1000000ULL)
struct fe_ungrant {
    const char *who;
    uint64_t deadline;
    unsigned kept;                      /* still mapped: set aside */
};
void fe_ungrant_begin(struct fe_ungrant *u, const char *who);
void fe_ungrant_page(struct fe_ungrant *u, void *page, grant_ref_t ref);
void fe_ungrant_end(struct fe_ungrant *u);
/* Pages set aside, still mapped by a backend (for tests and reports). */
unsigned fe_pages_held(void);
/* Disconnect: Closing, wait for the backend to follow, Closed, wait for
 * it to be Closed (or gone): 0, -ETIMEDOUT or -errno. */
int fe_close(const char *node, const char *backend, uint64_t timeout_ns);
/*
 * The frontend's keys (names[i] = values[i] under node, at most
 * FE_PUBLISH_MAX) and then its new state, in one Xenstore batch: one
 * round trip. xenstored applies them in order, so the backend, which
 * reads the keys once it sees the state change, finds them all. No
 * transaction: under emulation, one (start, the writes, commit) made the
 * handshake no faster, since xenstored's cost is per write either way.
 */
#define FE_PUBLISH_MAX 15
int fe_publish(const char *node, const char *const names[], const char *const values[],
               unsigned n, int state);
/* Backend feature flags, (n) at once (one Xenstore round trip, xs_batch):
 * on[i] true only for an exact "1". */
void fe_features(const char *backend, const char *const names[], bool on[], unsigned n);

#endif
