/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads: a cooperative round-robin scheduler for one vCPU. A thread
 * runs until it yields, blocks (wait queue, join, mutex, condition) or
 * sleeps. When nothing is runnable the vCPU idles until the earliest
 * sleeper's deadline or an interrupt; interrupt handlers never switch
 * threads, they only make threads runnable (sched_wake_event_waiters()).
 *
 * Each thread's stack comes from the heap with its lowest page unmapped
 * as a guard, so an overflow faults instead of corrupting the heap. The
 * boot stack becomes the first thread's ("main").
 *
 * The run queue and sleep list are touched from interrupt context (wake
 * ups), so every change to them happens with interrupts disabled.
 *
 * Finding the next hang: a thread that never yields stops every other
 * one, so a watchdog (sched.watchdog_ms, on platforms with a timer
 * interrupt) looks, at each timer interrupt, at how long the current
 * thread has run since its last scheduling point, and reports one that
 * ran past the limit, once per run, with a backtrace of where it was
 * interrupted. sched_dump() prints every thread (`xl sysrq DOMAIN t`).
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "../arch/x86_64/arch.h"

void arch_switch(uint64_t *save_rsp, uint64_t load_rsp);
void arch_thread_start(void);

static struct {
    struct thread main;
    struct thread *current;
    struct thread *runq_head, *runq_tail;
    struct thread *sleepers;            /* sorted by wake_at */
    struct thread *all;                 /* every live thread */
    struct thread *event_waiters;       /* woken by any interrupt */
    struct thread *zombies;             /* exited and detached: to free */
    unsigned next_id;
    void (*switch_hook)(void *libc);    /* per-thread C library state */
    void *(*libc_new)(void);
    void (*libc_free)(void *);
    bool started;
    bool interrupts;                    /* the platform enabled them */
    bool idle;                          /* the vCPU idles in schedule_locked */
    uint64_t run_start;                 /* when the current thread got the CPU */
    uint64_t watchdog_ns;               /* 0: off */
    bool watchdog_fired;                /* reported the current run already */
} sched;

void sched_set_interrupts(bool on)
{
    sched.interrupts = on;
}

static void reap_zombies(void);

static inline bool irq_save(void)
{
    return intr_save();
}

static inline void irq_restore(bool on)
{
    intr_restore(on);
}

static void runq_push(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    t->next = NULL;
    if (sched.runq_tail != NULL)
        sched.runq_tail->next = t;
    else
        sched.runq_head = t;
    sched.runq_tail = t;
}

static struct thread *runq_pop(void)
{
    struct thread *t = sched.runq_head;
    if (t != NULL) {
        sched.runq_head = t->next;
        if (sched.runq_head == NULL)
            sched.runq_tail = NULL;
        t->next = NULL;
    }
    return t;
}

static void sleepers_remove(struct thread *t)
{
    for (struct thread **p = &sched.sleepers; *p != NULL; p = &(*p)->sleep_next) {
        if (*p == t) {
            *p = t->sleep_next;
            t->sleep_next = NULL;
            return;
        }
    }
}

static void sleepers_insert(struct thread *t)
{
    struct thread **p = &sched.sleepers;
    while (*p != NULL && (*p)->wake_at <= t->wake_at)
        p = &(*p)->sleep_next;
    t->sleep_next = *p;
    *p = t;
}

/* Make (t) runnable if it waits; interrupts disabled by the caller. */
static void wake_locked(struct thread *t)
{
    if (t->state != THREAD_BLOCKED)
        return;
    if (t->wake_at != 0) {
        sleepers_remove(t);
        t->wake_at = 0;
    }
    runq_push(t);
}

void sched_wake(struct thread *t)
{
    bool f = irq_save();
    wake_locked(t);
    irq_restore(f);
}

/*
 * At the end of the platform's interrupt handler. The watchdog's check
 * runs only when a thread was interrupted (not an idle vCPU), keeps the
 * tick coming while threads run, and prints only when no console write
 * was interrupted (else at a later tick).
 */
