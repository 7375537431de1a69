/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xs.c: the Xenstore client. Returns 0, a length or a count on success,
 * a negative errno on failure (see xs.c). XBT_NIL (0) is "no transaction".
 */
#ifndef XEN_XS_H
#define XEN_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XBT_NIL 0
#define XS_MAX_EVENTS 8

struct xs_event {
    char path[256];
    char token[64];
};

int xs_init(void);
bool xs_ready(void);
int xs_read(uint32_t tx, const char *path, char *buf, size_t len);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_mkdir(uint32_t tx, const char *path);
int xs_rm(uint32_t tx, const char *path);
int xs_directory(uint32_t tx, const char *path, char *buf, size_t len);
int xs_prefetch_directory(const char *path);

/* One read (value NULL: into buf, len) or write (of value) of xs_batch. */
struct xs_op {
    const char *path;
    const char *value;
    char *buf;
    size_t len;
    int rc;                     /* set by xs_batch: as xs_read's or xs_write's */
};
#define XS_BATCH_MAX 16
int xs_batch(uint32_t tx, struct xs_op *ops, unsigned n);
int xs_transaction_start(uint32_t *tx);
int xs_transaction_end(uint32_t tx, bool commit);
int xs_transact(int (*fn)(uint32_t tx, void *arg), void *arg, int attempts);
int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
int xs_next_event(const char *token, struct xs_event *ev, uint64_t deadline);

/* Suspend and resume (suspend.c): the connection held, then taken up again. */
void xs_suspend(void);
void xs_resume(bool cancelled);

#endif
