/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: the POSIX surface of docs/posix.md, one PASS or FAIL line
 * per area, then PASS or FAIL overall. Run with env.GREETING=hi on the
 * command line. Arguments pick the cases that end the guest:
 *   sigterm        raise(SIGTERM) with the default action (status 143)
 *   sigpipe        write to a pipe with no reader, SIGPIPE's default
 *   prot-none      read a PROT_NONE page (crash report)
 *   prot-read      write a PROT_READ page (crash report)
 *   catch-term     wait for SIGTERM (xl shutdown), then end cleanly
 */
#define _GNU_SOURCE                     /* pipe2, dup3, pthread_setname_np */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <regex.h>
#include <sched.h>
#include <semaphore.h>
#include <spawn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int all_ok = 1, area_ok;
static char why[512];

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (area_ok && !(cond)) {                                           \
            snprintf(why, sizeof(why), "line %d: %.300s (errno %d: %.100s)", __LINE__, #cond, \
                     errno, strerror(errno));                               \
            area_ok = 0;                                                    \
        }                                                                   \
    } while (0)

static void area(const char *name, void (*fn)(void))
{
    area_ok = 1;
    why[0] = '\0';
    errno = 0;
    fn();
    if (area_ok) {
        printf("PASS %s\n", name);
    } else {
        printf("FAIL %s: %s\n", name, why);
        all_ok = 0;
    }
}

/* ---------------------------------------------------------------- processes */

static void processes(void)
{
    errno = 0;
    CHECK(fork() == -1 && errno == ENOSYS);
    char *argv[] = { "x", NULL };
    CHECK(execve("/bin/sh", argv, NULL) == -1 && errno == ENOSYS);
    CHECK(execvp("sh", argv) == -1 && errno == ENOSYS);
    CHECK(system(NULL) == 0);
    CHECK(system("ls") == -1 && errno == ENOSYS);
    CHECK(popen("ls", "r") == NULL && errno == ENOSYS);
    int st;
    CHECK(wait(&st) == -1 && errno == ECHILD);
    CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
    CHECK(getpid() == 1 && getppid() == 0);
}

/* ---------------------------------------------------------------- files */

static int write_file(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, s, strlen(s));
    close(fd);
    return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int read_file(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return 0;
}

