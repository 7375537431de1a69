/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tar parser (lib/fs/tar.c) on archives built here block by block:
 * files, directories (given and implied), GNU long names, pax paths,
 * prefixes, and each kind of bad archive refused with a message; an
 * archive of many unique deep paths (tens of thousands of implied
 * directories) parsed at once, and one that implies too many refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../lib/fs/tar.h"

static unsigned char ar[4096 * 512];    /* 2 MiB: the deep-path archives */
static size_t len;
static char err[200];

static void header(const char *name, char type, size_t size, const char *prefix)
{
    unsigned char *h = ar + len;
    memset(h, 0, 512);
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 124, 12, "%011zo", size);
    snprintf((char *)h + 136, 12, "%011o", 1700000000);
    h[156] = (unsigned char)type;
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    if (prefix)
        snprintf((char *)h + 345, 155, "%s", prefix);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    len += 512;
}

static void data(const void *d, size_t n)
{
    memcpy(ar + len, d, n);
    len += (n + 511) / 512 * 512;
}

static void file(const char *name, const char *content)
{
    header(name, '0', strlen(content), NULL);
    data(content, strlen(content));
}

static int parse(struct tar_fs *fs)
{
    err[0] = '\0';
    return tar_parse(ar, len + 1024, fs, err, sizeof(err));   /* + the two zero blocks */
}

static void reset(void)
{
    memset(ar, 0, sizeof(ar));
    len = 0;
}

static void test_files(void)
{
    struct tar_fs fs;
    reset();
    header("./", '5', 0, NULL);
    file("./index.html", "<h1>hi</h1>\n");
    file("./sub/deep/a.txt", "deep");           /* sub and sub/deep only implied */
    header("www/", '5', 0, NULL);
    header("b.txt", '0', 3, "www");              /* ustar prefix */
    data("bee", 3);
    CHECK(tar_detect(ar, len) == 1);
    CHECK(parse(&fs) == 0);
    const struct tar_entry *e = tar_lookup(&fs, "index.html");
    CHECK(e != NULL && e->size == 12 && memcmp(e->data, "<h1>hi</h1>\n", 12) == 0 && !e->dir);
    CHECK(e != NULL && e->mode == 0644 && e->mtime == 1700000000);
    e = tar_lookup(&fs, "sub");
    CHECK(e != NULL && e->dir && e->implied);
    CHECK(tar_lookup(&fs, "sub/deep") != NULL && tar_lookup(&fs, "sub/deep")->dir);
    e = tar_lookup(&fs, "sub/deep/a.txt");
    CHECK(e != NULL && e->size == 4);
    e = tar_lookup(&fs, "www/b.txt");
    CHECK(e != NULL && memcmp(e->data, "bee", 3) == 0);
    CHECK(tar_lookup(&fs, "www") != NULL && !tar_lookup(&fs, "www")->implied);
    CHECK(tar_lookup(&fs, "nope") == NULL);
    CHECK(fs.n == 6);
    tar_free(&fs);
}

static void test_long_names(void)
{
    struct tar_fs fs;
    char longname[300];
    memset(longname, 'x', 250);
    strcpy(longname + 250, ".txt");
    reset();
    header("././@LongLink", 'L', strlen(longname) + 1, NULL);
    data(longname, strlen(longname) + 1);
    file("xxxxxxxx-truncated", "long");
    const char pax[] = "30 path=pax/name/from/pax.txt\n";
    header("PaxHeader", 'x', strlen(pax), NULL);
    data(pax, strlen(pax));
    file("ignored-name", "pax");
    header("link", '2', 0, NULL);               /* symlinks are skipped */
    CHECK(parse(&fs) == 0);
    CHECK(tar_lookup(&fs, longname) != NULL);
    CHECK(tar_lookup(&fs, "pax/name/from/pax.txt") != NULL);
    CHECK(tar_lookup(&fs, "ignored-name") == NULL && tar_lookup(&fs, "link") == NULL);
    tar_free(&fs);
}

