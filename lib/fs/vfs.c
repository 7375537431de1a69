/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The file system: one tree in memory (docs/posix.md), writable
 * everywhere, with the usual semantics: files, directories, hard and
 * symbolic links, rename over an existing name, unlink (and rename away)
 * while open, permissions and times as recorded values. The files of the
 * tar archive (boot module or first disk, tarfs.c) are its contents at
 * boot; they are read in place and copied the first time they are
 * written. Nothing written persists across boots: that is what a disk
 * (the block API, or an app's own format like kvstore's) is for.
 *
 * /tmp exists (mode 1777); /dev holds null, zero, full, random, urandom,
 * stdin, stdout, stderr, tty and console; any other /dev/NAME opens the disk NAME
 * (blkdev.c). Space is the heap: a write that cannot get memory fails
 * with ENOSPC.
 *
 * Directory entries are found through one hash table keyed by (directory,
 * name), so a deep or wide tree costs no scans. Threads are cooperative
 * and nothing here blocks, so the tree needs no lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <xenolith.h>
#include <xn_fd.h>

#include "blkdev.h"
#include "vfs.h"

#define SYMLOOP_MAX 8
#ifndef UTIME_NOW
#define UTIME_NOW  (-2L)
#define UTIME_OMIT (-1L)
#endif
#define NAME_LEN_MAX 255
#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

enum dev { DEV_NONE, DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM };

struct dentry;

struct inode {
    mode_t mode;
    nlink_t nlink;
    unsigned open;                      /* open descriptors on it */
    ino_t ino;
    time_t atime, mtime, ctime;
    /* Regular file or symbolic link: its bytes, in (data) once written,
     * else read-only in (ro) (the tar archive). */
    unsigned char *data;
    const unsigned char *ro;
    size_t size, cap;
    /* Directory: its entries, and the entry that names it (NULL: root). */
    struct dentry *entries;
    size_t nentries;
    struct dentry *self;
    enum dev dev;
};

struct dentry {
    struct inode *dir;
    char *name;
    struct inode *ino;
    struct dentry *next;                /* in the directory */
    struct dentry *hnext;               /* in the hash chain */
};

static struct {
    bool init, ok;
    struct inode *root, *cwd;
    struct dentry **hash;
    size_t hsize, hcount;
    ino_t next_ino;
    size_t inodes;
} vfs;

/* ---------------------------------------------------------------- the tree */

static time_t now(void)
{
    return (time_t)(xn_clock_wall_ns() / 1000000000ULL);
}

static size_t hash_of(const struct inode *dir, const char *name)
{
    size_t h = (size_t)(uintptr_t)dir * 0x9E3779B97F4A7C15ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 0x100000001B3ULL;
    return h;
}

static void hash_insert(struct dentry *d)
{
    size_t b = hash_of(d->dir, d->name) & (vfs.hsize - 1);
    d->hnext = vfs.hash[b];
    vfs.hash[b] = d;
    vfs.hcount++;
}

static void hash_remove(struct dentry *d)
{
    size_t b = hash_of(d->dir, d->name) & (vfs.hsize - 1);
    for (struct dentry **p = &vfs.hash[b]; *p != NULL; p = &(*p)->hnext) {
        if (*p == d) {
            *p = d->hnext;
            vfs.hcount--;
            return;
        }
    }
}

/* Twice as many buckets when the table is full; a failure only costs speed. */
static void hash_grow(void)
{
    if (vfs.hcount < vfs.hsize)
        return;
    size_t n = vfs.hsize * 2;
    struct dentry **t = calloc(n, sizeof(*t));
    if (t == NULL)
        return;
    struct dentry **old = vfs.hash;
    size_t on = vfs.hsize;
    vfs.hash = t;
    vfs.hsize = n;
    vfs.hcount = 0;
    for (size_t i = 0; i < on; i++) {
        for (struct dentry *d = old[i], *next; d != NULL; d = next) {
            next = d->hnext;
            hash_insert(d);
        }
    }
    free(old);
}

