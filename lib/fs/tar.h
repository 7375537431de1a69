/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tar.c: a parser of tar archives (POSIX ustar, with GNU long names and
 * pax path records, as GNU tar writes them). Pure, so host tests and a
 * fuzzer run it. The archive is untrusted: every header is checked
 * (checksum, octal fields, sizes within the archive, paths), and the
 * first bad one fails the whole parse with a message that names it.
 */
#ifndef XENOLITH_TAR_H
#define XENOLITH_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAR_PATH_MAX 1024
#define TAR_MAX_ENTRIES 65536

struct tar_entry {
    char *path;                         /* normalised: "a/b", no leading or trailing '/' */
    const uint8_t *data;                /* in the archive */
    uint64_t size;
    uint32_t mode;                      /* permission bits */
    int64_t mtime;
    bool dir;                           /* a directory (also for ones only implied by paths) */
    bool implied;                       /* no entry of its own: implied by a path */
    size_t seq;                         /* its place in the archive */
};

struct tar_fs {
    struct tar_entry *e;                /* sorted by path */
    size_t n;
};

/* 1 if (buf) starts with a ustar header, else 0. */
int tar_detect(const void *buf, size_t len);
/* For reading an archive from a disk: the header block (512 bytes) at the
 * start of a member: 0 with (*span) its bytes (header and data), 1 for
 * the end of the archive, -1 when it is not a header. */
int tar_header_span(const void *hdr, uint64_t *span);
/* Parse (buf): 0 with (fs) filled, or -1 with (err) set. */
int tar_parse(const void *buf, size_t len, struct tar_fs *fs, char *err, size_t errlen);
void tar_free(struct tar_fs *fs);
/* The entry for (path) (normalised as above; "" is the root), or NULL. */
const struct tar_entry *tar_lookup(const struct tar_fs *fs, const char *path);
/* Normalise an absolute or relative path (from "/") into (out): 0, or -1
 * when it is too long. ".." never climbs above the root. */
int tar_normalise(const char *path, char *out, size_t outlen);

#endif
