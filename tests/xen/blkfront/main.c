/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest test of blkfront (the xn_blk_* API) against real blkback:
 * writes and reads back patterns whose sizes straddle the ring's request
 * limits (1 page, 11 segments, 32 indirect segments, and more), at the
 * start, the middle and the end of the disk, from unaligned buffers; many
 * asynchronous requests at once (more than the ring holds); flush; and
 * the errors of misuse. Prints PASS or FAIL lines; exits 0 only if all
 * passed.
 *
 * With "pattern" as argv[1], the check is against dom0 instead of against
 * itself: the disk holds, from the host, 16-byte lines "blk%012u\n" (the
 * line's index from the start of the disk); the guest verifies the first
 * half, writes lines "gst%012u\n" over the second half, flushes, says so
 * and waits for `xl shutdown` while dom0 checks what it wrote.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenolith.h>

static int bad;
static struct xn_blk_info info;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    bad |= !ok;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)((i * 131 + seed * 7) ^ (i >> 9) ^ seed);
}

/* Write (count) sectors at (sector) from an unaligned buffer, read back. */
static int roundtrip(uint64_t sector, size_t count, unsigned seed)
{
    size_t bytes = count * info.sector_size;
    unsigned char *w = malloc(bytes + 3), *r = malloc(bytes + 5);
    if (w == NULL || r == NULL)
        return -ENOMEM;
    fill(w + 3, bytes, seed);
    int rc = xn_blk_write(0, sector, w + 3, count);
    if (rc == 0)
        rc = xn_blk_read(0, sector, r + 5, count);
    if (rc == 0 && memcmp(w + 3, r + 5, bytes) != 0)
        rc = -EILSEQ;
    free(w);
    free(r);
    return rc;
}

struct job {
    struct xn_blk_req req;
    volatile int done;
};

static void job_done(struct xn_blk_req *r)
{
    ((struct job *)r->arg)->done = 1;
}

/* The lines "PREFIX%012u\n" of bytes [off, off + len) of the disk. */
static void lines(char *buf, uint64_t off, size_t len, const char *prefix)
{
    char line[24];
    for (size_t i = 0; i < len; i += 16) {
        snprintf(line, sizeof(line), "%s%012llu\n", prefix, (unsigned long long)((off + i) / 16));
        memcpy(buf + i, line, 16);
    }
}

static int pattern(void)
{
    enum { CHUNK = 64 * 1024 };
    uint64_t bytes = info.sectors * info.sector_size, half = bytes / 2;
    size_t spc = CHUNK / info.sector_size;          /* sectors per chunk */
    char *got = malloc(CHUNK), *want = malloc(CHUNK);
    if (got == NULL || want == NULL || half % CHUNK != 0) {
        printf("FAIL pattern: a %llu-byte disk is not whole chunks\n", (unsigned long long)bytes);
        return 1;
    }
    int ok = 1;
    for (uint64_t off = 0; off < half && ok; off += CHUNK) {
        lines(want, off, CHUNK, "blk");
        int rc = xn_blk_read(0, off / info.sector_size, got, spc);
        if (rc != 0 || memcmp(got, want, CHUNK) != 0) {
            printf("  at byte %llu: %s\n", (unsigned long long)off,
                   rc != 0 ? strerror(-rc) : "not the host's pattern");
            ok = 0;
        }
    }
    check(ok, "read the host's pattern in the first half of the disk");
    for (uint64_t off = half; off < bytes && ok; off += CHUNK) {
        lines(want, off, CHUNK, "gst");
        int rc = xn_blk_write(0, off / info.sector_size, want, spc);
        if (rc != 0) {
            printf("  write at byte %llu: %s\n", (unsigned long long)off, strerror(-rc));
            ok = 0;
        }
    }
    ok = ok && xn_blk_flush(0) == 0;
    check(ok, "wrote the guest's pattern in the second half and flushed");
    fflush(stdout);
    for (;;)                            /* dom0 checks, then xl shutdown */
        sleep(1);
}

int main(int argc, char **argv)
{
    int n = xn_blk_open();
    if (n < 1 || xn_blk_info(0, &info) != 0) {
        printf("FAIL no block device\n");
        return 1;
    }
    printf("PASS %s: %llu sectors of %u bytes, %u KiB per request, features %#x\n", info.name,
           (unsigned long long)info.sectors, info.sector_size, info.max_request / 1024,
           info.features);
    if (argc > 1 && strcmp(argv[1], "pattern") == 0)
        return pattern();
    size_t spp = 4096 / info.sector_size;           /* sectors per page */
    size_t sizes[] = { 1, spp - 1 ? spp - 1 : 1, spp, spp + 1, 11 * spp - 1, 11 * spp,
                       11 * spp + 1, 32 * spp, 32 * spp + 1, 64 * spp + 3 };
    int ok = 1;
    unsigned seed = 1;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t c = sizes[i];
        if (c > info.sectors)
            continue;
        uint64_t where[] = { 0, info.sectors / 3, info.sectors - c };
        for (int k = 0; k < 3; k++) {
            int rc = roundtrip(where[k], c, seed++);
            if (rc != 0) {
                printf("  %zu sectors at %llu: error %d\n", c, (unsigned long long)where[k], rc);
                ok = 0;
            }
        }
    }
    check(ok, "patterns across request-splitting boundaries, at the start, middle and end");

    /* 48 asynchronous writes at once (the ring holds 32), then reads. */
    enum { JOBS = 48 };
    static struct job jobs[JOBS];
    size_t each = spp * 3;
    unsigned char *big = malloc(JOBS * each * info.sector_size), *back = malloc(JOBS * each * info.sector_size);
    fill(big, JOBS * each * info.sector_size, 99);
    int queued = 1, nq = 0;
    for (int j = 0; j < JOBS && queued; j++, nq++) {
        jobs[j] = (struct job){ .req = { .op = XN_BLK_WRITE, .sector = (uint64_t)j * each,
                                         .count = each, .buf = big + (size_t)j * each * info.sector_size,
                                         .done = job_done, .arg = &jobs[j] } };
        queued = xn_blk_submit(0, &jobs[j].req) == 0;
    }
    if (!queued)
        nq--;
    for (int j = 0; j < nq; j++)
        while (!jobs[j].done)
            xn_sleep_until(xn_clock_monotonic_ns() + 1000000);
    int all = queued;
    for (int j = 0; j < nq; j++)
        all &= jobs[j].req.status == 0;
    all &= xn_blk_read(0, 0, back, JOBS * each) == 0 &&
           memcmp(big, back, JOBS * each * info.sector_size) == 0;
    check(all, "48 asynchronous writes in flight at once, read back in one request");

    check(xn_blk_flush(0) == 0, "flush");
    struct xn_blk_info after;
    xn_blk_info(0, &after);
    check(after.flushes >= 1 && after.writes > 0 && after.errors == 0, "counters");
    unsigned char one[4096];
    check(xn_blk_read(0, info.sectors, one, 1) == -EINVAL, "read past the end: EINVAL");
    check(xn_blk_read(0, info.sectors - 1, one, 2) == -EINVAL, "read across the end: EINVAL");
    check(xn_blk_read(0, 0, one, 0) == -EINVAL, "empty read: EINVAL");
    check(xn_blk_read(7, 0, one, 1) == -ENODEV, "no such device: ENODEV");
    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
