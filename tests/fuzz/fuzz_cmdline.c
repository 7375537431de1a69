/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: the command line (kernel/cmdline.c), untrusted input
 * from the toolstack. Besides crashes and sanitizer reports, it checks
 * the parser's promises: on success argv is NULL-terminated, every option
 * has a non-empty key and can be found again; on failure there is an
 * error message.
 */
#include <stdint.h>
#include <string.h>

#include "kernel.h"

static struct cmdline cl;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char src[CMDLINE_MAX + 64], err[160];

    if (size >= sizeof(src))
        size = sizeof(src) - 1;
    memcpy(src, data, size);
    src[size] = '\0';
    int rc = cmdline_parse(&cl, src, "app", err, sizeof(err));
    if (rc != 0) {
        if (err[0] == '\0')
            __builtin_trap();
        return 0;
    }
    if (cl.argc < 1 || cl.argc > CMDLINE_MAX_ARGS || cl.argv[cl.argc] != NULL ||
        strcmp(cl.argv[0], "app") != 0)
        __builtin_trap();
    for (int i = 0; i < cl.nopts; i++) {
        if (cl.opts[i].key[0] == '\0')
            __builtin_trap();
        const char *v = cmdline_get(&cl, cl.opts[i].key);
        if (v != cl.opts[i].value)
            __builtin_trap();
    }
    if (cmdline_first_unused(&cl) != NULL)
        __builtin_trap();
    return 0;
}
