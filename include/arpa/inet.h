/* SPDX-License-Identifier: BSD-2-Clause */
/* Address conversions. htons() and friends come from lwIP. */
#ifndef XENOLITH_ARPA_INET_H
#define XENOLITH_ARPA_INET_H

#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
/* inet_addr(), inet_aton() and inet_ntoa() are lwIP's macros. */

#ifdef __cplusplus
}
#endif
#endif
