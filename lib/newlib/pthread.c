/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX threads on the kernel's cooperative threads (include/xenolith.h).
 * newlib declares the API and types (_POSIX_THREADS); its pthread_t,
 * pthread_mutex_t, pthread_cond_t and pthread_key_t are 32-bit handles,
 * so each is an index into a table here. Statically initialised mutexes
 * and conditions (0xFFFFFFFF) get their table entry on first use.
 *
 * There is no preemption: a thread runs until it blocks, sleeps or
 * yields, so the tables need no locks of their own.
 *
 * Supported: create (joinable or detached, stack size), join, detach,
 * exit, self, equal, once, keys with destructors; mutexes (normal,
 * recursive, error-checking) with trylock; conditions with timed waits on
 * CLOCK_REALTIME (default) or CLOCK_MONOTONIC; sched_yield.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenolith.h>
#include <xn_posix.h>

#define MAX_KEYS 64
#ifndef PTHREAD_DESTRUCTOR_ITERATIONS
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#endif
#define INITIALIZER 0xFFFFFFFFu

struct pt {
    bool used, detached, finished;
    struct xn_thread *t;
    void *(*fn)(void *);
    void *arg;
    void *specific[MAX_KEYS];
};

struct pm {
    bool used;
    int type;
    struct xn_mutex *m;
    struct xn_thread *owner;
    unsigned depth;
};

struct pc {
    bool used;
    clockid_t clock;
    struct xn_cond *c;
};

/*
 * Tables of pointers: an entry never moves once allocated (threads block
 * while holding pointers to entries), only the pointer arrays grow.
 */
static struct {
    struct pt **threads;        /* index 0: the main thread */
    size_t nthreads;
    struct pm **mutexes;        /* handle h is mutexes[h - 1] */
    size_t nmutexes;
    struct pc **conds;
    size_t nconds;
    bool key_used[MAX_KEYS];
    void (*key_dtor[MAX_KEYS])(void *);
} pt;

/*
 * A free slot in a table of (*n) entry pointers, its entry allocated
 * (zeroed, (size) bytes, with the "used" flag first); grows the table.
 * (lib/posix/pthread_more.c keeps its locks in such tables too.)
 */
long posix_table_slot(void ***table, size_t *n, size_t size)
{
    size_t i = 0;
    while (i < *n && (*table)[i] != NULL && *(bool *)(*table)[i])
        i++;
    if (i == *n) {
        size_t grow = *n == 0 ? 8 : *n * 2;
        void **t = realloc(*table, grow * sizeof(void *));
        if (t == NULL)
            return -1;
        memset(t + *n, 0, (grow - *n) * sizeof(void *));
        *table = t;
        *n = grow;
    }
    if ((*table)[i] == NULL && ((*table)[i] = calloc(1, size)) == NULL)
        return -1;
    return (long)i;
}

static struct pt *current(void)
{
    struct xn_thread *self = xn_thread_self();
    if (pt.nthreads == 0) {     /* first use: the main thread is slot 0 */
        if (posix_table_slot((void ***)&pt.threads, &pt.nthreads, sizeof(struct pt)) != 0)
            return NULL;
        pt.threads[0]->used = true;
        pt.threads[0]->t = self;
    }
    for (size_t i = 0; i < pt.nthreads; i++)
        if (pt.threads[i] != NULL && pt.threads[i]->used && pt.threads[i]->t == self)
            return pt.threads[i];
    return NULL;
}

static void run_key_destructors(struct pt *p)
{
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
        bool any = false;
        for (int k = 0; k < MAX_KEYS; k++) {
            void *v = p->specific[k];
            if (v != NULL && pt.key_used[k] && pt.key_dtor[k] != NULL) {
                p->specific[k] = NULL;
                pt.key_dtor[k](v);
                any = true;
            }
        }
        if (!any)
            break;
    }
}

void pthread_exit(void *retval)
{
    struct pt *p = current();
    if (p == NULL || p == pt.threads[0])
        exit(0);                /* the main thread: the app ends */
    run_key_destructors(p);
    p->finished = true;
    if (p->detached)
        p->used = false;
    xn_thread_exit(retval);
}

static void *start(void *arg)
{
    struct pt *p = pt.threads[(size_t)arg];
    pthread_exit(p->fn(p->arg));
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                   void *(*fn)(void *), void *arg)
{
    if (current() == NULL)
        return EAGAIN;
    long slot = posix_table_slot((void ***)&pt.threads, &pt.nthreads, sizeof(struct pt));
    if (slot < 0)
        return EAGAIN;
    struct pt *p = pt.threads[slot];
    memset(p, 0, sizeof(*p));
    p->used = true;
    p->fn = fn;
    p->arg = arg;
    p->detached = attr != NULL && attr->detachstate == PTHREAD_CREATE_DETACHED;
    size_t stack = attr != NULL && attr->stacksize > 0 ? (size_t)attr->stacksize : 0;
    p->t = xn_thread_create("pthread", start, (void *)(size_t)slot, stack);
    if (p->t == NULL) {
        p->used = false;
        return EAGAIN;
    }
    if (p->detached)
        xn_thread_detach(p->t);
    *thread = (pthread_t)slot;
    return 0;
}

