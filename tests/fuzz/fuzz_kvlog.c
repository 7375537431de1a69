/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: kvstore's readers of disk contents (apps/kvstore/log.c):
 * log records and the superblock, as a damaged or foreign disk may hold
 * them. A decoded record must lie inside the input and encode back to the
 * same bytes.
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
    if (size >= KV_BLOCK) {
        struct kv_super s;
        char err[120];
        int rc = kv_super_check(buf, (uint64_t)size * 1000, &s, err, sizeof(err));
        if (rc == 0 && (s.active > 1 || s.region_bytes == 0))
            __builtin_trap();
    }
    free(buf);
    return 0;
}