static void files(void)
{
    char buf[256];
    struct stat st;
    CHECK(stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 01777) == 01777);
    CHECK(mkdir("/tmp/d", 0755) == 0);
    CHECK(mkdir("/tmp/d", 0755) == -1 && errno == EEXIST);
    CHECK(write_file("/tmp/d/a", "alpha") == 0);
    CHECK(read_file("/tmp/d/a", buf, sizeof(buf)) == 0 && strcmp(buf, "alpha") == 0);
    CHECK(open("/tmp/d/a", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    /* O_APPEND, and a hole of zeros past the end. */
    int fd = open("/tmp/d/a", O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && write(fd, "+", 1) == 1 && close(fd) == 0);
    CHECK(read_file("/tmp/d/a", buf, sizeof(buf)) == 0 && strcmp(buf, "alpha+") == 0);
    fd = open("/tmp/d/hole", O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0 && pwrite(fd, "z", 1, 9) == 1 && pread(fd, buf, 10, 0) == 10 &&
          buf[0] == 0 && buf[8] == 0 && buf[9] == 'z');
    CHECK(ftruncate(fd, 3) == 0 && fstat(fd, &st) == 0 && st.st_size == 3);
    CHECK(fsync(fd) == 0 && fdatasync(fd) == 0 && close(fd) == 0);
    CHECK(truncate("/tmp/d/hole", 0) == 0 && stat("/tmp/d/hole", &st) == 0 && st.st_size == 0);
    /* rename over an existing file; the old name is gone. */
    CHECK(write_file("/tmp/d/b", "beta") == 0);
    CHECK(rename("/tmp/d/b", "/tmp/d/a") == 0);
    CHECK(read_file("/tmp/d/a", buf, sizeof(buf)) == 0 && strcmp(buf, "beta") == 0);
    CHECK(stat("/tmp/d/b", &st) == -1 && errno == ENOENT);
    /* unlink while open: the data stays readable through the descriptor. */
    fd = open("/tmp/d/a", O_RDONLY);
    CHECK(fd >= 0 && unlink("/tmp/d/a") == 0);
    CHECK(stat("/tmp/d/a", &st) == -1 && errno == ENOENT);
    memset(buf, 0, sizeof(buf));
    CHECK(read(fd, buf, 4) == 4 && strcmp(buf, "beta") == 0 && close(fd) == 0);
    /* hard and symbolic links */
    CHECK(write_file("/tmp/d/c", "gamma") == 0 && link("/tmp/d/c", "/tmp/d/c2") == 0);
    CHECK(stat("/tmp/d/c", &st) == 0 && st.st_nlink == 2);
    CHECK(symlink("c", "/tmp/d/l") == 0);
    ssize_t n = readlink("/tmp/d/l", buf, sizeof(buf));
    CHECK(n == 1 && buf[0] == 'c');
    CHECK(lstat("/tmp/d/l", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(read_file("/tmp/d/l", buf, sizeof(buf)) == 0 && strcmp(buf, "gamma") == 0);
    CHECK(realpath("/tmp/d/../d/l", buf) != NULL && strcmp(buf, "/tmp/d/c") == 0);
    /* directories */
    CHECK(mkdir("/tmp/d/sub", 0700) == 0 && write_file("/tmp/d/sub/x", "x") == 0);
    CHECK(rename("/tmp/d", "/tmp/d/sub/in") == -1 && errno == EINVAL);
    CHECK(rmdir("/tmp/d/sub") == -1 && errno == ENOTEMPTY);
    int entries = 0;
    DIR *d = opendir("/tmp/d");
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        entries++;
    CHECK(d != NULL && entries == 5 && closedir(d) == 0);      /* hole c c2 l sub */
    CHECK(chdir("/tmp/d/sub") == 0 && getcwd(buf, sizeof(buf)) != NULL &&
          strcmp(buf, "/tmp/d/sub") == 0 && access("x", R_OK | W_OK) == 0);
    CHECK(chdir("..") == 0 && getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, "/tmp/d") == 0);
    CHECK(rename("sub", "moved") == 0 && stat("/tmp/d/moved/x", &st) == 0);
    CHECK(unlink("moved/x") == 0 && rmdir("moved") == 0 && chdir("/") == 0);
    CHECK(access("/tmp/d/nope", F_OK) == -1 && errno == ENOENT);
    CHECK(open("/tmp/d/c/x", O_RDONLY) == -1 && errno == ENOTDIR);
    CHECK(chmod("/tmp/d/c", 0600) == 0 && stat("/tmp/d/c", &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(chown("/tmp/d/c", 0, 0) == 0 && chown("/tmp/d/c", 1000, 0) == -1);
    /* stdio on it, mkstemp, tmpfile */
    FILE *f = fopen("/tmp/log.txt", "w");
    CHECK(f != NULL && fprintf(f, "line %d\n", 42) > 0 && fclose(f) == 0);
    CHECK(read_file("/tmp/log.txt", buf, sizeof(buf)) == 0 && strcmp(buf, "line 42\n") == 0);
    char tmpl[] = "/tmp/fileXXXXXX";
    fd = mkstemp(tmpl);
    CHECK(fd >= 0 && write(fd, "t", 1) == 1 && close(fd) == 0 && unlink(tmpl) == 0);
    f = tmpfile();
    CHECK(f != NULL && fputs("temp", f) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
          fgets(buf, sizeof(buf), f) != NULL && strcmp(buf, "temp") == 0 && fclose(f) == 0);
    struct statvfs sv;
    CHECK(statvfs("/tmp", &sv) == 0 && sv.f_bsize == 4096 && sv.f_bfree > 0);
    /* a file anywhere, not only under /tmp */
    CHECK(mkdir("/var", 0755) == 0 && mkdir("/var/run", 0755) == 0 &&
          write_file("/var/run/app.pid", "1\n") == 0);
}

/* ---------------------------------------------------------------- devices */

static void devices(void)
{
    char buf[64];
    int fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 0 && write(fd, "x", 1) == 1 && close(fd) == 0);
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 7, sizeof(buf));
    CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) && buf[0] == 0 &&
          buf[63] == 0 && close(fd) == 0);
    fd = open("/dev/urandom", O_RDONLY);
    unsigned char r[32] = { 0 };
    int nonzero = 0;
    CHECK(fd >= 0 && read(fd, r, sizeof(r)) == (ssize_t)sizeof(r) && close(fd) == 0);
    for (size_t i = 0; i < sizeof(r); i++)
        nonzero += r[i] != 0;
    CHECK(nonzero > 16);
    fd = open("/dev/full", O_WRONLY);
    CHECK(fd >= 0 && write(fd, "x", 1) == -1 && errno == ENOSPC && close(fd) == 0);
    struct stat st;
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    fd = open("/dev/stdout", O_WRONLY);
    CHECK(fd >= 3 && isatty(fd) == 1 && close(fd) == 0);
}

