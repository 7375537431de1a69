/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX unnamed semaphores (lib/posix/semaphore.c, docs/posix.md). Named
 * semaphores (sem_open) need a shared name space between processes and
 * fail with ENOSYS.
 */
#ifndef XENOLITH_SEMAPHORE_H
#define XENOLITH_SEMAPHORE_H

#include <pthread.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    unsigned magic;             /* set by sem_init */
    unsigned value;
    pthread_mutex_t lock;
    pthread_cond_t nonzero;
} sem_t;

#define SEM_FAILED ((sem_t *)0)
#define SEM_VALUE_MAX 0x7fffffff

int sem_init(sem_t *sem, int pshared, unsigned value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *__restrict sem, const struct timespec *__restrict abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *__restrict sem, int *__restrict value);
sem_t *sem_open(const char *name, int oflag, ...);
int sem_close(sem_t *sem);
int sem_unlink(const char *name);

#ifdef __cplusplus
}
#endif

#endif
