/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A read-only file system for appliances: the files of a tar archive
 * given as the boot module (detected by its ustar magic; a DTB module is
 * the configuration instead) or, failing that, on the first disk whose
 * first block is a tar header (read into memory), reachable through open,
 * read, lseek, fstat, stat, access, opendir and readdir. The archive is
 * parsed once, on first use (tar.c checks every header); a bad archive
 * makes every open fail with EIO after one message naming what was
 * wrong. open("/dev/xvda") opens a disk (blkdev.c).
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

static struct {
    bool loaded, ok;
    struct tar_fs fs;
    char cwd[TAR_PATH_MAX];
} tfs;

struct file {
    const struct tar_entry *e;
    uint64_t off;
};

struct xn_dir {
    int fd;
    const struct tar_entry *e;
    size_t next;                        /* index into tfs.fs.e */
    struct dirent ent;
};

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

static bool load(void)
{
    if (tfs.loaded)
        return tfs.ok;
    tfs.loaded = true;
    const void *data;
    size_t len;
    char where[32] = "boot module";
    if (xn_boot_module(&data, &len) != 0 || !tar_detect(data, len)) {
        int rc = load_disk(&data, &len, where, sizeof(where));
        if (rc != 0) {
            tfs.ok = rc > 0;            /* none: an empty file system, just "/" */
            return tfs.ok;
        }
    }
    char err[200];
    if (tar_parse(data, len, &tfs.fs, err, sizeof(err)) != 0) {
        xn_log(XN_LOG_ERR, "fs: the tar %s is not usable: %s", where, err);
        return false;
    }
    xn_log(XN_LOG_INFO, "fs: %zu files and directories from the tar %s (%zu bytes)",
           tfs.fs.n, where, len);
    tfs.ok = true;
    return true;
}

/* The entry at (path), or NULL with errno set; the root is (&root). */
static const struct tar_entry root = { .path = (char *)"", .dir = true, .mode = 0755 };

static const struct tar_entry *lookup(const char *path)
{
    char full[TAR_PATH_MAX * 2], norm[TAR_PATH_MAX];
    if (path == NULL || path[0] == '\0') {
        errno = ENOENT;
        return NULL;
    }
    if (!load()) {
        errno = EIO;
        return NULL;
    }
    if (path[0] == '/')
        snprintf(full, sizeof(full), "%s", path);
    else
        snprintf(full, sizeof(full), "%s/%s", tfs.cwd, path);
    if (strlen(path) >= TAR_PATH_MAX || tar_normalise(full, norm, sizeof(norm)) != 0) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if (norm[0] == '\0')
        return &root;
    const struct tar_entry *e = tar_lookup(&tfs.fs, norm);
    if (e == NULL)
        errno = ENOENT;
    return e;
}

static void fill_stat(const struct tar_entry *e, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = (e->dir ? S_IFDIR : S_IFREG) | (mode_t)(e->mode & 07777);
    st->st_size = (off_t)e->size;
    st->st_nlink = 1;
    st->st_ino = e == &root ? 1 : (ino_t)(e - tfs.fs.e) + 2;
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t)((e->size + 511) / 512);
    st->st_mtime = (time_t)e->mtime;
    st->st_atime = st->st_ctime = st->st_mtime;
}

static ssize_t f_read(void *obj, void *buf, size_t n, int flags)
{
    (void)flags;
    struct file *f = obj;
    if (f->e->dir) {
        errno = EISDIR;
        return -1;
    }
    if (f->off >= f->e->size)
        return 0;
    uint64_t left = f->e->size - f->off;
    if (n > left)
        n = (size_t)left;
    memcpy(buf, f->e->data + f->off, n);
    f->off += n;
    return (ssize_t)n;
}

static int f_close(void *obj)
{
    free(obj);
    return 0;
}

static int f_fstat(void *obj, struct stat *st)
{
    fill_stat(((struct file *)obj)->e, st);
    return 0;
}

static off_t f_lseek(void *obj, off_t off, int whence)
{
    struct file *f = obj;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->off
                 : whence == SEEK_END ? (int64_t)f->e->size : -1;
    if (base < 0 || (off < 0 && -off > base) || (off > 0 && off > INT64_MAX - base)) {
        errno = EINVAL;
        return -1;
    }
    f->off = (uint64_t)(base + off);
    return (off_t)f->off;
}

static short f_poll(void *obj, short want)
{
    (void)obj;
    return want & 0x1;                  /* POLLIN: files are always readable */
}