/* ---------------------------------------------------------------- memory */

static void memory(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    CHECK(pg == 4096);
    unsigned char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED && ((uintptr_t)p & 4095) == 0);
    if (p == MAP_FAILED)
        return;
    CHECK(p[0] == 0 && p[3 * 4096 - 1] == 0);
    memset(p, 0xab, 3 * 4096);
    CHECK(mprotect(p, 4096, PROT_READ) == 0 && p[0] == 0xab);
    CHECK(mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0);
    p[0] = 1;
    CHECK(mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == -1 && errno == ENOTSUP);
    CHECK(madvise(p + 4096, 4096, MADV_DONTNEED) == 0 && p[4096] == 0 && p[8191] == 0);
    CHECK(munmap(p + 4096, 4096) == 0);          /* a hole in the middle */
    CHECK(p[0] == 1 && p[2 * 4096] == 0xab);
    CHECK(munmap(p, 4096) == 0 && munmap(p + 2 * 4096, 4096) == 0);
    void *s = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON, -1, 0);
    CHECK(s != MAP_FAILED && munmap(s, 100) == 0);
    /* A private mapping of a file is a copy of its bytes. */
    CHECK(write_file("/tmp/map.txt", "mapped bytes") == 0);
    int fd = open("/tmp/map.txt", O_RDWR);
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(m != MAP_FAILED && memcmp(m, "mapped bytes", 12) == 0 && m[12] == 0);
    if (m != MAP_FAILED)
        munmap(m, 4096);
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENODEV);
    close(fd);
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0) == MAP_FAILED && errno == EINVAL);
    CHECK(mlock(&fd, sizeof(fd)) == 0 && munlock(&fd, sizeof(fd)) == 0);
}

/* ---------------------------------------------------------------- signals */

static volatile int got_usr1, got_usr2, got_alarm, got_pipe, info_signo;

static void on_usr1(int sig) { (void)sig; got_usr1++; }
static void on_usr2(int sig, siginfo_t *si, void *ctx) { (void)sig, (void)ctx; got_usr2++; info_signo = si->si_signo; }
static void on_alarm(int sig) { (void)sig; got_alarm++; }
static void on_pipe(int sig) { (void)sig; got_pipe++; }

static void signals(void)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    CHECK(raise(SIGUSR1) == 0 && got_usr1 == 1);
    struct sigaction sa2 = { 0 };
    sa2.sa_sigaction = on_usr2;
    sa2.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR2, &sa2, NULL) == 0);
    CHECK(kill(getpid(), SIGUSR2) == 0 && got_usr2 == 1 && info_signo == SIGUSR2);
    CHECK(kill(4242, SIGUSR2) == -1 && errno == ESRCH);
    /* Blocked: pending until unblocked. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
    CHECK(raise(SIGUSR1) == 0 && got_usr1 == 1);
    sigset_t pend;
    CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1) == 1);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0 && got_usr1 == 2);
    /* sigwait takes a blocked, pending signal. */
    CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL) == 0 && raise(SIGUSR1) == 0);
    int sig = 0;
    CHECK(sigwait(&set, &sig) == 0 && sig == SIGUSR1 && got_usr1 == 2);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    /* Ignored. */
    CHECK(signal(SIGINT, SIG_IGN) != SIG_ERR && raise(SIGINT) == 0);
    CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
    /* alarm() and pause(). */
    CHECK(signal(SIGALRM, on_alarm) != SIG_ERR);
    CHECK(alarm(1) == 0);
    CHECK(pause() == -1 && errno == EINTR && got_alarm == 1);
    /* An interval timer: three ticks of 30 ms. */
    struct itimerval it = { .it_interval = { 0, 30000 }, .it_value = { 0, 30000 } };
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    for (int i = 0; i < 100 && got_alarm < 4; i++)
        usleep(10000);
    struct itimerval off = { 0 };
    CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0 && got_alarm >= 4);
    CHECK(setitimer(ITIMER_VIRTUAL, &it, NULL) == -1 && errno == EINVAL);
    /* SIGPIPE from a pipe without a reader; MSG_NOSIGNAL on a socket pair. */
    CHECK(signal(SIGPIPE, on_pipe) != SIG_ERR);
    int pfd[2];
    CHECK(pipe(pfd) == 0 && close(pfd[0]) == 0);
    CHECK(write(pfd[1], "x", 1) == -1 && errno == EPIPE && got_pipe == 1);
    close(pfd[1]);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && close(sv[1]) == 0);
    CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE && got_pipe == 1);
    CHECK(send(sv[0], "x", 1, 0) == -1 && errno == EPIPE && got_pipe == 2);
    close(sv[0]);
    CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
}

