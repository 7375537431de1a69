/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: libfdt, as built by make deps, works in the guest: write a
 * small tree with the sequential-write API, then read it back.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

static char blob[1024];

int main(void)
{
    int err = 0;
    err |= fdt_create(blob, sizeof(blob));
    err |= fdt_finish_reservemap(blob);
    err |= fdt_begin_node(blob, "");
    err |= fdt_begin_node(blob, "net0");
    err |= fdt_property_string(blob, "ip", "10.0.0.2/24");
    err |= fdt_property_u32(blob, "mtu", 1500);
    err |= fdt_end_node(blob);
    err |= fdt_end_node(blob);
    err |= fdt_finish(blob);
    if (err != 0 || fdt_check_header(blob) != 0) {
        printf("FAIL: building the tree: %s\n", fdt_strerror(err));
        return 1;
    }
    int node = fdt_path_offset(blob, "/net0");
    int len;
    const char *ip = fdt_getprop(blob, node, "ip", &len);
    const fdt32_t *mtu = fdt_getprop(blob, node, "mtu", &len);
    if (node < 0 || ip == NULL || strcmp(ip, "10.0.0.2/24") != 0 || mtu == NULL ||
        fdt32_to_cpu(*mtu) != 1500) {
        printf("FAIL: reading the tree back\n");
        return 1;
    }
    printf("fdt: %d bytes, /net0/ip = %s, mtu = %u\n", fdt_totalsize(blob), ip,
           fdt32_to_cpu(*mtu));
    printf("PASS\n");
    return 0;
}
