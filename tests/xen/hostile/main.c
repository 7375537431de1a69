/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest side of make hostile (tests/hostile.sh): while the hostile
 * backend in dom0 (tools/xen/hostile/hostile.c) misbehaves, this app
 *   - prints "heartbeat N T ms" (T: the monotonic clock) every 250 ms
 *     from its own thread, sleeping 250 ms after each line, so a stall of
 *     the guest shows as a gap between two lines' times;
 *   - opens every vif and vbd (xn_net_open, xn_blk_open) and exercises
 *     each one it got in a loop: net, a broadcast frame sent and a receive
 *     with a 100 ms deadline; blk, 8 sectors written, read back and
 *     flushed; it prints each error it sees (once per error and device);
 *   - runs until the guest is asked to shut down (xl shutdown: exit(0)
 *     runs the atexit handler below).
 * "console-spam" as argv[1] adds a 300-byte line to each heartbeat (the
 * console-drip scenario fills the console ring with it).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenolith.h>

static int spam;

static uint64_t ms(void)
{
    return xn_clock_monotonic_ns() / 1000000;
}

static void *heartbeat(void *arg)
{
    (void)arg;
    char filler[301];
    memset(filler, 'x', 300);
    filler[300] = '\0';
    for (unsigned n = 0;; n++) {
        printf("heartbeat %u %llu ms\n", n, (unsigned long long)ms());
        if (spam)
            printf("spam %s\n", filler);
        fflush(stdout);
        usleep(250000);
    }
    return NULL;
}

static void goodbye(void)
{
    printf("hostile app: shutdown requested, exiting at %llu ms\n", (unsigned long long)ms());
    fflush(stdout);
}

/* Print (what)'s error once per change of value. */
static void report(int *last, const char *dev, const char *what, int rc)
{
    if (rc == *last)
        return;
    *last = rc;
    if (rc == 0)
        printf("%s %s: ok again at %llu ms\n", dev, what, (unsigned long long)ms());
    else
        printf("%s %s: error %d (%s) at %llu ms\n", dev, what, rc, strerror(-rc),
               (unsigned long long)ms());
    fflush(stdout);
}

int main(int argc, char **argv)
{
    spam = argc > 1 && strcmp(argv[1], "console-spam") == 0;
    atexit(goodbye);
    pthread_t t;
    pthread_create(&t, NULL, heartbeat, NULL);
    printf("hostile app: started at %llu ms\n", (unsigned long long)ms());
    int nnet = xn_net_open();
    int nblk = xn_blk_open();
    printf("hostile app: %d vif(s) and %d vbd(s) connected at %llu ms\n", nnet, nblk,
           (unsigned long long)ms());
    struct xn_net_info ni;
    struct xn_blk_info bi;
    for (int i = 0; i < XN_NET_MAX; i++)
        if (xn_net_info(i, &ni) == 0)
            printf("net%d: %s, mtu %u, features %#x\n", i, ni.name, ni.mtu, ni.features);
    for (int i = 0; i < XN_BLK_MAX; i++)
        if (xn_blk_info(i, &bi) == 0)
            printf("blk%d: %s, %llu sectors of %u bytes, features %#x\n", i, bi.name,
                   (unsigned long long)bi.sectors, bi.sector_size, bi.features);
    fflush(stdout);

    int last[XN_NET_MAX + XN_BLK_MAX][4];
    memset(last, 0, sizeof(last));
    static unsigned char frame[60], wbuf[8 * 4096], rbuf[8 * 4096];
    unsigned long rounds = 0, frames = 0, ios = 0;
    for (;;) {
        int active = 0;
        for (int i = 0; i < XN_NET_MAX; i++) {
            char dev[16];
            snprintf(dev, sizeof(dev), "net%d", i);
            int rc = xn_net_info(i, &ni);
            if (rc != 0)
                continue;
            active++;
            memset(frame, 0xff, 6);
            memcpy(frame + 6, ni.mac, 6);
            frame[12] = 0x88;
            frame[13] = 0xb5;           /* local experimental ethertype */
            snprintf((char *)frame + 14, 40, "hostile %lu", rounds);
            struct xn_net_seg seg = { frame, sizeof(frame) };
            rc = xn_net_send(i, &seg, 1, 0);
            report(&last[i][0], dev, "send", rc);
            struct xn_net_frame f;
            rc = xn_net_recv(i, &f, xn_clock_monotonic_ns() + 100000000ULL);
            if (rc == 0) {
                frames++;
                xn_net_recv_done(i, &f);
            }
            report(&last[i][1], dev, "receive", rc == -ETIMEDOUT ? 0 : rc);
        }
        for (int i = 0; i < XN_BLK_MAX; i++) {
            char dev[16];
            int *l = last[XN_NET_MAX + i];
            if (xn_blk_info(i, &bi) != 0)
                continue;
            snprintf(dev, sizeof(dev), "blk%d", i);
            active++;
            size_t count = 4096 / bi.sector_size * 2;
            uint64_t sector = (rounds * count) % (bi.sectors - count);
            memset(wbuf, (int)(rounds & 0xff), count * bi.sector_size);
            report(&l[0], dev, "write", xn_blk_write(i, sector, wbuf, count));
            report(&l[1], dev, "read", xn_blk_read(i, sector, rbuf, count));
            report(&l[2], dev, "flush", xn_blk_flush(i));
            ios++;
        }
        rounds++;
        if (rounds % 50 == 0) {
            printf("hostile app: %lu rounds, %lu frames received, %lu block rounds, %d devices\n",
                   rounds, frames, ios, active);
            fflush(stdout);
        }
        usleep(active ? 20000 : 100000);
    }
}
