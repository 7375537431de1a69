/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Xenolith's public API: what an application (and the C library glue in
 * lib/) may call besides newlib and lwIP. Nothing here exposes Xen.
 *
 * Conventions: functions that can fail return 0 or a negative errno
 * value; times are nanoseconds in uint64_t.
 */
#ifndef XENOLITH_H
#define XENOLITH_H

#include <stddef.h>
#include <stdint.h>

/* Console. xn_console_write() never blocks for long and never fails. */
void xn_console_write(const char *buf, size_t len);
/* One byte of console input, or -1 when none is waiting. */
int xn_console_getc(void);
/* Console input: blocks until there is some, returns up to (len) bytes,
 * stopping after a newline (a carriage return is given as a newline). */
int xn_console_read(char *buf, size_t len);

/* Clocks. Monotonic time counts from boot; wall time from 1970 (UTC). */
uint64_t xn_clock_monotonic_ns(void);
uint64_t xn_clock_wall_ns(void);
/* Wait until the monotonic clock reaches (deadline_ns). */
void xn_sleep_until(uint64_t deadline_ns);

/* The memory region the heap (sbrk) may use: [*start, *end). */
void xn_heap_region(uintptr_t *start, uintptr_t *end);
/*
 * Change the access to whole pages of the heap region [addr, addr + len)
 * (addr page-aligned; len rounded up to pages): XN_PROT_NONE (an access
 * crashes the guest with a report naming the address), XN_PROT_READ,
 * XN_PROT_READ | XN_PROT_WRITE, or XN_PROT_READ | XN_PROT_EXEC. 0, or
 * -EINVAL (unaligned, empty), -ENOMEM (outside the heap), -ENOTSUP
 * (writable and executable: pages are W^X), -EIO (the page tables could
 * not be changed).
 */
#define XN_PROT_NONE  0
#define XN_PROT_READ  1
#define XN_PROT_WRITE 2
#define XN_PROT_EXEC  4
int xn_mem_protect(void *addr, size_t len, int prot);

/*
 * The boot module (the one file given to the guest at boot, e.g. with
 * QEMU's -initrd or xl's ramdisk=): 0 with (*data, *len) set, or -ENOENT.
 * The memory is read-only to the app by convention and stays valid.
 */
int xn_boot_module(const void **data, size_t *len);

/*
 * Fill (buf) with (len) random bytes from the CPU's RDRAND, or, on a CPU
 * without it, from weaker TSC mixing (logged once). Returns 0, or
 * -EAGAIN when any byte came from the weaker source (the bytes are still
 * filled in).
 */
int xn_entropy(void *buf, size_t len);

/*
 * Configuration: one tree, built at boot from (in rising priority)
 * built-in defaults, a DTB given as the boot module, the platform's keys
 * (on Xen: Xenstore, under the domain's xenolith/ subtree) and the
 * command line. Keys are dotted paths, like "net0.ip" or "app.port"
 * (docs/config.md has the schema; "app." keys are the app's own).
 * Values were checked against the schema at boot; app. values are text
 * the app must check itself.
 */
/* The value of (key), or NULL when it is not set. */
const char *xn_config_get(const char *key);
/* (key) as a number from 0 to (max), or (dflt) when it is not set: 0, or
 * -EINVAL (a message naming the key and value is logged). */
int xn_config_uint(const char *key, unsigned long long dflt, unsigned long long max,
                   unsigned long long *out);
/* The whole tree, a flattened device tree (read it with libfdt): key
 * "a.b.c" is string property "c" of node "/a/b". */
const void *xn_config_tree(void);

/* Boot timeline: mark a milestone (e.g. "net") and print the timeline. */
void xn_timeline_mark(const char *what);
void xn_timeline_print(void);

/*
 * Network devices (on Xen: the domain's vifs), for the IP stack in lib/;
 * apps use BSD sockets. A device is a slot 0..XN_NET_MAX-1 that holds a
 * connected NIC or nothing (it was detached, or never attached).
 * xn_net_open() connects every NIC the platform has and keeps following
 * hot-plug; it returns how many are connected (0 where there are none).
 */
