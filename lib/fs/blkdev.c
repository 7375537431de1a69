/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Block devices as files: open("/dev/xvda") gives a descriptor for read,
 * write, pread, pwrite, lseek, fstat and fsync on the disk (xn_blk_* of
 * include/xenolith.h). Any offset and length work: a write that covers
 * part of a sector reads the sector first. fsync() flushes the disk's
 * cache, so writes that completed before it are durable when it returns.
 * I/O errors come back as EIO.
 */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_fd.h>

#include "blkdev.h"

#define CHUNK (256 * 1024)              /* bytes per request through the bounce buffer */

struct blkdev {
    int dev;
    struct xn_blk_info info;
    uint64_t size;                      /* bytes */
    off_t pos;
};

static int io_error(int rc)
{
    errno = rc == -EINVAL ? EINVAL : rc == -EROFS ? EROFS : EIO;
    return -1;
}

/* Read or write (n) bytes at byte offset (off), any alignment. */
static ssize_t rw(struct blkdev *b, void *buf, size_t n, off_t off, bool write)
{
    unsigned ss = b->info.sector_size;
    if (off < 0) {
        errno = EINVAL;
        return -1;
    }
    if ((uint64_t)off >= b->size) {
        if (write && n > 0) {
            errno = ENOSPC;
            return -1;
        }
        return 0;
    }
    if (n > b->size - (uint64_t)off)
        n = (size_t)(b->size - (uint64_t)off);
    size_t done = 0;
    unsigned char *bounce = NULL;
    while (done < n) {
        uint64_t at = (uint64_t)off + done;
        uint64_t sector = at / ss;
        size_t skip = (size_t)(at % ss), left = n - done;
        if (skip == 0 && left >= ss) {
            /* Whole sectors straight to or from the caller's buffer. */
            size_t count = (left > CHUNK ? CHUNK : left) / ss;
            int rc = write ? xn_blk_write(b->dev, sector, (char *)buf + done, count)
                           : xn_blk_read(b->dev, sector, (char *)buf + done, count);
            if (rc != 0) {
                free(bounce);
                return done > 0 ? (ssize_t)done : io_error(rc);
            }
            done += count * ss;
            continue;
        }
        /* A partial sector: through one sector of bounce buffer. */
        if (bounce == NULL && (bounce = malloc(ss)) == NULL) {
            errno = ENOMEM;
            return done > 0 ? (ssize_t)done : -1;
        }
        size_t part = ss - skip < left ? ss - skip : left;
        int rc = xn_blk_read(b->dev, sector, bounce, 1);
        if (rc == 0 && write) {
            memcpy(bounce + skip, (const char *)buf + done, part);
            rc = xn_blk_write(b->dev, sector, bounce, 1);
        } else if (rc == 0) {
            memcpy((char *)buf + done, bounce + skip, part);
        }
        if (rc != 0) {
            free(bounce);
            return done > 0 ? (ssize_t)done : io_error(rc);
        }
        done += part;
    }
    free(bounce);
    return (ssize_t)done;
}

static ssize_t b_read(void *obj, void *buf, size_t n, int flags)
{
    (void)flags;
    struct blkdev *b = obj;
    ssize_t r = rw(b, buf, n, b->pos, false);
    if (r > 0)
        b->pos += r;
    return r;
}

static ssize_t b_write(void *obj, const void *buf, size_t n, int flags)
{
    (void)flags;
    struct blkdev *b = obj;
    ssize_t r = rw(b, (void *)buf, n, b->pos, true);
    if (r > 0)
        b->pos += r;
    return r;
}

static ssize_t b_pread(void *obj, void *buf, size_t n, off_t off)
{
    return rw(obj, buf, n, off, false);
}

static ssize_t b_pwrite(void *obj, const void *buf, size_t n, off_t off)
{
    return rw(obj, (void *)buf, n, off, true);
}

static off_t b_lseek(void *obj, off_t off, int whence)
{
    struct blkdev *b = obj;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? b->pos
                 : whence == SEEK_END ? (int64_t)b->size : -1;
    if (base < 0 || (off < 0 && -off > base)) {
        errno = EINVAL;
        return -1;
    }
    b->pos = base + off;
    return b->pos;
}

static int b_fstat(void *obj, struct stat *st)
{
    struct blkdev *b = obj;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFBLK | ((b->info.features & XN_BLK_F_READONLY) ? 0440 : 0660);
    st->st_size = (off_t)b->size;
    st->st_blksize = (blksize_t)b->info.physical_sector_size;
    st->st_blocks = (blkcnt_t)(b->size / 512);
    st->st_rdev = (dev_t)b->dev;
    return 0;
}

static int b_fsync(void *obj)
{
    int rc = xn_blk_flush(((struct blkdev *)obj)->dev);
    return rc == 0 ? 0 : io_error(rc);
}

static int b_close(void *obj)
{
    free(obj);
    return 0;
}

static short b_poll(void *obj, short want)
{
    (void)obj;
    return want & (POLLIN | POLLOUT);   /* always ready */
}

static const struct fd_ops blkdev_ops = {
    .kind = "block device",
    .read = b_read,
    .write = b_write,
    .close = b_close,
    .fstat = b_fstat,
    .lseek = b_lseek,
    .poll = b_poll,
    .pread = b_pread,
    .pwrite = b_pwrite,
    .fsync = b_fsync,
};

int blkdev_find(const char *name, struct xn_blk_info *info)
{
    int n = xn_blk_open();
    for (int i = 0; i < XN_BLK_MAX && n > 0; i++) {
        if (xn_blk_info(i, info) == 0 && strcmp(info->name, name) == 0)
            return i;
    }
    errno = ENOENT;
    return -1;
}

int blkdev_open(const char *name, int flags)
{
    struct xn_blk_info info;
    int dev = blkdev_find(name, &info);
    if (dev < 0)
        return -1;
    if ((flags & O_ACCMODE) != O_RDONLY && (info.features & XN_BLK_F_READONLY)) {
        errno = EROFS;
        return -1;
    }
    struct blkdev *b = calloc(1, sizeof(*b));
    if (b == NULL) {
        errno = ENOMEM;
        return -1;
    }
    b->dev = dev;
    b->info = info;
    b->size = info.sectors * info.sector_size;
    int fd = fd_alloc(&blkdev_ops, b, flags & (O_ACCMODE | O_NONBLOCK));
    if (fd < 0)
        free(b);
    return fd;
}