/* ---------------------------------------------------------------- descriptors, pipes */

static void *pipe_writer(void *arg)
{
    int fd = *(int *)arg;
    static char chunk[10000];
    for (int i = 0; i < 20; i++) {
        memset(chunk, 'a' + i, sizeof(chunk));
        if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
            return (void *)1;
    }
    close(fd);
    return NULL;
}

/* Writes one byte, then yields until the poller has seen it. A poll()
 * that the write wakes runs within a few yields; one that checked the
 * pipe only on a timer would let thousands go by. */
static volatile int wake_steps, wake_seen;
static void *late_writer(void *arg)
{
    int fd = *(int *)arg;
    wake_seen = -1;
    if (write(fd, "w", 1) != 1)
        return (void *)1;
    for (wake_steps = 0; wake_seen < 0 && wake_steps < 200000; wake_steps++)
        sched_yield();
    return NULL;
}

/* poll() of (fds) with a pipe's read end at fds[n - 1], written by a
 * thread while poll() waits: the number of the writer's yields it took. */
static int poll_woken_after(struct pollfd *fds, int n, int wfd)
{
    pthread_t t;
    void *rv;
    if (pthread_create(&t, NULL, late_writer, &wfd) != 0)
        return -1;
    int r = poll(fds, (nfds_t)n, 5000);
    wake_seen = wake_steps;
    if (pthread_join(t, &rv) != 0 || rv != NULL || r != 1 || !(fds[n - 1].revents & POLLIN))
        return -1;
    char c;
    return read(fds[n - 1].fd, &c, 1) == 1 ? wake_seen : -1;
}

