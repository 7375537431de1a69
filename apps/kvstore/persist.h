/* SPDX-License-Identifier: BSD-2-Clause */
/* persist.c: kvstore's durable log on a disk. */
#ifndef KVSTORE_PERSIST_H
#define KVSTORE_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "store.h"

/* Open /dev/<dev>, format it if blank (or if (format)), replay its log
 * into (t): 0, or -1 with (err) set. */
int pst_open(const char *dev, bool format, struct kv_table *t, char *err, size_t errlen);
/* Does a record of these sizes fit after the log and what is pending? */
bool pst_fits(size_t klen, size_t vlen);
/* Add a record to the pending batch; (end): the batch ends with it. */
int pst_add(enum kv_op op, const char *key, size_t klen, const char *val, size_t vlen,
            int64_t expire_ms, bool end);
size_t pst_pending(void);
/* Write what is pending and (unless pst_set_flush(false)) flush the
 * disk, after the batch in flight: 0, or -EIO. Waits for the writes. */
int pst_commit(void);

/*
 * Pipelined commits. pst_start_writer() starts the writer thread (0 or
 * -errno). pst_submit() hands the pending records to it as the next
 * batch and returns the batch's number, or 0 when nothing is pending, a
 * batch is still in flight, or a write failed. pst_tag() is the number
 * of the batch that will hold every change made so far: a reply may go
 * out once pst_durable() reaches it. pst_durable() is the last batch
 * written (and flushed, unless pst_set_flush(false)), with the first
 * write error (0 or -EIO) in *err; pst_notify_fd() becomes readable
 * whenever a batch finishes, and pst_durable() empties it.
 */
int pst_start_writer(void);
uint64_t pst_submit(void);
uint64_t pst_tag(void);
uint64_t pst_durable(int *err);
int pst_notify_fd(void);
/* false: commits write without flushing; pst_flush() flushes. */
void pst_set_flush(bool each_commit);
/* Flush what commits wrote since the last flush, after the batch in
 * flight: 0, or -EIO (which pst_durable reports from then on). */
int pst_flush(void);
bool pst_unflushed(void);
/* Rewrite the store from (t) into the other region, after the batch in
 * flight (nothing may be pending): 0 or -errno. */
int pst_compact(struct kv_table *t, int64_t now_ms);

struct pst_stats {
    uint64_t log_bytes, region_bytes, generation;
    unsigned long long commits, compactions;
};
void pst_stats(struct pst_stats *st);

/* Drop the records not written yet (the disk failed: they never will be). */
void pst_discard(void);

#endif
