/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Configuration from Xenstore: the keys under the domain's own xenolith/
 * subtree (/local/domain/<id>/xenolith), which the toolstack can write
 * between `xl create -p` and `xl unpause`. Path components become the
 * dotted key: xenolith/net0/ip gives net0.ip (Xenstore names cannot
 * contain dots).
 * The values are untrusted; kernel/config.c checks each against the
 * schema.
 */
#include <errno.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "platform.h"
#include "xs.h"

#define XS_CONFIG_ROOT "xenolith"
#define XS_CONFIG_DEPTH 4
#define XS_CONFIG_ENTRIES 64

struct walk {
    int (*fn)(const char *key, const char *value, void *arg);
    void *arg;
    int entries;
};

static int walk(struct walk *w, const char *path, const char *key, int depth)
{
    char list[512], value[CFG_VALUE_MAX + 1];
    int n = xs_directory(XBT_NIL, path, list, sizeof(list));
    if (n < 0)
        return n == -ENOENT ? 0 : n;
    if (key[0] != '\0') {
        int len = xs_read(XBT_NIL, path, value, sizeof(value));
        if (len < 0 && len != -ENOENT)
            return len;
        /* A node with children and no value of its own is a directory. */
        if (len > 0 || (len == 0 && n == 0)) {
            if (++w->entries > XS_CONFIG_ENTRIES)
                return -E2BIG;
            int rc = w->fn(key, len > 0 ? value : "", w->arg);
            if (rc != 0)
                return rc;
        }
    }
    if (n > 0 && depth >= XS_CONFIG_DEPTH)
        return -E2BIG;
    const char *e = list;
    for (int i = 0; i < n; i++, e += strlen(e) + 1) {
        char cpath[256], ckey[CFG_KEY_MAX + 1];
        if (ksnprintf(cpath, sizeof(cpath), "%s/%s", path, e) >= (int)sizeof(cpath) ||
            ksnprintf(ckey, sizeof(ckey), "%s%s%s", key, key[0] ? "." : "", e) >=
                (int)sizeof(ckey))
            return -E2BIG;
        int rc = walk(w, cpath, ckey, depth + 1);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* At boot, as soon as Xenstore is up: ask for the subtree's listing. */
void config_xs_prefetch(void)
{
    if (xs_ready() && xs_prefetch_directory(XS_CONFIG_ROOT) != 0)
        log_debug("config: could not ask for %s/ ahead; it is read when needed", XS_CONFIG_ROOT);
}

int platform_config_each(int (*fn)(const char *key, const char *value, void *arg), void *arg)
{
    if (!xs_ready())
        return 0;
    struct walk w = { fn, arg, 0 };
    return walk(&w, XS_CONFIG_ROOT, "", 0);
}