static void descriptors(void)
{
    char buf[64];
    CHECK(write_file("/tmp/dup.txt", "") == 0);
    int fd = open("/tmp/dup.txt", O_WRONLY);
    int d = dup(fd);
    CHECK(fd >= 0 && d > fd && close(fd) == 0);
    CHECK(write(d, "via dup", 7) == 7 && close(d) == 0);
    CHECK(read_file("/tmp/dup.txt", buf, sizeof(buf)) == 0 && strcmp(buf, "via dup") == 0);
    /* dup2 onto stdout and back. */
    fflush(stdout);
    int saved = dup(1);
    fd = open("/tmp/out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(saved >= 0 && fd >= 0 && dup2(fd, 1) == 1 && close(fd) == 0);
    printf("redirected\n");
    fflush(stdout);
    CHECK(dup2(saved, 1) == 1 && close(saved) == 0);
    CHECK(read_file("/tmp/out.txt", buf, sizeof(buf)) == 0 && strcmp(buf, "redirected\n") == 0);
    CHECK(dup3(1, 1, 0) == -1 && errno == EINVAL);
    int hi = fcntl(0, F_DUPFD, 20);
    CHECK(hi >= 20 && fcntl(hi, F_GETFD) == 0 && fcntl(hi, F_SETFD, FD_CLOEXEC) == 0 &&
          fcntl(hi, F_GETFD) == FD_CLOEXEC && close(hi) == 0);
    /* A pipe: non-blocking, FIONREAD, poll. */
    int p[2];
    CHECK(pipe2(p, O_NONBLOCK) == 0);
    CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN);
    struct pollfd pf = { .fd = p[0], .events = POLLIN };
    CHECK(poll(&pf, 1, 0) == 0);
    int avail = 0;
    CHECK(write(p[1], "hello", 5) == 5 && ioctl(p[0], FIONREAD, &avail) == 0 && avail == 5);
    CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN));
    CHECK(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(close(p[1]) == 0 && read(p[0], buf, 1) == 0 && close(p[0]) == 0);
    /* A blocking pipe between threads: 200000 bytes through 64 KiB. */
    CHECK(pipe(p) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pipe_writer, &p[1]) == 0);
    size_t total = 0;
    int order_ok = 1;
    ssize_t n;
    static char big[8192];
    while ((n = read(p[0], big, sizeof(big))) > 0) {
        for (ssize_t i = 0; i < n; i++)
            order_ok &= big[i] == 'a' + (int)((total + (size_t)i) / 10000);
        total += (size_t)n;
    }
    void *rv;
    CHECK(pthread_join(t, &rv) == 0 && rv == NULL && total == 200000 && order_ok);
    close(p[0]);
    /* A write to a pipe wakes a poll() of it at once, alone and beside
     * a socket (which lwIP's poll waits on). */
    CHECK(pipe(p) == 0);
    struct pollfd two[2] = { { .fd = socket(AF_INET, SOCK_DGRAM, 0), .events = POLLIN },
                             { .fd = p[0], .events = POLLIN } };
    CHECK(two[0].fd >= 0);
    int steps = poll_woken_after(&two[1], 1, p[1]);
    printf("posix-test: a poll() of a pipe woke after %d yields of its writer\n", steps);
    CHECK(steps >= 0 && steps < 20);
    steps = poll_woken_after(two, 2, p[1]);
    printf("posix-test: a poll() of a socket and a pipe woke after %d yields of its writer\n", steps);
    CHECK(steps >= 0 && steps < 20);
    CHECK(close(two[0].fd) == 0 && close(p[0]) == 0 && close(p[1]) == 0);
    /* A socket pair, both ways, and FIONBIO. */
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(send(sv[0], "ping", 4, 0) == 4 && recv(sv[1], buf, sizeof(buf), 0) == 4 &&
          memcmp(buf, "ping", 4) == 0);
    CHECK(write(sv[1], "pong", 4) == 4 && read(sv[0], buf, sizeof(buf)) == 4 &&
          memcmp(buf, "pong", 4) == 0);
    int on = 1;
    CHECK(ioctl(sv[0], FIONBIO, &on) == 0 && recv(sv[0], buf, 1, 0) == -1 && errno == EAGAIN);
    CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
    CHECK(shutdown(sv[1], SHUT_WR) == 0);
    on = 0;
    CHECK(ioctl(sv[0], FIONBIO, &on) == 0 && recv(sv[0], buf, 1, 0) == 0);
    CHECK(close(sv[0]) == 0 && close(sv[1]) == 0);
    CHECK(socketpair(AF_INET, SOCK_STREAM, 0, sv) == -1 && errno == EAFNOSUPPORT);
    CHECK(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
    /* Record and whole-file locks: one process holds them all. */
    fd = open("/tmp/dup.txt", O_RDWR);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    CHECK(fcntl(fd, F_SETLK, &fl) == 0 && fcntl(fd, F_SETLKW, &fl) == 0);
    CHECK(fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK);
    fl.l_type = 99;
    CHECK(fcntl(fd, F_SETLK, &fl) == -1 && errno == EINVAL);
    CHECK(flock(fd, LOCK_EX | LOCK_NB) == 0 && flock(fd, LOCK_UN) == 0);
    CHECK(flock(fd, 0) == -1 && errno == EINVAL && flock(99, LOCK_SH) == -1 && errno == EBADF);
    close(fd);
    CHECK(isatty(1) == 1);
    fd = open("/tmp/dup.txt", O_RDONLY);
    CHECK(isatty(fd) == 0 && errno == ENOTTY);
    close(fd);
}

/* ---------------------------------------------------------------- the system */

static void system_info(void)
{
    struct utsname u;
    CHECK(uname(&u) == 0 && strcmp(u.sysname, "Xenolith") == 0 && strcmp(u.machine, "x86_64") == 0);
    char host[128];
    CHECK(gethostname(host, sizeof(host)) == 0 && strcmp(host, "posix") == 0);
    CHECK(strcmp(u.nodename, host) == 0);
    CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0);
    CHECK(setuid(0) == 0 && setuid(1000) == -1);
    struct passwd *pw = getpwnam("root");
    CHECK(pw != NULL && pw->pw_uid == 0 && strcmp(pw->pw_dir, "/") == 0);
    CHECK(getpwuid(0) == pw && getpwnam("nobody") == NULL);
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 256 && rl.rlim_max == 256);
    rl.rlim_cur = 128;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
    rl.rlim_cur = rl.rlim_max = 100000;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM);
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) == 1 && sysconf(_SC_OPEN_MAX) == 256 &&
          sysconf(_SC_PHYS_PAGES) > 0);
    CHECK(umask(077) == 022 && umask(022) == 077);
    struct rusage ru;
    CHECK(getrusage(RUSAGE_SELF, &ru) == 0 && (ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0));
    struct timeval tv;
    struct timezone tz = { .tz_minuteswest = 12345, .tz_dsttime = 7 };
    CHECK(gettimeofday(&tv, &tz) == 0 && tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
    CHECK(strcmp(getenv("HOME"), "/") == 0);
    const char *g = getenv("GREETING");
    CHECK(g != NULL && strcmp(g, "hi") == 0);
    CHECK(setenv("X", "1", 1) == 0 && strcmp(getenv("X"), "1") == 0 && unsetenv("X") == 0 &&
          getenv("X") == NULL);
    CHECK(dlopen("libm.so.6", RTLD_NOW) == NULL && dlerror() != NULL);
    CHECK(dlopen(NULL, RTLD_NOW) != NULL);
    openlog("posix-test", LOG_PID, LOG_USER);
    syslog(LOG_INFO, "syslog works (%d)", 7);
    closelog();
}

