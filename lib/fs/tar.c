/* SPDX-License-Identifier: BSD-2-Clause */
/* The tar parser: see tar.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

#define BLOCK 512

struct hdr {
    char name[100], mode[8], uid[8], gid[8], size[12], mtime[12], chksum[8], type;
    char linkname[100], magic[6], version[2], uname[32], gname[32], devmajor[8], devminor[8];
    char prefix[155], pad[12];
};
_Static_assert(sizeof(struct hdr) == BLOCK, "tar header is one block");

int tar_detect(const void *buf, size_t len)
{
    return len >= BLOCK && memcmp((const char *)buf + 257, "ustar", 5) == 0;
}

/* An octal field (spaces or NULs around the digits), or GNU base-256. */
static int number(const char *f, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    if ((unsigned char)f[0] == 0x80) {  /* base-256, positive */
        for (i = 1; i < len; i++) {
            if (v >> 56)
                return -1;
            v = v << 8 | (unsigned char)f[i];
        }
    } else {
        while (i < len && f[i] == ' ')
            i++;
        size_t digits = 0;
        for (; i < len && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
            if (v >> 60)
                return -1;
            v = v * 8 + (uint64_t)(f[i] - '0');
        }
        for (; i < len; i++)
            if (f[i] != ' ' && f[i] != '\0')
                return -1;
        if (digits == 0)
            return -1;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

static bool is_zero_block(const uint8_t *b)
{
    for (size_t i = 0; i < BLOCK; i++)
        if (b[i] != 0)
            return false;
    return true;
}

int tar_header_span(const void *hdr, uint64_t *span)
{
    const struct hdr *h = hdr;
    uint64_t size;
    if (is_zero_block(hdr))
        return 1;
    if (memcmp(h->magic, "ustar", 5) != 0 || number(h->size, sizeof(h->size), UINT64_MAX >> 1, &size) != 0)
        return -1;
    *span = BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
    return 0;
}

int tar_normalise(const char *path, char *out, size_t outlen)
{
    size_t n = 0;
    const char *p = path;
    while (*p != '\0') {
        while (*p == '/')
            p++;
        const char *s = p;
        while (*p != '\0' && *p != '/')
            p++;
        size_t len = (size_t)(p - s);
        if (len == 0 || (len == 1 && s[0] == '.'))
            continue;
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--;                    /* the '/' before it */
            continue;
        }
        if (n + (n > 0) + len + 1 > outlen)
            return -1;
        if (n > 0)
            out[n++] = '/';
        memcpy(out + n, s, len);
        n += len;
    }
    if (outlen == 0)
        return -1;
    out[n] = '\0';
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct tar_entry *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c != 0 ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int fail(char *err, size_t errlen, size_t index, const char *name, const char *why)
{
    snprintf(err, errlen, "tar entry %zu%s%.80s%s: %s", index, name ? " ('" : "", name ? name : "",
             name ? "')" : "", why);
    return -1;
}

/* A pax extended header's "path" record, if any, into (out). */
static int pax_path(const uint8_t *d, uint64_t size, char *out, size_t outlen, bool *found)
{
    uint64_t off = 0;
    while (off < size) {
        uint64_t len = 0, i = off;
        while (i < size && d[i] >= '0' && d[i] <= '9' && len < 1000000)
            len = len * 10 + (uint64_t)(d[i++] - '0');
        if (i >= size || d[i] != ' ' || len == 0 || len > size - off || d[off + len - 1] != '\n')
            return -1;
        const char *kv = (const char *)d + i + 1;
        size_t kvlen = (size_t)(off + len - 1 - (i + 1));
        if (kvlen > 5 && memcmp(kv, "path=", 5) == 0) {
            if (kvlen - 5 >= outlen || memchr(kv + 5, '\0', kvlen - 5) != NULL)
                return -1;
            memcpy(out, kv + 5, kvlen - 5);
            out[kvlen - 5] = '\0';
            *found = true;
        }
        off += len;
    }
    return 0;
}

static int add(struct tar_fs *fs, size_t *cap, const char *path, const uint8_t *data,
               uint64_t size, uint32_t mode, int64_t mtime, bool dir)
{
    if (fs->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct tar_entry *e = realloc(fs->e, ncap * sizeof(*e));
        if (e == NULL)
            return -1;
        fs->e = e;
        *cap = ncap;
    }
    char *p = strdup(path);
    if (p == NULL)
        return -1;
    fs->e[fs->n] = (struct tar_entry){ p, data, size, mode, mtime, dir, data == NULL && dir, fs->n };
    fs->n++;
    return 0;
}

static size_t path_hash(const char *p)
{
    size_t h = 2166136261u;             /* FNV-1a */
    for (; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

/* Double the set of implied directories (entries [first, fs->n)). */
static int grow_set(const struct tar_fs *fs, size_t first, uint32_t **ht, size_t *hcap)
{
    size_t ncap = *hcap * 2;
    uint32_t *n = calloc(ncap, sizeof(*n));
    if (n == NULL)
        return -1;
    for (size_t i = first; i < fs->n; i++) {
        size_t k = path_hash(fs->e[i].path) & (ncap - 1);
        while (n[k] != 0)
            k = (k + 1) & (ncap - 1);
        n[k] = (uint32_t)(i + 1);
    }
    free(*ht);
    *ht = n;
    *hcap = ncap;
    return 0;
}

int tar_parse(const void *buf, size_t len, struct tar_fs *fs, char *err, size_t errlen)
{
    const uint8_t *b = buf;
    size_t off = 0, index = 0, cap = 0;
    char longname[TAR_PATH_MAX], path[TAR_PATH_MAX], raw[TAR_PATH_MAX];
    bool have_long = false;

    fs->e = NULL;
    fs->n = 0;
    while (off + BLOCK <= len) {
        const struct hdr *h = (const struct hdr *)(b + off);
        if (is_zero_block(b + off))
            break;                      /* the end (two zero blocks; one is enough) */
        index++;
        if (memcmp(h->magic, "ustar", 5) != 0) {
            tar_free(fs);
            return fail(err, errlen, index, NULL, "not a ustar header");
        }
        uint64_t sum, want = 0;
        for (size_t i = 0; i < BLOCK; i++)
            want += (i >= 148 && i < 156) ? ' ' : b[off + i];
        if (number(h->chksum, sizeof(h->chksum), 0777777, &sum) != 0 || sum != want) {
            tar_free(fs);
            return fail(err, errlen, index, NULL, "bad header checksum");
        }
        uint64_t size, mode = 0, mtime = 0;
        if (number(h->size, sizeof(h->size), UINT64_MAX, &size) != 0) {
            tar_free(fs);
            return fail(err, errlen, index, NULL, "bad size field");
        }
        number(h->mode, sizeof(h->mode), 07777777, &mode);
        number(h->mtime, sizeof(h->mtime), INT64_MAX, &mtime);
        uint64_t space = len - off - BLOCK;
        if (size > space) {
            tar_free(fs);
            return fail(err, errlen, index, NULL, "its data runs past the end of the archive");
        }
        const uint8_t *data = b + off + BLOCK;
        uint64_t next = off + BLOCK + ((size + BLOCK - 1) / BLOCK) * BLOCK;
        if (next > len)
            next = len;

        if (h->type == 'L' || h->type == 'x') {         /* a long name for the next entry */
            bool found = h->type == 'L';
            if (h->type == 'L') {
                if (size == 0 || size >= sizeof(longname)) {
                    tar_free(fs);
                    return fail(err, errlen, index, NULL, "long name too long");
                }
                memcpy(longname, data, (size_t)size);
                longname[size] = '\0';
                if (strlen(longname) == 0) {
                    tar_free(fs);
                    return fail(err, errlen, index, NULL, "empty long name");
                }
            } else if (pax_path(data, size, longname, sizeof(longname), &found) != 0) {
                tar_free(fs);
                return fail(err, errlen, index, NULL, "malformed pax header");
            }
            have_long |= found;
            off = (size_t)next;
            continue;
        }
        if (have_long) {
            snprintf(raw, sizeof(raw), "%s", longname);
            have_long = false;
        } else {
            int nl = (int)strnlen(h->name, sizeof(h->name));
            int pl = (int)strnlen(h->prefix, sizeof(h->prefix));
            if (pl > 0)
                snprintf(raw, sizeof(raw), "%.*s/%.*s", pl, h->prefix, nl, h->name);
            else
                snprintf(raw, sizeof(raw), "%.*s", nl, h->name);
        }
        if (tar_normalise(raw, path, sizeof(path)) != 0) {
            tar_free(fs);
            return fail(err, errlen, index, raw, "path too long");
        }
        if (strstr(raw, "..") != NULL) {
            /* ".." components would let an archive place files anywhere. */
            for (const char *p = raw; (p = strstr(p, "..")) != NULL; p += 2)
                if ((p == raw || p[-1] == '/') && (p[2] == '\0' || p[2] == '/')) {
                    tar_free(fs);
                    return fail(err, errlen, index, raw, "path has a '..' component");
                }
        }
        bool dir = h->type == '5';
        if (h->type == '0' || h->type == '\0' || h->type == '7' || dir) {
            if (path[0] != '\0' &&
                add(fs, &cap, path, data, dir ? 0 : size, (uint32_t)mode & 07777, (int64_t)mtime, dir) != 0) {
                tar_free(fs);
                return fail(err, errlen, index, raw, "out of memory");
            }
            if (fs->n > TAR_MAX_ENTRIES) {
                tar_free(fs);
                return fail(err, errlen, index, raw, "too many entries");
            }
        }
        /* Links, devices and FIFOs are skipped: this file system holds
         * regular files and directories. */
        off = (size_t)next;
    }
    /* Directories implied by the paths of files: found through a hash
     * set (a linear scan is quadratic in a hostile archive's many deep
     * paths), and counted in the entry limit like the others. */
    size_t files = fs->n, hcap = 1024;
    uint32_t *ht = calloc(hcap, sizeof(*ht));   /* entry index + 1; 0: empty */
    if (ht == NULL) {
        tar_free(fs);
        return fail(err, errlen, 0, "", "out of memory");
    }
    for (size_t i = 0; i < files; i++) {
        snprintf(path, sizeof(path), "%s", fs->e[i].path);
        char *slash;
        while ((slash = strrchr(path, '/')) != NULL) {
            *slash = '\0';
            size_t h = path_hash(path) & (hcap - 1);
            bool known = false;
            for (; ht[h] != 0 && !known; h = (h + 1) & (hcap - 1))
                known = strcmp(fs->e[ht[h] - 1].path, path) == 0;
            if (known)
                break;
            const char *why = NULL;
            if (fs->n >= TAR_MAX_ENTRIES)
                why = "too many entries (with the directories their paths imply)";
            else if (add(fs, &cap, path, NULL, 0, 0755, 0, true) != 0)
                why = "out of memory";
            else if ((fs->n - files) * 2 > hcap)
                why = grow_set(fs, files, &ht, &hcap) != 0 ? "out of memory" : NULL;
            else
                ht[h] = (uint32_t)fs->n;    /* the empty slot the probe ended on */
            if (why != NULL) {
                free(ht);
                tar_free(fs);
                return fail(err, errlen, i, path, why);
            }
        }
    }
    free(ht);
    if (fs->n > 1)
        qsort(fs->e, fs->n, sizeof(*fs->e), cmp_entry);
    /* Later entries replace earlier ones with the same path (as tar
     * extracts them); a directory and a file of one name is an error. */
    size_t w = 0;
    for (size_t r = 0; r < fs->n; r++) {
        if (w > 0 && strcmp(fs->e[w - 1].path, fs->e[r].path) == 0) {
            if (fs->e[w - 1].dir != fs->e[r].dir) {
                char name[128];
                snprintf(name, sizeof(name), "%s", fs->e[r].path);
                /* [w, r) are stale copies: free the rest once each. */
                memmove(fs->e + w, fs->e + r, (fs->n - r) * sizeof(*fs->e));
                fs->n = w + (fs->n - r);
                tar_free(fs);
                snprintf(err, errlen, "tar: '%.80s' is both a file and a directory", name);
                return -1;
            }
            if (!fs->e[r].implied) {    /* the later entry wins */
                free(fs->e[w - 1].path);
                fs->e[w - 1] = fs->e[r];
            } else {
                free(fs->e[r].path);
            }
            continue;
        }
        fs->e[w++] = fs->e[r];
    }
    fs->n = w;
    return 0;
}

void tar_free(struct tar_fs *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        free(fs->e[i].path);
    free(fs->e);
    fs->e = NULL;
    fs->n = 0;
}

const struct tar_entry *tar_lookup(const struct tar_fs *fs, const char *path)
{
    size_t lo = 0, hi = fs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(fs->e[mid].path, path);
        if (c == 0)
            return &fs->e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
