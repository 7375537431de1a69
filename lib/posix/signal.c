/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signals with the semantics of a single process (docs/posix.md).
 *
 * One table of actions and one signal mask for the whole program
 * (pthread_sigmask is sigprocmask). A signal the program sends itself
 * (raise, kill of its own pid, SIGPIPE from a write to a closed socket)
 * is delivered at once in the calling thread. Asynchronous ones (SIGALRM
 * from alarm() and setitimer(), SIGTERM when the toolstack asks the guest
 * to shut down and the program catches SIGTERM) are delivered by a thread
 * of their own, which runs the handler the next time the program blocks,
 * sleeps or yields (threads are cooperative). A blocked signal stays
 * pending until it is unblocked or taken with sigwait().
 *
 * Default actions: SIGCHLD, SIGURG, SIGWINCH and SIGCONT are ignored, as
 * are the stop signals (there is no job control); the signals that dump
 * core elsewhere end the guest as crashed, with a backtrace; the others
 * end it with exit status 128 + the signal number, without atexit
 * handlers, as on Unix.
 *
 * This replaces newlib's signal() and raise() (whose table knew nothing
 * of sigaction); newlib's abort() raises SIGABRT through it.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_posix.h>

#define SIGBIT(s) (1UL << (s))
#define UNCATCHABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static struct sigaction actions[NSIG];
static sigset_t blocked;
static sigset_t pending;
static unsigned long delivered;         /* handlers run so far, for sigsuspend */

/* The signal thread and what it waits for. */
static struct xn_thread *sig_thread;
static struct xn_mutex *sig_lock;
static struct xn_cond *sig_cond;        /* new async signal, timer change */
static struct xn_cond *sig_done;        /* a signal was delivered or queued */
static sigset_t async_queue;
static uint64_t alarm_deadline;         /* monotonic ns, 0: none */
static uint64_t alarm_interval;         /* ns, 0: one shot */

static const char *const names[NSIG] = {
    [SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
    [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGEMT] = "SIGEMT", [SIGFPE] = "SIGFPE",
    [SIGKILL] = "SIGKILL", [SIGBUS] = "SIGBUS", [SIGSEGV] = "SIGSEGV", [SIGSYS] = "SIGSYS",
    [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGURG] = "SIGURG",
    [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGCONT] = "SIGCONT", [SIGCHLD] = "SIGCHLD",
    [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGIO] = "SIGIO", [SIGXCPU] = "SIGXCPU",
    [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
    [SIGWINCH] = "SIGWINCH", [SIGLOST] = "SIGLOST", [SIGUSR1] = "SIGUSR1", [SIGUSR2] = "SIGUSR2",
};

static bool valid(int sig)
{
    return sig > 0 && sig < NSIG;
}

static void default_action(int sig)
{
    const unsigned long ignore = SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) |
                                 SIGBIT(SIGCONT);
    const unsigned long stop = SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) |
                               SIGBIT(SIGTTOU);
    const unsigned long core = SIGBIT(SIGQUIT) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) |
                               SIGBIT(SIGABRT) | SIGBIT(SIGBUS) | SIGBIT(SIGFPE) |
                               SIGBIT(SIGSEGV) | SIGBIT(SIGSYS) | SIGBIT(SIGXCPU) |
                               SIGBIT(SIGXFSZ) | SIGBIT(SIGEMT);
    if (ignore & SIGBIT(sig))
        return;
    if (stop & SIGBIT(sig)) {
        xn_log(XN_LOG_DEBUG, "posix: %s ignored (no job control)", names[sig]);
        return;
    }
    if (sig == SIGABRT)
        xn_crash("abort() called");
    if (core & SIGBIT(sig)) {
        char reason[48] = "killed by ";
        strcat(reason, names[sig]);
        xn_crash(reason);
    }
    xn_log(XN_LOG_INFO, "terminated by %s", names[sig] != NULL ? names[sig] : "a signal");
    _exit(128 + sig);
}

