/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The configuration schema and its value checks (pure; host-tested in
 * tests/unit/test_config.c and fuzzed by tests/fuzz/fuzz_config.c). Every
 * configuration value comes from outside (command line, DTB, Xenstore):
 * cfg_check() accepts a key and value only if the schema (docs/config.md)
 * allows them, and otherwise writes one line naming the key, the value
 * and what was expected.
 */
#include <errno.h>
#include <string.h>

#include "kernel.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A decimal number of at most (maxdigits) digits, no sign, no leading
 * zeros (so "010" is not octal to anyone); advances *s. */
static int parse_dec(const char **s, unsigned maxdigits, unsigned long long max,
                     unsigned long long *out)
{
    const char *p = *s;
    unsigned long long v = 0;
    unsigned n = 0;

    while (is_digit(*p)) {
        if (++n > maxdigits)
            return -1;
        v = v * 10 + (unsigned)(*p - '0');
        p++;
    }
    if (n == 0 || (n > 1 && **s == '0') || v > max)
        return -1;
    *s = p;
    *out = v;
    return 0;
}

int cfg_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    if (parse_dec(&s, 20, max, out) != 0 || *s != '\0')
        return -1;
    return 0;
}

/* An IPv4 address at *s, advancing it. */
static int ipv4_at(const char **s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned long long v;
        if (i > 0) {
            if (**s != '.')
                return -1;
            (*s)++;
        }
        if (parse_dec(s, 3, 255, &v) != 0)
            return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

int cfg_parse_ipv4(const char *s, uint8_t out[4])
{
    return ipv4_at(&s, out) == 0 && *s == '\0' ? 0 : -1;
}

static int hexdigit(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* An IPv6 address (RFC 4291 text form, "::" allowed once, no embedded
 * IPv4) at *s, ending at a '\0' or '/'. */
static int ipv6_at(const char **s, uint8_t out[16])
{
    uint16_t w[8];
    int n = 0, gap = -1;
    const char *p = *s;

    if (p[0] == ':' && p[1] == ':') {
        gap = 0;
        p += 2;
    } else if (*p == ':') {
        return -1;
    }
    while (*p != '\0' && *p != '/') {
        unsigned v = 0, digits = 0;
        while (hexdigit(*p) >= 0) {
            if (++digits > 4)
                return -1;
            v = v << 4 | (unsigned)hexdigit(*p++);
        }
        if (digits == 0 || n == 8)
            return -1;
        w[n++] = (uint16_t)v;
        if (*p == ':') {
            p++;
            if (*p == ':') {
                if (gap >= 0)
                    return -1;              /* "::" twice */
                gap = n;
                p++;
            } else if (*p == '\0' || *p == '/') {
                return -1;                  /* trailing single ':' */
            }
        } else if (*p != '\0' && *p != '/') {
            return -1;
        }
    }
    if (gap < 0 && n != 8)
        return -1;
    if (gap >= 0 && n > 7)
        return -1;
    memset(out, 0, 16);
    int tail = gap < 0 ? 0 : n - gap;
    for (int i = 0; i < n; i++) {
        int pos = (gap >= 0 && i >= gap) ? 8 - tail + (i - gap) : i;
        out[2 * pos] = (uint8_t)(w[i] >> 8);
        out[2 * pos + 1] = (uint8_t)w[i];
    }
    *s = p;
    return 0;
}

int cfg_parse_ipv6(const char *s, uint8_t out[16])
{
    return ipv6_at(&s, out) == 0 && *s == '\0' ? 0 : -1;
}

int cfg_parse_ipv4_cidr(const char *s, uint8_t addr[4], unsigned *prefix)
{
    unsigned long long v;
    if (ipv4_at(&s, addr) != 0 || *s++ != '/' || parse_dec(&s, 2, 32, &v) != 0 || v == 0 ||
        *s != '\0')
        return -1;
    *prefix = (unsigned)v;
    return 0;
}

int cfg_parse_ipv6_cidr(const char *s, uint8_t addr[16], unsigned *prefix)
{
    unsigned long long v;
    if (ipv6_at(&s, addr) != 0 || *s++ != '/' || parse_dec(&s, 3, 128, &v) != 0 || v == 0 ||
        *s != '\0')
        return -1;
    *prefix = (unsigned)v;
    return 0;
}

/* A key: dot-separated words of [a-z0-9_-], each 1-31 characters; or
 * env.NAME, an environment variable: NAME is [A-Za-z_][A-Za-z0-9_]*. */
bool cfg_key_valid(const char *key)
{
    size_t len = strlen(key), word = 0;
    if (len == 0 || len > CFG_KEY_MAX)
        return false;
    if (strncmp(key, "env.", 4) == 0) {
        const char *n = key + 4;
        if (!((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') || *n == '_'))
            return false;
        for (; *n != '\0'; n++)
            if (!((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') || is_digit(*n) || *n == '_'))
                return false;
        return true;
    }
    for (const char *p = key; *p != '\0'; p++) {
        if (*p == '.') {
            if (word == 0)
                return false;
            word = 0;
            continue;
        }
        if (!((*p >= 'a' && *p <= 'z') || is_digit(*p) || *p == '_' || *p == '-'))
            return false;
        if (++word > 31)
            return false;
    }
    return word > 0;
}

/* Printable ASCII, no control characters, at most CFG_VALUE_MAX bytes. */
static bool value_printable(const char *v)
{
    size_t n = 0;
    for (; *v != '\0'; v++, n++)
        if ((unsigned char)*v < 0x20 || (unsigned char)*v > 0x7e || n >= CFG_VALUE_MAX)
            return false;
    return true;
}

static bool check_ip(const char *v)
{
    uint8_t a[4];
    unsigned p;
    return strcmp(v, "dhcp") == 0 || strcmp(v, "none") == 0 || cfg_parse_ipv4_cidr(v, a, &p) == 0;
}

static bool check_ip6(const char *v)
{
    uint8_t a[16];
    unsigned p;
    /* The IP stack keeps /64 prefixes only. */
    return strcmp(v, "auto") == 0 || strcmp(v, "none") == 0 ||
           (cfg_parse_ipv6_cidr(v, a, &p) == 0 && p == 64);
}

static bool check_gw(const char *v)
{
    uint8_t a[4];
    return cfg_parse_ipv4(v, a) == 0;
}

static bool check_gw6(const char *v)
{
    uint8_t a[16];
    return cfg_parse_ipv6(v, a) == 0;
}

/* One or two IPv4 or IPv6 addresses, comma-separated. */
static bool check_dns(const char *v)
{
    char one[64];
    int n = 0;
    while (*v != '\0') {
        const char *comma = strchr(v, ',');
        size_t len = comma ? (size_t)(comma - v) : strlen(v);
        uint8_t a[16];
        if (len == 0 || len >= sizeof(one) || ++n > 2)
            return false;
        memcpy(one, v, len);
        one[len] = '\0';
        if (cfg_parse_ipv4(one, a) != 0 && cfg_parse_ipv6(one, a) != 0)
            return false;
        v += len;
        if (*v == ',' && *++v == '\0')
            return false;
    }
    return n > 0;
}

/* A host name: labels of letters, digits and '-', not starting or ending
 * with '-', at most 63 characters in all. */
static bool check_hostname(const char *v)
{
    size_t len = strlen(v), label = 0;
    if (len == 0 || len > 63)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        if (c == '.') {
            if (label == 0 || v[i - 1] == '-')
                return false;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
                   (c == '-' && label > 0)) {
            label++;
        } else {
            return false;
        }
    }
    return label > 0 && v[len - 1] != '-';
}

static bool check_wait(const char *v)
{
    unsigned long long s;
    return cfg_parse_uint(v, 600, &s) == 0;
}

static bool check_timeout(const char *v)
{
    unsigned long long s;
    return cfg_parse_uint(v, 600, &s) == 0 && s >= 1;
}

static bool check_storm(const char *v)
{
    unsigned long long n;
    return cfg_parse_uint(v, 1000000, &n) == 0;
}

static bool check_watchdog(const char *v)
{
    unsigned long long ms;
    return cfg_parse_uint(v, 600000, &ms) == 0;
}

static bool check_mtu(const char *v)
{
    unsigned long long m;
    return cfg_parse_uint(v, 65535, &m) == 0 && m >= 576;
}

/* lwIP modules whose debug output net.debug turns on (lib/lwip/net.c). */
static bool check_debug(const char *v)
{
    static const char *const names[] = {
        "all", "etharp", "netif", "pbuf", "api", "sockets", "icmp", "ip", "sys", "tcp", "udp",
        "dhcp", "dns", "ip6", "dhcp6",
    };
    while (*v != '\0') {
        size_t len = strcspn(v, ",");
        bool known = false;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
            known |= strlen(names[i]) == len && strncmp(names[i], v, len) == 0;
        if (!known)
            return false;
        v += len;
        if (*v == ',' && *++v == '\0')
            return false;
    }
    return true;
}

static const struct cfg_rule {
    const char *key;                    /* "net#" matches net0 .. net3 */
    bool (*check)(const char *value);
    const char *expect;
} rules[] = {
    { "net#.ip", check_ip, "dhcp, none, or an IPv4 address with a prefix length, like 10.0.0.2/24" },
    { "net#.gw", check_gw, "an IPv4 address, like 10.0.0.1" },
    { "net#.ip6", check_ip6, "auto, none, or an IPv6 address with prefix length 64, like fd00::2/64" },
    { "net#.gw6", check_gw6, "an IPv6 address, like fd00::1" },
    { "net#.mtu", check_mtu, "a number from 576 to 65535" },
    { "dns", check_dns, "one or two IPv4 or IPv6 addresses, separated by a comma" },
    { "hostname", check_hostname, "a host name of letters, digits, '-' and '.', at most 63 characters" },
    { "net.wait", check_wait, "a number of seconds from 0 to 600" },
    { "xen.io_timeout", check_timeout, "a number of seconds from 1 to 600" },
    { "xen.evtchn_storm", check_storm, "events per millisecond from 0 (never held back) to 1000000" },
    { "sched.watchdog_ms", check_watchdog, "milliseconds from 0 (off) to 600000" },
    { "net.debug", check_debug, "lwIP modules, comma-separated: all, etharp, netif, pbuf, api, "
                                "sockets, icmp, ip, sys, tcp, udp, dhcp, dns, ip6, dhcp6" },
};

/* Does (key) match (pattern), where "net#" stands for net0 .. net3? */
static bool key_matches(const char *pattern, const char *key)
{
    for (; *pattern != '\0'; pattern++, key++) {
        if (*pattern == '#') {
            if (*key < '0' || *key > '0' + CFG_MAX_NICS - 1)
                return false;
        } else if (*pattern != *key) {
            return false;
        }
    }
    return *key == '\0';
}

bool cfg_is_config_key(const char *key)
{
    if (strchr(key, '.') != NULL)
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
        if (strcmp(rules[i].key, key) == 0)
            return true;
    return false;
}

int cfg_check(const char *key, const char *value, char *err, size_t errlen)
{
    if (!cfg_key_valid(key)) {
        ksnprintf(err, errlen, "'%.80s' is not a valid key (dot-separated words of a-z, 0-9, "
                  "'_' and '-'; or env.NAME)", key);
        return -EINVAL;
    }
    if (!value_printable(value)) {
        ksnprintf(err, errlen, "the value of %s is not printable text of at most %d bytes", key,
                  CFG_VALUE_MAX - 1);
        return -EINVAL;
    }
    if (strncmp(key, "app.", 4) == 0 || strncmp(key, "env.", 4) == 0)
        return 0;                       /* the app's own keys and environment: any text */
    for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
        if (!key_matches(rules[i].key, key))
            continue;
        if (rules[i].check(value))
            return 0;
        ksnprintf(err, errlen, "bad value '%.80s' for %s (expected %s)", value, key,
                  rules[i].expect);
        return -EINVAL;
    }
    ksnprintf(err, errlen, "unknown key '%s' (see docs/config.md; the app's own keys start "
              "with 'app.')", key);
    return -ENOENT;
}
