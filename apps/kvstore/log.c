/* SPDX-License-Identifier: BSD-2-Clause */
/* kvstore's on-disk format: see log.h. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static uint32_t crc_table[256];

uint32_t kv_crc32(const void *buf, size_t len)
{
    if (crc_table[1] == 0)
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            crc_table[i] = c;
        }
    uint32_t c = 0xffffffffu;
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

size_t kv_rec_size(uint32_t klen, uint32_t vlen)
{
    return (KV_REC_HDR + (size_t)klen + vlen + 8 + 7) & ~(size_t)7;
}

/*
 * A record: magic, size (of the whole record), crc (of bytes 12 up to the
 * end of the expiry), op, flags, 2 zero bytes, klen, vlen, generation,
 * epoch, seq (48 bytes); the key, the value, the expiry (8 bytes); zero
 * padding to 8 bytes.
 */
size_t kv_rec_encode(const struct kv_rec *r, uint8_t *out)
{
    size_t size = kv_rec_size(r->klen, r->vlen);
    memset(out, 0, size);
    put32(out, KV_REC_MAGIC);
    put32(out + 4, (uint32_t)size);
    out[12] = r->op;
    out[13] = r->flags;
    put32(out + 16, r->klen);
    put32(out + 20, r->vlen);
    put64(out + 24, r->generation);
    put64(out + 32, r->epoch);
    put64(out + 40, r->seq);
    if (r->klen)
        memcpy(out + KV_REC_HDR, r->key, r->klen);
    if (r->vlen)
        memcpy(out + KV_REC_HDR + r->klen, r->val, r->vlen);
    put64(out + KV_REC_HDR + r->klen + r->vlen, (uint64_t)r->expire_ms);
    put32(out + 8, kv_crc32(out + 12, KV_REC_HDR - 12 + (size_t)r->klen + r->vlen + 8));
    return size;
}

size_t kv_rec_decode(const uint8_t *buf, size_t avail, struct kv_rec *r)
{
    if (avail < KV_REC_HDR || get32(buf) != KV_REC_MAGIC)
        return 0;
    uint32_t size = get32(buf + 4), klen = get32(buf + 16), vlen = get32(buf + 20);
    if (klen > (1u << 24) || vlen > (1u << 30) || size != kv_rec_size(klen, vlen) || size > avail)
        return 0;
    if (kv_crc32(buf + 12, KV_REC_HDR - 12 + (size_t)klen + vlen + 8) != get32(buf + 8))
        return 0;
    for (size_t i = KV_REC_HDR + (size_t)klen + vlen + 8; i < size; i++)
        if (buf[i] != 0)
            return 0;                   /* the padding is zeroes */
    r->op = buf[12];
    r->flags = buf[13];
    if (r->op < KV_SET || r->op > KV_FLUSHALL || (r->flags & ~KV_REC_END) || buf[14] || buf[15])
        return 0;
    r->klen = klen;
    r->vlen = vlen;
    r->generation = get64(buf + 24);
    r->epoch = get64(buf + 32);
    r->seq = get64(buf + 40);
    r->key = buf + KV_REC_HDR;
    r->val = buf + KV_REC_HDR + klen;
    r->expire_ms = (int64_t)get64(buf + KV_REC_HDR + klen + vlen);
    return size;
}

void kv_super_seal(struct kv_super *s, uint8_t block[KV_BLOCK])
{
    memset(block, 0, KV_BLOCK);
    memcpy(s->magic, KV_MAGIC, 16);
    s->version = KV_VERSION;
    s->crc = 0;
    memcpy(block, s, sizeof(*s));
    s->crc = kv_crc32(block, KV_BLOCK);
    memcpy(block, s, sizeof(*s));
}

int kv_super_check(const uint8_t block[KV_BLOCK], uint64_t disk_bytes, struct kv_super *s,
                   char *err, size_t errlen)
{
    bool zero = true;
    for (size_t i = 0; i < KV_BLOCK && zero; i++)
        zero = block[i] == 0;
    if (zero)
        return 1;
    memcpy(s, block, sizeof(*s));
    if (memcmp(s->magic, KV_MAGIC, 16) != 0) {
        snprintf(err, errlen, "no kvstore superblock (found other data)");
        return -1;
    }
    uint8_t copy[KV_BLOCK];
    memcpy(copy, block, KV_BLOCK);
    memset(copy + offsetof(struct kv_super, crc), 0, 4);
    if (kv_crc32(copy, KV_BLOCK) != s->crc) {
        snprintf(err, errlen, "superblock checksum mismatch");
        return -1;
    }
    if (s->version != KV_VERSION || s->block != KV_BLOCK || s->active > 1 ||
        s->disk_bytes != disk_bytes || s->region_bytes == 0 || s->region_bytes % KV_BLOCK ||
        s->region_bytes > (disk_bytes - 2 * KV_BLOCK) / 2) {
        snprintf(err, errlen, "superblock of version %u does not fit this disk (%llu bytes)",
                 s->version, (unsigned long long)disk_bytes);
        return -1;
    }
    return 0;
}
