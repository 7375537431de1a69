/* SPDX-License-Identifier: BSD-2-Clause */
/* BSD error reporting: messages go to stderr (the console). */
#ifndef _ERR_H_
#define _ERR_H_

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

void err(int, const char *, ...) __attribute__((noreturn, format(printf, 2, 3)));
void errx(int, const char *, ...) __attribute__((noreturn, format(printf, 2, 3)));
void verr(int, const char *, va_list) __attribute__((noreturn));
void verrx(int, const char *, va_list) __attribute__((noreturn));
void warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void vwarn(const char *, va_list);
void vwarnx(const char *, va_list);

#ifdef __cplusplus
}
#endif

#endif
