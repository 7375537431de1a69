/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's <sys/stat.h> (struct stat and the rest are its), plus the
 * calls it declares only for other targets: lstat() and the *at() family
 * whatever the feature macros (docs/posix.md).
 */
#ifndef XENOLITH_SYS_STAT_H
#define XENOLITH_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict, struct stat *__restrict);
int fchmodat(int, const char *, mode_t, int);
int fstatat(int, const char *__restrict, struct stat *__restrict, int);
int mkdirat(int, const char *, mode_t);
int utimensat(int, const char *, const struct timespec *, int);
int futimens(int, const struct timespec *);
#ifndef UTIME_NOW
#define UTIME_NOW  (-2L)
#define UTIME_OMIT (-1L)
#endif

#ifdef __cplusplus
}
#endif

#endif
