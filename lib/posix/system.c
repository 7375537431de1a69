/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Who and where the program is (docs/posix.md): identities, the user
 * database, the system's name, limits and usage. The one process is pid
 * 1, run by root (uid 0, gid 0) in its own session and process group;
 * the user database has one entry, root, home /. The host name is the
 * configuration's "hostname" (else the app's name), as DHCP sends it.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_fd.h>
#include <xn_posix.h>

extern const char xn_app_name[];

#ifndef HOST_NAME_MAX
#define HOST_NAME_MAX 64
#endif

/* ---------------------------------------------------------------- identities */

pid_t getppid(void) { return 0; }       /* started by the kernel, as init is */
pid_t getpgrp(void) { return 1; }
pid_t getsid(pid_t pid) { return pid == 0 || pid == 1 ? 1 : (errno = ESRCH, -1); }
pid_t setsid(void) { errno = EPERM; return -1; }    /* already a session leader */
int setpgrp(void) { return 0; }
uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
gid_t getgid(void) { return 0; }
gid_t getegid(void) { return 0; }

pid_t getpgid(pid_t pid)
{
    if (pid != 0 && pid != 1) {
        errno = ESRCH;
        return -1;
    }
    return 1;
}

int setpgid(pid_t pid, pid_t pgid)
{
    if ((pid != 0 && pid != 1) || (pgid != 0 && pgid != 1)) {
        errno = pid != 0 && pid != 1 ? ESRCH : EPERM;
        return -1;
    }
    return 0;
}

/* Root may become root; there is no other user to become. */
static int only_root(unsigned id)
{
    if (id != 0) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int setuid(uid_t uid) { return only_root(uid); }
int seteuid(uid_t uid) { return only_root(uid); }
int setgid(gid_t gid) { return only_root(gid); }
int setegid(gid_t gid) { return only_root(gid); }
int setreuid(uid_t r, uid_t e) { return only_root((r == (uid_t)-1 ? 0 : r) | (e == (uid_t)-1 ? 0 : e)); }
int setregid(gid_t r, gid_t e) { return only_root((r == (gid_t)-1 ? 0 : r) | (e == (gid_t)-1 ? 0 : e)); }

int getgroups(int n, gid_t list[])
{
    if (n == 0)
        return 1;
    if (n < 1) {
        errno = EINVAL;
        return -1;
    }
    list[0] = 0;
    return 1;
}

int setgroups(int n, const gid_t *list)
{
    for (int i = 0; i < n; i++)
        if (list[i] != 0)
            return only_root(list[i]);
    return 0;
}

int initgroups(const char *user, gid_t group)
{
    (void)user;
    return only_root(group);
}

mode_t umask(mode_t mask)
{
    static mode_t current = 022;
    mode_t old = current;
    current = mask & 0777;
    return old;
}

/* ---------------------------------------------------------------- users */

static struct passwd root_pw = {
    .pw_name = (char *)"root", .pw_passwd = (char *)"x", .pw_uid = 0, .pw_gid = 0,
    .pw_comment = (char *)"", .pw_gecos = (char *)"root", .pw_dir = (char *)"/",
    .pw_shell = (char *)"/bin/false",
};
static char *root_members[] = { (char *)"root", NULL };
static struct group root_gr = {
    .gr_name = (char *)"root", .gr_passwd = (char *)"x", .gr_gid = 0, .gr_mem = root_members,
};

struct passwd *getpwnam(const char *name)
{
    return strcmp(name, "root") == 0 ? &root_pw : NULL;
}

struct passwd *getpwuid(uid_t uid)
{
    return uid == 0 ? &root_pw : NULL;
}

static int pw_copy(struct passwd *found, struct passwd *pw, char *buf, size_t len,
                   struct passwd **out)
{
    *out = NULL;
    if (found == NULL)
        return 0;
    /* Every string of the entry, packed into (buf). */
    char *strs[] = { found->pw_name, found->pw_passwd, found->pw_comment, found->pw_gecos,
                     found->pw_dir, found->pw_shell };
    size_t need = 0;
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        need += strlen(strs[i]) + 1;
    if (need > len)
        return ERANGE;
    *pw = *found;
    char **dst[] = { &pw->pw_name, &pw->pw_passwd, &pw->pw_comment, &pw->pw_gecos,
                     &pw->pw_dir, &pw->pw_shell };
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        size_t n = strlen(strs[i]) + 1;
        memcpy(buf, strs[i], n);
        *dst[i] = buf;
        buf += n;
    }
    *out = pw;
    return 0;
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len, struct passwd **out)
{
    return pw_copy(getpwnam(name), pw, buf, len, out);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, struct passwd **out)
{
    return pw_copy(getpwuid(uid), pw, buf, len, out);
}

