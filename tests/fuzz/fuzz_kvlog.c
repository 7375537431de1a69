/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: kvstore's readers of disk contents (apps/kvstore/log.c):
 * log records and the superblock, as a damaged or foreign disk may hold
 * them. A decoded record must lie inside the input and encode back to the
 * same bytes; the input's first block, as the superblock of a 16 MiB disk,
 * must be rejected with a reason or accepted with a layout that fits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/kvstore/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    size_t off = 0;
    while (off < size) {
        struct kv_rec r;
        size_t n = kv_rec_decode(buf + off, size - off, &r);
        if (n == 0)
            break;
        if (n > size - off || r.key < buf + off || r.val + r.vlen > buf + off + n)
            __builtin_trap();
        uint8_t *again = malloc(n);
        if (kv_rec_encode(&r, again) != n || memcmp(again, buf + off, n) != 0)
            __builtin_trap();
        free(again);
        off += n;
    }
    /* The first block (zero-padded) as the superblock of a 16 MiB disk. */
    uint8_t *block = calloc(1, KV_BLOCK);
    memcpy(block, data, size < KV_BLOCK ? size : KV_BLOCK);
    struct kv_super s;
    char err[120];
    err[0] = '\0';
    int rc = kv_super_check(block, 16u << 20, &s, err, sizeof(err));
    if (rc == 0 && (s.active > 1 || s.region_bytes == 0 || s.disk_bytes != 16u << 20 ||
                    2 * s.region_bytes + 2 * KV_BLOCK > s.disk_bytes))
        __builtin_trap();
    if (rc < 0 && err[0] == '\0')
        __builtin_trap();
    free(block);
    free(buf);
    return 0;
}
