/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path names and directory listings on top of the file system calls
 * (docs/posix.md): dirname(), basename() (POSIX's, <libgen.h>; newlib
 * has GNU's), get_current_dir_name(), scandir(),
 * alphasort(), readdir_r(), ttyname(), and POSIX's glob() on newlib's
 * BSD one.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* POSIX dirname: may modify (path); "." for a name without a slash. */
char *dirname(char *path)
{
    static char dot[] = ".", slash[] = "/";
    if (path == NULL || path[0] == '\0')
        return dot;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')         /* trailing slashes */
        n--;
    while (n > 0 && path[n - 1] != '/')         /* the last name */
        n--;
    if (n == 0)
        return dot;
    while (n > 1 && path[n - 1] == '/')         /* slashes before it */
        n--;
    if (n == 1 && path[0] == '/')
        return slash;
    path[n] = '\0';
    return path;
}

/* POSIX basename (<libgen.h> renames it __xpg_basename, with the symbol
 * name basename): may modify (path); trailing slashes do not count. */
char *basename(char *path)
{
    static char dot[] = ".", slash[] = "/";
    if (path == NULL || path[0] == '\0')
        return dot;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    if (n == 1 && path[0] == '/')
        return slash;
    char *s = strrchr(path, '/');
    return s != NULL ? s + 1 : path;
}

/* The working directory in memory from malloc() (GNU; include/unistd.h). */
char *get_current_dir_name(void)
{
    return getcwd(NULL, 0);
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
    return strcoll((*a)->d_name, (*b)->d_name);
}

int scandir(const char *path, struct dirent ***out, int (*keep)(const struct dirent *),
            int (*cmp)(const struct dirent **, const struct dirent **))
{
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    struct dirent **list = NULL, *e;
    size_t n = 0, cap = 0;
    int err = 0;
    while ((e = readdir(d)) != NULL) {
        if (keep != NULL && !keep(e))
            continue;
        if (n == cap) {
            cap = cap != 0 ? cap * 2 : 16;
            struct dirent **bigger = realloc(list, cap * sizeof(*list));
            if (bigger == NULL) {
                err = ENOMEM;
                break;
            }
            list = bigger;
        }
        if ((list[n] = malloc(sizeof(*e))) == NULL) {
            err = ENOMEM;
            break;
        }
        memcpy(list[n++], e, sizeof(*e));
    }
    closedir(d);
    if (err != 0 || n > (size_t)0x7fffffff) {
        while (n > 0)
            free(list[--n]);
        free(list);
        errno = err != 0 ? err : EOVERFLOW;
        return -1;
    }
    if (cmp != NULL && n > 1)
        qsort(list, n, sizeof(*list), (int (*)(const void *, const void *))cmp);
    *out = list;
    return (int)n;
}

int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
    int saved = errno;
    errno = 0;
    struct dirent *e = readdir(d);
    int err = errno;
    errno = saved;
    if (e == NULL) {
        *result = NULL;
        return err;
    }
    memcpy(entry, e, sizeof(*entry));
    *result = entry;
    return 0;
}

/* The console is the only terminal. */
int ttyname_r(int fd, char *buf, size_t len)
{
    if (!isatty(fd))
        return errno;
    static const char name[] = "/dev/console";
    if (len < sizeof(name))
        return ERANGE;
    memcpy(buf, name, sizeof(name));
    return 0;
}

char *ttyname(int fd)
{
    static char buf[32];
    int err = ttyname_r(fd, buf, sizeof(buf));
    if (err != 0) {
        errno = err;
        return NULL;
    }
    return buf;
}

/* newlib's 4.4BSD glob(), compiled under this name (tools/deps.sh). */
int __bsd_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g);

int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
    int before = (flags & GLOB_APPEND) ? g->gl_pathc : 0;
    int bsd = flags & ~GLOB_NOESCAPE;
    if (!(flags & GLOB_NOESCAPE))
        bsd |= GLOB_QUOTE;
    int rc = __bsd_glob(pattern, bsd, errfunc, g);
    if (rc == 0 && g->gl_pathc == before)
        return GLOB_NOMATCH;                    /* (GLOB_NOCHECK adds the pattern) */
    return rc;
}