static int pw_next;
struct passwd *getpwent(void) { return pw_next++ == 0 ? &root_pw : NULL; }
void setpwent(void) { pw_next = 0; }
void endpwent(void) { pw_next = 0; }

struct group *getgrnam(const char *name)
{
    return strcmp(name, "root") == 0 ? &root_gr : NULL;
}

struct group *getgrgid(gid_t gid)
{
    return gid == 0 ? &root_gr : NULL;
}

static int gr_next;
struct group *getgrent(void) { return gr_next++ == 0 ? &root_gr : NULL; }
void setgrent(void) { gr_next = 0; }
void endgrent(void) { gr_next = 0; }

char *getlogin(void)
{
    return (char *)"root";
}

int getlogin_r(char *name, size_t len)
{
    if (len < 5)
        return ERANGE;
    memcpy(name, "root", 5);
    return 0;
}

/* ---------------------------------------------------------------- the system */

static char host[HOST_NAME_MAX + 1];

static const char *hostname(void)
{
    if (host[0] == '\0') {
        const char *h = xn_config_get("hostname");
        strncpy(host, h != NULL ? h : xn_app_name, HOST_NAME_MAX);
    }
    return host;
}

int gethostname(char *name, size_t len)
{
    const char *h = hostname();
    size_t n = strlen(h);
    if (n + 1 > len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(name, h, n + 1);
    return 0;
}

int sethostname(const char *name, size_t len)
{
    if (len > HOST_NAME_MAX) {
        errno = EINVAL;
        return -1;
    }
    memcpy(host, name, len);
    host[len] = '\0';
    return 0;
}

int uname(struct utsname *u)
{
    memset(u, 0, sizeof(*u));
    strcpy(u->sysname, "Xenolith");
    snprintf(u->nodename, sizeof(u->nodename), "%s", hostname());
    strcpy(u->release, "1.0");
    strcpy(u->version, "Xenolith unikernel on Xen");
    strcpy(u->machine, "x86_64");
    strcpy(u->domainname, "(none)");
    return 0;
}

static long heap_pages(void)
{
    uintptr_t s, e;
    xn_heap_region(&s, &e);
    return (long)((e - s) / 4096);
}

long sysconf(int name)
{
    switch (name) {
    case _SC_PAGESIZE: return 4096;
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN: return 1;
    case _SC_OPEN_MAX: return FD_MAX;
    case _SC_CLK_TCK: return CLK_TCK;
    case _SC_ARG_MAX: return 4096;
    case _SC_CHILD_MAX: return 1;
    case _SC_NGROUPS_MAX: return 1;
    case _SC_PHYS_PAGES: return heap_pages();
    case _SC_AVPHYS_PAGES: {
        struct mallinfo mi = mallinfo();
        long used = (long)(mi.uordblks / 4096);
        return heap_pages() > used ? heap_pages() - used : 0;
    }
    case _SC_HOST_NAME_MAX: return HOST_NAME_MAX;
    case _SC_LOGIN_NAME_MAX: return 9;
    case _SC_LINE_MAX: return 2048;
    case _SC_IOV_MAX: return 1024;
    case _SC_GETPW_R_SIZE_MAX:
    case _SC_GETGR_R_SIZE_MAX: return 1024;
    case _SC_THREAD_STACK_MIN: return 16384;
    case _SC_THREAD_KEYS_MAX: return 64;
    case _SC_SYMLOOP_MAX: return 8;
    case _SC_TTY_NAME_MAX: return 32;
    case _SC_TZNAME_MAX: return 6;
    case _SC_VERSION:
    case _SC_THREADS:
    case _SC_TIMERS:
    case _SC_MONOTONIC_CLOCK:
    case _SC_READER_WRITER_LOCKS:
    case _SC_SPIN_LOCKS:
    case _SC_BARRIERS:
    case _SC_MAPPED_FILES:
    case _SC_MEMORY_PROTECTION:
    case _SC_FSYNC:
    case _SC_IPV6:
    case _SC_THREAD_SAFE_FUNCTIONS: return 200809L;
    case _SC_JOB_CONTROL:
    case _SC_SAVED_IDS:
    case _SC_SHELL:
    case _SC_SPAWN: return -1;           /* not supported (errno unchanged) */
    case _SC_LEVEL1_DCACHE_LINESIZE: return 64;
    default:
        errno = EINVAL;
        return -1;
    }
}

int getpagesize(void)
{
    return 4096;
}

int getdtablesize(void)
{
    return FD_MAX;
}

/* ---------------------------------------------------------------- limits, usage */

/* Limits the program can lower (and raise back to the maximum); a few
 * are facts of the system and cannot be raised past them. */
static struct rlimit limits[RLIMIT_NLIMITS] = {
    [RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_STACK] = { 65536, 65536 },              /* the main thread's stack */
    [RLIMIT_CORE] = { 0, 0 },                       /* no core files */
    [RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_NPROC] = { 1, 1 },
    [RLIMIT_NOFILE] = { FD_MAX, FD_MAX },
    [RLIMIT_MEMLOCK] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
};

int getrlimit(int res, struct rlimit *rl)
{
    if (res < 0 || res >= RLIMIT_NLIMITS) {
        errno = EINVAL;
        return -1;
    }
    *rl = limits[res];
    return 0;
}

int setrlimit(int res, const struct rlimit *rl)
{
    if (res < 0 || res >= RLIMIT_NLIMITS || rl->rlim_cur > rl->rlim_max) {
        errno = EINVAL;
        return -1;
    }
    if (rl->rlim_max > limits[res].rlim_max) {
        errno = EPERM;                  /* past what the system has */
        return -1;
    }
    limits[res] = *rl;
    return 0;
}

int getpriority(int which, id_t who)
{
    (void)which, (void)who;
    errno = 0;
    return 0;
}

int setpriority(int which, id_t who, int prio)
{
    (void)which, (void)who, (void)prio;
    return 0;                           /* one process: there is nothing to rank it against */
}

int nice(int inc)
{
    (void)inc;
    return 0;
}

/* CPU time is the time since boot: the program is all that runs. */
int getrusage(int who, struct rusage *ru)
{
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD) {
        errno = EINVAL;
        return -1;
    }
    memset(ru, 0, sizeof(*ru));
    if (who == RUSAGE_CHILDREN)
        return 0;
    uint64_t ns = xn_clock_monotonic_ns();
    ru->ru_utime.tv_sec = (time_t)(ns / 1000000000ULL);
    ru->ru_utime.tv_usec = (suseconds_t)(ns % 1000000000ULL / 1000);
    struct mallinfo mi = mallinfo();
    ru->ru_maxrss = (long)(mi.arena / 1024);
    return 0;
}

