/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the POSIX calls of lib/ (docs/posix.md).
 */
#ifndef XENOLITH_LIB_POSIX_H
#define XENOLITH_LIB_POSIX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * A call Xenolith cannot honour: logs "posix: CALL: WHY" once per call
 * name at debug level (loglevel=debug shows it, to guide porting), sets
 * errno to (err) and returns -1.
 */
int posix_unsupported(const char *call, int err, const char *why);

/* Tables of entries behind 32-bit handles (lib/newlib/pthread.c): a
 * free slot of (*table), its entry allocated zeroed with (size) bytes
 * and a "used" bool first; the index, or -1 when out of memory. */
long posix_table_slot(void ***table, size_t *n, size_t size);
/* A timed wait's (abstime) on (clock) as a monotonic deadline (never 0). */
uint64_t posix_deadline(clockid_t clock, const struct timespec *abstime);

/* Signals (lib/posix/signal.c). */
/* Deliver (sig) now, in the calling thread, as raise() does; 0 or -1. */
int signal_raise(int sig);
/* Queue (sig) for the signal thread (from a thread that must not run
 * handlers itself, e.g. the control thread); 0 or -1. */
int signal_queue(int sig);

#endif