static struct pt *lookup(pthread_t t)
{
    if (t >= pt.nthreads || pt.threads[t] == NULL || !pt.threads[t]->used)
        return NULL;
    return pt.threads[t];
}

int pthread_join(pthread_t thread, void **retval)
{
    struct pt *p = lookup(thread);
    if (p == NULL)
        return ESRCH;
    if (p == current())
        return EDEADLK;
    if (p->detached)
        return EINVAL;
    int rc = xn_thread_join(p->t, retval);
    if (rc != 0)
        return -rc;
    p->used = false;
    return 0;
}

int pthread_detach(pthread_t thread)
{
    struct pt *p = lookup(thread);
    if (p == NULL)
        return ESRCH;
    if (p->detached)
        return EINVAL;
    p->detached = true;
    bool finished = p->finished;
    xn_thread_detach(p->t);
    if (finished)
        p->used = false;
    return 0;
}

pthread_t pthread_self(void)
{
    struct pt *p = current();
    if (p == NULL)
        return 0;
    for (size_t i = 0; i < pt.nthreads; i++)
        if (pt.threads[i] == p)
            return (pthread_t)i;
    return 0;
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

int sched_yield(void)
{
    xn_thread_yield();
    return 0;
}

int pthread_attr_init(pthread_attr_t *a)
{
    memset(a, 0, sizeof(*a));
    a->is_initialized = 1;
    a->detachstate = PTHREAD_CREATE_JOINABLE;
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
    a->is_initialized = 0;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
    if (state != PTHREAD_CREATE_DETACHED && state != PTHREAD_CREATE_JOINABLE)
        return EINVAL;
    a->detachstate = state;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state)
{
    *state = a->detachstate;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
    if (size < 16384 || size > (size_t)0x7fffffff)
        return EINVAL;
    a->stacksize = (int)size;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
    *size = a->stacksize > 0 ? (size_t)a->stacksize : 65536;
    return 0;
}

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
    /* 0: not run, 2: running (others wait), 1: done. */
    while (once->init_executed == 2)
        xn_thread_yield();
    if (once->init_executed == 0) {
        once->init_executed = 2;
        fn();
        once->init_executed = 1;
    }
    return 0;
}

int pthread_key_create(pthread_key_t *key, void (*dtor)(void *))
{
    for (int k = 0; k < MAX_KEYS; k++) {
        if (!pt.key_used[k]) {
            pt.key_used[k] = true;
            pt.key_dtor[k] = dtor;
            for (size_t i = 0; i < pt.nthreads; i++)
                if (pt.threads[i] != NULL)
                    pt.threads[i]->specific[k] = NULL;
            *key = (pthread_key_t)k;
            return 0;
        }
    }
    return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
    if (key >= MAX_KEYS || !pt.key_used[key])
        return EINVAL;
    pt.key_used[key] = false;
    pt.key_dtor[key] = NULL;
    return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
    struct pt *p = current();
    if (p == NULL || key >= MAX_KEYS || !pt.key_used[key])
        return NULL;
    return p->specific[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
    struct pt *p = current();
    if (p == NULL || key >= MAX_KEYS || !pt.key_used[key])
        return EINVAL;
    p->specific[key] = (void *)value;
    return 0;
}

/* ---- mutexes ---- */

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
    memset(a, 0, sizeof(*a));
    a->is_initialized = 1;
    a->type = PTHREAD_MUTEX_DEFAULT;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
    a->is_initialized = 0;
    return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
        type != PTHREAD_MUTEX_ERRORCHECK && type != PTHREAD_MUTEX_DEFAULT)
        return EINVAL;
    a->type = type;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
    *type = a->type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
    long slot = posix_table_slot((void ***)&pt.mutexes, &pt.nmutexes, sizeof(struct pm));
    if (slot < 0)
        return ENOMEM;
    struct pm *m = pt.mutexes[slot];
    memset(m, 0, sizeof(*m));
    m->m = xn_mutex_create();
    if (m->m == NULL)
        return ENOMEM;
    m->used = true;
    m->type = attr != NULL ? attr->type : PTHREAD_MUTEX_DEFAULT;
    *mutex = (pthread_mutex_t)(slot + 1);
    return 0;
}

static struct pm *mutex_get(pthread_mutex_t *mutex)
{
    if (*mutex == INITIALIZER && pthread_mutex_init(mutex, NULL) != 0)
        return NULL;
    if (*mutex == 0 || *mutex > pt.nmutexes || pt.mutexes[*mutex - 1] == NULL ||
        !pt.mutexes[*mutex - 1]->used)
        return NULL;
    return pt.mutexes[*mutex - 1];
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
    if (*mutex == INITIALIZER)
        return 0;
    struct pm *m = mutex_get(mutex);
    if (m == NULL)
        return EINVAL;
    if (m->owner != NULL)
        return EBUSY;
    xn_mutex_destroy(m->m);
    m->used = false;
    *mutex = 0;
    return 0;
}

