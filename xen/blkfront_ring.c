/* SPDX-License-Identifier: BSD-2-Clause */
/* The pure parts of blkfront: see blkfront_ring.h. */
#include "../kernel/kernel.h"
#include "blkfront_ring.h"

int bf_rsp_check(const struct blkif_response *r, const uint8_t *slot_op, unsigned nslots,
                 char *err, size_t errlen)
{
    if (r->id >= nslots || slot_op[r->id] == BF_SLOT_FREE) {
        ksnprintf(err, errlen, "response for id %llu, which is not in flight",
                  (unsigned long long)r->id);
        return -1;
    }
    if (r->operation != slot_op[r->id]) {
        ksnprintf(err, errlen, "response %llu is for operation %u, but request %llu was %u",
                  (unsigned long long)r->id, r->operation, (unsigned long long)r->id,
                  slot_op[r->id]);
        return -1;
    }
    if (r->status == BLKIF_RSP_OKAY)
        return 0;
    if (r->status == BLKIF_RSP_ERROR || r->status == BLKIF_RSP_EOPNOTSUPP)
        return 1;
    ksnprintf(err, errlen, "response %llu has unknown status %d", (unsigned long long)r->id,
              r->status);
    return -1;
}

/* A decimal number without sign or junk, at most (max). */
static int number(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (s == NULL || *s == '\0')
        return -1;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

int bf_parse_geometry(const char *sectors, const char *sector_size, const char *physical,
                      const char *info, struct bf_geometry *g, char *err, size_t errlen)
{
    uint64_t ss = 512, ps, n, in = 0;
    if (sector_size != NULL &&
        (number(sector_size, 4096, &ss) != 0 || ss < 512 || (ss & (ss - 1)) != 0)) {
        ksnprintf(err, errlen, "bad sector-size '%.40s' (512 to 4096, a power of two)",
                  sector_size);
        return -1;
    }
    ps = ss;
    if (physical != NULL &&
        (number(physical, 1u << 20, &ps) != 0 || ps < ss || ps % ss != 0)) {
        ksnprintf(err, errlen, "bad physical-sector-size '%.40s' (a multiple of %llu)", physical,
                  (unsigned long long)ss);
        return -1;
    }
    /* "sectors" counts 512-byte units (we do not offer
     * feature-large-sector-size, so blkback uses 512-byte quantities); the
     * disk's bytes must fit in 63 bits. */
    if (number(sectors, (UINT64_MAX >> 1) / 512, &n) != 0 || n == 0 || n % (ss / 512) != 0) {
        ksnprintf(err, errlen, "bad or missing sectors '%.40s' (512-byte units, a whole number "
                  "of %llu-byte sectors)", sectors ? sectors : "", (unsigned long long)ss);
        return -1;
    }
    n /= ss / 512;
    if ((n * ss) % ps != 0) {
        ksnprintf(err, errlen, "sectors %llu is not a whole number of %llu-byte physical sectors",
                  (unsigned long long)n, (unsigned long long)ps);
        return -1;
    }
    if (info != NULL && (number(info, 0xffffffffu, &in) != 0 ||
                         (in & ~(uint64_t)(VDISK_CDROM | VDISK_REMOVABLE | VDISK_READONLY)) != 0)) {
        ksnprintf(err, errlen, "bad info '%.40s'", info);
        return -1;
    }
    g->sectors = n;
    g->sector_size = (unsigned)ss;
    g->physical_sector_size = (unsigned)ps;
    g->info = (unsigned)in;
    return 0;
}

size_t bf_chunk(size_t count, unsigned sector_size, unsigned max_segs)
{
    size_t per_page = BF_PAGE / sector_size;
    size_t most = per_page * max_segs;
    return count < most ? count : most;
}

int bf_range_ok(uint64_t sector, uint64_t count, uint64_t disk_sectors)
{
    if (count == 0 || sector >= disk_sectors || count > disk_sectors - sector)
        return -1;
    return 0;
}
