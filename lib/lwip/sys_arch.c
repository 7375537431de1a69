/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lwIP's OS layer (sys_arch) on the public thread API: semaphores and
 * mailboxes from mutexes and condition variables, threads, the clock.
 * Threads are cooperative, so lwIP's critical sections (sys_arch_protect)
 * need no lock: nothing else runs until the current thread blocks, and
 * interrupt handlers never call lwIP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith.h>

#include "lwip/opt.h"
#include "lwip/sys.h"

#include "port.h"

unsigned lwip_port_debug;               /* net.debug: lwIP's debug switches */

struct lwip_port_sem {
    struct xn_mutex *m;
    struct xn_cond *c;
    unsigned count;
};

struct lwip_port_mutex {
    struct xn_mutex *m;
};

struct lwip_port_mbox {
    struct xn_mutex *m;
    struct xn_cond *not_empty, *not_full;
    unsigned size, head, count;
    void *msgs[];
};

void sys_init(void)
{
}

u32_t sys_now(void)
{
    return (u32_t)(xn_clock_monotonic_ns() / 1000000ULL);
}

sys_prot_t sys_arch_protect(void)
{
    return 0;
}

void sys_arch_unprotect(sys_prot_t pval)
{
    (void)pval;
}

/* A deadline (monotonic ns) (timeout_ms) from now; 0 for none. */
static uint64_t deadline_after(u32_t timeout_ms)
{
    return timeout_ms == 0 ? 0 : xn_clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000ULL;
}

static u32_t ms_since(uint64_t start)
{
    return (u32_t)((xn_clock_monotonic_ns() - start) / 1000000ULL);
}

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    struct lwip_port_sem *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return ERR_MEM;
    s->m = xn_mutex_create();
    s->c = xn_cond_create();
    if (s->m == NULL || s->c == NULL) {
        xn_mutex_destroy(s->m);
        xn_cond_destroy(s->c);
        free(s);
        return ERR_MEM;
    }
    s->count = count;
    *sem = s;
    return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
    struct lwip_port_sem *s = *sem;
    if (s == NULL)
        return;
    xn_mutex_destroy(s->m);
    xn_cond_destroy(s->c);
    free(s);
    *sem = NULL;
}

void sys_sem_signal(sys_sem_t *sem)
{
    struct lwip_port_sem *s = *sem;
    xn_mutex_lock(s->m);
    s->count++;
    xn_cond_signal(s->c);
    xn_mutex_unlock(s->m);
}

static struct port_poll_wait *poll_waits;

void port_poll_wait_begin(struct port_poll_wait *w)
{
    w->sem = NULL;
    w->next = poll_waits;
    poll_waits = w;
}

void port_poll_wait_end(struct port_poll_wait *w)
{
    for (struct port_poll_wait **p = &poll_waits; *p != NULL; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            return;
        }
    }
}

static struct port_poll_wait *poll_wait_of(struct xn_thread *t)
{
    for (struct port_poll_wait *w = poll_waits; w != NULL; w = w->next)
        if (w->t == t)
            return w;
    return NULL;
}

void port_poll_wake(struct xn_thread *t)
{
    struct port_poll_wait *w = poll_wait_of(t);
    if (w != NULL && w->sem != NULL) {
        struct lwip_port_sem *s = w->sem;
        xn_mutex_lock(s->m);
        xn_cond_broadcast(s->c);
        xn_mutex_unlock(s->m);
    }
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
    struct lwip_port_sem *s = *sem;
    uint64_t start = xn_clock_monotonic_ns(), deadline = deadline_after(timeout);
    u32_t rc = 0;
    struct port_poll_wait *pw = poll_waits != NULL ? poll_wait_of(xn_thread_self()) : NULL;
    xn_mutex_lock(s->m);
    if (pw != NULL)
        pw->sem = s;
    while (s->count == 0) {
        if (pw != NULL && *pw->woken) {
            rc = SYS_ARCH_TIMEOUT;      /* poll() looks at its other descriptors */
            break;
        }
        if (xn_cond_wait(s->c, s->m, deadline) == -ETIMEDOUT && s->count == 0) {
            rc = SYS_ARCH_TIMEOUT;
            break;
        }
    }
    if (pw != NULL)
        pw->sem = NULL;
    if (rc == 0) {
        s->count--;
        rc = ms_since(start);
    }
    xn_mutex_unlock(s->m);
    return rc;
}

