/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syslog() to the console log, and BSD's err() and warn() to stderr
 * (docs/posix.md).
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <xenolith.h>

static const char *ident;
static int log_mask = 0xff;

void openlog(const char *id, int option, int facility)
{
    (void)option, (void)facility;
    ident = id;
}

void closelog(void)
{
    ident = NULL;
}

int setlogmask(int mask)
{
    int old = log_mask;
    if (mask != 0)
        log_mask = mask;
    return old;
}

void vsyslog(int pri, const char *fmt, va_list ap)
{
    char line[512];
    int p = LOG_PRI(pri);
    if (!(log_mask & LOG_MASK(p)))
        return;
    vsnprintf(line, sizeof(line), fmt, ap);
    enum xn_log_level l = p <= LOG_ERR ? XN_LOG_ERR : p == LOG_WARNING ? XN_LOG_WARN :
                          p == LOG_DEBUG ? XN_LOG_DEBUG : XN_LOG_INFO;
    if (ident != NULL)
        xn_log(l, "%s: %s", ident, line);
    else
        xn_log(l, "%s", line);
}

void syslog(int pri, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsyslog(pri, fmt, ap);
    va_end(ap);
}

extern const char xn_app_name[];

void vwarnx(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", xn_app_name);
    if (fmt != NULL)
        vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void vwarn(const char *fmt, va_list ap)
{
    int e = errno;
    fprintf(stderr, "%s: ", xn_app_name);
    if (fmt != NULL) {
        vfprintf(stderr, fmt, ap);
        fputs(": ", stderr);
    }
    fprintf(stderr, "%s\n", strerror(e));
}

void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void warnx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarnx(fmt, ap);
    va_end(ap);
}

void verr(int status, const char *fmt, va_list ap)
{
    vwarn(fmt, ap);
    exit(status);
}

void verrx(int status, const char *fmt, va_list ap)
{
    vwarnx(fmt, ap);
    exit(status);
}

void err(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(status, fmt, ap);
}

void errx(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrx(status, fmt, ap);
}
