/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the POSIX calls of lib/ (docs/posix.md).
 */
#ifndef XENOLITH_LIB_POSIX_H
#define XENOLITH_LIB_POSIX_H

/*
 * A call Xenolith cannot honour: logs "posix: CALL: WHY" once per call
 * name at debug level (loglevel=debug shows it, to guide porting), sets
 * errno to (err) and returns -1.
 */
int posix_unsupported(const char *call, int err, const char *why);

/* Signals (lib/posix/signal.c). */
/* Deliver (sig) now, in the calling thread, as raise() does; 0 or -1. */
int signal_raise(int sig);
/* Queue (sig) for the signal thread (from a thread that must not run
 * handlers itself, e.g. the control thread); 0 or -1. */
int signal_queue(int sig);

#endif
