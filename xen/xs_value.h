/* SPDX-License-Identifier: BSD-2-Clause */
/* xs_value.c: parsing values read from Xenstore. */
#ifndef XEN_XS_VALUE_H
#define XEN_XS_VALUE_H

#include <stdint.h>

int xs_parse_uint(const char *s, uint64_t max, uint64_t *out);

#endif