void sched_interrupt(const struct trap_frame *tf)
{
    sched_wake_event_waiters();
    if (sched.watchdog_ns == 0 || tf == NULL || !sched.started || sched.idle)
        return;
    time_tick_rearm();
    uint64_t ran = time_monotonic_ns() - sched.run_start;
    if (ran < sched.watchdog_ns || sched.watchdog_fired || console_busy())
        return;
    sched.watchdog_fired = true;
    struct thread *t = sched.current;
    log_warn("watchdog: thread %u '%s' has run for %llu ms without yielding (limit %llu ms)",
             t->id, t->name, (unsigned long long)(ran / 1000000),
             (unsigned long long)(sched.watchdog_ns / 1000000));
    backtrace_print(tf->rip, tf->rbp);
}

void sched_set_watchdog(uint64_t limit_ns)
{
    sched.watchdog_ns = limit_ns;
    time_set_tick(limit_ns / 2);
}

static const char *state_name(const struct thread *t)
{
    switch (t->state) {
    case THREAD_RUNNING: return "running";
    case THREAD_RUNNABLE: return "runnable";
    case THREAD_BLOCKED: return "blocked";
    default: return "exited";
    }
}

/*
 * Every thread with its state, what it waits for, its CPU time and a
 * backtrace: the current one from here, the others from the frame their
 * last switch saved (arch_switch: MXCSR/FCW, r15-r12, rbx, rbp, return).
 */
void sched_dump(void)
{
    uint64_t now = time_monotonic_ns();
    unsigned n = 0;
    for (struct thread *t = sched.all; t != NULL; t = t->all_next)
        n++;
    kprintf("thread dump: %u threads\n", n);
    for (struct thread *t = sched.all; t != NULL; t = t->all_next) {
        bool event = false;
        for (struct thread *e = sched.event_waiters; e != NULL && !event; e = e->event_next)
            event = e == t;
        char wait[64] = "";
        if (t->state == THREAD_BLOCKED && t->wake_at != 0)
            ksnprintf(wait, sizeof(wait), ", %s until %lld ms from now",
                      event ? "waiting for an event" : "waiting", (long long)((int64_t)(t->wake_at - now) / 1000000));
        else if (t->state == THREAD_BLOCKED)
            ksnprintf(wait, sizeof(wait), ", %s, no deadline",
                      event ? "waiting for an event" : "waiting (queue, join or wake)");
        uint64_t cpu = t->cpu_ns + (t == sched.current ? now - sched.run_start : 0);
        kprintf("thread %u '%s': %s%s; %llu ms of CPU\n", t->id, t->name, state_name(t), wait,
                (unsigned long long)(cpu / 1000000));
        if (t == sched.current)
            backtrace_print((uint64_t)(uintptr_t)&&here, (uint64_t)(uintptr_t)__builtin_frame_address(0));
        else if (t->state != THREAD_EXITED && t->rsp != 0)
            backtrace_print(((const uint64_t *)(uintptr_t)t->rsp)[8],
                            ((const uint64_t *)(uintptr_t)t->rsp)[7]);
here:;
    }
}

/*
 * Called by interrupt handlers (evtchn upcall), and by code that bumped a
 * counter a thread may wait on: wake the event waiters whose counter has
 * moved. The others stay blocked: an event on one device's port does not
 * run every thread that waits on another.
 */
void sched_wake_event_waiters(void)
{
    bool f = irq_save();
    struct thread **p = &sched.event_waiters;
    while (*p != NULL) {
        struct thread *t = *p;
        if (t->wait_counter != NULL && *t->wait_counter == t->wait_seen) {
            p = &t->event_next;
            continue;
        }
        *p = t->event_next;
        t->event_next = NULL;
        wake_locked(t);
    }
    irq_restore(f);
}

static void wake_sleepers_locked(uint64_t now)
{
    while (sched.sleepers != NULL && sched.sleepers->wake_at <= now) {
        struct thread *t = sched.sleepers;
        sched.sleepers = t->sleep_next;
        t->sleep_next = NULL;
        t->wake_at = 0;
        runq_push(t);
    }
}

/*
 * Switch to the next runnable thread; the caller has set current's state
 * (and queued it if it stays runnable). Entered and left with interrupts
 * disabled. Idles the vCPU while nothing is runnable.
 */
