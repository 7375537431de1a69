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
/* Take a page back from the backend and free it; one the backend still
 * uses is leaked, with a warning naming (who). */
void fe_ungrant_page(const char *who, void *page, grant_ref_t ref);
/* <dir>/<name> into (val): its length, or -errno (-ENOENT when absent). */
int fe_read(const char *dir, const char *name, char *val, size_t len);
/* Disconnect: Closing, wait for the backend to follow, Closed, wait for
 * it to be Closed (or gone): 0, -ETIMEDOUT or -errno. */
int fe_close(const char *node, const char *backend, uint64_t timeout_ns);
/* A backend feature flag: true only for an exact "1". */
bool fe_feature(const char *backend, const char *name);

#endif