static const struct fd_ops file_ops = {
    .kind = "file",
    .read = f_read,
    .close = f_close,
    .fstat = f_fstat,
    .lseek = f_lseek,
    .poll = f_poll,
};

int open(const char *path, int flags, ...)
{
    if (path != NULL && strncmp(path, "/dev/", 5) == 0)
        return blkdev_open(path + 5, flags);
    const struct tar_entry *e = lookup(path);
    if (e == NULL) {
        if (errno == ENOENT && (flags & O_CREAT))
            errno = EROFS;
        return -1;
    }
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_APPEND))) {
        errno = EROFS;
        return -1;
    }
    if ((flags & O_CREAT) && (flags & O_EXCL)) {
        errno = EEXIST;
        return -1;
    }
    if ((flags & O_DIRECTORY) && !e->dir) {
        errno = ENOTDIR;
        return -1;
    }
    struct file *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        errno = ENOMEM;
        return -1;
    }
    f->e = e;
    int fd = fd_alloc(&file_ops, f, O_RDONLY | (flags & O_NONBLOCK));
    if (fd < 0)
        free(f);
    return fd;
}

int stat(const char *path, struct stat *st)
{
    if (path != NULL && strncmp(path, "/dev/", 5) == 0) {
        int fd = blkdev_open(path + 5, O_RDONLY);
        if (fd < 0)
            return -1;
        int rc = fstat(fd, st);
        close(fd);
        return rc;
    }
    const struct tar_entry *e = lookup(path);
    if (e == NULL)
        return -1;
    fill_stat(e, st);
    return 0;
}

int lstat(const char *path, struct stat *st)
{
    return stat(path, st);
}

int access(const char *path, int mode)
{
    const struct tar_entry *e = lookup(path);
    if (e == NULL)
        return -1;
    if (mode & W_OK) {
        errno = EROFS;
        return -1;
    }
    return 0;
}

int chdir(const char *path)
{
    const struct tar_entry *e = lookup(path);
    if (e == NULL)
        return -1;
    if (!e->dir) {
        errno = ENOTDIR;
        return -1;
    }
    snprintf(tfs.cwd, sizeof(tfs.cwd), "/%s", e->path);
    return 0;
}

char *getcwd(char *buf, size_t size)
{
    const char *c = tfs.cwd[0] ? tfs.cwd : "/";
    if (buf == NULL || size <= strlen(c)) {
        errno = buf == NULL ? EINVAL : ERANGE;
        return NULL;
    }
    strcpy(buf, c);
    return buf;
}

int unlink(const char *path)
{
    errno = lookup(path) != NULL ? EROFS : errno;
    return -1;
}

int mkdir(const char *path, mode_t mode)
{
    (void)mode;
    errno = lookup(path) != NULL ? EEXIST : EROFS;
    return -1;
}

/* ---------------------------------------------------------------- directories */

DIR *fdopendir(int fd)
{
    struct fd_entry *fe = fd_get(fd);
    if (fe == NULL)
        return NULL;
    if (fe->ops != &file_ops || !((struct file *)fe->obj)->e->dir) {
        errno = ENOTDIR;
        return NULL;
    }
    DIR *d = calloc(1, sizeof(*d));
    if (d == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    d->fd = fd;
    d->e = ((struct file *)fe->obj)->e;
    return d;
}

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return NULL;
    DIR *d = fdopendir(fd);
    if (d == NULL)
        close(fd);
    return d;
}

/* The entries directly under the directory: those whose path is the
 * directory's plus "/name" (the table is sorted, so they are together
 * with their own children, which are skipped). */
struct dirent *readdir(DIR *d)
{
    size_t plen = strlen(d->e->path);
    for (; d->next < tfs.fs.n; d->next++) {
        const struct tar_entry *e = &tfs.fs.e[d->next];
        const char *name;
        if (plen == 0)
            name = e->path;
        else if (strncmp(e->path, d->e->path, plen) == 0 && e->path[plen] == '/')
            name = e->path + plen + 1;
        else
            continue;
        if (strchr(name, '/') != NULL || strlen(name) >= sizeof(d->ent.d_name))
            continue;
        d->ent.d_ino = (ino_t)d->next + 2;
        d->ent.d_type = e->dir ? DT_DIR : DT_REG;
        strcpy(d->ent.d_name, name);
        d->next++;
        return &d->ent;
    }
    return NULL;
}

void rewinddir(DIR *d)
{
    d->next = 0;
}

int dirfd(DIR *d)
{
    return d->fd;
}

int closedir(DIR *d)
{
    int rc = close(d->fd);
    free(d);
    return rc;
}
