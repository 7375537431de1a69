/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole seam between newlib and the kernel. newlib, as built for
 * x86_64-elf, calls the plain POSIX names (write, sbrk, ...), so these
 * are defined here on top of include/xenolith.h only; this file knows
 * nothing of Xen. File descriptors (the console, files, sockets) are in
 * fd.c; files and directories in lib/fs.
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <malloc.h>

#include <xenolith.h>

pid_t getpid(void)
{
    return 1;
}

void *sbrk(ptrdiff_t incr)
{
    static uintptr_t start, end, brk;

    if (brk == 0) {
        xn_heap_region(&start, &end);
        brk = start;
    }
    if (incr > 0 && (uintptr_t)incr > end - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    if (incr < 0 && (uintptr_t)-incr > brk - start) {
        errno = EINVAL;
        return (void *)-1;
    }
    uintptr_t old = brk;
    brk += (uintptr_t)incr;
    return (void *)old;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    uint64_t ns;

    if (id == CLOCK_MONOTONIC)
        ns = xn_clock_monotonic_ns();
    else if (id == CLOCK_REALTIME)
        ns = xn_clock_wall_ns();
    else {
        errno = EINVAL;
        return -1;
    }
    ts->tv_sec = (time_t)(ns / 1000000000ULL);
    ts->tv_nsec = (long)(ns % 1000000000ULL);
    return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
    if (id != CLOCK_MONOTONIC && id != CLOCK_REALTIME) {
        errno = EINVAL;
        return -1;
    }
    if (res != NULL) {
        res->tv_sec = 0;
        res->tv_nsec = 1;
    }
    return 0;
}

/* The guest keeps UTC: a time zone asked for is UTC, no daylight saving
 * (programs that compute local time from tz_minuteswest, as Redis's log
 * does, read it). */
int gettimeofday(struct timeval *tv, void *tz)
{
    if (tz != NULL)
        *(struct timezone *)tz = (struct timezone){ .tz_minuteswest = 0, .tz_dsttime = 0 };
    uint64_t ns = xn_clock_wall_ns();
    if (tv != NULL) {
        tv->tv_sec = (time_t)(ns / 1000000000ULL);
        tv->tv_usec = (suseconds_t)(ns / 1000 % 1000000);
    }
    return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (req == NULL || req->tv_nsec < 0 || req->tv_nsec >= 1000000000L ||
        req->tv_sec < 0) {
        errno = EINVAL;
        return -1;
    }
    /* Saturate: nanosleep({LONG_MAX, 0}) means "forever", not "now". */
    uint64_t ns = UINT64_MAX, now = xn_clock_monotonic_ns();
    if ((uint64_t)req->tv_sec < UINT64_MAX / 1000000000ULL - 1)
        ns = (uint64_t)req->tv_sec * 1000000000ULL + (uint64_t)req->tv_nsec;
    xn_sleep_until(ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
    if (rem != NULL)
        rem->tv_sec = 0, rem->tv_nsec = 0;
    return 0;
}

unsigned sleep(unsigned seconds)
{
    struct timespec ts = { .tv_sec = seconds, .tv_nsec = 0 };
    nanosleep(&ts, NULL);
    return 0;
}

int usleep(useconds_t us)
{
    struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };
    return nanosleep(&ts, NULL);
}

/*
 * CPU time is wall time: the app is all that runs. The unit is newlib's
 * CLK_TCK (CLOCKS_PER_SEC, 1000 here), which clock() assumes.
 */
clock_t times(struct tms *t)
{
    clock_t c = (clock_t)(xn_clock_monotonic_ns() / (1000000000ULL / CLK_TCK));
    if (t != NULL) {
        t->tms_utime = c;
        t->tms_stime = 0;
        t->tms_cutime = 0;
        t->tms_cstime = 0;
    }
    return c;
}

/*
 * getentropy(): at most 256 bytes per call, as on other systems; newlib's
 * arc4random() seeds itself from it.
 */
int getentropy(void *buf, size_t len)
{
    if (len > 256) {
        errno = EIO;
        return -1;
    }
    xn_entropy(buf, len);       /* a weaker source is logged by the kernel */
    return 0;
}

/* newlib 3.3 has memalign but no posix_memalign. */
int posix_memalign(void **out, size_t align, size_t size)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = memalign(align, size);
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

__attribute__((noreturn)) void _exit(int status)
{
    xn_exit(status);
}

/* newlib is built with HAVE_INIT_FINI; there is nothing to do in them. */
void _init(void)
{
}

void _fini(void)
{
}
