/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: blkfront's checks of what blkback sends
 * (xen/blkfront_ring.c): ring responses against the requests in flight,
 * and the disk geometry from Xenstore. Whatever is accepted must name a
 * request in flight with its operation, and a geometry that fits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "../../xen/blkfront_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[160];
    uint8_t op[8];
    if (size < 8)
        return 0;
    for (int i = 0; i < 8; i++)
        op[i] = data[i] % 4 == 3 ? BF_SLOT_FREE : data[i] % 4;
    data += 8;
    size -= 8;
    while (size >= sizeof(struct blkif_response) && data[0] != 0xff) {
        struct blkif_response r;
        memcpy(&r, data, sizeof(r));
        data += sizeof(r);
        size -= sizeof(r);
        err[0] = '\0';
        int v = bf_rsp_check(&r, op, 8, err, sizeof(err));
        if (v < 0 && err[0] == '\0')
            __builtin_trap();
        if (v >= 0 && (r.id >= 8 || op[r.id] == BF_SLOT_FREE || op[r.id] != r.operation))
            __builtin_trap();
    }
    /* A 0xff byte ends the responses; the rest: four NUL-separated
     * strings, the geometry's keys. */
    if (size > 0 && data[0] == 0xff) {
        data++;
        size--;
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *f[4] = { NULL, NULL, NULL, NULL };
    char *p = text;
    for (int i = 0; i < 4 && p < text + size; i++) {
        f[i] = p;
        p += strlen(p) + 1;
    }
    struct bf_geometry g;
    err[0] = '\0';
    if (bf_parse_geometry(f[0], f[1], f[2], f[3], &g, err, sizeof(err)) == 0) {
        if (g.sectors == 0 || g.sector_size < 512 || g.sector_size > 4096 ||
            (g.sector_size & (g.sector_size - 1)) || g.physical_sector_size % g.sector_size ||
            g.sectors > (UINT64_MAX >> 1) / g.sector_size)
            __builtin_trap();
    } else if (err[0] == '\0') {
        __builtin_trap();
    }
    free(text);
    return 0;
}