static struct dentry *find(const struct inode *dir, const char *name)
{
    size_t b = hash_of(dir, name) & (vfs.hsize - 1);
    for (struct dentry *d = vfs.hash[b]; d != NULL; d = d->hnext)
        if (d->dir == dir && strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static struct inode *inode_new(mode_t mode)
{
    struct inode *i = calloc(1, sizeof(*i));
    if (i == NULL)
        return NULL;
    i->mode = mode;
    i->ino = ++vfs.next_ino;
    i->atime = i->mtime = i->ctime = now();
    vfs.inodes++;
    return i;
}

/* Free (i) once nothing names it and nothing has it open. */
static void inode_put(struct inode *i)
{
    if (i->nlink > 0 || i->open > 0 || i == vfs.root)
        return;
    free(i->data);
    free(i);
    vfs.inodes--;
}

/* A new entry (name) in (dir) for (ino): 0 or -ENOMEM. */
static int link_in(struct inode *dir, const char *name, struct inode *ino)
{
    struct dentry *d = calloc(1, sizeof(*d));
    char *n = strdup(name);
    if (d == NULL || n == NULL) {
        free(d);
        free(n);
        return -ENOMEM;
    }
    hash_grow();
    *d = (struct dentry){ .dir = dir, .name = n, .ino = ino, .next = dir->entries };
    dir->entries = d;
    dir->nentries++;
    hash_insert(d);
    ino->nlink++;
    if (S_ISDIR(ino->mode)) {
        ino->self = d;
        dir->nlink++;                   /* its ".." */
    }
    dir->mtime = dir->ctime = now();
    return 0;
}

/* Take (d) off its directory's list and out of the hash table. */
static void detach(struct dentry *d)
{
    struct inode *dir = d->dir;
    for (struct dentry **p = &dir->entries; *p != NULL; p = &(*p)->next) {
        if (*p == d) {
            *p = d->next;
            break;
        }
    }
    dir->nentries--;
    hash_remove(d);
}

/* Take (d) out of its directory (the inode lives on while named or open). */
static void unlink_dentry(struct dentry *d, bool free_inode)
{
    struct inode *dir = d->dir;
    detach(d);
    struct inode *ino = d->ino;
    ino->nlink--;
    if (S_ISDIR(ino->mode)) {
        dir->nlink--;
        ino->nlink--;                   /* its "." */
        ino->self = NULL;
    }
    dir->mtime = dir->ctime = now();
    ino->ctime = now();
    free(d->name);
    free(d);
    if (free_inode)
        inode_put(ino);
}

static struct inode *parent_of(struct inode *dir)
{
    return dir->self != NULL ? dir->self->dir : vfs.root;
}

static struct inode *mkdir_in(struct inode *dir, const char *name, mode_t mode)
{
    struct inode *i = inode_new(S_IFDIR | (mode & 07777));
    if (i == NULL)
        return NULL;
    i->nlink = 1;                       /* "." */
    if (link_in(dir, name, i) != 0) {
        i->nlink = 0;
        inode_put(i);
        return NULL;
    }
    return i;
}

static bool init(void);

/* ---------------------------------------------------------------- paths */

struct where {
    struct inode *dir;                  /* the directory holding the last name */
    char name[NAME_LEN_MAX + 1];        /* the last name ("" for "/") */
    struct dentry *d;                   /* its entry, NULL if none (or "/", ".", "..") */
    struct inode *ino;                  /* what it names, NULL if nothing */
};

static int resolve_in(struct inode *start, const char *path, bool follow, int depth,
                      struct where *w);

/* Follow the symbolic link (link) found in (dir). */
static int follow_link(struct inode *dir, struct inode *link, int depth, struct where *w)
{
    if (depth >= SYMLOOP_MAX)
        return -ELOOP;
    char target[PATH_MAX];
    size_t n = link->size < sizeof(target) - 1 ? link->size : sizeof(target) - 1;
    memcpy(target, link->data != NULL ? link->data : link->ro, n);
    target[n] = '\0';
    return resolve_in(target[0] == '/' ? vfs.root : dir, target, true, depth + 1, w);
}

/*
 * Walk (path) from (start). On success (0), (w) says where the last name
 * is and what it names (ino NULL: nothing, and the directory exists). A
 * missing or non-directory middle component fails (-ENOENT, -ENOTDIR).
 */
static int resolve_in(struct inode *start, const char *path, bool follow, int depth,
                      struct where *w)
{
    if (path[0] == '\0')
        return -ENOENT;
    if (strlen(path) >= PATH_MAX)
        return -ENAMETOOLONG;
    struct inode *cur = path[0] == '/' ? vfs.root : start;
    const char *p = path;
    *w = (struct where){ .dir = parent_of(cur), .ino = cur };
    for (;;) {
        while (*p == '/')
            p++;
        if (*p == '\0')
            return 0;                   /* "/" or a trailing slash: (w) stands */
        const char *e = strchr(p, '/');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        if (len > NAME_LEN_MAX)
            return -ENAMETOOLONG;
        char name[NAME_LEN_MAX + 1];
        memcpy(name, p, len);
        name[len] = '\0';
        p += len;
        bool last = true;
        for (const char *q = p; *q; q++)
            if (*q != '/')
                last = false;
        bool trailing = *p == '/';
        if (!S_ISDIR(cur->mode))
            return -ENOTDIR;
        struct inode *dir = cur;
        struct dentry *d = NULL;
        struct inode *next;
        if (strcmp(name, ".") == 0)
            next = dir;
        else if (strcmp(name, "..") == 0)
            next = parent_of(dir);
        else
            next = (d = find(dir, name)) != NULL ? d->ino : NULL;
        if (next != NULL && S_ISLNK(next->mode) && (!last || follow || trailing)) {
            int rc = follow_link(dir, next, depth, w);
            if (rc != 0)
                return rc;
            if (last)
                return w->ino == NULL && trailing ? -ENOENT : 0;
            if (w->ino == NULL)
                return -ENOENT;
            cur = w->ino;
            continue;
        }
        w->dir = dir;
        strcpy(w->name, name);
        w->d = d;
        w->ino = next;
        if (last) {
            if (next != NULL && trailing && !S_ISDIR(next->mode))
                return -ENOTDIR;
            return 0;
        }
        if (next == NULL)
            return -ENOENT;
        cur = next;
    }
}

/* The start directory of a *at() call: AT_FDCWD, or an open directory. */
static struct inode *at_dir(int dirfd, const char *path, int *err);

static int resolve(int dirfd, const char *path, bool follow, struct where *w)
{
    if (path == NULL)
        return -EFAULT;
    if (!init())
        return -EIO;
    int err = 0;
    struct inode *start = at_dir(dirfd, path, &err);
    if (start == NULL)
        return err;
    return resolve_in(start, path, follow, 0, w);
}

/* The absolute path of directory (dir) into (buf): 0 or -ERANGE. */
static int path_of(struct inode *dir, char *buf, size_t size)
{
    char tmp[PATH_MAX];
    size_t pos = sizeof(tmp) - 1;
    tmp[pos] = '\0';
    for (struct inode *i = dir; i != vfs.root && i->self != NULL; i = i->self->dir) {
        size_t n = strlen(i->self->name);
        if (n + 1 > pos)
            return -ERANGE;
        pos -= n;
        memcpy(tmp + pos, i->self->name, n);
        tmp[--pos] = '/';
    }
    if (pos == sizeof(tmp) - 1)
        tmp[--pos] = '/';
    if (sizeof(tmp) - pos > size)
        return -ERANGE;
    memcpy(buf, tmp + pos, sizeof(tmp) - pos);
    return 0;
}

static int fail(int rc)
{
    errno = -rc;
    return -1;
}

/* ---------------------------------------------------------------- start-up */

static bool init(void)
{
    if (vfs.init)
        return vfs.ok;
    vfs.init = true;
    vfs.hsize = 256;
    vfs.hash = calloc(vfs.hsize, sizeof(*vfs.hash));
    vfs.root = inode_new(S_IFDIR | 0755);
    if (vfs.hash == NULL || vfs.root == NULL) {
        xn_log(XN_LOG_ERR, "fs: no memory for the file system");
        return false;
    }
    vfs.root->nlink = 2;
    vfs.cwd = vfs.root;
    struct inode *dev = mkdir_in(vfs.root, "dev", 0755);
    struct inode *tmp = mkdir_in(vfs.root, "tmp", 01777);
    static const struct { const char *name; enum dev dev; } devs[] = {
        { "null", DEV_NULL }, { "zero", DEV_ZERO }, { "full", DEV_FULL },
        { "random", DEV_RANDOM }, { "urandom", DEV_RANDOM },
    };
    if (dev == NULL || tmp == NULL)
        return false;
    for (size_t k = 0; k < sizeof(devs) / sizeof(devs[0]); k++) {
        struct inode *i = inode_new(S_IFCHR | 0666);
        if (i == NULL || link_in(dev, devs[k].name, i) != 0)
            return false;
        i->dev = devs[k].dev;
    }
    vfs.ok = tarfs_populate();
    return vfs.ok;
}

/* mkdir -p of the normalised (path); the directory, or NULL. */
static struct inode *make_dirs(const char *path, size_t len)
{
    struct inode *cur = vfs.root;
    const char *p = path, *end = path + len;
    while (p < end) {
        const char *e = memchr(p, '/', (size_t)(end - p));
        size_t n = e != NULL ? (size_t)(e - p) : (size_t)(end - p);
        char name[NAME_LEN_MAX + 1];
        if (n == 0 || n > NAME_LEN_MAX)
            return NULL;
        memcpy(name, p, n);
        name[n] = '\0';
        struct dentry *d = find(cur, name);
        if (d != NULL && !S_ISDIR(d->ino->mode))
            return NULL;
        cur = d != NULL ? d->ino : mkdir_in(cur, name, 0755);
        if (cur == NULL)
            return NULL;
        p += n + (e != NULL ? 1 : 0);
    }
    return cur;
}

int vfs_add_dir(const char *path, unsigned mode, int64_t mtime)
{
    struct inode *d = make_dirs(path, strlen(path));
    if (d == NULL)
        return -1;
    if (d != vfs.root) {
        d->mode = S_IFDIR | (mode & 07777);
        d->mtime = d->ctime = (time_t)mtime;
    }
    return 0;
}

int vfs_add_file(const char *path, const void *data, uint64_t size, unsigned mode, int64_t mtime)
{
    const char *slash = strrchr(path, '/');
    struct inode *dir = slash != NULL ? make_dirs(path, (size_t)(slash - path)) : vfs.root;
    const char *name = slash != NULL ? slash + 1 : path;
    if (dir == NULL || name[0] == '\0' || strlen(name) > NAME_LEN_MAX || find(dir, name) != NULL ||
        size > SIZE_MAX)
        return -1;
    struct inode *i = inode_new(S_IFREG | (mode & 07777));
    if (i == NULL)
        return -1;
    i->ro = data;
    i->size = (size_t)size;
    i->mtime = i->ctime = i->atime = (time_t)mtime;
    if (link_in(dir, name, i) != 0) {
        inode_put(i);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- open files */

struct vfile {
    struct inode *ino;
    uint64_t off;
    /* A directory being read: the entries handed out so far. */
    size_t dirpos;
};

/* The file's bytes made writable, with room for (need) bytes: 0 or -ENOSPC. */
static int writable(struct inode *i, size_t need)
{
    if (i->data == NULL || need > i->cap) {
        size_t cap = i->cap < 4096 ? 4096 : i->cap;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        unsigned char *d = i->data != NULL ? realloc(i->data, cap) : malloc(cap);
        if (d == NULL)
            return -ENOSPC;
        if (i->data == NULL && i->ro != NULL)
            memcpy(d, i->ro, i->size);  /* first write: copy out of the archive */
        i->data = d;
        i->ro = NULL;
        i->cap = cap;
    }
    return 0;
}

static const unsigned char *bytes(const struct inode *i)
{
    return i->data != NULL ? i->data : i->ro;
}

static ssize_t dev_read(struct inode *i, void *buf, size_t n)
{
    switch (i->dev) {
    case DEV_NULL:
        return 0;
    case DEV_RANDOM:
        for (size_t done = 0; done < n;) {
            size_t k = n - done > 256 ? 256 : n - done;
            if (xn_entropy((char *)buf + done, k) != 0) {
                errno = EIO;
                return done > 0 ? (ssize_t)done : -1;
            }
            done += k;
        }
        return (ssize_t)n;
    default:
        memset(buf, 0, n);
        return (ssize_t)n;
    }
}

static ssize_t file_pread(struct inode *i, void *buf, size_t n, uint64_t off)
{
    if (S_ISDIR(i->mode)) {
        errno = EISDIR;
        return -1;
    }
    if (i->dev != DEV_NONE)
        return dev_read(i, buf, n);
    i->atime = now();
    if (off >= i->size)
        return 0;
    if (n > i->size - off)
        n = (size_t)(i->size - off);
    memcpy(buf, bytes(i) + off, n);
    return (ssize_t)n;
}

static ssize_t file_pwrite(struct inode *i, const void *buf, size_t n, uint64_t off)
{
    if (i->dev == DEV_FULL) {
        errno = ENOSPC;
        return -1;
    }
    if (i->dev != DEV_NONE)
        return (ssize_t)n;
    if (n == 0)
        return 0;
    if (off > SIZE_MAX - n || off + n > (uint64_t)SSIZE_MAX) {
        errno = EFBIG;
        return -1;
    }
    size_t end = (size_t)off + n;
    int rc = writable(i, end > i->size ? end : i->size);
    if (rc != 0) {
        errno = -rc;
        return -1;
    }
    if (off > i->size)
        memset(i->data + i->size, 0, (size_t)off - i->size);
    memcpy(i->data + off, buf, n);
    if (end > i->size)
        i->size = end;
    i->mtime = i->ctime = now();
    return (ssize_t)n;
}

static ssize_t f_read(void *obj, void *buf, size_t n, int flags)
{
    (void)flags;
    struct vfile *f = obj;
    ssize_t got = file_pread(f->ino, buf, n, f->off);
    if (got > 0 && f->ino->dev == DEV_NONE)
        f->off += (uint64_t)got;
    return got;
}

static ssize_t f_write(void *obj, const void *buf, size_t n, int flags)
{
    struct vfile *f = obj;
    if (flags & O_APPEND)
        f->off = f->ino->size;
    ssize_t put = file_pwrite(f->ino, buf, n, f->off);
    if (put > 0 && f->ino->dev == DEV_NONE)
        f->off += (uint64_t)put;
    return put;
}

static ssize_t f_pread(void *obj, void *buf, size_t n, off_t off)
{
    if (off < 0) {
        errno = EINVAL;
        return -1;
    }
    return file_pread(((struct vfile *)obj)->ino, buf, n, (uint64_t)off);
}

static ssize_t f_pwrite(void *obj, const void *buf, size_t n, off_t off)
{
    if (off < 0) {
        errno = EINVAL;
        return -1;
    }
    return file_pwrite(((struct vfile *)obj)->ino, buf, n, (uint64_t)off);
}

static int f_close(void *obj)
{
    struct vfile *f = obj;
    f->ino->open--;
    inode_put(f->ino);
    free(f);
    return 0;
}

static void fill_stat(const struct inode *i, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = i->mode;
    st->st_nlink = i->nlink;
    st->st_ino = i->ino;
    st->st_size = S_ISDIR(i->mode) ? 4096 : (off_t)i->size;
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t)((st->st_size + 511) / 512);
    st->st_atime = i->atime;
    st->st_mtime = i->mtime;
    st->st_ctime = i->ctime;
    st->st_dev = 1;
    if (i->dev != DEV_NONE)
        st->st_rdev = (dev_t)i->dev;
}

static int f_fstat(void *obj, struct stat *st)
{
    fill_stat(((struct vfile *)obj)->ino, st);
    return 0;
}

static off_t f_lseek(void *obj, off_t off, int whence)
{
    struct vfile *f = obj;
    if (f->ino->dev != DEV_NONE)
        return 0;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->off
                 : whence == SEEK_END ? (int64_t)f->ino->size : -1;
    if (base < 0 || (off < 0 && -off > base) || (off > 0 && off > INT64_MAX - base)) {
        errno = EINVAL;
        return -1;
    }
    f->off = (uint64_t)(base + off);
    if (S_ISDIR(f->ino->mode) && base + off == 0)
        f->dirpos = 0;
    return (off_t)f->off;
}

static short f_poll(void *obj, short want)
{
    (void)obj;
    return want & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);   /* always ready */
}

static int f_ioctl(void *obj, unsigned long req, void *arg)
{
    struct vfile *f = obj;
    if (req == (unsigned long)FIONREAD) {
        *(int *)arg = f->off < f->ino->size ? (int)(f->ino->size - f->off > INT_MAX ? INT_MAX : f->ino->size - f->off) : 0;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

static const struct fd_ops file_ops = {
    .kind = "file",
    .read = f_read,
    .write = f_write,
    .close = f_close,
    .fstat = f_fstat,
    .lseek = f_lseek,
    .poll = f_poll,
    .ioctl = f_ioctl,
    .pread = f_pread,
    .pwrite = f_pwrite,
};

static struct vfile *vfile_of(int fd)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return NULL;
    if (e->ops != &file_ops) {
        errno = EINVAL;
        return NULL;
    }
    return e->obj;
}

static struct inode *at_dir(int dirfd, const char *path, int *err)
{
    if (dirfd == AT_FDCWD || path[0] == '/')
        return vfs.cwd;
    struct fd_entry *e = fd_get(dirfd);
    if (e == NULL) {
        *err = -EBADF;
        return NULL;
    }
    if (e->ops != &file_ops || !S_ISDIR(((struct vfile *)e->obj)->ino->mode)) {
        *err = -ENOTDIR;
        return NULL;
    }
    return ((struct vfile *)e->obj)->ino;
}

/* ---------------------------------------------------------------- calls on paths */

static int open_inode(struct inode *i, int flags)
{
    struct vfile *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        errno = ENOMEM;
        return -1;
    }
    f->ino = i;
    int fd = fd_alloc(&file_ops, f, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    if (fd < 0) {
        free(f);
        return -1;
    }
    fd_get(fd)->cloexec = (flags & O_CLOEXEC) != 0;
    i->open++;
    return fd;
}

int openat(int dirfd, const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (path != NULL && strncmp(path, "/dev/", 5) == 0) {
        const char *n = path + 5;
        if (strcmp(n, "stdin") == 0 || strcmp(n, "stdout") == 0 || strcmp(n, "stderr") == 0)
            return dup(n[3] == 'i' ? 0 : n[3] == 'o' ? 1 : 2);
        if (strcmp(n, "tty") == 0 || strcmp(n, "console") == 0)    /* the console */
            return dup((flags & O_ACCMODE) == O_RDONLY ? 0 : 1);
        if (!init())
            return fail(-EIO);
        /* Another name there is a disk (blkdev.c). */
        struct dentry *dev = find(vfs.root, "dev");
        if ((dev == NULL || find(dev->ino, n) == NULL) && n[0] != '\0' && strchr(n, '/') == NULL &&
            !(flags & O_CREAT))
            return blkdev_open(n, flags);
    }
    struct where w;
    int rc = resolve(dirfd, path, !(flags & O_NOFOLLOW), &w);
    if (rc != 0)
        return fail(rc);
    struct inode *i = w.ino;
    if (i == NULL) {
        if (!(flags & O_CREAT))
            return fail(-ENOENT);
        if (w.name[0] == '\0')
            return fail(-EISDIR);
        i = inode_new(S_IFREG | (mode & 07777 & ~(mode_t)022));
        if (i == NULL)
            return fail(-ENOSPC);
        if (link_in(w.dir, w.name, i) != 0) {
            inode_put(i);
            return fail(-ENOSPC);
        }
    } else {
        if ((flags & O_CREAT) && (flags & O_EXCL))
            return fail(-EEXIST);
        if (S_ISLNK(i->mode))
            return fail(-ELOOP);        /* O_NOFOLLOW on a link */
        if ((flags & O_DIRECTORY) && !S_ISDIR(i->mode))
            return fail(-ENOTDIR);
        if (S_ISDIR(i->mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
            return fail(-EISDIR);
        if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY && i->dev == DEV_NONE) {
            free(i->data);
            i->data = NULL;
            i->ro = NULL;
            i->size = i->cap = 0;
            i->mtime = i->ctime = now();
        }
    }
    return open_inode(i, flags);
}

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

/* stat() of a disk name under /dev that is not one of ours. */
static int disk_stat(const char *path, struct stat *st)
{
    if (strncmp(path, "/dev/", 5) != 0 || strchr(path + 5, '/') != NULL)
        return 1;
    if (init()) {
        struct dentry *dev = find(vfs.root, "dev");
        if (dev != NULL && find(dev->ino, path + 5) != NULL)
            return 1;
    }
    int fd = blkdev_open(path + 5, O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fstat(fd, st);
    close(fd);
    return rc;
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    if (path != NULL) {
        int rc = disk_stat(path, st);
        if (rc <= 0)
            return rc;
    }
    struct where w;
    int rc = resolve(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    if (rc != 0)
        return fail(rc);
    fill_stat(w.ino, st);
    return 0;
}

int stat(const char *path, struct stat *st)
{
    return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
    return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
    struct where w;
    int rc = resolve(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    if (rc != 0)
        return fail(rc);
    /* root may read and write anything; executing needs an x bit. */
    if ((mode & X_OK) && !S_ISDIR(w.ino->mode) && !(w.ino->mode & 0111))
        return fail(-EACCES);
    return 0;
}

int access(const char *path, int mode)
{
    return faccessat(AT_FDCWD, path, mode, 0);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
    struct where w;
    int rc = resolve(dirfd, path, false, &w);
    if (rc != 0)
        return fail(rc);
    if (w.ino != NULL)
        return fail(-EEXIST);
    if (mkdir_in(w.dir, w.name, mode & ~(mode_t)022) == NULL)
        return fail(-ENOSPC);
    return 0;
}

int mkdir(const char *path, mode_t mode)
{
    return mkdirat(AT_FDCWD, path, mode);
}

static int do_rmdir(struct where *w)
{
    if (w->ino == NULL)
        return -ENOENT;
    if (!S_ISDIR(w->ino->mode))
        return -ENOTDIR;
    if (w->d == NULL)
        return w->ino == vfs.root ? -EBUSY : -EINVAL;   /* "/", ".", ".." */
    if (w->ino->nentries > 0)
        return -ENOTEMPTY;
    if (w->ino == vfs.cwd)
        vfs.cwd = parent_of(w->ino);
    unlink_dentry(w->d, true);
    return 0;
}

int unlinkat(int dirfd, const char *path, int flags)
{
    struct where w;
    int rc = resolve(dirfd, path, false, &w);
    if (rc != 0)
        return fail(rc);
    if (flags & AT_REMOVEDIR)
        rc = do_rmdir(&w);
    else if (w.ino == NULL)
        rc = -ENOENT;
    else if (S_ISDIR(w.ino->mode))
        rc = -EISDIR;
    else if (w.d == NULL)
        rc = -EINVAL;
    else
        unlink_dentry(w.d, true);
    return rc != 0 ? fail(rc) : 0;
}

int unlink(const char *path)
{
    return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
    return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int renameat(int olddir, const char *from, int newdir, const char *to)
{
    struct where a, b;
    int rc = resolve(olddir, from, false, &a);
    if (rc == 0 && (a.ino == NULL || a.d == NULL))
        rc = a.ino == NULL ? -ENOENT : -EBUSY;
    if (rc == 0)
        rc = resolve(newdir, to, false, &b);
    if (rc == 0 && b.name[0] == '\0')
        rc = -EBUSY;
    if (rc == 0 && (strcmp(b.name, ".") == 0 || strcmp(b.name, "..") == 0))
        rc = -EINVAL;
    if (rc != 0)
        return fail(rc);
    if (b.ino == a.ino)
        return 0;                       /* the same file: nothing to do */
    bool isdir = S_ISDIR(a.ino->mode);
    if (isdir) {
        /* Not into itself or below it. */
        for (struct inode *i = b.dir; ; i = parent_of(i)) {
            if (i == a.ino)
                return fail(-EINVAL);
            if (i == vfs.root)
                break;
        }
    }
    if (b.ino != NULL) {
        if (isdir && !S_ISDIR(b.ino->mode))
            return fail(-ENOTDIR);
        if (!isdir && S_ISDIR(b.ino->mode))
            return fail(-EISDIR);
        if (S_ISDIR(b.ino->mode) && b.ino->nentries > 0)
            return fail(-ENOTEMPTY);
    }
    /* Make the new entry first, so that a failure changes nothing. */
    char *name = strdup(b.name);
    if (name == NULL)
        return fail(-ENOSPC);
    if (b.d != NULL)
        unlink_dentry(b.d, true);
    struct dentry *d = a.d;
    struct inode *src = d->dir;
    detach(d);
    if (isdir) {
        src->nlink--;
        b.dir->nlink++;
    }
    free(d->name);
    d->name = name;
    d->dir = b.dir;
    d->next = b.dir->entries;
    b.dir->entries = d;
    b.dir->nentries++;
    hash_insert(d);
    src->mtime = src->ctime = b.dir->mtime = b.dir->ctime = a.ino->ctime = now();
    return 0;
}

int rename(const char *from, const char *to)
{
    return renameat(AT_FDCWD, from, AT_FDCWD, to);
}

int _rename_r(struct _reent *r, const char *from, const char *to)
{
    (void)r;
    return rename(from, to);
}

int linkat(int olddir, const char *from, int newdir, const char *to, int flags)
{
    struct where a, b;
    int rc = resolve(olddir, from, (flags & AT_SYMLINK_FOLLOW) != 0, &a);
    if (rc == 0 && a.ino == NULL)
        rc = -ENOENT;
    if (rc == 0 && S_ISDIR(a.ino->mode))
        rc = -EPERM;
    if (rc == 0)
        rc = resolve(newdir, to, false, &b);
    if (rc == 0 && b.ino != NULL)
        rc = -EEXIST;
    if (rc == 0 && link_in(b.dir, b.name, a.ino) != 0)
        rc = -ENOSPC;
    if (rc == 0)
        a.ino->ctime = now();
    return rc != 0 ? fail(rc) : 0;
}

int link(const char *from, const char *to)
{
    return linkat(AT_FDCWD, from, AT_FDCWD, to, 0);
}

int symlinkat(const char *target, int dirfd, const char *path)
{
    struct where w;
    if (target == NULL || target[0] == '\0')
        return fail(-ENOENT);
    int rc = resolve(dirfd, path, false, &w);
    if (rc != 0)
        return fail(rc);
    if (w.ino != NULL)
        return fail(-EEXIST);
    struct inode *i = inode_new(S_IFLNK | 0777);
    size_t n = strlen(target);
    if (i == NULL || writable(i, n + 1) != 0 || link_in(w.dir, w.name, i) != 0) {
        if (i != NULL)
            inode_put(i);
        return fail(-ENOSPC);
    }
    memcpy(i->data, target, n + 1);
    i->size = n;
    return 0;
}

int symlink(const char *target, const char *path)
{
    return symlinkat(target, AT_FDCWD, path);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
    struct where w;
    int rc = resolve(dirfd, path, false, &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    if (rc == 0 && !S_ISLNK(w.ino->mode))
        rc = -EINVAL;
    if (rc != 0)
        return fail(rc);
    size_t n = w.ino->size < len ? w.ino->size : len;
    memcpy(buf, bytes(w.ino), n);
    return (ssize_t)n;
}

ssize_t readlink(const char *path, char *buf, size_t len)
{
    return readlinkat(AT_FDCWD, path, buf, len);
}

char *realpath(const char *path, char *resolved)
{
    struct where w;
    int rc = resolve(AT_FDCWD, path, true, &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    if (rc != 0) {
        errno = -rc;
        return NULL;
    }
    char out[PATH_MAX];
    if (S_ISDIR(w.ino->mode)) {
        rc = path_of(w.ino, out, sizeof(out));
    } else {
        rc = path_of(w.dir, out, sizeof(out));
        size_t n = strlen(out);
        if (rc == 0 && n + strlen(w.name) + 2 > sizeof(out))
            rc = -ENAMETOOLONG;
        if (rc == 0)
            snprintf(out + n, sizeof(out) - n, "%s%s", n > 1 ? "/" : "", w.name);
    }
    if (rc != 0) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if (resolved == NULL)
        return strdup(out);
    strcpy(resolved, out);
    return resolved;
}

static int resize(struct inode *i, off_t len)
{
    if (len < 0)
        return -EINVAL;
    if (S_ISDIR(i->mode))
        return -EISDIR;
    if (i->dev != DEV_NONE)
        return 0;
    if ((uint64_t)len > SIZE_MAX / 2)
        return -EFBIG;
    size_t n = (size_t)len;
    if (n > i->size || i->data == NULL) {
        int rc = writable(i, n > i->size ? n : i->size);
        if (rc != 0)
            return rc;
        if (n > i->size)
            memset(i->data + i->size, 0, n - i->size);
    }
    i->size = n;
    i->mtime = i->ctime = now();
    return 0;
}

int truncate(const char *path, off_t len)
{
    struct where w;
    int rc = resolve(AT_FDCWD, path, true, &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    if (rc == 0)
        rc = resize(w.ino, len);
    return rc != 0 ? fail(rc) : 0;
}

int ftruncate(int fd, off_t len)
{
    struct fd_entry *e = fd_get(fd);
    if (e == NULL)
        return -1;
    if (e->ops != &file_ops || (e->flags & O_ACCMODE) == O_RDONLY)
        return fail(-EINVAL);
    int rc = resize(((struct vfile *)e->obj)->ino, len);
    return rc != 0 ? fail(rc) : 0;
}

static int set_mode(struct inode *i, mode_t mode)
{
    i->mode = (i->mode & S_IFMT) | (mode & 07777);
    i->ctime = now();
    return 0;
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
    struct where w;
    int rc = resolve(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    return rc != 0 ? fail(rc) : set_mode(w.ino, mode);
}

int chmod(const char *path, mode_t mode)
{
    return fchmodat(AT_FDCWD, path, mode, 0);
}

int fchmod(int fd, mode_t mode)
{
    struct vfile *f = vfile_of(fd);
    return f == NULL ? -1 : set_mode(f->ino, mode);
}

/* Everything belongs to root, the only user: only root may own it. */
static int owner(uid_t uid, gid_t gid)
{
    if ((uid != (uid_t)-1 && uid != 0) || (gid != (gid_t)-1 && gid != 0))
        return fail(-EINVAL);
    return 0;
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
    struct where w;
    int rc = resolve(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    return rc != 0 ? fail(rc) : owner(uid, gid);
}

int chown(const char *path, uid_t uid, gid_t gid) { return fchownat(AT_FDCWD, path, uid, gid, 0); }
int lchown(const char *path, uid_t uid, gid_t gid) { return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW); }

int fchown(int fd, uid_t uid, gid_t gid)
{
    return vfile_of(fd) == NULL ? -1 : owner(uid, gid);
}

static void set_times(struct inode *i, const struct timespec *ts)
{
    time_t t = now();
    for (int k = 0; k < 2; k++) {
        time_t v = ts == NULL || ts[k].tv_nsec == UTIME_NOW ? t : ts[k].tv_sec;
        if (ts != NULL && ts[k].tv_nsec == UTIME_OMIT)
            continue;
        if (k == 0)
            i->atime = v;
        else
            i->mtime = v;
    }
    i->ctime = t;
}

int utimensat(int dirfd, const char *path, const struct timespec *ts, int flags)
{
    struct where w;
    int rc = resolve(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    if (rc != 0)
        return fail(rc);
    set_times(w.ino, ts);
    return 0;
}

int futimens(int fd, const struct timespec *ts)
{
    struct vfile *f = vfile_of(fd);
    if (f == NULL)
        return -1;
    set_times(f->ino, ts);
    return 0;
}

int utimes(const char *path, const struct timeval *tv)
{
    struct timespec ts[2];
    if (tv != NULL)
        for (int k = 0; k < 2; k++)
            ts[k] = (struct timespec){ tv[k].tv_sec, tv[k].tv_usec * 1000 };
    return utimensat(AT_FDCWD, path, tv != NULL ? ts : NULL, 0);
}

int utime(const char *path, const struct utimbuf *t)
{
    struct timespec ts[2];
    if (t != NULL) {
        ts[0] = (struct timespec){ t->actime, 0 };
        ts[1] = (struct timespec){ t->modtime, 0 };
    }
    return utimensat(AT_FDCWD, path, t != NULL ? ts : NULL, 0);
}

int chdir(const char *path)
{
    struct where w;
    int rc = resolve(AT_FDCWD, path, true, &w);
    if (rc == 0 && w.ino == NULL)
        rc = -ENOENT;
    if (rc == 0 && !S_ISDIR(w.ino->mode))
        rc = -ENOTDIR;
    if (rc != 0)
        return fail(rc);
    vfs.cwd = w.ino;
    return 0;
}

int fchdir(int fd)
{
    struct vfile *f = vfile_of(fd);
    if (f == NULL)
        return -1;
    if (!S_ISDIR(f->ino->mode))
        return fail(-ENOTDIR);
    vfs.cwd = f->ino;
    return 0;
}

char *getcwd(char *buf, size_t size)
{
    if (!init()) {
        errno = EIO;
        return NULL;
    }
    char tmp[PATH_MAX];
    if (path_of(vfs.cwd, tmp, sizeof(tmp)) != 0) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if (buf == NULL)
        return size == 0 || size > strlen(tmp) ? strdup(tmp) : (errno = ERANGE, NULL);
    if (size <= strlen(tmp)) {
        errno = size == 0 ? EINVAL : ERANGE;
        return NULL;
    }
    strcpy(buf, tmp);
    return buf;
}

static void fill_statvfs(struct statvfs *s)
{
    uintptr_t hs, he;
    xn_heap_region(&hs, &he);
    struct mallinfo mi = mallinfo();
    unsigned long total = (unsigned long)((he - hs) / 4096);
    unsigned long used = (unsigned long)(mi.uordblks / 4096);
    memset(s, 0, sizeof(*s));
    s->f_bsize = s->f_frsize = 4096;
    s->f_blocks = total;
    s->f_bfree = s->f_bavail = total > used ? total - used : 0;
    s->f_files = vfs.inodes + s->f_bfree;
    s->f_ffree = s->f_favail = s->f_bfree;
    s->f_namemax = NAME_LEN_MAX;
}

int statvfs(const char *path, struct statvfs *s)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    fill_statvfs(s);
    return 0;
}

int fstatvfs(int fd, struct statvfs *s)
{
    if (fd_get(fd) == NULL)
        return -1;
    fill_statvfs(s);
    return 0;
}

int mkfifo(const char *path, mode_t mode)
{
    (void)path, (void)mode;
    errno = ENOTSUP;                    /* pipe() gives in-guest pipes */
    return -1;
}

/* ---------------------------------------------------------------- directories */

struct xn_dir {
    int fd;
    struct dirent ent;
};

DIR *fdopendir(int fd)
{
    struct vfile *f = vfile_of(fd);
    if (f == NULL)
        return NULL;
    if (!S_ISDIR(f->ino->mode)) {
        errno = ENOTDIR;
        return NULL;
    }
    DIR *d = calloc(1, sizeof(*d));
    if (d == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    d->fd = fd;
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

/* The entries, newest first; ".." and "." are not listed. */
struct dirent *readdir(DIR *d)
{
    struct vfile *f = vfile_of(d->fd);
    if (f == NULL)
        return NULL;
    struct dentry *e = f->ino->entries;
    for (size_t k = 0; e != NULL && k < f->dirpos; k++)
        e = e->next;
    for (; e != NULL; e = e->next) {
        f->dirpos++;
        if (strlen(e->name) >= sizeof(d->ent.d_name))
            continue;
        d->ent.d_ino = e->ino->ino;
        d->ent.d_type = S_ISDIR(e->ino->mode) ? DT_DIR : S_ISLNK(e->ino->mode) ? DT_LNK :
                        S_ISCHR(e->ino->mode) ? DT_CHR : DT_REG;
        strcpy(d->ent.d_name, e->name);
        return &d->ent;
    }
    return NULL;
}

void rewinddir(DIR *d)
{
    struct vfile *f = vfile_of(d->fd);
    if (f != NULL)
        f->dirpos = 0;
}

long telldir(DIR *d)
{
    struct vfile *f = vfile_of(d->fd);
    return f != NULL ? (long)f->dirpos : -1;
}

void seekdir(DIR *d, long pos)
{
    struct vfile *f = vfile_of(d->fd);
    if (f != NULL && pos >= 0)
        f->dirpos = (size_t)pos;
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
