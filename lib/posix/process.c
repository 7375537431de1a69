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
#include <spawn.h>
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

/*
 * posix_spawn: nothing can be started, so it fails with ENOSYS (its
 * result, as posix_spawn reports errors). The attribute and file-action
 * objects it takes work, so that a program sets them up as usual and
 * meets the failure at the spawn itself.
 */
int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    (void)pid, (void)path, (void)fa, (void)attr, (void)argv, (void)envp;
    posix_unsupported("posix_spawn", ENOSYS, "one program per image: nothing else can be started");
    return ENOSYS;
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    (void)pid, (void)file, (void)fa, (void)attr, (void)argv, (void)envp;
    posix_unsupported("posix_spawnp", ENOSYS, "one program per image: nothing else can be started");
    return ENOSYS;
}

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa) { *fa = NULL; return 0; }
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa) { (void)fa; return 0; }
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd, const char *path,
                                     int flags, mode_t mode)
{
    (void)fa, (void)path, (void)flags, (void)mode;
    return fd < 0 ? EBADF : 0;
}
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int to)
{
    (void)fa;
    return fd < 0 || to < 0 ? EBADF : 0;
}
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
    (void)fa;
    return fd < 0 ? EBADF : 0;
}
int posix_spawnattr_init(posix_spawnattr_t *a) { *a = NULL; return 0; }
int posix_spawnattr_destroy(posix_spawnattr_t *a) { (void)a; return 0; }
int posix_spawnattr_setflags(posix_spawnattr_t *a, short flags) { (void)a, (void)flags; return 0; }
int posix_spawnattr_getflags(const posix_spawnattr_t *a, short *flags) { (void)a; *flags = 0; return 0; }
int posix_spawnattr_setsigmask(posix_spawnattr_t *a, const sigset_t *set) { (void)a, (void)set; return 0; }
int posix_spawnattr_setsigdefault(posix_spawnattr_t *a, const sigset_t *set) { (void)a, (void)set; return 0; }
int posix_spawnattr_setpgroup(posix_spawnattr_t *a, pid_t pg) { (void)a, (void)pg; return 0; }
