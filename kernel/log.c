/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel log: four levels (error, warn, info, debug), chosen with
 * loglevel= on the command line. Each message is formatted into a fixed
 * buffer (never allocated; a message that does not fit ends in
 * "(truncated)") and written to the console with the time since boot.
 */
#include <string.h>

#include "kernel.h"

static struct {
    enum log_level level;
} log = { LOG_INFO };

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void log_set_level(enum log_level level)
{
    log.level = level;
}

enum log_level log_get_level(void)
{
    return log.level;
}

/* Parse "error|warn|info|debug" or "0".."3". 0, or -1 if invalid. */
int log_parse_level(const char *s, enum log_level *out)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, level_names[i]) == 0 ||
            (s[0] == '0' + i && s[1] == '\0')) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

static void vlog(enum log_level level, const char *fmt, va_list ap)
{
    char buf[256];
    uint64_t us = time_monotonic_ns() / 1000;
    int n = ksnprintf(buf, sizeof(buf), "[%4u.%06u] %s%s",
                      (unsigned)(us / 1000000), (unsigned)(us % 1000000),
                      level <= LOG_WARN ? level_names[level] : "",
                      level <= LOG_WARN ? ": " : "");
    if (n < 0 || (size_t)n >= sizeof(buf))
        n = 0;
    int m = kvsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
    size_t len = (size_t)n + (size_t)m;
    if (len >= sizeof(buf) - 1) {
        static const char trunc[] = " (truncated)";
        len = sizeof(buf) - sizeof(trunc) - 1;
        memcpy(buf + len, trunc, sizeof(trunc) - 1);
        len += sizeof(trunc) - 1;
    }
    buf[len++] = '\n';
    console_write(buf, len);
}

void klog(enum log_level level, const char *fmt, ...)
{
    if (level > log.level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(level, fmt, ap);
    va_end(ap);
}

/* Unconditional console output with no prefix (crash reports, exit). */
void kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    console_write_panic(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