#define XN_NET_MAX 4
/* Device features. */
#define XN_NET_F_TX_CSUM   0x1          /* may send XN_NET_TX_CSUM_PARTIAL IPv4 frames */
#define XN_NET_F_TX_CSUM6  0x2          /* ... and IPv6 ones */
#define XN_NET_F_SG        0x4          /* frames may span pages both ways */
#define XN_NET_F_RX_GSO    0x8          /* receives TCP packets of up to 64 KiB */
struct xn_net_info {
    uint8_t mac[6];
    unsigned mtu;                       /* IP bytes per frame */
    unsigned features;                  /* XN_NET_F_ */
    unsigned instance;                  /* changes when another NIC takes the slot */
    char name[24];                      /* e.g. "vif/0" */
    /* Counters since the NIC was connected. */
    uint64_t rx_packets, rx_bytes, rx_gso, rx_errors;
    uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
};
/* A piece of a frame. */
struct xn_net_seg {
    const void *data;
    size_t len;
};
/* Frame flags. On send: the TCP/UDP checksum field holds only the
 * pseudo-header sum, for the backend to complete. On receive: the
 * checksums were verified (DATA_VALID), or the packet came from a local
 * sender and its TCP/UDP checksum is not filled in (CSUM_PARTIAL: it must
 * not be checked either). */
#define XN_NET_TX_CSUM_PARTIAL 0x1
#define XN_NET_RX_DATA_VALID   0x1
#define XN_NET_RX_CSUM_PARTIAL 0x2
#define XN_NET_FRAME_SEGS      18
/* A received frame: segments in the driver's buffers, valid until
 * xn_net_recv_done(). */
struct xn_net_frame {
    size_t len;
    unsigned flags;                     /* XN_NET_RX_ */
    unsigned gso_size;                  /* segment size of a GSO packet, else 0 */
    unsigned nseg;
    struct xn_net_seg seg[XN_NET_FRAME_SEGS];
    unsigned cookie;                    /* the driver's */
};
int xn_net_open(void);
/* 0 with (*info) filled, or -ENODEV when the slot holds no NIC. */
int xn_net_info(int dev, struct xn_net_info *info);
/* Send one frame of (nseg) pieces: 0, -ENODEV, -EMSGSIZE, -EIO (the
 * device is broken), or -ENOBUFS (the ring stayed full; dropped). */
int xn_net_send(int dev, const struct xn_net_seg *seg, unsigned nseg, unsigned flags);
/* Wait until (deadline_ns) (0: forever) for a frame: 0 with (*f) filled,
 * -ETIMEDOUT, -ENODEV (the NIC went away) or -EIO (broken). */
int xn_net_recv(int dev, struct xn_net_frame *f, uint64_t deadline_ns);
void xn_net_recv_done(int dev, struct xn_net_frame *f);
/* Wait until a NIC comes or goes, or (deadline_ns): a counter that
 * changes with every such event (pass the last value seen). */
unsigned xn_net_wait_change(unsigned seen, uint64_t deadline_ns);
/* Disconnect one NIC from its backend. */
int xn_net_close(int dev);

/*
 * Block devices (on Xen: the domain's vbds), slots 0..XN_BLK_MAX-1 in the
 * order the platform lists them. Sectors are in units of the device's
 * sector_size. Every failure reaches the caller (-EIO for an I/O error or
 * a broken device); nothing is dropped.
 */
#define XN_BLK_MAX 4
#define XN_BLK_F_FLUSH      0x1         /* flushes reach stable storage */
#define XN_BLK_F_INDIRECT   0x2         /* large requests (indirect descriptors) */
#define XN_BLK_F_PERSISTENT 0x4         /* persistent grants */
#define XN_BLK_F_READONLY   0x8
struct xn_blk_info {
    uint64_t sectors;
    unsigned sector_size, physical_sector_size;
    unsigned features;                  /* XN_BLK_F_ */
    unsigned max_request;               /* bytes per ring request */
    char name[24];                      /* e.g. "xvda" */
    uint64_t reads, writes, flushes, errors;
};
enum xn_blk_op { XN_BLK_READ, XN_BLK_WRITE, XN_BLK_FLUSH };
/* An asynchronous request: the caller owns it until done() runs (in a
 * driver thread; it must not block for long). */