/* Run the action for (sig), not blocked, in this thread. */
static void deliver(int sig, int code)
{
    struct sigaction a = actions[sig];
    if (a.sa_handler == SIG_IGN)
        return;
    if (a.sa_handler == SIG_DFL) {
        default_action(sig);
        return;
    }
    sigset_t saved = blocked;
    blocked |= a.sa_mask;
    if (!(a.sa_flags & SA_NODEFER))
        blocked |= SIGBIT(sig);
    blocked &= ~UNCATCHABLE;
    if (a.sa_flags & SA_RESETHAND) {
        actions[sig].sa_handler = SIG_DFL;
        actions[sig].sa_flags &= ~SA_SIGINFO;
    }
    delivered++;
    if (a.sa_flags & SA_SIGINFO) {
        siginfo_t info = { .si_signo = sig, .si_code = code, .si_pid = 1 };
        a.sa_sigaction(sig, &info, NULL);
    } else {
        a.sa_handler(sig);
    }
    blocked = saved;
    if (sig_done != NULL)
        xn_cond_broadcast(sig_done);
}

/* Deliver the pending signals that are no longer blocked. */
static void deliver_pending(void)
{
    for (int s = 1; s < NSIG; s++) {
        if ((pending & SIGBIT(s)) && !(blocked & SIGBIT(s))) {
            pending &= ~SIGBIT(s);
            deliver(s, SI_USER);
        }
    }
}

static int generate(int sig, int code)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    if ((blocked & SIGBIT(sig)) && !(UNCATCHABLE & SIGBIT(sig))) {
        pending |= SIGBIT(sig);
        if (sig_done != NULL)
            xn_cond_broadcast(sig_done);
        return 0;
    }
    deliver(sig, code);
    return 0;
}

int signal_raise(int sig)
{
    return generate(sig, SI_USER);
}

/* ---------------------------------------------------------------- the signal thread */

static void *signal_thread(void *arg)
{
    (void)arg;
    xn_mutex_lock(sig_lock);
    for (;;) {
        while (async_queue == 0) {
            uint64_t dl = alarm_deadline;
            int rc = xn_cond_wait(sig_cond, sig_lock, dl);
            if (rc == -ETIMEDOUT && alarm_deadline != 0 &&
                xn_clock_monotonic_ns() >= alarm_deadline) {
                alarm_deadline = alarm_interval != 0 ? alarm_deadline + alarm_interval : 0;
                async_queue |= SIGBIT(SIGALRM);
            }
        }
        int sig = __builtin_ctzl(async_queue);
        async_queue &= ~SIGBIT(sig);
        xn_mutex_unlock(sig_lock);
        generate(sig, sig == SIGALRM ? SI_TIMER : SI_USER);
        xn_mutex_lock(sig_lock);
    }
    return NULL;
}

static int start_thread(void)
{
    if (sig_thread != NULL)
        return 0;
    sig_lock = xn_mutex_create();
    sig_cond = xn_cond_create();
    sig_done = xn_cond_create();
    if (sig_lock == NULL || sig_cond == NULL || sig_done == NULL) {
        errno = ENOMEM;
        return -1;
    }
    sig_thread = xn_thread_create("signals", signal_thread, NULL, 65536);
    if (sig_thread == NULL) {
        errno = EAGAIN;
        return -1;
    }
    xn_thread_detach(sig_thread);
    return 0;
}

int signal_queue(int sig)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    if (start_thread() != 0)
        return -1;
    xn_mutex_lock(sig_lock);
    async_queue |= SIGBIT(sig);
    xn_cond_signal(sig_cond);
    xn_mutex_unlock(sig_lock);
    return 0;
}

static void sigterm_now(void)
{
    if (signal_queue(SIGTERM) != 0)
        exit(0);                        /* no thread to deliver it: end as before */
}

/* ---------------------------------------------------------------- calls */

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (!valid(sig) || (act != NULL && (UNCATCHABLE & SIGBIT(sig)))) {
        errno = EINVAL;
        return -1;
    }
    if (old != NULL)
        *old = actions[sig];
    if (act != NULL) {
        /* A program that catches SIGTERM gets it when the toolstack asks
         * the guest to shut down (lib/newlib/start.c). */
        extern void (*app_sigterm_hook)(void);
        if (sig == SIGTERM)
            app_sigterm_hook = act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN ? sigterm_now : NULL;
        if (act->sa_flags & SA_ONSTACK)
            xn_log(XN_LOG_DEBUG, "posix: sigaction: SA_ONSTACK ignored (handlers run on the thread's stack)");
        actions[sig] = *act;
        if (act->sa_handler == SIG_IGN)
            pending &= ~SIGBIT(sig);
    }
    return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr fn)
{
    struct sigaction a = { .sa_mask = 0, .sa_flags = SA_RESTART }, old;
    a.sa_handler = fn;
    if (sigaction(sig, &a, &old) != 0)
        return SIG_ERR;
    return old.sa_handler;
}