int getloadavg(double avg[], int n)
{
    for (int i = 0; i < n && i < 3; i++)
        avg[i] = 0;
    return n < 3 ? n : 3;
}

/* BSD: whether the program runs with privileges it was not started with
 * (setuid): never (glob() asks before expanding ~). */
int issetugid(void)
{
    return 0;
}

/*
 * timegm(): the broken-down UTC time (fields may be out of range, as for
 * mktime) as seconds since the epoch, and *tm normalised. Days from the
 * civil date by the usual era arithmetic (400-year cycles).
 */
time_t timegm(struct tm *tm)
{
    long long mon = tm->tm_mon, year = (long long)tm->tm_year + 1900;
    year += mon / 12;
    mon %= 12;
    if (mon < 0) {
        mon += 12;
        year--;
    }
    long long y = year - (mon < 2), m = mon < 2 ? mon + 10 : mon - 2;   /* March is 0 */
    long long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long long doy = (153 * m + 2) / 5, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + doe - 719468 + (tm->tm_mday - 1);
    long long t = days * 86400 + (long long)tm->tm_hour * 3600 + (long long)tm->tm_min * 60 + tm->tm_sec;
    time_t r = (time_t)t;
    if (gmtime_r(&r, tm) == NULL) {
        errno = EOVERFLOW;
        return (time_t)-1;
    }
    return r;
}
