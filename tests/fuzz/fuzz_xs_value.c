/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: numbers read from Xenstore (xen/xs_value.c): a
 * success must round-trip through printing and respect the maximum.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../xen/xs_value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[64], back[32];
    uint64_t v, max = 65535;

    if (size == 0 || size >= sizeof(s))
        return 0;
    if (data[0] & 1)
        max = UINT64_MAX;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (xs_parse_uint(s, max, &v) != 0)
        return 0;
    snprintf(back, sizeof(back), "%llu", (unsigned long long)v);
    if (v > max || strcmp(back, s) != 0)
        __builtin_trap();
    return 0;
}
