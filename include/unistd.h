/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's <unistd.h>, plus get_current_dir_name() whatever the feature
 * macros: programs written for Linux call it where only __linux__ made
 * _GNU_SOURCE visible to them (Debian's Redis does), and an implicit
 * declaration would truncate the pointer it returns.
 */
#ifndef XENOLITH_UNISTD_H
#define XENOLITH_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

char *get_current_dir_name(void);

#ifdef __cplusplus
}
#endif

#endif
