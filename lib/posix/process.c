/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes (docs/posix.md). A Xenolith guest runs one program as one
 * process: nothing can be forked or executed, so these calls fail with
 * ENOSYS (the function is not available here) and a debug log line
 * naming the call; wait() has no child to wait for (ECHILD). system(NULL) says
 * there is no command processor (0). They also replace newlib's
 * system(), whose fork-based version would not link.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_posix.h>

pid_t fork(void)
{
    return posix_unsupported("fork", ENOSYS, "one process: nothing can be forked");
}

pid_t vfork(void)
{
    return posix_unsupported("vfork", ENOSYS, "one process: nothing can be forked");
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    (void)path, (void)argv, (void)envp;
    return posix_unsupported("execve", ENOSYS, "one program per image: nothing else can be executed");
}

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, NULL);
}

int execvp(const char *file, char *const argv[])
{
    return execve(file, argv, NULL);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
    return execve(file, argv, envp);
}

int execl(const char *path, const char *arg, ...)
{
    (void)arg;
    return execve(path, NULL, NULL);
}

int execlp(const char *file, const char *arg, ...)
{
    (void)arg;
    return execve(file, NULL, NULL);
}

int execle(const char *path, const char *arg, ...)
{
    (void)arg;
    return execve(path, NULL, NULL);
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
    (void)fd, (void)argv, (void)envp;
    return posix_unsupported("fexecve", ENOSYS, "one program per image: nothing else can be executed");
}

pid_t wait(int *status)
{
    (void)status;
    errno = ECHILD;                     /* there are never children */
    return -1;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    (void)pid, (void)status, (void)options;
    errno = ECHILD;
    return -1;
}

pid_t wait3(int *status, int options, void *rusage)
{
    (void)rusage;
    return waitpid(-1, status, options);
}

pid_t wait4(pid_t pid, int *status, int options, void *rusage)
{
    (void)rusage;
    return waitpid(pid, status, options);
}

int system(const char *command)
{
    if (command == NULL)
        return 0;                       /* no command processor */
    return posix_unsupported("system", ENOSYS, "there is no shell to run a command");
}

int _system_r(struct _reent *r, const char *command)
{
    (void)r;
    return system(command);
}

FILE *popen(const char *command, const char *mode)
{
    (void)command, (void)mode;
    posix_unsupported("popen", ENOSYS, "there is no shell to run a command");
    return NULL;
}

int pclose(FILE *f)
{
    (void)f;
    errno = ECHILD;                     /* popen() never made one */
    return -1;
}

int daemon(int nochdir, int noclose)
{
    (void)nochdir, (void)noclose;
    return 0;                           /* a guest is a daemon already */
}
