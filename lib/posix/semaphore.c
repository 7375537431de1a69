/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX unnamed semaphores on a mutex and a condition variable
 * (include/semaphore.h). One process: pshared is accepted and means the
 * same. Named semaphores fail with ENOSYS (there is no other process to
 * share a name with).
 */
#include <errno.h>
#include <semaphore.h>

#include <xn_posix.h>

#define SEM_MAGIC 0x53454d31u           /* "SEM1" */

static int bad(sem_t *s)
{
    if (s == NULL || s->magic != SEM_MAGIC) {
        errno = EINVAL;
        return 1;
    }
    return 0;
}

int sem_init(sem_t *s, int pshared, unsigned value)
{
    (void)pshared;
    if (s == NULL || value > SEM_VALUE_MAX) {
        errno = EINVAL;
        return -1;
    }
    int rc = pthread_mutex_init(&s->lock, NULL);
    if (rc == 0 && (rc = pthread_cond_init(&s->nonzero, NULL)) != 0)
        pthread_mutex_destroy(&s->lock);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    s->value = value;
    s->magic = SEM_MAGIC;
    return 0;
}

int sem_destroy(sem_t *s)
{
    if (bad(s))
        return -1;
    s->magic = 0;
    pthread_cond_destroy(&s->nonzero);
    pthread_mutex_destroy(&s->lock);
    return 0;
}

/* Take one unit, waiting until (abstime) (CLOCK_REALTIME) or for ever
 * (NULL); (try): not at all. */
static int take(sem_t *s, const struct timespec *abstime, int try)
{
    if (bad(s))
        return -1;
    if (abstime != NULL && (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L)) {
        errno = EINVAL;
        return -1;
    }
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    while (s->value == 0 && rc == 0) {
        if (try)
            rc = EAGAIN;
        else if (abstime != NULL)
            rc = pthread_cond_timedwait(&s->nonzero, &s->lock, abstime);
        else
            rc = pthread_cond_wait(&s->nonzero, &s->lock);
    }
    if (s->value > 0) {
        s->value--;
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return 0;
}

int sem_wait(sem_t *s) { return take(s, NULL, 0); }
int sem_trywait(sem_t *s) { return take(s, NULL, 1); }
int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
    if (abstime == NULL) {
        errno = EINVAL;
        return -1;
    }
    return take(s, abstime, 0);
}

int sem_post(sem_t *s)
{
    if (bad(s))
        return -1;
    pthread_mutex_lock(&s->lock);
    if (s->value >= SEM_VALUE_MAX) {
        pthread_mutex_unlock(&s->lock);
        errno = EOVERFLOW;
        return -1;
    }
    s->value++;
    pthread_cond_signal(&s->nonzero);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

int sem_getvalue(sem_t *s, int *value)
{
    if (bad(s))
        return -1;
    *value = (int)s->value;
    return 0;
}

sem_t *sem_open(const char *name, int oflag, ...)
{
    (void)name, (void)oflag;
    posix_unsupported("sem_open", ENOSYS, "named semaphores need other processes to share them");
    return SEM_FAILED;
}

int sem_close(sem_t *s)
{
    (void)s;
    errno = EINVAL;                     /* sem_open never gave one */
    return -1;
}

int sem_unlink(const char *name)
{
    (void)name;
    return posix_unsupported("sem_unlink", ENOENT, "named semaphores do not exist here");
}
