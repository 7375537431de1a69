/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small vsnprintf for the kernel's log, panic and crash paths. It never
 * allocates and never uses floating point, so it is safe in interrupt and
 * crash context (newlib's printf may call malloc). Supported: %c %s %d %i
 * %u %x %X %p %%, the l/ll/z/h/hh length modifiers, the flags '-', '0' and
 * '#' (0x prefix for %x),
 * a field width and a precision (for %s, also '*'). The result is always
 * NUL-terminated when size > 0; the return value is the length the full
 * output would have had, as with snprintf.
 */
#include "kernel.h"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void put_str(struct out *o, const char *s, int width, int prec,
                    bool left)
{
    int n = 0;

    if (s == NULL)
        s = "(null)";
    while ((prec < 0 || n < prec) && s[n] != '\0')
        n++;
    if (!left)
        pad(o, ' ', width - n);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (left)
        pad(o, ' ', width - n);
}

static void put_num(struct out *o, unsigned long long v, bool neg,
                    unsigned base, bool upper, int width, bool zero,
                    bool left, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, plen = prefix ? (int)__builtin_strlen(prefix) : 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    int total = n + (neg ? 1 : 0) + plen;
    if (!left && !zero)
        pad(o, ' ', width - total);
    if (neg)
        put(o, '-');
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    if (!left && zero)
        pad(o, '0', width - total);
    while (n > 0)
        put(o, tmp[--n]);
    if (left)
        pad(o, ' ', width - total);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt != '\0'; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        bool left = false, zero = false, alt = false;
        for (;; fmt++) {
            if (*fmt == '-')
                left = true;
            else if (*fmt == '#')
                alt = true;
            else if (*fmt == '0')
                zero = true;
            else
                break;
        }
        int width = 0, prec = -1;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        int lng = 0;            /* 0 int, 1 long, 2 long long, -1 short, -2 char */
        for (;; fmt++) {
            if (*fmt == 'l')
                lng++;
            else if (*fmt == 'z')
                lng = 1;
            else if (*fmt == 'h')
                lng--;
            else
                break;
        }
        unsigned long long u;
        long long s;
        switch (*fmt) {
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 's':
            put_str(&o, va_arg(ap, const char *), width, prec, left);
            break;
        case 'd':
        case 'i':
            if (lng >= 2)
                s = va_arg(ap, long long);
            else if (lng == 1)
                s = va_arg(ap, long);
            else
                s = va_arg(ap, int);
            if (lng == -1)
                s = (short)s;
            else if (lng <= -2)
                s = (signed char)s;
            u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
            put_num(&o, u, s < 0, 10, false, width, zero, left, NULL);
            break;
        case 'u':
        case 'x':
        case 'X':
            if (lng >= 2)
                u = va_arg(ap, unsigned long long);
            else if (lng == 1)
                u = va_arg(ap, unsigned long);
            else
                u = va_arg(ap, unsigned int);
            if (lng == -1)
                u = (unsigned short)u;
            else if (lng <= -2)
                u = (unsigned char)u;
            put_num(&o, u, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', width,
                    zero, left, alt && *fmt != 'u' ? (*fmt == 'X' ? "0X" : "0x") : NULL);
            break;
        case 'p':
            put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false,
                    width, zero, left, "0x");
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--;              /* a lone '%' at the end: print nothing */
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
