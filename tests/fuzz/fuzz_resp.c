/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: kvstore's RESP request parser and glob matcher
 * (apps/kvstore/resp.c), which read what clients send. Every request it
 * accepts must lie inside the input, with every argument inside it too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/kvstore/resp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct resp_cmd c;
    char *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    size_t off = 0;
    while (off < size) {
        const char *err = NULL;
        long n = resp_parse(buf + off, size - off, 4096, 65536, &c, &err);
        if (n < 0) {
            if (err == NULL)
                __builtin_trap();
            break;
        }
        if (n == 0)
            break;
        if ((size_t)n > size - off || c.argc < 0 || c.argc > RESP_MAX_ARGS)
            __builtin_trap();
        for (int i = 0; i < c.argc; i++) {
            if (c.argv[i] < buf + off || c.argv[i] + c.len[i] > buf + off + n)
                __builtin_trap();
        }
        if (c.argc >= 2)
            resp_glob(c.argv[0], c.len[0] > 64 ? 64 : c.len[0], c.argv[1], c.len[1]);
        off += (size_t)n;
    }
    free(buf);
    return 0;
}
