/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's per-thread state: every thread gets its own struct _reent
 * (errno, strtok's state, ...), installed as _impure_ptr whenever the
 * scheduler switches to it. stdin, stdout and stderr are shared by all
 * threads (newlib is built with --enable-newlib-global-stdio-streams).
 */
#include <reent.h>
#include <stdlib.h>

#include <xenolith.h>

static void *reent_new(void)
{
    struct _reent *r = malloc(sizeof(*r));
    if (r != NULL)
        _REENT_INIT_PTR(r);
    return r;
}

static void reent_free(void *p)
{
    struct _reent *r = p;
    _reclaim_reent(r);
    free(r);
}

static struct _reent *main_reent;

/* Kernel threads created before the C library started have no state of
 * their own; they use the main thread's. */
static void reent_switch(void *p)
{
    _impure_ptr = p != NULL ? p : main_reent;
}

void libc_threads_init(void)
{
    main_reent = _impure_ptr;
    xn_set_thread_hooks(reent_new, reent_free, reent_switch, _impure_ptr);
}
