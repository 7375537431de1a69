/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * assert()'s failure path, as newlib prints it, but through fprintf: an
 * image then carries one printf engine, not also newlib's integer-only
 * one that its own __assert_func reaches through fiprintf (about 7 KB).
 */
#include <stdio.h>
#include <stdlib.h>

void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    fprintf(stderr, "assertion \"%s\" failed: file \"%s\", line %d%s%s\n", expr, file, line,
            func != NULL ? ", function: " : "", func != NULL ? func : "");
    abort();
}