static void schedule_locked(void)
{
    struct thread *prev = sched.current, *next;
    uint64_t now = time_monotonic_ns();

    prev->cpu_ns += now - sched.run_start;
    if (sched.watchdog_fired) {
        sched.watchdog_fired = false;
        log_warn("watchdog: thread %u '%s' gave the CPU up after %llu ms", prev->id, prev->name,
                 (unsigned long long)((now - sched.run_start) / 1000000));
    }
    for (;;) {
        wake_sleepers_locked(now);
        next = runq_pop();
        if (next != NULL)
            break;
        /* Nothing to run: wait for the first sleeper or any interrupt. */
        sched.idle = true;
        time_idle_until(sched.sleepers != NULL ? sched.sleepers->wake_at : UINT64_MAX);
        sched.idle = false;
        now = time_monotonic_ns();
    }
    sched.run_start = now;
    if (next == prev) {
        prev->state = THREAD_RUNNING;
        return;
    }
    next->state = THREAD_RUNNING;
    sched.current = next;
    if (sched.switch_hook != NULL)
        sched.switch_hook(next->libc);
    if (next->tp != prev->tp)
        cpu_set_fs_base(next->tp);
    arch_switch(&prev->rsp, next->rsp);
    reap_zombies();
}

/* Free exited detached threads, now that none of them is running. */
static void reap_zombies(void)
{
    while (sched.zombies != NULL && sched.zombies != sched.current) {
        struct thread *z = sched.zombies;
        sched.zombies = z->next;
        thread_free(z);
    }
}

struct thread *thread_self(void)
{
    return sched.current;
}

void thread_yield(void)
{
    bool f = irq_save();
    runq_push(sched.current);
    schedule_locked();
    irq_restore(f);
}

/* Block the current thread until sched_wake(), or until (deadline) if not 0. */
void thread_block_until(uint64_t deadline)
{
    bool f = irq_save();
    struct thread *t = sched.current;
    t->state = THREAD_BLOCKED;
    if (deadline != 0) {
        t->wake_at = deadline;
        sleepers_insert(t);
    }
    schedule_locked();
    irq_restore(f);
}

void thread_sleep_until(uint64_t deadline)
{
    while (time_monotonic_ns() < deadline)
        thread_block_until(deadline);
}

/*
 * Block until (*counter) is no longer (seen) when an interrupt ends (or
 * until (deadline)): for waits on counters that interrupt handlers bump.
 * Interrupts must be disabled by the caller, who re-checks its condition
 * afterwards; they are disabled on return.
 */
void thread_wait_event_locked(volatile unsigned long *counter, unsigned long seen,
                              uint64_t deadline)
{
    struct thread *t = sched.current;
    t->wait_counter = counter;
    t->wait_seen = seen;
    t->event_next = sched.event_waiters;
    sched.event_waiters = t;
    t->state = THREAD_BLOCKED;
    if (deadline != UINT64_MAX) {
        t->wake_at = deadline;
        sleepers_insert(t);
    }
    schedule_locked();
    /* Woken by the deadline: leave the event waiters list. */
    for (struct thread **p = &sched.event_waiters; *p != NULL; p = &(*p)->event_next) {
        if (*p == t) {
            *p = t->event_next;
            break;
        }
    }
    t->event_next = NULL;
    t->wait_counter = NULL;
}

__attribute__((noreturn)) void sched_thread_entry(void)
{
    struct thread *t = sched.current;
    reap_zombies();
    /* The first switch left interrupts disabled (schedule_locked). */
    if (sched.interrupts)
        intr_enable();
    thread_exit(t->fn(t->arg));
}