static void test_bad(void)
{
    struct tar_fs fs;
    reset();
    file("a.txt", "hello");
    ar[148] ^= 1;                               /* checksum */
    CHECK(parse(&fs) == -1 && strstr(err, "checksum") != NULL);
    reset();
    file("a.txt", "hello");
    CHECK(tar_parse(ar, 600, &fs, err, sizeof(err)) == 0);      /* data within the archive */
    tar_free(&fs);
    reset();
    header("big", '0', 100000, NULL);
    CHECK(parse(&fs) == -1 && strstr(err, "past the end") != NULL);
    reset();
    file("../etc/passwd", "x");
    CHECK(parse(&fs) == -1 && strstr(err, "'..'") != NULL);
    reset();
    file("a", "x");
    file("a/b", "y");
    CHECK(parse(&fs) == -1 && strstr(err, "both a file and a directory") != NULL);
    reset();
    file("a.txt", "x");
    memcpy(ar + 257, "notus", 5);
    CHECK(parse(&fs) == -1 && strstr(err, "not a ustar") != NULL);
    reset();
    header("a", '0', 0, NULL);
    memcpy(ar + 124, "12x45678901", 11);        /* a size that is not octal */
    memset(ar + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += ar[i];
    snprintf((char *)ar + 148, 8, "%06o", sum);
    CHECK(parse(&fs) == -1 && strstr(err, "bad size") != NULL);
    /* A later entry replaces an earlier one, as tar extracts. */
    reset();
    file("same.txt", "old");
    file("same.txt", "new");
    CHECK(parse(&fs) == 0 && fs.n == 1 && memcmp(tar_lookup(&fs, "same.txt")->data, "new", 3) == 0);
    tar_free(&fs);
}

static void test_normalise(void)
{
    char out[64];
    CHECK(tar_normalise("/a//b/./c/", out, sizeof(out)) == 0 && strcmp(out, "a/b/c") == 0);
    CHECK(tar_normalise("/a/../../b", out, sizeof(out)) == 0 && strcmp(out, "b") == 0);
    CHECK(tar_normalise("/", out, sizeof(out)) == 0 && strcmp(out, "") == 0);
    CHECK(tar_normalise("a/b/..", out, sizeof(out)) == 0 && strcmp(out, "a") == 0);
    CHECK(tar_normalise("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out,
                        sizeof(out)) == -1);
}

/* (n) files, each under its own chain of (depth) directories. */
static void deep_archive(unsigned n, unsigned depth)
{
    char name[TAR_PATH_MAX];
    reset();
    for (unsigned i = 0; i < n; i++) {
        int at = snprintf(name, sizeof(name), "f%04u", i);
        for (unsigned d = 1; d < depth; d++)
            at += snprintf(name + at, sizeof(name) - (size_t)at, "/a");
        snprintf(name + at, sizeof(name) - (size_t)at, "/x");
        header("././@LongLink", 'L', strlen(name) + 1, NULL);
        data(name, strlen(name) + 1);
        file("x", "");
    }
}

static void test_deep_paths(void)
{
    struct tar_fs fs;
    deep_archive(600, 95);              /* 600 * 95 = 57,000 implied directories */
    CHECK(parse(&fs) == 0);
    CHECK(fs.n == 600 + 600 * 95);
    const struct tar_entry *e = tar_lookup(&fs, "f0599/a/a/a");
    CHECK(e != NULL && e->dir);
    char name[TAR_PATH_MAX];
    int at = snprintf(name, sizeof(name), "f0007");
    for (unsigned d = 1; d < 95; d++)
        at += snprintf(name + at, sizeof(name) - (size_t)at, "/a");
    snprintf(name + at, sizeof(name) - (size_t)at, "/x");
    e = tar_lookup(&fs, name);
    CHECK(e != NULL && !e->dir);
    if (fs.e != NULL)
        tar_free(&fs);
    deep_archive(700, 95);              /* 66,500: more than TAR_MAX_ENTRIES */
    CHECK(parse(&fs) == -1);
    CHECK(strstr(err, "too many entries") != NULL);
}

int main(void)
{
    RUN(test_files);
    RUN(test_long_names);
    RUN(test_bad);
    RUN(test_normalise);
    RUN(test_deep_paths);
    return tests_failed != 0;
}
