/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writes a kvstore disk whose log is valid (checksums, generations,
 * sequence numbers all right) but hostile in size, for make check:
 *
 *   mkkvdisk OUT DISK_MIB VALUE_BYTES RECORDS PER_BATCH
 *
 * RECORDS SETs of distinct keys, each with a VALUE_BYTES value, in
 * batches of PER_BATCH records. With values larger in all than the
 * guest's memory, replay must fail with a message (not come up with part
 * of the store); with a batch larger than kvstore ever writes, the same.
 * Built on the host against apps/kvstore/log.c (the format's own code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: mkkvdisk OUT DISK_MIB VALUE_BYTES RECORDS PER_BATCH\n");
        return 2;
    }
    uint64_t disk = strtoull(argv[2], NULL, 0) << 20;
    uint32_t vlen = (uint32_t)strtoul(argv[3], NULL, 0);
    unsigned long n = strtoul(argv[4], NULL, 0), per = strtoul(argv[5], NULL, 0);
    FILE *f = fopen(argv[1], "wb");
    if (f == NULL || per == 0) {
        perror(argv[1]);
        return 1;
    }
    static uint8_t block[KV_BLOCK];
    struct kv_super sb = { .version = KV_VERSION, .generation = 1, .epoch = 1, .active = 0,
                           .block = KV_BLOCK, .disk_bytes = disk };
    sb.region_bytes = (disk - 2 * KV_BLOCK) / 2 / KV_BLOCK * KV_BLOCK;
    kv_super_seal(&sb, block);
    fwrite(block, 1, KV_BLOCK, f);              /* copy 0: (generation + epoch) even */
    memset(block, 0, sizeof(block));
    fwrite(block, 1, KV_BLOCK, f);
    uint8_t *val = malloc(vlen ? vlen : 1), *rec = malloc(kv_rec_size(24, vlen));
    if (val == NULL || rec == NULL)
        return 1;
    memset(val, 'v', vlen);
    uint64_t used = 0;
    for (unsigned long i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof(key), "k%08lu", i);
        struct kv_rec r = { .op = KV_SET, .flags = (i + 1) % per == 0 || i + 1 == n ? KV_REC_END : 0,
                            .generation = 1, .epoch = 1, .seq = i, .key = (const uint8_t *)key,
                            .val = val, .klen = (uint32_t)strlen(key), .vlen = vlen };
        size_t size = kv_rec_encode(&r, rec);
        if (used + size > sb.region_bytes) {
            fprintf(stderr, "mkkvdisk: %lu records do not fit a region of %llu bytes\n", n,
                    (unsigned long long)sb.region_bytes);
            return 1;
        }
        fwrite(rec, 1, size, f);
        used += size;
    }
    /* The rest of the disk: zeroes (sparse). */
    if (fseek(f, (long)(disk - 1), SEEK_SET) != 0 || fputc(0, f) == EOF || fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
