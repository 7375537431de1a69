/* SPDX-License-Identifier: BSD-2-Clause */
/* kvstore's in-memory table: a chained hash table that doubles as it fills. */
#include <stdlib.h>
#include <string.h>

#include "store.h"

static uint32_t hash(const char *k, size_t n)
{
    uint32_t h = 2166136261u;                   /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)k[i]) * 16777619u;
    return h;
}

int kv_table_init(struct kv_table *t)
{
    t->nb = 1024;
    t->n = t->expires = 0;
    t->b = calloc(t->nb, sizeof(*t->b));
    return t->b != NULL ? 0 : -1;
}

static void grow(struct kv_table *t)
{
    size_t nb = t->nb * 2;
    struct kv_entry **b = calloc(nb, sizeof(*b));
    if (b == NULL)
        return;                                 /* keep the chains longer */
    for (size_t i = 0; i < t->nb; i++)
        for (struct kv_entry *e = t->b[i], *n; e != NULL; e = n) {
            n = e->next;
            e->next = b[e->hash & (nb - 1)];
            b[e->hash & (nb - 1)] = e;
        }
    free(t->b);
    t->b = b;
    t->nb = nb;
}

static struct kv_entry **slot(struct kv_table *t, const char *key, size_t klen, uint32_t h)
{
    struct kv_entry **p = &t->b[h & (t->nb - 1)];
    while (*p != NULL && ((*p)->hash != h || (*p)->klen != klen || memcmp((*p)->key, key, klen)))
        p = &(*p)->next;
    return p;
}

static void unlink_free(struct kv_table *t, struct kv_entry **p)
{
    struct kv_entry *e = *p;
    *p = e->next;
    if (e->expire_ms)
        t->expires--;
    t->n--;
    free(e->val);
    free(e);
}

struct kv_entry *kv_get(struct kv_table *t, const char *key, size_t klen, int64_t now_ms)
{
    struct kv_entry **p = slot(t, key, klen, hash(key, klen));
    if (*p != NULL && (*p)->expire_ms && (*p)->expire_ms <= now_ms) {
        unlink_free(t, p);
        return NULL;
    }
    return *p;
}

int kv_put(struct kv_table *t, const char *key, size_t klen, const char *val, size_t vlen,
           int64_t expire_ms)
{
    uint32_t h = hash(key, klen);
    struct kv_entry **p = slot(t, key, klen, h);
    char *v = malloc(vlen ? vlen : 1);
    if (v == NULL)
        return -1;
    memcpy(v, val, vlen);
    if (*p == NULL) {
        struct kv_entry *e = malloc(sizeof(*e) + klen);
        if (e == NULL) {
            free(v);
            return -1;
        }
        e->next = NULL;
        e->hash = h;
        e->klen = klen;
        e->val = NULL;
        e->expire_ms = 0;
        memcpy(e->key, key, klen);
        *p = e;
        t->n++;
    }
    free((*p)->val);
    (*p)->val = v;
    (*p)->vlen = vlen;
    kv_set_expire(t, *p, expire_ms);
    if (t->n > t->nb)
        grow(t);
    return 0;
}

void kv_set_expire(struct kv_table *t, struct kv_entry *e, int64_t expire_ms)
{
    t->expires += (expire_ms != 0) - (e->expire_ms != 0);
    e->expire_ms = expire_ms;
}

int kv_del(struct kv_table *t, const char *key, size_t klen)
{
    struct kv_entry **p = slot(t, key, klen, hash(key, klen));
    if (*p == NULL)
        return 0;
    unlink_free(t, p);
    return 1;
}

void kv_clear(struct kv_table *t)
{
    for (size_t i = 0; i < t->nb; i++)
        while (t->b[i] != NULL)
            unlink_free(t, &t->b[i]);
}

void kv_each(struct kv_table *t, int64_t now_ms, void (*fn)(struct kv_entry *e, void *arg),
             void *arg)
{
    for (size_t i = 0; i < t->nb; i++)
        for (struct kv_entry **p = &t->b[i]; *p != NULL;) {
            if ((*p)->expire_ms && (*p)->expire_ms <= now_ms) {
                unlink_free(t, p);
                continue;
            }
            fn(*p, arg);
            p = &(*p)->next;
        }
}

void kv_sweep(struct kv_table *t, int64_t now_ms, size_t budget)
{
    static size_t next;
    if (t->expires == 0)
        return;
    for (size_t k = 0; k < budget; k++, next++) {
        size_t i = next & (t->nb - 1);
        for (struct kv_entry **p = &t->b[i]; *p != NULL;) {
            if ((*p)->expire_ms && (*p)->expire_ms <= now_ms)
                unlink_free(t, p);
            else
                p = &(*p)->next;
        }
    }
}
