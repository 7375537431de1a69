/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * blkbench: block I/O throughput and latency inside the guest, on the
 * first disk (which it OVERWRITES: give it a scratch disk). Four tests,
 * each printed as "BENCH <name> <value>" lines (the format make bench
 * reads) with a human line after:
 *   seq-write, seq-read   app.block KiB requests (default 128), app.depth
 *                         in flight (default 4), over app.size MiB (default
 *                         32, or the whole disk if smaller): MB/s
 *   rand-write, rand-read 4 KiB requests, one at a time, app.ops of them
 *                         (default 500) at random aligned offsets: IOPS and
 *                         the average and 99th-percentile latency in us
 * The sequential write ends with a flush, which is counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith.h>

static struct xn_blk_info info;

struct io {
    struct xn_blk_req req;
    volatile int busy;
};

static void io_done(struct xn_blk_req *r)
{
    ((struct io *)r->arg)->busy = 0;
}

static unsigned long long cfg(const char *key, unsigned long long dflt, unsigned long long max)
{
    unsigned long long v;
    if (xn_config_uint(key, dflt, max, &v) != 0)
        exit(2);
    return v;
}

static uint64_t now(void)
{
    return xn_clock_monotonic_ns();
}

/* Sequential: (bytes) in (block)-byte requests, (depth) in flight: MB/s. */
static double sequential(enum xn_blk_op op, uint64_t bytes, size_t block, unsigned depth)
{
    struct io *io = calloc(depth, sizeof(*io));
    char *buf = malloc(block * depth);
    if (io == NULL || buf == NULL) {
        printf("blkbench: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < block * depth; i++)
        buf[i] = (char)(i * 13);
    uint64_t sectors = block / info.sector_size, total = bytes / info.sector_size, next = 0;
    uint64_t t0 = now();
    unsigned inflight = 0;
    for (;;) {
        for (unsigned k = 0; k < depth; k++) {
            if (io[k].busy)
                continue;
            if (io[k].req.status != 0) {
                printf("blkbench: I/O error %d\n", io[k].req.status);
                exit(1);
            }
            if (io[k].req.done != NULL)
                inflight--;
            io[k].req.done = NULL;
            if (next >= total)
                continue;
            uint64_t n = total - next < sectors ? total - next : sectors;
            io[k].req = (struct xn_blk_req){ .op = op, .sector = next, .count = n,
                                             .buf = buf + k * block, .done = io_done, .arg = &io[k] };
            io[k].busy = 1;
            if (xn_blk_submit(0, &io[k].req) != 0) {
                printf("blkbench: submit failed\n");
                exit(1);
            }
            inflight++;
            next += n;
        }
        if (next >= total && inflight == 0)
            break;
        xn_thread_yield();
        if (inflight == depth || next >= total)
            xn_sleep_until(now() + 20000);
    }
    if (op == XN_BLK_WRITE && xn_blk_flush(0) != 0) {
        printf("blkbench: flush failed\n");
        exit(1);
    }
    double s = (double)(now() - t0) / 1e9;
    free(io);
    free(buf);
    return (double)bytes / 1048576.0 / s;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Random 4 KiB requests, one at a time: IOPS; latencies in us. */
static double random_io(enum xn_blk_op op, uint64_t span, unsigned ops, double *avg, double *p99)
{
    uint64_t *lat = malloc(sizeof(*lat) * ops);
    char buf[4096];
    size_t count = 4096 / info.sector_size;
    uint64_t slots = span / 4096, seed = 0x9e3779b97f4a7c15ull, sum = 0;
    memset(buf, 0x5a, sizeof(buf));
    uint64_t t0 = now();
    for (unsigned i = 0; i < ops; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t sector = (seed >> 33) % slots * count;
        uint64_t s = now();
        int rc = op == XN_BLK_WRITE ? xn_blk_write(0, sector, buf, count)
                                    : xn_blk_read(0, sector, buf, count);
        if (rc != 0) {
            printf("blkbench: I/O error %d\n", rc);
            exit(1);
        }
        lat[i] = now() - s;
        sum += lat[i];
    }
    double secs = (double)(now() - t0) / 1e9;
    qsort(lat, ops, sizeof(*lat), cmp_u64);
    *avg = (double)sum / ops / 1000.0;
    *p99 = (double)lat[ops * 99 / 100] / 1000.0;
    free(lat);
    return ops / secs;
}

int main(void)
{
    if (xn_blk_open() < 1 || xn_blk_info(0, &info) != 0) {
        printf("blkbench: error: no disk (it needs a scratch disk, which it overwrites)\n");
        return 1;
    }
    uint64_t disk = info.sectors * info.sector_size;
    uint64_t size = cfg("app.size", 32, 1 << 20) << 20;
    size_t block = (size_t)cfg("app.block", 128, 4096) << 10;
    unsigned depth = (unsigned)cfg("app.depth", 4, 64);
    unsigned ops = (unsigned)cfg("app.ops", 500, 1000000);
    if (size > disk)
        size = disk / block * block;
    if (block % info.sector_size || size < block || depth == 0 || ops == 0) {
        printf("blkbench: error: block %zu, size %llu and depth %u do not fit the disk\n", block,
               (unsigned long long)size, depth);
        return 2;
    }
    printf("blkbench: %s, %llu MiB of %llu, %zu KiB requests, %u in flight, %u random ops\n",
           info.name, (unsigned long long)(size >> 20), (unsigned long long)(disk >> 20),
           block >> 10, depth, ops);
    double w = sequential(XN_BLK_WRITE, size, block, depth);
    printf("BENCH blk_seq_write_MBps %.2f\n", w);
    double r = sequential(XN_BLK_READ, size, block, depth);
    printf("BENCH blk_seq_read_MBps %.2f\n", r);
    double avg, p99;
    double wi = random_io(XN_BLK_WRITE, size, ops, &avg, &p99);
    printf("BENCH blk_rand_write_iops %.0f\nBENCH blk_rand_write_lat_us %.0f\nBENCH blk_rand_write_p99_us %.0f\n",
           wi, avg, p99);
    double ri = random_io(XN_BLK_READ, size, ops, &avg, &p99);
    printf("BENCH blk_rand_read_iops %.0f\nBENCH blk_rand_read_lat_us %.0f\nBENCH blk_rand_read_p99_us %.0f\n",
           ri, avg, p99);
    printf("blkbench: done\n");
    return 0;
}
