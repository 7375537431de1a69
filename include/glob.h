/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's (4.4BSD) <glob.h> with POSIX's names and defaults on top:
 * glob() (lib/posix/path.c) returns GLOB_NOMATCH when nothing matches
 * (BSD's returns 0 with no paths), and a backslash quotes the next
 * character unless GLOB_NOESCAPE (BSD's needs GLOB_QUOTE).
 */
#ifndef XENOLITH_GLOB_H
#define XENOLITH_GLOB_H

#include_next <glob.h>

#define GLOB_NOESCAPE 0x2000    /* backslashes are ordinary characters */
#define GLOB_ABORTED  GLOB_ABEND
#define GLOB_NOMATCH  (-3)
#define GLOB_NOSYS    (-4)

#endif
