/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's internal interface, grouped by the file that implements
 * each function. Apps never include this; they see include/xenolith.h.
 * Files marked "pure" have no hardware dependency and are also built on
 * the host for the unit tests in tests/unit.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A half-open physical address range [start, end). */
struct mem_range {
    uint64_t start, end;
};

#define BOOT_MAX_RANGES 32
#define CMDLINE_MAX     4096

/* What the boot protocol (PVH now, PV later) tells the kernel. */
struct boot_info {
    const char *mode;                       /* "PVH" or "PV" */
    struct mem_range ram[BOOT_MAX_RANGES];  /* usable RAM, validated */
    size_t nram;
    char cmdline[CMDLINE_MAX];              /* copied out of guest memory */
    bool cmdline_truncated;
    struct mem_range module;                /* the boot module, or empty */
    uint64_t early_map_end;                 /* mapped at entry: [0, this) */
};

/* main.c: the boot sequence */
__attribute__((noreturn)) void kernel_main(struct boot_info *bi);

/* fmt.c (pure): a small vsnprintf that never allocates */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* cmdline.c (pure): "key=value ... -- app args" */
#define CMDLINE_MAX_ARGS 64
#define CMDLINE_MAX_OPTS 64
struct cmdline {
    char buf[CMDLINE_MAX];
    int argc;                               /* argv[0] is the app's name */
    char *argv[CMDLINE_MAX_ARGS + 1];
    int nopts;
    struct cmdline_opt {
        char *key, *value;
        bool used;
    } opts[CMDLINE_MAX_OPTS];
};
int cmdline_parse(struct cmdline *cl, const char *src, const char *app,
                  char *err, size_t errlen);
const char *cmdline_get(struct cmdline *cl, const char *key);
const char *cmdline_first_unused(const struct cmdline *cl);

/* ranges.c (pure): sets of physical ranges */
int ranges_add(struct mem_range *r, size_t *n, size_t max,
               uint64_t start, uint64_t end);
void ranges_remove(struct mem_range *r, size_t *n, size_t max,
                   uint64_t start, uint64_t end);
size_t ranges_largest(const struct mem_range *r, size_t n);

/* ksyms.c (pure): the embedded symbol table */
struct ksym_table {
    uint32_t count;
    uint64_t text_start, text_end;  /* addresses outside are unknown */
    const uint32_t *offs;           /* address - text_start, sorted */
    const char *names;              /* count names, NUL-terminated, in order */
};
const char *ksym_lookup(const struct ksym_table *t, uint64_t addr,
                        uint64_t *offset);
const char *ksym_name(uint64_t addr, uint64_t *offset);

/* config_parse.c (pure): the configuration schema and value checks */
#define CFG_KEY_MAX   127
#define CFG_VALUE_MAX 256
#define CFG_MAX_NICS  4
bool cfg_key_valid(const char *key);
bool cfg_is_config_key(const char *key);
int cfg_check(const char *key, const char *value, char *err, size_t errlen);
int cfg_parse_uint(const char *s, unsigned long long max, unsigned long long *out);
int cfg_parse_ipv4(const char *s, uint8_t out[4]);
int cfg_parse_ipv6(const char *s, uint8_t out[16]);
int cfg_parse_ipv4_cidr(const char *s, uint8_t addr[4], unsigned *prefix);
int cfg_parse_ipv6_cidr(const char *s, uint8_t addr[16], unsigned *prefix);

/* config_tree.c (pure): the configuration tree, a flattened device tree */
struct cfg_tree {
    void *fdt;
    size_t size;
};
int cfg_tree_init(struct cfg_tree *t);
void cfg_tree_free(struct cfg_tree *t);
int cfg_tree_set(struct cfg_tree *t, const char *key, const char *value);
const char *cfg_tree_get(struct cfg_tree *t, const char *key);
int cfg_tree_merge_dtb(struct cfg_tree *t, const void *dtb, size_t len, char *err, size_t errlen);
int cfg_tree_each(struct cfg_tree *t, int (*fn)(const char *key, const char *value, void *arg),
                  void *arg);

