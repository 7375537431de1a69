/* SPDX-License-Identifier: BSD-2-Clause */
/* gntref.c: the pool of grant references. */
#ifndef XEN_GNTREF_H
#define XEN_GNTREF_H

#include <stdint.h>

#define GNTREF_MAX  2048
#define GNTREF_NONE UINT32_MAX

struct gntref_pool {
    uint32_t reserved, count, head, nfree;
    uint32_t next[GNTREF_MAX];
    uint64_t is_free[GNTREF_MAX / 64];
};

void gntref_init(struct gntref_pool *p, uint32_t reserved, uint32_t count);
int64_t gntref_alloc(struct gntref_pool *p);
int gntref_free(struct gntref_pool *p, uint32_t r);

#endif