/* ---------------------------------------------------------------- the C library's extras */

static int not_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static void libc_extras(void)
{
    char buf[128];
    /* long double: printf, strtold and the x87 functions. */
    long double third = 1.0L / 3;
    snprintf(buf, sizeof(buf), "%.19Lf", third);
    CHECK(strcmp(buf, "0.3333333333333333333") == 0);
    snprintf(buf, sizeof(buf), "%.17Lg", 1e4000L);
    CHECK(strcmp(buf, "1e+4000") == 0);
    char *end;
    CHECK(strtold("12345678901234567890.5", &end) == 12345678901234567890.5L && *end == '\0');
    CHECK(ceill(2.25L) == 3 && llroundl(-2.5L) == -3 && powl(2.0L, 70.0L) == 0x1p70L);
    CHECK(SSIZE_MAX == LONG_MAX);
    /* The string printf family (one engine with the stream printf). */
    char small[8];
    volatile size_t smallsz = sizeof(small);    /* truncation on purpose: no warning */
    CHECK(snprintf(small, smallsz, "%s-%d", "abcdef", 12345) == 12 &&
          strcmp(small, "abcdef-") == 0);
    CHECK(snprintf(NULL, 0, "%05.1f|%x|%lld", 3.14159, 255u, -9000000000LL) == 20);
    CHECK(sprintf(buf, "%05.1f|%x|%lld|%c%%", 3.14159, 255u, -9000000000LL, 'z') == 23 &&
          strcmp(buf, "003.1|ff|-9000000000|z%") == 0);
    small[0] = 'q';
    CHECK(snprintf(small, 0, "%d", 7) == 1 && small[0] == 'q');
    int at = -1;
    CHECK(snprintf(buf, sizeof(buf), "ab%ncd", &at) == 4 && at == 2 && strcmp(buf, "abcd") == 0);
    char *big = NULL;
    CHECK(asprintf(&big, "%0*d|%s", 3000, 42, "end") == 3004 && big != NULL &&
          strlen(big) == 3004 && strncmp(big, "000", 3) == 0 && strcmp(big + 2998, "42|end") == 0);
    free(big);
    big = NULL;
    CHECK(asprintf(&big, "%s", "") == 0 && big != NULL && big[0] == '\0');
    free(big);
    /* Paths. */
    char p1[] = "/usr/lib/", p2[] = "/usr/lib/", p3[] = "file";
    CHECK(strcmp(dirname(p1), "/usr") == 0 && strcmp(basename(p2), "lib") == 0 &&
          strcmp(dirname(p3), ".") == 0);
    char *cwd = get_current_dir_name();
    CHECK(cwd != NULL && strcmp(cwd, "/") == 0);
    free(cwd);
    /* fnmatch, glob, regex, scandir. */
    CHECK(fnmatch("*.c", "main.c", 0) == 0 && fnmatch("*.c", "main.h", 0) == FNM_NOMATCH);
    CHECK(mkdir("/tmp/g", 0755) == 0 && write_file("/tmp/g/b.conf", "b") == 0 &&
          write_file("/tmp/g/a.conf", "a") == 0 && write_file("/tmp/g/c.txt", "c") == 0 &&
          write_file("/tmp/g/.hidden", "h") == 0);
    glob_t g;
    CHECK(glob("/tmp/g/*.conf", 0, NULL, &g) == 0 && g.gl_pathc == 2 &&
          strcmp(g.gl_pathv[0], "/tmp/g/a.conf") == 0 && strcmp(g.gl_pathv[1], "/tmp/g/b.conf") == 0);
    globfree(&g);
    CHECK(glob("/tmp/g/*.none", 0, NULL, &g) == GLOB_NOMATCH);
    regex_t re;
    regmatch_t m[2];
    CHECK(regcomp(&re, "^key([0-9]+)$", REG_EXTENDED) == 0);
    CHECK(regexec(&re, "key42", 2, m, 0) == 0 && m[1].rm_so == 3 && m[1].rm_eo == 5);
    CHECK(regexec(&re, "key4x", 0, NULL, 0) == REG_NOMATCH);
    regfree(&re);
    struct dirent **list;
    int n = scandir("/tmp/g", &list, not_hidden, alphasort);
    CHECK(n == 3 && strcmp(list[0]->d_name, "a.conf") == 0 && strcmp(list[2]->d_name, "c.txt") == 0);
    for (int i = 0; i < n; i++)
        free(list[i]);
    if (n >= 0)
        free(list);
    /* The console as a terminal; anything else is not one. */
    struct termios t;
    CHECK(tcgetattr(0, &t) == 0 && (t.c_lflag & ICANON));
    cfmakeraw(&t);
    CHECK(tcsetattr(0, TCSANOW, &t) == 0 && tcgetattr(0, &t) == 0 && !(t.c_lflag & ICANON));
    struct winsize ws;
    CHECK(ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col == 80 && ws.ws_row == 24);
    CHECK(ttyname(0) != NULL && strcmp(ttyname(0), "/dev/console") == 0);
    int fd = open("/dev/tty", O_WRONLY);
    CHECK(fd >= 0 && isatty(fd) && close(fd) == 0);
    fd = open("/tmp/g/c.txt", O_RDONLY);
    CHECK(tcgetattr(fd, &t) == -1 && errno == ENOTTY && ttyname(fd) == NULL);
    close(fd);
    /* Nothing can be spawned. */
    pid_t pid;
    char *args[] = { "true", NULL };
    CHECK(posix_spawn(&pid, "/bin/true", NULL, NULL, args, NULL) == ENOSYS);
}

