/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: the tar parser (lib/fs/tar.c), the read-only file
 * system's reader of an untrusted boot module or disk. Whatever it
 * accepts must have every file's data inside the archive, normalised
 * paths without "..", and be found again by lookup.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/fs/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tar_fs fs;
    char err[200];
    uint8_t *copy = malloc(size ? size : 1);    /* exactly (size): overreads are caught */
    memcpy(copy, data, size);
    err[0] = '\0';
    if (tar_parse(copy, size, &fs, err, sizeof(err)) != 0) {
        if (err[0] == '\0')
            __builtin_trap();
        free(copy);
        return 0;
    }
    for (size_t i = 0; i < fs.n; i++) {
        const struct tar_entry *e = &fs.e[i];
        if (!e->dir && (e->data < copy || e->size > size || e->data + e->size > copy + size))
            __builtin_trap();
        if (e->path[0] == '/' || strstr(e->path, "//") != NULL || tar_lookup(&fs, e->path) != e)
            __builtin_trap();
        size_t l = strlen(e->path);
        if (l == 0 || e->path[l - 1] == '/')
            __builtin_trap();
        for (const char *p = e->path; (p = strstr(p, "..")) != NULL; p += 2)
            if ((p == e->path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
                __builtin_trap();
        volatile uint8_t sink = 0;
        for (uint64_t k = 0; k < e->size; k += 509)
            sink ^= e->data[k];
        (void)sink;
    }
    tar_free(&fs);
    free(copy);
    return 0;
}