struct xn_blk_req {
    enum xn_blk_op op;
    uint64_t sector;
    size_t count;                       /* sectors (0 for a flush) */
    void *buf;                          /* count * sector_size bytes, any alignment */
    void (*done)(struct xn_blk_req *req);
    void *arg;
    int status;                         /* set before done(): 0 or -EIO */
    /* The driver's. */
    uint64_t next_sector;
    size_t left, offset;
    unsigned inflight;
    struct xn_blk_req *queue_next;
};
/* Connect every block device: how many there are (0 where none). */
int xn_blk_open(void);
int xn_blk_info(int dev, struct xn_blk_info *info);
/* 0 (queued; done() follows), -ENODEV, -EINVAL (range), -EROFS, -EIO. */
int xn_blk_submit(int dev, struct xn_blk_req *req);
/* The same, waiting: 0 or -errno. A flush makes durable every write that
 * completed before it was submitted (wait for a write, then flush). */
int xn_blk_read(int dev, uint64_t sector, void *buf, size_t count);
int xn_blk_write(int dev, uint64_t sector, const void *buf, size_t count);
int xn_blk_flush(int dev);

/* End the guest with (status) (0-255), as exit() does after cleanup. */
__attribute__((noreturn)) void xn_exit(int status);
/* End the guest as crashed, after printing (reason) and a backtrace. */
__attribute__((noreturn)) void xn_crash(const char *reason);

/* Log levels, as for loglevel= on the command line. */
enum xn_log_level { XN_LOG_ERR, XN_LOG_WARN, XN_LOG_INFO, XN_LOG_DEBUG };
void xn_log(enum xn_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Threads (cooperative: a thread runs until it blocks, sleeps or yields).
 * Apps normally use POSIX threads (<pthread.h>), built on these.
 * Functions returning int give 0 or a negative errno.
 */
struct xn_thread;
struct xn_mutex;
struct xn_cond;
/* NULL with errno ENOMEM when out of memory; stack_size 0: the default. */
struct xn_thread *xn_thread_create(const char *name, void *(*fn)(void *), void *arg,
                                   size_t stack_size);
int xn_thread_join(struct xn_thread *t, void **retval);
int xn_thread_detach(struct xn_thread *t);
struct xn_thread *xn_thread_self(void);
void xn_thread_yield(void);
__attribute__((noreturn)) void xn_thread_exit(void *retval);
struct xn_mutex *xn_mutex_create(void);
void xn_mutex_destroy(struct xn_mutex *m);
void xn_mutex_lock(struct xn_mutex *m);
int xn_mutex_trylock(struct xn_mutex *m);               /* -EBUSY if held */
int xn_mutex_unlock(struct xn_mutex *m);                /* -EPERM if not ours */
struct xn_cond *xn_cond_create(void);
void xn_cond_destroy(struct xn_cond *c);
/* Wait with (m) held; deadline in monotonic ns, 0 for none: -ETIMEDOUT. */
int xn_cond_wait(struct xn_cond *c, struct xn_mutex *m, uint64_t deadline_ns);
void xn_cond_signal(struct xn_cond *c);
void xn_cond_broadcast(struct xn_cond *c);

/* For the C library: per-thread state, created, freed and installed on
 * every switch (lib/newlib/threads.c). */
void xn_set_thread_hooks(void *(*create)(void), void (*destroy)(void *),
                         void (*install)(void *), void *main_state);

/* Called by the kernel once it has booted: the C library's start-up. */
__attribute__((noreturn)) void app_start(int argc, char **argv);
/* Called by the kernel when the toolstack asks the guest to shut down:
 * runs exit(0), so atexit handlers and destructors run first, or, for a
 * program that catches SIGTERM, sends it that and returns. */
void app_exit_requested(void);

#endif
