/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.c: kvstore's on-disk format (pure, so host tests and a fuzzer run
 * it): the superblock and the log records, with their checksums. Disk
 * contents are untrusted: decoding checks everything and stops at the
 * first record that is not valid.
 *
 * Layout: two superblock copies in the first two 4 KiB blocks (the one
 * with the valid checksum and the higher generation wins), then two log
 * regions of equal size. The active region holds a snapshot (after a
 * compaction) followed by the log of changes. Records carry the region's
 * generation, the boot epoch and a sequence number, so stale records
 * (from an older generation, or from before a crash) are never replayed.
 */
#ifndef KVSTORE_LOG_H
#define KVSTORE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KV_BLOCK 4096
#define KV_MAGIC "XENOLITH-KVSTORE"     /* 16 bytes, no NUL */
#define KV_VERSION 1

struct kv_super {
    char magic[16];
    uint32_t version, crc;              /* crc32 of the whole block with crc = 0 */
    uint64_t generation;                /* bumped by each compaction */
    uint64_t epoch;                     /* bumped at each boot */
    uint32_t active;                    /* region 0 or 1 */
    uint32_t block;
    uint64_t region_bytes, disk_bytes;
};

enum kv_op { KV_SET = 1, KV_DEL = 2, KV_EXPIRE = 3, KV_FLUSHALL = 4 };
#define KV_REC_END 1                    /* the last record of a batch */
#define KV_REC_MAGIC 0x314c564bu        /* "KVL1" */
#define KV_REC_HDR 48

struct kv_rec {
    uint8_t op, flags;
    uint64_t generation, epoch, seq;
    int64_t expire_ms;                  /* wall-clock ms; 0: none */
    const uint8_t *key, *val;
    uint32_t klen, vlen;
};

uint32_t kv_crc32(const void *buf, size_t len);
/* The encoded size of a record (8-byte aligned). */
size_t kv_rec_size(uint32_t klen, uint32_t vlen);
/* Encode (r) at (out) (kv_rec_size bytes): the size. */
size_t kv_rec_encode(const struct kv_rec *r, uint8_t *out);
/* Decode the record at buf[0..avail): its size (> 0), or 0 when it is not
 * a valid record (the end of the log). */
size_t kv_rec_decode(const uint8_t *buf, size_t avail, struct kv_rec *r);

void kv_super_seal(struct kv_super *s, uint8_t block[KV_BLOCK]);
/* 0 for a valid superblock (filled in), 1 for a zeroed block, -1 for
 * something else (err names it). */
int kv_super_check(const uint8_t block[KV_BLOCK], uint64_t disk_bytes, struct kv_super *s,
                   char *err, size_t errlen);

#endif
