/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test of the kernel's threads, run directly in QEMU and on Xen: yields
 * and joins, a mutex and condition variable (producer and consumer),
 * sleep ordering, per-thread errno, a semaphore, a timed wait, a detached
 * thread; with "overflow" as argv[1], a thread overflows its stack into
 * its guard page. Prints PASS or FAIL lines; exits 0 only if all passed.
 * With "hog", a thread named "hog" runs 2.5 s without yielding (the
 * watchdog reports it); with "dump", a thread named "sleeper" blocks on a
 * condition and main sleeps until `xl shutdown` (a client asks for a
 * thread dump with `xl sysrq DOMAIN t` meanwhile).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"

#define MS 1000000ULL

static int bad;
#define EXPECT(cond, ...) do { if (!(cond)) { printf("FAIL line %d: ", __LINE__); \
    printf(__VA_ARGS__); printf("\n"); bad = 1; } } while (0)

static volatile int counter;

static void *incrementer(void *arg)
{
    for (int i = 0; i < 1000; i++) {
        int v = counter;
        if (i % 10 == 0)
            thread_yield();             /* others run; no preemption in between */
        counter = v + 1;
    }
    return (void *)((long)arg * 10);
}

static struct kmutex qlock;
static struct kcond qcond;
static int queue[4], qn, produced_done;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        kmutex_lock(&qlock);
        while (qn == 4)
            kcond_wait(&qcond, &qlock, 0);
        queue[qn++] = i;
        kcond_broadcast(&qcond);
        kmutex_unlock(&qlock);
    }
    kmutex_lock(&qlock);
    produced_done = 1;
    kcond_broadcast(&qcond);
    kmutex_unlock(&qlock);
    return NULL;
}

static char order[8];
static volatile int norder;

static void *sleeper(void *arg)
{
    long ms = (long)arg;
    thread_sleep_until(time_monotonic_ns() + (uint64_t)ms * MS);
    order[norder++] = ms == 10 ? 'B' : 'A';
    return NULL;
}

static void *errno_thread(void *arg)
{
    (void)arg;
    errno = EINVAL;
    thread_yield();
    return (void *)(long)errno;
}

static struct ksem sem;

static volatile int posted;

static void *poster(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        posted++;
        ksem_post(&sem);
        thread_yield();
    }
    return NULL;
}

static volatile int detached_ran;

static void *detached(void *arg)
{
    (void)arg;
    detached_ran = 1;
    return NULL;
}

static int deep(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    if (n < 0)
        return 0;
    return deep(n + 1) + pad[0];
}

static void *overflow(void *arg)
{
    (void)arg;
    return (void *)(long)deep(0);
}

static __attribute__((noinline)) void *hog(void *arg)
{
    (void)arg;
    uint64_t end = time_monotonic_ns() + 2500 * MS;
    while (time_monotonic_ns() < end)
        __asm__ volatile("pause");
    return NULL;
}

static struct kmutex dump_lock;
static struct kcond dump_cond;

