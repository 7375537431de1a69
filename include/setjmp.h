/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's <setjmp.h>, plus POSIX's sigsetjmp() and siglongjmp(), which
 * newlib gives only to Cygwin and RTEMS: a jump buffer with the signal
 * mask (lib/posix/signal.c restores it).
 */
#ifndef XENOLITH_SETJMP_H
#define XENOLITH_SETJMP_H

#include_next <setjmp.h>
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    jmp_buf __jb;
    int __savemask;
    sigset_t __mask;
} sigjmp_buf[1];

/* setjmp() must run in the caller's frame: a macro. */
#define sigsetjmp(env, savemask)                                                \
    __extension__({                                                             \
        __typeof__((env)[0]) *__sj = (env);                                     \
        __sj->__savemask = (savemask);                                          \
        if (__sj->__savemask)                                                   \
            sigprocmask(SIG_BLOCK, (const sigset_t *)0, &__sj->__mask);         \
        setjmp(__sj->__jb);                                                     \
    })
void siglongjmp(sigjmp_buf env, int val) __attribute__((__noreturn__));
#define _setjmp(env) setjmp(env)
#define _longjmp(env, val) longjmp(env, val)

#ifdef __cplusplus
}
#endif

#endif
