/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The configuration schema and tree (kernel/config_parse.c,
 * kernel/config_tree.c): addresses and the other value types parsed
 * strictly, keys checked against the schema with messages that name key
 * and value, the tree set and read back, and DTBs merged or refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "test.h"
#include "kernel.h"

static char err[200];

static void test_ipv4(void)
{
    uint8_t a[4];
    unsigned p;
    CHECK(cfg_parse_ipv4("10.99.0.2", a) == 0 && a[0] == 10 && a[1] == 99 && a[3] == 2);
    CHECK(cfg_parse_ipv4("255.255.255.255", a) == 0);
    CHECK(cfg_parse_ipv4("256.1.1.1", a) == -1);
    CHECK(cfg_parse_ipv4("1.2.3", a) == -1);
    CHECK(cfg_parse_ipv4("1.2.3.4.5", a) == -1);
    CHECK(cfg_parse_ipv4("01.2.3.4", a) == -1);         /* no octal ambiguity */
    CHECK(cfg_parse_ipv4("1.2.3.4 ", a) == -1);
    CHECK(cfg_parse_ipv4("", a) == -1);
    CHECK(cfg_parse_ipv4_cidr("10.0.0.2/24", a, &p) == 0 && p == 24);
    CHECK(cfg_parse_ipv4_cidr("10.0.0.2/33", a, &p) == -1);
    CHECK(cfg_parse_ipv4_cidr("10.0.0.2/0", a, &p) == -1);
    CHECK(cfg_parse_ipv4_cidr("10.0.0.2", a, &p) == -1);
    CHECK(cfg_parse_ipv4_cidr("10.0.0.2/", a, &p) == -1);
}

static void test_ipv6(void)
{
    uint8_t a[16], want[16] = { 0xfd, 0, 0, 0x99, [15] = 2 };
    unsigned p;
    CHECK(cfg_parse_ipv6("fd00:99::2", a) == 0 && memcmp(a, want, 16) == 0);
    CHECK(cfg_parse_ipv6("fd00:99:0:0:0:0:0:2", a) == 0 && memcmp(a, want, 16) == 0);
    CHECK(cfg_parse_ipv6("::", a) == 0 && a[0] == 0 && a[15] == 0);
    CHECK(cfg_parse_ipv6("::1", a) == 0 && a[15] == 1);
    CHECK(cfg_parse_ipv6("fe80::", a) == 0 && a[0] == 0xfe && a[1] == 0x80);
    CHECK(cfg_parse_ipv6("1:2:3:4:5:6:7::", a) == 0 && a[13] == 7 && a[15] == 0);
    CHECK(cfg_parse_ipv6("1::2::3", a) == -1);
    CHECK(cfg_parse_ipv6("1:2:3:4:5:6:7:8:9", a) == -1);
    CHECK(cfg_parse_ipv6("1:2:3:4:5:6:7", a) == -1);
    CHECK(cfg_parse_ipv6("::1:2:3:4:5:6:7:8", a) == -1);
    CHECK(cfg_parse_ipv6("12345::", a) == -1);
    CHECK(cfg_parse_ipv6("1:", a) == -1);
    CHECK(cfg_parse_ipv6(":1::", a) == -1);
    CHECK(cfg_parse_ipv6("1:::2", a) == -1);
    CHECK(cfg_parse_ipv6("g::", a) == -1);
    CHECK(cfg_parse_ipv6("", a) == -1);
    CHECK(cfg_parse_ipv6_cidr("fd00::2/64", a, &p) == 0 && p == 64);
    CHECK(cfg_parse_ipv6_cidr("fd00::2/129", a, &p) == -1);
    CHECK(cfg_parse_ipv6_cidr("fd00::2", a, &p) == -1);
}