/* ---------------------------------------------------------------- threads */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t bar;
static pthread_spinlock_t spin;
static int readers_in, max_readers, writer_saw_readers = -1, serial, counter;

static void *reader(void *arg)
{
    (void)arg;
    pthread_rwlock_rdlock(&rw);
    readers_in++;
    if (readers_in > max_readers)
        max_readers = readers_in;
    sched_yield();
    sched_yield();
    readers_in--;
    pthread_rwlock_unlock(&rw);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_rwlock_wrlock(&rw);
    writer_saw_readers = readers_in;
    pthread_rwlock_unlock(&rw);
    return NULL;
}

static void *at_barrier(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        pthread_spin_lock(&spin);
        counter++;
        pthread_spin_unlock(&spin);
        if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD)
            serial++;
    }
    return NULL;
}

/* Thread-local storage: an initialised and a zeroed variable, and one
 * whose alignment is larger than a word, each thread with its own. */
static __thread int tls_init = 5;
static __thread long tls_zero;
static _Thread_local struct { _Alignas(32) char bytes[40]; } tls_aligned = { "aligned" };

static void *tls_worker(void *arg)
{
    long id = (long)arg;
    int ok = tls_init == 5 && tls_zero == 0 && strcmp(tls_aligned.bytes, "aligned") == 0 &&
             ((uintptr_t)&tls_aligned & 31) == 0;
    tls_init += (int)id;
    tls_zero = id;
    snprintf(tls_aligned.bytes, sizeof(tls_aligned.bytes), "thread %ld", id);
    sched_yield();                      /* the others run and write theirs */
    char want[40];
    snprintf(want, sizeof(want), "thread %ld", id);
    ok = ok && tls_init == 5 + id && tls_zero == id && strcmp(tls_aligned.bytes, want) == 0;
    return ok ? NULL : (void *)1;
}

static sem_t sem_items;
static int sem_consumed;

static void *sem_consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        if (sem_wait(&sem_items) == 0)
            sem_consumed++;
    return NULL;
}

