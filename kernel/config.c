/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The configuration tree, built once at boot from, in rising priority:
 *   1. built-in defaults,
 *   2. a DTB given as the boot module (detected by its magic),
 *   3. the platform's keys (on Xen: Xenstore, under xenolith/),
 *   4. the command line (options whose key has a dot, or is a top-level
 *      key of the schema, like dns=).
 * Each value is checked against the schema (config_parse.c) as it is
 * read; a bad one stops the boot with a message that names the key, the
 * value and where it came from. Apps and lib/ read the tree through
 * xn_config_get() and friends (include/xenolith.h); docs/config.md has
 * the schema.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <xenolith.h>

#include "kernel.h"
#include "../xen/platform.h"

static struct cfg_tree tree;

static const char *const defaults[][2] = {
    { "net0.ip", "dhcp" },
    { "net0.ip6", "auto" },
    { "net.wait", "10" },
};

struct source {
    const char *name;
    char *err;
    size_t errlen;
};

static int put(const char *key, const char *value, void *arg)
{
    struct source *s = arg;
    char why[200];
    if (cfg_check(key, value, why, sizeof(why)) != 0) {
        ksnprintf(s->err, s->errlen, "configuration (%s): %s", s->name, why);
        return -EINVAL;
    }
    int rc = cfg_tree_set(&tree, key, value);
    if (rc != 0)
        ksnprintf(s->err, s->errlen, "configuration (%s): cannot store %s (error %d)", s->name,
                  key, rc);
    return rc;
}

static int log_key(const char *key, const char *value, void *arg)
{
    (void)arg;
    log_debug("config: %s = %s", key, value);
    return 0;
}

int config_init(struct cmdline *cl, char *err, size_t errlen)
{
    struct source src = { "defaults", err, errlen };
    int rc;

    if (cfg_tree_init(&tree) != 0) {
        ksnprintf(err, errlen, "configuration: out of memory");
        return -ENOMEM;
    }
    for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
        if ((rc = put(defaults[i][0], defaults[i][1], &src)) != 0)
            return rc;

    struct mem_range m;
    if (mm_module(&m) == 0 && m.end - m.start >= 4 &&
        __builtin_bswap32(*(const uint32_t *)(uintptr_t)m.start) == 0xd00dfeedu) {
        char why[200];
        rc = cfg_tree_merge_dtb(&tree, (const void *)(uintptr_t)m.start, m.end - m.start, why,
                                sizeof(why));
        if (rc != 0) {
            ksnprintf(err, errlen, "configuration (DTB boot module): %s", why);
            return rc;
        }
        log_info("config: read the DTB boot module (%llu bytes)",
                 (unsigned long long)(m.end - m.start));
    }

    src.name = "Xenstore xenolith/";
    rc = platform_config_each(put, &src);
    if (rc != 0) {
        if (rc != -EINVAL)
            ksnprintf(err, errlen, "configuration (Xenstore xenolith/): cannot read the keys "
                      "(error %d%s)", rc, rc == -E2BIG ? ": too many or nested too deep" : "");
        return rc;
    }

    src.name = "command line";
    for (int i = 0; i < cl->nopts; i++) {
        struct cmdline_opt *o = &cl->opts[i];
        if (!cfg_is_config_key(o->key))
            continue;
        o->used = true;
        if ((rc = put(o->key, o->value, &src)) != 0)
            return rc;
    }
    if (log_get_level() >= LOG_DEBUG)
        cfg_tree_each(&tree, log_key, NULL);
    return 0;
}

const char *xn_config_get(const char *key)
{
    return cfg_tree_get(&tree, key);
}

int xn_config_uint(const char *key, unsigned long long dflt, unsigned long long max,
                   unsigned long long *out)
{
    const char *v = cfg_tree_get(&tree, key);
    if (v == NULL) {
        *out = dflt;
        return 0;
    }
    if (cfg_parse_uint(v, max, out) != 0) {
        log_err("config: bad value '%s' for %s (expected a number from 0 to %llu)", v, key, max);
        return -EINVAL;
    }
    return 0;
}

const void *xn_config_tree(void)
{
    return tree.fdt;
}
