/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One printf engine in an image, not two. newlib compiles its vfprintf.c
 * twice: _vfprintf_r for streams, and _svfprintf_r for sprintf, snprintf,
 * vsnprintf, asprintf and the rest of the string family; each is about
 * 14 KB. This _svfprintf_r replaces libc's (an image that defines it never
 * links libc's copy): it runs the stream engine on the string "file" the
 * caller set up. newlib's stream writer (__sfvwrite_r) handles string
 * files itself: it copies what fits and counts the rest (snprintf), or
 * grows the buffer (the asprintf family, __SMBF).
 *
 * The caller's FILE lives on its stack with only the fields a string
 * needs set, so the engine gets a clean copy (no lock: __SNLK), and what
 * the writes moved (position, room, buffer, flags) is copied back.
 */
#include <errno.h>
#include <newlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <reent.h>

/* Without it, the stream engine writes a string through __swbuf_r and a
 * flush, which a string "file" cannot take. */
#ifndef _FVWRITE_IN_STREAMIO
#error "lib/newlib/svfprintf.c needs newlib built with _FVWRITE_IN_STREAMIO"
#endif

int _vfprintf_r(struct _reent *r, FILE *fp, const char *fmt, va_list ap);
int _svfprintf_r(struct _reent *r, FILE *fp, const char *fmt, va_list ap);

int _svfprintf_r(struct _reent *r, FILE *fp, const char *fmt, va_list ap)
{
    if ((fp->_flags & __SMBF) && fp->_bf._base == NULL) {
        /* The asprintf family starts without a buffer: as newlib does. */
        fp->_bf._base = fp->_p = _malloc_r(r, 64);
        if (fp->_p == NULL) {
            r->_errno = ENOMEM;
            return EOF;
        }
        fp->_bf._size = 64;
    }
    FILE s;
    memset(&s, 0, sizeof(s));
    s._flags = fp->_flags;
    s._flags2 = __SNLK;
    s._file = -1;
    s._bf = fp->_bf;
    s._p = fp->_p;
    s._w = fp->_w;
    int n = _vfprintf_r(r, &s, fmt, ap);
    fp->_flags = s._flags;
    fp->_bf = s._bf;
    fp->_p = s._p;
    fp->_w = s._w;
    return n;
}
