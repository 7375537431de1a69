/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The rest of POSIX threads (docs/posix.md), on the kernel's cooperative
 * threads: read-write locks, barriers, spin locks, names, fork handlers,
 * cancellation and the attributes that lib/newlib/pthread.c leaves out.
 *
 * newlib's pthread_rwlock_t, pthread_barrier_t and pthread_spinlock_t
 * are 32-bit values. A spin lock is the value itself (threads are
 * cooperative, so spinning would never end: a held lock yields until it
 * is free). A read-write lock or barrier is an index + 1 into a table
 * here (0xFFFFFFFF for a statically initialised rwlock, given its entry
 * on first use).
 *
 * Cancellation is not supported: pthread_cancel() fails with ENOSYS and
 * logs it; the cancel-state calls work, as there is nothing to defer.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenolith.h>
#include <xn_posix.h>

#define STATIC_INIT 0xFFFFFFFFu
/* newlib defines these only with _POSIX_THREAD_PROCESS_SHARED. */
#ifndef PTHREAD_PROCESS_PRIVATE
#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1
#endif

struct rw {
    bool used;
    struct xn_mutex *m;
    struct xn_cond *c;
    unsigned readers;           /* holding it to read */
    unsigned writers_waiting;
    struct xn_thread *writer;   /* holding it to write */
};

struct bar {
    bool used;
    struct xn_mutex *m;
    struct xn_cond *c;
    unsigned count, waiting;
    unsigned long round;
};

static struct rw **rws;
static size_t nrws;
static struct bar **bars;
static size_t nbars;

/* A timed wait's deadline (0: the time is not valid). */
static uint64_t abstime_deadline(const struct timespec *abs)
{
    if (abs == NULL || abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000L)
        return 0;
    /* CLOCK_REALTIME, as POSIX specifies for these timed waits. */
    return posix_deadline(CLOCK_REALTIME, abs);
}

/* ---------------------------------------------------------------- read-write locks */

int pthread_rwlockattr_init(pthread_rwlockattr_t *a) { memset(a, 0, sizeof(*a)); a->is_initialized = 1; return 0; }
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a) { a->is_initialized = 0; return 0; }
int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *a, int *p) { (void)a; *p = PTHREAD_PROCESS_PRIVATE; return 0; }
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *a, int p) { (void)a; return p == PTHREAD_PROCESS_PRIVATE || p == PTHREAD_PROCESS_SHARED ? 0 : EINVAL; }

int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
    (void)a;
    long i = posix_table_slot((void ***)&rws, &nrws, sizeof(struct rw));
    if (i < 0)
        return ENOMEM;
    struct rw *r = rws[i];
    r->m = xn_mutex_create();
    r->c = xn_cond_create();
    if (r->m == NULL || r->c == NULL)
        return ENOMEM;
    r->used = true;
    *l = (pthread_rwlock_t)(i + 1);
    return 0;
}

static struct rw *rw_get(pthread_rwlock_t *l)
{
    if (*l == STATIC_INIT && pthread_rwlock_init(l, NULL) != 0)
        return NULL;
    if (*l == 0 || *l > nrws || !rws[*l - 1]->used)
        return NULL;
    return rws[*l - 1];
}

int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
    struct rw *r = *l == STATIC_INIT ? NULL : rw_get(l);
    if (*l == STATIC_INIT)
        return 0;
    if (r == NULL)
        return EINVAL;
    if (r->readers != 0 || r->writer != NULL)
        return EBUSY;
    xn_mutex_destroy(r->m);
    xn_cond_destroy(r->c);
    r->used = false;
    *l = 0;
    return 0;
}

static int rdlock(pthread_rwlock_t *l, bool try, uint64_t deadline)
{
    struct rw *r = rw_get(l);
    if (r == NULL)
        return EINVAL;
    if (r->writer == xn_thread_self())
        return try ? EBUSY : EDEADLK;
    xn_mutex_lock(r->m);
    /* Writers first, so that readers cannot starve them. */
    while (r->writer != NULL || r->writers_waiting > 0) {
        if (try || (deadline != 0 && xn_cond_wait(r->c, r->m, deadline) == -ETIMEDOUT)) {
            xn_mutex_unlock(r->m);
            return try ? EBUSY : ETIMEDOUT;
        }
        if (deadline == 0)
            xn_cond_wait(r->c, r->m, 0);
    }
    r->readers++;
    xn_mutex_unlock(r->m);
    return 0;
}