/* config.c: the boot-time configuration (defaults, DTB, platform, command line) */
int config_init(struct cmdline *cl, char *err, size_t errlen);

/* log.c: levelled log on the console */
enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
int log_parse_level(const char *s, enum log_level *out);
void klog(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define log_err(...)   klog(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  klog(LOG_WARN, __VA_ARGS__)
#define log_info(...)  klog(LOG_INFO, __VA_ARGS__)
#define log_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

/* console.c: where console output goes */
struct console_ops {
    void (*write)(const char *s, size_t n);
    int (*getc)(void);                  /* -1 when nothing is pending */
    /* A counter that changes when input may have arrived, or NULL. */
    volatile unsigned long *(*input_counter)(void);
};
void console_init(void);
void console_set_primary(const struct console_ops *ops);
void console_write(const char *s, size_t n);
void console_write_panic(const char *s, size_t n);
int console_getc(void);
int console_read(char *buf, size_t len);
bool console_busy(void);

/* mm.c: physical memory, early pages and the heap */
void mm_init(const struct boot_info *bi);
void *mm_alloc_pages_early(size_t npages);
void mm_heap_init(void);
void mm_early_limit_lift(void);
int mm_module(struct mem_range *module);
void mm_heap_region(uintptr_t *start, uintptr_t *end);
uint64_t mm_ram_bytes(void);

/* time.c: monotonic and wall clock from the TSC */
void time_init(void);
uint64_t time_monotonic_ns(void);
uint64_t time_wallclock_ns(void);
uint64_t time_tsc_to_ns(uint64_t tsc_delta);
void time_spin_until(uint64_t deadline_ns);
/* A platform timer: arm() sets the one pending wake-up (monotonic ns),
 * idle() blocks until an interrupt, entered with interrupts disabled. */
struct platform_timer_ops {
    void (*arm)(uint64_t deadline_ns);
    void (*idle)(void);
};
void time_set_timer(const struct platform_timer_ops *ops);
void time_sleep_until(uint64_t deadline_ns);
void time_idle_until(uint64_t deadline_ns);
unsigned long time_idle_count(void);
int time_wait_change(volatile unsigned long *counter, unsigned long seen,
                     uint64_t deadline_ns);
/* A periodic timer interrupt every (period_ns) (0: none), for the watchdog:
 * idle periods end by then, and time_tick_rearm() (from the interrupt)
 * keeps it coming while threads run. */
void time_set_tick(uint64_t period_ns);
void time_tick_rearm(void);
void time_set_source(uint64_t (*source)(void), uint64_t (*wall)(void),
                     uint64_t at_entry, const char *name);
uint64_t time_to_source_ns(uint64_t monotonic_ns);
void time_resume(uint64_t last_ns);

/* timeline.c: the boot timeline */
void timeline_mark(const char *what);
void timeline_print(void);

/* power.c: exit, crash and the platform's shutdown hook */
struct platform_power_ops {
    void (*shutdown)(int status);       /* normal exit (see power_requested) */
    void (*crash)(void);                /* after a crash report; may return */
};
void power_set_platform(const struct platform_power_ops *ops);
enum power_action { POWER_OFF, POWER_REBOOT };
void power_request(enum power_action action);
enum power_action power_requested(void);
__attribute__((noreturn)) void power_exit(int status);
__attribute__((noreturn)) void power_crash(void);

/* crash.c: crash reports */
void backtrace_print(uint64_t rip, uint64_t rbp);

/* sched.c: cooperative threads, wait queues, mutexes, conditions */
#define THREAD_STACK_DEFAULT (64 * 1024)
enum thread_state { THREAD_RUNNABLE, THREAD_RUNNING, THREAD_BLOCKED, THREAD_EXITED };
struct thread {
    uint64_t rsp;                       /* saved by arch_switch */
    enum thread_state state;
    uint64_t wake_at;                   /* blocked with a deadline; 0: none */
    struct thread *next;                /* run queue */
    struct thread *sleep_next;          /* sleepers, by wake_at */
    struct thread *event_next;          /* event waiters */
    volatile unsigned long *wait_counter;   /* ...woken when it moves off */
    unsigned long wait_seen;            /* ...this value */
    struct thread *waitq_next;          /* a wait queue */
    struct thread *all_next;            /* every live thread */
    void *stack;                        /* guard page, then the stack */
    size_t stack_size;
    void *(*fn)(void *);
    void *arg, *retval;
    struct thread *joiner;
    bool detached;
    bool signalled;                     /* woken by a wait queue */
    void *libc;                         /* the C library's per-thread state */
    void *tls;                          /* its __thread variables (tls.c) */
    uint64_t tp;                        /* the thread pointer, or 0 */
    uint64_t cpu_ns;                    /* time it ran, in all */
    unsigned id;
    char name[16];
};
struct waitq {
    struct thread *head, *tail;
};
struct kmutex {
    struct thread *owner;
    struct waitq waiters;
};
struct kcond {
    struct waitq waiters;
};
struct ksem {
    unsigned count;
    struct waitq waiters;
};
void sched_init(void);
/* tls.c: a thread's copy of the __thread variables: the block to free,
 * and *tp, the thread pointer; NULL with *tp = 0 when the image has
 * none, NULL with *tp = 0 also when out of memory (tls_present tells). */
bool tls_present(void);
void *tls_new(uint64_t *tp);
bool sched_started(void);
void sched_set_interrupts(bool on);
struct thread *thread_create(const char *name, void *(*fn)(void *), void *arg,
                             size_t stack_size);
__attribute__((noreturn)) void thread_exit(void *retval);
int thread_join(struct thread *t, void **retval);
int thread_detach(struct thread *t);
void thread_free(struct thread *t);
struct thread *thread_self(void);
void thread_yield(void);
void thread_block_until(uint64_t deadline);
void thread_sleep_until(uint64_t deadline);
void thread_wait_event_locked(volatile unsigned long *counter, unsigned long seen,
                              uint64_t deadline);
void sched_wake(struct thread *t);
void sched_wake_event_waiters(void);
/* From the platform's interrupt handler, at its end (tf: the interrupted
 * context, NULL when the interrupt ended an idle period): wakes the event
 * waiters and runs the watchdog. */
struct trap_frame;
void sched_interrupt(const struct trap_frame *tf);
/* Report a thread that runs longer than (limit_ns) without yielding (0: off). */
void sched_set_watchdog(uint64_t limit_ns);
/* Every thread: its state, what it waits for, its CPU time and backtrace. */
void sched_dump(void);
struct thread *sched_guard_owner(uint64_t addr);
void sched_set_libc_hooks(void *(*libc_new)(void), void (*libc_free)(void *),
                          void (*switch_hook)(void *libc), void *main_libc);
bool waitq_wait(struct waitq *q, uint64_t deadline);
bool waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);
void kmutex_lock(struct kmutex *m);
bool kmutex_trylock(struct kmutex *m);
int kmutex_unlock(struct kmutex *m);
int kcond_wait(struct kcond *c, struct kmutex *m, uint64_t deadline);
void kcond_signal(struct kcond *c);
void kcond_broadcast(struct kcond *c);
void ksem_init(struct ksem *s, unsigned value);
void ksem_wait(struct ksem *s);
void ksem_post(struct ksem *s);

/* panic.c: fatal kernel errors */
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* entropy.c: random bytes (RDRAND, else weaker TSC mixing) */
bool entropy_get(void *buf, size_t len);

/* ssp.c: stack protector */
void ssp_init(void);

/* app_start() and app_exit_requested() (include/xenolith.h) are provided
 * by lib/newlib/start.c. */
__attribute__((noreturn)) void app_start(int argc, char **argv);
void app_exit_requested(void);

#endif
