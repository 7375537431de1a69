/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's <time.h>, plus timegm() (BSD and glibc declare it here;
 * lib/posix/system.c): mktime for UTC, which is the guest's only zone.
 */
#ifndef XENOLITH_TIME_H
#define XENOLITH_TIME_H

#include_next <time.h>

#ifdef __cplusplus
extern "C" {
#endif

time_t timegm(struct tm *tm);

#ifdef __cplusplus
}
#endif

#endif
