/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The files an appliance ships with: a tar archive given as the boot
 * module (detected by its ustar magic; a DTB module is the configuration
 * instead) or, failing that, on the first disk whose first block is a
 * tar header (read into memory). Its files and directories become the
 * file system's contents (vfs.c) at first use; their bytes stay in the
 * archive until written. tar.c checks every header; a bad archive makes
 * every path call fail with EIO after one message naming what was wrong.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_fd.h>

#include "blkdev.h"
#include "tar.h"
#include "vfs.h"

/* A tar archive at the start of a disk, read into memory: 0, 1 (none
 * there), or -1 (bad; logged). */
static int load_disk(const void **data, size_t *len, char *where, size_t wlen)
{
    uintptr_t hs, he;
    xn_heap_region(&hs, &he);
    int n = xn_blk_open();
    for (int dev = 0; dev < XN_BLK_MAX && n > 0; dev++) {
        struct xn_blk_info info;
        unsigned char hdr[4096];
        if (xn_blk_info(dev, &info) != 0 || info.sector_size > sizeof(hdr) ||
            xn_blk_read(dev, 0, hdr, 1) != 0 || !tar_detect(hdr, 512))
            continue;
        /* Walk the headers to find the archive's end. */
        uint64_t disk = info.sectors * info.sector_size, end = 0, span;
        int fd = blkdev_open(info.name, O_RDONLY);
        if (fd < 0)
            return -1;
        int rc;
        while (end + 512 <= disk && pread(fd, hdr, 512, (off_t)end) == 512 &&
               (rc = tar_header_span(hdr, &span)) == 0 && span <= disk - end)
            end += span;
        uint64_t total = end + 1024 <= disk ? end + 1024 : end;   /* with the end marker */
        if (total > (he - hs) / 2) {
            close(fd);
            xn_log(XN_LOG_ERR, "fs: the tar archive on %s (%llu bytes) does not fit in memory",
                   info.name, (unsigned long long)total);
            return -1;
        }
        void *buf = malloc((size_t)total);
        if (buf == NULL || pread(fd, buf, (size_t)total, 0) != (ssize_t)total) {
            free(buf);
            close(fd);
            xn_log(XN_LOG_ERR, "fs: cannot read the tar archive on %s", info.name);
            return -1;
        }
        close(fd);
        *data = buf;
        *len = (size_t)total;
        snprintf(where, wlen, "disk %s", info.name);
        return 0;
    }
    return 1;
}

bool tarfs_populate(void)
{
    const void *data;
    size_t len;
    char where[32] = "boot module";
    if (xn_boot_module(&data, &len) != 0 || !tar_detect(data, len)) {
        int rc = load_disk(&data, &len, where, sizeof(where));
        if (rc != 0)
            return rc > 0;              /* none: the tree starts empty */
    }
    char err[200];
    struct tar_fs fs;
    if (tar_parse(data, len, &fs, err, sizeof(err)) != 0) {
        xn_log(XN_LOG_ERR, "fs: the tar %s is not usable: %s", where, err);
        return false;
    }
    /* In archive order within the sorted table: parents come first. */
    for (size_t i = 0; i < fs.n; i++) {
        const struct tar_entry *e = &fs.e[i];
        int rc = e->dir ? vfs_add_dir(e->path, e->implied ? 0755 : e->mode, e->mtime)
                        : vfs_add_file(e->path, e->data, e->size, e->mode, e->mtime);
        if (rc != 0) {
            xn_log(XN_LOG_ERR, "fs: the tar %s: cannot add '%s' (out of memory, or a file "
                   "where a directory should be)", where, e->path);
            tar_free(&fs);
            return false;
        }
    }
    xn_log(XN_LOG_INFO, "fs: %zu files and directories from the tar %s (%zu bytes)",
           fs.n, where, len);
    tar_free(&fs);
    return true;
}
