/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test of POSIX threads as an ordinary program uses them: create and
 * join with results, a mutex-protected counter across sched_yield(), a
 * condition variable (signal, and a timed wait that times out), once,
 * thread-specific keys with destructors, detached threads, recursive and
 * error-checking mutexes, pthread_self/equal. Prints PASS or FAIL lines.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

static int bad;
#define EXPECT(cond, what) do { if (!(cond)) { printf("FAIL %s (line %d)\n", what, __LINE__); bad = 1; } } while (0)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;

static void *worker(void *arg)
{
    for (int i = 0; i < 500; i++) {
        pthread_mutex_lock(&lock);
        long v = counter;
        sched_yield();                  /* others run, but must wait for the lock */
        counter = v + 1;
        pthread_mutex_unlock(&lock);
    }
    return (void *)((long)arg + 100);
}

static void *signaller(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    ready = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void init_once(void) { once_runs++; }

static pthread_key_t key;
static int destructed;
static void key_dtor(void *v) { destructed += (int)(long)v; }

static void *keyed(void *arg)
{
    pthread_once(&once, init_once);
    pthread_setspecific(key, arg);
    return pthread_getspecific(key);
}

static volatile int detached_ran;
static void *detached(void *arg)
{
    (void)arg;
    printf("printed from a detached thread\n");    /* stdout is shared */
    detached_ran = 1;
    return NULL;
}

int main(void)
{
    pthread_t t[4];
    for (long i = 0; i < 4; i++)
        EXPECT(pthread_create(&t[i], NULL, worker, (void *)i) == 0, "create");
    for (long i = 0; i < 4; i++) {
        void *rv;
        EXPECT(pthread_join(t[i], &rv) == 0 && (long)rv == i + 100, "join result");
    }
    EXPECT(counter == 2000, "mutex kept every increment");
    if (counter == 2000)
        printf("PASS create, join, mutex across yields (2000 of 2000)\n");

    pthread_t s;
    pthread_mutex_lock(&lock);
    pthread_create(&s, NULL, signaller, NULL);
    while (!ready)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    pthread_join(s, NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&lock);
    int rc = pthread_cond_timedwait(&cond, &lock, &ts);
    pthread_mutex_unlock(&lock);
    EXPECT(rc == ETIMEDOUT, "timed wait times out");
    if (rc == ETIMEDOUT && ready)
        printf("PASS condition variable: signal and timed wait\n");

    EXPECT(pthread_key_create(&key, key_dtor) == 0, "key");
    pthread_t k1, k2;
    void *r1, *r2;
    pthread_create(&k1, NULL, keyed, (void *)3L);
    pthread_create(&k2, NULL, keyed, (void *)4L);
    pthread_join(k1, &r1);
    pthread_join(k2, &r2);
    EXPECT((long)r1 == 3 && (long)r2 == 4, "per-thread values");
    EXPECT(destructed == 7, "key destructors ran");
    EXPECT(once_runs == 1, "once ran once");
    if ((long)r1 == 3 && destructed == 7 && once_runs == 1)
        printf("PASS once and thread-specific keys with destructors\n");

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    EXPECT(pthread_create(&d, &attr, detached, NULL) == 0, "detached create");
    EXPECT(pthread_join(d, NULL) == EINVAL, "join of a detached thread refused");
    struct timespec ms = { 0, 5 * 1000000L };
    nanosleep(&ms, NULL);
    EXPECT(detached_ran, "detached thread ran");

    pthread_mutexattr_t ma;
    pthread_mutex_t rec, chk;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &ma);
    EXPECT(pthread_mutex_lock(&rec) == 0 && pthread_mutex_lock(&rec) == 0 &&
           pthread_mutex_unlock(&rec) == 0 && pthread_mutex_unlock(&rec) == 0, "recursive");
    EXPECT(pthread_mutex_unlock(&rec) == EPERM, "unlock when not owner");
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&chk, &ma);
    pthread_mutex_lock(&chk);
    EXPECT(pthread_mutex_lock(&chk) == EDEADLK, "error-checking relock");
    EXPECT(pthread_mutex_trylock(&chk) == EBUSY, "trylock of a held mutex");
    pthread_mutex_unlock(&chk);
    EXPECT(pthread_equal(pthread_self(), pthread_self()), "self");
    if (!bad)
        printf("PASS detached threads, recursive and error-checking mutexes\n");

    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
