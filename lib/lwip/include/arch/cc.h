/* SPDX-License-Identifier: BSD-2-Clause */
/* lwIP compiler and platform glue for Xenolith (newlib headers). */
#ifndef XENOLITH_LWIP_CC_H
#define XENOLITH_LWIP_CC_H

/* As for the rest of the image (Makefile): one fd_set size everywhere. */
#ifndef FD_SETSIZE
#define FD_SETSIZE 256
#endif

#include <sys/types.h>
#include <sys/time.h>
#include <limits.h>
#include <stdlib.h>

/* newlib's limits.h lacks SSIZE_MAX; without it lwIP typedefs its own
 * ssize_t, which conflicts with newlib's. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

void lwip_port_diag(const char *fmt, ...);
void lwip_port_assert(const char *msg, const char *file, int line);

#define LWIP_PLATFORM_DIAG(x)   do { lwip_port_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert((x), __FILE__, __LINE__)
/* TCP initial sequence numbers, DNS ids and ports: from the entropy source. */
uint32_t arc4random(void);
#define LWIP_RAND()             ((u32_t)arc4random())

#endif