err_t sys_mutex_new(sys_mutex_t *mutex)
{
    struct lwip_port_mutex *m = malloc(sizeof(*m));
    if (m == NULL || (m->m = xn_mutex_create()) == NULL) {
        free(m);
        return ERR_MEM;
    }
    *mutex = m;
    return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *mutex)
{
    if (*mutex != NULL) {
        xn_mutex_destroy((*mutex)->m);
        free(*mutex);
        *mutex = NULL;
    }
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
    xn_mutex_lock((*mutex)->m);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
    xn_mutex_unlock((*mutex)->m);
}

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
    if (size <= 0)
        size = 64;
    struct lwip_port_mbox *b = calloc(1, sizeof(*b) + (size_t)size * sizeof(void *));
    if (b == NULL)
        return ERR_MEM;
    b->m = xn_mutex_create();
    b->not_empty = xn_cond_create();
    b->not_full = xn_cond_create();
    if (b->m == NULL || b->not_empty == NULL || b->not_full == NULL) {
        xn_mutex_destroy(b->m);
        xn_cond_destroy(b->not_empty);
        xn_cond_destroy(b->not_full);
        free(b);
        return ERR_MEM;
    }
    b->size = (unsigned)size;
    *mbox = b;
    return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
    struct lwip_port_mbox *b = *mbox;
    if (b == NULL)
        return;
    xn_mutex_destroy(b->m);
    xn_cond_destroy(b->not_empty);
    xn_cond_destroy(b->not_full);
    free(b);
    *mbox = NULL;
}

static void put(struct lwip_port_mbox *b, void *msg)
{
    b->msgs[(b->head + b->count) % b->size] = msg;
    b->count++;
    xn_cond_signal(b->not_empty);
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
    struct lwip_port_mbox *b = *mbox;
    xn_mutex_lock(b->m);
    while (b->count == b->size)
        xn_cond_wait(b->not_full, b->m, 0);
    put(b, msg);
    xn_mutex_unlock(b->m);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
    struct lwip_port_mbox *b = *mbox;
    err_t rc = ERR_MEM;
    xn_mutex_lock(b->m);
    if (b->count < b->size) {
        put(b, msg);
        rc = ERR_OK;
    }
    xn_mutex_unlock(b->m);
    return rc;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
    return sys_mbox_trypost(mbox, msg);
}

static void *take(struct lwip_port_mbox *b)
{
    void *msg = b->msgs[b->head];
    b->head = (b->head + 1) % b->size;
    b->count--;
    xn_cond_signal(b->not_full);
    return msg;
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
    struct lwip_port_mbox *b = *mbox;
    uint64_t start = xn_clock_monotonic_ns(), deadline = deadline_after(timeout);
    xn_mutex_lock(b->m);
    while (b->count == 0) {
        if (xn_cond_wait(b->not_empty, b->m, deadline) == -ETIMEDOUT && b->count == 0) {
            xn_mutex_unlock(b->m);
            return SYS_ARCH_TIMEOUT;
        }
    }
    void *m = take(b);
    if (msg != NULL)
        *msg = m;
    xn_mutex_unlock(b->m);
    return ms_since(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
    struct lwip_port_mbox *b = *mbox;
    u32_t rc = SYS_MBOX_EMPTY;
    xn_mutex_lock(b->m);
    if (b->count > 0) {
        void *m = take(b);
        if (msg != NULL)
            *msg = m;
        rc = 0;
    }
    xn_mutex_unlock(b->m);
    return rc;
}

struct thread_start {
    lwip_thread_fn fn;
    void *arg;
};

static void *thread_main(void *p)
{
    struct thread_start st = *(struct thread_start *)p;
    free(p);
    st.fn(st.arg);
    return NULL;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize,
                            int prio)
{
    (void)prio;
    struct thread_start *st = malloc(sizeof(*st));
    if (st == NULL)
        return NULL;
    st->fn = fn;
    st->arg = arg;
    struct xn_thread *t = xn_thread_create(name, thread_main, st,
                                           stacksize > 0 ? (size_t)stacksize : 0);
    if (t == NULL) {
        free(st);
        return NULL;
    }
    xn_thread_detach(t);
    return (sys_thread_t)t;
}

void lwip_port_diag(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* lwIP's messages end with their own newline. */
    if (n > 0 && (size_t)n < sizeof(line) && line[n - 1] == '\n')
        line[n - 1] = '\0';
    xn_log(XN_LOG_DEBUG, "lwip: %s", line);
}

void lwip_port_assert(const char *msg, const char *file, int line)
{
    char reason[192];
    snprintf(reason, sizeof(reason), "lwIP assertion failed: %s at %s:%d", msg, file, line);
    xn_crash(reason);
}
