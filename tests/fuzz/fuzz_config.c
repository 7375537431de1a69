/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: the configuration's parsers of outside input
 * (kernel/config_parse.c, kernel/config_tree.c). An input starting with
 * the FDT magic is merged as a DTB boot module; any other is split at
 * '\n' into key=value lines, as the command line and Xenstore give them.
 * Whatever is accepted must be in the tree afterwards, and every value in
 * the tree must pass the schema's check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

static int recheck(const char *key, const char *value, void *arg)
{
    char err[200];
    (void)arg;
    if (cfg_check(key, value, err, sizeof(err)) != 0)
        __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfg_tree t;
    char err[200];

    if (cfg_tree_init(&t) != 0)
        return 0;
    if (size >= 4 && data[0] == 0xd0 && data[1] == 0x0d && data[2] == 0xfe && data[3] == 0xed) {
        void *copy = malloc(size);      /* exactly (size) bytes: overreads are caught */
        memcpy(copy, data, size);
        err[0] = '\0';
        if (cfg_tree_merge_dtb(&t, copy, size, err, sizeof(err)) != 0 && err[0] == '\0')
            __builtin_trap();
        free(copy);
    } else {
        char *text = malloc(size + 1);
        memcpy(text, data, size);
        text[size] = '\0';
        for (char *line = text, *next; line != NULL; line = next) {
            next = strchr(line, '\n');
            if (next != NULL)
                *next++ = '\0';
            char *eq = strchr(line, '=');
            if (eq == NULL)
                continue;
            *eq = '\0';
            err[0] = '\0';
            int rc = cfg_check(line, eq + 1, err, sizeof(err));
            if (rc != 0 && err[0] == '\0')
                __builtin_trap();
            if (rc == 0 && cfg_tree_set(&t, line, eq + 1) == 0) {
                const char *got = cfg_tree_get(&t, line);
                if (got == NULL || strcmp(got, eq + 1) != 0)
                    __builtin_trap();
            }
        }
        free(text);
    }
    cfg_tree_each(&t, recheck, NULL);
    cfg_tree_free(&t);
    return 0;
}
