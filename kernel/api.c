/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel side of include/xenolith.h. */
#include <errno.h>
#include <stdlib.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"
#include "../include/xenolith.h"

void xn_console_write(const char *buf, size_t len)
{
    console_write(buf, len);
}

int xn_console_getc(void)
{
    return console_getc();
}

int xn_console_read(char *buf, size_t len)
{
    return console_read(buf, len);
}

uint64_t xn_clock_monotonic_ns(void)
{
    return time_monotonic_ns();
}

uint64_t xn_clock_wall_ns(void)
{
    return time_wallclock_ns();
}

void xn_sleep_until(uint64_t deadline_ns)
{
    time_sleep_until(deadline_ns);
}

void xn_heap_region(uintptr_t *start, uintptr_t *end)
{
    mm_heap_region(start, end);
}

int xn_mem_protect(void *addr, size_t len, int prot)
{
    uintptr_t a = (uintptr_t)addr, start, end;

    if ((a & (PAGE_SIZE - 1)) != 0 || len == 0 || len > UINTPTR_MAX - a - PAGE_SIZE)
        return -EINVAL;
    len = (len + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
    mm_heap_region(&start, &end);
    if (a < start || a + len > end)
        return -ENOMEM;
    int rc;
    switch (prot) {
    case XN_PROT_NONE: rc = mmu_unmap(a, len); break;
    case XN_PROT_READ: rc = mmu_map(a, a, len, MAP_RO); break;
    case XN_PROT_READ | XN_PROT_WRITE: rc = mmu_map(a, a, len, MAP_RW); break;
    case XN_PROT_READ | XN_PROT_EXEC: rc = mmu_map(a, a, len, MAP_RX); break;
    default: return (prot & XN_PROT_WRITE) && (prot & XN_PROT_EXEC) ? -ENOTSUP : -EINVAL;
    }
    return rc == 0 ? 0 : -EIO;
}

int xn_boot_module(const void **data, size_t *len)
{
    struct mem_range m;

    if (mm_module(&m) != 0)
        return -ENOENT;
    *data = (const void *)(uintptr_t)m.start;
    *len = (size_t)(m.end - m.start);
    return 0;
}

int xn_entropy(void *buf, size_t len)
{
    return entropy_get(buf, len) ? 0 : -EAGAIN;
}

void xn_set_thread_hooks(void *(*create)(void), void (*destroy)(void *),
                         void (*install)(void *), void *main_state)
{
    sched_set_libc_hooks(create, destroy, install, main_state);
}

void xn_exit(int status)
{
    power_exit(status);
}

void xn_crash(const char *reason)
{
    kprintf("xenolith: crash: %s\n", reason);
    backtrace_print((uint64_t)(uintptr_t)__builtin_return_address(0),
                    *(uint64_t *)__builtin_frame_address(0));
    power_crash();
}

void xn_log(enum xn_log_level level, const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    if ((int)level > (int)log_get_level())
        return;
    va_start(ap, fmt);
    kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    klog((enum log_level)level, "%s", buf);
}

/* Threads: struct xn_thread is the kernel's struct thread. */
struct xn_thread *xn_thread_create(const char *name, void *(*fn)(void *), void *arg,
                                   size_t stack_size)
{
    return (struct xn_thread *)thread_create(name, fn, arg, stack_size);
}

int xn_thread_join(struct xn_thread *t, void **retval)
{
    return thread_join((struct thread *)t, retval);
}

int xn_thread_detach(struct xn_thread *t)
{
    return thread_detach((struct thread *)t);
}

struct xn_thread *xn_thread_self(void)
{
    return (struct xn_thread *)thread_self();
}

void xn_thread_yield(void)
{
    thread_yield();
}

void xn_thread_exit(void *retval)
{
    thread_exit(retval);
}

struct xn_mutex *xn_mutex_create(void)
{
    return calloc(1, sizeof(struct kmutex));
}

void xn_mutex_destroy(struct xn_mutex *m)
{
    free(m);
}

void xn_mutex_lock(struct xn_mutex *m)
{
    kmutex_lock((struct kmutex *)m);
}

int xn_mutex_trylock(struct xn_mutex *m)
{
    return kmutex_trylock((struct kmutex *)m) ? 0 : -EBUSY;
}

int xn_mutex_unlock(struct xn_mutex *m)
{
    return kmutex_unlock((struct kmutex *)m);
}

struct xn_cond *xn_cond_create(void)
{
    return calloc(1, sizeof(struct kcond));
}

void xn_cond_destroy(struct xn_cond *c)
{
    free(c);
}

int xn_cond_wait(struct xn_cond *c, struct xn_mutex *m, uint64_t deadline_ns)
{
    return kcond_wait((struct kcond *)c, (struct kmutex *)m, deadline_ns);
}

void xn_cond_signal(struct xn_cond *c)
{
    kcond_signal((struct kcond *)c);
}

void xn_cond_broadcast(struct xn_cond *c)
{
    kcond_broadcast((struct kcond *)c);
}

void xn_timeline_mark(const char *what)
{
    timeline_mark(what);
}

void xn_timeline_print(void)
{
    timeline_print();
}
