/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The configuration tree (pure; host-tested and fuzzed): a flattened
 * device tree built with libfdt, in which key "a.b.c" is property "c" of
 * node "/a/b" and key "dns" property "dns" of the root. Values are
 * strings. A DTB given by the user is merged in property by property,
 * each checked against the schema (cfg_check), so a bad one is refused
 * with a message naming its key and value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "kernel.h"

#define TREE_INITIAL 4096
#define TREE_MAX (256 * 1024)
#define DTB_MAX_DEPTH 8

int cfg_tree_init(struct cfg_tree *t)
{
    t->size = TREE_INITIAL;
    t->fdt = malloc(t->size);
    if (t->fdt == NULL || fdt_create_empty_tree(t->fdt, (int)t->size) != 0) {
        free(t->fdt);
        t->fdt = NULL;
        return -ENOMEM;
    }
    return 0;
}

void cfg_tree_free(struct cfg_tree *t)
{
    free(t->fdt);
    t->fdt = NULL;
}

static int grow(struct cfg_tree *t)
{
    size_t size = t->size * 2;
    if (size > TREE_MAX)
        return -E2BIG;
    void *p = malloc(size);
    if (p == NULL)
        return -ENOMEM;
    if (fdt_open_into(t->fdt, p, (int)size) != 0) {
        free(p);
        return -EINVAL;
    }
    free(t->fdt);
    t->fdt = p;
    t->size = size;
    return 0;
}

/* Split (key) into its node path ("/a/b") and property name ("c"). */
static int split_key(const char *key, char *path, size_t pathlen, const char **prop)
{
    const char *dot = strrchr(key, '.');
    size_t n = dot ? (size_t)(dot - key) : 0;
    if (n + 2 > pathlen)
        return -E2BIG;
    path[0] = '/';
    for (size_t i = 0; i < n; i++)
        path[i + 1] = key[i] == '.' ? '/' : key[i];
    path[n + 1] = '\0';
    *prop = dot ? dot + 1 : key;
    return 0;
}

/* The node at (path), created with its parents if (create). */
static int node_at(struct cfg_tree *t, const char *path, bool create)
{
    int node = 0;
    const char *p = path + 1;
    while (*p != '\0') {
        const char *slash = strchr(p, '/');
        int len = slash ? (int)(slash - p) : (int)strlen(p);
        int child = fdt_subnode_offset_namelen(t->fdt, node, p, len);
        if (child == -FDT_ERR_NOTFOUND && create) {
            for (;;) {
                child = fdt_add_subnode_namelen(t->fdt, node, p, len);
                if (child != -FDT_ERR_NOSPACE)
                    break;
                int rc = grow(t);
                if (rc != 0)
                    return rc;
                /* Offsets stay valid across fdt_open_into of the same tree. */
            }
        }
        if (child < 0)
            return child == -FDT_ERR_NOTFOUND ? -ENOENT : -EINVAL;
        node = child;
        p += len;
        if (*p == '/')
            p++;
    }
    return node;
}

int cfg_tree_set(struct cfg_tree *t, const char *key, const char *value)
{
    char path[CFG_KEY_MAX + 2];
    const char *prop;
    int rc = split_key(key, path, sizeof(path), &prop);
    if (rc != 0)
        return rc;
    for (;;) {
        int node = node_at(t, path, true);
        if (node < 0)
            return node;
        rc = fdt_setprop_string(t->fdt, node, prop, value);
        if (rc != -FDT_ERR_NOSPACE)
            return rc == 0 ? 0 : -EINVAL;
        if ((rc = grow(t)) != 0)
            return rc;
    }
}

const char *cfg_tree_get(struct cfg_tree *t, const char *key)
{
    char path[CFG_KEY_MAX + 2];
    const char *prop;
    if (t->fdt == NULL || !cfg_key_valid(key) || split_key(key, path, sizeof(path), &prop) != 0)
        return NULL;
    int node = node_at(t, path, false);
    if (node < 0)
        return NULL;
    int len;
    const char *v = fdt_getprop(t->fdt, node, prop, &len);
    if (v == NULL || len < 1 || v[len - 1] != '\0')
        return NULL;
    return v;
}