static int wrlock(pthread_rwlock_t *l, bool try, uint64_t deadline)
{
    struct rw *r = rw_get(l);
    if (r == NULL)
        return EINVAL;
    if (r->writer == xn_thread_self())
        return try ? EBUSY : EDEADLK;
    xn_mutex_lock(r->m);
    r->writers_waiting++;
    while (r->writer != NULL || r->readers > 0) {
        if (try || (deadline != 0 && xn_cond_wait(r->c, r->m, deadline) == -ETIMEDOUT)) {
            r->writers_waiting--;
            xn_cond_broadcast(r->c);
            xn_mutex_unlock(r->m);
            return try ? EBUSY : ETIMEDOUT;
        }
        if (deadline == 0)
            xn_cond_wait(r->c, r->m, 0);
    }
    r->writers_waiting--;
    r->writer = xn_thread_self();
    xn_mutex_unlock(r->m);
    return 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l) { return rdlock(l, false, 0); }
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l) { return rdlock(l, true, 0); }
int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *t)
{
    uint64_t d = abstime_deadline(t);
    return d == 0 ? EINVAL : rdlock(l, false, d);
}
int pthread_rwlock_wrlock(pthread_rwlock_t *l) { return wrlock(l, false, 0); }
int pthread_rwlock_trywrlock(pthread_rwlock_t *l) { return wrlock(l, true, 0); }
int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *t)
{
    uint64_t d = abstime_deadline(t);
    return d == 0 ? EINVAL : wrlock(l, false, d);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
    struct rw *r = rw_get(l);
    if (r == NULL)
        return EINVAL;
    xn_mutex_lock(r->m);
    if (r->writer == xn_thread_self()) {
        r->writer = NULL;
    } else if (r->readers > 0) {
        r->readers--;
    } else {
        xn_mutex_unlock(r->m);
        return EPERM;
    }
    xn_cond_broadcast(r->c);
    xn_mutex_unlock(r->m);
    return 0;
}

/* ---------------------------------------------------------------- barriers */

int pthread_barrierattr_init(pthread_barrierattr_t *a) { memset(a, 0, sizeof(*a)); a->is_initialized = 1; return 0; }
int pthread_barrierattr_destroy(pthread_barrierattr_t *a) { a->is_initialized = 0; return 0; }
int pthread_barrierattr_getpshared(const pthread_barrierattr_t *a, int *p) { (void)a; *p = PTHREAD_PROCESS_PRIVATE; return 0; }
int pthread_barrierattr_setpshared(pthread_barrierattr_t *a, int p) { (void)a; return p == PTHREAD_PROCESS_PRIVATE || p == PTHREAD_PROCESS_SHARED ? 0 : EINVAL; }

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
    (void)a;
    if (count == 0)
        return EINVAL;
    long i = posix_table_slot((void ***)&bars, &nbars, sizeof(struct bar));
    if (i < 0)
        return ENOMEM;
    struct bar *p = bars[i];
    p->m = xn_mutex_create();
    p->c = xn_cond_create();
    if (p->m == NULL || p->c == NULL)
        return ENOMEM;
    p->count = count;
    p->waiting = 0;
    p->used = true;
    *b = (pthread_barrier_t)(i + 1);
    return 0;
}