static void test_schema(void)
{
    CHECK(cfg_check("net0.ip", "dhcp", err, sizeof(err)) == 0);
    CHECK(cfg_check("net0.ip", "10.99.0.2/24", err, sizeof(err)) == 0);
    CHECK(cfg_check("net3.ip", "none", err, sizeof(err)) == 0);
    CHECK(cfg_check("net0.ip", "10.99.0.2", err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "bad value '10.99.0.2' for net0.ip") != NULL);
    CHECK(strstr(err, "10.0.0.2/24") != NULL);            /* says what is expected */
    CHECK(cfg_check("net4.ip", "dhcp", err, sizeof(err)) == -ENOENT);
    CHECK(strstr(err, "unknown key 'net4.ip'") != NULL);
    CHECK(cfg_check("net0.gw", "10.99.0.1", err, sizeof(err)) == 0);
    CHECK(cfg_check("net0.ip6", "auto", err, sizeof(err)) == 0);
    CHECK(cfg_check("net0.ip6", "fd00:99::2/64", err, sizeof(err)) == 0);
    CHECK(cfg_check("net0.ip6", "fd00:99::2/48", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("net0.gw6", "fe80::1", err, sizeof(err)) == 0);
    CHECK(cfg_check("net0.mtu", "9000", err, sizeof(err)) == 0);
    CHECK(cfg_check("net0.mtu", "100", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("dns", "10.99.0.1", err, sizeof(err)) == 0);
    CHECK(cfg_check("dns", "10.99.0.1,fd00:99::1", err, sizeof(err)) == 0);
    CHECK(cfg_check("dns", "10.99.0.1,", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("dns", "1.1.1.1,2.2.2.2,3.3.3.3", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("dns", "", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("hostname", "web-1.example", err, sizeof(err)) == 0);
    CHECK(cfg_check("hostname", "-web", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("hostname", "a..b", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("hostname", "under_score", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("net.wait", "0", err, sizeof(err)) == 0);
    CHECK(cfg_check("net.wait", "601", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("app.port", "anything at all", err, sizeof(err)) == 0);
    CHECK(cfg_check("app.x", "bell\a", err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "not printable") != NULL);
    CHECK(cfg_check("App.port", "1", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("app..port", "1", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("app.port.", "1", err, sizeof(err)) == -EINVAL);
    CHECK(cfg_check("colour", "blue", err, sizeof(err)) == -ENOENT);
    CHECK(cfg_is_config_key("dns") && cfg_is_config_key("app.port") &&
          !cfg_is_config_key("loglevel") && !cfg_is_config_key("colour"));
}

static void test_tree(void)
{
    struct cfg_tree t;
    CHECK(cfg_tree_init(&t) == 0);
    CHECK(cfg_tree_set(&t, "net0.ip", "dhcp") == 0);
    CHECK(cfg_tree_set(&t, "net0.ip", "10.0.0.2/24") == 0);     /* overrides */
    CHECK(cfg_tree_set(&t, "dns", "10.0.0.1") == 0);
    CHECK(cfg_tree_set(&t, "app.http.root", "/www") == 0);
    CHECK_STR(cfg_tree_get(&t, "net0.ip"), "10.0.0.2/24");
    CHECK_STR(cfg_tree_get(&t, "dns"), "10.0.0.1");
    CHECK_STR(cfg_tree_get(&t, "app.http.root"), "/www");
    CHECK(cfg_tree_get(&t, "app.http") == NULL);
    CHECK(cfg_tree_get(&t, "net1.ip") == NULL);
    CHECK(cfg_tree_get(&t, "bad key") == NULL);
    /* It is a real device tree: libfdt reads it. */
    int node = fdt_path_offset(t.fdt, "/app/http");
    CHECK(node >= 0 && strcmp(fdt_getprop(t.fdt, node, "root", NULL), "/www") == 0);
    /* It grows past its first buffer. */
    char key[32], val[64];
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof(key), "app.k%d", i);
        snprintf(val, sizeof(val), "value number %d, padded out a little", i);
        CHECK(cfg_tree_set(&t, key, val) == 0);
    }
    CHECK_STR(cfg_tree_get(&t, "app.k199"), "value number 199, padded out a little");
    CHECK_STR(cfg_tree_get(&t, "net0.ip"), "10.0.0.2/24");
    cfg_tree_free(&t);
}

/* A DTB as dtc would write it, with properties under nodes. */
static size_t make_dtb(char *buf, size_t len, const char *node, const char *prop,
                       const void *val, int vlen)
{
    CHECK(fdt_create(buf, (int)len) == 0);
    CHECK(fdt_finish_reservemap(buf) == 0);
    CHECK(fdt_begin_node(buf, "") == 0);
    CHECK(fdt_property_string(buf, "dns", "10.99.0.1") == 0);
    CHECK(fdt_begin_node(buf, node) == 0);
    CHECK(fdt_property(buf, prop, val, vlen) == 0);
    CHECK(fdt_end_node(buf) == 0);
    CHECK(fdt_end_node(buf) == 0);
    CHECK(fdt_finish(buf) == 0);
    return fdt_totalsize(buf);
}

static void test_dtb(void)
{
    struct cfg_tree t;
    char dtb[1024];
    CHECK(cfg_tree_init(&t) == 0);
    size_t n = make_dtb(dtb, sizeof(dtb), "net0", "ip", "10.0.0.9/8", 11);
    CHECK(cfg_tree_merge_dtb(&t, dtb, n, err, sizeof(err)) == 0);
    CHECK_STR(cfg_tree_get(&t, "net0.ip"), "10.0.0.9/8");
    CHECK_STR(cfg_tree_get(&t, "dns"), "10.99.0.1");
    /* A number as one cell. */
    uint32_t cell = cpu_to_fdt32(9000);
    n = make_dtb(dtb, sizeof(dtb), "net0", "mtu", &cell, 4);
    CHECK(cfg_tree_merge_dtb(&t, dtb, n, err, sizeof(err)) == 0);
    CHECK_STR(cfg_tree_get(&t, "net0.mtu"), "9000");
    /* Bad values, named. */
    n = make_dtb(dtb, sizeof(dtb), "net0", "ip", "banana", 7);
    CHECK(cfg_tree_merge_dtb(&t, dtb, n, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "bad value 'banana' for net0.ip") != NULL);
    n = make_dtb(dtb, sizeof(dtb), "net0", "ip", "a\0b", 4);
    CHECK(cfg_tree_merge_dtb(&t, dtb, n, err, sizeof(err)) == -EINVAL);
    n = make_dtb(dtb, sizeof(dtb), "net0", "ip", "\1\2\3\4\5", 5);
    CHECK(cfg_tree_merge_dtb(&t, dtb, n, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "neither a string nor one 32-bit cell") != NULL);
    n = make_dtb(dtb, sizeof(dtb), "Net0", "ip", "dhcp", 5);
    CHECK(cfg_tree_merge_dtb(&t, dtb, n, err, sizeof(err)) == -EINVAL);
    n = make_dtb(dtb, sizeof(dtb), "net0", "ip", "dhcp", 5);
    /* Truncated, or corrupt headers. */
    CHECK(cfg_tree_merge_dtb(&t, dtb, n - 8, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "larger than the module") != NULL);
    CHECK(cfg_tree_merge_dtb(&t, dtb, 10, err, sizeof(err)) == -EINVAL);
    memcpy(dtb, "junk", 4);
    CHECK(cfg_tree_merge_dtb(&t, dtb, n, err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "no FDT magic") != NULL);
    /* What failed left the good values in place. */
    CHECK_STR(cfg_tree_get(&t, "net0.mtu"), "9000");
    cfg_tree_free(&t);
}

int main(void)
{
    RUN(test_ipv4);
    RUN(test_ipv6);
    RUN(test_schema);
    RUN(test_tree);
    RUN(test_dtb);
    return tests_failed != 0;
}