/* Walk every property under (node) of (fdt): fn(key, value bytes, len). */
static int walk(const void *fdt, int node, char *key, size_t keylen, int depth,
                int (*fn)(const char *key, const void *val, int len, void *arg), void *arg)
{
    int prop, rc;
    size_t base = strlen(key);

    if (depth > DTB_MAX_DEPTH)
        return -E2BIG;
    fdt_for_each_property_offset(prop, fdt, node) {
        const char *name;
        int len;
        const void *val = fdt_getprop_by_offset(fdt, prop, &name, &len);
        if (val == NULL || name == NULL)
            return -EINVAL;
        if (base + 1 + strlen(name) + 1 > keylen)
            return -E2BIG;
        ksnprintf(key + base, keylen - base, "%s%s", base ? "." : "", name);
        rc = fn(key, val, len, arg);
        key[base] = '\0';
        if (rc != 0)
            return rc;
    }
    if (prop != -FDT_ERR_NOTFOUND)
        return -EINVAL;
    int child;
    fdt_for_each_subnode(child, fdt, node) {
        int len;
        const char *name = fdt_get_name(fdt, child, &len);
        if (name == NULL || base + 1 + (size_t)len + 1 > keylen)
            return name == NULL ? -EINVAL : -E2BIG;
        ksnprintf(key + base, keylen - base, "%s%.*s", base ? "." : "", len, name);
        rc = walk(fdt, child, key, keylen, depth + 1, fn, arg);
        key[base] = '\0';
        if (rc != 0)
            return rc;
    }
    if (child != -FDT_ERR_NOTFOUND)
        return -EINVAL;
    return 0;
}

struct merge {
    struct cfg_tree *t;
    char *err;
    size_t errlen;
};

/* A DTB property as text: a string, or one 32-bit cell as a decimal. */
static int merge_one(const char *key, const void *val, int len, void *arg)
{
    struct merge *m = arg;
    const char *s = val;
    char num[16];
    bool is_string = len >= 1 && s[len - 1] == '\0' && memchr(s, '\0', (size_t)len - 1) == NULL;

    if (!is_string) {
        if (len != 4) {
            ksnprintf(m->err, m->errlen, "DTB property %s is neither a string nor one 32-bit "
                      "cell (%d bytes)", key, len);
            return -EINVAL;
        }
        fdt32_t cell;
        memcpy(&cell, val, sizeof(cell));
        ksnprintf(num, sizeof(num), "%u", fdt32_to_cpu(cell));
        s = num;
    }
    int rc = cfg_check(key, s, m->err, m->errlen);
    if (rc != 0)
        return -EINVAL;
    rc = cfg_tree_set(m->t, key, s);
    if (rc != 0)
        ksnprintf(m->err, m->errlen, "cannot store %s in the configuration tree (error %d)", key, rc);
    return rc;
}

int cfg_tree_merge_dtb(struct cfg_tree *t, const void *dtb, size_t len, char *err, size_t errlen)
{
    if (len < sizeof(struct fdt_header) || ((uintptr_t)dtb & 7) != 0 ||
        fdt_magic(dtb) != FDT_MAGIC) {
        ksnprintf(err, errlen, "not a DTB (no FDT magic)");
        return -EINVAL;
    }
    if ((fdt_off_dt_struct(dtb) & 3) != 0 ||
        (fdt_off_mem_rsvmap(dtb) & 7) != 0) {
        ksnprintf(err, errlen, "bad DTB header: a misaligned block");
        return -EINVAL;
    }
    int rc = fdt_check_header(dtb);
    if (rc != 0 || fdt_totalsize(dtb) > len) {
        ksnprintf(err, errlen, "bad DTB header: %s",
                  rc != 0 ? fdt_strerror(rc) : "its size is larger than the module");
        return -EINVAL;
    }
    char key[CFG_KEY_MAX + 40];
    key[0] = '\0';
    struct merge m = { t, err, errlen };
    err[0] = '\0';
    int root = fdt_path_offset(dtb, "/");
    if (root < 0) {
        ksnprintf(err, errlen, "bad DTB: no root node (%s)", fdt_strerror(root));
        return -EINVAL;
    }
    rc = walk(dtb, root, key, sizeof(key), 0, merge_one, &m);
    if (rc != 0 && err[0] == '\0')
        ksnprintf(err, errlen, "bad DTB structure%s", rc == -E2BIG ? ": nested too deep or names too long" : "");
    return rc == 0 ? 0 : -EINVAL;
}

struct each {
    int (*fn)(const char *key, const char *value, void *arg);
    void *arg;
};

static int each_one(const char *key, const void *val, int len, void *arg)
{
    struct each *e = arg;
    const char *s = val;
    if (len < 1 || s[len - 1] != '\0')
        return 0;
    return e->fn(key, s, e->arg);
}

int cfg_tree_each(struct cfg_tree *t, int (*fn)(const char *key, const char *value, void *arg),
                  void *arg)
{
    char key[CFG_KEY_MAX + 40];
    key[0] = '\0';
    struct each e = { fn, arg };
    return walk(t->fdt, 0, key, sizeof(key), 0, each_one, &e);
}
