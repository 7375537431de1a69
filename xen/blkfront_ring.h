/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * blkfront_ring.c: the pure parts of blkfront (host tests and a fuzzer
 * run them): checks of blkback's responses and of its Xenstore values,
 * and how a request is split to fit the ring's segment limits. Responses
 * are copied out of the shared ring once; these check the copies.
 */
#ifndef XEN_BLKFRONT_RING_H
#define XEN_BLKFRONT_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef xen_mb
#define xen_mb()  __asm__ volatile("mfence" ::: "memory")
#define xen_rmb() __asm__ volatile("" ::: "memory")
#define xen_wmb() __asm__ volatile("" ::: "memory")
#endif

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/blkif.h>

#define BF_PAGE 4096
#define BF_SLOT_FREE 0xff               /* slot_op[]: no request in flight */

/*
 * A response copied from the ring, for requests in flight whose
 * operations are slot_op[id] (BF_SLOT_FREE: none) among (nslots):
 * 0 done, 1 the backend reports an error (the request fails with EIO),
 * -1 invalid (err set: the device must be marked broken).
 */
int bf_rsp_check(const struct blkif_response *r, const uint8_t *slot_op, unsigned nslots,
                 char *err, size_t errlen);

/* The disk's geometry as the backend states it (strings from Xenstore). */
struct bf_geometry {
    uint64_t sectors;                   /* in units of sector_size (the key counts 512 bytes) */
    unsigned sector_size;               /* 512 .. 4096, a power of two */
    unsigned physical_sector_size;      /* a multiple of sector_size */
    unsigned info;                      /* VDISK_ */
};
/* Check and fill (g) from the backend's values (NULL: the key is
 * absent): 0, or -1 with (err) naming the key and value. */
int bf_parse_geometry(const char *sectors, const char *sector_size, const char *physical,
                      const char *info, struct bf_geometry *g, char *err, size_t errlen);

/*
 * How many sectors of a request at (sector) for (count) sectors go into
 * the next ring request, given (max_segs) pages per ring request: all that
 * fit, so a request is split into the fewest ring requests. Each segment
 * is one page of the driver's buffer pool.
 */
size_t bf_chunk(size_t count, unsigned sector_size, unsigned max_segs);

/* A request's range is on the disk: 0, or -1 (out of range or overflow). */
int bf_range_ok(uint64_t sector, uint64_t count, uint64_t disk_sectors);

#endif