static void *sleeper_forever(void *arg)
{
    (void)arg;
    kmutex_lock(&dump_lock);
    for (;;)
        kcond_wait(&dump_cond, &dump_lock, 0);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "hog") == 0) {
        struct thread *t = thread_create("hog", hog, NULL, 0);
        thread_join(t, NULL);
        printf("hog done\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "dump") == 0) {
        thread_create("sleeper", sleeper_forever, NULL, 0);
        printf("waiting for xl shutdown\n");
        for (;;)
            thread_sleep_until(time_monotonic_ns() + 1000 * MS);
    }
    if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
        struct thread *t = thread_create("deep", overflow, NULL, 16384);
        thread_join(t, NULL);
        printf("FAIL: the overflow did not fault\n");
        return 1;
    }

    struct thread *t[4];
    for (long i = 0; i < 4; i++)
        t[i] = thread_create("inc", incrementer, (void *)i, 0);
    for (long i = 0; i < 4; i++) {
        void *rv;
        EXPECT(thread_join(t[i], &rv) == 0 && (long)rv == i * 10, "join %ld", i);
    }
    /* Yields between read and write lose updates: proof that they ran
     * interleaved (without interleaving all 4000 would count); the last
     * ten increments of the last thread always count. */
    EXPECT(counter >= 10 && counter < 4000, "counter %d: the threads did not interleave",
           counter);
    if (counter >= 10 && counter < 4000)
        printf("PASS yield and join (%d of 4000 increments kept across interleaving)\n", counter);

    struct thread *p = thread_create("producer", producer, NULL, 0);
    int sum = 0, got = 0;
    kmutex_lock(&qlock);
    for (;;) {
        while (qn == 0 && !produced_done)
            kcond_wait(&qcond, &qlock, 0);
        if (qn == 0 && produced_done)
            break;
        sum += queue[--qn];
        got++;
        kcond_broadcast(&qcond);
    }
    kmutex_unlock(&qlock);
    thread_join(p, NULL);
    EXPECT(got == 100 && sum == 4950, "consumer got %d items, sum %d", got, sum);
    if (got == 100 && sum == 4950)
        printf("PASS mutex and condition variable: 100 items through a queue of 4\n");

    struct thread *a = thread_create("A", sleeper, (void *)30L, 0);
    struct thread *b = thread_create("B", sleeper, (void *)10L, 0);
    thread_join(a, NULL);
    thread_join(b, NULL);
    EXPECT(norder == 2 && order[0] == 'B' && order[1] == 'A', "order %.2s", order);
    if (norder == 2 && order[0] == 'B')
        printf("PASS sleeps wake in deadline order\n");

    errno = ENOENT;
    struct thread *e = thread_create("errno", errno_thread, NULL, 0);
    void *their;
    thread_join(e, &their);
    EXPECT(errno == ENOENT && (long)their == EINVAL, "errno: main %d, thread %ld", errno, (long)their);
    if (errno == ENOENT && (long)their == EINVAL)
        printf("PASS errno is per thread\n");

    /* A wait never returns before its post, and takes exactly one count. */
    ksem_init(&sem, 0);
    struct thread *s = thread_create("poster", poster, NULL, 0);
    int sem_ok = 1;
    for (int i = 0; i < 3; i++) {
        ksem_wait(&sem);
        if (posted < i + 1) {
            EXPECT(0, "semaphore wait %d returned after %d posts", i, posted);
            sem_ok = 0;
        }
    }
    thread_join(s, NULL);
    if (sem.count != 0) {
        EXPECT(0, "semaphore count %u after 3 posts and 3 waits", sem.count);
        sem_ok = 0;
    }
    ksem_init(&sem, 2);                 /* an initial count lets waits through */
    ksem_wait(&sem);
    ksem_wait(&sem);
    if (sem.count != 0) {
        EXPECT(0, "semaphore count %u after 2 waits on 2", sem.count);
        sem_ok = 0;
    }
    if (sem_ok)
        printf("PASS semaphore\n");

    struct kcond never = { { NULL, NULL } };
    struct kmutex m = { NULL, { NULL, NULL } };
    kmutex_lock(&m);
    uint64_t t0 = time_monotonic_ns();
    int rc = kcond_wait(&never, &m, t0 + 20 * MS);
    kmutex_unlock(&m);
    EXPECT(rc == -ETIMEDOUT && time_monotonic_ns() - t0 >= 20 * MS, "timed wait: %d", rc);
    if (rc == -ETIMEDOUT)
        printf("PASS timed wait times out\n");

    struct thread *d = thread_create("detached", detached, NULL, 0);
    thread_detach(d);
    thread_sleep_until(time_monotonic_ns() + 5 * MS);
    thread_yield();
    EXPECT(detached_ran, "detached thread did not run");

    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