static struct bar *bar_get(pthread_barrier_t *b)
{
    if (*b == 0 || *b > nbars || !bars[*b - 1]->used)
        return NULL;
    return bars[*b - 1];
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
    struct bar *p = bar_get(b);
    if (p == NULL)
        return EINVAL;
    if (p->waiting > 0)
        return EBUSY;
    xn_mutex_destroy(p->m);
    xn_cond_destroy(p->c);
    p->used = false;
    *b = 0;
    return 0;
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
    struct bar *p = bar_get(b);
    if (p == NULL)
        return EINVAL;
    xn_mutex_lock(p->m);
    unsigned long round = p->round;
    if (++p->waiting == p->count) {
        p->waiting = 0;
        p->round++;
        xn_cond_broadcast(p->c);
        xn_mutex_unlock(p->m);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    while (p->round == round)
        xn_cond_wait(p->c, p->m, 0);
    xn_mutex_unlock(p->m);
    return 0;
}

/* ---------------------------------------------------------------- spin locks */

int pthread_spin_init(pthread_spinlock_t *s, int pshared) { (void)pshared; *s = 0; return 0; }
int pthread_spin_destroy(pthread_spinlock_t *s) { return *s != 0 ? EBUSY : 0; }
int pthread_spin_trylock(pthread_spinlock_t *s) { if (*s != 0) return EBUSY; *s = 1; return 0; }
int pthread_spin_unlock(pthread_spinlock_t *s) { *s = 0; return 0; }

int pthread_spin_lock(pthread_spinlock_t *s)
{
    while (*s != 0)
        xn_thread_yield();              /* the holder runs only if we let it */
    *s = 1;
    return 0;
}

/* ---------------------------------------------------------------- the rest */

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
    (void)prepare, (void)parent, (void)child;
    return 0;                           /* fork() never succeeds: they never run */
}

int pthread_cancel(pthread_t t)
{
    (void)t;
    posix_unsupported("pthread_cancel", ENOSYS, "threads cannot be cancelled");
    return ENOSYS;
}

int pthread_setcancelstate(int state, int *old)
{
    if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
        return EINVAL;
    if (old != NULL)
        *old = PTHREAD_CANCEL_ENABLE;
    return 0;
}

int pthread_setcanceltype(int type, int *old)
{
    if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
        return EINVAL;
    if (old != NULL)
        *old = PTHREAD_CANCEL_DEFERRED;
    return 0;
}

void pthread_testcancel(void)
{
}

#define NAME_MAX_LEN 16
static struct {
    pthread_t t;
    char name[NAME_MAX_LEN];
} names[64];

int pthread_setname_np(pthread_t t, const char *name)
{
    if (strlen(name) >= NAME_MAX_LEN)
        return ERANGE;
    int free_slot = -1;
    for (int i = 0; i < 64; i++) {
        if (names[i].name[0] != '\0' && names[i].t == t) {
            strcpy(names[i].name, name);
            return 0;
        }
        if (names[i].name[0] == '\0' && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0)
        return ENOMEM;
    names[free_slot].t = t;
    strcpy(names[free_slot].name, name);
    return 0;
}

int pthread_getname_np(pthread_t t, char *buf, size_t len)
{
    const char *n = "";
    for (int i = 0; i < 64; i++)
        if (names[i].name[0] != '\0' && names[i].t == t)
            n = names[i].name;
    if (strlen(n) >= len)
        return ERANGE;
    strcpy(buf, n);
    return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *a, size_t size)
{
    (void)a, (void)size;
    return 0;                           /* every thread has one guard page */
}

int pthread_attr_getguardsize(const pthread_attr_t *a, size_t *size)
{
    (void)a;
    *size = 4096;
    return 0;
}

int pthread_attr_setscope(pthread_attr_t *a, int scope)
{
    (void)a;
    return scope == PTHREAD_SCOPE_SYSTEM || scope == PTHREAD_SCOPE_PROCESS ? 0 : EINVAL;
}

int pthread_attr_getscope(const pthread_attr_t *a, int *scope)
{
    (void)a;
    *scope = PTHREAD_SCOPE_SYSTEM;
    return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *a, int inherit)
{
    (void)a;
    return inherit == PTHREAD_INHERIT_SCHED || inherit == PTHREAD_EXPLICIT_SCHED ? 0 : EINVAL;
}

int pthread_attr_getinheritsched(const pthread_attr_t *a, int *inherit)
{
    (void)a;
    *inherit = PTHREAD_INHERIT_SCHED;
    return 0;
}

int pthread_attr_setschedpolicy(pthread_attr_t *a, int policy)
{
    (void)a;
    return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR ? 0 : EINVAL;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *a, int *policy)
{
    (void)a;
    *policy = SCHED_OTHER;
    return 0;
}

int pthread_setconcurrency(int level) { return level < 0 ? EINVAL : 0; }
int pthread_getconcurrency(void) { return 1; }

int sched_getcpu(void) { return 0; }

int sched_get_priority_max(int policy) { (void)policy; return 0; }
int sched_get_priority_min(int policy) { (void)policy; return 0; }
