/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's <stdlib.h>, plus getloadavg() (BSD and glibc declare it here;
 * lib/posix/system.c).
 */
#ifndef XENOLITH_STDLIB_H
#define XENOLITH_STDLIB_H

#include_next <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

int getloadavg(double loadavg[], int nelem);

#ifdef __cplusplus
}
#endif

#endif
