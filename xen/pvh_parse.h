/* SPDX-License-Identifier: BSD-2-Clause */
/* pvh_parse.c: the pure part of the PVH boot protocol. */
#ifndef XEN_PVH_PARSE_H
#define XEN_PVH_PARSE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

struct hvm_memmap_table_entry;
struct boot_info;

int pvh_parse_memmap(const struct hvm_memmap_table_entry *entries,
                     uint32_t count, struct boot_info *bi, size_t *dropped,
                     char *err, size_t errlen);

#endif