static void threads(void)
{
    pthread_t t[4];
    void *rv[3];
    tls_init = 100;
    for (long i = 0; i < 3; i++)
        CHECK(pthread_create(&t[i], NULL, tls_worker, (void *)(i + 1)) == 0);
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(t[i], &rv[i]) == 0 && rv[i] == NULL);
    CHECK(tls_init == 100 && tls_zero == 0 && strcmp(tls_aligned.bytes, "aligned") == 0);
    CHECK(pthread_create(&t[0], NULL, reader, NULL) == 0 && pthread_create(&t[1], NULL, reader, NULL) == 0);
    CHECK(pthread_create(&t[2], NULL, writer, NULL) == 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    CHECK(max_readers == 2 && writer_saw_readers == 0);
    CHECK(pthread_rwlock_wrlock(&rw) == 0 && pthread_rwlock_tryrdlock(&rw) == EBUSY &&
          pthread_rwlock_rdlock(&rw) == EDEADLK && pthread_rwlock_unlock(&rw) == 0);
    /* A writer behind a reader waits until its deadline. */
    CHECK(pthread_rwlock_rdlock(&rw) == 0);
    struct timespec soon;
    clock_gettime(CLOCK_REALTIME, &soon);
    soon.tv_nsec += 20000000;
    if (soon.tv_nsec >= 1000000000L) {
        soon.tv_sec++;
        soon.tv_nsec -= 1000000000L;
    }
    CHECK(pthread_rwlock_timedwrlock(&rw, &soon) == ETIMEDOUT);
    soon.tv_nsec = 1000000000L;
    CHECK(pthread_rwlock_timedwrlock(&rw, &soon) == EINVAL);
    CHECK(pthread_rwlock_unlock(&rw) == 0 && pthread_rwlock_destroy(&rw) == 0);
    CHECK(pthread_barrier_init(&bar, NULL, 3) == 0 && pthread_spin_init(&spin, 0) == 0);
    for (int i = 0; i < 3; i++)
        CHECK(pthread_create(&t[i], NULL, at_barrier, NULL) == 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    CHECK(counter == 9 && serial == 3 && pthread_barrier_destroy(&bar) == 0);
    CHECK(pthread_setname_np(pthread_self(), "main-thread") == 0);
    char name[16];
    CHECK(pthread_getname_np(pthread_self(), name, sizeof(name)) == 0 && strcmp(name, "main-thread") == 0);
    CHECK(pthread_cancel(pthread_self()) == ENOSYS);
    /* Semaphores: a consumer blocks until three posts; a timed wait ends. */
    int v = -1;
    CHECK(sem_init(&sem_items, 0, 0) == 0 && sem_trywait(&sem_items) == -1 && errno == EAGAIN);
    CHECK(pthread_create(&t[0], NULL, sem_consumer, NULL) == 0);
    sched_yield();
    CHECK(sem_consumed == 0);
    for (int i = 0; i < 3; i++)
        CHECK(sem_post(&sem_items) == 0);
    CHECK(pthread_join(t[0], NULL) == 0 && sem_consumed == 3);
    CHECK(sem_getvalue(&sem_items, &v) == 0 && v == 0);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20000000;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    CHECK(sem_timedwait(&sem_items, &ts) == -1 && errno == ETIMEDOUT);
    CHECK(sem_destroy(&sem_items) == 0 && sem_post(&sem_items) == -1 && errno == EINVAL);
    CHECK(sem_open("/x", 0) == SEM_FAILED && errno == ENOSYS);
    CHECK(pthread_atfork(NULL, NULL, NULL) == 0 && sched_yield() == 0);
}

static volatile sig_atomic_t term;

static void on_term(int sig)
{
    (void)sig;
    term = 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "catch-term") == 0) {
        struct sigaction sa = { 0 };
        sa.sa_handler = on_term;
        sigaction(SIGTERM, &sa, NULL);
        printf("waiting for SIGTERM\n");
        while (!term)
            usleep(20000);
        printf("caught SIGTERM\n");
        printf("clean shutdown after SIGTERM\n");
        return 0;
    }
    if (argc > 1) {
        if (strcmp(argv[1], "sigterm") == 0) {
            raise(SIGTERM);
            printf("still running after SIGTERM\n");
            return 0;
        }
        if (strcmp(argv[1], "sigpipe") == 0) {
            int p[2];
            pipe(p);
            close(p[0]);
            write(p[1], "x", 1);
            printf("still running after SIGPIPE\n");
            return 0;
        }
        unsigned char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
        if (m == MAP_FAILED)
            return 3;
        printf("page at %p\n", (void *)m);
        fflush(stdout);
        if (strcmp(argv[1], "prot-none") == 0) {
            mprotect(m, 4096, PROT_NONE);
            return *(volatile unsigned char *)m;
        }
        if (strcmp(argv[1], "prot-read") == 0) {
            mprotect(m, 4096, PROT_READ);
            *(volatile unsigned char *)m = 1;
            return 0;
        }
        return 3;
    }
    area("processes", processes);
    area("files", files);
    area("devices", devices);
    area("memory", memory);
    area("signals", signals);
    area("descriptors", descriptors);
    area("system", system_info);
    area("libc extras", libc_extras);
    area("threads", threads);
    printf("%s\n", all_ok ? "PASS" : "FAIL");
    return !all_ok;
}
