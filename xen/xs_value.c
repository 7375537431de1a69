/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parsing values read from Xenstore (pure; host-tested and fuzzed by
 * tests/fuzz/fuzz_xs_value.c). Values are untrusted: a number is plain
 * decimal digits, no sign, no spaces, no leading zeros (except "0"), and
 * at most (max).
 */
#include <errno.h>
#include <stddef.h>

#include "xs_value.h"

int xs_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (s == NULL || s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
        return -EINVAL;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -EINVAL;
        unsigned d = (unsigned)(*p - '0');
        if (d > max || v > (max - d) / 10)
            return -ERANGE;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}