_sig_func_ptr _signal_r(struct _reent *r, int sig, _sig_func_ptr fn)
{
    (void)r;
    return signal(sig, fn);
}

int raise(int sig)
{
    return signal_raise(sig);
}

int _raise_r(struct _reent *r, int sig)
{
    (void)r;
    return raise(sig);
}

/* Our one process is pid 1; 0 and -1 (every process we may signal) are it too. */
int kill(pid_t pid, int sig)
{
    if (pid != 1 && pid != 0 && pid != -1) {
        errno = ESRCH;
        return -1;
    }
    if (sig == 0)
        return 0;
    return signal_raise(sig);
}

int killpg(pid_t pgrp, int sig)
{
    return kill(pgrp == 0 ? 0 : pgrp, sig);
}

int pthread_kill(pthread_t thread, int sig)
{
    (void)thread;                        /* one process: the signal is the process's */
    return sig == 0 ? 0 : signal_raise(sig) == 0 ? 0 : errno;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    if (old != NULL)
        *old = blocked;
    if (set == NULL)
        return 0;
    switch (how) {
    case SIG_BLOCK: blocked |= *set; break;
    case SIG_UNBLOCK: blocked &= ~*set; break;
    case SIG_SETMASK: blocked = *set; break;
    default: errno = EINVAL; return -1;
    }
    blocked &= ~(UNCATCHABLE | 1UL);
    deliver_pending();
    return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    return sigprocmask(how, set, old) == 0 ? 0 : errno;
}

int sigpending(sigset_t *set)
{
    *set = pending;
    return 0;
}

int sigsuspend(const sigset_t *mask)
{
    if (start_thread() != 0)
        return -1;
    sigset_t saved = blocked;
    unsigned long seen = delivered;
    blocked = *mask & ~UNCATCHABLE;
    deliver_pending();
    xn_mutex_lock(sig_lock);
    while (delivered == seen) {
        xn_cond_wait(sig_done, sig_lock, 0);
        xn_mutex_unlock(sig_lock);
        deliver_pending();
        xn_mutex_lock(sig_lock);
    }
    xn_mutex_unlock(sig_lock);
    blocked = saved;
    deliver_pending();
    errno = EINTR;
    return -1;
}

int sigpause(int sig)
{
    sigset_t m = blocked & ~SIGBIT(sig);
    return sigsuspend(&m);
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *ts)
{
    if (start_thread() != 0)
        return -1;
    uint64_t deadline = 0;
    if (ts != NULL)
        deadline = xn_clock_monotonic_ns() + (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
    xn_mutex_lock(sig_lock);
    for (;;) {
        sigset_t hit = pending & *set;
        if (hit != 0) {
            int sig = __builtin_ctzl(hit);
            pending &= ~SIGBIT(sig);
            xn_mutex_unlock(sig_lock);
            if (info != NULL)
                *info = (siginfo_t){ .si_signo = sig, .si_code = SI_USER, .si_pid = 1 };
            return sig;
        }
        if (xn_cond_wait(sig_done, sig_lock, deadline) == -ETIMEDOUT) {
            xn_mutex_unlock(sig_lock);
            errno = EAGAIN;
            return -1;
        }
    }
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
    return sigtimedwait(set, info, NULL);
}

int sigwait(const sigset_t *set, int *sig)
{
    int s = sigtimedwait(set, NULL, NULL);
    if (s < 0)
        return errno;
    *sig = s;
    return 0;
}

int sigqueue(pid_t pid, int sig, const union sigval value)
{
    (void)value;
    return kill(pid, sig);
}

int siginterrupt(int sig, int flag)
{
    struct sigaction a;
    if (sigaction(sig, NULL, &a) != 0)
        return -1;
    a.sa_flags = flag ? (a.sa_flags & ~SA_RESTART) : (a.sa_flags | SA_RESTART);
    return sigaction(sig, &a, NULL);
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
    if (old != NULL)
        *old = (stack_t){ .ss_flags = SS_DISABLE };
    if (ss != NULL && !(ss->ss_flags & SS_DISABLE))
        xn_log(XN_LOG_DEBUG, "posix: sigaltstack: recorded only (handlers run on the thread's stack)");
    return 0;
}

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = ~0UL & ~1UL; return 0; }

