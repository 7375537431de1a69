/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's <limits.h> (and through it gcc's), plus the POSIX limits it
 * leaves out for this target.
 */
#ifndef XENOLITH_LIMITS_H
#define XENOLITH_LIMITS_H

#include_next <limits.h>

#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

#endif