static int mutex_lock(pthread_mutex_t *mutex, bool try)
{
    struct pm *m = mutex_get(mutex);
    if (m == NULL)
        return EINVAL;
    struct xn_thread *self = xn_thread_self();
    if (m->owner == self) {
        if (m->type == PTHREAD_MUTEX_RECURSIVE) {
            m->depth++;
            return 0;
        }
        if (m->type == PTHREAD_MUTEX_ERRORCHECK || try)
            return try ? EBUSY : EDEADLK;
    }
    if (try) {
        if (xn_mutex_trylock(m->m) != 0)
            return EBUSY;
    } else {
        xn_mutex_lock(m->m);
    }
    m->owner = self;
    m->depth = 1;
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    return mutex_lock(mutex, false);
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    return mutex_lock(mutex, true);
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    struct pm *m = mutex_get(mutex);
    if (m == NULL)
        return EINVAL;
    if (m->owner != xn_thread_self())
        return EPERM;
    if (--m->depth > 0)
        return 0;
    m->owner = NULL;
    xn_mutex_unlock(m->m);
    return 0;
}

/* ---- condition variables ---- */

int pthread_condattr_init(pthread_condattr_t *a)
{
    memset(a, 0, sizeof(*a));
    a->is_initialized = 1;
    a->clock = CLOCK_REALTIME;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a)
{
    a->is_initialized = 0;
    return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
        return EINVAL;
    a->clock = clock;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *clock)
{
    *clock = a->clock;
    return 0;
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
    long slot = posix_table_slot((void ***)&pt.conds, &pt.nconds, sizeof(struct pc));
    if (slot < 0)
        return ENOMEM;
    struct pc *c = pt.conds[slot];
    memset(c, 0, sizeof(*c));
    c->c = xn_cond_create();
    if (c->c == NULL)
        return ENOMEM;
    c->used = true;
    c->clock = attr != NULL ? attr->clock : CLOCK_REALTIME;
    *cond = (pthread_cond_t)(slot + 1);
    return 0;
}

static struct pc *cond_get(pthread_cond_t *cond)
{
    if (*cond == INITIALIZER && pthread_cond_init(cond, NULL) != 0)
        return NULL;
    if (*cond == 0 || *cond > pt.nconds || pt.conds[*cond - 1] == NULL ||
        !pt.conds[*cond - 1]->used)
        return NULL;
    return pt.conds[*cond - 1];
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
    if (*cond == INITIALIZER)
        return 0;
    struct pc *c = cond_get(cond);
    if (c == NULL)
        return EINVAL;
    xn_cond_destroy(c->c);
    c->used = false;
    *cond = 0;
    return 0;
}

static int cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, uint64_t deadline)
{
    struct pc *c = cond_get(cond);
    struct pm *m = mutex_get(mutex);
    if (c == NULL || m == NULL)
        return EINVAL;
    if (m->owner != xn_thread_self() || m->depth != 1)
        return EPERM;
    m->owner = NULL;
    int rc = xn_cond_wait(c->c, m->m, deadline);
    m->owner = xn_thread_self();
    m->depth = 1;
    return rc == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    return cond_wait(cond, mutex, 0);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime)
{
    struct pc *c = cond_get(cond);
    if (c == NULL || abstime == NULL || abstime->tv_nsec < 0 ||
        abstime->tv_nsec >= 1000000000L)
        return EINVAL;
    return cond_wait(cond, mutex, posix_deadline(c->clock, abstime));
}

/* (abstime) on (clock) as a monotonic deadline, never 0 (which means
 * none); saturating: a far-future abstime means no timeout. */
uint64_t posix_deadline(clockid_t clock, const struct timespec *abstime)
{
    struct timespec now;
    clock_gettime(clock, &now);
    int64_t secs = (int64_t)abstime->tv_sec - (int64_t)now.tv_sec;
    uint64_t mono = xn_clock_monotonic_ns(), deadline;
    if (secs < 0 || (secs == 0 && abstime->tv_nsec <= now.tv_nsec))
        deadline = mono;
    else if ((uint64_t)secs >= (UINT64_MAX - mono) / 1000000000ULL - 1)
        deadline = UINT64_MAX;
    else
        deadline = mono + (uint64_t)secs * 1000000000ULL + (uint64_t)abstime->tv_nsec -
                   (uint64_t)now.tv_nsec;
    return deadline == 0 ? 1 : deadline;
}

int pthread_cond_signal(pthread_cond_t *cond)
{
    struct pc *c = cond_get(cond);
    if (c == NULL)
        return EINVAL;
    xn_cond_signal(c->c);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
    struct pc *c = cond_get(cond);
    if (c == NULL)
        return EINVAL;
    xn_cond_broadcast(c->c);
    return 0;
}