int sigaddset(sigset_t *set, int sig)
{
    if (!valid(sig)) { errno = EINVAL; return -1; }
    *set |= SIGBIT(sig);
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    if (!valid(sig)) { errno = EINVAL; return -1; }
    *set &= ~SIGBIT(sig);
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    if (!valid(sig)) { errno = EINVAL; return -1; }
    return (*set & SIGBIT(sig)) != 0;
}

void psignal(int sig, const char *s)
{
    const char *n = valid(sig) && names[sig] != NULL ? names[sig] : "unknown signal";
    if (s != NULL && *s)
        xn_log(XN_LOG_INFO, "%s: %s", s, n);
    else
        xn_log(XN_LOG_INFO, "%s", n);
}

/* ---------------------------------------------------------------- timers */

static uint64_t tv_ns(const struct timeval *tv)
{
    return (uint64_t)tv->tv_sec * 1000000000ULL + (uint64_t)tv->tv_usec * 1000ULL;
}

static struct timeval ns_tv(uint64_t ns)
{
    return (struct timeval){ .tv_sec = (time_t)(ns / 1000000000ULL),
                             .tv_usec = (suseconds_t)(ns % 1000000000ULL / 1000) };
}

int getitimer(int which, struct itimerval *v)
{
    if (which != ITIMER_REAL)
        return posix_unsupported("getitimer", EINVAL, "only ITIMER_REAL (no CPU-time timers)");
    uint64_t now = xn_clock_monotonic_ns();
    uint64_t left = alarm_deadline > now ? alarm_deadline - now : alarm_deadline != 0 ? 1000 : 0;
    v->it_value = ns_tv(left);
    v->it_interval = ns_tv(alarm_interval);
    return 0;
}

int setitimer(int which, const struct itimerval *v, struct itimerval *old)
{
    if (which != ITIMER_REAL)
        return posix_unsupported("setitimer", EINVAL, "only ITIMER_REAL (no CPU-time timers)");
    if (v->it_value.tv_usec < 0 || v->it_value.tv_usec >= 1000000 ||
        v->it_interval.tv_usec < 0 || v->it_interval.tv_usec >= 1000000 ||
        v->it_value.tv_sec < 0 || v->it_interval.tv_sec < 0) {
        errno = EINVAL;
        return -1;
    }
    if (old != NULL)
        getitimer(ITIMER_REAL, old);
    if (start_thread() != 0)
        return -1;
    xn_mutex_lock(sig_lock);
    uint64_t value = tv_ns(&v->it_value);
    alarm_deadline = value != 0 ? xn_clock_monotonic_ns() + value : 0;
    alarm_interval = value != 0 ? tv_ns(&v->it_interval) : 0;
    xn_cond_signal(sig_cond);
    xn_mutex_unlock(sig_lock);
    return 0;
}

unsigned alarm(unsigned seconds)
{
    struct itimerval v = { .it_value = { .tv_sec = seconds } }, old;
    if (setitimer(ITIMER_REAL, &v, &old) != 0)
        return 0;
    return (unsigned)old.it_value.tv_sec + (old.it_value.tv_usec > 0 ? 1 : 0);
}

int pause(void)
{
    sigset_t m = blocked;
    return sigsuspend(&m);
}

/* sigsetjmp() is a macro (include/setjmp.h); the jump restores the mask
 * it saved, if it saved one. */
void siglongjmp(sigjmp_buf env, int val)
{
    if (env->__savemask)
        sigprocmask(SIG_SETMASK, &env->__mask, NULL);
    longjmp(env->__jb, val);
}