/* Create a runnable thread running fn(arg): NULL with errno set if out of memory. */
struct thread *thread_create(const char *name, void *(*fn)(void *), void *arg,
                             size_t stack_size)
{
    if (stack_size == 0)
        stack_size = THREAD_STACK_DEFAULT;
    stack_size = (stack_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    struct thread *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    /* One more page below the stack: the guard. */
    t->stack = memalign(PAGE_SIZE, stack_size + PAGE_SIZE);
    if (t->stack == NULL) {
        free(t);
        errno = ENOMEM;
        return NULL;
    }
    if (mmu_unmap((uintptr_t)t->stack, PAGE_SIZE) != 0) {
        free(t->stack);
        free(t);
        errno = ENOMEM;
        return NULL;
    }
    t->stack_size = stack_size + PAGE_SIZE;
    if ((sched.libc_new != NULL && (t->libc = sched.libc_new()) == NULL) ||
        ((t->tls = tls_new(&t->tp)) == NULL && tls_present())) {
        thread_free(t);
        errno = ENOMEM;
        return NULL;
    }
    t->fn = fn;
    t->arg = arg;
    t->id = ++sched.next_id;
    ksnprintf(t->name, sizeof(t->name), "%s", name != NULL ? name : "thread");

    /* The first switch to it pops this frame (see arch_switch). */
    uint64_t *sp = (uint64_t *)((uintptr_t)t->stack + t->stack_size);
    *--sp = 0;                                  /* alignment */
    *--sp = (uintptr_t)arch_thread_start;       /* return address */
    for (int i = 0; i < 6; i++)
        *--sp = 0;                              /* rbp rbx r12-r15 */
    sp -= 2;
    ((uint32_t *)sp)[0] = 0x1f80;               /* MXCSR default */
    ((uint16_t *)sp)[2] = 0x037f;               /* x87 control word default */
    t->rsp = (uintptr_t)sp;

    bool f = irq_save();
    t->all_next = sched.all;
    sched.all = t;
    runq_push(t);
    irq_restore(f);
    return t;
}

/* Free a thread that will not run again: its guard page is mapped back first. */
void thread_free(struct thread *t)
{
    bool f = irq_save();
    for (struct thread **p = &sched.all; *p != NULL; p = &(*p)->all_next) {
        if (*p == t) {
            *p = t->all_next;
            break;
        }
    }
    irq_restore(f);
    if (t->stack != NULL) {
        mmu_map((uintptr_t)t->stack, (uintptr_t)t->stack, PAGE_SIZE, MAP_RW);
        free(t->stack);
    }
    if (t->libc != NULL && sched.libc_free != NULL)
        sched.libc_free(t->libc);
    free(t->tls);
    free(t);
}

void thread_exit(void *retval)
{
    struct thread *t = sched.current;

    if (t == &sched.main)
        panic("sched: the main thread cannot exit; return from main() instead");
    bool f = irq_save();
    t->retval = retval;
    t->state = THREAD_EXITED;
    if (t->joiner != NULL)
        wake_locked(t->joiner);
    if (t->detached) {                  /* freed by the next thread to run */
        t->next = sched.zombies;
        sched.zombies = t;
    }
    schedule_locked();
    irq_restore(f);
    __builtin_unreachable();
}

/* Wait for (t) to exit, then free it: 0, or -EINVAL / -EDEADLK. */
int thread_join(struct thread *t, void **retval)
{
    if (t == sched.current)
        return -EDEADLK;
    if (t->detached || t->joiner != NULL)
        return -EINVAL;
    t->joiner = sched.current;
    while (t->state != THREAD_EXITED)
        thread_block_until(0);
    if (retval != NULL)
        *retval = t->retval;
    thread_free(t);
    return 0;
}

int thread_detach(struct thread *t)
{
    if (t->detached || t->joiner != NULL)
        return -EINVAL;
    bool f = irq_save();
    t->detached = true;
    bool exited = t->state == THREAD_EXITED;
    irq_restore(f);
    if (exited)
        thread_free(t);
    return 0;
}

/* The thread whose guard page holds (addr), or NULL. */
struct thread *sched_guard_owner(uint64_t addr)
{
    for (struct thread *t = sched.all; t != NULL; t = t->all_next)
        if (t->stack != NULL && addr >= (uintptr_t)t->stack &&
            addr < (uintptr_t)t->stack + PAGE_SIZE)
            return t;
    return NULL;
}

void sched_set_libc_hooks(void *(*libc_new)(void), void (*libc_free)(void *),
                          void (*switch_hook)(void *libc), void *main_libc)
{
    sched.libc_new = libc_new;
    sched.libc_free = libc_free;
    sched.switch_hook = switch_hook;
    sched.main.libc = main_libc;
}

bool sched_started(void)
{
    return sched.started;
}

void sched_init(void)
{
    sched.main.state = THREAD_RUNNING;
    sched.main.id = 0;
    ksnprintf(sched.main.name, sizeof(sched.main.name), "main");
    sched.main.all_next = NULL;
    sched.main.tls = tls_new(&sched.main.tp);
    if (sched.main.tls == NULL && tls_present())
        panic("tls: out of memory for the main thread's __thread variables");
    if (sched.main.tp != 0)
        cpu_set_fs_base(sched.main.tp);
    sched.all = &sched.main;
    sched.current = &sched.main;
    sched.started = true;
}

/* ---- wait queues, mutexes, condition variables, semaphores ---- */

/* Block on (q) until woken or (deadline) (0: none): true if woken. */
bool waitq_wait(struct waitq *q, uint64_t deadline)
{
    bool f = irq_save();
    struct thread *t = sched.current;
    t->waitq_next = NULL;
    if (q->tail != NULL)
        q->tail->waitq_next = t;
    else
        q->head = t;
    q->tail = t;
    t->state = THREAD_BLOCKED;
    t->signalled = false;
    if (deadline != 0) {
        t->wake_at = deadline;
        sleepers_insert(t);
    }
    schedule_locked();
    bool woken = t->signalled;
    /* Woken by the deadline: leave the queue. */
    struct thread *prev = NULL;
    for (struct thread *p = q->head; p != NULL; prev = p, p = p->waitq_next) {
        if (p == t) {
            if (prev != NULL)
                prev->waitq_next = t->waitq_next;
            else
                q->head = t->waitq_next;
            if (q->tail == t)
                q->tail = prev;
            break;
        }
    }
    t->waitq_next = NULL;
    irq_restore(f);
    return woken;
}

/*
 * Wake the first waiter that is still blocked (one whose deadline already
 * passed is only dequeued, so the wake-up is not lost on it): true if one
 * was woken.
 */
bool waitq_wake_one(struct waitq *q)
{
    bool f = irq_save();
    struct thread *t;
    while ((t = q->head) != NULL) {
        q->head = t->waitq_next;
        if (q->head == NULL)
            q->tail = NULL;
        t->waitq_next = NULL;
        if (t->state == THREAD_BLOCKED) {
            t->signalled = true;
            wake_locked(t);
            break;
        }
    }
    irq_restore(f);
    return t != NULL;
}

void waitq_wake_all(struct waitq *q)
{
    while (waitq_wake_one(q))
        ;
}

void kmutex_lock(struct kmutex *m)
{
    while (m->owner != NULL)
        waitq_wait(&m->waiters, 0);
    m->owner = sched.current;
}

bool kmutex_trylock(struct kmutex *m)
{
    if (m->owner != NULL)
        return false;
    m->owner = sched.current;
    return true;
}

int kmutex_unlock(struct kmutex *m)
{
    if (m->owner != sched.current)
        return -EPERM;
    m->owner = NULL;
    waitq_wake_one(&m->waiters);
    return 0;
}

/* Wait on (c) with (m) held: 0, or -ETIMEDOUT at (deadline) (0: none). */
int kcond_wait(struct kcond *c, struct kmutex *m, uint64_t deadline)
{
    kmutex_unlock(m);
    bool woken = waitq_wait(&c->waiters, deadline);
    kmutex_lock(m);
    return woken ? 0 : -ETIMEDOUT;
}

void kcond_signal(struct kcond *c)
{
    waitq_wake_one(&c->waiters);
}

void kcond_broadcast(struct kcond *c)
{
    waitq_wake_all(&c->waiters);
}

void ksem_init(struct ksem *s, unsigned value)
{
    memset(s, 0, sizeof(*s));
    s->count = value;
}

void ksem_wait(struct ksem *s)
{
    while (s->count == 0)
        waitq_wait(&s->waiters, 0);
    s->count--;
}

void ksem_post(struct ksem *s)
{
    s->count++;
    waitq_wake_one(&s->waiters);
}
