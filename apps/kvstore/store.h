/* SPDX-License-Identifier: BSD-2-Clause */
/* store.c: kvstore's in-memory table (keys and values are byte strings). */
#ifndef KVSTORE_STORE_H
#define KVSTORE_STORE_H

#include <stddef.h>
#include <stdint.h>

struct kv_entry {
    struct kv_entry *next;
    uint32_t hash;
    int64_t expire_ms;                  /* wall-clock ms; 0: none */
    size_t klen, vlen;
    char *val;
    char key[];
};

struct kv_table {
    struct kv_entry **b;
    size_t nb, n, expires;
};

int kv_table_init(struct kv_table *t);
/* The live entry for (key), or NULL; an expired one is removed. */
struct kv_entry *kv_get(struct kv_table *t, const char *key, size_t klen, int64_t now_ms);
/* Set (key) to (val): 0, or -1 when out of memory (nothing changed). */
int kv_put(struct kv_table *t, const char *key, size_t klen, const char *val, size_t vlen,
           int64_t expire_ms);
void kv_set_expire(struct kv_table *t, struct kv_entry *e, int64_t expire_ms);
int kv_del(struct kv_table *t, const char *key, size_t klen);
void kv_clear(struct kv_table *t);
/* Calls fn for every live entry (expired ones are removed on the way). */
void kv_each(struct kv_table *t, int64_t now_ms, void (*fn)(struct kv_entry *e, void *arg),
             void *arg);
/* Remove up to (budget) expired entries, resuming where the last call ended. */
void kv_sweep(struct kv_table *t, int64_t now_ms, size_t budget);

#endif
