/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: httpd's request parser (apps/httpd/http_parse.c),
 * which reads what clients send. An accepted request must end within the
 * input, and its path must be a NUL-free absolute path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/httpd/http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_req r;
    char *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    int n = http_parse(copy, size, &r);
    if (n > 0) {
        if ((size_t)n > size || r.path[0] != '/' || strlen(r.path) >= HTTP_MAX_PATH)
            __builtin_trap();
        if (r.minor < 0 || r.minor > 9)
            __builtin_trap();
    } else if (n < 0 && n != -400 && n != -414 && n != -431 && n != -505) {
        __builtin_trap();
    }
    http_content_type(r.path[0] == '/' && n > 0 ? r.path : "/x.html");
    free(copy);
    return 0;
}
