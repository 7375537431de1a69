/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: netfront's checks of netback's ring responses and of
 * the MAC from Xenstore (xen/netfront_ring.c). The first bytes give the
 * consumer index and whether GSO was negotiated; then come up to 24 rx
 * response slots, then tx responses (5 bytes each) up to a 0xff byte,
 * then a MAC string. Whatever the rx
 * parser accepts must stay within the slots it was given and within the
 * buffers' pages, and match the ids it was posted with.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel.h"
#include "../../xen/netfront_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[160];
    bool busy[16];

    if (size < 3)
        return 0;
    uint32_t cons = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 3;
    bool gso_ok = data[2] & 1;
    unsigned nraw = (data[2] >> 1) % 25;
    data += 3;
    size -= 3;
    uint64_t raw[24];
    unsigned n = 0;
    while (n < nraw && size >= 8) {
        memcpy(&raw[n++], data, 8);
        data += 8;
        size -= 8;
    }
    struct nf_rx_frame f;
    err[0] = '\0';
    int used = nf_rx_parse(raw, n, cons, 256, gso_ok, &f, err, sizeof(err));
    if (used < 0 && err[0] == '\0')
        __builtin_trap();
    if (used > (int)n)
        __builtin_trap();
    if (used > 0) {
        uint32_t sum = 0;
        if (f.nseg > NF_MAX_SLOTS || f.nslots != (unsigned)used)
            __builtin_trap();
        for (unsigned i = 0; i < f.nseg; i++) {
            struct netif_rx_response r;
            memcpy(&r, &raw[f.seg[i].slot], 8);
            if (f.seg[i].slot >= (unsigned)used || (unsigned)f.seg[i].offset + f.seg[i].len > NF_BUF_SIZE)
                __builtin_trap();
            if (r.id != ((cons + f.seg[i].slot) & 255))
                __builtin_trap();
            sum += f.seg[i].len;
        }
        if (sum != f.len || f.len > NF_MAX_FRAME || (!f.error && f.len < 14))
            __builtin_trap();
        if (f.gso_size && !gso_ok)
            __builtin_trap();
    }

    for (int i = 0; i < 16; i++)
        busy[i] = (cons >> i) & 1;
    while (size >= 5 && data[0] != 0xff) {
        struct netif_tx_response tx;
        memcpy(&tx, data + 1, sizeof(tx));
        data += 5;
        size -= 5;
        err[0] = '\0';
        int t = nf_tx_check(&tx, busy, 16, err, sizeof(err));
        if (t < 0 && err[0] == '\0')
            __builtin_trap();
        if ((t == 0 || t == 1) && (tx.id >= 16 || !busy[tx.id]))
            __builtin_trap();
    }
    if (size > 0 && data[0] == 0xff) {     /* the end of the tx responses */
        data++;
        size--;
    }
    char mac[32];
    size_t m = size < sizeof(mac) - 1 ? size : sizeof(mac) - 1;
    memcpy(mac, data, m);
    mac[m] = '\0';
    uint8_t out[6];
    if (nf_parse_mac(mac, out) == 0 && (strlen(mac) != 17 || (out[0] & 1)))
        __builtin_trap();
    return 0;
}
